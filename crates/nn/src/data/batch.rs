//! Shuffled mini-batches for one epoch.

use crate::rng::Rng;

use super::dataset::{Dataset, Targets};

/// One mini-batch: the rows it took, their features and their targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// The dataset rows in this batch, in batch order.
    pub indices: Vec<usize>,
    /// Their features, row-major: `(indices.len(), d)`.
    pub features: Vec<f32>,
    /// Their targets, in batch order (same `n_classes` as the dataset).
    pub targets: Targets,
}

impl Batch {
    /// The number of rows.
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// Whether the batch has no rows (never true for batches from [`Batches`]).
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }
}

/// The mini-batches of one epoch, from [`Dataset::batches`].
///
/// Every row appears exactly once; all batches hold `batch_size` rows except possibly the last,
/// which holds the remainder (PyTorch's `drop_last = false`).
#[derive(Debug, Clone)]
pub struct Batches<'a> {
    dataset: &'a Dataset,
    order: Vec<usize>,
    batch_size: usize,
    next: usize,
}

impl Batches<'_> {
    /// The epoch's row order, of which the batches are consecutive chunks.
    pub fn order(&self) -> &[usize] {
        &self.order
    }
}

impl Iterator for Batches<'_> {
    type Item = Batch;

    fn next(&mut self) -> Option<Batch> {
        if self.next >= self.order.len() {
            return None;
        }
        let end = (self.next + self.batch_size).min(self.order.len());
        let indices = self.order[self.next..end].to_vec();
        self.next = end;
        let mut features = Vec::new();
        self.dataset.gather_features(&indices, &mut features);
        let targets = self.dataset.targets().gather(&indices);
        Some(Batch {
            indices,
            features,
            targets,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.order.len() - self.next).div_ceil(self.batch_size);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Batches<'_> {}

impl Dataset {
    /// A seeded permutation of `0..len()`, one epoch's visiting order.
    pub fn shuffled_indices(&self, rng: &mut Rng) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.len()).collect();
        rng.shuffle(&mut order);
        order
    }

    /// One epoch of mini-batches in a seeded random order (see [`Batches`]).
    ///
    /// # Panics
    /// If `batch_size` is 0.
    ///
    /// ```
    /// use nn::data::playground;
    /// use nn::rng::Rng;
    ///
    /// let mut rng = Rng::seed(1);
    /// let data = playground::xor(10, 0.0, &mut rng);
    /// let sizes: Vec<usize> = data.batches(4, &mut rng).map(|b| b.len()).collect();
    /// assert_eq!(sizes, [4, 4, 2]);
    /// ```
    pub fn batches(&self, batch_size: usize, rng: &mut Rng) -> Batches<'_> {
        assert!(batch_size > 0, "batch_size must be at least 1");
        Batches {
            dataset: self,
            order: self.shuffled_indices(rng),
            batch_size,
            next: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_cover_each_row_once_with_its_target() {
        // (n = 7, d = 2): row i is (i, −i) with value 10·i.
        let features = (0..7).flat_map(|i| [i as f32, -(i as f32)]).collect();
        let values = (0..7).map(|i| 10.0 * i as f32).collect();
        let data = Dataset::new(features, 2, Targets::Values(values)).unwrap();
        let batches = data.batches(3, &mut Rng::seed(3));
        assert_eq!(batches.len(), 3);
        let order = batches.order().to_vec();
        let mut seen = Vec::new();
        for batch in batches {
            let Targets::Values(values) = &batch.targets else {
                panic!("regression targets expected")
            };
            for (k, &i) in batch.indices.iter().enumerate() {
                assert_eq!(&batch.features[2 * k..2 * k + 2], data.row(i));
                assert_eq!(values[k], 10.0 * i as f32);
            }
            seen.extend(batch.indices);
        }
        assert_eq!(seen, order);
        seen.sort_unstable();
        assert_eq!(seen, (0..7).collect::<Vec<_>>());
    }

    #[test]
    fn empty_dataset_has_no_batches() {
        let data = Dataset::new(vec![], 1, Targets::Values(vec![])).unwrap();
        assert_eq!(data.batches(4, &mut Rng::seed(0)).count(), 0);
    }
}
