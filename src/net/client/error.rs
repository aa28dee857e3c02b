//! Why one request failed, in the words the waterfall and the summary use.

use std::time::Duration;

/// One request's failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// No answer (or no whole answer) within the request's timeout.
    #[error("timed out after {0} ms")]
    Timeout(u64),
    /// Nobody listens on that port.
    #[error("connection refused")]
    Refused,
    /// The host name does not resolve: usually no internet at all.
    #[error("cannot resolve {0} (no internet?)")]
    Dns(String),
    /// The connection could not be made for another reason.
    #[error("cannot connect: {0}")]
    Connect(String),
    /// The server closed the connection before answering in full.
    #[error("connection closed before the answer was complete")]
    Closed,
    /// The server answered with an error status.
    #[error("HTTP {0}")]
    Status(u16),
    /// The run was interrupted while the request was in flight.
    #[error("interrupted")]
    Interrupted,
    /// Anything else (a bad URL, a broken body).
    #[error("{0}")]
    Other(String),
}

impl FetchError {
    /// A one-word class for counting: timeout, refused, dns, connect,
    /// closed, http, interrupted, other.
    pub fn class(&self) -> &'static str {
        match self {
            FetchError::Timeout(_) => "timeout",
            FetchError::Refused => "refused",
            FetchError::Dns(_) => "dns",
            FetchError::Connect(_) => "connect",
            FetchError::Closed => "closed",
            FetchError::Status(_) => "http",
            FetchError::Interrupted => "interrupted",
            FetchError::Other(_) => "other",
        }
    }

    /// Sorts a reqwest error into one of the classes; `timeout` is the limit
    /// the request had, for the message.
    pub fn classify(e: &reqwest::Error, timeout: Duration) -> FetchError {
        if e.is_timeout() {
            return FetchError::Timeout(timeout.as_millis() as u64);
        }
        if let Some(status) = e.status() {
            return FetchError::Status(status.as_u16());
        }
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
        let mut chain = Vec::new();
        while let Some(s) = source {
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                match io_class(io.kind()) {
                    Some(FetchError::Timeout(_)) => {
                        return FetchError::Timeout(timeout.as_millis() as u64);
                    }
                    Some(class) => return class,
                    None => {}
                }
            }
            if let Some(h) = s.downcast_ref::<hyper::Error>()
                && hyper_closed(h)
            {
                return FetchError::Closed;
            }
            chain.push(s.to_string());
            source = s.source();
        }
        let text = chain.join(": ");
        if e.is_connect() {
            if text.contains("dns error") || text.contains("failed to lookup address") {
                let host = e
                    .url()
                    .and_then(|u| u.host_str())
                    .unwrap_or("the host")
                    .to_string();
                return FetchError::Dns(host);
            }
            return FetchError::Connect(last(&chain));
        }
        FetchError::Other(last(&chain))
    }
}

impl FetchError {
    /// Sorts an I/O error of a connection this client opened itself.
    pub fn from_io(e: &std::io::Error) -> FetchError {
        io_class(e.kind()).unwrap_or_else(|| FetchError::Connect(e.to_string()))
    }

    /// Sorts an error of hyper's client connection: the I/O error under
    /// it when there is one, a connection closed under the request, or a
    /// malformed answer.
    pub fn from_hyper(e: &hyper::Error) -> FetchError {
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            if let Some(io) = s.downcast_ref::<std::io::Error>()
                && let Some(class) = io_class(io.kind())
            {
                return class;
            }
            source = s.source();
        }
        if hyper_closed(e) {
            return FetchError::Closed;
        }
        if e.is_parse() || e.is_parse_status() {
            return FetchError::Other(format!("malformed answer: {e}"));
        }
        FetchError::Other(e.to_string())
    }
}

/// The class of an I/O failure, when it has one (a timeout's limit is the
/// caller's to fill in).
fn io_class(kind: std::io::ErrorKind) -> Option<FetchError> {
    use std::io::ErrorKind as K;
    match kind {
        K::ConnectionRefused => Some(FetchError::Refused),
        K::TimedOut => Some(FetchError::Timeout(0)),
        K::ConnectionReset | K::ConnectionAborted | K::UnexpectedEof | K::BrokenPipe => {
            Some(FetchError::Closed)
        }
        _ => None,
    }
}

/// Whether hyper says the connection went away under the request.
fn hyper_closed(e: &hyper::Error) -> bool {
    e.is_incomplete_message() || e.is_closed() || e.is_canceled()
}

/// The innermost cause: the most specific words in the chain.
fn last(chain: &[String]) -> String {
    chain
        .last()
        .cloned()
        .unwrap_or_else(|| "unknown error".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_messages_are_short() {
        assert_eq!(
            FetchError::Timeout(500).to_string(),
            "timed out after 500 ms"
        );
        assert_eq!(FetchError::Status(503).class(), "http");
        assert_eq!(FetchError::Status(503).to_string(), "HTTP 503");
        assert!(
            FetchError::Dns("www.jython.org".into())
                .to_string()
                .contains("no internet")
        );
    }

    #[test]
    fn a_closed_port_is_refused() {
        // Bind then drop a listener: its port is closed for a moment.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let e = rt.block_on(async {
            reqwest::Client::new()
                .get(format!("http://127.0.0.1:{port}/"))
                .send()
                .await
                .unwrap_err()
        });
        assert_eq!(
            FetchError::classify(&e, Duration::from_secs(1)),
            FetchError::Refused
        );
    }
}
