//! **init-signal**: how the initialiser carries the forward signal through depth.
//!
//! A batch of standard-normal inputs (as wide as the network) goes through a deep MLP at
//! initialisation; after each hidden layer's nonlinearity the mean and standard deviation of
//! the activations are measured. He initialisation (variance 2/fan_in) exactly compensates
//! relu's halving of the second moment, so the signal keeps its scale; Xavier's 1/fan_in loses
//! half per relu layer; SELU with LeCun initialisation pulls itself to mean 0, variance 1.

use act::Activation;
use nn::init::Init;
use nn::rng::Rng;
use nn::{Layer, Mode};
use serde_json::json;

use super::common::{LabError, check_range, deep_mlp, derive_seed, fmt_num, num, numbered, nums};
use crate::figure::{Figure, Series, Style};
use crate::report::Outcome;

/// Options of the init-signal experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The (activation, initialiser) pairs compared; the first one's numbers are also the
    /// JSON's top level.
    pub pairs: Vec<(Activation, Init)>,
    /// Hidden layers (1–200).
    pub depth: usize,
    /// Units per hidden layer and input width (1–2048).
    pub width: usize,
    /// Rows of the input batch.
    pub rows: usize,
    /// Seed of the weights and inputs.
    pub seed: u64,
}

impl Default for Options {
    /// relu with He, Xavier and standard; tanh with Xavier and standard; selu with LeCun;
    /// sigmoid with the Playground's initialiser; depth 20, width 100, 500 rows, seed 0.
    fn default() -> Options {
        let named = |n: &str| Init::from_name(n).unwrap_or(Init::Standard);
        Options {
            pairs: vec![
                (Activation::Relu, named("he")),
                (Activation::Relu, named("xavier")),
                (Activation::Relu, named("standard")),
                (Activation::Tanh, named("xavier")),
                (Activation::Tanh, named("standard")),
                (Activation::Selu, named("lecun")),
                (Activation::Sigmoid, named("playground")),
            ],
            depth: 20,
            width: 100,
            rows: 500,
            seed: 0,
        }
    }
}

/// Per hidden layer (after the nonlinearity): the mean and the standard deviation of the
/// activations over the whole batch.
fn measure(
    activation: Activation,
    init: Init,
    options: &Options,
) -> Result<(Vec<f64>, Vec<f64>), LabError> {
    let mut model = deep_mlp::<f32>(
        options.width,
        options.width,
        options.depth,
        1,
        activation,
        Some(init),
        options.seed,
    )?;
    let mut rng = Rng::seed(derive_seed(options.seed, 7));
    let x: Vec<f32> = (0..options.rows * options.width)
        .map(|_| rng.normal(0.0, 1.0) as f32)
        .collect(); // (rows, width)
    model.forward(&x, Mode::Eval);
    let mut means = Vec::new();
    let mut stds = Vec::new();
    for (l, layer) in model.layers().iter().enumerate() {
        let is_hidden_activation =
            !matches!(layer, Layer::Dense { .. }) && l + 1 < model.layers().len();
        if !is_hidden_activation {
            continue;
        }
        let y = model.layer_output(l); // (rows, width)
        let n = y.len() as f64;
        let mean = y.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
        let var = y
            .iter()
            .map(|&v| (f64::from(v) - mean).powi(2))
            .sum::<f64>()
            / n;
        means.push(mean);
        stds.push(var.sqrt());
    }
    Ok((means, stds))
}

fn label(activation: Activation, init: Init) -> String {
    format!("{} + {}", activation.name(), init.name())
}

