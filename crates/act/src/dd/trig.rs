//! sin x, cos x and 1 + sin x for a double-double x, accurate for every finite x.
//!
//! Method: x = q·π/2 + r with |r| ≤ π/4, then Taylor series for sin r and cos r − 1.
//!
//! - *Reduction* (Payne–Hanek). Each part of x = hi + lo is an f64 `m·2^e` with an integer
//!   `m < 2^53`; `m·2^e·(2/π) mod 4` needs only the bits of 2/π from position `e − 1` on (earlier
//!   bits contribute multiples of 4), so a 384-bit window of the generated table
//!   [`TWO_OVER_PI`] times `m` gives it in exact integer arithmetic, as fixed point with 382
//!   fraction bits, short by less than 2⁻³²⁹ (the table bits past the window). The two parts are
//!   reduced separately (lo alone can exceed π when hi is huge) and their fixed-point values added
//!   mod 4, so the sum is re-reduced for free and hi and lo may cancel without loss. Rounding to
//!   the nearest quadrant leaves a fraction f with |f| ≤ 1/2 and absolute error below 2⁻³²⁸;
//!   normalised to its leading bit, r = f·π/2 has relative error about 2⁻¹⁰⁴ whenever
//!   |r| > 2⁻²²⁵, and below that its absolute error stays under 2⁻³²⁷. Every f64 above π/4 lies
//!   more than 2⁻⁶² from a multiple of π/2 (the closest is 6381956970095103·2⁷⁹⁷), so 256 bits
//!   would do for f64 inputs; double-doubles come closer (the nearest to π/2 is 2⁻¹⁰⁸ away),
//!   hence 384.
//! - *Series*. sin r = r + r·r²·P(r²) and cos r − 1 = r²·Q(r²), Horner in double-double for the
//!   terms above 2⁻⁵⁵ of the result and in f64 for the tail (an f64 error there is below 2⁻¹⁰⁷
//!   of the result). Keeping cos r − 1 rather than cos r is what makes 1 + sin x exact near its
//!   double zeros: there 1 + sin x = −(cos r − 1) with no subtraction at all.
//!
//! Accuracy: relative error below 2⁻¹⁰² for sin, cos and 1 + sin (by the bounds above; measured
//! against mpmath at 2400 bits on 130 000 random double-doubles from 2⁻¹⁰⁷⁰ to f64::MAX, a quarter
//! of them next to multiples of π/2 or zeros of 1 + sin, the worst were 2⁻¹⁰⁴·⁵ for sin, 2⁻¹⁰⁴·¹
//! for cos and 2⁻¹⁰³·⁴ for 1 + sin), including at the f64 nearest to −π/2 + 2πk, where
//! 1 + sin x ≈ r²/2 with r down to 2⁻⁶².

use super::two_over_pi::TWO_OVER_PI;
use super::{DD, FRAC_PI_2, FRAC_PI_4, INV_FACT, fast_two_sum};

/// sin x and cos x of a double-double, each with relative error below 2⁻¹⁰⁰.
///
/// Accurate for every finite x, including |x| up to `f64::MAX` and x.lo larger than π (the two
/// parts are reduced mod π/2 separately, by Payne–Hanek in exact integer arithmetic with 382
/// fraction bits, and the reductions added), and relatively accurate near the zeros of sin and
/// cos: the reduced argument keeps ~104 bits for every f64 x and for double-doubles down to
/// 2⁻²²⁵ from a multiple of π/2.
/// sin(±0) = ±0 and cos(±0) = 1; NaN or ±∞ give (NaN, NaN).
///
/// Costs one Payne–Hanek reduction per nonzero part of x (a few 64×64-bit products) and two
/// series of eight double-double steps each.
pub fn sin_cos(x: DD) -> (DD, DD) {
    if !(x.hi.is_finite() && x.lo.is_finite()) {
        let nan = DD::from_f64(f64::NAN);
        return (nan, nan);
    }
    if x.hi == 0.0 {
        // Keeps the sign of a zero, which r + r·r²·P(r²) would lose.
        return (x, DD::ONE);
    }
    let (quadrant, r) = reduce(x);
    let s2 = r.sqr();
    let sin_r = sin_reduced(r, s2);
    let cos_r = cosm1_reduced(s2).add_f64(1.0);
    // sin(qπ/2 + r), cos(qπ/2 + r) for q = 0, 1, 2, 3.
    match quadrant {
        0 => (sin_r, cos_r),
        1 => (cos_r, -sin_r),
        2 => (-sin_r, -cos_r),
        _ => (-cos_r, sin_r),
    }
}

