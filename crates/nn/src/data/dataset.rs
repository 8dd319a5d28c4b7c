//! The in-memory table every model trains on: features, targets and their names.

use std::error::Error;
use std::fmt;

/// What a [`Dataset`] asks the model to predict, one entry per row.
#[derive(Debug, Clone, PartialEq)]
pub enum Targets {
    /// Classification: one class per row.
    Classes {
        /// The class of each row, every one in `0..n_classes`.
        labels: Vec<u32>,
        /// How many classes the task has (a subset may lack rows of some of them).
        n_classes: usize,
    },
    /// Regression with one output: one real value per row.
    Values(Vec<f32>),
}

impl Targets {
    /// The number of rows.
    pub fn len(&self) -> usize {
        match self {
            Targets::Classes { labels, .. } => labels.len(),
            Targets::Values(values) => values.len(),
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The targets of the rows `indices`, in that order.
    ///
    /// # Panics
    /// If an index is out of range.
    pub fn gather(&self, indices: &[usize]) -> Targets {
        match self {
            Targets::Classes { labels, n_classes } => Targets::Classes {
                labels: indices.iter().map(|&i| labels[i]).collect(),
                n_classes: *n_classes,
            },
            Targets::Values(values) => {
                Targets::Values(indices.iter().map(|&i| values[i]).collect())
            }
        }
    }
}

/// A table of `n` rows by `d` features, with one target per row.
///
/// Features are stored row-major in one flat buffer, `features[i * d + j]` being feature `j` of
/// row `i`; every feature and every regression value is finite, every label is below
/// `n_classes`. Feature names are always present (`x1`, `x2`, … unless the source named them);
/// class names only when known.
///
/// ```
/// use nn::data::{Dataset, Targets};
///
/// // (n = 3, d = 2)
/// let features = vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
/// let targets = Targets::Classes { labels: vec![0, 1, 1], n_classes: 2 };
/// let data = Dataset::new(features, 2, targets).unwrap();
/// assert_eq!((data.len(), data.n_features()), (3, 2));
/// assert_eq!(data.row(1), &[2.0, 3.0]);
/// assert_eq!(data.class_counts(), Some(vec![1, 2]));
/// assert_eq!(data.feature_names(), &["x1", "x2"]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// (n, d), row-major.
    features: Vec<f32>,
    n_features: usize,
    targets: Targets,
    feature_names: Vec<String>,
    class_names: Option<Vec<String>>,
}

impl Dataset {
    /// A dataset from row-major `features` (`targets.len()` rows × `n_features`) and `targets`,
    /// with default feature names `x1`, `x2`, … and no class names.
    ///
    /// # Errors
    /// [`DatasetError`] when `n_features` is 0, the buffer's length is not rows × `n_features`, a
    /// feature or regression value is not finite, `n_classes` is 0 or a label is out of range.
    pub fn new(
        features: Vec<f32>,
        n_features: usize,
        targets: Targets,
    ) -> Result<Dataset, DatasetError> {
        if n_features == 0 {
            return Err(DatasetError::NoFeatures);
        }
        let n_rows = targets.len();
        if n_rows.checked_mul(n_features) != Some(features.len()) {
            return Err(DatasetError::ShapeMismatch {
                features_len: features.len(),
                n_rows,
                n_features,
            });
        }
        if let Some(at) = features.iter().position(|v| !v.is_finite()) {
            return Err(DatasetError::NonFiniteFeature {
                row: at / n_features,
                column: at % n_features,
                value: features[at],
            });
        }
        match &targets {
            Targets::Classes { labels, n_classes } => {
                if *n_classes == 0 {
                    return Err(DatasetError::NoClasses);
                }
                if let Some(row) = labels.iter().position(|&l| l as usize >= *n_classes) {
                    return Err(DatasetError::LabelOutOfRange {
                        row,
                        label: labels[row],
                        n_classes: *n_classes,
                    });
                }
            }
            Targets::Values(values) => {
                if let Some(row) = values.iter().position(|v| !v.is_finite()) {
                    return Err(DatasetError::NonFiniteTarget {
                        row,
                        value: values[row],
                    });
                }
            }
        }
        Ok(Dataset {
            features,
            n_features,
            targets,
            feature_names: (1..=n_features).map(|j| format!("x{j}")).collect(),
            class_names: None,
        })
    }

    /// The same dataset with its features named.
    ///
    /// # Errors
    /// [`DatasetError::FeatureNamesLength`] unless there is one name per feature.
    pub fn with_feature_names(mut self, names: Vec<String>) -> Result<Dataset, DatasetError> {
        if names.len() != self.n_features {
            return Err(DatasetError::FeatureNamesLength {
                expected: self.n_features,
                got: names.len(),
            });
        }
        self.feature_names = names;
        Ok(self)
    }

