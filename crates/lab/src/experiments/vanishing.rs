//! **vanishing**: gradients shrink through saturating layers.
//!
//! The guide: σ′ = σ(1 − σ) ≤ 1/4, so backpropagation through L sigmoid layers scales the
//! gradient by up to 0.25^L (0.25¹⁰ ≈ 1e-6): the layers nearest the input barely learn. tanh′ ≤ 1
//! is better; relu′ = 1 on its active side passes the gradient undamped. Measured: the norm of
//! ∂L/∂W for each hidden layer of a deep MLP at initialisation (one minibatch of 256 rows of
//! Playground's circle), and the first-to-last ratio of those norms while the network trains,
//! read from the engine's diagnostics.

use act::Activation;
use nn::init::Init;
use nn::loss::{Loss, LossTarget};
use nn::optim::Sgd;
use nn::train::{TrainConfig, train};
use nn::{Mlp, Mode};
use serde_json::{Map, Value, json};

use super::common::{
    LabError, check_range, deep_mlp, fmt_num, hidden_dense_layers, norm, num, numbered, nums,
};
use super::data::standardized_pair;
use crate::figure::{Figure, Series, Style};
use crate::report::Outcome;

/// Options of the vanishing-gradient experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The activations compared (the first one's numbers are also the JSON's top level).
    pub acts: Vec<Activation>,
    /// Hidden layers (2–64).
    pub depth: usize,
    /// Units per hidden layer (1–1024).
    pub width: usize,
    /// The hidden layers' initialiser; `None`: each activation's recommended one.
    pub init: Option<Init>,
    /// Seed of the weights, data and shuffles.
    pub seed: u64,
    /// Fewer training epochs.
    pub quick: bool,
}

impl Default for Options {
    /// sigmoid, tanh, relu and gelu; depth 10, width 32, recommended initialisers, seed 0.
    fn default() -> Options {
        Options {
            acts: vec![
                Activation::Sigmoid,
                Activation::Tanh,
                Activation::Relu,
                Activation::Gelu,
            ],
            depth: 10,
            width: 32,
            init: None,
            seed: 0,
            quick: false,
        }
    }
}

/// What one activation measured.
struct Run {
    activation: Activation,
    init: Init,
    layer_grad_norm: Vec<f64>,
    /// (step, first/last hidden-layer gradient ratio) during training.
    ratio_during_training: Vec<(f64, f64)>,
    final_test_accuracy: f64,
}

impl Run {
    fn ratio(&self) -> f64 {
        match (self.layer_grad_norm.first(), self.layer_grad_norm.last()) {
            (Some(first), Some(last)) => first / last,
            _ => f64::NAN,
        }
    }
}

/// The hidden layers' initialiser the network actually got.
fn init_of(model: &Mlp<f32>, layer: usize) -> Init {
    match model.layers()[layer] {
        nn::Layer::Dense { init, .. } => init,
        _ => Init::Zeros,
    }
}

