//! **learning-rate**: too small crawls, too large diverges.
//!
//! Gradient descent w ← w − α∇L. On the quadratic L(w) = ½aw² each step multiplies w by
//! (1 − αa): it converges when |1 − αa| < 1, that is 0 < α < 2/a, fastest at α = 1/a, and
//! diverges beyond 2/a. The same three regimes on a real network, where the engine catches the
//! divergence and says in words where it happened.

use act::Activation;
use nn::Mode;
use nn::data::Dataset;
use nn::loss::{Loss, LossTarget};
use nn::optim::{Optimizer, Sgd};
use nn::train::{TrainConfig, TrainError, train};
use serde_json::json;

use super::common::{LabError, deep_mlp, fmt_num, num, numbered, nums};
use super::data::standardized_pair;
use crate::figure::{Figure, Series, Style};
use crate::report::Outcome;

/// Options of the learning-rate experiment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Seed of the network's weights, data and shuffles.
    pub seed: u64,
    /// Fewer epochs.
    pub quick: bool,
}

impl Default for Options {
    /// Seed 0, full run.
    fn default() -> Options {
        Options {
            seed: 0,
            quick: false,
        }
    }
}

/// The quadratic's curvature a.
const CURVATURE: f64 = 1.0;

/// Gradient descent on ½aw² from w = 1: the loss after each step, and the step at which the
/// loss exceeded 1e6 times its start or stopped being finite (divergence), if it did.
fn quadratic(lr: f64, steps: usize) -> (Vec<f64>, Option<usize>) {
    let mut w = 1.0f64;
    let start = 0.5 * CURVATURE * w * w;
    let mut losses = vec![start];
    for step in 1..=steps {
        w -= lr * CURVATURE * w; // ∇L = a·w
        let loss = 0.5 * CURVATURE * w * w;
        losses.push(loss);
        if !loss.is_finite() || loss > 1e6 * start {
            return (losses, Some(step));
        }
    }
    (losses, None)
}

fn regime(lr: f64) -> &'static str {
    let factor = (1.0 - lr * CURVATURE).abs();
    if factor >= 1.0 {
        "diverges"
    } else if factor > 0.9 {
        "crawls"
    } else {
        "converges"
    }
}

/// The network's training loss at each of its first `steps` SGD steps (minibatches of 16 taken
/// in order), stopping after the first non-finite loss: what the engine's trainer does, step by
/// step, so the figure can show the loss running away.
fn per_step_losses(
    train_set: &Dataset,
    lr: f64,
    seed: u64,
    steps: usize,
) -> Result<Vec<f64>, LabError> {
    let mut model = deep_mlp::<f32>(1, 16, 2, 1, Activation::Tanh, None, seed)?;
    let settings = Sgd {
        lr,
        ..Sgd::default()
    };
    let mut optimizer =
        Optimizer::<f32>::new(settings, model.n_params()).map_err(TrainError::from)?;
    let (n, d, batch) = (train_set.len(), train_set.n_features(), 16);
    let values = train_set.values().unwrap_or(&[]);
    let mut losses = Vec::new();
    for step in 0..steps {
        let start = (step * batch) % n;
        let end = (start + batch).min(n);
        model.zero_grad();
        model.forward(&train_set.features()[start * d..end * d], Mode::Train); // (rows, 1)
        let loss = model
            .loss_backward(Loss::Mse, LossTarget::Values(&values[start..end]))
            .map_err(|e| LabError::Train(TrainError::Targets(e)))?;
        let loss = f64::from(loss);
        losses.push(loss);
        if !loss.is_finite() {
            break;
        }
        let (params, grads) = model.params_and_grads_mut();
        optimizer.step(params, grads, lr);
    }
    Ok(losses)
}

