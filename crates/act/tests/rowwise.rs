//! The row-wise functions (softmax, log_softmax, softmin, logsumexp, their backward passes and the
//! fused losses) against a double-double reference, finite differences and their laws.
//!
//! The reference: m = max x, S = Σ dd::exp(x_j − m) and p_i = dd::exp((x_i − m) − dd::ln S),
//! every step in double-double (better than 2⁻⁹⁰ relative), rounded once when compared.

use act::dd::{self, DD, two_sum};
use act::rowwise::{self, RowError, Target};
use act::ulp::{ulp_error_f32, ulp_error_f64, ulp_f64_at};
use proptest::prelude::*;

// ---------- helpers ----------

/// SplitMix64: a small deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// A row of logits of one of several kinds: moderate, wide, with huge and tiny entries mixed.
fn random_row(rng: &mut Rng, cols: usize, kind: usize) -> Vec<f64> {
    (0..cols)
        .map(|_| match kind % 5 {
            0 => rng.uniform(-5.0, 5.0),
            1 => rng.uniform(-100.0, 100.0),
            2 => rng.uniform(-700.0, 30.0),
            3 => {
                // mixed magnitudes: ±1e30, ±1e-30 and ordinary values
                let pick = rng.next_u64() % 4;
                let sign = if rng.next_u64().is_multiple_of(2) {
                    1.0
                } else {
                    -1.0
                };
                sign * [1e30, 1e-30, 3.0, 1e5][pick as usize] * rng.uniform(0.5, 1.0)
            }
            _ => rng.uniform(-1.0, 1.0) * 1e-3 + 7.0,
        })
        .collect()
}

/// The exact log-softmax of a row (finite entries) in double-double: (x_i − m) − ln S.
fn reference_log_softmax(row: &[f64]) -> Vec<DD> {
    let m = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mut s = DD::ZERO;
    for &x in row {
        s = s + dd::exp(two_sum(x, -m));
    }
    let ln_s = dd::ln(s);
    row.iter().map(|&x| two_sum(x, -m) - ln_s).collect()
}

/// The exact softmax of a row in double-double: e^(log_softmax), one exponential, so results
/// down in the subnormals are rounded once.
fn reference_softmax(row: &[f64]) -> Vec<DD> {
    reference_log_softmax(row)
        .into_iter()
        .map(dd::exp)
        .collect()
}

/// The exact logsumexp of a row: m + ln S.
fn reference_logsumexp(row: &[f64]) -> DD {
    let m = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mut s = DD::ZERO;
    for &x in row {
        s = s + dd::exp(two_sum(x, -m));
    }
    dd::ln(s).add_f64(m)
}

/// Σ of f32 values (exact in f64 for these sizes up to a few 2⁻⁵³).
fn sum_f32(v: &[f32]) -> f64 {
    v.iter().map(|&x| x as f64).sum()
}

/// Σ of f64 values in double-double.
fn sum_f64(v: &[f64]) -> DD {
    v.iter().fold(DD::ZERO, |s, &x| s.add_f64(x))
}

const COLS: [usize; 10] = [1, 2, 3, 7, 8, 9, 16, 17, 64, 1023];

// ---------- softmax: accuracy and sums ----------

#[test]
fn softmax_f32_is_correctly_rounded_and_rows_sum_to_one() {
    let mut rng = Rng(1);
    let mut worst = 0.0f64;
    for &cols in &COLS {
        for kind in 0..10 {
            let row64: Vec<f64> = random_row(&mut rng, cols, kind);
            let row: Vec<f32> = row64.iter().map(|&x| x as f32).collect();
            let exact_in = row.iter().map(|&x| x as f64).collect::<Vec<_>>();
            let mut p = vec![0.0f32; cols];
            rowwise::softmax(&row, &mut p, cols).unwrap();
            for (i, (&got, exact)) in p.iter().zip(reference_softmax(&exact_in)).enumerate() {
                assert!(got.is_finite() && (0.0..=1.0).contains(&got), "{got}");
                let e = ulp_error_f32(got, exact);
                worst = worst.max(e);
                // correctly rounded but within 2⁻²⁵ ULP of a tie
                assert!(
                    e <= 0.5 + 1e-7,
                    "cols {cols} kind {kind} entry {i}: {e} ULP"
                );
            }
            let s = sum_f32(&p);
            // within 1 ULP of 1 (the spacing above 1, 2⁻²³)
            assert!(
                (s - 1.0).abs() <= f32::EPSILON as f64,
                "cols {cols}: Σp = {s}"
            );
        }
    }
    eprintln!("softmax f32: worst {worst:.4} ULP");
}

#[test]
fn softmax_f64_within_3_ulp_and_rows_sum_to_one() {
    let mut rng = Rng(2);
    let mut worst = 0.0f64;
    for &cols in &COLS {
        for kind in 0..10 {
            let row = random_row(&mut rng, cols, kind);
            let mut p = vec![0.0f64; cols];
            rowwise::softmax(&row, &mut p, cols).unwrap();
            for (i, (&got, exact)) in p.iter().zip(reference_softmax(&row)).enumerate() {
                assert!(got.is_finite() && (0.0..=1.0).contains(&got), "{got}");
                // the subnormal range has no relative precision to speak of
                if exact.hi.abs() < f64::MIN_POSITIVE {
                    assert!((got - exact.hi).abs() <= 2.0 * ulp_f64_at(0.0));
                    continue;
                }
                let e = ulp_error_f64(got, exact);
                worst = worst.max(e);
                assert!(e <= 3.0, "cols {cols} kind {kind} entry {i}: {e} ULP");
            }
            let s = sum_f64(&p).add_f64(-1.0);
            assert!(
                s.hi.abs() <= f64::EPSILON,
                "cols {cols}: Σp − 1 = {:e}",
                s.hi
            );
        }
    }
    eprintln!("softmax f64: worst {worst:.4} ULP");
}

