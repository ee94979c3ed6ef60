WITH e AS (
    SELECT event.action AS action, user.name AS user_name
    FROM read_ndjson('{DATA}/logs-o365.audit-default.ndjson',
        columns = {'event': 'STRUCT(action VARCHAR)', 'user': 'STRUCT(name VARCHAR)'})
)
SELECT count(*) AS events, count(DISTINCT user_name) AS users, action
FROM e WHERE regexp_full_match(action, '(Mail|File).*Access.*')
GROUP BY action ORDER BY action NULLS LAST
