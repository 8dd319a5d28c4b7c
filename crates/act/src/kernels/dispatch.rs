//! Runtime dispatch: from a [`Path`] to the kernels compiled for it.
//!
//! Each `unsafe` call enters a function compiled with `#[target_feature]`; the match guard right
//! before it checks, at run time, that the CPU has those instructions (the check is a cached
//! atomic load). [`Kernels`](super::Kernels) never hands an unavailable path down, so the last
//! arm is unreachable through the public API.

use super::Path;
#[cfg(target_arch = "aarch64")]
use super::neon;
use super::portable;
#[cfg(target_arch = "x86_64")]
use super::x86;
use crate::Activation;
use crate::dd::DD;
use crate::rowwise::{Target, Total};

macro_rules! dispatch {
    ($path:expr, $name:ident($($arg:expr),*)) => {
        match $path {
            #[cfg(target_arch = "x86_64")]
            Path::Avx512 if x86::has_avx512() => {
                // SAFETY: the CPU has AVX-512F, AVX2 and FMA (the guard above).
                unsafe { x86::avx512::$name($($arg),*) }
            }
            #[cfg(target_arch = "x86_64")]
            Path::Avx2 if x86::has_avx2() => {
                // SAFETY: the CPU has AVX2 and FMA (the guard above).
                unsafe { x86::avx2::$name($($arg),*) }
            }
            #[cfg(target_arch = "aarch64")]
            Path::Neon if neon::has_neon() => {
                // SAFETY: the CPU has NEON (the guard above).
                unsafe { neon::kernels::$name($($arg),*) }
            }
            Path::Portable => portable::kernels::$name($($arg),*),
            other => unreachable!("the {other} path is not available on this CPU"),
        }
    };
}

/// y = f(x) on `path`.
pub(super) fn forward(path: Path, a: Activation, x: &[f32], y: &mut [f32]) {
    dispatch!(path, forward(a, x, y))
}

/// x ← f(x) on `path`.
pub(super) fn forward_in_place(path: Path, a: Activation, x: &mut [f32]) {
    dispatch!(path, forward_in_place(a, x))
}

/// dx = dy·f′(x) on `path`.
pub(super) fn backward(path: Path, a: Activation, x: &[f32], dy: &[f32], dx: &mut [f32]) {
    dispatch!(path, backward(a, x, dy, dx))
}

/// dx = dy·f′ from y on `path`.
pub(super) fn backward_from_output(
    path: Path,
    a: Activation,
    y: &[f32],
    dy: &[f32],
    dx: &mut [f32],
) {
    dispatch!(path, backward_from_output(a, y, dy, dx))
}

/// Softmax or log_softmax of rows of `cols` on `path`.
pub(super) fn rows(path: Path, x: &[f32], y: &mut [f32], cols: usize, log: bool) {
    dispatch!(path, rows(x, y, cols, log))
}

/// logsumexp of rows of `cols` on `path`.
pub(super) fn logsumexp_rows(path: Path, x: &[f32], cols: usize, out: &mut [f32]) {
    dispatch!(path, logsumexp_rows(x, cols, out))
}

/// Softmax backward from the output, rows of `cols`, on `path`.
pub(super) fn softmax_backward(path: Path, y: &[f32], dy: &[f32], dx: &mut [f32], cols: usize) {
    dispatch!(path, softmax_backward(y, dy, dx, cols))
}

/// log_softmax backward from the output, rows of `cols`, on `path`.
pub(super) fn log_softmax_backward(path: Path, y: &[f32], dy: &[f32], dx: &mut [f32], cols: usize) {
    dispatch!(path, log_softmax_backward(y, dy, dx, cols))
}

/// The fused softmax cross-entropy, rows of `cols`, on `path` (the losses added to `total`).
pub(super) fn cross_entropy(
    path: Path,
    logits: &[f32],
    targets: Target<'_, f32>,
    cols: usize,
    grad: Option<&mut [f32]>,
    grad_scale: DD,
    total: &mut Total,
) {
    dispatch!(
        path,
        cross_entropy(logits, targets, cols, grad, grad_scale, total)
    )
}

/// Whether the CPU has the instructions of `path`.
pub(super) fn is_available(path: Path) -> bool {
    match path {
        Path::Portable => true,
        #[cfg(target_arch = "x86_64")]
        Path::Avx2 => x86::has_avx2(),
        #[cfg(target_arch = "x86_64")]
        Path::Avx512 => x86::has_avx512(),
        #[cfg(target_arch = "aarch64")]
        Path::Neon => neon::has_neon(),
        #[allow(unreachable_patterns)]
        _ => false,
    }
}
