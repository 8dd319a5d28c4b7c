//! Row-wise functions (placeholder while being written).
