//! IN_UNIT (ADQL 2.1 §4.9): converting a column's value to another VOUnit, for the units of
//! astronomy this server meets (angles, lengths, times, masses, frequencies and their
//! products and powers, with SI prefixes).

use sqlparser::ast::{Expr, Value};

use crate::check::Checker;
use crate::check::ir::{BinOp, Literal, RExpr, Typed};
use crate::check::types::Ty;
use crate::error::{AdqlError, ErrorKind, Position};

/// Powers of the base quantities: angle, length, time, mass, temperature.
type Dimension = [i32; 5];

struct Quantity {
    factor: f64,
    dimension: Dimension,
}

const BASE: &[(&str, f64, Dimension)] = &[
    ("rad", 1.0, [1, 0, 0, 0, 0]),
    ("deg", std::f64::consts::PI / 180.0, [1, 0, 0, 0, 0]),
    (
        "arcmin",
        std::f64::consts::PI / 180.0 / 60.0,
        [1, 0, 0, 0, 0],
    ),
    (
        "arcsec",
        std::f64::consts::PI / 180.0 / 3600.0,
        [1, 0, 0, 0, 0],
    ),
    // VOUnit lists the milliarcsecond as a symbol of its own.
    ("mas", std::f64::consts::PI / 180.0 / 3.6e6, [1, 0, 0, 0, 0]),
    ("m", 1.0, [0, 1, 0, 0, 0]),
    ("AU", 1.495_978_707e11, [0, 1, 0, 0, 0]),
    ("au", 1.495_978_707e11, [0, 1, 0, 0, 0]),
    ("pc", 3.085_677_581_491_367e16, [0, 1, 0, 0, 0]),
    ("lyr", 9.460_730_472_580_8e15, [0, 1, 0, 0, 0]),
    ("Angstrom", 1e-10, [0, 1, 0, 0, 0]),
    ("solRad", 6.957e8, [0, 1, 0, 0, 0]),
    ("s", 1.0, [0, 0, 1, 0, 0]),
    ("min", 60.0, [0, 0, 1, 0, 0]),
    ("h", 3600.0, [0, 0, 1, 0, 0]),
    ("d", 86400.0, [0, 0, 1, 0, 0]),
    ("yr", 365.25 * 86400.0, [0, 0, 1, 0, 0]),
    ("a", 365.25 * 86400.0, [0, 0, 1, 0, 0]),
    ("Hz", 1.0, [0, 0, -1, 0, 0]),
    ("g", 1e-3, [0, 0, 0, 1, 0]),
    ("solMass", 1.988_47e30, [0, 0, 0, 1, 0]),
    ("K", 1.0, [0, 0, 0, 0, 1]),
];

const PREFIXES: &[(&str, f64)] = &[
    ("da", 1e1),
    ("y", 1e-24),
    ("z", 1e-21),
    ("a", 1e-18),
    ("f", 1e-15),
    ("p", 1e-12),
    ("n", 1e-9),
    ("u", 1e-6),
    ("m", 1e-3),
    ("c", 1e-2),
    ("d", 1e-1),
    ("h", 1e2),
    ("k", 1e3),
    ("M", 1e6),
    ("G", 1e9),
    ("T", 1e12),
    ("P", 1e15),
    ("E", 1e18),
    ("Z", 1e21),
    ("Y", 1e24),
];

fn symbol(s: &str) -> Option<Quantity> {
    let exact = BASE.iter().find(|(name, ..)| *name == s);
    if let Some(&(_, factor, dimension)) = exact {
        return Some(Quantity { factor, dimension });
    }
    PREFIXES.iter().find_map(|&(prefix, scale)| {
        let rest = s.strip_prefix(prefix)?;
        let &(_, factor, dimension) = BASE.iter().find(|(name, ..)| *name == rest)?;
        Some(Quantity {
            factor: factor * scale,
            dimension,
        })
    })
}

