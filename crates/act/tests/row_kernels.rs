//! The row kernels of `act::kernels` (softmax and log_softmax backward, logsumexp, the fused
//! softmax cross-entropy) on every path this CPU has, against the scalar `act::rowwise`
//! functions, which compute in double-double and round once.
//!
//! Expected agreement: the same bits, except at rare near-ties, where the kernels' `f64` sums
//! (within ~10⁻¹³ relative of their terms) and `f64` exp (a few `f64` ULP, where the scalar
//! functions use the platform's) may round the other way: 1 ULP at most, asserted for every
//! entry, and rare (under 1 in 100) on rows without systematic cancellation. Rows holding NaN or
//! ±∞ are delegated to the scalar functions and must match them bit for bit.

use act::kernels::{Kernels, Path};
use act::rowwise::{self, RowError, Target};

/// Every path the CPU runs.
fn kernels() -> Vec<Kernels> {
    Path::available()
        .into_iter()
        .map(|p| Kernels::with_path(p).unwrap())
        .collect()
}

/// Row lengths around the block (32 entries) and the vector widths, the benchmark's 1024, and
/// around 4096, above which the `f32`-lane rows take the online sweep (below it, the maximum
/// first).
const COLS: [usize; 14] = [1, 2, 3, 7, 8, 31, 32, 33, 100, 257, 1024, 4096, 4097, 5000];

/// A xorshift generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform in [lo, hi).
    fn uniform(&mut self, lo: f64, hi: f64) -> f32 {
        (lo + (self.next() >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)) as f32
    }
}

/// Rows of logits, each a hostile kind (by row index mod 12).
fn logit_rows(cols: usize, rows: usize, seed: u64) -> Vec<f32> {
    let mut rng = Rng(seed);
    let mut x = vec![0.0f32; cols * rows];
    for (r, row) in x.chunks_exact_mut(cols).enumerate() {
        for v in row.iter_mut() {
            *v = rng.uniform(-8.0, 8.0);
        }
        match r % 12 {
            0 => {}
            1 => row.iter_mut().for_each(|v| *v *= 1e-3), // S ≈ cols
            2 => row[cols / 2] = f32::NAN,
            3 => row[0] = f32::INFINITY,
            4 => row[cols - 1] = f32::NEG_INFINITY,
            5 => row.fill(3.0), // all tied
            6 => {
                // One entry far above the rest: S barely above 1 (log1p precision).
                row.iter_mut().for_each(|v| *v = *v * 0.3 - 27.0);
                row[cols / 3] = 0.0;
            }
            7 => row.iter_mut().for_each(|v| *v *= 1e29), // ±8e29: no overflow
            8 => row.iter_mut().for_each(|v| *v *= 1e-31), // tiny and subnormal-free
            9 => {
                // Two +∞ entries share the mass (one if cols = 1).
                row[0] = f32::INFINITY;
                row[cols - 1] = f32::INFINITY;
            }
            10 => row.fill(f32::NEG_INFINITY), // no distribution
            _ => {
                // The maximum rises block after block (every block rescales the running sum).
                for (i, v) in row.iter_mut().enumerate() {
                    *v = *v * 0.1 + i as f32 * 0.05;
                }
            }
        }
    }
    x
}

/// Rows of upstream gradients: uniform, constant (the sum cancels against Σ y = 1), wide, and
/// NaN or ±∞ entries.
fn dy_rows(cols: usize, rows: usize, seed: u64) -> Vec<f32> {
    let mut rng = Rng(seed);
    let mut dy = vec![0.0f32; cols * rows];
    for (r, row) in dy.chunks_exact_mut(cols).enumerate() {
        for v in row.iter_mut() {
            *v = rng.uniform(-2.0, 2.0);
        }
        match r % 7 {
            0 | 1 => {}
            2 => row.fill(1.0),
            3 => row.iter_mut().for_each(|v| *v *= 1e30),
            4 => row[cols / 2] = f32::NAN,
            5 => row[0] = f32::INFINITY,
            _ => row.iter_mut().for_each(|v| *v *= 1e-30),
        }
    }
    dy
}

