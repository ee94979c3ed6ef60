"""The rule-shape suite: esql against DuckDB on queries shaped like detection rules (no time
filter, high-cardinality STATS BY, DISSECT, GROK, LIKE, RLIKE, MV_EXPAND, SORT ... LIMIT,
CIDR_MATCH, IN, buckets) and the case-fixed seed rule, over the NDJSON `esql gen` writes.

Each query is `bench/rules/NAME.esql` with its DuckDB SQL beside it (`NAME.sql`, hand-written,
columns declared: DuckDB's strongest NDJSON setup). Every engine runs in fresh processes; the
answers must be the same rows. esql runs cold (an empty field-discovery cache: the first query
over new files) and warm (the cache filled by a full discovery of the same indices); DuckDB keeps
nothing between processes. The OS page cache is warm for all.
"""
import csv, io, math, os, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare import ESQL, NOW, RULE, timed  # noqa: E402

# The seed rule sorts by IP, in byte order; its SQL by text: its rows are compared as a set.
SEED = ("seed_rule (case-fixed)", RULE, [os.path.join(HERE, "sql", "events-ndjson-declared.sql"),
                                         os.path.join(HERE, "sql", "rule.sql")], [0, 1, 2, 3, 4, 8])


def queries():
    """(name, .esql path, SQL files, esql columns compared or None for all)."""
    rules = os.path.join(HERE, "rules")
    out = [SEED]
    for f in sorted(os.listdir(rules)):
        if f.endswith(".esql"):
            name = f[:-5]
            out.append((name, os.path.join(rules, f), [os.path.join(rules, name + ".sql")], None))
    return out


def cell(v):
    """One value as both engines can be compared: numbers by value, the rest as text."""
    try:
        f = float(v)
    except ValueError:
        return v
    if math.isnan(f):
        return v
    return repr(round(f, 6)) if f != int(f) else str(int(f))


def rows(out, pick=None, header=True):
    table = list(csv.reader(io.StringIO(out)))[1 if header else 0:]
    return [[cell(r[k]) for k in (pick if pick is not None else range(len(r)))] for r in table]


def run_suite(ndjson, runs):
    """Per query: (name, esql cold s, esql warm s, duckdb s, rows)."""
    results = []
    for name, path, sql, pick in queries():
        esql = [ESQL, "run", path, "--data", ndjson, "--now", NOW, "--format", "csv"]
        cold_times = []
        for _ in range(runs):
            cache = tempfile.mkdtemp(prefix="esql-cold-")
            secs, _, cold_out = timed(esql, 1, dict(os.environ, ESQL_CACHE_DIR=cache))
            subprocess.run(["rm", "-rf", cache])
            cold_times.append(secs)
        warm = tempfile.mkdtemp(prefix="esql-warm-")
        env = dict(os.environ, ESQL_CACHE_DIR=warm)
        subprocess.run(esql, env=dict(env, ESQL_DISCOVERY="full"), capture_output=True, check=True)
        warm_secs, _, warm_out = timed(esql, runs, env)
        subprocess.run(["rm", "-rf", warm])
        duck = [sys.executable, os.path.join(HERE, "duck_rules.py"), ndjson, NOW.replace("T", " ").rstrip("Z"), *sql]
        duck_secs, _, duck_out = timed(duck, runs)
        ours, theirs = rows(cold_out, pick), rows(duck_out, header=False)
        if pick is not None:
            ours, theirs = sorted(ours), sorted(theirs)
        if ours != theirs or sorted(rows(warm_out, pick)) != sorted(ours):
            sys.exit(f"MISMATCH in {name}:\nesql\n{ours}\nduckdb\n{theirs}")
        results.append((name, statistics.median(cold_times), warm_secs, duck_secs, len(ours)))
    return results


def report(results):
    print(f"{'query':32} {'rows':>5} {'esql cold':>10} {'esql warm':>10} {'duckdb':>8} {'cold x':>7} {'warm x':>7}")
    for name, cold, warm, duck, n in results:
        print(f"{name:32} {n:5} {cold:10.2f} {warm:10.2f} {duck:8.2f} {duck / cold:7.2f} {duck / warm:7.2f}")
    geo = lambda xs: math.exp(sum(math.log(x) for x in xs) / len(xs))
    cold_x = geo([d / c for _, c, _, d, _ in results])
    warm_x = geo([d / w for _, _, w, d, _ in results])
    slower = [n for n, c, w, d, _ in results if c >= d or w >= d]
    print(f"geometric mean of DuckDB / esql: cold {cold_x:.2f}x, warm {warm_x:.2f}x")
    print("esql faster than DuckDB on every query, cold and warm" if not slower
          else f"esql not faster on: {', '.join(slower)}")
