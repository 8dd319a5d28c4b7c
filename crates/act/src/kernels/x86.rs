//! The x86-64 implementations of [`Lanes`]: AVX2 + FMA (four `f64` lanes) and AVX-512F (eight).
//!
//! AVX2 also has `f32`-lane kernels ([`Lanes::f32_kernel`], [`Lanes::f32_backward_kernel`],
//! eight lanes to a register): forward sigmoid and silu ([`sigmoid_family_f32x8`]), tanh
//! ([`tanh_f32x8`]), tanhshrink ([`tanhshrink_f32x8`]), gelu ([`gelu_f32x8`]), gelu_tanh
//! ([`gelu_tanh_f32x8`]), the elu family
//! ([`expm1_family_f32x8`]), softplus with β = 1 and logsigmoid ([`softplus_f32x8`]),
//! hardsigmoid and hardswish ([`hard_f32x8`]), softsign ([`softsign_f32x8`]); backward softplus′ and logsigmoid′, dy·σ(βx)
//! ([`sigmoid_backward_f32x8`]), and silu′ ([`silu_backward_f32x8`]). The `f32`-lane kernels
//! are written once, over [`F32x`]: it is implemented for one AVX2 register (`__m256`), one
//! AVX-512 register (`__m512`, with the same bits on every lane) and two registers side by
//! side ([`X2`]; the forward loop runs four, `X2<X2<_>>` ([`f32_kernel_slices`]), the backward
//! one two). The AVX2 `f64`-lane formulas run on
//! [`Pair`](super::lanes::Pair)`<Avx2>`: two registers per step, for the reason [`F32x`] gives.
//!
//! `unsafe` lives here and in `dispatch.rs` only. The tokens [`Avx2`] and [`Avx512`] can only be
//! made by `unsafe` constructors whose contract is that the CPU has the instructions; the kernels
//! that make them are compiled with those instructions enabled (`#[target_feature]`) and are
//! entered only after runtime detection. Every intrinsic call below relies on that.

use core::arch::x86_64::*;

use super::elementwise::{GELU_TANH_C, GELU_TANH_K, entry_points};
use super::lanes::{F32Kernel, Lanes, RowSums};
use super::polys_generated::{
    EIGHT_OVER_LN2, EXP2_8THS_HI, EXP2_8THS_LO, LN2_8_HI, LN2_8_LO, LOG1P_H_F32,
};

/// Whether the CPU runs the AVX2 path (AVX2 and FMA).
pub(crate) fn has_avx2() -> bool {
    is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
}

/// Whether the CPU runs the AVX-512 path (AVX-512F, which includes 512-bit FMA).
pub(crate) fn has_avx512() -> bool {
    is_x86_feature_detected!("avx512f") && has_avx2()
}

/// Proof that the CPU has AVX2 and FMA.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Avx2 {
    _private: (),
}

impl Avx2 {
    /// # Safety
    /// The CPU must support AVX2 and FMA ([`has_avx2`]).
    #[inline(always)]
    unsafe fn new_unchecked() -> Avx2 {
        Avx2 { _private: () }
    }
}

/// Wraps an intrinsic call whose only requirement is the instruction set the token proves.
macro_rules! simd {
    ($e:expr) => {
        // SAFETY: a token (`Avx2`, `Avx512`) exists only when the CPU has its instructions
        // (its constructor is `unsafe` with that contract), and these are register-only
        // intrinsics with no memory access.
        unsafe { $e }
    };
}

/// The [`Lanes`] methods `f32_kernel` and `f32_backward_kernel` of an x86 token, running the
/// `f32`-lane kernels on the [`F32x`] register type given (whose `D` must be the token's `V`).
macro_rules! f32_kernel_methods {
    ($v:ty) => {
        #[inline(always)]
        fn f32_kernel(
            self,
            kind: F32Kernel,
            x: &[f32],
            y: &mut [f32],
            exact: &impl Fn(Self::V) -> Self::V,
        ) -> bool {
            f32_kernel_slices::<$v>(kind, x, y, exact);
            true
        }
        #[inline(always)]
        fn f32_backward_kernel(
            self,
            kind: F32Kernel,
            x: &[f32],
            dy: &[f32],
            dx: &mut [f32],
            exact: &impl Fn(Self::V, Self::V) -> Self::V,
        ) -> bool {
            if !f32_backward_kind(kind) {
                return false;
            }
            f32_backward_slices::<$v>(kind, x, dy, dx, exact);
            true
        }
        #[inline(always)]
        fn f32_row_sums(self, row: &[f32]) -> Option<RowSums> {
            // (The counts of maxima are exact in `f32` lanes below 2²⁴.)
            (row.len() < 1 << 24).then(|| row_sums_f32::<$v>(row))
        }
        #[inline(always)]
        fn f32_softmax_rows(
            self,
            x: &[f32],
            y: &mut [f32],
            cols: usize,
            exact: &impl Fn(Self::V, f64, f64) -> Self::V,
        ) -> bool {
            // The buffer of low parts, zeroed on every call: small for short rows.
            if cols <= 256 {
                softmax_rows_f32::<$v>(x, y, cols, &mut [0.0; 256], exact);
            } else if cols <= CACHED_ROW {
                softmax_rows_f32::<$v>(x, y, cols, &mut [0.0; CACHED_ROW], exact);
            } else {
                return false;
            }
            true
        }
        #[inline(always)]
        fn f32_softmax_backward_row(self, y: &[f32], dy: &[f32], dx: &mut [f32]) -> bool {
            softmax_backward_row_f32::<$v>(y, dy, dx)
        }
        #[inline(always)]
        fn f32_scaled_exp(
            self,
            row: &[f32],
            max: f32,
            scale: f64,
            out: &mut [f32],
            exact: &impl Fn(Self::V) -> Self::V,
        ) -> bool {
            scaled_exp_f32::<$v>(row, max, scale, out, exact);
            true
        }
    };
}

impl Lanes for Avx2 {
    type V = __m256d;
    type M = __m256d;
    const LANES: usize = 4;

    #[inline(always)]
    fn splat(self, v: f64) -> __m256d {
        simd!(_mm256_set1_pd(v))
    }
    #[inline(always)]
    fn add(self, a: __m256d, b: __m256d) -> __m256d {
        simd!(_mm256_add_pd(a, b))
    }
    #[inline(always)]
    fn sub(self, a: __m256d, b: __m256d) -> __m256d {
        simd!(_mm256_sub_pd(a, b))
    }
    #[inline(always)]
    fn mul(self, a: __m256d, b: __m256d) -> __m256d {
        simd!(_mm256_mul_pd(a, b))
    }
    #[inline(always)]
    fn div(self, a: __m256d, b: __m256d) -> __m256d {
        simd!(_mm256_div_pd(a, b))
    }
    #[inline(always)]
    fn mul_add(self, a: __m256d, b: __m256d, c: __m256d) -> __m256d {
        simd!(_mm256_fmadd_pd(a, b, c))
    }
    #[inline(always)]
    fn abs(self, a: __m256d) -> __m256d {
        simd!(_mm256_andnot_pd(_mm256_set1_pd(-0.0), a))
    }
    #[inline(always)]
    fn neg(self, a: __m256d) -> __m256d {
        simd!(_mm256_xor_pd(_mm256_set1_pd(-0.0), a))
    }
    #[inline(always)]
    fn min(self, a: __m256d, b: __m256d) -> __m256d {
        simd!(_mm256_min_pd(a, b))
    }
    #[inline(always)]
    fn max(self, a: __m256d, b: __m256d) -> __m256d {
        simd!(_mm256_max_pd(a, b))
    }
    #[inline(always)]
    fn lt(self, a: __m256d, b: __m256d) -> __m256d {
        simd!(_mm256_cmp_pd::<_CMP_LT_OQ>(a, b))
    }
    #[inline(always)]
    fn le(self, a: __m256d, b: __m256d) -> __m256d {
        simd!(_mm256_cmp_pd::<_CMP_LE_OQ>(a, b))
    }
    #[inline(always)]
    fn eq(self, a: __m256d, b: __m256d) -> __m256d {
        simd!(_mm256_cmp_pd::<_CMP_EQ_OQ>(a, b))
    }
    #[inline(always)]
    fn is_nan(self, a: __m256d) -> __m256d {
        simd!(_mm256_cmp_pd::<_CMP_UNORD_Q>(a, a))
    }
    #[inline(always)]
    fn and(self, m: __m256d, n: __m256d) -> __m256d {
        simd!(_mm256_and_pd(m, n))
    }
    #[inline(always)]
    fn any(self, m: __m256d) -> bool {
        simd!(_mm256_movemask_pd(m) != 0)
    }
    #[inline(always)]
    fn select(self, m: __m256d, a: __m256d, b: __m256d) -> __m256d {
        // blendv takes its second operand where the mask's sign bit is set.
        simd!(_mm256_blendv_pd(b, a, m))
    }
    #[inline(always)]
    fn copysign(self, mag: __m256d, sign: __m256d) -> __m256d {
        simd!({
            let bit = _mm256_set1_pd(-0.0);
            _mm256_or_pd(_mm256_andnot_pd(bit, mag), _mm256_and_pd(bit, sign))
        })
    }
    #[inline(always)]
    fn round(self, a: __m256d) -> __m256d {
        simd!(_mm256_round_pd::<
            { _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC },
        >(a))
    }
    #[inline(always)]
    fn pow2(self, k: __m256d) -> __m256d {
        pow2(k)
    }
    #[inline(always)]
    fn mul_error(self, a: __m256d, b: __m256d, p: __m256d) -> __m256d {
        simd!(_mm256_fmsub_pd(a, b, p))
    }
    #[inline(always)]
    fn round_pow2(self, y: __m256d) -> (__m256d, __m256d) {
        // y + 1.5·2⁵² rounds y to the integer k (ties to even) into the low mantissa bits; the
        // bit pattern minus the magic's, plus 1023, shifted into the exponent field is 2^k.
        simd!({
            let magic = _mm256_set1_pd(6755399441055744.0);
            let shifted = _mm256_add_pd(y, magic);
            let k = _mm256_sub_pd(shifted, magic);
            let bias = _mm256_set1_epi64x(0x4338_0000_0000_0000 - 1023);
            let bits = _mm256_sub_epi64(_mm256_castpd_si256(shifted), bias);
            (k, _mm256_castsi256_pd(_mm256_slli_epi64::<52>(bits)))
        })
    }
    #[inline(always)]
    fn select_sign(self, x: __m256d, neg: __m256d, pos: __m256d) -> __m256d {
        // blendv reads the sign bit of its mask: x itself.
        simd!(_mm256_blendv_pd(pos, neg, x))
    }
    f32_kernel_methods!(__m256);
    #[inline(always)]
    fn round_odd(self, hi: __m256d, lo: __m256d) -> __m256d {
        round_odd(hi, lo)
    }
    #[inline(always)]
    fn store64(self, v: __m256d, out: &mut [f64]) {
        let out = &mut out[..4];
        // SAFETY: `out` holds 4 f64 (checked above); unaligned stores are allowed.
        unsafe { _mm256_storeu_pd(out.as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn load(self, x: &[f32]) -> __m256d {
        let x = &x[..4];
        // SAFETY: `x` holds 4 f32 (checked by the slice above); unaligned loads are allowed;
        // the token proves AVX.
        unsafe { _mm256_cvtps_pd(_mm_loadu_ps(x.as_ptr())) }
    }
    #[inline(always)]
    fn store(self, v: __m256d, y: &mut [f32]) {
        let y = &mut y[..4];
        // SAFETY: `y` holds 4 f32 (checked by the slice above); unaligned stores are allowed;
        // the token proves AVX. cvtpd_ps rounds to nearest even (Rust keeps the default MXCSR).
        unsafe { _mm_storeu_ps(y.as_mut_ptr(), _mm256_cvtpd_ps(v)) }
    }
}

/// The operations the `f32`-lane kernels are written in, on one register of eight `f32` lanes
/// (`__m256`) or on two at once ([`X2`]; `X2<X2<V>>` is four).
///
/// PERF: each kernel is one long dependency chain (e^t's reduction, a polynomial, a division
/// and its correction), and Zen 3 runs out of scheduler entries before it runs out of FMA
/// units when a loop body holds one chain after the other. Written over [`X2`], every step is
/// issued for two registers side by side, so two independent operations are always ready
/// (σ forward at 64K: 0.92 → 1.26 Gelem/s, `actlab bench kernels --sizes 64K`, old and new
/// binaries alternated; the table is in `docs/PERFORMANCE.md`); the forward loop now issues
/// four ([`f32_kernel_slices`]). Results are the same bits either way: the lanes go through the
/// same instructions.
trait F32x: Copy {
    /// The `f64` vector that holds half of these lanes, widened: what the exact formulas take.
    type D: Copy;
    /// The number of `f32` lanes.
    const LANES: usize;
    /// The first [`F32x::LANES`] values of `x` (which must hold that many).
    fn load(x: &[f32]) -> Self;
    /// Writes the lanes to the first [`F32x::LANES`] values of `y`.
    fn store(self, y: &mut [f32]);
    /// Whether every lane of the mask `m` is set (its sign bits, as `blendv` reads them).
    fn all_set(m: Self) -> bool;
    /// Every lane `v`.
    fn splat(v: f32) -> Self;
    /// Every lane +0.
    fn zero() -> Self;
    /// a + b.
    fn add(a: Self, b: Self) -> Self;
    /// a − b.
    fn sub(a: Self, b: Self) -> Self;
    /// a·b.
    fn mul(a: Self, b: Self) -> Self;
    /// a/b.
    fn div(a: Self, b: Self) -> Self;
    /// a·b + c, one rounding.
    fn fmadd(a: Self, b: Self, c: Self) -> Self;
    /// a·b − c, one rounding.
    fn fmsub(a: Self, b: Self, c: Self) -> Self;
    /// c − a·b, one rounding.
    fn fnmadd(a: Self, b: Self, c: Self) -> Self;
    /// `minps` (b where either is NaN).
    fn min(a: Self, b: Self) -> Self;
    /// `maxps` (b where either is NaN).
    fn max(a: Self, b: Self) -> Self;
    /// Bitwise a AND b.
    fn and(a: Self, b: Self) -> Self;
    /// Bitwise a OR b.
    fn or(a: Self, b: Self) -> Self;
    /// Bitwise (NOT a) AND b.
    fn andnot(a: Self, b: Self) -> Self;
    /// Bitwise a XOR b.
    fn xor(a: Self, b: Self) -> Self;
    /// b where the sign bit of `mask` is set, a elsewhere.
    fn blendv(a: Self, b: Self, mask: Self) -> Self;
    /// 1/a to 2⁻¹² relative (`rcpps`).
    fn rcp(a: Self) -> Self;
    /// a ≥ b (ordered, false for NaN) as an all-ones mask.
    fn ge(a: Self, b: Self) -> Self;
    /// a > b (ordered).
    fn gt(a: Self, b: Self) -> Self;
    /// a = b (ordered).
    fn eq(a: Self, b: Self) -> Self;
    /// a < b (ordered).
    fn lt(a: Self, b: Self) -> Self;
    /// a ≤ b (ordered).
    fn le(a: Self, b: Self) -> Self;
    /// Neither is NaN.
    fn ord(a: Self, b: Self) -> Self;
    /// `table[i]` where i is the low three bits of each lane's bit pattern.
    fn table8(table: &[f32; 8], index: Self) -> Self;
    /// 2ⁿ from m = 8n + j + `magic` (the rounding constant 1.5·2²³ of [`exp_parts_f32x8`]),
    /// for −126 ≤ n ≤ 127.
    fn exp2_of_magic(m: Self, magic: Self) -> Self;
    /// The largest lane (any lane where one is NaN).
    fn hmax(v: Self) -> f32;
    /// `f64` accumulators, one per lane (what [`row_sums_f32`] sums in).
    type Acc: Copy;
    /// Accumulators at +0.
    fn acc_zero() -> Self::Acc;
    /// `acc` plus the lanes of `v`, each widened exactly, one addition per lane.
    fn acc_add(acc: Self::Acc, v: Self) -> Self::Acc;
    /// Every accumulator times `factor`.
    fn acc_scale(acc: Self::Acc, factor: f64) -> Self::Acc;
    /// The accumulators added in lane order.
    fn acc_total(acc: Self::Acc) -> f64;
    /// `fast` where `inside`, `exact` (the `f64` formula, on the widened lanes of x)
    /// elsewhere; all of `fast` when every lane is inside, the common case, with no `f64` work.
    #[inline(always)]
    fn with_exact(x: Self, fast: Self, inside: Self, exact: &impl Fn(Self::D) -> Self::D) -> Self {
        Self::with_exact2(x, x, fast, inside, &|v, _| exact(v))
    }
    /// [`F32x::with_exact`] for a formula of two inputs, x and dy.
    fn with_exact2(
        x: Self,
        dy: Self,
        fast: Self,
        inside: Self,
        exact: &impl Fn(Self::D, Self::D) -> Self::D,
    ) -> Self;
}

/// Implements an [`F32x`] operation on `__m256` by its intrinsic.
macro_rules! m256_ops {
    ($($name:ident($($arg:ident),*) = $intrinsic:path;)*) => {$(
        #[inline(always)]
        fn $name($($arg: __m256),*) -> __m256 {
            simd!($intrinsic($($arg),*))
        }
    )*};
}

impl F32x for __m256 {
    type D = __m256d;
    const LANES: usize = 8;
    #[inline(always)]
    fn load(x: &[f32]) -> __m256 {
        let x = &x[..8];
        // SAFETY: `x` holds 8 f32 (checked above); unaligned loads are allowed; the token
        // behind every caller proves AVX.
        unsafe { _mm256_loadu_ps(x.as_ptr()) }
    }
    #[inline(always)]
    fn store(self, y: &mut [f32]) {
        let y = &mut y[..8];
        // SAFETY: `y` holds 8 f32 (checked above); unaligned stores are allowed.
        unsafe { _mm256_storeu_ps(y.as_mut_ptr(), self) }
    }
    #[inline(always)]
    fn all_set(m: __m256) -> bool {
        simd!(_mm256_movemask_ps(m) == 0xff)
    }
    #[inline(always)]
    fn splat(v: f32) -> __m256 {
        simd!(_mm256_set1_ps(v))
    }
    #[inline(always)]
    fn zero() -> __m256 {
        simd!(_mm256_setzero_ps())
    }
    m256_ops! {
        add(a, b) = _mm256_add_ps;
        sub(a, b) = _mm256_sub_ps;
        mul(a, b) = _mm256_mul_ps;
        div(a, b) = _mm256_div_ps;
        fmadd(a, b, c) = _mm256_fmadd_ps;
        fmsub(a, b, c) = _mm256_fmsub_ps;
        fnmadd(a, b, c) = _mm256_fnmadd_ps;
        min(a, b) = _mm256_min_ps;
        max(a, b) = _mm256_max_ps;
        and(a, b) = _mm256_and_ps;
        or(a, b) = _mm256_or_ps;
        andnot(a, b) = _mm256_andnot_ps;
        xor(a, b) = _mm256_xor_ps;
        blendv(a, b, mask) = _mm256_blendv_ps;
        rcp(a) = _mm256_rcp_ps;
        ge(a, b) = _mm256_cmp_ps::<_CMP_GE_OQ>;
        gt(a, b) = _mm256_cmp_ps::<_CMP_GT_OQ>;
        eq(a, b) = _mm256_cmp_ps::<_CMP_EQ_OQ>;
        lt(a, b) = _mm256_cmp_ps::<_CMP_LT_OQ>;
        le(a, b) = _mm256_cmp_ps::<_CMP_LE_OQ>;
        ord(a, b) = _mm256_cmp_ps::<_CMP_ORD_Q>;
    }
    #[inline(always)]
    fn hmax(v: __m256) -> f32 {
        simd!({
            let m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v));
            let m = _mm_max_ps(m, _mm_movehl_ps(m, m));
            _mm_cvtss_f32(_mm_max_ss(m, _mm_shuffle_ps::<1>(m, m)))
        })
    }
    type Acc = [__m256d; 2];
    #[inline(always)]
    fn acc_zero() -> [__m256d; 2] {
        simd!([_mm256_setzero_pd(); 2])
    }
    #[inline(always)]
    fn acc_add(acc: [__m256d; 2], v: __m256) -> [__m256d; 2] {
        simd!([
            _mm256_add_pd(acc[0], _mm256_cvtps_pd(_mm256_castps256_ps128(v))),
            _mm256_add_pd(acc[1], _mm256_cvtps_pd(_mm256_extractf128_ps::<1>(v))),
        ])
    }
    #[inline(always)]
    fn acc_scale(acc: [__m256d; 2], factor: f64) -> [__m256d; 2] {
        simd!({
            let f = _mm256_set1_pd(factor);
            [_mm256_mul_pd(acc[0], f), _mm256_mul_pd(acc[1], f)]
        })
    }
    #[inline(always)]
    fn acc_total(acc: [__m256d; 2]) -> f64 {
        let mut lanes = [0.0f64; 8];
        // SAFETY: `lanes` holds 8 f64; unaligned stores are allowed; the token behind every
        // caller proves AVX.
        unsafe {
            _mm256_storeu_pd(lanes.as_mut_ptr(), acc[0]);
            _mm256_storeu_pd(lanes[4..].as_mut_ptr(), acc[1]);
        }
        lanes.iter().sum()
    }
    #[inline(always)]
    fn table8(table: &[f32; 8], index: __m256) -> __m256 {
        // SAFETY: `table` holds 8 f32; unaligned loads are allowed; the token behind every
        // caller proves AVX2.
        unsafe {
            _mm256_permutevar8x32_ps(_mm256_loadu_ps(table.as_ptr()), _mm256_castps_si256(index))
        }
    }
    #[inline(always)]
    fn exp2_of_magic(m: __m256, magic: __m256) -> __m256 {
        simd!({
            let k = _mm256_sub_epi32(_mm256_castps_si256(m), _mm256_castps_si256(magic));
            let n = _mm256_srai_epi32::<3>(k);
            _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_add_epi32(
                n,
                _mm256_set1_epi32(127),
            )))
        })
    }
    #[inline(always)]
    fn with_exact2(
        x: __m256,
        dy: __m256,
        fast: __m256,
        inside: __m256,
        exact: &impl Fn(__m256d, __m256d) -> __m256d,
    ) -> __m256 {
        simd!({
            if Self::all_set(inside) {
                return fast;
            }
            let (x_lo, x_hi) = (_mm256_castps256_ps128(x), _mm256_extractf128_ps::<1>(x));
            let (g_lo, g_hi) = (_mm256_castps256_ps128(dy), _mm256_extractf128_ps::<1>(dy));
            let lo = _mm256_cvtpd_ps(exact(_mm256_cvtps_pd(x_lo), _mm256_cvtps_pd(g_lo)));
            let hi = _mm256_cvtpd_ps(exact(_mm256_cvtps_pd(x_hi), _mm256_cvtps_pd(g_hi)));
            _mm256_blendv_ps(_mm256_set_m128(hi, lo), fast, inside)
        })
    }
}