/// f32 ordered so that adjacent floats differ by 1 (−0 and +0 coincide).
fn key(x: f32) -> i64 {
    let b = x.to_bits() as i32;
    if b < 0 {
        i32::MIN as i64 - b as i64
    } else {
        b as i64
    }
}

/// Counts of compared and differing entries.
#[derive(Default)]
struct Tally {
    checked: usize,
    differ: usize,
}

impl Tally {
    /// Asserts `got` equals `want` bit for bit (NaN for NaN) or within 1 ULP, both finite.
    fn compare(&mut self, what: &str, got: &[f32], want: &[f32], cols: usize) {
        for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
            self.checked += 1;
            if g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan()) {
                continue;
            }
            self.differ += 1;
            assert!(
                g.is_finite() && w.is_finite() && (key(g) - key(w)).abs() <= 1,
                "{what} cols {cols} row {} entry {}: {g:e} vs scalar {w:e}",
                i / cols,
                i % cols
            );
        }
    }

    fn assert_rare(&self, what: &str) {
        eprintln!(
            "{what}: {} results, {} differ from the scalar bits",
            self.checked, self.differ
        );
        assert!(self.differ * 100 < self.checked, "{what}");
    }
}

#[test]
fn softmax_backward_matches_the_scalar_function() {
    for k in kernels() {
        let mut tally = Tally::default();
        for cols in COLS {
            let rows = 84; // every logit kind with every dy kind
            let x = logit_rows(cols, rows, 7 + cols as u64);
            let mut y = vec![0.0f32; x.len()];
            rowwise::softmax(&x, &mut y, cols).unwrap();
            let dy = dy_rows(cols, rows, 11 + cols as u64);
            let mut got = vec![0.0f32; x.len()];
            let mut want = vec![0.0f32; x.len()];
            k.softmax_backward_from_output(&y, &dy, &mut got, cols)
                .unwrap();
            rowwise::softmax_backward_from_output(&y, &dy, &mut want, cols).unwrap();
            tally.compare(&format!("{} softmax backward", k.path()), &got, &want, cols);
        }
        tally.assert_rare(&format!("{} softmax backward", k.path()));
    }
}

#[test]
fn log_softmax_backward_matches_the_scalar_function() {
    for k in kernels() {
        let mut tally = Tally::default();
        for cols in COLS {
            let rows = 84;
            let x = logit_rows(cols, rows, 13 + cols as u64);
            let mut y = vec![0.0f32; x.len()];
            rowwise::log_softmax(&x, &mut y, cols).unwrap();
            // An output above 0 is no log-probability: the scalar function's e^y then.
            y[cols / 2] = 0.5;
            let dy = dy_rows(cols, rows, 17 + cols as u64);
            let mut got = vec![0.0f32; x.len()];
            let mut want = vec![0.0f32; x.len()];
            k.log_softmax_backward_from_output(&y, &dy, &mut got, cols)
                .unwrap();
            rowwise::log_softmax_backward_from_output(&y, &dy, &mut want, cols).unwrap();
            tally.compare(
                &format!("{} log_softmax backward", k.path()),
                &got,
                &want,
                cols,
            );
        }
        tally.assert_rare(&format!("{} log_softmax backward", k.path()));
    }
}

#[test]
fn forward_kernels_match_the_scalar_functions_on_hostile_rows() {
    // The two-pass (online) softmax and log_softmax, beside the tests in `kernels.rs`: rows
    // whose maximum rises in every block, huge, tiny, tied and one-dominant rows.
    for k in kernels() {
        let mut tally = Tally::default();
        for cols in COLS {
            let x = logit_rows(cols, 48, 19 + cols as u64);
            let mut got = vec![0.0f32; x.len()];
            let mut want = vec![0.0f32; x.len()];
            k.softmax(&x, &mut got, cols).unwrap();
            rowwise::softmax(&x, &mut want, cols).unwrap();
            tally.compare(&format!("{} softmax", k.path()), &got, &want, cols);
            k.log_softmax(&x, &mut got, cols).unwrap();
            rowwise::log_softmax(&x, &mut want, cols).unwrap();
            tally.compare(&format!("{} log_softmax", k.path()), &got, &want, cols);
        }
        tally.assert_rare(&format!("{} softmax, log_softmax", k.path()));
    }
}

