//! The slice kernels (`act::kernels`) on every path this CPU has, against the scalar catalogue
//! and the double-double reference: hostile values, random values across binades, every length
//! shape around the vector widths, and bit-identity across thread counts and slice positions.
//!
//! Paths the CPU lacks are skipped with a note on stderr (run with `--nocapture` to see it):
//! on the AVX2 development machine, AVX-512 and NEON are compiled but not run.

use act::accuracy::Pass;
use act::kernels::{KernelError, Kernels, Path};
use act::ulp::ulp_error_f32;
use act::{ALL, Activation};

/// Every path the CPU runs, saying which are skipped.
fn kernels() -> Vec<Kernels> {
    for path in Path::ALL {
        if !path.is_available() {
            eprintln!("note: skipping the {path} kernels: this CPU lacks them");
        }
    }
    Path::available()
        .into_iter()
        .map(|p| Kernels::with_path(p).unwrap())
        .collect()
}

/// The catalogue with default parameters plus parameter variants that change a formula's branch
/// (slope 0, negative slope, β ≠ 1, α ≠ 1, a finite and an infinite softplus threshold, …).
fn activations() -> Vec<Activation> {
    let mut all = ALL.to_vec();
    all.extend([
        Activation::LeakyRelu {
            negative_slope: 0.0,
        },
        Activation::LeakyRelu {
            negative_slope: -0.3,
        },
        Activation::Prelu { weight: 0.7 },
        Activation::Elu { alpha: 0.5 },
        Activation::Celu { alpha: 2.5 },
        Activation::Celu { alpha: -0.5 },
        Activation::Elu { alpha: -1.5 },
        Activation::Swish { beta: 1.7 },
        Activation::Softplus {
            beta: 2.0,
            threshold: 5.0,
        },
        Activation::Softplus {
            beta: 0.5,
            threshold: f64::INFINITY,
        },
        Activation::Hardtanh {
            min_val: -2.5,
            max_val: 0.75,
        },
        Activation::Hardshrink { lambd: 1.25 },
        Activation::Softshrink { lambd: 0.1 },
        Activation::Threshold {
            threshold: 0.5,
            value: -3.0,
        },
    ]);
    all
}

/// ±0, ±1e-30, ±1e30, subnormals, ±∞, NaN, ±f32::MAX, the kinks and branch points of the
/// catalogue, and the zeros of the derivatives that cross zero.
fn hostile() -> Vec<f32> {
    let mut v = vec![
        0.0,
        -0.0,
        1e-30,
        -1e-30,
        1e30,
        -1e30,
        f32::from_bits(1),
        -f32::from_bits(1),
        f32::from_bits(3),
        -f32::from_bits(0x007f_ffff),
        f32::MIN_POSITIVE,
        -f32::MIN_POSITIVE,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -f32::NAN,
        f32::MAX,
        f32::MIN,
        1e-8,
        -1e-8,
        0.0625,
        -0.0625,
        0.34,
        -0.34,
        0.17,
        -0.17,
        -0.7517916,  // gelu′ = 0
        -1.2784645,  // silu′ = 0
        -1.1917362,  // mish′ = 0
        -0.75179267, // near gelu_tanh′ = 0
        14.0,
        -14.0,
        -14.5,
        15.0,
        -15.0,
        -20.0,
        20.0,
        40.0,
        -104.0,
        -88.7,
        88.8,
        -745.2,
        1e5,
        -1e5,
        1.0001e5,
        -1.0001e5,
    ];
    // (±13 and ±2⁻¹⁰⁰: where the AVX2 gelu kernel hands lanes to the f64 formula.)
    let two_to_minus_100 = f32::from_bits(0x0d80_0000);
    for k in [
        -6.0f32,
        -3.0,
        -2.5,
        -1.0,
        -0.5,
        0.5,
        0.75,
        1.0,
        1.25,
        3.0,
        6.0,
        13.0,
        -13.0,
        two_to_minus_100,
        -two_to_minus_100,
    ] {
        v.extend([
            k,
            f32::from_bits(k.to_bits() + 1),
            f32::from_bits(k.to_bits() - 1),
        ]);
    }
    v
}

