//! The demo server over real sockets: routes, latency, injected faults,
//! bounds and hostile input.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use racecourse::net::{ServerConfig, ServerHandle};

fn server(cfg: ServerConfig) -> ServerHandle {
    ServerHandle::spawn_thread(cfg).expect("server starts")
}

fn client(timeout_ms: u64) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_millis(timeout_ms))
        .build()
        .unwrap()
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn get(c: &reqwest::Client, url: &str) -> (u16, String) {
    let r = c.get(url).send().await.expect("request answered");
    let status = r.status().as_u16();
    (status, r.text().await.unwrap_or_default())
}

/// Sends raw bytes and returns whatever comes back before the server closes
/// (or 2 s pass).
fn raw(s: &ServerHandle, bytes: &[u8]) -> String {
    let mut t = TcpStream::connect(s.addr()).unwrap();
    t.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let _ = t.write_all(bytes);
    let mut out = Vec::new();
    let _ = t.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn pokemon_sites_and_errors() {
    let s = server(ServerConfig::default());
    rt().block_on(async {
        let c = client(5_000);
        let (code, body) = get(&c, &s.url_for("/api/v2/pokemon/1")).await;
        assert_eq!(code, 200);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["name"], "bulbasaur");
        assert_eq!(v["id"], 1);
        assert_eq!(v["types"][0]["type"]["name"], "grass");
        let (_, body) = get(&c, &s.url_for("/api/v2/pokemon/19")).await;
        assert!(body.contains("\"name\":\"rattata\""), "{body}");
        let (_, body) = get(&c, &s.url_for("/api/v2/pokemon/farfetchd")).await;
        assert!(body.contains("\"id\":83"), "{body}");
        for bad in ["0", "152", "abc"] {
            let (code, body) = get(&c, &s.url_for(&format!("/api/v2/pokemon/{bad}"))).await;
            assert_eq!(code, 404, "{bad}");
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["status"], 404);
        }
        let (code, jython) = get(&c, &s.url_for("/sites/jython")).await;
        assert_eq!(code, 200);
        let (_, dice) = get(&c, &s.url_for("/sites/dice")).await;
        assert!(
            jython.len() > 5 * dice.len(),
            "{} vs {}",
            jython.len(),
            dice.len()
        );
        let (code, index) = get(&c, &s.url_for("/")).await;
        assert_eq!(code, 200);
        assert!(index.contains("/sites/jython") && index.contains("fail=drop"));
        assert_eq!(get(&c, &s.url_for("/health")).await.0, 200);
        assert_eq!(get(&c, &s.url_for("/nope")).await.0, 404);
        assert_eq!(get(&c, &s.url_for("/sites/dice?fail=teapot")).await.0, 400);
        let r = c.post(s.url_for("/health")).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 405);
        let r = c
            .get(s.url_for("/health"))
            .body(vec![b'x'; 200_000])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 413);
    });
}

#[test]
fn latency_is_applied_and_can_be_overridden() {
    let s = server(ServerConfig {
        latency: Duration::from_millis(200),
        ..ServerConfig::default()
    });
    rt().block_on(async {
        let c = client(10_000);
        let t = Instant::now();
        assert_eq!(get(&c, &s.url_for("/api/v2/pokemon/1")).await.0, 200);
        let with_latency = t.elapsed();
        assert!(
            with_latency >= Duration::from_millis(200),
            "{with_latency:?}"
        );
        let t = Instant::now();
        assert_eq!(get(&c, &s.url_for("/sites/dice?latency=400")).await.0, 200);
        assert!(t.elapsed() >= Duration::from_millis(400));
    });
    // The health check never waits: on a server whose routes take a minute
    // it still answers well within the client's 10 s.
    let s = server(ServerConfig {
        latency: Duration::from_mins(1),
        ..ServerConfig::default()
    });
    rt().block_on(async {
        let c = client(10_000);
        assert_eq!(get(&c, &s.url_for("/health")).await.0, 200);
    });
}

