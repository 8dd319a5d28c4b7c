//! `derivative_from_output(forward(x))` against `derivative(x)`: the backward pass that keeps
//! only a layer's output must get the same gradient as the one that keeps its input.
//!
//! For the piecewise-linear functions (identity, the relu family, hardtanh, relu6) the output
//! decides the branch and the slope is a constant: the two agree bit for bit. For sigmoid, tanh
//! and the elu family f′ is a formula in y, exact algebra evaluated on the rounded output ŷ, so
//! it inherits ŷ's error: |f′(ŷ) − f′(y)| ≤ |d f′/dy|·|ŷ − y| ≤ |d f′/dy|·ulp(y)/2 (f64; 1 ULP in
//! f32), plus the final rounding of each side. That bound holds everywhere and is what the
//! property tests assert; it amounts to at most 2 ULPs where the formula is well conditioned
//! (σ for x ≤ 0, tanh for |x| ≤ 1/2, elu for x ≥ −1/2), and it grows as documented where it is
//! not (σ′ = y(1 − y) is 0 once σ has rounded to 1).

use act::Activation;
use act::ulp::{ulp_error_f32, ulp_error_f64, ulp_f32_at, ulp_f64_at};
use proptest::prelude::*;

/// f64 inputs: mostly where the functions bend, the rest anywhere in the type.
fn wide_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -30.0..30.0f64,
        3 => prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
        1 => -1e-6..1e-6f64,
    ]
}

/// f32 inputs, as [`wide_f64`].
fn wide_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        4 => -30.0..30.0f32,
        3 => prop::num::f32::NORMAL | prop::num::f32::SUBNORMAL | prop::num::f32::ZERO,
        1 => -1e-6..1e-6f32,
    ]
}

/// The piecewise-linear activations whose derivative from the output is exact.
fn piecewise_linear() -> Vec<Activation> {
    vec![
        Activation::Identity,
        Activation::Relu,
        Activation::LeakyRelu {
            negative_slope: 0.01,
        },
        Activation::LeakyRelu {
            negative_slope: 0.2,
        },
        Activation::Prelu { weight: 0.25 },
        // A zero slope is allowed (it is relu).
        Activation::Prelu { weight: 0.0 },
        Activation::Rrelu {
            lower: 1.0 / 8.0,
            upper: 1.0 / 3.0,
        },
        Activation::Rrelu {
            lower: 0.1,
            upper: 0.3,
        },
        Activation::Hardtanh {
            min_val: -1.0,
            max_val: 1.0,
        },
        Activation::Hardtanh {
            min_val: -2.0,
            max_val: 3.0,
        },
        Activation::Relu6,
    ]
}

/// How much an error in y moves f′(y): d f′/dy as a function of y.
type Sensitivity = fn(f64) -> f64;

/// The smooth ones, with d f′/dy (how much an error in y moves f′(y)) on the y ≤ 0 branch that
/// carries the formula (y > 0 gives the constant 1 or λ for the elu family).
fn smooth() -> Vec<(Activation, Sensitivity)> {
    vec![
        // σ′ = y(1 − y): d/dy = 1 − 2y.
        (Activation::Sigmoid, |y| 1.0 - 2.0 * y),
        // tanh′ = 1 − y²: d/dy = −2y.
        (Activation::Tanh, |y| -2.0 * y),
        // elu′ = y + α, selu′ = y + λα: d/dy = 1.
        (Activation::Elu { alpha: 1.0 }, |_| 1.0),
        (Activation::Elu { alpha: 0.5 }, |_| 1.0),
        (Activation::Elu { alpha: 2.0 }, |_| 1.0),
        (Activation::Selu, |_| 1.0),
        // celu′ = y/α + 1: d/dy = 1/α.
        (Activation::Celu { alpha: 1.0 }, |_| 1.0),
        (Activation::Celu { alpha: 0.5 }, |_| 2.0),
        (Activation::Celu { alpha: 3.0 }, |_| 1.0 / 3.0),
    ]
}

/// Activations whose derivative the output does not determine: every other default, and
/// the parameter choices that make a relu or elu non-monotone (two inputs, one output).
fn without_derivative_from_output() -> Vec<Activation> {
    let mut list: Vec<Activation> = act::ALL
        .into_iter()
        .filter(|a| !a.has_derivative_from_output())
        .collect();
    list.extend([
        Activation::LeakyRelu {
            negative_slope: -0.1,
        },
        Activation::Prelu { weight: -0.5 },
        Activation::Elu { alpha: -1.0 },
        Activation::Celu { alpha: -1.0 },
    ]);
    list
}

