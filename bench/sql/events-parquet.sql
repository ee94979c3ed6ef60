-- The events of the case-fixed seed rule, read from the Parquet files `esql convert`
-- wrote (one list column per field, named by its dotted path). As in ES|QL, a field with
-- several values reads as null in a comparison. {DATA}: the converted data dir.
CREATE VIEW ev AS (
    SELECT
        CASE WHEN len("@timestamp") = 1 THEN "@timestamp"[1] END::TIMESTAMP AS ts,
        CASE WHEN len("source.ip") = 1 THEN "source.ip"[1] END AS ip,
        CASE WHEN len("event.dataset") = 1 THEN "event.dataset"[1] END AS dataset,
        CASE WHEN len("event.action") = 1 THEN "event.action"[1] END AS action,
        CASE WHEN len("event.outcome") = 1 THEN "event.outcome"[1] END AS outcome,
        CASE WHEN len("kibana.alert.rule.name") = 1 THEN "kibana.alert.rule.name"[1] END AS rule_name
    FROM read_parquet([
        '{DATA}/logs-o365.audit-default.parquet',
        '{DATA}/logs-azure.signinlogs-default.parquet',
        '{DATA}/~alerts-security.alerts-default.parquet'
    ], union_by_name = true)
);
