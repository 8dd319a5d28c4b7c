//! The piecewise-linear and rational functions: identity, the relu family (relu, leaky_relu, prelu,
//! rrelu, relu6, hardtanh, threshold, squared_relu), the hard approximations (hardsigmoid,
//! hardswish), the shrinkage operators (hardshrink, softshrink) and softsign.
//!
//! These need no transcendental function, so one implementation in f64 serves both precisions:
//! every f64 result below is a single rounding of the exact value (products and sums of two
//! doubles are formed exactly with the double-double primitives), and an f32 input's result is the
//! same computation rounded to f32 (at most one extra rounding, ≤ 0.5 + 2⁻²⁹ ULP).
//!
//! Kink conventions (PyTorch's, tested): relu′(0) = 0 (the subgradient that keeps a unit at 0
//! inactive, as micrograd and TF Playground do); leaky/prelu/rrelu use the slope for x ≤ 0;
//! hardtanh′ and relu6′ are 1 only strictly inside the interval; hardsigmoid′ = 1/6 on (−3, 3);
//! hardswish′ = x/3 + 1/2 on [−3, 3]; shrink′ = 1 for |x| > λ; threshold′ = 1 for x > threshold.
//! NaN propagates through every branch (comparisons with NaN are false, so each function checks it
//! first rather than let a `max` swallow it).

use crate::dd::{DD, mul_rounded, two_sum};

/// f(x) = x.
#[inline]
pub(crate) fn identity(x: f64) -> DD {
    DD::from_f64(x)
}

/// f′ = 1 (NaN for NaN).
#[inline]
pub(crate) fn identity_derivative(x: f64) -> DD {
    DD::from_f64(if x.is_nan() { x } else { 1.0 })
}

/// x for x > 0, slope·x otherwise (relu is slope 0).
#[inline]
pub(crate) fn leaky(x: f64, slope: f64) -> DD {
    if x > 0.0 || x.is_nan() {
        DD::from_f64(x)
    } else if slope == 0.0 {
        DD::ZERO
    } else {
        mul_rounded(DD::from_f64(slope), x)
    }
}

/// 1 for x > 0, slope otherwise.
#[inline]
pub(crate) fn leaky_derivative(x: f64, slope: f64) -> DD {
    DD::from_f64(if x.is_nan() {
        x
    } else if x > 0.0 {
        1.0
    } else {
        slope
    })
}

/// rrelu's evaluation slope (lower + upper)/2, exact as a double-double.
#[inline]
pub(crate) fn rrelu_slope(lower: f64, upper: f64) -> DD {
    two_sum(lower, upper).ldexp(-1)
}

/// rrelu in evaluation mode: x ≥ 0 → x, else x·(lower + upper)/2.
#[inline]
pub(crate) fn rrelu(x: f64, lower: f64, upper: f64) -> DD {
    if x >= 0.0 || x.is_nan() {
        DD::from_f64(x)
    } else {
        mul_rounded(rrelu_slope(lower, upper), x)
    }
}

/// rrelu′ in evaluation mode.
#[inline]
pub(crate) fn rrelu_derivative(x: f64, lower: f64, upper: f64) -> DD {
    if x.is_nan() {
        DD::from_f64(x)
    } else if x > 0.0 {
        DD::ONE
    } else {
        rrelu_slope(lower, upper)
    }
}

/// clamp(x, lo, hi) (relu6 is hardtanh(0, 6)).
#[inline]
pub(crate) fn hardtanh(x: f64, lo: f64, hi: f64) -> DD {
    DD::from_f64(if x.is_nan() {
        x
    } else if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    })
}

/// 1 strictly inside (lo, hi), else 0.
#[inline]
pub(crate) fn hardtanh_derivative(x: f64, lo: f64, hi: f64) -> DD {
    DD::from_f64(if x.is_nan() {
        x
    } else if lo < x && x < hi {
        1.0
    } else {
        0.0
    })
}

/// x if x > threshold, else value.
#[inline]
pub(crate) fn threshold(x: f64, threshold: f64, value: f64) -> DD {
    DD::from_f64(if x.is_nan() || x > threshold {
        x
    } else {
        value
    })
}

/// 1 if x > threshold, else 0.
#[inline]
pub(crate) fn threshold_derivative(x: f64, threshold: f64) -> DD {
    DD::from_f64(if x.is_nan() {
        x
    } else if x > threshold {
        1.0
    } else {
        0.0
    })
}

/// max(x, 0)² (overflows to ∞ exactly where the true value exceeds f64's range).
#[inline]
pub(crate) fn squared_relu(x: f64) -> DD {
    if x > 0.0 {
        mul_rounded(DD::from_f64(x), x)
    } else if x.is_nan() {
        DD::from_f64(x)
    } else {
        DD::ZERO
    }
}