/// Two registers of `f32` lanes, each [`F32x`] operation applied to both side by side (see
/// [`F32x`] for why).
#[derive(Clone, Copy)]
struct X2<V>(V, V);

/// Implements an [`F32x`] operation on [`X2`] as the one-register operation on each half.
macro_rules! x2_ops {
    ($($name:ident($($arg:ident),*);)*) => {$(
        #[inline(always)]
        fn $name($($arg: X2<V>),*) -> X2<V> {
            X2(V::$name($($arg.0),*), V::$name($($arg.1),*))
        }
    )*};
}

impl<V: F32x> F32x for X2<V> {
    type D = V::D;
    const LANES: usize = 2 * V::LANES;
    #[inline(always)]
    fn load(x: &[f32]) -> X2<V> {
        X2(V::load(x), V::load(&x[V::LANES..]))
    }
    #[inline(always)]
    fn store(self, y: &mut [f32]) {
        self.0.store(y);
        self.1.store(&mut y[V::LANES..]);
    }
    #[inline(always)]
    fn all_set(m: X2<V>) -> bool {
        V::all_set(V::and(m.0, m.1))
    }
    #[inline(always)]
    fn splat(v: f32) -> X2<V> {
        let s = V::splat(v);
        X2(s, s)
    }
    #[inline(always)]
    fn zero() -> X2<V> {
        let z = V::zero();
        X2(z, z)
    }
    x2_ops! {
        add(a, b);
        sub(a, b);
        mul(a, b);
        div(a, b);
        fmadd(a, b, c);
        fmsub(a, b, c);
        fnmadd(a, b, c);
        min(a, b);
        max(a, b);
        and(a, b);
        or(a, b);
        andnot(a, b);
        xor(a, b);
        blendv(a, b, mask);
        rcp(a);
        ge(a, b);
        gt(a, b);
        eq(a, b);
        lt(a, b);
        le(a, b);
        ord(a, b);
        exp2_of_magic(m, magic);
    }
    #[inline(always)]
    fn hmax(v: X2<V>) -> f32 {
        V::hmax(V::max(v.0, v.1))
    }
    type Acc = (V::Acc, V::Acc);
    #[inline(always)]
    fn acc_zero() -> Self::Acc {
        (V::acc_zero(), V::acc_zero())
    }
    #[inline(always)]
    fn acc_add(acc: Self::Acc, v: X2<V>) -> Self::Acc {
        (V::acc_add(acc.0, v.0), V::acc_add(acc.1, v.1))
    }
    #[inline(always)]
    fn acc_scale(acc: Self::Acc, factor: f64) -> Self::Acc {
        (V::acc_scale(acc.0, factor), V::acc_scale(acc.1, factor))
    }
    #[inline(always)]
    fn acc_total(acc: Self::Acc) -> f64 {
        V::acc_total(acc.0) + V::acc_total(acc.1)
    }
    #[inline(always)]
    fn table8(table: &[f32; 8], index: X2<V>) -> X2<V> {
        X2(V::table8(table, index.0), V::table8(table, index.1))
    }
    #[inline(always)]
    fn with_exact2(
        x: X2<V>,
        dy: X2<V>,
        fast: X2<V>,
        inside: X2<V>,
        exact: &impl Fn(V::D, V::D) -> V::D,
    ) -> X2<V> {
        // PERF: one test for both halves, so that neither half's arithmetic is moved past the
        // other's branch (which would put the two chains one after the other again).
        if Self::all_set(inside) {
            return fast;
        }
        X2(
            V::with_exact2(x.0, dy.0, fast.0, inside.0, exact),
            V::with_exact2(x.1, dy.1, fast.1, inside.1, exact),
        )
    }
}

/// σ(x), or x·σ(x) with `silu`, of eight `f32` lanes in `f32` arithmetic, within 1 ULP (all
/// 2³² inputs compared with the scalar path: `examples/kernel_sweep.rs`; throughput in
/// `docs/PERFORMANCE.md`); lanes with |x| > 87 or NaN take `exact` (the `f64` formula).
/// The arithmetic is [`sigmoid_f32x8`]'s.
#[inline(always)]
fn sigmoid_family_f32x8<V: F32x>(x: V, silu: bool, exact: &impl Fn(V::D) -> V::D) -> V {
    let fast = sigmoid_f32x8(x, if silu { Some(x) } else { None });
    // |x| ≤ 87 (false for NaN): e stays a normal f32 and so does σ(−|x|).
    let sign = V::splat(-0.0);
    let inside = V::le(V::andnot(sign, x), V::splat(87.0));
    V::with_exact(x, fast, inside, exact)
}

/// σ(x), or m·σ(x) with `times` = m (silu: m = x; backward: m = dy), of eight `f32` lanes in
/// `f32` arithmetic, for |x| ≤ 87 (other lanes, NaN included, hold garbage for the caller to
/// replace).
///
/// With t = −|x| = (8n + j)·ln 2/8 + r, |r| ≤ ln 2/16, e = e^t = 2ⁿ·T·(1 + p) where
/// T = 2^(j/8) is a table pair (hi + lo, from a register by `vpermps`) and p = e^r − 1 a degree-5
/// polynomial (|p| ≤ 0.045, so its `f32` rounding is ≲ 2⁻²⁸ of 1 + p). Then, with 1 + e as an
/// exact two-term sum d = d_hi + d_lo and r₀ = 1/d_hi rounded, 1/d = r₀(1 + ρ) where
/// ρ = (1 − r₀d_hi) − r₀d_lo (the first difference is exact with FMA):
/// - σ(|x|) = 1/d = r₀ + r₀ρ, one rounding (times m: m·r₀ + m·r₀ρ, m·r₀ exact inside the FMA);
/// - σ(−|x|) = e/d = 2ⁿ·r₀·(T_hi + w), w = T_hi·p + T_lo + T_hi·ρ, formed by FMAs around the
///   exact r₀·T_hi, one rounding (times m: r₀·T_hi as an exact pair, times m in one FMA); 2ⁿ ≥
///   2⁻¹²⁶ keeps the scaling exact where the result is normal.
///
/// Each result is one rounding of a value within ~2⁻²⁶ relative of the exact one: ≲ 0.9 ULP
/// where it is normal (with m, also where the product m·σ before the scaling by 2ⁿ is finite).
#[inline(always)]
fn sigmoid_f32x8<V: F32x>(x: V, times: Option<V>) -> V {
    let t = V::or(x, V::splat(-0.0)); // −|x|
    sigmoid_from_parts_f32x8(exp_parts_f32x8(t), x, times)
}

/// σ(v), or m·σ(v) with `times` = m, from the parts of e^{−|v|} ([`exp_parts_f32x8`] or
/// [`exp_parts_lo_f32x8`]), where v has the sign of x (the method is [`sigmoid_f32x8`]'s).
#[inline(always)]
fn sigmoid_from_parts_f32x8<V: F32x>(parts: ExpParts<V>, x: V, times: Option<V>) -> V {
    let ExpParts {
        scale,
        t_hi,
        t_lo,
        r,
        rr,
        q,
    } = parts;
    let p = V::fmadd(rr, q, r);
    let u = V::fmadd(t_hi, p, t_lo); // T(1 + p) = T_hi + u
    let e = V::mul(V::add(t_hi, u), scale);
    let one = V::splat(1.0);
    let d_hi = V::add(one, e);
    let d_lo = V::add(V::sub(one, d_hi), e);
    let r0 = V::div(one, d_hi);
    let rho = V::fnmadd(r0, d_lo, V::fnmadd(r0, d_hi, one));
    let w = V::fmadd(t_hi, rho, u);
    let (positive, negative) = if let Some(m) = times {
        let mr = V::mul(m, r0);
        let positive = V::fmadd(m, r0, V::mul(mr, rho));
        // r₀·T_hi = a + a_err exactly; m·(a + a_err + r₀w) with m·a exact in the FMA.
        let a = V::mul(r0, t_hi);
        let a_err = V::fmsub(r0, t_hi, a);
        let rest = V::fmadd(r0, w, a_err);
        let negative = V::fmadd(m, a, V::mul(m, rest));
        (positive, V::mul(negative, scale))
    } else {
        let positive = V::fmadd(r0, rho, r0);
        let negative = V::fmadd(r0, t_hi, V::mul(r0, w));
        (positive, V::mul(negative, scale))
    };
    V::blendv(positive, negative, x)
}

/// tanh x of eight `f32` lanes in `f32` arithmetic, within 1 ULP (all 2³² inputs compared with
/// the scalar path by `examples/kernel_sweep.rs`: 0.66 ULP at worst); NaN lanes take `exact`.
///
/// tanh|x| = −m/(2 + m) with m = expm1(−2|x|) (2|x| is exact), the one formula from 0 to the
/// saturation, with no cancellation: m is the pair sum + rest of [`expm1_pair_f32x8`], made
/// s + s_err by Fast2Sum, and 2 + m the pair d_hi + d_lo (Fast2Sum of 2 + s, then s_err added
/// to the low part). q₀ = s/d_hi rounded once makes s − q₀d_hi exact (one FMA); the residual
/// m − q₀(d_hi + d_lo), ~2⁻²³ of the quotient, divided by d_hi through `rcp_ps` (2⁻¹² relative)
/// and added to q₀ in one FMA, leaves the result one rounding of a value within ~2⁻²⁸ of
/// m/(2 + m). |x| is capped at 10, where tanh is 1 − 4·10⁻⁹ (it rounds to 1 from 9.01 on),
/// which also keeps e^{−2|x|} normal; for ±0 and tiny |x|, s = −2|x| and q₀ = −|x| exactly. The
/// sign of x goes on last.
#[inline(always)]
fn tanh_f32x8<V: F32x>(x: V, exact: &impl Fn(V::D) -> V::D) -> V {
    let sign = V::splat(-0.0);
    let (q0, residual, inv) = neg_tanh_quotient_f32x8(V::andnot(sign, x));
    let q = V::fmadd(residual, inv, q0); // m/(2 + m) ≤ 0
    let fast = V::or(V::andnot(sign, q), V::and(sign, x));
    let inside = V::ord(x, x); // not NaN
    V::with_exact(x, fast, inside, exact)
}

