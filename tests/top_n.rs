//! SORT … LIMIT n keeps, batch by batch, only the first n rows of each batch: its answer
//! must be the first n rows of the whole sorted input, ties in input order, for keys with
//! nulls and multi-values, over several batches, on one thread and two.

use std::process::Command;

fn esql(data: &std::path::Path, query: &str, threads: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(["run", "--data"])
        .arg(data)
        .args(["--format", "csv", "--threads", threads, "-e", query])
        .output()
        .expect("esql runs");
    assert!(out.status.success(), "{query}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

#[test]
fn the_first_n_rows_are_those_of_the_full_sort() {
    let dir = std::env::temp_dir().join(format!("esql-top-n-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let mut docs = String::new();
    // 30,000 rows: four batches; `a` has many ties, nulls and multi-values.
    for i in 0u64..30_000 {
        let h = i.wrapping_mul(2_654_435_761) % 1000;
        let a = match h % 10 {
            0 => "null".to_string(),
            1 => format!("[{}, {}]", h % 50, (h * 7) % 50),
            _ => (h % 50).to_string(),
        };
        docs.push_str(&format!("{{\"a\":{a},\"b\":\"k{}\",\"i\":{i}}}\n", h % 13));
    }
    std::fs::write(dir.join("t.ndjson"), docs).expect("write");
    let shapes = [
        "FROM t | SORT a DESC, b | KEEP i, a, b",
        "FROM t | SORT a, b DESC | KEEP i, a, b",
        "FROM t | SORT a NULLS FIRST | KEEP i, a",
        "FROM t | STATS c = count(*) BY b | SORT c DESC, b",
        "FROM t | STATS c = count(*) BY i | SORT c, i DESC",
    ];
    for threads in ["1", "2"] {
        for shape in shapes {
            let all = esql(&dir, &format!("{shape} | LIMIT 100000"), threads);
            for n in [1usize, 7, 5_000, 9_000] {
                let top = esql(&dir, &format!("{shape} | LIMIT {n}"), threads);
                let want: Vec<String> = all.iter().take(n + 1).cloned().collect();
                assert_eq!(top, want, "{shape} | LIMIT {n}, {threads} thread(s)");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
