//! The engine's one matrix product, C = [C +] A·B on strided views, through the `gemm` crate.
//!
//! `gemm` 0.19 was chosen by benchmark on this project's machine against `matrixmultiply` 0.3 and
//! `faer` 0.24, on the exact products a dense layer issues (`benches/gemm.rs`; the table, the
//! command and the reasoning are in `docs/PERFORMANCE.md`, "GEMM choice"):
//! - fastest or tied on one thread on the MNIST-shaped layers, in f32 and f64;
//! - its rayon mode splits the output into blocks, never a sum, so 1, 2, 4 and 8 threads give the
//!   same bits (checked by the bench on every shape), and it stays on one thread below
//!   48·48·256 multiply-adds, where a second one would not pay;
//! - `faer` is faster on the tiny products taken alone, but leaves the CPU in a state that makes
//!   the scalar `exp` of the sigmoid or tanh that follows up to 15 times slower (a 20-layer sigmoid
//!   network's forward pass: 11 ms with it, 0.9 ms with `gemm`).
//!
//! Every `unsafe` of the engine is here: the views are checked to lie inside their slices before
//! the raw-pointer call.

use crate::Scalar;

/// A read-only strided view of a (rows × cols) matrix inside a slice: entry (i, j) is
/// `data[i·row_stride + j·col_stride]`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct View<'a, T> {
    data: &'a [T],
    rows: usize,
    cols: usize,
    row_stride: usize,
    col_stride: usize,
}

impl<'a, T> View<'a, T> {
    /// The row-major (rows × cols) matrix at the start of `data`.
    ///
    /// # Panics
    ///
    /// If `data` holds fewer than rows·cols entries.
    pub(crate) fn row_major(data: &'a [T], rows: usize, cols: usize) -> View<'a, T> {
        assert!(
            data.len() >= rows * cols,
            "a ({rows} × {cols}) view needs {} entries, the slice has {}",
            rows * cols,
            data.len()
        );
        View {
            data,
            rows,
            cols,
            row_stride: cols,
            col_stride: 1,
        }
    }

    /// The transpose, (cols × rows), reading the same entries (no copy).
    pub(crate) fn t(self) -> View<'a, T> {
        View {
            data: self.data,
            rows: self.cols,
            cols: self.rows,
            row_stride: self.col_stride,
            col_stride: self.row_stride,
        }
    }
}

/// How many threads a product may use: 1 runs on the calling thread, more split the output
/// over rayon's global pool (same bits either way; see the module docs).
#[inline]
fn parallelism(threads: usize) -> gemm::Parallelism {
    if threads <= 1 {
        gemm::Parallelism::None
    } else {
        gemm::Parallelism::Rayon(threads)
    }
}

