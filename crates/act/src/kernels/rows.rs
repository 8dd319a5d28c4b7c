//! Row-wise kernels over a row-major `f32` matrix, in `f64` lanes (the exponentials of softmax,
//! log_softmax and the class-target cross-entropy in `f32` lanes where the instruction set has
//! them, see **`f32` lanes** below), each output rounded once:
//! softmax, log_softmax, logsumexp, the fused softmax cross-entropy, and the backward passes of
//! softmax and log_softmax from their outputs. Each reads a row from memory at most twice (the
//! `f32`-lane forward kernels sweep a row of up to 4096 entries a third time, from the cache).
//!
//! **Forward (online normalisation).** One sweep finds the maximum m and S = Σ e^(x_j − m)
//! together, block by block ([`BLOCK`] entries): the block's maximum first (from registers), and
//! when it exceeds the running m, the running sums are rescaled by e^(m_old − m_new) before the
//! block's e^(x_j − m) are added. Every exponent is ≤ 0 (no overflow) and the largest term is
//! exactly 1, so 1 ≤ S ≤ cols. Beside S the sweep keeps R, the same sum without the entries
//! equal to the running maximum (a rescale turns them into ordinary terms: R ← S·e^(m_old −
//! m_new)); then S − 1 = (K − 1) + R with K = S − R the count of maxima, exact to the last bit
//! of R, and ln S = log1p(S − 1) keeps its relative precision when S is barely above 1 (one
//! dominant entry). A second sweep writes the outputs: e^(x_i − m)/S (the exponential
//! recomputed), (x_i − m) − ln S, or the cross-entropy gradient.
//!
//! **`f32` lanes** (AVX2, AVX-512: [`Lanes::f32_row_sums`], [`Lanes::f32_softmax_rows`],
//! [`Lanes::f32_scaled_exp`]). Each e^(x_j − m) a pair of `f32` within ~2⁻²⁶ relative (x − m
//! kept as an exact pair, the table-driven exp of the element-wise σ kernel), the maxima
//! counted (e⁰ = 1 exactly) and the other terms added in `f64`: S = K + R to ~2⁻²⁶, where the
//! `f64` sweep gives ~10⁻¹⁶. Rows of up to 4096 entries (16 KiB, which stay in the cache
//! between sweeps) get their maximum first, a cheap sweep, so that each exponential is taken
//! once, and softmax keeps them (hi in the output, lo on the stack) to scale them by 1/S in a
//! last sweep; longer rows take the online sweep, read from memory twice. That precision is
//! enough where nothing cancels after it: softmax's e_i/S (within 0.624 ULP over half a million
//! entries of rows of 1024 and 0.605 over rows of 5000, `tests/row_kernels.rs`, against 0.5 ULP
//! plus ~10⁻¹³ in `f64`), log_softmax's (x_i − m) − ln S (two terms ≤ 0: still within 0.5 ULP there),
//! the class-target cross-entropy (m − z_c) + ln S and its gradient. logsumexp (m + ln S
//! cancels where m ≈ −ln S) and the probability-target gradients (p_i·Σt − t_i cancels where
//! p_i ≈ t_i) keep the `f64` sweep ([`Sums::Precise`]).
//!
//! **Backward.** softmax: dx_i = y_i·(dy_i − D) with D = Σ_j y_j·dy_j; log_softmax:
//! dx_i = dy_i − e^(y_i)·G with G = Σ_j dy_j. The first sweep accumulates D (each product of two
//! `f32` is exact in `f64`) or G in `f64` lanes, compensated (TwoSum: each lane keeps the exact
//! error of its additions), the lanes added in a fixed order in double-double, so results never
//! depend on the thread count and a difference dy_i − D that cancels keeps D's low bits; the
//! second sweep forms each dx_i in `f64` and rounds it once. Where the instruction set has
//! `f32` lanes (AVX2, AVX-512: [`Lanes::f32_softmax_backward_row`]) a softmax row first goes
//! through a certified `f32`-lane kernel: D with an error bound computed per row (~2⁻³⁹ of
//! Σ|y_j·dy_j| for rows of 1024 on AVX2), kept only where every |dy_i − D| is large enough
//! against that bound for each dx_i to be one rounding of a value within ~2⁻²⁶ of exact
//! (0.5 + 2⁻² ULP at most); a row that cancels, or holds a non-finite entry, takes the `f64`
//! sweep.
//!
//! **Non-finite entries.** The first sweep also sums the row (or, backward, yields a non-finite
//! D or G): a row holding NaN or ±∞ anywhere is redone by the scalar [`crate::rowwise`]
//! function, whose rules (NaN rows, +∞ entries sharing the mass, −∞ entries of probability 0, …)
//! it then follows bit for bit. The same holds for a log_softmax output above 0 (not a
//! log-probability) and for non-finite cross-entropy weights.
//!
//! **Accuracy** (of the `f64` sweep; the `f32` lanes' is above). x_i − m is exact in `f64` wherever e^(x_i − m) matters (two `f32` numbers whose
//! difference needs more than 53 bits are more than 2²⁹ apart in magnitude, so e^(x_i − m) is 0
//! there); e^(x_i − m) is within a few `f64` ULP; a rescale costs a few ULP of the running sums;
//! the forward `f64` sums (all terms positive) carry at most ~(cols/LANES)·2⁻⁵³ relative error.
//! Forward results (softmax, log_softmax, logsumexp, the losses) are therefore within 0.5 ULP
//! plus ~10⁻¹³ relative of the exact value: the scalar path's values but for rare near-ties
//! (where the scalar functions, which sum in double-double, round the other way). The backward
//! sums are compensated (~2⁻¹⁰⁶ of Σ|terms|), so softmax backward is within 0.5 ULP plus a few
//! 2⁻⁵³ relative of its exact value, even where dy_i − D cancels; log_softmax backward also
//! carries e^(y_i)'s few `f64` ULP, amplified only where dy_i ≈ e^(y_i)·G (as in the scalar
//! function, whose exp is the platform's). Probability-target cross-entropy gradients are within
//! ~10⁻¹³·(p_i·Σt + t_i) absolute (S in `f64`); the class-target ones form S − e_c without
//! cancellation.