#[test]
fn logsumexp_rows_matches_the_scalar_function() {
    for k in kernels() {
        let mut tally = Tally::default();
        for cols in COLS {
            let rows = 240;
            let x = logit_rows(cols, rows, 23 + cols as u64);
            let mut got = vec![0.0f32; rows];
            let mut want = vec![0.0f32; rows];
            k.logsumexp_rows(&x, cols, &mut got).unwrap();
            rowwise::logsumexp_rows(&x, cols, &mut want).unwrap();
            tally.compare(&format!("{} logsumexp", k.path()), &got, &want, 1);
        }
        tally.assert_rare(&format!("{} logsumexp", k.path()));
    }
    // ln(1 + 2⁻⁴⁰): the sum barely above 1 keeps its bits; ±∞ and NaN rows.
    let k = Kernels::new();
    let mut out = [0.0f32; 4];
    let x = [
        0.0,
        -40.0 * core::f32::consts::LN_2,
        f32::NEG_INFINITY,
        f32::NEG_INFINITY,
        1.0,
        f32::INFINITY,
        f32::NAN,
        0.0,
    ];
    k.logsumexp_rows(&x, 2, &mut out).unwrap();
    assert_eq!(out[0], rowwise::logsumexp(&x[..2]));
    assert!(out[0] > 0.0 && out[0] < 1e-11);
    assert_eq!(out[1], f32::NEG_INFINITY);
    assert_eq!(out[2], f32::INFINITY);
    assert!(out[3].is_nan());
}

#[test]
fn softmax_cross_entropy_matches_the_scalar_function() {
    for k in kernels() {
        let mut tally = Tally::default();
        let mut losses = Tally::default();
        for cols in COLS {
            let rows = 48;
            let x = logit_rows(cols, rows, 29 + cols as u64);
            let mut rng = Rng(31 + cols as u64);
            // Classes, the row's maximum for the one-dominant rows (p_c − 1 tiny).
            let classes: Vec<usize> = (0..rows)
                .map(|r| {
                    if r % 12 == 6 {
                        cols / 3
                    } else {
                        rng.next() as usize % cols
                    }
                })
                .collect();
            // Probabilities (rows summing to 1, with zeros), label-smoothed one-hots, and
            // unnormalised weights.
            let mut t = vec![0.0f32; x.len()];
            for (r, row) in t.chunks_exact_mut(cols).enumerate() {
                match r % 3 {
                    0 => {
                        for v in row.iter_mut() {
                            *v = if rng.next().is_multiple_of(3) {
                                0.0
                            } else {
                                rng.uniform(0.0, 1.0)
                            };
                        }
                        let s: f32 = row.iter().sum();
                        if s > 0.0 {
                            row.iter_mut().for_each(|v| *v /= s);
                        }
                    }
                    1 => {
                        row.fill(0.1 / cols as f32);
                        row[classes[r]] += 0.9;
                    }
                    _ => row.iter_mut().for_each(|v| *v = rng.uniform(0.0, 3.0)),
                }
            }
            for mean in [false, true] {
                for probs in [false, true] {
                    let target = if probs {
                        Target::Probs(&t)
                    } else {
                        Target::Class(&classes)
                    };
                    let what = format!(
                        "{} cross-entropy{} {}",
                        k.path(),
                        if mean { " mean" } else { "" },
                        if probs { "probs" } else { "class" }
                    );
                    // Finite rows only: the sum over rows is NaN as soon as one row is.
                    let finite: Vec<usize> = (0..rows)
                        .filter(|r| [0, 1, 5, 6, 7, 8, 11].contains(&(r % 12)))
                        .collect();
                    let xf: Vec<f32> = finite
                        .iter()
                        .flat_map(|&r| x[r * cols..(r + 1) * cols].iter().copied())
                        .collect();
                    let cf: Vec<usize> = finite.iter().map(|&r| classes[r]).collect();
                    let tf: Vec<f32> = finite
                        .iter()
                        .flat_map(|&r| t[r * cols..(r + 1) * cols].iter().copied())
                        .collect();
                    let (target_f, target_all) = if probs {
                        (Target::Probs(&tf[..]), target)
                    } else {
                        (Target::Class(&cf[..]), target)
                    };
                    let run = |logits: &[f32], target: Target<'_, f32>, kernel: bool| {
                        let mut grad = vec![0.0f32; logits.len()];
                        let loss = match (kernel, mean) {
                            (true, false) => {
                                k.softmax_cross_entropy(logits, target, cols, Some(&mut grad))
                            }
                            (true, true) => {
                                k.softmax_cross_entropy_mean(logits, target, cols, Some(&mut grad))
                            }
                            (false, false) => rowwise::softmax_cross_entropy(
                                logits,
                                target,
                                cols,
                                Some(&mut grad),
                            ),
                            (false, true) => rowwise::softmax_cross_entropy_mean(
                                logits,
                                target,
                                cols,
                                Some(&mut grad),
                            ),
                        };
                        (loss.unwrap(), grad)
                    };
                    // Every row (the loss NaN) for the gradients, the finite rows for the loss.
                    let (got_loss, got) = run(&x, target_all, true);
                    let (want_loss, want) = run(&x, target_all, false);
                    assert!(got_loss.is_nan() && want_loss.is_nan(), "{what}");
                    tally.compare(&what, &got, &want, cols);
                    let (got_loss, got) = run(&xf, target_f, true);
                    let (want_loss, want) = run(&xf, target_f, false);
                    losses.compare(&what, &[got_loss], &[want_loss], 1);
                    tally.compare(&what, &got, &want, cols);
                    // Without a gradient: the same loss.
                    let no_grad = if mean {
                        k.softmax_cross_entropy_mean(&xf, target_f, cols, None)
                    } else {
                        k.softmax_cross_entropy(&xf, target_f, cols, None)
                    };
                    assert_eq!(no_grad.unwrap().to_bits(), got_loss.to_bits(), "{what}");
                }
            }
        }
        tally.assert_rare(&format!("{} cross-entropy gradients", k.path()));
        losses.assert_rare(&format!("{} cross-entropy losses", k.path()));
    }
}

