//! [`Portable`]: the [`Lanes`] operations on plain arrays of four `f64`, for every CPU.
//!
//! Written lane by lane in safe Rust (the compiler vectorises it with whatever the target
//! guarantees, SSE2 on x86-64). It runs the same algorithms as the SIMD paths; the one difference
//! is `mul_add`, which here rounds twice (a software FMA would be slower than everything else put
//! together), so its results may differ from the SIMD paths' in the last bit of an `f64`
//! intermediate, and very rarely in an `f32` result (always within the same bounds).

use super::lanes::Lanes;

/// The portable implementation of [`Lanes`] (four `f64` lanes as an array).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Portable;

/// Applies `f` lane by lane.
#[inline(always)]
fn map2(a: [f64; 4], b: [f64; 4], f: impl Fn(f64, f64) -> f64) -> [f64; 4] {
    [f(a[0], b[0]), f(a[1], b[1]), f(a[2], b[2]), f(a[3], b[3])]
}

/// Compares lane by lane.
#[inline(always)]
fn cmp(a: [f64; 4], b: [f64; 4], f: impl Fn(f64, f64) -> bool) -> [bool; 4] {
    [f(a[0], b[0]), f(a[1], b[1]), f(a[2], b[2]), f(a[3], b[3])]
}

impl Lanes for Portable {
    type V = [f64; 4];
    type M = [bool; 4];
    const LANES: usize = 4;

    #[inline(always)]
    fn splat(self, v: f64) -> [f64; 4] {
        [v; 4]
    }
    #[inline(always)]
    fn add(self, a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
        map2(a, b, |a, b| a + b)
    }
    #[inline(always)]
    fn sub(self, a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
        map2(a, b, |a, b| a - b)
    }
    #[inline(always)]
    fn mul(self, a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
        map2(a, b, |a, b| a * b)
    }
    #[inline(always)]
    fn div(self, a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
        map2(a, b, |a, b| a / b)
    }
    #[inline(always)]
    fn mul_add(self, a: [f64; 4], b: [f64; 4], c: [f64; 4]) -> [f64; 4] {
        // Two roundings on purpose (see the module documentation).
        self.add(self.mul(a, b), c)
    }
    #[inline(always)]
    fn abs(self, a: [f64; 4]) -> [f64; 4] {
        a.map(f64::abs)
    }
    #[inline(always)]
    fn neg(self, a: [f64; 4]) -> [f64; 4] {
        a.map(|v| -v)
    }
    #[inline(always)]
    fn min(self, a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
        map2(a, b, |a, b| if a < b { a } else { b })
    }
    #[inline(always)]
    fn max(self, a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
        map2(a, b, |a, b| if a > b { a } else { b })
    }
    #[inline(always)]
    fn lt(self, a: [f64; 4], b: [f64; 4]) -> [bool; 4] {
        cmp(a, b, |a, b| a < b)
    }
    #[inline(always)]
    fn le(self, a: [f64; 4], b: [f64; 4]) -> [bool; 4] {
        cmp(a, b, |a, b| a <= b)
    }
    #[inline(always)]
    fn eq(self, a: [f64; 4], b: [f64; 4]) -> [bool; 4] {
        cmp(a, b, |a, b| a == b)
    }
    #[inline(always)]
    fn is_nan(self, a: [f64; 4]) -> [bool; 4] {
        a.map(f64::is_nan)
    }
    #[inline(always)]
    fn and(self, m: [bool; 4], n: [bool; 4]) -> [bool; 4] {
        [m[0] & n[0], m[1] & n[1], m[2] & n[2], m[3] & n[3]]
    }
    #[inline(always)]
    fn any(self, m: [bool; 4]) -> bool {
        m[0] | m[1] | m[2] | m[3]
    }
    #[inline(always)]
    fn select(self, m: [bool; 4], a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
        [
            if m[0] { a[0] } else { b[0] },
            if m[1] { a[1] } else { b[1] },
            if m[2] { a[2] } else { b[2] },
            if m[3] { a[3] } else { b[3] },
        ]
    }
    #[inline(always)]
    fn copysign(self, mag: [f64; 4], sign: [f64; 4]) -> [f64; 4] {
        map2(mag, sign, f64::copysign)
    }
    #[inline(always)]
    fn round(self, a: [f64; 4]) -> [f64; 4] {
        a.map(f64::round_ties_even)
    }
    #[inline(always)]
    fn pow2(self, k: [f64; 4]) -> [f64; 4] {
        k.map(|k| f64::from_bits(((k as i64 + 1023) as u64) << 52))
    }
    #[inline(always)]
    fn mul_error(self, a: [f64; 4], b: [f64; 4], p: [f64; 4]) -> [f64; 4] {
        // Dekker: split each factor into 26-bit halves whose products are exact.
        let split = |v: f64| {
            let c = 134217729.0 * v; // 2²⁷ + 1
            let hi = c - (c - v);
            (hi, v - hi)
        };
        let mut e = [0.0; 4];
        for i in 0..4 {
            let ((ah, al), (bh, bl)) = (split(a[i]), split(b[i]));
            e[i] = ((ah * bh - p[i]) + ah * bl + al * bh) + al * bl;
        }
        e
    }
    #[inline(always)]
    fn round_odd(self, hi: [f64; 4], lo: [f64; 4]) -> [f64; 4] {
        map2(hi, lo, |hi, lo| {
            let bits = hi.to_bits();
            if lo == 0.0 || !lo.is_finite() || !hi.is_finite() || bits & 1 == 1 {
                return hi;
            }
            // Same sign: the exact value is farther from 0 than hi.
            if (bits ^ lo.to_bits()) >> 63 == 0 {
                f64::from_bits(bits + 1)
            } else {
                f64::from_bits(bits - 1)
            }
        })
    }
    #[inline(always)]
    fn store64(self, v: [f64; 4], out: &mut [f64]) {
        out[..4].copy_from_slice(&v);
    }
    #[inline(always)]
    fn load(self, x: &[f32]) -> [f64; 4] {
        [x[0] as f64, x[1] as f64, x[2] as f64, x[3] as f64]
    }
    #[inline(always)]
    fn store(self, v: [f64; 4], y: &mut [f32]) {
        let y = &mut y[..4];
        for (y, v) in y.iter_mut().zip(v) {
            *y = v as f32;
        }
    }
}

/// The portable kernels.
pub(crate) mod kernels {
    use super::Portable;
    crate::kernels::elementwise::entry_points!(Portable);
    crate::kernels::rows::row_entry_points!(Portable);
}
