//! [`Lanes`]: the few vector operations the kernels are written in, once for every instruction set.
//!
//! The kernels compute in `f64` lanes whatever the element type (an `f32` is widened exactly,
//! evaluated with the same stable formula as the scalar `f32` path and rounded once), so the
//! trait is about `f64` vectors of [`Lanes::LANES`] lanes and their conversion from and to `f32`.
//! An implementation exists per instruction set ([`Portable`](super::portable::Portable), AVX2,
//! AVX-512, NEON); generic code over `S: Lanes`, marked `#[inline(always)]`, is instantiated inside
//! a function compiled for that instruction set (the *pulp* pattern), so every operation below
//! becomes one or two instructions.
//!
//! Values of an implementing type are tokens: the SIMD ones can only be made after the CPU was
//! checked for their instructions, which is what makes their safe methods sound.

/// What [`Lanes::f32_row_sums`] finds in a row: with K the number of entries equal to the
/// maximum and R = Σ e^(x_j − max) over the others, S = K + R.
// Only x86 makes one (its f32-lane sweep).
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
#[derive(Clone, Copy, Debug)]
pub(crate) struct RowSums {
    /// Every entry is finite (else the rest is meaningless and the row goes to the scalar path).
    pub(crate) finite: bool,
    /// The row maximum.
    pub(crate) max: f32,
    /// K, the number of entries equal to the maximum.
    pub(crate) count: f64,
    /// R, the sum of e^(x_j − max) over the entries below the maximum.
    pub(crate) rest: f64,
}

/// The functions some instruction sets compute in `f32` lanes ([`Lanes::f32_kernel`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum F32Kernel {
    /// σ(x).
    Sigmoid,
    /// x·σ(x).
    Silu,
    /// x·Φ(x) (gelu, the erf form).
    Gelu,
    /// tanh x.
    Tanh,
    /// tanhshrink x = x − tanh x.
    Tanhshrink,
    /// gelu_tanh x = x·σ(2√(2/π)(x + 0.044715x³)).
    GeluTanh,
    /// softplus with β = 1: ln(1 + e^x), and x where x > `threshold` (an `f32`, ±∞ included).
    /// Forward only.
    Softplus {
        /// Where softplus becomes x.
        threshold: f32,
    },
    /// logsigmoid(x) = −softplus(−x). Forward only.
    Logsigmoid,
    /// hardsigmoid(x) = clamp((x + 3)/6, 0, 1), or with `swish` hardswish(x) = x·hardsigmoid(x),
    /// within 0.5 ULP plus ~2⁻²² ULP (`examples/kernel_sweep.rs`). Forward only.
    Hard {
        /// hardswish rather than hardsigmoid.
        swish: bool,
    },
    /// softsign(x) = x/(1 + |x|), within 0.5 ULP plus ~2⁻¹¹ ULP. Forward only.
    Softsign,
    /// σ(βx), and 1 where βx > `threshold` (softplus′; logsigmoid′ = σ(−x) with β = −1 and
    /// threshold = +∞). β must make βx exact in `f32` wherever it does not overflow (β = ±1, or a
    /// power of two ≥ 1); `threshold` is compared in `f32`, so it must be one (±∞ included).
    /// Run by the backward driver as dx = dy·σ(βx) ([`Lanes::f32_backward_kernel`]); no forward
    /// formula names it (a forward driver would get σ(βx), the value at dy = 1).
    SigmoidScaled {
        /// The scale of x.
        beta: f32,
        /// Where the derivative becomes 1.
        threshold: f32,
    },
    /// silu′(x) = σ(x)(1 + x·σ(−x)). Run by the backward driver as dx = dy·silu′(x)
    /// ([`Lanes::f32_backward_kernel`]); no forward formula names it (a forward driver would get
    /// silu′ itself, the value at dy = 1).
    SiluDerivative,
    /// `positive`·x for x > 0, `negative`·expm1(x) for x ≤ 0 (elu, selu, celu with α = 1): each
    /// scale as an `f32` pair hi + lo within 2⁻⁴⁸ of it.
    Expm1 {
        /// The scale of x on x > 0.
        positive: (f32, f32),
        /// The scale of expm1(x) on x ≤ 0.
        negative: (f32, f32),
    },
}

