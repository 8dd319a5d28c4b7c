//! Row-wise functions over row-major matrices: softmax, log_softmax, softmin and logsumexp, the
//! backward passes of the first two, and the two fused losses a classifier ends in (softmax
//! cross-entropy and sigmoid binary cross-entropy with logits).
//!
//! A matrix is a slice of `rows × cols` entries stored row after row (entry (r, c) at
//! `x[r * cols + c]`); each function works on every row independently. With m = max_j x_j the
//! row maximum and S = Σ_j e^(x_j − m):
//!
//! ```text
//! softmax(x)_i     = e^(x_i − m) / S
//! log_softmax(x)_i = (x_i − m) − ln S
//! softmin(x)_i     = softmax(−x)_i
//! logsumexp(x)     = m + ln S
//! cross-entropy    = Σ_i t_i·(logsumexp(x) − x_i)       (= −ln softmax(x)_c for a class c)
//! BCE with logits  = max(z, 0) − z·t + ln(1 + e^(−|z|))  (per element)
//! ```
//!
//! Shifting by m is what makes them safe: every exponent is ≤ 0, so nothing overflows; the
//! largest term is e^0 = 1 exactly, so 1 ≤ S ≤ cols and ln S never meets ln 0; and log_softmax
//! never forms ln(softmax), so it stays finite (and exact) where softmax underflows to 0.
//!
//! # Accuracy
//!
//! Every value is computed in `f64` or double-double ([`crate::dd`]) and rounded once to the
//! output type. Differences x_i − m are formed exactly (two-sum), the row sum S and every dot
//! product are accumulated in double-double, and ln S is a double-double logarithm. The one
//! `f64` ingredient is e^(x_i − m), the platform's `exp` (within 1 ULP; glibc's is within 0.51)
//! corrected for the low part of x_i − m. Where an `f32` result needs no more than `f64` (the
//! softmax quotient e_i/S, the log_softmax difference) it is formed in plain `f64`: the 29 bits
//! f64 has beyond f32 absorb its few roundings. Hence:
//!
//! - `f32` results are correctly rounded but within 2⁻²⁵ ULP of a rounding tie (their relative
//!   error before rounding is a few 2⁻⁵³; for logsumexp, relative to the larger of |m| and
//!   ln S, as below);
//! - `f64` softmax entries are within 3 ULP and log_softmax and the losses within 2 ULP;
//!   logsumexp = m + ln S is within 2 ULP of the larger of |m| and ln S (the sum can cancel);
//! - a softmax row sums to 1 within 1 ULP in either type: the exp errors cancel between the
//!   entries and their normalising sum, leaving the final roundings, at most half an ULP of
//!   each entry.
//!
//! # Non-finite entries
//!
//! - NaN anywhere in a row makes every output of that row NaN (and its loss NaN); other rows are
//!   unaffected. Nothing panics.
//! - −∞ entries get probability 0 (log-probability −∞) and are otherwise ignored.
//! - +∞ entries share the probability mass equally (softmax 1/k on each of k infinite entries, 0
//!   elsewhere): the limit of the row as those entries grow together. PyTorch gives NaN here
//!   (it forms ∞ − ∞); logsumexp is +∞ either way.
//! - A row of only −∞ has no distribution: softmax and log_softmax give NaN (the 0/0 of
//!   e^(−∞)/Σ e^(−∞), PyTorch's answer too) and logsumexp gives −∞ (ln 0).
//!
//! # Errors and cost
//!
//! Shapes are checked before anything is written, and a mismatch is a [`RowError`], never a panic.
//! Each function sweeps a row three times at most (its maximum, its sum, its output); only the
//! first reads it from memory when the row fits in cache. The exponentials are computed once per
//! entry: the softmax family keeps them in one row of `f64` scratch, allocated once per call.
//!
//! ```
//! use act::rowwise::{self, Target};
//!
//! // Two rows of three logits: (rows, cols) = (2, 3).
//! let logits = [1.0f32, 2.0, 3.0, 1e30, -1e30, 0.0];
//! let mut p = [0.0f32; 6];
//! rowwise::softmax(&logits, &mut p, 3)?;
//! assert!((p[0] + p[1] + p[2] - 1.0).abs() <= f32::EPSILON);
//! assert_eq!(&p[3..], &[1.0, 0.0, 0.0]); // no overflow, no NaN
//!
//! // log_softmax stays exact where softmax underflows to 0.
//! let mut logp = [0.0f64; 2];
//! rowwise::log_softmax(&[0.0, -1000.0], &mut logp, 2)?;
//! assert_eq!(logp, [0.0, -1000.0]);
//!
//! // The summed cross-entropy of the two rows against classes 2 and 1: the second row alone
//! // costs 1e30 − (−1e30) = 2e30, finite.
//! let loss = rowwise::softmax_cross_entropy(&logits, Target::Class(&[2, 1]), 3, None)?;
//! assert_eq!(loss, 2e30);
//! # Ok::<(), act::rowwise::RowError>(())
//! ```

use crate::Real;
use crate::dd::{self, DD, two_prod, two_sum};

/// Why a row-wise (or gated) function rejected its arguments. Nothing is written when one is
/// returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RowError {
    /// `cols` is 0: a row needs at least one entry.
    ZeroCols,
    /// The input's length is not a whole number of rows.
    NotWholeRows {
        /// The input's length.
        len: usize,
        /// The length of one input row (`cols`, or `2·cols` for the gated functions).
        row_len: usize,
    },
    /// A buffer's length does not match the input's shape.
    LengthMismatch {
        /// The argument at fault (`"out"`, `"dy"`, `"dx"`, `"grad"`, `"targets"`).
        argument: &'static str,
        /// The length the input's shape asks for.
        expected: usize,
        /// The length given.
        got: usize,
    },
    /// A class target is not a column index.
    ClassOutOfRange {
        /// The row whose target it is.
        row: usize,
        /// The class index given.
        class: usize,
        /// The number of classes (columns); valid indices are `0..cols`.
        cols: usize,
    },
}

impl core::fmt::Display for RowError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            RowError::ZeroCols => write!(f, "cols is 0: a row needs at least one entry"),
            RowError::NotWholeRows { len, row_len } => write!(
                f,
                "input length {len} is not a whole number of rows of {row_len} entries"
            ),
            RowError::LengthMismatch {
                argument,
                expected,
                got,
            } => write!(
                f,
                "`{argument}` has length {got}, the input's shape needs {expected}"
            ),
            RowError::ClassOutOfRange { row, class, cols } => write!(
                f,
                "row {row}: class {class} is out of range for {cols} classes (0..{cols})"
            ),
        }
    }
}

