//! Slice kernels: every element-wise activation forward and backward over whole buffers, with
//! SIMD chosen at run time, within the scalar catalogue's bounds.
//!
//! - **What.** [`forward`] (y = f(x) into the caller's buffer), [`forward_in_place`],
//!   [`backward`] (dx = dy·f′(x)) and [`backward_from_output`] (dx = dy·f′ computed from
//!   y = f(x), for the functions where y determines f′), for `f32` and `f64` slices and every
//!   [`Activation`] with its parameters. [`Kernels`] does the same on a chosen [`Path`].
//! - **Within the bounds, three ways.** (1) Where the `f32` operation is the correctly rounded
//!   one (relu, hardtanh, threshold, the shrinks, leaky_relu with a slope exact in `f32`, …), a
//!   plain `f32` loop the compiler vectorises: the scalar bits. (2) On AVX2, in `f32` lanes with
//!   compensated arithmetic (≤ 0.9 ULP, every `f32` input checked): sigmoid, silu, tanh, gelu,
//!   gelu_tanh, the elu family (elu, selu, celu with α = 1), softplus (β = 1) and logsigmoid
//!   forward, and softplus′ (β a power of two ≥ 1) and logsigmoid′ backward from the input (σ(βx)
//!   and σ(−x), with dy folded into the last FMA). (3) The rest
//!   widens each element to `f64`, evaluates the scalar `f32` path's own stable formula
//!   (two-branch σ on e^{−|x|}, expm1 for the elu family, gelu through the Mills ratio of the
//!   normal tail, …) with vectorised `f64` exp, expm1, log1p and Φ (≲ 2⁻⁴² relative where no
//!   cancellation follows, ≲ 4·10⁻¹⁶ where one does: `gen_polys.py`'s check), and rounds once. The bounds of the catalogue
//!   hold (≤ 1 ULP forward, ≤ 2 ULP derivative, NaN in gives NaN out, ±∞ gives the limit);
//!   results equal [`Activation::forward`]'s bits but for rare near-ties, except the `f32`-lane
//!   kernels of (2), which differ in about 1% of inputs, by less than 1 ULP. `tests/kernels.rs`
//!   checks every path against the scalar reference; `examples/kernel_sweep.rs` runs all 2³²
//!   inputs through a path; `actlab accuracy --path` sweeps them.
//! - **Backward** forms dy·f′ in `f64` and rounds once (no second rounding of f′ in `f32`); the
//!   `f32`-lane backward kernels of (2) round once a value within ~2⁻²⁶ relative of dy·f′, and
//!   send lanes whose product is tiny, overflows or is not finite to the `f64` form. It
//!   overwrites `dx`, as PyTorch's `*_backward` kernels do.
//! - **`f64` slices** use the exact double-double scalar path element by element (threaded for
//!   large slices): no `f64` SIMD formula has been proved to the bounds yet, so none ships.
//! - **Paths.** x86-64: AVX-512F, AVX2 + FMA, and the portable code; aarch64: NEON and portable.
//!   [`Path::detected`] picks the best the CPU has. The portable code runs the same algorithms
//!   without FMA (its `f32` results may differ from the SIMD paths' in rare near-ties, always
//!   within the bounds). AVX-512 runs AVX2's kernels on 512-bit registers, the `f64`-lane
//!   formulas in eight lanes and the `f32`-lane kernels in sixteen, each operation chosen to give
//!   AVX2's bits lane for lane (its reciprocal estimate is AVX's `rcpps` on each half, not
//!   `rcp14ps`), so that AVX2's exhaustive sweeps hold for it. Verified on AVX-512 hardware
//!   (AMD Zen 5, 2026-11-28): `examples/kernel_hash.rs --path avx512` and `--path avx2` print the
//!   same hashes over all 2³² inputs, and `tests/kernels.rs`
//!   (`avx512_gives_avx2_bits_on_every_elementwise_function`) checks it wherever both paths run.
//!   A signalling NaN may come out quieted on one path and not the other (same payload).
//!   NEON's tests pass under emulation (`tools/test_aarch64.sh`).
//! - **Threads.** With the `rayon` feature (default), slices of at least
//!   [`PARALLEL_THRESHOLD`] elements are split over the current rayon pool in fixed chunks; smaller
//!   slices never touch it. Each element's result depends on its value only (the last partial
//!   block runs through the same vector code, padded), so results are bit-identical for every
//!   thread count.
//! - **Row-wise**: [`Kernels::softmax`], [`Kernels::log_softmax`], [`Kernels::logsumexp_rows`],
//!   the fused [`Kernels::softmax_cross_entropy`] (and its mean), and the backward passes
//!   [`Kernels::softmax_backward_from_output`] and [`Kernels::log_softmax_backward_from_output`]
//!   over rows of an `f32` matrix, in `f64` lanes, each entry rounded once, each row read from
//!   memory at most twice (rows holding NaN or ±∞ take the scalar [`crate::rowwise`] path;
//!   the cross-entropy of a class-target row of at most 8 entries is computed in scalar `f64`,
//!   whose fixed cost is smaller than a vector sweep's).
//! - **snake** has no vector formula (its derivative needs the double-double argument reduction
//!   near its zeros): its kernels apply the scalar path per element.
//!
//! Lengths must match; a mismatch is a broken contract of the caller and panics (like
//! `<[T]>::copy_from_slice`), so the hot path returns nothing to check. What can fail for valid
//! input returns a [`KernelError`]: forcing a path the CPU lacks, or asking for the derivative from
//! the output of a function whose output does not determine it.
//!
//! ```
//! use act::Activation;
//! use act::kernels::{self, Kernels, Path};
//!
//! let x = [-2.0f32, -0.5, 0.0, 0.5, 2.0];
//! let mut y = [0.0f32; 5];
//! kernels::forward(Activation::Sigmoid, &x, &mut y);
//! // The same values as the scalar catalogue (these are not near-ties).
//! for (&x, &y) in x.iter().zip(&y) {
//!     assert_eq!(y, Activation::Sigmoid.forward(x));
//! }
//!
//! // Backward: dx = dy·σ′(x), from the input or from the output.
//! let dy = [1.0f32; 5];
//! let mut dx = [0.0f32; 5];
//! kernels::backward(Activation::Sigmoid, &x, &dy, &mut dx);
//! assert_eq!(dx[2], 0.25);
//! kernels::backward_from_output(Activation::Sigmoid, &y, &dy, &mut dx).unwrap();
//! assert_eq!(dx[2], 0.25);
//! assert!(kernels::backward_from_output(Activation::Gelu, &y, &dy, &mut dx).is_err());
//!
//! // Force a path (what the tests, benchmarks and `actlab accuracy --path` do).
//! let portable = Kernels::with_path(Path::Portable).unwrap();
//! let mut z = [0.0f32; 5];
//! portable.forward(Activation::Relu, &x, &mut z);
//! assert_eq!(z, [0.0, 0.0, 0.0, 0.5, 2.0]);
//! ```