#[test]
fn cross_entropy_of_rows_with_infinities_follows_the_scalar_rules() {
    // Per row: −∞ entries (finite loss), two +∞ entries with the class on one (loss ln 2), and
    // the class on a −∞ logit (loss +∞).
    let x = [
        0.0f32,
        f32::NEG_INFINITY,
        1.0,
        f32::INFINITY,
        0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        0.0,
        0.0,
    ];
    for k in kernels() {
        for classes in [[0usize, 0, 1], [2, 2, 2], [0, 1, 2]] {
            for mean in [false, true] {
                let mut got = [0.0f32; 9];
                let mut want = [0.0f32; 9];
                let t = Target::Class(&classes);
                let (g, w) = if mean {
                    (
                        k.softmax_cross_entropy_mean(&x, t, 3, Some(&mut got)),
                        rowwise::softmax_cross_entropy_mean(&x, t, 3, Some(&mut want)),
                    )
                } else {
                    (
                        k.softmax_cross_entropy(&x, t, 3, Some(&mut got)),
                        rowwise::softmax_cross_entropy(&x, t, 3, Some(&mut want)),
                    )
                };
                let (g, w) = (g.unwrap(), w.unwrap());
                assert_eq!(g.to_bits(), w.to_bits(), "{classes:?}: {g} vs {w}");
                let bits = |v: &[f32]| v.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&got), bits(&want), "{classes:?}");
            }
        }
    }
}

