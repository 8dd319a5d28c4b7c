//! The generated datasets by name, as the CLI and the web playground ask for them.

use std::error::Error;
use std::fmt;

use crate::rng::Rng;

use super::dataset::Dataset;
use super::{playground, regression};

/// Every name [`by_name`] accepts: the classification sets, then the regression ones.
pub const NAMES: [&str; 9] = [
    "spiral",
    "xor",
    "circle",
    "gauss",
    "moons",
    "checkerboard",
    "reg-plane",
    "reg-gauss",
    "sine",
];

/// Generates the dataset called `name` (case-insensitive; see [`NAMES`]).
///
/// `spiral`, `xor`, `circle`, `gauss`, `moons` and `checkerboard` are the 2-D classification
/// sets of [`playground`]; `reg-plane`, `reg-gauss` and `sine` are [`regression::plane`],
/// [`regression::gauss`] and [`regression::sine`].
///
/// # Errors
/// [`GeneratorError::UnknownName`] for any other name (its message lists the valid ones),
/// [`GeneratorError::NoiseOutOfRange`] unless `noise ∈ [0, 1]`.
///
/// ```
/// use nn::data::{by_name, GeneratorError};
/// use nn::rng::Rng;
///
/// let mut rng = Rng::seed(42);
/// let spiral = by_name("spiral", 500, 0.1, &mut rng).unwrap();
/// assert_eq!((spiral.len(), spiral.n_classes()), (500, Some(2)));
///
/// let err = by_name("spirals", 500, 0.1, &mut rng).unwrap_err();
/// assert!(matches!(err, GeneratorError::UnknownName { .. }));
/// assert!(err.to_string().contains("spiral, xor, circle"));
/// ```
pub fn by_name(
    name: &str,
    n_samples: usize,
    noise: f32,
    rng: &mut Rng,
) -> Result<Dataset, GeneratorError> {
    let generator: fn(usize, f32, &mut Rng) -> Dataset = match name.to_ascii_lowercase().as_str() {
        "spiral" => playground::spiral,
        "xor" => playground::xor,
        "circle" => playground::circle,
        "gauss" => playground::gauss,
        "moons" => playground::moons,
        "checkerboard" => playground::checkerboard,
        "reg-plane" => regression::plane,
        "reg-gauss" => regression::gauss,
        "sine" => regression::sine,
        _ => {
            return Err(GeneratorError::UnknownName {
                name: name.to_owned(),
            });
        }
    };
    if !(0.0..=1.0).contains(&noise) {
        return Err(GeneratorError::NoiseOutOfRange { noise });
    }
    Ok(generator(n_samples, noise, rng))
}

/// Why [`by_name`] generated nothing.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum GeneratorError {
    /// No generator has this name.
    UnknownName {
        /// The name asked for.
        name: String,
    },
    /// The noise is outside `[0, 1]` or NaN.
    NoiseOutOfRange {
        /// The noise asked for.
        noise: f32,
    },
}

impl fmt::Display for GeneratorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GeneratorError::UnknownName { name } => write!(
                f,
                "unknown dataset {name:?}; expected one of: {}",
                NAMES.join(", ")
            ),
            GeneratorError::NoiseOutOfRange { noise } => write!(
                f,
                "noise {noise} is outside [0, 1] (the Playground's noise slider / 100)"
            ),
        }
    }
}

impl Error for GeneratorError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_generates_and_names_are_case_insensitive() {
        for name in NAMES {
            let data = by_name(name, 20, 0.2, &mut Rng::seed(0)).unwrap();
            assert_eq!(data.len(), 20, "{name}");
            let upper = by_name(&name.to_uppercase(), 20, 0.2, &mut Rng::seed(0)).unwrap();
            assert_eq!(data, upper, "{name}");
        }
    }

    #[test]
    fn bad_noise_is_an_error_not_a_panic() {
        let mut rng = Rng::seed(0);
        for noise in [-0.1, 1.01, f32::NAN, f32::INFINITY] {
            assert!(matches!(
                by_name("xor", 5, noise, &mut rng),
                Err(GeneratorError::NoiseOutOfRange { .. })
            ));
        }
    }
}
