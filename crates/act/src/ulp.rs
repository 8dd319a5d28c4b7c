//! Errors in units in the last place (ULP), measured against a double-double reference.
//!
//! The ULP of an exact value v is the spacing of the target format's numbers in v's binade
//! (2^(e − 23) for f32 with e = ⌊log₂|v|⌋, never below the subnormal spacing 2⁻¹⁴⁹; likewise with
//! 52 and 2⁻¹⁰⁷⁴ for f64). A correctly rounded result is within 0.5 ULP.

use crate::dd::{DD, ldexp};

/// The f32 ULP at the exact value `v` (|v| finite).
#[inline]
pub fn ulp_f32_at(v: f64) -> f64 {
    let a = v.abs();
    if a < f32::MIN_POSITIVE as f64 {
        return ldexp(1.0, -149);
    }
    pow2(exponent(a) - 23)
}

/// The f64 ULP at the exact value `v` (|v| finite).
#[inline]
pub fn ulp_f64_at(v: f64) -> f64 {
    let a = v.abs();
    if a < f64::MIN_POSITIVE {
        return ldexp(1.0, -1074);
    }
    let e = exponent(a) - 52;
    if e >= -1022 { pow2(e) } else { ldexp(1.0, e) }
}

/// 2^e for a normal exponent (−1022 ≤ e ≤ 1023), built from the bits.
#[inline]
fn pow2(e: i32) -> f64 {
    f64::from_bits(((e + 1023) as u64) << 52)
}

/// ⌊log₂ a⌋ for a normal positive f64 (exact, from the bits).
#[inline]
fn exponent(a: f64) -> i32 {
    ((a.to_bits() >> 52) & 0x7ff) as i32 - 1023
}

/// How far `got` is from the exact value, in f32 ULPs of the exact value.
///
/// NaN against NaN is 0; NaN against a number, or a number against NaN, is ∞. A result that is
/// infinite scores 0 if the exact value rounds to that infinity and ∞ otherwise; an exact value
/// beyond f32's range is compared with the finite result in ULPs of f32::MAX's binade.
pub fn ulp_error_f32(got: f32, exact: DD) -> f64 {
    let g = got as f64;
    if got.is_nan() || exact.hi.is_nan() {
        return if got.is_nan() && exact.hi.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if got.is_infinite() {
        let rounded = exact.to_f32();
        return if rounded == got { 0.0 } else { f64::INFINITY };
    }
    if exact.hi.is_infinite() {
        return f64::INFINITY;
    }
    let diff = (g - exact.hi) - exact.lo;
    let scale = if exact.hi.abs() > f32::MAX as f64 {
        ulp_f32_at(f32::MAX as f64)
    } else {
        ulp_f32_at(exact.hi)
    };
    diff.abs() / scale
}

/// How far `got` is from the exact value, in f64 ULPs of the exact value (same conventions as
/// [`ulp_error_f32`]).
pub fn ulp_error_f64(got: f64, exact: DD) -> f64 {
    if got.is_nan() || exact.hi.is_nan() {
        return if got.is_nan() && exact.hi.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if got.is_infinite() || exact.hi.is_infinite() {
        return if got == exact.hi { 0.0 } else { f64::INFINITY };
    }
    let diff = (got - exact.hi) - exact.lo;
    diff.abs() / ulp_f64_at(exact.hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulp_sizes() {
        assert_eq!(ulp_f32_at(1.0), f32::EPSILON as f64);
        assert_eq!(ulp_f32_at(1e-45), ldexp(1.0, -149));
        assert_eq!(ulp_f64_at(1.0), f64::EPSILON);
        assert_eq!(ulp_f64_at(0.0), ldexp(1.0, -1074));
    }

    #[test]
    fn errors() {
        let third = DD::ONE / DD::from_f64(3.0);
        let e = ulp_error_f32((1.0f64 / 3.0) as f32, third);
        assert!(e > 0.0 && e <= 0.5, "{e}");
        assert_eq!(ulp_error_f32(f32::NAN, DD::from_f64(f64::NAN)), 0.0);
        assert_eq!(ulp_error_f32(1.0, DD::from_f64(f64::NAN)), f64::INFINITY);
        assert_eq!(ulp_error_f32(f32::INFINITY, DD::from_f64(1e39)), 0.0);
        assert_eq!(
            ulp_error_f32(f32::INFINITY, DD::from_f64(1e38)),
            f64::INFINITY
        );
        assert_eq!(ulp_error_f64(1.0 + f64::EPSILON, DD::ONE), 1.0);
    }
}
