"""Runs each NNN.sql of a folder in DuckDB and writes its answer as NNN.arrow (an Arrow
IPC file), or the error as NNN.err: the differential oracle of tests/sql_duckdb.rs."""
import pathlib
import sys

import duckdb
import pyarrow as pa

folder = pathlib.Path(sys.argv[1])
con = duckdb.connect()
for sql_file in sorted(folder.glob("*.sql")):
    sql = sql_file.read_text().strip().rstrip(";")
    try:
        table = con.sql(sql).arrow()
        if isinstance(table, pa.RecordBatchReader):
            table = table.read_all()
        with pa.OSFile(str(sql_file.with_suffix(".arrow")), "wb") as f:
            with pa.ipc.new_file(f, table.schema) as w:
                w.write_table(table)
    except Exception as e:  # the test reports it with the query
        sql_file.with_suffix(".err").write_text(f"{type(e).__name__}: {e}")
