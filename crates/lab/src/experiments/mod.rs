//! The guide's experiments: each runs on built-in data, with the training engine and its
//! diagnostics, and returns an [`Outcome`](crate::report::Outcome): the claim, the measurement in
//! words, every number as JSON, and the figures.
//!
//! Each module documents its options and its JSON fields (also in `docs/REPORT_JSON.md`).

pub mod born_dead;
pub mod collapse;
mod common;
pub mod compare;
mod data;
pub mod dying;
pub mod functions;
pub mod init_signal;
pub mod learning_rate;
pub mod softmax_grad;
pub mod vanishing;

pub use common::LabError;
