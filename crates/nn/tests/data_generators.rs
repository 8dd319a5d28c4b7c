//! The generated sets: class balance, ranges, the Playground's noise scaling, and seeded
//! determinism (same seed ⇒ the same bits; another seed or another noise ⇒ other data).

use nn::data::{Dataset, GeneratorError, NAMES, Targets, by_name, playground, regression};
use nn::rng::Rng;

const CLASSIFICATION: [&str; 6] = ["spiral", "xor", "circle", "gauss", "moons", "checkerboard"];
const REGRESSION: [&str; 3] = ["reg-plane", "reg-gauss", "sine"];

fn generate(name: &str, n: usize, noise: f32, seed: u64) -> Dataset {
    by_name(name, n, noise, &mut Rng::seed(seed)).unwrap()
}

/// Features and targets as raw bits, so that "identical" means bit for bit.
fn bits(data: &Dataset) -> (Vec<u32>, Vec<u32>) {
    let features = data.features().iter().map(|v| v.to_bits()).collect();
    let targets = match data.targets() {
        Targets::Classes { labels, .. } => labels.clone(),
        Targets::Values(values) => values.iter().map(|v| v.to_bits()).collect(),
    };
    (features, targets)
}

fn column(data: &Dataset, j: usize) -> Vec<f64> {
    (0..data.len()).map(|i| f64::from(data.row(i)[j])).collect()
}

