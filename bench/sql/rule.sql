-- The rest of the case-fixed seed rule over the view `ev` (ts, ip, dataset, action,
-- outcome, rule_name): IPv4-mapped IPv6 addresses fold to IPv4 as Elasticsearch's ip type
-- does, the reserved-range test is spelled out per block. {NOW}: the pinned now().
WITH norm AS (
    SELECT *, lower(regexp_replace(ip, '^::ffff:', '')) AS nip FROM ev
),
v4 AS (
    SELECT *,
        CASE WHEN regexp_full_match(nip, '\d+\.\d+\.\d+\.\d+') THEN
            list_reduce(list_transform(string_split(nip, '.'), lambda x: x::BIGINT), lambda a, b: a * 256 + b)
        END AS n4
    FROM norm
),
f AS (
    SELECT * FROM v4
    WHERE ts > TIMESTAMP '{NOW}' - INTERVAL 8 HOUR
      AND ip IS NOT NULL
      AND (dataset IN ('o365.audit', 'azure.signinlogs') OR rule_name = 'External Alerts')
      AND NOT coalesce(
          CASE WHEN n4 IS NOT NULL THEN
               n4 // 16777216 = 10 OR n4 // 16777216 = 127 OR n4 // 65536 = 169 * 256 + 254
            OR n4 // 1048576 = (172 * 256 + 16) // 16 OR n4 // 256 = (192 * 256 + 0) * 256 + 0
            OR n4 // 256 = (192 * 256 + 0) * 256 + 2 OR n4 // 256 = (192 * 256 + 31) * 256 + 196
            OR n4 // 256 = (192 * 256 + 52) * 256 + 193 OR n4 // 65536 = 192 * 256 + 168
            OR n4 // 256 = (192 * 256 + 88) * 256 + 99 OR n4 // 268435456 = 14
            OR n4 // 4194304 = (100 * 256 + 64) // 64 OR n4 // 256 = (192 * 256 + 175) * 256 + 48
            OR n4 // 131072 = (198 * 256 + 18) // 2 OR n4 // 256 = (198 * 256 + 51) * 256 + 100
            OR n4 // 256 = (203 * 256 + 0) * 256 + 113 OR n4 // 268435456 = 15
          ELSE nip = '::1' OR regexp_matches(nip, '^fe[89ab][0-9a-f]:') OR nip LIKE 'ff__:%'
          END, false)
)
SELECT
    count(*) AS event_count,
    count(DISTINCT CASE WHEN dataset = 'o365.audit' AND action = 'MailItemsAccessed' AND outcome = 'success' THEN nip END) AS mail,
    count(DISTINCT CASE WHEN dataset = 'azure.signinlogs' AND outcome = 'success' THEN nip END) AS signin,
    count(DISTINCT CASE WHEN rule_name = 'External Alerts' AND dataset NOT IN ('o365.audit', 'azure.signinlogs') THEN nip END) AS alert,
    count(DISTINCT dataset) AS datasets,
    nip AS source_ip
FROM f
GROUP BY nip
HAVING alert > 0 AND datasets >= 2 AND (mail > 0 OR signin > 0) AND event_count <= 100
ORDER BY source_ip
