//! The two conversions the engine makes between its element type and `f64`, named so the
//! `act::Real` and `num_traits` methods of the same names never need disambiguating at the
//! call site.

use crate::Scalar;

/// `x` rounded once to `T` (nearest, ties to even).
#[inline(always)]
pub(crate) fn cast<T: Scalar>(x: f64) -> T {
    <T as act::Real>::from_f64(x)
}

/// `x` widened to `f64` (exact).
#[inline(always)]
pub(crate) fn wide<T: Scalar>(x: T) -> f64 {
    <T as act::Real>::to_f64(x)
}