impl std::error::Error for RowError {}

/// The targets of [`softmax_cross_entropy`]: one class per row, or a distribution per row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target<'a, T> {
    /// One class index per row (`rows` entries, each in `0..cols`): PyTorch's class-index form.
    Class(&'a [usize]),
    /// One row of nonnegative weights per row of logits (same shape, row-major): PyTorch's
    /// class-probability form. The weights are used as given, not normalised.
    Probs(&'a [T]),
}

/// The number of rows of a `len`-long matrix with rows of `row_len`.
pub(crate) fn whole_rows(len: usize, row_len: usize) -> Result<usize, RowError> {
    if row_len == 0 {
        return Err(RowError::ZeroCols);
    }
    if !len.is_multiple_of(row_len) {
        return Err(RowError::NotWholeRows { len, row_len });
    }
    Ok(len / row_len)
}

/// `Ok` when `argument` has the length the shape asks for.
pub(crate) fn check_len(
    argument: &'static str,
    expected: usize,
    got: usize,
) -> Result<(), RowError> {
    if expected == got {
        Ok(())
    } else {
        Err(RowError::LengthMismatch {
            argument,
            expected,
            got,
        })
    }
}

/// Rounds a double-double once to `T`: `hi` for `f64` (already the nearest), one rounding of
/// `hi + lo` for `f32` (rounding `hi` to `f32` would round twice).
#[inline]
pub(crate) fn round<T: Real>(d: DD) -> T {
    if T::NAME == "f32" {
        T::from_f64(round_f32(d) as f64)
    } else {
        T::from_f64(d.hi)
    }
}

/// `hi + lo` rounded once to f32, as [`DD::to_f32`] but cheaply in the common case.
///
/// `hi as f32` is already right unless `hi` lies exactly halfway between two f32 numbers (then
/// the sign of `lo` breaks the tie): any other `hi` is at least one f64 ULP from every halfway
/// point, and |lo| is at most half of one. Halfway means the 29 bits that f32 drops from f64's
/// significand read 1000…0; in f32's subnormal range the grid is coarser, so there (and at the
/// ties) `DD::to_f32` decides.
#[inline]
pub(crate) fn round_f32(d: DD) -> f32 {
    const DROPPED: u64 = (1 << 29) - 1;
    const HALFWAY: u64 = 1 << 28;
    let normal = d.hi.abs() >= f32::MIN_POSITIVE as f64;
    if d.lo == 0.0 || (normal && d.hi.to_bits() & DROPPED != HALFWAY) {
        d.hi as f32
    } else {
        d.to_f32()
    }
}

/// A double-double from a value that may be infinite or NaN: `lo` = 0 then, so no ∞ − ∞ is ever
/// formed inside the double-double arithmetic.
#[inline]
fn dd_or_special(d: DD) -> DD {
    if d.hi.is_finite() {
        d
    } else {
        DD::from_f64(d.hi)
    }
}

/// What the first sweep over a row finds.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// The maximum is finite.
    Finite,
    /// Some entries are +∞; they are the row's support.
    PosInf,
    /// Every entry is −∞.
    AllNegInf,
    /// Some entry is NaN.
    Nan,
}

/// The normalisation of one row: its maximum m and S = Σ_j e^(x_j − m) in double-double.
///
/// Every output of the row-wise functions is a function of the entry, m and S. A row with +∞
/// entries is normalised as the limit: each +∞ entry reads as m (shifted value 0, weight 1) and
/// every other as −∞ (weight 0), so S counts the infinite entries.
#[derive(Clone, Copy, Debug)]
struct Norm {
    kind: Kind,
    /// The row maximum (after negation for softmin).
    max: f64,
    /// Σ_j e^(x_j − m), ≥ 1 for `Finite` and `PosInf` rows.
    sum: DD,
}

impl Norm {
    /// Sweeps a row twice: its maximum, then S. `exps`, when given (one row long), receives
    /// every e^(x_j − m) so callers need not recompute them. `negate` reads the row as −x.
    fn of<T: Real>(row: &[T], negate: bool, exps: Option<&mut [f64]>) -> Norm {
        let load = |x: T| if negate { -x.to_f64() } else { x.to_f64() };
        // Sweep 1: the maximum, counting +∞ and stopping at the first NaN.
        let mut max = f64::NEG_INFINITY;
        let mut pos_inf = false;
        for &x in row {
            let v = load(x);
            if v.is_nan() {
                return Norm {
                    kind: Kind::Nan,
                    max: f64::NAN,
                    sum: DD::from_f64(f64::NAN),
                };
            }
            pos_inf |= v == f64::INFINITY;
            if v > max {
                max = v;
            }
        }
        let kind = if pos_inf {
            Kind::PosInf
        } else if max == f64::NEG_INFINITY {
            Kind::AllNegInf
        } else {
            Kind::Finite
        };
        let mut norm = Norm {
            kind,
            max,
            sum: DD::ZERO,
        };
        if kind == Kind::AllNegInf {
            return norm; // no distribution: nothing to sum
        }
        // Sweep 2: S, in double-double so that no term is lost however many there are.
        let mut sum = DD::ZERO;
        match exps {
            Some(exps) => {
                for (e_slot, &x) in exps.iter_mut().zip(row) {
                    let e = norm.exp_shifted(load(x));
                    *e_slot = e;
                    sum = sum.add_f64(e);
                }
            }
            None => {
                for &x in row {
                    sum = sum.add_f64(norm.exp_shifted(load(x)));
                }
            }
        }
        norm.sum = sum;
        norm
    }

    /// x − m, exactly (two-sum), as a double-double; −∞ for entries that carry no weight.
    #[inline]
    fn shifted(&self, v: f64) -> DD {
        match self.kind {
            Kind::Finite => {
                // v = −∞ would make two-sum's error term ∞ − ∞; so would an f64 difference
                // that overflows (−f64::MAX − f64::MAX), whose exponential is 0 anyway.
                if v == f64::NEG_INFINITY {
                    return DD::from_f64(f64::NEG_INFINITY);
                }
                dd_or_special(two_sum(v, -self.max))
            }
            Kind::PosInf => DD::from_f64(if v == f64::INFINITY {
                0.0
            } else {
                f64::NEG_INFINITY
            }),
            Kind::AllNegInf | Kind::Nan => DD::from_f64(f64::NAN),
        }
    }

