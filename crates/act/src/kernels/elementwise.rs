//! The element-wise kernels, written once over [`Lanes`]: each activation's vector formula for
//! f(x), f′(x) and f′ from the output, and the drivers that run a formula over slices.
//!
//! Every formula is the scalar `f32` path's own stable formula (`functions/*.rs`, `*_fast`),
//! evaluated in `f64` lanes with the functions of [`math`] instead of libm and rounded once to
//! `f32`; the comments name the form and why. Two rules hold for every function and are applied
//! by the drivers, not the formulas:
//! - NaN in gives NaN out (each result lane is replaced by x where x is NaN);
//! - a result does not depend on where its element sits in the slice: the last, partial block is
//!   copied into a zero-padded block and run through the same vector code, so splitting a slice
//!   among threads at any block boundary gives the same bits.
//!
//! snake has no vector formula (its derivative needs the double-double argument reduction near
//! its zeros, and its forward value a vector sine), nor has celu with α < 0 (x/α > 0 on x ≤ 0 is
//! beyond the kernels' exp of non-positive arguments): their kernels apply the scalar path per
//! element.
//!
//! The formula tables are macros, expanded inside each `#[target_feature]` entry point: a closure
//! inherits its enclosing function's instruction sets only when it is written inside it, and a
//! closure built in a generic helper (even one inlined there) would call every intrinsic out of
//! line (measured: 40× slower).

use super::lanes::{F32Kernel, Lanes};
use super::math::sigmoid_pair;
use crate::dd::{SELU_ALPHA, SELU_LAMBDA};

/// Elements per block: the unit of the loops (a multiple of every implementation's `LANES`).
pub(crate) const BLOCK: usize = 32;

/// Runs a formula over slices; one implementation per kind of kernel.
pub(crate) trait Driver<S: Lanes>: Sized {
    /// Runs the vector formula `f` (from `f64` lanes to `f64` lanes).
    fn vector(self, s: S, f: impl Fn(S::V) -> S::V);
    /// Runs the per-element `f` (its value in `f64`): the fallback where no vector formula exists.
    fn scalar(self, f: impl Fn(f32) -> f64);
    /// Runs `f` per element in `f32` arithmetic, for formulas that are exact there (selects,
    /// comparisons, one correctly rounded operation on `f32` values): a plain loop that the
    /// compiler vectorises for the entry point's instruction set, eight `f32` lanes to a 256-bit
    /// register instead of four `f64` ones, and no conversions. NaN in gives NaN out as in
    /// [`Driver::vector`]; backward multiplies by dy in `f32`, which rounds once only because
    /// such a formula's f′ is 0, 1 or a slope exact in `f32` (the callers' condition).
    fn native(self, f: impl Fn(f32) -> f32);
    /// Runs `f(x, dy)` per element in `f32` arithmetic (dy = 1 for the forward drivers, which
    /// compute f′ itself), a plain loop as in [`Driver::native`], for a backward formula that
    /// rounds dy·f′ once by itself: [`Backward`] writes f(x, dy) (x where x is NaN), the others
    /// f(x, 1).
    fn native_dy(self, f: impl Fn(f32, f32) -> f32);
    /// Runs the instruction set's `f32`-lane kernel for `kind` ([`Lanes::f32_kernel`], or
    /// [`Lanes::f32_backward_kernel`] for [`Backward`]) where it has one, else the vector formula
    /// `f` (which is also the kernel's fallback for lanes outside its range).
    #[inline(always)]
    fn vector_or_f32(self, s: S, kind: F32Kernel, f: impl Fn(S::V) -> S::V) {
        let _ = kind;
        self.vector(s, f)
    }
}

/// x where x is NaN, else f(x): the NaN rule of [`Driver::native`].
#[inline(always)]
fn nan_or(x: f32, f: &impl Fn(f32) -> f32) -> f32 {
    if x.is_nan() { x } else { f(x) }
}

/// Runs the per-element `f` through `d` (names the token type for inference).
#[inline(always)]
pub(crate) fn scalar<S: Lanes, D: Driver<S>>(_: S, d: D, f: impl Fn(f32) -> f64) {
    d.scalar(f)
}

/// Runs the `f32` formula `f` through `d` ([`Driver::native`]; names the token type for
/// inference).
#[inline(always)]
pub(crate) fn native<S: Lanes, D: Driver<S>>(_: S, d: D, f: impl Fn(f32) -> f32) {
    d.native(f)
}

/// Runs the `f32` formula `f(x, dy)` through `d` ([`Driver::native_dy`]; names the token type
/// for inference).
#[inline(always)]
pub(crate) fn native_dy<S: Lanes, D: Driver<S>>(_: S, d: D, f: impl Fn(f32, f32) -> f32) {
    d.native_dy(f)
}

/// NaN in, NaN out: `r` where `x` is a number, `x` where it is NaN.
#[inline(always)]
pub(crate) fn nan_through<S: Lanes>(s: S, x: S::V, r: S::V) -> S::V {
    s.select(s.is_nan(x), x, r)
}

/// One block: y = f(x) (`x` and `y` hold at least [`BLOCK`] values).
#[inline(always)]
fn map_block<S: Lanes>(s: S, x: &[f32], y: &mut [f32], f: &impl Fn(S::V) -> S::V) {
    let mut i = 0;
    while i < BLOCK {
        let v = s.load(&x[i..]);
        s.store(nan_through(s, v, f(v)), &mut y[i..]);
        i += S::LANES;
    }
}

/// One block in place.
#[inline(always)]
fn in_place_block<S: Lanes>(s: S, x: &mut [f32], f: &impl Fn(S::V) -> S::V) {
    let mut i = 0;
    while i < BLOCK {
        let v = s.load(&x[i..]);
        s.store(nan_through(s, v, f(v)), &mut x[i..]);
        i += S::LANES;
    }
}

/// One block of dx = dy·g(x).
#[inline(always)]
fn backward_block<S: Lanes>(
    s: S,
    x: &[f32],
    dy: &[f32],
    dx: &mut [f32],
    f: &impl Fn(S::V) -> S::V,
) {
    let mut i = 0;
    while i < BLOCK {
        let v = s.load(&x[i..]);
        let g = s.load(&dy[i..]);
        s.store(s.mul(g, nan_through(s, v, f(v))), &mut dx[i..]);
        i += S::LANES;
    }
}

/// y = f(x) into a separate buffer (equal lengths, checked by the caller).
pub(crate) struct Map<'a> {
    pub(crate) x: &'a [f32],
    pub(crate) y: &'a mut [f32],
}

