//! **dying**: ReLU units die; Leaky ReLU, PReLU and ELU stay alive.
//!
//! The guide: relu′ = 0 for x < 0, so a unit pushed to negative pre-activations on every input
//! passes no gradient and never recovers; Leaky ReLU keeps a slope α = 0.01 there and PReLU
//! learns it, ELU's slope αeˣ never reaches 0. Two ways to kill units are measured with the
//! engine's dead-unit count (a unit is dead over an epoch when f′ was 0 on every training row):
//! a learning rate that is too large, and a negative shift of every hidden bias at
//! initialisation.

use act::Activation;
use nn::optim::Sgd;
use nn::train::{TrainConfig, TrainError, train};
use serde_json::{Map, Value, json};

use super::common::{
    LabError, check_range, deep_mlp, fmt_num, hidden_dense_layers, num, numbered, nums,
};
use super::data::standardized_pair;
use crate::figure::{Figure, Series};
use crate::report::Outcome;

/// Options of the dying-units experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The activations compared.
    pub acts: Vec<Activation>,
    /// Hidden layers (1–32).
    pub depth: usize,
    /// Units per hidden layer (1–1024).
    pub width: usize,
    /// The large learning rate of the first scenario.
    pub large_lr: f64,
    /// The bias every hidden unit starts with in the second scenario.
    pub bias_shift: f64,
    /// The learning rate of the second scenario.
    pub normal_lr: f64,
    /// SGD momentum in both scenarios.
    pub momentum: f64,
    /// Gradient-norm clipping in the large-rate scenario, so that it shows dying rather than
    /// numeric divergence.
    pub clip_norm: Option<f64>,
    /// Seed of the weights, data and shuffles.
    pub seed: u64,
    /// Fewer epochs.
    pub quick: bool,
}

impl Default for Options {
    /// relu, leaky_relu, prelu and elu; 4 hidden layers of 16; plain SGD; the large rate 3 with
    /// the gradient norm clipped at 1; biases −2 at rate 0.1.
    fn default() -> Options {
        Options {
            acts: vec![
                Activation::Relu,
                Activation::LeakyRelu {
                    negative_slope: 0.01,
                },
                Activation::Prelu { weight: 0.25 },
                Activation::Elu { alpha: 1.0 },
            ],
            depth: 4,
            width: 16,
            large_lr: 3.0,
            bias_shift: -2.0,
            normal_lr: 0.1,
            momentum: 0.0,
            clip_norm: Some(1.0),
            seed: 0,
            quick: false,
        }
    }
}

/// One training run's dead-unit record.
struct Run {
    /// Mean dead fraction over the hidden layers, per epoch.
    dead_per_epoch: Vec<f64>,
    /// Test accuracy after each epoch.
    accuracy_per_epoch: Vec<f64>,
    /// Dead fraction per hidden layer after the last epoch.
    dead_per_layer: Vec<f64>,
    final_test_accuracy: f64,
    /// The engine's explanation if training diverged.
    diverged: Option<String>,
}

fn run_one(
    options: &Options,
    activation: Activation,
    lr: f64,
    bias: f64,
    clip_norm: Option<f64>,
) -> Result<Run, LabError> {
    let (train_set, test_set) = standardized_pair("moons", 400, 0.1, options.seed)?;
    let mut model = deep_mlp::<f32>(
        2,
        options.width,
        options.depth,
        2,
        activation,
        None,
        options.seed,
    )?;
    for l in hidden_dense_layers(&model) {
        if let Some(b) = model.bias_mut(l) {
            b.fill(bias as f32);
        }
    }
    let config = TrainConfig {
        epochs: if options.quick { 10 } else { 30 },
        clip_norm,
        batch_size: 16,
        optimizer: Sgd {
            lr,
            momentum: options.momentum,
            ..Sgd::default()
        }
        .into(),
        seed: options.seed,
        diagnostics: Some(nn::diagnostics::DiagnosticsConfig {
            every: 0,
            dead_units: true,
            ..Default::default()
        }),
        ..TrainConfig::default()
    };
    let mut dead_per_epoch = Vec::new();
    let mut dead_per_layer = Vec::new();
    let mut accuracy_per_epoch = Vec::new();
    let mut final_test_accuracy = f64::NAN;
    let result = train(&mut model, &train_set, Some(&test_set), &config, |report| {
        let fractions: Vec<f64> = report.dead_units.iter().map(|d| d.fraction()).collect();
        dead_per_epoch.push(fractions.iter().sum::<f64>() / fractions.len().max(1) as f64);
        dead_per_layer = fractions;
        if let Some(acc) = report.test.and_then(|t| t.accuracy) {
            final_test_accuracy = acc;
            accuracy_per_epoch.push(acc);
        }
    });
    let diverged = match result {
        Ok(_) => None,
        Err(TrainError::Diverged(d)) => Some(d.to_string()),
        Err(e) => return Err(e.into()),
    };
    Ok(Run {
        accuracy_per_epoch,
        dead_per_epoch,
        dead_per_layer,
        final_test_accuracy,
        diverged,
    })
}

