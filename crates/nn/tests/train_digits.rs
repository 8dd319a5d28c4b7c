//! Real data: an MLP trained on UCI digits (8×8 images, 10 classes) reaches the test accuracy
//! such a network is known to reach (≥ 95%; scikit-learn's `MLPClassifier` gets about 97% on a
//! random quarter held out).

use std::path::PathBuf;

use act::Activation;
use nn::Mlp;
use nn::data::{CsvOptions, load_csv};
use nn::optim::Adam;
use nn::rng::Rng;
use nn::train::{TrainConfig, train};

/// `shared/data/<name>`: shared/ sits beside the repository (/work/shared next to /work/main).
fn shared(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")).join(name)
}

#[test]
fn an_mlp_reaches_95_percent_on_uci_digits() {
    let path = shared("digits.csv.gz");
    let digits = load_csv(&path, &CsvOptions::default())
        .unwrap_or_else(|e| panic!("loading {}: {e}", path.display()));
    let mut rng = Rng::seed(2024);
    let (mut train_set, mut test_set) = digits.split(0.25, &mut rng);
    let scaler = train_set.standardize();
    scaler.apply(&mut test_set);
    let mut model = Mlp::<f32>::builder(64)
        .dense(64)
        .act(Activation::Relu)
        .dense(10)
        .build(1)
        .unwrap();
    let config = TrainConfig {
        epochs: 30,
        batch_size: 32,
        optimizer: Adam {
            lr: 1e-3,
            ..Adam::default()
        }
        .into(),
        ..TrainConfig::default()
    };
    let reports = train(&mut model, &train_set, Some(&test_set), &config, |_| {}).unwrap();
    let accuracy = reports.last().unwrap().test.unwrap().accuracy.unwrap();
    println!("digits test accuracy {accuracy}");
    assert!(accuracy >= 0.95, "test accuracy {accuracy}");
}