#[allow(unsafe_code)]
mod dispatch;
mod elementwise;
#[cfg(feature = "half")]
mod half_ext;
mod lanes;
mod math;
#[cfg(feature = "ndarray")]
mod ndarray_ext;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::unreadable_literal)]
#[cfg(target_arch = "x86_64")]
mod gelu_f32_generated;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::unreadable_literal)]
#[cfg(target_arch = "x86_64")]
mod tanhshrink_f32_generated;
#[rustfmt::skip]
mod mills_generated;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::unreadable_literal)]
// The `f32`-lane constants are used by the x86 kernels only.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
mod polys_generated;
#[allow(unsafe_code)]
#[cfg(target_arch = "aarch64")]
mod neon;
mod portable;
mod rows;
// The AVX-512 intrinsics are stable since Rust 1.89, the workspace's `rust-version`.
#[allow(unsafe_code)]
#[cfg(target_arch = "x86_64")]
mod x86;

use crate::rowwise::{RowError, Target, Total};
use crate::{Activation, Real};
#[cfg(feature = "half")]
pub use half_ext::HalfElement;
#[cfg(feature = "ndarray")]
pub use ndarray_ext::{ArrayExt, ArrayExtMut};

/// Slices at least this long are split over the current rayon pool (when it has more than one
/// thread and the `rayon` feature is on). Below it, a kernel runs on the calling thread alone: at
/// 64K `f32` elements even the cheapest kernel (relu, 20 µs: 3.3 Gelem/s from
/// `actlab bench kernels --sizes 64K --functions relu` on the 2-core EPYC) outweighs a fork-join.
pub const PARALLEL_THRESHOLD: usize = 1 << 16;

/// Elements per parallel task for `f32` (a multiple of the kernels' block of 32).
#[cfg(feature = "rayon")]
const CHUNK_F32: usize = 1 << 14;
/// Elements per parallel task for `f64` (the exact scalar path costs 4–700 ns per element).
#[cfg(feature = "rayon")]
const CHUNK_F64: usize = 1 << 9;
/// `f64` slices at least this long are split (the scalar path is dear, so earlier than `f32`).
const PARALLEL_THRESHOLD_F64: usize = 1 << 12;

/// An instruction-set path of the kernels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Path {
    /// Plain Rust on arrays of four `f64`: every CPU.
    Portable,
    /// x86-64 AVX2 with FMA: four `f64` lanes, or eight `f32` lanes for the `f32`-lane kernels.
    Avx2,
    /// x86-64 AVX-512F: eight `f64` lanes, or sixteen `f32` lanes for the `f32`-lane kernels.
    Avx512,
    /// aarch64 NEON: two `f64` lanes.
    Neon,
}

impl Path {
    /// Every path, in order of preference from least to most capable (portable first).
    pub const ALL: [Path; 4] = [Path::Portable, Path::Neon, Path::Avx2, Path::Avx512];

