WITH e AS (
    SELECT "@timestamp"::TIMESTAMP AS ts, user.id AS uid
    FROM read_ndjson('{DATA}/logs-azure.signinlogs-default.ndjson',
        columns = {'@timestamp': 'VARCHAR', 'user': 'STRUCT(id VARCHAR)'})
)
SELECT count(*) AS events, strftime(max(ts), '%Y-%m-%dT%H:%M:%S.%gZ') AS last_seen, uid
FROM e GROUP BY uid
ORDER BY events DESC, uid NULLS LAST
LIMIT 10