use super::elementwise::BLOCK;
use super::lanes::Lanes;
use super::math::{Fast, exp, exp_g};
use crate::dd::DD;
use crate::rowwise::{self, Target, Total};

// The sweeps are macros, not functions taking closures: a closure is its own function,
// compiled without the `#[target_feature]` of the entry point that inlines the generic kernel, so
// every `Lanes` operation in it (and all of `exp`) would become a call.

/// Runs `$body` on every pair of vectors at the same place in two rows of equal length, vector
/// `$k` of each [`BLOCK`], the tail padded with zeros (so a row's result does not depend on its
/// length modulo the block).
macro_rules! for_each_pair {
    ($s:expr, $rows:expr, |$k:ident, $a:ident, $b:ident| $body:expr) => {{
        let s = $s;
        let (rows_a, rows_b): (&[f32], &[f32]) = $rows;
        let n = BLOCK / S::LANES;
        let mut blocks_a = rows_a.chunks_exact(BLOCK);
        let mut blocks_b = rows_b.chunks_exact(BLOCK);
        for (block_a, block_b) in (&mut blocks_a).zip(&mut blocks_b) {
            for $k in 0..n {
                let i = $k * S::LANES;
                let ($a, $b) = (s.load(&block_a[i..]), s.load(&block_b[i..]));
                $body;
            }
        }
        let (tail_a, tail_b) = (blocks_a.remainder(), blocks_b.remainder());
        if !tail_a.is_empty() {
            let mut pa = [0.0f32; BLOCK];
            let mut pb = [0.0f32; BLOCK];
            pa[..tail_a.len()].copy_from_slice(tail_a);
            pb[..tail_b.len()].copy_from_slice(tail_b);
            for $k in 0..n {
                let i = $k * S::LANES;
                let ($a, $b) = (s.load(&pa[i..]), s.load(&pb[i..]));
                $body;
            }
        }
    }};
}

/// Folds `$body` (in terms of the vectors `$a`, `$b` and the accumulator `$acc`, evaluating to
/// the new accumulator) over two rows, vector by vector, one accumulator per vector of a block,
/// the tail padded with zeros; evaluates to the accumulators' lanes added in a fixed order.
macro_rules! sum_row {
    ($s:expr, $rows:expr, |$a:ident, $b:ident, $acc:ident| $body:expr) => {{
        let s = $s;
        let mut accs = [s.splat(0.0); BLOCK];
        for_each_pair!(s, $rows, |k, $a, $b| {
            let $acc = accs[k];
            accs[k] = $body;
        });
        hsum_all(s, &accs)
    }};
}

