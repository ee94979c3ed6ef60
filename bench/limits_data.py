"""Writes the hostile inputs bench/limits.sh measures into the folder given."""
import gzip, json, os, sys

work = sys.argv[1]
def path(*p):
    os.makedirs(os.path.join(work, *p[:-1]), exist_ok=True)
    return os.path.join(work, *p)

with gzip.open(path("nul", "x.ndjson.gz"), "wb", compresslevel=1) as f:
    block = b"\0" * (1 << 24)
    for _ in range(64):
        f.write(block)
open(path("or.esql"), "w").write("ROW a = 1 | WHERE " + " OR ".join(f"a == {i}" for i in range(5000)))
open(path("plus.esql"), "w").write("ROW a = 1 | EVAL b = " + " + ".join("a" for _ in range(100000)))
with open(path("rows", "t.ndjson"), "w") as f:
    f.writelines(f'{{"n":{i}}}\n' for i in range(25000))
pad = "x" * 400
with open(path("wide", "t.ndjson"), "w") as f:
    f.writelines(f'{{"n":{(i * 7919) % 900000},"pad":"{pad}{i}"}}\n' for i in range(900000))
with open(path("groups", "t.ndjson"), "w") as f:
    f.writelines(f'{{"k":"u{i}"}}\n' for i in range(5000000))
open(path("evals.esql"), "w").write("ROW a = 1" + "".join(f" | EVAL x{i} = a + {i}" for i in range(8000)))
open(path("in.esql"), "w").write("ROW a = 5 | WHERE a IN (" + ", ".join(str(i) for i in range(100000)) + ")")
for n, name in [(2000, "grok2k.esql"), (20000, "grok20k.esql")]:
    text = ",".join(str(i) for i in range(n))
    pattern = ",".join(f"%{{INT:f{i}}}" for i in range(n))
    open(path(name), "w").write(f'ROW s = "{text}" | GROK s "{pattern}"')
