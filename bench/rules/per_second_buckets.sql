WITH e AS (
    SELECT "@timestamp"::TIMESTAMP AS ts
    FROM read_ndjson('{DATA}/logs-*.ndjson', columns = {'@timestamp': 'VARCHAR'})
)
SELECT count(*) AS events, strftime(date_trunc('second', ts), '%Y-%m-%dT%H:%M:%S.%gZ') AS second
FROM e GROUP BY date_trunc('second', ts)
ORDER BY events DESC, date_trunc('second', ts)
LIMIT 10
