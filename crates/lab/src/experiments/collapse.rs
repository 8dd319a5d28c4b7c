//! **collapse**: without a nonlinearity, stacked layers are one layer.
//!
//! The guide: W₂(W₁x + b₁) + b₂ = W′x + b′ with W′ = W₂W₁ and b′ = W₂b₁ + b₂, so depth buys
//! nothing without an activation. Measured twice: (1) a deep network with identity activations
//! is folded into one affine map (W′ = W_L⋯W₁, b′ by the same recursion) and both are evaluated
//! on random inputs; (2) the linear network and the same network with tanh are trained on XOR,
//! which no linear classifier can solve.

use act::Activation;
use nn::data::playground;
use nn::optim::Sgd;
use nn::rng::Rng;
use nn::train::{TrainConfig, train};
use nn::{Layer, Mlp, Mode};
use serde_json::json;

use super::common::{LabError, check_range, deep_mlp, derive_seed, fmt_num, num, numbered, nums};
use crate::figure::{Figure, Series};
use crate::report::Outcome;

/// Options of the collapse experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Hidden layers (1–64).
    pub depth: usize,
    /// Seed of the weights, the data and the shuffles.
    pub seed: u64,
    /// Fewer epochs.
    pub quick: bool,
}

impl Default for Options {
    /// Depth 4, seed 0, full run.
    fn default() -> Options {
        Options {
            depth: 4,
            seed: 0,
            quick: false,
        }
    }
}

/// Folds an all-dense-and-identity network into one affine map: returns (W′ row-major
/// `(outputs, inputs)`, b′).
fn fold(model: &Mlp<f64>) -> (Vec<f64>, Vec<f64>) {
    let n_in = model.inputs();
    // Start from the identity map: W′ = I, b′ = 0.
    let mut w: Vec<f64> = (0..n_in * n_in)
        .map(|k| if k / n_in == k % n_in { 1.0 } else { 0.0 })
        .collect();
    let mut b = vec![0.0; n_in];
    let mut width = n_in;
    for (l, layer) in model.layers().iter().enumerate() {
        if let Layer::Dense {
            inputs, outputs, ..
        } = *layer
        {
            let wl = model.weights(l).expect("dense layer has weights"); // (outputs, inputs)
            let bl = model.bias(l).expect("dense layer has a bias");
            // W′ ← W_l·W′ (outputs × n_in), b′ ← W_l·b′ + b_l.
            let mut w_next = vec![0.0; outputs * n_in];
            let mut b_next = bl.to_vec();
            for o in 0..outputs {
                for k in 0..inputs {
                    let a = wl[o * inputs + k];
                    for j in 0..n_in {
                        w_next[o * n_in + j] += a * w[k * n_in + j];
                    }
                    b_next[o] += a * b[k];
                }
            }
            w = w_next;
            b = b_next;
            width = outputs;
        }
    }
    debug_assert_eq!(b.len(), width);
    (w, b)
}