impl<S: Lanes> Driver<S> for Map<'_> {
    #[inline(always)]
    fn vector(self, s: S, f: impl Fn(S::V) -> S::V) {
        // PERF: one block is BLOCK/LANES independent vectors, which the out-of-order core
        // overlaps; the loop is over whole blocks, the tail goes through a padded copy.
        let mut xs = self.x.chunks_exact(BLOCK);
        let mut ys = self.y.chunks_exact_mut(BLOCK);
        for (x, y) in (&mut xs).zip(&mut ys) {
            map_block(s, x, y, &f);
        }
        let rest = xs.remainder();
        if !rest.is_empty() {
            let mut x = [0.0f32; BLOCK];
            let mut y = [0.0f32; BLOCK];
            x[..rest.len()].copy_from_slice(rest);
            map_block(s, &x, &mut y, &f);
            ys.into_remainder().copy_from_slice(&y[..rest.len()]);
        }
    }

    fn scalar(self, f: impl Fn(f32) -> f64) {
        for (y, &x) in self.y.iter_mut().zip(self.x) {
            *y = f(x) as f32;
        }
    }

    #[inline(always)]
    fn native(self, f: impl Fn(f32) -> f32) {
        for (y, &x) in self.y.iter_mut().zip(self.x) {
            *y = nan_or(x, &f);
        }
    }

    #[inline(always)]
    fn native_dy(self, f: impl Fn(f32, f32) -> f32) {
        for (y, &x) in self.y.iter_mut().zip(self.x) {
            *y = nan_or(x, &|x| f(x, 1.0));
        }
    }

    #[inline(always)]
    fn vector_or_f32(self, s: S, kind: F32Kernel, f: impl Fn(S::V) -> S::V) {
        let exact = |v| nan_through(s, v, f(v));
        if !s.f32_kernel(kind, self.x, self.y, &exact) {
            self.vector(s, f);
        }
    }
}

/// x ← f(x).
pub(crate) struct InPlace<'a> {
    pub(crate) x: &'a mut [f32],
}

impl<S: Lanes> Driver<S> for InPlace<'_> {
    #[inline(always)]
    fn vector(self, s: S, f: impl Fn(S::V) -> S::V) {
        let mut xs = self.x.chunks_exact_mut(BLOCK);
        for x in &mut xs {
            in_place_block(s, x, &f);
        }
        let rest = xs.into_remainder();
        if !rest.is_empty() {
            let mut x = [0.0f32; BLOCK];
            x[..rest.len()].copy_from_slice(rest);
            in_place_block(s, &mut x, &f);
            let n = rest.len();
            rest.copy_from_slice(&x[..n]);
        }
    }

    fn scalar(self, f: impl Fn(f32) -> f64) {
        for x in self.x.iter_mut() {
            *x = f(*x) as f32;
        }
    }

    #[inline(always)]
    fn native(self, f: impl Fn(f32) -> f32) {
        for x in self.x.iter_mut() {
            *x = nan_or(*x, &f);
        }
    }

    #[inline(always)]
    fn native_dy(self, f: impl Fn(f32, f32) -> f32) {
        for x in self.x.iter_mut() {
            *x = nan_or(*x, &|x| f(x, 1.0));
        }
    }

    #[inline(always)]
    fn vector_or_f32(self, s: S, kind: F32Kernel, f: impl Fn(S::V) -> S::V) {
        // In place through a stack buffer (the kernel reads x and writes y).
        let exact = |v| nan_through(s, v, f(v));
        let mut done = true;
        for x in self.x.chunks_mut(BLOCK * 8) {
            let mut input = [0.0f32; BLOCK * 8];
            let n = x.len();
            input[..n].copy_from_slice(x);
            done = s.f32_kernel(kind, &input[..n], x, &exact);
            if !done {
                break;
            }
        }
        if !done {
            self.vector(s, f);
        }
    }
}

/// dx = dy·g(x) rounded once, where g is f′ of the input (or of the output: then `x` holds y).
pub(crate) struct Backward<'a> {
    pub(crate) x: &'a [f32],
    pub(crate) dy: &'a [f32],
    pub(crate) dx: &'a mut [f32],
}

impl<S: Lanes> Driver<S> for Backward<'_> {
    #[inline(always)]
    fn vector(self, s: S, f: impl Fn(S::V) -> S::V) {
        // dy·f′ is formed in f64 (the product of an f32 and an f64 derivative, relative error
        // 2⁻⁵³) and rounded once to f32.
        let mut xs = self.x.chunks_exact(BLOCK);
        let mut gs = self.dy.chunks_exact(BLOCK);
        let mut ds = self.dx.chunks_exact_mut(BLOCK);
        for ((x, g), d) in (&mut xs).zip(&mut gs).zip(&mut ds) {
            backward_block(s, x, g, d, &f);
        }
        let rest = xs.remainder();
        if !rest.is_empty() {
            let n = rest.len();
            let mut x = [0.0f32; BLOCK];
            let mut g = [0.0f32; BLOCK];
            let mut d = [0.0f32; BLOCK];
            x[..n].copy_from_slice(rest);
            g[..n].copy_from_slice(gs.remainder());
            backward_block(s, &x, &g, &mut d, &f);
            ds.into_remainder().copy_from_slice(&d[..n]);
        }
    }

    fn scalar(self, f: impl Fn(f32) -> f64) {
        for ((dx, &x), &dy) in self.dx.iter_mut().zip(self.x).zip(self.dy) {
            *dx = (dy as f64 * f(x)) as f32;
        }
    }

    #[inline(always)]
    fn native(self, f: impl Fn(f32) -> f32) {
        for ((dx, &x), &dy) in self.dx.iter_mut().zip(self.x).zip(self.dy) {
            *dx = dy * nan_or(x, &f);
        }
    }

    #[inline(always)]
    fn native_dy(self, f: impl Fn(f32, f32) -> f32) {
        for ((dx, &x), &dy) in self.dx.iter_mut().zip(self.x).zip(self.dy) {
            *dx = nan_or(x, &|x| f(x, dy));
        }
    }

    #[inline(always)]
    fn vector_or_f32(self, s: S, kind: F32Kernel, f: impl Fn(S::V) -> S::V) {
        // The fallback lanes: dy·f′ in f64, rounded once, as in `vector`.
        let exact = |v, g| s.mul(g, nan_through(s, v, f(v)));
        if !s.f32_backward_kernel(kind, self.x, self.dy, self.dx, &exact) {
            self.vector(s, f);
        }
    }
}

/// r where x = +∞, q where x = −∞, else v (for formulas whose limits would be ∞·0).
#[inline(always)]
pub(crate) fn at_infinities<S: Lanes>(s: S, x: S::V, v: S::V, r: f64, q: f64) -> S::V {
    let v = s.select(s.eq(x, s.splat(f64::INFINITY)), s.splat(r), v);
    s.select(s.eq(x, s.splat(f64::NEG_INFINITY)), s.splat(q), v)
}

