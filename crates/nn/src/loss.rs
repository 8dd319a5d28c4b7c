//! Losses on the network's raw outputs (logits), averaged as PyTorch's default `reduction =
//! "mean"` does, each returning the loss and writing its gradient.
//!
//! | [`Loss`] | loss (mean over) | gradient ∂L/∂z |
//! |---|---|---|
//! | `SoftmaxCrossEntropy` | lse(z) − z_c, over rows | (softmax(z) − t)/rows |
//! | `BceWithLogits` | max(z, 0) − z·t + ln(1 + e^(−\|z\|)), over elements | (σ(z) − t)/n |
//! | `Mse` | (z − t)², over elements | 2(z − t)/n |
//!
//! The first two are fused with their output function (softmax, sigmoid) and computed on the
//! logits by [`act::rowwise`], in the numerically safe forms its docs give: no overflow, no
//! log 0, and the gradient p − t the guide promises, with p − 1 kept exact where p ≈ 1.
//!
//! ```
//! use nn::loss::{Loss, LossTarget};
//!
//! // Two rows of three logits, classes 2 and 0: (batch, classes) = (2, 3).
//! let logits = [0.0f64, 0.0, 0.0, 0.0, 0.0, 0.0];
//! let mut grad = [0.0f64; 6];
//! let loss = Loss::SoftmaxCrossEntropy.compute(&logits, 3, LossTarget::Classes(&[2, 0]), &mut grad)?;
//! assert!((loss - 3f64.ln()).abs() < 1e-15); // uniform over 3 classes
//! // (p − t)/rows: (1/3 − 1)/2 on the target, (1/3)/2 elsewhere.
//! assert!((grad[2] + 1.0 / 3.0).abs() < 1e-15 && (grad[0] - 1.0 / 6.0).abs() < 1e-15);
//! # Ok::<(), nn::loss::LossError>(())
//! ```

use act::rowwise::{self, RowError, Target};

use crate::Scalar;
use crate::num::{cast, wide};

/// A training loss. See the [module docs](self) for the formulas.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Loss {
    /// Softmax cross-entropy on logits (`torch.nn.CrossEntropyLoss`): the outputs are one
    /// logit per class; targets are classes or per-row class probabilities.
    #[default]
    SoftmaxCrossEntropy,
    /// Sigmoid binary cross-entropy on logits (`torch.nn.BCEWithLogitsLoss`): each output is
    /// the logit of an independent yes/no. With one output, class targets must be 0 or 1; with
    /// several, a class c is the one-hot row e_c.
    BceWithLogits,
    /// Mean squared error (`torch.nn.MSELoss`) on the raw outputs: targets are values, or
    /// classes as one-hot rows (with one output, the class index itself).
    Mse,
}

/// The targets of a batch, as a [`Loss`] reads them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LossTarget<'a, T> {
    /// One class index per row.
    Classes(&'a [usize]),
    /// One value per output, row-major `(batch, outputs)`: probabilities for the
    /// cross-entropies, real values for MSE.
    Values(&'a [T]),
}

/// Why a loss rejected its arguments. Nothing is written when one is returned.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum LossError {
    /// The output's length is not a whole number of rows of `outputs`, or a buffer's length does
    /// not match it (as [`act::rowwise`] reports it).
    Shape(RowError),
    /// A class index is too large for the outputs.
    ClassOutOfRange {
        /// The row whose target it is.
        row: usize,
        /// The class given.
        class: usize,
        /// The number of classes the outputs encode (`outputs`, or 2 for a single BCE or MSE
        /// output).
        classes: usize,
    },
}

impl core::fmt::Display for LossError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            LossError::Shape(e) => write!(f, "loss: {e}"),
            LossError::ClassOutOfRange {
                row,
                class,
                classes,
            } => write!(
                f,
                "loss: row {row} has class {class}, but the outputs encode {classes} classes"
            ),
        }
    }
}

impl std::error::Error for LossError {}

impl From<RowError> for LossError {
    fn from(e: RowError) -> LossError {
        match e {
            RowError::ClassOutOfRange { row, class, cols } => LossError::ClassOutOfRange {
                row,
                class,
                classes: cols,
            },
            other => LossError::Shape(other),
        }
    }
}

