//! # nn: the training engine
//!
//! Multilayer perceptrons built on the `act` catalogue, with the diagnostics the guide needs
//! built in (per-layer gradient flow, dead and saturated units, divergence caught and explained).
//!
//! Modules:
//! - [`Mlp`] and its [`MlpBuilder`]: the network, written as the maths reads
//!   (`Mlp::builder(2).dense(8).act(Activation::Tanh).dense(1).build(seed)`), with flat
//!   parameter and gradient buffers, its forward and backward passes;
//! - [`layer`]: the layer kinds (dense, any catalogue activation, PReLU, RReLU, the GLU family,
//!   dropout) and what each computes forward and backward;
//! - [`loss`]: softmax cross-entropy, sigmoid BCE (both on logits) and MSE;
//! - [`train`]: the training loop (shuffled minibatches, schedule, penalties, clipping,
//!   evaluation) and its divergence errors;
//! - [`diagnostics`]: per-layer gradient norms, activation statistics, saturated and dead units;
//! - [`data`]: datasets (TensorFlow Playground's 2-D sets and more, regression sets, CSV and IDX
//!   loaders), seeded;
//! - [`persist`]: saving a trained network as safetensors with a JSON model description, and
//!   loading it back, every part of the file validated;
//! - [`init`]: weight initialisers (Glorot, He, LeCun, orthogonal, …) with PyTorch's gains;
//! - [`optim`]: optimisers (SGD, momentum, Nesterov, Adam, AdamW) and gradient clipping;
//! - [`schedule`]: learning-rate schedules;
//! - [`rng`]: the seeded random-number source everything draws from;
//! - [`workload`]: the training benchmark's three workloads;
//! - [`Scalar`]: `f32` or `f64`.
#![deny(missing_docs)]

mod builder;
pub mod data;
pub mod diagnostics;
pub mod init;
pub mod layer;
pub mod loss;
mod matmul;
mod model;
mod num;
pub mod optim;
pub mod persist;
pub mod rng;
mod scalar;
pub mod schedule;
pub mod train;
pub mod workload;

pub use builder::{BuildError, MlpBuilder};
pub use layer::Layer;
pub use model::{Mlp, Mode};
pub use scalar::Scalar;
