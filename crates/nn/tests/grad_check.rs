//! Every gradient the engine computes, checked against central finite differences in f64:
//! every layer type, every catalogue activation, every loss, and whole networks (every
//! parameter). And a check that the checker itself catches wrong formulas.
//!
//! The numerical derivative of the loss L in parameter θᵢ is
//! (L(θ + hεᵢ) − L(θ − hεᵢ))/2h, with h = 1e-5·max(1, |θᵢ|): truncation error O(h²·L‴) ≈ 1e-10
//! and rounding error O(ε·L/h) ≈ 1e-11. An analytic gradient a passes against the numerical n
//! when |a − n| ≤ 1e-6·max(|a|, |n|, 1e-3): a wrong formula (a missing factor, f′ taken at the
//! wrong point) is off by O(1) relative.
//!
//! Stochastic layers (dropout, RReLU) are checked in training mode too: each evaluation runs on
//! a clone of the model, whose random stream is at the same place, so every pass draws the same
//! masks and slopes. Points within 1e-3 of a kink (where f′ jumps: relu at 0, hardtanh at ±1,
//! …) are avoided by redrawing the input, since no finite difference is meaningful there.

use act::Activation;
use act::gated::Gate;
use nn::loss::{Loss, LossTarget};
use nn::rng::Rng;
use nn::{Layer, Mlp, Mode};

const H: f64 = 1e-5;
const TOLERANCE: f64 = 1e-6;
const FLOOR: f64 = 1e-3;

/// The targets of a check: class indices or values, owned.
#[derive(Clone, Debug)]
enum Targets {
    Classes(Vec<usize>),
    Values(Vec<f64>),
}

impl Targets {
    fn view(&self) -> LossTarget<'_, f64> {
        match self {
            Targets::Classes(c) => LossTarget::Classes(c),
            Targets::Values(v) => LossTarget::Values(v),
        }
    }
}

/// The loss of `model` (a clone: its random stream stays put) with parameters `params`.
fn loss_at(
    model: &Mlp<f64>,
    params: &[f64],
    x: &[f64],
    t: &Targets,
    loss: Loss,
    mode: Mode,
) -> f64 {
    let mut m = model.clone();
    m.params_mut().copy_from_slice(params);
    let out = m.forward(x, mode).to_vec();
    let mut grad = vec![0.0; out.len()];
    loss.compute(&out, m.outputs(), t.view(), &mut grad)
        .unwrap()
}

/// The engine's gradient of every parameter (on a clone, so the random stream stays put).
fn analytic(model: &Mlp<f64>, x: &[f64], t: &Targets, loss: Loss, mode: Mode) -> Vec<f64> {
    let mut m = model.clone();
    m.zero_grad();
    m.forward(x, mode);
    m.loss_backward(loss, t.view()).unwrap();
    m.grads().to_vec()
}

/// Central differences of the loss in every parameter.
fn numerical(model: &Mlp<f64>, x: &[f64], t: &Targets, loss: Loss, mode: Mode) -> Vec<f64> {
    let base = model.params().to_vec();
    let mut params = base.clone();
    (0..base.len())
        .map(|i| {
            let h = H * base[i].abs().max(1.0);
            params[i] = base[i] + h;
            let up = loss_at(model, &params, x, t, loss, mode);
            params[i] = base[i] - h;
            let down = loss_at(model, &params, x, t, loss, mode);
            params[i] = base[i];
            (up - down) / (2.0 * h)
        })
        .collect()
}

/// The worst relative disagreement, and where: `Err` if it is above the tolerance.
fn compare(analytic: &[f64], numerical: &[f64]) -> Result<f64, String> {
    assert_eq!(analytic.len(), numerical.len());
    let mut worst = (0.0f64, 0usize);
    for (i, (&a, &n)) in analytic.iter().zip(numerical).enumerate() {
        let err = (a - n).abs() / a.abs().max(n.abs()).max(FLOOR);
        // A NaN error (a NaN gradient) must win: it is the worst there is.
        if err.is_nan() || err > worst.0 {
            worst = (err, i);
        }
    }
    if worst.0 <= TOLERANCE {
        Ok(worst.0)
    } else {
        let i = worst.1;
        Err(format!(
            "parameter {i}: analytic {} vs numerical {} (relative error {:.2e})",
            analytic[i], numerical[i], worst.0
        ))
    }
}

