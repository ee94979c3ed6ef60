WITH e AS (
    SELECT azure.signinlogs.properties.user_principal_name AS upn
    FROM read_ndjson('{DATA}/logs-azure.signinlogs-default.ndjson',
        columns = {'azure': 'STRUCT(signinlogs STRUCT(properties STRUCT(user_principal_name VARCHAR)))'})
), d AS (
    SELECT CASE WHEN regexp_full_match(upn, '[^@]*@.*') THEN regexp_extract(upn, '^([^@]*)@', 1) END AS account,
           CASE WHEN regexp_full_match(upn, '[^@]*@.*') THEN regexp_extract(upn, '^[^@]*@(.*)$', 1) END AS tenant
    FROM e
)
SELECT count(*) AS events, tenant, account
FROM d GROUP BY tenant, account
ORDER BY events DESC, account NULLS LAST, tenant NULLS LAST
LIMIT 20
