//! The gated family (glu, reglu, geglu, swiglu): values against mpmath, partial derivatives
//! against finite differences, the slice passes against the scalar ones, and shape errors.
//!
//! Exact values: a·g(b) with g(b) from the mpmath golden values of `tests/data/golden_unary.tsv`
//! (sigmoid, relu, gelu, silu; each value as hi + lo doubles), the product in double-double.

use act::dd::DD;
use act::gated::{Gate, gated_backward, gated_forward};
use act::rowwise::RowError;
use act::ulp::{ulp_error_f32, ulp_error_f64};
use act::{Activation, Real};

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }

    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
    }

    /// ±10^u with u uniform in [-3, 3]: a multiplier across six decades.
    fn multiplier(&mut self) -> f64 {
        let sign = if self.next_u64().is_multiple_of(2) {
            1.0
        } else {
            -1.0
        };
        sign * 10f64.powf(self.uniform(-3.0, 3.0))
    }
}

/// The documented f32 bound: one rounding of a value already within a few 2⁻⁵³ relative.
const F32_BOUND: f64 = 0.5 + 1.0 / 65536.0;

fn hex(s: &str) -> f64 {
    f64::from_bits(u64::from_str_radix(s, 16).expect("16 hex digits"))
}

/// (x, g(x), g′(x)) from the golden file for the gate's activation (default parameters).
fn golden(gate: Gate) -> Vec<(f64, DD, DD)> {
    let text = include_str!("data/golden_unary.tsv");
    let name = gate.activation().name();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() == 7 && f[0] == name && f[1] == "-").then(|| {
                let value = DD {
                    hi: hex(f[3]),
                    lo: hex(f[4]),
                };
                let slope = DD {
                    hi: hex(f[5]),
                    lo: hex(f[6]),
                };
                (hex(f[2]), value, slope)
            })
        })
        .collect()
}

/// Whether a·g is a number the comparison means something for: finite and (for f64) with g in
/// f64's normal range, as documented.
fn comparable(g: DD, a: f64) -> bool {
    g.hi.is_finite() && (g.hi == 0.0 || g.hi.abs() >= 1e-290) && (g.hi * a).abs() < 1e300
}

#[test]
fn names_round_trip_and_match_the_catalogue() {
    for gate in Gate::ALL {
        assert_eq!(Gate::from_name(gate.name()).unwrap(), gate);
        assert_eq!(gate.to_string().parse::<Gate>().unwrap(), gate);
        assert_eq!(gate.info().name, gate.name());
    }
    assert_eq!(Gate::Glu.activation(), Activation::Sigmoid);
    assert_eq!(Gate::Reglu.activation(), Activation::Relu);
    assert_eq!(Gate::Geglu.activation(), Activation::Gelu);
    assert_eq!(Gate::Swiglu.activation(), Activation::Silu);
    assert!(Gate::from_name("silu").is_err());
}

#[test]
fn forward_is_correctly_rounded_against_mpmath() {
    let mut rng = Rng(21);
    for gate in Gate::ALL {
        let lines = golden(gate);
        assert!(
            lines.len() > 500,
            "{}: {} golden lines",
            gate.name(),
            lines.len()
        );
        let (mut worst32, mut worst64, mut checked32) = (0.0f64, 0.0f64, 0);
        for &(b, g, _) in &lines {
            let a = rng.multiplier();
            if !comparable(g, a) {
                continue;
            }
            // f64: a·g(b) rounded once, within 0.5 ULP + 2⁻⁴⁰
            let exact = g.mul_f64(a);
            let e = ulp_error_f64(gate.forward(a, b), exact);
            worst64 = worst64.max(e);
            assert!(
                e <= 0.5 + 1e-9,
                "{} f64 a = {a:e}, b = {b:e}: {e} ULP",
                gate.name()
            );
            // f32, where b is an f32 number
            let (a32, b32) = (a as f32, b as f32);
            if b32 as f64 == b && b32.is_finite() {
                let exact = g.mul_f64(a32 as f64);
                let e = ulp_error_f32(gate.forward(a32, b32), exact);
                worst32 = worst32.max(e);
                checked32 += 1;
                assert!(
                    e <= F32_BOUND,
                    "{} f32 a = {a32:e}, b = {b32:e}: {e} ULP",
                    gate.name()
                );
            }
        }
        assert!(checked32 > 100, "{}: {checked32} f32 cases", gate.name());
        eprintln!(
            "{:6} forward: worst f32 {worst32:.6} ULP, f64 {worst64:.6} ULP",
            gate.name()
        );
    }
}

