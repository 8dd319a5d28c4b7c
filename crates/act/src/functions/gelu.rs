//! The Gaussian error linear units: gelu (the exact erf form) and gelu_tanh (the tanh approximation).
//!
//! gelu(x) = x·Φ(x) with Φ(x) = erfc(−x/√2)/2: erfc keeps the negative tail exact where
//! ½(1 + erf(x/√2)) cancels (PyTorch loses everything below x ≈ −5 that way).
//! gelu_tanh(x) = ½x(1 + tanh u) = x·σ(2u), u = √(2/π)(x + 0.044715x³): the σ form never computes
//! 1 + tanh u, which cancels for x ≪ 0.

use super::sigmoid::{sigmoid_fast, sigmoid_scaled};
use crate::dd::{
    DD, FRAC_1_SQRT_2PI, GELU_TANH_C, SQRT_2_OVER_PI, Scaled, normal_cdf_scaled, normal_pdf_scaled,
};
use core::f64::consts::{FRAC_1_SQRT_2, FRAC_2_SQRT_PI};

/// √(2/π) and the cubic coefficient, as doubles.
const K: f64 = FRAC_2_SQRT_PI * FRAC_1_SQRT_2;
const C: f64 = 0.044715;

// ---------- plain f64 (f32 results) ----------

/// Φ(x) = erfc(−x/√2)/2 (libm's erfc; x/√2 carries a 2⁻⁵³ relative rounding that costs at most
/// ~2⁻⁴⁵ relative in the f32 range of the tail).
#[inline]
fn phi_cdf_fast(x: f64) -> f64 {
    0.5 * libm::erfc(-x * FRAC_1_SQRT_2)
}

/// gelu(x) = x·Φ(x).
#[inline]
pub(crate) fn gelu_fast(x: f64) -> f64 {
    if x == f64::NEG_INFINITY {
        return -0.0;
    }
    x * phi_cdf_fast(x)
}

/// gelu′ = Φ(x) + x·φ(x).
#[inline]
pub(crate) fn gelu_derivative_fast(x: f64) -> f64 {
    if x.is_infinite() {
        return if x > 0.0 { 1.0 } else { 0.0 };
    }
    let pdf = (-0.5 * x * x).exp() * FRAC_1_SQRT_2PI.hi;
    phi_cdf_fast(x) + x * pdf
}

/// gelu_tanh(x) = x·σ(2u).
#[inline]
pub(crate) fn gelu_tanh_fast(x: f64) -> f64 {
    if x.is_infinite() {
        return if x > 0.0 { x } else { -0.0 };
    }
    let u = K * (x + C * x * x * x);
    x * sigmoid_fast(2.0 * u)
}

/// gelu_tanh′ = σ(2u)(1 + 2x·σ(−2u)·u′), u′ = √(2/π)(1 + 3·0.044715x²).
#[inline]
pub(crate) fn gelu_tanh_derivative_fast(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x.abs() > 1e5 {
        // σ(±2u) is exactly 0 or 1 in f64 here (|2u| > 10¹³).
        return if x > 0.0 { 1.0 } else { 0.0 };
    }
    let u = K * (x + C * x * x * x);
    let du = K * (1.0 + 3.0 * C * x * x);
    sigmoid_fast(2.0 * u) * (1.0 + 2.0 * x * sigmoid_fast(-2.0 * u) * du)
}

// ---------- double-double (f64 results, reference) ----------

/// gelu(x) = x·Φ(x), Φ in double-double (scaled: gelu is subnormal below x ≈ −37.5).
pub(crate) fn gelu_dd(x: f64) -> DD {
    if x.is_nan() {
        return DD::from_f64(x);
    }
    if x == f64::NEG_INFINITY {
        return DD::from_f64(-0.0);
    }
    if x == f64::INFINITY {
        return DD::from_f64(x);
    }
    normal_cdf_scaled(DD::from_f64(x))
        .mul_dd(DD::from_f64(x))
        .to_dd()
}

/// gelu′ = Φ(x) + x·φ(x); near its zero (x ≈ −0.752) by the root series; in the far tail both
/// terms share φ's scale.
pub(crate) fn gelu_derivative_dd(x: f64) -> DD {
    if x.is_nan() {
        return DD::from_f64(x);
    }
    if x.is_infinite() {
        return DD::from_f64(if x > 0.0 { 1.0 } else { 0.0 });
    }
    let xd = DD::from_f64(x);
    if let Some(v) = super::roots::GELU.eval(xd) {
        return v;
    }
    let pdf = normal_pdf_scaled(xd);
    if x < -5.0 {
        // Φ(x) = φ(x)·R(−x) with R the Mills ratio: f′ = φ(x)(R(−x) + x), no cancellation.
        let ratio = crate::dd::mills_ratio(-xd);
        pdf.mul_dd(ratio + xd).to_dd()
    } else {
        normal_cdf_scaled(xd).to_dd() + pdf.to_dd() * xd
    }
}

/// u = √(2/π)(x + 0.044715x³) in double-double (finite for |x| ≤ 10⁵, which is all that matters).
fn gelu_tanh_u(x: DD) -> DD {
    SQRT_2_OVER_PI * (x + GELU_TANH_C * x.sqr() * x)
}

/// gelu_tanh(x) = x·σ(2u).
pub(crate) fn gelu_tanh_dd(x: f64) -> DD {
    if x.is_nan() {
        return DD::from_f64(x);
    }
    if x.abs() > 1e5 {
        // 2|u| > 10¹³: σ(2u) is 1 or below 2^(−10¹³); the product is x or −0.
        return DD::from_f64(if x > 0.0 { x } else { -0.0 });
    }
    let xd = DD::from_f64(x);
    sigmoid_scaled(gelu_tanh_u(xd).ldexp(1)).mul_dd(xd).to_dd()
}

/// gelu_tanh′ = σ(2u) + 2x·σ(2u)σ(−2u)·u′.
pub(crate) fn gelu_tanh_derivative_dd(x: f64) -> DD {
    if x.is_nan() {
        return DD::from_f64(x);
    }
    if x.abs() > 1e5 {
        return DD::from_f64(if x > 0.0 { 1.0 } else { 0.0 });
    }
    let xd = DD::from_f64(x);
    if let Some(v) = super::roots::GELU_TANH.eval(xd) {
        return v;
    }
    let u2 = gelu_tanh_u(xd).ldexp(1);
    let du = SQRT_2_OVER_PI * (GELU_TANH_C * xd.sqr()).mul_f64(3.0).add_f64(1.0);
    let s: Scaled = sigmoid_scaled(u2);
    let sn = sigmoid_scaled(-u2).to_dd();
    s.mul_dd((xd.ldexp(1) * sn * du).add_f64(1.0)).to_dd()
}
