//! The training engine (issue 4): multilayer perceptrons on the `act` catalogue, with per-layer diagnostics.
