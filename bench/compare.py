"""Side-by-side benchmark of `esql run`, DuckDB and (on Parquet) Polars on the case-fixed seed rule.

Generates N events with `esql gen` (once), converts them to Parquet (once), then runs each
engine RUNS times in fresh processes, checks that all return the same rows, and prints the
median wall time, throughput over the NDJSON (or Parquet) bytes, and peak RSS.
"""
import argparse, csv, io, os, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ESQL = os.path.join(ROOT, "target", "release", "esql")
RULE = os.path.join(ROOT, "queries", "m365_entra_signin_from_suspicious_source.case-fixed.esql")
NOW = "2025-07-30T12:00:00Z"


def run(cmd, env=None):
    """(seconds, stdout) of one process; stops the benchmark if it fails."""
    start = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, env=env)
    secs = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{p.stderr.decode()}")
    return secs, p.stdout.decode()


def timed(cmd, runs, env=None):
    """Median seconds, peak RSS (MB) and the output of `runs` runs."""
    times, peaks, out = [], [], ""
    for _ in range(runs):
        wrapped = ["/usr/bin/time", "-f", "%M", "-o", "/tmp/esql-bench-rss"] + cmd
        secs, out = run(wrapped, env)
        times.append(secs)
        peaks.append(int(open("/tmp/esql-bench-rss").read().split()[-1]) / 1024)
    return statistics.median(times), max(peaks), out


def esql_rows(out):
    rows = []
    for r in csv.DictReader(io.StringIO(out)):
        rows.append(",".join([r["Esql.source_ip"], r["Esql.event_count"],
                              r["Esql.source_ip_mail_access_case_count_distinct"],
                              r["Esql.source_ip_azure_signin_case_count_distinct"],
                              r["Esql.source_ip_network_alert_case_count_distinct"],
                              r["Esql.event_dataset_count_distinct"]]))
    return sorted(rows)


def size(d):
    return sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d) if not f.startswith("_"))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default=None, help="where the data sets live (default: /tmp/esql-bench-N)")
    ap.add_argument("--suite", choices=["seed", "rules", "all"], default="seed",
                    help="seed: the seed rule in every format (default); rules: the rule-shape suite (rules.py)")
    args = ap.parse_args()
    base = args.dir or f"/tmp/esql-bench-{args.events}"
    ndjson, parquet = os.path.join(base, "ndjson"), os.path.join(base, "parquet")
    if not os.path.isdir(ndjson):
        subprocess.run([ESQL, "gen", "--events", str(args.events), "--out", ndjson], check=True)
    if args.suite in ("rules", "all"):
        import rules
        print(f"{args.events} events, NDJSON {size(ndjson) / 1e6:.0f} MB; medians of {args.runs} runs")
        rules.report(rules.run_suite(ndjson, args.runs))
        if args.suite == "rules":
            return
    if not os.path.isdir(parquet):
        subprocess.run([ESQL, "convert", "--data", ndjson, "--to", "parquet", "--out", parquet], check=True)
    nd_mb, pq_mb = size(ndjson) / 1e6, size(parquet) / 1e6
    duck = lambda events, data: [sys.executable, os.path.join(HERE, "duck.py"), os.path.join(HERE, "sql", events), data, NOW.replace("T", " ").rstrip("Z")]
    polars = lambda data: [sys.executable, os.path.join(HERE, "polars_rule.py"), data, NOW.rstrip("Z")]
    rule = lambda data, *extra: [ESQL, "run", RULE, "--data", data, "--now", NOW, "--format", "csv", *extra]

    # The first run over new files also discovers their fields; later runs read them from
    # the cache. Shown apart so that neither number hides the other.
    cold = tempfile.mkdtemp()
    first, first_rss, _ = timed(rule(ndjson), 1, dict(os.environ, ESQL_CACHE_DIR=cold))
    shutil.rmtree(cold, ignore_errors=True)

    cases = [
        ("esql NDJSON (2 threads)", rule(ndjson), nd_mb, "esql"),
        ("esql NDJSON (--threads 1)", rule(ndjson, "--threads", "1"), nd_mb, "esql"),
        ("duckdb NDJSON (auto schema)", duck("events-ndjson-auto.sql", ndjson), nd_mb, "duck"),
        ("duckdb NDJSON (declared columns)", duck("events-ndjson-declared.sql", ndjson), nd_mb, "duck"),
        ("esql Parquet (2 threads)", rule(parquet), pq_mb, "esql"),
        ("duckdb Parquet", duck("events-parquet.sql", parquet), pq_mb, "duck"),
        ("polars Parquet (lazy)", polars(parquet), pq_mb, "duck"),
    ]
    results, answers = [], {}
    for name, cmd, mb, kind in cases:
        secs, rss, out = timed(cmd, args.runs)
        answers[name] = esql_rows(out) if kind == "esql" else sorted(out.split())
        results.append((name, secs, mb, rss))
    reference = answers[cases[0][0]]
    for name, rows in answers.items():
        if rows != reference:
            sys.exit(f"MISMATCH: {name} returned\n" + "\n".join(rows) + "\nexpected\n" + "\n".join(reference))
    print(f"{args.events} events: NDJSON {nd_mb:.0f} MB, Parquet {pq_mb:.0f} MB; {len(reference)} alert rows, identical in all engines")
    print(f"esql first run on new files (field discovery + query, cold cache): {first:.2f} s, peak RSS {first_rss:.0f} MB")
    print(f"{'engine':36} {'median s':>9} {'MB/s':>8} {'peak RSS MB':>12}")
    for name, secs, mb, rss in results:
        print(f"{name:36} {secs:9.2f} {mb / secs:8.0f} {rss:12.0f}")
    t = {name: secs for name, secs, _, _ in results}
    for ours, theirs in [("esql NDJSON (2 threads)", "duckdb NDJSON (auto schema)"),
                         ("esql NDJSON (2 threads)", "duckdb NDJSON (declared columns)"),
                         ("esql Parquet (2 threads)", "duckdb Parquet"),
                         ("esql Parquet (2 threads)", "polars Parquet (lazy)")]:
        print(f"{theirs} / {ours}: {t[theirs] / t[ours]:.2f}x")


if __name__ == "__main__":
    main()
