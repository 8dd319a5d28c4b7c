//! Every derivative against a finite difference of its own forward function, in f64.
//!
//! The difference quotient is the central difference D(s) = (f(x + s) − f(x − s))/2s improved
//! by one Richardson step, R(s) = (4D(s/2) − D(s))/3 = f′(x) + O(s⁴), taken at s = h/2 with
//! h = 10⁻⁴·max(1, |x|) (capped at 10⁻³). Its two errors are
//! - truncation, about |f⁽⁵⁾|s⁴/480: below 10⁻¹⁵ relative for these functions on [−8, 8];
//!   where f′ itself is near 0 it is estimated as |R(h) − R(h/2)|, 15 times the error of R(h/2);
//! - rounding: each f64 value is within ~0.5 ULP, so R(h/2) is off by at most about
//!   (5/3)·ε·max|f|/(h/2), written here with margin as 16ε·max|f|/(h/2).
//!
//! The tolerance is 10⁻⁷|f′| plus those two terms. Measured, every correct derivative is within
//! 1/15 of it (most within 1/20); and it is tight enough that the forward function in place of
//! f′, a forgotten factor or term, a wrong branch and a derivative off by one part in a million
//! all fail (`the_checker_fails_on_wrong_derivatives`).
//!
//! Points within 4h of a kink or jump (or a jump of f″, which spoils the O(s⁴) error) are
//! skipped: the difference quotient straddles it there.

use act::Activation;

/// A deterministic generator (splitmix64), so that a failure names a reproducible x.
struct SplitMix(u64);

impl SplitMix {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [lo, hi).
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        lo + (hi - lo) * unit
    }
}

/// 300 random points in [−8, 8], the integers and half-integers there (where kinks of the
/// default parameters sit, so the skip rule is exercised), and a few large ones.
fn points() -> Vec<f64> {
    let mut rng = SplitMix(0x005e_ed0f_ac71_7a7e);
    let mut xs: Vec<f64> = (0..300).map(|_| rng.uniform(-8.0, 8.0)).collect();
    xs.extend((-16..=16).map(|k| k as f64 * 0.5));
    xs.extend([
        -100.0, -50.0, -30.0, -19.5, -12.25, 10.75, 15.0, 19.9, 20.5, 30.0, 50.0, 100.0,
    ]);
    xs
}

/// Where f or f′ is not smooth: kinks (f′ jumps), jumps of f, and jumps of f″ (which spoil the
/// O(h⁴) error of the Richardson step).
fn nonsmooth_points(a: Activation) -> Vec<f64> {
    match a {
        Activation::Relu
        | Activation::LeakyRelu { .. }
        | Activation::Prelu { .. }
        | Activation::Rrelu { .. }
        | Activation::Elu { .. }
        | Activation::Selu
        | Activation::Celu { .. }
        | Activation::SquaredRelu => vec![0.0],
        Activation::Hardtanh { min_val, max_val } => vec![min_val, max_val],
        Activation::Relu6 => vec![0.0, 6.0],
        Activation::Hardsigmoid | Activation::Hardswish => vec![-3.0, 3.0],
        Activation::Hardshrink { lambd } | Activation::Softshrink { lambd } => {
            vec![-lambd, lambd]
        }
        Activation::Threshold { threshold, .. } => vec![threshold],
        // x/(1 + |x|) is C¹ only: f″ jumps from 2 to −2 at 0.
        Activation::Softsign => vec![0.0],
        // PyTorch's softplus switches to x above βx = threshold (a jump of ln(1 + e^{−t})/β).
        Activation::Softplus { beta, threshold } => vec![threshold / beta],
        _ => vec![],
    }
}

/// The step at x.
fn step(x: f64) -> f64 {
    (1e-4 * x.abs().max(1.0)).min(1e-3)
}

/// One disagreement between a derivative and the difference quotient.
struct Mismatch {
    x: f64,
    derivative: f64,
    difference_quotient: f64,
    tolerance: f64,
}