/// −tanh a for a = |x| ≥ 0 (capped at 10, see [`tanh_f32x8`]) as m/(2 + m), by the method of
/// [`tanh_f32x8`]: q₀ rounded once, the residual m − q₀(2 + m) and `rcp_ps` of 2 + m's high
/// part, so that −tanh a = q₀ + residual·inv within ~2⁻²⁸ of it. Returns (q₀, residual, inv).
#[inline(always)]
fn neg_tanh_quotient_f32x8<V: F32x>(a: V) -> (V, V, V) {
    let ax = V::min(V::splat(10.0), a);
    let t = V::mul(ax, V::splat(-2.0));
    let Expm1Pair { sum, rest } = expm1_pair_f32x8(t);
    // m = s + s_err exactly (Fast2Sum: |rest| ≲ 2% of |sum|).
    let s = V::add(sum, rest);
    let s_err = V::sub(rest, V::sub(s, sum));
    // 2 + m = d_hi + d_lo (Fast2Sum of 2 + s, |s| ≤ 1, then s_err added to the low part).
    let two = V::splat(2.0);
    let d_hi = V::add(two, s);
    let d_lo = V::add(V::add(V::sub(two, d_hi), s), s_err);
    let q0 = V::div(s, d_hi);
    // m − q₀(d_hi + d_lo): s − q₀d_hi exact in the FMA, then s_err − q₀d_lo.
    let residual = V::fnmadd(q0, d_lo, V::add(V::fnmadd(q0, d_hi, s), s_err));
    (q0, residual, V::rcp(d_hi))
}

/// tanhshrink x = x − tanh x of eight `f32` lanes in `f32` arithmetic (all 2³² inputs compared
/// with the scalar path by `examples/kernel_sweep.rs`); lanes with |x| < 2⁻³⁰ (±0 included),
/// |x| = ∞ or NaN take `exact` (the `f64` formula). The sign of x goes on last; with a = |x|:
/// - a ≥ 0.75 (`TANHSHRINK_A0`): a + q₀ + c, where −tanh a = q₀ + c is [`tanh_f32x8`]'s
///   unrounded pair ([`neg_tanh_quotient_f32x8`]: c = residual·inv, the pair within ~2⁻²⁸ of
///   −tanh a by tanh's analysis). a + q₀ = s + e exactly (Fast2Sum: a ≥ tanh a; e = 0 below a ≈ 1.9, where
///   Sterbenz makes the difference exact), then s + (c + e) rounds once. The difference
///   cancels at most 5.6-fold here (tanh 0.75 = 5.5·(0.75 − tanh 0.75)), so the pair's error
///   stays ≲ 2⁻²⁵ of the result. Beyond a = 10 the pair is tanh 10's (1 − 4·10⁻⁹), which
///   rounds a − tanh a the same way.
/// - a < 0.75: a³·P(a²), P(w) = 1/3 − (2/15)w + w²·P2(w) (`gen_tanhshrink_f32.py`): a² and a³
///   as exact pairs (FMA), 1/3 and −2/15 as `f32` pairs, 1/3 + (−2/15)·w as an exact pair (the
///   product's error by FMA, the sum by Fast2Sum), so that only w²·P2(w), ≤ 5% of P, is
///   evaluated in plain `f32` (within 2⁻²⁸·⁴ of P, the generator's check); the main product
///   a³_hi·P_hi is exact (FMA) and the small terms are added to its error in one rounding.
///   a ≥ 2⁻³⁰ keeps a³'s low part (~2⁻¹¹⁴) normal.
#[inline(always)]
fn tanhshrink_f32x8<V: F32x>(x: V, exact: &impl Fn(V::D) -> V::D) -> V {
    use super::tanhshrink_f32_generated::{
        TANHSHRINK_A0, TANHSHRINK_C0, TANHSHRINK_C1, TANHSHRINK_P2,
    };
    let sign = V::splat(-0.0);
    let a = V::andnot(sign, x);
    // a ≥ A0: a + q₀ + c.
    let (q0, residual, inv) = neg_tanh_quotient_f32x8(a);
    let s = V::add(a, q0);
    let e = V::add(V::sub(a, s), q0);
    let large = V::add(s, V::fmadd(residual, inv, e));
    // a < A0: w = a² = w + w_lo, a³ = a3 + a3_lo (to ~2⁻⁴⁸).
    let w = V::mul(a, a);
    let w_lo = V::fmsub(a, a, w);
    let a3 = V::mul(a, w);
    let a3_lo = V::fmadd(a, w_lo, V::fmsub(a, w, a3));
    let mut p2 = V::splat(TANHSHRINK_P2[0]);
    for &c in &TANHSHRINK_P2[1..] {
        p2 = V::fmadd(p2, w, V::splat(c));
    }
    // C1_hi·w = m + m_err, C0_hi + m = h + h_err (Fast2Sum: |m| ≤ 0.075 < C0), both exact.
    let (c0_hi, c0_lo) = (V::splat(TANHSHRINK_C0.0), V::splat(TANHSHRINK_C0.1));
    let (c1_hi, c1_lo) = (V::splat(TANHSHRINK_C1.0), V::splat(TANHSHRINK_C1.1));
    let m = V::mul(c1_hi, w);
    let m_err = V::fmsub(c1_hi, w, m);
    let h = V::add(c0_hi, m);
    let h_err = V::add(V::sub(c0_hi, h), m);
    // P − h = h_err + m_err + C0_lo + C1_lo·w + C1_hi·w_lo + w²·P2(w).
    let low = V::add(V::add(h_err, m_err), c0_lo);
    let low = V::fmadd(c1_hi, w_lo, V::fmadd(c1_lo, w, low));
    let low = V::fmadd(V::mul(w, w), p2, low);
    // a³·P = a3·h (= r + r_err exactly) + a3·low + a3_lo·h.
    let r = V::mul(a3, h);
    let r_err = V::fmsub(a3, h, r);
    let small = V::add(r, V::fmadd(a3_lo, h, V::fmadd(a3, low, r_err)));
    let fast = V::blendv(large, small, V::lt(a, V::splat(TANHSHRINK_A0)));
    let fast = V::or(fast, V::and(sign, x));
    // 2⁻³⁰ ≤ a < ∞ (false for NaN).
    let inside = V::and(
        V::ge(a, V::splat(f32::from_bits(0x3080_0000))), /* 2⁻³⁰ */
        V::lt(a, V::splat(f32::INFINITY)),
    );
    V::with_exact(x, fast, inside, exact)
}

/// 2√(2/π) (the scalar path's `f64` √(2/π), doubled) as an `f32` pair hi + lo.
const GELU_TANH_2K_HI: f32 = (2.0 * GELU_TANH_K) as f32;
/// See [`GELU_TANH_2K_HI`].
const GELU_TANH_2K_LO: f32 = (2.0 * GELU_TANH_K - GELU_TANH_2K_HI as f64) as f32;
/// 2√(2/π)·0.044715 (in `f64`) as an `f32` pair hi + lo.
const GELU_TANH_2KC_HI: f32 = (2.0 * GELU_TANH_K * GELU_TANH_C) as f32;
/// See [`GELU_TANH_2KC_HI`].
const GELU_TANH_2KC_LO: f32 = (2.0 * GELU_TANH_K * GELU_TANH_C - GELU_TANH_2KC_HI as f64) as f32;

/// gelu_tanh x = x·σ(v), v = 2√(2/π)(x + 0.044715x³), of eight `f32` lanes in `f32` arithmetic,
/// within 1 ULP (all 2³² inputs compared with the scalar path by `examples/kernel_sweep.rs`:
/// 0.89 ULP at worst, as silu); lanes with x < −9.9, x = +∞ or NaN take `exact` (the `f64`
/// formula).
///
/// In σ's tail an absolute error δ in v is a relative error δ in the result, and |v| reaches
/// 85, so v is carried as two terms: with z = −|x| (v is odd) and z² = z2 + z2e exact (FMA),
/// g = 2K + 2KC·z² as a pair (the product's error by FMA, the sum by TwoSum, the constants as
/// `f32` pairs within 2⁻⁴⁸), and t = −|v| = z·g = t_hi + t_lo (the product's error by FMA),
/// within ~2⁻⁴⁴ of −|v|. e^t's reduction takes t_lo into r's one rounding
/// ([`exp_parts_lo_f32x8`]); the rest is silu's, x·σ(±|v|) by x's sign
/// ([`sigmoid_from_parts_f32x8`]). x > 9.9 is computed at z = −9.9 (|t| ≤ 85.1, so 2ⁿ stays
/// normal), where σ(v) rounds x·σ(v) to x; x < −9.9 would make 2ⁿ subnormal.
#[inline(always)]
fn gelu_tanh_f32x8<V: F32x>(x: V, exact: &impl Fn(V::D) -> V::D) -> V {
    let z = V::max(V::or(x, V::splat(-0.0)), V::splat(-9.9));
    let z2 = V::mul(z, z);
    let z2e = V::fmsub(z, z, z2);
    // 2KC·z² = p + pe (pe within ~2⁻⁴⁸ of the exact rest).
    let (ch, cl) = (V::splat(GELU_TANH_2KC_HI), V::splat(GELU_TANH_2KC_LO));
    let p = V::mul(ch, z2);
    let pe = V::fmadd(ch, z2e, V::fmadd(cl, z2, V::fmsub(ch, z2, p)));
    // g = 2K + p + pe = g_hi + g_lo (TwoSum of 2K_hi + p).
    let (g_hi, g_err) = two_sum(V::splat(GELU_TANH_2K_HI), p);
    let g_lo = V::add(g_err, V::add(V::splat(GELU_TANH_2K_LO), pe));
    // t = z·g = t_hi + t_lo.
    let t_hi = V::mul(z, g_hi);
    let t_lo = V::fmadd(z, g_lo, V::fmsub(z, g_hi, t_hi));
    let fast = sigmoid_from_parts_f32x8(exp_parts_lo_f32x8(t_hi, Some(t_lo)), x, Some(x));
    // −9.9 ≤ x < ∞ (false for NaN).
    let inside = V::and(V::ge(x, V::splat(-9.9)), V::lt(x, V::splat(f32::INFINITY)));
    V::with_exact(x, fast, inside, exact)
}

/// dx = dy·σ(βx), and dy where βx > `threshold` ([`F32Kernel::SigmoidScaled`]: softplus′,
/// logsigmoid′), of eight `f32` lanes: [`sigmoid_f32x8`] of z = βx (exact: β = ±1 or a power of
/// two ≥ 1, so z is x scaled or ±∞) times dy, which rounds dy·σ(z) once (m·r₀ and m·a exact
/// inside the FMAs, the rest ≲ 2⁻²⁴ of the result with its own rounding ≲ 2⁻⁴⁸): the sweep's
/// worst (dy = 1) is 0.864 ULP.
///
/// Taken from the fast lanes without `f64` work: z > `threshold` and z > 87 give dy itself
/// (dy·1; for z > 87, σ(z) = 1 − e^{−z} with e^{−z} < 2⁻¹²⁵ is 1 after the `f64` product's
/// rounding too), dy = ±0 gives dy (σ > 0). The other lanes take the fast value where |z| ≤ 87
/// and 2⁻¹⁰⁰ ≤ |dy·σ| < ∞: the result and the scaled product before it are then normal and
/// finite, so the scaling by 2ⁿ is exact and m·r₀ρ's rounding stays relative. The rest (|z| > 87
/// below the threshold, tiny or overflowing products, NaN or infinite dy or x) take
/// `exact(x, dy)`: dy times the `f64` formula, rounded once.
#[inline(always)]
fn sigmoid_backward_f32x8<V: F32x>(
    x: V,
    dy: V,
    beta: f32,
    threshold: f32,
    exact: &impl Fn(V::D, V::D) -> V::D,
) -> V {
    let z = V::mul(x, V::splat(beta));
    let fast = sigmoid_f32x8(z, Some(dy));
    let zero = V::zero();
    let limit = V::splat(87.0);
    let normal = normal_finite(fast);
    let dy_zero = V::eq(dy, zero);
    let in_range = V::le(V::andnot(V::splat(-0.0), z), limit);
    // z > threshold or z > 87 (false for NaN): dy·1. One comparison, with the smaller of the
    // two (the threshold is never NaN: `F32Kernel::SigmoidScaled`).
    let one = V::gt(z, V::splat(threshold.min(87.0)));
    let fast = V::blendv(fast, dy, V::or(one, V::and(in_range, dy_zero)));
    let inside = V::or(one, V::and(in_range, V::or(normal, dy_zero)));
    V::with_exact2(x, dy, fast, inside, exact)
}

/// a + b = s + err exactly (TwoSum: either may be the larger).
#[inline(always)]
fn two_sum<V: F32x>(a: V, b: V) -> (V, V) {
    let s = V::add(a, b);
    let bv = V::sub(s, a);
    (s, V::add(V::sub(a, V::sub(s, bv)), V::sub(b, bv)))
}

/// 2⁻¹⁰⁰ ≤ |v| < ∞ (false for NaN): where a scaled or multiplied result is safely normal.
#[inline(always)]
fn normal_finite<V: F32x>(v: V) -> V {
    let abs = V::andnot(V::splat(-0.0), v);
    V::and(
        V::ge(abs, V::splat(f32::from_bits(0x0d80_0000))), /* 2⁻¹⁰⁰ */
        V::lt(abs, V::splat(f32::INFINITY)),
    )
}

/// dy·(N + N_lo)/d² for [`silu_backward_f32x8`], with 1/d² = (R + R_err)(1 + ρ2) (ρ2 = 2ρ):
/// the main product N·R as an exact pair P + P_err, the small terms gathered in `rest`, and
/// dy·P + dy·rest in one FMA. Returns (the result, P).
#[inline(always)]
fn dy_over_d2<V: F32x>(dy: V, n: V, n_lo: V, big_r: V, r_err: V, rho2: V) -> (V, V) {
    let p = V::mul(n, big_r);
    let p_err = V::fmsub(n, big_r, p);
    let rest = V::fmadd(rho2, p, V::fmadd(n_lo, big_r, V::fmadd(n, r_err, p_err)));
    (V::fmadd(dy, p, V::mul(dy, rest)), p)
}