/// `$hi` ← `$hi` + `$p` rounded, `$lo` += the exact rounding error (TwoSum).
macro_rules! two_sum_into {
    ($s:expr, $hi:expr, $lo:expr, $p:expr) => {{
        let (s, p) = ($s, $p);
        let t = s.add($hi, p);
        let bp = s.sub(t, $hi);
        let err = s.add(s.sub($hi, s.sub(t, bp)), s.sub(p, bp));
        $hi = t;
        $lo = s.add($lo, err);
    }};
}

/// Σ `$term` (in terms of the vectors `$a`, `$b`) over two rows, compensated: each lane
/// keeps its sum and the exact rounding errors of its additions (TwoSum), the tail padded with
/// zeros; evaluates to the total as a double-double (the lanes added in a fixed order), so the
/// sum is exact to ~2⁻¹⁰⁶ of Σ|terms| (plus the error of the terms themselves).
macro_rules! compensated_sum {
    ($s:expr, $rows:expr, |$a:ident, $b:ident| $term:expr) => {{
        let s = $s;
        // PERF: SUMS pairs of accumulators (vector k of a block into pair k mod SUMS): enough
        // to hide the adds' latency, few enough to stay in registers.
        let mut his = [s.splat(0.0); SUMS];
        let mut los = [s.splat(0.0); SUMS];
        for_each_pair!(s, $rows, |k, $a, $b| {
            two_sum_into!(s, his[k % SUMS], los[k % SUMS], $term)
        });
        dd_sum(s, &his, &los)
    }};
}

/// out_i = `$body` (in terms of the vectors `$a`, `$b` of two rows), vector by vector in row
/// order, the tail padded with zeros (its results dropped, its vectors seen last).
macro_rules! map_row2 {
    ($s:expr, $rows:expr, $out:expr, |$a:ident, $b:ident| $body:expr) => {{
        let s = $s;
        let (rows_a, rows_b): (&[f32], &[f32]) = $rows;
        let out: &mut [f32] = $out;
        let mut blocks_a = rows_a.chunks_exact(BLOCK);
        let mut blocks_b = rows_b.chunks_exact(BLOCK);
        let mut ys = out.chunks_exact_mut(BLOCK);
        for ((block_a, block_b), y) in (&mut blocks_a).zip(&mut blocks_b).zip(&mut ys) {
            let mut i = 0;
            while i < BLOCK {
                let ($a, $b) = (s.load(&block_a[i..]), s.load(&block_b[i..]));
                s.store($body, &mut y[i..]);
                i += S::LANES;
            }
        }
        let (tail_a, tail_b) = (blocks_a.remainder(), blocks_b.remainder());
        if !tail_a.is_empty() {
            let mut pa = [0.0f32; BLOCK];
            let mut pb = [0.0f32; BLOCK];
            let mut y = [0.0f32; BLOCK];
            pa[..tail_a.len()].copy_from_slice(tail_a);
            pb[..tail_b.len()].copy_from_slice(tail_b);
            let mut i = 0;
            while i < BLOCK {
                let ($a, $b) = (s.load(&pa[i..]), s.load(&pb[i..]));
                s.store($body, &mut y[i..]);
                i += S::LANES;
            }
            ys.into_remainder().copy_from_slice(&y[..tail_a.len()]);
        }
    }};
}

/// out_i = `$body` (in terms of the vector `$x` of the row), as [`map_row2`] for one row.
macro_rules! map_row {
    ($s:expr, $row:expr, $out:expr, |$x:ident| $body:expr) => {{
        let row: &[f32] = $row;
        map_row2!($s, (row, row), $out, |$x, _unused| $body)
    }};
}

/// Softmax (or log_softmax with `log`) of each row of `x` into `y` (whole rows; checked by the
/// caller).
#[inline(always)]
pub(crate) fn rows<S: Lanes>(s: S, x: &[f32], y: &mut [f32], cols: usize, log: bool) {
    if !log {
        let exact = |x, m, inv| s.mul(exp_g::<_, Fast>(s, s.sub(x, s.splat(m))), s.splat(inv));
        if s.f32_softmax_rows(x, y, cols, &exact) {
            return;
        }
    }
    for (row, out) in x.chunks_exact(cols).zip(y.chunks_exact_mut(cols)) {
        let n = normalise(s, row, log, Sums::Fast);
        if !n.finite {
            let result = if log {
                rowwise::log_softmax(row, out, cols)
            } else {
                rowwise::softmax(row, out, cols)
            };
            debug_assert!(result.is_ok(), "one whole row");
            continue;
        }
        let m = s.splat(n.max);
        if log {
            // log_softmax = (x − m) − ln S: x − m is exact, and both terms are ≤ 0 (no
            // cancellation).
            let ln_sum = s.splat(n.ln_sum());
            map_row!(s, row, out, |x| s.sub(s.sub(x, m), ln_sum));
        } else {
            let inv = 1.0 / n.sum;
            let exact = |x| s.mul(exp_g::<_, Fast>(s, s.sub(x, m)), s.splat(inv));
            if !s.f32_scaled_exp(row, n.max as f32, inv, out, &exact) {
                let inv = s.splat(inv);
                map_row!(s, row, out, |x| s
                    .mul(exp_g::<_, Fast>(s, s.sub(x, m)), inv));
            }
        }
    }
}

