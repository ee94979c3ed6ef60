WITH e AS (
    SELECT "@timestamp"::TIMESTAMP AS ts, event.action AS action, event.outcome AS outcome
    FROM read_ndjson('{DATA}/logs-o365.audit-default.ndjson',
        columns = {'@timestamp': 'VARCHAR', 'event': 'STRUCT(action VARCHAR, outcome VARCHAR)'})
)
SELECT count(*) AS events, strftime(date_trunc('hour', ts), '%Y-%m-%dT%H:%M:%S.%gZ') AS hour, action
FROM e WHERE action IN ('MailItemsAccessed', 'Send', 'FileAccessed') AND outcome = 'success'
GROUP BY date_trunc('hour', ts), action
ORDER BY date_trunc('hour', ts), action NULLS LAST