#[test]
fn row_kernels_check_shapes() {
    let k = Kernels::new();
    let mut dx = [0.0f32; 6];
    let mut out = [0.0f32; 3];
    assert_eq!(
        k.softmax_backward_from_output(&[0.0; 6], &[0.0; 6], &mut dx, 0),
        Err(RowError::ZeroCols)
    );
    assert_eq!(
        k.log_softmax_backward_from_output(&[0.0; 6], &[0.0; 5], &mut dx, 3),
        Err(RowError::LengthMismatch {
            argument: "dy",
            expected: 6,
            got: 5
        })
    );
    assert_eq!(
        k.logsumexp_rows(&[0.0; 6], 4, &mut out),
        Err(RowError::NotWholeRows { len: 6, row_len: 4 })
    );
    assert_eq!(
        k.logsumexp_rows(&[0.0; 6], 3, &mut out),
        Err(RowError::LengthMismatch {
            argument: "out",
            expected: 2,
            got: 3
        })
    );
    assert_eq!(
        k.softmax_cross_entropy(&[0.0; 6], Target::Class(&[0, 3]), 3, None),
        Err(RowError::ClassOutOfRange {
            row: 1,
            class: 3,
            cols: 3
        })
    );
    // Nothing is written on an error.
    let mut grad = [7.0f32; 6];
    assert!(
        k.softmax_cross_entropy(&[0.0; 6], Target::Probs(&[0.0; 5]), 3, Some(&mut grad))
            .is_err()
    );
    assert_eq!(grad, [7.0; 6]);
    // No rows: a sum of 0, a mean of NaN (as the scalar functions).
    assert_eq!(
        k.softmax_cross_entropy(&[], Target::Class(&[]), 3, None),
        Ok(0.0)
    );
    assert!(
        k.softmax_cross_entropy_mean(&[], Target::Class(&[]), 3, None)
            .unwrap()
            .is_nan()
    );
}

#[cfg(feature = "rayon")]
#[test]
fn row_kernels_give_the_same_bits_on_any_number_of_threads() {
    let k = Kernels::new();
    let cols = 1000; // not a divisor of the chunk size
    let x = logit_rows(cols, 200, 37);
    let dy = dy_rows(cols, 200, 41);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut y = vec![0.0f32; x.len()];
            let mut dx = vec![0.0f32; x.len()];
            let mut lse = vec![0.0f32; 200];
            let mut bits = Vec::new();
            k.softmax(&x, &mut y, cols).unwrap();
            k.softmax_backward_from_output(&y, &dy, &mut dx, cols)
                .unwrap();
            bits.extend(dx.iter().map(|v| v.to_bits()));
            k.log_softmax(&x, &mut y, cols).unwrap();
            k.log_softmax_backward_from_output(&y, &dy, &mut dx, cols)
                .unwrap();
            bits.extend(dx.iter().map(|v| v.to_bits()));
            k.logsumexp_rows(&x, cols, &mut lse).unwrap();
            bits.extend(lse.iter().map(|v| v.to_bits()));
            bits
        })
    };
    assert_eq!(run(1), run(3));
}

#[test]
fn forward_kernels_stay_within_one_ulp_of_the_exact_values() {
    // The catalogue's bound, measured against softmax and log_softmax evaluated in f64 (each
    // within a few 10⁻¹⁶ relative: ~10⁻⁸ ULP of an f32 result) on rows of the benchmark's
    // width, logits at four spreads. The f32-lane kernels (AVX2, AVX-512) compute e^(x − m)
    // to ~2⁻²⁶ relative and round once, so they are not always the correctly rounded value
    // the scalar path gives; this asserts how far they may be from it. Rows of 1024 take the
    // maximum first, rows of 5000 the online sweep.
    for (k, cols) in kernels().into_iter().flat_map(|k| [(k, 1024), (k, 5000)]) {
        let (mut worst_softmax, mut worst_log) = (0.0f64, 0.0f64);
        let mut off = 0usize;
        let mut checked = 0usize;
        for (spread, seed) in [(1.0, 3u64), (4.0, 5), (16.0, 7), (40.0, 9)] {
            let mut rng = Rng(seed);
            let rows = 128 * 1024 / cols;
            let x: Vec<f32> = (0..rows * cols)
                .map(|_| rng.uniform(-spread, spread))
                .collect();
            let mut y = vec![0.0f32; x.len()];
            let mut log_y = vec![0.0f32; x.len()];
            let mut rounded = vec![0.0f32; x.len()];
            k.softmax(&x, &mut y, cols).unwrap();
            k.log_softmax(&x, &mut log_y, cols).unwrap();
            rowwise::softmax(&x, &mut rounded, cols).unwrap();
            for r in 0..rows {
                let row = &x[r * cols..(r + 1) * cols];
                let m = row.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b)) as f64;
                let sum: f64 = row.iter().map(|&v| (v as f64 - m).exp()).sum();
                let ln_sum = sum.ln();
                for (i, &v) in row.iter().enumerate() {
                    let j = r * cols + i;
                    let exact = (v as f64 - m).exp() / sum;
                    let exact_log = (v as f64 - m) - ln_sum;
                    let e = act::ulp::ulp_error_f32(y[j], act::dd::DD::from_f64(exact));
                    let e_log = act::ulp::ulp_error_f32(log_y[j], act::dd::DD::from_f64(exact_log));
                    worst_softmax = worst_softmax.max(e);
                    worst_log = worst_log.max(e_log);
                    off += usize::from(y[j].to_bits() != rounded[j].to_bits());
                    checked += 1;
                }
            }
        }
        eprintln!(
            "{} (rows of {cols}): softmax within {worst_softmax:.4} ULP, log_softmax within \
             {worst_log:.4} ULP; {off} of {checked} softmax results differ from the scalar \
             path's",
            k.path()
        );
        assert!(
            worst_softmax <= 1.0,
            "{} softmax: {worst_softmax} ULP",
            k.path()
        );
        assert!(
            worst_log <= 1.0,
            "{} log_softmax: {worst_log} ULP",
            k.path()
        );
    }
}