#[test]
fn softmax_in_place_matches_out_of_place() {
    let mut rng = Rng(3);
    let x: Vec<f64> = (0..3 * 17).map(|_| rng.uniform(-20.0, 20.0)).collect();
    let mut out = vec![0.0; x.len()];
    rowwise::softmax(&x, &mut out, 17).unwrap();
    let mut inplace = x.clone();
    rowwise::softmax_in_place(&mut inplace, 17).unwrap();
    assert_eq!(out, inplace);
    rowwise::log_softmax(&x, &mut out, 17).unwrap();
    let mut inplace = x.clone();
    rowwise::log_softmax_in_place(&mut inplace, 17).unwrap();
    assert_eq!(out, inplace);
    rowwise::softmin(&x, &mut out, 17).unwrap();
    let mut inplace = x.clone();
    rowwise::softmin_in_place(&mut inplace, 17).unwrap();
    assert_eq!(out, inplace);
}

#[test]
fn softmax_hostile_rows() {
    // Huge logits: no overflow, no NaN; the dominant entry takes everything.
    let mut p = [0.0f32; 2];
    rowwise::softmax(&[1e30f32, -1e30], &mut p, 2).unwrap();
    assert_eq!(p, [1.0, 0.0]);
    rowwise::softmax(&[1e30f32, 1e30], &mut p, 2).unwrap();
    assert_eq!(p, [0.5, 0.5]);
    rowwise::softmax(&[-1e30f32, -1e30], &mut p, 2).unwrap();
    assert_eq!(p, [0.5, 0.5]); // every e^(x) underflows, e^(x − m) does not
    let mut p = [0.0f64; 3];
    rowwise::softmax(&[f64::MAX, -f64::MAX, 0.0], &mut p, 3).unwrap();
    assert_eq!(p, [1.0, 0.0, 0.0]); // x − m overflows to −∞: weight 0, not NaN
    // Mixed tiny and huge, ±0 and subnormals: tiny differences give equal shares.
    let mut p = [0.0f64; 4];
    rowwise::softmax(&[1e-30, -1e-30, 0.0, -0.0], &mut p, 4).unwrap();
    for &v in &p {
        assert!((v - 0.25).abs() <= 1e-30, "{v}");
    }
    let sub = f64::from_bits(1);
    rowwise::softmax(&[sub, -sub, 0.0, 5e-324], &mut p, 4).unwrap();
    assert_eq!(p, [0.25; 4]);
    // A single entry, and cols = 1 with many rows: probability 1 whatever the value.
    let x = [3.0f32, -1e30, 1e30, 0.0, -0.0, 1e-40];
    let mut p = [0.0f32; 6];
    rowwise::softmax(&x, &mut p, 1).unwrap();
    assert_eq!(p, [1.0; 6]);
    // f32 softmax where e^(x − m) is an f32 subnormal: −100 − ln(1 + e^-100) → 3.7e-44.
    let mut p = [0.0f32; 2];
    rowwise::softmax(&[0.0f32, -100.0], &mut p, 2).unwrap();
    assert_eq!(p[0], 1.0);
    assert!(p[1] > 0.0 && p[1] < f32::MIN_POSITIVE, "{}", p[1]);
    assert!(ulp_error_f32(p[1], reference_softmax(&[0.0, -100.0])[1]) <= 0.5);
    // Empty input: no rows, nothing to do.
    rowwise::softmax::<f64>(&[], &mut [], 3).unwrap();
}

#[test]
fn softmin_is_softmax_of_the_negated_row() {
    let mut rng = Rng(4);
    for &cols in &COLS {
        let x: Vec<f32> = (0..cols).map(|_| rng.uniform(-50.0, 50.0) as f32).collect();
        let neg: Vec<f32> = x.iter().map(|v| -v).collect();
        let (mut a, mut b) = (vec![0.0f32; cols], vec![0.0f32; cols]);
        rowwise::softmin(&x, &mut a, cols).unwrap();
        rowwise::softmax(&neg, &mut b, cols).unwrap();
        assert_eq!(a, b);
    }
    // the weight goes to the smallest entry
    let mut w = [0.0f64; 3];
    rowwise::softmin(&[5.0, -1e30, 2.0], &mut w, 3).unwrap();
    assert_eq!(w, [0.0, 1.0, 0.0]);
}

// ---------- log_softmax and logsumexp ----------