impl Loss {
    /// The PyTorch-style name: `softmax_cross_entropy`, `bce_with_logits` or `mse`.
    pub fn name(&self) -> &'static str {
        match self {
            Loss::SoftmaxCrossEntropy => "softmax_cross_entropy",
            Loss::BceWithLogits => "bce_with_logits",
            Loss::Mse => "mse",
        }
    }

    /// The loss of `outputs` (row-major `(batch, width)`) against `target`, averaged (see the
    /// [module docs](self)); overwrites `grad` (same shape) with ∂loss/∂outputs.
    ///
    /// # Errors
    ///
    /// [`LossError::Shape`] if `outputs` is not whole rows of `width` or `grad`/`target` has the
    /// wrong length; [`LossError::ClassOutOfRange`] for a class the outputs cannot encode.
    pub fn compute<T: Scalar>(
        &self,
        outputs: &[T],
        width: usize,
        target: LossTarget<'_, T>,
        grad: &mut [T],
    ) -> Result<T, LossError> {
        let rows = rows_of(outputs.len(), width)?;
        check_len("grad", outputs.len(), grad.len())?;
        match target {
            LossTarget::Classes(classes) => {
                check_len("targets", rows, classes.len())?;
                // Classes a single BCE/MSE output encodes: 0 and 1.
                let encodable = if width == 1 && *self != Loss::SoftmaxCrossEntropy {
                    2
                } else {
                    width
                };
                if let Some((row, &class)) =
                    classes.iter().enumerate().find(|&(_, &c)| c >= encodable)
                {
                    return Err(LossError::ClassOutOfRange {
                        row,
                        class,
                        classes: encodable,
                    });
                }
            }
            LossTarget::Values(values) => check_len("targets", outputs.len(), values.len())?,
        }
        Ok(match (self, target) {
            // f32: the fused SIMD kernel (the same conventions and errors, within 0.5 ULP plus
            // ~10⁻¹³ relative); f64: the exact row-wise function.
            (Loss::SoftmaxCrossEntropy, LossTarget::Classes(c)) => {
                act::kernels::softmax_cross_entropy_mean(
                    outputs,
                    Target::Class(c),
                    width,
                    Some(grad),
                )?
            }
            (Loss::SoftmaxCrossEntropy, LossTarget::Values(p)) => {
                rowwise::softmax_cross_entropy_mean(outputs, Target::Probs(p), width, Some(grad))?
            }
            (Loss::BceWithLogits, LossTarget::Values(t)) => {
                rowwise::bce_with_logits_mean(outputs, t, Some(grad))?
            }
            (Loss::BceWithLogits, LossTarget::Classes(classes)) => {
                // Element by element against the implied 0/1 target, summed in f64 and averaged
                // once (the mean over all batch·width elements, as PyTorch's).
                let n = outputs.len() as f64;
                let mut total = 0.0f64;
                for (i, (&z, g)) in outputs.iter().zip(grad.iter_mut()).enumerate() {
                    let t = cast::<T>(class_indicator(classes, width, i));
                    let mut gi = [T::zero()];
                    let li = rowwise::bce_with_logits(&[z], &[t], Some(&mut gi))?;
                    total += wide(li);
                    *g = cast::<T>(wide(gi[0]) / n);
                }
                cast(total / n)
            }
            (Loss::Mse, target) => {
                // L = (1/n) Σ (z − t)²,  ∂L/∂z = 2(z − t)/n.
                let n = outputs.len() as f64;
                let mut total = 0.0f64;
                for (i, (&z, g)) in outputs.iter().zip(grad.iter_mut()).enumerate() {
                    let t = match target {
                        LossTarget::Values(v) => wide(v[i]),
                        LossTarget::Classes(classes) => class_indicator(classes, width, i),
                    };
                    let diff = wide(z) - t;
                    total += diff * diff;
                    *g = cast::<T>(2.0 * diff / n);
                }
                cast(total / n)
            }
        })
    }

    /// The predicted class of each row of `outputs` (`(batch, width)`): the arg-max logit
    /// (first on ties) for several outputs; for one output, 1 if it passes the decision
    /// threshold (logit > 0 for BCE, value > ½ for MSE) else 0. Softmax cross-entropy needs at
    /// least two outputs to predict anything but class 0.
    pub fn predict_into<T: Scalar>(&self, outputs: &[T], width: usize, classes: &mut [usize]) {
        for (row, class) in outputs.chunks_exact(width).zip(classes.iter_mut()) {
            *class = if width == 1 {
                let threshold = match self {
                    Loss::BceWithLogits => T::zero(),
                    Loss::Mse => cast(0.5),
                    Loss::SoftmaxCrossEntropy => T::infinity(),
                };
                usize::from(row[0] > threshold)
            } else {
                let mut best = 0;
                for (j, &v) in row.iter().enumerate() {
                    // NaN never wins; ties keep the first (as torch.argmax).
                    if v > row[best] || row[best].is_nan() && !v.is_nan() {
                        best = j;
                    }
                }
                best
            };
        }
    }
}