    /// e^(x − m) ≤ 1 in f64: the platform's exp of the high part of x − m, times e^lo ≈ 1 + lo
    /// for the low part (|lo| ≤ 2⁻⁵³|x − m|, so lo² is below 2⁻⁸⁷ for any exponent above the
    /// underflow threshold). Without the low part, e^(x − m) would carry the rounding error of
    /// x − m, up to 745·2⁻⁵³ relative: hundreds of ULP.
    #[inline]
    fn exp_shifted(&self, v: f64) -> f64 {
        let d = self.shifted(v);
        let e = d.hi.exp();
        if d.lo == 0.0 { e } else { e + e * d.lo }
    }

    /// ln S in double-double (relative error of S's own, a few 2⁻⁵³, since S ≥ 1 keeps its
    /// exact leading term 1).
    fn ln_sum(&self) -> DD {
        match self.kind {
            Kind::Finite | Kind::PosInf => dd::ln(self.sum),
            Kind::AllNegInf | Kind::Nan => DD::from_f64(f64::NAN),
        }
    }

    /// 1/S in double-double (NaN for rows with no distribution).
    fn inv_sum(&self) -> DD {
        match self.kind {
            Kind::Finite | Kind::PosInf => self.sum.recip(),
            Kind::AllNegInf | Kind::Nan => DD::from_f64(f64::NAN),
        }
    }

    /// ln softmax for the entry v: (x − m) − ln S, exact up to ln S's error.
    #[inline]
    fn log_prob(&self, v: f64, ln_sum: DD) -> DD {
        let d = self.shifted(v);
        if d.hi.is_finite() {
            d - ln_sum
        } else {
            d // −∞ for a zero-weight entry, NaN for a row without a distribution
        }
    }

    /// logsumexp = m + ln S (+∞ and −∞ for the infinite rows).
    fn logsumexp(&self) -> DD {
        match self.kind {
            Kind::Finite => self.ln_sum().add_f64(self.max),
            Kind::PosInf => DD::from_f64(f64::INFINITY),
            Kind::AllNegInf => DD::from_f64(f64::NEG_INFINITY),
            Kind::Nan => DD::from_f64(f64::NAN),
        }
    }
}

/// e × (1/S) as a double-double (`inv_sum` from [`Norm::inv_sum`]): one product, no division per
/// entry, relative error about 2⁻¹⁰⁴.
#[inline]
fn times_inv(e: f64, inv_sum: DD) -> DD {
    dd_or_special(inv_sum.mul_f64(e))
}

/// The softmax (or softmin, with `negate`) of every row of `x` into `out`.
fn softmax_rows<T: Real>(
    x: &[T],
    out: &mut [T],
    cols: usize,
    negate: bool,
) -> Result<(), RowError> {
    let rows = whole_rows(x.len(), cols)?;
    check_len("out", x.len(), out.len())?;
    if rows == 0 {
        return Ok(());
    }
    let mut exps = vec![0.0f64; cols]; // (cols): e^(x_j − m) of the current row
    for (row, out_row) in x.chunks_exact(cols).zip(out.chunks_exact_mut(cols)) {
        let norm = Norm::of(row, negate, Some(exps.as_mut_slice()));
        write_probs(&norm, &exps, out_row);
    }
    Ok(())
}

/// The in-place form of [`softmax_rows`].
fn softmax_rows_in_place<T: Real>(x: &mut [T], cols: usize, negate: bool) -> Result<(), RowError> {
    let rows = whole_rows(x.len(), cols)?;
    if rows == 0 {
        return Ok(());
    }
    let mut exps = vec![0.0f64; cols]; // (cols)
    for row in x.chunks_exact_mut(cols) {
        let norm = Norm::of(row, negate, Some(exps.as_mut_slice()));
        write_probs(&norm, &exps, row);
    }
    Ok(())
}

/// Sweep 3 of softmax: p_j = e_j/S, rounded once.
#[inline]
fn write_probs<T: Real>(norm: &Norm, exps: &[f64], out_row: &mut [T]) {
    if matches!(norm.kind, Kind::Nan | Kind::AllNegInf) {
        out_row.fill(T::from_f64(f64::NAN));
        return;
    }
    write_scaled(exps, norm.inv_sum(), out_row);
}

/// out_j = e_j·`scale` (1/S, or 1/(S·rows) for a mean's gradient), rounded once.
#[inline]
fn write_scaled<T: Real>(exps: &[f64], scale: DD, out_row: &mut [T]) {
    if T::NAME == "f32" {
        // e·scale in plain f64 is within 2⁻⁵² relative: 2⁻²⁸ of an f32 ULP before its rounding.
        for (o, &e) in out_row.iter_mut().zip(exps) {
            *o = T::from_f64(e * scale.hi);
        }
    } else {
        for (o, &e) in out_row.iter_mut().zip(exps) {
            *o = round(times_inv(e, scale));
        }
    }
}

/// Softmax of each row: p_i = e^(x_i − m) / Σ_j e^(x_j − m), m = the row maximum.
///
/// `x` holds rows of `cols` entries (row-major); `out` (same length) receives the rows of
/// probabilities. Safe form: the shift by m keeps every exponent ≤ 0 (no overflow, even for
/// logits of ±1e30) and the largest term exactly 1 (no 0/0 when every e^(x_i) would underflow).
/// Each entry is e_i/S rounded once, with S summed in double-double; see the
/// [module docs](self) for the accuracy and for NaN and ±∞ entries.
///
/// # Errors
///
/// [`RowError::ZeroCols`], [`RowError::NotWholeRows`], or [`RowError::LengthMismatch`] for
/// `out`.
///
/// ```
/// let mut p = [0.0f64; 4];
/// act::rowwise::softmax(&[0.0, 0.0, 1e30, 0.0], &mut p, 2)?; // (rows, cols) = (2, 2)
/// assert_eq!(p, [0.5, 0.5, 1.0, 0.0]);
/// # Ok::<(), act::rowwise::RowError>(())
/// ```
pub fn softmax<T: Real>(x: &[T], out: &mut [T], cols: usize) -> Result<(), RowError> {
    softmax_rows(x, out, cols, false)
}

