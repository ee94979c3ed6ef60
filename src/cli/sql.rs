//! `esql sql`: print the SQL translation of each query.

use super::args::{DataArgs, QueryInput};
use crate::sql::Dialect;

pub(super) fn sql_cmd(input: QueryInput, at: &DataArgs, dialect: Dialect, uri: Option<&str>) -> i32 {
    let texts = match input.texts() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("esql: {e}");
            return 1;
        }
    };
    let engine = match at.engine(crate::io::OnError::Fail, None) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let mut code = 0;
    for text in &texts {
        // A query that does not plan is a bad query (2); one that plans but has no
        // translation is refused (1).
        if let Err(e) = engine.plan(text) {
            eprint!("{}", e.render(text));
            code = 2;
            continue;
        }
        match engine.translate(text, dialect, uri) {
            Ok(sql) => {
                dialect.setup().iter().for_each(|s| println!("{s};"));
                println!("{sql};");
            }
            Err(e) => {
                eprint!("{}", e.render(text));
                code = code.max(1);
            }
        }
    }
    code
}

/// `esql run --engine spark`: each query translated and run on the Spark Connect server.
pub(super) fn spark_cmd(engine: &crate::engine::Engine, texts: &[String], args: &super::args::RunArgs) -> i32 {
    let Some(url) = &args.spark_remote else {
        eprintln!("esql: --engine spark needs --spark-remote sc://HOST:PORT");
        return 2;
    };
    let mut code = 0;
    for text in texts {
        code = code.max(spark_one(engine, text, url, args));
    }
    code
}

fn spark_one(engine: &crate::engine::Engine, text: &str, url: &str, args: &super::args::RunArgs) -> i32 {
    let plan = match engine.plan(text) {
        Ok(p) => p,
        Err(e) => {
            eprint!("{}", e.render(text));
            return 2;
        }
    };
    let sql = match engine.translate(text, Dialect::Spark, args.uri.as_deref()) {
        Ok(sql) => sql,
        Err(e) => {
            eprint!("{}", e.render(text));
            return 1;
        }
    };
    let started = std::time::Instant::now();
    let batches = match run_on_spark(url, sql) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("esql: {e}");
            return 1;
        }
    };
    match crate::sql::result::read(plan.schema(), &batches) {
        Ok(result) => {
            let took = started.elapsed().as_millis() as u64;
            print!("{}", crate::output::render(&result, args.format, took));
            eprintln!("esql: ran on Spark; Elasticsearch's warnings (multi-values read as null, failed conversions) do not travel");
            0
        }
        Err(e) => {
            eprintln!("esql: Spark's answer: {e}");
            1
        }
    }
}

#[cfg(feature = "spark")]
fn run_on_spark(url: &str, sql: String) -> Result<Vec<arrow::array::RecordBatch>, String> {
    let mut statements: Vec<String> = Dialect::Spark.setup().iter().map(|s| s.to_string()).collect();
    statements.push(sql);
    crate::spark::run(url, &statements)
}

#[cfg(not(feature = "spark"))]
fn run_on_spark(_url: &str, _sql: String) -> Result<Vec<arrow::array::RecordBatch>, String> {
    Err("this esql was built without Spark support: build it with `cargo build --release --features spark`".into())
}