#[test]
fn backward_is_correctly_rounded_against_mpmath() {
    let mut rng = Rng(22);
    for gate in Gate::ALL {
        for &(b, g, slope) in &golden(gate) {
            let a = rng.multiplier();
            if !comparable(g, 1.0) || !comparable(slope, a) {
                continue;
            }
            let (da, db) = gate.backward(a, b);
            assert!(
                ulp_error_f64(da, g) <= 0.5 + 1e-9,
                "{} b = {b:e}",
                gate.name()
            );
            let e = ulp_error_f64(db, slope.mul_f64(a));
            assert!(
                e <= 0.5 + 1e-9,
                "{} a = {a:e}, b = {b:e}: {e} ULP",
                gate.name()
            );
            let (a32, b32) = (a as f32, b as f32);
            if b32 as f64 == b && b32.is_finite() {
                let (da, db) = gate.backward(a32, b32);
                assert!(ulp_error_f32(da, g) <= F32_BOUND);
                assert!(ulp_error_f32(db, slope.mul_f64(a32 as f64)) <= 2.0);
            }
        }
    }
}

#[test]
fn one_rounding_beats_two() {
    // The product of the rounded gate and a rounds twice; the documented bound is one rounding.
    // reglu's product of two f32 numbers is exact in f64, so its correctly rounded value is
    // known independently of any reference.
    let mut rng = Rng(23);
    for _ in 0..10_000 {
        let a = rng.multiplier() as f32;
        let b = rng.multiplier() as f32;
        let exact = (a as f64 * b.max(0.0) as f64) as f32;
        assert_eq!(Gate::Reglu.forward(a, b), exact, "a = {a:e}, b = {b:e}");
    }
    // glu, geglu and swiglu in f32: the gate rounded to f32 first and then multiplied by a
    // (two roundings) misses the correctly rounded product now and then; the fused product
    // never does.
    for gate in [Gate::Glu, Gate::Geglu, Gate::Swiglu] {
        let mut two_roundings_missed = 0;
        for _ in 0..10_000 {
            let a = rng.multiplier() as f32;
            let b = rng.uniform(-8.0, 8.0) as f32;
            let exact = gate
                .activation()
                .reference_forward(b as f64)
                .mul_f64(a as f64);
            assert!(ulp_error_f32(gate.forward(a, b), exact) <= F32_BOUND);
            let twice = a * gate.activation().forward(b);
            if ulp_error_f32(twice, exact) > 0.5 {
                two_roundings_missed += 1;
            }
        }
        assert!(
            two_roundings_missed > 100,
            "{}: {two_roundings_missed}",
            gate.name()
        );
    }
}

#[test]
fn partials_match_finite_differences() {
    let mut rng = Rng(24);
    for gate in Gate::ALL {
        for _ in 0..200 {
            let a = rng.uniform(-3.0, 3.0);
            let mut b = rng.uniform(-6.0, 6.0);
            if gate == Gate::Reglu && b.abs() < 1e-3 {
                b += 0.5; // away from the kink
            }
            let h = 1e-5;
            let f = |a: f64, b: f64| gate.forward(a, b);
            let fd_a = (f(a + h, b) - f(a - h, b)) / (2.0 * h);
            let fd_b = (f(a, b + h) - f(a, b - h)) / (2.0 * h);
            let (da, db) = gate.backward(a, b);
            assert!(
                (da - fd_a).abs() < 1e-8,
                "{} ∂/∂a at ({a}, {b})",
                gate.name()
            );
            assert!(
                (db - fd_b).abs() < 1e-8,
                "{} ∂/∂b at ({a}, {b})",
                gate.name()
            );
        }
    }
}

#[test]
fn slice_passes_match_finite_differences_of_a_loss() {
    let mut rng = Rng(25);
    let (rows, cols) = (3, 5);
    for gate in Gate::ALL {
        let x: Vec<f64> = (0..rows * 2 * cols)
            .map(|_| rng.uniform(-3.0, 3.0))
            .collect(); // (rows, 2·cols)
        // (rows, cols)
        let dy: Vec<f64> = (0..rows * cols).map(|_| rng.uniform(-1.0, 1.0)).collect();
        let mut dx = vec![0.0; x.len()]; // (rows, 2·cols)
        gated_backward(gate, &x, &dy, &mut dx, cols).unwrap();
        // L(x) = ⟨dy, gated(x)⟩
        let loss = |x: &[f64]| {
            let mut out = vec![0.0; rows * cols];
            gated_forward(gate, x, &mut out, cols).unwrap();
            out.iter().zip(&dy).map(|(o, g)| o * g).sum::<f64>()
        };
        for j in 0..x.len() {
            let (mut xp, mut xm) = (x.clone(), x.clone());
            xp[j] += 1e-5;
            xm[j] -= 1e-5;
            let fd = (loss(&xp) - loss(&xm)) / 2e-5;
            assert!(
                (dx[j] - fd).abs() < 1e-8,
                "{} entry {j}: {} vs {fd}",
                gate.name(),
                dx[j]
            );
        }
    }
}

