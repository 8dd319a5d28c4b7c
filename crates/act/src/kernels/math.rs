//! Vectorised `f64` elementary functions for the kernels: exp, expm1, log1p, σ, tanh and the
//! normal distribution Φ, φ, each accurate to a few `f64` ULP (≲ 10⁻¹⁵ relative).
//!
//! Why so accurate when the results are `f32`: the derivatives of silu, gelu, gelu_tanh and mish
//! cross zero (f′ = σ(z)(1 + zσ(−z)) at z ≈ −1.28, Φ(x) + xφ(x) at x ≈ −0.75, …), where the sum
//! cancels and an absolute error of ε·|terms| becomes a large relative error of the result. The
//! scalar `f32` path evaluates those sums in `f64` with libm and the exhaustive sweep shows ≤ 2
//! ULP there; errors of ~10⁻¹⁵ keep the same margin, errors of ~10⁻¹² would not.
//!
//! Every polynomial is derived, not fitted, except the Mills ratio's (generated, with its check,
//! by `gen_mills.py` beside this file):
//! - exp (of x ≤ 0, all the kernels need): Cody–Waite reduction x = k·ln 2 + r, |r| ≤ ln 2/2,
//!   then the Taylor series of e^r to r¹³/13! (the next term is below 4·10⁻¹⁸ relative), scaled
//!   by 2^k exactly;
//! - expm1: the Taylor series x(1 + x/2 + … + x¹²/13!) for |x| < 0.34 (next term < 10⁻¹⁷
//!   relative), else exp(x) − 1 (which then loses at most a factor 2.5 to cancellation);
//! - log1p on [0, 1]: ln(1 + u) = 2·atanh(s) with s = u/(2 + u) ≤ 1/3, the series
//!   2s(1 + s²/3 + … + s³⁴/35) (next term < 2·10⁻¹⁹ relative), exact in relative terms as u → 0.

use super::lanes::Lanes;
use super::mills_generated::{
    LN2_HI, LN2_LO, MILLS_C, MILLS_POLY, MILLS_SA, MILLS_SB, MILLS_T_MAX,
};

/// 1/n! for n = 0..=13, highest first (for Horner).
const EXP_TAYLOR: [f64; 14] = {
    let mut c = [0.0; 14];
    let mut n = 0;
    let mut f = 1.0;
    while n < 14 {
        c[13 - n] = 1.0 / f;
        n += 1;
        f *= n as f64;
    }
    c
};

/// 1/(n + 1)! for n = 0..=12, highest first: expm1(x) = x·Σ xⁿ/(n + 1)!.
const EXPM1_TAYLOR: [f64; 13] = {
    let mut c = [0.0; 13];
    let mut n = 0;
    let mut f = 1.0;
    while n < 13 {
        f *= (n + 1) as f64;
        c[12 - n] = 1.0 / f;
        n += 1;
    }
    c
};

/// 1/(2n + 1) for n = 0..=17, highest first: atanh(s)/s = Σ s²ⁿ/(2n + 1).
const ATANH_SERIES: [f64; 18] = {
    let mut c = [0.0; 18];
    let mut n = 0;
    while n < 18 {
        c[17 - n] = 1.0 / (2 * n + 1) as f64;
        n += 1;
    }
    c
};

/// Σ cᵢ xⁱ, coefficients highest degree first, as four interleaved Horner chains in x⁴:
/// p(x) = A(x⁴) + x·B(x⁴) + x²·C(x⁴) + x³·D(x⁴).
///
/// PERF: a plain Horner chain of n dependent FMAs is latency-bound (4–5 cycles each); four
/// independent chains of n/4 let the core overlap them. The reassociation changes the rounding
/// by a few ULP at most for these polynomials (small x, decreasing or bounded coefficients), which
/// the tests of this module and the kernel sweeps check.
#[inline(always)]
pub(crate) fn horner<S: Lanes, const N: usize>(s: S, x: S::V, c: &[f64; N]) -> S::V {
    let x2 = s.mul(x, x);
    let x4 = s.mul(x2, x2);
    // chain[j] accumulates the coefficients of x^(4k + j), highest k first.
    let mut chain = [s.splat(0.0); 4];
    let mut i = 0;
    while i < N {
        let degree = N - 1 - i;
        let j = degree % 4;
        // Each chain meets its own coefficients from its highest power of x⁴ down to x⁰, one
        // step (·x⁴ + c) each: plain Horner in x⁴.
        chain[j] = s.mul_add(chain[j], x4, s.splat(c[i]));
        i += 1;
    }
    let [a, b, cc, d] = chain;
    let high = s.mul_add(d, x, cc); // C + x·D
    let low = s.mul_add(b, x, a); // A + x·B
    s.mul_add(high, x2, low)
}

