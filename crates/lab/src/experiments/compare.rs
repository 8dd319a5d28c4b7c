//! **compare**: the practical question, which activation should I use here?
//!
//! The same architecture is trained with each candidate activation (each with its recommended
//! initialiser) over several seeds, on each dataset; per activation the report gives the median
//! and spread of the final test loss and accuracy, the epochs to reach a target accuracy, the
//! dead and saturated fractions and the gradient ratio from the engine's diagnostics, and the
//! time taken. Activations are ranked per dataset and overall, and the recommendation says why.
//! [`advise`] runs the same comparison on the user's own data.

use std::time::Instant;

use act::Activation;
use nn::data::Dataset;
use nn::diagnostics::DiagnosticsConfig;
use nn::loss::Loss;
use nn::optim::Adam;
use nn::train::{TrainConfig, TrainError, train};
use nn::{Layer, Mlp};
use serde_json::json;

use super::common::{LabError, derive_seed, fmt_num, median, min_max, num};
use super::data::standardized_pair;
use crate::figure::{Figure, Series};
use crate::report::{Outcome, Table};

/// A dataset to compare on: a name for the report, a training and a test set.
#[derive(Clone, Debug)]
pub struct Case {
    /// The name shown in the report (`spiral`, `breast_cancer.csv`).
    pub name: String,
    /// The training set (standardised).
    pub train: Dataset,
    /// The test set (standardised with the training set's statistics).
    pub test: Dataset,
}

/// Options of the comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The candidate activations.
    pub acts: Vec<Activation>,
    /// The hidden layers' widths.
    pub layers: Vec<usize>,
    /// Training runs per activation and dataset (each with its own seed).
    pub seeds: usize,
    /// Epochs per run.
    pub epochs: usize,
    /// The test accuracy whose first epoch is reported (classification).
    pub target_accuracy: f64,
    /// Adam's learning rate.
    pub lr: f64,
    /// The base seed.
    pub seed: u64,
}

impl Default for Options {
    /// sigmoid, tanh, relu, leaky_relu, elu, selu, gelu, silu and mish; four hidden layers of 16;
    /// 3 seeds of 60 epochs; target 90%; Adam at 0.01; seed 0.
    fn default() -> Options {
        Options {
            acts: [
                "sigmoid",
                "tanh",
                "relu",
                "leaky_relu",
                "elu",
                "selu",
                "gelu",
                "silu",
                "mish",
            ]
            .iter()
            .filter_map(|n| Activation::from_name(n).ok())
            .collect(),
            layers: vec![16, 16, 16, 16],
            seeds: 3,
            epochs: 60,
            target_accuracy: 0.9,
            lr: 0.01,
            seed: 0,
        }
    }
}

/// One training run's measurements.
struct RunResult {
    test_loss: f64,
    test_accuracy: f64,
    /// Median-able curve: the test accuracy (classification) or loss after each epoch.
    curve: Vec<f64>,
    epochs_to_target: Option<usize>,
    dead_fraction: f64,
    saturated_fraction: f64,
    grad_ratio: f64,
    seconds: f64,
    diverged: Option<String>,
}

/// One activation's summary on one dataset.
struct Summary {
    activation: Activation,
    init: String,
    runs: Vec<RunResult>,
}

impl Summary {
    fn collect(&self, f: impl Fn(&RunResult) -> f64) -> Vec<f64> {
        self.runs.iter().map(f).collect()
    }
    fn median_accuracy(&self) -> f64 {
        median(&self.collect(|r| r.test_accuracy))
    }
    fn median_loss(&self) -> f64 {
        median(&self.collect(|r| r.test_loss))
    }
    fn median_epochs(&self) -> Option<f64> {
        let reached: Vec<f64> = self
            .runs
            .iter()
            .filter_map(|r| r.epochs_to_target.map(|e| e as f64))
            .collect();
        // Only when most runs reached the target.
        (2 * reached.len() > self.runs.len()).then(|| median(&reached))
    }
}

fn build(
    case: &Case,
    options: &Options,
    activation: Activation,
    seed: u64,
) -> Result<Mlp<f32>, LabError> {
    let mut builder = Mlp::<f32>::builder(case.train.n_features());
    for &w in &options.layers {
        builder = builder.dense(w).act(activation);
    }
    Ok(builder.dense(case.train.n_outputs()).build(seed)?)
}