/// [`softmax`] overwriting its input.
///
/// # Errors
///
/// [`RowError::ZeroCols`] or [`RowError::NotWholeRows`].
///
/// ```
/// let mut x = [1.0f32, 1.0, 1.0, 1.0];
/// act::rowwise::softmax_in_place(&mut x, 4)?;
/// assert_eq!(x, [0.25; 4]);
/// # Ok::<(), act::rowwise::RowError>(())
/// ```
pub fn softmax_in_place<T: Real>(x: &mut [T], cols: usize) -> Result<(), RowError> {
    softmax_rows_in_place(x, cols, false)
}

/// Softmin of each row: softmax(−x)_i = e^(m′ − x_i) / Σ_j e^(m′ − x_j), m′ = the row minimum:
/// the weights favour the smallest entries.
///
/// Evaluated as [`softmax`] of the negated row (negation is exact, so softmin(x) is bit for bit
/// softmax(−x)); the shift by the minimum keeps every exponent ≤ 0.
///
/// # Errors
///
/// As [`softmax`].
///
/// ```
/// let mut w = [0.0f32; 2];
/// act::rowwise::softmin(&[0.0, 1000.0], &mut w, 2)?;
/// assert_eq!(w, [1.0, 0.0]);
/// # Ok::<(), act::rowwise::RowError>(())
/// ```
pub fn softmin<T: Real>(x: &[T], out: &mut [T], cols: usize) -> Result<(), RowError> {
    softmax_rows(x, out, cols, true)
}

/// [`softmin`] overwriting its input.
///
/// # Errors
///
/// As [`softmax_in_place`].
pub fn softmin_in_place<T: Real>(x: &mut [T], cols: usize) -> Result<(), RowError> {
    softmax_rows_in_place(x, cols, true)
}

/// Sweep 3 of log_softmax: (x_j − m) − ln S, rounded once. `row` and `out_row` may be the same
/// memory (read entry j, then write entry j).
#[inline]
fn log_prob_of<T: Real>(norm: &Norm, ln_sum: DD, x: T) -> T {
    if T::NAME == "f32" && norm.kind == Kind::Finite {
        // Plain f64 is enough for an f32 result: x − m and −ln S are both ≤ 0 (no cancellation)
        // and x − m is within 2⁻⁵³ relative, so the sum is within 2⁻⁵² before its one rounding.
        return T::from_f64((x.to_f64() - norm.max) - ln_sum.hi);
    }
    round(norm.log_prob(x.to_f64(), ln_sum))
}

/// Log-softmax of each row: y_i = (x_i − m) − ln Σ_j e^(x_j − m), m = the row maximum.
///
/// Safe form: ln(softmax) is never formed, so an entry whose probability underflows keeps its
/// exact log-probability (log_softmax([0, −1000]) = [−0, −1000], where ln(softmax) gives
/// [0, −∞]); x_i − m is exact (two-sum) and ln S a double-double logarithm of S ≥ 1, so both
/// the dominant entries (y ≈ −Σ_{j≠i} e^(x_j − m), tiny) and the far ones keep their relative
/// precision. −∞ entries give −∞.
///
/// # Errors
///
/// As [`softmax`].
///
/// ```
/// let mut y = [0.0f32; 2];
/// act::rowwise::log_softmax(&[0.0, -200.0], &mut y, 2)?;
/// assert_eq!(y, [0.0, -200.0]); // y₀ = −1.4e-87 rounds to −0 in f32; softmax would give [1, 0]
/// # Ok::<(), act::rowwise::RowError>(())
/// ```
pub fn log_softmax<T: Real>(x: &[T], out: &mut [T], cols: usize) -> Result<(), RowError> {
    let rows = whole_rows(x.len(), cols)?;
    check_len("out", x.len(), out.len())?;
    if rows == 0 {
        return Ok(());
    }
    for (row, out_row) in x.chunks_exact(cols).zip(out.chunks_exact_mut(cols)) {
        let norm = Norm::of(row, false, None);
        let ln_sum = norm.ln_sum();
        for (o, &xi) in out_row.iter_mut().zip(row) {
            *o = log_prob_of(&norm, ln_sum, xi);
        }
    }
    Ok(())
}

/// [`log_softmax`] overwriting its input.
///
/// # Errors
///
/// As [`softmax_in_place`].
pub fn log_softmax_in_place<T: Real>(x: &mut [T], cols: usize) -> Result<(), RowError> {
    let rows = whole_rows(x.len(), cols)?;
    if rows == 0 {
        return Ok(());
    }
    for row in x.chunks_exact_mut(cols) {
        let norm = Norm::of(row, false, None);
        let ln_sum = norm.ln_sum();
        for xi in row.iter_mut() {
            *xi = log_prob_of(&norm, ln_sum, *xi);
        }
    }
    Ok(())
}

/// logsumexp of one row: ln Σ_j e^(x_j) = m + ln Σ_j e^(x_j − m), m = max_j x_j.
///
/// Safe form: the shift by m means no exponential overflows and the dominant term is exactly 1,
/// so no term is lost when one entry dominates; m + ln S is rounded once from double-double.
/// An empty row gives −∞ (ln 0), a row of −∞ gives −∞, +∞ anywhere gives +∞, NaN gives NaN.
///
/// ```
/// use act::rowwise::logsumexp;
/// assert_eq!(logsumexp(&[1e30f32, 1e30]), 1e30);    // 1e30 + ln 2, rounded
/// assert_eq!(logsumexp(&[0.0f64, 0.0]), core::f64::consts::LN_2);
/// assert_eq!(logsumexp::<f64>(&[]), f64::NEG_INFINITY);
/// ```
pub fn logsumexp<T: Real>(row: &[T]) -> T {
    if row.is_empty() {
        return T::from_f64(f64::NEG_INFINITY);
    }
    round(Norm::of(row, false, None).logsumexp())
}

