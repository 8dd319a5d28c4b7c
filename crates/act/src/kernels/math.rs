//! Vectorised `f64` elementary functions for the kernels: exp, expm1, log1p, σ, tanh and the
//! normal distribution Φ, φ, at two grades ([`Grade`]): [`Full`], accurate to a few `f64` ULP
//! (≲ 10⁻¹⁵ relative), and [`Fast`] (≲ 2⁻⁴²) for results with no cancellation after them.
//!
//! Why so accurate when the results are `f32`: the derivatives of silu, gelu, gelu_tanh and mish
//! cross zero (f′ = σ(z)(1 + zσ(−z)) at z ≈ −1.28, Φ(x) + xφ(x) at x ≈ −0.75, …), where the sum
//! cancels and an absolute error of ε·|terms| becomes a large relative error of the result. The
//! scalar `f32` path evaluates those sums in `f64` with libm and the exhaustive sweep shows ≤ 2
//! ULP there; errors of ~10⁻¹⁵ keep the same margin, errors of ~10⁻¹² would not.
//!
//! The polynomials are Chebyshev fits generated, with their checks, by `gen_polys.py` and
//! `gen_mills.py` beside this file:
//! - exp and expm1 (of x ≤ 0, all the kernels need): Cody–Waite reduction x = k·ln 2 + r,
//!   |r| ≤ ln 2/2 (k by the round-to-integer of the lane type, 2^k built from exponent bits),
//!   then expm1(r) = r + r²q(r) with q fitted; e^x = 2^k(1 + expm1(r)) and
//!   e^x − 1 = 2^k·expm1(r) + (2^k − 1), which keeps its relative precision as x → 0 (k = 0);
//! - log1p on [0, 1]: ln(1 + u) = 2·atanh(s) with s = u/(2 + u) ≤ 1/3, 2s·g(s²) with
//!   g(w) = atanh(√w)/√w fitted, exact in relative terms as u → 0;
//! - Φ through the Mills ratio, fitted in a rational variable (`gen_mills.py`).

use super::lanes::Lanes;
use super::mills_generated::{
    LN2_HI, LN2_LO, MILLS_C, MILLS_POLY, MILLS_SA, MILLS_SB, MILLS_T_MAX,
};
use super::polys_generated::{
    ATANH_G_FAST, ATANH_G_FULL, EXPM1_Q_FAST, EXPM1_Q_FULL, MILLS_C_FAST, MILLS_POLY_FAST,
    MILLS_SA_FAST, MILLS_SB_FAST, MILLS_T_MAX_FAST,
};

/// How accurate an elementary function must be (the polynomials of `gen_polys.py`).
///
/// - [`Fast`]: ≲ 2⁻⁴² relative. For values rounded to `f32` with no cancellation after them
///   (every forward kernel, the derivatives that are products and quotients of positive terms):
///   the `f32` result is then within 0.5 + 2⁻¹⁸ ULP, inside the catalogue's bounds, and the
///   polynomials are two to six terms shorter.
/// - [`Full`]: ≲ 4·10⁻¹⁶ relative (`gen_polys.py`: 1.6·10⁻¹⁶ expm1, 3.9·10⁻¹⁶ log1p), a few `f64` ULP. For the derivatives that cancel near a root of
///   f′ (see the module documentation).
pub(crate) trait Grade {
    /// Coefficients of q(r) = (e^r − 1 − r)/r² on |r| ≤ ln 2/2.
    const EXPM1_Q: &'static [f64];
    /// Coefficients of g(w) = atanh(√w)/√w on [0, 1/9].
    const ATANH_G: &'static [f64];
}

/// The short polynomials ([`Grade`]).
pub(crate) struct Fast;
/// The long polynomials ([`Grade`]).
pub(crate) struct Full;

impl Grade for Fast {
    const EXPM1_Q: &'static [f64] = &EXPM1_Q_FAST;
    const ATANH_G: &'static [f64] = &ATANH_G_FAST;
}

