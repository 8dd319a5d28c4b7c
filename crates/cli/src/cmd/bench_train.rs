//! `actlab bench train`: training throughput on the three benchmark workloads
//! ([`nn::workload::WORKLOADS`]).

use std::process::ExitCode;

use anyhow::Context;
use nn::workload::{WORKLOADS, run};
use serde_json::json;

use crate::cmd::usage;

/// Trains each workload for one epoch (N standard-normal samples with random labels, batch B,
/// SGD at 0.05, softmax cross-entropy, the default initialiser, diagnostics off) and reports
/// samples per second, in this fixed order:
/// `mnist_mlp_784-256-256-10_b128_relu` (N = 60000, B = 128),
/// `playground_2-8-8-8-2_b10_tanh` (N = 20000, B = 10),
/// `deep_20x64_b64_sigmoid` (N = 20000, B = 64).
///
/// With `--json`: `{"threads": N, "runs": [{"name", "samples_per_s", "seconds", "samples",
/// "batch", "loss"}, ...]}`.
#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Threads for the matrix products (1–256).
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Time each workload this many times and keep the fastest (1–100).
    #[arg(long, default_value_t = 1)]
    pub repeat: usize,
    /// Only the workloads whose name contains this text.
    #[arg(long)]
    pub only: Option<String>,
    /// Train on this many samples instead of each workload's N (a shorter, noisier run).
    #[arg(long)]
    pub samples: Option<usize>,
}

/// Runs `actlab bench train`.
pub fn run_train(args: &TrainArgs) -> anyhow::Result<ExitCode> {
    if !(1..=256).contains(&args.threads) {
        return Err(usage(format!(
            "--threads {}: must be between 1 and 256",
            args.threads
        )));
    }
    if !(1..=100).contains(&args.repeat) {
        return Err(usage(format!(
            "--repeat {}: must be between 1 and 100",
            args.repeat
        )));
    }
    if let Some(n) = args.samples
        && !(1..=10_000_000).contains(&n)
    {
        return Err(usage(format!(
            "--samples {n}: must be between 1 and 10000000"
        )));
    }
    let selected: Vec<_> = WORKLOADS
        .iter()
        .filter(|w| {
            args.only
                .as_ref()
                .is_none_or(|o| w.name.contains(o.as_str()))
        })
        .collect();
    if selected.is_empty() {
        return Err(usage(format!(
            "--only {:?} matches no workload; the workloads are: {}",
            args.only.as_deref().unwrap_or(""),
            WORKLOADS.map(|w| w.name).join(", ")
        )));
    }
    let mut runs = Vec::new();
    for w in selected {
        let samples = args.samples.unwrap_or(w.samples);
        let mut best: Option<nn::workload::Timing> = None;
        for _ in 0..args.repeat {
            let t = run(w, args.threads, samples, false)
                .with_context(|| format!("training {}", w.name))?;
            if best.is_none_or(|b| t.samples_per_s > b.samples_per_s) {
                best = Some(t);
            }
        }
        let best = best.expect("repeat ≥ 1");
        runs.push((w, samples, best));
    }
    let text = if args.json {
        let list: Vec<_> = runs
            .iter()
            .map(|(w, samples, t)| {
                json!({
                    "name": w.name,
                    "samples_per_s": t.samples_per_s,
                    "seconds": t.seconds,
                    "samples": samples,
                    "batch": w.batch,
                    "loss": crate::number::json_f64(t.loss),
                })
            })
            .collect();
        format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({"threads": args.threads, "runs": list}))?
        )
    } else {
        let mut t = format!("threads: {}\n", args.threads);
        t.push_str(&format!(
            "{:<38} {:>14} {:>9}\n",
            "workload", "samples/s", "seconds"
        ));
        for (w, _, timing) in &runs {
            t.push_str(&format!(
                "{:<38} {:>14.0} {:>9.3}\n",
                w.name, timing.samples_per_s, timing.seconds
            ));
        }
        t
    };
    super::print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