fn std_of(values: &[f64]) -> f64 {
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    (values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt()
}

#[test]
fn names_cover_every_generator() {
    let mut all: Vec<&str> = CLASSIFICATION.iter().chain(&REGRESSION).copied().collect();
    let mut names = NAMES.to_vec();
    all.sort_unstable();
    names.sort_unstable();
    assert_eq!(all, names);
}

#[test]
fn classification_sets_are_2d_two_class_and_named() {
    for name in CLASSIFICATION {
        let data = generate(name, 500, 0.2, 1);
        assert_eq!((data.len(), data.n_features()), (500, 2), "{name}");
        assert_eq!(data.n_classes(), Some(2), "{name}");
        assert_eq!(data.feature_names(), &["x1", "x2"], "{name}");
        assert_eq!(
            data.class_names().unwrap(),
            &["negative", "positive"],
            "{name}"
        );
    }
}

#[test]
fn two_group_sets_are_exactly_balanced_without_noise() {
    for name in ["spiral", "circle", "gauss", "moons"] {
        assert_eq!(
            generate(name, 500, 0.0, 2).class_counts(),
            Some(vec![250, 250]),
            "{name}"
        );
        // An odd count: the first generated group takes the extra point.
        let counts = generate(name, 7, 0.0, 2).class_counts().unwrap();
        assert_eq!(counts.iter().sum::<usize>(), 7, "{name}");
        assert_eq!(counts[0].abs_diff(counts[1]), 1, "{name}");
    }
    // Gauss and spiral keep their groups with noise (noise moves points, not labels).
    for name in ["spiral", "gauss", "moons"] {
        assert_eq!(
            generate(name, 500, 0.5, 2).class_counts(),
            Some(vec![250, 250])
        );
    }
}

#[test]
fn uniform_sets_are_balanced_on_average() {
    for name in ["xor", "checkerboard"] {
        let counts = generate(name, 4000, 0.0, 3).class_counts().unwrap();
        // Binomial(4000, ½): standard deviation ≈ 32; ±160 is 5 of them.
        assert!(counts[0].abs_diff(2000) < 160, "{name}: {counts:?}");
    }
}

#[test]
fn features_stay_in_the_playground_frame() {
    let max_abs = |data: &Dataset| data.features().iter().fold(0.0f32, |m, v| m.max(v.abs()));
    for noise in [0.0, 0.5] {
        assert!(max_abs(&generate("circle", 1000, noise, 4)) <= 5.0);
        assert!(max_abs(&generate("xor", 1000, noise, 4)) <= 5.3);
        assert!(max_abs(&generate("spiral", 1000, noise, 4)) <= 5.0 + noise);
        assert!(max_abs(&generate("checkerboard", 1000, noise, 4)) <= 6.0);
        assert!(max_abs(&generate("reg-plane", 1000, noise, 4)) <= 6.0);
        assert!(max_abs(&generate("reg-gauss", 1000, noise, 4)) <= 6.0);
        assert!(max_abs(&generate("sine", 1000, noise, 4)) <= 6.0);
    }
    // xor's padding leaves an empty cross of half-width 0.3 around the axes.
    let xor = generate("xor", 1000, 0.3, 4);
    assert!(xor.features().iter().all(|v| v.abs() >= 0.3));
    // Moons at noise 0: x1 ∈ [−4.5, 4.5], x2 ∈ [−2.25, 2.25].
    let moons = generate("moons", 1000, 0.0, 4);
    assert!(column(&moons, 0).iter().all(|v| v.abs() <= 4.5 + 1e-6));
    assert!(column(&moons, 1).iter().all(|v| v.abs() <= 2.25 + 1e-6));
    // Gauss is unbounded, but at the Playground's top noise (std 2 around ±2) about 98% of
    // coordinates stay within ±6 (P(z > 2) ≈ 2.3%).
    let gauss = generate("gauss", 2000, 0.5, 4);
    let inside = gauss.features().iter().filter(|v| v.abs() <= 6.0).count();
    assert!(inside as f64 / 4000.0 > 0.95, "{inside}");
}

#[test]
fn gauss_variance_follows_the_playground_scale() {
    // Variance 0.5 + 7·noise: std √0.5 ≈ 0.707 at noise 0, 2 at 0.5, √7.5 ≈ 2.739 at 1.
    for (noise, expected) in [(0.0, 0.5f64.sqrt()), (0.5, 2.0), (1.0, 7.5f64.sqrt())] {
        let data = generate("gauss", 20_000, noise, 5);
        let positives: Vec<usize> = (0..data.len())
            .filter(|&i| data.labels().unwrap()[i] == 1)
            .collect();
        let x1 = column(&data.subset(&positives), 0);
        let mean = x1.iter().sum::<f64>() / x1.len() as f64;
        assert!((mean - 2.0).abs() < 0.1, "noise {noise}: mean {mean}");
        let std = std_of(&x1);
        // 10 000 draws: the std's relative standard error is about 0.7%.
        assert!(
            (std / expected - 1.0).abs() < 0.04,
            "noise {noise}: std {std}"
        );
    }
}

#[test]
fn label_noise_grows_with_noise() {
    // Circle, xor and checkerboard flip labels by perturbing the point used to label it.
    let wrong_circle = |noise| {
        let data = generate("circle", 2000, noise, 6);
        (0..data.len())
            .filter(|&i| {
                let inside = data.row(i)[0].hypot(data.row(i)[1]) < 2.5;
                (data.labels().unwrap()[i] == 1) != inside
            })
            .count()
    };
    assert_eq!(wrong_circle(0.0), 0);
    let (some, more) = (wrong_circle(0.1), wrong_circle(0.5));
    assert!(0 < some && some < more, "{some} {more}");
    let wrong_xor = |noise| {
        let data = generate("xor", 2000, noise, 6);
        (0..data.len())
            .filter(|&i| {
                (data.labels().unwrap()[i] == 1) != (data.row(i)[0] * data.row(i)[1] >= 0.0)
            })
            .count()
    };
    assert_eq!(wrong_xor(0.0), 0);
    assert!(wrong_xor(0.5) > wrong_xor(0.1));
}

#[test]
fn regression_sets_have_one_target_in_range() {
    for name in REGRESSION {
        let data = generate(name, 1200, 0.0, 7);
        assert_eq!(data.n_outputs(), 1, "{name}");
        assert_eq!(
            data.n_features(),
            if name == "sine" { 1 } else { 2 },
            "{name}"
        );
        let values = data.values().unwrap();
        let bound = if name == "reg-plane" { 1.2 } else { 1.0 };
        assert!(values.iter().all(|v| v.abs() <= bound), "{name}");
        // Not a constant: the targets spread over most of the range.
        assert!(std_of(&values.iter().map(|&v| f64::from(v)).collect::<Vec<_>>()) > 0.2);
    }
    let plane = regression::plane(100, 0.0, &mut Rng::seed(7));
    for i in 0..plane.len() {
        // y = (x1 + x2) / 10
        let expected = (plane.row(i)[0] + plane.row(i)[1]) / 10.0;
        assert!((plane.values().unwrap()[i] - expected).abs() < 1e-6);
    }
}

#[test]
fn same_seed_gives_identical_bits() {
    for name in NAMES {
        for noise in [0.0, 0.3] {
            let a = generate(name, 300, noise, 8);
            let b = generate(name, 300, noise, 8);
            assert_eq!(bits(&a), bits(&b), "{name} at noise {noise}");
            // Spiral and moons are fixed curves at noise 0: only their noise is random.
            if noise > 0.0 || !["spiral", "moons"].contains(&name) {
                let other = generate(name, 300, noise, 9);
                assert_ne!(bits(&a), bits(&other), "{name} at noise {noise}");
            }
        }
    }
}

#[test]
fn noise_changes_the_data() {
    for name in NAMES {
        let clean = generate(name, 300, 0.0, 10);
        let noisy = generate(name, 300, 0.3, 10);
        assert_ne!(bits(&clean), bits(&noisy), "{name}");
    }
}

/// The signature every generator shares.
type Generator = fn(usize, f32, &mut Rng) -> Dataset;

#[test]
fn direct_calls_equal_by_name() {
    let pairs: [(&str, Generator); 9] = [
        ("spiral", playground::spiral),
        ("xor", playground::xor),
        ("circle", playground::circle),
        ("gauss", playground::gauss),
        ("moons", playground::moons),
        ("checkerboard", playground::checkerboard),
        ("reg-plane", regression::plane),
        ("reg-gauss", regression::gauss),
        ("sine", regression::sine),
    ];
    for (name, generator) in pairs {
        assert_eq!(
            generator(50, 0.1, &mut Rng::seed(12)),
            generate(name, 50, 0.1, 12)
        );
    }
}

#[test]
fn unknown_names_list_the_valid_ones() {
    let err = by_name("swiss-roll", 10, 0.0, &mut Rng::seed(0)).unwrap_err();
    assert_eq!(
        err,
        GeneratorError::UnknownName {
            name: "swiss-roll".into()
        }
    );
    let message = err.to_string();
    assert!(message.contains("\"swiss-roll\""), "{message}");
    for name in NAMES {
        assert!(message.contains(name), "{message}");
    }
}

#[test]
fn seeded_split_and_batches_are_deterministic() {
    let data = generate("spiral", 200, 0.1, 13);
    let (train_a, test_a) = data.split(0.3, &mut Rng::seed(14));
    let (train_b, test_b) = data.split(0.3, &mut Rng::seed(14));
    assert_eq!(
        (bits(&train_a), bits(&test_a)),
        (bits(&train_b), bits(&test_b))
    );
    assert_eq!((train_a.len(), test_a.len()), (140, 60));
    let (_, test_c) = data.split(0.3, &mut Rng::seed(15));
    assert_ne!(bits(&test_a), bits(&test_c));
    let orders = |seed| {
        data.batches(32, &mut Rng::seed(seed))
            .flat_map(|b| b.indices)
            .collect::<Vec<_>>()
    };
    assert_eq!(orders(16), orders(16));
    assert_ne!(orders(16), orders(17));
}