/// 1/√(2π), gelu′(0)/2's coefficient of x² in gelu.
pub(crate) const FRAC_1_SQRT_2PI: f64 = 0.3989422804014327;

/// √(2/π) as the scalar path forms it, and gelu_tanh's cubic coefficient.
pub(crate) const GELU_TANH_K: f64 =
    core::f64::consts::FRAC_2_SQRT_PI * core::f64::consts::FRAC_1_SQRT_2;
pub(crate) const GELU_TANH_C: f64 = 0.044715;

/// tanhshrink's series x³(1/3 − 2x²/15 + …) below |x| = 1/16 (the scalar path's coefficients).
pub(crate) const TANHSHRINK_SERIES: [f64; 7] = [
    929569.0 / 638512875.0,
    -21844.0 / 6081075.0,
    1382.0 / 155925.0,
    -62.0 / 2835.0,
    17.0 / 315.0,
    -2.0 / 15.0,
    1.0 / 3.0,
];

/// λ and λα of selu, each rounded once from double-double.
pub(crate) fn selu_constants() -> (f64, f64) {
    (SELU_LAMBDA.hi, (SELU_LAMBDA * SELU_ALPHA).hi)
}

/// The activation whose formulas compute `a`: swish with β = 1 is silu, whose table entries
/// have the same `f64` formulas and also the `f32`-lane kernels.
pub(crate) fn kernel_twin(a: crate::Activation) -> crate::Activation {
    match a {
        crate::Activation::Swish { beta: 1.0 } => crate::Activation::Silu,
        other => other,
    }
}

/// x·k for the slope k = hi + lo (`split_f32`) in `f32`: hi·x + lo·x in one FMA, so the product
/// is rounded once, with lo·x's own rounding (≤ 2⁻⁴⁸ of the product) below it; where k·x is
/// subnormal, lo·x underflows and the result may be one subnormal step off (within the 1 ULP
/// bound). x = ±∞ with hi and lo of opposite signs would give ∞ − ∞: hi·x there.
#[inline(always)]
pub(crate) fn times_split(x: f32, hi: f32, lo: f32) -> f32 {
    let p = hi.mul_add(x, lo * x);
    if p.is_nan() { x * hi } else { p }
}

/// The names every formula table uses, bound in the caller's scope (the identifiers come from
/// the caller, so the bindings are visible to its match arms): `s` the token, `a` the
/// activation, `d` the driver, `c(v)` a splat constant, `zero` = `c(0.0)`; and the imports the
/// arms draw on (items are not hygienic, so they reach the caller as they are).
macro_rules! formula_prelude {
    ($s:ident, $a:ident, $d:ident, $c:ident, $zero:ident = $ts:ident, $ta:ident, $td:ident) => {
        #[allow(unused_imports)]
        use crate::Activation;
        #[allow(unused_imports)]
        use crate::kernels::elementwise::*;
        #[allow(unused_imports)]
        use crate::kernels::lanes::{F32Kernel, Lanes as _};
        #[allow(unused_imports)]
        use crate::kernels::math::{
            self, Fast, exp, exp_g, expm1_g, horner, log1p_unit_g, normal_cdf_fast, normal_cdf_pdf,
            sigmoid_g, sigmoid_pair, tanh_g,
        };
        let ($s, $a, $d) = ($ts, kernel_twin($ta), $td);
        #[allow(unused_variables)]
        let $c = |v: f64| $s.splat(v);
        #[allow(unused_variables)]
        let $zero = $c(0.0);
    };
}
pub(crate) use formula_prelude;