/// Whether f′ jumps near x (|f′(x + δ) − f′(x − δ)| > 0.05 with δ = 1e-3): a kink or a step,
/// where finite differences say nothing.
fn near_kink(f: Activation, x: f64) -> bool {
    let d = 1e-3;
    (f.derivative(x + d) - f.derivative(x - d)).abs() > 0.05
}

/// Whether any element-wise layer sees an input near one of its kinks on `x`.
fn touches_kink(model: &Mlp<f64>, x: &[f64]) -> bool {
    let mut m = model.clone();
    m.forward(x, Mode::Eval);
    m.layers().iter().enumerate().any(|(l, layer)| {
        let input = m.layer_input(l);
        match *layer {
            Layer::Gated { gate, outputs } => input
                .chunks_exact(2 * outputs)
                .flat_map(|row| &row[outputs..])
                .any(|&b| near_kink(gate.activation(), b)),
            // Every slope in play: a PReLU's own, any of RReLU's (its kink is at 0 whatever).
            Layer::Prelu { .. } | Layer::Rrelu { .. } => input.iter().any(|&v| v.abs() < 1e-3),
            _ => match layer.activation() {
                Some(f) => input.iter().any(|&v| near_kink(f, v)),
                None => false,
            },
        }
    })
}

/// A batch of `rows` inputs, scaled by `scale`, drawn from `rng`, that avoids every kink.
fn inputs_away_from_kinks(model: &Mlp<f64>, rows: usize, scale: f64, rng: &mut Rng) -> Vec<f64> {
    for _ in 0..200 {
        let x: Vec<f64> = (0..rows * model.inputs())
            .map(|_| rng.normal(0.0, scale))
            .collect();
        if !touches_kink(model, &x) {
            return x;
        }
    }
    panic!("no input away from the kinks in 200 draws");
}

/// Checks every parameter of `model` on a batch of 5 random rows against class targets.
fn check(model: &Mlp<f64>, loss: Loss, mode: Mode, seed: u64) -> Result<f64, String> {
    let mut rng = Rng::seed(seed);
    let x = inputs_away_from_kinks(model, 5, 1.5, &mut rng);
    let classes = match (loss, model.outputs()) {
        (Loss::SoftmaxCrossEntropy, k) => k,
        (_, 1) => 2,
        (_, k) => k,
    };
    let t = Targets::Classes((0..5).map(|_| rng.below(classes)).collect());
    compare(
        &analytic(model, &x, &t, loss, mode),
        &numerical(model, &x, &t, loss, mode),
    )
}

#[test]
fn every_catalogue_activation() {
    for (k, &f) in act::ALL.iter().enumerate() {
        let model = Mlp::<f64>::builder(3)
            .dense(4)
            .act(f)
            .dense(3)
            .build(k as u64)
            .unwrap();
        for mode in [Mode::Train, Mode::Eval] {
            if let Err(e) = check(&model, Loss::SoftmaxCrossEntropy, mode, 100 + k as u64) {
                panic!("{f} ({mode:?}): {e}");
            }
        }
    }
}