#[test]
fn log_softmax_is_exact_where_softmax_underflows() {
    // y₀ = −ln(1 + e^-200) = −1.4e-87 rounds to −0 in f32; y₁ = −200 − 1.4e-87 rounds to −200.
    let mut y = [1.0f32; 2];
    rowwise::log_softmax(&[0.0f32, -200.0], &mut y, 2).unwrap();
    assert_eq!(y, [0.0, -200.0]);
    let mut p = [1.0f32; 2];
    rowwise::softmax(&[0.0f32, -200.0], &mut p, 2).unwrap();
    assert_eq!(p, [1.0, 0.0]); // ln p would be −∞
    // f64: e^-1000 underflows f64 itself, log_softmax does not.
    let mut y = [1.0f64; 2];
    rowwise::log_softmax(&[0.0, -1000.0], &mut y, 2).unwrap();
    assert_eq!(y, [0.0, -1000.0]);
    // The dominant entry keeps its tiny value: −ln(1 + e^-40) = −4.248354255291589e-18.
    rowwise::log_softmax(&[0.0, -40.0], &mut y, 2).unwrap();
    let exact = reference_log_softmax(&[0.0, -40.0]);
    assert!(ulp_error_f64(y[0], exact[0]) <= 1.0, "{:e}", y[0]);
    assert!((y[0] / -4.248354255291589e-18 - 1.0).abs() < 1e-15);
    // Huge logits: the far entry's log-probability is −2e30, finite.
    let mut y = [0.0f32; 2];
    rowwise::log_softmax(&[1e30f32, -1e30], &mut y, 2).unwrap();
    assert_eq!(y, [0.0, -2e30]);
}

#[test]
fn log_softmax_against_the_reference() {
    let mut rng = Rng(5);
    let (mut worst32, mut worst64) = (0.0f64, 0.0f64);
    for &cols in &COLS {
        for kind in 0..10 {
            let row = random_row(&mut rng, cols, kind);
            let row32: Vec<f32> = row.iter().map(|&x| x as f32).collect();
            let row32_in: Vec<f64> = row32.iter().map(|&x| x as f64).collect();
            let mut y32 = vec![0.0f32; cols];
            rowwise::log_softmax(&row32, &mut y32, cols).unwrap();
            for (&got, exact) in y32.iter().zip(reference_log_softmax(&row32_in)) {
                let e = ulp_error_f32(got, exact);
                worst32 = worst32.max(e);
                assert!(e <= 0.5 + 1e-7, "f32 cols {cols} kind {kind}: {e} ULP");
            }
            let mut y64 = vec![0.0f64; cols];
            rowwise::log_softmax(&row, &mut y64, cols).unwrap();
            for (&got, exact) in y64.iter().zip(reference_log_softmax(&row)) {
                if exact.hi == 0.0 {
                    assert_eq!(got, 0.0);
                    continue;
                }
                let e = ulp_error_f64(got, exact);
                worst64 = worst64.max(e);
                assert!(e <= 2.0, "f64 cols {cols} kind {kind}: {e} ULP");
            }
        }
    }
    eprintln!("log_softmax: worst f32 {worst32:.4} ULP, f64 {worst64:.4} ULP");
}

