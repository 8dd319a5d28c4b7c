//! `actlab train`: trains a multilayer perceptron and reports what happened inside it.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use act::Activation;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nn::data::Dataset;
use nn::diagnostics::DiagnosticsConfig;
use nn::init::Init;
use nn::loss::Loss;
use nn::optim::Settings;
use nn::persist::{self, ModelCard};
use nn::rng::Rng;
use nn::train::{self, EpochReport, Evaluation, TrainConfig, TrainError};
use nn::{Layer, Mlp};
use serde_json::{Value, json};

use crate::cmd::data::{self, Source};
use crate::cmd::usage;
use crate::number::{json_f64, short};

/// The widest hidden layer `--layers` accepts.
const MAX_WIDTH: usize = 100_000;
/// The most hidden layers `--layers` accepts.
const MAX_DEPTH: usize = 1_000;
/// The most parameters a network may have (1 GiB of f32 weights, and as much again for their
/// gradients and optimiser state).
const MAX_PARAMS: usize = 1 << 28;
/// The most epochs `--epochs` accepts.
const MAX_EPOCHS: usize = 1_000_000;
/// The most threads `--threads` accepts.
const MAX_THREADS: usize = 256;
/// How many diagnostic snapshots a run takes, spread evenly over its steps.
const SNAPSHOTS: u64 = 100;

/// Trains a multilayer perceptron (f32) and prints a summary: loss and accuracy on the training
/// and test sets, and per layer the gradient norms, saturated and dead units.
///
/// The network is input → hidden layers (`--layers`, each a dense layer followed by `--act`) →
/// a dense output layer: one logit per class for softmax cross-entropy, one output for
/// regression or for two classes under `bce_with_logits` or `mse`.
///
/// Data (`--data`): a built-in generated set (`spiral`, `xor`, `circle`, `gauss`, `moons`,
/// `checkerboard`: TensorFlow Playground's 2-D sets, 2 inputs, 2 classes; `reg-plane`,
/// `reg-gauss`, `sine`: regression), split into training and test rows by `--test-fraction`; a
/// CSV file (header detected, the label in the last column or `--target`, split likewise,
/// standardised by default); or an IDX directory (MNIST-style `train-*` and `t10k-*` files:
/// its own training and test sets).
///
/// Output: a progress bar on stderr (when it is a terminal), then a summary table on stdout, or
/// with --json one JSON object (fields in docs/TRAIN_JSON.md). A run that diverges (a loss or
/// weight becomes infinite or NaN) stops with the engine's explanation, naming the step, the
/// layer and the likely cause, and exits 1. Invalid flags exit 2.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The data: a built-in set, a CSV file or an IDX directory.
    #[arg(long, value_name = "NAME|FILE.csv|IDX_DIR")]
    pub data: String,

    /// Hidden layer widths, comma-separated (`8,8`: two hidden layers of 8 units; `""`: none).
    #[arg(long, default_value = "8,8", value_name = "W,W,…")]
    pub layers: String,

    /// The hidden activation: any element-wise catalogue name, with parameters in its display
    /// form, e.g. `relu`, `leaky_relu(negative_slope=0.2)`, `prelu` (learned slope), `rrelu`.
    #[arg(long, default_value = "tanh", value_name = "ACT")]
    pub act: String,

    /// The weight initialiser of every dense layer: zeros, uniform, playground, standard,
    /// xavier, xavier_normal, he, he_normal, lecun, orthogonal. Default: the one the catalogue
    /// recommends for the activation that follows each layer (He for relu, Glorot with gain 5/3
    /// for tanh, …).
    #[arg(long, value_name = "NAME")]
    pub init: Option<String>,

    /// The optimiser: sgd, momentum (SGD, 0.9), nesterov, adam, adamw (PyTorch's defaults).
    #[arg(long, default_value = "sgd", value_name = "NAME")]
    pub opt: String,

    /// The learning rate (finite, > 0).
    #[arg(long, default_value_t = 0.03, value_name = "LR")]
    pub lr: f64,

    /// Rows per minibatch.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub batch: usize,

    /// Passes over the training set.
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub epochs: usize,

    /// Seed of everything random: the generated data, the split, the weights, the shuffles,
    /// dropout. The same seed gives the same numbers, bit for bit.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub seed: u64,

    /// Threads for the matrix products (1–256). The results are the same bits for every
    /// thread count.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub threads: usize,

    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,

    /// Save the trained model (safetensors with its description) to FILE, atomically.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,

    /// The loss: softmax_cross_entropy (classification default), bce_with_logits, mse
    /// (regression default).
    #[arg(long, value_name = "NAME")]
    pub loss: Option<String>,

    /// Rows of a built-in set.
    #[arg(long, default_value_t = 500, value_name = "N")]
    pub samples: usize,

    /// Noise of a built-in set, in [0, 1] (the Playground's noise slider / 100).
    #[arg(long, default_value_t = 0.0, value_name = "X")]
    pub noise: f64,

    /// The fraction of a built-in set's or CSV file's rows held out for testing, in [0, 1)
    /// (0: no test set). Ignored for an IDX directory, which has its own test set.
    #[arg(long, default_value_t = 0.5, value_name = "X")]
    pub test_fraction: f64,

    /// The CSV column holding the label: a header name or a 0-based index (negative from the
    /// end). Default: the last column.
    #[arg(long, value_name = "COL")]
    pub target: Option<String>,

    /// Standardise the features (mean 0, std 1, fitted on the training rows and saved with the
    /// model): on by default for CSV files, off for built-in sets and IDX images.
    #[arg(long, value_name = "BOOL")]
    pub standardize: Option<bool>,
}