/// Vector operations on `f64` lanes (see the module documentation).
pub(crate) trait Lanes: Copy {
    /// A vector of `LANES` `f64` values.
    type V: Copy;
    /// A lane mask, the result of a comparison.
    type M: Copy;
    /// `f64` lanes per vector.
    const LANES: usize;

    /// Every lane `v`.
    fn splat(self, v: f64) -> Self::V;
    /// a + b.
    fn add(self, a: Self::V, b: Self::V) -> Self::V;
    /// a − b.
    fn sub(self, a: Self::V, b: Self::V) -> Self::V;
    /// a · b.
    fn mul(self, a: Self::V, b: Self::V) -> Self::V;
    /// a / b.
    fn div(self, a: Self::V, b: Self::V) -> Self::V;
    /// a·b + c, fused where the instruction set has FMA (one rounding), else two roundings.
    fn mul_add(self, a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// |a| (clears the sign bit).
    fn abs(self, a: Self::V) -> Self::V;
    /// −a (flips the sign bit, so −(+0) = −0).
    fn neg(self, a: Self::V) -> Self::V;
    /// The smaller of a and b (either one if one is NaN: callers handle NaN apart).
    fn min(self, a: Self::V, b: Self::V) -> Self::V;
    /// The larger of a and b (either one if one is NaN).
    fn max(self, a: Self::V, b: Self::V) -> Self::V;
    /// a < b (false for NaN).
    fn lt(self, a: Self::V, b: Self::V) -> Self::M;
    /// a ≤ b (false for NaN).
    fn le(self, a: Self::V, b: Self::V) -> Self::M;
    /// a == b (false for NaN).
    fn eq(self, a: Self::V, b: Self::V) -> Self::M;
    /// a is NaN.
    fn is_nan(self, a: Self::V) -> Self::M;
    /// m and n.
    fn and(self, m: Self::M, n: Self::M) -> Self::M;
    /// Whether m holds in any lane.
    fn any(self, m: Self::M) -> bool;
    /// m ? a : b, lane by lane.
    fn select(self, m: Self::M, a: Self::V, b: Self::V) -> Self::V;
    /// |mag| with the sign of `sign`.
    fn copysign(self, mag: Self::V, sign: Self::V) -> Self::V;
    /// The nearest integer (ties to even).
    fn round(self, a: Self::V) -> Self::V;
    /// 2^k for integer-valued lanes −1022 ≤ k ≤ 1023, exactly (built from the exponent bits).
    fn pow2(self, k: Self::V) -> Self::V;
    /// The exact error a·b − p of the product p = a·b rounded (one FMA where there is FMA,
    /// Dekker's split otherwise).
    fn mul_error(self, a: Self::V, b: Self::V, p: Self::V) -> Self::V;
    /// Round-to-odd: `hi` (the nearest `f64` to hi + lo, with lo its exact remainder) moved to
    /// its odd neighbour toward lo when lo ≠ 0 and hi's last bit is even. Rounding the result to
    /// `f32` then rounds hi + lo once (53 ≥ 24 + 2 bits), where rounding hi alone could round
    /// twice. Lanes with a non-finite hi or lo are returned as hi.
    fn round_odd(self, hi: Self::V, lo: Self::V) -> Self::V;
    /// The first `LANES` values of `x`, widened to `f64` (exact).
    ///
    /// # Panics
    /// If `x` has fewer than `LANES` values.
    fn load(self, x: &[f32]) -> Self::V;
    /// Rounds `v` to `f32` (nearest, ties to even: one rounding) into the first `LANES` values
    /// of `y`.
    ///
    /// # Panics
    /// If `y` has fewer than `LANES` values.
    fn store(self, v: Self::V, y: &mut [f32]);

    /// Stores the `LANES` values of `v` into the first `LANES` entries of `out`.
    ///
    /// # Panics
    /// If `out` has fewer than `LANES` entries.
    fn store64(self, v: Self::V, out: &mut [f64]);

    /// (k, 2^k) for k = round(y), −1022 ≤ y ≤ 0: the two halves of an exponential's range
    /// reduction. Implementations may fuse the rounding and the exponent construction.
    #[inline(always)]
    fn round_pow2(self, y: Self::V) -> (Self::V, Self::V) {
        let k = self.round(y);
        (k, self.pow2(k))
    }
    /// Σ cᵢ xⁱ, coefficients highest degree first ([`super::math::horner`]).
    #[inline(always)]
    fn horner<const N: usize>(self, x: Self::V, c: &[f64; N]) -> Self::V {
        super::math::horner4(self, x, c)
    }
    /// `neg` where x's sign bit is set (−0 included), else `pos`.
    #[inline(always)]
    fn select_sign(self, x: Self::V, neg: Self::V, pos: Self::V) -> Self::V {
        // ±0: both callers' branches agree there, so the comparison may ignore −0's sign.
        let zero = self.splat(0.0);
        self.select(self.lt(x, zero), neg, pos)
    }

    /// y = f(x) (equal lengths) for the function `kind` names, in `f32` lanes, where the
    /// instruction set has such a kernel (AVX2, AVX-512: `x86::f32_kernel_x8`); lanes outside its
    /// range get `exact` (the `f64` formula, NaN routed around by the caller's rule: x where x is
    /// NaN). False, with nothing written, where there is no such kernel.
    #[inline(always)]
    fn f32_kernel(
        self,
        kind: F32Kernel,
        x: &[f32],
        y: &mut [f32],
        exact: &impl Fn(Self::V) -> Self::V,
    ) -> bool {
        let _ = (kind, x, y, exact);
        false
    }

    /// dx = dy·g(x) (equal lengths) for the function g that `kind` names, in `f32` lanes, where
    /// the instruction set has such a kernel (AVX2, AVX-512: `x86::sigmoid_backward_f32x8` for
    /// [`F32Kernel::SigmoidScaled`], `x86::silu_backward_f32x8` for
    /// [`F32Kernel::SiluDerivative`]), each result one rounding of a value within ~2⁻²⁴ relative
    /// of dy·g(x) or closer; lanes outside its range get `exact(x, dy)` (dy times the `f64` formula, NaN
    /// routed around by the caller's rule). False, with nothing written, where there is no
    /// such kernel.
    #[inline(always)]
    fn f32_backward_kernel(
        self,
        kind: F32Kernel,
        x: &[f32],
        dy: &[f32],
        dx: &mut [f32],
        exact: &impl Fn(Self::V, Self::V) -> Self::V,
    ) -> bool {
        let _ = (kind, x, dy, dx, exact);
        false
    }

    /// The first sweep of the row kernels ([`super::rows`]) over one row in `f32` lanes, where
    /// the instruction set has it (AVX2, AVX-512: `x86::row_sums_f32`): the row maximum, and
    /// Σ e^(x_j − max) as the count of maxima and the sum of the other terms, online (one read
    /// of the row). `None` where there is no such kernel (and for rows of 2²⁴ entries or more).
    #[inline(always)]
    fn f32_row_sums(self, row: &[f32]) -> Option<RowSums> {
        let _ = row;
        None
    }

    /// Softmax of the rows of `cols` of `x` into `y` (whole rows) in `f32` lanes where the
    /// instruction set has it (AVX2, AVX-512: `x86::softmax_rows_f32`, rows of at most 4096):
    /// lanes for which the `f32` result would be below 2⁻¹²⁵ take `exact(x, max, 1/S)`, the
    /// `f64` formula. False, with nothing written, where there is no such kernel.
    #[inline(always)]
    fn f32_softmax_rows(
        self,
        x: &[f32],
        y: &mut [f32],
        cols: usize,
        exact: &impl Fn(Self::V, f64, f64) -> Self::V,
    ) -> bool {
        let _ = (x, y, cols, exact);
        false
    }

    /// Softmax backward of one row from its output y, dx = y ⊙ (dy − Σ_j y_j·dy_j), in `f32`
    /// lanes where the instruction set has it (AVX2, AVX-512:
    /// `x86::softmax_backward_row_f32`): true when done, each dx_i one rounding of a value within
    /// ~2⁻²⁶ relative of the exact one; false where the kernel cannot vouch for that (a difference
    /// that cancels, a non-finite entry) or there is no such kernel, `dx` then to be written by
    /// the caller.
    #[inline(always)]
    fn f32_softmax_backward_row(self, y: &[f32], dy: &[f32], dx: &mut [f32]) -> bool {
        let _ = (y, dy, dx);
        false
    }

    /// out_i = e^(x_i − `max`)·`scale` for a finite row whose maximum is `max`, with
    /// 0 < `scale` ≤ 1, in `f32` lanes where the instruction set has it (AVX2, AVX-512:
    /// `x86::scaled_exp_f32`); lanes whose exponent is below −80 or whose result is below
    /// 2⁻¹²⁵ take `exact` (the `f64` formula of e^(x − max)·scale on the widened lanes). False,
    /// with nothing written, where there is no such kernel.
    #[inline(always)]
    fn f32_scaled_exp(
        self,
        row: &[f32],
        max: f32,
        scale: f64,
        out: &mut [f32],
        exact: &impl Fn(Self::V) -> Self::V,
    ) -> bool {
        let _ = (row, max, scale, out, exact);
        false
    }

    /// a > b.
    #[inline(always)]
    fn gt(self, a: Self::V, b: Self::V) -> Self::M {
        self.lt(b, a)
    }
    /// a ≥ b.
    #[inline(always)]
    fn ge(self, a: Self::V, b: Self::V) -> Self::M {
        self.le(b, a)
    }
}

/// Implements [`Lanes`] operations on [`Pair`] as `L`'s on each half (`V` and `M` name the
/// argument and result kinds: a vector or a mask).
macro_rules! pair_ops {
    ($($name:ident($($arg:ident: $kind:ident),*) -> $ret:ident;)*) => {$(
        #[inline(always)]
        fn $name(self, $($arg: Self::$kind),*) -> Self::$ret {
            (self.0.$name($($arg.0),*), self.0.$name($($arg.1),*))
        }
    )*};
}

/// Two vectors of an implementation `L` as one of twice the lanes, every operation issued for
/// both halves side by side.
///
/// PERF: a formula is one long dependency chain per vector (a range reduction, a polynomial, a
/// division), and written for one vector the loop body holds one chain after the other, which
/// the out-of-order core overlaps only as far as its scheduler reaches. Over `Pair` the two
/// halves' operations alternate, so two independent ones are always ready (measured in
/// `docs/PERFORMANCE.md`). Each lane goes through the same operations as with `L` alone, so the
/// results are the same bits.
// Only the AVX2 path runs on pairs.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pair<L>(pub(crate) L);

impl<L: Lanes> Lanes for Pair<L> {
    type V = (L::V, L::V);
    type M = (L::M, L::M);
    const LANES: usize = 2 * L::LANES;