    /// `"portable"`, `"avx2"`, `"avx512"` or `"neon"`.
    pub fn name(self) -> &'static str {
        match self {
            Path::Portable => "portable",
            Path::Avx2 => "avx2",
            Path::Avx512 => "avx512",
            Path::Neon => "neon",
        }
    }

    /// Whether this CPU can run the path (and this build contains it).
    pub fn is_available(self) -> bool {
        dispatch::is_available(self)
    }

    /// The paths this CPU can run, portable first.
    ///
    /// ```
    /// use act::kernels::Path;
    /// assert_eq!(Path::available()[0], Path::Portable);
    /// assert!(Path::available().contains(&Path::detected()));
    /// ```
    pub fn available() -> Vec<Path> {
        Path::ALL.into_iter().filter(|p| p.is_available()).collect()
    }

    /// The most capable path this CPU can run (what [`Kernels::new`] and the free functions use).
    pub fn detected() -> Path {
        Path::ALL
            .into_iter()
            .rev()
            .find(|p| p.is_available())
            .unwrap_or(Path::Portable)
    }
}

impl core::fmt::Display for Path {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

impl core::str::FromStr for Path {
    type Err = KernelError;
    /// Parses a [`Path::name`].
    fn from_str(s: &str) -> Result<Path, KernelError> {
        Path::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| KernelError::UnknownPath {
                name: s.to_string(),
            })
    }
}

/// Why a kernel request was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KernelError {
    /// The CPU (or this build's target) lacks the instructions of the path asked for.
    PathUnavailable {
        /// The path asked for.
        path: Path,
    },
    /// The function's output does not determine its derivative
    /// ([`Activation::has_derivative_from_output`] is false): use [`backward`] with the input.
    NoDerivativeFromOutput {
        /// The function's name.
        function: &'static str,
    },
    /// No path has this name.
    UnknownPath {
        /// The name given.
        name: String,
    },
}

impl core::fmt::Display for KernelError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            KernelError::PathUnavailable { path } => write!(
                f,
                "the {path} kernels cannot run on this CPU (available: {})",
                Path::available()
                    .iter()
                    .map(|p| p.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            KernelError::NoDerivativeFromOutput { function } => write!(
                f,
                "{function}: the output does not determine the derivative; use the input"
            ),
            KernelError::UnknownPath { name } => write!(
                f,
                "unknown kernel path {name:?} (expected portable, avx2, avx512 or neon)"
            ),
        }
    }
}

impl std::error::Error for KernelError {}

mod sealed {
    use super::Path;
    use crate::Activation;

    /// The per-type kernels behind [`Element`](super::Element) (not nameable outside the crate).
    pub trait Kernel: Copy + Send + Sync + Sized {
        fn forward(path: Path, a: Activation, x: &[Self], y: &mut [Self]);
        fn forward_in_place(path: Path, a: Activation, x: &mut [Self]);
        fn backward(path: Path, a: Activation, x: &[Self], dy: &[Self], dx: &mut [Self]);
        fn backward_from_output(
            path: Path,
            a: Activation,
            y: &[Self],
            dy: &[Self],
            dx: &mut [Self],
        );
        fn softmax_cross_entropy_mean(
            path: Path,
            logits: &[Self],
            targets: crate::rowwise::Target<'_, Self>,
            cols: usize,
            grad: Option<&mut [Self]>,
        ) -> Result<Self, crate::rowwise::RowError>;
    }
}

/// An element type the kernels run on: `f32` (SIMD) or `f64` (the exact scalar path, threaded).
/// Sealed.
pub trait Element: Real + sealed::Kernel {}

impl Element for f32 {}
impl Element for f64 {}

/// Runs `f` on matching chunks of `x` and `y`, in parallel when the slice is long enough.
fn split2<T: Sync + Send>(
    x: &[T],
    y: &mut [T],
    threshold: usize,
    #[allow(unused_variables)] chunk: usize,
    f: impl Fn(&[T], &mut [T]) + Sync,
) {
    #[cfg(feature = "rayon")]
    if x.len() >= threshold && rayon::current_num_threads() > 1 {
        use rayon::prelude::*;
        x.par_chunks(chunk)
            .zip(y.par_chunks_mut(chunk))
            .for_each(|(x, y)| f(x, y));
        return;
    }
    let _ = threshold;
    f(x, y)
}

/// [`split2`] for one buffer.
fn split1<T: Sync + Send>(
    x: &mut [T],
    threshold: usize,
    #[allow(unused_variables)] chunk: usize,
    f: impl Fn(&mut [T]) + Sync,
) {
    #[cfg(feature = "rayon")]
    if x.len() >= threshold && rayon::current_num_threads() > 1 {
        use rayon::prelude::*;
        x.par_chunks_mut(chunk).for_each(&f);
        return;
    }
    let _ = threshold;
    f(x)
}

