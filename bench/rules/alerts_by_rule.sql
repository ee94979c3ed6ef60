WITH e AS (
    SELECT "kibana.alert.workflow_status" AS status, destination.ip AS dip,
           "kibana.alert.risk_score" AS risk, "kibana.alert.rule.name" AS rule_name, "event.dataset" AS dataset
    FROM read_ndjson('{DATA}/.alerts-security.alerts-default.ndjson',
        columns = {'kibana.alert.workflow_status': 'VARCHAR', 'destination': 'STRUCT(ip VARCHAR)',
                   'kibana.alert.risk_score': 'DOUBLE', 'kibana.alert.rule.name': 'VARCHAR',
                   'event.dataset': 'VARCHAR'})
)
SELECT count(*) AS alerts, count(DISTINCT dip) AS targets, max(risk) AS max_risk, rule_name, dataset
FROM e WHERE status = 'open'
GROUP BY rule_name, dataset
ORDER BY alerts DESC, rule_name NULLS LAST, dataset NULLS LAST
LIMIT 10