/// logsumexp of each row of `x` (rows of `cols`) into `out` (one per row): m + ln S, one sweep.
#[inline(always)]
pub(crate) fn logsumexp_rows<S: Lanes>(s: S, x: &[f32], cols: usize, out: &mut [f32]) {
    for (row, o) in x.chunks_exact(cols).zip(out.iter_mut()) {
        // (m + ln S cancels where m ≈ −ln S: S to ~10⁻¹⁶.)
        let n = normalise(s, row, true, Sums::Precise);
        *o = if n.finite {
            (n.max + n.ln_sum()) as f32
        } else {
            rowwise::logsumexp(row)
        };
    }
}

/// dx = y ⊙ (dy − Σ_j y_j·dy_j) per row (softmax backward from its output y).
#[inline(always)]
pub(crate) fn softmax_backward<S: Lanes>(s: S, y: &[f32], dy: &[f32], dx: &mut [f32], cols: usize) {
    for ((y, dy), dx) in y
        .chunks_exact(cols)
        .zip(dy.chunks_exact(cols))
        .zip(dx.chunks_exact_mut(cols))
    {
        if s.f32_softmax_backward_row(y, dy, dx) {
            continue;
        }
        // D = Σ y_j·dy_j, compensated: each product is exact in f64 (24 + 24 bits). A NaN or
        // ±∞ anywhere in y or dy makes D NaN or ±∞ (products of finite f32 numbers cannot
        // overflow f64).
        let dot = compensated_sum!(s, (y, dy), |y, dy| s.mul(y, dy));
        if !dot.hi.is_finite() {
            let result = rowwise::softmax_backward_from_output(y, dy, dx, cols);
            debug_assert!(result.is_ok(), "one whole row");
            continue;
        }
        let (d_hi, d_lo) = (s.splat(dot.hi), s.splat(dot.lo));
        // dx_i = y_i·((dy_i − D_hi) − D_lo): dy_i − D_hi is exact when they are close
        // (Sterbenz), so a cancelling difference keeps D's low part.
        map_row2!(s, (y, dy), dx, |y, dy| s
            .mul(y, s.sub(s.sub(dy, d_hi), d_lo)));
    }
}

/// dx = dy − e^(y)·Σ_j dy_j per row (log_softmax backward from its output y).
#[inline(always)]
pub(crate) fn log_softmax_backward<S: Lanes>(
    s: S,
    y: &[f32],
    dy: &[f32],
    dx: &mut [f32],
    cols: usize,
) {
    for ((y, dy), dx) in y
        .chunks_exact(cols)
        .zip(dy.chunks_exact(cols))
        .zip(dx.chunks_exact_mut(cols))
    {
        // G = Σ dy_j, compensated (non-finite exactly when some dy_j is).
        let g = compensated_sum!(s, (dy, dy), |dy, _unused| dy);
        // The second sweep also sums y (NaN or ±∞ anywhere makes it non-finite) and takes its
        // maximum: exp here is e^y for y ≤ 0 only, which every log-probability is.
        let (neg_hi, neg_lo) = (s.splat(-g.hi), s.splat(-g.lo));
        let mut check = s.splat(0.0);
        let mut top = s.splat(f64::NEG_INFINITY);
        map_row2!(s, (y, dy), dx, |y, dy| {
            check = s.add(check, y);
            top = s.max(top, y);
            // dx_i = (dy_i − e^(y_i)·G_hi) − e^(y_i)·G_lo, the first one rounding where there
            // is FMA.
            let p = exp(s, y);
            s.mul_add(p, neg_lo, s.mul_add(p, neg_hi, dy))
        });
        let (check, top) = (hsum(s, check), hmax(s, top));
        if !(g.hi.is_finite() && check.is_finite() && top <= 0.0) {
            let result = rowwise::log_softmax_backward_from_output(y, dy, dx, cols);
            debug_assert!(result.is_ok(), "one whole row");
        }
    }
}

