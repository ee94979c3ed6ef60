WITH e AS (
    SELECT user_agent.original AS ua, event.outcome AS outcome, user.name AS user_name
    FROM read_ndjson('{DATA}/logs-azure.signinlogs-default.ndjson',
        columns = {'user_agent': 'STRUCT(original VARCHAR)', 'event': 'STRUCT(outcome VARCHAR)',
                   'user': 'STRUCT(name VARCHAR)'})
)
SELECT count(*) AS events, user_name
FROM e WHERE ua LIKE '%Windows NT%Chrome%' AND outcome = 'success'
GROUP BY user_name ORDER BY user_name NULLS LAST