/// [`split2`] for two inputs and an output.
fn split3<T: Sync + Send>(
    x: &[T],
    dy: &[T],
    dx: &mut [T],
    threshold: usize,
    #[allow(unused_variables)] chunk: usize,
    f: impl Fn(&[T], &[T], &mut [T]) + Sync,
) {
    #[cfg(feature = "rayon")]
    if x.len() >= threshold && rayon::current_num_threads() > 1 {
        use rayon::prelude::*;
        x.par_chunks(chunk)
            .zip(dy.par_chunks(chunk))
            .zip(dx.par_chunks_mut(chunk))
            .for_each(|((x, dy), dx)| f(x, dy, dx));
        return;
    }
    let _ = threshold;
    f(x, dy, dx)
}

#[cfg(feature = "rayon")]
const CHUNKS: (usize, usize) = (CHUNK_F32, CHUNK_F64);
#[cfg(not(feature = "rayon"))]
const CHUNKS: (usize, usize) = (usize::MAX, usize::MAX);

impl sealed::Kernel for f32 {
    fn softmax_cross_entropy_mean(
        path: Path,
        logits: &[f32],
        targets: Target<'_, f32>,
        cols: usize,
        grad: Option<&mut [f32]>,
    ) -> Result<f32, RowError> {
        Kernels { path }.softmax_cross_entropy_mean(logits, targets, cols, grad)
    }
    fn forward(path: Path, a: Activation, x: &[f32], y: &mut [f32]) {
        split2(x, y, PARALLEL_THRESHOLD, CHUNKS.0, |x, y| {
            dispatch::forward(path, a, x, y)
        })
    }
    fn forward_in_place(path: Path, a: Activation, x: &mut [f32]) {
        split1(x, PARALLEL_THRESHOLD, CHUNKS.0, |x| {
            dispatch::forward_in_place(path, a, x)
        })
    }
    fn backward(path: Path, a: Activation, x: &[f32], dy: &[f32], dx: &mut [f32]) {
        split3(x, dy, dx, PARALLEL_THRESHOLD, CHUNKS.0, |x, dy, dx| {
            dispatch::backward(path, a, x, dy, dx)
        })
    }
    fn backward_from_output(path: Path, a: Activation, y: &[f32], dy: &[f32], dx: &mut [f32]) {
        split3(y, dy, dx, PARALLEL_THRESHOLD, CHUNKS.0, |y, dy, dx| {
            dispatch::backward_from_output(path, a, y, dy, dx)
        })
    }
}

/// dy·f′(x) for `f64`: the double-double derivative times dy, rounded once.
#[inline]
fn backward_f64(a: Activation, x: f64, dy: f64) -> f64 {
    a.reference_derivative(x).mul_f64(dy).hi
}

impl sealed::Kernel for f64 {
    fn softmax_cross_entropy_mean(
        _: Path,
        logits: &[f64],
        targets: Target<'_, f64>,
        cols: usize,
        grad: Option<&mut [f64]>,
    ) -> Result<f64, RowError> {
        crate::rowwise::softmax_cross_entropy_mean(logits, targets, cols, grad)
    }
    fn forward(_: Path, a: Activation, x: &[f64], y: &mut [f64]) {
        split2(x, y, PARALLEL_THRESHOLD_F64, CHUNKS.1, |x, y| {
            for (y, &x) in y.iter_mut().zip(x) {
                *y = a.forward(x);
            }
        })
    }
    fn forward_in_place(_: Path, a: Activation, x: &mut [f64]) {
        split1(x, PARALLEL_THRESHOLD_F64, CHUNKS.1, |x| {
            for x in x.iter_mut() {
                *x = a.forward(*x);
            }
        })
    }
    fn backward(_: Path, a: Activation, x: &[f64], dy: &[f64], dx: &mut [f64]) {
        split3(x, dy, dx, PARALLEL_THRESHOLD_F64, CHUNKS.1, |x, dy, dx| {
            for ((dx, &x), &dy) in dx.iter_mut().zip(x).zip(dy) {
                *dx = backward_f64(a, x, dy);
            }
        })
    }
    fn backward_from_output(_: Path, a: Activation, y: &[f64], dy: &[f64], dx: &mut [f64]) {
        split3(y, dy, dx, PARALLEL_THRESHOLD_F64, CHUNKS.1, |y, dy, dx| {
            for ((dx, &y), &dy) in dx.iter_mut().zip(y).zip(dy) {
                let d = a.derivative_from_output(y).unwrap_or(f64::NAN);
                *dx = dy * d;
            }
        })
    }
}

/// The kernels on one [`Path`]: the free functions of this module use [`Kernels::new`]; tests,
/// benchmarks and `actlab accuracy --path` force a path with [`Kernels::with_path`].
///
/// ```
/// use act::Activation;
/// use act::kernels::{Kernels, Path};
///
/// for path in Path::available() {
///     let k = Kernels::with_path(path).unwrap();
///     let mut y = [0.0f32; 3];
///     k.forward(Activation::Tanh, &[f32::NEG_INFINITY, 0.0, f32::NAN], &mut y);
///     assert_eq!(y[..2], [-1.0, 0.0]);
///     assert!(y[2].is_nan());
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kernels {
    path: Path,
}

