//! Celestial FITS WCS (Greisen & Calabretta 2002, "Representations of world coordinates in
//! FITS", paper I; Calabretta & Greisen 2002, paper II): pixel → (RA, Dec) for the zenithal
//! projections (TAN, SIN, ARC, ZEA, STG and the tilted AZP), which covers the images of
//! optical and infrared archives. SIP distortion terms (TAN-SIP) are ignored: they move pixels
//! by arcseconds, far below what a footprint needs.

use formats::fits::Header;

const R0: f64 = 180.0 / std::f64::consts::PI;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Projection {
    /// AZP with μ (PV2_1) and γ (PV2_2, degrees); TAN is AZP with μ = γ = 0.
    Azp {
        mu: f64,
        gamma: f64,
    },
    Sin,
    Arc,
    Zea,
    Stg,
}

/// A celestial WCS of the first two image axes.
#[derive(Debug, Clone, PartialEq)]
pub struct Wcs {
    crpix: [f64; 2],
    /// The linear transformation pixel offset → intermediate world coordinates, degrees.
    cd: [[f64; 2]; 2],
    crval: [f64; 2],
    /// LONPOLE, degrees.
    lonpole: f64,
    projection: Projection,
}

impl Wcs {
    /// The WCS of `header` if its first two axes are RA/Dec in a supported projection;
    /// `Err` names what is missing or unsupported.
    pub fn from_header(header: &Header) -> Result<Self, String> {
        let ctype1 = header.text("CTYPE1").unwrap_or("").trim().to_owned();
        let ctype2 = header.text("CTYPE2").unwrap_or("").trim().to_owned();
        if !(ctype1.starts_with("RA--") && ctype2.starts_with("DEC-")) {
            return Err(format!(
                "axes 1 and 2 are not right ascension and declination (CTYPE1 = '{ctype1}', CTYPE2 = '{ctype2}')"
            ));
        }
        let code = ctype1.get(5..8).unwrap_or("");
        let real = |k: &str, default: f64| header.real(k).unwrap_or(default);
        let projection = match code {
            "TAN" => Projection::Azp {
                mu: 0.0,
                gamma: 0.0,
            },
            "AZP" => Projection::Azp {
                mu: real("PV2_1", 0.0),
                gamma: real("PV2_2", 0.0),
            },
            "SIN" if real("PV2_1", 0.0) == 0.0 && real("PV2_2", 0.0) == 0.0 => Projection::Sin,
            "ARC" => Projection::Arc,
            "ZEA" => Projection::Zea,
            "STG" => Projection::Stg,
            other => return Err(format!("the projection {other} is not supported")),
        };
        let radesys = header.text("RADESYS").map(str::trim);
        if let Some(system) = radesys.filter(|s| !matches!(*s, "ICRS" | "FK5")) {
            return Err(format!("RADESYS = '{system}' is not ICRS or FK5"));
        }
        let crval = [
            header.real("CRVAL1").ok_or("CRVAL1 is missing")?,
            header.real("CRVAL2").ok_or("CRVAL2 is missing")?,
        ];
        let crpix = [real("CRPIX1", 0.0), real("CRPIX2", 0.0)];
        let cd = linear(header)?;
        // Paper II §2.5: for zenithal projections (θ0 = 90°) LONPOLE defaults to 180° unless
        // the reference point is the pole itself.
        let default_lonpole = if crval[1] >= 90.0 { 0.0 } else { 180.0 };
        Ok(Self {
            crpix,
            cd,
            crval,
            lonpole: real("LONPOLE", default_lonpole),
            projection,
        })
    }

    /// (RA, Dec) in degrees of the 1-based pixel position (p1, p2); `None` where the
    /// projection has no solution (beyond the horizon of a perspective projection).
    pub fn pixel_to_sky(&self, p1: f64, p2: f64) -> Option<(f64, f64)> {
        let (d1, d2) = (p1 - self.crpix[0], p2 - self.crpix[1]);
        let x = self.cd[0][0] * d1 + self.cd[0][1] * d2;
        let y = self.cd[1][0] * d1 + self.cd[1][1] * d2;
        let (phi, theta) = self.native(x, y)?;
        Some(self.celestial(phi, theta))
    }