    #[inline(always)]
    fn splat(self, v: f64) -> Self::V {
        let s = self.0.splat(v);
        (s, s)
    }
    pair_ops! {
        add(a: V, b: V) -> V;
        sub(a: V, b: V) -> V;
        mul(a: V, b: V) -> V;
        div(a: V, b: V) -> V;
        mul_add(a: V, b: V, c: V) -> V;
        abs(a: V) -> V;
        neg(a: V) -> V;
        min(a: V, b: V) -> V;
        max(a: V, b: V) -> V;
        lt(a: V, b: V) -> M;
        le(a: V, b: V) -> M;
        eq(a: V, b: V) -> M;
        is_nan(a: V) -> M;
        and(m: M, n: M) -> M;
        select(m: M, a: V, b: V) -> V;
        copysign(mag: V, sign: V) -> V;
        round(a: V) -> V;
        pow2(k: V) -> V;
        mul_error(a: V, b: V, p: V) -> V;
        round_odd(hi: V, lo: V) -> V;
        select_sign(x: V, neg: V, pos: V) -> V;
        gt(a: V, b: V) -> M;
        ge(a: V, b: V) -> M;
    }
    #[inline(always)]
    fn any(self, m: Self::M) -> bool {
        // PERF: `|`, not `||`: both tests before the one branch, so that neither half's
        // arithmetic is moved past it (which would serialise the halves again).
        self.0.any(m.0) | self.0.any(m.1)
    }
    #[inline(always)]
    fn load(self, x: &[f32]) -> Self::V {
        (self.0.load(x), self.0.load(&x[L::LANES..]))
    }
    #[inline(always)]
    fn store(self, v: Self::V, y: &mut [f32]) {
        self.0.store(v.0, y);
        self.0.store(v.1, &mut y[L::LANES..]);
    }
    #[inline(always)]
    fn store64(self, v: Self::V, out: &mut [f64]) {
        self.0.store64(v.0, out);
        self.0.store64(v.1, &mut out[L::LANES..]);
    }
    #[inline(always)]
    fn round_pow2(self, y: Self::V) -> (Self::V, Self::V) {
        let (k0, p0) = self.0.round_pow2(y.0);
        let (k1, p1) = self.0.round_pow2(y.1);
        ((k0, k1), (p0, p1))
    }
    #[inline(always)]
    fn horner<const N: usize>(self, x: Self::V, c: &[f64; N]) -> Self::V {
        // One half after the other: see `math::horner`.
        (self.0.horner(x.0, c), self.0.horner(x.1, c))
    }
    /// `L`'s own `f32`-lane kernel (which pairs its registers itself where that pays); its
    /// out-of-range lanes take `exact` on a pair whose halves are both those lanes.
    #[inline(always)]
    fn f32_kernel(
        self,
        kind: F32Kernel,
        x: &[f32],
        y: &mut [f32],
        exact: &impl Fn(Self::V) -> Self::V,
    ) -> bool {
        self.0.f32_kernel(kind, x, y, &|v| exact((v, v)).0)
    }
    /// As [`Pair::f32_kernel`].
    #[inline(always)]
    fn f32_backward_kernel(
        self,
        kind: F32Kernel,
        x: &[f32],
        dy: &[f32],
        dx: &mut [f32],
        exact: &impl Fn(Self::V, Self::V) -> Self::V,
    ) -> bool {
        self.0
            .f32_backward_kernel(kind, x, dy, dx, &|v, g| exact((v, v), (g, g)).0)
    }
    #[inline(always)]
    fn f32_row_sums(self, row: &[f32]) -> Option<RowSums> {
        self.0.f32_row_sums(row)
    }
    /// As [`Pair::f32_kernel`].
    #[inline(always)]
    fn f32_softmax_rows(
        self,
        x: &[f32],
        y: &mut [f32],
        cols: usize,
        exact: &impl Fn(Self::V, f64, f64) -> Self::V,
    ) -> bool {
        self.0
            .f32_softmax_rows(x, y, cols, &|v, m, c| exact((v, v), m, c).0)
    }
    #[inline(always)]
    fn f32_softmax_backward_row(self, y: &[f32], dy: &[f32], dx: &mut [f32]) -> bool {
        self.0.f32_softmax_backward_row(y, dy, dx)
    }
    /// As [`Pair::f32_kernel`].
    #[inline(always)]
    fn f32_scaled_exp(
        self,
        row: &[f32],
        max: f32,
        scale: f64,
        out: &mut [f32],
        exact: &impl Fn(Self::V) -> Self::V,
    ) -> bool {
        self.0
            .f32_scaled_exp(row, max, scale, out, &|v| exact((v, v)).0)
    }
}