impl Grade for Full {
    const EXPM1_Q: &'static [f64] = &EXPM1_Q_FULL;
    const ATANH_G: &'static [f64] = &ATANH_G_FULL;
}

/// Σ cᵢxⁱ by Horner's rule, coefficients highest degree first: one FMA per coefficient.
///
/// PERF: the chain is latency-bound for one vector, but the drivers run a block of independent
/// vectors through the same formula, which the out-of-order core overlaps; fewer operations beat
/// a shorter chain there.
#[inline(always)]
pub(crate) fn horner_plain<S: Lanes>(s: S, x: S::V, c: &[f64]) -> S::V {
    let mut p = s.splat(c[0]);
    for &ci in &c[1..] {
        p = s.mul_add(p, x, s.splat(ci));
    }
    p
}

/// Range reduction of an exponential, x ≤ 0: (2^k, expm1(r)) with x = k·ln 2 + r, |r| ≤ ln 2/2,
/// so that e^x = 2^k·(1 + expm1(r)) and e^x − 1 = 2^k·expm1(r) + (2^k − 1). x is clamped at
/// −708.39 first (2^k stays normal; the callers' results are unchanged, see [`exp`]).
#[inline(always)]
fn exp_reduce<S: Lanes, G: Grade>(s: S, x: S::V) -> (S::V, S::V) {
    // (The upper clamp keeps lanes that a caller computes and then discards, elu's x > 0, in
    // range.)
    let x = s.min(s.max(x, s.splat(-708.39)), s.splat(0.0));
    let (k, scale) = s.round_pow2(s.mul(x, s.splat(core::f64::consts::LOG2_E)));
    // r = x − k·ln 2: k·LN2_HI is exact, so r carries the error of LN2_LO only.
    let r = s.mul_add(k, s.splat(-LN2_HI), x);
    let r = s.mul_add(k, s.splat(-LN2_LO), r);
    let em1 = s.mul_add(s.mul(r, r), horner_plain(s, r, G::EXPM1_Q), r);
    (scale, em1)
}

/// e^x for x ≤ 0 at grade `G`; exactly 0 below −708.39 (see [`exp`]).
#[inline(always)]
pub(crate) fn exp_g<S: Lanes, G: Grade>(s: S, x: S::V) -> S::V {
    let (scale, em1) = exp_reduce::<S, G>(s, x);
    let y = s.mul_add(scale, em1, scale);
    s.select(s.lt(x, s.splat(-708.39)), s.splat(0.0), y)
}

/// e^x − 1 for x ≤ 0 at grade `G`, with its relative precision near 0 (there k = 0 and the
/// result is expm1(r) itself).
#[inline(always)]
pub(crate) fn expm1_g<S: Lanes, G: Grade>(s: S, x: S::V) -> S::V {
    let (scale, em1) = exp_reduce::<S, G>(s, x);
    // 2^k − 1 is exact for k ≥ −53; below, it is −1 and 2^k·expm1(r) is far below its ULP.
    s.mul_add(scale, em1, s.sub(scale, s.splat(1.0)))
}

/// ln(1 + u) for 0 ≤ u ≤ 1 at grade `G`: 2s·g(s²), s = u/(2 + u) ≤ 1/3.
#[inline(always)]
pub(crate) fn log1p_unit_g<S: Lanes, G: Grade>(s: S, u: S::V) -> S::V {
    let t = s.div(u, s.add(u, s.splat(2.0)));
    let series = horner_plain(s, s.mul(t, t), G::ATANH_G);
    s.mul(s.add(t, t), series)
}

