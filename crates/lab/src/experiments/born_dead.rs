//! **born-dead**: how often a freshly initialised ReLU network is dead before it trains.
//!
//! With zero biases and weights from a distribution symmetric about 0, each unit's
//! pre-activation for a nonzero input is positive with probability ½, independently across the
//! units of a layer (given the layer below), so a layer of width N outputs all zeros with
//! probability 2^−N, and zeros stay zeros all the way up. The last hidden layer of an L-layer
//! network is therefore dead with probability 1 − (1 − 2^−N)^L: narrow deep ReLU networks are
//! often born dead (Lu et al. 2019, "Dying ReLU and initialization"). Measured by Monte Carlo
//! with the engine's networks (He-normal weights, zero biases) on the input (1, 1, …, 1).

use act::Activation;
use nn::Mode;
use nn::init::{FanMode, Init};
use serde_json::json;

use super::common::{LabError, check_range, deep_mlp, derive_seed, fmt_num, num, nums};
use crate::figure::{Figure, Series, Style};
use crate::report::Outcome;

/// Options of the born-dead experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Units per hidden layer (1–64).
    pub width: usize,
    /// Hidden layers (1–256).
    pub depth: usize,
    /// Networks drawn (1–100 000).
    pub trials: usize,
    /// Seed of the draws.
    pub seed: u64,
    /// Fewer trials in the sweep over depth and width.
    pub quick: bool,
}

impl Default for Options {
    /// Width 3, depth 10, 1000 trials, seed 0.
    fn default() -> Options {
        Options {
            width: 3,
            depth: 10,
            trials: 1000,
            seed: 0,
            quick: false,
        }
    }
}

/// The probability that the last hidden layer is dead: 1 − (1 − 2^−width)^depth.
pub fn theory(width: usize, depth: usize) -> f64 {
    let alive_per_layer = 1.0 - 0.5f64.powi(width as i32);
    1.0 - alive_per_layer.powi(depth as i32)
}

/// The Monte Carlo fraction of `trials` networks whose last hidden layer outputs all zeros.
fn dead_fraction(width: usize, depth: usize, trials: usize, seed: u64) -> Result<f64, LabError> {
    let init = Init::HeNormal {
        mode: FanMode::FanIn,
        gain: core::f64::consts::SQRT_2,
    };
    let x = vec![1.0f64; width]; // (1, width)
    let mut dead = 0usize;
    for t in 0..trials {
        let trial_seed = derive_seed(seed, t as u64);
        let mut model = deep_mlp::<f64>(
            width,
            width,
            depth,
            1,
            Activation::Relu,
            Some(init),
            trial_seed,
        )?;
        model.forward(&x, Mode::Eval);
        // The last hidden layer's output: the activation layer before the output dense layer.
        let last_hidden = model.layers().len() - 2;
        if model.layer_output(last_hidden).iter().all(|&v| v == 0.0) {
            dead += 1;
        }
    }
    Ok(dead as f64 / trials as f64)
}