/// [`logsumexp`] of every row of `x` into `out` (one value per row).
///
/// # Errors
///
/// [`RowError::ZeroCols`], [`RowError::NotWholeRows`], or [`RowError::LengthMismatch`] for
/// `out` (which must have one entry per row).
///
/// ```
/// let mut lse = [0.0f64; 2];
/// act::rowwise::logsumexp_rows(&[0.0, 0.0, -1000.0, f64::NEG_INFINITY], 2, &mut lse)?;
/// assert_eq!(lse, [core::f64::consts::LN_2, -1000.0]);
/// # Ok::<(), act::rowwise::RowError>(())
/// ```
pub fn logsumexp_rows<T: Real>(x: &[T], cols: usize, out: &mut [T]) -> Result<(), RowError> {
    let rows = whole_rows(x.len(), cols)?;
    check_len("out", rows, out.len())?;
    for (row, o) in x.chunks_exact(cols).zip(out.iter_mut()) {
        *o = logsumexp(row);
    }
    Ok(())
}

/// The backward pass of softmax from its output: dx = y ⊙ (dy − ⟨dy, y⟩) per row.
///
/// `y` is the softmax output (rows of `cols`), `dy` the upstream gradient ∂L/∂y (same shape);
/// `dx` (same shape) is overwritten with ∂L/∂x = Jᵀdy, J = diag(y) − y yᵀ the softmax Jacobian
/// (∂y_i/∂x_j = y_i(δ_ij − y_j)). Only the output is needed (the "derivative from the output").
/// The dot product ⟨dy, y⟩ is accumulated in double-double and each dx_i = y_i·(dy_i − ⟨dy, y⟩)
/// rounded once, so the only cancellation left is the one in dy_i − ⟨dy, y⟩ itself. NaN in a
/// row of `y` or `dy` makes that row's dx NaN.
///
/// # Errors
///
/// [`RowError::ZeroCols`], [`RowError::NotWholeRows`] for `y`, [`RowError::LengthMismatch`] for
/// `dy` or `dx`.
///
/// ```
/// // y = (1/2, 1/2): dx = y ⊙ (dy − ⟨dy, y⟩) = (½(1 − ½), ½(0 − ½)) = (1/4, −1/4).
/// let mut dx = [0.0f64; 2];
/// act::rowwise::softmax_backward_from_output(&[0.5, 0.5], &[1.0, 0.0], &mut dx, 2)?;
/// assert_eq!(dx, [0.25, -0.25]);
/// # Ok::<(), act::rowwise::RowError>(())
/// ```
pub fn softmax_backward_from_output<T: Real>(
    y: &[T],
    dy: &[T],
    dx: &mut [T],
    cols: usize,
) -> Result<(), RowError> {
    whole_rows(y.len(), cols)?;
    check_len("dy", y.len(), dy.len())?;
    check_len("dx", y.len(), dx.len())?;
    for ((y_row, dy_row), dx_row) in y
        .chunks_exact(cols)
        .zip(dy.chunks_exact(cols))
        .zip(dx.chunks_exact_mut(cols))
    {
        // ⟨dy, y⟩ in double-double: exact products (two-prod), accurate sum.
        let mut dot = DD::ZERO;
        let mut special = 0.0f64; // non-finite products, kept out of the double-double sum
        for (&yj, &gj) in y_row.iter().zip(dy_row) {
            let p = two_prod(yj.to_f64(), gj.to_f64());
            if p.hi.is_finite() && p.lo.is_finite() {
                dot = dot + p;
            } else {
                special += p.hi;
            }
        }
        for ((d, &yi), &gi) in dx_row.iter_mut().zip(y_row).zip(dy_row) {
            // dx_i = y_i·(dy_i − ⟨dy, y⟩)
            let (yi, gi) = (yi.to_f64(), gi.to_f64());
            *d = if special != 0.0 || !gi.is_finite() {
                T::from_f64(yi * (gi - (dot.hi + special)))
            } else {
                round(dd_or_special((-dot).add_f64(gi).mul_f64(yi)))
            };
        }
    }
    Ok(())
}

/// The backward pass of log_softmax from its output: dx = dy − softmax(x)·Σ_j dy_j per row, with
/// softmax(x) = e^(y) recovered from the output y = log_softmax(x).
///
/// `y_log` is the log_softmax output, `dy` the upstream gradient; `dx` (same shape) is
/// overwritten (∂y_i/∂x_j = δ_ij − e^(y_j)). Σ dy is accumulated in double-double and each
/// dx_i = dy_i − e^(y_i)·Σdy rounded once; e^(y_i) ≤ 1 never overflows and is exactly 0 for
/// y_i = −∞.
///
/// # Errors
///
/// As [`softmax_backward_from_output`].
///
/// ```
/// // y = ln(1/2, 1/2), dy = (1, 0): dx = dy − ½·1 = (1/2, −1/2).
/// let half = 0.5f64.ln();
/// let mut dx = [0.0f64; 2];
/// act::rowwise::log_softmax_backward_from_output(&[half, half], &[1.0, 0.0], &mut dx, 2)?;
/// assert_eq!(dx, [0.5, -0.5]);
/// # Ok::<(), act::rowwise::RowError>(())
/// ```
pub fn log_softmax_backward_from_output<T: Real>(
    y_log: &[T],
    dy: &[T],
    dx: &mut [T],
    cols: usize,
) -> Result<(), RowError> {
    whole_rows(y_log.len(), cols)?;
    check_len("dy", y_log.len(), dy.len())?;
    check_len("dx", y_log.len(), dx.len())?;
    for ((y_row, dy_row), dx_row) in y_log
        .chunks_exact(cols)
        .zip(dy.chunks_exact(cols))
        .zip(dx.chunks_exact_mut(cols))
    {
        let mut sum = DD::ZERO;
        let mut special = 0.0f64; // ±∞ and NaN upstream gradients
        for &g in dy_row {
            let g = g.to_f64();
            if g.is_finite() {
                sum = sum.add_f64(g);
            } else {
                special += g;
            }
        }
        for ((d, &yi), &gi) in dx_row.iter_mut().zip(y_row).zip(dy_row) {
            // dx_i = dy_i − e^(y_i)·Σ_j dy_j
            let (p, gi) = (yi.to_f64().exp(), gi.to_f64());
            *d = if special != 0.0 || !gi.is_finite() {
                T::from_f64(gi - p * (sum.hi + special))
            } else {
                round(dd_or_special((-sum).mul_f64(p).add_f64(gi)))
            };
        }
    }
    Ok(())
}