/// Runs the experiment.
///
/// JSON fields: `depth`, `width`, and `scenarios`: `large_lr` (with its `lr`) and
/// `bias_shift` (with its `bias`, at learning rate 0.05), each with `by_activation`: per
/// activation `dead_fraction_per_epoch` (mean over hidden layers), `dead_fraction_per_layer`
/// (after the last epoch, first = nearest the input), `test_accuracy_per_epoch`, `final_test_accuracy` and `diverged`
/// (the engine's explanation, or null).
///
/// # Errors
///
/// [`LabError::Option`] for a depth outside 1–32, a width outside 1–1024 or no activation.
pub fn run(options: &Options) -> Result<Outcome, LabError> {
    check_range("depth", options.depth, 1, 32)?;
    check_range("width", options.width, 1, 1024)?;
    if options.acts.is_empty() {
        return Err(LabError::Option("--act: no activation given".into()));
    }
    let scenarios = [
        (
            "large_lr",
            "a large learning rate",
            options.large_lr,
            0.0,
            options.clip_norm,
        ),
        (
            "bias_shift",
            "hidden biases started at a negative value",
            options.normal_lr,
            options.bias_shift,
            None,
        ),
    ];
    let mut figures = Vec::new();
    let mut scenario_json = Map::new();
    let mut relu_dead = 0.0f64;
    let mut others_dead = 0.0f64;
    let mut sentences = Vec::new();
    for (key, words, lr, bias, clip) in scenarios {
        let mut figure = Figure::new(
            format!("dying-{}", key.replace('_', "-")),
            format!("Dead units with {words} (lr {lr}, bias {bias})"),
            "epoch",
            "dead fraction of hidden units",
        );
        let mut accuracy_figure = Figure::new(
            format!("dying-{}-accuracy", key.replace('_', "-")),
            format!("Test accuracy with {words}"),
            "epoch",
            "test accuracy",
        );
        let mut by_activation = Map::new();
        let mut parts = Vec::new();
        for &a in &options.acts {
            let run = run_one(options, a, lr, bias, clip)?;
            let last = *run.dead_per_epoch.last().unwrap_or(&f64::NAN);
            if a == Activation::Relu {
                relu_dead = relu_dead.max(last);
            } else if last.is_finite() {
                others_dead = others_dead.max(last);
            }
            parts.push(format!(
                "{} {:.0}% dead, {:.0}% accuracy{}",
                a.name(),
                100.0 * last + 0.0,
                100.0 * run.final_test_accuracy,
                if run.diverged.is_some() {
                    " (diverged)"
                } else {
                    ""
                }
            ));
            figure = figure.with(Series::line(a.name(), numbered(&run.dead_per_epoch)));
            accuracy_figure =
                accuracy_figure.with(Series::line(a.name(), numbered(&run.accuracy_per_epoch)));
            by_activation.insert(
                a.name().into(),
                json!({
                    "test_accuracy_per_epoch": nums(&run.accuracy_per_epoch),
                    "dead_fraction_per_epoch": nums(&run.dead_per_epoch),
                    "dead_fraction_per_layer": nums(&run.dead_per_layer),
                    "final_test_accuracy": num(run.final_test_accuracy),
                    "diverged": run.diverged,
                }),
            );
        }
        sentences.push(format!("With {words}: {}.", parts.join("; ")));
        scenario_json.insert(
            key.into(),
            json!({"lr": lr, "bias": bias, "by_activation": Value::Object(by_activation)}),
        );
        figures.push(figure);
        figures.push(accuracy_figure);
    }
    let holds = relu_dead > 0.25 && others_dead < 0.5 * relu_dead;
    let data = json!({
        "depth": options.depth,
        "width": options.width,
        "scenarios": scenario_json,
    });
    Ok(Outcome {
        name: "dying".into(),
        title: "Dying ReLU, and the leaky cures".into(),
        claim: "ReLU passes no gradient for x < 0, so units pushed there for every input die for \
                good; Leaky ReLU keeps slope 0.01, PReLU learns it, ELU's slope never reaches 0."
            .into(),
        measured: format!(
            "{} (moons, {} hidden layers of {}).",
            sentences.join(" "),
            options.depth,
            options.width
        ),
        shows: format!(
            "ReLU loses up to {:.0}% of its hidden units and they do not come back; with a nonzero negative slope at most {} of the units \
             are dead (a unit counts as dead only when f′ = 0 on every row). A slope is not a \
             guarantee of learning: Leaky ReLU's 0.01 lets gradient through only slowly, and a \
             learned PReLU slope can itself be pushed somewhere bad by a large rate; compare the \
             accuracies.",
            100.0 * relu_dead,
            fmt_num(others_dead)
        ),
        holds,
        data,
        figures,
        tables: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relu_dies_and_leaky_relu_does_not() {
        let outcome = run(&Options {
            quick: true,
            ..Options::default()
        })
        .unwrap();
        let shift = &outcome.data["scenarios"]["bias_shift"]["by_activation"];
        let relu = shift["relu"]["dead_fraction_per_epoch"].as_array().unwrap();
        let relu_last = relu.last().unwrap().as_f64().unwrap();
        assert!(relu_last > 0.25, "relu dead fraction {relu_last}");
        let leaky = shift["leaky_relu"]["dead_fraction_per_epoch"]
            .as_array()
            .unwrap();
        assert_eq!(leaky.last().unwrap().as_f64().unwrap(), 0.0);
        assert!(outcome.holds, "{}", outcome.measured);
    }
}