/// 1 + sin x of a double-double, with relative error below 2⁻⁹⁵ everywhere, including next to its
/// double zeros x = −π/2 + 2πk.
///
/// Near a zero, 1 + sin x = 1 − cos r = 2 sin²(r/2) ≈ r²/2 where r = x + π/2 − 2πk; forming
/// `1 + sin_cos(x).0` would cancel every bit there. Here the reduction gives r to ~104 relative
/// bits (it keeps 382 fraction bits, so even the f64 nearest to a zero for huge k, r ≈ 2⁻⁶², or
/// the double-double nearest to −π/2, r ≈ 2⁻¹⁰⁸, is exact) and the result is −(cos r − 1) from
/// the series directly, never a difference.
/// NaN or ±∞ give NaN.
pub fn one_plus_sin(x: DD) -> DD {
    if !(x.hi.is_finite() && x.lo.is_finite()) {
        return DD::from_f64(f64::NAN);
    }
    let (quadrant, r) = reduce(x);
    let s2 = r.sqr();
    // 1 + sin(qπ/2 + r): only quadrant 3 can come near zero, and there no 1 is subtracted.
    match quadrant {
        0 => sin_reduced(r, s2).add_f64(1.0),
        1 => cosm1_reduced(s2).add_f64(2.0),
        2 => (-sin_reduced(r, s2)).add_f64(1.0),
        _ => -cosm1_reduced(s2),
    }
}

/// x = q·π/2 + r with |r| ≤ π/4 (a hair more when x.hi rounds to π/4): returns (q mod 4, r).
///
/// |x.hi| ≤ π/4 needs no reduction (r = x exactly). Otherwise Payne–Hanek on each part, summed
/// mod 4 in fixed point, rounded to the nearest quadrant; r carries the error budget of the
/// [module docs](self).
fn reduce(x: DD) -> (u32, DD) {
    if x.hi.abs() <= FRAC_PI_4.hi {
        return (0, x);
    }
    let mut turns = reduce_f64(x.hi);
    if x.lo != 0.0 {
        turns = turns.wrapping_add(reduce_f64(x.lo));
    }
    // Round x·2/π to the nearest integer q: add one half and read the two integer bits.
    let quadrant = (turns.limbs[0].wrapping_add(1 << 61) >> 62) as u32;
    // f = x·2/π − q, in [−1/2, 1/2) as a two's-complement fixed-point value.
    turns.limbs[0] = turns.limbs[0].wrapping_sub((quadrant as u64) << 62);
    let negative = turns.limbs[0] >> 63 == 1;
    let magnitude = if negative {
        turns.wrapping_neg()
    } else {
        turns
    };
    let r = magnitude.to_dd() * FRAC_PI_2;
    (quadrant, if negative { -r } else { r })
}

/// Limbs of the fixed-point reduction: 384 bits, enough for the error bound of [`reduce_f64`].
const LIMBS: usize = 6;

/// A count of quarter turns mod 4 (a multiple of π/2, mod 2π) in fixed point: 384 bits, the top
/// 2 before the binary point and 382 after, most significant limb first; arithmetic wraps mod 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Turns {
    /// The 64-bit limbs, most significant first.
    limbs: [u64; LIMBS],
}

impl Turns {
    /// `self + b mod 4`.
    #[inline(always)]
    fn wrapping_add(self, b: Turns) -> Turns {
        let mut limbs = [0; LIMBS];
        let mut carry = false;
        for i in (0..LIMBS).rev() {
            let (sum, c1) = self.limbs[i].overflowing_add(b.limbs[i]);
            let (sum, c2) = sum.overflowing_add(carry as u64);
            limbs[i] = sum;
            carry = c1 || c2;
        }
        Turns { limbs }
    }

    /// `−self mod 4` (two's complement: invert and add one).
    #[inline(always)]
    fn wrapping_neg(self) -> Turns {
        let mut limbs = [0; LIMBS];
        let mut carry = true;
        for i in (0..LIMBS).rev() {
            let (sum, c) = (!self.limbs[i]).overflowing_add(carry as u64);
            limbs[i] = sum;
            carry = c;
        }
        Turns { limbs }
    }