/// Softmax cross-entropy of each row of logits against its target, fused: returns the SUM over
/// rows of the per-row losses and, if `grad` is given, writes ∂(sum)/∂logits into it, row by row
/// (not divided by the number of rows; [`softmax_cross_entropy_mean`] divides both).
///
/// Per row, with logits z, lse = logsumexp(z) and weights t:
///
/// ```text
/// loss = Σ_i t_i·(lse − z_i) = −Σ_i t_i·log_softmax(z)_i
/// grad = softmax(z)·Σ_i t_i − t            (= softmax(z) − t when Σ t = 1)
/// ```
///
/// For [`Target::Class`] (class c), t is one-hot: loss = lse − z_c, grad = p − e_c. For
/// [`Target::Probs`] the weights are used as given (PyTorch's convention): a distribution gives
/// the usual cross-entropy and p − t; other nonnegative weights scale it, and weights are not
/// checked. A weight of 0 contributes nothing even against a −∞ logit (0·∞ is taken as 0).
///
/// Safe form: lse − z_i = (m − z_i) + ln S, a sum of two nonnegative terms (m − z_i exact in
/// double-double), so no loss cancels, overflows or becomes NaN for finite logits (±1e30
/// included: logits [1e30, −1e30] against class 1 cost 2e30); the gradient of entry i is
/// (e_i·Σt − t_i·S)/S in double-double, so p_c − 1 keeps its precision when p_c ≈ 1. The loss
/// is infinite only where it truly is (a positive weight on a −∞ logit, or a sum past the type's
/// range). NaN logits give a NaN loss and a NaN gradient row.
///
/// # Errors
///
/// [`RowError::ZeroCols`], [`RowError::NotWholeRows`], [`RowError::LengthMismatch`] for
/// `targets` (`rows` classes, or `rows·cols` weights) or `grad`, and
/// [`RowError::ClassOutOfRange`] for the first class index ≥ `cols`. Nothing is written then.
///
/// ```
/// use act::rowwise::{softmax_cross_entropy, Target};
///
/// // Uniform logits over 4 classes: loss = ln 4 per row, grad = 1/4 − 1 on the target.
/// let mut grad = [0.0f64; 4];
/// let loss = softmax_cross_entropy(&[0.0; 4], Target::Class(&[1]), 4, Some(&mut grad))?;
/// assert!((loss - 4f64.ln()).abs() < 1e-15);
/// assert_eq!(grad, [0.25, -0.75, 0.25, 0.25]);
/// # Ok::<(), act::rowwise::RowError>(())
/// ```
pub fn softmax_cross_entropy<T: Real>(
    logits: &[T],
    targets: Target<'_, T>,
    cols: usize,
    grad: Option<&mut [T]>,
) -> Result<T, RowError> {
    cross_entropy(logits, targets, cols, grad, false)
}

/// [`softmax_cross_entropy`] averaged over rows: returns the MEAN of the per-row losses and
/// writes the gradient of the mean, (softmax·Σt − t)/rows. No rows give a NaN loss (0/0, as
/// PyTorch's mean reduction).
///
/// # Errors
///
/// As [`softmax_cross_entropy`].
///
/// ```
/// use act::rowwise::{softmax_cross_entropy_mean, Target};
///
/// // Two rows, probability targets: the mean of ln 2 and ln 2.
/// let t = [0.5f32, 0.5, 1.0, 0.0];
/// let loss = softmax_cross_entropy_mean(&[0.0f32, 0.0, 0.0, 0.0], Target::Probs(&t), 2, None)?;
/// assert_eq!(loss, core::f32::consts::LN_2);
/// # Ok::<(), act::rowwise::RowError>(())
/// ```
pub fn softmax_cross_entropy_mean<T: Real>(
    logits: &[T],
    targets: Target<'_, T>,
    cols: usize,
    grad: Option<&mut [T]>,
) -> Result<T, RowError> {
    cross_entropy(logits, targets, cols, grad, true)
}

/// Sums of double-doubles that may meet ±∞ or NaN: finite values in double-double, the rest in
/// plain f64 (where ∞ + finite = ∞ and ∞ − ∞ = NaN, as they should).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Total {
    finite: DD,
    special: f64,
}

impl Total {
    /// Adds `d` (finite in double-double, else to the special part).
    #[inline]
    pub(crate) fn add(&mut self, d: DD) {
        if d.hi.is_finite() {
            self.finite = self.finite + d;
        } else {
            self.special += d.hi;
        }
    }

    /// The total (divided by `divisor` when given), rounded once.
    pub(crate) fn round<T: Real>(self, divisor: Option<usize>) -> T {
        if self.special != 0.0 {
            return T::from_f64(self.special);
        }
        match divisor {
            Some(n) => round(self.finite.div_f64(n as f64)),
            None => round(self.finite),
        }
    }
}

/// The checks of [`softmax_cross_entropy`] (shared with the row kernels): the number of rows and
/// the gradient's scale (1, or 1/rows for the mean).
pub(crate) fn check_cross_entropy<T>(
    len: usize,
    targets: Target<'_, T>,
    cols: usize,
    grad_len: Option<usize>,
    mean: bool,
) -> Result<(usize, DD), RowError> {
    let rows = whole_rows(len, cols)?;
    match targets {
        Target::Class(classes) => {
            check_len("targets", rows, classes.len())?;
            if let Some((row, &class)) = classes.iter().enumerate().find(|(_, c)| **c >= cols) {
                return Err(RowError::ClassOutOfRange { row, class, cols });
            }
        }
        Target::Probs(t) => check_len("targets", len, t.len())?,
    }
    if let Some(g) = grad_len {
        check_len("grad", len, g)?;
    }
    // The gradient of the mean is the gradient of the sum divided by the rows.
    let grad_scale = if mean {
        DD::ONE.div_f64(rows as f64)
    } else {
        DD::ONE
    };
    Ok((rows, grad_scale))
}

