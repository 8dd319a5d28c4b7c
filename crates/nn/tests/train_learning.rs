//! Training that should work does: XOR is learned in a few hundred steps, and a seed fixes every
//! bit of the result, whatever the thread count.

use act::Activation;
use nn::data::{Dataset, Targets, playground};
use nn::optim::{Adam, Sgd};
use nn::rng::Rng;
use nn::train::{TrainConfig, evaluate, train};
use nn::{Mlp, loss::Loss};

#[test]
fn a_small_tanh_network_learns_xor_in_a_few_hundred_steps() {
    let mut rng = Rng::seed(1);
    let data = playground::xor(400, 0.0, &mut rng);
    let (train_set, test_set) = data.split(0.5, &mut rng);
    let mut model = Mlp::<f32>::builder(2)
        .dense(8)
        .act(Activation::Tanh)
        .dense(8)
        .act(Activation::Tanh)
        .dense(2)
        .build(7)
        .unwrap();
    let before = evaluate(&mut model, &test_set, Loss::SoftmaxCrossEntropy).unwrap();
    let config = TrainConfig {
        epochs: 15, // 200 rows / batch 10 = 20 steps an epoch: 300 steps
        batch_size: 10,
        optimizer: Sgd {
            lr: 0.03,
            momentum: 0.9,
            ..Sgd::default()
        }
        .into(),
        ..TrainConfig::default()
    };
    let reports = train(&mut model, &train_set, Some(&test_set), &config, |_| {}).unwrap();
    let last = reports.last().unwrap();
    assert_eq!(last.steps, 300);
    let test = last.test.unwrap();
    assert!(
        test.accuracy.unwrap() >= 0.95,
        "test accuracy {:?}",
        test.accuracy
    );
    assert!(
        test.loss < before.loss / 3.0,
        "loss {} → {}",
        before.loss,
        test.loss
    );
}

#[test]
fn xor_with_one_bce_output_and_the_four_corners() {
    // The textbook XOR: four points, one logit, BCE.
    let features = vec![0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
    let targets = Targets::Classes {
        labels: vec![0, 1, 1, 0],
        n_classes: 2,
    };
    let data = Dataset::new(features, 2, targets).unwrap();
    let mut model = Mlp::<f64>::builder(2)
        .dense(8)
        .act(Activation::Tanh)
        .dense(1)
        .build(3)
        .unwrap();
    let config = TrainConfig {
        epochs: 300,
        batch_size: 4,
        loss: Loss::BceWithLogits,
        optimizer: Adam {
            lr: 0.05,
            ..Adam::default()
        }
        .into(),
        ..TrainConfig::default()
    };
    let reports = train(&mut model, &data, Some(&data), &config, |_| {}).unwrap();
    assert_eq!(reports.last().unwrap().test.unwrap().accuracy, Some(1.0));
}

/// Random standard-normal features with random labels (the benchmark's workload, small).
fn random_data(rows: usize, features: usize, classes: usize, seed: u64) -> Dataset {
    let mut rng = Rng::seed(seed);
    let x = (0..rows * features)
        .map(|_| rng.normal(0.0, 1.0) as f32)
        .collect();
    let labels = (0..rows).map(|_| rng.below(classes) as u32).collect();
    Dataset::new(
        x,
        features,
        Targets::Classes {
            labels,
            n_classes: classes,
        },
    )
    .unwrap()
}

/// Trains a network wide enough for the matrix products to split across threads (128·256·256
/// multiply-adds per product, past the engine's split threshold), with every stochastic layer.
fn trained_params(threads: usize, seed: u64) -> Vec<f32> {
    let data = random_data(512, 256, 10, 5);
    let mut model = Mlp::<f32>::builder(256)
        .dense(256)
        .act(Activation::Relu)
        .dropout(0.2)
        .dense(256)
        .rrelu(0.125, 1.0 / 3.0)
        .dense(10)
        .threads(threads)
        .build(seed)
        .unwrap();
    let config = TrainConfig {
        epochs: 2,
        batch_size: 128,
        optimizer: Sgd {
            lr: 0.05,
            momentum: 0.9,
            ..Sgd::default()
        }
        .into(),
        seed,
        ..TrainConfig::default()
    };
    train(&mut model, &data, None, &config, |_| {}).unwrap();
    model.params().to_vec()
}

#[test]
fn a_seed_fixes_every_bit_whatever_the_thread_count() {
    let bits = |p: Vec<f32>| p.into_iter().map(f32::to_bits).collect::<Vec<_>>();
    let one = bits(trained_params(1, 11));
    assert_eq!(one, bits(trained_params(1, 11)), "two runs, one thread");
    assert_eq!(one, bits(trained_params(2, 11)), "one thread vs two");
    assert_eq!(one, bits(trained_params(3, 11)), "one thread vs three");
    assert_ne!(
        one,
        bits(trained_params(1, 12)),
        "another seed, another result"
    );
}
