//! Laws every activation must obey, checked with proptest on inputs over the whole range of each
//! type (tiny, subnormal, huge) and densely where the functions bend (|x| < 30):
//! - identities between catalogue functions (tanh = 2σ(2x) − 1, softplus′ = σ, …), bit-for-bit
//!   where both sides are the same computation and within a derived rounding bound otherwise;
//! - monotonicity wherever the metadata claims it, for any two inputs and for neighbouring ones;
//! - the output range and the largest slope of the metadata;
//! - odd/even symmetry.

use act::Activation;
use act::metadata::Monotonicity;
use act::ulp::{ulp_error_f32, ulp_error_f64, ulp_f32_at, ulp_f64_at};
use proptest::prelude::*;

// λ and α of selu (Klambauer et al. 2017), to 32 digits; the literals round once to f64.
const SELU_LAMBDA: f64 = 1.0507009873554804934193349852946;
const SELU_ALPHA: f64 = 1.6732632423543772848170429916717;

/// f64 inputs: mostly where the functions bend, the rest anywhere in the type (every binade
/// equally likely, subnormals and both zeros included).
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

/// The next f64 above x (x finite).
fn next_up_f64(x: f64) -> f64 {
    if x == 0.0 {
        f64::from_bits(1)
    } else if x > 0.0 {
        f64::from_bits(x.to_bits() + 1)
    } else {
        f64::from_bits(x.to_bits() - 1)
    }
}

/// The next f32 above x (x finite).
fn next_up_f32(x: f32) -> f32 {
    if x == 0.0 {
        f32::from_bits(1)
    } else if x > 0.0 {
        f32::from_bits(x.to_bits() + 1)
    } else {
        f32::from_bits(x.to_bits() - 1)
    }
}

/// The largest f32 ≤ v and the smallest f32 ≥ v (v an f64, possibly infinite).
fn f32_below(v: f64) -> f32 {
    let r = v as f32;
    if (r as f64) > v { -next_up_f32(-r) } else { r }
}

fn f32_above(v: f64) -> f32 {
    let r = v as f32;
    if (r as f64) < v { next_up_f32(r) } else { r }
}

/// Bitwise equality, reported with both values.
fn same_bits_f64(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}

fn same_bits_f32(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits()
}