/// Deterministic values across all binades of both signs (xorshift bits, NaNs dropped), plus
/// a dense sample of [−16, 16] where the formulas switch branches.
fn random(n: usize) -> Vec<f32> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut v = Vec::with_capacity(n);
    while v.len() < n {
        let r = next();
        let x = if r & 1 == 0 {
            f32::from_bits((r >> 32) as u32)
        } else {
            ((r >> 11) as f64 / (1u64 << 53) as f64 * 32.0 - 16.0) as f32
        };
        if !x.is_nan() {
            v.push(x);
        }
    }
    v
}

/// Gradients dy for the backward tests: ones, signs, tiny and huge values.
fn gradients(n: usize) -> Vec<f32> {
    let pattern = [1.0f32, -1.0, 0.5, -3.25, 1e-20, 7e15, -0.0, 2.0];
    (0..n).map(|i| pattern[i % pattern.len()]).collect()
}

/// Functions computed exactly (no transcendental, no rounded product), whose kernels must equal
/// the scalar path bit for bit.
fn exact_bits(a: Activation) -> bool {
    matches!(
        a,
        Activation::Identity
            | Activation::Relu
            | Activation::Relu6
            | Activation::Hardtanh { .. }
            | Activation::Threshold { .. }
            | Activation::Hardshrink { .. }
            | Activation::SquaredRelu
    )
}

#[derive(Default)]
struct Tally {
    checked: usize,
    differ_from_scalar: usize,
}

/// Checks y = f(x) of every path against the reference (≤ 1 ULP, NaN exactly where the
/// reference is NaN) and counts results that differ from the scalar path's bits.
fn check_forward(k: Kernels, a: Activation, xs: &[f32], tally: &mut Tally) {
    let mut y = vec![0.0f32; xs.len()];
    k.forward(a, xs, &mut y);
    for (&x, &got) in xs.iter().zip(&y) {
        let exact = a.reference_forward(x as f64);
        let e = ulp_error_f32(got, exact);
        assert!(
            e <= Pass::Forward.bound_ulp(),
            "{} {a} forward({x:e}) = {got:e}, exact {:e}: {e} ULP",
            k.path(),
            exact.hi
        );
        let scalar = a.forward(x);
        let same = got.to_bits() == scalar.to_bits() || (got.is_nan() && scalar.is_nan());
        if exact_bits(a) {
            assert!(same, "{} {a}({x:e}) = {got:e}, scalar {scalar:e}", k.path());
        }
        if !same && std::env::var_os("ACTLAB_SHOW_DIFFS").is_some() {
            eprintln!(
                "    {a}({x:e}): kernel {got:e}, scalar {scalar:e}, exact {:e}",
                exact.hi
            );
        }
        tally.checked += 1;
        tally.differ_from_scalar += usize::from(!same);
    }
}

/// Checks dx = dy·f′(x): with dy = 1 against the derivative (≤ 2 ULP), with other dy against the
/// exact product dy·f′(x) (≤ 2 ULP).
fn check_backward(k: Kernels, a: Activation, xs: &[f32], tally: &mut Tally) {
    let ones = vec![1.0f32; xs.len()];
    let dy = gradients(xs.len());
    let mut dx = vec![0.0f32; xs.len()];
    k.backward(a, xs, &ones, &mut dx);
    for (&x, &got) in xs.iter().zip(&dx) {
        let exact = a.reference_derivative(x as f64);
        let e = ulp_error_f32(got, exact);
        assert!(
            e <= Pass::Derivative.bound_ulp(),
            "{} {a} f′({x:e}) = {got:e}, exact {:e}: {e} ULP",
            k.path(),
            exact.hi
        );
        let scalar = a.derivative(x);
        let same = got.to_bits() == scalar.to_bits() || (got.is_nan() && scalar.is_nan());
        tally.checked += 1;
        tally.differ_from_scalar += usize::from(!same);
    }
    k.backward(a, xs, &dy, &mut dx);
    for ((&x, &g), &got) in xs.iter().zip(&dy).zip(&dx) {
        let exact = a.reference_derivative(x as f64).mul_f64(g as f64);
        let e = ulp_error_f32(got, exact);
        assert!(
            e <= Pass::Derivative.bound_ulp(),
            "{} {a} dy·f′ at x = {x:e}, dy = {g:e}: {got:e}, exact {:e}: {e} ULP",
            k.path(),
            exact.hi
        );
    }
}