    /// Native spherical coordinates (φ, θ) in degrees of intermediate coordinates (x, y).
    fn native(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let r = x.hypot(y);
        let phi = if r == 0.0 {
            0.0
        } else {
            x.atan2(-y).to_degrees()
        };
        let theta = match self.projection {
            // Paper II §5.1.1, AZP deprojection (TAN when μ = γ = 0).
            Projection::Azp { mu, gamma } => {
                let g = gamma.to_radians();
                let r = x.hypot(y * g.cos());
                let phi = if r == 0.0 {
                    0.0
                } else {
                    x.atan2(-y * g.cos()).to_degrees()
                };
                let rho = r / (R0 * (mu + 1.0) + y * g.sin());
                let psi = 1f64.atan2(rho);
                let s = rho * mu / (rho * rho + 1.0).sqrt();
                if s.abs() > 1.0 {
                    return None;
                }
                let omega = s.asin();
                let a = (psi - omega).to_degrees();
                let b = (psi + omega).to_degrees() + 180.0;
                let b = if b > 180.0 { b - 360.0 } else { b };
                // The solution nearer the pole (θ = 90°), within range.
                let theta = [a, b]
                    .into_iter()
                    .filter(|t| (-90.0..=90.0).contains(t))
                    .min_by(|p, q| (90.0 - p).abs().total_cmp(&(90.0 - q).abs()))?;
                return Some((phi, theta));
            }
            Projection::Sin => {
                let c = r / R0;
                if c > 1.0 {
                    return None;
                }
                c.acos().to_degrees()
            }
            Projection::Arc => 90.0 - r,
            Projection::Zea => {
                let s = r / (2.0 * R0);
                if s > 1.0 {
                    return None;
                }
                90.0 - 2.0 * s.asin().to_degrees()
            }
            Projection::Stg => 90.0 - 2.0 * (r / (2.0 * R0)).atan().to_degrees(),
        };
        Some((phi, theta))
    }

    /// Paper II eq. 2: native (φ, θ) → celestial (α, δ), with the native pole at (α0, δ0).
    fn celestial(&self, phi: f64, theta: f64) -> (f64, f64) {
        let (phi, theta) = (phi.to_radians(), theta.to_radians());
        let (ap, dp) = (self.crval[0].to_radians(), self.crval[1].to_radians());
        let dphi = phi - self.lonpole.to_radians();
        let ra = ap
            + (-theta.cos() * dphi.sin())
                .atan2(theta.sin() * dp.cos() - theta.cos() * dp.sin() * dphi.cos());
        let dec = (theta.sin() * dp.sin() + theta.cos() * dp.cos() * dphi.cos())
            .clamp(-1.0, 1.0)
            .asin();
        (ra.to_degrees().rem_euclid(360.0), dec.to_degrees())
    }

    /// The size of a pixel along each axis, degrees.
    pub fn pixel_scale(&self) -> (f64, f64) {
        (
            self.cd[0][0].hypot(self.cd[1][0]),
            self.cd[0][1].hypot(self.cd[1][1]),
        )
    }
}