impl Default for Kernels {
    /// [`Kernels::new`].
    fn default() -> Kernels {
        Kernels::new()
    }
}

impl Kernels {
    /// The kernels on the best path this CPU has ([`Path::detected`]).
    pub fn new() -> Kernels {
        Kernels {
            path: Path::detected(),
        }
    }

    /// The kernels on `path`, or [`KernelError::PathUnavailable`] if the CPU lacks it.
    pub fn with_path(path: Path) -> Result<Kernels, KernelError> {
        if path.is_available() {
            Ok(Kernels { path })
        } else {
            Err(KernelError::PathUnavailable { path })
        }
    }

    /// The path these kernels run on.
    pub fn path(self) -> Path {
        self.path
    }

    /// y = f(x), element by element.
    ///
    /// # Panics
    /// If `x` and `y` differ in length.
    pub fn forward<T: Element>(self, a: Activation, x: &[T], y: &mut [T]) {
        assert_eq!(x.len(), y.len(), "forward: x and y differ in length");
        <T as sealed::Kernel>::forward(self.path, a, x, y)
    }

    /// x ← f(x), element by element.
    pub fn forward_in_place<T: Element>(self, a: Activation, x: &mut [T]) {
        <T as sealed::Kernel>::forward_in_place(self.path, a, x)
    }

    /// dx = dy·f′(x), element by element, the product rounded once (`dx` is overwritten).
    ///
    /// # Panics
    /// If `x`, `dy` and `dx` differ in length.
    pub fn backward<T: Element>(self, a: Activation, x: &[T], dy: &[T], dx: &mut [T]) {
        assert!(
            x.len() == dy.len() && dy.len() == dx.len(),
            "backward: x, dy and dx differ in length ({}, {}, {})",
            x.len(),
            dy.len(),
            dx.len()
        );
        <T as sealed::Kernel>::backward(self.path, a, x, dy, dx)
    }

    /// dx = dy·f′ computed from the output y = f(x) (so the input need not be kept), or
    /// [`KernelError::NoDerivativeFromOutput`] where y does not determine f′
    /// ([`Activation::has_derivative_from_output`]). As exact as y allows: σ′ = y(1 − y) is 0
    /// once y has rounded to 1, where [`backward`](Self::backward) still gives e^{−x}. For `f32`
    /// the product dy·f′(y) is formed in `f64` and rounded once; for `f64`, f′(y) is rounded to
    /// `f64` (double-double algebra on y) before the product.
    ///
    /// # Panics
    /// If `y`, `dy` and `dx` differ in length.
    pub fn backward_from_output<T: Element>(
        self,
        a: Activation,
        y: &[T],
        dy: &[T],
        dx: &mut [T],
    ) -> Result<(), KernelError> {
        assert!(
            y.len() == dy.len() && dy.len() == dx.len(),
            "backward_from_output: y, dy and dx differ in length ({}, {}, {})",
            y.len(),
            dy.len(),
            dx.len()
        );
        if !a.has_derivative_from_output() {
            return Err(KernelError::NoDerivativeFromOutput { function: a.name() });
        }
        <T as sealed::Kernel>::backward_from_output(self.path, a, y, dy, dx);
        Ok(())
    }
}

impl Kernels {
    /// Softmax of each row of `x` (rows of `cols` entries, row-major) into `y`: e^(x_i − m)/S
    /// with m the row maximum and S = Σ e^(x_j − m), each entry rounded once. On the AVX2 and
    /// AVX-512 paths the exponentials are `f32`-lane pairs within ~2⁻²⁶ relative: within 0.624
    /// ULP of the exact value (measured over a million entries), 1.4% of the entries one ULP
    /// from the scalar [`crate::rowwise::softmax`]'s correctly rounded ones. On the others they
    /// are `f64`: within 0.5 ULP plus ~10⁻¹³ relative, the scalar function's values but for rare
    /// near-ties. Rows holding NaN or ±∞ are computed by the scalar function and follow its
    /// rules. Each row is read from memory at most twice: its maximum and S together (online:
    /// the sum is rescaled when the maximum grows), then the output; rows of up to 4096 entries
    /// on AVX2 and AVX-512 take their maximum first and are swept a third time from the cache.
    /// Rows are split over threads like the element-wise kernels, with the same bits.
    ///
    /// # Errors
    /// [`RowError::ZeroCols`], [`RowError::NotWholeRows`], or [`RowError::LengthMismatch`] for
    /// `y`; nothing is written then.
    ///
    /// ```
    /// use act::kernels::Kernels;
    /// let mut p = [0.0f32; 4];
    /// Kernels::new().softmax(&[0.0, 0.0, 1e30, 0.0], &mut p, 2)?; // (rows, cols) = (2, 2)
    /// assert_eq!(p, [0.5, 0.5, 1.0, 0.0]);
    /// # Ok::<(), act::rowwise::RowError>(())
    /// ```
    pub fn softmax(self, x: &[f32], y: &mut [f32], cols: usize) -> Result<(), RowError> {
        self.rows(x, y, cols, false)
    }

