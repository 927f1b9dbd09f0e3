//! The container image's steps where Docker is absent: the Dockerfile's environment, entry point
//! and health check, run with the binary built here. The bot starts with the image's settings
//! (the port and `/data` moved to a free port and a temporary folder) and `hanchot healthcheck`,
//! as `HEALTHCHECK` runs it, answers 0 while it runs and 1 when nothing answers.

use crate::support;

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::fake_bot_api::FakeBotApi;

const DOCKERFILE: &str = include_str!("../../Dockerfile");

/// The instructions of the run stage (after the last `FROM`), continuation lines joined.
fn run_stage() -> Vec<(String, String)> {
    let joined = DOCKERFILE.replace("\\\n", " ");
    let stage = joined.rsplit_once("\nFROM ").map(|(_, stage)| stage).expect("a multi-stage build");
    stage
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(' ').map(|(i, rest)| (i.to_owned(), rest.trim().to_owned())))
        .collect()
}

/// A JSON-array instruction (`["hanchot", "healthcheck"]`).
fn exec_form(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not exec form: {text}: {e}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_image_environment_runs_the_bot_and_its_healthcheck_answers() {
    let stage = run_stage();
    let get = |name: &str| stage.iter().filter(|(i, _)| i == name).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    assert!(get("USER").iter().all(|u| u != "root" && u != "0") && !get("USER").is_empty(), "a non-root user");
    assert!(get("VOLUME").iter().any(|v| v.contains("/data")), "the database in /data");
    assert!(DOCKERFILE.matches("FROM ").count() >= 2, "multi-stage");
    let mut env: HashMap<String, String> = HashMap::new();
    for line in get("ENV") {
        for pair in line.split_whitespace() {
            let (key, value) = pair.split_once('=').expect("ENV KEY=value");
            env.insert(key.to_owned(), value.to_owned());
        }
    }
    assert!(!env.contains_key("TELOXIDE_TOKEN"), "no token in the image");
    let entrypoint = exec_form(&get("ENTRYPOINT")[0]);
    let cmd = exec_form(&get("CMD")[0]);
    let healthcheck = get("HEALTHCHECK")[0].clone();
    let check = exec_form(healthcheck.split_once("CMD ").expect("HEALTHCHECK … CMD [...]").1);
    assert_eq!(check.last().map(String::as_str), Some("healthcheck"));
    // The image copies config/default.toml to the path its entry point names.
    let config_in_image = get("COPY").into_iter().find(|c| c.starts_with("config/default.toml")).expect("the config");
    let config_path = config_in_image.split_whitespace().nth(1).unwrap().to_owned();
    let here = concat!(env!("CARGO_MANIFEST_DIR"), "/config/default.toml");
    let local = |args: &[String]| -> Vec<String> {
        args.iter().skip(1).map(|a| if *a == config_path { here.to_owned() } else { a.clone() }).collect()
    };

    let api = FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let data = dir.path().display().to_string();
    let image_env = |command: &mut Command| {
        for (key, value) in &env {
            // Loopback only in tests; the image's /data is a temporary folder here.
            let value = match key.as_str() {
                "HANCHOT_LISTEN" => format!("127.0.0.1:{port}"),
                _ => value.replace("/data", &data),
            };
            command.env(key, value);
        }
        command.current_dir(dir.path()).env_remove("HANCHOT_WEBHOOK_URL");
    };
    assert!(env.get("HANCHOT_LISTEN").is_some_and(|l| l.ends_with(":8080")), "the image listens on 8080");
    let healthcheck = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_hanchot"));
        command.args(local(&check)).stderr(Stdio::null());
        image_env(&mut command);
        command.status().expect("hanchot healthcheck runs")
    };
    assert_eq!(healthcheck().code(), Some(1), "nothing answers yet");

    let mut command = Command::new(env!("CARGO_BIN_EXE_hanchot"));
    let mut args = local(&entrypoint);
    args.extend(cmd);
    command.args(args).env("TELOXIDE_TOKEN", support::fake_bot_api::TOKEN).env("TELOXIDE_API_URL", api.url());
    image_env(&mut command);
    let mut bot = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("the image's command runs");
    let mut healthy = false;
    for _ in 0..100 {
        if healthcheck().success() {
            healthy = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bot.kill().unwrap();
    bot.wait().unwrap();
    assert!(healthy, "hanchot healthcheck never answered 0");
    assert!(dir.path().join("hanchot.db").exists(), "the database in the image's data folder");
}
