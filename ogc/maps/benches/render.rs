//! Criterion: one GetMap 512×512 PNG (per query kind), and one cached tile, in-process.

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use ogc_maps::Kvp;

fn bench(c: &mut Criterion) {
    let (svc, _dir) = support::services();
    let names = [
        "getmap_512_global_overview",
        "getmap_512_region_full_res",
        "getmap_512_polar_reprojected",
    ];
    for (name, query) in names.iter().zip(support::getmap_queries()) {
        let kvp = Kvp::from_query(&query);
        assert_eq!(svc.wms(&kvp).status, 200);
        c.bench_function(name, |b| b.iter(|| svc.wms(&kvp)));
    }
    assert_eq!(svc.tile("mars4k", 3, 5, 2).status, 200);
    c.bench_function("cached_tile", |b| b.iter(|| svc.tile("mars4k", 3, 5, 2)));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