/// f(x) for every element, through `d`.
///
/// A macro rather than a generic function so that the closures it builds are written
/// inside the `#[target_feature]` entry points and inherit their instruction sets (closures
/// do not inherit from a generic function merely inlined there).
macro_rules! forward_formulas {
    ($s:ident, $a:ident, $d:ident) => {{
        crate::kernels::elementwise::formula_prelude!(s, a, d, c, zero = $s, $a, $d);
        match a {
            Activation::Identity => native(s, d, |x| x),
            Activation::Sigmoid => {
                d.vector_or_f32(s, F32Kernel::Sigmoid, |x| sigmoid_g::<_, Fast>(s, x))
            }
            Activation::Tanh => d.vector_or_f32(s, F32Kernel::Tanh, |x| tanh_g::<_, Fast>(s, x)),
            // relu(x) = x for x > 0, +0 otherwise (−0 and negatives give +0, as the scalar path).
            Activation::Relu => native(s, d, |x| if x > 0.0 { x } else { 0.0 }),
            Activation::LeakyRelu { negative_slope: k } | Activation::Prelu { weight: k } => {
                if k == 0.0 {
                    native(s, d, |x| if x > 0.0 { x } else { 0.0 })
                } else if let Some(k) = as_f32(k) {
                    // k·x is one correctly rounded f32 product.
                    native(s, d, |x| if x > 0.0 { x } else { x * k })
                } else if let Some((hi, lo)) = split_f32(k) {
                    native(s, d, |x| if x > 0.0 { x } else { times_split(x, hi, lo) })
                } else if exact_times_f32(k) {
                    // k·x is exact in f64 (0.25, 0.5, …): one rounding without the FMA step.
                    d.vector(s, |x| s.select(s.gt(x, zero), x, s.mul(x, c(k))))
                } else {
                    d.vector(s, |x| s.select(s.gt(x, zero), x, product(s, x, c(k))))
                }
            }
            Activation::Rrelu { lower, upper } => {
                let k = (lower + upper) * 0.5;
                if let Some(k) = as_f32(k) {
                    native(s, d, |x| if x >= 0.0 { x } else { x * k })
                } else if let Some((hi, lo)) = split_f32(k) {
                    native(s, d, |x| if x >= 0.0 { x } else { times_split(x, hi, lo) })
                } else if exact_times_f32(k) {
                    d.vector(s, |x| s.select(s.ge(x, zero), x, s.mul(x, c(k))))
                } else {
                    d.vector(s, |x| s.select(s.ge(x, zero), x, product(s, x, c(k))))
                }
            }
            // α·expm1(x) on x ≤ 0: no cancellation near 0⁻.
            Activation::Elu { alpha } => {
                let f = |x| {
                    let negative = near_zero(s, x, s.mul(c(alpha), expm1_g::<_, Fast>(s, x)), alpha, 0.5 * alpha);
                    s.select(s.gt(x, zero), x, negative)
                };
                match split_f32(alpha) {
                    Some(negative) => d.vector_or_f32(s, F32Kernel::Expm1 { positive: (1.0, 0.0), negative }, f),
                    None => d.vector(s, f),
                }
            }
            Activation::Selu => {
                let (lambda, lambda_alpha) = selu_constants();
                let f = |x| {
                    s.select(
                        s.gt(x, zero),
                        product(s, x, c(lambda)),
                        near_zero(
                            s,
                            x,
                            s.mul(c(lambda_alpha), expm1_g::<_, Fast>(s, x)),
                            lambda_alpha,
                            0.5 * lambda_alpha,
                        ),
                    )
                };
                match (split_f32(lambda), split_f32(lambda_alpha)) {
                    (Some(positive), Some(negative)) => {
                        d.vector_or_f32(s, F32Kernel::Expm1 { positive, negative }, f)
                    }
                    _ => d.vector(s, f),
                }
            }
            // α < 0 makes x/α positive on x ≤ 0, beyond the kernels' exp (x ≤ 0): scalar path.
            Activation::Celu { alpha } if alpha < 0.0 => scalar(s, d, |x| a.forward(x) as f64),
            Activation::Celu { alpha } => {
                let f = |x| {
                    let m = expm1_g::<_, Fast>(s, s.div(x, c(alpha)));
                    let negative = near_zero(s, x, s.mul(c(alpha), m), 1.0, 0.5 / alpha);
                    s.select(s.gt(x, zero), x, negative)
                };
                // α = 1 (the default): elu's kernel (x/α is exact only then).
                if alpha == 1.0 {
                    let unit = (1.0, 0.0);
                    d.vector_or_f32(s, F32Kernel::Expm1 { positive: unit, negative: unit }, f)
                } else {
                    d.vector(s, f)
                }
            }
            // x·Φ(x) with Φ(−t) = φ(t)R(t): the negative tail keeps its relative precision.
            // (x clamped at −40, where x·Φ(x) is already −0: −∞ gives −0 rather than −∞·0.)
            // (AVX2: the f32-lane kernel `x86::gelu_f32x8`, with this formula for its far lanes.)
            Activation::Gelu => d.vector_or_f32(s, F32Kernel::Gelu, |x| {
                let x = s.max(c(-40.0), x);
                let y = s.mul(x, normal_cdf_fast(s, x));
                near_zero(s, x, y, 0.5, FRAC_1_SQRT_2PI)
            }),
            // x·σ(2u), u = √(2/π)(x + 0.044715x³): never 1 + tanh u, which cancels for x ≪ 0.
            Activation::GeluTanh => d.vector_or_f32(s, F32Kernel::GeluTanh, |x| {
                let cube = s.mul(s.mul(s.mul(c(GELU_TANH_C), x), x), x);
                let u = s.mul(c(GELU_TANH_K), s.add(x, cube));
                let y = s.mul(x, sigmoid_g::<_, Fast>(s, s.add(u, u)));
                let y = near_zero(s, x, y, 0.5, 0.5 * GELU_TANH_K);
                // |x| > 10⁵: σ(±2u) is exactly 1 or 0 (and x³ must not meet ∞·0).
                let far = s.lt(c(1e5), s.abs(x));
                s.select(far, s.select(s.gt(x, zero), x, c(-0.0)), y)
            }),
            Activation::Silu => d.vector_or_f32(s, F32Kernel::Silu, |x| {
                let y = near_zero(s, x, s.mul(x, sigmoid_g::<_, Fast>(s, x)), 0.5, 0.25);
                at_infinities(s, x, y, f64::INFINITY, -0.0)
            }),
            // β = 1 arrives as silu (`kernel_twin`).
            Activation::Swish { beta } => d.vector(s, |x| {
                let y = s.mul(x, sigmoid_g::<_, Fast>(s, s.mul(c(beta), x)));
                let y = near_zero(s, x, y, 0.5, 0.25 * beta);
                at_infinities(s, x, y, f64::INFINITY, -0.0)
            }),
            // x·tanh(softplus x) = x·n/(n + 2), n = e^x(e^x + 2) for x ≤ 0; with e = e^{−x} for
            // x > 0, x(1 + 2e)/(1 + 2e + 2e²). One exponential, one division.
            Activation::Mish => d.vector(s, |x| {
                let e = exp_g::<_, Fast>(s, s.neg(s.abs(x)));
                let negative = s.le(x, zero);
                let n = s.mul(e, s.add(e, c(2.0)));
                let a = s.mul_add(e, c(2.0), c(1.0));
                let num = s.select(negative, n, a);
                let den = s.select(negative, s.add(n, c(2.0)), s.add(a, s.mul(s.add(e, e), e)));
                at_infinities(s, x, s.mul(x, s.div(num, den)), f64::INFINITY, -0.0)
            }),
            // (max(βx, 0) + log1p(e^{−|βx|}))/β, and x itself where βx > threshold (PyTorch's).
            Activation::Softplus { beta, threshold } => {
                let f = |x| {
                    let z = s.mul(c(beta), x);
                    let smooth = s.div(
                        s.add(s.max(z, zero), log1p_unit_g::<_, Fast>(s, exp_g::<_, Fast>(s, s.neg(s.abs(z))))),
                        c(beta),
                    );
                    s.select(s.lt(c(threshold), z), x, smooth)
                };
                // β = 1 (the default): the f32-lane kernel, with the threshold compared in f32.
                match as_f32(threshold) {
                    Some(threshold) if beta == 1.0 => {
                        d.vector_or_f32(s, F32Kernel::Softplus { threshold }, f)
                    }
                    _ => d.vector(s, f),
                }
            }
            // x/(1 + |x|), with |x| capped so that ±∞ gives ±1 rather than ∞/∞; the f32-lane
            // kernel where there is one (AVX2, AVX-512).
            Activation::Softsign => d.vector_or_f32(s, F32Kernel::Softsign, |x| {
                let a = s.min(s.abs(x), c(1e300));
                s.copysign(s.div(a, s.add(a, c(1.0))), x)
            }),
            // The f32-lane kernel where there is one (AVX2, AVX-512: within 0.5 ULP plus
            // ~2⁻²² ULP; this formula rounds correctly, like `div6`).
            Activation::Hardsigmoid => d.vector_or_f32(s, F32Kernel::Hard { swish: false }, |x| {
                let mid = div6(s, s.add(x, c(3.0)));
                s.select(s.le(x, c(-3.0)), zero, s.select(s.ge(x, c(3.0)), c(1.0), mid))
            }),
            // x·(x + 3)/6 on (−3, 3): x + 3 is exact, so there is no cancellation near −3.
            Activation::Hardswish => d.vector_or_f32(s, F32Kernel::Hard { swish: true }, |x| {
                let mid = div6(s, s.mul(x, s.add(x, c(3.0))));
                let mid = near_zero(s, x, mid, 0.5, 1.0 / 6.0);
                s.select(s.ge(x, c(3.0)), x, s.select(s.le(x, c(-3.0)), zero, mid))
            }),
            Activation::Hardtanh { min_val, max_val } => match (as_f32(min_val), as_f32(max_val)) {
                (Some(lo), Some(hi)) => native(s, d, |x| hardtanh32(x, lo, hi)),
                _ => d.vector(s, |x| hardtanh(s, x, min_val, max_val)),
            },
            Activation::Relu6 => native(s, d, |x| hardtanh32(x, 0.0, 6.0)),
            // min(x, 0) − log1p(e^{−|x|}).
            Activation::Logsigmoid => d.vector_or_f32(s, F32Kernel::Logsigmoid, |x| {
                s.sub(s.min(x, zero), log1p_unit_g::<_, Fast>(s, exp_g::<_, Fast>(s, s.neg(s.abs(x)))))
            }),
            // x − tanh x, by its series below 1/16 where the difference loses up to 40 bits.
            Activation::Tanhshrink => d.vector_or_f32(s, F32Kernel::Tanhshrink, |x| {
                let x2 = s.mul(x, x);
                let series = s.mul(s.mul(x, x2), horner(s, x2, &TANHSHRINK_SERIES));
                let difference = s.sub(x, math::tanh(s, x));
                s.select(s.lt(s.abs(x), c(0.0625)), series, difference)
            }),
            Activation::Hardshrink { lambd } => match as_f32(lambd) {
                Some(l) => native(s, d, |x| if l < x.abs() { x } else { 0.0 }),
                None => d.vector(s, |x| {
                    let outside = s.lt(c(lambd), s.abs(x));
                    s.select(outside, x, zero)
                }),
            },
            // x ∓ λ: one correctly rounded f32 operation when λ is an f32.
            Activation::Softshrink { lambd } => match as_f32(lambd) {
                Some(l) => native(s, d, |x| {
                    if x > l {
                        x - l
                    } else if x < -l {
                        x + l
                    } else {
                        0.0
                    }
                }),
                None => d.vector(s, |x| {
                    let v = s.select(s.lt(x, c(-lambd)), s.add(x, c(lambd)), zero);
                    s.select(s.gt(x, c(lambd)), s.sub(x, c(lambd)), v)
                }),
            },
            Activation::Threshold { threshold, value } => match as_f32(threshold) {
                // value as f32 is the rounding the vector store would make.
                Some(t) => native(s, d, |x| if x > t { x } else { value as f32 }),
                None => d.vector(s, |x| s.select(s.gt(x, c(threshold)), x, c(value))),
            },
            Activation::SquaredRelu => native(s, d, |x| if x > 0.0 { x * x } else { 0.0 }),
            Activation::Snake { .. } => scalar(s, d, |x| a.forward(x) as f64),
        }
    }};
}
pub(crate) use forward_formulas;