/// Runs the experiment.
///
/// JSON fields: `quadratic`: `curvature`, `threshold` (2/a), and `runs` (per rate: `lr`,
/// `regime`, `losses`, `diverged_at_step` or null); `network`: `runs` (per rate: `lr`,
/// `train_loss_per_epoch`, `loss_per_step` (the first 100 SGD steps, minibatches in order,
/// up to the first non-finite loss), `final_test_loss`, `diverged` (bool), `message` (the engine's
/// explanation, or null)).
///
/// # Errors
///
/// Only if the network cannot be built or trained for a reason other than divergence.
pub fn run(options: &Options) -> Result<Outcome, LabError> {
    let steps = 40;
    let rates = [0.01, 0.5, 1.5, 2.5];
    let mut quad_figure = Figure::new(
        "learning-rate-quadratic",
        "Gradient descent on L(w) = ½w²",
        "step",
        "loss",
    )
    .log_y();
    let mut quad_runs = Vec::new();
    let mut quad_words = Vec::new();
    for &lr in &rates {
        let (losses, diverged) = quadratic(lr, steps);
        quad_figure = quad_figure.with(
            Series::line(
                format!("α = {lr} ({})", regime(lr)),
                losses
                    .iter()
                    .enumerate()
                    .map(|(s, &l)| (s as f64, l))
                    .collect(),
            )
            .keyed(crate::figure::ordinal_key(quad_runs.len())),
        );
        quad_words.push(match diverged {
            Some(step) => format!(
                "α = {lr} diverged at step {step} (each step multiplies w by {}, |·| > 1)",
                fmt_num(1.0 - lr * CURVATURE)
            ),
            None => format!(
                "α = {lr} reached loss {} after {steps} steps",
                fmt_num(*losses.last().unwrap_or(&f64::NAN))
            ),
        });
        quad_runs.push(json!({
            "lr": lr,
            "regime": regime(lr),
            "losses": nums(&losses),
            "diverged_at_step": diverged,
        }));
    }
    quad_figure = quad_figure.with(
        Series::line("start", vec![(0.0, 0.5), (steps as f64, 0.5)])
            .keyed("bound")
            .styled(Style::Dashed),
    );

    // The network: regression of a noisy sine, 2 hidden tanh layers of 16, MSE, plain SGD at
    // three rates.
    let (train_set, test_set) = standardized_pair("sine", 400, 0.1, options.seed)?;
    let net_rates = [1e-4, 0.05, 1.0];
    let epochs = if options.quick { 10 } else { 30 };
    let mut net_figure = Figure::new(
        "learning-rate-network",
        "Training loss (MSE) on a noisy sine, step by step: too small vs good",
        "SGD step (minibatch of 16)",
        "minibatch loss",
    )
    .log_y();
    let mut divergence_figure = Figure::new(
        "learning-rate-divergence",
        "The same network with too large a rate: the loss runs away",
        "SGD step (minibatch of 16)",
        "minibatch loss",
    )
    .log_y();
    let mut net_runs = Vec::new();
    let mut net_words = Vec::new();
    let mut diverged_large = false;
    let mut final_losses = Vec::new();
    for &lr in &net_rates {
        let mut model = deep_mlp::<f32>(1, 16, 2, 1, Activation::Tanh, None, options.seed)?;
        let config = TrainConfig {
            epochs,
            batch_size: 16,
            loss: Loss::Mse,
            optimizer: Sgd {
                lr,
                ..Sgd::default()
            }
            .into(),
            seed: options.seed,
            diagnostics: None,
            ..TrainConfig::default()
        };
        let mut losses = Vec::new();
        let mut test_loss = f64::NAN;
        let result = train(&mut model, &train_set, Some(&test_set), &config, |r| {
            losses.push(r.train_loss);
            test_loss = r.test.map_or(f64::NAN, |t| t.loss);
        });
        let message = match result {
            Ok(_) => None,
            Err(TrainError::Diverged(d)) => Some(d.to_string()),
            Err(e) => return Err(e.into()),
        };
        if lr == 1.0 {
            diverged_large = message.is_some();
        }
        final_losses.push(*losses.last().unwrap_or(&f64::NAN));
        net_words.push(match &message {
            Some(m) => format!("lr {lr}: {m}"),
            None => format!(
                "lr {lr}: training loss {} and test loss {} after {epochs} epochs",
                fmt_num(*losses.last().unwrap_or(&f64::NAN)),
                fmt_num(test_loss)
            ),
        });
        let steps = per_step_losses(&train_set, lr, options.seed, 100)?;
        let diverged_at = steps.iter().position(|l| !l.is_finite());
        // The runaway loss spans 40 decades: it gets a figure of its own, so the other two
        // stay readable.
        let figure = if diverged_at.is_some() {
            &mut divergence_figure
        } else {
            &mut net_figure
        };
        *figure = std::mem::replace(figure, Figure::new("", "", "", "")).with(
            Series::line(
                match diverged_at {
                    Some(step) => format!("lr {lr} (∞ at step {})", step + 1),
                    None => format!("lr {lr}"),
                },
                numbered(&steps),
            )
            .keyed(crate::figure::ordinal_key(net_runs.len())),
        );
        net_runs.push(json!({
            "lr": lr,
            "train_loss_per_epoch": nums(&losses),
            "loss_per_step": nums(&steps),
            "final_test_loss": num(test_loss),
            "diverged": message.is_some(),
            "message": message,
        }));
    }
    // Small crawls (loss still well above the good rate's), good converges, large diverges.
    let holds = quadratic(2.5, steps).1.is_some()
        && quadratic(0.5, steps).1.is_none()
        && diverged_large
        && final_losses[0] > 2.0 * final_losses[1];
    let data = json!({
        "quadratic": {"curvature": CURVATURE, "threshold": 2.0 / CURVATURE, "runs": quad_runs},
        "network": {"dataset": "sine", "loss": "mse", "hidden": [16, 16], "activation": "tanh", "epochs": epochs, "runs": net_runs},
    });
    Ok(Outcome {
        name: "learning-rate".into(),
        title: "The learning rate: crawling, converging, diverging".into(),
        claim: "Gradient descent w ← w − α∇L: too small a rate crawls, too large a rate diverges."
            .into(),
        measured: format!(
            "On ½w²: {}. On a network: {}.",
            quad_words.join("; "),
            net_words.join("; ")
        ),
        shows: "The step multiplies the error by (1 − αa): below 2/a it shrinks (slowly when α is \
                tiny), above it grows without bound. On a network the engine stops at the first \
                non-finite value and names the step and the likely cause instead of plotting NaN."
            .into(),
        holds,
        data,
        figures: vec![quad_figure, net_figure, divergence_figure],
        tables: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quadratic_regimes() {
        assert!(quadratic(2.5, 40).1.is_some());
        assert!(quadratic(1.9, 40).1.is_none());
        let (tiny, _) = quadratic(0.01, 40);
        assert!(tiny[40] > 0.2, "α = 0.01 should still crawl: {}", tiny[40]);
    }

    #[test]
    fn the_network_diverges_in_words() {
        let outcome = run(&Options {
            seed: 0,
            quick: true,
        })
        .unwrap();
        let runs = outcome.data["network"]["runs"].as_array().unwrap();
        let large = &runs[2];
        assert_eq!(large["diverged"], true);
        assert!(large["message"].as_str().unwrap().contains("step"));
        assert!(outcome.holds, "{}", outcome.measured);
    }
}