/// The shared body of [`softmax_cross_entropy`] and its mean.
fn cross_entropy<T: Real>(
    logits: &[T],
    targets: Target<'_, T>,
    cols: usize,
    grad: Option<&mut [T]>,
    mean: bool,
) -> Result<T, RowError> {
    let (rows, grad_scale) = check_cross_entropy(
        logits.len(),
        targets,
        cols,
        grad.as_deref().map(<[T]>::len),
        mean,
    )?;
    let mut total = Total::default();
    let mut grad = grad;
    let mut exps = vec![0.0f64; if grad.is_some() { cols } else { 0 }]; // (cols)
    for (r, row) in logits.chunks_exact(cols).enumerate() {
        let span = r * cols..(r + 1) * cols;
        let target = match targets {
            Target::Class(classes) => Target::Class(&classes[r..r + 1]),
            Target::Probs(t) => Target::Probs(&t[span.clone()]),
        };
        let grad_row = grad.as_deref_mut().map(|g| &mut g[span]); // (cols)
        total.add(row_cross_entropy(
            row, target, grad_row, grad_scale, &mut exps,
        ));
    }
    Ok(total.round(if mean { Some(rows) } else { None }))
}

/// One row of [`cross_entropy`] (its class, or its row of weights, as the target): returns the
/// row's loss unrounded (a non-finite loss as `hi` alone) and writes its gradient times
/// `grad_scale` into `grad_row` when given. `exps` (`cols` long when there is a gradient) is
/// scratch.
fn row_cross_entropy<T: Real>(
    row: &[T],
    target: Target<'_, T>,
    grad_row: Option<&mut [T]>,
    grad_scale: DD,
    exps: &mut [f64],
) -> DD {
    let exps_out = grad_row.is_some().then_some(&mut *exps);
    let norm = Norm::of(row, false, exps_out);
    if matches!(norm.kind, Kind::Nan | Kind::AllNegInf) {
        if let Some(grad_row) = grad_row {
            grad_row.fill(T::from_f64(f64::NAN));
        }
        return DD::from_f64(f64::NAN);
    }
    let ln_sum = norm.ln_sum();
    match target {
        Target::Class(class) => {
            let c = class[0];
            if let Some(grad_row) = grad_row {
                // p_i for i ≠ c, as softmax; then p_c − 1 = −(S − e_c)/S, with the small
                // S − e_c formed exactly (1/S − 1 would lose it when p_c ≈ 1).
                let inv_scaled = norm.inv_sum() * grad_scale;
                write_scaled(exps, inv_scaled, grad_row);
                let numerator = DD::from_f64(exps[c]) - norm.sum;
                grad_row[c] = round(dd_or_special(numerator * inv_scaled));
            }
            // lse − z_c = (m − z_c) + ln S = −log_softmax(z)_c: two nonnegative terms.
            dd_or_special(-norm.log_prob(row[c].to_f64(), ln_sum))
        }
        Target::Probs(t_row) => {
            // Σ_i t_i·(lse − z_i), and Σ_i t_i for the gradient.
            let mut loss = Total::default();
            let mut weight_sum = DD::ZERO;
            for (&z, &ti) in row.iter().zip(t_row) {
                let ti = ti.to_f64();
                if ti == 0.0 {
                    continue; // 0·(lse − z) = 0, even for z = −∞
                }
                weight_sum = weight_sum.add_f64(ti);
                let neg_log_p = -norm.log_prob(z.to_f64(), ln_sum);
                loss.add(if neg_log_p.hi.is_finite() {
                    neg_log_p.mul_f64(ti)
                } else {
                    DD::from_f64(neg_log_p.hi * ti)
                });
            }
            if let Some(grad_row) = grad_row {
                let inv_scaled = norm.inv_sum() * grad_scale;
                for ((g, &e), &ti) in grad_row.iter_mut().zip(exps.iter()).zip(t_row) {
                    // p_i·Σt − t_i = (e_i·Σt − t_i·S)/S: the numerator first, so that a
                    // gradient that cancels (t_i ≈ p_i) keeps its precision.
                    let numerator = weight_sum.mul_f64(e) - norm.sum.mul_f64(ti.to_f64());
                    *g = round(dd_or_special(numerator * inv_scaled));
                }
            }
            if loss.special != 0.0 {
                DD::from_f64(loss.special)
            } else {
                loss.finite
            }
        }
    }
}

/// One `f32` row of the softmax cross-entropy, for the row kernels' rows holding NaN or ±∞ (or
/// non-finite weights): the row's loss unrounded and its gradient times `grad_scale` (see
/// [`softmax_cross_entropy`]; `target` is the row's class or row of weights).
pub(crate) fn cross_entropy_row(
    row: &[f32],
    target: Target<'_, f32>,
    grad_row: Option<&mut [f32]>,
    grad_scale: DD,
) -> DD {
    let mut exps = vec![0.0f64; if grad_row.is_some() { row.len() } else { 0 }]; // (cols)
    row_cross_entropy(row, target, grad_row, grad_scale, &mut exps)
}

/// Binary cross-entropy of sigmoid(z) against targets t, fused and taken on the logits z: returns
/// the SUM over elements of
///
/// ```text
/// loss = −t·ln σ(z) − (1 − t)·ln(1 − σ(z)) = max(z, 0) − z·t + ln(1 + e^(−|z|))
/// grad = ∂loss/∂z = σ(z) − t
/// ```
///
/// and, if `grad` is given, writes σ(z_i) − t_i into it ([`bce_with_logits_mean`] averages).
/// `logits`, `targets` and `grad` have the same length; targets are probabilities in [0, 1]
/// (not checked).
///
/// Safe form: max(z, 0) − z·t is evaluated as z·(1 − t) for z ≥ 0 and (−z)·t for z < 0 (both
/// ≥ 0, exact in double-double) and ln(1 + e^(−|z|)) ∈ (0, ln 2] on e^(−|z|) ≤ 1, so no term
/// overflows, cancels or takes ln 0, for any finite z (±1e30 included). The gradient is
/// (1 − t) − e^(−z)/(1 + e^(−z)) for z ≥ 0 and e^z/(1 + e^z) − t for z < 0: σ(z) − 1 is never
/// formed where σ rounds to 1. z = ±∞ gives the limits (loss 0 or ∞), NaN gives NaN.
///
/// # Errors
///
/// [`RowError::LengthMismatch`] for `targets` or `grad`.
///
/// ```
/// use act::rowwise::bce_with_logits;
///
/// let mut grad = [0.0f64; 2];
/// let loss = bce_with_logits(&[1e30, 0.0], &[0.0, 1.0], Some(&mut grad))?;
/// assert_eq!(loss, 1e30 + core::f64::consts::LN_2);          // 1e30·(1 − 0) + 0, then ln 2
/// assert_eq!(grad, [1.0, -0.5]);
/// # Ok::<(), act::rowwise::RowError>(())
/// ```
pub fn bce_with_logits<T: Real>(
    logits: &[T],
    targets: &[T],
    grad: Option<&mut [T]>,
) -> Result<T, RowError> {
    bce(logits, targets, grad, false)
}