/// x·k rounded once to `f32` (the double rounding x·k → f64 → f32 avoided by round-to-odd).
#[inline(always)]
pub(crate) fn product<S: Lanes>(s: S, x: S::V, k: S::V) -> S::V {
    let p = s.mul(x, k);
    s.round_odd(p, s.mul_error(x, k, p))
}

/// Whether k·x is exact in `f64` for every `f32` x: k has at most 29 significant bits (its low
/// 24 mantissa bits are 0), so the product has at most 24 + 29 = 53.
pub(crate) fn exact_times_f32(k: f64) -> bool {
    k.to_bits() & ((1 << 24) - 1) == 0
}

/// Below |x| = 2⁻⁴⁰ (the scalar path's Taylor region), c₁x + c₂x² rounded once to `f32` in
/// place of `v` (±0 keep `v`). With c₁ = 1/2 the value x/2 of an odd subnormal x lies exactly half-way between
/// two `f32` numbers, and only the c₂x² term says which way it rounds.
#[inline(always)]
pub(crate) fn near_zero<S: Lanes>(s: S, x: S::V, v: S::V, c1: f64, c2: f64) -> S::V {
    // (x = ±0 stays with v, which keeps the zero's sign.)
    let a = s.abs(x);
    let tiny = s.and(s.lt(a, s.splat(TINY)), s.lt(s.splat(0.0), a));
    // PERF: almost no vector has such a lane; skip the correction's ten operations then.
    if !s.any(tiny) {
        return v;
    }
    let c1 = s.splat(c1);
    let linear = s.mul(c1, x);
    // The rest: c₂x² plus the rounding error of c₁x (exact, so any c₁ works).
    let rest = s.mul_add(s.mul(s.splat(c2), x), x, s.mul_error(c1, x, linear));
    // fast two-sum: |linear| ≫ |rest| here.
    let hi = s.add(linear, rest);
    let lo = s.sub(rest, s.sub(hi, linear));
    let taylor = s.round_odd(hi, lo);
    s.select(tiny, taylor, v)
}

/// Where [`near_zero`] takes over (the scalar path's `taylor::TINY`).
pub(crate) const TINY: f64 = 1.0 / (1u64 << 40) as f64;

/// `k` as an `f32` when that is exact (so that comparing with it, or multiplying an `f32` by it
/// once, is the same in `f32` as in `f64`).
#[inline(always)]
pub(crate) fn as_f32(k: f64) -> Option<f32> {
    let k32 = k as f32;
    (k32 as f64 == k).then_some(k32)
}

/// k as hi + lo, two `f32` numbers whose sum is within 2⁻⁴⁸ of k (None for k beyond the `f32`
/// normal range, where lo would lose its precision).
#[inline(always)]
pub(crate) fn split_f32(k: f64) -> Option<(f32, f32)> {
    let hi = k as f32;
    let lo = (k - hi as f64) as f32;
    let ok = k.abs() < 1e30 && (k == 0.0 || k.abs() > 1e-30);
    ok.then_some((hi, lo))
}

/// a/6 correctly rounded, by a product and one Newton correction (no `f64` division).
/// q = a·(1/6) is within an ULP; a − 6q is exact (FMA), and q + (a − 6q)/6 lands on the
/// correctly rounded quotient, exact ties (a/6 representable) included, so the rounding to
/// `f32` that follows is the one a division would give: `examples/kernel_sweep.rs` finds
/// hardswish′ (this formula on AVX2) equal to the scalar bits on every input. hardsigmoid and
/// hardswish forward run it where there is no `f32`-lane kernel (portable, NEON).
#[inline(always)]
pub(crate) fn div6<S: Lanes>(s: S, a: S::V) -> S::V {
    let sixth = s.splat(1.0 / 6.0);
    let q = s.mul(a, sixth);
    // q − (6q − a)/6, in this order so that a = −0 gives −0 (not −0 + +0 = +0).
    let excess = s.mul_add(q, s.splat(6.0), s.neg(a));
    s.mul_add(s.neg(excess), sixth, q)
}