#[test]
fn every_path_is_within_the_bounds_on_hostile_and_random_values() {
    let mut xs = hostile();
    xs.extend(random(4000));
    for k in kernels() {
        let (mut fwd, mut bwd) = (Tally::default(), Tally::default());
        for a in activations() {
            let before = fwd.differ_from_scalar;
            check_forward(k, a, &xs, &mut fwd);
            check_backward(k, a, &xs, &mut bwd);
            if fwd.differ_from_scalar > before {
                eprintln!(
                    "  {}: {a}: {} forward results differ from the scalar bits",
                    k.path(),
                    fwd.differ_from_scalar - before
                );
            }
        }
        eprintln!(
            "{}: forward {} results, {} differ from the scalar bits; derivative {} results, {} differ",
            k.path(),
            fwd.checked,
            fwd.differ_from_scalar,
            bwd.checked,
            bwd.differ_from_scalar
        );
        // Near-ties only (a product x·slope that double-rounds at an f32 midpoint, x/2 of an
        // odd subnormal whose x² term decides the tie): at most a few per thousand.
        assert!(fwd.differ_from_scalar * 200 < fwd.checked, "{}", k.path());
    }
}

#[test]
fn nan_gives_nan_and_infinities_give_the_limits() {
    for k in kernels() {
        for a in activations() {
            let x = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY];
            let mut y = [0.0f32; 3];
            k.forward(a, &x, &mut y);
            assert!(y[0].is_nan(), "{} {a}(NaN) = {}", k.path(), y[0]);
            for i in 1..3 {
                let scalar = a.forward(x[i]);
                assert!(
                    y[i].to_bits() == scalar.to_bits() || (y[i].is_nan() && scalar.is_nan()),
                    "{} {a}({}) = {}, scalar {scalar}",
                    k.path(),
                    x[i],
                    y[i]
                );
            }
            let mut dx = [0.0f32; 3];
            k.backward(a, &x, &[1.0; 3], &mut dx);
            assert!(dx[0].is_nan(), "{} {a}′(NaN)", k.path());
            for i in 1..3 {
                let scalar = a.derivative(x[i]);
                assert!(
                    dx[i].to_bits() == scalar.to_bits() || (dx[i].is_nan() && scalar.is_nan()),
                    "{} {a}′({}) = {}, scalar {scalar}",
                    k.path(),
                    x[i],
                    dx[i]
                );
            }
        }
    }
}

