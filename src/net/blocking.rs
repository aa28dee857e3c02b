//! Requests from blocking callers (the sync loop, pool threads), drawn on
//! the caller's lane.

use crate::net::client::{FetchError, Fetched, Fetcher, IoRuntime, Request};
use crate::net::marks::LaneMarks;
use crate::net::target::Target;
use crate::runtime::Control;
use crate::trace::{EventKind, LaneId, Tracer, UnitId};

/// What a blocking request needs besides its client: where to send it, how
/// to draw it, when to give up.
pub struct Blocking<'a> {
    pub io: &'a IoRuntime,
    pub target: &'a Target,
    pub tracer: &'a Tracer,
    pub control: &'a Control,
}

impl Blocking<'_> {
    /// GETs `url` for `unit` on `lane` and waits for it: its phases drawn,
    /// then `Woken` unless it was interrupted (which the caller reports as
    /// `Cancelled`). The caller ends the unit.
    pub fn fetch(
        &self,
        fetcher: &Fetcher,
        lane: LaneId,
        unit: UnitId,
        url: &str,
        keep_body: bool,
    ) -> Result<Fetched, FetchError> {
        let real = self.target.request_url(url, self.control);
        let req = Request {
            url: &real,
            keep_body,
            timeout: Some(self.target.timeout(self.control)),
        };
        let mut marks = LaneMarks::new(self.tracer, lane, unit, url);
        let control = self.control;
        let r = self
            .io
            .get(fetcher, &req, &mut marks, || control.is_interrupted(lane));
        if !matches!(r, Err(FetchError::Interrupted)) {
            self.tracer.emit(lane, EventKind::Woken { unit });
        }
        r
    }
}

/// Opens lane 0 as the example's main thread.
pub fn main_lane(tracer: &Tracer) {
    let kind = EventKind::LaneUp {
        name: "main".into(),
        pid: Some(std::process::id()),
        role: crate::trace::LaneRole::Main,
    };
    tracer.emit(0, kind);
}
