//! The built-in data the experiments train on: TensorFlow Playground's 2-D sets, generated from
//! a seed, standardised with the training set's statistics.

use nn::data::{Dataset, by_name};
use nn::rng::Rng;

use super::common::{LabError, derive_seed};

/// A train and a test set of `n` rows each from the named generator (`circle`, `xor`,
/// `spiral`, `moons`, …), standardised with the training set's mean and deviation.
///
/// # Errors
///
/// [`LabError::Option`] for an unknown generator name.
pub(crate) fn standardized_pair(
    name: &str,
    n: usize,
    noise: f32,
    seed: u64,
) -> Result<(Dataset, Dataset), LabError> {
    let mut rng = Rng::seed(derive_seed(seed, 0x_da7a));
    let mut train =
        by_name(name, n, noise, &mut rng).map_err(|e| LabError::Option(e.to_string()))?;
    let mut test =
        by_name(name, n, noise, &mut rng).map_err(|e| LabError::Option(e.to_string()))?;
    let standardizer = train.standardize();
    standardizer.apply(&mut test);
    Ok((train, test))
}