/// Checks dx = dy·f′(x) on every path for each of `functions` on `xs`, for every finite dy (±1,
/// tiny, huge, with products that underflow or reach f32::MAX) within `bound` ULP of the exact
/// dy·f′(x); dy = ±0 gives the zero of dy·f′'s sign, NaN (in x or dy) gives NaN, dy = ±∞ gives
/// ±∞ times f′'s sign where f′ is not 0 in `f64`.
fn check_dy_times_derivative(functions: &[Activation], xs: &[f32], bound: f64) {
    let finite = [
        1.0f32,
        -1.0,
        0.75,
        -3.3e-3,
        1e-20,
        -1e-35,
        f32::MIN_POSITIVE,
        f32::from_bits(1),
        7e15,
        3e38,
        f32::MIN,
    ];
    let special = [0.0f32, -0.0, f32::INFINITY, f32::NEG_INFINITY, f32::NAN];
    for k in kernels() {
        for &a in functions {
            let mut dx = vec![0.0f32; xs.len()];
            for &g in finite.iter().chain(&special) {
                let dy = vec![g; xs.len()];
                k.backward(a, xs, &dy, &mut dx);
                for (&x, &got) in xs.iter().zip(&dx) {
                    let f = a.reference_derivative(x as f64);
                    let at = format!("{} {a} at x = {x:e}, dy = {g:e}: {got:e}", k.path());
                    if x.is_nan() || g.is_nan() {
                        assert!(got.is_nan(), "{at}");
                    } else if g.is_finite() {
                        let exact = f.mul_f64(g as f64);
                        let e = ulp_error_f32(got, exact);
                        assert!(e <= bound, "{at}, exact {:e}: {e} ULP", exact.hi);
                        if g == 0.0 {
                            let want = (g as f64 * f.hi) as f32;
                            assert_eq!(got.to_bits(), want.to_bits(), "{at}");
                        }
                    } else if f.hi.abs() > 1e-300 {
                        assert_eq!(got, g * f.hi.signum() as f32, "{at}");
                    } else {
                        // f′ is 0 in f64 (or below its range): ∞·0.
                        assert!(got.is_nan() || got.abs() == g.abs(), "{at}");
                    }
                }
            }
        }
    }
}

/// softplus′ = σ(βx) and logsigmoid′ = σ(−x), which the AVX2 path computes in `f32` lanes with dy
/// folded into the last FMA (the other paths in `f64`): within 1 ULP of the exact dy·f′(x) (a
/// single rounding; the general backward bound is 2), and the rules of
/// [`check_dy_times_derivative`].
#[test]
fn sigmoid_derivatives_round_dy_times_f_prime_once() {
    let functions = [
        Activation::Softplus {
            beta: 1.0,
            threshold: 20.0,
        },
        Activation::Logsigmoid,
        Activation::Softplus {
            beta: 2.0,
            threshold: 5.0,
        },
        Activation::Softplus {
            beta: 4.0,
            threshold: f64::INFINITY,
        },
    ];
    let mut xs = hostile();
    xs.extend(random(3000));
    check_dy_times_derivative(&functions, &xs, 1.0);
}

/// silu′, which the AVX2 path computes in `f32` lanes except beside its root at x ≈ −1.2785
/// (where it hands the lanes to the `f64` formula): a dense grid across the root and the
/// hand-over band, the ±80 limits, hostile and random values, within 2 ULP of dy·f′(x).
#[test]
fn silu_derivative_rounds_dy_times_f_prime_once() {
    let mut xs = hostile();
    xs.extend(random(3000));
    xs.extend((0..4000).map(|i| -1.4f32 + i as f32 * 5e-5));
    xs.extend([
        80.0f32, 80.000_01, 79.999_99, -80.0, -80.000_01, -79.999_99, 87.0, -87.0,
    ]);
    check_dy_times_derivative(&[Activation::Silu], &xs, 2.0);
}

/// hardsigmoid′ and hardswish′ (dy times the exactly rounded f′ in `f64`, one rounding): within
/// 1 ULP of the exact dy·f′(x) at the ends of the middle interval, across hardswish′'s zero at
/// −3/2, on hostile and random values, for every dy.
#[test]
fn hard_derivatives_round_dy_times_f_prime_once() {
    let mut xs = hostile();
    xs.extend(random(3000));
    xs.extend((0..2000).map(|i| -1.55f32 + i as f32 * 5e-5));
    for edge in [-3.0f32, -1.5, 3.0] {
        xs.extend([
            edge,
            f32::from_bits(edge.to_bits() + 1),
            f32::from_bits(edge.to_bits() - 1),
        ]);
    }
    check_dy_times_derivative(&[Activation::Hardsigmoid, Activation::Hardswish], &xs, 1.0);
}

