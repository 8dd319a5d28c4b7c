//! The logistic family: sigmoid, logsigmoid, softplus, silu and swish.
//!
//! Every member is written on e^{−|x|} ≤ 1, so nothing overflows and no 1 − σ is ever formed:
//! σ(x) = 1/(1 + e^{−x}) for x ≥ 0 and e^{x}/(1 + e^{x}) for x < 0, and 1 − σ(x) = σ(−x).
//! The `*_fast` functions (plain f64, used for f32 results) and the `*_dd` functions (double-double,
//! used for f64 results and as the reference) follow the same algebra.

use crate::dd::{self, DD, Scaled, exp_scaled};

// ---------- plain f64 (f32 results) ----------

/// σ(x), stable for every input.
#[inline]
pub(crate) fn sigmoid_fast(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp(); // NaN stays NaN here
        e / (1.0 + e)
    }
}

/// σ′(x) = e^{−|x|}/(1 + e^{−|x|})²: no 1 − σ, so no cancellation in either tail.
#[inline]
pub(crate) fn sigmoid_derivative_fast(x: f64) -> f64 {
    let e = (-x.abs()).exp();
    let d = 1.0 + e;
    e / (d * d)
}

/// ln(1 + e^{−t}) for t ≥ 0 (or NaN).
#[inline]
fn log1p_exp_neg_fast(t: f64) -> f64 {
    (-t).exp().ln_1p()
}

/// softplus_β(x) = ln(1 + e^{βx})/β, linear where βx > threshold (PyTorch's definition).
#[inline]
pub(crate) fn softplus_fast(x: f64, beta: f64, threshold: f64) -> f64 {
    let z = beta * x;
    if z > threshold {
        return x;
    }
    // max(z, 0) + log1p(e^{−|z|})
    (z.max(0.0) + log1p_exp_neg_fast(z.abs())) / beta
}

/// softplus′ = σ(βx), or 1 on the linear part.
#[inline]
pub(crate) fn softplus_derivative_fast(x: f64, beta: f64, threshold: f64) -> f64 {
    let z = beta * x;
    if z > threshold { 1.0 } else { sigmoid_fast(z) }
}

/// logsigmoid(x) = −softplus(−x) = min(x, 0) − log1p(e^{−|x|}).
#[inline]
pub(crate) fn logsigmoid_fast(x: f64) -> f64 {
    x.min(0.0) - log1p_exp_neg_fast(x.abs())
}

/// swish_β(x) = x·σ(βx) (silu is β = 1).
#[inline]
pub(crate) fn swish_fast(x: f64, beta: f64) -> f64 {
    if x.is_infinite() {
        // x·σ(βx) → x or −0 (β > 0): the product ∞·0 must not become NaN.
        return if x > 0.0 { x } else { -0.0 };
    }
    x * sigmoid_fast(beta * x)
}

/// swish′ = σ(βx)(1 + βx·σ(−βx)), with σ(−βx) computed directly rather than as 1 − σ(βx).
#[inline]
pub(crate) fn swish_derivative_fast(x: f64, beta: f64) -> f64 {
    if x.is_infinite() {
        return if x > 0.0 { 1.0 } else { 0.0 };
    }
    let z = beta * x;
    sigmoid_fast(z) * (1.0 + z * sigmoid_fast(-z))
}

// ---------- double-double (f64 results, reference) ----------

/// σ(z) for a double-double z, scaled so that the x ≪ 0 tail keeps full precision.
pub(crate) fn sigmoid_scaled(z: DD) -> Scaled {
    if z.hi.is_nan() {
        return Scaled::new(z);
    }
    if z.hi > 40.0 {
        // 1/(1 + ε) = 1 − ε + ε² with ε = e^{−z} < 2⁻⁵⁷: the low part −ε needs only f64
        // precision (its own error is below 2⁻¹¹⁰ of the result).
        return Scaled::new(DD {
            hi: 1.0,
            lo: -(-z.hi).exp(),
        });
    }
    if z.hi >= 0.0 {
        Scaled::new((exp_scaled(-z).to_dd().add_f64(1.0)).recip())
    } else {
        let e = exp_scaled(z);
        e.div_dd(e.to_dd().add_f64(1.0))
    }
}

/// σ(x).
pub(crate) fn sigmoid_dd(x: f64) -> DD {
    sigmoid_scaled(DD::from_f64(x)).to_dd()
}

/// σ′(x) = e^{−|x|}/(1 + e^{−|x|})².
pub(crate) fn sigmoid_derivative_dd(x: f64) -> DD {
    sigmoid_derivative_scaled(DD::from_f64(x)).to_dd()
}