/// What the flags ask for, checked.
struct Plan {
    hidden: Vec<usize>,
    activation: Activation,
    init: Option<Init>,
    optimizer: Settings,
}

/// Runs `actlab train`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let plan = check(args)?;
    let source = Source::parse(&args.data)?;
    let (mut train_set, mut test_set) = load(args, &source)?;
    let standardize = args.standardize.unwrap_or(matches!(source, Source::Csv(_)));
    let standardizer = standardize.then(|| {
        let scaler = train_set.standardize();
        if let Some(test) = &mut test_set {
            scaler.apply(test);
        }
        scaler
    });
    let loss = loss_for(args.loss.as_deref(), &train_set)?;
    let outputs = match train_set.n_classes() {
        Some(2) if loss != Loss::SoftmaxCrossEntropy => 1,
        Some(k) => k,
        None => 1,
    };
    let mut model = build(&plan, train_set.n_features(), outputs, args.seed)?;
    model.set_threads(args.threads);

    let steps_per_epoch = train_set.len().div_ceil(args.batch.min(train_set.len()));
    let total_steps = (steps_per_epoch as u64).saturating_mul(args.epochs as u64);
    let config = TrainConfig {
        epochs: args.epochs,
        batch_size: args.batch,
        loss,
        optimizer: plan.optimizer,
        seed: Rng::seed(args.seed).fork(3).next_u64(),
        diagnostics: Some(DiagnosticsConfig {
            every: (total_steps / SNAPSHOTS).max(1),
            ..DiagnosticsConfig::default()
        }),
        ..TrainConfig::default()
    };
    let mut model = model;
    let bar = progress_bar(args.epochs as u64);
    let started = Instant::now();
    let outcome = train::train(
        &mut model,
        &train_set,
        test_set.as_ref(),
        &config,
        |report: &EpochReport| {
            bar.inc(1);
            bar.set_message(format!("loss {}", short(report.train_loss)));
        },
    );
    bar.finish_and_clear();
    let reports = outcome.map_err(|e| match e {
        TrainError::Diverged(_) => anyhow::Error::new(e).context("training diverged"),
        TrainError::Optimizer(_) => usage(e.to_string()),
        other => anyhow::Error::new(other),
    })?;
    let seconds = started.elapsed().as_secs_f64();
    let train_eval = train::evaluate(&mut model, &train_set, loss)?;
    let test_eval = match &test_set {
        Some(test) => Some(train::evaluate(&mut model, test, loss)?),
        None => None,
    };
    if let Some(path) = &args.save {
        let card = ModelCard::for_dataset(&train_set, loss, standardizer, source.describe());
        persist::save(path, &model, &card)?;
    }
    let summary = Summary {
        args,
        source: &source,
        plan: &plan,
        model: &model,
        loss,
        n_train: train_set.len(),
        n_test: test_set.as_ref().map_or(0, Dataset::len),
        train: train_eval,
        test: test_eval,
        reports: &reports,
        seconds,
    };
    let text = if args.json {
        let mut text = serde_json::to_string_pretty(&summary.json())?;
        text.push('\n');
        text
    } else {
        summary.table()
    };
    super::print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Checks every flag that needs no data, so mistakes fail before any work (exit 2).
