WITH e AS (
    SELECT "@timestamp"::TIMESTAMP AS ts, user.name AS user_name, event.action AS action,
           event.outcome AS outcome, "event.original" AS original
    FROM read_ndjson('{DATA}/logs-*.ndjson',
        columns = {'@timestamp': 'VARCHAR', 'user': 'STRUCT(name VARCHAR)',
                   'event': 'STRUCT(action VARCHAR, outcome VARCHAR)', 'event.original': 'VARCHAR'})
)
SELECT strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ'), user_name, action
FROM e WHERE outcome = 'failure'
ORDER BY ts DESC, original NULLS LAST
LIMIT 50