/// dx = dy·silu′(x), silu′(x) = σ(x)(1 + x·σ(−x)) ([`F32Kernel::SiluDerivative`]), of eight
/// `f32` lanes in `f32` arithmetic, within 2 ULP (all 2³² inputs with dy = 1 compared with the
/// scalar path by `examples/kernel_sweep.rs`: 0.69 ULP at worst).
///
/// With e = e^{−|x|} = 2ⁿ(T_hi + u) as in [`sigmoid_f32x8`], kept as the exact pair e_f + e_err
/// (Fast2Sum of 2ⁿT_hi + 2ⁿu), and d = 1 + e = d_hi + d_lo (Fast2Sum, then e_err),
/// σ(x)σ(−x) = e/d² on both sides of 0, so silu′ = (d + x·e)/d² for x ≥ 0 and e·(d + x)/d² for
/// x < 0. 1/d² = (R + R_err)(1 + 2ρ) with r₀ = 1/d_hi rounded, R + R_err = r₀² exactly (FMA)
/// and ρ = (1 − r₀d_hi) − r₀d_lo as in σ. The numerator: for x ≥ 0, N = d + x·e with x·e_f as
/// an exact pair (a sum of positive terms, x·e ≤ 1/e < d_hi); for x < 0, e·N with N = (1 + x) +
/// e_f + e_err by two TwoSums and e_f·N_hi as an exact pair. Then the main product with R as an
/// exact pair, every small term (ρ, R_err, the low parts) gathered in `rest`, and dx = dy·P +
/// dy·rest in one FMA (dy·P exact inside it).
///
/// silu′ has a root at x ≈ −1.2785, where d + x cancels: e's error (~2⁻²⁷ relative, from r's and
/// u's roundings) becomes an absolute error in N, so lanes with |N_hi| < 1/16 take
/// `exact(x, dy)` (the `f64` formula), as do x < −80, NaN or infinite dy or x, and results that
/// are not normal and finite; x > 80 (+∞ included) gives dy (silu′ rounds to 1 there), and
/// dy = ±0 gives ±0 with the sign of dy·silu′.
#[inline(always)]
fn silu_backward_f32x8<V: F32x>(x: V, dy: V, exact: &impl Fn(V::D, V::D) -> V::D) -> V {
    let sign = V::splat(-0.0);
    let one = V::splat(1.0);
    let ExpParts {
        scale,
        t_hi,
        t_lo,
        r,
        rr,
        q,
    } = exp_parts_f32x8(V::max(V::or(x, sign), V::splat(-80.0))); // −min(|x|, 80)
    let p = V::fmadd(rr, q, r);
    let u = V::fmadd(t_hi, p, t_lo); // T(1 + p) = T_hi + u
    // e = 2ⁿT_hi + 2ⁿu (both scalings exact, or below 2⁻¹⁴⁹ where 2ⁿu is subnormal: ~2⁻³⁴ of
    // e ≥ e⁻⁸⁰) = e_f + e_err exactly (Fast2Sum: |u| ≤ T_hi).
    let e_hi = V::mul(t_hi, scale);
    let e_lo = V::mul(u, scale);
    let e_f = V::add(e_hi, e_lo);
    let e_err = V::sub(e_lo, V::sub(e_f, e_hi));
    // d = 1 + e = d_hi + d_lo (Fast2Sum: 1 ≥ e_f), 1/d² = (R + R_err)(1 + 2ρ).
    let d_hi = V::add(one, e_f);
    let d_lo = V::add(V::add(V::sub(one, d_hi), e_f), e_err);
    let r0 = V::div(one, d_hi);
    let rho = V::fnmadd(r0, d_lo, V::fnmadd(r0, d_hi, one));
    let rho2 = V::add(rho, rho);
    let big_r = V::mul(r0, r0);
    let r_err = V::fmsub(r0, r0, big_r);
    // x ≥ 0: N = d_hi + x·e_f + (d_lo + x·e_err), x·e ≤ 1/e < 1 ≤ d_hi (Fast2Sum).
    let xe = V::mul(x, e_f);
    let xe_err = V::fmsub(x, e_f, xe);
    let n_pos = V::add(d_hi, xe);
    let n_pos_err = V::sub(xe, V::sub(n_pos, d_hi));
    let n_pos_lo = V::fmadd(x, e_err, V::add(V::add(n_pos_err, d_lo), xe_err));
    let (pos, p_pos) = dy_over_d2(dy, n_pos, n_pos_lo, big_r, r_err, rho2);
    // x < 0: N = (1 + x) + e_f + e_err, two TwoSums; e·N = M + K, M = e_f·N_hi exactly.
    let (a, a_err) = two_sum(one, x);
    let (n_neg, n_neg_err) = two_sum(a, e_f);
    let n_neg_lo = V::add(V::add(n_neg_err, a_err), e_err);
    let m = V::mul(e_f, n_neg);
    let m_err = V::fmsub(e_f, n_neg, m);
    let k = V::fmadd(e_f, n_neg_lo, V::fmadd(e_err, n_neg, m_err));
    let (neg, p_neg) = dy_over_d2(dy, m, k, big_r, r_err, rho2);
    let fast = V::blendv(pos, neg, x);
    // dy = ±0: ±0 with the sign of dy·silu′ (the main product's sign).
    let main = V::blendv(p_pos, p_neg, x);
    let dy_zero = V::eq(dy, V::zero());
    let fast = V::blendv(fast, V::xor(dy, V::and(main, sign)), dy_zero);
    // x > 80 (+∞ included): dy.
    let big = V::gt(x, V::splat(80.0));
    let fast = V::blendv(fast, dy, big);
    let normal = normal_finite(fast);
    let in_range = V::le(V::andnot(sign, x), V::splat(80.0));
    let near_root = V::and(
        V::lt(x, V::zero()),
        V::lt(V::andnot(sign, n_neg), V::splat(1.0 / 16.0)),
    );
    let ok = V::andnot(near_root, V::and(in_range, V::or(normal, dy_zero)));
    let inside = V::or(big, ok);
    V::with_exact2(x, dy, fast, inside, exact)
}

/// y = f(x) over equal-length slices for the `f32`-lane kernel `kind`: four registers of `V` at
/// a time, then one, then the last few values padded to a register.
///
/// PERF: [`F32x`] says why more than one register; four beat two for the long kernels (those
/// built on e^t), the same bits either way (`examples/kernel_hash.rs` gives the same lines but
/// for signalling NaN inputs, which come out quieted: NaN either way). On the project's Zen 3
/// (AVX2 path, 2026-11-28 17:30), pinned to one core (`taskset -c 0 actlab bench kernels
/// --sizes 4K,64K`), the previous release and this loop alternated three times, best at 64K in
/// Gelem/s: sigmoid 1.25 → 1.38, tanh 0.90 → 1.05,
/// softplus 0.81 → 0.91, silu 1.12 → 1.17; softsign 4.32 → 4.21, hardswish 3.72 → 3.61,
/// hardsigmoid 5.07 → 4.02 (hardsigmoid was as slow in a build that kept its two-register
/// loop, the same instructions at another address; the cause was not established:
/// `docs/PERFORMANCE.md`). That build, with a second instantiation of the loop for the short
/// kernels (every kind is inlined into each), took 302 s to compile the crate in release
/// (`touch`, then `cargo build --release -p actlab-act --lib`), against 169 s for this one loop
/// and 94 s with two registers everywhere.
#[inline(always)]
fn f32_kernel_slices<V: F32x>(
    kind: F32Kernel,
    x: &[f32],
    y: &mut [f32],
    exact: &impl Fn(V::D) -> V::D,
) {
    let mut xs = x.chunks_exact(X2::<X2<V>>::LANES);
    let mut ys = y.chunks_exact_mut(X2::<X2<V>>::LANES);
    for (x, y) in (&mut xs).zip(&mut ys) {
        f32_kernel_x8(kind, X2::<X2<V>>::load(x), exact).store(y);
    }
    let mut xs = xs.remainder().chunks_exact(V::LANES);
    let mut ys = ys.into_remainder().chunks_exact_mut(V::LANES);
    for (x, y) in (&mut xs).zip(&mut ys) {
        f32_kernel_x8(kind, V::load(x), exact).store(y);
    }
    let rest = xs.remainder();
    if !rest.is_empty() {
        let mut padded = [0.0f32; 16];
        padded[..rest.len()].copy_from_slice(rest);
        f32_kernel_x8(kind, V::load(&padded), exact).store(&mut padded);
        ys.into_remainder().copy_from_slice(&padded[..rest.len()]);
    }
}

/// dx = dy·g(x) over equal-length slices for the `f32`-lane backward kernel `kind` (one that
/// [`f32_backward_kind`] accepts), two registers at a time, then one, then the rest padded.
///
/// PERF: four registers at a time gained little here and made the crate slower to compile, so
/// the backward loop keeps two. On the Zen 3 (AVX2, in the A/B of [`f32_kernel_slices`]), at
/// 64K: logsigmoid′ 0.78 → 0.85 Gelem/s, silu′ 0.46 → 0.47, softplus′ 0.73 → 0.76. On a Zen 5
/// (AVX-512, 2026-11-28, `taskset -c 0 actlab bench kernels --json --sizes 64K --functions
/// softplus,logsigmoid,silu`, two registers and four alternated three times): softplus′
/// 2.11–2.19 → 2.01–2.07, logsigmoid′ 2.18–2.20 → 2.02–2.08, silu′ 1.35–1.37 → 1.36–1.38.
#[inline(always)]
fn f32_backward_slices<V: F32x>(
    kind: F32Kernel,
    x: &[f32],
    dy: &[f32],
    dx: &mut [f32],
    exact: &impl Fn(V::D, V::D) -> V::D,
) {
    let mut xs = x.chunks_exact(X2::<V>::LANES);
    let mut gs = dy.chunks_exact(X2::<V>::LANES);
    let mut ds = dx.chunks_exact_mut(X2::<V>::LANES);
    for ((x, g), d) in (&mut xs).zip(&mut gs).zip(&mut ds) {
        f32_backward_x8(kind, X2::<V>::load(x), X2::<V>::load(g), exact).store(d);
    }
    let mut xs = xs.remainder().chunks_exact(V::LANES);
    let mut gs = gs.remainder().chunks_exact(V::LANES);
    let mut ds = ds.into_remainder().chunks_exact_mut(V::LANES);
    for ((x, g), d) in (&mut xs).zip(&mut gs).zip(&mut ds) {
        f32_backward_x8(kind, V::load(x), V::load(g), exact).store(d);
    }
    let rest = xs.remainder();
    if !rest.is_empty() {
        let n = rest.len();
        let mut padded = [0.0f32; 16];
        let mut grad = [0.0f32; 16];
        padded[..n].copy_from_slice(rest);
        grad[..n].copy_from_slice(gs.remainder());
        f32_backward_x8(kind, V::load(&padded), V::load(&grad), exact).store(&mut padded);
        ds.into_remainder().copy_from_slice(&padded[..n]);
    }
}

/// One vector of the `f32`-lane kernel `kind`.
///
/// PERF: a plain function, not a closure: a closure written in a generic function is compiled
/// without the entry point's target features, and every intrinsic in it becomes a call.
#[inline(always)]
fn f32_kernel_x8<V: F32x>(kind: F32Kernel, v: V, exact: &impl Fn(V::D) -> V::D) -> V {
    match kind {
        F32Kernel::Sigmoid => sigmoid_family_f32x8(v, false, exact),
        F32Kernel::Silu => sigmoid_family_f32x8(v, true, exact),
        F32Kernel::Gelu => gelu_f32x8(v, exact),
        F32Kernel::Tanh => tanh_f32x8(v, exact),
        F32Kernel::Tanhshrink => tanhshrink_f32x8(v, exact),
        F32Kernel::GeluTanh => gelu_tanh_f32x8(v, exact),
        F32Kernel::Expm1 { positive, negative } => expm1_family_f32x8(v, positive, negative, exact),
        F32Kernel::Softplus { threshold } => softplus_f32x8(v, false, threshold, exact),
        F32Kernel::Logsigmoid => softplus_f32x8(v, true, f32::INFINITY, exact),
        F32Kernel::Hard { swish } => hard_f32x8(v, swish, exact),
        F32Kernel::Softsign => softsign_f32x8(v, exact),
        // Not used by the forward formulas (backward kernels); g(x) is their value at dy = 1.
        F32Kernel::SigmoidScaled { .. } | F32Kernel::SiluDerivative => {
            f32_backward_x8(kind, v, V::splat(1.0), &|x, _| exact(x))
        }
    }
}

/// One vector of the `f32`-lane backward kernel `kind` (dx = dy·g(x)), for the kinds
/// [`f32_backward_kind`] accepts.
#[inline(always)]
fn f32_backward_x8<V: F32x>(
    kind: F32Kernel,
    x: V,
    dy: V,
    exact: &impl Fn(V::D, V::D) -> V::D,
) -> V {
    match kind {
        F32Kernel::SigmoidScaled { beta, threshold } => {
            sigmoid_backward_f32x8(x, dy, beta, threshold, exact)
        }
        _ => silu_backward_f32x8(x, dy, exact),
    }
}

/// Whether `kind` has an `f32`-lane backward kernel ([`f32_backward_x8`]).
fn f32_backward_kind(kind: F32Kernel) -> bool {
    matches!(
        kind,
        F32Kernel::SigmoidScaled { .. } | F32Kernel::SiluDerivative
    )
}

/// softplus(x) = max(x, 0) + ln(1 + e^{−|x|}) (β = 1; x itself where x > `threshold`), or with
/// `negate` logsigmoid(x) = −softplus(−x), of eight `f32` lanes in `f32` arithmetic, within
/// 1 ULP (all 2³² inputs compared with the scalar path: `examples/kernel_sweep.rs`); lanes with
/// z < −80 (z = x, or −x with `negate`) or NaN take `exact` (the `f64` formula).
///
/// With z as above, e = e^{−|z|} = 2ⁿ·(T_hi + u) as in [`sigmoid_f32x8`] (u = T_hi·p + T_lo),
/// kept as the pair e_hi + e_lo = 2ⁿT_hi + 2ⁿu (both scalings exact: e ≥ e⁻⁸⁰ keeps 2ⁿu
/// normal), then as its rounding e_f and the exact remainder e_err (Fast2Sum, |e_lo| ≤ |e_hi|).
/// ln(1 + e) = 2s(1 + w·h(w)), s = e/(2 + e) ≤ 1/3, w = s², h the degree-4 `LOG1P_H_F32` (1 + w·h
/// within ~10⁻⁹, `gen_polys.py`). With 2 + e = D_hi + D_lo (Fast2Sum, plus e_err), r₀ = 1/D_hi
/// and s₀ = e_f·r₀, s = s₀ + c with c = ((e_f − s₀D_hi) + (e_err − s₀D_lo))·r₀: each term is
/// ≲ 2⁻²² of s and rounds within ~2⁻⁴⁵ of s. Then ln(1 + e) = 2s₀ + 2(c + s₀w·h), the second
/// term ≲ 4% of the first, and softplus = max(z, 0) + 2s₀ + 2(c + s₀w·h): the first sum as an
/// exact pair (TwoSum), its error added to the small term, one rounding at the end. The value
/// rounded is within ~2⁻²⁶ relative of the exact one (e^{−|z|}'s reduction and polynomial, as in
/// the σ kernel, and the roundings of the small terms): the sweep's worst is 0.754 ULP. Where
/// z > 80 (or z > `threshold`) softplus is z: e^{−z} < 2⁻¹¹⁵ is below half an ULP of z.
#[inline(always)]
fn softplus_f32x8<V: F32x>(x: V, negate: bool, threshold: f32, exact: &impl Fn(V::D) -> V::D) -> V {
    let sign = V::splat(-0.0);
    let z = if negate { V::xor(x, sign) } else { x };
    let t = V::or(z, sign); // −|z|
    let ExpParts {
        scale,
        t_hi,
        t_lo,
        r,
        rr,
        q,
    } = exp_parts_f32x8(t);
    let p = V::fmadd(rr, q, r);
    let u = V::fmadd(t_hi, p, t_lo);
    let e_hi = V::mul(t_hi, scale);
    let e_lo = V::mul(u, scale);
    let e_f = V::add(e_hi, e_lo);
    let e_err = V::sub(e_lo, V::sub(e_f, e_hi));
    let two = V::splat(2.0);
    let d_hi = V::add(two, e_f);
    let d_lo = V::add(V::add(V::sub(two, d_hi), e_f), e_err);
    let r0 = V::div(V::splat(1.0), d_hi);
    let s0 = V::mul(e_f, r0);
    let residual = V::add(V::fnmadd(s0, d_hi, e_f), V::fnmadd(s0, d_lo, e_err));
    let c = V::mul(residual, r0);
    let w = V::mul(s0, s0);
    let [h4, h3, h2, h1, h0] = LOG1P_H_F32;
    let h = V::fmadd(V::splat(h4), w, V::splat(h3));
    let h = V::fmadd(h, w, V::splat(h2));
    let h = V::fmadd(h, w, V::splat(h1));
    let h = V::fmadd(h, w, V::splat(h0));
    let small = V::fmadd(V::mul(s0, w), h, c);
    let small = V::add(small, small);
    let two_s0 = V::add(s0, s0);
    // max(z, 0) + 2s₀ = hi + err exactly (TwoSum: either may be the larger).
    let base = V::max(z, V::zero());
    let (hi, err) = two_sum(base, two_s0);
    let y = V::add(hi, V::add(err, small));
    // z > threshold or z > 80 (false for NaN): z itself.
    let linear = V::or(V::gt(z, V::splat(threshold)), V::gt(z, V::splat(80.0)));
    let y = V::blendv(y, z, linear);
    let fast = if negate { V::xor(y, sign) } else { y };
    // z ≥ −80 (false for NaN).
    let inside = V::ge(z, V::splat(-80.0));
    V::with_exact(x, fast, inside, exact)
}