#[test]
fn each_fault_can_be_forced_and_the_fail_rate_injects_them() {
    let s = server(ServerConfig {
        slow: Duration::from_secs(5),
        fail_rate: 1.0,
        ..ServerConfig::default()
    });
    rt().block_on(async {
        let c = client(700);
        let (code, body) = get(&c, &s.url_for("/api/v2/pokemon/1?fail=500")).await;
        assert_eq!(code, 500);
        assert!(body.contains("injected"), "{body}");
        let e = c
            .get(s.url_for("/sites/dice?fail=drop"))
            .send()
            .await
            .unwrap_err();
        assert!(!e.is_timeout() && e.status().is_none(), "{e:?}");
        let e = c
            .get(s.url_for("/sites/dice?fail=slow"))
            .send()
            .await
            .unwrap_err();
        assert!(e.is_timeout(), "{e:?}");
        assert_eq!(get(&c, &s.url_for("/sites/dice?fail=none")).await.0, 200);
        // With a fail rate of 1 every example request fails somehow.
        for _ in 0..6 {
            match c.get(s.url_for("/sites/dice")).send().await {
                Ok(r) => assert_eq!(r.status().as_u16(), 500),
                Err(e) => assert!(e.is_timeout() || e.is_request(), "{e:?}"),
            }
        }
        // ... but the health check does not.
        assert_eq!(get(&c, &s.url_for("/health")).await.0, 200);
    });
}

#[test]
fn malformed_requests_get_400_or_a_closed_socket_and_the_server_lives_on() {
    let s = server(ServerConfig {
        header_timeout: Duration::from_millis(300),
        ..ServerConfig::default()
    });
    let garbage: &[&[u8]] = &[
        b"\x00\x01\x02garbage\xff\xfe\r\n\r\n",
        b"GET /health HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n",
        b"\r\n\r\n\r\n",
    ];
    for g in garbage {
        let answer = raw(&s, g);
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 400"),
            "{:?} -> {answer:?}",
            String::from_utf8_lossy(g)
        );
    }
    let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(64 * 1024));
    let answer = raw(&s, huge.as_bytes());
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{answer:?}"
    );
    // A client that never finishes its request head is cut off.
    let answer = raw(&s, b"GET / HTTP/1.1\r\nHost:");
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer:?}"
    );
    let ok = raw(
        &s,
        b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
}

#[test]
fn connections_over_the_cap_wait_for_a_free_slot() {
    let s = server(ServerConfig {
        max_connections: 2,
        ..ServerConfig::default()
    });
    let hold1 = TcpStream::connect(s.addr()).unwrap();
    let hold2 = TcpStream::connect(s.addr()).unwrap();
    let mut third = TcpStream::connect(s.addr()).unwrap();
    third
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    third
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut buf = [0u8; 64];
    // Both slots are taken by idle connections: the third is not served.
    assert!(third.read(&mut buf).is_err());
    drop(hold1);
    third
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let n = third.read(&mut buf).unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    drop(hold2);
}

#[test]
fn a_full_server_closes_kept_alive_connections_so_waiting_ones_get_in() {
    let s = server(ServerConfig {
        max_connections: 1,
        ..ServerConfig::default()
    });
    rt().block_on(async {
        // Two sessions that would each keep their connection open; the
        // server has room for one, so it closes each after its answer.
        let (a, b) = (client(5_000), client(5_000));
        for _ in 0..3 {
            for c in [&a, &b] {
                let r = c
                    .get(s.url_for("/sites/dice"))
                    .send()
                    .await
                    .expect("served");
                assert_eq!(r.headers()["connection"], "close");
                assert_eq!(r.status().as_u16(), 200);
            }
        }
    });
}

#[test]
fn a_busy_port_is_a_clear_error_and_a_stopped_server_is_gone() {
    let s = server(ServerConfig::default());
    let port = s.addr().port();
    let again = ServerHandle::spawn_thread(ServerConfig {
        port,
        ..ServerConfig::default()
    });
    let msg = format!("{:#}", again.err().expect("second bind fails"));
    assert!(
        msg.contains(&format!("port {port} is already in use")),
        "{msg}"
    );
    let addr = s.addr();
    drop(s);
    assert!(TcpStream::connect(addr).is_err());
}

#[test]
fn the_async_handle_serves_and_shuts_down() {
    rt().block_on(async {
        let s = racecourse::net::start(ServerConfig::default())
            .await
            .unwrap();
        let addr = s.addr();
        assert!(addr.ip().is_loopback());
        let c = client(5_000);
        assert_eq!(get(&c, &s.url_for("/health")).await.0, 200);
        s.shutdown().await;
        assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    });
}
