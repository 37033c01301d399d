//! 4 concurrent clients in-process: p50/p95 latency and throughput of GetMap 512×512 PNG (queries
//! cycled, source-tile cache warm) and of one cached tile. Prints the figures; times nothing in
//! tests.

mod support;

use ogc_maps::Kvp;
use std::time::{Duration, Instant};

const CLIENTS: usize = 4;

fn run(label: &str, per_client: usize, work: impl Fn(usize) -> u16 + Sync) {
    let started = Instant::now();
    let mut latencies: Vec<Duration> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let work = &work;
                s.spawn(move || {
                    (0..per_client)
                        .map(|i| {
                            let t = Instant::now();
                            assert_eq!(work(c * per_client + i), 200);
                            t.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("client"))
            .collect()
    });
    let wall = started.elapsed();
    latencies.sort();
    let q = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize];
    println!(
        "{label}: {} requests by {CLIENTS} clients in {:.2} s → {:.1} req/s; p50 {:.3} ms, p95 {:.3} ms",
        latencies.len(),
        wall.as_secs_f64(),
        latencies.len() as f64 / wall.as_secs_f64(),
        q(0.5).as_secs_f64() * 1e3,
        q(0.95).as_secs_f64() * 1e3
    );
}

fn main() {
    let (svc, _dir) = support::services();
    let queries: Vec<Kvp> = support::getmap_queries()
        .iter()
        .map(|q| Kvp::from_query(q))
        .collect();
    for q in &queries {
        assert_eq!(svc.wms(q).status, 200);
    }
    run("GetMap 512x512 PNG", 30, |i| {
        svc.wms(&queries[i % queries.len()]).status
    });
    assert_eq!(svc.tile("mars4k", 3, 5, 2).status, 200);
    run("cached tile", 50_000, |_| {
        svc.tile("mars4k", 3, 5, 2).status
    });
}