/// a/6 correctly rounded in `f32` (where the quotient is normal; within 1 ULP where it is
/// subnormal, |a| < 6·2⁻¹²⁶, and the residual is no longer exact), by a product and one
/// correction as [`div6`] does in `f64` lanes (the residual 6q − a exact by FMA, then
/// q − residual·(1/6)); ±∞ and NaN give a·(1/6) (the residual would be ∞ − ∞).
/// `examples/kernel_sweep.rs` (hardsigmoid′ at dy = 1) and the test
/// `div6_f32_rounds_every_quotient_correctly` check it.
///
/// PERF: a plain `f32` expression, so that [`Driver::native_dy`]'s loop vectorises: hardsigmoid′
/// in `f64` lanes spent its time converting between `f32` and `f64` (`perf annotate` of
/// `actlab bench kernels --sizes 64K --functions hardsigmoid`). Against that, alternated six
/// times (three of them with the loop unrolled by blocks, which changed nothing): 2.62–3.16 →
/// 3.31–4.20 Gelem/s at 64K and 2.47–3.07 → 3.11–4.56 at 4K, but 1.28–1.79 → 1.04–1.24 at
/// 16M, from memory, where the `f64`-lane loop (more work per step) ran faster for a reason
/// not established (relu′, the same kind of loop, runs at 1.4–1.7).
#[inline(always)]
pub(crate) fn div6_f32(a: f32) -> f32 {
    let sixth = 1.0f32 / 6.0;
    let q = a * sixth;
    // q − (6q − a)/6, in this order so that a = −0 gives −0.
    let excess = q.mul_add(6.0, -a);
    let r = (-excess).mul_add(sixth, q);
    if q.is_finite() { r } else { q }
}

/// clamp(x, lo, hi) in `f32`, the order of [`hardtanh`]'s selects.
#[inline(always)]
pub(crate) fn hardtanh32(x: f32, lo: f32, hi: f32) -> f32 {
    let v = if x > hi { hi } else { x };
    if x < lo { lo } else { v }
}

/// clamp(x, lo, hi) (NaN is routed around by the drivers).
#[inline(always)]
pub(crate) fn hardtanh<S: Lanes>(s: S, x: S::V, lo: f64, hi: f64) -> S::V {
    let v = s.select(s.gt(x, s.splat(hi)), s.splat(hi), x);
    s.select(s.lt(x, s.splat(lo)), s.splat(lo), v)
}

/// 1 where m holds, else 0.
#[inline(always)]
pub(crate) fn step<S: Lanes>(s: S, m: S::M) -> S::V {
    s.select(m, s.splat(1.0), s.splat(0.0))
}

