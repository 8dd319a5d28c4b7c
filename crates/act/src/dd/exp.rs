//! e^x and e^x − 1 in double-double.
//!
//! Method for e^x: x = (256q + j)·ln 2/256 + r with |r| ≤ ln 2/512 (ln 2 to three parts), so
//! e^x = 2^q · 2^(j/256) · e^r with a 256-entry double-double table (`tools/dd_constants.py`) and a
//! degree-10 Taylor polynomial for e^r − 1, exact to 2⁻¹¹⁵.
//!
//! Method for e^x − 1 near 0 (|x| ≤ 0.34, where e^x − 1 would cancel): x is divided by 2¹⁰ so a
//! degree-8 Taylor polynomial for e^r − 1 is exact to 2⁻¹¹⁰, and ten doublings e ← e(e + 2) undo
//! the division; working with e^r − 1 keeps the small part's relative precision throughout.

use super::{DD, EXP2_TABLE, INV_FACT, LN2, LN2_TAIL, LOG2E, Scaled, two_prod};

/// Halvings applied to the reduced argument before the series.
const HALVINGS: i32 = 10;

/// e^r − 1 for |r| ≤ ln 2 / 2 (about 0.347), relative error below 2⁻¹⁰⁰.
#[inline]
fn expm1_reduced(r: DD) -> DD {
    let r = r.ldexp(-HALVINGS);
    // expm1(r) = r·Σ_{n=1..8} r^{n−1}/n!  (the next term, r⁸/9!, is below 2⁻¹¹⁰ of r)
    let mut s = INV_FACT[8];
    for n in (1..8).rev() {
        s = s * r + INV_FACT[n];
    }
    let mut e = s * r;
    // e^{2r} − 1 = (e^r − 1)(e^r − 1 + 2)
    for _ in 0..HALVINGS {
        e = e * e.add_f64(2.0);
    }
    e
}

/// e^x as a [`Scaled`] value `m · 2^exp`, so that results far below f64's range keep 106 bits.
///
/// Relative error below 2⁻¹⁰⁰. Returns `m = ∞` above 710 and `m = 0` below −800 (see the body);
/// NaN propagates.
pub fn exp_scaled(x: DD) -> Scaled {
    if x.hi.is_nan() {
        return Scaled::new(DD::from_f64(f64::NAN));
    }
    if x.hi > 710.0 {
        // e^{710} > f64::MAX: every caller's result overflows too.
        return Scaled::new(DD::from_f64(f64::INFINITY));
    }
    if x.hi < -800.0 {
        // e^{−800} < 2⁻¹¹⁵⁴. Callers multiply it by at most |x| < 2⁷⁰ before rounding to f64,
        // so the result rounds to a (signed) zero either way; skip the work.
        return Scaled::new(DD::ZERO);
    }
    if x.hi.abs() < 1.0 / (1u64 << 60) as f64 {
        // 1 + x: the x² term is below 2⁻¹²⁰.
        return Scaled::new(x.add_f64(1.0));
    }
    // x = (256q + j)·ln2/256 + r, |r| ≤ ln2/512: e^x = 2^q · 2^(j/256) · e^r.
    let k = (x.hi * (LOG2E.hi * 256.0)).round();
    let r = (x - two_prod(k, LN2.hi).ldexp(-8) - two_prod(k, LN2.lo).ldexp(-8))
        .add_f64(-k * LN2_TAIL * (1.0 / 256.0));
    // e^r − 1 = r·Σ_{n=1..10} r^{n−1}/n!: the next term, r¹⁰/11!, is below 2⁻¹¹⁵ of r.
    let mut s = INV_FACT[10];
    for n in (1..10).rev() {
        s = s * r + INV_FACT[n];
    }
    let em1 = s * r;
    let ki = k as i64;
    let (q, j) = (ki.div_euclid(256), ki.rem_euclid(256) as usize);
    let t = EXP2_TABLE[j];
    Scaled {
        m: t + t * em1,
        exp: q as i32,
    }
}

/// e^x in double-double (correctly rounded into f64's subnormals, ∞ past the top).
pub fn exp(x: DD) -> DD {
    exp_scaled(x).to_dd()
}

/// e^x − 1 in double-double, with relative accuracy near zero.
pub fn expm1(x: DD) -> DD {
    if x.hi.is_nan() {
        return x;
    }
    let ax = x.hi.abs();
    if ax < 1e-120 {
        // x²/2 is below 2⁻³⁹⁸ of x (and would be subnormal).
        return x;
    }
    if ax < 1.0 / (1u64 << 30) as f64 {
        // x + x²/2 + x³/6: the next term is below 2⁻⁹⁰ of x.
        let x2 = x.sqr();
        return x + x2.mul_f64(0.5) + (x2 * x) * INV_FACT[3];
    }
    if ax <= 0.34 {
        return expm1_reduced(x);
    }
    if x.hi < -80.0 {
        // e^x < 2⁻¹¹⁵: −1 + e^x, with e^x kept as the low part.
        return DD::from_f64(-1.0) + exp(x);
    }
    exp(x).add_f64(-1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: DD, hi: u64, lo: u64) -> f64 {
        let want = DD::from_bits(hi, lo);
        ((a - want).hi / want.hi).abs()
    }

    #[test]
    fn exp_matches_mpmath() {
        // mpmath 250-bit: e^1, e^-0.5, e^700, e^-740 (subnormal: exact rounding), e^(1e-20)
        assert!(
            rel(
                exp(DD::from_f64(1.0)),
                0x4005bf0a8b145769,
                0x3ca4d57ee2b1013a
            ) < 1e-31
        );
        assert!(
            rel(
                exp(DD::from_f64(-0.5)),
                0x3fe368b2fc6f960a,
                0xbc285314b9559e64
            ) < 1e-31
        );
        assert!(
            rel(
                exp(DD::from_f64(700.0)),
                0x7f0d945df4f8ec8e,
                0x7b9183392684a46e
            ) < 1e-30
        );
        assert_eq!(
            exp(DD::from_f64(-740.0)).hi,
            f64::from_bits(0x0000000000000055)
        );
        assert_eq!(exp(DD::from_f64(1e-20)), DD { hi: 1.0, lo: 1e-20 });
    }

    #[test]
    fn expm1_keeps_relative_precision() {
        // mpmath 250-bit: expm1(1e-10), expm1(-0.3), expm1(-100)
        assert!(
            rel(
                expm1(DD::from_f64(1e-10)),
                0x3ddb7cdfd9dda4e3,
                0x3a70c95a385d91c6
            ) < 1e-30
        );
        assert!(
            rel(
                expm1(DD::from_f64(-0.3)),
                0xbfd0966f2c7907f6,
                0xbc40a730392f0d98
            ) < 1e-30
        );
        let m = expm1(DD::from_f64(-100.0));
        assert_eq!(m.hi, -1.0);
        assert!((m.lo / 3.720075976020836e-44 - 1.0).abs() < 1e-15);
    }
}
