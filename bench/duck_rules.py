"""Runs one query of the rule-shape suite in DuckDB, in its own process:
python3 duck_rules.py DATA NOW SQL_FILE [SQL_FILE ...]. The files are run in order ({DATA}: the
NDJSON directory, {NOW}: the pinned now()); the rows of the last statement are printed as CSV."""
import csv, sys
import duckdb

data, now, files = sys.argv[1], sys.argv[2], sys.argv[3:]
con = duckdb.connect()
text = "\n".join(open(f).read() for f in files).replace("{DATA}", data).replace("{NOW}", now)
statements = [s for s in text.split(";") if s.strip() and not all(l.strip().startswith("--") or not l.strip() for l in s.splitlines())]
for s in statements[:-1]:
    con.execute(s)
out = csv.writer(sys.stdout)
for row in con.execute(statements[-1]).fetchall():
    out.writerow(["" if v is None else v for v in row])
