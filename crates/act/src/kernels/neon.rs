//! The aarch64 implementation of [`Lanes`]: NEON, two `f64` lanes with FMA.
//!
//! NEON is part of the aarch64 baseline, so the token is free to make where this module is
//! compiled; the path is still chosen through runtime detection like the others. (Written against
//! the `core::arch::aarch64` reference; this workspace's CI machine is x86-64, where the module is
//! not compiled.)

use core::arch::aarch64::*;

use super::elementwise::entry_points;
use super::lanes::Lanes;

/// Whether the CPU runs the NEON path.
pub(crate) fn has_neon() -> bool {
    std::arch::is_aarch64_feature_detected!("neon")
}

/// Proof that the CPU has NEON.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Neon {
    _private: (),
}

impl Neon {
    /// # Safety
    /// The CPU must support NEON ([`has_neon`]).
    #[inline(always)]
    unsafe fn new_unchecked() -> Neon {
        Neon { _private: () }
    }
}

/// Wraps an intrinsic call whose only requirement is the instruction set the token proves.
macro_rules! simd {
    ($e:expr) => {
        // SAFETY: a `Neon` token exists only when the CPU has NEON (its constructor is `unsafe`
        // with that contract), and these are register-only intrinsics.
        unsafe { $e }
    };
}

impl Lanes for Neon {
    type V = float64x2_t;
    type M = uint64x2_t;
    const LANES: usize = 2;

    #[inline(always)]
    fn splat(self, v: f64) -> float64x2_t {
        simd!(vdupq_n_f64(v))
    }
    #[inline(always)]
    fn add(self, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        simd!(vaddq_f64(a, b))
    }
    #[inline(always)]
    fn sub(self, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        simd!(vsubq_f64(a, b))
    }
    #[inline(always)]
    fn mul(self, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        simd!(vmulq_f64(a, b))
    }
    #[inline(always)]
    fn div(self, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        simd!(vdivq_f64(a, b))
    }
    #[inline(always)]
    fn mul_add(self, a: float64x2_t, b: float64x2_t, c: float64x2_t) -> float64x2_t {
        // vfmaq_f64(c, a, b) = c + a·b, one rounding.
        simd!(vfmaq_f64(c, a, b))
    }
    #[inline(always)]
    fn abs(self, a: float64x2_t) -> float64x2_t {
        simd!(vabsq_f64(a))
    }
    #[inline(always)]
    fn neg(self, a: float64x2_t) -> float64x2_t {
        simd!(vnegq_f64(a))
    }
    #[inline(always)]
    fn min(self, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        simd!(vminq_f64(a, b))
    }
    #[inline(always)]
    fn max(self, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        simd!(vmaxq_f64(a, b))
    }
    #[inline(always)]
    fn lt(self, a: float64x2_t, b: float64x2_t) -> uint64x2_t {
        simd!(vcltq_f64(a, b))
    }
    #[inline(always)]
    fn le(self, a: float64x2_t, b: float64x2_t) -> uint64x2_t {
        simd!(vcleq_f64(a, b))
    }
    #[inline(always)]
    fn eq(self, a: float64x2_t, b: float64x2_t) -> uint64x2_t {
        simd!(vceqq_f64(a, b))
    }
    #[inline(always)]
    fn is_nan(self, a: float64x2_t) -> uint64x2_t {
        // NaN is the one value unequal to itself: invert a == a.
        simd!(vreinterpretq_u64_u32(vmvnq_u32(vreinterpretq_u32_u64(
            vceqq_f64(a, a)
        ))))
    }
    #[inline(always)]
    fn and(self, m: uint64x2_t, n: uint64x2_t) -> uint64x2_t {
        simd!(vandq_u64(m, n))
    }
    #[inline(always)]
    fn any(self, m: uint64x2_t) -> bool {
        simd!(vmaxvq_u32(vreinterpretq_u32_u64(m)) != 0)
    }
    #[inline(always)]
    fn select(self, m: uint64x2_t, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        simd!(vbslq_f64(m, a, b))
    }
    #[inline(always)]
    fn copysign(self, mag: float64x2_t, sign: float64x2_t) -> float64x2_t {
        simd!(vbslq_f64(vdupq_n_u64(1u64 << 63), sign, mag))
    }
    #[inline(always)]
    fn round(self, a: float64x2_t) -> float64x2_t {
        simd!(vrndnq_f64(a))
    }
    #[inline(always)]
    fn pow2(self, k: float64x2_t) -> float64x2_t {
        simd!(vreinterpretq_f64_s64(vshlq_n_s64::<52>(vaddq_s64(
            vcvtq_s64_f64(k),
            vdupq_n_s64(1023)
        ))))
    }
    #[inline(always)]
    fn mul_error(self, a: float64x2_t, b: float64x2_t, p: float64x2_t) -> float64x2_t {
        // −p + a·b, one rounding.
        simd!(vfmaq_f64(vnegq_f64(p), a, b))
    }
    #[inline(always)]
    fn round_odd(self, hi: float64x2_t, lo: float64x2_t) -> float64x2_t {
        simd!({
            let bits = vreinterpretq_s64_f64(hi);
            let one = vdupq_n_s64(1);
            let even = vceqq_s64(vandq_s64(bits, one), vdupq_n_s64(0));
            let inf = vdupq_n_f64(f64::INFINITY);
            let finite = vandq_u64(vcltq_f64(vabsq_f64(hi), inf), vcltq_f64(vabsq_f64(lo), inf));
            // lo ≠ 0: |lo| > 0 (false for NaN).
            let inexact = vandq_u64(vcgtq_f64(vabsq_f64(lo), vdupq_n_f64(0.0)), finite);
            let nudge = vandq_u64(inexact, even);
            let differ = vcltzq_s64(veorq_s64(bits, vreinterpretq_s64_f64(lo)));
            let step = vbslq_s64(differ, vdupq_n_s64(-1), one);
            vreinterpretq_f64_s64(vaddq_s64(
                bits,
                vandq_s64(step, vreinterpretq_s64_u64(nudge)),
            ))
        })
    }
    #[inline(always)]
    fn store64(self, v: float64x2_t, out: &mut [f64]) {
        let out = &mut out[..2];
        // SAFETY: `out` holds 2 f64 (checked above).
        unsafe { vst1q_f64(out.as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn load(self, x: &[f32]) -> float64x2_t {
        let x = &x[..2];
        // SAFETY: `x` holds 2 f32 (checked above); NEON loads need no alignment.
        unsafe { vcvt_f64_f32(vld1_f32(x.as_ptr())) }
    }
    #[inline(always)]
    fn store(self, v: float64x2_t, y: &mut [f32]) {
        let y = &mut y[..2];
        // SAFETY: `y` holds 2 f32 (checked above); vcvt_f32_f64 rounds to nearest even.
        unsafe { vst1_f32(y.as_mut_ptr(), vcvt_f32_f64(v)) }
    }
}

/// The NEON kernels.
pub(crate) mod kernels {
    use super::Neon;
    super::entry_points!(
        // SAFETY: called only after `has_neon()` (see `dispatch.rs`).
        unsafe { Neon::new_unchecked() },
        #[target_feature(enable = "neon")]
    );
    // SAFETY: as above.
    crate::kernels::rows::row_entry_points!(unsafe { Neon::new_unchecked() }, #[target_feature(enable = "neon")]);
}
