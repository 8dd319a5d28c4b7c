//! The engine's one matrix product, C = [C +] A·B on strided views, through the `gemm` crate.
//!
//! `gemm` 0.19 was chosen by benchmark on this project's machine against `matrixmultiply` 0.3 and
//! `faer` 0.24, on the exact products a dense layer issues (`benches/gemm.rs`; the table, the
//! command and the reasoning are in `docs/PERFORMANCE.md`, "GEMM choice"):
//! - fastest or tied on one thread on the MNIST-shaped layers, in f32 and f64;
//! - every call gives the same bits whether the output is computed whole or in pieces of rows
//!   (within the limits of [`pieces`]), which is how the engine uses more threads: a large
//!   product is split into one piece of rows per thread, one fork-join per product (`gemm`'s own
//!   rayon mode forks twice per 512-deep block and on this machine gains less; small products
//!   stay on one thread);
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

/// Below this many multiply-adds (m·n·k) a product runs on the calling thread whatever the
/// thread count: a fork-join costs tens of microseconds on a shared machine, as much as a
/// 64·64·64 product (6–7 µs) several times over, and only the MNIST-sized layers (the 784 → 256
/// and 256 → 256 products at batch 128: 8–26 million multiply-adds, 0.2–0.6 ms) gain from a
/// second thread.
const SPLIT_WORK: usize = 1 << 22;

/// Whether a product of `work` multiply-adds is large enough to be worth more than one thread
/// (see [`SPLIT_WORK`]).
pub(crate) fn splits(work: usize) -> bool {
    work >= SPLIT_WORK
}

/// Fewest rows of C in one piece of a split product.
const MIN_PIECE_ROWS: usize = 32;

/// Into how many pieces of rows a product C (m × n) = A (m × k)·B (k × n) is split over
/// `threads` threads: 1 (not split) below `split_work` multiply-adds, otherwise as many as there are threads,
/// within the limits below.
///
/// A piece is the same `gemm` call on fewer rows of A and C, so it computes each entry of C in
/// the same order as the whole product does (same bits, whatever the thread count) as long as
/// the piece and the whole take the same path through `gemm` 0.19 (`gemm-common`'s
/// `gemm_basic_generic`): every piece has more than 256 entries and at least 2 rows and
/// columns (the whole then too), so neither takes the 16·16 "horizontal" or the matrix-vector
/// path; k > 2 (not the outer-product path); and the depth blocking kc is the same: `gemm`
/// takes kc = min(k, 512) when m ≤ 64 and n ≤ 64 and a cache-derived kc that depends on k alone
/// otherwise, and the two agree for k ≤ 512, so for k > 512 with n ≤ 64 a piece keeps more than
/// 64 rows. Within a path, tiles only partition the output; each entry's sum runs over k in the
/// same order. `tests::split_products_give_the_same_bits` checks the rule on the shapes around
/// each of these limits.
fn pieces(m: usize, n: usize, k: usize, threads: usize, split_work: usize) -> usize {
    if threads <= 1 || m.saturating_mul(n).saturating_mul(k) < split_work || k <= 2 || n < 2 {
        return 1;
    }
    threads.min(m / min_piece_rows(n, k)).max(1)
}

/// Fewest rows a piece of a split (· × k)·(k × n) product may have (see [`pieces`]).
fn min_piece_rows(n: usize, k: usize) -> usize {
    if k > 512 && n <= 64 {
        MIN_PIECE_ROWS.max(65)
    } else {
        MIN_PIECE_ROWS.max(256 / n + 1)
    }
}

/// C (m × n, row-major, the first m·n entries of `dst`) = A·B, or C += A·B when `accumulate`,
/// on up to `threads` threads: large products are split into pieces of rows of C (or of its
/// columns, where `gemm` packs B but not A), one per thread, over the current rayon pool; the
/// bits are the same on any number of threads (see [`pieces`]).
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
    split_over_threads(dst, lhs, rhs, accumulate, threads, SPLIT_WORK);
}