/// (σ(|z|), σ(−|z|), e^{−|z|}) at grade `G`, from one exponential and one division.
#[inline(always)]
pub(crate) fn sigmoid_abs_g<S: Lanes, G: Grade>(s: S, z: S::V) -> (S::V, S::V, S::V) {
    let e = exp_g::<S, G>(s, s.neg(s.abs(z)));
    let r = s.div(s.splat(1.0), s.add(s.splat(1.0), e));
    (r, s.mul(e, r), e)
}

/// σ(z) at grade `G`.
#[inline(always)]
pub(crate) fn sigmoid_g<S: Lanes, G: Grade>(s: S, z: S::V) -> S::V {
    let (p, n, _) = sigmoid_abs_g::<S, G>(s, z);
    s.select_sign(z, n, p)
}

/// tanh x at grade `G`: −m/(m + 2)·sign(x), m = expm1(−2|x|).
#[inline(always)]
pub(crate) fn tanh_g<S: Lanes, G: Grade>(s: S, x: S::V) -> S::V {
    let m = expm1_g::<S, G>(s, s.mul(s.abs(x), s.splat(-2.0)));
    let t = s.div(s.neg(m), s.add(m, s.splat(2.0)));
    s.copysign(t, x)
}

/// Φ(x) for the standard normal distribution, FAST grade (see [`normal_cdf_pdf`]): the Mills
/// ratio's short fit on [0, 16], beyond which x·Φ(x) is 0 in `f32` for x < 0 (and Φ is 1 in
/// `f64` for x > 0 whatever the ratio).
#[inline(always)]
pub(crate) fn normal_cdf_fast<S: Lanes>(s: S, x: S::V) -> S::V {
    let t = s.min(s.abs(x), s.splat(MILLS_T_MAX_FAST));
    let pdf = s.mul(
        exp_g::<S, Fast>(s, s.mul(s.mul(x, x), s.splat(-0.5))),
        s.splat(FRAC_1_SQRT_2PI),
    );
    let u = s.div(
        s.sub(t, s.splat(MILLS_C_FAST)),
        s.add(t, s.splat(MILLS_C_FAST)),
    );
    let ratio = horner_plain(
        s,
        s.mul_add(u, s.splat(MILLS_SA_FAST), s.splat(MILLS_SB_FAST)),
        &MILLS_POLY_FAST,
    );
    let tail = s.mul(pdf, ratio); // Φ(−|x|)
    s.select_sign(x, tail, s.sub(s.splat(1.0), tail))
}

/// Σ cᵢ xⁱ, coefficients highest degree first, as four interleaved Horner chains in x⁴:
/// p(x) = A(x⁴) + x·B(x⁴) + x²·C(x⁴) + x³·D(x⁴).
///
/// PERF: a plain Horner chain of n dependent FMAs is latency-bound (4–5 cycles each); four
/// independent chains of n/4 let the core overlap them. The reassociation changes the rounding
/// by a few ULP at most for these polynomials (small x, decreasing or bounded coefficients), which
/// the tests of this module and the kernel sweeps check.
///
/// Goes through [`Lanes::horner`], which [`Pair`](super::lanes::Pair) runs one half after the
/// other: the four chains already overlap, and eight at once would not fit the registers.
#[inline(always)]
pub(crate) fn horner<S: Lanes, const N: usize>(s: S, x: S::V, c: &[f64; N]) -> S::V {
    s.horner(x, c)
}