/// The table-driven e^t of [`sigmoid_family_f32x8`] for t ≤ 0 (|t| ≤ 87), as its parts:
/// (2ⁿ, T_hi, T_lo, r, r², q) with e^t = 2ⁿ·(T_hi + T_lo)·(1 + p), p = r + r²q, |p| ≤ 0.045.
#[inline(always)]
fn exp_parts_f32x8<V: F32x>(t: V) -> ExpParts<V> {
    exp_parts_lo_f32x8(t, None)
}

/// [`exp_parts_f32x8`] of t + `t_lo` where `t_lo` is given (|t_lo| ≲ 2⁻¹⁶, the low part of a
/// two-term argument): t − k·LN2_8_HI is exact, and t_lo − k·LN2_8_LO joins it in the one
/// rounding that forms r (|r| ≤ ln 2/16 + |t_lo|).
#[inline(always)]
fn exp_parts_lo_f32x8<V: F32x>(t: V, t_lo: Option<V>) -> ExpParts<V> {
    let magic = V::splat(12582912.0);
    let m = V::fmadd(t, V::splat(EIGHT_OVER_LN2), magic);
    let k = V::sub(m, magic);
    let r = V::fnmadd(k, V::splat(LN2_8_HI), t);
    let r = match t_lo {
        None => V::fnmadd(k, V::splat(LN2_8_LO), r),
        Some(lo) => V::add(r, V::fnmadd(k, V::splat(LN2_8_LO), lo)),
    };
    let q = V::fmadd(V::splat(1.0 / 120.0), r, V::splat(1.0 / 24.0));
    let q = V::fmadd(q, r, V::splat(1.0 / 6.0));
    let q = V::fmadd(q, r, V::splat(0.5));
    let t_hi = V::table8(&EXP2_8THS_HI, m);
    let t_lo = V::table8(&EXP2_8THS_LO, m);
    let scale = V::exp2_of_magic(m, magic);
    ExpParts {
        scale,
        t_hi,
        t_lo,
        r,
        rr: V::mul(r, r),
        q,
    }
}

/// The parts of e^t from [`exp_parts_f32x8`].
struct ExpParts<V> {
    scale: V,
    t_hi: V,
    t_lo: V,
    r: V,
    rr: V,
    q: V,
}

/// expm1(t) for t ≤ 0 (|t| ≤ 87) as `sum + rest`, `rest` ≲ 2% of the value, the pair within
/// ~2⁻²⁹ of expm1(t) (the method is in [`expm1_family_f32x8`]'s documentation). Near 0 (k = 0)
/// `sum` is t itself and `rest` = r²q.
#[inline(always)]
fn expm1_pair_f32x8<V: F32x>(t: V) -> Expm1Pair<V> {
    let e = exp_parts_f32x8(t);
    let one = V::splat(1.0);
    let a = V::mul(e.t_hi, e.scale);
    // A − 1 = h + l exactly (Fast2Sum, |A| ≤ 1).
    let h = V::sub(a, one);
    let l = V::sub(a, V::add(h, one));
    // A·r = ar + ar_err exactly; h + ar = s + s_err exactly (Fast2Sum: for k ≠ 0,
    // |h| ≥ 1 − 2^(−1/8) > 0.08 > |r| ≥ |A·r|, and for k = 0, h = 0).
    let ar = V::mul(a, e.r);
    let ar_err = V::fmsub(a, e.r, ar);
    let sum = V::add(h, ar);
    let sum_err = V::sub(ar, V::sub(sum, h));
    // The small rest: A·r²q + l + 2ⁿT_lo + both errors (≲ 2% of the result).
    let rest = V::fmadd(
        V::mul(a, e.rr),
        e.q,
        V::add(V::add(l, V::mul(e.t_lo, e.scale)), V::add(ar_err, sum_err)),
    );
    Expm1Pair { sum, rest }
}

/// expm1(t) as a sum of two `f32` lanes, from [`expm1_pair_f32x8`].
struct Expm1Pair<V> {
    sum: V,
    rest: V,
}

/// e^(x − m) for x ≤ m (`neg_m` = −m, both finite `f32`) as hi + lo, within ~2⁻²⁶ relative
/// where x − m ≥ −80; both parts are +0 elsewhere.
///
/// x − m as the exact pair d + d_lo (TwoSum), then [`exp_parts_lo_f32x8`] as in
/// [`sigmoid_f32x8`]: e^(x − m) = 2ⁿ·(T_hi + u), u = T_hi·p + T_lo, with 2ⁿ·T_hi exact and 2ⁿ·u
/// (≲ 5% of it) normal, since e⁻⁸⁰ > 2⁻¹¹⁶. At x = m the result is exactly 1 + 0.
#[inline(always)]
fn exp_shifted_f32x8<V: F32x>(x: V, neg_m: V) -> (V, V) {
    let (d, d_lo) = two_sum(x, neg_m);
    // False for −∞ and NaN (an overflowed difference): those lanes are masked below, whatever
    // the arithmetic gives them.
    let inside = V::ge(d, V::splat(-80.0));
    let parts = exp_parts_lo_f32x8(V::max(d, V::splat(-80.0)), Some(d_lo));
    let p = V::fmadd(parts.rr, parts.q, parts.r);
    let u = V::fmadd(parts.t_hi, p, parts.t_lo);
    (
        V::and(inside, V::mul(parts.t_hi, parts.scale)),
        V::and(inside, V::mul(u, parts.scale)),
    )
}

/// The online first sweep of the row kernels in `f32` lanes ([`Lanes::f32_row_sums`]), blocks
/// of two [`X2`] registers: the block's maximum (in registers), and when it exceeds the running
/// one, the sums so far rescaled by e^(m_old − m_new) (the old maxima becoming ordinary terms);
/// then each entry's e^(x − m) from [`exp_shifted_f32x8`], counted if x = m (it is exactly 1),
/// else added to R in `f64` accumulators (the small parts of a block added in `f32` first:
/// each ≲ 5% of its term, so that rounding is ≲ 2⁻²⁸ of R). Terms with x − m < −80 are left
/// out (< 2⁻¹¹⁵ of S ≥ 1). R is within ~2⁻²⁶ relative of its exact value.
#[inline(always)]
fn row_sums_f32<V: F32x>(row: &[f32]) -> RowSums {
    // A row that stays in the cache gets its maximum first (a cheap sweep), and the exp sweep
    // then neither checks, nor looks for a new maximum, nor rescales.
    let mut st: RowState<X2<V>> = if row.len() <= CACHED_ROW {
        let (max, finite) = row_max_f32::<V>(row);
        if !finite {
            return RowSums {
                finite,
                max,
                count: 0.0,
                rest: 0.0,
            };
        }
        RowState::new(max, true)
    } else {
        RowState::new(f32::NEG_INFINITY, true)
    };
    row_sums_sweep(&mut st, row, None);
    st.sums()
}

/// The exp sweep of [`row_sums_f32`] over a row, blocks of two [`X2`] registers, online unless
/// the state's maximum is known (finite). With `keep` = (hi, lo), each e^(x − m) is kept
/// there as its two parts (`lo` holding the row's length rounded up to a block; valid only
/// where the maximum was known, as online parts are taken against a maximum that may rise).
#[inline(always)]
fn row_sums_sweep<V: F32x>(
    st: &mut RowState<X2<V>>,
    row: &[f32],
    mut keep: Option<(&mut [f32], &mut [f32])>,
) {
    let w = X2::<V>::LANES;
    let step = 2 * w;
    let online = st.max == f32::NEG_INFINITY;
    let mut blocks = row.chunks_exact(step);
    let mut i = 0;
    for block in &mut blocks {
        let [(a_hi, a_lo), (b_hi, b_lo)] = row_sums_block(st, block, online, true);
        if let Some((hi, lo)) = keep.as_mut() {
            a_hi.store(&mut hi[i..]);
            b_hi.store(&mut hi[i + w..]);
            a_lo.store(&mut lo[i..]);
            b_lo.store(&mut lo[i + w..]);
        }
        i += step;
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        // Padded with −∞: it raises no maximum and adds nothing (its own entries are checked
        // here, the padding is not).
        st.tail_finite = tail.iter().all(|v| v.is_finite());
        let mut padded = [f32::NEG_INFINITY; 64];
        padded[..tail.len()].copy_from_slice(tail);
        let [(a_hi, a_lo), (b_hi, b_lo)] = row_sums_block(st, &padded[..step], online, false);
        if let Some((hi, lo)) = keep {
            a_hi.store(&mut padded);
            b_hi.store(&mut padded[w..]);
            hi[i..].copy_from_slice(&padded[..tail.len()]);
            a_lo.store(&mut lo[i..]);
            b_lo.store(&mut lo[i + w..]);
        }
    }
}

/// The running state of [`row_sums_f32`].
struct RowState<W: F32x> {
    /// Whether the maxima are counted apart (K) from the other terms (R); else every term goes
    /// to `rest` (then S) and `count` stays 0.
    track_rest: bool,
    /// The padded tail's own entries are finite.
    tail_finite: bool,
    /// The running maximum (−∞ before the first block).
    max: f32,
    /// `max` in every lane.
    m: W,
    /// −`max` in every lane.
    neg_m: W,
    /// The number of entries equal to `max`, per lane (exact integers; with `track_rest`).
    count: W,
    /// The sum of e^(x − max) over the entries below `max` (over all of them without
    /// `track_rest`).
    rest: W::Acc,
    /// All ones while every entry checked is finite.
    finite: W,
}

impl<W: F32x> RowState<W> {
    /// Nothing summed yet, against `max`: the row's (known) maximum, or −∞ for the online
    /// sweep; K apart from R with `track_rest`.
    #[inline(always)]
    fn new(max: f32, track_rest: bool) -> RowState<W> {
        let one = W::splat(1.0);
        RowState {
            track_rest,
            tail_finite: true,
            max,
            m: W::splat(max),
            neg_m: W::splat(-max),
            count: W::zero(),
            rest: W::acc_zero(),
            finite: W::eq(one, one),
        }
    }

    /// K and R as sums of their lanes in a fixed order.
    #[inline(always)]
    fn sums(&self) -> RowSums {
        RowSums {
            finite: self.tail_finite && W::all_set(self.finite),
            max: self.max,
            count: W::acc_total(W::acc_add(W::acc_zero(), self.count)),
            rest: W::acc_total(self.rest),
        }
    }
}

/// Rows up to this length (16 KiB) stay in the L1 or L2 cache between two sweeps: their
/// maximum is found first ([`row_max_f32`]), so that the exponentials are taken once against
/// it, and softmax keeps them ([`softmax_rows_f32`]). Longer rows are read from memory at most
/// twice (the online sweep).
const CACHED_ROW: usize = 4096;

/// The maximum of a row and whether every entry is finite, in `f32` lanes (exact).
#[inline(always)]
fn row_max_f32<V: F32x>(row: &[f32]) -> (f32, bool) {
    let inf = X2::<V>::splat(f32::INFINITY);
    let sign = X2::<V>::splat(-0.0);
    let mut top = X2::<V>::splat(f32::NEG_INFINITY);
    let mut finite = X2::<V>::eq(inf, inf);
    let mut chunks = row.chunks_exact(X2::<V>::LANES);
    for c in &mut chunks {
        let v = X2::<V>::load(c);
        top = X2::<V>::max(top, v);
        finite = X2::<V>::and(finite, X2::<V>::lt(X2::<V>::andnot(sign, v), inf));
    }
    let mut max = X2::<V>::hmax(top);
    let mut all_finite = X2::<V>::all_set(finite);
    for &v in chunks.remainder() {
        all_finite &= v.is_finite();
        max = max.max(v);
    }
    (max, all_finite)
}

/// One block (two registers) of [`row_sums_f32`]; `online` raises the maximum (with the
/// rescale) where the block holds a larger one (else the maximum is the row's, known already),
/// and `check` then adds the block to the finiteness check (not for the padded tail). Returns
/// the block's e^(x − m) (hi, lo) per register.
#[inline(always)]
fn row_sums_block<W: F32x>(
    st: &mut RowState<W>,
    block: &[f32],
    online: bool,
    check: bool,
) -> [(W, W); 2] {
    let a = W::load(block);
    let b = W::load(&block[W::LANES..]);
    if online {
        row_sums_raise(st, a, b, check);
    }
    let one = W::splat(1.0);
    let (a_hi, a_lo) = exp_shifted_f32x8(a, st.neg_m);
    let (b_hi, b_lo) = exp_shifted_f32x8(b, st.neg_m);
    if st.track_rest {
        let (a_top, b_top) = (W::eq(a, st.m), W::eq(b, st.m));
        st.count = W::add(st.count, W::add(W::and(a_top, one), W::and(b_top, one)));
        st.rest = W::acc_add(st.rest, W::andnot(a_top, a_hi));
        st.rest = W::acc_add(st.rest, W::andnot(b_top, b_hi));
        let lo = W::add(W::andnot(a_top, a_lo), W::andnot(b_top, b_lo));
        st.rest = W::acc_add(st.rest, lo);
    } else {
        st.rest = W::acc_add(st.rest, a_hi);
        st.rest = W::acc_add(st.rest, b_hi);
        st.rest = W::acc_add(st.rest, W::add(a_lo, b_lo));
    }
    [(a_hi, a_lo), (b_hi, b_lo)]
}

/// The online part of [`row_sums_block`] for the block's registers `a` and `b`.
#[inline(always)]
fn row_sums_raise<W: F32x>(st: &mut RowState<W>, a: W, b: W, check: bool) {
    if check {
        let inf = W::splat(f32::INFINITY);
        let sign = W::splat(-0.0);
        let finite = W::and(
            W::lt(W::andnot(sign, a), inf),
            W::lt(W::andnot(sign, b), inf),
        );
        st.finite = W::and(st.finite, finite);
    }
    let top = W::hmax(W::max(a, b));
    if top > st.max {
        if st.max != f32::NEG_INFINITY {
            // K + R, rescaled: every term so far is now below the maximum. (m_old − m_new is
            // exact in f64.)
            let factor = (st.max as f64 - top as f64).exp();
            st.rest = W::acc_scale(W::acc_add(st.rest, st.count), factor);
            st.count = W::zero();
        }
        st.max = top;
        st.m = W::splat(top);
        st.neg_m = W::splat(-top);
    }
}

/// e·c for e = `h` + `l` from [`exp_shifted_f32x8`] (of x) and c = `c_hi` + `c_lo`:
/// h·c_hi + (h·c_lo + l·c_hi) in one rounding, the first product exact inside the FMA. Lanes
/// whose result is under 2⁻¹²⁵ (where the small products could lose bits to underflow, and
/// those whose exponent was below −80, e = 0) take `exact`.
///
/// PERF: a function, not a closure (see [`f32_kernel_x8`]).
#[inline(always)]
fn scale_kept<V: F32x>(x: V, h: V, l: V, c_hi: V, c_lo: V, exact: &impl Fn(V::D) -> V::D) -> V {
    let r = V::fmadd(h, c_hi, V::fmadd(h, c_lo, V::mul(l, c_hi)));
    let normal = V::ge(r, V::splat(f32::from_bits(0x0100_0000))); /* 2⁻¹²⁵ */
    V::with_exact(x, r, normal, exact)
}

