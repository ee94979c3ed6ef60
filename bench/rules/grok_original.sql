WITH e AS (
    SELECT "event.original" AS original
    FROM read_ndjson('{DATA}/logs-o365.audit-default.ndjson', columns = {'event.original': 'VARCHAR'})
)
SELECT count(*) AS events, nullif(regexp_extract(original, '"ClientIPAddress":"([0-9a-fA-F:.]+)"', 1), '') AS client_ip
FROM e GROUP BY client_ip
ORDER BY events DESC, client_ip NULLS LAST
LIMIT 10