/// 2·max(x, 0).
#[inline]
pub(crate) fn squared_relu_derivative(x: f64) -> DD {
    if x > 0.0 || x.is_nan() {
        DD::from_f64(2.0 * x)
    } else {
        DD::ZERO
    }
}

/// clamp(x/6 + 1/2, 0, 1).
#[inline]
pub(crate) fn hardsigmoid(x: f64) -> DD {
    if x.is_nan() {
        DD::from_f64(x)
    } else if x <= -3.0 {
        DD::ZERO
    } else if x >= 3.0 {
        DD::ONE
    } else {
        // (x + 3)/6: the sum is exact, so there is no cancellation near x = −3.
        two_sum(x, 3.0).div_f64(6.0)
    }
}

/// 1/6 on (−3, 3), else 0.
#[inline]
pub(crate) fn hardsigmoid_derivative(x: f64) -> DD {
    if x.is_nan() {
        DD::from_f64(x)
    } else if -3.0 < x && x < 3.0 {
        DD::ONE.div_f64(6.0)
    } else {
        DD::ZERO
    }
}

/// x·clamp(x + 3, 0, 6)/6: 0 below −3, x above 3, x(x + 3)/6 between (which cannot overflow).
#[inline]
pub(crate) fn hardswish(x: f64) -> DD {
    if x.is_nan() || x >= 3.0 {
        DD::from_f64(x)
    } else if x <= -3.0 {
        DD::ZERO
    } else {
        (two_sum(x, 3.0).mul_f64(x)).div_f64(6.0)
    }
}

/// 0 below −3, x/3 + 1/2 on [−3, 3], 1 above 3.
#[inline]
pub(crate) fn hardswish_derivative(x: f64) -> DD {
    if x.is_nan() {
        DD::from_f64(x)
    } else if x < -3.0 {
        DD::ZERO
    } else if x <= 3.0 {
        // (2x + 3)/6, exact sum: no cancellation at the zero x = −3/2.
        two_sum(2.0 * x, 3.0).div_f64(6.0)
    } else {
        DD::ONE
    }
}

/// x if |x| > λ, else 0.
#[inline]
pub(crate) fn hardshrink(x: f64, lambd: f64) -> DD {
    if x.is_nan() || x > lambd || x < -lambd {
        DD::from_f64(x)
    } else {
        DD::ZERO
    }
}

/// x − λ above λ, x + λ below −λ, 0 between.
#[inline]
pub(crate) fn softshrink(x: f64, lambd: f64) -> DD {
    if x.is_nan() {
        DD::from_f64(x)
    } else if x > lambd {
        two_sum(x, -lambd)
    } else if x < -lambd {
        two_sum(x, lambd)
    } else {
        DD::ZERO
    }
}

/// 1 if |x| > λ, else 0 (both shrink operators).
#[inline]
pub(crate) fn shrink_derivative(x: f64, lambd: f64) -> DD {
    DD::from_f64(if x.is_nan() {
        x
    } else if x > lambd || x < -lambd {
        1.0
    } else {
        0.0
    })
}

/// x/(1 + |x|), ±1 at ±∞.
#[inline]
pub(crate) fn softsign(x: f64) -> DD {
    if x.is_infinite() {
        return DD::from_f64(x.signum());
    }
    DD::from_f64(x) / two_sum(1.0, x.abs())
}

/// 1/(1 + |x|)², formed as (1/(1 + |x|))² scaled so the subnormal tail rounds once.
#[inline]
pub(crate) fn softsign_derivative(x: f64) -> DD {
    if x.is_nan() {
        return DD::from_f64(x);
    }
    if x.is_infinite() {
        return DD::ZERO;
    }
    let r = two_sum(1.0, x.abs()).recip();
    let k = -crate::dd::exponent_of(r.hi);
    crate::dd::Scaled {
        m: r.ldexp(k).sqr(),
        exp: -2 * k,
    }
    .to_dd()
}

/// softsign in plain f64 for f32 results: x/(1 + |x|) has two roundings, far below an f32 ULP.
#[inline]
pub(crate) fn softsign_fast(x: f64) -> f64 {
    if x.is_infinite() {
        x.signum()
    } else {
        x / (1.0 + x.abs())
    }
}

/// 1/(1 + |x|)² in plain f64 for f32 results (no overflow: |x| ≤ f32::MAX squares to ~1e77).
#[inline]
pub(crate) fn softsign_derivative_fast(x: f64) -> f64 {
    let d = 1.0 + x.abs();
    1.0 / (d * d)
}