/// [`matmul`] past its checks (k ≥ 1, `dst` exactly m·n), splitting products of at least
/// `split_work` multiply-adds (a parameter so the tests can split small products).
fn split_over_threads<T: Scalar>(
    dst: &mut [T],
    lhs: View<'_, T>,
    rhs: View<'_, T>,
    accumulate: bool,
    threads: usize,
    split_work: usize,
) {
    let (m, k, n) = (lhs.rows, lhs.cols, rhs.cols);
    // Split C's columns, not its rows, when `gemm` packs B and not A (B read across its rows,
    // as Wᵀ in a layer's forward product; A row-major): each piece then packs only its own
    // columns of B, where pieces of rows would each pack all of it (timed in
    // `split_product_timing`).
    if rhs.col_stride != 1 && lhs.col_stride == 1 {
        let pieces = pieces(n, m, k, threads, split_work);
        if pieces > 1 {
            // gemm sees C transposed: its 16-row panels run along C's columns.
            let cols = piece_size(n, pieces, 16, min_piece_rows(m, k));
            split_columns(dst, lhs, rhs, accumulate, cols, pieces);
            return;
        }
    }
    let pieces = pieces(m, n, k, threads, split_work);
    if pieces == 1 {
        gemm_call(dst, lhs, rhs, accumulate);
        return;
    }
    let rows = piece_size(m, pieces, 8, min_piece_rows(n, k));
    split(dst, lhs, rhs, accumulate, rows, pieces);
}

/// The size of each piece but the last when `total` rows (or columns) are cut into `pieces`: a
/// whole multiple of `align` where that keeps a piece at least `min` (whole SIMD panels), else
/// an even share; the last piece takes the remainder, so it is never smaller.
fn piece_size(total: usize, pieces: usize, align: usize, min: usize) -> usize {
    let size = total / pieces;
    if size / align * align >= min {
        size / align * align
    } else {
        size
    }
}

/// Computes C = [C +] A·B as `pieces` pieces of `rows` rows of C (the last takes the rest), in
/// parallel by nested `rayon::join`s.
fn split<T: Scalar>(
    dst: &mut [T],
    lhs: View<'_, T>,
    rhs: View<'_, T>,
    accumulate: bool,
    rows: usize,
    pieces: usize,
) {
    if pieces <= 1 {
        gemm_call(dst, lhs, rhs, accumulate);
        return;
    }
    let n = rhs.cols;
    let (head, tail) = dst.split_at_mut(rows * n); // (rows, n), (m − rows, n)
    let top = View { rows, ..lhs }; // (rows, k)
    let rest = View {
        data: &lhs.data[rows * lhs.row_stride..],
        rows: lhs.rows - rows,
        ..lhs
    }; // (m − rows, k)
    rayon::join(
        || gemm_call(head, top, rhs, accumulate),
        || split(tail, rest, rhs, accumulate, rows, pieces - 1),
    );
}

/// C (row-major m × n, the whole of `dst`) = [C +] A·B as `pieces` pieces of `cols` columns of C
/// (the last takes the rest), in parallel by nested `rayon::join`s.
///
/// A piece is the product of A with a block of B's columns into the same block of C's columns:
/// the same call with n' = `cols` instead of n, which `gemm` sums in the same order as the whole
/// as long as it takes the same path ([`pieces`] with the roles of m and n exchanged: `gemm`
/// sees a row-major C transposed, so its limits on m and n swap).
fn split_columns<T: Scalar>(
    dst: &mut [T],
    lhs: View<'_, T>,
    rhs: View<'_, T>,
    accumulate: bool,
    cols: usize,
    pieces: usize,
) {
    let (m, n) = (lhs.rows, rhs.cols);
    assert_eq!(dst.len(), m * n, "dst is not (m × n)");
    columns(Columns::of(dst, n), 0, lhs, rhs, accumulate, cols, pieces);
}

/// C's first entry and row stride, shared by the pieces of [`split_columns`], each of which
/// writes its own columns only. Made from a `&mut [T]` that stays borrowed while they run.
struct Columns<'a, T> {
    ptr: *mut T,
    len: usize,
    row_stride: usize,
    _dst: core::marker::PhantomData<&'a mut [T]>,
}