/// Runs the experiment: the asked-for (width, depth) and, for the figure, a sweep over depths
/// 1–64 at widths 2, 3, 4 and 6.
///
/// JSON fields: `width`, `depth`, `trials`, `dead_fraction` (the Monte Carlo fraction, in
/// [0, 1]), `theory` (1 − (1 − 2^−width)^depth), `standard_error` (of the fraction, from the
/// theory), and `sweep`: per width, `depths`, `dead_fraction`, `theory`.
///
/// # Errors
///
/// [`LabError::Option`] for a width outside 1–64, a depth outside 1–256 or trials outside
/// 1–100 000.
pub fn run(options: &Options) -> Result<Outcome, LabError> {
    check_range("width", options.width, 1, 64)?;
    check_range("depth", options.depth, 1, 256)?;
    check_range("trials", options.trials, 1, 100_000)?;
    let (width, depth, trials) = (options.width, options.depth, options.trials);
    let measured = dead_fraction(width, depth, trials, options.seed)?;
    let expected = theory(width, depth);
    let standard_error = (expected * (1.0 - expected) / trials as f64).sqrt();

    let sweep_trials = if options.quick { 100 } else { 400 };
    let depths = [1usize, 2, 4, 8, 16, 32, 64];
    let mut figure = Figure::new(
        "born-dead",
        "ReLU networks dead at initialisation",
        "hidden layers (depth)",
        "fraction of networks born dead",
    )
    .log_x();
    let mut sweep = serde_json::Map::new();
    let mut worst_gap = 0.0f64;
    for (k, w) in [2usize, 3, 4, 6].into_iter().enumerate() {
        let fractions = depths
            .iter()
            .map(|&d| {
                dead_fraction(
                    w,
                    d,
                    sweep_trials,
                    derive_seed(options.seed, 1000 + k as u64),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let theories: Vec<f64> = depths.iter().map(|&d| theory(w, d)).collect();
        for (f, t) in fractions.iter().zip(&theories) {
            let se = (t * (1.0 - t) / sweep_trials as f64)
                .sqrt()
                .max(1.0 / sweep_trials as f64);
            worst_gap = worst_gap.max((f - t).abs() / se);
        }
        let key = crate::figure::ordinal_key(k);
        figure = figure
            .with(
                Series::line(
                    format!("width {w}, measured"),
                    depths
                        .iter()
                        .map(|&d| d as f64)
                        .zip(fractions.iter().copied())
                        .collect(),
                )
                .keyed(key.clone())
                .styled(Style::Points),
            )
            .with(
                Series::line(
                    format!("width {w}, 1 − (1 − 2^−{w})^L"),
                    depths
                        .iter()
                        .map(|&d| d as f64)
                        .zip(theories.iter().copied())
                        .collect(),
                )
                .keyed(key)
                .styled(Style::Dashed),
            );
        sweep.insert(
            w.to_string(),
            json!({"depths": depths, "dead_fraction": nums(&fractions), "theory": nums(&theories)}),
        );
    }
    let gap = (measured - expected).abs() / standard_error.max(1.0 / trials as f64);
    let holds = gap < 5.0 && worst_gap < 5.0;
    let data = json!({
        "width": width,
        "depth": depth,
        "trials": trials,
        "dead_fraction": num(measured),
        "theory": num(expected),
        "standard_error": num(standard_error),
        "sweep_trials": sweep_trials,
        "sweep": sweep,
    });
    Ok(Outcome {
        name: "born-dead".into(),
        title: "ReLU networks born dead".into(),
        claim: "ReLU units can die: a unit whose input is always negative passes no gradient and \
                never recovers. A narrow, deep network can even be dead before it trains."
            .into(),
        measured: format!(
            "Of {trials} ReLU networks of depth {depth} and width {width} (He weights, zero \
             biases), {:.1}% output all zeros from their last hidden layer; the theory \
             1 − (1 − 2^−{width})^{depth} gives {:.1}% (standard error {}).",
            100.0 * measured,
            100.0 * expected,
            fmt_num(standard_error)
        ),
        shows: "Each layer of width N dies with probability 2^−N and a dead layer kills every \
                layer above it, so the risk grows with depth and falls fast with width: a reason \
                to prefer width, Leaky ReLU or a small positive bias in narrow deep nets."
            .into(),
        holds,
        data,
        figures: vec![figure],
        tables: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theory_limits() {
        assert_eq!(theory(1, 1), 0.5);
        assert!((theory(2, 2) - (1.0 - 0.75f64 * 0.75)).abs() < 1e-15);
    }

    #[test]
    fn monte_carlo_matches_theory() {
        let outcome = run(&Options {
            width: 2,
            depth: 4,
            trials: 2000,
            seed: 5,
            quick: true,
        })
        .unwrap();
        let measured = outcome.data["dead_fraction"].as_f64().unwrap();
        let expected = theory(2, 4); // 1 − 0.75⁴ ≈ 0.684
        assert!(
            (measured - expected).abs() < 0.05,
            "{measured} vs {expected}"
        );
        assert!(outcome.holds);
    }
}