impl core::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "x = {:e}: f′ = {:e}, difference quotient {:e} (tolerance {:e})",
            self.x, self.derivative, self.difference_quotient, self.tolerance
        )
    }
}

/// The Richardson difference quotient R(h) = (4D(h/2) − D(h))/3 from f at x ± h, x ± h/2.
fn richardson(f: &impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    let central = |s: f64| (f(x + s) - f(x - s)) / (2.0 * s);
    (4.0 * central(h / 2.0) - central(h)) / 3.0
}

/// The points of `xs` (away from `nonsmooth`) where `df` disagrees with the difference quotient
/// R(h/2) of `f` beyond the tolerance: 10⁻⁷|f′| + the rounding bound 16ε·max|f|/h + the
/// truncation estimate |R(h) − R(h/2)| (15 times the O(h⁴) error of R(h/2), which matters only
/// where f′ is itself near 0, e.g. tanhshrink′(0) = 0 against 3·10⁻¹⁸).
fn fd_mismatches(
    f: impl Fn(f64) -> f64,
    df: impl Fn(f64) -> f64,
    xs: &[f64],
    nonsmooth: &[f64],
) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for &x in xs {
        let h = step(x);
        if nonsmooth.iter().any(|k| (x - k).abs() <= 4.0 * h) {
            continue;
        }
        let coarse = richardson(&f, x, h);
        let fine = richardson(&f, x, h / 2.0);
        let largest = [x - h, x + h]
            .iter()
            .fold(0.0f64, |m, &t| m.max(f(t).abs()));
        let d = df(x);
        let tolerance =
            1e-7 * d.abs() + 16.0 * f64::EPSILON * largest / (h / 2.0) + (coarse - fine).abs();
        let within = (d - fine).abs() <= tolerance;
        // NaN on either side compares false: a mismatch.
        if !within {
            out.push(Mismatch {
                x,
                derivative: d,
                difference_quotient: fine,
                tolerance,
            });
        }
    }
    out
}

/// `fd_mismatches` for an activation's own forward and derivative.
fn check(a: Activation) -> Vec<String> {
    fd_mismatches(
        |x| a.forward(x),
        |x| a.derivative(x),
        &points(),
        &nonsmooth_points(a),
    )
    .into_iter()
    .map(|m| format!("{a}: {m}"))
    .collect()
}