#[test]
fn results_do_not_depend_on_length_or_position() {
    // Every length around the widths (2, 4, 8 lanes, blocks of 16; AVX-512's 16 `f32` lanes
    // and pairs of 32) and 1023: each element's result equals the kernel's result on that
    // element alone.
    let xs = random(1100);
    for k in kernels() {
        for a in activations() {
            for n in [
                0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 1023,
                1025,
            ] {
                let x = &xs[..n];
                let mut y = vec![0.0f32; n];
                k.forward(a, x, &mut y);
                let mut in_place = x.to_vec();
                k.forward_in_place(a, &mut in_place);
                let dy = gradients(n);
                let mut dx = vec![0.0f32; n];
                k.backward(a, x, &dy, &mut dx);
                for i in 0..n {
                    let mut one = [0.0f32];
                    k.forward(a, &x[i..=i], &mut one);
                    assert_eq!(y[i].to_bits(), one[0].to_bits(), "{} {a} n = {n}", k.path());
                    assert_eq!(in_place[i].to_bits(), one[0].to_bits(), "{} {a}", k.path());
                    k.backward(a, &x[i..=i], &dy[i..=i], &mut one);
                    assert_eq!(
                        dx[i].to_bits(),
                        one[0].to_bits(),
                        "{} {a} n = {n}",
                        k.path()
                    );
                }
            }
        }
    }
}

#[test]
fn backward_from_output_matches_the_algebra_on_y() {
    let xs = {
        let mut v = hostile();
        v.extend(random(2000));
        v
    };
    for k in kernels() {
        for a in activations() {
            let mut y = vec![0.0f32; xs.len()];
            k.forward(a, &xs, &mut y);
            let dy = gradients(xs.len());
            let mut dx = vec![0.0f32; xs.len()];
            let outcome = k.backward_from_output(a, &y, &dy, &mut dx);
            if !a.has_derivative_from_output() {
                assert_eq!(
                    outcome,
                    Err(KernelError::NoDerivativeFromOutput { function: a.name() })
                );
                continue;
            }
            outcome.unwrap();
            for ((&y, &g), &got) in y.iter().zip(&dy).zip(&dx) {
                // f′(y) in f64 is exact algebra on y (rounded once in f64), times dy.
                let d = a.derivative_from_output(y as f64).unwrap();
                let want = act::dd::DD::from_f64(d).mul_f64(g as f64);
                let e = ulp_error_f32(got, want);
                assert!(
                    e <= 1.0,
                    "{} {a} at y = {y:e}, dy = {g}: {got:e} vs {:e}",
                    k.path(),
                    want.hi
                );
            }
        }
    }
}

#[cfg(feature = "rayon")]
#[test]
fn results_are_bit_identical_for_every_thread_count() {
    // Long enough to be split (PARALLEL_THRESHOLD), with a ragged end.
    let n = act::kernels::PARALLEL_THRESHOLD * 2 + 12_345;
    let xs = random(n);
    let dy = gradients(n);
    let run = |threads: usize, k: Kernels, a: Activation| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut y = vec![0.0f32; n];
            k.forward(a, &xs, &mut y);
            let mut dx = vec![0.0f32; n];
            k.backward(a, &xs, &dy, &mut dx);
            let mut z = xs.clone();
            k.forward_in_place(a, &mut z);
            (y, dx, z)
        })
    };
    for k in kernels() {
        for a in [
            Activation::Gelu,
            Activation::Sigmoid,
            Activation::Mish,
            Activation::Relu,
        ] {
            let one = run(1, k, a);
            for threads in [2, 3] {
                let many = run(threads, k, a);
                let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&one.0), bits(&many.0), "{} {a} forward", k.path());
                assert_eq!(bits(&one.1), bits(&many.1), "{} {a} backward", k.path());
                assert_eq!(bits(&one.2), bits(&many.2), "{} {a} in place", k.path());
            }
        }
    }
}

