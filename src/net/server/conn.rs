//! One connection, and the requests on it.
//!
//! The first request of a connection waits out its latency *before* hyper
//! takes the connection over: the server peeks at the request line, plans
//! the delay and sleeps holding only the socket, because hyper's buffers
//! (about 9 KB a connection) times 10,000 waiting requests would not fit the
//! app's memory budget. Hyper then reads the same request and answers it at
//! once; later requests on a kept-alive connection wait inside the service.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{ALLOW, CONNECTION, CONTENT_LENGTH, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use tokio::net::TcpStream;
use tokio::sync::watch;

use super::State;
use super::faults::{Fault, Overrides, Plan, parse_query};
use super::routes::{self, Body, Route};

/// The standard header naming time spent in the server.
const SERVER_TIMING: HeaderName = HeaderName::from_static("server-timing");

/// Bytes of a request head looked at before hyper takes over.
const PEEK: usize = 1024;

/// A plan already partly carried out: the delay was slept before hyper.
#[derive(Debug, Clone, Copy)]
struct Held {
    fault: Option<Fault>,
    since: Instant,
}

/// The service's error: hyper closes the connection without an answer.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped on purpose (fail=drop)")]
struct Dropped;

/// Serves one connection until it closes or the server stops.
pub(super) async fn serve(
    stream: TcpStream,
    st: Arc<State>,
    http: hyper::server::conn::http1::Builder,
    mut stop: watch::Receiver<bool>,
) {
    let held = tokio::select! {
        h = hold_first(&stream, &st) => match h {
            Some(h) => h,
            // Silent for the whole header timeout: closed now, not handed
            // to hyper for another one.
            None => return,
        },
        _ = stop.changed() => return,
    };
    // Boxed: the task stays small while it holds, hyper's state is made
    // only now.
    Box::pin(speak_http(stream, st, http, stop, held)).await;
}

/// Hands the connection to hyper until it closes or the server stops.
async fn speak_http(
    stream: TcpStream,
    st: Arc<State>,
    http: hyper::server::conn::http1::Builder,
    mut stop: watch::Receiver<bool>,
    held: Option<Held>,
) {
    let held = Arc::new(Mutex::new(held));
    let svc = hyper::service::service_fn(move |req| {
        let first = held.lock().unwrap_or_else(|e| e.into_inner()).take();
        logged(req, st.clone(), first)
    });
    let conn = http.serve_connection(hyper_util::rt::TokioIo::new(stream), svc);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_millis(300), conn).await;
        }
    }
}

/// Peeks at the first request and sleeps its latency; `Some(None)` when the
/// request is not an example route (or not readable as one: hyper will say
/// what is wrong with it), `None` when nothing came within the header
/// timeout.
async fn hold_first(stream: &TcpStream, st: &State) -> Option<Option<Held>> {
    // The peeked bytes live on the stack of one poll: nothing is kept while
    // the request waits.
    let peeked = std::future::poll_fn(|cx| {
        let mut storage = [0u8; PEEK];
        let mut buf = tokio::io::ReadBuf::new(&mut storage);
        stream
            .poll_peek(cx, &mut buf)
            .map_ok(|_| first_request(buf.filled(), st))
    });
    let Ok(Some(first)) = tokio::time::timeout(st.header_timeout, peeked).await.ok()? else {
        return Some(None);
    };
    let since = Instant::now();
    let plan = st.plan(&first);
    tokio::time::sleep(plan.delay).await;
    Some(Some(Held {
        fault: plan.fault,
        since,
    }))
}

/// Reads the request line of peeked bytes: the query's overrides of a GET
/// or HEAD of an example route, `None` for anything else.
fn first_request(head: &[u8], st: &State) -> Option<Overrides> {
    let line_end = head.windows(2).position(|w| w == b"\r\n")?;
    let line = std::str::from_utf8(&head[..line_end]).ok()?;
    let mut words = line.split(' ');
    let (method, target) = (words.next()?, words.next()?);
    if method != "GET" && method != "HEAD" {
        return None;
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let overrides = parse_query(query).ok()?;
    if !Route::of(path, st.dex).is_example() {
        return None;
    }
    Some(overrides)
}

/// [`handle`], and one line on stderr per request when the server logs:
/// method, path, status (or `dropped`) and how long it took.
async fn logged(
    req: Request<Incoming>,
    st: Arc<State>,
    first: Option<Held>,
) -> Result<Response<Body>, Dropped> {
    if !st.log {
        return handle(req, st, first).await;
    }
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    // The first request of a connection was held (its latency slept)
    // before hyper parsed it: count from then.
    let since = first.as_ref().map_or_else(Instant::now, |h| h.since);
    let r = handle(req, st, first).await;
    let status = match &r {
        Ok(resp) => resp.status().as_u16().to_string(),
        Err(_) => "dropped".into(),
    };
    let ms = since.elapsed().as_secs_f64() * 1000.0;
    eprintln!("{method} {path} {status} {ms:.1} ms");
    r
}

async fn handle(
    req: Request<Incoming>,
    st: Arc<State>,
    first: Option<Held>,
) -> Result<Response<Body>, Dropped> {
    let path = req.uri().path().to_string();
    let overrides = match parse_query(req.uri().query().unwrap_or("")) {
        Ok(o) => o,
        Err(e) => return Ok(routes::error(StatusCode::BAD_REQUEST, &e)),
    };
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = routes::error(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
        r.headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Ok(r);
    }
    if let Some(refused) = oversized_body(req, st.max_body).await {
        return Ok(refused);
    }
    let route = Route::of(&path, st.dex);
    let mut since = Instant::now();
    if route.is_example() {
        let fault = match first {
            Some(h) => {
                since = h.since;
                h.fault
            }
            None => {
                let plan: Plan = st.plan(&overrides);
                tokio::time::sleep(plan.delay).await;
                plan.fault
            }
        };
        match fault {
            Some(Fault::Drop) => return Err(Dropped),
            Some(Fault::Error500) => {
                let msg = "injected failure (fail=500)";
                let r = routes::error(StatusCode::INTERNAL_SERVER_ERROR, msg);
                return Ok(finish(r, since, &st));
            }
            Some(Fault::Slow) => tokio::time::sleep(st.slow).await,
            None => {}
        }
    }
    Ok(finish(route.respond(&path, st.dex), since, &st))
}

/// Adds `Server-Timing: app;dur=MS` (how long the server held the request)
/// and, when the server is full, `Connection: close` so that a waiting
/// connection gets the slot instead of an idle kept-alive one.
fn finish(mut r: Response<Body>, since: Instant, st: &State) -> Response<Body> {
    let ms = since.elapsed().as_secs_f64() * 1000.0;
    if let Ok(v) = HeaderValue::from_str(&format!("app;dur={ms:.3}")) {
        r.headers_mut().insert(SERVER_TIMING, v);
    }
    if st.permits.available_permits() == 0 {
        r.headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    r
}

/// Reads (and discards) the request body up to the cap; a bigger one gets
/// 413 without being read, a malformed one (a broken chunk) 400.
async fn oversized_body(req: Request<Incoming>, max: usize) -> Option<Response<Body>> {
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_big = || routes::error(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
    if declared.is_some_and(|n| n > max as u64) {
        return Some(too_big());
    }
    match Limited::new(req.into_body(), max).collect().await {
        Ok(_) => None,
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Some(too_big()),
        Err(_) => Some(routes::error(
            StatusCode::BAD_REQUEST,
            "malformed request body",
        )),
    }
}
