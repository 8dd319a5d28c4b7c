//! Derivatives near their zeros.
//!
//! gelu′, gelu_tanh′, silu′/swish′ and mish′ each cross zero once (near x = −0.75, −0.75, −1.28,
//! −1.19). There f′ = (a term) − (a nearly equal term), and even a double-double evaluation keeps
//! only ~2⁻¹⁰⁵ absolute accuracy, which is not enough relative accuracy at the doubles nearest the
//! zero (where |f′| can be ~10⁻¹⁷). Within 2⁻¹⁶ of the zero, actlab evaluates the Taylor series
//! f′(x0 + d) = Σ c_k d^k instead, with x0 held to three doubles so that d is exact; the series'
//! coefficients come from mpmath (`tools/root_series.py`).

use crate::dd::{DD, two_sum};

pub(crate) use super::roots_generated::{GELU, GELU_TANH, MISH, SILU};

/// How close to the zero the series is used: |d| < 2⁻¹⁶, where the degree-8 series is exact to
/// 2⁻¹⁰⁵ relative and outside of which |f′| > 10⁻⁶ keeps the direct formula accurate.
const WINDOW: f64 = 1.0 / 65536.0;

/// A Taylor series of a derivative about its simple zero.
pub(crate) struct RootSeries {
    /// The zero, as an unevaluated sum of three doubles (~160 bits).
    pub(crate) x0: [f64; 3],
    /// c_1 … c_8: f′(x0 + d) = Σ c_k d^k.
    pub(crate) coeffs: [DD; 8],
}

impl RootSeries {
    /// f′(z) by the series if z is within the window of the zero, else `None`.
    #[inline]
    pub(crate) fn eval(&self, z: DD) -> Option<DD> {
        let d0 = z.hi - self.x0[0];
        if d0.is_nan() || d0.abs() >= WINDOW {
            return None;
        }
        // z.hi − x0[0] is exact (Sterbenz: the two are within a factor of 2); then the tails.
        let d = (two_sum(d0, z.lo) + DD::from_f64(-self.x0[1])).add_f64(-self.x0[2]);
        let mut acc = self.coeffs[7];
        for c in self.coeffs[..7].iter().rev() {
            acc = acc * d + *c;
        }
        Some(acc * d)
    }
}