/// Softmax of rows of `cols` ≤ [`CACHED_ROW`] ([`Lanes::f32_softmax_rows`]): per row, the
/// maximum m ([`row_max_f32`]), then [`row_sums_f32`]'s sweep against it, each e^(x − m) kept
/// (hi in `y`, lo in `lo`, which holds at least `cols` rounded up to a block), then
/// y = e·(1/S) in place by [`scale_kept`]. Rows holding NaN or ±∞ go to the scalar
/// [`crate::rowwise::softmax`].
#[inline(always)]
fn softmax_rows_f32<V: F32x>(
    x: &[f32],
    y: &mut [f32],
    cols: usize,
    lo: &mut [f32],
    exact: &impl Fn(V::D, f64, f64) -> V::D,
) {
    for (row, out) in x.chunks_exact(cols).zip(y.chunks_exact_mut(cols)) {
        let (max, finite) = row_max_f32::<V>(row);
        if !finite {
            let result = crate::rowwise::softmax(row, out, cols);
            debug_assert!(result.is_ok(), "one whole row");
            continue;
        }
        // S alone (no K apart): nothing cancels in e_i/S.
        let mut st = RowState::<X2<V>>::new(max, false);
        row_sums_sweep(&mut st, row, Some((&mut *out, &mut *lo)));
        let sums = st.sums();
        let scale = 1.0 / (sums.count + sums.rest);
        let exact = |v| exact(v, max as f64, scale);
        let (c_hi, c_lo) = f32_pair(scale);
        let (ch, cl) = (V::splat(c_hi), V::splat(c_lo));
        let mut i = 0;
        while i + V::LANES <= cols {
            let (v, h, l) = (V::load(&row[i..]), V::load(&out[i..]), V::load(&lo[i..]));
            scale_kept(v, h, l, ch, cl, &exact).store(&mut out[i..]);
            i += V::LANES;
        }
        if i < cols {
            let n = cols - i;
            let mut xb = [max; 16];
            let mut hb = [0.0f32; 16];
            xb[..n].copy_from_slice(&row[i..]);
            hb[..n].copy_from_slice(&out[i..]);
            let (v, h, l) = (V::load(&xb), V::load(&hb), V::load(&lo[i..]));
            scale_kept(v, h, l, ch, cl, &exact).store(&mut hb);
            out[i..].copy_from_slice(&hb[..n]);
        }
    }
}

/// out = e^(x − `max`)·`scale` ([`Lanes::f32_scaled_exp`]) over a row, looped as in
/// [`f32_kernel_slices`]: [`exp_shifted_f32x8`] then [`scale_kept`] with `scale` as two `f32`,
/// each result one rounding of a value within ~2⁻²⁶ relative.
#[inline(always)]
fn scaled_exp_f32<V: F32x>(
    row: &[f32],
    max: f32,
    scale: f64,
    out: &mut [f32],
    exact: &impl Fn(V::D) -> V::D,
) {
    let (c_hi, c_lo) = f32_pair(scale);
    let mut xs = row.chunks_exact(X2::<V>::LANES);
    let mut ys = out.chunks_exact_mut(X2::<V>::LANES);
    for (x, y) in (&mut xs).zip(&mut ys) {
        scaled_exp_x8::<X2<V>>(X2::<V>::load(x), -max, c_hi, c_lo, exact).store(y);
    }
    let mut xs = xs.remainder().chunks_exact(V::LANES);
    let mut ys = ys.into_remainder().chunks_exact_mut(V::LANES);
    for (x, y) in (&mut xs).zip(&mut ys) {
        scaled_exp_x8::<V>(V::load(x), -max, c_hi, c_lo, exact).store(y);
    }
    let rest = xs.remainder();
    if !rest.is_empty() {
        let mut padded = [max; 16]; // (e⁰: in range, and dropped)
        padded[..rest.len()].copy_from_slice(rest);
        scaled_exp_x8::<V>(V::load(&padded), -max, c_hi, c_lo, exact).store(&mut padded);
        ys.into_remainder().copy_from_slice(&padded[..rest.len()]);
    }
}

/// One vector of [`scaled_exp_f32`].
#[inline(always)]
fn scaled_exp_x8<V: F32x>(
    x: V,
    neg_m: f32,
    c_hi: f32,
    c_lo: f32,
    exact: &impl Fn(V::D) -> V::D,
) -> V {
    let (hi, lo) = exp_shifted_f32x8(x, V::splat(neg_m));
    scale_kept(x, hi, lo, V::splat(c_hi), V::splat(c_lo), exact)
}

/// v as hi + lo, two `f32` (hi = v rounded, lo = the rest rounded): within ~2⁻⁴⁸ of v for the
/// row kernels' normal-range constants (1/S, D).
#[inline(always)]
fn f32_pair(v: f64) -> (f32, f32) {
    let hi = v as f32;
    (hi, (v - hi as f64) as f32)
}

/// Vectors between two moves of [`softmax_backward_row_f32`]'s low parts into `f64`.
const FLUSH: usize = 4;

/// Softmax backward of one row from its output, dx = y ⊙ (dy − D) with D = Σ_j y_j·dy_j, in
/// `f32` lanes ([`Lanes::f32_softmax_backward_row`]), certified: false (with `dx` partly
/// written, for the caller's compensated `f64` sweep to overwrite) where it cannot vouch for
/// one rounding of a value within ~2⁻²⁶ relative of the exact dx_i, true when done.
///
/// **D.** Each product y_j·dy_j = p + p_e exactly (FMA); p goes into a per-lane running sum by
/// TwoSum (hi, and its exact error e), e + p_e into a per-lane `f32` low part, and every
/// [`FLUSH`] vectors the low parts (the two registers' added together) move into `f64`
/// accumulators; the lanes' hi join them at the end, and D = D_hi + D_lo as two `f32`. With
/// A = Σ|p| (summed beside), K the vectors per lane, F = [`FLUSH`] and u = 2⁻²⁴: |e| ≤ u of a
/// partial sum (≤ A) and |p_e| ≤ u|p|, so e + p_e rounds by ≤ 2u²·A_lane (2K·u²·A over a row);
/// a low part holding j of them since the last move is ≤ 2j·u·A_lane and its next addition
/// rounds by ≤ 2j·u²·A_lane (K(F + 1)·u²·A over a row); the moves' additions ≤ 2K·u²·A; the
/// `f64` sums (≤ 2⁻⁵³ × some 50 terms, each ≤ A) and the split into D_hi + D_lo ≤ 8u²·A; products
/// too small for p_e to be exact (below ~2⁻¹⁰³) 2⁻¹⁵⁰ each. So
/// B = u²·A·((F + 5)K + 8) + n·2⁻¹⁴⁹ bounds |D − D_hi − D_lo|.
///
/// **dx.** dy_i − D_hi = t + t_e exactly (TwoSum), t_lo = t_e − D_lo, and dx_i = y_i·t +
/// y_i·t_lo in one FMA (y_i·t exact inside it; y_i = ±0 gives y_i·t, the sign the `f64` sweep
/// gives). That value is within |y_i|·B (+ ~u² relative) of the exact dx_i, so a row is
/// certified when every lane with y_i ≠ 0 has |t| ≥ 2²⁷·B: the error is then under ~2⁻²⁶ of
/// |dx_i|, and the result within 0.5 + 2⁻² ULP (0.5 but beside ties, in practice: the bound
/// is far above the sums' actual error). A difference dy_i − D that cancels (dy constant,
/// say, against Σ y = 1) fails the test, and the row goes to the `f64` sweep. So do rows with a
/// NaN, an infinity, or A ≥ 10³⁰ (products near the `f32` range), whose rules the `f64` sweep
/// and the scalar function hold.
///
/// PERF: the `f64` sweep converts every y_j and dy_j to `f64` lanes and back, four to a
/// register, and its compensated sum costs six additions per four products. Both sweeps here
/// run on [`X2`] (two independent chains; see [`F32x`]), with the first sweep's state kept to
/// eight registers: a third accumulator pair (the products' errors apart from e) put them in
/// memory, and the loop ran at the speed of the `f64` sweep.
#[inline(always)]
fn softmax_backward_row_f32<V: F32x>(y: &[f32], dy: &[f32], dx: &mut [f32]) -> bool {
    type W<V> = X2<V>;
    let w = W::<V>::LANES;
    let n = y.len();
    let zero = W::<V>::zero();
    let mut dot = DotState {
        hi: zero,
        lo: zero,
        size: zero,
        acc: V::acc_zero(),
    };
    let mut ys = y.chunks_exact(w);
    let mut gs = dy.chunks_exact(w);
    for (i, (a, g)) in (&mut ys).zip(&mut gs).enumerate() {
        dot_step(&mut dot, W::<V>::load(a), W::<V>::load(g));
        if (i + 1) % FLUSH == 0 {
            dot.flush();
        }
    }
    let (y_tail, g_tail) = (ys.remainder(), gs.remainder());
    if !y_tail.is_empty() {
        // Padded with zeros (products of 0).
        let (mut a, mut g) = ([0.0f32; 32], [0.0f32; 32]);
        a[..y_tail.len()].copy_from_slice(y_tail);
        g[..g_tail.len()].copy_from_slice(g_tail);
        dot_step(&mut dot, W::<V>::load(&a), W::<V>::load(&g));
    }
    dot.flush();
    let size = V::acc_total(V::acc_add(
        V::acc_add(V::acc_zero(), dot.size.0),
        dot.size.1,
    ));
    // NaN and ±∞ too (a NaN or infinite entry, an overflowed product).
    if !size.is_finite() || size >= 1e30 {
        return false;
    }
    let d = V::acc_total(V::acc_add(V::acc_add(dot.acc, dot.hi.0), dot.hi.1));
    // K, the vectors per lane (the padded tail included).
    let (k, u2) = (n.div_ceil(w) as f64, (2.0f64).powi(-48));
    // A, allowing for the roundings of its own `f32` lanes (K additions each).
    let a_bound = size * (1.0 + 2.0 * k * (2.0f64).powi(-24));
    let f = FLUSH as f64;
    let bound = u2 * a_bound * ((f + 5.0) * k + 8.0) + n as f64 * (2.0f64).powi(-149);
    let threshold = W::<V>::splat((bound * (2.0f64).powi(27) * (1.0 + 1e-6)) as f32);
    let (d_hi, d_lo) = f32_pair(d);
    let (neg_hi, d_lo) = (W::<V>::splat(-d_hi), W::<V>::splat(d_lo));
    let mut small = zero;
    let mut ys = y.chunks_exact(w);
    let mut gs = dy.chunks_exact(w);
    let mut ds = dx.chunks_exact_mut(w);
    for ((a, g), out) in (&mut ys).zip(&mut gs).zip(&mut ds) {
        let (a, g) = (W::<V>::load(a), W::<V>::load(g));
        dx_step(a, g, neg_hi, d_lo, threshold, &mut small).store(out);
    }
    let (y_tail, g_tail) = (ys.remainder(), gs.remainder());
    if !y_tail.is_empty() {
        // Padded with y = 0, which the certificate ignores.
        let (mut a, mut g) = ([0.0f32; 32], [0.0f32; 32]);
        a[..y_tail.len()].copy_from_slice(y_tail);
        g[..g_tail.len()].copy_from_slice(g_tail);
        let (va, vg) = (W::<V>::load(&a), W::<V>::load(&g));
        dx_step(va, vg, neg_hi, d_lo, threshold, &mut small).store(&mut a);
        ds.into_remainder().copy_from_slice(&a[..y_tail.len()]);
    }
    let all = W::<V>::eq(zero, zero);
    W::<V>::all_set(W::<V>::andnot(small, all))
}

/// The running sums of [`softmax_backward_row_f32`]'s first sweep.
struct DotState<V: F32x> {
    /// Per lane, the running sum of the rounded products.
    hi: X2<V>,
    /// The exact errors of `hi`'s additions and of the products, since the last flush.
    lo: X2<V>,
    /// Σ|p| per lane.
    size: X2<V>,
    /// The flushed low parts.
    acc: V::Acc,
}

impl<V: F32x> DotState<V> {
    /// Moves the low parts into the `f64` accumulators.
    #[inline(always)]
    fn flush(&mut self) {
        self.acc = V::acc_add(self.acc, V::add(self.lo.0, self.lo.1));
        self.lo = X2::<V>::zero();
    }
}

/// One vector of [`softmax_backward_row_f32`]'s first sweep.
#[inline(always)]
fn dot_step<V: F32x>(st: &mut DotState<V>, a: X2<V>, g: X2<V>) {
    type W<V> = X2<V>;
    let p = W::<V>::mul(a, g);
    let p_e = W::<V>::fmsub(a, g, p);
    let (hi, e) = two_sum(st.hi, p);
    st.hi = hi;
    st.lo = W::<V>::add(st.lo, W::<V>::add(e, p_e));
    st.size = W::<V>::add(st.size, W::<V>::andnot(W::<V>::splat(-0.0), p));
}

/// One vector of [`softmax_backward_row_f32`]'s second sweep: y·((dy − D_hi) − D_lo), and the
/// lanes with y ≠ 0 whose |dy − D_hi| is under `threshold` marked in `small`.
#[inline(always)]
fn dx_step<W: F32x>(a: W, g: W, neg_hi: W, d_lo: W, threshold: W, small: &mut W) -> W {
    let zero = W::zero();
    let (t, t_e) = two_sum(g, neg_hi);
    let t_lo = W::sub(t_e, d_lo);
    let y_zero = W::eq(a, zero);
    let near = W::lt(W::andnot(W::splat(-0.0), t), threshold);
    *small = W::or(*small, W::andnot(y_zero, near));
    W::blendv(W::fmadd(a, t, W::mul(a, t_lo)), W::mul(a, t), y_zero)
}

/// `positive`·x for x > 0 and `negative`·expm1(x) for x ≤ 0 (elu, selu, celu with α = 1) on
/// eight `f32` lanes, within 1 ULP (all 2³² inputs compared with the scalar path:
/// `examples/kernel_sweep.rs`); lanes with x < −87, x = +∞ or NaN take `exact`.
///
/// With e^x = 2ⁿ·T·(1 + r + r²q) as in [`sigmoid_family_f32x8`] and A = 2ⁿ·T_hi (exact),
/// expm1(x) = (A − 1) + A·r + (A·r²q + 2ⁿ·T_lo): A − 1 and A·r as exact pairs, their sum as an
/// exact pair s + s_err (TwoSum), and the rest (≲ 2% of the result) added in `f32`, so the
/// value is s + rest with rest small; near 0 (k = 0) it is r + r²q. The scale multiplies that
/// pair with the product of s and its high part exact inside an FMA: one rounding of a value
/// within ~2⁻²⁹ of exact. Positive lanes are the split product of `leaky_relu`'s slope. ±0 is
/// returned as is.
#[inline(always)]
fn expm1_family_f32x8<V: F32x>(
    x: V,
    positive: (f32, f32),
    negative: (f32, f32),
    exact: &impl Fn(V::D) -> V::D,
) -> V {
    let zero = V::zero();
    let t = V::min(zero, x); // x ≤ 0 (x itself for −0 and NaN)
    let Expm1Pair { sum, rest } = expm1_pair_f32x8(t);
    let (nh, nl) = (V::splat(negative.0), V::splat(negative.1));
    let neg = V::fmadd(nh, sum, V::fmadd(nh, rest, V::mul(nl, sum)));
    let (ph, pl) = (V::splat(positive.0), V::splat(positive.1));
    let pos = V::fmadd(ph, x, V::mul(pl, x));
    let fast = V::blendv(neg, pos, V::gt(x, zero));
    let fast = V::blendv(fast, x, V::eq(x, zero));
    // −87 ≤ x < ∞ (false for NaN): 2ⁿ stays normal and the positive product finite; and
    // not 0 < |x| < 2⁻¹⁰⁰, where the scales' low parts times x would fall among the
    // subnormals and lose the precision that keeps the result under 1 ULP.
    let inside = V::and(V::ge(x, V::splat(-87.0)), V::lt(x, V::splat(f32::INFINITY)));
    let not_tiny = V::or(
        V::ge(
            V::andnot(V::splat(-0.0), x),
            V::splat(f32::from_bits(0x0d80_0000)), /* 2⁻¹⁰⁰ */
        ),
        V::eq(x, zero),
    );
    let inside = V::and(inside, not_tiny);
    V::with_exact(x, fast, inside, exact)
}