/// Rows of at most this many entries with a class target take [`short_class_row`].
const SHORT_ROW: usize = 8;

/// The class-target cross-entropy of one short row (a few classes: the Playground's two), in
/// scalar `f64`: the sweeps below pad a row to a block of [`BLOCK`] entries and reduce across
/// lanes, a fixed cost that a row of two entries pays in full. The same formulas as the sweeps
/// (its [`RowNorm`] gives S − 1 and ln S), with each e^(z − m) from the `libm` crate (within 1
/// `f64` ULP, where the sweeps' are within ~2⁻²⁶ or 2⁻⁴²; pure Rust, so the gradient's bits do
/// not depend on the platform's C library, as the sweeps' own exponentials do not): the loss
/// (m − z_c) + ln S, the gradient e_i·(scale/S) and at the class −(S − e_c)·(scale/S), with
/// S − e_c = S − 1 when z_c is a maximum. Returns `None`, writing nothing, when some entry is not
/// finite (the caller's sweeps handle those rows).
///
/// PERF: `cargo bench -p actlab-act --bench kernels -- cross_entropy` (ten rows) has the figures
/// beside the rows of ten, which take the sweeps; `docs/PERFORMANCE.md` has them and the
/// Playground workload's throughput.
fn short_class_row(
    row: &[f32],
    class: usize,
    grad_row: Option<&mut [f32]>,
    grad_scale: f64,
) -> Option<f64> {
    let mut max = f32::NEG_INFINITY;
    for &z in row {
        if !z.is_finite() {
            return None;
        }
        max = max.max(z);
    }
    let m = max as f64;
    let mut e = [1.0f64; SHORT_ROW];
    // R = Σ e^(z − m) over the entries below the maximum (each maximum's e is 1).
    let mut rest = 0.0f64;
    let mut count = 0.0f64;
    for (e, &z) in e.iter_mut().zip(row) {
        if z == max {
            count += 1.0;
        } else {
            *e = libm::exp(z as f64 - m);
            rest += *e;
        }
    }
    let n = RowNorm {
        finite: true,
        max: m,
        sum: count + rest,
        rest,
    };
    let z = row[class];
    if let Some(grad_row) = grad_row {
        let scale = grad_scale / n.sum;
        for (g, &e) in grad_row.iter_mut().zip(&e) {
            *g = (e * scale) as f32;
        }
        let others = if z == max {
            n.sum_minus_one()
        } else {
            n.sum - e[class]
        };
        grad_row[class] = (-others * scale) as f32;
    }
    Some((m - z as f64) + n.ln_sum())
}

