//! The playground's limits: every size a page, a URL or an upload can ask for is checked against
//! these before any work is done, and a request beyond one is answered with an error message
//! naming the limit (docs/PLAYGROUND.md lists them).

/// Most hidden layers a network may have.
pub const MAX_HIDDEN_LAYERS: usize = 8;
/// Most units in one hidden layer.
pub const MAX_NEURONS_PER_LAYER: usize = 32;
/// Largest minibatch.
pub const MAX_BATCH: usize = 1000;
/// Most points in a generated or uploaded dataset (train and test together).
pub const MAX_SAMPLES: usize = 5000;
/// Fewest points in a generated dataset.
pub const MIN_SAMPLES: usize = 10;
/// Largest CSV upload, in bytes (1 MiB).
pub const MAX_UPLOAD_BYTES: usize = 1 << 20;
/// Largest WebSocket message the server reads, in bytes (4 MiB): above the upload limit, so an
/// oversized upload is answered with an error message rather than a dropped connection; a
/// message above this closes that one socket (the server and every other session go on).
pub const MAX_MESSAGE_BYTES: usize = 4 << 20;
/// Most classes an uploaded dataset may have (the output layer's width under softmax).
pub const MAX_CLASSES: usize = 10;
/// Largest learning rate accepted (anything above diverges at once in f32).
pub const MAX_LEARNING_RATE: f64 = 100.0;
/// Largest L1 or L2 penalty.
pub const MAX_PENALTY: f64 = 10.0;
/// Most concurrent sessions (open tabs) the server keeps.
pub const MAX_SESSIONS: usize = 64;
/// Most points of the loss and gradient history kept per session (older points are thinned).
pub const MAX_HISTORY: usize = 400;
/// Side of the decision-boundary heat map, in cells.
pub const BOUNDARY_GRID: usize = 50;
/// Side of each neuron's (and input feature's) heat map, in cells.
pub const NEURON_GRID: usize = 20;
/// Milliseconds between training ticks while playing (each tick is one epoch).
pub const TICK_MS: u64 = 40;