fn check(args: &Args) -> anyhow::Result<Plan> {
    let hidden = parse_layers(&args.layers)?;
    let activation: Activation = args
        .act
        .parse()
        .map_err(|e: act::ParamError| usage(format!("--act {:?}: {e}", args.act)))?;
    let init = match &args.init {
        None => None,
        Some(name) => Some(Init::from_name(name).ok_or_else(|| {
            usage(format!(
                "--init {name:?} is not an initialiser; expected one of: {}",
                Init::NAMES.join(", ")
            ))
        })?),
    };
    if !(args.lr.is_finite() && args.lr > 0.0) {
        return Err(usage(format!(
            "--lr {} must be a finite number > 0",
            args.lr
        )));
    }
    let optimizer = optimizer(&args.opt, args.lr)?;
    if args.epochs == 0 || args.epochs > MAX_EPOCHS {
        return Err(usage(format!(
            "--epochs {} is not in 1..={MAX_EPOCHS}",
            args.epochs
        )));
    }
    if args.batch == 0 || args.batch > data::MAX_SAMPLES {
        return Err(usage(format!(
            "--batch {} is not in 1..={}",
            args.batch,
            data::MAX_SAMPLES
        )));
    }
    if !(0.0..=1.0).contains(&args.noise) {
        return Err(usage(format!("--noise {} is not in [0, 1]", args.noise)));
    }
    if !(1..=MAX_THREADS).contains(&args.threads) {
        return Err(usage(format!(
            "--threads {} is not in 1..={MAX_THREADS}",
            args.threads
        )));
    }
    if !(0.0..1.0).contains(&args.test_fraction) {
        return Err(usage(format!(
            "--test-fraction {} is not in [0, 1)",
            args.test_fraction
        )));
    }
    Ok(Plan {
        hidden,
        activation,
        init,
        optimizer,
    })
}

/// `--layers`: comma-separated widths, each in 1..=MAX_WIDTH; empty for no hidden layer.
fn parse_layers(text: &str) -> anyhow::Result<Vec<usize>> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let widths = text
        .split(',')
        .enumerate()
        .map(|(i, token)| {
            let token = token.trim();
            match token.parse::<usize>() {
                Ok(w) if (1..=MAX_WIDTH).contains(&w) => Ok(w),
                _ => Err(usage(format!(
                    "--layers {text:?}: width {} is {:?}; expected a whole number in 1..={MAX_WIDTH}",
                    i + 1,
                    token
                ))),
            }
        })
        .collect::<anyhow::Result<Vec<usize>>>()?;
    if widths.len() > MAX_DEPTH {
        return Err(usage(format!(
            "--layers: {} hidden layers; at most {MAX_DEPTH}",
            widths.len()
        )));
    }
    Ok(widths)
}