/// Runs the experiment.
///
/// JSON fields: `depth`, `max_abs_diff` (network against its folded map, over 256 random
/// inputs in f64), `collapsed_shape` ([outputs, inputs] of W′), `linear_accuracy` and
/// `nonlinear_accuracy` (test accuracy on XOR, in [0, 1]), `nonlinear_activation`, `epochs`,
/// `linear_test_accuracy_per_epoch`, `nonlinear_test_accuracy_per_epoch`.
///
/// # Errors
///
/// [`LabError::Option`] for a depth outside 1–64.
pub fn run(options: &Options) -> Result<Outcome, LabError> {
    check_range("depth", options.depth, 1, 64)?;
    let depth = options.depth;

    // (1) The fold, in f64: 4 inputs, `depth` hidden layers of 8, 3 outputs.
    let model = deep_mlp::<f64>(4, 8, depth, 3, Activation::Identity, None, options.seed)?;
    let mut rng = Rng::seed(derive_seed(options.seed, 1));
    let rows = 256;
    let x: Vec<f64> = (0..rows * 4).map(|_| rng.normal(0.0, 1.0)).collect(); // (rows, 4)
    let (w, b) = fold(&model);
    let mut model = model;
    let y = model.forward(&x, Mode::Eval).to_vec(); // (rows, 3)
    let mut max_abs_diff = 0.0f64;
    for r in 0..rows {
        for o in 0..3 {
            let folded = b[o] + (0..4).map(|j| w[o * 4 + j] * x[r * 4 + j]).sum::<f64>();
            max_abs_diff = max_abs_diff.max((folded - y[r * 3 + o]).abs());
        }
    }

    // (2) XOR: the linear network against the same network with tanh.
    let mut data_rng = Rng::seed(derive_seed(options.seed, 2));
    let train_set = playground::xor(400, 0.0, &mut data_rng);
    let test_set = playground::xor(400, 0.0, &mut data_rng);
    let epochs = if options.quick { 30 } else { 60 };
    let config = TrainConfig {
        epochs,
        batch_size: 10,
        optimizer: Sgd {
            lr: 0.03,
            momentum: 0.9,
            ..Sgd::default()
        }
        .into(),
        seed: options.seed,
        diagnostics: None,
        ..TrainConfig::default()
    };
    let nonlinear = Activation::Tanh;
    let mut curves = Vec::new();
    for activation in [Activation::Identity, nonlinear] {
        let mut net = deep_mlp::<f32>(2, 8, depth, 2, activation, None, options.seed)?;
        let reports = train(&mut net, &train_set, Some(&test_set), &config, |_| {})?;
        let acc: Vec<f64> = reports
            .iter()
            .map(|r| r.test.and_then(|t| t.accuracy).unwrap_or(f64::NAN))
            .collect();
        curves.push(acc);
    }
    let linear_accuracy = *curves[0].last().unwrap_or(&f64::NAN);
    let nonlinear_accuracy = *curves[1].last().unwrap_or(&f64::NAN);

    let holds = max_abs_diff < 1e-9 && linear_accuracy < 0.7 && nonlinear_accuracy > 0.9;
    let figure = Figure::new(
        "collapse-xor",
        format!("XOR with {depth} hidden layers: linear vs tanh"),
        "epoch",
        "test accuracy",
    )
    .with(Series::line("identity (linear)", numbered(&curves[0])).keyed("identity"))
    .with(Series::line("tanh", numbered(&curves[1])));
    let data = json!({
        "depth": depth,
        "max_abs_diff": num(max_abs_diff),
        "collapsed_shape": [3, 4],
        "linear_accuracy": num(linear_accuracy),
        "nonlinear_accuracy": num(nonlinear_accuracy),
        "nonlinear_activation": nonlinear.name(),
        "epochs": epochs,
        "linear_test_accuracy_per_epoch": nums(&curves[0]),
        "nonlinear_test_accuracy_per_epoch": nums(&curves[1]),
    });
    Ok(Outcome {
        name: "collapse".into(),
        title: "Without a nonlinearity, depth collapses".into(),
        claim: "Stacked linear layers are one linear layer: W₂(W₁x + b₁) + b₂ = W′x + b′. \
                A deep network without activations can only draw a straight boundary."
            .into(),
        measured: format!(
            "A {depth}-hidden-layer network with identity activations and its folded single \
             layer W′ (3×4) differ by at most {} on 256 random inputs. On XOR, the linear \
             network reaches {:.1}% test accuracy, the same network with tanh {:.1}%.",
            fmt_num(max_abs_diff),
            100.0 * linear_accuracy,
            100.0 * nonlinear_accuracy
        ),
        shows: if holds {
            "The deep linear network is exactly one matrix (to rounding), and like any linear \
             classifier it stays near chance on XOR; one nonlinearity per layer is what lets \
             depth bend the boundary."
                .into()
        } else {
            "This run does not show the collapse cleanly; see the numbers.".into()
        },
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
    fn fold_matches_a_two_layer_network_by_hand() {
        let mut model = deep_mlp::<f64>(4, 8, 1, 3, Activation::Identity, None, 3).unwrap();
        let (w, b) = fold(&model);
        let x = [0.5, -1.0, 2.0, 0.25];
        let y = model.forward(&x, Mode::Eval).to_vec();
        for o in 0..3 {
            let folded = b[o] + (0..4).map(|j| w[o * 4 + j] * x[j]).sum::<f64>();
            assert!((folded - y[o]).abs() < 1e-12, "{folded} vs {}", y[o]);
        }
    }

    #[test]
    fn depth_zero_is_refused() {
        let err = run(&Options {
            depth: 0,
            ..Options::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("--depth 0"), "{err}");
    }
}
