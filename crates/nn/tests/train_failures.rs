//! Training that should fail visibly does: dead units are counted, divergence stops training
//! with an error that names the step, the layer and the likely cause.

use act::Activation;
use nn::data::playground;
use nn::diagnostics::DiagnosticsConfig;
use nn::optim::Sgd;
use nn::rng::Rng;
use nn::train::{Cause, NonFinite, TrainConfig, TrainError, train};
use nn::{Mlp, loss::Loss};

fn relu_net(seed: u64) -> Mlp<f32> {
    Mlp::<f32>::builder(2)
        .dense(8)
        .act(Activation::Relu)
        .dense(8)
        .act(Activation::Relu)
        .dense(2)
        .build(seed)
        .unwrap()
}

#[test]
fn a_huge_negative_bias_kills_every_unit_and_the_count_says_so() {
    let data = playground::circle(200, 0.0, &mut Rng::seed(1));
    let mut model = relu_net(2);
    // Inputs lie in [−6, 6]², weights are O(1): a bias of −1000 keeps every pre-activation of
    // layer 1 negative, so relu′ = 0 on every row and no gradient ever reaches these units.
    model.bias_mut(0).unwrap().fill(-1000.0);
    let config = TrainConfig {
        epochs: 2,
        batch_size: 20,
        diagnostics: Some(DiagnosticsConfig {
            every: 5,
            ..DiagnosticsConfig::default()
        }),
        ..TrainConfig::default()
    };
    let reports = train(&mut model, &data, None, &config, |_| {}).unwrap();
    for report in &reports {
        let first = &report.dead_units[0];
        assert_eq!(first.layer, 1);
        assert_eq!(
            first.dead,
            (0..8).collect::<Vec<_>>(),
            "epoch {}",
            report.epoch
        );
        assert_eq!(first.fraction(), 1.0);
        // Downstream of a dead layer everything is constant: layer 3 sees only its bias.
        let stats = report.snapshots[0].layers[1].activations.as_ref().unwrap();
        assert_eq!(stats.zero_fraction, 1.0);
        assert_eq!(stats.saturated_fraction, 1.0);
        // No gradient reaches the first layer's weights.
        assert_eq!(report.snapshots[0].layers[0].weight_grad_norm, Some(0.0));
        // The last layer sees only zeros too (layer 3's relu of a zero bias), so the ratio is
        // 0/0: undefined, and reported as NaN rather than a made-up number.
        assert!(
            report.snapshots[0]
                .first_to_last_grad_ratio
                .unwrap()
                .is_nan()
        );
    }
    // The dead layer's bias never moves: no gradient, no update.
    assert!(model.bias(0).unwrap().iter().all(|&b| b == -1000.0));

    // A healthy network of the same shape has (almost) no dead unit.
    let mut healthy = relu_net(2);
    let reports = train(&mut healthy, &data, None, &config, |_| {}).unwrap();
    assert!(reports[0].dead_units[0].dead.len() <= 1);
}

#[test]
fn a_huge_learning_rate_stops_with_a_named_step_layer_and_cause() {
    let data = playground::spiral(200, 0.0, &mut Rng::seed(3));
    let mut model = Mlp::<f32>::builder(2)
        .dense(16)
        .act(Activation::Relu)
        .dense(16)
        .act(Activation::Relu)
        .dense(2)
        .build(4)
        .unwrap();
    let config = TrainConfig {
        epochs: 50,
        batch_size: 10,
        optimizer: Sgd {
            lr: 1e20,
            ..Sgd::default()
        }
        .into(),
        ..TrainConfig::default()
    };
    let error = train(&mut model, &data, None, &config, |_| {}).unwrap_err();
    let TrainError::Diverged(divergence) = &error else {
        panic!("expected divergence, got {error}");
    };
    assert_eq!(divergence.cause, Cause::LearningRateTooLarge(1e20));
    assert!(
        divergence.step >= 1,
        "the first loss, before any update, is finite"
    );
    let layer = divergence
        .location
        .as_ref()
        .expect("a layer is named")
        .layer;
    assert!(model.layers().len() > layer);
    let message = error.to_string();
    println!("{message}");
    assert!(
        message.contains(&format!("at step {}", divergence.step)),
        "{message}"
    );
    assert!(message.contains(&format!("layer {layer}")), "{message}");
    assert!(
        message.contains("the learning rate 100000000000000000000 is too large"),
        "{message}"
    );
    // The model keeps the parameters of that moment, for inspection: some are not finite, or
    // the loss overflowed through finite ones.
    match divergence.what {
        NonFinite::Parameters => assert!(model.params().iter().any(|p| !p.is_finite())),
        NonFinite::Loss(loss) => assert!(!loss.is_finite()),
    }
}

#[test]
fn a_sane_learning_rate_never_trips_the_check() {
    let data = playground::spiral(200, 0.0, &mut Rng::seed(3));
    let mut model = relu_net(5);
    let config = TrainConfig {
        epochs: 5,
        batch_size: 10,
        loss: Loss::SoftmaxCrossEntropy,
        ..TrainConfig::default()
    };
    let reports = train(&mut model, &data, Some(&data), &config, |_| {}).unwrap();
    assert!(reports.iter().all(|r| r.train_loss.is_finite()));
}

#[test]
fn mismatched_data_is_refused_before_any_step() {
    let data = playground::xor(20, 0.0, &mut Rng::seed(1));
    let mut three_inputs = Mlp::<f32>::builder(3).dense(2).build(0).unwrap();
    let error = train(
        &mut three_inputs,
        &data,
        None,
        &TrainConfig::default(),
        |_| {},
    )
    .unwrap_err();
    assert_eq!(error, TrainError::InputWidth { data: 2, model: 3 });
    let mut one_output = Mlp::<f32>::builder(2).dense(1).build(0).unwrap();
    let error = train(
        &mut one_output,
        &data,
        None,
        &TrainConfig::default(),
        |_| {},
    )
    .unwrap_err();
    assert!(matches!(error, TrainError::Targets(_)), "{error}");
}