    /// log_softmax of each row: (x_i − m) − ln S, with ln S = log1p(S − 1) formed so that it
    /// keeps its relative precision when S is barely above 1; otherwise as
    /// [`softmax`](Self::softmax). Both terms are ≤ 0, so S to ~2⁻²⁶ (the `f32`-lane paths)
    /// still leaves each entry within 0.5 ULP plus ~2⁻²⁶ relative (0.500 ULP measured).
    ///
    /// # Errors
    /// As [`softmax`](Self::softmax).
    ///
    /// ```
    /// use act::kernels::Kernels;
    /// let mut logp = [0.0f32; 2];
    /// Kernels::new().log_softmax(&[0.0, -1000.0], &mut logp, 2)?;
    /// assert_eq!(logp, [0.0, -1000.0]);
    /// # Ok::<(), act::rowwise::RowError>(())
    /// ```
    pub fn log_softmax(self, x: &[f32], y: &mut [f32], cols: usize) -> Result<(), RowError> {
        self.rows(x, y, cols, true)
    }

    /// logsumexp of each row of `x` (rows of `cols`) into `out`, one value per row: m + ln S,
    /// S summed in `f64` lanes on every path (m + ln S cancels where m ≈ −ln S) and rounded once (within 0.5 ULP plus ~10⁻¹³
    /// relative of the larger of |m| and ln S, the scalar [`crate::rowwise::logsumexp_rows`]'s
    /// bound; its values but for rare near-ties). One sweep over each row. Rows holding NaN or
    /// ±∞ follow the scalar function's rules (+∞ anywhere gives +∞, a row of −∞ gives −∞, NaN
    /// gives NaN).
    ///
    /// # Errors
    /// [`RowError::ZeroCols`], [`RowError::NotWholeRows`], or [`RowError::LengthMismatch`] for
    /// `out` (one entry per row); nothing is written then.
    ///
    /// ```
    /// use act::kernels::Kernels;
    /// let mut lse = [0.0f32; 2];
    /// Kernels::new().logsumexp_rows(&[0.0, 0.0, 1e30, -1e30], 2, &mut lse)?;
    /// assert_eq!(lse, [core::f32::consts::LN_2, 1e30]);
    /// # Ok::<(), act::rowwise::RowError>(())
    /// ```
    pub fn logsumexp_rows(self, x: &[f32], cols: usize, out: &mut [f32]) -> Result<(), RowError> {
        let rows = crate::rowwise::whole_rows(x.len(), cols)?;
        crate::rowwise::check_len("out", rows, out.len())?;
        let path = self.path;
        #[cfg(feature = "rayon")]
        if x.len() >= PARALLEL_THRESHOLD && rayon::current_num_threads() > 1 {
            use rayon::prelude::*;
            let rows_per_chunk = CHUNKS.0.div_ceil(cols).max(1);
            x.par_chunks(rows_per_chunk.saturating_mul(cols))
                .zip(out.par_chunks_mut(rows_per_chunk))
                .for_each(|(x, out)| dispatch::logsumexp_rows(path, x, cols, out));
            return Ok(());
        }
        dispatch::logsumexp_rows(path, x, cols, out);
        Ok(())
    }

    /// The backward pass of softmax from its output, row by row: dx = y ⊙ (dy − ⟨dy, y⟩), the
    /// kernel form of [`crate::rowwise::softmax_backward_from_output`] (same arguments, same
    /// rules for rows holding NaN or ±∞, which it computes). ⟨dy, y⟩ is summed in `f64` lanes
    /// (each product exact) in a fixed order, and each dx_i = y_i·(dy_i − ⟨dy, y⟩) formed in
    /// `f64` and rounded once: within 0.5 ULP plus ~10⁻¹³·|y_i|·Σ_j|y_j·dy_j| of the exact
    /// value (the scalar function sums in double-double, so the two differ by 1 ULP at most,
    /// and only at near-ties or where dy_i − ⟨dy, y⟩ cancels to below ~10⁻⁵ of its terms).
    /// Each row is read twice; rows are split over threads with the same bits.
    ///
    /// # Errors
    /// [`RowError::ZeroCols`], [`RowError::NotWholeRows`] for `y`, [`RowError::LengthMismatch`]
    /// for `dy` or `dx`; nothing is written then.
    ///
    /// ```
    /// use act::kernels::Kernels;
    /// // y = (1/2, 1/2): dx = (½(1 − ½), ½(0 − ½)).
    /// let mut dx = [0.0f32; 2];
    /// Kernels::new().softmax_backward_from_output(&[0.5, 0.5], &[1.0, 0.0], &mut dx, 2)?;
    /// assert_eq!(dx, [0.25, -0.25]);
    /// # Ok::<(), act::rowwise::RowError>(())
    /// ```
    pub fn softmax_backward_from_output(
        self,
        y: &[f32],
        dy: &[f32],
        dx: &mut [f32],
        cols: usize,
    ) -> Result<(), RowError> {
        self.rows_backward(y, dy, dx, cols, false)
    }