// ---------------------------------------------------------------------------------------------
// Identities

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// tanh x = 2σ(2x) − 1. Error budget of the right side in f64: σ(2x) is within 1/2 ULP
    /// (of σ), doubling is exact and so the doubled error is ulp(σ); the subtraction is exact
    /// (Sterbenz) for σ ≥ 1/4 and otherwise adds 1/2 ULP of its result; tanh x itself is within
    /// 1/2 ULP. So |tanh x − (2σ(2x) − 1)| ≤ ulp(σ(2x)) + ulp(rhs)/2 + ulp(tanh x)/2. Where
    /// |x| ≥ 1/4 (|tanh x| ≥ 0.245) this is at most 5 ULPs of tanh x, and at most 2 for
    /// |x| ≥ 0.55; for tiny x the identity loses everything to the cancellation in 2σ − 1, which is
    /// why the catalogue does not evaluate tanh that way.
    #[test]
    fn tanh_is_twice_sigmoid_of_twice_x_minus_one(
        x in wide_f64().prop_map(|x| if x.abs() < 0.25 { (0.25 + x.abs()).copysign(x) } else { x })
    ) {
        let t = Activation::Tanh.forward(x);
        let s = Activation::Sigmoid.forward(2.0 * x);
        let rhs = 2.0 * s - 1.0;
        let bound = (ulp_f64_at(s) + 0.5 * ulp_f64_at(rhs) + 0.5 * ulp_f64_at(t)) * (1.0 + 1e-9);
        prop_assert!((t - rhs).abs() <= bound, "x = {x:e}: tanh {t:e}, 2σ(2x) − 1 = {rhs:e}");
        let ulps = (t - rhs).abs() / ulp_f64_at(t);
        let few = if x.abs() >= 0.55 { 2.0 } else { 5.0 };
        prop_assert!(ulps <= few, "x = {x:e}: {ulps} ULP");
    }

    /// softplus′(x) = σ(x), bit for bit (β = 1, below the threshold 20 where PyTorch's softplus
    /// is the smooth function): the catalogue computes both from the same σ.
    #[test]
    fn softplus_derivative_is_sigmoid(
        x in wide_f64().prop_map(|x| if x > 20.0 { -x } else { x }),
        x32 in wide_f32().prop_map(|x| if x > 20.0 { -x } else { x }),
    ) {
        let softplus = Activation::from_name("softplus").unwrap();
        let (d, s) = (softplus.derivative(x), Activation::Sigmoid.forward(x));
        prop_assert!(same_bits_f64(d, s), "x = {x:e}: {d:e} vs {s:e}");
        let (d, s) = (softplus.derivative(x32), Activation::Sigmoid.forward(x32));
        prop_assert!(same_bits_f32(d, s), "x = {x32:e}: {d:e} vs {s:e}");
    }

    /// Above the threshold softplus is x itself, and its derivative exactly 1.
    #[test]
    fn softplus_above_threshold_is_linear(x in 20.000001..1e300f64) {
        let softplus = Activation::from_name("softplus").unwrap();
        prop_assert_eq!(softplus.forward(x), x);
        prop_assert_eq!(softplus.derivative(x), 1.0);
    }

    /// logsigmoid(x) = −softplus(−x). Both sides are the same exact value, each rounded to
    /// within 1/2 ULP (f64) or 1 ULP (f32), so they differ by at most 1 or 2 ULPs. Against the
    /// smooth softplus (threshold ∞) for every x; against PyTorch's (threshold 20) only for
    /// −x ≤ 20, since above it softplus is −x and not ln(1 + e^{−x}).
    #[test]
    fn logsigmoid_is_minus_softplus_of_minus_x(x in wide_f64(), x32 in wide_f32()) {
        let smooth = Activation::Softplus { beta: 1.0, threshold: f64::INFINITY };
        let default = Activation::from_name("softplus").unwrap();
        let l = Activation::Logsigmoid.forward(x);
        let exact = act::dd::DD::from_f64(-smooth.forward(-x));
        prop_assert!(ulp_error_f64(l, exact) <= 1.0, "x = {x:e}: {l:e} vs {:e}", exact.hi);
        if -x <= 20.0 {
            prop_assert_eq!(-default.forward(-x), exact.hi);
        }
        let l32 = Activation::Logsigmoid.forward(x32);
        let rhs32 = act::dd::DD::from_f64(-smooth.forward(-x32) as f64);
        prop_assert!(ulp_error_f32(l32, rhs32) <= 2.0, "x = {x32:e}: {l32:e} vs {:e}", rhs32.hi);
    }

    /// silu(x) = x·σ(x). The product in f64 carries σ's 1/2 ULP and its own 1/2 ULP (about
    /// 2⁻⁵² relative), plus, where σ(x) is subnormal (x < −708), σ's absolute error 2⁻¹⁰⁷⁵
    /// times |x|; silu itself is within 1/2 ULP. The bound below is 3ε relative plus that.
    #[test]
    fn silu_is_x_times_sigmoid(x in wide_f64()) {
        let y = Activation::Silu.forward(x);
        let rhs = x * Activation::Sigmoid.forward(x);
        let tiny = f64::from_bits(1);
        let bound = 3.0 * f64::EPSILON * y.abs() + (x.abs() + 1.0) * tiny;
        prop_assert!((y - rhs).abs() <= bound, "x = {x:e}: silu {y:e}, xσ(x) {rhs:e}");
    }

    /// swish with β = 1 is silu, forward and derivative, bit for bit in both precisions.
    #[test]
    fn swish_with_beta_one_is_silu(x in wide_f64(), x32 in wide_f32()) {
        let swish = Activation::Swish { beta: 1.0 };
        let silu = Activation::Silu;
        prop_assert!(same_bits_f64(swish.forward(x), silu.forward(x)));
        prop_assert!(same_bits_f64(swish.derivative(x), silu.derivative(x)));
        prop_assert!(same_bits_f32(swish.forward(x32), silu.forward(x32)));
        prop_assert!(same_bits_f32(swish.derivative(x32), silu.derivative(x32)));
    }

    /// relu6 is hardtanh(0, 6), bit for bit.
    #[test]
    fn relu6_is_hardtanh_0_6(x in prop_oneof![-10.0..10.0f64, wide_f64()], x32 in prop_oneof![-10.0..10.0f32, wide_f32()]) {
        let hardtanh = Activation::Hardtanh { min_val: 0.0, max_val: 6.0 };
        let relu6 = Activation::Relu6;
        prop_assert!(same_bits_f64(relu6.forward(x), hardtanh.forward(x)));
        prop_assert!(same_bits_f64(relu6.derivative(x), hardtanh.derivative(x)));
        prop_assert!(same_bits_f32(relu6.forward(x32), hardtanh.forward(x32)));
        prop_assert!(same_bits_f32(relu6.derivative(x32), hardtanh.derivative(x32)));
    }

    /// selu(x) = λ·elu_α(x). The right side rounds λ, α, elu and the product: at most about
    /// 2ε relative, bounded here by 4ε (plus one subnormal step); in f32 it is then within 1 ULP
    /// as selu is. Both overflow together above f64::MAX/λ.
    #[test]
    fn selu_is_lambda_times_elu_alpha(x in wide_f64(), x32 in wide_f32()) {
        let elu = Activation::Elu { alpha: SELU_ALPHA };
        let y = Activation::Selu.forward(x);
        let rhs = SELU_LAMBDA * elu.forward(x);
        if rhs.is_infinite() {
            prop_assert_eq!(y, rhs);
        } else {
            let bound = 4.0 * f64::EPSILON * y.abs() + 2.0 * f64::from_bits(1);
            prop_assert!((y - rhs).abs() <= bound, "x = {x:e}: selu {y:e}, λ·elu {rhs:e}");
        }
        let y32 = Activation::Selu.forward(x32);
        let rhs = act::dd::DD::from_f64(SELU_LAMBDA * elu.forward(x32 as f64));
        prop_assert!(ulp_error_f32(y32, rhs) <= 1.01, "x = {x32:e}: selu {y32:e}, λ·elu {:e}", rhs.hi);
    }

    /// celu with α = 1 is elu with α = 1 (e^{x/1} = e^x), forward and derivative, bit for bit.
    #[test]
    fn celu_with_alpha_one_is_elu(x in wide_f64(), x32 in wide_f32()) {
        let celu = Activation::Celu { alpha: 1.0 };
        let elu = Activation::Elu { alpha: 1.0 };
        prop_assert!(same_bits_f64(celu.forward(x), elu.forward(x)), "x = {x:e}");
        prop_assert!(same_bits_f64(celu.derivative(x), elu.derivative(x)), "x = {x:e}");
        prop_assert!(same_bits_f32(celu.forward(x32), elu.forward(x32)), "x = {x32:e}");
        prop_assert!(same_bits_f32(celu.derivative(x32), elu.derivative(x32)), "x = {x32:e}");
    }

    /// threshold(0, 0) is relu (x if x > 0, else 0), forward and derivative, bit for bit.
    #[test]
    fn threshold_zero_zero_is_relu(x in wide_f64(), x32 in wide_f32()) {
        let threshold = Activation::Threshold { threshold: 0.0, value: 0.0 };
        prop_assert!(same_bits_f64(threshold.forward(x), Activation::Relu.forward(x)));
        prop_assert!(same_bits_f64(threshold.derivative(x), Activation::Relu.derivative(x)));
        prop_assert!(same_bits_f32(threshold.forward(x32), Activation::Relu.forward(x32)));
        prop_assert!(same_bits_f32(threshold.derivative(x32), Activation::Relu.derivative(x32)));
    }

    /// prelu with weight w is leaky_relu with slope w, for any w (negative ones included).
    #[test]
    fn prelu_is_leaky_relu_with_the_same_slope(x in wide_f64(), x32 in wide_f32(), w in -3.0..3.0f64) {
        let prelu = Activation::Prelu { weight: w };
        let leaky = Activation::LeakyRelu { negative_slope: w };
        prop_assert!(same_bits_f64(prelu.forward(x), leaky.forward(x)));
        prop_assert!(same_bits_f64(prelu.derivative(x), leaky.derivative(x)));
        prop_assert!(same_bits_f32(prelu.forward(x32), leaky.forward(x32)));
        prop_assert!(same_bits_f32(prelu.derivative(x32), leaky.derivative(x32)));
    }

    /// The tanh approximation of gelu stays within 10⁻³ of the erf form on [−10, 10] (its
    /// largest deviation is 4.73·10⁻⁴ at |x| ≈ 2.7, mpmath).
    #[test]
    fn gelu_tanh_is_close_to_gelu(x in -10.0..10.0f64) {
        let diff = (Activation::GeluTanh.forward(x) - Activation::Gelu.forward(x)).abs();
        prop_assert!(diff < 1e-3, "x = {x}: {diff:e}");
        let x = x as f32;
        let diff = (Activation::GeluTanh.forward(x) - Activation::Gelu.forward(x)).abs();
        prop_assert!(diff < 1e-3, "x = {x}: {diff:e}");
    }
}