/// `--opt` with `--lr` as its base learning rate.
fn optimizer(name: &str, lr: f64) -> anyhow::Result<Settings> {
    let settings = Settings::from_name(name).ok_or_else(|| {
        usage(format!(
            "--opt {name:?} is not an optimiser; expected one of: {}",
            Settings::NAMES.join(", ")
        ))
    })?;
    Ok(match settings {
        Settings::Sgd(s) => Settings::Sgd(nn::optim::Sgd { lr, ..s }),
        Settings::Adam(s) => Settings::Adam(nn::optim::Adam { lr, ..s }),
        Settings::AdamW(s) => Settings::AdamW(nn::optim::AdamW { lr, ..s }),
    })
}

/// `--loss`, or the task's default; a class loss on regression data is a usage error.
fn loss_for(name: Option<&str>, data: &Dataset) -> anyhow::Result<Loss> {
    let classification = data.is_classification();
    let loss = match name {
        None if classification => Loss::SoftmaxCrossEntropy,
        None => Loss::Mse,
        Some("softmax_cross_entropy" | "cross_entropy" | "ce") => Loss::SoftmaxCrossEntropy,
        Some("bce_with_logits" | "bce") => Loss::BceWithLogits,
        Some("mse") => Loss::Mse,
        Some(other) => {
            return Err(usage(format!(
                "--loss {other:?} is not a loss; expected softmax_cross_entropy, \
                 bce_with_logits or mse"
            )));
        }
    };
    if !classification && loss != Loss::Mse {
        return Err(usage(format!(
            "--loss {loss}: the data is a regression set (real-valued targets); use mse"
        )));
    }
    if loss == Loss::BceWithLogits && data.n_classes().is_some_and(|k| k != 2) {
        return Err(usage(
            "--loss bce_with_logits needs two classes; use softmax_cross_entropy",
        ));
    }
    Ok(loss)
}

/// The training and test sets `--data` names.
fn load(args: &Args, source: &Source) -> anyhow::Result<(Dataset, Option<Dataset>)> {
    let root = Rng::seed(args.seed);
    let (all, mut split_rng) = match source {
        Source::Idx(dir) => {
            let splits = data::load_idx(dir)?;
            return Ok((splits.train, Some(splits.test)));
        }
        Source::Builtin(name) => {
            let all = data::generate(name, args.samples, args.noise, &mut root.fork(1))?;
            (all, root.fork(2))
        }
        Source::Csv(path) => (data::load_csv(path, args.target.as_deref())?, root.fork(2)),
    };
    if args.test_fraction == 0.0 {
        return Ok((all, None));
    }
    let (train, test) = all.split_stratified(args.test_fraction, &mut split_rng);
    if train.is_empty() {
        return Err(usage(format!(
            "--test-fraction {} leaves no training rows out of {}",
            args.test_fraction,
            all.len()
        )));
    }
    Ok((train, (!test.is_empty()).then_some(test)))
}

/// The network: `inputs` → (dense, activation) per hidden width → dense `outputs`.
fn build(plan: &Plan, inputs: usize, outputs: usize, seed: u64) -> anyhow::Result<Mlp<f32>> {
    let mut params = 0usize;
    let mut width = inputs;
    for &w in plan.hidden.iter().chain([&outputs]) {
        params = params.saturating_add(width.saturating_mul(w).saturating_add(w));
        width = w;
    }
    if params > MAX_PARAMS {
        return Err(usage(format!(
            "the network would have {params} parameters; at most {MAX_PARAMS}"
        )));
    }
    let mut builder = Mlp::<f32>::builder(inputs);
    if let Some(init) = plan.init {
        builder = builder.init_all(init);
    }
    for &w in &plan.hidden {
        builder = builder.dense(w).act(plan.activation);
    }
    builder
        .dense(outputs)
        .build(seed)
        .map_err(|e| usage(format!("the network: {e}")))
}

