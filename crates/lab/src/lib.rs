//! # lab: the guide, reproduced
//!
//! The guide this project implements makes claims with formulas: stacked linear layers collapse
//! into one, σ′ ≤ 1/4 so gradients shrink like 0.25^L, tanh = 2σ(2x) − 1, relu passes gradient 1
//! or 0, softplus′ = σ. This crate checks each claim numerically with the `act` catalogue
//! ([`facts`]); the network experiments (vanishing gradients, dying units, initialisation,
//! learning rates) build on the training engine in `nn`.
//!
//! ```
//! let facts = lab::facts::check_all(2001, 1);
//! let sigma = facts.iter().find(|f| f.id == "sigmoid_derivative_max").unwrap();
//! assert!(sigma.holds);
//! assert_eq!(sigma.value, 0.25);
//! ```
#![deny(missing_docs)]

pub mod experiments;
pub mod facts;
pub mod figure;
pub mod guide;
mod html;
pub mod report;