/// e^x for x ≤ 0, within a few ULP; exactly 0 below −708.39 (where e^x leaves f64's normal
/// range). Every caller passes a non-positive argument (e^{−|z|}, e^{−x²/2}, elu's e^x on x ≤ 0),
/// which is what makes one exact scaling by 2^k enough. The flush to zero is invisible in `f32`
/// results: the largest factor such a value ever meets is an `f32` (≤ 3.4·10³⁸, an input or
/// dy), and 3.4·10³⁸·2.3·10⁻³⁰⁸ is far below the smallest `f32` subnormal.
/// NaN lanes give an unspecified number (callers route NaN around).
#[inline(always)]
pub(crate) fn exp<S: Lanes>(s: S, x: S::V) -> S::V {
    const LOWEST: f64 = -708.39;
    let clamped = s.min(s.max(x, s.splat(LOWEST)), s.splat(0.0));
    let k = s.round(s.mul(clamped, s.splat(core::f64::consts::LOG2_E)));
    // r = x − k·ln 2: k·LN2_HI is exact, so r carries the error of LN2_LO only.
    let r = s.mul_add(k, s.splat(-LN2_HI), clamped);
    let r = s.mul_add(k, s.splat(-LN2_LO), r);
    let p = horner(s, r, &EXP_TAYLOR);
    // −1022 ≤ k ≤ 0: 2^k is a normal number.
    let y = s.mul(p, s.pow2(k));
    s.select(s.lt(x, s.splat(LOWEST)), s.splat(0.0), y)
}

/// e^x − 1 for x ≤ 0, with full relative precision near 0.
#[inline(always)]
pub(crate) fn expm1<S: Lanes>(s: S, x: S::V) -> S::V {
    let small = s.lt(s.abs(x), s.splat(0.34));
    let series = s.mul(x, horner(s, x, &EXPM1_TAYLOR));
    let large = s.sub(exp(s, x), s.splat(1.0));
    s.select(small, series, large)
}

/// ln(1 + u) for 0 ≤ u ≤ 1 (relative precision as u → 0).
#[inline(always)]
pub(crate) fn log1p_unit<S: Lanes>(s: S, u: S::V) -> S::V {
    let t = s.div(u, s.add(u, s.splat(2.0)));
    let series = horner(s, s.mul(t, t), &ATANH_SERIES);
    s.mul(s.add(t, t), series)
}

/// (σ(z), σ(−z), e^{−|z|}) from one exponential: with e = e^{−|z|}, r = 1/(1 + e), σ(|z|) = r and
/// σ(−|z|) = e·r, so neither tail overflows or cancels.
#[inline(always)]
pub(crate) fn sigmoid_pair<S: Lanes>(s: S, z: S::V) -> (S::V, S::V, S::V) {
    let e = exp(s, s.neg(s.abs(z)));
    let r = s.div(s.splat(1.0), s.add(s.splat(1.0), e));
    let er = s.mul(e, r);
    let positive = s.ge(z, s.splat(0.0));
    (s.select(positive, r, er), s.select(positive, er, r), e)
}

/// σ(z).
#[inline(always)]
pub(crate) fn sigmoid<S: Lanes>(s: S, z: S::V) -> S::V {
    sigmoid_pair(s, z).0
}

/// tanh x = −m/(m + 2)·sign(x) with m = expm1(−2|x|): no cancellation at 0 or in the tails.
#[inline(always)]
pub(crate) fn tanh<S: Lanes>(s: S, x: S::V) -> S::V {
    let a = s.min(s.abs(x), s.splat(40.0));
    let m = expm1(s, s.mul(a, s.splat(-2.0)));
    let t = s.div(s.neg(m), s.add(m, s.splat(2.0)));
    s.copysign(t, x)
}