#[test]
fn every_layer_type() {
    let b = || Mlp::<f64>::builder(3).dense(6);
    let cases: Vec<(&str, Mlp<f64>)> = vec![
        ("dense", Mlp::builder(3).dense(4).dense(2).build(1).unwrap()),
        ("prelu shared", b().prelu().dense(2).build(2).unwrap()),
        (
            "prelu per unit",
            b().prelu_per_unit().dense(2).build(3).unwrap(),
        ),
        (
            "rrelu",
            b().rrelu(0.125, 1.0 / 3.0).dense(2).build(4).unwrap(),
        ),
        ("dropout", b().dropout(0.4).dense(2).build(5).unwrap()),
        ("glu", b().gated(Gate::Glu).dense(2).build(6).unwrap()),
        ("reglu", b().gated(Gate::Reglu).dense(2).build(7).unwrap()),
        ("geglu", b().gated(Gate::Geglu).dense(2).build(8).unwrap()),
        ("swiglu", b().gated(Gate::Swiglu).dense(2).build(9).unwrap()),
    ];
    for (name, mut model) in cases {
        // PReLU's slope moves off 0.25 so that ∂/∂α and the slope itself are both exercised.
        for l in 0..model.layers().len() {
            if matches!(model.layers()[l], Layer::Prelu { .. }) {
                let range = model.param_range(l);
                for (i, a) in model.params_mut()[range].iter_mut().enumerate() {
                    *a = 0.1 + 0.07 * i as f64;
                }
            }
        }
        for mode in [Mode::Train, Mode::Eval] {
            if let Err(e) = check(&model, Loss::SoftmaxCrossEntropy, mode, 7) {
                panic!("{name} ({mode:?}): {e}");
            }
        }
    }
}

#[test]
fn every_loss() {
    let net = |outputs| {
        Mlp::<f64>::builder(3)
            .dense(5)
            .act(Activation::Tanh)
            .dense(outputs)
            .build(11)
            .unwrap()
    };
    let mut rng = Rng::seed(12);
    let one = net(1);
    let three = net(3);
    let x = inputs_away_from_kinks(&three, 5, 1.0, &mut rng);
    let probs: Vec<f64> = (0..5)
        .flat_map(|_| {
            let raw = [rng.unit() + 0.1, rng.unit() + 0.1, rng.unit() + 0.1];
            let s: f64 = raw.iter().sum();
            raw.map(|r| r / s)
        })
        .collect();
    let in_unit: Vec<f64> = (0..15).map(|_| rng.unit()).collect();
    let reals: Vec<f64> = (0..15).map(|_| rng.normal(0.0, 2.0)).collect();
    let cases = [
        (
            "cross-entropy, classes",
            &three,
            Loss::SoftmaxCrossEntropy,
            Targets::Classes(vec![0, 2, 1, 1, 0]),
        ),
        (
            "cross-entropy, probabilities",
            &three,
            Loss::SoftmaxCrossEntropy,
            Targets::Values(probs),
        ),
        (
            "bce, one output",
            &one,
            Loss::BceWithLogits,
            Targets::Classes(vec![0, 1, 1, 0, 1]),
        ),
        (
            "bce, three outputs, one-hot",
            &three,
            Loss::BceWithLogits,
            Targets::Classes(vec![2, 1, 0, 0, 1]),
        ),
        (
            "bce, soft targets",
            &three,
            Loss::BceWithLogits,
            Targets::Values(in_unit),
        ),
        ("mse, values", &three, Loss::Mse, Targets::Values(reals)),
        (
            "mse, one output, classes",
            &one,
            Loss::Mse,
            Targets::Classes(vec![1, 0, 0, 1, 1]),
        ),
    ];
    for (name, model, loss, t) in cases {
        let result = compare(
            &analytic(model, &x, &t, loss, Mode::Train),
            &numerical(model, &x, &t, loss, Mode::Train),
        );
        if let Err(e) = result {
            panic!("{name}: {e}");
        }
    }
}

#[test]
fn whole_network_with_every_layer_type() {
    let model = Mlp::<f64>::builder(4)
        .dense(6)
        .act(Activation::Tanh)
        .dense(8)
        .gated(Gate::Swiglu)
        .dense(5)
        .prelu_per_unit()
        .dropout(0.3)
        .dense(5)
        .rrelu(0.1, 0.3)
        .dense(5)
        .act(Activation::Gelu)
        .dense(4)
        .act(Activation::Sigmoid)
        .dense(3)
        .build(21)
        .unwrap();
    assert!(model.n_params() > 200);
    for mode in [Mode::Train, Mode::Eval] {
        let worst = check(&model, Loss::SoftmaxCrossEntropy, mode, 22)
            .unwrap_or_else(|e| panic!("{mode:?}: {e}"));
        assert!(worst < TOLERANCE);
    }
}

