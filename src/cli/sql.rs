//! `esql sql`: print the SQL translation of each query.

use super::args::{DataArgs, QueryInput};
use crate::engine::Engine;
use crate::plan::LogicalPlan;
use crate::sql::Dialect;

pub(super) fn sql_cmd(input: QueryInput, at: &DataArgs, dialect: Dialect, uri: Option<&str>) -> i32 {
    let (texts, engine) = match super::args::texts_and_engine(input, at) {
        Ok(te) => te,
        Err(code) => return code,
    };
    let mut code = 0;
    for text in &texts {
        match translate(&engine, text, dialect, uri) {
            Ok((_, sql)) => dialect.statements(sql).iter().for_each(|s| println!("{s};")),
            Err(c) => code = code.max(c),
        }
    }
    code
}

/// `text` planned once and translated; a failure is rendered on stderr and given as the
/// exit code: 2 for a query that does not plan, 1 for one without a translation.
fn translate(engine: &Engine, text: &str, dialect: Dialect, uri: Option<&str>) -> Result<(LogicalPlan, String), i32> {
    let plan = engine.plan(text).map_err(|e| {
        eprint!("{}", e.render(text));
        2
    })?;
    match engine.translate_plan(&plan, dialect, uri) {
        Ok(sql) => Ok((plan, sql)),
        Err(r) => {
            eprint!("{}", crate::engine::translate::refused(&r, text).render(text));
            Err(1)
        }
    }
}

/// `esql run --engine spark`: each query translated and run on the Spark Connect server.
pub(super) fn spark_cmd(engine: &Engine, texts: &[String], args: &super::args::RunArgs) -> i32 {
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

fn spark_one(engine: &Engine, text: &str, url: &str, args: &super::args::RunArgs) -> i32 {
    let (plan, sql) = match translate(engine, text, Dialect::Spark, args.uri.as_deref()) {
        Ok(ps) => ps,
        Err(code) => return code,
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
    crate::spark::run(url, &Dialect::Spark.statements(sql))
}

#[cfg(not(feature = "spark"))]
fn run_on_spark(_url: &str, _sql: String) -> Result<Vec<arrow::array::RecordBatch>, String> {
    Err("this esql was built without Spark support: build it with default features".into())
}