impl core::fmt::Display for Loss {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// The target of element `i` (row-major, `width` per row) for class targets: the class itself
/// (0 or 1) for a single output, else the one-hot indicator [class == column].
fn class_indicator(classes: &[usize], width: usize, i: usize) -> f64 {
    let class = classes[i / width];
    if width == 1 {
        class as f64
    } else if class == i % width {
        1.0
    } else {
        0.0
    }
}

fn rows_of(len: usize, width: usize) -> Result<usize, LossError> {
    if width == 0 {
        return Err(LossError::Shape(RowError::ZeroCols));
    }
    if !len.is_multiple_of(width) {
        return Err(LossError::Shape(RowError::NotWholeRows {
            len,
            row_len: width,
        }));
    }
    Ok(len / width)
}

fn check_len(argument: &'static str, expected: usize, got: usize) -> Result<(), LossError> {
    if expected == got {
        Ok(())
    } else {
        Err(LossError::Shape(RowError::LengthMismatch {
            argument,
            expected,
            got,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mse_is_the_mean_square_and_its_gradient() {
        // Outputs (2, 1) against 1 and 3: L = ((2 − 1)² + (1 − 3)²)/2 = 2.5, ∂L/∂z = 2(z − t)/2.
        let mut grad = [0.0f64; 2];
        let loss = Loss::Mse
            .compute(&[2.0, 1.0], 1, LossTarget::Values(&[1.0, 3.0]), &mut grad)
            .unwrap();
        assert_eq!(loss, 2.5);
        assert_eq!(grad, [1.0, -2.0]);
    }

    #[test]
    fn bce_with_classes_matches_bce_with_values() {
        let z = [0.3f64, -2.0, 5.0];
        let (mut g1, mut g2) = ([0.0; 3], [0.0; 3]);
        let a = Loss::BceWithLogits
            .compute(&z, 1, LossTarget::Classes(&[1, 0, 1]), &mut g1)
            .unwrap();
        let b = Loss::BceWithLogits
            .compute(&z, 1, LossTarget::Values(&[1.0, 0.0, 1.0]), &mut g2)
            .unwrap();
        assert!((a - b).abs() < 1e-15);
        for (x, y) in g1.iter().zip(&g2) {
            assert!((x - y).abs() < 1e-16);
        }
    }

    #[test]
    fn classes_out_of_range_and_bad_shapes_are_errors() {
        let mut grad = [0.0f32; 2];
        let e =
            Loss::BceWithLogits.compute(&[0.0f32, 0.0], 1, LossTarget::Classes(&[0, 2]), &mut grad);
        assert_eq!(
            e,
            Err(LossError::ClassOutOfRange {
                row: 1,
                class: 2,
                classes: 2
            })
        );
        let e = Loss::SoftmaxCrossEntropy.compute(
            &[0.0f32; 3],
            2,
            LossTarget::Classes(&[0]),
            &mut grad,
        );
        assert!(matches!(e, Err(LossError::Shape(_))));
        let e = Loss::Mse.compute(&[0.0f32; 2], 1, LossTarget::Values(&[0.0]), &mut grad);
        assert!(matches!(e, Err(LossError::Shape(_))));
    }

    #[test]
    fn predictions_take_the_argmax_or_the_threshold() {
        let mut classes = [9usize; 2];
        Loss::SoftmaxCrossEntropy.predict_into(
            &[0.1f32, 0.7, 0.2, 3.0, 3.0, -1.0],
            3,
            &mut classes,
        );
        assert_eq!(classes, [1, 0]); // the tie goes to the first
        Loss::BceWithLogits.predict_into(&[0.5f64, -0.5], 1, &mut classes);
        assert_eq!(classes, [1, 0]);
        Loss::Mse.predict_into(&[0.4f64, 0.6], 1, &mut classes);
        assert_eq!(classes, [0, 1]);
    }
}