impl<'a, T> Columns<'a, T> {
    /// The row-major C in `dst`, rows `row_stride` apart, borrowed for `'a`.
    fn of(dst: &'a mut [T], row_stride: usize) -> Columns<'a, T> {
        Columns {
            ptr: dst.as_mut_ptr(),
            len: dst.len(),
            row_stride,
            _dst: core::marker::PhantomData,
        }
    }
}

impl<T> Clone for Columns<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Columns<'_, T> {}
// SAFETY: the pieces given a `Columns` write disjoint sets of entries of one slice (distinct
// columns), each once, and the slice is borrowed mutably by `split_columns` until every piece
// has returned; T itself is sent between threads only as values in that slice.
unsafe impl<T: Send> Send for Columns<'_, T> {}
// SAFETY: as above; a shared `Columns` gives no access by itself.
unsafe impl<T: Send> Sync for Columns<'_, T> {}

/// The pieces of [`split_columns`] from column `first` on: C[:, first..first + w] = [C +] A·B[:,
/// the same columns], w = `cols` (the last piece takes the rest of rhs).
fn columns<T: Scalar>(
    out: Columns<'_, T>,
    first: usize,
    lhs: View<'_, T>,
    rhs: View<'_, T>,
    accumulate: bool,
    cols: usize,
    pieces: usize,
) {
    if pieces <= 1 {
        gemm_call_block(out, first, lhs, rhs, accumulate);
        return;
    }
    let head = View { cols, ..rhs };
    let rest = View {
        data: &rhs.data[cols * rhs.col_stride..],
        cols: rhs.cols - cols,
        ..rhs
    };
    rayon::join(
        || gemm_call_block(out, first, lhs, head, accumulate),
        || columns(out, first + cols, lhs, rest, accumulate, cols, pieces - 1),
    );
}

/// One `gemm` call on the calling thread into the columns `first..first + rhs.cols` of the C
/// that `out` points into: C[:, those] = [C +] A·B (all of C with `first` = 0 and
/// `rhs.cols` = its row stride).
fn gemm_call_block<T: Scalar>(
    out: Columns<'_, T>,
    first: usize,
    lhs: View<'_, T>,
    rhs: View<'_, T>,
    accumulate: bool,
) {
    let (m, k, n) = (lhs.rows, lhs.cols, rhs.cols);
    assert!(rhs.rows == k && m > 0 && n > 0 && k > 0);
    assert!(
        first + n <= out.row_stride && m * out.row_stride <= out.len,
        "a block of columns reaches past C"
    );
    for view in [&lhs, &rhs] {
        let last = (view.rows - 1) * view.row_stride + (view.cols - 1) * view.col_stride;
        assert!(
            last < view.data.len(),
            "a strided view reaches past its slice"
        );
    }
    // gemm's convention: dst := alpha·dst + beta·(lhs·rhs), alpha read only when read_dst.
    // SAFETY: `out.ptr` points to a slice of `out.len` ≥ m·row_stride entries borrowed mutably
    // for as long as this call runs (the `Columns` lifetime), and this call alone writes its
    // entries (i, first + j), i < m, j < n, at i·row_stride + first + j < m·row_stride (first + n
    // ≤ row_stride, checked above); the views lie inside their slices (checked above) and do
    // not alias C (shared borrows of other slices). T is f32 or f64, both of which gemm
    // supports.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            out.ptr.add(first),
            1,
            out.row_stride as isize,
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
            gemm::Parallelism::None,
        );
    }
}

