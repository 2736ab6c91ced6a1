//! Shared by the server's integration tests: tiny instances and request helpers.
#![allow(dead_code, clippy::unwrap_used)]

use serde_json::{Value, json};

/// A 4-city square of side 10: every solver finds the optimum 40.
pub const SQUARE: &str = "NAME: square\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EUC_2D\n\
NODE_COORD_SECTION\n1 0 0\n2 10 0\n3 10 10\n4 0 10\nEOF\n";

/// A 3x3 job shop (OR-Library format).
pub const JSSP3: &str = "3 3\n0 3 1 2 2 2\n0 2 2 1 1 4\n1 4 2 3 0 1\n";

/// A tiny CVRP: depot + 4 customers, capacity 10.
pub const CVRP5: &str = "NAME : tiny\nTYPE : CVRP\nDIMENSION : 5\nEDGE_WEIGHT_TYPE : EUC_2D\n\
CAPACITY : 10\nNODE_COORD_SECTION\n1 0 0\n2 0 10\n3 10 0\n4 0 -10\n5 -10 0\n\
DEMAND_SECTION\n1 0\n2 5\n3 5\n4 5\n5 5\nDEPOT_SECTION\n1\n-1\nEOF\n";

/// A tiny MILP in CPLEX LP format (optimum 2 at x = 1, y = 1... maximise x + y).
pub const LP: &str = "Maximize\n obj: x + y\nSubject To\n c1: x + 2 y <= 3\n c2: 2 x + y <= 3\n\
Bounds\n 0 <= x <= 10\n 0 <= y <= 10\nGenerals\n x y\nEnd\n";

/// A random uniform TSPLIB instance (the problems crate's seeded generator), for solves that
/// run until their limit.
pub fn random_tsp(n: usize, seed: u64) -> String {
    quotient_problems::tsp::write_tsplib(&quotient_problems::tsp::uniform(n, seed))
}

/// A solve body.
pub fn solve_body(format: &str, instance: &str, options: Value) -> Value {
    json!({ "format": format, "instance": instance, "options": options })
}

/// A job that runs until cancelled (tsp.ils on 200 cities, one thread, 30 s).
pub fn long_job() -> Value {
    solve_body(
        "tsplib",
        &random_tsp(200, 7),
        json!({"solver": "tsp.ils", "time_limit": 30, "threads": 1}),
    )
}

/// The PostgreSQL the tests use: `QUOTIENT_TEST_PG`, or the machine's server on 127.0.0.1.
pub fn pg_url() -> String {
    std::env::var("QUOTIENT_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A schema name of its own for one test (tests run in parallel against one database).
pub fn fresh_schema() -> String {
    format!("t_{:016x}", rand::random::<u64>())
}

/// A PostgreSQL store in a fresh schema, or `None` (with a loud SKIPPED line) when no server
/// answers. In CI (`CI=true`) a missing server fails the test instead.
pub async fn pg_store(
    settings: quotient_server::StoreSettings,
    schema: &str,
) -> Option<std::sync::Arc<dyn quotient_server::JobStore>> {
    let opts = quotient_server::PgStoreOptions {
        schema: schema.to_string(),
        max_connections: 4,
    };
    match quotient_server::PgStore::connect(&pg_url(), settings, opts).await {
        Ok(s) => Some(std::sync::Arc::new(s)),
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!(
                "CI=true and PostgreSQL is not reachable at {}: {e}",
                pg_url()
            )
        }
        Err(e) => {
            eprintln!("SKIPPED: PostgreSQL not reachable at {}: {e}", pg_url());
            None
        }
    }
}

/// Drop a test's schema (and everything in it).
pub async fn drop_schema(schema: &str) {
    use sqlx::Connection;
    if let Ok(mut c) = sqlx::PgConnection::connect(&pg_url()).await {
        let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .execute(&mut c)
            .await;
    }
}