    /// The backward pass of log_softmax from its output, row by row: dx = dy − e^(y)·Σ_j dy_j,
    /// the kernel form of [`crate::rowwise::log_softmax_backward_from_output`] (same arguments
    /// and rules; rows holding NaN or ±∞, or an output above 0, are computed by it). Σ dy is
    /// summed in `f64` lanes in a fixed order, e^(y_i) by the kernels' `f64` exp, and each dx_i
    /// formed in `f64` and rounded once: within 0.5 ULP plus ~10⁻¹³·(|dy_i| +
    /// e^(y_i)·Σ_j|dy_j|). Each row is read twice; rows are split over threads with the same
    /// bits.
    ///
    /// # Errors
    /// As [`softmax_backward_from_output`](Self::softmax_backward_from_output).
    ///
    /// ```
    /// use act::kernels::Kernels;
    /// // y = ln(1/2, 1/2), dy = (1, 0): dx = dy − ½·1.
    /// let half = 0.5f32.ln();
    /// let mut dx = [0.0f32; 2];
    /// Kernels::new().log_softmax_backward_from_output(&[half, half], &[1.0, 0.0], &mut dx, 2)?;
    /// assert_eq!(dx, [0.5, -0.5]);
    /// # Ok::<(), act::rowwise::RowError>(())
    /// ```
    pub fn log_softmax_backward_from_output(
        self,
        y: &[f32],
        dy: &[f32],
        dx: &mut [f32],
        cols: usize,
    ) -> Result<(), RowError> {
        self.rows_backward(y, dy, dx, cols, true)
    }

    /// Softmax cross-entropy of each row of logits against its target, fused: the kernel form
    /// of [`crate::rowwise::softmax_cross_entropy`] (same arguments, targets, conventions and
    /// errors): returns the SUM of the per-row losses and writes ∂(sum)/∂logits = p·Σt − t into
    /// `grad` when given. Two sweeps per row (the online maximum and S, then the gradient and,
    /// for probability targets, the loss). Per-row losses are formed in `f64` ((m − z_c) + ln S,
    /// or Σ t_i·(m − z_i) + Σt·ln S: nonnegative terms) and summed in double-double, the total
    /// rounded once; the gradient of the class entry is −(S − e_c)/S with S − e_c formed without
    /// cancellation, so all are within 0.5 ULP plus ~10⁻¹³ relative (for class targets on the
    /// AVX2 and AVX-512 paths, whose exponentials are `f32`-lane pairs: ~2⁻²⁶ relative, as in
    /// [`softmax`](Self::softmax)). Probability-target gradients, which cancel where p_i ≈ t_i,
    /// take S in `f64` lanes on every path: within ~10⁻¹³·(p_i·Σt + t_i) absolute. Rows holding NaN or ±∞ (or
    /// non-finite weights) are computed by the scalar code, unrounded. Runs on the calling
    /// thread.
    ///
    /// # Errors
    /// As [`crate::rowwise::softmax_cross_entropy`]; nothing is written then.
    ///
    /// ```
    /// use act::kernels::Kernels;
    /// use act::rowwise::Target;
    /// // Uniform logits over 4 classes: loss ln 4, grad 1/4 − 1 on the target.
    /// let mut grad = [0.0f32; 4];
    /// let loss =
    ///     Kernels::new().softmax_cross_entropy(&[0.0; 4], Target::Class(&[1]), 4, Some(&mut grad))?;
    /// assert_eq!(loss, 4f32.ln());
    /// assert_eq!(grad, [0.25, -0.75, 0.25, 0.25]);
    /// # Ok::<(), act::rowwise::RowError>(())
    /// ```
    pub fn softmax_cross_entropy(
        self,
        logits: &[f32],
        targets: Target<'_, f32>,
        cols: usize,
        grad: Option<&mut [f32]>,
    ) -> Result<f32, RowError> {
        self.cross_entropy(logits, targets, cols, grad, false)
    }

