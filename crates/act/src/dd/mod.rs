//! Double-double arithmetic: the reference arithmetic behind every f64 result and behind the
//! accuracy sweep of every f32 result.
//!
//! A [`DD`] is the unevaluated sum `hi + lo` of two `f64` with `|lo| ≤ ulp(hi)/2`, about 106
//! significant bits. The error-free transformations (Knuth's two-sum, the FMA two-product) make
//! `+`, `−`, `×`, `÷` accurate to a few units of 2⁻¹⁰⁶; the elementary functions built on them
//! ([`exp`], [`expm1`], [`log1p`], [`normal_cdf`], the trigonometric reduction) are accurate to
//! better than 2⁻⁹⁰ relative, far below half an f64 ULP (2⁻⁵³). Rounding such a value once gives a
//! result within 0.5 + 2⁻³⁷ ULP of the exact one.
//!
//! Values too small for f64's normal range keep full precision as a [`Scaled`]: a `DD` times `2^exp`,
//! rounded once at the end (including into f64's subnormals).
//!
//! The `DD` type is exposed because the accuracy harness measures errors against it; the
//! functions here are not meant as a general-purpose extended-precision library.

mod constants;
mod exp;
mod log;
mod normal;
mod trig;
#[rustfmt::skip]
mod two_over_pi;

pub(crate) use constants::*;
pub use exp::{exp, exp_scaled, expm1};
pub use log::{ln, log1p};
pub(crate) use normal::mills_ratio;
pub use normal::{normal_cdf, normal_cdf_scaled, normal_pdf, normal_pdf_scaled};
pub use trig::{one_plus_sin, sin_cos};

use core::ops::{Add, Div, Mul, Neg, Sub};

/// A double-double number `hi + lo` (about 106 significant bits).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct DD {
    /// The leading part: `hi` is `hi + lo` rounded to the nearest f64.
    pub hi: f64,
    /// The trailing part, `|lo| ≤ ulp(hi)/2`.
    pub lo: f64,
}

/// `a + b` exactly, as a normalised [`DD`] (Knuth's two-sum; no precondition on magnitudes).
#[inline(always)]
pub fn two_sum(a: f64, b: f64) -> DD {
    let s = a + b;
    let bb = s - a;
    let e = (a - (s - bb)) + (b - bb);
    // An overflowed (or infinite) sum keeps lo = 0 rather than NaN, so ∞ propagates as ∞.
    DD {
        hi: s,
        lo: if s.is_finite() { e } else { 0.0 },
    }
}

/// `a + b` exactly when `|a| ≥ |b|` (Dekker's fast two-sum).
#[inline(always)]
fn fast_two_sum(a: f64, b: f64) -> DD {
    let s = a + b;
    let e = b - (s - a);
    DD {
        hi: s,
        lo: if s.is_finite() { e } else { 0.0 },
    }
}

/// `a × b` exactly (barring underflow and overflow).
///
/// With hardware FMA enabled at compile time this is one fused multiply-add; otherwise Dekker's
/// product with Veltkamp splitting (a call to a software `fma` would cost more than the whole
/// split). Operands above 2⁹⁹⁵ are scaled first so the split cannot overflow.
#[inline(always)]
pub fn two_prod(a: f64, b: f64) -> DD {
    let p = a * b;
    if !p.is_finite() {
        return DD { hi: p, lo: 0.0 };
    }
    #[cfg(target_feature = "fma")]
    {
        DD {
            hi: p,
            lo: a.mul_add(b, -p),
        }
    }
    #[cfg(not(target_feature = "fma"))]
    {
        const BIG: f64 = 1.0e290; // the split multiplies by 2^27: stay well below 2^1023
        if a.abs() > BIG || b.abs() > BIG || p.abs() > BIG {
            // Scale the larger operand down by 2^54 (exact), take the error term, scale back.
            const DOWN: f64 = 5.551115123125783e-17; // 2^-54
            let (sa, sb) = if a.abs() >= b.abs() {
                (a * DOWN, b)
            } else {
                (a, b * DOWN)
            };
            let e = dekker_error(sa, sb, sa * sb);
            return DD {
                hi: p,
                lo: e * 18014398509481984.0,
            };
        }
        DD {
            hi: p,
            lo: dekker_error(a, b, p),
        }
    }
}

/// a·b − p exactly, for p = fl(a·b), by Veltkamp's split into 26-bit halves.
#[cfg(not(target_feature = "fma"))]
#[inline(always)]
fn dekker_error(a: f64, b: f64, p: f64) -> f64 {
    const SPLIT: f64 = 134217729.0; // 2^27 + 1
    let t = SPLIT * a;
    let ah = t - (t - a);
    let al = a - ah;
    let t = SPLIT * b;
    let bh = t - (t - b);
    let bl = b - bh;
    ((ah * bh - p) + ah * bl + al * bh) + al * bl
}