#[test]
fn logsumexp_values() {
    // 1e30 + ln 2 rounds to 1e30 in both types.
    assert_eq!(rowwise::logsumexp(&[1e30f32, 1e30]), 1e30f32);
    assert_eq!(rowwise::logsumexp(&[1e30f64, 1e30]), 1e30f64);
    // ln(2e^-1000) = −1000 + ln 2, rounded once.
    let want = DD::from_f64(-1000.0) + dd::ln(DD::from_f64(2.0));
    assert_eq!(rowwise::logsumexp(&[-1000.0f64, -1000.0]), want.hi);
    assert_eq!(rowwise::logsumexp(&[-1000.0f32, -1000.0]), want.to_f32());
    assert_eq!(rowwise::logsumexp(&[0.0f64; 4]), 4f64.ln());
    assert_eq!(rowwise::logsumexp(&[7.5f32]), 7.5);
    assert_eq!(rowwise::logsumexp::<f32>(&[]), f32::NEG_INFINITY);
    let mut rng = Rng(6);
    for &cols in &COLS {
        for kind in 0..10 {
            let row = random_row(&mut rng, cols, kind);
            let exact = reference_logsumexp(&row);
            let got = rowwise::logsumexp(&row);
            // within 2 ULP of the larger of |m| and ln S (m + ln S may cancel)
            let m = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let scale = ulp_f64_at(m.abs().max((exact.hi - m).abs()));
            let err = ((got - exact.hi) - exact.lo).abs() / scale;
            assert!(err <= 2.0, "cols {cols} kind {kind}: {err}");
            let row32: Vec<f32> = row.iter().map(|&x| x as f32).collect();
            let exact = reference_logsumexp(&row32.iter().map(|&x| x as f64).collect::<Vec<_>>());
            let got = rowwise::logsumexp(&row32);
            assert!(ulp_error_f32(got, exact) <= 0.5 + 1e-6);
        }
    }
    // Rows of rows.
    let x = [
        0.0f64,
        0.0,
        1e30,
        -1e30,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    let mut out = [0.0; 3];
    rowwise::logsumexp_rows(&x, 2, &mut out).unwrap();
    assert_eq!(out, [core::f64::consts::LN_2, 1e30, f64::NEG_INFINITY]);
}

// ---------- non-finite entries ----------

#[test]
fn nan_makes_only_its_row_nan() {
    let x = [1.0f32, f32::NAN, 3.0, 1.0, 2.0, 3.0]; // (2, 3)
    let mut p = [0.0f32; 6];
    rowwise::softmax(&x, &mut p, 3).unwrap();
    assert!(p[..3].iter().all(|v| v.is_nan()));
    assert!(p[3..].iter().all(|v| v.is_finite()));
    rowwise::log_softmax(&x, &mut p, 3).unwrap();
    assert!(p[..3].iter().all(|v| v.is_nan()));
    assert!(p[3..].iter().all(|v| v.is_finite()));
    rowwise::softmin(&x, &mut p, 3).unwrap();
    assert!(p[..3].iter().all(|v| v.is_nan()));
    assert!(rowwise::logsumexp(&x[..3]).is_nan());
    let loss = rowwise::softmax_cross_entropy(&x, Target::Class(&[0, 2]), 3, Some(&mut p)).unwrap();
    assert!(loss.is_nan());
    assert!(p[..3].iter().all(|v| v.is_nan()));
    assert!(p[3..].iter().all(|v| v.is_finite()));
}

#[test]
fn infinities_follow_the_documented_limits() {
    let inf = f64::INFINITY;
    // +∞ entries share the mass equally; −∞ entries get 0.
    let mut p = [0.0f64; 4];
    rowwise::softmax(&[inf, 0.0, inf, -inf], &mut p, 4).unwrap();
    assert_eq!(p, [0.5, 0.0, 0.5, 0.0]);
    rowwise::log_softmax(&[inf, 0.0, inf, -inf], &mut p, 4).unwrap();
    assert_eq!(
        p,
        [
            -core::f64::consts::LN_2,
            -inf,
            -core::f64::consts::LN_2,
            -inf
        ]
    );
    assert_eq!(rowwise::logsumexp(&[inf, 0.0]), inf);
    // −∞ entries in a finite row.
    let mut p = [0.0f32; 3];
    rowwise::softmax(&[f32::NEG_INFINITY, 0.0, 0.0], &mut p, 3).unwrap();
    assert_eq!(p, [0.0, 0.5, 0.5]);
    rowwise::log_softmax(&[f32::NEG_INFINITY, 0.0, 0.0], &mut p, 3).unwrap();
    assert_eq!(
        p,
        [
            f32::NEG_INFINITY,
            -core::f32::consts::LN_2,
            -core::f32::consts::LN_2
        ]
    );
    // A row of −∞: softmax and log_softmax are 0/0 = NaN (as PyTorch), logsumexp is −∞.
    rowwise::softmax(&[f32::NEG_INFINITY; 3], &mut p, 3).unwrap();
    assert!(p.iter().all(|v| v.is_nan()));
    rowwise::log_softmax(&[f32::NEG_INFINITY; 3], &mut p, 3).unwrap();
    assert!(p.iter().all(|v| v.is_nan()));
    assert_eq!(
        rowwise::logsumexp(&[f32::NEG_INFINITY; 3]),
        f32::NEG_INFINITY
    );
    // Cross-entropy: a target on a −∞ logit costs ∞, a zero weight there costs nothing.
    let z = [0.0f64, f64::NEG_INFINITY];
    assert_eq!(
        rowwise::softmax_cross_entropy(&z, Target::Class(&[1]), 2, None).unwrap(),
        inf
    );
    assert_eq!(
        rowwise::softmax_cross_entropy(&z, Target::Probs(&[1.0, 0.0]), 2, None).unwrap(),
        0.0
    );
    // BCE at z = ±∞: the limits.
    assert_eq!(rowwise::bce_with_logits(&[inf], &[1.0], None).unwrap(), 0.0);
    assert_eq!(rowwise::bce_with_logits(&[inf], &[0.5], None).unwrap(), inf);
    assert_eq!(
        rowwise::bce_with_logits(&[-inf], &[0.0], None).unwrap(),
        0.0
    );
    assert!(
        rowwise::bce_with_logits(&[f64::NAN], &[0.0], None)
            .unwrap()
            .is_nan()
    );
}

// ---------- backward passes against central differences (f64) ----------

/// Central difference of f at x along coordinate j.
fn central_difference(f: &dyn Fn(&[f64]) -> f64, x: &[f64], j: usize, h: f64) -> f64 {
    let mut xp = x.to_vec();
    let mut xm = x.to_vec();
    xp[j] += h;
    xm[j] -= h;
    (f(&xp) - f(&xm)) / (2.0 * h)
}

fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

#[test]
fn softmax_backward_matches_finite_differences() {
    let mut rng = Rng(7);
    for &cols in &[1usize, 2, 5, 16] {
        for _ in 0..5 {
            let x: Vec<f64> = (0..cols).map(|_| rng.uniform(-3.0, 3.0)).collect();
            let dy: Vec<f64> = (0..cols).map(|_| rng.uniform(-1.0, 1.0)).collect();
            let mut y = vec![0.0; cols];
            rowwise::softmax(&x, &mut y, cols).unwrap();
            let mut dx = vec![0.0; cols];
            rowwise::softmax_backward_from_output(&y, &dy, &mut dx, cols).unwrap();
            // L(x) = ⟨dy, softmax(x)⟩, so ∂L/∂x = Jᵀdy.
            let loss = |x: &[f64]| {
                let mut p = vec![0.0; x.len()];
                rowwise::softmax(x, &mut p, x.len()).unwrap();
                p.iter().zip(&dy).map(|(a, b)| a * b).sum::<f64>()
            };
            let fd: Vec<f64> = (0..cols)
                .map(|j| central_difference(&loss, &x, j, 1e-5))
                .collect();
            assert!(max_abs_diff(&dx, &fd) < 1e-9, "{dx:?} vs {fd:?}");
        }
    }
}

#[test]
fn log_softmax_backward_matches_finite_differences() {
    let mut rng = Rng(8);
    for &cols in &[1usize, 2, 5, 16] {
        for _ in 0..5 {
            let x: Vec<f64> = (0..cols).map(|_| rng.uniform(-3.0, 3.0)).collect();
            let dy: Vec<f64> = (0..cols).map(|_| rng.uniform(-1.0, 1.0)).collect();
            let mut y = vec![0.0; cols];
            rowwise::log_softmax(&x, &mut y, cols).unwrap();
            let mut dx = vec![0.0; cols];
            rowwise::log_softmax_backward_from_output(&y, &dy, &mut dx, cols).unwrap();
            let loss = |x: &[f64]| {
                let mut p = vec![0.0; x.len()];
                rowwise::log_softmax(x, &mut p, x.len()).unwrap();
                p.iter().zip(&dy).map(|(a, b)| a * b).sum::<f64>()
            };
            let fd: Vec<f64> = (0..cols)
                .map(|j| central_difference(&loss, &x, j, 1e-5))
                .collect();
            assert!(max_abs_diff(&dx, &fd) < 1e-9, "{dx:?} vs {fd:?}");
        }
    }
}

#[test]
fn backward_passes_of_known_rows() {
    // softmax y = (1/4, 3/4), dy = (1, 0): ⟨dy, y⟩ = 1/4, dx = (¼·¾, ¾·(−¼)) = (3/16, −3/16).
    let mut dx = [0.0f32; 2];
    rowwise::softmax_backward_from_output(&[0.25f32, 0.75], &[1.0, 0.0], &mut dx, 2).unwrap();
    assert_eq!(dx, [0.1875, -0.1875]);
    // a softmax row's gradient sums to 0 (Jᵀ1 = 0)
    let mut rng = Rng(9);
    let x: Vec<f64> = (0..9).map(|_| rng.uniform(-3.0, 3.0)).collect();
    let mut y = vec![0.0; 9];
    rowwise::softmax(&x, &mut y, 9).unwrap();
    let dy: Vec<f64> = (0..9).map(|_| rng.uniform(-1.0, 1.0)).collect();
    let mut dx = vec![0.0; 9];
    rowwise::softmax_backward_from_output(&y, &dy, &mut dx, 9).unwrap();
    assert!(sum_f64(&dx).hi.abs() < 1e-16);
    // log_softmax y = −∞ entries have p = 0: dx = dy there.
    let mut dx = [0.0f64; 2];
    rowwise::log_softmax_backward_from_output(&[0.0, f64::NEG_INFINITY], &[0.5, 2.0], &mut dx, 2)
        .unwrap();
    assert_eq!(dx, [0.5 - 2.5, 2.0]);
}

// ---------- cross-entropy ----------

#[test]
fn cross_entropy_gradient_is_p_minus_t_and_matches_finite_differences() {
    let mut rng = Rng(10);
    for &cols in &[1usize, 2, 3, 10, 33] {
        let rows = 4;
        let logits: Vec<f64> = (0..rows * cols).map(|_| rng.uniform(-4.0, 4.0)).collect();
        let classes: Vec<usize> = (0..rows)
            .map(|_| (rng.next_u64() as usize) % cols)
            .collect();
        let mut probs: Vec<f64> = (0..rows * cols).map(|_| rng.unit()).collect();
        for row in probs.chunks_exact_mut(cols) {
            let s: f64 = row.iter().sum();
            row.iter_mut().for_each(|v| *v /= s);
        }
        for target in [Target::Class(&classes), Target::Probs(&probs)] {
            let mut grad = vec![0.0; logits.len()];
            rowwise::softmax_cross_entropy(&logits, target, cols, Some(&mut grad)).unwrap();
            // p − t
            let mut p = vec![0.0; logits.len()];
            rowwise::softmax(&logits, &mut p, cols).unwrap();
            let t: Vec<f64> = match target {
                Target::Class(c) => (0..logits.len())
                    .map(|k| if c[k / cols] == k % cols { 1.0 } else { 0.0 })
                    .collect(),
                Target::Probs(t) => t.to_vec(),
            };
            let p_minus_t: Vec<f64> = p.iter().zip(&t).map(|(a, b)| a - b).collect();
            assert!(max_abs_diff(&grad, &p_minus_t) < 1e-15);
            // against central differences of the summed loss
            let loss = |z: &[f64]| rowwise::softmax_cross_entropy(z, target, cols, None).unwrap();
            let fd: Vec<f64> = (0..logits.len())
                .map(|j| central_difference(&loss, &logits, j, 1e-5))
                .collect();
            assert!(max_abs_diff(&grad, &fd) < 1e-7, "cols {cols}");
            // the mean divides both by the rows
            let mut grad_mean = vec![0.0; logits.len()];
            let mean =
                rowwise::softmax_cross_entropy_mean(&logits, target, cols, Some(&mut grad_mean))
                    .unwrap();
            let sum = loss(&logits);
            assert!((mean - sum / rows as f64).abs() <= 2.0 * ulp_f64_at(mean));
            for (gm, g) in grad_mean.iter().zip(&grad) {
                assert!((gm - g / rows as f64).abs() <= ulp_f64_at(*gm));
            }
        }
    }
}

#[test]
fn cross_entropy_f32_is_the_f64_result_rounded() {
    let mut rng = Rng(14);
    for &cols in &[2usize, 7, 64] {
        let rows = 5;
        let z32: Vec<f32> = (0..rows * cols)
            .map(|_| rng.uniform(-30.0, 30.0) as f32)
            .collect();
        let z64: Vec<f64> = z32.iter().map(|&v| v as f64).collect();
        let classes: Vec<usize> = (0..rows)
            .map(|_| (rng.next_u64() as usize) % cols)
            .collect();
        let t32: Vec<f32> = (0..rows * cols).map(|_| rng.unit() as f32).collect();
        let t64: Vec<f64> = t32.iter().map(|&v| v as f64).collect();
        for (target32, target64) in [
            (Target::Class(&classes), Target::Class(&classes)),
            (Target::Probs(&t32), Target::Probs(&t64)),
        ] {
            let (mut g32, mut g64) = (vec![0.0f32; z32.len()], vec![0.0f64; z64.len()]);
            let l32 =
                rowwise::softmax_cross_entropy_mean(&z32, target32, cols, Some(&mut g32)).unwrap();
            let l64 =
                rowwise::softmax_cross_entropy_mean(&z64, target64, cols, Some(&mut g64)).unwrap();
            // the f64 results are within 2 f64 ULP: 2⁻²⁸ of an f32 ULP
            assert!(ulp_error_f32(l32, DD::from_f64(l64)) <= 0.5 + 1e-6);
            for (&a, &b) in g32.iter().zip(&g64) {
                assert!(
                    ulp_error_f32(a, DD::from_f64(b)) <= 0.5 + 1e-6,
                    "{a:e} vs {b:e}"
                );
            }
        }
    }
}

#[test]
fn cross_entropy_of_huge_logits_is_finite() {
    // [1e30, −1e30] against class 1: lse − z₁ = 1e30 − (−1e30) + ln(1 + e^(−2e30)) = 2e30.
    let mut grad = [0.0f32; 2];
    let loss =
        rowwise::softmax_cross_entropy(&[1e30f32, -1e30], Target::Class(&[1]), 2, Some(&mut grad))
            .unwrap();
    assert_eq!(loss, 2e30);
    assert_eq!(grad, [1.0, -1.0]);
    let mut grad = [0.0f64; 2];
    let loss =
        rowwise::softmax_cross_entropy(&[1e30f64, -1e30], Target::Class(&[1]), 2, Some(&mut grad))
            .unwrap();
    assert_eq!(loss, 2e30);
    assert_eq!(grad, [1.0, -1.0]);
    // against the dominant class: loss 0, gradient 0
    let loss =
        rowwise::softmax_cross_entropy(&[1e30f64, -1e30], Target::Class(&[0]), 2, Some(&mut grad))
            .unwrap();
    assert_eq!((loss, grad), (0.0, [0.0, 0.0]));
    // probability targets on huge logits: ½·2e30
    let loss =
        rowwise::softmax_cross_entropy(&[1e30f64, -1e30], Target::Probs(&[0.5, 0.5]), 2, None)
            .unwrap();
    assert_eq!(loss, 1e30);
    // p_c − 1 keeps its precision when p_c ≈ 1: −e^-40/(1 + e^-40).
    let loss =
        rowwise::softmax_cross_entropy(&[40.0f64, 0.0], Target::Class(&[0]), 2, Some(&mut grad))
            .unwrap();
    let tail = (-40f64).exp();
    assert!(
        (grad[0] / -(tail / (1.0 + tail)) - 1.0).abs() < 1e-15,
        "{:e}",
        grad[0]
    );
    assert!((loss / tail.ln_1p() - 1.0).abs() < 1e-15, "{loss:e}");
}

#[test]
fn cross_entropy_loss_against_the_reference() {
    let mut rng = Rng(11);
    for &cols in &COLS {
        for kind in 0..5 {
            let row = random_row(&mut rng, cols, kind);
            let c = (rng.next_u64() as usize) % cols;
            // −log_softmax(row)_c in double-double
            let exact = -reference_log_softmax(&row)[c];
            let got =
                rowwise::softmax_cross_entropy(&row, Target::Class(&[c]), cols, None).unwrap();
            if exact.hi == 0.0 {
                assert_eq!(got, 0.0);
            } else {
                assert!(ulp_error_f64(got, exact) <= 2.0, "cols {cols} kind {kind}");
            }
        }
    }
}

// ---------- binary cross-entropy with logits ----------

#[test]
fn bce_gradient_matches_finite_differences() {
    let mut rng = Rng(12);
    let z: Vec<f64> = (0..40).map(|_| rng.uniform(-30.0, 30.0)).collect();
    let t: Vec<f64> = (0..40)
        .map(|i| {
            if i % 3 == 0 {
                rng.unit()
            } else {
                (i % 2) as f64
            }
        })
        .collect();
    let mut grad = vec![0.0; z.len()];
    rowwise::bce_with_logits(&z, &t, Some(&mut grad)).unwrap();
    // σ(z) − t
    for ((&g, &zi), &ti) in grad.iter().zip(&z).zip(&t) {
        let sigma = 1.0 / (1.0 + (-zi).exp());
        assert!((g - (sigma - ti)).abs() < 1e-15);
    }
    let loss = |z: &[f64]| rowwise::bce_with_logits(z, &t, None).unwrap();
    let fd: Vec<f64> = (0..z.len())
        .map(|j| central_difference(&loss, &z, j, 1e-5))
        .collect();
    assert!(max_abs_diff(&grad, &fd) < 1e-7);
    // the mean
    let mut grad_mean = vec![0.0; z.len()];
    let mean = rowwise::bce_with_logits_mean(&z, &t, Some(&mut grad_mean)).unwrap();
    assert!((mean - loss(&z) / 40.0).abs() <= 2.0 * ulp_f64_at(mean));
    assert!(
        max_abs_diff(
            &grad_mean,
            &grad.iter().map(|g| g / 40.0).collect::<Vec<_>>()
        ) < 1e-17
    );
}

#[test]
fn bce_loss_against_the_reference() {
    // Σ max(z, 0) − z·t + ln(1 + e^(−|z|)), every term in double-double.
    let reference = |z: &[f64], t: &[f64]| {
        z.iter().zip(t).fold(DD::ZERO, |s, (&z, &t)| {
            let linear = if z >= 0.0 {
                two_sum(1.0, -t).mul_f64(z)
            } else {
                DD::from_f64(t).mul_f64(-z)
            };
            s + linear + dd::log1p(dd::exp(DD::from_f64(-z.abs())))
        })
    };
    let mut rng = Rng(13);
    for n in [1usize, 2, 7, 100] {
        for scale in [1.0, 30.0, 700.0] {
            let z: Vec<f64> = (0..n).map(|_| rng.uniform(-scale, scale)).collect();
            let t: Vec<f64> = (0..n).map(|_| rng.unit()).collect();
            let got = rowwise::bce_with_logits(&z, &t, None).unwrap();
            assert!(
                ulp_error_f64(got, reference(&z, &t)) <= 2.0,
                "n {n} scale {scale}"
            );
            let z32: Vec<f32> = z.iter().map(|&v| v as f32).collect();
            let t32: Vec<f32> = t.iter().map(|&v| v as f32).collect();
            let wide = |v: &[f32]| v.iter().map(|&x| x as f64).collect::<Vec<_>>();
            let got = rowwise::bce_with_logits(&z32, &t32, None).unwrap();
            let exact = reference(&wide(&z32), &wide(&t32));
            assert!(
                ulp_error_f32(got, exact) <= 0.5 + 1e-7,
                "n {n} scale {scale}"
            );
        }
    }
}

#[test]
fn bce_with_huge_logits() {
    let mut grad = [0.0f32; 4];
    let z = [1e30f32, 1e30, -1e30, -1e30];
    // one loss each: t = 1 → 0; t = 0 → 1e30; t = 1 → 1e30; t = 0 → 0
    let loss = rowwise::bce_with_logits(&z, &[1.0, 0.0, 1.0, 0.0], Some(&mut grad)).unwrap();
    assert_eq!(loss, 2e30);
    assert_eq!(grad, [0.0, 1.0, -1.0, 0.0]);
    let mut grad = [0.0f64; 2];
    let loss = rowwise::bce_with_logits(&[1e30f64, -1e30], &[0.5, 0.5], Some(&mut grad)).unwrap();
    assert_eq!(loss, 1e30); // 1e30·½ + 1e30·½
    assert_eq!(grad, [0.5, -0.5]);
    // σ(z) − 1 where σ rounds to 1: −e^-40/(1 + e^-40), not 0.
    rowwise::bce_with_logits(&[40.0f64, 0.0], &[1.0, 1.0], Some(&mut grad)).unwrap();
    let tail = (-40f64).exp();
    assert!((grad[0] / -(tail / (1.0 + tail)) - 1.0).abs() < 1e-15);
    // the loss there is ln(1 + e^-40) ≈ 4.2e-18, kept
    let loss = rowwise::bce_with_logits(&[40.0f64], &[1.0], None).unwrap();
    assert!((loss / tail.ln_1p() - 1.0).abs() < 1e-15);
}

// ---------- shape errors ----------

#[test]
fn shape_errors_are_typed_and_write_nothing() {
    let x = [1.0f32; 6];
    let mut out = [9.0f32; 6];
    assert_eq!(rowwise::softmax(&x, &mut out, 0), Err(RowError::ZeroCols));
    assert_eq!(
        rowwise::softmax(&x, &mut out, 4),
        Err(RowError::NotWholeRows { len: 6, row_len: 4 })
    );
    assert_eq!(
        rowwise::log_softmax(&x, &mut out[..5], 3),
        Err(RowError::LengthMismatch {
            argument: "out",
            expected: 6,
            got: 5
        })
    );
    assert_eq!(
        rowwise::softmin_in_place(&mut out, 5),
        Err(RowError::NotWholeRows { len: 6, row_len: 5 })
    );
    assert_eq!(out, [9.0; 6]);
    let mut lse = [0.0f32; 3];
    assert_eq!(
        rowwise::logsumexp_rows(&x, 3, &mut lse),
        Err(RowError::LengthMismatch {
            argument: "out",
            expected: 2,
            got: 3
        })
    );
    assert_eq!(
        rowwise::softmax_backward_from_output(&x, &x[..3], &mut out, 3),
        Err(RowError::LengthMismatch {
            argument: "dy",
            expected: 6,
            got: 3
        })
    );
    assert_eq!(
        rowwise::log_softmax_backward_from_output(&x, &x, &mut out[..2], 3),
        Err(RowError::LengthMismatch {
            argument: "dx",
            expected: 6,
            got: 2
        })
    );
    // cross-entropy: class out of range (row 1), target and gradient lengths
    let mut grad = [9.0f32; 6];
    assert_eq!(
        rowwise::softmax_cross_entropy(&x, Target::Class(&[0, 3]), 3, Some(&mut grad)),
        Err(RowError::ClassOutOfRange {
            row: 1,
            class: 3,
            cols: 3
        })
    );
    assert_eq!(grad, [9.0; 6]);
    assert_eq!(
        rowwise::softmax_cross_entropy(&x, Target::Class(&[0]), 3, None),
        Err(RowError::LengthMismatch {
            argument: "targets",
            expected: 2,
            got: 1
        })
    );
    assert_eq!(
        rowwise::softmax_cross_entropy(&x, Target::Probs(&x[..5]), 3, None),
        Err(RowError::LengthMismatch {
            argument: "targets",
            expected: 6,
            got: 5
        })
    );
    assert_eq!(
        rowwise::softmax_cross_entropy_mean(&x, Target::Class(&[0, 1]), 3, Some(&mut grad[..4])),
        Err(RowError::LengthMismatch {
            argument: "grad",
            expected: 6,
            got: 4
        })
    );
    assert_eq!(
        rowwise::bce_with_logits(&x, &x[..4], None),
        Err(RowError::LengthMismatch {
            argument: "targets",
            expected: 6,
            got: 4
        })
    );
    assert_eq!(
        rowwise::bce_with_logits_mean(&x, &x, Some(&mut grad[..1])),
        Err(RowError::LengthMismatch {
            argument: "grad",
            expected: 6,
            got: 1
        })
    );
    // The errors say what went wrong and are std errors.
    let e: Box<dyn std::error::Error> = Box::new(RowError::ClassOutOfRange {
        row: 1,
        class: 3,
        cols: 3,
    });
    assert_eq!(
        e.to_string(),
        "row 1: class 3 is out of range for 3 classes (0..3)"
    );
    assert!(RowError::ZeroCols.to_string().contains("cols"));
}

#[test]
fn empty_reductions() {
    // The sum over no rows is 0; the mean is 0/0.
    let none: [f64; 0] = [];
    assert_eq!(
        rowwise::softmax_cross_entropy(&none, Target::Class(&[]), 3, None),
        Ok(0.0)
    );
    assert!(
        rowwise::softmax_cross_entropy_mean(&none, Target::Class(&[]), 3, None)
            .unwrap()
            .is_nan()
    );
    assert_eq!(rowwise::bce_with_logits(&none, &none, None), Ok(0.0));
}

// ---------- laws ----------

fn row_strategy() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-60.0f64..60.0, 1..40)
}

