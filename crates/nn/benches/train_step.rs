//! Training throughput on the issue's three benchmark workloads (one epoch each over
//! standard-normal samples with random labels, SGD at 0.05, softmax cross-entropy, the default
//! initialiser), with diagnostics off and on, so the cost of leaving them on is measured.
//!
//! Run with:
//!
//! ```text
//! cargo bench -p actlab-nn --bench train_step [-- THREADS] [NAME-FILTER]
//! ```
//!
//! Prints samples per second per workload; the best of 3 epochs (the machine is shared).

use std::time::Instant;

use act::Activation;
use nn::Mlp;
use nn::data::{Dataset, Targets};
use nn::diagnostics::DiagnosticsConfig;
use nn::optim::Sgd;
use nn::rng::Rng;
use nn::train::{TrainConfig, train};

struct Workload {
    name: &'static str,
    samples: usize,
    batch: usize,
    inputs: usize,
    hidden: Vec<usize>,
    activation: Activation,
}

fn data(samples: usize, inputs: usize, classes: usize) -> Dataset {
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
    .expect("finite features")
}

fn main() {
    let threads: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1);
    let filter: Option<String> = std::env::args()
        .skip(1)
        .find(|a| a.parse::<usize>().is_err() && !a.starts_with('-'));
    let workloads = [
        Workload {
            name: "mnist_mlp_784-256-256-10_b128_relu",
            samples: 60_000,
            batch: 128,
            inputs: 784,
            hidden: vec![256, 256],
            activation: Activation::Relu,
        },
        Workload {
            name: "playground_2-8-8-8-2_b10_tanh",
            samples: 20_000,
            batch: 10,
            inputs: 2,
            hidden: vec![8, 8, 8],
            activation: Activation::Tanh,
        },
        Workload {
            name: "deep_20x64_b64_sigmoid",
            samples: 20_000,
            batch: 64,
            inputs: 64,
            hidden: vec![64; 20],
            activation: Activation::Sigmoid,
        },
    ];
    println!("threads: {threads}");
    for w in workloads
        .iter()
        .filter(|w| filter.as_ref().is_none_or(|f| w.name.contains(f.as_str())))
    {
        let classes = if w.inputs == 2 { 2 } else { 10 };
        let set = data(w.samples, w.inputs, classes);
        for diagnostics in [None, Some(DiagnosticsConfig::default())] {
            let mut best = f64::INFINITY;
            for _ in 0..3 {
                let mut builder = Mlp::<f32>::builder(w.inputs).threads(threads);
                for &h in &w.hidden {
                    builder = builder.dense(h).act(w.activation);
                }
                let mut model = builder.dense(classes).build(0).expect("valid network");
                let config = TrainConfig {
                    epochs: 1,
                    batch_size: w.batch,
                    optimizer: Sgd {
                        lr: 0.05,
                        ..Sgd::default()
                    }
                    .into(),
                    diagnostics,
                    ..TrainConfig::default()
                };
                let start = Instant::now();
                train(&mut model, &set, None, &config, |_| {}).expect("no divergence");
                best = best.min(start.elapsed().as_secs_f64());
            }
            println!(
                "{:<40} diagnostics {:<3} {:>12.0} samples/s",
                w.name,
                if diagnostics.is_some() { "on" } else { "off" },
                w.samples as f64 / best
            );
        }
    }
}
