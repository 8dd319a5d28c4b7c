//! The element types the engine trains in.

/// `f32` (training speed) or `f64` (gradient checks, reference runs): `act`'s [`act::Real`] with
/// ordinary arithmetic from `num_traits::Float`, and `act`'s slice kernels
/// ([`act::kernels::Element`]).
pub trait Scalar:
    act::kernels::Element
    + num_traits::Float
    + num_traits::FromPrimitive
    + core::iter::Sum
    + Default
    + Send
    + Sync
{
}

impl Scalar for f32 {}
impl Scalar for f64 {}
