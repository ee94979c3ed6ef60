"""Runs the DuckDB side of the benchmark in its own process: python3 duck.py EVENTS_SQL DATA NOW.
Prints the result rows as CSV (source_ip,event_count,mail,signin,alert,datasets)."""
import sys
import duckdb

events, data, now = sys.argv[1], sys.argv[2], sys.argv[3]
here = __file__.rsplit("/", 1)[0]
con = duckdb.connect()
con.execute(open(events).read().replace("{DATA}", data))
rows = con.execute(open(f"{here}/sql/rule.sql").read().replace("{NOW}", now)).fetchall()
for count, mail, signin, alert, datasets, ip in rows:
    print(f"{ip},{count},{mail},{signin},{alert},{datasets}")
