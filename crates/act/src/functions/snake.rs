//! snake_α(x) = x + sin²(αx)/α (Liu Ziyin et al., 2020), for periodic structure.
//!
//! f′ = 1 + sin(2αx) touches zero at every 2αx = −π/2 + 2πk; there the subtraction 1 + sin
//! cancels completely, so f′ is computed as a whole by [`crate::dd::one_plus_sin`], whose argument
//! reduction (Payne–Hanek) keeps the distance to the zero exact even for |x| ~ 10³⁰⁰. That path is
//! used for f32 derivatives too: a plain f64 sin is not accurate enough near the zeros.

use crate::dd::{DD, one_plus_sin, sin_cos, two_prod};

/// x + sin²(αx)/α in plain f64 (f32 results). αx is rounded, but where that matters (|αx| ≫ 1)
/// the term sin²(αx)/α ≤ 1/α is tiny against x's own rounding.
#[inline]
pub(crate) fn snake_fast(x: f64, alpha: f64) -> f64 {
    if x.is_infinite() {
        return x;
    }
    let s = (alpha * x).sin();
    x + s * s / alpha
}

/// x + sin²(αx)/α in double-double (αx exact).
pub(crate) fn snake_dd(x: f64, alpha: f64) -> DD {
    if x.is_nan() || x.is_infinite() {
        return DD::from_f64(x);
    }
    let theta = two_prod(alpha, x);
    if !theta.hi.is_finite() {
        // |αx| overflows only when |x| ≥ f64::MAX/α with α > 1: sin²/α < 1 is far below ulp(x).
        return DD::from_f64(x);
    }
    let (s, _) = sin_cos(theta);
    DD::from_f64(x) + s.sqr().div_f64(alpha)
}

/// 1 + sin(2αx). NaN at ±∞ (the limit does not exist).
pub(crate) fn snake_derivative_dd(x: f64, alpha: f64) -> DD {
    if x.is_nan() || x.is_infinite() {
        return DD::from_f64(f64::NAN);
    }
    let theta = two_prod(alpha, x);
    let two_theta = theta.ldexp(1);
    if two_theta.hi.is_finite() {
        one_plus_sin(two_theta)
    } else {
        // 2αx overflows. With θ′ = (α/2^m)·x finite (exact), sin(2αx) = sin(2^(m+1)θ′) by
        // m + 1 doublings (sin 2t = 2 sin t cos t, cos 2t = cos² t − sin² t).
        let m = (alpha.log2().ceil() as i32).max(0) + 1;
        let (mut s, mut c) = sin_cos(two_prod(crate::dd::ldexp(alpha, -m), x));
        for _ in 0..=m {
            (s, c) = ((s * c).ldexp(1), c.sqr() - s.sqr());
        }
        s.add_f64(1.0)
    }
}