/// Runs the experiment.
///
/// JSON fields: `act`, `init`, `depth`, `width`, `layer_mean`, `layer_std` (lists over hidden
/// layers after the nonlinearity, first entry = first hidden layer) for the first pair; and
/// `pairs`: a list of `{act, init, layer_mean, layer_std}` for every pair.
///
/// # Errors
///
/// [`LabError::Option`] for a depth outside 1–200, a width outside 1–2048, rows outside
/// 1–100 000 or no pair.
pub fn run(options: &Options) -> Result<Outcome, LabError> {
    check_range("depth", options.depth, 1, 200)?;
    check_range("width", options.width, 1, 2048)?;
    check_range("rows", options.rows, 1, 100_000)?;
    if options.pairs.is_empty() {
        return Err(LabError::Option(
            "no (activation, initialiser) pair given".into(),
        ));
    }
    let mut results = Vec::new();
    for &(a, init) in &options.pairs {
        let (means, stds) = measure(a, init, options)?;
        results.push((a, init, means, stds));
    }
    let styles = [Style::Line, Style::Dashed, Style::Points];
    let mut std_figure = Figure::new(
        "init-signal-std",
        format!("Activation spread through depth (width {})", options.width),
        "hidden layer",
        "std of activations",
    )
    .log_y();
    let mut mean_figure = Figure::new(
        "init-signal-mean",
        "Activation mean through depth",
        "hidden layer",
        "mean of activations",
    );
    for (k, (a, init, means, stds)) in results.iter().enumerate() {
        // One colour per activation; the initialiser picks the line style.
        let same_act_before = results[..k].iter().filter(|r| r.0 == *a).count();
        let style = styles[same_act_before % styles.len()];
        std_figure = std_figure.with(
            Series::line(label(*a, *init), numbered(stds))
                .keyed(a.name())
                .styled(style),
        );
        mean_figure = mean_figure.with(
            Series::line(label(*a, *init), numbered(means))
                .keyed(a.name())
                .styled(style),
        );
    }

    let find = |a: Activation, init: &str| results.iter().find(|r| r.0 == a && r.1.name() == init);
    let mut holds = true;
    let mut notes = Vec::new();
    let last = |v: &[f64]| *v.last().unwrap_or(&f64::NAN);
    if let Some((_, _, _, stds)) = find(Activation::Relu, "he") {
        let ratio = last(stds) / stds[0];
        holds &= (0.2..5.0).contains(&ratio);
        notes.push(format!(
            "relu + he keeps its std ({} → {})",
            fmt_num(stds[0]),
            fmt_num(last(stds))
        ));
    }
    if let Some((_, _, _, stds)) = find(Activation::Relu, "xavier") {
        let ratio = last(stds) / stds[0];
        if options.depth >= 10 {
            holds &= ratio < 0.1;
        }
        notes.push(format!(
            "relu + xavier shrinks it ({} → {})",
            fmt_num(stds[0]),
            fmt_num(last(stds))
        ));
    }
    if let Some((_, _, means, stds)) = find(Activation::Selu, "lecun") {
        holds &= last(means).abs() < 0.25 && (0.6..1.4).contains(&last(stds));
        notes.push(format!(
            "selu + lecun ends at mean {}, std {}",
            fmt_num(last(means)),
            fmt_num(last(stds))
        ));
    }
    if notes.is_empty() {
        let (a, init, _, stds) = &results[0];
        notes.push(format!(
            "{}: std {} at layer 1, {} at layer {}",
            label(*a, *init),
            fmt_num(stds[0]),
            fmt_num(last(stds)),
            options.depth
        ));
    }
    let (a0, init0, means0, stds0) = &results[0];
    let data = json!({
        "act": a0.name(),
        "init": init0.name(),
        "depth": options.depth,
        "width": options.width,
        "rows": options.rows,
        "layer_mean": nums(means0),
        "layer_std": nums(stds0),
        "pairs": results.iter().map(|(a, init, means, stds)| json!({
            "act": a.name(), "init": init.name(),
            "layer_mean": nums(means), "layer_std": nums(stds),
            "last_std": num(last(stds)),
        })).collect::<Vec<_>>(),
    });
    Ok(Outcome {
        name: "init-signal".into(),
        title: "Initialisation and the forward signal".into(),
        claim: "The initialiser must match the activation: He's variance 2/fan_in suits ReLU \
                (which zeroes half its inputs), Xavier suits tanh and sigmoid, and SELU with \
                LeCun initialisation normalises itself."
            .into(),
        measured: format!(
            "Standard-normal inputs through {} layers of width {}: {}.",
            options.depth,
            options.width,
            notes.join("; ")
        ),
        shows: "A mismatched initialiser makes the signal shrink or grow geometrically with \
                depth, so the deep layers see nothing (or saturate) before training starts; the \
                matched pairs keep it at a constant scale."
            .into(),
        holds,
        data,
        figures: vec![std_figure, mean_figure],
        tables: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn he_keeps_relu_and_xavier_loses_it_and_selu_normalises() {
        let outcome = run(&Options::default()).unwrap();
        assert!(outcome.holds, "{}", outcome.measured);
        let std = outcome.data["layer_std"].as_array().unwrap();
        assert_eq!(std.len(), 20);
    }

    #[test]
    fn rejects_zero_width() {
        let options = Options {
            width: 0,
            ..Options::default()
        };
        assert!(run(&options).unwrap_err().to_string().contains("--width 0"));
    }
}