    /// The value of a fixed-point number `≤ 1/2` as a double-double.
    ///
    /// Normalises first, so a tiny fraction keeps full relative precision: the top 128
    /// significant bits are split into 53 + 53 + 22 bits, each exact in an f64; the first two
    /// add exactly (disjoint bits), the third is folded into `lo` with one rounding of 2⁻¹⁰⁶
    /// relative. The bits below the top 128 (at most 2⁻¹²⁷ relative) are dropped.
    #[inline]
    fn to_dd(self) -> DD {
        let Some(lead) = self.limbs.iter().position(|&limb| limb != 0) else {
            return DD::ZERO;
        };
        let limb = |i: usize| if i < LIMBS { self.limbs[i] } else { 0 };
        let shift = self.limbs[lead].leading_zeros();
        // top = the 128 bits after the leading zeros (its bit 127 is set).
        let window = |i: usize| {
            if shift == 0 {
                limb(i)
            } else {
                (limb(i) << shift) | (limb(i + 1) >> (64 - shift))
            }
        };
        let top = ((window(lead) as u128) << 64) | window(lead + 1) as u128;
        // With lz leading zeros, self ≈ top·2^(384 − 128 − lz), so the value self·2⁻³⁸² is
        // top·2^(−126 − lz); 2 ≤ lz ≤ 383 keeps every scale below a normal f64.
        let lz = (64 * lead as u32 + shift) as i32;
        let upper = ((top >> 75) as u64) as f64 * pow2(-51 - lz);
        let middle = (((top >> 22) as u64) & ((1 << 53) - 1)) as f64 * pow2(-104 - lz);
        let lower = ((top as u64) & ((1 << 22) - 1)) as f64 * pow2(-126 - lz);
        let sum = fast_two_sum(upper, middle);
        fast_two_sum(sum.hi, sum.lo + lower)
    }
}

/// `2^k` for a normal exponent, `−1022 ≤ k ≤ 1023` (exact, no rounding).
#[inline(always)]
fn pow2(k: i32) -> f64 {
    f64::from_bits(((1023 + k) as u64) << 52)
}

/// `y·(2/π) mod 4` for a finite f64 `y`, as [`Turns`]; the magnitude is short of the true
/// |y|·2/π mod 4 by less than 2⁻³²⁹.
///
/// With `y = ±m·2^e` (integer `m < 2^53`), the bit `b_j` of 2/π (weight 2⁻ʲ) contributes
/// `m·b_j·2^(e−j)`, a multiple of 4 when `j ≤ e − 2`: only bits from `j = e − 1` on matter. A
/// window of 384 of them, W, gives `m·2^e·(2/π) ≈ m·W·2⁻³⁸²`; the low 384 bits of the exact
/// product `m·W` are the answer. The bits past the window weigh less than `m·2⁻³⁸² < 2⁻³²⁹`.
///
/// Why 384 bits: for an f64 the reduced fraction is never below 2⁻⁶², so 2⁻²⁰⁰ would do, but
/// a double-double can lie much closer to a multiple of π/2 (the nearest to π/2 is 2⁻¹⁰⁸ away,
/// and some near larger multiples closer still), and r must still keep ~100 bits there.
fn reduce_f64(y: f64) -> Turns {
    let bits = y.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let mantissa = bits & ((1 << 52) - 1);
    let (m, e) = if biased == 0 {
        (mantissa, -1074) // subnormal (or zero): no implicit bit
    } else {
        (mantissa | (1 << 52), biased - 1075)
    };
    let mut limbs = [0; LIMBS];
    if m == 0 {
        return Turns { limbs };
    }
    let first = e - 1;
    let m = m as u128;
    // Schoolbook m × (window limbs), least significant first; each partial product and carry fits
    // u128 (m < 2^53). The carry out of the top limb is a multiple of 4 and is dropped.
    let mut carry = 0u128;
    for i in (0..LIMBS).rev() {
        let t = m * two_over_pi_bits(first + 64 * i as i32) as u128 + carry;
        limbs[i] = t as u64;
        carry = t >> 64;
    }
    let turns = Turns { limbs };
    if y < 0.0 { turns.wrapping_neg() } else { turns }
}