/// One `gemm` call on the calling thread: C (`dst`, m × n row-major, exactly m·n long) = A·B, or
/// C += A·B when `accumulate`; the shapes are checked by [`matmul`], k ≥ 1.
fn gemm_call<T: Scalar>(dst: &mut [T], lhs: View<'_, T>, rhs: View<'_, T>, accumulate: bool) {
    let (m, n) = (lhs.rows, rhs.cols);
    assert_eq!(dst.len(), m * n, "dst is not (m × n)");
    gemm_call_block(Columns::of(dst, n), 0, lhs, rhs, accumulate);
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
        // All below the split threshold (splitting: `split_products_give_the_same_bits`).
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
        // Past SPLIT_WORK multiply-adds, where the product is split over threads.
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
    fn split_products_give_the_same_bits() {
        // Every product split (no work threshold) on 2, 3 and 5 threads against the one call on
        // one thread, on shapes around each limit of `pieces`: n around the 256-entry and 64
        // bounds, k around gemm's 512 depth block, m around the piece sizes.
        let mut split = 0;
        for (m, n, k) in [
            (64, 8, 40),
            (70, 5, 9),
            (97, 9, 3),
            (130, 2, 33),
            (129, 64, 513),
            (200, 64, 600),
            (131, 65, 784),
            (96, 100, 512),
            (160, 31, 130),
            (66, 70, 17),
            // Column splits (B read across its rows): m around 64 with k past 512.
            (64, 200, 600),
            (60, 300, 513),
            (65, 131, 784),
            (8, 400, 50),
        ] {
            let a: Vec<f32> = (0..m * k)
                .map(|i| ((i * 2654435761) % 1009) as f32 / 1013.0 - 0.5)
                .collect();
            let b: Vec<f32> = (0..k * n)
                .map(|i| ((i * 40503) % 997) as f32 / 991.0 - 0.5)
                .collect();
            let b_t: Vec<f32> = (0..n * k).map(|i| b[(i % k) * n + i / k]).collect(); // (n, k)
            let a_t: Vec<f32> = (0..k * m).map(|i| a[(i % m) * k + i / m]).collect(); // (k, m)
            let layouts = [
                (View::row_major(&a, m, k), View::row_major(&b, k, n)),
                (View::row_major(&a, m, k), View::row_major(&b_t, n, k).t()),
                (View::row_major(&a_t, k, m).t(), View::row_major(&b, k, n)),
            ];
            for (lhs, rhs) in layouts {
                for accumulate in [false, true] {
                    let run = |threads| {
                        let mut c: Vec<f32> = (0..m * n).map(|i| (i % 7) as f32 * 0.25).collect();
                        split_over_threads(&mut c, lhs, rhs, accumulate, threads, 0);
                        c.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
                    };
                    let one = run(1);
                    for threads in [2, 3, 5] {
                        split += usize::from(pieces(m, n, k, threads, 0) > 1)
                            + usize::from(pieces(n, m, k, threads, 0) > 1);
                        assert!(
                            run(threads) == one,
                            "({m} × {k})·({k} × {n}), {threads} threads"
                        );
                    }
                }
            }
        }
        assert!(split > 100, "only {split} runs were split");
    }

    #[test]
    fn small_products_and_narrow_pieces_are_not_split() {
        // 64·64·64 stays on one thread; a 784-deep product with n ≤ 64 keeps pieces of > 64
        // rows (gemm's depth block differs at or below 64 rows), so 128 rows are not split.
        assert_eq!(pieces(64, 64, 64, 2, SPLIT_WORK), 1);
        assert_eq!(pieces(128, 256, 784, 2, SPLIT_WORK), 2);
        assert_eq!(pieces(128, 10, 784, 2, 0), 1);
        assert_eq!(pieces(130, 10, 784, 2, 0), 2);
        // Pieces of at least 32 rows and more than 256 entries.
        assert_eq!(pieces(63, 100, 100, 2, 0), 1);
        assert_eq!(pieces(128, 4, 100, 8, 0), 1);
        assert_eq!(pieces(1000, 100, 100, 8, 0), 8);
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

/// How much faster two threads make the MNIST shape's split products: a measurement, not a check
/// (ignored by default, no assertions):
///
/// ```text
/// cargo test --release -p actlab-nn --lib split_product_timing -- --ignored --nocapture
/// ```
///
/// Each product is timed on one thread, then split over two inside a pool of two threads (as
/// `train` runs it), best of 7 batches of 20 calls.
#[cfg(test)]
mod split_product_timing {
    use super::*;
    use std::time::Instant;

    /// Best time per call, in microseconds.
    fn best(mut f: impl FnMut()) -> f64 {
        let mut best = f64::INFINITY;
        for _ in 0..7 {
            let start = Instant::now();
            for _ in 0..20 {
                f();
            }
            best = best.min(start.elapsed().as_secs_f64() / 20.0 * 1e6);
        }
        best
    }

    #[test]
    #[ignore = "a timing measurement; run it with --ignored --nocapture"]
    fn split_product_timing() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let x: Vec<f32> = (0..128 * 784).map(|i| (i % 13) as f32 * 0.1).collect(); // (128, 784)
        let w1: Vec<f32> = (0..256 * 784).map(|i| (i % 7) as f32 * 0.1).collect(); // (256, 784)
        let h: Vec<f32> = (0..128 * 256).map(|i| (i % 5) as f32 * 0.1).collect(); // (128, 256)
        let w2: Vec<f32> = (0..256 * 256).map(|i| (i % 3) as f32 * 0.1).collect(); // (256, 256)
        let mut c = vec![0f32; 256 * 784];
        let products = [
            (
                "784 → 256 forward",
                View::row_major(&x, 128, 784),
                View::row_major(&w1, 256, 784).t(),
            ),
            (
                "784 → 256 ∂W",
                View::row_major(&h, 128, 256).t(),
                View::row_major(&x, 128, 784),
            ),
            (
                "256 → 256 forward",
                View::row_major(&h, 128, 256),
                View::row_major(&w2, 256, 256).t(),
            ),
            (
                "256 → 256 ∂W",
                View::row_major(&h, 128, 256).t(),
                View::row_major(&h, 128, 256),
            ),
            (
                "256 → 256 ∂x",
                View::row_major(&h, 128, 256),
                View::row_major(&w2, 256, 256),
            ),
        ];
        for (name, a, b) in products {
            let len = a.rows * b.cols;
            let one = best(|| gemm_call(&mut c[..len], a, b, false));
            let two =
                pool.install(|| best(|| split_over_threads(&mut c[..len], a, b, false, 2, 0)));
            println!(
                "{name:18} one thread {one:7.1} µs, two {two:7.1} µs: {:.2}×",
                one / two
            );
        }
    }
}