#[test]
fn f64_slices_apply_the_exact_scalar_path() {
    let xs: Vec<f64> = random(300)
        .into_iter()
        .map(|x| x as f64 * 1.000000123)
        .collect();
    let dy: Vec<f64> = gradients(xs.len()).into_iter().map(f64::from).collect();
    for a in activations() {
        let mut y = vec![0.0f64; xs.len()];
        act::kernels::forward(a, &xs, &mut y);
        let mut dx = vec![0.0f64; xs.len()];
        act::kernels::backward(a, &xs, &dy, &mut dx);
        for i in 0..xs.len() {
            let want = a.forward(xs[i]);
            assert!(y[i].to_bits() == want.to_bits() || (y[i].is_nan() && want.is_nan()));
            let want = a.reference_derivative(xs[i]).mul_f64(dy[i]).hi;
            assert!(dx[i].to_bits() == want.to_bits() || (dx[i].is_nan() && want.is_nan()));
        }
    }
}

#[test]
fn unavailable_paths_are_refused() {
    for path in Path::ALL {
        match Kernels::with_path(path) {
            Ok(k) => assert!(path.is_available() && k.path() == path),
            Err(err) => {
                assert!(!path.is_available());
                assert_eq!(err, KernelError::PathUnavailable { path });
            }
        }
        assert_eq!(path.name().parse::<Path>(), Ok(path));
    }
    assert!("sse9".parse::<Path>().is_err());
}

/// Rows of `cols` logits: random values, huge and tiny ones, ties at the maximum, and rows holding
/// NaN, +∞ and −∞ (which go to the scalar path).
fn logit_rows(cols: usize, rows: usize) -> Vec<f32> {
    let mut x = random(cols * rows);
    for (r, row) in x.chunks_exact_mut(cols).enumerate() {
        match r % 8 {
            0 => row.iter_mut().for_each(|v| *v = v.clamp(-20.0, 20.0)),
            1 => row
                .iter_mut()
                .for_each(|v| *v = (*v * 0.01).clamp(-1.0, 1.0)),
            2 => row[cols / 2] = f32::NAN,
            3 => row[0] = f32::INFINITY,
            4 => row[cols - 1] = f32::NEG_INFINITY,
            5 => row.iter_mut().for_each(|v| *v = 3.0), // all tied
            6 => {
                // one entry far above the rest: S barely above 1.
                row.iter_mut().for_each(|v| *v = v.clamp(-30.0, -25.0));
                row[0] = 0.0;
            }
            _ => {}
        }
    }
    x
}

#[test]
fn softmax_and_log_softmax_kernels_match_the_scalar_row_functions() {
    for k in kernels() {
        let mut differ = 0;
        let mut checked = 0;
        for cols in [1, 2, 3, 7, 16, 33, 100, 1024] {
            let x = logit_rows(cols, 16);
            for log in [false, true] {
                let mut got = vec![0.0f32; x.len()];
                let mut want = vec![0.0f32; x.len()];
                if log {
                    k.log_softmax(&x, &mut got, cols).unwrap();
                    act::rowwise::log_softmax(&x, &mut want, cols).unwrap();
                } else {
                    k.softmax(&x, &mut got, cols).unwrap();
                    act::rowwise::softmax(&x, &mut want, cols).unwrap();
                }
                for (i, (&g, &w)) in got.iter().zip(&want).enumerate() {
                    let same = g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan());
                    if !same {
                        // One ULP at most (the scalar value is correctly rounded but for
                        // near-ties; the `f32`-lane softmax computes e^(x − m) to ~2⁻²⁶ and
                        // may round the other way within ~0.12 ULP of a tie:
                        // `tests/row_kernels.rs` measures its distance from the exact value).
                        let gap = (g.to_bits() as i64 - w.to_bits() as i64).abs();
                        assert!(
                            gap <= 1 && g.is_finite(),
                            "{} {} cols {cols} entry {i}: {g:e} vs scalar {w:e}",
                            k.path(),
                            if log { "log_softmax" } else { "softmax" }
                        );
                        differ += 1;
                    }
                    checked += 1;
                }
            }
        }
        eprintln!(
            "{}: row-wise {checked} results, {differ} differ from the scalar bits",
            k.path()
        );
        // Rare: under 1 in 1000 where the rows run in f64 lanes (portable, NEON), under 1 in
        // 20 where the exponentials are f32-lane pairs (AVX2, AVX-512: 1.4% on uniform
        // logits, `tests/row_kernels.rs`).
        let f32_lanes = matches!(k.path(), Path::Avx2 | Path::Avx512);
        let per = if f32_lanes { 20 } else { 1000 };
        assert!(
            differ * per < checked,
            "{}: {differ} of {checked}",
            k.path()
        );
    }
}