/// The 64 bits `b_first ..= b_(first+63)` of 2/π = 0.b₁b₂b₃…₂, most significant first.
///
/// Positions `j ≤ 0` (before the binary point) are zeros, which lets `y` of any size use the
/// same window arithmetic. `first ≤ 1290` for every f64 (e ≤ 971), so the last word read,
/// bits up to 1353, lies within the 1536-bit table.
#[inline(always)]
fn two_over_pi_bits(first: i32) -> u64 {
    if first >= 1 {
        let offset = (first - 1) as usize;
        let (word, shift) = (offset / 64, offset % 64);
        if shift == 0 {
            TWO_OVER_PI[word]
        } else {
            (TWO_OVER_PI[word] << shift) | (TWO_OVER_PI[word + 1] >> (64 - shift))
        }
    } else if first > -63 {
        TWO_OVER_PI[0] >> (1 - first)
    } else {
        0
    }
}

/// Horner coefficients of P (sin), double-double: (−1)ᵏ/(2k+1)! for k = 1..=8 (index k − 1).
const SIN_HEAD: [DD; 8] = head_coefficients(3);

/// Horner coefficients of Q (cos − 1), double-double: (−1)ᵏ/(2k)! for k = 1..=8 (index k − 1).
const COS_HEAD: [DD; 8] = head_coefficients(2);

/// Horner coefficients of P's tail, f64: (−1)ᵏ/(2k+1)! for k = 9..=14 (index k − 9).
const SIN_TAIL: [f64; 6] = tail_coefficients(19);

/// Horner coefficients of Q's tail, f64: (−1)ᵏ/(2k)! for k = 9..=15 (index k − 9).
const COS_TAIL: [f64; 7] = tail_coefficients(18);

/// `(−1)ᵏ/(first + 2(k − 1))!` for k = 1..=8, from the generated [`INV_FACT`] (exact to
/// double-double precision, which the leading terms need).
const fn head_coefficients(first: usize) -> [DD; 8] {
    let mut out = [DD::ZERO; 8];
    let mut i = 0;
    while i < 8 {
        let c = INV_FACT[first + 2 * i];
        // k = i + 1 is odd at even i.
        out[i] = if i % 2 == 0 {
            DD {
                hi: -c.hi,
                lo: -c.lo,
            }
        } else {
            c
        };
        i += 1;
    }
    out
}

/// `(−1)ᵏ/(first + 2(k − 9))!` for k = 9..9 + N, as f64.
///
/// 1/n! for n > 20 comes from the correctly rounded 1/20! by f64 divisions, so it is within 10
/// ulps: the tail terms weigh below 2⁻⁵⁵ of the result, so this adds less than 2⁻¹⁰⁷ relative.
const fn tail_coefficients<const N: usize>(first: usize) -> [f64; N] {
    let mut out = [0.0; N];
    let mut i = 0;
    while i < N {
        let n = first + 2 * i;
        let mut c = INV_FACT[if n < 20 { n } else { 20 }].hi;
        let mut divisor = 21;
        while divisor <= n {
            c /= divisor as f64;
            divisor += 1;
        }
        // k = i + 9 is odd at even i.
        out[i] = if i % 2 == 0 { -c } else { c };
        i += 1;
    }
    out
}

/// `a + b` when `|b| ≤ |a|/8`: the sum cannot cancel, and Dekker's fast two-sum is exact since
/// `|a.hi| ≥ |b.hi|`. Three roundings of about 2⁻¹⁰⁶ relative; half the latency of the general
/// `+`, which matters because the Horner steps below form one long dependency chain.
#[inline(always)]
fn add_small(a: DD, b: DD) -> DD {
    let s = fast_two_sum(a.hi, b.hi);
    fast_two_sum(s.hi, s.lo + (a.lo + b.lo))
}

/// sin r for |r| ≤ π/4, given `s2 = r²`: relative error below 2⁻¹⁰³.
///
/// sin r = r + r·s2·P(s2), P(s2) = Σ_{k≥1} (−1)ᵏ s2^(k−1)/(2k+1)!. At s2 = (π/4)² the terms
/// k = 9..=14 weigh 2⁻⁶² down to 2⁻¹¹⁰ of P, so they run in f64; k = 15 would be 2⁻¹²⁰.
/// Each Horner step adds a term at least 20 times larger than the rest, so no step cancels.
#[inline]
fn sin_reduced(r: DD, s2: DD) -> DD {
    let x = s2.hi;
    let mut tail = SIN_TAIL[SIN_TAIL.len() - 1];
    for &c in SIN_TAIL[..SIN_TAIL.len() - 1].iter().rev() {
        tail = x * tail + c;
    }
    let mut p = DD::from_f64(tail);
    for c in SIN_HEAD.iter().rev() {
        p = add_small(*c, s2 * p);
    }
    // |r·s2·P| ≤ 0.11 |r|: the final sum loses nothing to cancellation.
    add_small(r, r * (s2 * p))
}

