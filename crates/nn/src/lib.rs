//! # nn: the training engine
//!
//! Multilayer perceptrons built on the `act` catalogue, with the diagnostics the guide needs
//! built in (per-layer gradient flow, dead and saturated units, divergence caught and explained).
//!
//! Modules:
//! - [`data`]: datasets (TensorFlow Playground's 2-D sets and more, regression sets, CSV and IDX
//!   loaders), seeded;
//! - [`init`]: weight initialisers (Glorot, He, LeCun, orthogonal, …) with PyTorch's gains;
//! - [`optim`]: optimisers (SGD, momentum, Nesterov, Adam, AdamW) and gradient clipping;
//! - [`schedule`]: learning-rate schedules;
//! - [`rng`]: the seeded random-number source everything draws from;
//! - [`Scalar`]: `f32` or `f64`.
#![deny(missing_docs)]

pub mod data;
pub mod init;
pub mod optim;
pub mod rng;
mod scalar;
pub mod schedule;

pub use scalar::Scalar;
