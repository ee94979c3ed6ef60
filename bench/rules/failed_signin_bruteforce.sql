WITH e AS (
    SELECT user.name AS user_name, source.ip AS ip,
           azure.signinlogs.properties.app_display_name AS app, event.outcome AS outcome
    FROM read_ndjson('{DATA}/logs-azure.signinlogs-default.ndjson',
        columns = {'user': 'STRUCT(name VARCHAR)', 'source': 'STRUCT(ip VARCHAR)',
                   'event': 'STRUCT(outcome VARCHAR)',
                   'azure': 'STRUCT(signinlogs STRUCT(properties STRUCT(app_display_name VARCHAR)))'})
)
SELECT count(*) AS failures, count(DISTINCT app) AS apps, user_name, ip
FROM e WHERE outcome = 'failure'
GROUP BY user_name, ip
HAVING count(*) >= 5
ORDER BY failures DESC, user_name NULLS LAST, ip NULLS LAST
LIMIT 100