/// (Φ(x), φ(x)) for the standard normal distribution.
///
/// φ(x) = e^{−x²/2}/√(2π): for an `f32` x the square is exact in `f64`, so the exponential's
/// argument carries no rounding. Φ(−t) = φ(t)·R(t) for t = |x| with R the Mills ratio
/// (generated polynomial, ≲ 10⁻¹⁵ relative on [0, 40]); Φ(t) = 1 − φ(t)R(t). Beyond |x| = 40,
/// φ(x) < e⁻⁸⁰⁰ is 0 in `f64`. The range matters for backward: dy·f′ with |dy| up to 3·10³⁸
/// is an `f32` number as long as |f′| > 10⁻⁸³, i.e. out to |x| ≈ 19.5 for gelu.
#[inline(always)]
pub(crate) fn normal_cdf_pdf<S: Lanes>(s: S, x: S::V) -> (S::V, S::V) {
    let t = s.min(s.abs(x), s.splat(MILLS_T_MAX));
    let pdf = s.mul(
        exp(s, s.mul(s.mul(x, x), s.splat(-0.5))),
        s.splat(FRAC_1_SQRT_2PI),
    );
    let u = s.div(s.sub(t, s.splat(MILLS_C)), s.add(t, s.splat(MILLS_C)));
    let ratio = horner(
        s,
        s.mul_add(u, s.splat(MILLS_SA), s.splat(MILLS_SB)),
        &MILLS_POLY,
    );
    let tail = s.mul(pdf, ratio); // Φ(−|x|)
    let cdf = s.select(s.lt(x, s.splat(0.0)), tail, s.sub(s.splat(1.0), tail));
    (cdf, pdf)
}

/// 1/√(2π), rounded.
const FRAC_1_SQRT_2PI: f64 = 0.3989422804014327;

#[cfg(test)]
mod tests {
    use super::super::portable::Portable;
    use super::*;

    fn rel(got: f64, want: f64) -> f64 {
        if got == want {
            0.0
        } else {
            ((got - want) / want).abs()
        }
    }

    // Each check runs lane 0 of the portable implementation against libm (itself within 1 ULP),
    // so a bound of 1e-15 allows a few ULP on either side.
    fn lane0(f: impl Fn(Portable, [f64; 4]) -> [f64; 4], x: f64) -> f64 {
        f(Portable, [x; 4])[0]
    }

    #[test]
    fn exp_is_within_a_few_ulp_and_handles_the_ends() {
        for i in 0..=7090 {
            let x = -(i as f64) * 0.1 - 0.0123;
            let got = lane0(exp, x);
            let want = x.exp();
            if x >= -708.39 {
                assert!(rel(got, want) < 1e-15, "exp({x}) = {got}, libm {want}");
            } else {
                assert_eq!(got, 0.0, "exp({x})");
            }
        }
        assert_eq!(lane0(exp, f64::NEG_INFINITY), 0.0);
        assert_eq!(lane0(exp, 0.0), 1.0);
        assert_eq!(lane0(exp, -0.0), 1.0);
    }

    #[test]
    fn expm1_and_log1p_keep_relative_precision_near_zero() {
        for i in 0..=4000 {
            let x = -(i as f64) * 0.003 - 1e-7;
            let got = lane0(expm1, x);
            assert!(rel(got, x.exp_m1()) < 2e-15, "expm1({x}) = {got}");
        }
        for x in [1e-300, 1e-30, 1e-10, 1e-3, 0.1, 0.5, 0.9, 1.0] {
            let got = lane0(log1p_unit, x);
            assert!(rel(got, x.ln_1p()) < 1e-15, "log1p({x}) = {got}");
            let got = lane0(expm1, -x);
            assert!(rel(got, (-x).exp_m1()) < 2e-15, "expm1({}) = {got}", -x);
            assert_eq!(lane0(expm1, f64::NEG_INFINITY), -1.0);
        }
    }

    #[test]
    fn tanh_and_sigmoid_match_libm() {
        for i in -4000..=4000 {
            let x = i as f64 * 0.01 + 1e-9;
            assert!(rel(lane0(tanh, x), x.tanh()) < 2e-15, "tanh({x})");
            let want = if x >= 0.0 {
                1.0 / (1.0 + (-x).exp())
            } else {
                x.exp() / (1.0 + x.exp())
            };
            assert!(rel(lane0(sigmoid, x), want) < 2e-15, "σ({x})");
        }
        assert_eq!(lane0(tanh, -0.0).to_bits(), (-0.0f64).to_bits());
    }

    #[test]
    fn normal_cdf_matches_erfc() {
        for i in -1500..=1500 {
            let x = i as f64 * 0.01 + 1e-6;
            let (cdf, pdf) = {
                let (c, p) = normal_cdf_pdf(Portable, [x; 4]);
                (c[0], p[0])
            };
            let want = 0.5 * libm::erfc(-x / core::f64::consts::SQRT_2);
            // libm's erfc has ~1 ULP; x/√2 rounds (relative 2⁻⁵³·x² in the tail).
            assert!(
                rel(cdf, want) < 4e-15 * (1.0 + x * x),
                "Φ({x}) = {cdf}, libm {want}"
            );
            let want_pdf = (-0.5 * x * x).exp() * FRAC_1_SQRT_2PI;
            assert!(rel(pdf, want_pdf) < 2e-15, "φ({x})");
        }
    }
}