    /// The same dataset with its classes named, `names[k]` naming label `k`.
    ///
    /// # Errors
    /// [`DatasetError::ClassNamesOnRegression`] for a regression dataset,
    /// [`DatasetError::ClassNamesLength`] unless there is one name per class.
    pub fn with_class_names(mut self, names: Vec<String>) -> Result<Dataset, DatasetError> {
        let Some(n_classes) = self.n_classes() else {
            return Err(DatasetError::ClassNamesOnRegression);
        };
        if names.len() != n_classes {
            return Err(DatasetError::ClassNamesLength {
                expected: n_classes,
                got: names.len(),
            });
        }
        self.class_names = Some(names);
        Ok(self)
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of features per row, `d` (at least 1).
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// All features, row-major: `(n, d)`.
    pub fn features(&self) -> &[f32] {
        &self.features
    }

    /// Mutable features, for transforms such as [`crate::data::Standardizer`] that keep them
    /// finite.
    pub(crate) fn features_mut(&mut self) -> &mut [f32] {
        &mut self.features
    }

    /// The features of row `i`: `(d,)`.
    ///
    /// # Panics
    /// If `i >= self.len()`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.features[i * self.n_features..(i + 1) * self.n_features]
    }

    /// The targets.
    pub fn targets(&self) -> &Targets {
        &self.targets
    }

    /// The class labels, for a classification dataset.
    pub fn labels(&self) -> Option<&[u32]> {
        match &self.targets {
            Targets::Classes { labels, .. } => Some(labels),
            Targets::Values(_) => None,
        }
    }

    /// The target values, for a regression dataset.
    pub fn values(&self) -> Option<&[f32]> {
        match &self.targets {
            Targets::Classes { .. } => None,
            Targets::Values(values) => Some(values),
        }
    }

    /// The number of classes, for a classification dataset.
    pub fn n_classes(&self) -> Option<usize> {
        match &self.targets {
            Targets::Classes { n_classes, .. } => Some(*n_classes),
            Targets::Values(_) => None,
        }
    }

    /// Whether the targets are classes.
    pub fn is_classification(&self) -> bool {
        matches!(self.targets, Targets::Classes { .. })
    }

    /// The width of the model's output layer: `n_classes` for classification, 1 for regression.
    pub fn n_outputs(&self) -> usize {
        self.n_classes().unwrap_or(1)
    }

    /// One name per feature.
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// One name per class, when known.
    pub fn class_names(&self) -> Option<&[String]> {
        self.class_names.as_deref()
    }

    /// How many rows each class has, indexed by label; `None` for regression.
    pub fn class_counts(&self) -> Option<Vec<usize>> {
        let Targets::Classes { labels, n_classes } = &self.targets else {
            return None;
        };
        let mut counts = vec![0; *n_classes];
        for &label in labels {
            counts[label as usize] += 1;
        }
        Some(counts)
    }

    /// The rows `indices`, in that order (repeats allowed, as for a bootstrap), with the same
    /// names and number of classes.
    ///
    /// # Panics
    /// If an index is out of range.
    pub fn subset(&self, indices: &[usize]) -> Dataset {
        let mut features = Vec::with_capacity(indices.len() * self.n_features);
        self.gather_features(indices, &mut features);
        Dataset {
            features,
            n_features: self.n_features,
            targets: self.targets.gather(indices),
            feature_names: self.feature_names.clone(),
            class_names: self.class_names.clone(),
        }
    }

    /// Appends the features of rows `indices` to `out`: `(indices.len(), d)`, row-major.
    ///
    /// # Panics
    /// If an index is out of range.
    pub fn gather_features(&self, indices: &[usize], out: &mut Vec<f32>) {
        out.reserve(indices.len() * self.n_features);
        for &i in indices {
            out.extend_from_slice(self.row(i));
        }
    }
}

/// Why [`Dataset::new`] or a `with_*_names` call refused its input.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DatasetError {
    /// `n_features` was 0.
    NoFeatures,
    /// The feature buffer does not hold `n_rows × n_features` values.
    ShapeMismatch {
        /// The buffer's length.
        features_len: usize,
        /// The number of targets.
        n_rows: usize,
        /// The declared number of features.
        n_features: usize,
    },
    /// A feature is NaN or infinite.
    NonFiniteFeature {
        /// Its row (0-based).
        row: usize,
        /// Its column (0-based).
        column: usize,
        /// The value.
        value: f32,
    },
    /// A regression target is NaN or infinite.
    NonFiniteTarget {
        /// Its row (0-based).
        row: usize,
        /// The value.
        value: f32,
    },
    /// `n_classes` was 0.
    NoClasses,
    /// A label is not below `n_classes`.
    LabelOutOfRange {
        /// Its row (0-based).
        row: usize,
        /// The label.
        label: u32,
        /// The declared number of classes.
        n_classes: usize,
    },
    /// There is not one feature name per feature.
    FeatureNamesLength {
        /// The number of features.
        expected: usize,
        /// The number of names given.
        got: usize,
    },
    /// There is not one class name per class.
    ClassNamesLength {
        /// The number of classes.
        expected: usize,
        /// The number of names given.
        got: usize,
    },
    /// Class names were given to a regression dataset.
    ClassNamesOnRegression,
}