fn run_once(
    case: &Case,
    options: &Options,
    activation: Activation,
    seed: u64,
) -> Result<(RunResult, String), LabError> {
    let mut model = build(case, options, activation, seed)?;
    let init = model
        .layers()
        .iter()
        .find_map(|l| match l {
            Layer::Dense { init, .. } => Some(init.name().to_string()),
            _ => None,
        })
        .unwrap_or_default();
    let classification = case.train.is_classification();
    let steps_per_epoch = case.train.len().div_ceil(32) as u64;
    let config = TrainConfig {
        epochs: options.epochs,
        batch_size: 32,
        loss: if classification {
            Loss::SoftmaxCrossEntropy
        } else {
            Loss::Mse
        },
        optimizer: Adam {
            lr: options.lr,
            ..Adam::default()
        }
        .into(),
        seed,
        diagnostics: Some(DiagnosticsConfig {
            every: steps_per_epoch.max(1) * 5,
            dead_units: true,
            ..DiagnosticsConfig::default()
        }),
        ..TrainConfig::default()
    };
    let started = Instant::now();
    let mut curve = Vec::new();
    let mut epochs_to_target = None;
    let mut test_loss = f64::NAN;
    let mut test_accuracy = f64::NAN;
    let mut dead_fraction = f64::NAN;
    let mut saturated_fraction = f64::NAN;
    let mut grad_ratio = f64::NAN;
    let result = train(&mut model, &case.train, Some(&case.test), &config, |r| {
        if let Some(t) = r.test {
            test_loss = t.loss;
            test_accuracy = t.accuracy.unwrap_or(f64::NAN);
            curve.push(if classification {
                test_accuracy
            } else {
                t.loss
            });
            if epochs_to_target.is_none() && test_accuracy >= options.target_accuracy {
                epochs_to_target = Some(r.epoch + 1);
            }
        }
        let fractions: Vec<f64> = r.dead_units.iter().map(|d| d.fraction()).collect();
        if !fractions.is_empty() {
            dead_fraction = fractions.iter().sum::<f64>() / fractions.len() as f64;
        }
        for snapshot in &r.snapshots {
            if grad_ratio.is_nan() {
                grad_ratio = snapshot.first_to_last_grad_ratio.unwrap_or(f64::NAN);
            }
            let sat: Vec<f64> = snapshot
                .layers
                .iter()
                .filter_map(|l| l.activations.as_ref().map(|a| a.saturated_fraction))
                .collect();
            // The output layer has no activation statistics; hidden layers only.
            if !sat.is_empty() {
                saturated_fraction = sat.iter().sum::<f64>() / sat.len() as f64;
            }
        }
    });
    let diverged = match result {
        Ok(_) => None,
        Err(TrainError::Diverged(d)) => Some(d.to_string()),
        Err(e) => return Err(e.into()),
    };
    if diverged.is_some() {
        test_loss = f64::NAN;
        test_accuracy = f64::NAN;
    }
    Ok((
        RunResult {
            test_loss,
            test_accuracy,
            curve,
            epochs_to_target,
            dead_fraction,
            saturated_fraction,
            grad_ratio,
            seconds: started.elapsed().as_secs_f64(),
            diverged,
        },
        init,
    ))
}

/// Orders summaries best first: higher median accuracy (classification) or lower median loss,
/// then lower loss, then the catalogue order.
fn rank(summaries: &mut [Summary], classification: bool) {
    let key = |s: &Summary| {
        let acc = s.median_accuracy();
        let loss = s.median_loss();
        (
            if classification && acc.is_finite() {
                -acc
            } else {
                0.0
            },
            if loss.is_finite() {
                loss
            } else {
                f64::INFINITY
            },
        )
    };
    summaries.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
}

fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:.1}%", 100.0 * x)
    } else {
        "—".into()
    }
}

