//! The training benchmark's workloads: three network shapes that stress different costs (a
//! GEMM-bound MNIST MLP, a tiny Playground network bound by per-step overhead, a deep narrow
//! sigmoid network bound by the activations), each trained for one epoch over standard-normal
//! samples with random labels, SGD at 0.05, softmax cross-entropy, the default initialiser.
//!
//! `actlab bench train` and `benches/train_step.rs` run them; `tools/torch_train.py` times
//! PyTorch on the same shapes.
//!
//! ```
//! use nn::workload::{WORKLOADS, run};
//!
//! let playground = &WORKLOADS[1];
//! assert_eq!(playground.name, "playground_2-8-8-8-2_b10_tanh");
//! let timing = run(playground, 1, 2_000, false)?; // a short run of 2000 samples
//! assert!(timing.samples_per_s > 0.0);
//! # Ok::<(), nn::train::TrainError>(())
//! ```

use std::time::Instant;

use act::Activation;

use crate::Mlp;
use crate::data::{Dataset, Targets};
use crate::diagnostics::DiagnosticsConfig;
use crate::optim::Sgd;
use crate::rng::Rng;
use crate::train::{TrainConfig, TrainError, train};

/// One benchmark workload.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Workload {
    /// The name acceptance checks and the PyTorch script use.
    pub name: &'static str,
    /// Samples in the epoch (N).
    pub samples: usize,
    /// Minibatch rows (B).
    pub batch: usize,
    /// Input width.
    pub inputs: usize,
    /// Hidden layer widths.
    pub hidden: &'static [usize],
    /// Output classes.
    pub classes: usize,
    /// The hidden activation.
    pub activation: Activation,
}

/// The three workloads, in the benchmark's fixed order.
pub const WORKLOADS: [Workload; 3] = [
    Workload {
        name: "mnist_mlp_784-256-256-10_b128_relu",
        samples: 60_000,
        batch: 128,
        inputs: 784,
        hidden: &[256, 256],
        classes: 10,
        activation: Activation::Relu,
    },
    Workload {
        name: "playground_2-8-8-8-2_b10_tanh",
        samples: 20_000,
        batch: 10,
        inputs: 2,
        hidden: &[8, 8, 8],
        classes: 2,
        activation: Activation::Tanh,
    },
    Workload {
        name: "deep_20x64_b64_sigmoid",
        samples: 20_000,
        batch: 64,
        inputs: 64,
        hidden: &[64; 20],
        classes: 10,
        activation: Activation::Sigmoid,
    },
];

/// `samples` standard-normal rows of `inputs` features with uniformly random labels (seed 1).
pub fn random_data(samples: usize, inputs: usize, classes: usize) -> Dataset {
    let mut rng = Rng::seed(1);
    let x = (0..samples * inputs)
        .map(|_| rng.normal(0.0, 1.0) as f32)
        .collect();
    let labels = (0..samples).map(|_| rng.below(classes) as u32).collect();
    Dataset::new(
        x,
        inputs,
        Targets::Classes {
            labels,
            n_classes: classes,
        },
    )
    .expect("standard-normal features are finite and labels are in range")
}

/// One timed epoch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timing {
    /// Samples trained per second of wall time.
    pub samples_per_s: f64,
    /// The epoch's wall time in seconds.
    pub seconds: f64,
    /// The epoch's mean training loss (the same for every thread count).
    pub loss: f64,
}

/// Trains a fresh network of `workload`'s shape (weights from seed 0) for one epoch over its
/// first `samples` samples (`workload.samples` for the benchmark proper) on `threads` threads,
/// with diagnostics off or at their defaults, and times the epoch (data generation and network
/// construction excluded).
///
/// # Errors
///
/// A [`TrainError`] if training fails (it does not on these workloads).
pub fn run(
    workload: &Workload,
    threads: usize,
    samples: usize,
    diagnostics: bool,
) -> Result<Timing, TrainError> {
    let data = random_data(samples, workload.inputs, workload.classes);
    let mut builder = Mlp::<f32>::builder(workload.inputs).threads(threads);
    for &h in workload.hidden {
        builder = builder.dense(h).act(workload.activation);
    }
    let mut model = builder
        .dense(workload.classes)
        .build(0)
        .expect("the workloads are valid networks");
    let config = TrainConfig {
        epochs: 1,
        batch_size: workload.batch,
        optimizer: Sgd {
            lr: 0.05,
            ..Sgd::default()
        }
        .into(),
        diagnostics: diagnostics.then(DiagnosticsConfig::default),
        ..TrainConfig::default()
    };
    let start = Instant::now();
    let reports = train(&mut model, &data, None, &config, |_| {})?;
    let seconds = start.elapsed().as_secs_f64();
    Ok(Timing {
        samples_per_s: samples as f64 / seconds,
        seconds,
        loss: reports.last().map_or(f64::NAN, |r| r.train_loss),
    })
}