impl fmt::Display for DatasetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatasetError::NoFeatures => write!(f, "a dataset needs at least one feature"),
            DatasetError::ShapeMismatch {
                features_len,
                n_rows,
                n_features,
            } => write!(
                f,
                "{features_len} feature values do not make {n_rows} rows of {n_features} features"
            ),
            DatasetError::NonFiniteFeature { row, column, value } => {
                write!(
                    f,
                    "feature {column} of row {row} is {value}, not a finite number"
                )
            }
            DatasetError::NonFiniteTarget { row, value } => {
                write!(f, "the target of row {row} is {value}, not a finite number")
            }
            DatasetError::NoClasses => write!(f, "a classification dataset needs n_classes ≥ 1"),
            DatasetError::LabelOutOfRange {
                row,
                label,
                n_classes,
            } => write!(f, "row {row} has label {label}, outside 0..{n_classes}"),
            DatasetError::FeatureNamesLength { expected, got } => {
                write!(f, "{got} feature names for {expected} features")
            }
            DatasetError::ClassNamesLength { expected, got } => {
                write!(f, "{got} class names for {expected} classes")
            }
            DatasetError::ClassNamesOnRegression => {
                write!(f, "a regression dataset has no classes to name")
            }
        }
    }
}

impl Error for DatasetError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Dataset {
        // (n = 4, d = 2)
        let features = vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5];
        Dataset::new(
            features,
            2,
            Targets::Classes {
                labels: vec![0, 1, 2, 1],
                n_classes: 3,
            },
        )
        .unwrap()
    }

    #[test]
    fn accessors_see_the_rows() {
        let data = tiny();
        assert_eq!(data.len(), 4);
        assert_eq!(data.row(3), &[3.0, 3.5]);
        assert_eq!(data.labels(), Some(&[0, 1, 2, 1][..]));
        assert_eq!(data.values(), None);
        assert_eq!(data.n_outputs(), 3);
        assert_eq!(data.class_counts(), Some(vec![1, 2, 1]));
    }

    #[test]
    fn subset_gathers_in_order_with_repeats() {
        let data = tiny()
            .with_class_names(vec!["a".into(), "b".into(), "c".into()])
            .unwrap();
        let sub = data.subset(&[3, 0, 3]);
        assert_eq!(sub.features(), &[3.0, 3.5, 0.0, 0.5, 3.0, 3.5]);
        assert_eq!(sub.labels(), Some(&[1, 0, 1][..]));
        assert_eq!(sub.n_classes(), Some(3));
        assert_eq!(sub.class_names(), data.class_names());
        assert!(data.subset(&[]).is_empty());
    }

    #[test]
    fn new_rejects_bad_shapes_and_values() {
        let classes = |labels: Vec<u32>, n_classes| Targets::Classes { labels, n_classes };
        assert_eq!(
            Dataset::new(vec![], 0, classes(vec![], 1)),
            Err(DatasetError::NoFeatures)
        );
        assert!(matches!(
            Dataset::new(vec![1.0; 5], 2, classes(vec![0, 0], 1)),
            Err(DatasetError::ShapeMismatch {
                features_len: 5,
                ..
            })
        ));
        assert!(matches!(
            Dataset::new(vec![1.0, f32::NAN], 2, classes(vec![0], 1)),
            Err(DatasetError::NonFiniteFeature {
                row: 0,
                column: 1,
                ..
            })
        ));
        assert_eq!(
            Dataset::new(vec![1.0, 2.0], 1, classes(vec![0, 2], 2)),
            Err(DatasetError::LabelOutOfRange {
                row: 1,
                label: 2,
                n_classes: 2
            })
        );
        assert_eq!(
            Dataset::new(vec![], 1, classes(vec![], 0)),
            Err(DatasetError::NoClasses)
        );
        assert!(matches!(
            Dataset::new(vec![1.0], 1, Targets::Values(vec![f32::INFINITY])),
            Err(DatasetError::NonFiniteTarget { row: 0, .. })
        ));
    }

    #[test]
    fn names_must_fit() {
        assert_eq!(
            tiny().with_feature_names(vec!["a".into()]),
            Err(DatasetError::FeatureNamesLength {
                expected: 2,
                got: 1
            })
        );
        assert_eq!(
            tiny().with_class_names(vec![]),
            Err(DatasetError::ClassNamesLength {
                expected: 3,
                got: 0
            })
        );
        let regression = Dataset::new(vec![1.0], 1, Targets::Values(vec![0.5])).unwrap();
        assert_eq!(
            regression.with_class_names(vec![]),
            Err(DatasetError::ClassNamesOnRegression)
        );
    }
}
