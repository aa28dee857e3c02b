//! What the demo server answers: a pokeapi-shaped subset, two stand-in site
//! pages, an index and a health check. Pure: no sockets, no waiting.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use hyper::{Response, StatusCode};
use serde_json::json;

use crate::net::pokedex::{COUNT, Pokedex};

/// The body type of every response.
pub type Body = Full<Bytes>;

/// A stand-in for one of the notes' download targets.
#[derive(Debug)]
pub struct Site {
    /// The route is `/sites/{name}`.
    pub name: &'static str,
    /// The real address the page stands in for (used by `--online`).
    pub real_url: &'static str,
    pub html: &'static [u8],
}

/// The notes' two download targets, in the order of their list.
pub static SITES: [Site; 2] = [
    Site {
        name: "jython",
        real_url: "https://www.jython.org",
        html: include_bytes!("../../../assets/sites/jython.html"),
    },
    Site {
        name: "dice",
        real_url: "http://olympus.realpython.org/dice",
        html: include_bytes!("../../../assets/sites/dice.html"),
    },
];

/// A request's destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Index,
    Health,
    PokemonList,
    /// A known pokemon, by id (names are resolved to ids).
    Pokemon(u32),
    /// `/api/v2/pokemon/{x}` with an `x` that names no pokemon.
    NoSuchPokemon,
    Site(usize),
    NotFound,
}

impl Route {
    /// Resolves a path (without its query).
    pub fn of(path: &str, dex: &Pokedex) -> Route {
        // pokeapi accepts a trailing slash; so do we.
        let path = match path.strip_suffix('/') {
            Some(p) if !p.is_empty() => p,
            _ => path,
        };
        match path {
            "/" => return Route::Index,
            "/health" => return Route::Health,
            "/api/v2/pokemon" => return Route::PokemonList,
            _ => {}
        }
        if let Some(key) = path.strip_prefix("/api/v2/pokemon/") {
            let found = match key.parse::<u32>() {
                Ok(id) => dex.by_id(id).map(|p| p.id),
                Err(_) => dex.by_name(key).map(|p| p.id),
            };
            return found.map_or(Route::NoSuchPokemon, Route::Pokemon);
        }
        if let Some(name) = path.strip_prefix("/sites/")
            && let Some(i) = SITES.iter().position(|s| s.name == name)
        {
            return Route::Site(i);
        }
        Route::NotFound
    }

    /// Whether latency and injected faults apply: the example routes do,
    /// the index and the health check answer at once.
    pub fn is_example(self) -> bool {
        !matches!(self, Route::Index | Route::Health)
    }

    /// The response for this route.
    pub fn respond(self, path: &str, dex: &Pokedex) -> Response<Body> {
        match self {
            Route::Index => text(StatusCode::OK, INDEX.to_string()),
            Route::Health => json_reply(StatusCode::OK, json!({ "status": "ok" })),
            Route::PokemonList => {
                let results: Vec<_> = dex
                    .all()
                    .iter()
                    .map(|p| json!({ "name": p.name, "url": format!("/api/v2/pokemon/{}/", p.id) }))
                    .collect();
                json_reply(
                    StatusCode::OK,
                    json!({ "count": COUNT, "results": results }),
                )
            }
            Route::Pokemon(id) => match dex.body(id) {
                Some(body) => with_type(StatusCode::OK, "application/json", body),
                None => not_found(path),
            },
            Route::Site(i) => with_type(
                StatusCode::OK,
                "text/html; charset=utf-8",
                Bytes::from_static(SITES[i].html),
            ),
            Route::NoSuchPokemon | Route::NotFound => not_found(path),
        }
    }
}

const INDEX: &str = "racecourse demo server (offline stand-ins for the course's examples)

