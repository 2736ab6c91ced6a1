//! The web page at `/`, driven in headless Chromium as a person would use it: open the page on a
//! service with API keys on, enter the key, choose a shipped example, start, wait until an
//! incumbent has been drawn, cancel, download the solution and check it with `quotient check`.
//! Screenshots go to `target/tmp/page/`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`scripts/setup` installs them); skipped
//! loudly without them, except in CI (`CI=true`), where their absence fails the test.
//!
//! `cargo test --release --test page -- --ignored --nocapture` also runs the measurement of
//! BENCHMARKS.md: time to first picture and the longest frame gap while a 5 000-node TSP improves.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Proc, spawn_serve};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const KEY: &str = "page-test-key-0123456789abcdef";

/// The browser and driver, or `None` (SKIPPED) when absent; fails in CI.
fn browser_present() -> bool {
    let present = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !present {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "CI=true and {CHROMIUM} / {CHROMEDRIVER} are missing (scripts/setup installs them)"
        );
        eprintln!("SKIPPED: {CHROMIUM} or {CHROMEDRIVER} missing (run scripts/setup)");
    }
    present
}

/// A free TCP port on 127.0.0.1.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Everything one browser session needs: the service, the driver, the client and folders.
struct Session {
    _serve: Proc,
    _driver: Proc,
    base: String,
    client: Client,
    shots: PathBuf,
    downloads: PathBuf,
    _tmp: tempfile::TempDir,
}

async fn session(name: &str) -> Session {
    let tmp = tempfile::tempdir().unwrap();
    let keys = tmp.path().join("keys.txt");
    std::fs::write(&keys, format!("planner {KEY}\n")).unwrap();
    let (serve, base) = spawn_serve(&[
        "serve".into(),
        "--addr".into(),
        "127.0.0.1:0".into(),
        "--max-concurrent".into(),
        "1".into(),
        "--api-keys".into(),
        keys.display().to_string(),
    ]);
    let port = free_port();
    let driver = Proc(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let downloads = tmp.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let profile = tmp.path().join("profile");
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            // The flags of TOOLCHAIN.md: no sandbox (root), no background networking.
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
            },
        },
    });
    let caps = match caps {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let client = loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => break c,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("chromedriver at {url} did not start a session: {e}"),
        }
    };
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("page")
        .join(name);
    std::fs::create_dir_all(&shots).unwrap();
    Session {
        _serve: serve,
        _driver: driver,
        base,
        client,
        shots,
        downloads,
        _tmp: tmp,
    }
}

