//! The two floating-point types the catalogue evaluates in.

use crate::Activation;

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// `f32` or `f64`: the element types every activation is defined for.
///
/// The two are evaluated differently, and both are exact to the catalogue's bound:
/// - `f32` results are computed in `f64` with numerically stable formulas and rounded once
///   (≤ 1 ULP forward, ≤ 2 ULP derivative, proved by the exhaustive sweep of `actlab accuracy`);
/// - `f64` results are computed in double-double arithmetic ([`crate::dd`]) and rounded once
///   (within 0.5 + 2⁻³⁷ ULP), checked against mpmath golden values.
///
/// The trait is sealed: it exists to make [`Activation::forward`] and friends generic.
pub trait Real:
    sealed::Sealed + Copy + PartialOrd + core::fmt::Debug + core::fmt::Display + 'static
{
    /// The type's name, `"f32"` or `"f64"`.
    const NAME: &'static str;
    /// Widen to `f64` (exact).
    fn to_f64(self) -> f64;
    /// Round an `f64` to this type (nearest, ties to even).
    fn from_f64(x: f64) -> Self;
    /// `f(x)` for the activation `a`.
    fn forward(a: Activation, x: Self) -> Self;
    /// `f′(x)` for the activation `a`.
    fn derivative(a: Activation, x: Self) -> Self;
}

impl Real for f32 {
    const NAME: &'static str = "f32";
    #[inline]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline]
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    #[inline]
    fn forward(a: Activation, x: f32) -> f32 {
        a.forward_f32(x)
    }
    #[inline]
    fn derivative(a: Activation, x: f32) -> f32 {
        a.derivative_f32(x)
    }
}

impl Real for f64 {
    const NAME: &'static str = "f64";
    #[inline]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline]
    fn from_f64(x: f64) -> Self {
        x
    }
    #[inline]
    fn forward(a: Activation, x: f64) -> f64 {
        a.reference_forward(x).hi
    }
    #[inline]
    fn derivative(a: Activation, x: f64) -> f64 {
        a.reference_derivative(x).hi
    }
}
