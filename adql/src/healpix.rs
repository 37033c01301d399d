//! HEALPix (NESTED numbering) through `cdshealpix`, with the argument checks a UDF needs: the
//! server's `adql_healpix_*` UDFs call these.

use cdshealpix::compass_point::MainWind;

use crate::geometry::{SkyPoint, normalize_lon};

/// The deepest HEALPix order.
pub const MAX_ORDER: u8 = cdshealpix::DEPTH_MAX;

/// The NESTED index of the cell containing (lon, lat) in degrees; `None` for an invalid order or
/// position.
pub fn index(order: i64, lon: f64, lat: f64) -> Option<u64> {
    let order = u8::try_from(order).ok().filter(|o| *o <= MAX_ORDER)?;
    if !lon.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return None;
    }
    Some(cdshealpix::nested::hash(
        order,
        normalize_lon(lon).to_radians(),
        lat.to_radians(),
    ))
}

/// The centre of a cell; `None` for an invalid order or index.
pub fn center(order: i64, index: i64) -> Option<SkyPoint> {
    let order = u8::try_from(order).ok().filter(|o| *o <= MAX_ORDER)?;
    let index = u64::try_from(index)
        .ok()
        .filter(|i| *i < cdshealpix::nested::n_hash(order))?;
    let (lon, lat) = cdshealpix::nested::center(order, index);
    Some(SkyPoint::new(
        normalize_lon(lon.to_degrees()),
        lat.to_degrees(),
    ))
}

/// Directions 1 to 8 of [`neighbour`].
const WINDS: [MainWind; 8] = [
    MainWind::S,
    MainWind::SE,
    MainWind::E,
    MainWind::SW,
    MainWind::NE,
    MainWind::W,
    MainWind::NW,
    MainWind::N,
];

/// Direction 0 is the cell itself, 1 to 8 its neighbours to the S, SE, E, SW, NE, W, NW and N;
/// `None` where there is no such neighbour (some cells have 7) or the arguments are invalid.
/// Every neighbour appears under one direction only, so a join on it yields each pair once.
pub fn neighbour(order: i64, index: i64, direction: i64) -> Option<u64> {
    let order = u8::try_from(order).ok().filter(|o| *o <= MAX_ORDER)?;
    let index = u64::try_from(index)
        .ok()
        .filter(|i| *i < cdshealpix::nested::n_hash(order))?;
    match direction {
        0 => Some(index),
        1..=8 => {
            let wind = WINDS[usize::try_from(direction - 1).ok()?];
            cdshealpix::nested::get(order).neighbour(index, wind)
        }
        _ => None,
    }
}

/// The deepest order at which every point within `radius` degrees of a point lies in that
/// point's cell or one of its 8 neighbours; `None` for radii too large (beyond ~48°).
pub fn crossmatch_order(radius: f64) -> Option<u8> {
    // A small margin so that pairs exactly at the radius are never lost.
    let r = (radius * (1.0 + 1e-9) + 1e-12).to_radians();
    (radius.is_finite() && radius >= 0.0 && cdshealpix::has_best_starting_depth(r))
        .then(|| cdshealpix::best_starting_depth(r))
}