proptest! {
    #[test]
    fn softmax_rows_are_distributions(row in row_strategy()) {
        let cols = row.len();
        let mut p = vec![0.0f64; cols];
        rowwise::softmax(&row, &mut p, cols).unwrap();
        prop_assert!(p.iter().all(|v| (0.0..=1.0).contains(v)));
        prop_assert!(sum_f64(&p).add_f64(-1.0).hi.abs() <= f64::EPSILON);
        let row32: Vec<f32> = row.iter().map(|&x| x as f32).collect();
        let mut p32 = vec![0.0f32; cols];
        rowwise::softmax(&row32, &mut p32, cols).unwrap();
        prop_assert!(p32.iter().all(|v| (0.0..=1.0).contains(v)));
        prop_assert!((sum_f32(&p32) - 1.0).abs() <= f32::EPSILON as f64);
    }

    #[test]
    fn softmax_is_invariant_to_a_shift(row in row_strategy(), c in -60.0f64..60.0) {
        let cols = row.len();
        let shifted: Vec<f64> = row.iter().map(|x| x + c).collect();
        let (mut p, mut q) = (vec![0.0f64; cols], vec![0.0f64; cols]);
        rowwise::softmax(&row, &mut p, cols).unwrap();
        rowwise::softmax(&shifted, &mut q, cols).unwrap();
        // x + c is rounded (by up to 2⁻⁵³·120 ≈ 1.3e-14), which moves each p by that factor
        for (a, b) in p.iter().zip(&q) {
            prop_assert!((a - b).abs() <= 4e-14 * a.max(*b) + 1e-300, "{} vs {}", a, b);
        }
        // logsumexp moves by c, log_softmax not at all (up to the same rounding)
        let lse_shift = rowwise::logsumexp(&shifted) - rowwise::logsumexp(&row);
        prop_assert!((lse_shift - c).abs() <= 1e-12);
    }

    #[test]
    fn log_softmax_is_the_log_of_softmax(row in row_strategy()) {
        let cols = row.len();
        let (mut p, mut y) = (vec![0.0f64; cols], vec![0.0f64; cols]);
        rowwise::softmax(&row, &mut p, cols).unwrap();
        rowwise::log_softmax(&row, &mut y, cols).unwrap();
        for (&pi, &yi) in p.iter().zip(&y) {
            prop_assert!(yi <= 0.0);
            if pi > 1e-300 {
                prop_assert!((pi.ln() - yi).abs() <= 1e-13 * yi.abs().max(1.0));
            }
        }
    }
}