/// f′(x) for every element, through `d`.
///
/// A macro rather than a generic function so that the closures it builds are written
/// inside the `#[target_feature]` entry points and inherit their instruction sets (closures
/// do not inherit from a generic function merely inlined there).
macro_rules! derivative_formulas {
    ($s:ident, $a:ident, $d:ident) => {{
        crate::kernels::elementwise::formula_prelude!(s, a, d, c, zero = $s, $a, $d);
        match a {
            Activation::Identity => native(s, d, |_| 1.0),
            // σ′ = e/(1 + e)², e = e^{−|x|}: no 1 − σ, so neither tail cancels.
            Activation::Sigmoid => d.vector(s, |x| {
                let e = exp_g::<_, Fast>(s, s.neg(s.abs(x)));
                let r = s.div(c(1.0), s.add(c(1.0), e));
                s.mul(s.mul(e, r), r)
            }),
            // sech² x = 4e/(1 + e)², e = e^{−2|x|}: exact where tanh rounds to ±1.
            Activation::Tanh => d.vector(s, |x| {
                let e = exp_g::<_, Fast>(s, s.mul(s.abs(x), c(-2.0)));
                let r = s.div(c(1.0), s.add(c(1.0), e));
                s.mul(s.mul(s.mul(e, c(4.0)), r), r)
            }),
            // relu′(0) = 0 (PyTorch's convention).
            Activation::Relu => native(s, d, |x| if x > 0.0 { 1.0 } else { 0.0 }),
            Activation::LeakyRelu { negative_slope: k } | Activation::Prelu { weight: k } => {
                match as_f32(k) {
                    Some(k) => native(s, d, |x| if x > 0.0 { 1.0 } else { k }),
                    None => d.vector(s, |x| s.select(s.gt(x, zero), c(1.0), c(k))),
                }
            }
            Activation::Rrelu { lower, upper } => {
                let k = (lower + upper) * 0.5;
                match as_f32(k) {
                    Some(k) => native(s, d, |x| if x > 0.0 { 1.0 } else { k }),
                    None => d.vector(s, |x| s.select(s.gt(x, zero), c(1.0), c(k))),
                }
            }
            Activation::Elu { alpha } => d.vector(s, |x| {
                s.select(s.gt(x, zero), c(1.0), s.mul(c(alpha), exp_g::<_, Fast>(s, x)))
            }),
            Activation::Selu => {
                let (lambda, lambda_alpha) = selu_constants();
                d.vector(s, |x| {
                    s.select(s.gt(x, zero), c(lambda), s.mul(c(lambda_alpha), exp_g::<_, Fast>(s, x)))
                })
            }
            Activation::Celu { alpha } if alpha < 0.0 => {
                scalar(s, d, |x| a.reference_derivative(x as f64).hi)
            }
            Activation::Celu { alpha } => d.vector(s, |x| {
                s.select(s.gt(x, zero), c(1.0), exp_g::<_, Fast>(s, s.div(x, c(alpha))))
            }),
            // Φ(x) + xφ(x).
            Activation::Gelu => d.vector(s, |x| {
                let (cdf, pdf) = normal_cdf_pdf(s, x);
                at_infinities(s, x, s.mul_add(x, pdf, cdf), 1.0, 0.0)
            }),
            // σ(2u)(1 + 2x·σ(−2u)·u′), u′ = √(2/π)(1 + 3·0.044715x²).
            Activation::GeluTanh => d.vector(s, |x| {
                let cube = s.mul(s.mul(s.mul(c(GELU_TANH_C), x), x), x);
                let u = s.mul(c(GELU_TANH_K), s.add(x, cube));
                let du = s.mul(
                    c(GELU_TANH_K),
                    s.add(c(1.0), s.mul(s.mul(c(3.0 * GELU_TANH_C), x), x)),
                );
                let (p, n, _) = sigmoid_pair(s, s.add(u, u));
                let y = s.mul(p, s.add(c(1.0), s.mul(s.mul(s.add(x, x), n), du)));
                let far = s.lt(c(1e5), s.abs(x));
                s.select(far, step(s, s.gt(x, zero)), y)
            }),
            // σ(z)(1 + z·σ(−z)), z = βx, with σ(−z) computed directly rather than as 1 − σ(z).
            Activation::Silu => d.vector_or_f32(s, F32Kernel::SiluDerivative, |x| {
                swish_derivative(s, x, x)
            }),
            Activation::Swish { beta } => d.vector(s, |x| swish_derivative(s, x, s.mul(c(beta), x))),
            // tanh(sp) + x·sech²(sp)·σ(x), sp = softplus x, in e = e^{−|x|} on each side of 0.
            Activation::Mish => d.vector(s, |x| {
                let e = exp(s, s.neg(s.abs(x)));
                let negative = s.le(x, zero);
                // x ≤ 0: n = e(e + 2), t = n/(n + 2), second term x·4(n + 1)e/((n + 2)²(1 + e)).
                let n = s.mul(e, s.add(e, c(2.0)));
                let q = s.add(n, c(2.0));
                let neg_t = s.div(n, q);
                let neg_second = s.div(
                    s.mul(s.mul(x, s.mul(c(4.0), s.add(n, c(1.0)))), e),
                    s.mul(s.mul(q, q), s.add(c(1.0), e)),
                );
                // x > 0: t = (1 + 2e)/(1 + 2e + 2e²), second term x·4e²(1 + e)/((1 + e)² + e²)².
                let a = s.add(c(1.0), e);
                let e2 = s.mul(e, e);
                let qq = s.add(s.mul(a, a), e2);
                let b = s.mul_add(e, c(2.0), c(1.0));
                let pos_t = s.div(b, s.add(b, s.add(e2, e2)));
                let pos_second = s.div(s.mul(s.mul(s.mul(x, c(4.0)), e2), a), s.mul(qq, qq));
                let y = s.select(
                    negative,
                    s.add(neg_t, neg_second),
                    s.add(pos_t, pos_second),
                );
                at_infinities(s, x, y, 1.0, 0.0)
            }),
            Activation::Softplus { beta, threshold } => {
                let f = |x| {
                    let z = s.mul(c(beta), x);
                    s.select(s.lt(c(threshold), z), c(1.0), sigmoid_g::<_, Fast>(s, z))
                };
                match sigmoid_scaled(beta, threshold) {
                    Some(kind) => d.vector_or_f32(s, kind, f),
                    None => d.vector(s, f),
                }
            }
            Activation::Softsign => d.vector(s, |x| {
                let q = s.add(c(1.0), s.abs(x));
                s.div(c(1.0), s.mul(q, q))
            }),
            // dy/6 inside (−3, 3), correctly rounded in f32 ([`div6_f32`]); dy·0 outside.
            Activation::Hardsigmoid => native_dy(s, d, |x, dy| {
                if -3.0 < x && x < 3.0 { div6_f32(dy) } else { dy * 0.0 }
            }),
            // x/3 + 1/2 on [−3, 3] as (2x + 3)/6 (exact sum: no cancellation at −3/2).
            Activation::Hardswish => d.vector(s, |x| {
                let mid = div6(s, s.add(s.add(x, x), c(3.0)));
                s.select(s.lt(x, c(-3.0)), zero, s.select(s.le(x, c(3.0)), mid, c(1.0)))
            }),
            Activation::Hardtanh { min_val, max_val } => match (as_f32(min_val), as_f32(max_val)) {
                (Some(lo), Some(hi)) => native(s, d, |x| if lo < x && x < hi { 1.0 } else { 0.0 }),
                _ => d.vector(s, |x| step(s, s.and(s.lt(c(min_val), x), s.lt(x, c(max_val))))),
            },
            Activation::Relu6 => native(s, d, |x| if 0.0 < x && x < 6.0 { 1.0 } else { 0.0 }),
            Activation::Logsigmoid => {
                let kind = F32Kernel::SigmoidScaled { beta: -1.0, threshold: f32::INFINITY };
                d.vector_or_f32(s, kind, |x| sigmoid_g::<_, Fast>(s, s.neg(x)))
            }
            Activation::Tanhshrink => d.vector(s, |x| {
                let t = tanh_g::<_, Fast>(s, x);
                s.mul(t, t)
            }),
            Activation::Hardshrink { lambd } | Activation::Softshrink { lambd } => match as_f32(lambd) {
                Some(l) => native(s, d, |x| if l < x.abs() { 1.0 } else { 0.0 }),
                None => d.vector(s, |x| step(s, s.lt(c(lambd), s.abs(x)))),
            },
            Activation::Threshold { threshold, .. } => match as_f32(threshold) {
                Some(t) => native(s, d, |x| if x > t { 1.0 } else { 0.0 }),
                None => d.vector(s, |x| step(s, s.gt(x, c(threshold)))),
            },
            Activation::SquaredRelu => d.vector(s, |x| s.select(s.gt(x, zero), s.add(x, x), zero)),
            // snake′ = 1 + sin 2αx needs the double-double reduction near its zeros.
            Activation::Snake { .. } => scalar(s, d, |x| a.reference_derivative(x as f64).hi),
        }
    }};
}
pub(crate) use derivative_formulas;

/// softplus′'s `f32`-lane kernel where its parameters allow one: β a power of two ≥ 1 (βx is
/// then x scaled exactly, or ±∞ beyond the `f32` range, where the kernel and the `f64` formula
/// agree: σ is 0 or 1 and the threshold compares the same) and a threshold exact in `f32`
/// (±∞ included; NaN, never exceeded, is not).
pub(crate) fn sigmoid_scaled(beta: f64, threshold: f64) -> Option<F32Kernel> {
    let power_of_two = (1.0..1e30).contains(&beta) && beta.to_bits() & ((1 << 52) - 1) == 0;
    match (power_of_two, as_f32(threshold)) {
        (true, Some(threshold)) => Some(F32Kernel::SigmoidScaled {
            beta: beta as f32,
            threshold,
        }),
        _ => None,
    }
}

/// swish′ = σ(z)(1 + z·σ(−z)) with z = βx (1 at +∞, 0 at −∞).
#[inline(always)]
pub(crate) fn swish_derivative<S: Lanes>(s: S, x: S::V, z: S::V) -> S::V {
    let (p, n, _) = sigmoid_pair(s, z);
    let y = s.mul(p, s.mul_add(z, n, s.splat(1.0)));
    at_infinities(s, x, y, 1.0, 0.0)
}