/// The CDi_j matrix, or PCi_j × CDELTi, or CDELTi with CROTA2 (paper II §6.1).
fn linear(header: &Header) -> Result<[[f64; 2]; 2], String> {
    let cd = |i, j| header.real(&format!("CD{i}_{j}"));
    if [cd(1, 1), cd(1, 2), cd(2, 1), cd(2, 2)]
        .iter()
        .any(Option::is_some)
    {
        return Ok([
            [cd(1, 1).unwrap_or(0.0), cd(1, 2).unwrap_or(0.0)],
            [cd(2, 1).unwrap_or(0.0), cd(2, 2).unwrap_or(0.0)],
        ]);
    }
    let cdelt1 = header
        .real("CDELT1")
        .ok_or("neither CDi_j nor CDELT1 is given")?;
    let cdelt2 = header
        .real("CDELT2")
        .ok_or("neither CDi_j nor CDELT2 is given")?;
    let pc = |i, j, default| header.real(&format!("PC{i}_{j}")).unwrap_or(default);
    let has_pc = ["PC1_1", "PC1_2", "PC2_1", "PC2_2"]
        .iter()
        .any(|k| header.real(k).is_some());
    let m = if has_pc {
        [
            [pc(1, 1, 1.0), pc(1, 2, 0.0)],
            [pc(2, 1, 0.0), pc(2, 2, 1.0)],
        ]
    } else {
        let rho = header.real("CROTA2").unwrap_or(0.0).to_radians();
        let ratio = cdelt2 / cdelt1;
        [
            [rho.cos(), -rho.sin() * ratio],
            [rho.sin() / ratio, rho.cos()],
        ]
    };
    Ok([
        [cdelt1 * m[0][0], cdelt1 * m[0][1]],
        [cdelt2 * m[1][0], cdelt2 * m[1][1]],
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cards: &[&str]) -> Header {
        let mut text = String::new();
        for card in cards.iter().chain(std::iter::once(&"END")) {
            text.push_str(&format!("{card:<80}"));
        }
        while !text.len().is_multiple_of(2880) {
            text.push(' ');
        }
        Header::parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn the_reference_pixel_is_the_reference_value() {
        let h = header(&[
            "SIMPLE  = T",
            "CTYPE1  = 'RA---TAN'",
            "CTYPE2  = 'DEC--TAN'",
            "CRVAL1  = 250.4226",
            "CRVAL2  = 36.4602",
            "CRPIX1  = 150.5",
            "CRPIX2  = 150.5",
            "CDELT1  = -0.00027770002",
            "CDELT2  = 0.00027770002",
        ]);
        let wcs = Wcs::from_header(&h).unwrap();
        let (ra, dec) = wcs.pixel_to_sky(150.5, 150.5).unwrap();
        assert!((ra - 250.4226).abs() < 1e-9 && (dec - 36.4602).abs() < 1e-9);
        // One pixel east (CDELT1 < 0: pixel numbers grow westward) and one north.
        let (ra1, dec1) = wcs.pixel_to_sky(149.5, 150.5).unwrap();
        let expected = 0.00027770002 / 36.4602f64.to_radians().cos();
        assert!((ra1 - 250.4226 - expected).abs() < 1e-8, "{ra1}");
        assert!((dec1 - 36.4602).abs() < 1e-7);
        let (_, dec2) = wcs.pixel_to_sky(150.5, 151.5).unwrap();
        assert!((dec2 - 36.4602 - 0.00027770002).abs() < 1e-9);
        // A corner, against WCSLIB (astropy 8.0.2 all_pix2world, origin 1).
        let (ra, dec) = wcs.pixel_to_sky(1.0, 1.0).unwrap();
        assert!((ra - 250.47419204).abs() < 1e-7 && (dec - 36.41867276).abs() < 1e-7);
    }

    /// Paper II's test header 1904-66_AZP (μ = 2, γ = 30°); the expected positions are
    /// WCSLIB's, through astropy 8.0.2 `WCS.all_pix2world(…, 1)` on the same file.
    #[test]
    fn the_tilted_azp_test_header_matches_wcslib() {
        let h = header(&[
            "SIMPLE  = T",
            "CTYPE1  = 'RA---AZP'",
            "CTYPE2  = 'DEC--AZP'",
            "CRPIX1  = -2.541100848779E+02",
            "CDELT1  = -6.666666666667E-02",
            "CRVAL1  = 0.0",
            "CRPIX2  = -1.134948542534E+01",
            "CDELT2  = 6.666666666667E-02",
            "CRVAL2  = -90.0",
            "LONPOLE = 180.0",
            "PV2_1   = 2.0",
            "PV2_2   = 30.0",
        ]);
        let wcs = Wcs::from_header(&h).unwrap();
        let cases = [
            ((1.0, 1.0), (272.40060255, -73.01765518)),
            ((192.0, 192.0), (291.54205756, -59.2242029)),
            ((96.5, 96.5), (284.91682633, -66.30244668)),
        ];
        for ((p1, p2), (ra0, dec0)) in cases {
            let (ra, dec) = wcs.pixel_to_sky(p1, p2).unwrap();
            assert!(
                (ra - ra0).abs() < 1e-6 && (dec - dec0).abs() < 1e-6,
                "{ra} {dec}"
            );
        }
    }

    #[test]
    fn non_celestial_axes_are_refused() {
        let h = header(&["SIMPLE  = T", "CTYPE1  = 'LAMBDA'", "CTYPE2  = 'ANGLE'"]);
        assert!(
            Wcs::from_header(&h)
                .unwrap_err()
                .contains("not right ascension")
        );
    }
}