#[test]
fn row_kernels_check_shapes_and_split_over_threads_with_the_same_bits() {
    let k = Kernels::new();
    let mut y = vec![0.0f32; 6];
    assert!(k.softmax(&[0.0; 6], &mut y, 0).is_err());
    assert!(k.softmax(&[0.0; 6], &mut y, 4).is_err());
    assert!(k.log_softmax(&[0.0; 6], &mut y[..3], 3).is_err());
    #[cfg(feature = "rayon")]
    {
        let cols = 1000; // not a divisor of the chunk size
        let x = logit_rows(cols, 200);
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let mut y = vec![0.0f32; x.len()];
                k.softmax(&x, &mut y, cols).unwrap();
                y.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
            })
        };
        assert_eq!(run(1), run(3));
    }
}

#[test]
#[should_panic(expected = "differ in length")]
fn a_length_mismatch_panics() {
    let mut y = [0.0f32; 3];
    act::kernels::forward(Activation::Relu, &[1.0f32; 4], &mut y);
}

/// AVX-512 runs AVX2's element-wise kernels on wider registers, each operation chosen to give
/// AVX2's bits lane for lane (`crates/act/src/kernels/x86.rs`), so that AVX2's exhaustive sweeps
/// hold for it: every element-wise function, forward, backward and from the output, on about a
/// million inputs strided over all 2³² bit patterns (NaN and ±∞ included), must agree bit for
/// bit, except that a signalling NaN may come out quieted on one path and unchanged on the other
/// (the same payload, a NaN either way: on the first AVX-512 machine, AVX-512 quieted every one,
/// AVX2 quieted it in a slice of one element and not in longer ones; where AVX2 passes it through
/// unchanged was not traced). Runs only on a CPU with both paths (skipped, with a note,
/// elsewhere).
#[test]
fn avx512_gives_avx2_bits_on_every_elementwise_function() {
    let (Ok(wide), Ok(narrow)) = (
        Kernels::with_path(Path::Avx512),
        Kernels::with_path(Path::Avx2),
    ) else {
        eprintln!("note: skipping the AVX-512 against AVX2 comparison: this CPU lacks a path");
        return;
    };
    let xs: Vec<f32> = (0..1u64 << 32)
        .step_by(4099)
        .map(|b| f32::from_bits(b as u32))
        .collect();
    let dy = gradients(xs.len());
    let mut a_out = vec![0.0f32; xs.len()];
    let mut b_out = vec![0.0f32; xs.len()];
    // A NaN's bits with the quiet bit set; other values' bits as they are.
    let quieted = |v: f32| {
        if v.is_nan() {
            v.to_bits() | 0x0040_0000
        } else {
            v.to_bits()
        }
    };
    let same = |a: &[f32], b: &[f32], what: &str| {
        for ((&x, &p), &q) in xs.iter().zip(a).zip(b) {
            assert_eq!(
                quieted(p),
                quieted(q),
                "{what} at x = {x:e}: avx512 {p:e}, avx2 {q:e}"
            );
        }
    };
    for a in activations() {
        wide.forward(a, &xs, &mut a_out);
        narrow.forward(a, &xs, &mut b_out);
        same(&a_out, &b_out, &format!("{a} forward"));
        wide.backward(a, &xs, &dy, &mut a_out);
        narrow.backward(a, &xs, &dy, &mut b_out);
        same(&a_out, &b_out, &format!("{a} backward"));
        if a.has_derivative_from_output() {
            wide.backward_from_output(a, &xs, &dy, &mut a_out).unwrap();
            narrow
                .backward_from_output(a, &xs, &dy, &mut b_out)
                .unwrap();
            same(&a_out, &b_out, &format!("{a} backward from the output"));
        }
    }
}