/// A progress bar over epochs on stderr, hidden when stderr is not a terminal.
fn progress_bar(epochs: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(epochs), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("[{bar:40}] epoch {pos}/{len} {msg} eta {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Gradient norms of one dense layer over the run's snapshots.
#[derive(Clone, Copy, Debug, Default)]
struct NormSummary {
    mean: f64,
    max: f64,
    last: f64,
    count: usize,
}

/// Everything the summary reports.
struct Summary<'a> {
    args: &'a Args,
    source: &'a Source,
    plan: &'a Plan,
    model: &'a Mlp<f32>,
    loss: Loss,
    n_train: usize,
    n_test: usize,
    train: Evaluation,
    test: Option<Evaluation>,
    reports: &'a [EpochReport],
    seconds: f64,
}

/// One layer's line of the summary.
struct LayerLine {
    kind: String,
    grad_norm: Option<NormSummary>,
    /// From the last snapshot.
    saturated: Option<f64>,
    /// (dead, units) over the last epoch.
    dead: Option<(usize, usize)>,
}

impl Summary<'_> {
    fn layer_lines(&self) -> Vec<LayerLine> {
        let snapshots: Vec<_> = self.reports.iter().flat_map(|r| &r.snapshots).collect();
        let last_dead = self.reports.last().map_or(&[][..], |r| &r.dead_units[..]);
        self.model
            .layers()
            .iter()
            .enumerate()
            .map(|(l, layer)| {
                let norms: Vec<f64> = snapshots
                    .iter()
                    .filter_map(|s| s.layers.get(l).and_then(|s| s.weight_grad_norm))
                    .collect();
                let grad_norm = (!norms.is_empty()).then(|| NormSummary {
                    mean: norms.iter().sum::<f64>() / norms.len() as f64,
                    max: norms.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    last: norms[norms.len() - 1],
                    count: norms.len(),
                });
                let saturated = snapshots.last().and_then(|s| {
                    s.layers
                        .get(l)
                        .and_then(|s| s.activations.as_ref())
                        .map(|a| a.saturated_fraction)
                });
                let dead = last_dead
                    .iter()
                    .find(|d| d.layer == l)
                    .map(|d| (d.dead.len(), d.units));
                LayerLine {
                    kind: layer_kind(layer),
                    grad_norm,
                    saturated,
                    dead,
                }
            })
            .collect()
    }

    fn ratio(&self) -> Option<f64> {
        self.reports
            .iter()
            .flat_map(|r| &r.snapshots)
            .next_back()
            .and_then(|s| s.first_to_last_grad_ratio)
    }

    fn steps(&self) -> u64 {
        self.reports.last().map_or(0, |r| r.steps)
    }

    fn json(&self) -> Value {
        let evaluation = |e: &Evaluation| json!({"loss": json_f64(e.loss), "accuracy": e.accuracy.map(json_f64)});
        let layers: Vec<Value> = self
            .layer_lines()
            .into_iter()
            .enumerate()
            .map(|(l, line)| {
                json!({
                    "layer": l,
                    "kind": line.kind,
                    "weight_grad_norm": line.grad_norm.map(|n| json!({
                        "mean": json_f64(n.mean),
                        "max": json_f64(n.max),
                        "last": json_f64(n.last),
                        "snapshots": n.count,
                    })),
                    "saturated_fraction": line.saturated.map(json_f64),
                    "dead_units": line.dead.map(|(dead, _)| dead),
                    "units": line.dead.map(|(_, units)| units),
                })
            })
            .collect();
        let history: Vec<Value> = self
            .reports
            .iter()
            .map(|r| {
                json!({
                    "epoch": r.epoch,
                    "train_loss": json_f64(r.train_loss),
                    "train_accuracy": r.train_accuracy.map(json_f64),
                    "test_loss": r.test.map(|t| json_f64(t.loss)),
                    "test_accuracy": r.test.and_then(|t| t.accuracy).map(json_f64),
                })
            })
            .collect();
        json!({
            "data": self.source.describe(),
            "train_samples": self.n_train,
            "test_samples": self.n_test,
            "inputs": self.model.inputs(),
            "outputs": self.model.outputs(),
            "hidden": self.plan.hidden,
            "activation": self.plan.activation.to_string(),
            "init": self.args.init,
            "optimizer": self.plan.optimizer.name(),
            "lr": self.args.lr,
            "batch": self.args.batch,
            "loss": self.loss.name(),
            "seed": self.args.seed,
            "threads": self.args.threads,
            "params": self.model.n_params(),
            "epochs": self.reports.len(),
            "steps": self.steps(),
            "train": evaluation(&self.train),
            "test": self.test.as_ref().map(evaluation),
            "layers": layers,
            "first_to_last_grad_ratio": self.ratio().map(json_f64),
            "history": history,
            "saved": self.args.save.as_ref().map(|p| p.display().to_string()),
            "seconds": self.seconds,
        })
    }

    fn table(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let shape: Vec<String> = std::iter::once(self.model.inputs())
            .chain(self.plan.hidden.iter().copied())
            .chain([self.model.outputs()])
            .map(|w| w.to_string())
            .collect();
        let _ = writeln!(
            out,
            "{}: {} ({}), {} {} {} lr {}, batch {}, {} loss, seed {}",
            self.source.describe(),
            shape.join(" → "),
            self.plan.activation,
            self.model.n_params(),
            if self.model.n_params() == 1 {
                "parameter,"
            } else {
                "parameters,"
            },
            self.plan.optimizer.name(),
            self.args.lr,
            self.args.batch,
            self.loss,
            self.args.seed,
        );
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<8} {:>6} {:>12} {:>10}",
            "set", "rows", "loss", "accuracy"
        );
        let mut row = |name: &str, rows: usize, e: &Evaluation| {
            let _ = writeln!(
                out,
                "{:<8} {:>6} {:>12} {:>10}",
                name,
                rows,
                short(e.loss),
                e.accuracy.map_or("-".into(), short)
            );
        };
        row("train", self.n_train, &self.train);
        if let Some(test) = &self.test {
            row("test", self.n_test, test);
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} epochs, {} steps, {:.2} s",
            self.reports.len(),
            self.steps(),
            self.seconds
        );
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<5} {:<28} {:>14} {:>14} {:>10} {:>9}",
            "layer", "kind", "‖∂L/∂W‖ mean", "‖∂L/∂W‖ last", "saturated", "dead"
        );
        for (l, line) in self.layer_lines().into_iter().enumerate() {
            let (mean, last) = line
                .grad_norm
                .map_or(("".into(), "".into()), |n| (short(n.mean), short(n.last)));
            let saturated = line.saturated.map_or(String::new(), short);
            let dead = line
                .dead
                .map_or(String::new(), |(dead, units)| format!("{dead}/{units}"));
            let _ = writeln!(
                out,
                "{l:<5} {:<28} {mean:>14} {last:>14} {saturated:>10} {dead:>9}",
                line.kind
            );
        }
        if let Some(ratio) = self.ratio() {
            let _ = writeln!(
                out,
                "\nfirst/last layer gradient ratio: {} (≪ 1: vanishing, ≫ 1: exploding)",
                short(ratio)
            );
        }
        if let Some(path) = &self.args.save {
            let _ = writeln!(out, "saved to {}", path.display());
        }
        out
    }
}

/// A layer's kind for the table: [`Layer::describe`], with the initialiser of a dense layer.
fn layer_kind(layer: &Layer) -> String {
    match layer {
        Layer::Dense { init, .. } => format!("{} ({})", layer.describe(), init.name()),
        _ => layer.describe(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_parse_and_reject_empty_widths() {
        assert_eq!(parse_layers("8,8").unwrap(), [8, 8]);
        assert_eq!(parse_layers(" 4 , 2 ").unwrap(), [4, 2]);
        assert!(parse_layers("").unwrap().is_empty());
        for bad in ["8,,8", "0", "-1", "8,x", "1e3", "100001", ","] {
            assert!(parse_layers(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn optimizers_take_the_learning_rate() {
        for name in Settings::NAMES {
            let settings = optimizer(name, 0.25).unwrap();
            assert_eq!((settings.name(), settings.lr()), (name, 0.25));
        }
        assert!(optimizer("adagrad", 0.1).is_err());
    }
}