/// The softmax cross-entropy of each row against its target: adds each row's loss (in `f64`,
/// non-finite ones apart) to `total` and writes the gradient, scaled by `grad_scale` (1, or
/// 1/rows for a mean), into `grad` when given. Shapes and classes are checked by the caller.
#[inline(always)]
pub(crate) fn cross_entropy<S: Lanes>(
    s: S,
    logits: &[f32],
    targets: Target<'_, f32>,
    cols: usize,
    mut grad: Option<&mut [f32]>,
    grad_scale: DD,
    total: &mut Total,
) {
    for (r, row) in logits.chunks_exact(cols).enumerate() {
        let span = r * cols..(r + 1) * cols;
        if let Target::Class(classes) = targets
            && cols <= SHORT_ROW
        {
            let grad_row = grad.as_deref_mut().map(|g| &mut g[span.clone()]); // (cols)
            if let Some(loss) = short_class_row(row, classes[r], grad_row, grad_scale.hi) {
                total.add(DD::from_f64(loss));
                continue;
            }
        }
        // The row's target, and Σ t for probability targets (NaN or ±∞ if some weight is).
        let (class, t_row, weight_sum) = match targets {
            Target::Class(classes) => (classes[r], None, 1.0),
            Target::Probs(t) => {
                let t_row = &t[span.clone()]; // (cols)
                (
                    0,
                    Some(t_row),
                    sum_row!(s, (t_row, t_row), |t, _unused, acc| s.add(acc, t)),
                )
            }
        };
        // Probability targets' gradients cancel where p_i ≈ t_i: S to ~10⁻¹⁶ there.
        let sums = if t_row.is_some() {
            Sums::Precise
        } else {
            Sums::Fast
        };
        let n = normalise(s, row, true, sums);
        if !(n.finite && weight_sum.is_finite()) {
            let target = match (targets, t_row) {
                (Target::Class(classes), _) => Target::Class(&classes[r..r + 1]),
                (_, Some(t_row)) => Target::Probs(t_row),
                (Target::Probs(_), None) => unreachable!("a row of weights for Probs"),
            };
            let grad_row = grad.as_deref_mut().map(|g| &mut g[span.clone()]); // (cols)
            total.add(rowwise::cross_entropy_row(
                row, target, grad_row, grad_scale,
            ));
            continue;
        }
        let grad_scale = grad_scale.hi;
        let m = s.splat(n.max);
        let ln_sum = n.ln_sum();
        // The gradient p_i·Σt − t_i, times grad_scale: coefficient of e_i and of t_i·S.
        let scale = s.splat(grad_scale / n.sum);
        match t_row {
            None => {
                // loss = lse − z_c = (m − z_c) + ln S: two nonnegative terms.
                let z = row[class] as f64;
                total.add(DD::from_f64((n.max - z) + ln_sum));
                if let Some(grad) = grad.as_deref_mut() {
                    let grad_row = &mut grad[span]; // (cols)
                    let exact = |x| s.mul(exp(s, s.sub(x, m)), scale);
                    let (max, c) = (n.max as f32, grad_scale / n.sum);
                    if !s.f32_scaled_exp(row, max, c, grad_row, &exact) {
                        map_row!(s, row, grad_row, |x| s.mul(exp(s, s.sub(x, m)), scale));
                    }
                    // p_c − 1 = −(S − e_c)/S, the small S − e_c formed without cancellation:
                    // (K − 1) + R when z_c is a maximum, else S − e_c ≥ 1.
                    let rest = if z == n.max {
                        n.sum_minus_one()
                    } else {
                        n.sum - lane0(s, exp(s, s.splat(z - n.max)))
                    };
                    grad_row[class] = (-rest * (grad_scale / n.sum)) as f32;
                }
            }
            Some(t_row) => {
                // loss = Σ t_i·(lse − z_i) = Σ t_i·(m − z_i) + ln S·Σt (every term ≥ 0).
                let w = s.splat(weight_sum);
                // S = 1 + (S − 1), the small part exact to the last bit of R.
                let neg_excess = s.splat(-n.sum_minus_one());
                let mut losses = [s.splat(0.0); BLOCK];
                let grad_row = grad.as_deref_mut().map(|g| &mut g[span]);
                match grad_row {
                    Some(grad_row) => {
                        let mut k = 0;
                        map_row2!(s, (row, t_row), grad_row, |z, t| {
                            let slot = k % (BLOCK / S::LANES);
                            k += 1;
                            losses[slot] = s.mul_add(t, s.sub(m, z), losses[slot]);
                            // (e_i·Σt − t_i·S)/S = ((e_i·Σt − t_i) − t_i·(S − 1))/S, the
                            // product e_i·Σt kept exact (its rounding error added back) and
                            // e_i·Σt − t_i exact when they are close (Sterbenz): a gradient
                            // that cancels (p_i ≈ t_i) keeps the precision of e_i and S.
                            let e = exp(s, s.sub(z, m));
                            let ew = s.mul(e, w);
                            let near = s.add(s.sub(ew, t), s.mul_error(e, w, ew));
                            s.mul(s.mul_add(t, neg_excess, near), scale)
                        });
                    }
                    None => {
                        let mut k = 0;
                        sum_row!(s, (row, t_row), |z, t, acc| {
                            let slot = k % (BLOCK / S::LANES);
                            k += 1;
                            losses[slot] = s.mul_add(t, s.sub(m, z), losses[slot]);
                            acc
                        });
                    }
                }
                let linear = hsum_all(s, &losses);
                total.add(DD::from_f64(linear + ln_sum * weight_sum));
            }
        }
    }
}

/// How precise the first sweep's S must be.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Sums {
    /// ~2⁻²⁶ relative, for results with no cancellation after them (softmax e_i/S,
    /// log_softmax's (x_i − m) − ln S, the class-target cross-entropy): the `f32`-lane sweep
    /// where the instruction set has one ([`Lanes::f32_row_sums`]).
    Fast,
    /// ~10⁻¹⁶ relative (`f64` lanes): for logsumexp (m + ln S cancels where m ≈ −ln S) and
    /// the probability-target gradients.
    Precise,
}

/// What the first sweep over a row finds.
#[derive(Clone, Copy, Debug)]
struct RowNorm {
    /// Every entry is finite (else the row goes to the scalar path and the rest is meaningless).
    finite: bool,
    /// The row maximum m.
    max: f64,
    /// S = Σ e^(x_j − m) ≥ 1.
    sum: f64,
    /// R: the part of S from entries below m (when tracked, else 0).
    rest: f64,
}