#[test]
fn deep_sigmoid_network_keeps_its_tiny_gradients_exact() {
    // Ten sigmoid layers: the first layer's gradient is ~0.25¹⁰ of the last's, and must still
    // match its finite difference (relative to the floor).
    let mut builder = Mlp::<f64>::builder(3);
    for _ in 0..10 {
        builder = builder.dense(4).act(Activation::Sigmoid);
    }
    let model = builder.dense(2).build(31).unwrap();
    check(&model, Loss::SoftmaxCrossEntropy, Mode::Train, 32).unwrap();
}

/// A one-hidden-layer tanh network's gradient written out by hand, with `tanh′` as given:
/// the checker must pass the right formula and fail the wrong ones.
fn hand_backward(
    params: &[f64],
    x: &[f64],
    t: &[f64],
    tanh_prime: impl Fn(f64, f64) -> f64,
    mean: bool,
) -> Vec<f64> {
    // Layout as the engine's: W1 (2, 1), b1 (2), W2 (1, 2), b2 (1); MSE on one output.
    let (w1, b1, w2, b2) = (&params[0..2], &params[2..4], &params[4..6], params[6]);
    let n = x.len() as f64;
    let mut g = vec![0.0; 7];
    for (&xi, &ti) in x.iter().zip(t) {
        let z: Vec<f64> = (0..2).map(|j| w1[j] * xi + b1[j]).collect();
        let h: Vec<f64> = z.iter().map(|v| v.tanh()).collect();
        let y = w2[0] * h[0] + w2[1] * h[1] + b2;
        let dy = 2.0 * (y - ti) / if mean { n } else { 1.0 };
        for j in 0..2 {
            let dz = dy * w2[j] * tanh_prime(z[j], h[j]);
            g[j] += dz * xi;
            g[2 + j] += dz;
            g[4 + j] += dy * h[j];
        }
        g[6] += dy;
    }
    g
}

#[test]
fn the_checker_catches_a_wrong_backward() {
    let mut model = Mlp::<f64>::builder(1)
        .dense(2)
        .act(Activation::Tanh)
        .dense(1)
        .build(41)
        .unwrap();
    model
        .params_mut()
        .copy_from_slice(&[0.7, -1.1, 0.2, 0.3, 1.3, -0.8, 0.1]);
    let x = [0.5, -1.0, 2.0];
    let t = [1.0, -0.5, 0.25];
    let targets = Targets::Values(t.to_vec());
    let numeric = numerical(&model, &x, &targets, Loss::Mse, Mode::Train);
    // The engine and the right hand-written formula (tanh′ = 1 − y²) pass ...
    compare(
        &analytic(&model, &x, &targets, Loss::Mse, Mode::Train),
        &numeric,
    )
    .unwrap();
    let right = hand_backward(model.params(), &x, &t, |_, y| 1.0 - y * y, true);
    compare(&right, &numeric).unwrap();
    // ... the classic slips fail: tanh′ taken at the input (1 − z²), and the batch mean
    // forgotten in the loss gradient.
    let at_input = hand_backward(model.params(), &x, &t, |z, _| 1.0 - z * z, true);
    assert!(compare(&at_input, &numeric).is_err());
    let no_mean = hand_backward(model.params(), &x, &t, |_, y| 1.0 - y * y, false);
    assert!(compare(&no_mean, &numeric).is_err());
    // And a single parameter's gradient off by 1% is caught too.
    let mut off = right.clone();
    off[4] *= 1.01;
    assert!(compare(&off, &numeric).is_err());
}