impl DD {
    /// Zero.
    pub const ZERO: DD = DD { hi: 0.0, lo: 0.0 };
    /// One.
    pub const ONE: DD = DD { hi: 1.0, lo: 0.0 };

    /// A `DD` from two bit patterns (used by the generated constants).
    pub(crate) const fn from_bits(hi: u64, lo: u64) -> DD {
        DD {
            hi: f64::from_bits(hi),
            lo: f64::from_bits(lo),
        }
    }

    /// The exact value of an `f64`.
    #[inline(always)]
    pub const fn from_f64(x: f64) -> DD {
        DD { hi: x, lo: 0.0 }
    }

    /// The nearest `f64` (exact rounding: `hi` already is the rounded sum).
    #[inline(always)]
    pub fn to_f64(self) -> f64 {
        self.hi
    }

    /// The nearest `f32`, rounding `hi + lo` once (ties to even), not `hi` twice.
    pub fn to_f32(self) -> f32 {
        let r = self.hi as f32;
        if !r.is_finite() || self.lo == 0.0 {
            return r;
        }
        // hi − r is exact. Whether hi + lo lies beyond the midpoint to a neighbour is decided
        // by rem − half (a multiple of ulp(hi), exact) and then the sign of lo on a tie.
        let rem = self.hi - r as f64;
        let up = next_f32_toward(r, f32::INFINITY);
        let down = next_f32_toward(r, f32::NEG_INFINITY);
        let half_up = (up as f64 - r as f64) / 2.0;
        let half_down = (r as f64 - down as f64) / 2.0;
        let beyond = |d: f64, lo: f64| d > 0.0 || (d == 0.0 && lo > 0.0);
        if beyond(rem - half_up, self.lo) {
            up
        } else if beyond(-rem - half_down, -self.lo) {
            down
        } else {
            r
        }
    }

    /// `self × 2^k` (exact while the result stays normal).
    #[inline]
    pub fn ldexp(self, k: i32) -> DD {
        DD {
            hi: ldexp(self.hi, k),
            lo: ldexp(self.lo, k),
        }
    }

    /// `|self|`.
    #[inline(always)]
    pub fn abs(self) -> DD {
        if self.hi < 0.0 { -self } else { self }
    }

    /// `self²`.
    #[inline(always)]
    pub fn sqr(self) -> DD {
        let p = two_prod(self.hi, self.hi);
        let lo = p.lo + 2.0 * self.hi * self.lo;
        fast_two_sum(p.hi, lo)
    }

    /// `1 / self`.
    #[inline]
    pub fn recip(self) -> DD {
        DD::ONE / self
    }

    /// `self × b` for an `f64` b.
    #[inline(always)]
    pub fn mul_f64(self, b: f64) -> DD {
        let p = two_prod(self.hi, b);
        if !p.hi.is_finite() || p.hi == 0.0 {
            // ±∞ (or NaN) stays itself: lo·b would add 0·∞ = NaN; a signed zero keeps its sign.
            return p;
        }
        fast_two_sum(p.hi, p.lo + self.lo * b)
    }

    /// `self / b` for an `f64` b (error below 2⁻¹⁰⁴ relative).
    #[inline(always)]
    pub fn div_f64(self, b: f64) -> DD {
        let q1 = self.hi / b;
        if !q1.is_finite() || q1 == 0.0 && self.lo == 0.0 {
            return DD::from_f64(q1);
        }
        let p = two_prod(q1, b);
        let r = ((self.hi - p.hi) - p.lo) + self.lo;
        fast_two_sum(q1, r / b)
    }

    /// `self + b` for an `f64` b.
    #[inline(always)]
    pub fn add_f64(self, b: f64) -> DD {
        let s = two_sum(self.hi, b);
        fast_two_sum(s.hi, s.lo + self.lo)
    }

    /// Whether `hi` is finite.
    #[inline(always)]
    pub fn is_finite(self) -> bool {
        self.hi.is_finite()
    }
}

impl From<f64> for DD {
    fn from(x: f64) -> DD {
        DD::from_f64(x)
    }
}

impl Neg for DD {
    type Output = DD;
    #[inline(always)]
    fn neg(self) -> DD {
        DD {
            hi: -self.hi,
            lo: -self.lo,
        }
    }
}