impl RowNorm {
    /// S − 1 = (K − 1) + R, K = S − R the number of maxima (an integer; S − R is within a few
    /// ULP of it).
    #[inline(always)]
    fn sum_minus_one(&self) -> f64 {
        ((self.sum - self.rest).round() - 1.0) + self.rest
    }

    /// ln S = log1p(S − 1), keeping its relative precision when S is barely above 1.
    #[inline(always)]
    fn ln_sum(&self) -> f64 {
        self.sum_minus_one().ln_1p()
    }
}

/// The first sweep: maximum and S together (online), R too when `track_rest`, and whether the
/// row is finite (see the module documentation).
#[inline(always)]
fn normalise<S: Lanes>(s: S, row: &[f32], track_rest: bool, sums: Sums) -> RowNorm {
    if let (Sums::Fast, Some(sums)) = (sums, s.f32_row_sums(row)) {
        return RowNorm {
            finite: sums.finite,
            max: sums.max as f64,
            sum: sums.count + sums.rest,
            rest: sums.rest,
        };
    }
    let mut st = Online {
        max: f64::NEG_INFINITY,
        m: s.splat(f64::NEG_INFINITY),
        sums: [s.splat(0.0); BLOCK],
        rests: [s.splat(0.0); BLOCK],
        check: s.splat(0.0),
    };
    let mut blocks = row.chunks_exact(BLOCK);
    for block in &mut blocks {
        online_block(s, block, &mut st, track_rest, true);
    }
    let tail = blocks.remainder();
    let mut tail_finite = true;
    if !tail.is_empty() {
        // Padded with −∞: it raises no maximum and adds e^(−∞) = 0 (the sum check covers the
        // tail's own entries).
        tail_finite = tail.iter().all(|v| v.is_finite());
        let mut padded = [f32::NEG_INFINITY; BLOCK];
        padded[..tail.len()].copy_from_slice(tail);
        online_block(s, &padded, &mut st, track_rest, false);
    }
    RowNorm {
        finite: tail_finite && hsum(s, st.check).is_finite(),
        max: st.max,
        sum: hsum_all(s, &st.sums),
        rest: if track_rest {
            hsum_all(s, &st.rests)
        } else {
            0.0
        },
    }
}

/// The running state of [`normalise`].
struct Online<S: Lanes> {
    /// The running maximum (−∞ before the first block).
    max: f64,
    /// `max` in every lane.
    m: S::V,
    /// Σ e^(x − max), one accumulator per vector of a block.
    sums: [S::V; BLOCK],
    /// The same without the entries equal to `max`.
    rests: [S::V; BLOCK],
    /// Σ x: NaN or ±∞ exactly when some entry is (a sum of finite `f32` cannot overflow `f64`).
    check: S::V,
}

/// One block of [`normalise`]: its maximum, a rescale if it raises the running one, then its
/// e^(x − m). `check` adds the block to the finiteness check (not for the padded tail).
#[inline(always)]
fn online_block<S: Lanes>(s: S, block: &[f32], st: &mut Online<S>, track_rest: bool, check: bool) {
    let n = BLOCK / S::LANES;
    let mut xs = [s.splat(0.0); BLOCK];
    let mut top = s.splat(f64::NEG_INFINITY);
    for (k, x) in xs.iter_mut().take(n).enumerate() {
        *x = s.load(&block[k * S::LANES..]);
        top = s.max(top, *x);
        if check {
            st.check = s.add(st.check, *x);
        }
    }
    let top = hmax(s, top);
    if top > st.max {
        // Rescale by e^(m_old − m_new) ≤ 1 (nothing to rescale before the first block). The old
        // maxima become ordinary terms: R ← S·e^(m_old − m_new).
        if st.max != f64::NEG_INFINITY {
            let factor = exp_g::<_, Fast>(s, s.splat(st.max - top));
            for k in 0..n {
                st.sums[k] = s.mul(st.sums[k], factor);
                st.rests[k] = st.sums[k];
            }
        }
        st.max = top;
        st.m = s.splat(top);
    }
    let zero = s.splat(0.0);
    for (k, &x) in xs.iter().take(n).enumerate() {
        let e = exp_g::<_, Fast>(s, s.sub(x, st.m));
        st.sums[k] = s.add(st.sums[k], e);
        if track_rest {
            let below = s.select(s.eq(x, st.m), zero, e);
            st.rests[k] = s.add(st.rests[k], below);
        }
    }
}

