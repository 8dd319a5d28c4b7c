//! Gated activations (placeholder while being written).