/// cos r − 1 for |r| ≤ π/4, given `s2 = r²`: relative error below 2⁻¹⁰³ (so also near r = 0,
/// where cos r − 1 ≈ −r²/2).
///
/// cos r − 1 = s2·Q(s2), Q(s2) = Σ_{k≥1} (−1)ᵏ s2^(k−1)/(2k)!. At s2 = (π/4)² the terms
/// k = 9..=15 weigh 2⁻⁵⁷ down to 2⁻¹¹⁶ of Q, so they run in f64.
#[inline]
fn cosm1_reduced(s2: DD) -> DD {
    let x = s2.hi;
    let mut tail = COS_TAIL[COS_TAIL.len() - 1];
    for &c in COS_TAIL[..COS_TAIL.len() - 1].iter().rev() {
        tail = x * tail + c;
    }
    let mut q = DD::from_f64(tail);
    for c in COS_HEAD.iter().rev() {
        q = add_small(*c, s2 * q);
    }
    s2 * q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dd::two_sum;

    /// A double-double from two bit patterns.
    fn dd_bits(hi: u64, lo: u64) -> DD {
        DD {
            hi: f64::from_bits(hi),
            lo: f64::from_bits(lo),
        }
    }

    /// |got − want| / |want| as a power of two (−∞ when exact).
    fn log2_rel_err(got: DD, want: DD) -> f64 {
        let diff = got - want;
        ((diff.hi + diff.lo).abs() / want.hi.abs()).log2()
    }

    /// splitmix64: a reproducible stream of random bits, no crates needed.
    struct Random(u64);

    impl Random {
        fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
            z ^ (z >> 31)
        }

        /// Uniform in [0, 1).
        fn unit(&mut self) -> f64 {
            (self.next_u64() >> 11) as f64 * f64::EPSILON / 2.0
        }

        /// A double-double with |hi| log-uniform from 2⁻⁴⁰ to f64::MAX, random sign, and (half the
        /// time) a random lo within half an ulp of hi.
        fn dd(&mut self) -> DD {
            let hi = (self.unit() * 1063.0 - 40.0).exp2() * (1.0 + self.unit());
            let hi = if self.next_u64() & 1 == 0 { hi } else { -hi };
            let half_ulp =
                f64::from_bits(hi.abs().to_bits() & 0x7ff0_0000_0000_0000) * f64::EPSILON / 2.0;
            let lo = if self.next_u64() & 1 == 0 {
                0.0
            } else {
                (2.0 * self.unit() - 1.0) * half_ulp
            };
            let sum = two_sum(hi, lo);
            DD {
                hi: sum.hi,
                lo: sum.lo,
            }
        }
    }

    // mpmath 2400-bit, from tools/dd_trig_golden.py: (x.hi, x.lo, sin.hi, sin.lo, cos.hi, cos.lo)
    #[rustfmt::skip]
    const SIN_COS_GOLDEN: [[u64; 6]; 24] = [
        // 1e-300
        [0x01a56e1fc2f8f359, 0x0000000000000000, 0x01a56e1fc2f8f359, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000],
        // smallest subnormal
        [0x0000000000000001, 0x0000000000000000, 0x0000000000000001, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000],
        // 2^-30
        [0x3e10000000000000, 0x0000000000000000, 0x3e10000000000000, 0xba25555555555555, 0x3ff0000000000000, 0xbc20000000000000],
        // 1
        [0x3ff0000000000000, 0x0000000000000000, 0x3feaed548f090cee, 0x3c406374f484e288, 0x3fe14a280fb5068c, 0xbc8b71edcc9344bc],
        // -1
        [0xbff0000000000000, 0x0000000000000000, 0xbfeaed548f090cee, 0xbc406374f484e288, 0x3fe14a280fb5068c, 0xbc8b71edcc9344bc],
        // 0.785 (no reduction)
        [0x3fe91eb851eb851f, 0x0000000000000000, 0x3fe69e4fd79ac743, 0xbc73a831ffc5c93c, 0x3fe6a2ecb934b59a, 0xbc7f3738e2bed1bc],
        // f64 nearest π/4 (largest unreduced)
        [0x3fe921fb54442d18, 0x0000000000000000, 0x3fe6a09e667f3bcc, 0x3c87a7fb8d4bd43f, 0x3fe6a09e667f3bcd, 0xbc7ec4c7696139d5],
        // next f64 above π/4 (reduced, r ≈ −π/4)
        [0x3fe921fb54442d19, 0x0000000000000000, 0x3fe6a09e667f3bcd, 0x3c63a4e169292f60, 0x3fe6a09e667f3bcc, 0x3c5ae2fbf2875bde],
        // f64 nearest π/2
        [0x3ff921fb54442d18, 0x0000000000000000, 0x3ff0000000000000, 0xb92377ce858a5d48, 0x3c91a62633145c07, 0xb91f1976b7ed8fbc],
        // f64 nearest π
        [0x400921fb54442d18, 0x0000000000000000, 0x3ca1a62633145c07, 0xb92f1976b7ed8fbd, 0xbff0000000000000, 0x394377ce858a5d48],
        // f64 nearest 2π·10⁶
        [0x4157f7ec53a8d491, 0x0000000000000000, 0xbdfeacd7c60e9693, 0xba9fd0242346ff14, 0x3ff0000000000000, 0xbbfd67ba289b6955],
        // 1e5
        [0x40f86a0000000000, 0x0000000000000000, 0x3fa24daa9c527e96, 0x3c3c767d8e3e1ca8, 0xbfeffac3841b3da7, 0xbc7b085bf2c1a978],
        // 1e22
        [0x4480f0cf064dd592, 0x0000000000000000, 0xbfeb453ab76bf397, 0xbc5f453790772648, 0x3fe0be2cef01c8f4, 0xbc8b2d1bc8018c4f],
        // -1e22
        [0xc480f0cf064dd592, 0x0000000000000000, 0x3feb453ab76bf397, 0x3c5f453790772648, 0x3fe0be2cef01c8f4, 0xbc8b2d1bc8018c4f],
        // 2^1023
        [0x7fe0000000000000, 0x0000000000000000, 0x3fe205248cbdb760, 0xbc6a5a336baf7435, 0xbfea719f26c232bf, 0x3c87a77829eb1138],
        // f64::MAX
        [0x7fefffffffffffff, 0x0000000000000000, 0x3f7452fc98b34e97, 0xbc127bb193d960df, 0xbfefffe62ecfab75, 0xbc7e038d934070f1],
        // -f64::MAX
        [0xffefffffffffffff, 0x0000000000000000, 0xbf7452fc98b34e97, 0x3c127bb193d960df, 0xbfefffe62ecfab75, 0xbc7e038d934070f1],
        // 6381956970095103·2^797, the f64 closest to a multiple of π/2
        [0x7506ac5b262ca1ff, 0x0000000000000000, 0x3ff0000000000000, 0xb842b089ea1e692b, 0xbc214ae72e6ba22f, 0x38973eef1477d90e],
        // dd nearest π/2 (cos ≈ 6e-33)
        [0x3ff921fb54442d18, 0x3c91a62633145c07, 0x3ff0000000000000, 0xb23e396a47941a45, 0xb91f1976b7ed8fbc, 0x35b4cf98e804177d],
        // dd nearest π (sin ≈ 1e-32)
        [0x400921fb54442d18, 0x3ca1a62633145c07, 0xb92f1976b7ed8fbc, 0x35c4cf98e804177d, 0xbff0000000000000, 0x325e396a47941a45],
        // dd nearest 7π/2
        [0x4025fdbbe9bba775, 0x3cbee2c2d963a10c, 0xbff0000000000000, 0x3246ecb39db51296, 0xb92326e07c4088ef, 0xb5b1ad2e581ca46d],
        // dd 1e22 + 12345.678 (lo reduced too)
        [0x4480f0cf064dd592, 0x40c81cd6c8b43958, 0xbfef27527c538541, 0x3c895dc096d5a87d, 0xbfcd3ea0b18dead2, 0xbc58cb330b07ee5e],
        // dd 2^1000 + 2^945 (lo far above π)
        [0x7e70000000000000, 0x7b00000000000000, 0xbfda8b7e9ff373fe, 0x3c615d61da105e72, 0x3fed1e2364f72954, 0x3c8c3f805ab980b6],
        // dd 2^60 − 96 (negative lo; ulp(2^60) = 256)
        [0x43b0000000000000, 0xc058000000000000, 0x3fe6522f144ba55d, 0xbc83928ce79cc630, 0xbfe6ee0172344252, 0x3c67052d5706801d],
    ];

    // mpmath 2400-bit, from tools/dd_trig_golden.py: (x.hi, x.lo, (1 + sin).hi, (1 + sin).lo)
    #[rustfmt::skip]
    const ONE_PLUS_SIN_GOLDEN: [[u64; 4]; 12] = [
        // f64 nearest −π/2: 1 + sin x = 1.8747e-33
        [0xbff921fb54442d18, 0x0000000000000000, 0x392377ce858a5d48, 0xb598ac58c5ec6756],
        // f64 nearest 3π/2: 1 + sin x = 1.68723e-32
        [0x4012d97c7f3321d2, 0x0000000000000000, 0x3955e6c8563ba8f1, 0xb5cbc1e3dea9f443],
        // f64 nearest −π/2 + 2π·1000: 1 + sin x = 5.1533e-27
        [0x40b8899d50954fc7, 0x0000000000000000, 0x3a79849672753d6a, 0x37110296517aaf8c],
        // f64 nearest −π/2 + 2π·10¹⁵: 1 + sin x = 0.00440265
        [0x43365286144ada41, 0x0000000000000000, 0x3f720883d2a4100e, 0x3c17e8914d1c8aa3],
        // f64 nearest −π/2 − 2π·10³⁰⁰: 1 + sin x = 0.222501
        [0xfe62c3ae4dd16caf, 0x0000000000000000, 0x3fcc7ae737aa76fd, 0xbc5f3b9e5bd86821],
        // −6381956970095103·2^797, the f64 closest to a multiple of π/2 (r ≈ 2^-61): 1 + sin x = 1.09848e-37
        [0xf506ac5b262ca1ff, 0x0000000000000000, 0x3842b089ea1e692b, 0xb4eb667cc5bcaf8e],
        // dd nearest −π/2 (1 + sin ≈ 1e-65): 1 + sin x = 1.12108e-66
        [0xbff921fb54442d18, 0xbc91a62633145c07, 0x323e396a47941a45, 0x2ed8ff2d6ae19e40],
        // dd nearest 3π/2 + 2π·10⁶: 1 + sin x = 2.72686e-52
        [0x4157f7ed81409c85, 0xbdf4cbdf66279f08, 0x353a1e3b674c4873, 0xb1da6eb4adea2f8a],
        // -0.785 (no reduction): 1 + sin x = 0.293175
        [0xbfe91eb851eb851f, 0x0000000000000000, 0x3fd2c36050ca717a, 0x3c73a831ffc5c93c],
        // f64 nearest π/2 (1 + sin ≈ 2): 1 + sin x = 2.0
        [0x3ff921fb54442d18, 0x0000000000000000, 0x4000000000000000, 0xb92377ce858a5d48],
        // 1e22: 1 + sin x = 0.147799
        [0x4480f0cf064dd592, 0x0000000000000000, 0x3fc2eb15225031a4, 0xbc5f453790772648],
        // f64::MAX: 1 + sin x = 1.00496
        [0x7fefffffffffffff, 0x0000000000000000, 0x3ff01452fc98b34f, 0xbc9a527bb193d961],
    ];

    #[test]
    fn sin_cos_match_mpmath() {
        for [hi, lo, sin_hi, sin_lo, cos_hi, cos_lo] in SIN_COS_GOLDEN {
            let x = dd_bits(hi, lo);
            let (sin, cos) = sin_cos(x);
            let sin_err = log2_rel_err(sin, dd_bits(sin_hi, sin_lo));
            let cos_err = log2_rel_err(cos, dd_bits(cos_hi, cos_lo));
            assert!(sin_err <= -100.0, "sin {x:?}: {sin:?}, error 2^{sin_err}");
            assert!(cos_err <= -100.0, "cos {x:?}: {cos:?}, error 2^{cos_err}");
        }
    }

    #[test]
    fn one_plus_sin_matches_mpmath_at_its_zeros() {
        for [hi, lo, want_hi, want_lo] in ONE_PLUS_SIN_GOLDEN {
            let x = dd_bits(hi, lo);
            let got = one_plus_sin(x);
            let err = log2_rel_err(got, dd_bits(want_hi, want_lo));
            assert!(err <= -95.0, "1 + sin {x:?}: {got:?}, error 2^{err}");
        }
    }

    #[test]
    fn pythagoras_holds_on_random_inputs() {
        let mut random = Random(1);
        for _ in 0..20_000 {
            let x = random.dd();
            let (sin, cos) = sin_cos(x);
            let defect = sin.sqr() + cos.sqr() - DD::ONE;
            assert!(
                defect.hi.abs() <= (-100f64).exp2(),
                "{x:?}: sin² + cos² − 1 = {defect:?}"
            );
        }
    }

    #[test]
    fn sin_is_odd_and_cos_even_bit_for_bit() {
        let mut random = Random(2);
        for _ in 0..20_000 {
            let x = random.dd();
            let (sin, cos) = sin_cos(x);
            let (sin_neg, cos_neg) = sin_cos(-x);
            assert_eq!((sin_neg.hi, sin_neg.lo), (-sin.hi, -sin.lo), "{x:?}");
            assert_eq!((cos_neg.hi, cos_neg.lo), (cos.hi, cos.lo), "{x:?}");
        }
    }

    #[test]
    fn one_plus_sin_agrees_with_sin_away_from_its_zeros() {
        // Where 1 + sin x ≥ 1/2 forming it from sin loses at most a bit, so the two must agree.
        let mut random = Random(3);
        let mut checked = 0;
        for _ in 0..20_000 {
            let x = random.dd();
            let direct = sin_cos(x).0.add_f64(1.0);
            if direct.hi < 0.5 {
                continue;
            }
            checked += 1;
            let err = log2_rel_err(one_plus_sin(x), direct);
            assert!(err <= -100.0, "{x:?}: error 2^{err}");
        }
        assert!(checked > 10_000, "only {checked} inputs checked");
    }

    #[test]
    fn zeros_and_tiny_inputs_pass_through() {
        for x in [
            0.0,
            -0.0,
            f64::from_bits(1),
            -f64::from_bits(1),
            1e-300,
            -1e-200,
        ] {
            let (sin, cos) = sin_cos(DD::from_f64(x));
            // sin x = x(1 − x²/6 + …) rounds to x itself, with the sign of a zero kept.
            assert_eq!(sin.hi.to_bits(), x.to_bits(), "sin {x:e}");
            assert_eq!(sin.lo, 0.0, "sin {x:e}");
            assert_eq!((cos.hi, cos.lo), (1.0, 0.0), "cos {x:e}");
            assert_eq!(one_plus_sin(DD::from_f64(x)).hi, 1.0, "1 + sin {x:e}");
        }
    }

    #[test]
    fn non_finite_inputs_give_nan() {
        let hostile = [
            DD::from_f64(f64::NAN),
            DD::from_f64(f64::INFINITY),
            DD::from_f64(f64::NEG_INFINITY),
            DD {
                hi: 1.0,
                lo: f64::NAN,
            },
        ];
        for x in hostile {
            let (sin, cos) = sin_cos(x);
            assert!(sin.hi.is_nan() && cos.hi.is_nan(), "{x:?}");
            assert!(one_plus_sin(x).hi.is_nan(), "{x:?}");
        }
    }

    #[test]
    fn table_holds_the_leading_bits_of_two_over_pi() {
        // The first word, rounded to an f64, is the f64 nearest 2/π.
        let leading = TWO_OVER_PI[0] as f64 * (-64f64).exp2();
        assert_eq!(leading, core::f64::consts::FRAC_2_PI);
        // Bits before the binary point are zeros; a window straddling it shifts the first word.
        assert_eq!(two_over_pi_bits(-100), 0);
        assert_eq!(two_over_pi_bits(0), TWO_OVER_PI[0] >> 1);
        assert_eq!(two_over_pi_bits(65), TWO_OVER_PI[1]);
        assert_eq!(
            two_over_pi_bits(5),
            (TWO_OVER_PI[0] << 4) | (TWO_OVER_PI[1] >> 60)
        );
    }
}