/// Compares the activations on every case and returns the outcome named `name`.
///
/// JSON fields: `layers`, `seeds`, `epochs`, `target_accuracy`, `datasets` (per dataset, in
/// order: `name`, `task`, `ranking` (activation names, best first), `results`: per activation
/// `activation`, `init`, `median_test_accuracy`, `test_accuracy_range` ([min, max]),
/// `median_test_loss`, `test_loss_range`, `median_epochs_to_target` (null when most runs
/// missed it), `dead_fraction`, `saturated_fraction`, `grad_ratio` (first over last layer's
/// weight-gradient norm at the first snapshot), `seconds` (median wall time per run: the one
/// field that varies between runs), `diverged_runs`, `per_seed` (test accuracy and loss of
/// each seed)), `overall_ranking` (by mean rank over the datasets) and `recommendation`
/// (`activation`, `reason`).
///
/// # Errors
///
/// [`LabError::Option`] for no activation, no case, no hidden layer, a width of 0 or over
/// 4096, 0 or over 100 seeds, 0 or over 10 000 epochs.
pub fn compare(
    name: &str,
    cases: &[Case],
    options: &Options,
    mut progress: impl FnMut(&str),
) -> Result<Outcome, LabError> {
    if options.acts.is_empty() || cases.is_empty() {
        return Err(LabError::Option(
            "nothing to compare (no activation or no data)".into(),
        ));
    }
    if options.layers.is_empty() || options.layers.iter().any(|&w| w == 0 || w > 4096) {
        return Err(LabError::Option(format!(
            "--layers {:?}: give one or more hidden widths between 1 and 4096",
            options.layers
        )));
    }
    super::common::check_range("seeds", options.seeds, 1, 100)?;
    super::common::check_range("epochs", options.epochs, 1, 10_000)?;

    let mut dataset_json = Vec::new();
    let mut figures = Vec::new();
    let mut tables = Vec::new();
    let mut rank_sums = vec![0.0f64; options.acts.len()];
    let mut sentences = Vec::new();
    for (c, case) in cases.iter().enumerate() {
        let classification = case.train.is_classification();
        let mut summaries = Vec::new();
        for &activation in &options.acts {
            progress(&format!("{}: {}", case.name, activation.name()));
            let mut runs = Vec::new();
            let mut init = String::new();
            for s in 0..options.seeds {
                let seed = derive_seed(options.seed, (c * 1000 + s) as u64);
                let (run, used) = run_once(case, options, activation, seed)?;
                init = used;
                runs.push(run);
            }
            summaries.push(Summary {
                activation,
                init,
                runs,
            });
        }
        // The curve figure, in the catalogue order given (before ranking).
        let mut figure = Figure::new(
            format!("compare-{}", slug(&case.name)),
            format!(
                "{}: median test {} per epoch",
                case.name,
                if classification { "accuracy" } else { "loss" }
            ),
            "epoch",
            if classification {
                "test accuracy"
            } else {
                "test loss"
            },
        );
        if !classification {
            figure = figure.log_y();
        }
        for s in &summaries {
            let epochs = s.runs.iter().map(|r| r.curve.len()).max().unwrap_or(0);
            let points = (0..epochs)
                .map(|e| {
                    let at: Vec<f64> = s
                        .runs
                        .iter()
                        .filter_map(|r| r.curve.get(e).copied())
                        .collect();
                    ((e + 1) as f64, median(&at))
                })
                .collect();
            figure = figure.with(Series::line(s.activation.name(), points));
        }
        figures.push(figure);

        rank(&mut summaries, classification);
        for (position, s) in summaries.iter().enumerate() {
            if let Some(k) = options.acts.iter().position(|a| *a == s.activation) {
                rank_sums[k] += (position + 1) as f64;
            }
        }
        let rows = summaries
            .iter()
            .enumerate()
            .map(|(position, s)| {
                let (acc_lo, acc_hi) = min_max(&s.collect(|r| r.test_accuracy));
                vec![
                    (position + 1).to_string(),
                    s.activation.name().to_string(),
                    s.init.clone(),
                    if classification {
                        format!(
                            "{} ({}–{})",
                            pct(s.median_accuracy()),
                            pct(acc_lo),
                            pct(acc_hi)
                        )
                    } else {
                        "—".into()
                    },
                    fmt_num(s.median_loss()),
                    s.median_epochs().map_or("—".into(), |e| format!("{e}")),
                    pct(median(&s.collect(|r| r.dead_fraction))),
                    pct(median(&s.collect(|r| r.saturated_fraction))),
                    fmt_num(median(&s.collect(|r| r.grad_ratio))),
                    format!("{:.2} s", median(&s.collect(|r| r.seconds))),
                ]
            })
            .collect();
        tables.push(Table {
            header: [
                "rank",
                "activation",
                "init",
                "test accuracy, median (range)",
                "test loss",
                "epochs to target",
                "dead",
                "saturated",
                "grad ratio",
                "time/run",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        });
        let best = &summaries[0];
        sentences.push(if classification {
            format!(
                "on {} {} ranks first ({} median test accuracy)",
                case.name,
                best.activation.name(),
                pct(best.median_accuracy())
            )
        } else {
            format!(
                "on {} {} ranks first (median test loss {})",
                case.name,
                best.activation.name(),
                fmt_num(best.median_loss())
            )
        });
        dataset_json.push(json!({
            "name": case.name,
            "task": if classification { "classification" } else { "regression" },
            "ranking": summaries.iter().map(|s| s.activation.name()).collect::<Vec<_>>(),
            "results": summaries.iter().map(|s| {
                let (acc_lo, acc_hi) = min_max(&s.collect(|r| r.test_accuracy));
                let (loss_lo, loss_hi) = min_max(&s.collect(|r| r.test_loss));
                json!({
                    "activation": s.activation.name(),
                    "init": s.init,
                    "median_test_accuracy": num(s.median_accuracy()),
                    "test_accuracy_range": [num(acc_lo), num(acc_hi)],
                    "median_test_loss": num(s.median_loss()),
                    "test_loss_range": [num(loss_lo), num(loss_hi)],
                    "median_epochs_to_target": s.median_epochs().map(num),
                    "dead_fraction": num(median(&s.collect(|r| r.dead_fraction))),
                    "saturated_fraction": num(median(&s.collect(|r| r.saturated_fraction))),
                    "grad_ratio": num(median(&s.collect(|r| r.grad_ratio))),
                    "seconds": num(median(&s.collect(|r| r.seconds))),
                    "diverged_runs": s.runs.iter().filter(|r| r.diverged.is_some()).count(),
                    "per_seed": s.runs.iter().map(|r| json!({
                        "test_accuracy": num(r.test_accuracy),
                        "test_loss": num(r.test_loss),
                        "diverged": r.diverged,
                    })).collect::<Vec<_>>(),
                })
            }).collect::<Vec<_>>(),
        }));
    }

    let mut overall: Vec<(Activation, f64)> = options
        .acts
        .iter()
        .copied()
        .zip(rank_sums.iter().map(|s| s / cases.len() as f64))
        .collect();
    overall.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (winner, winner_rank) = overall[0];
    let info = winner.info();
    let reason = format!(
        "{} has the best mean rank ({:.1} of {}) over {} dataset{}: {}. It is {}, trained here \
         with {} initialisation{}.",
        winner.name(),
        winner_rank,
        options.acts.len(),
        cases.len(),
        if cases.len() == 1 { "" } else { "s" },
        sentences.join("; "),
        describe(info),
        words(&format!("{:?}", info.recommended_init)),
        if info.failure_modes.is_empty() {
            String::new()
        } else {
            format!(
                "; watch for {}",
                info.failure_modes
                    .iter()
                    .map(|f| words(&format!("{f:?}")))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    let data = json!({
        "layers": options.layers,
        "seeds": options.seeds,
        "epochs": options.epochs,
        "target_accuracy": options.target_accuracy,
        "optimizer": {"name": "adam", "lr": options.lr},
        "datasets": dataset_json,
        "overall_ranking": overall.iter().map(|(a, r)| json!({"activation": a.name(), "mean_rank": num(*r)})).collect::<Vec<_>>(),
        "recommendation": {"activation": winner.name(), "reason": reason},
    });
    // The guide's practical advice, checked where sigmoid is a candidate: it should not win
    // for hidden layers, and should rank in the lower half.
    let holds = match overall.iter().position(|(a, _)| *a == Activation::Sigmoid) {
        Some(position) => position > 0 && 2 * position + 1 >= overall.len(),
        None => true,
    };
    let hidden = options
        .layers
        .iter()
        .map(|w| w.to_string())
        .collect::<Vec<_>>()
        .join("-");
    Ok(Outcome {
        name: name.into(),
        title: "How to choose: the activations compared".into(),
        claim: "For hidden layers prefer the ReLU family (or its smooth variants) over sigmoid \
                and tanh, with the initialiser that matches; keep sigmoid and softmax for \
                outputs."
            .into(),
        measured: format!(
            "Hidden layers {hidden}, Adam at {}, {} epochs, {} seed{} per activation: {}. \
             Overall ranking: {}.",
            options.lr,
            options.epochs,
            options.seeds,
            if options.seeds == 1 { "" } else { "s" },
            sentences.join("; "),
            overall
                .iter()
                .map(|(a, r)| format!("{} ({:.1})", a.name(), r))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        shows: format!("Recommendation: {reason}"),
        holds,
        data,
        figures,
        tables,
    })
}

/// A few words on an activation's shape, from the catalogue's metadata.
fn describe(info: &act::metadata::Info) -> String {
    let smooth = match info.smoothness {
        act::metadata::Smoothness::Smooth => "smooth",
        act::metadata::Smoothness::C1 => "once differentiable",
        act::metadata::Smoothness::Continuous => "piecewise linear",
        act::metadata::Smoothness::Discontinuous => "discontinuous",
    };
    let range = if info.range_upper.value.is_infinite() {
        "unbounded above"
    } else {
        "bounded"
    };
    format!(
        "{smooth}, {range}, {}zero-centred",
        if info.zero_centred { "" } else { "not " }
    )
}

/// `DeadUnits` → `dead units`, `LeCun` → `lecun` (a Debug name in words).
fn words(debug: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = debug.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        // A capital after a lowercase letter starts a word, except inside a name like LeCun.
        if i > 0 && c.is_uppercase() && chars[i - 1].is_lowercase() && debug != "LeCun" {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// The built-in cases: Playground's spiral (the hard one), moons and circle, 300 training and
/// 300 test points each, noise 0.1 (spiral 0.05).
///
/// # Errors
///
/// Never in practice (the names are built in).
pub fn builtin_cases(seed: u64, quick: bool) -> Result<Vec<Case>, LabError> {
    let names: &[(&str, f32)] = if quick {
        &[("spiral", 0.05), ("moons", 0.1)]
    } else {
        &[("spiral", 0.05), ("moons", 0.1), ("circle", 0.1)]
    };
    names
        .iter()
        .map(|&(name, noise)| {
            let (train, test) = standardized_pair(name, 300, noise, seed)?;
            Ok(Case {
                name: name.into(),
                train,
                test,
            })
        })
        .collect()
}

/// Runs the comparison on the built-in data, and on `extra` cases (real data) after them.
///
/// # Errors
///
/// As [`compare`].
pub fn run(
    options: &Options,
    quick: bool,
    extra: Vec<Case>,
    progress: impl FnMut(&str),
) -> Result<Outcome, LabError> {
    let mut cases = builtin_cases(options.seed, quick)?;
    cases.extend(extra);
    compare("compare", &cases, options, progress)
}

/// Splits a user's dataset 75/25 (stratified for classes), standardises both parts with the
/// training part's statistics and compares the activations on it: the `actlab advise` command.
///
/// # Errors
///
/// [`LabError::Data`] when the data has fewer than 8 rows; otherwise as [`compare`].
pub fn advise(
    name: &str,
    data: &Dataset,
    options: &Options,
    progress: impl FnMut(&str),
) -> Result<Outcome, LabError> {
    let case = split_case(name, data, options.seed)?;
    let mut outcome = compare("advise", &[case], options, progress)?;
    outcome.title = format!("Which activation for {name}?");
    outcome.claim = "The guide's advice for hidden layers: start from the ReLU family (or its \
                     smooth variants) with He initialisation, tanh and sigmoid saturate. Here \
                     that advice meets your data."
        .into();
    // On the user's data there is no claim to check: it holds when some run trained.
    outcome.holds = outcome.data["datasets"][0]["results"]
        .as_array()
        .is_some_and(|r| r.iter().any(|x| x["median_test_loss"].is_number()));
    Ok(outcome)
}

/// A user's dataset as a [`Case`]: 75/25 split (stratified for classes), standardised.
///
/// # Errors
///
/// [`LabError::Data`] when the data has fewer than 8 rows.
pub fn split_case(name: &str, data: &Dataset, seed: u64) -> Result<Case, LabError> {
    if data.len() < 8 {
        return Err(LabError::Data(format!(
            "{name}: {} rows is too few to train and test on (at least 8)",
            data.len()
        )));
    }
    let mut rng = nn::rng::Rng::seed(derive_seed(seed, 0x5e1));
    let (mut train, mut test) = if data.is_classification() {
        data.split_stratified(0.25, &mut rng)
    } else {
        data.split(0.25, &mut rng)
    };
    let standardizer = train.standardize();
    standardizer.apply(&mut test);
    Ok(Case {
        name: name.into(),
        train,
        test,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relu_family_beats_sigmoid_on_spiral() {
        let options = Options {
            acts: vec![Activation::Sigmoid, Activation::Relu],
            seeds: 1,
            epochs: 40,
            ..Options::default()
        };
        let cases = builtin_cases(0, true).unwrap();
        let outcome = compare("compare", &cases[..1], &options, |_| {}).unwrap();
        let ranking = outcome.data["datasets"][0]["ranking"].as_array().unwrap();
        assert_eq!(ranking[0], "relu", "{}", outcome.measured);
        assert_eq!(outcome.data["recommendation"]["activation"], "relu");
    }

    #[test]
    fn bad_layers_are_refused() {
        let options = Options {
            layers: vec![0],
            ..Options::default()
        };
        let cases = builtin_cases(0, true).unwrap();
        assert!(compare("compare", &cases, &options, |_| {}).is_err());
    }
}