/// C (m × n, row-major, the first m·n entries of `dst`) = A·B, or C += A·B when `accumulate`.
///
/// # Panics
///
/// If the inner dimensions differ, if A or B has the wrong outer shape for C, or if `dst` is
/// shorter than m·n.
pub(crate) fn matmul<T: Scalar>(
    dst: &mut [T],
    lhs: View<'_, T>,
    rhs: View<'_, T>,
    accumulate: bool,
    threads: usize,
) {
    let (m, k, n) = (lhs.rows, lhs.cols, rhs.cols);
    assert_eq!(
        rhs.rows, k,
        "inner dimensions differ: ({m} × {k})·({} × {n})",
        rhs.rows
    );
    assert!(
        dst.len() >= m * n,
        "dst holds {} < {m}·{n} entries",
        dst.len()
    );
    if m == 0 || n == 0 {
        return;
    }
    let dst = &mut dst[..m * n]; // (m, n)
    if k == 0 {
        // An empty sum: C = 0, or C unchanged.
        if !accumulate {
            dst.fill(T::zero());
        }
        return;
    }
    // The last entry each view reads must lie in its slice: this is what makes the call sound.
    for view in [&lhs, &rhs] {
        let last = (view.rows - 1) * view.row_stride + (view.cols - 1) * view.col_stride;
        assert!(
            last < view.data.len(),
            "a strided view reaches past its slice"
        );
    }
    // gemm's convention: dst := alpha·dst + beta·(lhs·rhs), alpha read only when read_dst.
    // SAFETY: the three views lie inside their slices (checked above); dst is a unique borrow,
    // so it aliases neither operand; T is f32 or f64, both of which gemm supports.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            n as isize,
            accumulate,
            lhs.data.as_ptr(),
            lhs.col_stride as isize,
            lhs.row_stride as isize,
            rhs.data.as_ptr(),
            rhs.col_stride as isize,
            rhs.row_stride as isize,
            T::one(),
            T::one(),
            false,
            false,
            false,
            parallelism(threads),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The naive triple loop, in f64: the reference every shape is compared with.
    fn naive(lhs: View<'_, f64>, rhs: View<'_, f64>) -> Vec<f64> {
        let mut c = vec![0.0; lhs.rows * rhs.cols];
        for i in 0..lhs.rows {
            for j in 0..rhs.cols {
                c[i * rhs.cols + j] = (0..lhs.cols)
                    .map(|p| {
                        lhs.data[i * lhs.row_stride + p * lhs.col_stride]
                            * rhs.data[p * rhs.row_stride + j * rhs.col_stride]
                    })
                    .sum();
            }
        }
        c
    }

    fn filled(len: usize, seed: u64) -> Vec<f64> {
        // Small integers: every product and sum below is exact, so results compare with ==.
        (0..len as u64)
            .map(|i| ((i * 7 + seed * 13) % 11) as f64 - 5.0)
            .collect()
    }

    #[test]
    fn matches_the_naive_product_on_every_layout() {
        // The last two are past gemm's threading threshold.
        for (m, k, n) in [
            (1, 1, 1),
            (3, 5, 2),
            (10, 2, 8),
            (17, 33, 9),
            (64, 64, 64),
            (128, 48, 100),
            (97, 130, 61),
        ] {
            let a = filled(m * k, 1);
            let b = filled(k * n, 2);
            // A·B, A·(Bᵀ)ᵀ, (Aᵀ)ᵀ·B: the three layouts a dense layer uses.
            let a_t: Vec<f64> = (0..k * m).map(|i| a[(i % m) * k + i / m]).collect(); // (k, m)
            let b_t: Vec<f64> = (0..n * k).map(|i| b[(i % k) * n + i / k]).collect(); // (n, k)
            let expected = naive(View::row_major(&a, m, k), View::row_major(&b, k, n));
            let layouts = [
                (View::row_major(&a, m, k), View::row_major(&b, k, n)),
                (View::row_major(&a, m, k), View::row_major(&b_t, n, k).t()),
                (View::row_major(&a_t, k, m).t(), View::row_major(&b, k, n)),
            ];
            for (lhs, rhs) in layouts {
                let mut c = vec![f64::NAN; m * n];
                matmul(&mut c, lhs, rhs, false, 1);
                assert_eq!(c, expected, "({m} × {k})·({k} × {n})");
                // Accumulating adds the product once more.
                matmul(&mut c, lhs, rhs, true, 2);
                let twice: Vec<f64> = expected.iter().map(|x| 2.0 * x).collect();
                assert_eq!(c, twice);
            }
        }
    }

    #[test]
    fn one_and_two_threads_give_the_same_bits() {
        // Past 48·48·256 multiply-adds, where gemm splits the output over threads.
        let (m, k, n) = (128, 256, 200);
        let a: Vec<f32> = (0..m * k)
            .map(|i| ((i * 2654435761) % 1000) as f32 / 997.0 - 0.5)
            .collect();
        let b: Vec<f32> = (0..k * n)
            .map(|i| ((i * 40503) % 1000) as f32 / 991.0 - 0.5)
            .collect();
        let run = |threads| {
            let mut c = vec![0.0f32; m * n];
            matmul(
                &mut c,
                View::row_major(&a, m, k),
                View::row_major(&b, k, n),
                false,
                threads,
            );
            c.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        };
        assert_eq!(run(1), run(2));
    }

    #[test]
    fn empty_inner_dimension_gives_zero_or_leaves_c() {
        let mut c = vec![7.0f32; 6];
        matmul(
            &mut c,
            View::row_major(&[], 2, 0),
            View::row_major(&[], 0, 3),
            true,
            1,
        );
        assert_eq!(c, [7.0; 6]);
        matmul(
            &mut c,
            View::row_major(&[], 2, 0),
            View::row_major(&[], 0, 3),
            false,
            1,
        );
        assert_eq!(c, [0.0; 6]);
    }

    #[test]
    #[should_panic(expected = "inner dimensions differ")]
    fn mismatched_shapes_panic() {
        let mut c = vec![0.0f64; 4];
        matmul(
            &mut c,
            View::row_major(&[1.0; 6], 2, 3),
            View::row_major(&[1.0; 4], 2, 2),
            false,
            1,
        );
    }
}