impl Add for DD {
    type Output = DD;
    /// The accurate ("IEEE-style") double-double sum, with error below 2⁻¹⁰⁵ relative even when
    /// the operands cancel.
    #[inline(always)]
    fn add(self, b: DD) -> DD {
        let s = two_sum(self.hi, b.hi);
        let t = two_sum(self.lo, b.lo);
        let s = fast_two_sum(s.hi, s.lo + t.hi);
        fast_two_sum(s.hi, s.lo + t.lo)
    }
}

impl Sub for DD {
    type Output = DD;
    #[inline(always)]
    fn sub(self, b: DD) -> DD {
        self + (-b)
    }
}

impl Mul for DD {
    type Output = DD;
    #[inline(always)]
    fn mul(self, b: DD) -> DD {
        let p = two_prod(self.hi, b.hi);
        if !p.hi.is_finite() || p.hi == 0.0 {
            return p;
        }
        let lo = p.lo + (self.hi * b.lo + self.lo * b.hi);
        fast_two_sum(p.hi, lo)
    }
}

impl Div for DD {
    type Output = DD;
    /// Long division with three quotient digits (error below 2⁻¹⁰⁴ relative).
    #[inline]
    fn div(self, b: DD) -> DD {
        let q1 = self.hi / b.hi;
        if !q1.is_finite() || b.hi.is_infinite() || self.hi == 0.0 {
            // ∞/x, x/0 and x/∞: the quotient of the leading parts is the answer.
            return DD::from_f64(q1);
        }
        let r = self - b.mul_f64(q1);
        let q2 = r.hi / b.hi;
        let r = r - b.mul_f64(q2);
        let q3 = r.hi / b.hi;
        fast_two_sum(q1, q2).add_f64(q3)
    }
}

/// ⌊log₂|x|⌋ for finite nonzero x (subnormals included), from the bits: no libm call.
#[inline]
pub fn exponent_of(x: f64) -> i32 {
    let bits = x.to_bits() & 0x7fff_ffff_ffff_ffff;
    let biased = (bits >> 52) as i32;
    if biased != 0 {
        biased - 1023
    } else {
        // Subnormal: the leading one of the 52-bit fraction.
        -1074 + (63 - bits.leading_zeros() as i32)
    }
}

/// `a × x` rounded once to the nearest f64 even when the product is subnormal (the plain
/// double-double product would round twice there).
pub fn mul_rounded(a: DD, x: f64) -> DD {
    let p = a.mul_f64(x);
    if p.hi.abs() >= 1e-290 || !p.hi.is_finite() || x == 0.0 {
        return p;
    }
    Scaled {
        m: a.mul_f64(ldexp(x, 600)),
        exp: -600,
    }
    .to_dd()
}

/// `x × 2^k` for any `k`, rounded once (into the subnormals too), like C's `ldexp`.
pub fn ldexp(x: f64, k: i32) -> f64 {
    #[inline(always)]
    fn pow2(k: i32) -> f64 {
        // Normal powers only: -1022 ≤ k ≤ 1023.
        f64::from_bits(((1023 + k) as u64) << 52)
    }
    let (mut x, mut k) = (x, k);
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    while k > 1023 {
        x *= pow2(1023);
        k -= 1023;
        if x.is_infinite() {
            return x;
        }
    }
    // Move the excess of a very negative k into x while x stays normal (exact steps), so that
    // the last multiplication is the only rounding.
    while k < -1022 {
        let biased = ((x.to_bits() >> 52) & 0x7ff) as i32;
        let room = biased - 1; // how many halvings keep x normal
        if room <= 0 {
            break;
        }
        let s = (-room).max(k).max(-1022);
        x *= pow2(s);
        k -= s;
    }
    if k >= -1022 {
        x * pow2(k)
    } else if k >= -1074 {
        // 2^k is an exact subnormal: one correctly rounded product.
        x * f64::from_bits(1u64 << (k + 1074))
    } else {
        // |x| < 2^-1021 here, so the result is below 2^-2096: a signed zero.
        x * 0.0
    }
}

/// The neighbour of `x` toward `target` (like C's `nextafterf`).
pub fn next_f32_toward(x: f32, target: f32) -> f32 {
    if x.is_nan() || target.is_nan() {
        return f32::NAN;
    }
    if x == target {
        return target;
    }
    if x == 0.0 {
        let tiny = f32::from_bits(1);
        return if target > 0.0 { tiny } else { -tiny };
    }
    let bits = x.to_bits();
    let away = (target > x) == (x > 0.0);
    f32::from_bits(if away { bits + 1 } else { bits - 1 })
}

/// A [`DD`] times `2^exp`: keeps 106 bits for values far below f64's normal range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scaled {
    /// The significand part.
    pub m: DD,
    /// The binary exponent applied to `m`.
    pub exp: i32,
}

