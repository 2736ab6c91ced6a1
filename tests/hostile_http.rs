//! `quotient serve` under hostile clients: trickled headers and bodies (slow loris), more
//! connections than allowed, deeply nested and huge JSON, bodies at and beyond the limit, a
//! declared length far beyond memory. Each is refused early with a clear error, the server's
//! peak memory stays bounded (VmHWM of a fresh server per case, printed for BENCHMARKS.md) and
//! the server keeps answering.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Proc, spawn_serve};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A server with short client deadlines so the slow-client cases take about a second.
fn server(extra: &[&str]) -> (Proc, String) {
    let mut args: Vec<String> = [
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--header-timeout",
        "1",
        "--body-timeout",
        "1",
        "--max-solve-time",
        "1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    let (p, base) = spawn_serve(&args);
    (p, base.trim_start_matches("http://").to_string())
}

/// The server's peak resident memory so far, in MiB.
fn peak_rss_mib(p: &Proc) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", p.0.id())).unwrap();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    kb / 1024.0
}

fn connect(addr: &str) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s
}

/// Read until the server closes the connection (or 20 s pass); the text read.
fn read_to_close(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut => {
                panic!("the server kept the connection open")
            }
            Err(_) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One request on a fresh connection: status line's code and the body.
fn request(addr: &str, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    let mut s = connect(addr);
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before the whole body is sent and close.
    let _ = s.write_all(body);
    let text = read_to_close(&mut s);
    (status_of(&text), text)
}

fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

fn assert_alive(addr: &str) {
    let (code, text) = request(addr, "GET", "/healthz", b"");
    assert_eq!(code, 200, "{text}");
}

fn report(case: &str, outcome: &str, p: &Proc, took: Duration) {
    println!(
        "hostile-http | {case} | {outcome} | peak RSS {:.1} MiB | {:.2} s",
        peak_rss_mib(p),
        took.as_secs_f64()
    );
}

#[test]
fn trickled_headers_are_cut_off_at_the_header_timeout() {
    let (p, addr) = server(&[]);
    let mut s = connect(&addr);
    let start = Instant::now();
    s.write_all(b"POST /v1/solve HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    // One byte of a header every 200 ms: never a complete head.
    let mut closed = false;
    for b in b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".iter() {
        if s.write_all(&[*b]).is_err() {
            closed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
        if start.elapsed() > Duration::from_secs(5) {
            break;
        }
    }
    if !closed {
        let _ = read_to_close(&mut s);
    }
    let took = start.elapsed();
    assert!(
        took < Duration::from_secs(4),
        "a client trickling its headers held the connection {took:?} (header timeout 1 s)"
    );
    report(
        "headers trickled 1 byte / 200 ms",
        "connection closed",
        &p,
        took,
    );
    assert_alive(&addr);
}

#[test]
fn a_trickled_body_gets_408_at_the_body_timeout() {
    let (p, addr) = server(&[]);
    let mut s = connect(&addr);
    let start = Instant::now();
    s.write_all(
        b"POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"instance\": \"",
    )
    .unwrap();
    let mut answer = String::new();
    for _ in 0..50 {
        if s.write_all(b"a").is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        if start.elapsed() > Duration::from_secs(1) {
            answer = read_to_close(&mut s);
            break;
        }
    }
    let took = start.elapsed();
    assert_eq!(status_of(&answer), 408, "{answer}");
    assert!(answer.contains("request.body_timeout"), "{answer}");
    assert!(took < Duration::from_secs(4), "{took:?}");
    report(
        "body trickled 1 byte / 100 ms",
        "408 request.body_timeout",
        &p,
        took,
    );
    assert_alive(&addr);
}

/// JSON nested 100 000 deep: where the server builds values (a warm start), serde_json's
/// recursion limit refuses it (400 `request.malformed_json`); as the whole body, it is not the
/// request's shape (400); as the instance, which is kept as text, it is skipped without
/// recursion and refused by the reader (422). No stack overflow, small memory.
#[test]
fn deeply_nested_json_is_a_clear_400() {
    let (p, addr) = server(&[]);
    let depth = 100_000;
    let nest = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let start = Instant::now();
    let body = format!(r#"{{"instance": "x", "options": {{"initial": {nest}}}}}"#);
    let (code, text) = request(&addr, "POST", "/v1/solve", body.as_bytes());
    let took = start.elapsed();
    assert_eq!(code, 400, "{text}");
    assert!(text.contains("request.malformed_json"), "{text}");
    assert!(text.contains("recursion limit"), "{text}");
    let (code, text) = request(&addr, "POST", "/v1/solve", nest.as_bytes());
    assert_eq!(code, 400, "{text}");
    assert!(text.contains("request.invalid_body"), "{text}");
    let body = format!(r#"{{"instance": {nest}}}"#);
    let (code, text) = request(&addr, "POST", "/v1/validate", body.as_bytes());
    assert_eq!(code, 422, "{text}");
    assert!(text.contains("request.invalid_instance"), "{text}");
    report(
        "JSON nested 100 000 deep (200 kB): in a warm start / as the body / as the instance",
        "400 request.malformed_json (recursion limit) / 400 request.invalid_body / 422 request.invalid_instance",
        &p,
        took,
    );
    assert_alive(&addr);
}

#[test]
fn a_declared_length_beyond_the_limit_is_refused_before_reading() {
    let (p, addr) = server(&[]);
    let mut s = connect(&addr);
    let start = Instant::now();
    s.write_all(
        b"POST /v1/solve HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{",
    )
    .unwrap();
    let answer = read_to_close(&mut s);
    let took = start.elapsed();
    assert_eq!(status_of(&answer), 413, "{answer}");
    assert!(answer.contains("request.too_large"), "{answer}");
    report(
        "Content-Length 10^10, 1 byte sent",
        "413 request.too_large",
        &p,
        took,
    );
    assert_alive(&addr);
}

/// A TSP JSON instance of `n` cities laid out on a grid, as a request body.
fn tsp_body(n: usize) -> String {
    let coords: Vec<String> = (0..n)
        .map(|i| format!("[{},{}]", i % 1000, i / 1000))
        .collect();
    format!(
        r#"{{"instance": {{"family": "tsp", "name": "big", "kind": "tsp", "weights": {{"type": "coords", "metric": "EUC_2D", "coords": [{}]}}}}}}"#,
        coords.join(",")
    )
}

#[test]
fn bodies_at_and_beyond_the_limit() {
    let limit = 4 << 20;
    let (p, addr) = server(&["--max-body", &limit.to_string()]);
    // The largest instance that fits: validated (nothing solved), memory a small multiple of
    // the body.
    let mut n = limit / 12;
    let mut body = tsp_body(n);
    while body.len() > limit {
        n -= n / 50;
        body = tsp_body(n);
    }
    let start = Instant::now();
    let (code, text) = request(&addr, "POST", "/v1/validate", body.as_bytes());
    let took = start.elapsed();
    assert_eq!(code, 200, "{}", &text[..text.len().min(500)]);
    assert!(text.contains("\"valid\":true"), "{text}");
    let rss = peak_rss_mib(&p);
    report(
        &format!(
            "{} kB body (limit {} kB): TSP JSON, {n} cities",
            body.len() / 1024,
            limit / 1024
        ),
        "200 valid",
        &p,
        took,
    );
    assert!(
        rss < 400.0,
        "peak RSS {rss:.0} MiB for a {} kB body",
        body.len() / 1024
    );
    // One byte more than the limit.
    let over = format!("{}{}", " ".repeat(limit + 1 - body.len()), body);
    assert_eq!(over.len(), limit + 1);
    let start = Instant::now();
    let (code, text) = request(&addr, "POST", "/v1/validate", over.as_bytes());
    assert_eq!(code, 413, "{}", &text[..text.len().min(500)]);
    report(
        "limit + 1 byte",
        "413 request.too_large",
        &p,
        start.elapsed(),
    );
    assert_alive(&addr);
}

#[test]
fn connections_beyond_the_limit_wait_and_idle_ones_are_closed() {
    let (p, addr) = server(&["--max-connections", "4"]);
    // Four clients connect and send nothing.
    let idle: Vec<TcpStream> = (0..4).map(|_| connect(&addr)).collect();
    std::thread::sleep(Duration::from_millis(200));
    // A fifth client is served once the idle ones are dropped at the header timeout.
    let start = Instant::now();
    let (code, text) = request(&addr, "GET", "/healthz", b"");
    let took = start.elapsed();
    assert_eq!(code, 200, "{text}");
    assert!(
        took < Duration::from_secs(5),
        "the fifth client waited {took:?}"
    );
    report(
        "4 idle connections at --max-connections 4, then a request",
        "200 after the idle ones were closed",
        &p,
        took,
    );
    drop(idle);
    assert_alive(&addr);
}

#[test]
fn integers_written_as_floats_are_integers() {
    let (_p, addr) = server(&[]);
    let body = br#"{"instance": {"family": "tsp", "name": "t", "kind": "tsp", "weights": {"type": "coords", "metric": "EUC_2D", "coords": [[0,0],[3,0],[3,4.0],[0,4]]}, "fixed_edges": [[0.0, 1.0]]}, "options": {"solver": "tsp.nn", "seed": 7.0, "threads": 1.0, "samples": 0.0}}"#;
    let (code, text) = request(&addr, "POST", "/v1/solve", body);
    assert_eq!(code, 200, "{text}");
    assert!(text.contains("\"objective\":14"), "{text}");
    // A fraction is not an integer: refused with the field's path.
    let body = br#"{"instance": "x", "options": {"seed": 7.5}}"#;
    let (code, text) = request(&addr, "POST", "/v1/solve", body);
    assert_eq!(code, 400, "{text}");
    assert!(text.contains("options.seed"), "{text}");
}

/// Many large uploads at once cannot add up beyond `--max-inflight-body`: with room for one
/// body at the limit, further uploads wait for room, each up to `--body-timeout`, then get 503
/// `server.busy` (with `Retry-After`); once the room is given back, uploads go through again.
#[test]
fn bodies_in_flight_share_one_budget() {
    let (p, addr) = server(&["--max-body", "100000", "--max-inflight-body", "150000"]);
    let trickle = || {
        let mut s = connect(&addr);
        s.write_all(
            b"POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"instance\": \"",
        )
        .unwrap();
        s
    };
    let start = Instant::now();
    // The first upload reserves its declared 100 000 bytes and stalls: it holds the room until
    // its body timeout (1 s). The second waits for room, gets it then, and stalls another 1 s.
    let mut first = trickle();
    std::thread::sleep(Duration::from_millis(100));
    let mut second = trickle();
    std::thread::sleep(Duration::from_millis(100));
    // The third (complete) finds 50 000 bytes of room for its 100 000, waits 1 s, and is
    // refused while the second holds the room.
    let body = tsp_body(2_000);
    let padded = format!("{body}{}", " ".repeat(100_000 - body.len()));
    let (code, text) = request(&addr, "POST", "/v1/validate", padded.as_bytes());
    let took = start.elapsed();
    assert_eq!(code, 503, "{text}");
    assert!(text.contains("server.busy"), "{text}");
    assert!(
        text.to_ascii_lowercase().contains("retry-after: 1"),
        "{text}"
    );
    for s in [&mut first, &mut second] {
        let answer = read_to_close(s);
        assert_eq!(status_of(&answer), 408, "{answer}");
    }
    // Both stalled uploads ended and gave their room back.
    let (code, text) = request(&addr, "POST", "/v1/validate", padded.as_bytes());
    assert_eq!(code, 200, "{text}");
    // Small bodies fit beside a large one.
    let (code, text) = request(&addr, "POST", "/v1/validate", body.as_bytes());
    assert_eq!(code, 200, "{text}");
    report(
        "a 100 kB upload beside a trickled one, --max-inflight-body 150 000",
        "503 server.busy after the body timeout, then 200",
        &p,
        took,
    );
    assert_alive(&addr);
}