#[test]
fn the_set_with_a_derivative_from_output_is_the_documented_one() {
    let names: Vec<&str> = act::ALL
        .iter()
        .filter(|a| a.has_derivative_from_output())
        .map(|a| a.name())
        .collect();
    assert_eq!(
        names,
        [
            "identity",
            "sigmoid",
            "tanh",
            "relu",
            "leaky_relu",
            "prelu",
            "rrelu",
            "elu",
            "selu",
            "celu",
            "hardtanh",
            "relu6"
        ]
    );
    // And the metadata says the same of every default.
    for a in act::ALL {
        assert_eq!(
            a.has_derivative_from_output(),
            a.info().derivative_from_output,
            "{}",
            a.name()
        );
    }
    // Every function tested below for agreement really has the derivative from the output.
    for a in piecewise_linear()
        .into_iter()
        .chain(smooth().into_iter().map(|(a, _)| a))
    {
        assert!(a.has_derivative_from_output(), "{a}");
    }
}

#[test]
fn the_others_return_none_in_both_precisions() {
    for a in without_derivative_from_output() {
        assert!(!a.has_derivative_from_output(), "{a}");
        for y in [0.0, -0.0, 0.3, -1.0, 1e30, f64::INFINITY, f64::NAN] {
            assert_eq!(a.derivative_from_output(y), None, "{a} at {y}");
            assert_eq!(a.derivative_from_output(y as f32), None, "{a} at {y}");
        }
    }
}

#[test]
fn nan_output_gives_nan_derivative() {
    for a in piecewise_linear()
        .into_iter()
        .chain(smooth().into_iter().map(|(a, _)| a))
    {
        for nan in [f64::NAN, -f64::NAN] {
            let d = a.derivative_from_output(nan);
            assert!(d.is_some_and(f64::is_nan), "{a}: {d:?}");
            let d = a.derivative_from_output(nan as f32);
            assert!(d.is_some_and(f32::is_nan), "{a}: {d:?} in f32");
        }
        // And a NaN input reaches it as a NaN output.
        let d = a.derivative_from_output(a.forward(f64::NAN));
        assert!(d.is_some_and(f64::is_nan), "{a}: {d:?} from forward(NaN)");
    }
}