#[test]
fn gelu_tanh_deviation_peaks_as_documented() {
    // The 10⁻³ above is not vacuous: the two differ by more than 10⁻⁴ somewhere on [1, 3].
    let largest = (0..=2000)
        .map(|i| 1.0 + i as f64 * 1e-3)
        .map(|x| (Activation::GeluTanh.forward(x) - Activation::Gelu.forward(x)).abs())
        .fold(0.0f64, f64::max);
    assert!(largest > 1e-4 && largest < 1e-3, "{largest:e}");
}

// ---------------------------------------------------------------------------------------------
// Monotonicity

/// The default activations the metadata calls (strictly or weakly) increasing.
fn claimed_monotone() -> Vec<Activation> {
    act::ALL
        .into_iter()
        .filter(|a| {
            matches!(
                a.info().monotonicity,
                Monotonicity::Increasing | Monotonicity::NonDecreasing
            )
        })
        .collect()
}

#[test]
fn the_monotone_set_is_what_the_guide_says() {
    // The property tests below run over `claimed_monotone`; make sure it is not accidentally
    // empty or missing the usual suspects.
    let names: Vec<&str> = claimed_monotone().iter().map(|a| a.name()).collect();
    for name in [
        "sigmoid", "tanh", "relu", "softplus", "elu", "hardtanh", "snake",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    for name in ["gelu", "silu", "mish", "hardswish"] {
        assert!(!names.contains(&name), "{name} is not monotone");
    }
}

#[test]
fn functions_claimed_not_monotonic_do_decrease_somewhere() {
    // The metadata's NotMonotonic is a claim too: each of these dips below zero and comes back,
    // so f(−4) > f(−1.2) (mpmath: gelu −1.3e-4 > −0.138, silu −0.072 > −0.278, mish −0.073 >
    // −0.298, hardswish 0 > −0.36).
    for a in act::ALL {
        if a.info().monotonicity == Monotonicity::NotMonotonic {
            assert!(a.forward(-4.0f64) > a.forward(-1.2f64), "{}", a.name());
            assert!(a.forward(-4.0f32) > a.forward(-1.2f32), "{}", a.name());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// For any x < y, f(x) ≤ f(y): rounding is monotone, so exact monotonicity survives it in
    /// both precisions as long as each result is the exact value rounded (f64: to nearest, to
    /// within 2⁻³⁷ ULP; f32: the f64 value of a stable formula, rounded once).
    #[test]
    fn monotone_functions_preserve_order(
        a in wide_f64(), b in wide_f64(), a32 in wide_f32(), b32 in wide_f32()
    ) {
        let (x, y) = if a <= b { (a, b) } else { (b, a) };
        let (x32, y32) = if a32 <= b32 { (a32, b32) } else { (b32, a32) };
        for f in claimed_monotone() {
            prop_assert!(f.forward(x) <= f.forward(y), "{f}: f({x:e}) > f({y:e})");
            prop_assert!(f.forward(x32) <= f.forward(y32), "{f}: f({x32:e}) > f({y32:e}) in f32");
        }
    }

    /// The same for neighbouring inputs (x and the next 1 to 8 numbers above it), where a
    /// formula that is not monotone after rounding would show.
    #[test]
    fn monotone_functions_preserve_order_between_neighbours(
        x in wide_f64(), x32 in wide_f32(), steps in 1usize..8
    ) {
        let mut y = x;
        for _ in 0..steps {
            y = next_up_f64(y);
        }
        let mut y32 = x32;
        for _ in 0..steps {
            y32 = next_up_f32(y32);
        }
        for f in claimed_monotone() {
            if y.is_finite() {
                prop_assert!(f.forward(x) <= f.forward(y), "{f}: f({x:e}) > f({y:e})");
            }
            // Above f32::MAX the next number is ∞ (skipped, like f64's).
            if y32.is_finite() {
                prop_assert!(f.forward(x32) <= f.forward(y32), "{f}: f({x32:e}) > f({y32:e}) in f32");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bounds

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Every output lies in the closure of the metadata's range, and no finite input gives NaN.
    /// The closure, because an open end is reached by rounding (σ(x) is 1.0 in f32 for x > 17).
    /// f64 results are rounded to nearest, so they respect an end the f64 literal rounds to; f32
    /// results are within 1 ULP, so they respect the f32 numbers just outside the end.
    #[test]
    fn outputs_lie_in_the_metadata_range(x in wide_f64(), x32 in wide_f32()) {
        for f in act::ALL {
            let info = f.info();
            let (lo, hi) = (info.range_lower.value, info.range_upper.value);
            let y = f.forward(x);
            prop_assert!(lo <= y && y <= hi, "{f}({x:e}) = {y:e} outside [{lo}, {hi}]");
                let y32 = f.forward(x32);
            prop_assert!(
                f32_below(lo) <= y32 && y32 <= f32_above(hi),
                "{f}({x32:e}) = {y32:e} outside [{lo}, {hi}] in f32"
            );
        }
    }

    /// |f′(x)| ≤ the metadata's largest slope (relative slack 10⁻⁶ for the derivative's 2 ULPs
    /// and the table's 8+ digits), and no finite input gives NaN.
    #[test]
    fn derivatives_are_bounded_by_the_metadata_slope(x in wide_f64(), x32 in wide_f32()) {
        for f in act::ALL {
            let bound = f.info().max_abs_derivative * (1.0 + 1e-6);
            let d = f.derivative(x);
            prop_assert!(d.abs() <= bound, "{f}′({x:e}) = {d:e}, bound {bound}");
            let d32 = f.derivative(x32) as f64;
            prop_assert!(d32.abs() <= bound, "{f}′({x32:e}) = {d32:e} in f32, bound {bound}");
        }
    }
}

#[test]
fn open_ends_are_not_reached_before_rounding_forces_them() {
    // Where the exact value is far from an open end (more than an ULP), the result must not sit
    // on it: |x| ≤ 15 in f64 (σ(15) = 1 − 3e-7, tanh 15 = 1 − 2e-13) and |x| ≤ 5 in f32.
    for f in act::ALL {
        let info = f.info();
        let ends = [info.range_lower, info.range_upper];
        for end in ends.iter().filter(|e| !e.closed && e.value.is_finite()) {
            for i in -150..=150 {
                let x = i as f64 * 0.1;
                let y = f.forward(x);
                assert!(y != end.value, "{f}({x}) = {y} reaches the open end");
                let x32 = x as f32 / 3.0;
                let y32 = f.forward(x32);
                assert!(
                    y32 as f64 != end.value,
                    "{f}({x32}) = {y32} reaches the open end in f32"
                );
            }
        }
    }
}

#[test]
fn the_largest_slope_is_attained() {
    // The bound above is tight, not just true: somewhere on a grid the derivative comes within
    // 1% of it (squared_relu's slope is unbounded; it reaches 2·100 at 100).
    for f in act::ALL {
        let bound = f.info().max_abs_derivative;
        let largest = (-4000..=4000)
            .map(|i| f.derivative(i as f64 * 0.025))
            .fold(0.0f64, |m, d| m.max(d.abs()));
        if bound.is_finite() {
            assert!(
                largest >= 0.99 * bound,
                "{f}: largest slope {largest} < {bound}"
            );
        } else {
            assert!(largest >= 100.0, "{f}: {largest}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Symmetry

/// The odd functions of the catalogue (with default parameters): f(−x) = −f(x).
fn odd_functions() -> [Activation; 7] {
    [
        Activation::Identity,
        Activation::Tanh,
        Activation::Softsign,
        Activation::Tanhshrink,
        Activation::Hardtanh {
            min_val: -1.0,
            max_val: 1.0,
        },
        Activation::Hardshrink { lambd: 0.5 },
        Activation::Softshrink { lambd: 0.5 },
    ]
}

/// Odd symmetry of one pair of results: bit for bit, except that two zeros of either sign
/// are accepted (the shrink operators return +0 on their whole dead zone [−λ, λ]; the sign of
/// tanh(±0) is tested in special_values.rs).
fn odd_pair_f64(at_minus: f64, at_plus: f64) -> bool {
    (at_minus == 0.0 && at_plus == 0.0) || same_bits_f64(at_minus, -at_plus)
}

fn odd_pair_f32(at_minus: f32, at_plus: f32) -> bool {
    (at_minus == 0.0 && at_plus == 0.0) || same_bits_f32(at_minus, -at_plus)
}

/// Even symmetry, with the same zero rule.
fn even_pair_f64(a: f64, b: f64) -> bool {
    (a == 0.0 && b == 0.0) || same_bits_f64(a, b)
}

fn even_pair_f32(a: f32, b: f32) -> bool {
    (a == 0.0 && b == 0.0) || same_bits_f32(a, b)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Odd functions are odd bit for bit, and their derivatives even bit for bit: each is
    /// evaluated on |x| and the sign applied exactly, in both precisions.
    #[test]
    fn odd_functions_are_odd_and_their_derivatives_even(x in wide_f64(), x32 in wide_f32()) {
        for f in odd_functions() {
            prop_assert!(odd_pair_f64(f.forward(-x), f.forward(x)),
                "{f}: f(−x) = {:e}, f(x) = {:e} at x = {x:e}", f.forward(-x), f.forward(x));
            prop_assert!(even_pair_f64(f.derivative(-x), f.derivative(x)),
                "{f}: f′(−x) = {:e}, f′(x) = {:e} at x = {x:e}", f.derivative(-x), f.derivative(x));
                prop_assert!(odd_pair_f32(f.forward(-x32), f.forward(x32)), "{f} in f32 at {x32:e}");
            prop_assert!(even_pair_f32(f.derivative(-x32), f.derivative(x32)), "{f}′ in f32 at {x32:e}");
        }
    }

    /// σ(−x) = 1 − σ(x). In f64, 1 − σ(x) is exact for σ ≥ 1/2 (Sterbenz) and otherwise rounds
    /// once; with σ(±x) each within 1/2 ULP the two sides differ by at most
    /// (ulp(σ(x)) + ulp(σ(−x)) + ulp(1 − σ(x)))/2. In f32 the σ's are within 1 ULP each.
    #[test]
    fn sigmoid_is_symmetric_about_one_half(x in wide_f64(), x32 in wide_f32()) {
        let (s, s_minus) = (Activation::Sigmoid.forward(x), Activation::Sigmoid.forward(-x));
        let rhs = 1.0 - s;
        let bound = 0.5 * (ulp_f64_at(s) + ulp_f64_at(s_minus) + ulp_f64_at(rhs)) * (1.0 + 1e-9);
        prop_assert!((s_minus - rhs).abs() <= bound, "x = {x:e}: σ(−x) {s_minus:e}, 1 − σ(x) {rhs:e}");
        let (s, s_minus) = (Activation::Sigmoid.forward(x32) as f64, Activation::Sigmoid.forward(-x32) as f64);
        let rhs = 1.0 - s;
        let bound = ulp_f32_at(s) + ulp_f32_at(s_minus) + 0.5 * ulp_f64_at(rhs);
        prop_assert!((s_minus - rhs).abs() <= bound, "x = {x32:e}: σ(−x) {s_minus:e}, 1 − σ(x) {rhs:e} in f32");
        // And the derivative σ′ is even, bit for bit.
        prop_assert!(same_bits_f64(Activation::Sigmoid.derivative(-x), Activation::Sigmoid.derivative(x)));
        prop_assert!(same_bits_f32(Activation::Sigmoid.derivative(-x32), Activation::Sigmoid.derivative(x32)));
    }

    /// snake is not odd: its even part (f(x) + f(−x))/2 is sin²(αx)/α. Each snake value is
    /// within 1/2 ULP, so the sum is within ulp(f(x)) (+ its own rounding) of 2sin²(αx)/α; the
    /// plain f64 sin² adds a few ε.
    #[test]
    fn snake_even_part_is_sine_squared(x in -8.0..8.0f64, alpha in prop_oneof![Just(1.0), 0.25..4.0f64]) {
        let snake = Activation::Snake { alpha };
        let (plus, minus) = (snake.forward(x), snake.forward(-x));
        let even = (plus + minus) / 2.0;
        let s = (alpha * x).sin();
        let expected = s * s / alpha;
        let bound = ulp_f64_at(plus) + ulp_f64_at(minus) + 8.0 * f64::EPSILON * expected.abs();
        prop_assert!((even - expected).abs() <= bound, "α = {alpha}, x = {x}: {even:e} vs {expected:e}");
    }
}