GET /api/v2/pokemon/{id}    pokemon 1..151 as pokeapi.co shapes them (names work too)
GET /api/v2/pokemon         the list of all 151
GET /sites/jython           stand-in for https://www.jython.org (about 10 KB)
GET /sites/dice             stand-in for http://olympus.realpython.org/dice (about 1 KB)
GET /health                 {\"status\":\"ok\"}, at once

Query parameters on the example routes:
  ?latency=MS      wait this long before answering (instead of the server's --latency)
  ?jitter=MS       add up to this much random extra wait
  ?fail=500        answer 500 Internal Server Error
  ?fail=slow       answer only after a long delay (past a client's timeout)
  ?fail=drop       close the connection without answering
  ?fail=none       never fail this request, whatever --fail-rate says
";

/// A JSON error body: `{"error": ..., "status": ...}`.
pub fn error(status: StatusCode, message: &str) -> Response<Body> {
    json_reply(
        status,
        json!({ "error": message, "status": status.as_u16() }),
    )
}

fn not_found(path: &str) -> Response<Body> {
    // Paths come from the network: keep what we echo short.
    let shown: String = path.chars().take(200).collect();
    error(StatusCode::NOT_FOUND, &format!("not found: {shown}"))
}

fn json_reply(status: StatusCode, v: serde_json::Value) -> Response<Body> {
    with_type(status, "application/json", Bytes::from(v.to_string()))
}

fn text(status: StatusCode, s: String) -> Response<Body> {
    with_type(status, "text/plain; charset=utf-8", Bytes::from(s))
}

fn with_type(status: StatusCode, ctype: &'static str, body: Bytes) -> Response<Body> {
    let mut r = Response::new(Full::new(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    fn body_of(r: Response<Body>) -> Bytes {
        futures::executor::block_on(r.into_body().collect())
            .map(|c| c.to_bytes())
            .unwrap_or_default()
    }

    #[test]
    fn routes_resolve_ids_names_and_sites() {
        let dex = Pokedex::get().unwrap();
        assert_eq!(Route::of("/api/v2/pokemon/1", dex), Route::Pokemon(1));
        assert_eq!(Route::of("/api/v2/pokemon/151/", dex), Route::Pokemon(151));
        assert_eq!(
            Route::of("/api/v2/pokemon/mr-mime", dex),
            Route::Pokemon(122)
        );
        for bad in ["0", "152", "abc", "-1", "99999999999999", "1.5"] {
            let p = format!("/api/v2/pokemon/{bad}");
            assert_eq!(Route::of(&p, dex), Route::NoSuchPokemon, "{p}");
        }
        assert_eq!(Route::of("/sites/dice", dex), Route::Site(1));
        assert_eq!(Route::of("/sites/nope", dex), Route::NotFound);
        assert_eq!(Route::of("/", dex), Route::Index);
        assert_eq!(Route::of("/api/v2/pokemon/", dex), Route::PokemonList);
        assert!(!Route::Health.is_example() && Route::Site(0).is_example());
    }

    #[test]
    fn responses_carry_json_and_pages() {
        let dex = Pokedex::get().unwrap();
        let r = Route::Pokemon(19).respond("/x", dex);
        assert_eq!(r.status(), StatusCode::OK);
        let v: serde_json::Value = serde_json::from_slice(&body_of(r)).unwrap();
        assert_eq!(v["name"], "rattata");
        let r = Route::NoSuchPokemon.respond("/api/v2/pokemon/0", dex);
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let v: serde_json::Value = serde_json::from_slice(&body_of(r)).unwrap();
        assert_eq!(v["status"], 404);
        let big = body_of(Route::Site(0).respond("/", dex)).len();
        let small = body_of(Route::Site(1).respond("/", dex)).len();
        assert!(big > 9_000 && small < 2_000 && small > 500, "{big} {small}");
        let list: serde_json::Value =
            serde_json::from_slice(&body_of(Route::PokemonList.respond("/", dex))).unwrap();
        assert_eq!(list["results"][150]["name"], "mew");
    }
}