#[test]
fn infinite_inputs_give_the_limit_of_the_derivative() {
    // f(±∞) is a finite saturation value or ±∞; either way the output determines the slope there.
    for a in piecewise_linear() {
        for x in [f64::NEG_INFINITY, f64::INFINITY] {
            assert_eq!(
                a.derivative_from_output(a.forward(x)),
                Some(a.derivative(x)),
                "{a}({x})"
            );
            let x = x as f32;
            assert_eq!(
                a.derivative_from_output(a.forward(x)),
                Some(a.derivative(x)),
                "{a}({x})"
            );
        }
    }
    for (a, _) in smooth() {
        for x in [f64::NEG_INFINITY, f64::INFINITY] {
            let d = a.derivative_from_output(a.forward(x)).unwrap();
            // selu(−∞) = −λα rounded to f64; adding back λα to 106 bits leaves its rounding error.
            assert!((d - a.derivative(x)).abs() <= 1e-16, "{a}({x}): {d:e}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// The output decides the branch; the slope is a constant: bit for bit.
    #[test]
    fn piecewise_linear_from_output_is_exact(x in wide_f64(), x32 in wide_f32()) {
        for a in piecewise_linear() {
            let from_output = a.derivative_from_output(a.forward(x)).unwrap();
            prop_assert_eq!(from_output.to_bits(), a.derivative(x).to_bits(), "{} at {:e}", a, x);
            let from_output = a.derivative_from_output(a.forward(x32)).unwrap();
            prop_assert_eq!(from_output.to_bits(), a.derivative(x32).to_bits(), "{} at {:e}", a, x32);
        }
    }

    /// f64: |f′(ŷ) − f′(x)| ≤ |d f′/dy|·ulp(ŷ)/2 + ulp(f′) (the two final roundings), with a
    /// 10⁻³ relative margin for the results' 2⁻³⁷-ULP excess over correct rounding.
    #[test]
    fn smooth_from_output_within_the_error_of_the_output_f64(x in wide_f64()) {
        for (a, slope) in smooth() {
            let y = a.forward(x);
            let from_output = a.derivative_from_output(y).unwrap();
            let direct = a.derivative(x);
            let sensitivity = if y > 0.0 && !matches!(a, Activation::Sigmoid | Activation::Tanh) {
                0.0
            } else {
                slope(y).abs()
            };
            let bound = (sensitivity * 0.5 * ulp_f64_at(y)
                + ulp_f64_at(from_output.abs().max(direct.abs())))
                * 1.001;
            prop_assert!(
                (from_output - direct).abs() <= bound,
                "{} at {:e}: from output {:e}, from input {:e}, bound {:e}",
                a, x, from_output, direct, bound
            );
        }
    }

    /// f32: the output is within 1 ULP and the derivative from the input within 2, so
    /// |f′(ŷ) − f′(x)| ≤ |d f′/dy|·ulp(ŷ) + ulp/2 + 2 ulp of f′.
    #[test]
    fn smooth_from_output_within_the_error_of_the_output_f32(x in wide_f32()) {
        for (a, slope) in smooth() {
            let y = a.forward(x);
            let from_output = a.derivative_from_output(y).unwrap() as f64;
            let direct = a.derivative(x) as f64;
            let y = y as f64;
            let sensitivity = if y > 0.0 && !matches!(a, Activation::Sigmoid | Activation::Tanh) {
                0.0
            } else {
                slope(y).abs()
            };
            let bound = (sensitivity * ulp_f32_at(y)
                + 2.5 * ulp_f32_at(from_output.abs().max(direct.abs())))
                * 1.001;
            prop_assert!(
                (from_output - direct).abs() <= bound,
                "{} at {:e}: from output {:e}, from input {:e}, bound {:e}",
                a, x, from_output, direct, bound
            );
        }
    }

    /// Where the formula in y is well conditioned the two agree to 2 ULPs (f64): σ for x ≤ 0
    /// (1 − y ≥ 1/2), tanh for |x| ≤ 1/2 (1 − y² ≥ 0.78), the elu family for x ≥ −α/2
    /// (y + α ≥ 0.6α).
    #[test]
    fn well_conditioned_from_output_within_two_ulp(x in -40.0..40.0f64, tiny in -1e-300..1e-300f64) {
        for x in [x, tiny] {
            for (a, _) in smooth() {
                let well_conditioned = match a {
                    Activation::Sigmoid => x <= 0.0,
                    Activation::Tanh => x.abs() <= 0.5,
                    Activation::Elu { alpha } | Activation::Celu { alpha } => x >= -alpha / 2.0,
                    Activation::Selu => x >= -0.5,
                    _ => unreachable!("smooth() lists only these"),
                };
                if !well_conditioned {
                    continue;
                }
                let from_output = a.derivative_from_output(a.forward(x)).unwrap();
                let exact = a.reference_derivative(x);
                let err = ulp_error_f64(from_output, exact);
                prop_assert!(err <= 2.0, "{} at {:e}: {} ULP", a, x, err);
            }
        }
    }
}

#[test]
fn well_conditioned_from_output_within_three_ulp_in_f32() {
    // The f32 output is within 1 ULP, so the f32 derivative from it within about 3 where the
    // formula is well conditioned (same ranges as in f64); every 21773rd f32 in [−8, 1/2] (every binade).
    let start = (-8.0f32).to_bits();
    let mut failures = Vec::new();
    for bits in (0x8000_0000..=start).step_by(21773) {
        let x = f32::from_bits(bits);
        for x in [x, -x] {
            if x > 0.5 {
                continue;
            }
            for (a, _) in smooth() {
                let well_conditioned = match a {
                    Activation::Sigmoid => x <= 0.0,
                    Activation::Tanh => x.abs() <= 0.5,
                    Activation::Elu { alpha } | Activation::Celu { alpha } => {
                        x as f64 >= -alpha / 2.0
                    }
                    Activation::Selu => x >= -0.5,
                    _ => unreachable!("smooth() lists only these"),
                };
                if !well_conditioned {
                    continue;
                }
                let from_output = a.derivative_from_output(a.forward(x)).unwrap();
                let err = ulp_error_f32(from_output, a.reference_derivative(x as f64));
                if err > 3.0 {
                    failures.push(format!("{a} at {x:e}: {err:.2} ULP"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_documented_limit_sigmoid_saturates_from_output_but_not_from_input() {
    // σ(20) rounds to 1 in f32 (σ(x) > 1 − 2⁻²⁵ for x > 17.33), so y(1 − y) = 0, while the
    // derivative from the input is e^{−20}/(1 + e^{−20})² = 2.06e-9. The same at x = 40 in f64.
    let y = Activation::Sigmoid.forward(20.0f32);
    assert_eq!(y, 1.0);
    assert_eq!(Activation::Sigmoid.derivative_from_output(y), Some(0.0));
    let direct = Activation::Sigmoid.derivative(20.0f32);
    assert!(
        (direct as f64 / 2.0611536e-9 - 1.0).abs() < 1e-6,
        "{direct:e}"
    );
    let y = Activation::Sigmoid.forward(40.0f64);
    assert_eq!(y, 1.0);
    assert_eq!(Activation::Sigmoid.derivative_from_output(y), Some(0.0));
    assert!(Activation::Sigmoid.derivative(40.0f64) > 4e-18);
    // Below that point, the two agree to the well-conditioned bound on the x ≤ 0 side and the
    // loss grows like e^x on the other: at x = 10 the f64 derivative from the output keeps
    // only about 12 of its 16 digits.
    let x = 10.0f64;
    let from_output = Activation::Sigmoid
        .derivative_from_output(Activation::Sigmoid.forward(x))
        .unwrap();
    let relative = (from_output / Activation::Sigmoid.derivative(x) - 1.0).abs();
    assert!(relative < 1e-11, "{relative:e}");
}
