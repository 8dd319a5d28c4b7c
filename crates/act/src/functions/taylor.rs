//! Values at tiny |x| from the Taylor polynomial at 0.
//!
//! Below |x| = 2⁻⁴⁰ every smooth activation equals c₀ + c₁x + c₂x² to better than 2⁻⁸⁰ relative
//! (the cubic term is that much smaller than the leading one). The polynomial is both exact enough
//! and far cheaper than the general double-double path, whose intermediate products would also be
//! subnormal (and slow) there. When c₀ = 0 the sum is formed in a scaled frame so that a
//! subnormal result is rounded once.

use crate::dd::{DD, Scaled};

/// Where the Taylor polynomial takes over.
pub(crate) const TINY: f64 = 1.0 / (1u64 << 40) as f64;

/// c₀ + c₁x + c₂x² for |x| < [`TINY`].
pub(crate) fn taylor_at_zero(x: f64, c: [DD; 3]) -> DD {
    let [c0, c1, c2] = c;
    if c0.hi != 0.0 {
        let mut v = c0 + c1.mul_f64(x);
        if x.abs() > 1e-120 {
            v = v + c2 * DD::from_f64(x).sqr();
        }
        return v;
    }
    if x == 0.0 {
        // c₁x keeps the sign of a signed zero (tanh(−0) = −0); c₁ = 0 leaves c₂x² = +0.
        return DD::from_f64(if c1.hi == 0.0 { 0.0 } else { c1.hi * x });
    }
    // x = xs·2^−k with xs ≈ 1: c₁x + c₂x² = 2^−k(c₁xs + c₂xs²·2^−k).
    let k = -crate::dd::exponent_of(x);
    let xs = DD::from_f64(x).ldexp(k);
    let mut m = c1 * xs;
    if k < 400 {
        m = m + (c2 * xs.sqr()).ldexp(-k);
    } else if c2.hi != 0.0 {
        // c₂x² is below 2⁻⁴⁰⁰ of the result, but it still decides a rounding tie (x/2 for a
        // subnormal x is exactly half-way): keep its sign as a sticky low part.
        m = m.add_f64(c2.hi.signum() * m.hi.abs() * 1e-100);
    }
    if c1.hi == 0.0 {
        // Pure c₂x² (tanh² x): scale by 2^−2k.
        return Scaled {
            m: c2 * xs.sqr(),
            exp: -2 * k,
        }
        .to_dd();
    }
    Scaled { m, exp: -k }.to_dd()
}

/// c₀ + c₁x + c₂x² in plain f64, rounded once to f32. Every f32 input below [`TINY`] keeps these
/// products in f64's normal range (no subnormal arithmetic). The quadratic term is added as the
/// low part of a double-double so that it still breaks a rounding tie: x/2 of an odd subnormal
/// f32 is exactly half-way between two f32 numbers, and only c₂x² says which way it goes.
#[inline]
pub(crate) fn taylor_f32(x: f64, c: [DD; 3]) -> f32 {
    let [c0, c1, c2] = c;
    if x == 0.0 {
        return taylor_at_zero(x, c).hi as f32;
    }
    // c₀ = 0: no 0 + (−0) = +0, so the sign of a zero input survives.
    let linear = if c0.hi == 0.0 {
        c1.hi * x
    } else {
        c0.hi + c1.hi * x
    };
    let quadratic = if x.abs() > 1e-120 || c1.hi == 0.0 {
        c2.hi * x * x
    } else {
        0.0
    };
    crate::dd::two_sum(linear, quadratic).to_f32()
}
