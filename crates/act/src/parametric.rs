//! The parameter-side pieces of the learnable and random activations: ∂f/∂α for PReLU and the
//! training-mode RReLU with a caller-drawn slope.

use crate::Real;

/// ∂ prelu(x; α)/∂α = x for x ≤ 0, else 0 (NaN for NaN): what a PReLU layer accumulates into its
/// slope's gradient.
///
/// ```
/// assert_eq!(act::prelu_weight_derivative(-3.0f32), -3.0);
/// assert_eq!(act::prelu_weight_derivative(2.0f64), 0.0);
/// ```
#[inline]
pub fn prelu_weight_derivative<T: Real>(x: T) -> T {
    let v = x.to_f64();
    if v > 0.0 { T::from_f64(0.0) } else { x }
}

/// RReLU in training mode with the slope `a` drawn by the caller from U(lower, upper):
/// x for x ≥ 0, a·x otherwise (rounded once). The derivative is 1 or `a` on the same branches.
///
/// ```
/// assert_eq!(act::rrelu_training(-2.0f32, 0.25), -0.5);
/// ```
#[inline]
pub fn rrelu_training<T: Real>(x: T, slope: f64) -> T {
    let v = x.to_f64();
    if v >= 0.0 || v.is_nan() {
        x
    } else {
        let p = crate::dd::two_prod(slope, v);
        if T::NAME == "f32" {
            T::from_f64(p.to_f32() as f64)
        } else {
            T::from_f64(p.hi)
        }
    }
}