fn run_one(options: &Options, activation: Activation) -> Result<Run, LabError> {
    let (train_set, test_set) = standardized_pair("circle", 400, 0.0, options.seed)?;
    let mut model = deep_mlp::<f32>(
        2,
        options.width,
        options.depth,
        2,
        activation,
        options.init,
        options.seed,
    )?;
    let hidden = hidden_dense_layers(&model);
    let init = init_of(&model, hidden[0]);

    // ∂L/∂W at initialisation, on the first 256 training rows.
    let rows = 256.min(train_set.len());
    let x = &train_set.features()[..rows * 2]; // (rows, 2)
    let classes: Vec<usize> = train_set.labels().unwrap_or(&[])[..rows]
        .iter()
        .map(|&c| c as usize)
        .collect();
    model.zero_grad();
    model.forward(x, Mode::Train);
    model
        .loss_backward(Loss::SoftmaxCrossEntropy, LossTarget::Classes(&classes))
        .map_err(|e| LabError::Train(nn::train::TrainError::Targets(e)))?;
    let layer_grad_norm: Vec<f64> = hidden
        .iter()
        .map(|&l| {
            let weights = model.weights(l).map_or(0, <[f32]>::len);
            norm(&model.layer_grads(l)[..weights])
        })
        .collect();
    model.zero_grad();

    // Training, with a diagnostics snapshot every 10 steps.
    let epochs = if options.quick { 8 } else { 30 };
    let config = TrainConfig {
        epochs,
        batch_size: 20,
        optimizer: Sgd {
            lr: 0.05,
            momentum: 0.9,
            ..Sgd::default()
        }
        .into(),
        seed: options.seed,
        diagnostics: Some(nn::diagnostics::DiagnosticsConfig {
            every: 10,
            dead_units: false,
            ..Default::default()
        }),
        ..TrainConfig::default()
    };
    let (first, last) = (hidden[0], hidden[hidden.len() - 1]);
    let mut ratio_during_training = Vec::new();
    let mut final_test_accuracy = f64::NAN;
    match train(&mut model, &train_set, Some(&test_set), &config, |_| {}) {
        Ok(reports) => {
            for snapshot in reports.iter().flat_map(|r| &r.snapshots) {
                let g = |l: usize| snapshot.layers[l].weight_grad_norm.unwrap_or(f64::NAN);
                ratio_during_training.push((snapshot.step as f64, g(first) / g(last)));
            }
            final_test_accuracy = reports
                .last()
                .and_then(|r| r.test)
                .and_then(|t| t.accuracy)
                .unwrap_or(f64::NAN);
        }
        // A diverging run is a finding, not a failure of the experiment: its accuracy stays NaN.
        Err(nn::train::TrainError::Diverged(_)) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(Run {
        activation,
        init,
        layer_grad_norm,
        ratio_during_training,
        final_test_accuracy,
    })
}

/// Runs the experiment.
///
/// JSON fields: `act`, `depth`, `width`, `init` and `layer_grad_norm` (‖∂L/∂W‖ of each hidden
/// layer at initialisation, first entry = the layer nearest the input) for the first activation;
/// `first_to_last_ratio` (its first entry over its last); `sigmoid_bound` (0.25^(depth − 1));
/// and `by_activation`: for every activation, `init`, `layer_grad_norm`, `first_to_last_ratio`,
/// `ratio_during_training` ([step, ratio] pairs) and `final_test_accuracy`.
///
/// # Errors
///
/// [`LabError::Option`] for a depth outside 2–64, a width outside 1–1024 or no activation.
pub fn run(options: &Options) -> Result<Outcome, LabError> {
    check_range("depth", options.depth, 2, 64)?;
    check_range("width", options.width, 1, 1024)?;
    if options.acts.is_empty() {
        return Err(LabError::Option("--act: no activation given".into()));
    }
    let runs = options
        .acts
        .iter()
        .map(|&a| run_one(options, a))
        .collect::<Result<Vec<_>, _>>()?;
    let depth = options.depth;
    let bound = 0.25f64.powi(depth as i32 - 1);

    let mut init_figure = Figure::new(
        "vanishing-init",
        format!("Gradient norm per hidden layer at initialisation (depth {depth})"),
        "hidden layer (1 = nearest the input)",
        "‖∂L/∂W‖",
    )
    .log_y();
    for run in &runs {
        init_figure = init_figure.with(
            Series::line(run.activation.name(), numbered(&run.layer_grad_norm)).styled(Style::Line),
        );
    }
    if let Some(sigmoid) = runs.iter().find(|r| r.activation == Activation::Sigmoid) {
        // The guide's rate, anchored at the sigmoid's last hidden layer: ×0.25 per layer down.
        let last = *sigmoid.layer_grad_norm.last().unwrap_or(&f64::NAN);
        let points = (1..=depth)
            .map(|l| (l as f64, last * 0.25f64.powi((depth - l) as i32)))
            .collect();
        init_figure = init_figure.with(
            Series::line("×0.25 per layer (σ′ ≤ ¼)", points)
                .keyed("bound")
                .styled(Style::Dashed),
        );
    }
    let mut train_figure = Figure::new(
        "vanishing-training",
        "First-to-last hidden layer gradient ratio during training",
        "optimiser step",
        "‖∂L/∂W₁‖ / ‖∂L/∂W_last‖",
    )
    .log_y();
    for run in &runs {
        train_figure = train_figure.with(Series::line(
            run.activation.name(),
            run.ratio_during_training.clone(),
        ));
    }

    let mut by_activation = Map::new();
    for run in &runs {
        by_activation.insert(
            run.activation.name().into(),
            json!({
                "init": run.init.name(),
                "layer_grad_norm": nums(&run.layer_grad_norm),
                "first_to_last_ratio": num(run.ratio()),
                "ratio_during_training": run.ratio_during_training.iter()
                    .map(|&(s, r)| json!([s, num(r)])).collect::<Vec<_>>(),
                "final_test_accuracy": num(run.final_test_accuracy),
            }),
        );
    }
    let head = &runs[0];
    let data = json!({
        "act": head.activation.name(),
        "depth": depth,
        "width": options.width,
        "init": head.init.name(),
        "layer_grad_norm": nums(&head.layer_grad_norm),
        "first_to_last_ratio": num(head.ratio()),
        "sigmoid_bound": num(bound),
        "by_activation": Value::Object(by_activation),
    });

    let find = |a: Activation| runs.iter().find(|r| r.activation == a).map(Run::ratio);
    let sigmoid_ratio = find(Activation::Sigmoid);
    let relu_ratio = find(Activation::Relu);
    let holds = sigmoid_ratio.is_none_or(|s| s < 1e-2)
        && match (sigmoid_ratio, relu_ratio) {
            (Some(s), Some(r)) => r > 100.0 * s,
            _ => true,
        };
    let ratios: Vec<String> = runs
        .iter()
        .map(|r| format!("{} {}", r.activation.name(), fmt_num(r.ratio())))
        .collect();
    Ok(Outcome {
        name: "vanishing".into(),
        title: "The vanishing gradient".into(),
        claim: "σ′ ≤ 0.25, so through L sigmoid layers the gradient shrinks like 0.25^L \
                (0.25¹⁰ ≈ 1e-6); tanh saturates too; relu passes gradient 1 where it is active."
            .into(),
        measured: format!(
            "At initialisation, in a {depth}-layer MLP (width {}), the first hidden layer's \
             weight gradient over the last one's is: {}. The guide's 0.25^{} is {}.",
            options.width,
            ratios.join(", "),
            depth - 1,
            fmt_num(bound)
        ),
        shows: "With sigmoid the layers nearest the input receive gradients orders of magnitude \
                smaller than the last, at about the guide's 0.25 per layer; with relu (and He \
                initialisation) the gradient reaches the first layer at a comparable size."
            .into(),
        holds,
        data,
        figures: vec![init_figure, train_figure],
        tables: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmoid_first_layer_gradient_is_orders_below_its_last() {
        let outcome = run(&Options {
            acts: vec![Activation::Sigmoid, Activation::Relu],
            quick: true,
            ..Options::default()
        })
        .unwrap();
        let norms = outcome.data["layer_grad_norm"].as_array().unwrap();
        assert_eq!(norms.len(), 10);
        let first = norms[0].as_f64().unwrap();
        let last = norms[9].as_f64().unwrap();
        assert!(
            first < last * 1e-3,
            "sigmoid: first {first:e}, last {last:e}"
        );
        let relu = outcome.data["by_activation"]["relu"]["first_to_last_ratio"]
            .as_f64()
            .unwrap();
        assert!(relu > 0.01, "relu ratio {relu:e}");
        assert!(outcome.holds);
    }
}