impl Scaled {
    /// A plain `DD` as a `Scaled`.
    #[inline]
    pub fn new(m: DD) -> Scaled {
        Scaled { m, exp: 0 }
    }

    /// `self × b`.
    #[inline]
    pub fn mul_dd(self, b: DD) -> Scaled {
        Scaled {
            m: self.m * b,
            exp: self.exp,
        }
    }

    /// `self / b`.
    #[inline]
    pub fn div_dd(self, b: DD) -> Scaled {
        Scaled {
            m: self.m / b,
            exp: self.exp,
        }
    }

    /// The value as a `DD`, rounding once when it falls into f64's subnormal range (then `lo = 0`
    /// and `hi` is the correctly rounded f64) and giving ±inf past the top of the range.
    pub fn to_dd(self) -> DD {
        let m = self.m;
        if m.hi == 0.0 || !m.hi.is_finite() || self.exp == 0 {
            return m;
        }
        let e = exponent_of(m.hi) + self.exp;
        if e >= -1022 {
            return m.ldexp(self.exp);
        }
        // Subnormal result: round hi + lo at the absolute grid 2^-1074 once.
        // Work in the scaled frame, where the grid step is 2^(-1074 - exp).
        let step_exp = -1074 - self.exp;
        let step = ldexp(1.0, step_exp);
        let q = (m.hi / step).trunc(); // whole grid steps in hi (exact: a power-of-two scaling)
        let rem = m.hi - q * step; // exact, with the sign of hi
        // rem ± half is a multiple of ulp(hi) and |lo| ≤ ulp(hi)/2, so its sign, then lo's on a
        // tie, then evenness decide the rounding.
        let half = step / 2.0;
        let odd = (q as i64) % 2 != 0;
        let d_up = rem - half;
        let d_down = rem + half;
        let mut n = q;
        if d_up > 0.0 || (d_up == 0.0 && (m.lo > 0.0 || (m.lo == 0.0 && odd))) {
            n += 1.0;
        } else if d_down < 0.0 || (d_down == 0.0 && (m.lo < 0.0 || (m.lo == 0.0 && odd))) {
            n -= 1.0;
        }
        DD::from_f64(ldexp(n, -1074))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_sum_is_exact() {
        let s = two_sum(1.0, 1e-30);
        assert_eq!(s.hi, 1.0);
        assert_eq!(s.lo, 1e-30);
    }

    #[test]
    fn division_recovers_one_third() {
        let third = DD::ONE / DD::from_f64(3.0);
        let back = third * DD::from_f64(3.0) - DD::ONE;
        assert!(back.hi.abs() < 1e-31, "{back:?}");
    }

    #[test]
    fn ldexp_handles_extremes() {
        assert_eq!(ldexp(1.0, -1074), f64::from_bits(1));
        assert_eq!(ldexp(1.0, 1023), f64::from_bits(0x7fe0000000000000));
        assert_eq!(ldexp(3.0, -1075), f64::from_bits(2)); // 1.5 steps rounds to even (2)
        assert_eq!(ldexp(1.0, 1024), f64::INFINITY);
        assert_eq!(ldexp(f64::MAX, -2100), 0.0);
    }

    #[test]
    fn scaled_rounds_into_subnormals_once() {
        // (1 + 2^-60) × 2^-1075 is just above half the smallest subnormal: rounds up to it.
        let s = Scaled {
            m: DD {
                hi: 1.0,
                lo: ldexp(1.0, -60),
            },
            exp: -1075,
        };
        assert_eq!(s.to_dd().hi, f64::from_bits(1));
        // Exactly half rounds to even (zero).
        let s = Scaled {
            m: DD::ONE,
            exp: -1075,
        };
        assert_eq!(s.to_dd().hi, 0.0);
        // 3.5 steps rounds to 4 steps.
        let s = Scaled {
            m: DD::from_f64(3.5),
            exp: -1074,
        };
        assert_eq!(s.to_dd().hi, f64::from_bits(4));
    }

    #[test]
    fn to_f32_rounds_once() {
        // 1 + 2^-24 is an exact f32 tie; a tiny positive lo must break it upward.
        let tie = DD {
            hi: 1.0 + ldexp(1.0, -24),
            lo: ldexp(1.0, -80),
        };
        assert_eq!(tie.to_f32(), 1.0 + f32::EPSILON);
        let tie = DD {
            hi: 1.0 + ldexp(1.0, -24),
            lo: -ldexp(1.0, -80),
        };
        assert_eq!(tie.to_f32(), 1.0);
    }
}