/// σ′(z) for a double-double z, scaled.
pub(crate) fn sigmoid_derivative_scaled(z: DD) -> Scaled {
    if z.hi.is_nan() {
        return Scaled::new(z);
    }
    let e = exp_scaled(-z.abs());
    let d = e.to_dd().add_f64(1.0);
    e.div_dd(d.sqr())
}

/// ln(1 + e^{−t}) for t ≥ 0, scaled (it is ≈ e^{−t} far out).
fn log1p_exp_neg_scaled(t: DD) -> Scaled {
    let e = exp_scaled(-t);
    if t.hi > 40.0 {
        // ln(1 + ε) = ε(1 − ε/2 + ε²/3 − …) and ε < 2⁻⁵⁷: the ε² term is below 2⁻¹¹⁴.
        let eps = e.to_dd();
        e.mul_dd(DD::ONE - eps.mul_f64(0.5))
    } else {
        Scaled::new(dd::log1p(e.to_dd()))
    }
}

/// softplus_β(x) in double-double; βx is formed exactly.
pub(crate) fn softplus_dd(x: f64, beta: f64, threshold: f64) -> DD {
    if x.is_nan() {
        return DD::from_f64(x);
    }
    let z = dd::two_prod(beta, x);
    if exceeds(z, threshold) {
        return DD::from_f64(x);
    }
    if z.hi == f64::NEG_INFINITY {
        return DD::ZERO;
    }
    if z.hi <= 0.0 {
        // ln(1 + e^{z}) = ln(1 + e^{−|z|}), tiny and scaled when z ≪ 0.
        log1p_exp_neg_scaled(-z).div_dd(DD::from_f64(beta)).to_dd()
    } else {
        (z + log1p_exp_neg_scaled(z).to_dd()).div_f64(beta)
    }
}

/// softplus′ = σ(βx), or 1 on the linear part.
pub(crate) fn softplus_derivative_dd(x: f64, beta: f64, threshold: f64) -> DD {
    if x.is_nan() {
        return DD::from_f64(x);
    }
    let z = dd::two_prod(beta, x);
    if exceeds(z, threshold) {
        DD::ONE
    } else {
        sigmoid_scaled(z).to_dd()
    }
}

/// Whether the exact value z = hi + lo is greater than `threshold`.
#[inline]
fn exceeds(z: DD, threshold: f64) -> bool {
    z.hi > threshold || (z.hi == threshold && z.lo > 0.0)
}

/// logsigmoid(x) = min(x, 0) − ln(1 + e^{−|x|}).
pub(crate) fn logsigmoid_dd(x: f64) -> DD {
    if x.is_nan() || x == f64::NEG_INFINITY {
        return DD::from_f64(x);
    }
    let t = DD::from_f64(x.abs());
    let l = log1p_exp_neg_scaled(t);
    if x >= 0.0 {
        // −ln(1 + e^{−x}): tiny and scaled for x ≫ 0.
        Scaled {
            m: -l.m,
            exp: l.exp,
        }
        .to_dd()
    } else {
        DD::from_f64(x) - l.to_dd()
    }
}

/// swish_β(x) = x·σ(βx).
pub(crate) fn swish_dd(x: f64, beta: f64) -> DD {
    if x.is_infinite() {
        return DD::from_f64(if x > 0.0 { x } else { -0.0 });
    }
    sigmoid_scaled(dd::two_prod(beta, x))
        .mul_dd(DD::from_f64(x))
        .to_dd()
}

/// swish′ = σ(βx) + βx·σ(βx)σ(−βx), near its zero by the root expansion.
pub(crate) fn swish_derivative_dd(x: f64, beta: f64) -> DD {
    if x.is_nan() {
        return DD::from_f64(x);
    }
    if x.is_infinite() {
        return DD::from_f64(if x > 0.0 { 1.0 } else { 0.0 });
    }
    let z = dd::two_prod(beta, x);
    if z.hi.is_infinite() {
        // βx overflows: σ(βx) is exactly 0 or 1 and the product term vanishes.
        return DD::from_f64(if x > 0.0 { 1.0 } else { 0.0 });
    }
    if let Some(v) = crate::functions::roots::SILU.eval(z) {
        return v;
    }
    // σ(z)(1 + z·σ(−z)): the sum is exact in double-double away from the root.
    let s = sigmoid_scaled(z);
    let inner = (z * sigmoid_scaled(-z).to_dd()).add_f64(1.0);
    s.mul_dd(inner).to_dd()
}