/// [`horner`]'s four chains, on one vector of `s`.
#[inline(always)]
pub(crate) fn horner4<S: Lanes, const N: usize>(s: S, x: S::V, c: &[f64; N]) -> S::V {
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

/// e^x for x ≤ 0 at [`Full`] grade; exactly 0 below −708.39 (where e^x leaves f64's normal
/// range). Every caller passes a non-positive argument (e^{−|z|}, e^{−x²/2}, elu's e^x on x ≤ 0),
/// which is what makes one exact scaling by 2^k enough. The flush to zero is invisible in `f32`
/// results: the largest factor such a value ever meets is an `f32` (≤ 3.4·10³⁸, an input or
/// dy), and 3.4·10³⁸·2.3·10⁻³⁰⁸ is far below the smallest `f32` subnormal.
/// NaN lanes give an unspecified number (callers route NaN around).
#[inline(always)]
pub(crate) fn exp<S: Lanes>(s: S, x: S::V) -> S::V {
    exp_g::<S, Full>(s, x)
}

/// (σ(z), σ(−z), e^{−|z|}) from one exponential at [`Full`] grade: with e = e^{−|z|},
/// r = 1/(1 + e), σ(|z|) = r and σ(−|z|) = e·r, so neither tail overflows or cancels.
#[inline(always)]
pub(crate) fn sigmoid_pair<S: Lanes>(s: S, z: S::V) -> (S::V, S::V, S::V) {
    let (p, n, e) = sigmoid_abs_g::<S, Full>(s, z);
    (s.select_sign(z, n, p), s.select_sign(z, p, n), e)
}

/// tanh x = −m/(m + 2)·sign(x) with m = expm1(−2|x|), [`Full`] grade: no cancellation at 0 or
/// in the tails.
#[inline(always)]
pub(crate) fn tanh<S: Lanes>(s: S, x: S::V) -> S::V {
    tanh_g::<S, Full>(s, x)
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
            let got = lane0(expm1_g::<_, Full>, x);
            assert!(rel(got, x.exp_m1()) < 2e-15, "expm1({x}) = {got}");
        }
        for x in [1e-300, 1e-30, 1e-10, 1e-3, 0.1, 0.5, 0.9, 1.0] {
            let got = lane0(log1p_unit_g::<_, Full>, x);
            assert!(rel(got, x.ln_1p()) < 1e-15, "log1p({x}) = {got}");
            let got = lane0(expm1_g::<_, Full>, -x);
            assert!(rel(got, (-x).exp_m1()) < 2e-15, "expm1({}) = {got}", -x);
            assert_eq!(lane0(expm1_g::<_, Full>, f64::NEG_INFINITY), -1.0);
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
            assert!(rel(lane0(sigmoid_g::<_, Full>, x), want) < 2e-15, "σ({x})");
        }
        assert_eq!(lane0(tanh, -0.0).to_bits(), (-0.0f64).to_bits());
    }

    #[test]
    fn the_fast_grade_is_within_its_2_to_the_minus_41() {
        let bound = 2f64.powi(-41);
        for i in 1..=20000 {
            let x = -(i as f64) * 0.005 + 1e-9;
            let got = lane0(exp_g::<_, Fast>, x);
            assert!(rel(got, x.exp()) < bound, "exp({x}) = {got}");
            let got = lane0(expm1_g::<_, Fast>, x * 1e-3);
            assert!(rel(got, (x * 1e-3).exp_m1()) < bound, "expm1({})", x * 1e-3);
            let u = i as f64 / 20000.0;
            let got = lane0(log1p_unit_g::<_, Fast>, u);
            assert!(rel(got, u.ln_1p()) < bound, "log1p({u})");
            let z = x + 50.0;
            let got = lane0(sigmoid_g::<_, Fast>, z);
            let want = if z >= 0.0 {
                1.0 / (1.0 + (-z).exp())
            } else {
                z.exp() / (1.0 + z.exp())
            };
            assert!(rel(got, want) < bound, "σ({z})");
            let got = lane0(tanh_g::<_, Fast>, z * 0.2);
            assert!(rel(got, (z * 0.2).tanh()) < bound, "tanh({})", z * 0.2);
        }
        for i in -1500..=1500 {
            let x = i as f64 * 0.01 + 1e-6;
            let got = lane0(normal_cdf_fast, x);
            let want = 0.5 * libm::erfc(-x / core::f64::consts::SQRT_2);
            assert!(
                rel(got, want) < bound + 4e-15 * x * x,
                "Φ({x}) = {got}, libm {want}"
            );
        }
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
