//! Datasets: TensorFlow Playground's 2-D sets and more, regression sets, CSV and IDX loaders.
//!
//! Everything lands in a [`Dataset`]: row-major `f32` features, [`Targets`] that are either
//! classes or real values, and names for features and classes. From there,
//! [`Dataset::split`] makes a seeded train/test split, [`Dataset::standardize`] fits a
//! [`Standardizer`] on the training rows for the test rows to reuse, and [`Dataset::batches`]
//! deals one epoch of shuffled mini-batches.
//!
//! Sources:
//! - [`playground`]: the Playground's circle, xor, gauss and spiral, plus moons and checkerboard,
//!   2 classes each, in the Playground's `[−6, 6]²` frame;
//! - [`regression`]: the Playground's plane and multi-Gaussian, plus a 1-D sine;
//! - [`by_name`]: any of those by the name the CLI and web playground use (see [`NAMES`]);
//! - [`load_csv`] / [`parse_csv`]: CSV tables, plain or gzip, including scikit-learn's bundled
//!   format (iris, wine, breast cancer, digits);
//! - [`load_idx_pair`] / [`load_idx_dir`]: MNIST-style IDX files, plain or gzip.
//!
//! Every random draw comes from the [`Rng`](crate::rng::Rng) passed in, and the geometry uses
//! `libm`'s portable `sin`/`cos`, so a seed fixes the data bit for bit on every platform.
//!
//! ```
//! use nn::data::by_name;
//! use nn::rng::Rng;
//!
//! let mut rng = Rng::seed(7);
//! let data = by_name("circle", 500, 0.1, &mut rng).unwrap();
//! let (mut train, mut test) = data.split(0.5, &mut rng);
//! let scaler = train.standardize();
//! scaler.apply(&mut test);
//! for batch in train.batches(32, &mut rng) {
//!     assert_eq!(batch.features.len(), batch.len() * 2); // (batch, 2)
//! }
//! assert_eq!(data, by_name("circle", 500, 0.1, &mut Rng::seed(7)).unwrap());
//! ```

mod batch;
mod catalogue;
mod csv;
mod dataset;
mod idx;
pub mod playground;
pub mod regression;
mod source;
mod split;
mod standardize;

pub use batch::{Batch, Batches};
pub use catalogue::{GeneratorError, NAMES, by_name};
pub use csv::{
    CsvError, CsvOptions, Header, LabelColumn, MAX_AUTO_CLASSES, Task, load_csv, parse_csv,
};
pub use dataset::{Dataset, DatasetError, Targets};
pub use idx::{IMAGES_MAGIC, IdxError, IdxSplits, LABELS_MAGIC, load_idx_dir, load_idx_pair};
pub use standardize::Standardizer;
