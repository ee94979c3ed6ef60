WITH e AS (
    SELECT event.type AS types, event.outcome AS outcome
    FROM read_ndjson('{DATA}/logs-o365.audit-default.ndjson',
        columns = {'event': 'STRUCT(type VARCHAR[], outcome VARCHAR)'})
), x AS (
    -- Keyword values come back deduplicated, as doc values, and a document without any keeps one null row.
    SELECT unnest(CASE WHEN len(list_distinct(types)) > 0 THEN list_distinct(types) ELSE [NULL] END) AS t, outcome
    FROM e
)
SELECT count(*) AS events, t, outcome
FROM x GROUP BY t, outcome ORDER BY t NULLS LAST, outcome NULLS LAST
