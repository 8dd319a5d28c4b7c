//! Row-wise kernels: softmax and log_softmax of every row of a row-major `f32` matrix, in `f64`
//! lanes with the kernels' exp, each output rounded once.
//!
//! Per row: (1) the maximum m, and whether every entry is finite; (2) S = Σ e^(x_j − m) in `f64`
//! lanes; (3) the outputs, e^(x_i − m)/S or (x_i − m) − ln S. Each row is read three times, from
//! cache when it fits (a row of 1024 `f32` is 4 KiB), written once. Every exponent is ≤ 0 (no
//! overflow) and the largest term is exactly 1, so 1 ≤ S ≤ cols. A row holding NaN or ±∞ goes
//! to the scalar [`crate::rowwise`] functions, whose rules for non-finite entries (NaN rows,
//! +∞ entries sharing the mass, …) it then follows exactly.
//!
//! Accuracy: x_i − m is exact in `f64` wherever e^(x_i − m) matters (two `f32` numbers whose
//! difference needs more than 53 bits are more than 2²⁹ apart in magnitude, so e^(x_i − m) is 0
//! there), e^(x_i − m) is within a few `f64` ULP, and S carries at most ~cols/8·2⁻⁵³ relative
//! error: the `f32` result is within 0.5 ULP plus ~10⁻¹³ relative of the exact value, the scalar
//! path's bound but for rare near-ties.

use super::elementwise::BLOCK;
use super::lanes::Lanes;
use super::math::exp;

/// Softmax (or log_softmax with `log`) of each row of `x` into `y` (whole rows; checked by the
/// caller).
#[inline(always)]
pub(crate) fn rows<S: Lanes>(s: S, x: &[f32], y: &mut [f32], cols: usize, log: bool) {
    for (row, out) in x.chunks_exact(cols).zip(y.chunks_exact_mut(cols)) {
        one_row(s, row, out, log);
    }
}

/// One row.
#[inline(always)]
fn one_row<S: Lanes>(s: S, row: &[f32], out: &mut [f32], log: bool) {
    // (1) the maximum, and a finiteness check: NaN and ±∞ rows take the scalar path.
    let mut max = f32::NEG_INFINITY;
    let mut finite = true;
    for &v in row {
        finite &= v.is_finite();
        max = max.max(v);
    }
    if !finite {
        let result = if log {
            crate::rowwise::log_softmax(row, out, row.len())
        } else {
            crate::rowwise::softmax(row, out, row.len())
        };
        debug_assert!(result.is_ok(), "one whole row");
        return;
    }
    let m = s.splat(max as f64);
    // (2) S = k + R: k entries equal m (each e^0 = 1 exactly) and R = Σ e^(x_j − m) over the
    // rest, so that S − 1 = (k − 1) + R keeps its relative precision (ln S = log1p(S − 1) when S
    // is barely above 1). BLOCK-wide steps, one accumulator pair per vector of the block, the
    // tail padded with −∞ (e^(−∞) = 0); the lanes are added in a fixed order.
    let mut rest_sums = [s.splat(0.0); BLOCK];
    let mut at_max = [s.splat(0.0); BLOCK];
    let mut blocks = row.chunks_exact(BLOCK);
    for block in &mut blocks {
        accumulate(s, block, m, &mut rest_sums, &mut at_max);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let mut padded = [f32::NEG_INFINITY; BLOCK];
        padded[..tail.len()].copy_from_slice(tail);
        accumulate(s, &padded, m, &mut rest_sums, &mut at_max);
    }
    let mut lanes = [0.0f64; BLOCK];
    let (mut rest, mut count) = (0.0f64, 0.0f64);
    for (r, k) in rest_sums.iter().zip(&at_max).take(BLOCK / S::LANES) {
        s.store64(*r, &mut lanes);
        rest += lanes[..S::LANES].iter().sum::<f64>();
        s.store64(*k, &mut lanes);
        count += lanes[..S::LANES].iter().sum::<f64>();
    }
    // (3) the outputs, one rounding each.
    if log {
        // log_softmax = (x − m) − ln S: x − m is exact, and both terms are ≤ 0 (no cancellation).
        let ln_sum = ((count - 1.0) + rest).ln_1p();
        write_log(s, row, out, m, s.splat(ln_sum));
    } else {
        write_probs(s, row, out, m, s.splat(1.0 / (count + rest)));
    }
}

/// Adds one block's e^(x − m) to `rest_sums` (entries below m) and counts the entries equal to m
/// in `at_max`.
#[inline(always)]
fn accumulate<S: Lanes>(
    s: S,
    block: &[f32],
    m: S::V,
    rest_sums: &mut [S::V; BLOCK],
    at_max: &mut [S::V; BLOCK],
) {
    let mut i = 0;
    while i < BLOCK {
        let x = s.load(&block[i..]);
        let top = s.eq(x, m);
        let e = exp(s, s.sub(x, m));
        let k = i / S::LANES;
        rest_sums[k] = s.add(rest_sums[k], s.select(top, s.splat(0.0), e));
        at_max[k] = s.add(at_max[k], s.select(top, s.splat(1.0), s.splat(0.0)));
        i += S::LANES;
    }
}

/// out_i = e^(x_i − m)·(1/S).
#[inline(always)]
fn write_probs<S: Lanes>(s: S, row: &[f32], out: &mut [f32], m: S::V, inv: S::V) {
    let mut xs = row.chunks_exact(BLOCK);
    let mut ys = out.chunks_exact_mut(BLOCK);
    for (x, y) in (&mut xs).zip(&mut ys) {
        probs_block(s, x, y, m, inv);
    }
    let rest = xs.remainder();
    if !rest.is_empty() {
        let mut x = [0.0f32; BLOCK];
        let mut y = [0.0f32; BLOCK];
        x[..rest.len()].copy_from_slice(rest);
        probs_block(s, &x, &mut y, m, inv);
        ys.into_remainder().copy_from_slice(&y[..rest.len()]);
    }
}

#[inline(always)]
fn probs_block<S: Lanes>(s: S, x: &[f32], y: &mut [f32], m: S::V, inv: S::V) {
    let mut i = 0;
    while i < BLOCK {
        let e = exp(s, s.sub(s.load(&x[i..]), m));
        s.store(s.mul(e, inv), &mut y[i..]);
        i += S::LANES;
    }
}

/// out_i = (x_i − m) − ln S.
#[inline(always)]
fn write_log<S: Lanes>(s: S, row: &[f32], out: &mut [f32], m: S::V, ln_sum: S::V) {
    let mut xs = row.chunks_exact(BLOCK);
    let mut ys = out.chunks_exact_mut(BLOCK);
    for (x, y) in (&mut xs).zip(&mut ys) {
        log_block(s, x, y, m, ln_sum);
    }
    let rest = xs.remainder();
    if !rest.is_empty() {
        let mut x = [0.0f32; BLOCK];
        let mut y = [0.0f32; BLOCK];
        x[..rest.len()].copy_from_slice(rest);
        log_block(s, &x, &mut y, m, ln_sum);
        ys.into_remainder().copy_from_slice(&y[..rest.len()]);
    }
}

#[inline(always)]
fn log_block<S: Lanes>(s: S, x: &[f32], y: &mut [f32], m: S::V, ln_sum: S::V) {
    let mut i = 0;
    while i < BLOCK {
        s.store(s.sub(s.sub(s.load(&x[i..]), m), ln_sum), &mut y[i..]);
        i += S::LANES;
    }
}
