#!/usr/bin/env bash
# The SQL translation's tests against real engines: DuckDB as a differential oracle
# (tests/sql_duckdb.rs) and Apache Spark through Spark Connect (tests/sql_spark.rs, built
# with the default `spark` feature). Installs Java 17 from Debian and a virtualenv with DuckDB,
# pyarrow and pyspark (which carries Spark and its Connect server) under target/ when
# missing, quietly and once; starts a Spark Connect server on loopback in local mode with
# two cores, and stops it when done.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1
if ! java -version 2>&1 | grep -q 'version "\(17\|2[0-9]\)'; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq openjdk-17-jre-headless >/dev/null 2>&1 ||
    (apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null)
fi
venv=target/clients/sql
marker="$venv/.esql-installed-duckdb-1.4.1-pyspark-4.0.1"
if [ ! -f "$marker" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q duckdb==1.4.1 pyarrow==26.0.1 pyspark==4.0.1
  touch "$marker"
fi
export ESQL_SQL_PYTHON="$PWD/$venv/bin/python" ESQL_REQUIRE_SQL=1
echo "== SQL translation: DuckDB $("$ESQL_SQL_PYTHON" -c 'import duckdb; print(duckdb.__version__)')"
cargo test --release --quiet --test sql_duckdb

# Spark Connect on a free loopback port, in local mode with 2 cores.
export SPARK_HOME
SPARK_HOME=$("$ESQL_SQL_PYTHON" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
port=$("$ESQL_SQL_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=target/spark-connect.log
"$SPARK_HOME/bin/spark-submit" --class org.apache.spark.sql.connect.service.SparkConnectServer \
  --name esql-tests --master 'local[2]' --driver-memory 1g \
  --conf spark.connect.grpc.binding.address=127.0.0.1 --conf spark.connect.grpc.binding.port="$port" \
  --conf spark.ui.enabled=false --conf spark.sql.session.timeZone=UTC spark-internal >"$log" 2>&1 &
spark=$!
trap 'kill $spark 2>/dev/null; wait $spark 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  grep -q "Spark Connect server started" "$log" && break
  kill -0 $spark 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
grep -q "Spark Connect server started" "$log" || { tail -20 "$log"; echo "Spark Connect did not start"; exit 1; }
echo "== SQL translation: Spark $("$ESQL_SQL_PYTHON" -c 'import pyspark; print(pyspark.__version__)') (Spark Connect on 127.0.0.1:$port)"
ESQL_SPARK_REMOTE="sc://127.0.0.1:$port" cargo test --release --quiet --test sql_spark
