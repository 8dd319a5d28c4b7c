//! Per-feature standardisation, fitted on training data and replayed on anything else.

use super::dataset::Dataset;

/// Scales each feature to mean 0 and standard deviation 1: `x' = (x − mean) / std`.
///
/// Fit it on the training set only, then [`apply`](Standardizer::apply) it to the test set (and
/// to every input at inference), so no test statistics leak into training. The standard
/// deviation is the population one (divide by `n`, as scikit-learn's `StandardScaler`); a
/// constant feature (std below `10·ε` of `f64`) keeps std 1, so it maps to 0 rather than NaN.
/// Statistics are accumulated in `f64` with two passes.
///
/// ```
/// use nn::data::{Dataset, Targets};
///
/// let targets = Targets::Values(vec![0.0; 3]);
/// // (n = 3, d = 2): the second feature is constant.
/// let mut train = Dataset::new(vec![1.0, 7.0, 2.0, 7.0, 3.0, 7.0], 2, targets).unwrap();
/// let scaler = train.standardize();
/// assert_eq!(scaler.mean(), &[2.0, 7.0]);
/// assert_eq!(scaler.std()[1], 1.0);
/// assert_eq!(train.row(0)[1], 0.0);
///
/// let mut row = [4.0, 8.0];
/// scaler.apply_row(&mut row);
/// assert!((row[0] - 2.449_489_7).abs() < 1e-6); // (4 − 2) / √(2/3)
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Standardizer {
    mean: Vec<f64>,
    std: Vec<f64>,
}

impl Standardizer {
    /// Measures each feature's mean and standard deviation over `data`'s rows (an empty dataset
    /// gives mean 0, std 1).
    pub fn fit(data: &Dataset) -> Standardizer {
        let d = data.n_features();
        let n = data.len();
        let mut mean = vec![0.0f64; d];
        for i in 0..n {
            for (m, &x) in mean.iter_mut().zip(data.row(i)) {
                *m += f64::from(x);
            }
        }
        if n > 0 {
            mean.iter_mut().for_each(|m| *m /= n as f64);
        }
        // Second pass on deviations: no cancellation from E[x²] − E[x]².
        let mut var = vec![0.0f64; d];
        for i in 0..n {
            for ((v, &m), &x) in var.iter_mut().zip(&mean).zip(data.row(i)) {
                let dev = f64::from(x) - m;
                *v += dev * dev;
            }
        }
        let std = var
            .into_iter()
            .map(|v| {
                let std = if n > 0 { (v / n as f64).sqrt() } else { 0.0 };
                if std < 10.0 * f64::EPSILON { 1.0 } else { std }
            })
            .collect();
        Standardizer { mean, std }
    }

    /// A standardiser from statistics fitted elsewhere (a saved model's, say): one mean and one
    /// standard deviation per feature. `None` unless the lengths agree and every mean is finite
    /// and every standard deviation finite and positive (what [`fit`](Standardizer::fit)
    /// guarantees).
    ///
    /// ```
    /// use nn::data::Standardizer;
    ///
    /// let scaler = Standardizer::from_parts(vec![2.0], vec![0.5]).unwrap();
    /// let mut row = [3.0];
    /// scaler.apply_row(&mut row);
    /// assert_eq!(row, [2.0]);
    /// assert!(Standardizer::from_parts(vec![0.0], vec![0.0]).is_none());
    /// ```
    pub fn from_parts(mean: Vec<f64>, std: Vec<f64>) -> Option<Standardizer> {
        let valid = mean.len() == std.len()
            && mean.iter().all(|m| m.is_finite())
            && std.iter().all(|s| s.is_finite() && *s > 0.0);
        valid.then_some(Standardizer { mean, std })
    }

    /// The number of features it was fitted on.
    pub fn n_features(&self) -> usize {
        self.mean.len()
    }

    /// The fitted means, one per feature.
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// The fitted standard deviations, one per feature (1 for constant features).
    pub fn std(&self) -> &[f64] {
        &self.std
    }

    /// Standardises one row in place: `(d,)`.
    ///
    /// # Panics
    /// If `row.len()` differs from [`n_features`](Standardizer::n_features).
    pub fn apply_row(&self, row: &mut [f32]) {
        assert_eq!(
            row.len(),
            self.n_features(),
            "standardizer fitted on {} features applied to a row of {}",
            self.n_features(),
            row.len()
        );
        for ((x, &m), &s) in row.iter_mut().zip(&self.mean).zip(&self.std) {
            *x = ((f64::from(*x) - m) / s) as f32;
        }
    }

    /// Standardises every row of `data` in place.
    ///
    /// # Panics
    /// If `data` has a different number of features than the data it was fitted on.
    pub fn apply(&self, data: &mut Dataset) {
        let d = data.n_features();
        assert_eq!(
            d,
            self.n_features(),
            "standardizer fitted on {} features applied to a dataset with {d}",
            self.n_features()
        );
        for row in data.features_mut().chunks_exact_mut(d) {
            self.apply_row(row);
        }
    }
}

impl Dataset {
    /// Fits a [`Standardizer`] on this dataset, applies it, and returns it so the same
    /// transform can be applied to the test set.
    pub fn standardize(&mut self) -> Standardizer {
        let scaler = Standardizer::fit(self);
        scaler.apply(self);
        scaler
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Targets;

    #[test]
    fn standardized_features_have_zero_mean_unit_std() {
        // (n = 4, d = 2), feature 2 at a large offset to exercise cancellation.
        let features = vec![
            1.0,
            1e6 + 1.0,
            2.0,
            1e6 + 2.0,
            3.0,
            1e6 + 3.0,
            6.0,
            1e6 + 6.0,
        ];
        let mut data = Dataset::new(features, 2, Targets::Values(vec![0.0; 4])).unwrap();
        let scaler = data.standardize();
        assert_eq!(scaler.mean(), &[3.0, 1e6 + 3.0]);
        // Population variance of 1, 2, 3, 6 around 3: (4 + 1 + 0 + 9) / 4 = 3.5.
        assert!((scaler.std()[0] - 3.5f64.sqrt()).abs() < 1e-12);
        assert!((scaler.std()[1] - 3.5f64.sqrt()).abs() < 1e-12);
        let refit = Standardizer::fit(&data);
        for j in 0..2 {
            assert!(refit.mean()[j].abs() < 1e-7);
            assert!((refit.std()[j] - 1.0).abs() < 1e-6);
        }
    }

    #[test]
    fn constant_and_empty_features_keep_unit_std() {
        let data = Dataset::new(vec![5.0; 3], 1, Targets::Values(vec![0.0; 3])).unwrap();
        let scaler = Standardizer::fit(&data);
        assert_eq!((scaler.mean(), scaler.std()), (&[5.0][..], &[1.0][..]));
        let empty = data.subset(&[]);
        let scaler = Standardizer::fit(&empty);
        assert_eq!((scaler.mean(), scaler.std()), (&[0.0][..], &[1.0][..]));
    }

    #[test]
    #[should_panic(expected = "fitted on 1 features")]
    fn apply_refuses_other_widths() {
        let data = Dataset::new(vec![5.0; 3], 1, Targets::Values(vec![0.0; 3])).unwrap();
        Standardizer::fit(&data).apply_row(&mut [1.0, 2.0]);
    }
}
