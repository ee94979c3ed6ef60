-- The events of the case-fixed seed rule, read from the generated NDJSON indices with DuckDB's
-- schema detection (read_ndjson's default). What ES|QL takes from the data-stream
-- name (event.dataset of logs-* indices) is written as a constant. {DATA}: the data dir.
CREATE VIEW ev AS (
    SELECT "@timestamp"::TIMESTAMP AS ts, source.ip AS ip, 'o365.audit' AS dataset,
           event.action AS action, event.outcome AS outcome, NULL::VARCHAR AS rule_name
    FROM read_ndjson('{DATA}/logs-o365.audit-default.ndjson')
    UNION ALL
    SELECT "@timestamp"::TIMESTAMP, source.ip, 'azure.signinlogs', event.action, event.outcome, NULL
    FROM read_ndjson('{DATA}/logs-azure.signinlogs-default.ndjson')
    UNION ALL
    SELECT "@timestamp"::TIMESTAMP, source.ip, "event.dataset", NULL, NULL, "kibana.alert.rule.name"
    FROM read_ndjson('{DATA}/.alerts-security.alerts-default.ndjson')
);