/// f′ from the output y (the lanes hold y), for the functions where y determines it
/// ([`Activation::has_derivative_from_output`], checked by the caller).
///
/// A macro rather than a generic function so that the closures it builds are written
/// inside the `#[target_feature]` entry points and inherit their instruction sets (closures
/// do not inherit from a generic function merely inlined there).
macro_rules! derivative_from_output_formulas {
    ($s:ident, $a:ident, $d:ident) => {{
        crate::kernels::elementwise::formula_prelude!(s, a, d, c, zero = $s, $a, $d);
        match a {
            Activation::Identity => native(s, d, |_| 1.0),
            // σ′ = y(1 − y): 1 − y and the product are exact in f64 for an f32 y.
            Activation::Sigmoid => d.vector(s, |y| s.mul(y, s.sub(c(1.0), y))),
            Activation::Tanh => d.vector(s, |y| s.sub(c(1.0), s.mul(y, y))),
            Activation::Relu => native(s, d, |y| if y > 0.0 { 1.0 } else { 0.0 }),
            Activation::LeakyRelu { negative_slope: k } | Activation::Prelu { weight: k } => {
                match as_f32(k) {
                    Some(k) => native(s, d, |y| if y > 0.0 { 1.0 } else { k }),
                    None => d.vector(s, |y| s.select(s.gt(y, zero), c(1.0), c(k))),
                }
            }
            Activation::Rrelu { lower, upper } => {
                let k = (lower + upper) * 0.5;
                match as_f32(k) {
                    Some(k) => native(s, d, |y| if y > 0.0 { 1.0 } else { k }),
                    None => d.vector(s, |y| s.select(s.gt(y, zero), c(1.0), c(k))),
                }
            }
            // elu′ = αe^x = y + α on the negative side.
            Activation::Elu { alpha } => {
                d.vector(s, |y| s.select(s.gt(y, zero), c(1.0), s.add(y, c(alpha))))
            }
            Activation::Selu => {
                let (lambda, lambda_alpha) = selu_constants();
                d.vector(s, |y| {
                    s.select(s.gt(y, zero), c(lambda), s.add(y, c(lambda_alpha)))
                })
            }
            Activation::Celu { alpha } => d.vector(s, |y| {
                s.select(s.gt(y, zero), c(1.0), s.add(s.div(y, c(alpha)), c(1.0)))
            }),
            Activation::Hardtanh { min_val, max_val } => match (as_f32(min_val), as_f32(max_val)) {
                (Some(lo), Some(hi)) => native(s, d, |y| if lo < y && y < hi { 1.0 } else { 0.0 }),
                _ => d.vector(s, |y| {
                    step(s, s.and(s.lt(c(min_val), y), s.lt(y, c(max_val))))
                }),
            },
            Activation::Relu6 => native(s, d, |y| if 0.0 < y && y < 6.0 { 1.0 } else { 0.0 }),
            // Not reached (the caller checks `has_derivative_from_output`); the scalar definition
            // keeps this total.
            _ => scalar(s, d, |y| {
                a.derivative_from_output(y)
                    .map_or(f64::NAN, |v: f32| v as f64)
            }),
        }
    }};
}
pub(crate) use derivative_from_output_formulas;

/// The four kernels of one implementation, instantiated for the token type `S`.
macro_rules! entry_points {
    ($s:expr $(, #[$attr:meta])*) => {
        /// y = f(x).
        $(#[$attr])*
        pub(crate) fn forward(a: crate::Activation, x: &[f32], y: &mut [f32]) {
            let (s, d) = ($s, crate::kernels::elementwise::Map { x, y });
            crate::kernels::elementwise::forward_formulas!(s, a, d)
        }
        /// x ← f(x).
        $(#[$attr])*
        pub(crate) fn forward_in_place(a: crate::Activation, x: &mut [f32]) {
            let (s, d) = ($s, crate::kernels::elementwise::InPlace { x });
            crate::kernels::elementwise::forward_formulas!(s, a, d)
        }
        /// dx = dy·f′(x).
        $(#[$attr])*
        pub(crate) fn backward(a: crate::Activation, x: &[f32], dy: &[f32], dx: &mut [f32]) {
            let (s, d) = ($s, crate::kernels::elementwise::Backward { x, dy, dx });
            crate::kernels::elementwise::derivative_formulas!(s, a, d)
        }
        /// dx = dy·f′ from y.
        $(#[$attr])*
        pub(crate) fn backward_from_output(
            a: crate::Activation,
            y: &[f32],
            dy: &[f32],
            dx: &mut [f32],
        ) {
            let (s, d) = ($s, crate::kernels::elementwise::Backward { x: y, dy, dx });
            crate::kernels::elementwise::derivative_from_output_formulas!(s, a, d)
        }
    };
}
pub(crate) use entry_points;

#[cfg(test)]
mod tests {
    use super::div6_f32;

    /// Every significand (a in [1, 2), so every normal quotient's bits, scaling by powers of two
    /// being exact away from the subnormals), the subnormal and huge ends, zeros, infinities
    /// and NaN, against the `f64` quotient rounded to `f32` (a/6 is never an `f32` midpoint
    /// unless exact, so the double rounding agrees with a single one): the same bits for normal
    /// quotients, within 1 ULP for subnormal ones.
    #[test]
    fn div6_f32_rounds_every_quotient_correctly() {
        let one = 1.0f32.to_bits();
        let mut values: Vec<f32> = (0..1u32 << 23).map(|m| f32::from_bits(one + m)).collect();
        values.extend((1..5000u32).map(f32::from_bits)); // subnormals
        values.extend((0..5000u32).map(|i| f32::from_bits(f32::MAX.to_bits() - i)));
        values.extend([0.0, -0.0, 6.0, 3.0, f32::MIN_POSITIVE, 7.0e-45]);
        for a in values.iter().flat_map(|&v| [v, -v]) {
            let want = (a as f64 / 6.0) as f32;
            let got = div6_f32(a);
            if want.abs() >= f32::MIN_POSITIVE || want == 0.0 {
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "{a:e}/6: {got:e}, want {want:e}"
                );
            } else {
                // A subnormal quotient: the residual is no longer exact; one ULP at most.
                let ulps = (got.to_bits() as i64 - want.to_bits() as i64).abs();
                assert!(ulps <= 1, "{a:e}/6: {got:e}, want {want:e}");
            }
        }
        assert_eq!(div6_f32(f32::INFINITY), f32::INFINITY);
        assert_eq!(div6_f32(f32::NEG_INFINITY), f32::NEG_INFINITY);
        assert!(div6_f32(f32::NAN).is_nan());
    }
}