/// Parses `deg`, `mas/yr`, `km.s**-1`, `arcsec**2`... into a factor to SI and a dimension.
fn parse_unit(text: &str) -> Option<Quantity> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total = Quantity {
        factor: 1.0,
        dimension: [0; 5],
    };
    let mut sign = 1;
    let mut rest = text;
    loop {
        let end = rest.find(['.', '/']).unwrap_or(rest.len());
        let (term, after) = rest.split_at(end);
        let (name, power) = match term.split_once("**") {
            Some((n, p)) => (
                n,
                p.trim_matches(|c| c == '(' || c == ')')
                    .parse::<i32>()
                    .ok()?,
            ),
            None => (term, 1),
        };
        let q = symbol(name)?;
        let power = power * sign;
        total.factor *= q.factor.powi(power);
        for (d, qd) in total.dimension.iter_mut().zip(q.dimension) {
            *d += qd * power;
        }
        let Some(separator) = after.chars().next() else {
            return Some(total);
        };
        if separator == '/' {
            sign = -1;
        }
        rest = &after[1..];
    }
}

/// The factor turning a value in `from` into one in `to`, or why not.
pub(crate) fn conversion(from: &str, to: &str) -> Result<f64, String> {
    let target =
        parse_unit(to).ok_or_else(|| format!("'{to}' is not a unit this service knows"))?;
    let source =
        parse_unit(from).ok_or_else(|| format!("the unit '{from}' cannot be converted"))?;
    if source.dimension != target.dimension {
        return Err(format!("'{from}' cannot be converted into '{to}'"));
    }
    Ok(source.factor / target.factor)
}

impl Checker<'_> {
    /// IN_UNIT(column, 'unit'): the value times the conversion factor from the column's unit.
    pub(crate) fn in_unit(
        &mut self,
        value: &Expr,
        unit: &Expr,
        at: Option<Position>,
    ) -> Result<Typed, AdqlError> {
        let Expr::Value(v) = unit else {
            return Err(AdqlError::syntax("IN_UNIT takes a unit string", at));
        };
        let Value::SingleQuotedString(target) = &v.value else {
            return Err(AdqlError::syntax("IN_UNIT takes a unit string", at));
        };
        let column = match value {
            Expr::Identifier(i) => Some(self.column(std::slice::from_ref(i))?),
            Expr::CompoundIdentifier(parts) => Some(self.column(parts)?),
            _ => None,
        };
        let Some(column) = column.filter(|c| c.ty.is_numeric()) else {
            return Err(AdqlError::new(
                ErrorKind::Type,
                "IN_UNIT converts a numeric column with a unit; expressions carry no unit \
                 (ADQL 2.1 §4.9.1)",
                at,
            ));
        };
        let Some(source) = column.meta.unit_of().filter(|u| !u.is_empty()) else {
            return Err(AdqlError::new(
                ErrorKind::Type,
                format!("the column {} has no unit to convert from", column.name),
                at,
            ));
        };
        let target = crate::parse::unescape(target, '\'');
        let factor = conversion(source, &target)
            .map_err(|m| AdqlError::new(ErrorKind::Type, format!("IN_UNIT: {m}"), at))?;
        Ok(Typed {
            expr: RExpr::Binary {
                op: BinOp::Multiply,
                left: Box::new(column.expr.clone()),
                right: Box::new(RExpr::Literal(Literal::Number(format!("{factor:e}")))),
            },
            ty: Ty::Double,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::conversion;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn converts_angles_proper_motions_and_distances() {
        assert!(close(
            conversion("deg", "rad").unwrap(),
            std::f64::consts::PI / 180.0
        ));
        assert!(close(conversion("deg", "arcmin").unwrap(), 60.0));
        assert!(close(conversion("mas/yr", "arcsec/yr").unwrap(), 1e-3));
        assert!(close(conversion("km.s**-1", "m/s").unwrap(), 1e3));
        assert!(close(conversion("kpc", "pc").unwrap(), 1e3));
        assert!(close(conversion("deg**2", "arcmin**2").unwrap(), 3600.0));
    }

    #[test]
    fn refuses_what_cannot_be_converted() {
        assert!(conversion("deg", "kg").is_err());
        assert!(conversion("deg", "foo").is_err());
        assert!(conversion("deg", "").is_err());
        assert!(conversion("mag", "deg").is_err());
    }
}
