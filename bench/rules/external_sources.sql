-- event.dataset of a logs-* index is its data stream's dataset, written here as a constant.
WITH e AS (
    SELECT source.ip AS ip, user.name AS user_name, 'azure.signinlogs' AS dataset
    FROM read_ndjson('{DATA}/logs-azure.signinlogs-default.ndjson',
        columns = {'source': 'STRUCT(ip VARCHAR)', 'user': 'STRUCT(name VARCHAR)'})
    UNION ALL
    SELECT source.ip, user.name, 'o365.audit'
    FROM read_ndjson('{DATA}/logs-o365.audit-default.ndjson',
        columns = {'source': 'STRUCT(ip VARCHAR)', 'user': 'STRUCT(name VARCHAR)'})
), v4 AS (
    SELECT *, CASE WHEN regexp_full_match(ip, '\d+\.\d+\.\d+\.\d+') THEN
        list_reduce(list_transform(string_split(ip, '.'), lambda x: x::BIGINT), lambda a, b: a * 256 + b)
    END AS n4 FROM e WHERE ip IS NOT NULL
)
SELECT count(*) AS events, count(DISTINCT user_name) AS users, dataset
FROM v4
WHERE n4 IS NULL OR NOT (n4 // 16777216 = 10 OR n4 // 1048576 = (172 * 256 + 16) // 16
                         OR n4 // 65536 = 192 * 256 + 168 OR n4 // 16777216 = 127)
GROUP BY dataset ORDER BY dataset
