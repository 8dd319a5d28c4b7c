//! The real datasets in `shared/data` (scikit-learn's bundled copies of UCI sets) load with the
//! right shapes, classes and counts, and standardise to mean 0, std 1.
//!
//! Shapes and class counts are those of scikit-learn's `load_*` docs: iris 50/50/50,
//! wine 59/71/48, breast cancer 212 malignant / 357 benign, digits 178/182/177/183/181/182/181/
//! 179/174/180.

use std::path::PathBuf;

use nn::data::{CsvError, CsvOptions, Dataset, Header, load_csv};
use nn::rng::Rng;

/// `shared/data/<name>`: shared/ sits beside the repository (/work/shared next to /work/main).
fn shared(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")).join(name)
}

fn load(name: &str) -> Dataset {
    let path = shared(name);
    load_csv(&path, &CsvOptions::default())
        .unwrap_or_else(|e| panic!("loading {}: {e}", path.display()))
}

/// Per-feature mean and population std, in f64.
fn moments(data: &Dataset) -> Vec<(f64, f64)> {
    let n = data.len() as f64;
    (0..data.n_features())
        .map(|j| {
            let column: Vec<f64> = (0..data.len()).map(|i| f64::from(data.row(i)[j])).collect();
            let mean = column.iter().sum::<f64>() / n;
            let var = column.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
            (mean, var.sqrt())
        })
        .collect()
}

#[test]
fn iris_has_150_rows_4_features_3_named_balanced_classes() {
    let iris = load("iris.csv");
    assert_eq!((iris.len(), iris.n_features()), (150, 4));
    assert_eq!(iris.n_classes(), Some(3));
    assert_eq!(
        iris.class_names().unwrap(),
        &["setosa", "versicolor", "virginica"]
    );
    assert_eq!(iris.class_counts(), Some(vec![50, 50, 50]));
    // First line of data: 5.1,3.5,1.4,0.2,0
    assert_eq!(iris.row(0), &[5.1, 3.5, 1.4, 0.2]);
    assert_eq!(iris.labels().unwrap()[0], 0);
    assert_eq!(iris.labels().unwrap()[149], 2);
}

#[test]
fn wine_has_178_rows_13_features_3_classes() {
    let wine = load("wine_data.csv");
    assert_eq!((wine.len(), wine.n_features()), (178, 13));
    assert_eq!(
        wine.class_names().unwrap(),
        &["class_0", "class_1", "class_2"]
    );
    assert_eq!(wine.class_counts(), Some(vec![59, 71, 48]));
}

#[test]
fn breast_cancer_has_569_rows_30_features_2_classes() {
    let cancer = load("breast_cancer.csv");
    assert_eq!((cancer.len(), cancer.n_features()), (569, 30));
    assert_eq!(cancer.class_names().unwrap(), &["malignant", "benign"]);
    assert_eq!(cancer.class_counts(), Some(vec![212, 357]));
}

#[test]
fn digits_gzip_has_1797_rows_64_pixels_10_classes() {
    let digits = load("digits.csv.gz");
    assert_eq!((digits.len(), digits.n_features()), (1797, 64));
    assert_eq!(digits.n_classes(), Some(10));
    let names: Vec<String> = (0..10).map(|k| k.to_string()).collect();
    assert_eq!(digits.class_names().unwrap(), names.as_slice());
    assert_eq!(
        digits.class_counts(),
        Some(vec![178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    );
    // 8×8 images of 4×4-block counts: integers 0..=16.
    assert!(
        digits
            .features()
            .iter()
            .all(|&v| (0.0..=16.0).contains(&v) && v.fract() == 0.0)
    );
    // First row of the file: 0,0,5,13,9,1,0,0,… label 0.
    assert_eq!(&digits.row(0)[..4], &[0.0, 0.0, 5.0, 13.0]);
    assert_eq!(digits.labels().unwrap()[0], 0);
}

#[test]
fn gzip_is_recognised_by_magic_bytes_without_the_extension() {
    let copy = std::env::temp_dir().join(format!("actlab-nn-digits-{}.bin", std::process::id()));
    std::fs::copy(shared("digits.csv.gz"), &copy).unwrap();
    let digits = load_csv(&copy, &CsvOptions::default());
    std::fs::remove_file(&copy).unwrap();
    assert_eq!(digits.unwrap(), load("digits.csv.gz"));
}

#[test]
fn standardized_real_features_have_mean_0_std_1() {
    for name in [
        "iris.csv",
        "wine_data.csv",
        "breast_cancer.csv",
        "digits.csv.gz",
    ] {
        let mut data = load(name);
        let scaler = data.standardize();
        for (j, (mean, std)) in moments(&data).into_iter().enumerate() {
            assert!(mean.abs() < 1e-5, "{name} feature {j}: mean {mean}");
            // Digits has constant (all-zero) pixels: they stay 0 with std 1 in the scaler.
            if scaler.std()[j] == 1.0 && name == "digits.csv.gz" {
                assert_eq!(std, 0.0, "{name} feature {j}");
            } else {
                assert!((std - 1.0).abs() < 1e-5, "{name} feature {j}: std {std}");
            }
        }
    }
}

#[test]
fn scaler_fitted_on_train_applies_to_test() {
    let wine = load("wine_data.csv");
    let (mut train, mut test) = wine.split_stratified(0.25, &mut Rng::seed(11));
    assert_eq!(train.len() + test.len(), 178);
    // round(0.25 × 59) + round(0.25 × 71) + round(0.25 × 48) = 15 + 18 + 12.
    assert_eq!(test.class_counts(), Some(vec![15, 18, 12]));
    let scaler = train.standardize();
    let raw_test = test.clone();
    scaler.apply(&mut test);
    for i in 0..test.len() {
        for j in 0..test.n_features() {
            let expected = (f64::from(raw_test.row(i)[j]) - scaler.mean()[j]) / scaler.std()[j];
            assert!((f64::from(test.row(i)[j]) - expected).abs() < 1e-5);
        }
    }
    // The test set was not used for fitting, so its moments are only near 0 and 1.
    for (mean, std) in moments(&test) {
        assert!(
            mean.abs() < 0.6 && (0.4..2.0).contains(&std),
            "{mean} {std}"
        );
    }
}

#[test]
fn forcing_no_header_on_sklearn_format_names_the_offending_token() {
    let options = CsvOptions {
        header: Header::No,
        ..CsvOptions::default()
    };
    let err = load_csv(shared("iris.csv"), &options).unwrap_err();
    assert!(
        matches!(&err, CsvError::NonNumericFeature { line: 1, column: 3, token, .. } if token == "setosa"),
        "{err}"
    );
    let message = err.to_string();
    assert!(message.contains("iris.csv:1: column 3") && message.contains("\"setosa\""));
}
