//! Shuffled train/test splits, plain or stratified by class.

use crate::rng::Rng;

use super::dataset::{Dataset, Targets};

/// The number of test rows for `n` rows: `round(test_fraction × n)`, halves away from zero.
///
/// Rounding (not scikit-learn's `ceil`) keeps `0.3 × 10` at 3 although the product is
/// 3.0000000000000004 in binary.
fn test_count(test_fraction: f64, n: usize) -> usize {
    assert!(
        (0.0..=1.0).contains(&test_fraction),
        "test_fraction must lie in [0, 1], got {test_fraction}"
    );
    ((test_fraction * n as f64).round() as usize).min(n)
}

impl Dataset {
    /// Splits the rows into `(train, test)` after a seeded shuffle.
    ///
    /// The test set takes the first `round(test_fraction × n)` rows of a Fisher–Yates
    /// permutation and the train set the rest, both in shuffled order (the Playground shuffles,
    /// then slices). The same generator state gives the same split.
    ///
    /// # Panics
    /// If `test_fraction` is not in `[0, 1]` (NaN included).
    ///
    /// ```
    /// use nn::data::playground;
    /// use nn::rng::Rng;
    ///
    /// let mut rng = Rng::seed(0);
    /// let data = playground::spiral(500, 0.0, &mut rng);
    /// let (train, test) = data.split(0.2, &mut rng);
    /// assert_eq!((train.len(), test.len()), (400, 100));
    /// ```
    pub fn split(&self, test_fraction: f64, rng: &mut Rng) -> (Dataset, Dataset) {
        let n_test = test_count(test_fraction, self.len());
        let mut order: Vec<usize> = (0..self.len()).collect();
        rng.shuffle(&mut order);
        let (test, train) = order.split_at(n_test);
        (self.subset(train), self.subset(test))
    }

    /// Like [`Dataset::split`], but each class gives `round(test_fraction × its count)` rows to
    /// the test set, so both sides keep the class proportions; regression data falls back to
    /// [`Dataset::split`].
    ///
    /// Within each side the rows are shuffled again, so classes are interleaved.
    ///
    /// # Panics
    /// If `test_fraction` is not in `[0, 1]` (NaN included).
    pub fn split_stratified(&self, test_fraction: f64, rng: &mut Rng) -> (Dataset, Dataset) {
        let Targets::Classes { labels, n_classes } = self.targets() else {
            return self.split(test_fraction, rng);
        };
        let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); *n_classes];
        for (row, &label) in labels.iter().enumerate() {
            by_class[label as usize].push(row);
        }
        let mut train = Vec::with_capacity(self.len());
        let mut test = Vec::new();
        for mut rows in by_class {
            let n_test = test_count(test_fraction, rows.len());
            rng.shuffle(&mut rows);
            test.extend_from_slice(&rows[..n_test]);
            train.extend_from_slice(&rows[n_test..]);
        }
        rng.shuffle(&mut train);
        rng.shuffle(&mut test);
        (self.subset(&train), self.subset(&test))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counting(n: usize, n_classes: usize) -> Dataset {
        let features = (0..n).map(|i| i as f32).collect();
        let labels = (0..n).map(|i| (i % n_classes) as u32).collect();
        Dataset::new(features, 1, Targets::Classes { labels, n_classes }).unwrap()
    }

    #[test]
    fn split_partitions_the_rows() {
        let data = counting(10, 2);
        let (train, test) = data.split(0.3, &mut Rng::seed(9));
        // 0.3 × 10 is 3.0000000000000004 in binary; rounding keeps it 3.
        assert_eq!((train.len(), test.len()), (7, 3));
        let mut all: Vec<f32> = train
            .features()
            .iter()
            .chain(test.features())
            .copied()
            .collect();
        all.sort_by(f32::total_cmp);
        assert_eq!(all, (0..10).map(|i| i as f32).collect::<Vec<_>>());
        // Labels travel with their rows.
        for data in [&train, &test] {
            for i in 0..data.len() {
                assert_eq!(data.labels().unwrap()[i], data.row(i)[0] as u32 % 2);
            }
        }
    }

    #[test]
    fn split_extremes_and_empty() {
        let data = counting(5, 1);
        let mut rng = Rng::seed(0);
        assert_eq!(data.split(0.0, &mut rng).1.len(), 0);
        assert_eq!(data.split(1.0, &mut rng).0.len(), 0);
        let empty = data.subset(&[]);
        let (train, test) = empty.split(0.5, &mut rng);
        assert!(train.is_empty() && test.is_empty());
    }

    #[test]
    #[should_panic(expected = "test_fraction")]
    fn split_rejects_nan_fraction() {
        counting(5, 1).split(f64::NAN, &mut Rng::seed(0));
    }

    #[test]
    fn stratified_split_keeps_proportions() {
        // Classes 0, 1, 2 with 40 rows each.
        let data = counting(120, 3);
        let (train, test) = data.split_stratified(0.25, &mut Rng::seed(5));
        assert_eq!(test.class_counts(), Some(vec![10, 10, 10]));
        assert_eq!(train.class_counts(), Some(vec![30, 30, 30]));
    }

    #[test]
    fn stratified_split_of_regression_is_a_plain_split() {
        let data =
            Dataset::new(vec![1.0, 2.0, 3.0, 4.0], 1, Targets::Values(vec![0.0; 4])).unwrap();
        let a = data.split_stratified(0.5, &mut Rng::seed(1));
        let b = data.split(0.5, &mut Rng::seed(1));
        assert_eq!(a, b);
    }
}
