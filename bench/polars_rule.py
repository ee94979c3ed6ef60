"""Runs the Polars side of the benchmark in its own process: python3 polars_rule.py DATA NOW.
The case-fixed seed rule over the Parquet files `esql convert` wrote, as bench/sql/rule.sql
spells it for DuckDB (lazy scan, so only the six columns are read). Prints the result rows
as CSV (source_ip,event_count,mail,signin,alert,datasets)."""
import sys
from datetime import datetime, timedelta

import polars as pl

data, now = sys.argv[1], datetime.fromisoformat(sys.argv[2])
FILES = ["logs-o365.audit-default", "logs-azure.signinlogs-default", "~alerts-security.alerts-default"]
FIELDS = {"@timestamp": "ts", "source.ip": "ip", "event.dataset": "dataset", "event.action": "action",
          "event.outcome": "outcome", "kibana.alert.rule.name": "rule_name"}


def events(path):
    """One file's six fields; a field with several values reads as null, as in ES|QL."""
    lf = pl.scan_parquet(f"{data}/{path}.parquet")
    have = lf.collect_schema().names()
    cols = []
    for field, name in FIELDS.items():
        if field in have:
            c = pl.col(field)
            cols.append(pl.when(c.list.len() == 1).then(c.list.first()).alias(name))
        else:
            cols.append(pl.lit(None).alias(name))
    out = lf.select(cols)
    ts = pl.col("ts")
    return out.with_columns(ts.cast(pl.String).str.to_datetime(time_zone=None, strict=False)
                            if out.collect_schema()["ts"] == pl.String else ts.cast(pl.Datetime("ms")))


ev = pl.concat([events(f) for f in FILES], how="diagonal_relaxed")
nip = pl.col("ip").cast(pl.String).str.replace(r"^::ffff:", "").str.to_lowercase()
octets = nip.str.split(".").list.eval(pl.element().cast(pl.Int64, strict=False))
n4 = (pl.when(nip.str.contains(r"^\d+\.\d+\.\d+\.\d+$"))
      .then(octets.list.get(0) * 16777216 + octets.list.get(1) * 65536 + octets.list.get(2) * 256 + octets.list.get(3)))
N = pl.col("n4")
v4_reserved = ((N // 16777216 == 10) | (N // 16777216 == 127) | (N // 65536 == 169 * 256 + 254)
               | (N // 1048576 == (172 * 256 + 16) // 16) | (N // 256 == (192 * 256 + 0) * 256 + 0)
               | (N // 256 == (192 * 256 + 0) * 256 + 2) | (N // 256 == (192 * 256 + 31) * 256 + 196)
               | (N // 256 == (192 * 256 + 52) * 256 + 193) | (N // 65536 == 192 * 256 + 168)
               | (N // 256 == (192 * 256 + 88) * 256 + 99) | (N // 268435456 == 14)
               | (N // 4194304 == (100 * 256 + 64) // 64) | (N // 256 == (192 * 256 + 175) * 256 + 48)
               | (N // 131072 == (198 * 256 + 18) // 2) | (N // 256 == (198 * 256 + 51) * 256 + 100)
               | (N // 256 == (203 * 256 + 0) * 256 + 113) | (N // 268435456 == 15))
NIP = pl.col("nip")
v6_reserved = (NIP == "::1") | NIP.str.contains(r"^fe[89ab][0-9a-f]:") | NIP.str.contains(r"^ff..:")
reserved = pl.when(N.is_not_null()).then(v4_reserved).otherwise(v6_reserved).fill_null(False)
ds, out = pl.col("dataset"), pl.col("outcome")
known = ds.is_in(["o365.audit", "azure.signinlogs"])
rows = (ev.with_columns(nip.alias("nip"), n4.alias("n4"))
        .filter((pl.col("ts") > now - timedelta(hours=8)) & pl.col("ip").is_not_null()
                & (known | (pl.col("rule_name") == "External Alerts")).fill_null(False) & ~reserved)
        .group_by("nip")
        .agg(pl.len().alias("event_count"),
             NIP.filter((ds == "o365.audit") & (pl.col("action") == "MailItemsAccessed") & (out == "success")).n_unique().alias("mail"),
             NIP.filter((ds == "azure.signinlogs") & (out == "success")).n_unique().alias("signin"),
             NIP.filter((pl.col("rule_name") == "External Alerts") & ~known).n_unique().alias("alert"),
             ds.drop_nulls().n_unique().alias("datasets"))
        .filter((pl.col("alert") > 0) & (pl.col("datasets") >= 2) & ((pl.col("mail") > 0) | (pl.col("signin") > 0))
                & (pl.col("event_count") <= 100))
        .sort("nip")
        .collect())
for r in rows.iter_rows(named=True):
    print(f"{r['nip']},{r['event_count']},{r['mail']},{r['signin']},{r['alert']},{r['datasets']}")