impl Session {
    async fn shot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(self.shots.join(name), png).unwrap();
    }

    async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// Wait until `script` returns true (at most `secs`), else fail with `what`.
    async fn wait_js(&self, script: &str, secs: u64, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if self.js(script).await == Value::Bool(true) {
                return;
            }
            if Instant::now() > deadline {
                self.shot("timeout.png").await;
                let err = self
                    .js("return document.getElementById('error').textContent")
                    .await;
                panic!("timed out waiting for {what} (page error: {err})");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn click(&self, id: &str) {
        self.client
            .find(Locator::Id(id))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    async fn select(&self, id: &str, value: &str) {
        self.client
            .find(Locator::Id(id))
            .await
            .unwrap()
            .select_by_value(value)
            .await
            .unwrap();
    }

    async fn type_into(&self, id: &str, text: &str) {
        let e = self.client.find(Locator::Id(id)).await.unwrap();
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    /// Type the API key and leave the field, as a person would: the page reloads its lists.
    async fn enter_key(&self) {
        self.type_into("key", KEY).await;
        self.js("document.getElementById('key').dispatchEvent(new Event('change')); return null")
            .await;
    }

    async fn stats(&self) -> Value {
        self.js("return window.quotientStats").await
    }
}

fn instance_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("instances")
        .join(rel)
}

/// Wait for one finished download in `dir`.
async fn downloaded(dir: &Path, secs: u64) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| !p.to_string_lossy().ends_with(".crdownload"))
            .collect();
        if let [one] = files.as_slice() {
            return one.clone();
        }
        assert!(
            Instant::now() < deadline,
            "no download in {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_planner_solves_an_example_watches_it_cancels_and_downloads() {
    if !browser_present() {
        return;
    }
    let s = session("planner").await;
    s.client.goto(&format!("{}/", s.base)).await.unwrap();
    // The service wants a key: the page says so in the API's words.
    s.wait_js(
        "return !document.getElementById('error').hidden",
        20,
        "the missing-key error",
    )
    .await;
    let err = s
        .js("return document.getElementById('error').textContent")
        .await;
    assert!(
        err.as_str().unwrap().contains("[auth.missing_key]"),
        "{err}"
    );
    s.shot("1-no-key.png").await;
    // The key, kept in the browser; the lists load.
    s.enter_key().await;
    s.wait_js(
        "return document.getElementById('example').options.length > 4 \
         && document.getElementById('error').hidden",
        20,
        "the examples",
    )
    .await;
    assert_eq!(
        s.js("return localStorage.getItem('quotient.key')").await,
        json!(KEY)
    );
    s.select("example", "uniform-n200-s1.tsp").await;
    s.wait_js(
        "return document.getElementById('text').value.includes('NODE_COORD_SECTION')",
        10,
        "the example's text",
    )
    .await;
    s.select("solver", "tsp.ils").await;
    s.type_into("time", "30").await;
    s.shot("2-ready.png").await;
    // The choices survive the lists' reload when the key field loses focus.
    assert_eq!(
        s.js("return [document.getElementById('example').value, document.getElementById('solver').value]")
            .await,
        json!(["uniform-n200-s1.tsp", "tsp.ils"])
    );
    s.click("start").await;
    s.wait_js(
        "return window.quotientStats.pictures >= 1",
        30,
        "the first picture",
    )
    .await;
    let stats = s.stats().await;
    eprintln!(
        "first incumbent after {} ms, first picture after {} ms",
        stats["firstIncumbentMs"], stats["firstPictureMs"]
    );
    // The chart has been drawn too: some pixels are not blank.
    let painted = s
        .js("const c = document.getElementById('chart'); \
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
             let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n")
        .await;
    assert!(painted.as_u64().unwrap() > 100, "chart pixels: {painted}");
    s.shot("3-first-picture.png").await;
    s.click("cancel").await;
    s.wait_js(
        "return document.body.dataset.state === 'cancelled'",
        15,
        "the cancel",
    )
    .await;
    let status = s
        .js("return document.getElementById('jobstatus').textContent")
        .await;
    assert_eq!(status, json!("cancelled"));
    s.wait_js(
        "return !document.getElementById('download').disabled",
        5,
        "the download button",
    )
    .await;
    s.shot("4-cancelled.png").await;
    s.click("download").await;
    let file = downloaded(&s.downloads, 20).await;
    assert!(
        file.to_string_lossy().ends_with(".tour"),
        "{}",
        file.display()
    );
    let out = Command::new(env!("CARGO_BIN_EXE_quotient"))
        .args(["check", "--json"])
        .arg(instance_path("tsp/uniform-n200-s1.tsp"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let check: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(check["feasible"], true);
    // The page showed the checker's objective of the final solution.
    let shown = s
        .js("return document.getElementById('objective').textContent")
        .await;
    let objective = check["objective"].as_f64().unwrap();
    assert!(
        shown.as_str().unwrap().starts_with(&format!("{objective}")),
        "page shows {shown}, the download checks at {objective}"
    );
    // A file of the planner's own, through the file input: a CVRP this time, to its end.
    let input = s.client.find(Locator::Id("file")).await.unwrap();
    input
        .send_keys(
            &instance_path("cvrp/X-style-n100-s1.vrp")
                .display()
                .to_string(),
        )
        .await
        .unwrap();
    s.wait_js(
        "return document.getElementById('text').value.includes('CAPACITY')",
        10,
        "the chosen file",
    )
    .await;
    assert_eq!(
        s.js("return [document.getElementById('name').value, document.getElementById('format').value]")
            .await,
        json!(["X-style-n100-s1", "cvrplib"])
    );
    s.select("solver", "auto").await;
    s.type_into("time", "2").await;
    s.click("start").await;
    s.wait_js(
        "return document.body.dataset.state === 'done'",
        30,
        "the CVRP job's end",
    )
    .await;
    s.wait_js(
        "return document.getElementById('picture-note').textContent === 'The final solution.'",
        10,
        "the final CVRP picture",
    )
    .await;
    assert_eq!(
        s.js("return document.getElementById('jobsolver').textContent")
            .await,
        json!("cvrp.sisr")
    );
    s.shot("5-cvrp-done.png").await;
    eprintln!("screenshots in {}", s.shots.display());
    s.client.clone().close().await.unwrap();
}

/// BENCHMARKS.md's page figures: a 5 000-node TSP solved by `tsp.ils` for 20 s, pasted into the
/// page; time to first picture, pictures drawn, and the longest gap between animation frames.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "measurement: run with --release -- --ignored --nocapture"]
async fn the_page_stays_responsive_while_a_5000_node_tour_improves() {
    if !browser_present() {
        return;
    }
    let s = session("responsive").await;
    s.client.goto(&format!("{}/", s.base)).await.unwrap();
    s.enter_key().await;
    s.wait_js(
        "return document.getElementById('solver').options.length > 4",
        20,
        "the solvers",
    )
    .await;
    let text = quotient::problems::tsp::write_tsplib(&quotient::problems::tsp::uniform(5000, 11));
    s.client
        .execute(
            "document.getElementById('text').value = arguments[0]; \
             document.getElementById('format').value = 'tsplib'; return null",
            vec![json!(text)],
        )
        .await
        .unwrap();
    s.select("solver", "tsp.ils").await;
    s.type_into("time", "20").await;
    s.click("start").await;
    s.wait_js(
        "return document.body.dataset.state === 'done'",
        60,
        "the end of the job",
    )
    .await;
    s.shot("5000-done.png").await;
    let stats = s.stats().await;
    println!("page figures (5 000-node TSP, tsp.ils 20 s): {stats}");
    assert!(stats["pictures"].as_u64().unwrap() >= 2, "{stats}");
    s.client.clone().close().await.unwrap();
}
