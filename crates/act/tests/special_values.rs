//! Hostile inputs for every element-wise function, in f32 and f64: NaN, ±∞, the value and the
//! derivative at 0 and at every kink, huge finite inputs whose result is finite, results that
//! underflow into subnormals, subnormal inputs; and the framework bugs the catalogue exists to
//! avoid, as regression tests.
//!
//! Expected values come from the mathematics (limits, exact piecewise values), from mpmath (the
//! expression and precision are given above each such value), or, for the f32 regression sweeps, from the
//! double-double reference rounded once to f32 (`reference_forward(x as f64).to_f32()`), which
//! `tests/golden.rs` checks against mpmath.

use act::Activation;
use act::ulp::ulp_error_f32;

// λ and α of selu (Klambauer et al. 2017), to 32 digits; the literals round once to f64.
const SELU_LAMBDA: f64 = 1.0507009873554804934193349852946;
// λα = 1.7580993408473768599402175208123 (mpmath, 50 digits, product of the paper's constants).
const SELU_LAMBDA_ALPHA: f64 = 1.7580993408473768599402175208123;
// rrelu's evaluation slope (1/8 + 1/3)/2 = 11/48; the f64 sum 1/8 + fl(1/3) and the halving are
// exact, so this is the value the catalogue holds.
const RRELU_SLOPE: f64 = (1.0 / 8.0 + 1.0 / 3.0) / 2.0;

/// Equal as numbers, with NaN equal to NaN (0 and −0 are equal: the sign of a zero limit is not
/// part of the contract).
fn same(got: f64, expected: f64) -> bool {
    (got.is_nan() && expected.is_nan()) || got == expected
}

/// f and f′ in both precisions, as f64 (f32 widening is exact).
fn forward_both(a: Activation, x: f64) -> (f64, f64) {
    (a.forward(x), a.forward(x as f32) as f64)
}

fn derivative_both(a: Activation, x: f64) -> (f64, f64) {
    (a.derivative(x), a.derivative(x as f32) as f64)
}

/// The f32 result the exact value rounds to: the double-double reference, rounded once.
fn correctly_rounded_forward_f32(a: Activation, x: f32) -> f32 {
    a.reference_forward(x as f64).to_f32()
}

fn correctly_rounded_derivative_f32(a: Activation, x: f32) -> f32 {
    a.reference_derivative(x as f64).to_f32()
}

// ---------------------------------------------------------------------------------------------
// NaN