#[test]
fn every_default_derivative_matches_finite_differences() {
    let failures: Vec<String> = act::ALL.into_iter().flat_map(check).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Parameter sets other than the defaults: each parameter enters the derivative differently
/// (a slope, a scale inside e^{x/α}, β inside σ(βx), the ends of an interval, a frequency).
fn non_default_parameters() -> Vec<Activation> {
    vec![
        Activation::LeakyRelu {
            negative_slope: 0.2,
        },
        Activation::Prelu { weight: -0.5 },
        Activation::Rrelu {
            lower: 0.1,
            upper: 0.3,
        },
        Activation::Elu { alpha: 0.5 },
        Activation::Elu { alpha: 2.0 },
        Activation::Celu { alpha: 0.5 },
        Activation::Celu { alpha: 3.0 },
        Activation::Swish { beta: 0.5 },
        Activation::Swish { beta: 2.5 },
        Activation::Softplus {
            beta: 2.0,
            threshold: 20.0,
        },
        Activation::Softplus {
            beta: 0.5,
            threshold: f64::INFINITY,
        },
        Activation::Hardtanh {
            min_val: -2.0,
            max_val: 3.0,
        },
        Activation::Hardshrink { lambd: 1.25 },
        Activation::Softshrink { lambd: 0.25 },
        Activation::Threshold {
            threshold: 1.0,
            value: -1.0,
        },
        Activation::Snake { alpha: 0.5 },
        Activation::Snake { alpha: 3.0 },
    ]
}

#[test]
fn non_default_parameters_match_finite_differences() {
    let failures: Vec<String> = non_default_parameters()
        .into_iter()
        .flat_map(check)
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_skip_rule_leaves_most_points_checked() {
    // A checker that skipped everything would pass everything: for each function at least 90%
    // of the points must be compared.
    let xs = points();
    for a in act::ALL.into_iter().chain(non_default_parameters()) {
        let nonsmooth = nonsmooth_points(a);
        let checked = xs
            .iter()
            .filter(|&&x| nonsmooth.iter().all(|k| (x - k).abs() > 4.0 * step(x)))
            .count();
        assert!(
            checked * 10 >= xs.len() * 9,
            "{a}: {checked} of {}",
            xs.len()
        );
    }
}

#[test]
fn the_checker_fails_on_wrong_derivatives() {
    let xs = points();
    let sigmoid = |x: f64| Activation::Sigmoid.forward(x);
    let tanh = |x: f64| Activation::Tanh.forward(x);
    let phi = |x: f64| (-x * x / 2.0).exp() / (2.0 * core::f64::consts::PI).sqrt();
    let elu2 = Activation::Elu { alpha: 2.0 };
    let softplus2 = Activation::Softplus {
        beta: 2.0,
        threshold: 20.0,
    };
    let snake3 = Activation::Snake { alpha: 3.0 };
    type Wrong = Box<dyn Fn(f64) -> f64>;
    let wrong: Vec<(&str, Activation, Wrong)> = vec![
        // The forward function in place of the derivative.
        (
            "forward as derivative",
            Activation::Gelu,
            Box::new(|x| Activation::Gelu.forward(x)),
        ),
        // tanh′ = 1 − tanh (square forgotten).
        (
            "1 − tanh",
            Activation::Tanh,
            Box::new(move |x| 1.0 - tanh(x)),
        ),
        // gelu′ = Φ (the xφ term forgotten).
        (
            "Φ without xφ",
            Activation::Gelu,
            Box::new(move |x| Activation::Gelu.derivative(x) - x * phi(x)),
        ),
        // silu′ = σ (the product rule forgotten).
        ("σ for silu′", Activation::Silu, Box::new(sigmoid)),
        // elu′ = e^x for α = 2 (α forgotten on the negative branch).
        (
            "e^x for elu_2′",
            elu2,
            Box::new(|x| if x > 0.0 { 1.0 } else { x.exp() }),
        ),
        // softplus_β′ = σ(x) instead of σ(βx).
        ("σ(x) for softplus_2′", softplus2, Box::new(sigmoid)),
        // snake_α′ = 1 + sin 2x instead of 1 + sin 2αx.
        ("1 + sin 2x", snake3, Box::new(|x| 1.0 + (2.0 * x).sin())),
        // A derivative off by one part in a million.
        (
            "mish′·(1 + 10⁻⁶)",
            Activation::Mish,
            Box::new(|x| Activation::Mish.derivative(x) * (1.0 + 1e-6)),
        ),
        // A derivative with a wrong branch at x > 0 only (right on half the line).
        (
            "selu′ = λα for x > 0",
            Activation::Selu,
            Box::new(|x| {
                if x > 0.0 {
                    1.7580993408473768
                } else {
                    Activation::Selu.derivative(x)
                }
            }),
        ),
    ];
    for (what, a, df) in wrong {
        let mismatches = fd_mismatches(|x| a.forward(x), df, &xs, &nonsmooth_points(a));
        assert!(
            mismatches.len() * 4 >= xs.len(),
            "{what} ({a}): only {} of {} points flagged",
            mismatches.len(),
            xs.len()
        );
    }
}

#[test]
fn the_checker_flags_nan() {
    let xs = [0.5, 1.5];
    let mismatches = fd_mismatches(|x| x * x, |_| f64::NAN, &xs, &[]);
    assert_eq!(mismatches.len(), 2);
    // And accepts the right answer, so the NaN is what failed.
    assert!(fd_mismatches(|x| x * x, |x| 2.0 * x, &xs, &[]).is_empty());
}