/// [`bce_with_logits`] averaged over elements: the MEAN loss, and the gradient of the mean,
/// (σ(z) − t)/n. No elements give a NaN loss.
///
/// # Errors
///
/// As [`bce_with_logits`].
///
/// ```
/// let loss = act::rowwise::bce_with_logits_mean(&[0.0f32; 3], &[1.0, 0.0, 0.5], None)?;
/// assert_eq!(loss, core::f32::consts::LN_2);
/// # Ok::<(), act::rowwise::RowError>(())
/// ```
pub fn bce_with_logits_mean<T: Real>(
    logits: &[T],
    targets: &[T],
    grad: Option<&mut [T]>,
) -> Result<T, RowError> {
    bce(logits, targets, grad, true)
}

/// The shared body of [`bce_with_logits`] and its mean.
fn bce<T: Real>(
    logits: &[T],
    targets: &[T],
    grad: Option<&mut [T]>,
    mean: bool,
) -> Result<T, RowError> {
    check_len("targets", logits.len(), targets.len())?;
    if let Some(g) = grad.as_deref() {
        check_len("grad", logits.len(), g.len())?;
    }
    let n = logits.len();
    let grad_scale = if mean {
        DD::ONE.div_f64(n as f64)
    } else {
        DD::ONE
    };
    let mut total = Total::default();
    let mut grad = grad;
    for (i, (&z, &t)) in logits.iter().zip(targets).enumerate() {
        let (z, t) = (z.to_f64(), t.to_f64());
        let one_minus_t = two_sum(1.0, -t); // exact
        // e^(−|z|) ≤ 1 and s = e^(−|z|)/(1 + e^(−|z|)) = min(σ(z), 1 − σ(z)) ≤ 1/2.
        let e = (-z.abs()).exp();
        let s = e / (1.0 + e);
        // max(z, 0) − z·t: z·(1 − t) or (−z)·t, each ≥ 0 for t in [0, 1].
        let linear = if z >= 0.0 {
            scaled(one_minus_t, z)
        } else {
            scaled(DD::from_f64(t), -z)
        };
        let softplus_tail = e.ln_1p(); // ln(1 + e^(−|z|)) ∈ (0, ln 2]
        total.add(if linear.hi.is_finite() {
            linear.add_f64(softplus_tail)
        } else {
            DD::from_f64(linear.hi + softplus_tail)
        });
        if let Some(grad) = grad.as_deref_mut() {
            // σ(z) − t = (1 − t) − s for z ≥ 0, s − t for z < 0.
            let g = if z >= 0.0 {
                one_minus_t.add_f64(-s)
            } else {
                two_sum(s, -t)
            };
            grad[i] = round(dd_or_special(g) * grad_scale);
        }
    }
    Ok(total.round(if mean { Some(n) } else { None }))
}

/// `w·z` for a weight `w` ≥ 0 that may be exactly 0 against an infinite `z` (0·∞ = 0: the
/// limit of the loss term, whose weight is the exact 0).
#[inline]
fn scaled(w: DD, z: f64) -> DD {
    if w.hi == 0.0 && w.lo == 0.0 && !z.is_nan() {
        DD::ZERO
    } else if z.is_finite() {
        dd_or_special(w.mul_f64(z))
    } else {
        DD::from_f64(w.hi * z)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_of_a_row_with_infinities_counts_them() {
        let n = Norm::of(&[f64::INFINITY, 1.0, f64::INFINITY], false, None);
        assert_eq!(n.kind, Kind::PosInf);
        assert_eq!(n.sum, DD::from_f64(2.0));
        let n = Norm::of(&[f64::NEG_INFINITY; 3], false, None);
        assert_eq!(n.kind, Kind::AllNegInf);
        let n = Norm::of(&[1.0, f64::NAN, f64::INFINITY], false, None);
        assert_eq!(n.kind, Kind::Nan);
    }

    #[test]
    fn shifted_is_exact_and_the_exponential_uses_its_low_part() {
        // 300.0000001 − 1000.1 is not an f64: the two-sum keeps the rest.
        let n = Norm::of(&[300.0000001f64, 1000.1], false, None);
        let d = n.shifted(300.0000001);
        assert!(d.lo != 0.0);
        assert_eq!((DD::from_f64(d.hi) + DD::from_f64(d.lo)).hi, d.hi);
        let exact = dd::exp(d);
        let got = n.exp_shifted(300.0000001);
        assert!(crate::ulp::ulp_error_f64(got, exact) <= 1.5);
    }

    #[test]
    fn round_goes_through_one_rounding() {
        let tie = DD {
            hi: 1.0 + dd::ldexp(1.0, -24),
            lo: dd::ldexp(1.0, -80),
        };
        assert_eq!(round::<f32>(tie), 1.0 + f32::EPSILON);
        assert_eq!(round::<f64>(tie), tie.hi);
    }

    #[test]
    fn round_f32_agrees_with_to_f32() {
        // Random f32 neighbourhoods: exact halfway points, their f64 neighbours, subnormals,
        // the top of the range; each with low parts of both signs and none.
        let mut state = 0x243f6a8885a308d3u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..200_000 {
            let r = next();
            let f = f32::from_bits((r >> 32) as u32 & 0x7fff_ffff);
            if !f.is_finite() {
                continue;
            }
            let up = dd::next_f32_toward(f, f32::INFINITY) as f64;
            let halfway = (f as f64 + up) / 2.0; // exact: one more bit than f32
            let hi = match r % 4 {
                0 => halfway,
                1 => halfway + halfway * f64::EPSILON,
                2 => f64::from_bits(halfway.to_bits() - 1),
                _ => f64::from_bits(r >> 12 | 0x3000_0000_0000_0000) * (f as f64 + 1e-300),
            };
            for lo in [0.0, 1e-300, -1e-300, hi * 1e-17, -hi * 1e-17] {
                let d = DD { hi, lo };
                let (got, want) = (round_f32(d), d.to_f32());
                assert!(
                    got == want || (got.is_nan() && want.is_nan()),
                    "{d:?}: {got:e} vs {want:e}"
                );
            }
        }
    }
}
