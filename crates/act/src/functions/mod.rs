//! The per-element mathematics of every activation, grouped by family.
//!
//! Each family file holds two implementations of the same algebra:
//! - `*_fast`: plain f64 with numerically stable formulas, rounded once to f32 for f32 results;
//! - `*_dd`: double-double, rounded once for f64 results, and the reference of the accuracy sweep.
//!
//! Functions that need no transcendental (the piecewise family) have one double-double version.

pub(crate) mod elu;
pub(crate) mod gelu;
pub(crate) mod piecewise;
pub(crate) mod roots;
#[rustfmt::skip]
mod roots_generated;
pub(crate) mod sigmoid;
pub(crate) mod snake;
pub(crate) mod tanh;
pub(crate) mod taylor;