#[test]
fn slices_agree_with_the_scalar_functions() {
    let mut rng = Rng(26);
    for gate in Gate::ALL {
        for &cols in &[1usize, 2, 7, 8, 9, 64] {
            let rows = 3;
            let x: Vec<f32> = (0..rows * 2 * cols)
                .map(|_| rng.uniform(-8.0, 8.0) as f32)
                .collect();
            let dy: Vec<f32> = (0..rows * cols)
                .map(|_| rng.uniform(-2.0, 2.0) as f32)
                .collect();
            let mut out = vec![0.0f32; rows * cols];
            let mut dx = vec![0.0f32; x.len()];
            gated_forward(gate, &x, &mut out, cols).unwrap();
            gated_backward(gate, &x, &dy, &mut dx, cols).unwrap();
            for r in 0..rows {
                for i in 0..cols {
                    let (a, b) = (x[r * 2 * cols + i], x[r * 2 * cols + cols + i]);
                    assert_eq!(out[r * cols + i], gate.forward(a, b));
                    let (da, db) = gate.backward(a as f64, b as f64);
                    let g = dy[r * cols + i] as f64;
                    // dy·∂/∂a and dy·∂/∂b, each rounded once (so within 1 ULP of the products
                    // of the separately rounded f64 partials)
                    let want_a = (da * g) as f32;
                    let want_b = (db * g) as f32;
                    for (got, want) in [
                        (dx[r * 2 * cols + i], want_a),
                        (dx[r * 2 * cols + cols + i], want_b),
                    ] {
                        assert!(
                            got == want || ulp_error_f32(got, DD::from_f64(want as f64)) <= 1.0,
                            "{} got {got:e}, want {want:e}",
                            gate.name()
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn special_values() {
    // NaN in either half gives NaN.
    for gate in Gate::ALL {
        assert!(gate.forward(f32::NAN, 1.0).is_nan());
        assert!(gate.forward(1.0f64, f64::NAN).is_nan());
        let (da, db) = gate.backward(1.0f32, f32::NAN);
        assert!(da.is_nan() && db.is_nan());
    }
    // A closed gate against an infinite a: ∞·0 = NaN (as PyTorch); an open one passes ∞.
    assert!(Gate::Reglu.forward(f32::INFINITY, -1.0).is_nan());
    assert_eq!(Gate::Reglu.forward(2.0f64, f64::INFINITY), f64::INFINITY);
    assert_eq!(Gate::Glu.forward(f32::INFINITY, 0.0), f32::INFINITY);
    assert_eq!(Gate::Glu.forward(-3.0f32, f32::NEG_INFINITY), -0.0);
    assert_eq!(Gate::Swiglu.forward(2.0f32, f32::INFINITY), f32::INFINITY);
    // Huge gates do not overflow where the product is finite: 1e-30·gelu(1e30) = 1.
    assert_eq!(Gate::Geglu.forward(1e-30f64, 1e30), 1e-30 * 1e30);
    // The left tails stay exact: geglu(1, −10) = gelu(−10) = −7.6e-23; silu(−100)·1 = −3.7e-42.
    assert!(Gate::Geglu.forward(1.0f32, -10.0) < 0.0);
    assert!(Gate::Swiglu.forward(1.0f32, -100.0) < 0.0);
    // reglu′(0) = 0: no gradient through the kink.
    assert_eq!(Gate::Reglu.backward(5.0f64, 0.0), (0.0, 0.0));
}

#[test]
fn shape_errors_are_typed_and_write_nothing() {
    let x = [1.0f64; 8];
    let mut out = [9.0f64; 4];
    assert_eq!(
        gated_forward(Gate::Glu, &x, &mut out, 0),
        Err(RowError::ZeroCols)
    );
    assert_eq!(
        gated_forward(Gate::Glu, &x, &mut out, 3),
        Err(RowError::NotWholeRows { len: 8, row_len: 6 })
    );
    assert_eq!(
        gated_forward(Gate::Glu, &x, &mut out[..3], 2),
        Err(RowError::LengthMismatch {
            argument: "out",
            expected: 4,
            got: 3
        })
    );
    assert_eq!(out, [9.0; 4]);
    let mut dx = [9.0f64; 8];
    assert_eq!(
        gated_backward(Gate::Swiglu, &x, &out[..2], &mut dx, 2),
        Err(RowError::LengthMismatch {
            argument: "dy",
            expected: 4,
            got: 2
        })
    );
    assert_eq!(
        gated_backward(Gate::Swiglu, &x, &out, &mut dx[..4], 2),
        Err(RowError::LengthMismatch {
            argument: "dx",
            expected: 8,
            got: 4
        })
    );
    assert_eq!(dx, [9.0; 8]);
    // no rows: nothing to do
    gated_forward::<f32>(Gate::Geglu, &[], &mut [], 4).unwrap();
}

/// `Real` is what the gates are generic over; both types agree to f32 rounding.
#[test]
fn f32_results_are_the_f64_results_rounded() {
    fn both<T: Real>(gate: Gate, a: f32, b: f32) -> T {
        gate.forward(T::from_f64(a as f64), T::from_f64(b as f64))
    }
    let mut rng = Rng(27);
    for gate in Gate::ALL {
        for _ in 0..2000 {
            let (a, b) = (rng.multiplier() as f32, rng.uniform(-20.0, 20.0) as f32);
            let y32: f32 = both(gate, a, b);
            let y64: f64 = both(gate, a, b);
            assert!(
                ulp_error_f32(y32, DD::from_f64(y64)) <= 0.5 + 1e-6,
                "{}",
                gate.name()
            );
        }
    }
}

#[test]
fn f32_sweep_within_the_bound() {
    // Every 4099th f32 bit pattern as b (both signs, every binade), a random a: forward and both
    // partials against the double-double reference, rounded once.
    let stride = if cfg!(debug_assertions) { 65537 } else { 4099 };
    let mut rng = Rng(28);
    for gate in Gate::ALL {
        let g = gate.activation();
        let (mut worst_f, mut worst_a, mut worst_b) = (0.0f64, 0.0f64, 0.0f64);
        let mut bits = 0u64;
        while bits < 1 << 32 {
            let b = f32::from_bits(bits as u32);
            bits += stride;
            if !b.is_finite() {
                continue;
            }
            let a = rng.multiplier() as f32;
            let value = g.reference_forward(b as f64);
            let slope = g.reference_derivative(b as f64);
            let (da, db) = gate.backward(a, b);
            worst_f = worst_f.max(ulp_error_f32(gate.forward(a, b), value.mul_f64(a as f64)));
            worst_a = worst_a.max(ulp_error_f32(da, value));
            worst_b = worst_b.max(ulp_error_f32(db, slope.mul_f64(a as f64)));
        }
        eprintln!(
            "{:6} f32 sweep: forward {worst_f:.9}, ∂/∂a {worst_a:.9}, ∂/∂b {worst_b:.9} ULP",
            gate.name()
        );
        let bound = 0.5 + 1e-3;
        assert!(
            worst_f <= bound && worst_a <= bound && worst_b <= bound,
            "{}",
            gate.name()
        );
    }
}

#[test]
fn slope_near_the_zeros_of_the_gate_derivative() {
    // gelu′ = Φ(b) + b·φ(b) and silu′ = σ(b)(1 + b·σ(−b)) cross zero at b ≈ −0.7518 and
    // −1.2785, where their f64 formulas cancel: f32 ∂/∂b there is as good as the catalogue's
    // f32 derivative (0.58 ULP for geglu), f64 stays correctly rounded.
    for (gate, root) in [(Gate::Geglu, -0.7517916f32), (Gate::Swiglu, -1.2784645f32)] {
        let g = gate.activation();
        let (mut worst32, mut worst64) = (0.0f64, 0.0f64);
        let mut b = root - 1e-3;
        while b < root + 1e-3 {
            let slope = g.reference_derivative(b as f64);
            let catalogue = ulp_error_f32(g.derivative(b), slope);
            let ours = ulp_error_f32(gate.backward(1.0f32, b).1, slope);
            assert!(
                ours <= catalogue.max(F32_BOUND),
                "{} b = {b:e}",
                gate.name()
            );
            worst32 = worst32.max(ours);
            let e = ulp_error_f64(gate.backward(3.0f64, b as f64).1, slope.mul_f64(3.0));
            worst64 = worst64.max(e);
            b = act::dd::next_f32_toward(b, f32::INFINITY);
        }
        assert!(worst32 <= 1.0, "{}: {worst32}", gate.name());
        assert!(worst64 <= 0.5 + 1e-9, "{}: {worst64}", gate.name());
    }
}
