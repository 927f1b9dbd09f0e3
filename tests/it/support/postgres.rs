//! A PostgreSQL database of its own for each test, on the server `HANCHOT_TEST_POSTGRES_URL` names
//! (`.ci/run` starts one): tests run in parallel and never see each other's rows.

use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;
use sqlx::postgres::PgConnection;

/// The variable naming the server the Postgres tests use.
pub const SERVER: &str = "HANCHOT_TEST_POSTGRES_URL";

/// The address of a new, empty database on the test server; `None` (said in one line) when no
/// server is set, which fails the test where CI is set: CI must run the Postgres tests.
pub async fn fresh_database(test: &str) -> Option<String> {
    let Ok(server) = std::env::var(SERVER) else {
        // Once for the run, and past the test harness's capture (which only `eprintln!` meets).
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| {
            let _ = writeln!(
                std::io::stderr(),
                "\nPostgreSQL tests skipped: {SERVER} is not set (`source .ci/postgres.sh; start_test_postgres` starts a server)"
            );
        });
        assert!(std::env::var_os("CI").is_none(), "{test}: CI must run the PostgreSQL tests: set {SERVER}");
        return None;
    };
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!("hanchot_{}_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst), test);
    let name: String = name.chars().take(63).collect();
    let mut admin = PgConnection::connect(&server).await.unwrap_or_else(|e| panic!("{SERVER}={server}: {e}"));
    sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut admin).await.unwrap();
    admin.close().await.unwrap();
    let mut url = url::Url::parse(&server).expect("a valid address");
    url.set_path(&name);
    Some(url.to_string())
}

/// The databases a store test runs on: SQLite in memory, and a new PostgreSQL database on the
/// test server when one is set (see [`fresh_database`]).
#[allow(dead_code)] // Not every test file runs on both.
pub async fn databases(test: &str) -> Vec<String> {
    let mut urls = vec!["sqlite::memory:".to_owned()];
    urls.extend(fresh_database(test).await);
    urls
}