/// The lanes of `v` added in lane order.
#[inline(always)]
fn hsum<S: Lanes>(s: S, v: S::V) -> f64 {
    let mut lanes = [0.0f64; BLOCK];
    s.store64(v, &mut lanes);
    lanes[..S::LANES].iter().sum()
}

/// The accumulators of a block (the first BLOCK/LANES), each's lanes in order, then in order.
#[inline(always)]
fn hsum_all<S: Lanes>(s: S, acc: &[S::V; BLOCK]) -> f64 {
    acc.iter().take(BLOCK / S::LANES).map(|&v| hsum(s, v)).sum()
}

/// Accumulator pairs of [`compensated_sum`].
const SUMS: usize = 4;

/// Σ his + Σ los over the accumulator pairs, lane by lane in a fixed order, in
/// double-double (non-finite sums come back as `hi` alone).
#[inline(always)]
fn dd_sum<S: Lanes>(s: S, his: &[S::V; SUMS], los: &[S::V; SUMS]) -> DD {
    let (mut hi, mut lo) = ([0.0f64; BLOCK], [0.0f64; BLOCK]);
    let mut total = DD::ZERO;
    let mut plain = 0.0f64;
    for (h, l) in his.iter().zip(los).take((BLOCK / S::LANES).min(SUMS)) {
        s.store64(*h, &mut hi);
        s.store64(*l, &mut lo);
        for (&h, &l) in hi[..S::LANES].iter().zip(&lo[..S::LANES]) {
            total = total.add_f64(h).add_f64(l);
            plain += h;
        }
    }
    if plain.is_finite() {
        total
    } else {
        DD::from_f64(plain)
    }
}

/// The largest lane of `v` (−∞ lanes are ignored; NaN lanes may be).
#[inline(always)]
fn hmax<S: Lanes>(s: S, v: S::V) -> f64 {
    let mut lanes = [0.0f64; BLOCK];
    s.store64(v, &mut lanes);
    lanes[..S::LANES]
        .iter()
        .fold(f64::NEG_INFINITY, |a, &b| if b > a { b } else { a })
}

/// The first lane of `v`.
#[inline(always)]
fn lane0<S: Lanes>(s: S, v: S::V) -> f64 {
    let mut lanes = [0.0f64; BLOCK];
    s.store64(v, &mut lanes);
    lanes[0]
}

/// The per-instruction-set entry points of the row kernels beside [`elementwise::entry_points`]
/// (`rows`, softmax and log_softmax forward, is there): each instantiates the generic kernels of
/// this module with the token `$s`, compiled with the attributes given (`#[target_feature]`).
///
/// [`elementwise::entry_points`]: super::elementwise
macro_rules! row_entry_points {
    ($s:expr $(, #[$attr:meta])*) => {
        /// Softmax (log_softmax with `log`) of rows of `cols`.
        $(#[$attr])*
        pub(crate) fn rows(x: &[f32], y: &mut [f32], cols: usize, log: bool) {
            crate::kernels::rows::rows($s, x, y, cols, log)
        }
        /// logsumexp of each row.
        $(#[$attr])*
        pub(crate) fn logsumexp_rows(x: &[f32], cols: usize, out: &mut [f32]) {
            crate::kernels::rows::logsumexp_rows($s, x, cols, out)
        }
        /// softmax backward from the output.
        $(#[$attr])*
        pub(crate) fn softmax_backward(y: &[f32], dy: &[f32], dx: &mut [f32], cols: usize) {
            crate::kernels::rows::softmax_backward($s, y, dy, dx, cols)
        }
        /// log_softmax backward from the output.
        $(#[$attr])*
        pub(crate) fn log_softmax_backward(y: &[f32], dy: &[f32], dx: &mut [f32], cols: usize) {
            crate::kernels::rows::log_softmax_backward($s, y, dy, dx, cols)
        }
        /// The fused softmax cross-entropy.
        $(#[$attr])*
        pub(crate) fn cross_entropy(
            logits: &[f32],
            targets: crate::rowwise::Target<'_, f32>,
            cols: usize,
            grad: Option<&mut [f32]>,
            grad_scale: crate::dd::DD,
            total: &mut crate::rowwise::Total,
        ) {
            crate::kernels::rows::cross_entropy($s, logits, targets, cols, grad, grad_scale, total)
        }
    };
}
pub(crate) use row_entry_points;