/// gelu(x) = x·Φ(x) of eight `f32` lanes in `f32` arithmetic, within 1 ULP (all 2³² inputs
/// compared with the scalar path: `examples/kernel_sweep.rs`); lanes with x < −13, x = −∞,
/// 0 < |x| < 2⁻¹⁰⁰ or NaN take `exact` (the `f64` formula).
///
/// With t = min(|x|, 13), Q = Φ(−t) = e^{−t²/2}·R(t)/√(2π) (R the Mills ratio), and gelu(x) = x·Q
/// for x < 0, x·(1 − Q) for x ≥ 0 (Q ≤ ½, so 1 − Q ≥ ½ and an error of Q weighs at most as much
/// in 1 − Q). Q is formed as 2ⁿ·(M + rest), M an `f32` and |rest| ≲ 0.07·M, the errors below
/// adding up to ≲ 2⁻²⁵ of it (ε's ~2⁻²⁶·⁴, then roundings of ≲ 2⁻²⁸ each; the sweep's worst
/// result: 0.752 ULP):
/// - −t²/2 = y + y_lo exactly (FMA); e^y = 2ⁿ·T·(1 + p) by [`exp_parts_f32x8`] (|p| ≤ 0.045),
///   and e^{y_lo} = 1 + y_lo to 2⁻³⁷ is folded into p;
/// - R(t)/√(2π) = b²·(t + B)·(1 + ε(s)) with b = K/(t + 2) (`gen_gelu_f32.py`): b by one `f32`
///   division corrected as in [`sigmoid_family_f32x8`] (b·(1 + ρ), ρ from the exact remainder
///   K − b·d_hi), t + 2 and t + B as exact pairs (Fast2Sum, larger term first), and ε, a
///   degree-12 polynomial in s = b·SA + SB with |ε| ≤ 0.015, evaluated within ~2⁻²⁶·⁴ (the
///   generator's check; mostly the rounding of s and of the coefficients);
/// - the main product M = (b·b)·(n_hi·T_hi) with both partial products' errors exact (FMA), and
///   every small term (p, ε, ρ, the pairs' low parts) gathered in `rest`.
///
/// x < 0: x·M + x·rest in one FMA (x·M exact inside it), then the exact scaling by 2ⁿ (the
/// result is normal for x ≥ −13: |x·Φ(x)| ≥ 7.9·10⁻³⁸). x ≥ 0: 1 − 2ⁿM = h + l exactly
/// (Fast2Sum), then x·h + x·(l − 2ⁿrest) in one FMA; x > 13 gives x (Q < 10⁻³⁸), ±0 gives x.
#[inline(always)]
fn gelu_f32x8<V: F32x>(x: V, exact: &impl Fn(V::D) -> V::D) -> V {
    use super::gelu_f32_generated::{
        GELU_B, GELU_C, GELU_EPS, GELU_K, GELU_SA, GELU_SB, GELU_T_MAX,
    };
    let sign = V::splat(-0.0);
    let t_max = V::splat(GELU_T_MAX);
    // min(|x|, 13): NaN takes 13 (minps returns its second operand), and its lane `exact`.
    let t = V::min(V::andnot(sign, x), t_max);
    // −t²/2 = y + y_lo exactly: t·(−t/2), the half exact, the product's error by FMA.
    let half = V::mul(t, V::splat(-0.5));
    let y = V::mul(t, half);
    let y_lo = V::fmsub(t, half, y);
    let e = exp_parts_f32x8(y);
    let p = V::fmadd(e.rr, e.q, e.r);
    // (1 + p)(1 + y_lo) − 1 = p + (y_lo + p·y_lo).
    let p = V::add(V::fmadd(p, y_lo, y_lo), p);
    let u = V::fmadd(e.t_hi, p, e.t_lo); // T(1 + p) = T_hi + u
    // d = t + C = d_hi + d_lo and n = t + B = n_hi + n_lo exactly (Fast2Sum).
    let c = V::splat(GELU_C);
    let d_hi = V::add(t, c);
    let d_lo = V::add(V::sub(V::max(t, c), d_hi), V::min(t, c));
    let bb_ = V::splat(GELU_B);
    let n_hi = V::add(t, bb_);
    let n_lo = V::add(V::sub(V::max(t, bb_), n_hi), V::min(t, bb_));
    // b = K/d_hi rounded; K − b·d_hi is exact (FMA), so K/d = b(1 + ρ) with
    // ρ = (K − b·d_hi − b·d_lo)/K to ~2⁻⁴⁶.
    let k = V::splat(GELU_K);
    let b = V::div(k, d_hi);
    let residue = V::fnmadd(b, d_lo, V::fnmadd(b, d_hi, k));
    let rho = V::mul(residue, V::splat(1.0 / GELU_K));
    // s = b(1 + ρ)·SA + SB, one rounding.
    let sa = V::splat(GELU_SA);
    let s = V::fmadd(V::mul(b, sa), rho, V::fmadd(b, sa, V::splat(GELU_SB)));
    // ε: pairs c₂ᵢ + c₂ᵢ₊₁s, then Horner in s² (as `gen_gelu_f32.py` checks it): a chain
    // half as long as Horner in s, which the loop's latency feels.
    const { assert!(GELU_EPS.len() % 2 == 1) };
    let s2 = V::mul(s, s);
    let mut eps = V::splat(GELU_EPS[GELU_EPS.len() - 1]);
    let mut i = GELU_EPS.len() - 1;
    while i >= 2 {
        i -= 2;
        let pair = V::fmadd(V::splat(GELU_EPS[i + 1]), s, V::splat(GELU_EPS[i]));
        eps = V::fmadd(eps, s2, pair);
    }
    // Q/2ⁿ = b²(1 + 2ρ)·(n_hi + n_lo)(T_hi + u)·(1 + ε) = M + rest, with
    // b² = bb + bb_err, n_hi·T_hi = m + m_err, bb·m = M + M_err (all exact) and
    // rest = M_err + bb·L(1 + ε) + (m + L)·(bb_err + 2ρ·bb) + ε·M with
    // L = m_err + n_lo·T_hi + (n_hi + n_lo)·u, so that (n_hi + n_lo)(T_hi + u) = m + L and
    // the products left out (ε·(bb_err + 2ρ·bb), ρ², n_lo·T_lo·p…) are below 2⁻⁴⁰ of M.
    let bb = V::mul(b, b);
    let bb_err = V::fmsub(b, b, bb);
    let m = V::mul(n_hi, e.t_hi);
    let m_err = V::fmsub(n_hi, e.t_hi, m);
    let big_m = V::mul(bb, m);
    let big_m_err = V::fmsub(bb, m, big_m);
    let l = V::fmadd(n_lo, u, V::fmadd(n_hi, u, V::fmadd(n_lo, e.t_hi, m_err)));
    let g = V::fmadd(V::add(rho, rho), bb, bb_err);
    let rest = V::fmadd(
        bb,
        V::fmadd(l, eps, l),
        V::fmadd(V::add(m, l), g, V::fmadd(eps, big_m, big_m_err)),
    );
    // x < 0: 2ⁿ·(x·M + x·rest), the scaling exact (normal result).
    let negative = V::mul(V::fmadd(x, big_m, V::mul(x, rest)), e.scale);
    // x ≥ 0: 1 − Q = h + (l₁ − Q_lo), h + l₁ = 1 − Q_hi exactly (|1| ≥ Q_hi).
    let one = V::splat(1.0);
    let q_hi = V::mul(big_m, e.scale);
    let q_lo = V::mul(rest, e.scale);
    let h = V::sub(one, q_hi);
    let l1 = V::sub(V::sub(one, h), q_hi);
    let positive = V::fmadd(x, h, V::mul(x, V::sub(l1, q_lo)));
    let fast = V::blendv(positive, negative, x);
    // x > 13 (+∞ included): x·(1 − Q) rounds to x; ±0: x (the FMAs would give +0 for −0).
    let keep = V::or(V::gt(x, t_max), V::eq(x, V::zero()));
    let fast = V::blendv(fast, x, keep);
    // x ≥ −13 (false for NaN): the negative result stays normal, 2ⁿ too; and not
    // 0 < |x| < 2⁻¹⁰⁰, where x·rest would fall among the subnormals and its rounding
    // (2⁻¹⁵⁰) add up to half an ULP of a subnormal result.
    let inside = V::and(
        V::ge(x, V::splat(-GELU_T_MAX)),
        V::or(
            V::ge(
                V::andnot(sign, x),
                V::splat(f32::from_bits(0x0d80_0000)), /* 2⁻¹⁰⁰ */
            ),
            V::eq(x, V::zero()),
        ),
    );
    V::with_exact(x, fast, inside, exact)
}

/// hardsigmoid(x) = clamp((x + 3)/6, 0, 1), or with `swish` hardswish(x) = x·hardsigmoid(x), of
/// eight `f32` lanes in `f32` arithmetic, within 0.5 ULP plus ~2⁻²² ULP (all 2³² inputs
/// compared with the scalar path, which rounds correctly: `examples/kernel_sweep.rs`; they
/// differ only beside ties). NaN lanes and, for hardswish, lanes with |x| < 2⁻²⁰ (where x/2
/// may be subnormal, and ±0, whose sign the FMAs would lose) take `exact` (the `f64` formula).
///
/// On −3 < x < 3 the quotient is q* = a/6 with a = x + 3 (hardsigmoid) or x(x + 3) (hardswish).
/// x + 3 = s + e exactly (Fast2Sum: |3| ≥ |x|); for hardswish x·s = p + p_e exactly (FMA) and
/// a = p + t with t = p_e + x·e (one rounding, tiny); for hardsigmoid p = s, t = e (exact).
/// q₀ = p·(1/6) is within an ULP of p/6, so p − 6q₀ is a small multiple of q₀'s ULP and exact
/// (FMA), and q = q₀ + (p − 6q₀ + t)·(1/6) in one FMA. The value it rounds differs from q* by
/// the error of the `f32` 1/6 (2⁻²⁵ relative) on a term of a few ULP and by the rounding of
/// (p − 6q₀) + t: ≲ 2⁻²² ULP together.
///
/// PERF: an earlier version also certified each q as the correctly rounded quotient (eight more
/// operations, and the `f64` formula for near-ties); without the certificate, at 64K elements,
/// hardsigmoid 2.33 → 4.46 Gelem/s and hardswish 2.08 → 3.37 (best of three alternations of
/// `actlab bench kernels --sizes 64K,16M --functions hardsigmoid,hardswish`), and at 16M
/// 1.73 → 2.15 and 1.62 → 2.21 (the same runs).
#[inline(always)]
fn hard_f32x8<V: F32x>(x: V, swish: bool, exact: &impl Fn(V::D) -> V::D) -> V {
    let three = V::splat(3.0);
    let six = V::splat(6.0);
    let sixth = V::splat(1.0 / 6.0);
    let sign = V::splat(-0.0);
    // x + 3 = s + e exactly (Fast2Sum; |x| < 3 on the lanes that use it).
    let s = V::add(x, three);
    let e = V::sub(x, V::sub(s, three));
    let (p, t) = if swish {
        // x(s + e) = p + p_e + x·e: p_e exact (FMA), x·e added to it with one rounding.
        let p = V::mul(x, s);
        let p_e = V::fmsub(x, s, p);
        (p, V::fmadd(x, e, p_e))
    } else {
        (s, e)
    };
    // q = q₀ + (p − 6q₀ + t)/6: p − 6q₀ is exact (FMA), so q is one rounding of a value
    // within ~2⁻⁴⁸ relative of (p + t)/6.
    let q0 = V::mul(p, sixth);
    let r = V::fnmadd(q0, six, p);
    let q = V::fmadd(V::add(r, t), sixth, q0);
    // x ≤ −3: +0; x ≥ 3: 1 (hardsigmoid) or x (hardswish); between: q.
    let low = V::le(x, V::splat(-3.0));
    let high = V::ge(x, three);
    let top = if swish { x } else { V::splat(1.0) };
    let fast = V::blendv(q, top, high);
    let fast = V::blendv(fast, V::zero(), low);
    // Ordered comparisons: false for NaN, which goes to `exact`; so do hardswish's ±0 and
    // tiny lanes.
    let inside = if swish {
        V::ge(V::andnot(sign, x), V::splat(1.0 / 1048576.0))
    } else {
        V::ord(x, x)
    };
    V::with_exact(x, fast, inside, exact)
}

/// softsign(x) = x/(1 + |x|) of eight `f32` lanes in `f32` arithmetic, within 0.5 ULP plus
/// ~2⁻¹¹ ULP (all 2³² inputs compared with the scalar path: `examples/kernel_sweep.rs`); lanes
/// with |x| = ∞ or NaN take `exact` (the `f64` formula).
///
/// With a = |x|, 1 + a = d_hi + d_lo exactly (Fast2Sum, larger term first) and q₀ = a/d_hi
/// rounded, the remainder a − q₀d_hi is exact (the remainder of a rounded quotient; FMA), so
/// a/d = q₀ + ρ/d with ρ = (a − q₀d_hi) − q₀d_lo (one rounding, tiny). ρ/d is at most about an
/// ULP of q₀, so `rcpps`'s 2⁻¹² relative error in 1/d_hi (and the d_lo/d_hi it leaves out) costs
/// ~2⁻¹¹ ULP: q = q₀ + ρ·rcp(d_hi) in one FMA, then x's sign. Where a < 2⁻²⁴, d_hi = 1 and
/// q₀ = a, ρ = −a² (0 when it underflows): q = a, the correct rounding of a − a² + ….
#[inline(always)]
fn softsign_f32x8<V: F32x>(x: V, exact: &impl Fn(V::D) -> V::D) -> V {
    let sign = V::splat(-0.0);
    let one = V::splat(1.0);
    let a = V::andnot(sign, x);
    let d_hi = V::add(one, a);
    let d_lo = V::add(V::sub(V::max(a, one), d_hi), V::min(a, one));
    let q0 = V::div(a, d_hi);
    let rho = V::fnmadd(q0, d_lo, V::fnmadd(q0, d_hi, a));
    let q = V::fmadd(rho, V::rcp(d_hi), q0);
    let fast = V::or(q, V::and(x, sign));
    // a < ∞ (false for NaN).
    let inside = V::lt(a, V::splat(f32::INFINITY));
    V::with_exact(x, fast, inside, exact)
}

/// 2^k for integer-valued lanes −1022 ≤ k ≤ 1023 (AVX2).
#[inline(always)]
fn pow2(k: __m256d) -> __m256d {
    // k + 1.5·2⁵² puts the integer k in the low mantissa bits (|k| < 2⁵¹); the difference of
    // the bit patterns is k as an i64, which then goes into the exponent field.
    simd!({
        let magic = _mm256_set1_pd(6755399441055744.0);
        let shifted = _mm256_castpd_si256(_mm256_add_pd(k, magic));
        let k = _mm256_sub_epi64(shifted, _mm256_castpd_si256(magic));
        _mm256_castsi256_pd(_mm256_slli_epi64::<52>(_mm256_add_epi64(
            k,
            _mm256_set1_epi64x(1023),
        )))
    })
}

/// Round-to-odd of hi toward lo ([`Lanes::round_odd`]) on one AVX2 register.
#[inline(always)]
fn round_odd(hi: __m256d, lo: __m256d) -> __m256d {
    simd!({
        let bits = _mm256_castpd_si256(hi);
        let one = _mm256_set1_epi64x(1);
        let even = _mm256_cmpeq_epi64(_mm256_and_si256(bits, one), _mm256_setzero_si256());
        // lo ≠ 0 and both finite (ordered comparisons are false for NaN).
        let inf = _mm256_set1_pd(f64::INFINITY);
        let sign = _mm256_set1_pd(-0.0);
        let finite = _mm256_and_pd(
            _mm256_cmp_pd::<_CMP_LT_OQ>(_mm256_andnot_pd(sign, hi), inf),
            _mm256_cmp_pd::<_CMP_LT_OQ>(_mm256_andnot_pd(sign, lo), inf),
        );
        let inexact = _mm256_and_pd(
            _mm256_cmp_pd::<_CMP_NEQ_OQ>(lo, _mm256_setzero_pd()),
            finite,
        );
        let nudge = _mm256_and_si256(_mm256_castpd_si256(inexact), even);
        // +1 (away from 0) where hi and lo share a sign, −1 where they differ.
        let step = _mm256_castpd_si256(_mm256_blendv_pd(
            _mm256_castsi256_pd(one),
            _mm256_castsi256_pd(_mm256_set1_epi64x(-1)),
            _mm256_xor_pd(hi, lo),
        ));
        _mm256_castsi256_pd(_mm256_add_epi64(bits, _mm256_and_si256(step, nudge)))
    })
}

/// The AVX2 kernels.
pub(crate) mod avx2 {
    use super::Avx2;
    use crate::kernels::lanes::Pair;
    super::entry_points!(
        // SAFETY: these functions are compiled with AVX2 and FMA and are called only after
        // `has_avx2()` (see `dispatch.rs`).
        // PERF: the element-wise formulas on two registers at a time ([`Pair`]); the rows
        // below keep one, as their sums' order (and so their bits) follows the lane count.
        Pair(unsafe { Avx2::new_unchecked() }),
        #[target_feature(enable = "avx2,fma")]
    );
    // SAFETY: as above.
    crate::kernels::rows::row_entry_points!(unsafe { Avx2::new_unchecked() }, #[target_feature(enable = "avx2,fma")]);
}

/// Proof that the CPU has AVX-512F (and AVX2 + FMA).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Avx512 {
    _private: (),
}

