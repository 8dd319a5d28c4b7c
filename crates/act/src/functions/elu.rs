//! The exponential linear units: elu, selu and celu.
//!
//! The negative branch α(e^x − 1) uses expm1, so near 0⁻ it keeps full relative precision where
//! e^x − 1 would cancel. Kink convention (PyTorch's): at x = 0 the derivative takes the negative
//! branch, elu′(0) = α, selu′(0) = λα, celu′(0) = 1.

use crate::dd::{DD, SELU_ALPHA, SELU_LAMBDA, exp_scaled, expm1};

// ---------- plain f64 (f32 results) ----------

/// elu_α(x) = x (x > 0), α(e^x − 1) otherwise.
#[inline]
pub(crate) fn elu_fast(x: f64, alpha: f64) -> f64 {
    if x > 0.0 { x } else { alpha * x.exp_m1() }
}

/// elu′ = 1 (x > 0), α e^x otherwise.
#[inline]
pub(crate) fn elu_derivative_fast(x: f64, alpha: f64) -> f64 {
    if x > 0.0 { 1.0 } else { alpha * x.exp() }
}

/// selu(x) = λ·elu_α(x) with the paper's λ, α.
#[inline]
pub(crate) fn selu_fast(x: f64) -> f64 {
    if x > 0.0 {
        SELU_LAMBDA.hi * x
    } else {
        // λα as one double-double product rounded once.
        (SELU_LAMBDA * SELU_ALPHA).hi * x.exp_m1()
    }
}

/// selu′ = λ (x > 0), λα e^x otherwise.
#[inline]
pub(crate) fn selu_derivative_fast(x: f64) -> f64 {
    if x > 0.0 {
        SELU_LAMBDA.hi
    } else {
        (SELU_LAMBDA * SELU_ALPHA).hi * x.exp()
    }
}

/// celu_α(x) = x (x > 0), α(e^{x/α} − 1) otherwise.
#[inline]
pub(crate) fn celu_fast(x: f64, alpha: f64) -> f64 {
    if x > 0.0 {
        x
    } else {
        alpha * (x / alpha).exp_m1()
    }
}

/// celu′ = 1 (x > 0), e^{x/α} otherwise.
#[inline]
pub(crate) fn celu_derivative_fast(x: f64, alpha: f64) -> f64 {
    if x > 0.0 { 1.0 } else { (x / alpha).exp() }
}

// ---------- double-double (f64 results, reference) ----------

/// elu_α(x).
pub(crate) fn elu_dd(x: f64, alpha: f64) -> DD {
    if x > 0.0 || x.is_nan() {
        return DD::from_f64(x);
    }
    expm1(DD::from_f64(x)).mul_f64(alpha)
}

/// elu′ = α e^x on x ≤ 0 (scaled: it is subnormal below x ≈ −708).
pub(crate) fn elu_derivative_dd(x: f64, alpha: f64) -> DD {
    if x > 0.0 {
        return DD::ONE;
    }
    if x.is_nan() {
        return DD::from_f64(x);
    }
    exp_scaled(DD::from_f64(x))
        .mul_dd(DD::from_f64(alpha))
        .to_dd()
}

/// selu(x) = λx or λα(e^x − 1), with λ and α to 106 bits.
pub(crate) fn selu_dd(x: f64) -> DD {
    if x.is_nan() {
        return DD::from_f64(x);
    }
    if x > 0.0 {
        // λx overflows to ∞ exactly where it should; halving first keeps the double-double's low
        // part meaningful right at the boundary.
        return if x > 1e300 {
            SELU_LAMBDA.mul_f64(x * 0.5).ldexp(1)
        } else {
            SELU_LAMBDA.mul_f64(x)
        };
    }
    SELU_LAMBDA * SELU_ALPHA * expm1(DD::from_f64(x))
}

/// selu′ = λ or λα e^x.
pub(crate) fn selu_derivative_dd(x: f64) -> DD {
    if x.is_nan() {
        return DD::from_f64(x);
    }
    if x > 0.0 {
        return SELU_LAMBDA;
    }
    exp_scaled(DD::from_f64(x))
        .mul_dd(SELU_LAMBDA * SELU_ALPHA)
        .to_dd()
}

/// celu_α(x); x/α is formed in double-double.
pub(crate) fn celu_dd(x: f64, alpha: f64) -> DD {
    if x > 0.0 || x.is_nan() {
        return DD::from_f64(x);
    }
    expm1(DD::from_f64(x).div_f64(alpha)).mul_f64(alpha)
}

/// celu′ = e^{x/α} on x ≤ 0.
pub(crate) fn celu_derivative_dd(x: f64, alpha: f64) -> DD {
    if x > 0.0 {
        return DD::ONE;
    }
    if x.is_nan() {
        return DD::from_f64(x);
    }
    exp_scaled(DD::from_f64(x).div_f64(alpha)).to_dd()
}