#[test]
fn softmax_backward_stays_within_its_bound_of_the_exact_values() {
    // dx = y ⊙ (dy − Σ y_j·dy_j) against the value in double-double (D summed exactly enough:
    // each product is exact in f64, the sum ~2⁻¹⁰⁶ of Σ|y·dy|), on rows like the benchmark's
    // (softmax of logits in [−8, 8], dy in [−8, 8]), cross-entropy-like ones (dy = p − t
    // scaled) and short rows. The f32-lane kernels (AVX2, AVX-512) certify each row they keep
    // within 0.5 + 2⁻² ULP of the exact value (the others go to the f64 sweep, 0.5 ULP plus a
    // few 2⁻⁵³ relative); this asserts that bound.
    for k in kernels() {
        let mut worst = 0.0f64;
        let mut checked = 0usize;
        for (cols, seed) in [(1024usize, 21u64), (100, 23), (7, 25), (4097, 27)] {
            let mut rng = Rng(seed);
            let rows = (64 * 1024 / cols).max(8);
            let x: Vec<f32> = (0..rows * cols).map(|_| rng.uniform(-8.0, 8.0)).collect();
            let mut y = vec![0.0f32; x.len()];
            k.softmax(&x, &mut y, cols).unwrap();
            let mut dy: Vec<f32> = (0..x.len()).map(|_| rng.uniform(-8.0, 8.0)).collect();
            for (r, row) in dy
                .chunks_exact_mut(cols)
                .enumerate()
                .filter(|(r, _)| r % 2 == 1)
            {
                // p − t for a class target, over a batch of 128.
                for (i, v) in row.iter_mut().enumerate() {
                    let t = if i == r % cols { 1.0 } else { 0.0 };
                    *v = (y[r * cols + i] - t) / 128.0;
                }
            }
            let mut dx = vec![0.0f32; x.len()];
            k.softmax_backward_from_output(&y, &dy, &mut dx, cols)
                .unwrap();
            for r in 0..rows {
                let span = r * cols..(r + 1) * cols;
                let d = y[span.clone()]
                    .iter()
                    .zip(&dy[span.clone()])
                    .fold(act::dd::DD::ZERO, |acc, (&a, &g)| {
                        acc.add_f64(a as f64 * g as f64)
                    });
                for j in span {
                    let exact = (act::dd::DD::from(dy[j] as f64) - d).mul_f64(y[j] as f64);
                    worst = worst.max(act::ulp::ulp_error_f32(dx[j], exact));
                    checked += 1;
                }
            }
        }
        eprintln!(
            "{} softmax backward: {checked} results, within {worst:.4} ULP of the exact values",
            k.path()
        );
        assert!(worst <= 0.75, "{} softmax backward: {worst} ULP", k.path());
    }
}