impl Avx512 {
    /// # Safety
    /// The CPU must support AVX-512F, AVX2 and FMA ([`has_avx512`]).
    #[inline(always)]
    unsafe fn new_unchecked() -> Avx512 {
        Avx512 { _private: () }
    }
}

impl Lanes for Avx512 {
    type V = __m512d;
    type M = __mmask8;
    const LANES: usize = 8;

    #[inline(always)]
    fn splat(self, v: f64) -> __m512d {
        simd!(_mm512_set1_pd(v))
    }
    #[inline(always)]
    fn add(self, a: __m512d, b: __m512d) -> __m512d {
        simd!(_mm512_add_pd(a, b))
    }
    #[inline(always)]
    fn sub(self, a: __m512d, b: __m512d) -> __m512d {
        simd!(_mm512_sub_pd(a, b))
    }
    #[inline(always)]
    fn mul(self, a: __m512d, b: __m512d) -> __m512d {
        simd!(_mm512_mul_pd(a, b))
    }
    #[inline(always)]
    fn div(self, a: __m512d, b: __m512d) -> __m512d {
        simd!(_mm512_div_pd(a, b))
    }
    #[inline(always)]
    fn mul_add(self, a: __m512d, b: __m512d, c: __m512d) -> __m512d {
        simd!(_mm512_fmadd_pd(a, b, c))
    }
    #[inline(always)]
    fn abs(self, a: __m512d) -> __m512d {
        simd!(_mm512_abs_pd(a))
    }
    #[inline(always)]
    fn neg(self, a: __m512d) -> __m512d {
        // (xor_pd is AVX-512DQ; the integer form is AVX-512F.)
        simd!(_mm512_castsi512_pd(_mm512_xor_si512(
            _mm512_castpd_si512(a),
            _mm512_set1_epi64(i64::MIN),
        )))
    }
    #[inline(always)]
    fn min(self, a: __m512d, b: __m512d) -> __m512d {
        simd!(_mm512_min_pd(a, b))
    }
    #[inline(always)]
    fn max(self, a: __m512d, b: __m512d) -> __m512d {
        simd!(_mm512_max_pd(a, b))
    }
    #[inline(always)]
    fn lt(self, a: __m512d, b: __m512d) -> __mmask8 {
        simd!(_mm512_cmp_pd_mask::<_CMP_LT_OQ>(a, b))
    }
    #[inline(always)]
    fn le(self, a: __m512d, b: __m512d) -> __mmask8 {
        simd!(_mm512_cmp_pd_mask::<_CMP_LE_OQ>(a, b))
    }
    #[inline(always)]
    fn eq(self, a: __m512d, b: __m512d) -> __mmask8 {
        simd!(_mm512_cmp_pd_mask::<_CMP_EQ_OQ>(a, b))
    }
    #[inline(always)]
    fn is_nan(self, a: __m512d) -> __mmask8 {
        simd!(_mm512_cmp_pd_mask::<_CMP_UNORD_Q>(a, a))
    }
    #[inline(always)]
    fn and(self, m: __mmask8, n: __mmask8) -> __mmask8 {
        m & n
    }
    #[inline(always)]
    fn any(self, m: __mmask8) -> bool {
        m != 0
    }
    #[inline(always)]
    fn select(self, m: __mmask8, a: __m512d, b: __m512d) -> __m512d {
        // mask_blend takes its second operand where the mask bit is set.
        simd!(_mm512_mask_blend_pd(m, b, a))
    }
    #[inline(always)]
    fn copysign(self, mag: __m512d, sign: __m512d) -> __m512d {
        simd!({
            let bit = _mm512_set1_epi64(i64::MIN);
            _mm512_castsi512_pd(_mm512_or_si512(
                _mm512_andnot_si512(bit, _mm512_castpd_si512(mag)),
                _mm512_and_si512(bit, _mm512_castpd_si512(sign)),
            ))
        })
    }
    #[inline(always)]
    fn round(self, a: __m512d) -> __m512d {
        // imm 0x08: round to nearest even, suppress exceptions.
        simd!(_mm512_roundscale_pd::<0x08>(a))
    }
    #[inline(always)]
    fn pow2(self, k: __m512d) -> __m512d {
        // scalef(1, k) = 2^⌊k⌋, exact for integer k in the normal range.
        simd!(_mm512_scalef_pd(_mm512_set1_pd(1.0), k))
    }
    #[inline(always)]
    fn mul_error(self, a: __m512d, b: __m512d, p: __m512d) -> __m512d {
        simd!(_mm512_fmsub_pd(a, b, p))
    }
    f32_kernel_methods!(__m512);
    #[inline(always)]
    fn round_odd(self, hi: __m512d, lo: __m512d) -> __m512d {
        simd!({
            let bits = _mm512_castpd_si512(hi);
            let one = _mm512_set1_epi64(1);
            let odd = _mm512_test_epi64_mask(bits, one);
            let inf = _mm512_set1_pd(f64::INFINITY);
            let finite = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(_mm512_abs_pd(hi), inf)
                & _mm512_cmp_pd_mask::<_CMP_LT_OQ>(_mm512_abs_pd(lo), inf);
            let inexact = _mm512_cmp_pd_mask::<_CMP_NEQ_OQ>(lo, _mm512_setzero_pd()) & finite;
            let nudge = inexact & !odd;
            // Signs differ where hi ^ lo is negative as an integer: step −1, else +1.
            let differ = _mm512_cmplt_epi64_mask(
                _mm512_xor_si512(bits, _mm512_castpd_si512(lo)),
                _mm512_setzero_si512(),
            );
            let step = _mm512_mask_blend_epi64(differ, one, _mm512_set1_epi64(-1));
            _mm512_castsi512_pd(_mm512_mask_add_epi64(bits, nudge, bits, step))
        })
    }
    #[inline(always)]
    fn store64(self, v: __m512d, out: &mut [f64]) {
        let out = &mut out[..8];
        // SAFETY: `out` holds 8 f64 (checked above); unaligned stores are allowed.
        unsafe { _mm512_storeu_pd(out.as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn load(self, x: &[f32]) -> __m512d {
        let x = &x[..8];
        // SAFETY: `x` holds 8 f32 (checked above); unaligned loads are allowed; the token
        // proves AVX-512F.
        unsafe { _mm512_cvtps_pd(_mm256_loadu_ps(x.as_ptr())) }
    }
    #[inline(always)]
    fn store(self, v: __m512d, y: &mut [f32]) {
        let y = &mut y[..8];
        // SAFETY: `y` holds 8 f32 (checked above); unaligned stores are allowed; the token
        // proves AVX-512F. cvtpd_ps rounds to nearest even.
        unsafe { _mm256_storeu_ps(y.as_mut_ptr(), _mm512_cvtpd_ps(v)) }
    }
}

/// Implements an [`F32x`] operation on `__m512` by its intrinsic.
macro_rules! m512_ops {
    ($($name:ident($($arg:ident),*) = $intrinsic:path;)*) => {$(
        #[inline(always)]
        fn $name($($arg: __m512),*) -> __m512 {
            simd!($intrinsic($($arg),*))
        }
    )*};
}

/// Implements an [`F32x`] bitwise operation on `__m512` by the integer intrinsic (the `_ps`
/// forms are AVX-512DQ; the path asks for AVX-512F only).
macro_rules! m512_bitwise {
    ($($name:ident = $intrinsic:path;)*) => {$(
        #[inline(always)]
        fn $name(a: __m512, b: __m512) -> __m512 {
            simd!(_mm512_castsi512_ps($intrinsic(_mm512_castps_si512(a), _mm512_castps_si512(b))))
        }
    )*};
}

/// Implements an [`F32x`] comparison on `__m512` as an all-ones lane mask (what the kernels,
/// written for `blendv`, combine and select with).
macro_rules! m512_compare {
    ($($name:ident = $predicate:ident;)*) => {$(
        #[inline(always)]
        fn $name(a: __m512, b: __m512) -> __m512 {
            simd!({
                let k = _mm512_cmp_ps_mask::<$predicate>(a, b);
                _mm512_castsi512_ps(_mm512_maskz_mov_epi32(k, _mm512_set1_epi32(-1)))
            })
        }
    )*};
}

/// The lanes of `m` whose sign bit is set, as a write mask.
#[inline(always)]
fn sign_mask(m: __m512) -> __mmask16 {
    simd!(_mm512_cmplt_epi32_mask(
        _mm512_castps_si512(m),
        _mm512_setzero_si512()
    ))
}

/// The low and high eight lanes of `v`.
#[inline(always)]
fn halves(v: __m512) -> (__m256, __m256) {
    simd!((
        _mm512_castps512_ps256(v),
        _mm256_castpd_ps(_mm512_extractf64x4_pd::<1>(_mm512_castps_pd(v))),
    ))
}

/// The register whose low eight lanes are `lo` and high eight `hi`.
#[inline(always)]
fn join(lo: __m256, hi: __m256) -> __m512 {
    simd!(_mm512_castpd_ps(_mm512_insertf64x4::<1>(
        _mm512_castpd256_pd512(_mm256_castps_pd(lo)),
        _mm256_castps_pd(hi),
    )))
}

/// The `f32`-lane kernels on sixteen lanes. Every operation gives the bits its `__m256` form
/// gives on each half, so the AVX2 sweeps hold for this path too (`examples/kernel_hash.rs
/// --path avx512` prints the same lines as `--path avx2`); `rcp` in particular is AVX's
/// `rcpps` on each half, not AVX-512's more precise `rcp14ps`.
impl F32x for __m512 {
    type D = __m512d;
    const LANES: usize = 16;
    #[inline(always)]
    fn load(x: &[f32]) -> __m512 {
        let x = &x[..16];
        // SAFETY: `x` holds 16 f32 (checked above); unaligned loads are allowed; the token
        // behind every caller proves AVX-512F.
        unsafe { _mm512_loadu_ps(x.as_ptr()) }
    }
    #[inline(always)]
    fn store(self, y: &mut [f32]) {
        let y = &mut y[..16];
        // SAFETY: `y` holds 16 f32 (checked above); unaligned stores are allowed.
        unsafe { _mm512_storeu_ps(y.as_mut_ptr(), self) }
    }
    #[inline(always)]
    fn all_set(m: __m512) -> bool {
        sign_mask(m) == 0xffff
    }
    #[inline(always)]
    fn splat(v: f32) -> __m512 {
        simd!(_mm512_set1_ps(v))
    }
    #[inline(always)]
    fn zero() -> __m512 {
        simd!(_mm512_setzero_ps())
    }
    m512_ops! {
        add(a, b) = _mm512_add_ps;
        sub(a, b) = _mm512_sub_ps;
        mul(a, b) = _mm512_mul_ps;
        div(a, b) = _mm512_div_ps;
        fmadd(a, b, c) = _mm512_fmadd_ps;
        fmsub(a, b, c) = _mm512_fmsub_ps;
        fnmadd(a, b, c) = _mm512_fnmadd_ps;
        min(a, b) = _mm512_min_ps;
        max(a, b) = _mm512_max_ps;
    }
    m512_bitwise! {
        and = _mm512_and_si512;
        or = _mm512_or_si512;
        andnot = _mm512_andnot_si512;
        xor = _mm512_xor_si512;
    }
    m512_compare! {
        ge = _CMP_GE_OQ;
        gt = _CMP_GT_OQ;
        eq = _CMP_EQ_OQ;
        lt = _CMP_LT_OQ;
        le = _CMP_LE_OQ;
        ord = _CMP_ORD_Q;
    }
    #[inline(always)]
    fn blendv(a: __m512, b: __m512, mask: __m512) -> __m512 {
        // mask_blend takes its second operand where the mask bit is set.
        simd!(_mm512_mask_blend_ps(sign_mask(mask), a, b))
    }
    #[inline(always)]
    fn rcp(a: __m512) -> __m512 {
        let (lo, hi) = halves(a);
        join(<__m256 as F32x>::rcp(lo), <__m256 as F32x>::rcp(hi))
    }
    #[inline(always)]
    fn hmax(v: __m512) -> f32 {
        let (lo, hi) = halves(v);
        <__m256 as F32x>::hmax(<__m256 as F32x>::max(lo, hi))
    }
    type Acc = [__m512d; 2];
    #[inline(always)]
    fn acc_zero() -> [__m512d; 2] {
        simd!([_mm512_setzero_pd(); 2])
    }
    #[inline(always)]
    fn acc_add(acc: [__m512d; 2], v: __m512) -> [__m512d; 2] {
        let (lo, hi) = halves(v);
        simd!([
            _mm512_add_pd(acc[0], _mm512_cvtps_pd(lo)),
            _mm512_add_pd(acc[1], _mm512_cvtps_pd(hi)),
        ])
    }
    #[inline(always)]
    fn acc_scale(acc: [__m512d; 2], factor: f64) -> [__m512d; 2] {
        simd!({
            let f = _mm512_set1_pd(factor);
            [_mm512_mul_pd(acc[0], f), _mm512_mul_pd(acc[1], f)]
        })
    }
    #[inline(always)]
    fn acc_total(acc: [__m512d; 2]) -> f64 {
        let mut lanes = [0.0f64; 16];
        // SAFETY: `lanes` holds 16 f64; unaligned stores are allowed; the token behind every
        // caller proves AVX-512F.
        unsafe {
            _mm512_storeu_pd(lanes.as_mut_ptr(), acc[0]);
            _mm512_storeu_pd(lanes[8..].as_mut_ptr(), acc[1]);
        }
        lanes.iter().sum()
    }
    #[inline(always)]
    fn table8(table: &[f32; 8], index: __m512) -> __m512 {
        // SAFETY: `table` holds 8 f32; unaligned loads are allowed; the token behind every
        // caller proves AVX-512F. permutexvar reads the low four index bits: the table is
        // repeated in both halves so that only the low three matter.
        unsafe {
            let t = _mm512_castps256_ps512(_mm256_loadu_ps(table.as_ptr()));
            let t = _mm512_shuffle_f32x4::<0b01_00_01_00>(t, t);
            _mm512_permutexvar_ps(_mm512_castps_si512(index), t)
        }
    }
    #[inline(always)]
    fn exp2_of_magic(m: __m512, magic: __m512) -> __m512 {
        simd!({
            let k = _mm512_sub_epi32(_mm512_castps_si512(m), _mm512_castps_si512(magic));
            let n = _mm512_srai_epi32::<3>(k);
            _mm512_castsi512_ps(_mm512_slli_epi32::<23>(_mm512_add_epi32(
                n,
                _mm512_set1_epi32(127),
            )))
        })
    }
    #[inline(always)]
    fn with_exact2(
        x: __m512,
        dy: __m512,
        fast: __m512,
        inside: __m512,
        exact: &impl Fn(__m512d, __m512d) -> __m512d,
    ) -> __m512 {
        if Self::all_set(inside) {
            return fast;
        }
        let (x_lo, x_hi) = halves(x);
        let (g_lo, g_hi) = halves(dy);
        let lo = simd!(_mm512_cvtpd_ps(exact(
            _mm512_cvtps_pd(x_lo),
            _mm512_cvtps_pd(g_lo)
        )));
        let hi = simd!(_mm512_cvtpd_ps(exact(
            _mm512_cvtps_pd(x_hi),
            _mm512_cvtps_pd(g_hi)
        )));
        Self::blendv(join(lo, hi), fast, inside)
    }
}

/// The AVX-512 kernels.
pub(crate) mod avx512 {
    use super::Avx512;
    super::entry_points!(
        // SAFETY: these functions are compiled with AVX-512F, AVX2 and FMA and are called only
        // after `has_avx512()` (see `dispatch.rs`).
        unsafe { Avx512::new_unchecked() },
        #[target_feature(enable = "avx512f,avx2,fma")]
    );
    // SAFETY: as above.
    crate::kernels::rows::row_entry_points!(unsafe { Avx512::new_unchecked() }, #[target_feature(enable = "avx512f,avx2,fma")]);
}
