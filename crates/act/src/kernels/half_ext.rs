//! 16-bit storage, `f32` compute (feature `half`): the kernels on slices of [`half::f16`] or
//! [`half::bf16`].
//!
//! Each chunk of [`CHUNK`] elements is widened to `f32` (exact: every f16 and bf16 is an `f32`),
//! run through the `f32` kernel of the chosen path, and narrowed back (nearest, ties to even).
//! The result is the `f32` kernel's, rounded once more: within 0.5 ULP of the 16-bit format plus
//! the `f32` kernel's own error (≤ 1 `f32` ULP forward, 2⁻¹³ or 2⁻¹⁶ of a 16-bit ULP). Chunks
//! are split over the current rayon pool above [`PARALLEL_THRESHOLD`](super::PARALLEL_THRESHOLD)
//! elements; each element's result depends on its value only, so the bits do not depend on the
//! thread count.

use half::slice::HalfFloatSliceExt;
use half::{bf16, f16};

use super::Kernels;
use crate::Activation;

/// Elements converted and computed at a time (16 KiB of `f32` on the stack per buffer).
const CHUNK: usize = 4096;

/// The 16-bit floating-point formats the kernels store: [`half::f16`] and [`half::bf16`].
pub trait HalfElement: Copy + Send + Sync + private::Sealed {
    /// Widens `src` into `dst` (same length).
    fn widen(src: &[Self], dst: &mut [f32]);
    /// Narrows `src` into `dst` (same length), nearest with ties to even.
    fn narrow(src: &[f32], dst: &mut [Self]);
}

mod private {
    pub trait Sealed {}
    impl Sealed for half::f16 {}
    impl Sealed for half::bf16 {}
}

impl HalfElement for f16 {
    fn widen(src: &[f16], dst: &mut [f32]) {
        src.convert_to_f32_slice(dst);
    }
    fn narrow(src: &[f32], dst: &mut [f16]) {
        dst.convert_from_f32_slice(src);
    }
}

impl HalfElement for bf16 {
    fn widen(src: &[bf16], dst: &mut [f32]) {
        src.convert_to_f32_slice(dst);
    }
    fn narrow(src: &[f32], dst: &mut [bf16]) {
        dst.convert_from_f32_slice(src);
    }
}

impl Kernels {
    /// y = f(x) on 16-bit storage, computed in `f32` (see the module documentation).
    ///
    /// # Panics
    /// If `x` and `y` differ in length.
    ///
    /// ```
    /// use act::Activation;
    /// use act::kernels::Kernels;
    /// use half::f16;
    /// let x = [f16::from_f32(-1.0), f16::ZERO, f16::from_f32(2.0)];
    /// let mut y = [f16::ZERO; 3];
    /// Kernels::new().forward_half(Activation::Sigmoid, &x, &mut y);
    /// assert_eq!(y[1], f16::from_f32(0.5));
    /// assert_eq!(y[2], f16::from_f32(0.880797)); // σ(2), rounded to f16
    /// ```
    pub fn forward_half<H: HalfElement>(self, a: Activation, x: &[H], y: &mut [H]) {
        assert_eq!(x.len(), y.len(), "forward_half: x and y differ in length");
        chunks2(x, y, |x, y| {
            let (mut wx, mut wy) = ([0.0f32; CHUNK], [0.0f32; CHUNK]);
            let n = x.len();
            H::widen(x, &mut wx[..n]);
            self.forward(a, &wx[..n], &mut wy[..n]);
            H::narrow(&wy[..n], y);
        });
    }

    /// dx = dy·f′(x) on 16-bit storage, computed in `f32` (dy·f′ rounded to `f32`, then to the
    /// 16-bit format).
    ///
    /// # Panics
    /// If the three slices differ in length.
    pub fn backward_half<H: HalfElement>(self, a: Activation, x: &[H], dy: &[H], dx: &mut [H]) {
        assert!(
            x.len() == dy.len() && x.len() == dx.len(),
            "backward_half: x, dy and dx differ in length"
        );
        let n = x.len();
        let run = |start: usize, dx: &mut [H]| {
            let len = dx.len();
            let (mut wx, mut wg, mut wd) = ([0.0f32; CHUNK], [0.0f32; CHUNK], [0.0f32; CHUNK]);
            H::widen(&x[start..start + len], &mut wx[..len]);
            H::widen(&dy[start..start + len], &mut wg[..len]);
            self.backward(a, &wx[..len], &wg[..len], &mut wd[..len]);
            H::narrow(&wd[..len], dx);
        };
        for_chunks(n, dx, run);
    }
}

/// Runs `f` on matching chunks of `x` and `y`, over the rayon pool for long slices.
fn chunks2<H: HalfElement>(x: &[H], y: &mut [H], f: impl Fn(&[H], &mut [H]) + Sync + Send) {
    for_chunks(x.len(), y, |start, y| f(&x[start..start + y.len()], y));
}

/// Runs `f(start, chunk)` on the CHUNK-sized pieces of `out` (start: the piece's offset).
fn for_chunks<H: HalfElement>(n: usize, out: &mut [H], f: impl Fn(usize, &mut [H]) + Sync + Send) {
    #[cfg(feature = "rayon")]
    if n >= super::PARALLEL_THRESHOLD && rayon::current_num_threads() > 1 {
        use rayon::prelude::*;
        out.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(i, piece)| f(i * CHUNK, piece));
        return;
    }
    let _ = n;
    for (i, piece) in out.chunks_mut(CHUNK).enumerate() {
        f(i * CHUNK, piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_f16_and_bf16_input_is_the_f32_kernel_rounded() {
        let k = Kernels::new();
        let xs16: Vec<f16> = (0..=u16::MAX).map(f16::from_bits).collect();
        let xsb: Vec<bf16> = (0..=u16::MAX).map(bf16::from_bits).collect();
        for a in [
            Activation::Sigmoid,
            Activation::Gelu,
            Activation::Relu,
            Activation::Silu,
        ] {
            let mut y = vec![f16::ZERO; xs16.len()];
            k.forward_half(a, &xs16, &mut y);
            let mut yb = vec![bf16::ZERO; xsb.len()];
            k.forward_half(a, &xsb, &mut yb);
            let dy16 = vec![f16::from_f32(0.75); xs16.len()];
            let mut dx16 = vec![f16::ZERO; xs16.len()];
            k.backward_half(a, &xs16, &dy16, &mut dx16);
            for i in 0..xs16.len() {
                let (x, xb) = (xs16[i].to_f32(), xsb[i].to_f32());
                let mut w = [0.0f32];
                k.forward(a, &[x], &mut w);
                let want = f16::from_f32(w[0]);
                assert!(y[i] == want || (y[i].is_nan() && want.is_nan()), "{a}({x})");
                k.forward(a, &[xb], &mut w);
                let want = bf16::from_f32(w[0]);
                assert!(
                    yb[i] == want || (yb[i].is_nan() && want.is_nan()),
                    "{a}({xb})"
                );
                k.backward(a, &[x], &[0.75], &mut w);
                let want = f16::from_f32(w[0]);
                assert!(
                    dx16[i] == want || (dx16[i].is_nan() && want.is_nan()),
                    "{a}′({x})"
                );
            }
        }
    }

    #[test]
    #[should_panic(expected = "differ in length")]
    fn a_length_mismatch_panics() {
        let mut y = [f16::ZERO; 2];
        Kernels::new().forward_half(Activation::Tanh, &[f16::ZERO; 3], &mut y);
    }
}