    /// [`softmax_cross_entropy`](Self::softmax_cross_entropy) averaged over rows: the MEAN loss
    /// and the gradient of the mean, (p·Σt − t)/rows (the kernel form of
    /// [`crate::rowwise::softmax_cross_entropy_mean`]). No rows give a NaN loss.
    ///
    /// # Errors
    /// As [`crate::rowwise::softmax_cross_entropy`].
    ///
    /// ```
    /// use act::kernels::Kernels;
    /// use act::rowwise::Target;
    /// let t = [0.5f32, 0.5, 1.0, 0.0];
    /// let loss = Kernels::new().softmax_cross_entropy_mean(&[0.0; 4], Target::Probs(&t), 2, None)?;
    /// assert_eq!(loss, core::f32::consts::LN_2);
    /// # Ok::<(), act::rowwise::RowError>(())
    /// ```
    pub fn softmax_cross_entropy_mean(
        self,
        logits: &[f32],
        targets: Target<'_, f32>,
        cols: usize,
        grad: Option<&mut [f32]>,
    ) -> Result<f32, RowError> {
        self.cross_entropy(logits, targets, cols, grad, true)
    }

    fn cross_entropy(
        self,
        logits: &[f32],
        targets: Target<'_, f32>,
        cols: usize,
        grad: Option<&mut [f32]>,
        mean: bool,
    ) -> Result<f32, RowError> {
        let grad_len = grad.as_deref().map(<[f32]>::len);
        let (rows, grad_scale) =
            crate::rowwise::check_cross_entropy(logits.len(), targets, cols, grad_len, mean)?;
        let mut total = Total::default();
        dispatch::cross_entropy(
            self.path, logits, targets, cols, grad, grad_scale, &mut total,
        );
        Ok(total.round(mean.then_some(rows)))
    }

    fn rows_backward(
        self,
        y: &[f32],
        dy: &[f32],
        dx: &mut [f32],
        cols: usize,
        log: bool,
    ) -> Result<(), RowError> {
        crate::rowwise::whole_rows(y.len(), cols)?;
        crate::rowwise::check_len("dy", y.len(), dy.len())?;
        crate::rowwise::check_len("dx", y.len(), dx.len())?;
        let path = self.path;
        // Whole rows per task, at least CHUNK_F32 entries.
        let rows_per_chunk = CHUNKS.0.div_ceil(cols).max(1);
        split3(
            y,
            dy,
            dx,
            PARALLEL_THRESHOLD,
            rows_per_chunk.saturating_mul(cols),
            |y, dy, dx| {
                if log {
                    dispatch::log_softmax_backward(path, y, dy, dx, cols)
                } else {
                    dispatch::softmax_backward(path, y, dy, dx, cols)
                }
            },
        );
        Ok(())
    }

    fn rows(self, x: &[f32], y: &mut [f32], cols: usize, log: bool) -> Result<(), RowError> {
        crate::rowwise::whole_rows(x.len(), cols)?;
        crate::rowwise::check_len("out", x.len(), y.len())?;
        let path = self.path;
        // Whole rows per task, at least CHUNK_F32 entries.
        let rows_per_chunk = CHUNKS.0.div_ceil(cols).max(1);
        split2(
            x,
            y,
            PARALLEL_THRESHOLD,
            rows_per_chunk.saturating_mul(cols),
            |x, y| dispatch::rows(path, x, y, cols, log),
        );
        Ok(())
    }
}

/// y = f(x) on the detected path ([`Kernels::forward`]).
///
/// # Panics
/// If `x` and `y` differ in length.
pub fn forward<T: Element>(a: Activation, x: &[T], y: &mut [T]) {
    Kernels::new().forward(a, x, y)
}

/// The mean softmax cross-entropy over rows and its gradient, for either element type: `f32`
/// runs the fused kernel ([`Kernels::softmax_cross_entropy_mean`]) on the best path, `f64` the
/// exact row-wise function ([`crate::rowwise::softmax_cross_entropy_mean`]), with the same
/// arguments, conventions and errors.
///
/// # Errors
/// As [`crate::rowwise::softmax_cross_entropy_mean`]; nothing is written then.
pub fn softmax_cross_entropy_mean<T: Element>(
    logits: &[T],
    targets: Target<'_, T>,
    cols: usize,
    grad: Option<&mut [T]>,
) -> Result<T, RowError> {
    T::softmax_cross_entropy_mean(Path::detected(), logits, targets, cols, grad)
}

/// x ← f(x) on the detected path ([`Kernels::forward_in_place`]).
pub fn forward_in_place<T: Element>(a: Activation, x: &mut [T]) {
    Kernels::new().forward_in_place(a, x)
}

/// dx = dy·f′(x) on the detected path ([`Kernels::backward`]).
///
/// # Panics
/// If `x`, `dy` and `dx` differ in length.
pub fn backward<T: Element>(a: Activation, x: &[T], dy: &[T], dx: &mut [T]) {
    Kernels::new().backward(a, x, dy, dx)
}

/// dx = dy·f′ from the output y on the detected path ([`Kernels::backward_from_output`]).
///
/// # Panics
/// If `y`, `dy` and `dx` differ in length.
pub fn backward_from_output<T: Element>(
    a: Activation,
    y: &[T],
    dy: &[T],
    dx: &mut [T],
) -> Result<(), KernelError> {
    Kernels::new().backward_from_output(a, y, dy, dx)
}