#[test]
fn nan_gives_nan_for_every_function_forward_and_derivative() {
    let mut failures = Vec::new();
    for a in act::ALL {
        for nan in [f64::NAN, -f64::NAN] {
            let (f64_fwd, f32_fwd) = forward_both(a, nan);
            let (f64_der, f32_der) = derivative_both(a, nan);
            for (what, v) in [
                ("f64 forward", f64_fwd),
                ("f32 forward", f32_fwd),
                ("f64 derivative", f64_der),
                ("f32 derivative", f32_der),
            ] {
                if !v.is_nan() {
                    failures.push(format!("{} {what}({nan}) = {v}, expected NaN", a.name()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn relu_derivative_of_nan_is_nan() {
    // PyTorch's relu backward is (x > 0)·g, which turns NaN into 0 and hides it; here the
    // derivative itself propagates it.
    assert!(Activation::Relu.derivative(f32::NAN).is_nan());
    assert!(Activation::Relu.derivative(f64::NAN).is_nan());
    assert!(Activation::Relu.forward(f32::NAN).is_nan());
}

// ---------------------------------------------------------------------------------------------
// ±∞

/// One row of the limit table: f(−∞), f(+∞), f′(−∞), f′(+∞).
struct Limits {
    name: &'static str,
    at_neg_inf: f64,
    at_pos_inf: f64,
    derivative_at_neg_inf: f64,
    derivative_at_pos_inf: f64,
}

const INF: f64 = f64::INFINITY;

const fn limits(name: &'static str, f: [f64; 2], df: [f64; 2]) -> Limits {
    Limits {
        name,
        at_neg_inf: f[0],
        at_pos_inf: f[1],
        derivative_at_neg_inf: df[0],
        derivative_at_pos_inf: df[1],
    }
}

/// The limits of every default activation at ±∞ (mathematics, not measurement).
const LIMITS: [Limits; 28] = [
    limits("identity", [-INF, INF], [1.0, 1.0]),
    limits("sigmoid", [0.0, 1.0], [0.0, 0.0]),
    limits("tanh", [-1.0, 1.0], [0.0, 0.0]),
    limits("relu", [0.0, INF], [0.0, 1.0]),
    limits("leaky_relu", [-INF, INF], [0.01, 1.0]),
    limits("prelu", [-INF, INF], [0.25, 1.0]),
    limits("rrelu", [-INF, INF], [RRELU_SLOPE, 1.0]),
    // α(e^x − 1) → −α, αe^x → 0.
    limits("elu", [-1.0, INF], [0.0, 1.0]),
    limits("selu", [-SELU_LAMBDA_ALPHA, INF], [0.0, SELU_LAMBDA]),
    limits("celu", [-1.0, INF], [0.0, 1.0]),
    // xΦ(x) → 0 (Φ decays like φ(x)/|x|), Φ + xφ → 0 and 1.
    limits("gelu", [0.0, INF], [0.0, 1.0]),
    limits("gelu_tanh", [0.0, INF], [0.0, 1.0]),
    limits("silu", [0.0, INF], [0.0, 1.0]),
    limits("swish", [0.0, INF], [0.0, 1.0]),
    limits("mish", [0.0, INF], [0.0, 1.0]),
    limits("softplus", [0.0, INF], [0.0, 1.0]),
    limits("softsign", [-1.0, 1.0], [0.0, 0.0]),
    limits("hardsigmoid", [0.0, 1.0], [0.0, 0.0]),
    limits("hardswish", [0.0, INF], [0.0, 1.0]),
    limits("hardtanh", [-1.0, 1.0], [0.0, 0.0]),
    limits("relu6", [0.0, 6.0], [0.0, 0.0]),
    // ln σ(x) ~ x at −∞ and → 0 at +∞; its derivative σ(−x) → 1 and 0.
    limits("logsigmoid", [-INF, 0.0], [1.0, 0.0]),
    // x − tanh x ~ x; (tanh x)² → 1.
    limits("tanhshrink", [-INF, INF], [1.0, 1.0]),
    limits("hardshrink", [-INF, INF], [1.0, 1.0]),
    limits("softshrink", [-INF, INF], [1.0, 1.0]),
    limits("threshold", [0.0, INF], [0.0, 1.0]),
    limits("squared_relu", [0.0, INF], [0.0, INF]),
    // x + sin²(x) ~ x; 1 + sin 2x oscillates in [0, 2] for ever: the limit does not exist, and
    // the catalogue documents NaN for it.
    limits("snake", [-INF, INF], [f64::NAN, f64::NAN]),
];

#[test]
fn the_limit_table_covers_every_function_in_catalogue_order() {
    let names: Vec<&str> = LIMITS.iter().map(|l| l.name).collect();
    let catalogue: Vec<&str> = act::ALL.iter().map(|a| a.name()).collect();
    assert_eq!(names, catalogue);
}

#[test]
fn infinities_give_the_limits_in_both_precisions() {
    let mut failures = Vec::new();
    for (a, l) in act::ALL.into_iter().zip(&LIMITS) {
        let cases = [
            ("f", -INF, l.at_neg_inf, forward_both(a, -INF)),
            ("f", INF, l.at_pos_inf, forward_both(a, INF)),
            (
                "f′",
                -INF,
                l.derivative_at_neg_inf,
                derivative_both(a, -INF),
            ),
            ("f′", INF, l.derivative_at_pos_inf, derivative_both(a, INF)),
        ];
        for (what, x, expected, (got64, got32)) in cases {
            // The f32 limit is the f64 limit rounded once (λα and 11/48 are not f32 numbers).
            for (precision, got, expected) in [
                ("f64", got64, expected),
                ("f32", got32, expected as f32 as f64),
            ] {
                if !same(got, expected) {
                    failures.push(format!(
                        "{} {precision} {what}({x}) = {got}, expected {expected}",
                        l.name
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn infinities_give_the_limits_for_non_default_parameters() {
    // (function, f(−∞), f(+∞), f′(−∞), f′(+∞)): the parameter moves the limit.
    let rows = [
        (
            Activation::LeakyRelu {
                negative_slope: 0.2,
            },
            -INF,
            INF,
            0.2,
            1.0,
        ),
        // A negative slope turns the left tail upward.
        (Activation::Prelu { weight: -0.5 }, INF, INF, -0.5, 1.0),
        (Activation::Prelu { weight: 0.0 }, 0.0, INF, 0.0, 1.0),
        (Activation::Elu { alpha: 0.5 }, -0.5, INF, 0.0, 1.0),
        (Activation::Celu { alpha: 2.0 }, -2.0, INF, 0.0, 1.0),
        (Activation::Swish { beta: 2.0 }, 0.0, INF, 0.0, 1.0),
        (
            Activation::Softplus {
                beta: 0.5,
                threshold: INF,
            },
            0.0,
            INF,
            0.0,
            1.0,
        ),
        (
            Activation::Hardtanh {
                min_val: -2.0,
                max_val: 3.0,
            },
            -2.0,
            3.0,
            0.0,
            0.0,
        ),
        (
            Activation::Threshold {
                threshold: 1.0,
                value: -1.0,
            },
            -1.0,
            INF,
            0.0,
            1.0,
        ),
        (
            Activation::Snake { alpha: 3.0 },
            -INF,
            INF,
            f64::NAN,
            f64::NAN,
        ),
    ];
    let mut failures = Vec::new();
    for (a, f_neg, f_pos, df_neg, df_pos) in rows {
        for (what, x, expected, (got64, got32)) in [
            ("f", -INF, f_neg, forward_both(a, -INF)),
            ("f", INF, f_pos, forward_both(a, INF)),
            ("f′", -INF, df_neg, derivative_both(a, -INF)),
            ("f′", INF, df_pos, derivative_both(a, INF)),
        ] {
            if !same(got64, expected) || !same(got32, expected as f32 as f64) {
                failures.push(format!(
                    "{a} {what}({x}) = {got64} (f64), {got32} (f32), expected {expected}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn limits_at_infinity_are_approached_by_large_finite_inputs() {
    // The table above is not just a special case in the code: at x = ±1e30 the finite result
    // has reached the limit's f64 value, or (for unbounded limits) has its sign and size.
    for (a, l) in act::ALL.into_iter().zip(&LIMITS) {
        for (x, limit) in [(-1e30f64, l.at_neg_inf), (1e30, l.at_pos_inf)] {
            let y = a.forward(x);
            if limit.is_infinite() {
                // The slowest growth is leaky_relu's 0.01x.
                assert!(
                    y.signum() == limit.signum() && y.abs() >= 1e27,
                    "{}({x}) = {y}, limit {limit}",
                    l.name
                );
            } else {
                assert_eq!(y, limit, "{}({x})", l.name);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 0 and the kinks

/// f(0) and f′(0) of every default activation (exact values rounded once to f64).
const AT_ZERO: [(&str, f64, f64); 28] = [
    ("identity", 0.0, 1.0),
    ("sigmoid", 0.5, 0.25),
    ("tanh", 0.0, 1.0),
    // relu′(0) = 0: PyTorch's subgradient.
    ("relu", 0.0, 0.0),
    // The relu family takes the negative slope at 0.
    ("leaky_relu", 0.0, 0.01),
    ("prelu", 0.0, 0.25),
    ("rrelu", 0.0, RRELU_SLOPE),
    // elu′(0) = α (both sides agree when α = 1; see the α = 0.5 test below).
    ("elu", 0.0, 1.0),
    // selu′(0) = λα, the left derivative (the right one is λ).
    ("selu", 0.0, SELU_LAMBDA_ALPHA),
    ("celu", 0.0, 1.0),
    // Φ(0) = 1/2.
    ("gelu", 0.0, 0.5),
    ("gelu_tanh", 0.0, 0.5),
    ("silu", 0.0, 0.5),
    ("swish", 0.0, 0.5),
    // tanh(ln 2) = 3/5.
    ("mish", 0.0, 0.6),
    ("softplus", core::f64::consts::LN_2, 0.5),
    ("softsign", 0.0, 1.0),
    ("hardsigmoid", 0.5, 1.0 / 6.0),
    ("hardswish", 0.0, 0.5),
    ("hardtanh", 0.0, 1.0),
    // relu6′(0) = 0, as relu′(0).
    ("relu6", 0.0, 0.0),
    ("logsigmoid", -core::f64::consts::LN_2, 0.5),
    ("tanhshrink", 0.0, 0.0),
    ("hardshrink", 0.0, 0.0),
    ("softshrink", 0.0, 0.0),
    ("threshold", 0.0, 0.0),
    ("squared_relu", 0.0, 0.0),
    ("snake", 0.0, 1.0),
];

#[test]
fn values_and_derivatives_at_zero_and_negative_zero() {
    let names: Vec<&str> = AT_ZERO.iter().map(|r| r.0).collect();
    let catalogue: Vec<&str> = act::ALL.iter().map(|a| a.name()).collect();
    assert_eq!(names, catalogue);
    let mut failures = Vec::new();
    for (a, &(name, f0, df0)) in act::ALL.into_iter().zip(&AT_ZERO) {
        for zero in [0.0, -0.0] {
            let checks = [
                ("f64 f", a.forward(zero), f0),
                ("f32 f", a.forward(zero as f32) as f64, f0 as f32 as f64),
                ("f64 f′", a.derivative(zero), df0),
                (
                    "f32 f′",
                    a.derivative(zero as f32) as f64,
                    df0 as f32 as f64,
                ),
            ];
            for (what, got, expected) in checks {
                if got != expected {
                    failures.push(format!(
                        "{name} {what}({zero:?}) = {got:e}, expected {expected:e}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The odd functions that pass x through near 0, where f(−0) = −0 is the IEEE 754 convention
/// (tanh(±0) = ±0 in C's Annex F and every libm), so the sign survives a forward pass.
fn odd_through_zero() -> [Activation; 4] {
    [
        Activation::Tanh,
        Activation::Softsign,
        Activation::Identity,
        act::ALL[19], // hardtanh(−1, 1)
    ]
}

#[test]
fn odd_functions_keep_the_sign_of_zero_in_f64() {
    for a in odd_through_zero() {
        assert!(a.forward(-0.0f64).is_sign_negative(), "{}", a.name());
        assert!(a.forward(0.0f64).is_sign_positive(), "{}", a.name());
    }
}

#[test]

fn odd_functions_keep_the_sign_of_zero_in_f32() {
    for a in odd_through_zero() {
        assert!(a.forward(-0.0f32).is_sign_negative(), "{}", a.name());
        assert!(a.forward(0.0f32).is_sign_positive(), "{}", a.name());
    }
}

#[test]
fn f32_zero_results_are_the_f64_results_rounded() {
    // One source of truth: an f32 result is the exact value rounded once, and at ±0 the f64
    // result is exact, so the two must agree bit for bit, sign of zero included.
    let mut failures = Vec::new();
    for a in act::ALL {
        for zero in [0.0f64, -0.0] {
            for (what, got32, got64) in [
                ("f", a.forward(zero as f32), a.forward(zero)),
                ("f′", a.derivative(zero as f32), a.derivative(zero)),
            ] {
                if got32.to_bits() != (got64 as f32).to_bits() {
                    failures.push(format!(
                        "{} {what}({zero:?}): f32 {got32:?}, f64 {got64:?}",
                        a.name()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// (function, x, f(x), f′(x)) at the kinks and at the edges of the flat pieces, with the
/// catalogue's documented convention for f′ there (PyTorch's).
fn kink_table() -> Vec<(Activation, f64, f64, f64)> {
    let hardtanh = Activation::Hardtanh {
        min_val: -1.0,
        max_val: 1.0,
    };
    let hardshrink = Activation::Hardshrink { lambd: 0.5 };
    let softshrink = Activation::Softshrink { lambd: 0.5 };
    vec![
        // elu′(0) = α takes the negative branch: visible only when α ≠ 1.
        (Activation::Elu { alpha: 0.5 }, 0.0, 0.0, 0.5),
        (Activation::Elu { alpha: 2.0 }, -0.0, 0.0, 2.0),
        // celu′(0) = 1 for every α (celu is C¹).
        (Activation::Celu { alpha: 2.0 }, 0.0, 0.0, 1.0),
        (Activation::Celu { alpha: 0.5 }, 0.0, 0.0, 1.0),
        (
            Activation::LeakyRelu {
                negative_slope: 0.2,
            },
            0.0,
            0.0,
            0.2,
        ),
        // hardsigmoid′ = 1/6 only on the open interval (−3, 3).
        (Activation::Hardsigmoid, -3.0, 0.0, 0.0),
        (Activation::Hardsigmoid, 3.0, 1.0, 0.0),
        // hardswish′ = x/3 + 1/2 on the closed interval [−3, 3]: −1/2 at −3, 3/2 at 3.
        (Activation::Hardswish, -3.0, 0.0, -0.5),
        (Activation::Hardswish, 3.0, 3.0, 1.5),
        // Its minimum: x = −3/2, f = −3/8, f′ = 0.
        (Activation::Hardswish, -1.5, -0.375, 0.0),
        // hardtanh′ = 1 only strictly inside (−1, 1).
        (hardtanh, -1.0, -1.0, 0.0),
        (hardtanh, 1.0, 1.0, 0.0),
        (Activation::Relu6, 6.0, 6.0, 0.0),
        // The shrink operators are 0 on [−λ, λ], ends included, with derivative 0 there.
        (hardshrink, -0.5, 0.0, 0.0),
        (hardshrink, 0.5, 0.0, 0.0),
        (softshrink, -0.5, 0.0, 0.0),
        (softshrink, 0.5, 0.0, 0.0),
        // threshold(1, −1): x > 1 passes, x = 1 takes the value.
        (
            Activation::Threshold {
                threshold: 1.0,
                value: -1.0,
            },
            1.0,
            -1.0,
            0.0,
        ),
    ]
}

#[test]
fn kinks_follow_the_documented_convention() {
    let mut failures = Vec::new();
    for (a, x, f, df) in kink_table() {
        let (f64_fwd, f32_fwd) = forward_both(a, x);
        let (f64_der, f32_der) = derivative_both(a, x);
        for (what, got, expected) in [
            ("f64 f", f64_fwd, f),
            ("f32 f", f32_fwd, f),
            ("f64 f′", f64_der, df),
            ("f32 f′", f32_der, df as f32 as f64),
        ] {
            if got != expected {
                failures.push(format!("{a} {what}({x}) = {got}, expected {expected}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn just_past_each_kink_the_other_branch_applies() {
    // The kink tests above would also pass if the convention were applied on a whole
    // neighbourhood; one ULP away the other branch must take over.
    let up = |x: f64| {
        f64::from_bits(if x >= 0.0 {
            x.to_bits() + 1
        } else {
            x.to_bits() - 1
        })
    };
    let down = |x: f64| -up(-x);
    assert_eq!(Activation::Relu.derivative(f64::from_bits(1)), 1.0);
    assert_eq!(Activation::Relu.derivative(f32::from_bits(1)), 1.0);
    assert_eq!(
        Activation::Elu { alpha: 0.5 }.derivative(f64::from_bits(1)),
        1.0
    );
    assert_eq!(Activation::Selu.derivative(f64::from_bits(1)), SELU_LAMBDA);
    assert_eq!(Activation::Hardsigmoid.derivative(down(3.0)), 1.0 / 6.0);
    assert_eq!(Activation::Hardsigmoid.derivative(up(-3.0)), 1.0 / 6.0);
    assert_eq!(Activation::Hardswish.derivative(up(3.0)), 1.0);
    assert_eq!(Activation::Hardswish.derivative(down(-3.0)), 0.0);
    assert_eq!(Activation::Relu6.derivative(down(6.0)), 1.0);
    assert_eq!(Activation::Relu6.derivative(up(0.0)), 1.0);
    let hardshrink = Activation::Hardshrink { lambd: 0.5 };
    assert_eq!(hardshrink.forward(up(0.5)), up(0.5));
    assert_eq!(hardshrink.derivative(down(-0.5)), 1.0);
    let softshrink = Activation::Softshrink { lambd: 0.5 };
    // x − λ for the next double above 0.5 is exactly one ULP of 0.5.
    assert_eq!(softshrink.forward(up(0.5)), up(0.5) - 0.5);
    assert_eq!(softshrink.derivative(up(0.5)), 1.0);
}

// ---------------------------------------------------------------------------------------------
// Huge finite inputs: no intermediate overflow where the result is finite

#[test]
fn huge_inputs_do_not_overflow_where_the_result_is_finite() {
    // gelu(x) = xΦ(x) and Φ(2e38) rounds to 1: x·(1 + erf) must not be formed as 2x/2.
    assert_eq!(Activation::Gelu.forward(2e38f32), 2e38);
    assert_eq!(Activation::Gelu.forward(f32::MAX), f32::MAX);
    assert_eq!(Activation::Gelu.forward(f64::MAX), f64::MAX);
    assert_eq!(Activation::GeluTanh.forward(f32::MAX), f32::MAX);
    // GeluTanh's u = √(2/π)(x + 0.044715x³) overflows long before x does.
    assert_eq!(Activation::GeluTanh.forward(1e300f64), 1e300);
    // hardswish: x(x + 3)/6 is never formed above 3.
    assert_eq!(Activation::Hardswish.forward(6e37f32), 6e37);
    assert_eq!(Activation::Hardswish.forward(f64::MAX), f64::MAX);
    assert_eq!(
        Activation::from_name("softplus").unwrap().forward(1e38f32),
        1e38
    );
    // The smooth softplus (threshold ∞) too: max(x, 0) + log1p(e^{−|x|}).
    let smooth_softplus = Activation::Softplus {
        beta: 1.0,
        threshold: f64::INFINITY,
    };
    assert_eq!(smooth_softplus.forward(1e38f32), 1e38);
    assert_eq!(smooth_softplus.forward(f64::MAX), f64::MAX);
    assert_eq!(Activation::Silu.forward(3e38f32), 3e38);
    assert_eq!(Activation::Silu.forward(f64::MAX), f64::MAX);
    assert_eq!(Activation::Mish.forward(3e38f32), 3e38);
    assert_eq!(Activation::Mish.forward(f64::MAX), f64::MAX);
    assert_eq!(Activation::Elu { alpha: 1.0 }.forward(1e308f64), 1e308);
    assert_eq!(Activation::Tanhshrink.forward(f32::MAX), f32::MAX);
    assert_eq!(Activation::Tanhshrink.forward(f64::MAX), f64::MAX);
    assert_eq!(Activation::Logsigmoid.forward(-f32::MAX), -f32::MAX);
    assert_eq!(Activation::Logsigmoid.forward(-f64::MAX), -f64::MAX);
    assert_eq!(Activation::Snake { alpha: 1.0 }.forward(f32::MAX), f32::MAX);
    assert_eq!(Activation::Snake { alpha: 3.0 }.forward(f64::MAX), f64::MAX);
    // softsign(MAX) = 1 − 1/(1 + MAX): 1 − 3e-39 rounds to 1 (ulp below 1 is 6e-8), as the
    // reference says.
    let s = Activation::Softsign.forward(f32::MAX);
    assert_eq!(
        s,
        correctly_rounded_forward_f32(Activation::Softsign, f32::MAX)
    );
    assert_eq!(s, 1.0);
    assert_eq!(Activation::Softsign.forward(f64::MAX), 1.0);
    assert_eq!(Activation::Softsign.forward(-f64::MAX), -1.0);
    // Derivatives that are bounded stay finite at the top of the range.
    assert_eq!(Activation::Gelu.derivative(f64::MAX), 1.0);
    assert_eq!(Activation::Silu.derivative(f32::MAX), 1.0);
    assert_eq!(Activation::Mish.derivative(f64::MAX), 1.0);
    assert_eq!(Activation::Tanhshrink.derivative(f64::MAX), 1.0);
    assert_eq!(Activation::Sigmoid.derivative(f64::MAX), 0.0);
    assert_eq!(Activation::Softsign.derivative(f64::MAX), 0.0);
}

#[test]
fn overflow_happens_exactly_where_the_exact_value_exceeds_the_range() {
    // selu(x) = λx with λ = 1.0507 > 1: λ·f32::MAX = 3.575e38 lies beyond f32::MAX + ulp/2, so
    // the correctly rounded result is +∞ (as the reference agrees).
    assert_eq!(Activation::Selu.forward(f32::MAX), f32::INFINITY);
    assert_eq!(
        correctly_rounded_forward_f32(Activation::Selu, f32::MAX),
        f32::INFINITY
    );
    assert_eq!(Activation::Selu.forward(f64::MAX), f64::INFINITY);
    // Just below MAX/λ the product is finite (and exact to 1 ULP).
    let x = 3.2e38f32;
    let y = Activation::Selu.forward(x);
    assert!(y.is_finite() && ulp_error_f32(y, Activation::Selu.reference_forward(x as f64)) <= 1.0);
    // mpmath: λ·1e308 = 1.0507009873554806e308 (rounded once; λ rounded to f64 first would give
    // …804e308).
    assert_eq!(Activation::Selu.forward(1e308f64), 1.0507009873554806e308);
    // squared_relu: (1e20)² = 1e40 > f32::MAX, (1e19)² = 1e38 < f32::MAX.
    assert_eq!(Activation::SquaredRelu.forward(1e20f32), f32::INFINITY);
    assert_eq!(Activation::SquaredRelu.forward(1e19f32), 1e38);
    assert_eq!(Activation::SquaredRelu.forward(1e200f64), f64::INFINITY);
    assert_eq!(Activation::SquaredRelu.derivative(f64::MAX), f64::INFINITY);
}

// ---------------------------------------------------------------------------------------------
// Results in the subnormal range

/// A subnormal f32 of `units` × 2⁻¹⁴⁹, with the sign of `units`.
fn f32_subnormal(units: i32) -> f32 {
    let m = f32::from_bits(units.unsigned_abs());
    if units < 0 { -m } else { m }
}

/// A subnormal f64 of `units` × 2⁻¹⁰⁷⁴, with the sign of `units`.
fn f64_subnormal(units: i64) -> f64 {
    let m = f64::from_bits(units.unsigned_abs());
    if units < 0 { -m } else { m }
}

#[test]
fn f32_results_underflow_into_subnormals_as_the_maths_does() {
    let sigmoid = Activation::Sigmoid;
    let softplus = Activation::from_name("softplus").unwrap();
    // mpmath (prec 300): 1/(1 + e^100)/2^-149 = 26.547 → 27 units = 3.78e-44.
    let cases: [(&str, Activation, bool, f32, f32); 8] = [
        ("σ", sigmoid, false, -100.0, f32_subnormal(27)),
        // mpmath: log1p(e^-100)/2^-149 = 26.547.
        ("softplus", softplus, false, -100.0, f32_subnormal(27)),
        // mpmath: -100·σ(-100)/2^-149 = -2654.73.
        (
            "silu",
            Activation::Silu,
            false,
            -100.0,
            f32_subnormal(-2655),
        ),
        // mpmath: -100·tanh(log1p(e^-100))/2^-149 = -2654.73.
        (
            "mish",
            Activation::Mish,
            false,
            -100.0,
            f32_subnormal(-2655),
        ),
        // mpmath: x·erfc(-x/√2)/2 at x = f32(-13.3) = -13.300000190734863: -1098452.97 units.
        (
            "gelu",
            Activation::Gelu,
            false,
            -13.3,
            f32_subnormal(-1098453),
        ),
        // σ′(−100) = σ(−100)σ(100) = 26.547 units.
        ("σ′", sigmoid, true, -100.0, f32_subnormal(27)),
        // logsigmoid′(100) = σ(−100).
        (
            "logsigmoid′",
            Activation::Logsigmoid,
            true,
            100.0,
            f32_subnormal(27),
        ),
        // elu′(−100) = e^{−100}.
        (
            "elu′",
            Activation::Elu { alpha: 1.0 },
            true,
            -100.0,
            f32_subnormal(27),
        ),
    ];
    for (what, a, derivative, x, expected) in cases {
        let got = if derivative {
            a.derivative(x)
        } else {
            a.forward(x)
        };
        assert!(expected.is_subnormal(), "{what}: the expectation itself");
        assert_eq!(
            got, expected,
            "{what}({x}): got {got:e}, expected {expected:e}"
        );
        let reference = if derivative {
            correctly_rounded_derivative_f32(a, x)
        } else {
            correctly_rounded_forward_f32(a, x)
        };
        assert_eq!(reference, expected, "{what}({x}): the reference");
    }
}

#[test]
fn f64_results_underflow_into_subnormals_as_the_maths_does() {
    let softplus = Activation::from_name("softplus").unwrap();
    // mpmath (prec 300), in units of 2^-1074: σ(−740) = 85, log1p(e^−740) = 85,
    // −740·σ(−740) = −62738, e^−740 = 85, −38.5·Φ(−38.5) = −11, −38·Φ(−38) = −2219265367.
    let cases: [(&str, Activation, bool, f64, f64); 7] = [
        ("σ", Activation::Sigmoid, false, -740.0, f64_subnormal(85)),
        ("softplus", softplus, false, -740.0, f64_subnormal(85)),
        (
            "silu",
            Activation::Silu,
            false,
            -740.0,
            f64_subnormal(-62738),
        ),
        ("gelu", Activation::Gelu, false, -38.5, f64_subnormal(-11)),
        (
            "gelu",
            Activation::Gelu,
            false,
            -38.0,
            f64_subnormal(-2219265367),
        ),
        (
            "elu′",
            Activation::Elu { alpha: 1.0 },
            true,
            -740.0,
            f64_subnormal(85),
        ),
        ("σ′", Activation::Sigmoid, true, -740.0, f64_subnormal(85)),
    ];
    for (what, a, derivative, x, expected) in cases {
        let got = if derivative {
            a.derivative(x)
        } else {
            a.forward(x)
        };
        assert!(expected.is_subnormal(), "{what}: the expectation itself");
        assert_eq!(
            got, expected,
            "{what}({x}): got {got:e}, expected {expected:e}"
        );
    }
    // Past the subnormals the result is 0, not a NaN from 0·∞ or ∞/∞.
    assert_eq!(Activation::Sigmoid.forward(-800.0f64), 0.0);
    assert_eq!(Activation::Silu.forward(-800.0f64), 0.0);
    assert_eq!(Activation::Gelu.forward(-40.0f64), 0.0);
    assert_eq!(Activation::Mish.forward(-800.0f64), 0.0);
}

// ---------------------------------------------------------------------------------------------
// Tiny inputs

#[test]
fn tiny_inputs_keep_their_leading_taylor_term() {
    let min32 = f32::from_bits(1); // 2^-149 ≈ 1.4e-45, what the literal 1e-45f32 means
    let min64 = f64::from_bits(1); // 2^-1074 ≈ 4.9e-324, the literal 5e-324
    assert_eq!(1e-45f32, min32);
    assert_eq!(5e-324f64, min64);
    // tanh x = x − x³/3: rounds to x.
    assert_eq!(Activation::Tanh.forward(min32), min32);
    assert_eq!(Activation::Tanh.forward(min64), min64);
    // gelu x = x/2 + x²φ(0) + …: x/2 of the smallest subnormal is a tie between 0 and min,
    // broken upward by the positive x² term. Likewise silu (x/2 + x²/4) and hardswish
    // (x/2 + x²/6).
    for a in [
        Activation::Gelu,
        Activation::GeluTanh,
        Activation::Silu,
        Activation::Hardswish,
    ] {
        assert_eq!(a.forward(min32), min32, "{}", a.name());
        assert_eq!(a.forward(min64), min64, "{}", a.name());
        // On the negative side x² pulls −x/2 toward 0: the result rounds to (negative) zero.
        assert_eq!(a.forward(-min32), 0.0, "{}", a.name());
        assert_eq!(a.forward(-min64), 0.0, "{}", a.name());
    }
    // mish x = (3/5)x + …: 0.6 units rounds to 1 unit.
    assert_eq!(Activation::Mish.forward(min32), min32);
    assert_eq!(Activation::Mish.forward(-min64), -min64);
    // elu x = x + x²/2 (x < 0), selu = λα(x + …) = 1.758 units → 2.
    assert_eq!(Activation::Elu { alpha: 1.0 }.forward(-min64), -min64);
    assert_eq!(Activation::Selu.forward(-min64), -f64::from_bits(2));
    assert_eq!(Activation::Selu.forward(-min32), -f32::from_bits(2));
    // σ(x) = 1/2 + x/4: the x/4 is far below half an ULP of 1/2.
    assert_eq!(Activation::Sigmoid.forward(min64), 0.5);
    assert_eq!(Activation::Sigmoid.forward(min32), 0.5);
    assert_eq!(Activation::Sigmoid.derivative(min64), 0.25);
    // softsign x = x − x|x|.
    assert_eq!(Activation::Softsign.forward(min64), min64);
    assert_eq!(Activation::Softsign.forward(-min64), -min64);
    assert_eq!(Activation::Softsign.forward(min32), min32);
    assert_eq!(Activation::Snake { alpha: 1.0 }.forward(min64), min64);
    // softplus 0⁺ = ln 2, logsigmoid = −ln 2.
    assert_eq!(
        Activation::from_name("softplus").unwrap().forward(min64),
        core::f64::consts::LN_2
    );
    assert_eq!(
        Activation::Logsigmoid.forward(min64),
        -core::f64::consts::LN_2
    );
    // tanhshrink′ = tanh² x = x²: 0 for a subnormal x (never negative), and the subnormal
    // 1e-40 for x = 1e-20 in f32 (1 − tanh² or a cancelling series would lose it).
    assert_eq!(Activation::Tanhshrink.derivative(min64), 0.0);
    assert_eq!(Activation::Tanhshrink.derivative(1e-20f32), 1e-40);
    assert!(Activation::Tanhshrink.derivative(1e-20f32).is_subnormal());
    let d = Activation::Tanhshrink.derivative(1e-20f64);
    assert!((d / 1e-40 - 1.0).abs() < 1e-15, "{d:e}");
}

#[test]
fn relu_family_at_negative_zero_is_zero() {
    // max(−0, 0) may be either zero (IEEE leaves max(−0, +0) open); both compare equal to 0.
    for a in [
        Activation::Relu,
        Activation::Relu6,
        act::ALL[25], // threshold(0, 0)
        Activation::SquaredRelu,
        Activation::Hardswish,
    ] {
        assert_eq!(a.forward(-0.0f32), 0.0, "{}", a.name());
        assert_eq!(a.forward(-0.0f64), 0.0, "{}", a.name());
    }
}

// ---------------------------------------------------------------------------------------------
// Regression tests: the framework bugs in the issue

/// Every `stride`-th f32 in [lo, hi] (lo < hi, same sign).
fn f32_range(lo: f32, hi: f32, stride: u32) -> impl Iterator<Item = f32> {
    let (a, b) = if lo < 0.0 {
        ((-hi).to_bits(), (-lo).to_bits())
    } else {
        (lo.to_bits(), hi.to_bits())
    };
    let negative = lo < 0.0;
    (a..=b).step_by(stride as usize).map(move |bits| {
        if negative {
            -f32::from_bits(bits)
        } else {
            f32::from_bits(bits)
        }
    })
}

/// Forward (or derivative) over an f32 range against the reference rounded once, within
/// `bound_ulp` (1 for forward, 2 for derivative: the catalogue's documented f32 bounds) and with
/// the sign of the exact value: a result may underflow to 0 only where the exact value rounds to
/// 0.
fn sweep_against_reference(
    a: Activation,
    derivative: bool,
    lo: f32,
    hi: f32,
    stride: u32,
) -> Vec<String> {
    let mut failures = Vec::new();
    for x in f32_range(lo, hi, stride) {
        let (got, exact) = if derivative {
            (a.derivative(x), a.reference_derivative(x as f64))
        } else {
            (a.forward(x), a.reference_forward(x as f64))
        };
        let bound = if derivative { 2.0 } else { 1.0 };
        let err = ulp_error_f32(got, exact);
        let rounded = exact.to_f32();
        let sign_ok = rounded == 0.0 || (got != 0.0 && got.signum() == rounded.signum());
        if err > bound || !sign_ok {
            failures.push(format!(
                "{a} {}({x:e}) = {got:e}, exact {:e} ({err:.2} ULP)",
                if derivative { "f′" } else { "f" },
                exact.hi
            ));
        }
    }
    failures
}

#[test]
fn sigmoid_near_minus_89_in_f32_is_exact() {
    // σ(x) for x ≈ −87.3 … −103 is an f32 subnormal; implementations computing
    // 1/(1 + e^{−x}) in f32 get ∞ in the denominator (e^{89} > f32::MAX) and return 0.
    let failures = sweep_against_reference(Activation::Sigmoid, false, -104.0, -86.0, 13);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for x in [-88.0f32, -88.7, -89.0, -89.5, -95.0, -103.0] {
        let y = Activation::Sigmoid.forward(x);
        assert_eq!(
            y,
            correctly_rounded_forward_f32(Activation::Sigmoid, x),
            "σ({x})"
        );
        assert!(y > 0.0, "σ({x}) = {y}");
    }
}

#[test]
fn gelu_and_gelu_tanh_below_minus_5_in_f32_are_exact() {
    // Forms with 1 + erf(x/√2) or 1 + tanh(u) cancel to 0 (or a few ULPs of garbage) below −5.
    let mut failures = Vec::new();
    for a in [Activation::Gelu, Activation::GeluTanh] {
        failures.extend(sweep_against_reference(a, false, -16.0, -5.0, 1021));
        failures.extend(sweep_against_reference(a, true, -16.0, -5.0, 1021));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        Activation::Gelu.forward(-6.0f32),
        correctly_rounded_forward_f32(Activation::Gelu, -6.0)
    );
    assert!(Activation::Gelu.forward(-6.0f32) < 0.0);
    // gelu(−10) = −7.6e-23.
    assert!((Activation::Gelu.forward(-10.0f32) / -7.619853e-23 - 1.0).abs() < 1e-6);
    assert!(Activation::GeluTanh.forward(-8.0f32) < 0.0);
}

#[test]
fn silu_below_minus_88_in_f32_is_exact() {
    // x·σ(x) with σ computed as 1/(1 + e^{−x}) in f32 becomes x·0 = −0 below −88.7.
    let failures = [false, true]
        .into_iter()
        .flat_map(|d| sweep_against_reference(Activation::Silu, d, -110.0, -80.0, 31))
        .collect::<Vec<_>>();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(Activation::Silu.forward(-95.0f32) < 0.0);
}

#[test]
fn mish_below_minus_100_in_f32_is_exact() {
    // tanh(softplus x) with softplus underflowing to 0 gives mish = 0 for x < −100.
    let failures = [false, true]
        .into_iter()
        .flat_map(|d| sweep_against_reference(Activation::Mish, d, -112.0, -96.0, 13))
        .collect::<Vec<_>>();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(Activation::Mish.forward(-105.0f32) < 0.0);
}

#[test]
fn tanhshrink_near_zero_in_f32_is_x_cubed_over_3() {
    // x − tanh x in f32 is 0 (or garbage of size ulp(x)) below |x| ≈ 1e-3; the exact value is
    // x³/3 − 2x⁵/15.
    for x in [1e-3f32, -1e-3, 1e-10, -1e-10, 3e-13] {
        let y = Activation::Tanhshrink.forward(x);
        let cube = (x as f64).powi(3) / 3.0;
        // −2x⁵/15 relative to x³/3 is 0.4x² ≤ 4e-7.
        assert!(
            ((y as f64) / cube - 1.0).abs() < 1e-6,
            "tanhshrink({x:e}) = {y:e}, x³/3 = {cube:e}"
        );
        assert!(ulp_error_f32(y, Activation::Tanhshrink.reference_forward(x as f64)) <= 1.0);
    }
    let failures = sweep_against_reference(Activation::Tanhshrink, false, 1e-12, 1e-1, 9973);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tanh_derivative_where_tanh_rounds_to_minus_one() {
    // tanh(−14.6) rounds to −1 in f32, so 1 − tanh² gives 0; sech² x = 8.33e-13 (mpmath).
    let x = -14.6f32;
    let d = Activation::Tanh.derivative(x);
    assert!(d > 0.0);
    assert_eq!(d, correctly_rounded_derivative_f32(Activation::Tanh, x));
    assert!((d as f64 / 8.330309164218538e-13 - 1.0).abs() < 1e-6);
    assert_eq!(Activation::Tanh.forward(x), -1.0);
    let failures = sweep_against_reference(Activation::Tanh, true, 8.0, 45.0, 101);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sigmoid_derivative_where_sigmoid_rounds_to_one() {
    // σ(84) rounds to 1, so σ(1 − σ) gives 0; σ′(84) = e^{−84}/(1 + e^{−84})² = 3.3057e-37
    // (mpmath), a normal f32.
    let x = 84.0f32;
    let d = Activation::Sigmoid.derivative(x);
    assert_eq!(d, correctly_rounded_derivative_f32(Activation::Sigmoid, x));
    assert!((d as f64 / 3.3057006267607343e-37 - 1.0).abs() < 1e-6);
    let failures = sweep_against_reference(Activation::Sigmoid, true, 16.0, 104.0, 101);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
