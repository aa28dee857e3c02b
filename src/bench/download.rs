//! `racecourse bench download`: the notes' 160 downloads in each mode and
//! 10,000 concurrent async requests (the work lives in `net::bench`).

pub use crate::net::bench::bench_download_with;
