//! `actlab train` and `actlab predict` end to end: learning, determinism, saving and loading,
//! and the exit codes of bad flags and damaged model files. Every run is small (a few hundred
//! rows, tens of epochs).

use std::process::{Command, Output};

mod common;
use common::{fails, json, ok, path, scratch, text};

fn actlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_actlab"))
        .args(args)
        .output()
        .expect("actlab runs")
}

const XOR: [&str; 11] = [
    "train", "--data", "xor", "--layers", "8", "--act", "tanh", "--epochs", "50", "--seed", "1",
];

// ---- train ------------------------------------------------------------------------------------

#[test]
fn xor_is_learned_and_runs_are_deterministic() {
    let run = || {
        let mut args = XOR.to_vec();
        args.push("--json");
        let mut value = json(&ok(actlab(&args)));
        // Timing is the one field allowed to differ.
        assert!(value["seconds"].as_f64().unwrap() >= 0.0);
        value.as_object_mut().unwrap().remove("seconds");
        value
    };
    let first = run();
    let test_accuracy = first["test"]["accuracy"].as_f64().unwrap();
    let train_accuracy = first["train"]["accuracy"].as_f64().unwrap();
    assert!(test_accuracy >= 0.9, "test accuracy {test_accuracy}");
    assert!(train_accuracy >= 0.9, "train accuracy {train_accuracy}");
    assert_eq!(first["epochs"], 50);
    assert_eq!(first["hidden"], serde_json::json!([8]));
    assert_eq!(
        (first["inputs"].as_u64(), first["outputs"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        first["train_samples"].as_u64().unwrap() + first["test_samples"].as_u64().unwrap(),
        500
    );
    assert_eq!(first["history"].as_array().unwrap().len(), 50);
    // Diagnostics for every layer: gradient norms on the dense layers, dead units on tanh.
    let layers = first["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 3);
    assert!(layers[0]["weight_grad_norm"]["mean"].as_f64().unwrap() > 0.0);
    assert_eq!(layers[1]["units"], 8);
    assert!(layers[1]["saturated_fraction"].as_f64().is_some());
    assert!(first["first_to_last_grad_ratio"].as_f64().is_some());
    assert_eq!(run(), first, "two runs with the same seed");
}

#[test]
fn the_table_reports_sets_and_layers() {
    let out = ok(actlab(&XOR));
    for needle in ["train", "test", "50 epochs", "dense 2 → 8", "tanh", "0/8"] {
        assert!(out.contains(needle), "{needle:?} in\n{out}");
    }
}

#[test]
fn every_optimiser_and_a_parametrised_activation_train() {
    for opt in ["sgd", "momentum", "nesterov", "adam", "adamw"] {
        let out = ok(actlab(&[
            "train",
            "--data",
            "circle",
            "--layers",
            "4",
            "--act",
            "leaky_relu(negative_slope=0.2)",
            "--init",
            "he",
            "--opt",
            opt,
            "--lr",
            "0.01",
            "--epochs",
            "3",
            "--samples",
            "100",
            "--json",
        ]));
        let value = json(&out);
        assert_eq!(value["optimizer"], opt);
        assert_eq!(value["activation"], "leaky_relu(negative_slope=0.2)");
    }
}

#[test]
fn divergence_is_explained_and_exits_1() {
    let err = fails(
        actlab(&[
            "train", "--data", "xor", "--layers", "8", "--act", "relu", "--epochs", "5", "--lr",
            "1e30",
        ]),
        1,
    );
    assert!(err.contains("diverged"), "{err}");
    assert!(err.contains("learning rate"), "{err}");
    assert!(err.contains("step"), "{err}");
}

#[test]
fn bad_flags_exit_2() {
    let cases: [&[&str]; 16] = [
        &["--data", "spirals"],
        &["--data", "xor", "--layers", "8,,8"],
        &["--data", "xor", "--layers", "0"],
        &["--data", "xor", "--layers", "x"],
        &["--data", "xor", "--lr", "0"],
        &["--data", "xor", "--lr", "-1"],
        &["--data", "xor", "--lr", "NaN"],
        &["--data", "xor", "--lr", "inf"],
        &["--data", "xor", "--epochs", "0"],
        &["--data", "xor", "--batch", "0"],
        &["--data", "xor", "--layers", "100000,100000"],
        &["--data", "xor", "--act", "swiglu"],
        &["--data", "xor", "--act", "tanhh"],
        &["--data", "xor", "--init", "bogus"],
        &["--data", "xor", "--opt", "adagrad"],
        &["--data", "xor", "--test-fraction", "1"],
    ];
    for case in cases {
        let mut args = vec!["train"];
        args.extend_from_slice(case);
        let err = fails(actlab(&args), 2);
        assert!(
            err.starts_with("actlab: ") || err.contains("error:"),
            "{case:?}: {err}"
        );
    }
    // Values named in the message.
    let err = fails(actlab(&["train", "--data", "xor", "--layers", "8,,8"]), 2);
    assert!(err.contains("8,,8"), "{err}");
    let err = fails(actlab(&["train", "--data", "spirals"]), 2);
    assert!(
        err.contains("spirals") && err.contains("spiral, xor"),
        "{err}"
    );
    let err = fails(actlab(&["train", "--data", "sine", "--loss", "bce"]), 2);
    assert!(err.contains("regression"), "{err}");
}

// ---- train --save, predict -------------------------------------------------------------------

#[test]
fn save_then_predict_round_trips() {
    let dir = scratch("train", "round-trip");
    let model = dir.join("xor.safetensors");
    let mut args = XOR.to_vec();
    args.extend(["--json", "--save", path(&model)]);
    let trained = json(&ok(actlab(&args)));
    assert!(model.exists());
    assert!(!dir.join("xor.safetensors.tmp").exists());

    // The same 500 rows (same seed): predict's accuracy is train's and test's together.
    let out = ok(actlab(&[
        "predict",
        "--model",
        path(&model),
        "--data",
        "xor",
        "--seed",
        "1",
        "--json",
    ]));
    let predicted = json(&out);
    assert_eq!(predicted["rows"], 500);
    let n = |set: &str| trained[format!("{set}_samples")].as_f64().unwrap();
    let acc = |set: &str| trained[set]["accuracy"].as_f64().unwrap();
    let expected = (acc("train") * n("train") + acc("test") * n("test")) / 500.0;
    let got = predicted["accuracy"].as_f64().unwrap();
    assert!((got - expected).abs() < 1e-9, "{got} vs {expected}");
    let first = &predicted["predictions"][0];
    let p: Vec<f64> = first["probabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(p.len(), 2);
    assert!((p[0] + p[1] - 1.0).abs() < 1e-6, "{p:?}");
    let class = first["class"].as_u64().unwrap() as usize;
    assert!(p[class] >= p[1 - class]);

    // Text output: one line per row, accuracy on stderr.
    let output = actlab(&[
        "predict",
        "--model",
        path(&model),
        "--data",
        "xor",
        "--seed",
        "1",
        "--samples",
        "7",
    ]);
    let stderr = text(&output.stderr);
    let lines = ok(output);
    assert_eq!(lines.lines().count(), 7);
    assert!(lines.lines().all(|l| l.split('\t').count() == 3), "{lines}");
    assert!(stderr.contains("accuracy"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn csv_files_train_and_predict_with_and_without_labels() {
    let dir = scratch("train", "csv");
    // Two blobs, classes named by word, with a header.
    let mut labelled = String::from("a,b,kind\n");
    let mut unlabelled = String::from("a,b\n");
    for i in 0..60 {
        let t = f64::from(i) * 0.1;
        let (x, y, kind) = if i % 2 == 0 {
            (3.0 + t.sin(), 3.0 + t.cos(), "hot")
        } else {
            (-3.0 + t.cos(), -3.0 + t.sin(), "cold")
        };
        labelled.push_str(&format!("{x},{y},{kind}\n"));
        unlabelled.push_str(&format!("{x},{y}\n"));
    }
    let csv = dir.join("blobs.csv");
    let features = dir.join("features.csv");
    std::fs::write(&csv, labelled).unwrap();
    std::fs::write(&features, unlabelled).unwrap();
    let model = dir.join("blobs.safetensors");
    let trained = json(&ok(actlab(&[
        "train",
        "--data",
        path(&csv),
        "--layers",
        "4",
        "--epochs",
        "20",
        "--json",
        "--save",
        path(&model),
    ])));
    assert!(
        trained["test"]["accuracy"].as_f64().unwrap() >= 0.9,
        "{trained}"
    );

    let out = json(&ok(actlab(&[
        "predict",
        "--model",
        path(&model),
        "--data",
        path(&csv),
        "--json",
    ])));
    assert_eq!(out["labelled"], true);
    assert!(out["accuracy"].as_f64().unwrap() >= 0.9);

    let out = json(&ok(actlab(&[
        "predict",
        "--model",
        path(&model),
        "--data",
        path(&features),
        "--json",
    ])));
    assert_eq!(
        (out["labelled"].as_bool(), out["rows"].as_u64()),
        (Some(false), Some(60))
    );
    assert!(out["accuracy"].is_null());

    // A row of the wrong width is an input error naming the file and line.
    std::fs::write(&features, "a,b\n1,2\n1,2,3,4\n").unwrap();
    let err = fails(
        actlab(&[
            "predict",
            "--model",
            path(&model),
            "--data",
            path(&features),
        ]),
        2,
    );
    assert!(err.contains("features.csv:3"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn damaged_or_missing_model_files_exit_1_naming_the_file() {
    let dir = scratch("train", "damaged");
    let model = dir.join("model.safetensors");
    ok(actlab(&[
        "train",
        "--data",
        "xor",
        "--layers",
        "4",
        "--epochs",
        "2",
        "--save",
        path(&model),
    ]));
    let bytes = std::fs::read(&model).unwrap();

    let truncated = dir.join("truncated.safetensors");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let flipped = dir.join("flipped.safetensors");
    let mut damaged = bytes.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0x40;
    std::fs::write(&flipped, &damaged).unwrap();
    let garbage = dir.join("garbage.safetensors");
    std::fs::write(&garbage, "not a model at all").unwrap();
    let missing = dir.join("missing.safetensors");

    for (file, needle) in [
        (&truncated, "truncated"),
        (&flipped, "damaged"),
        (&garbage, "safetensors"),
        (&missing, "missing.safetensors"),
    ] {
        let err = fails(
            actlab(&["predict", "--model", path(file), "--data", "xor"]),
            1,
        );
        assert!(err.contains(path(file)), "names the file: {err}");
        assert!(err.contains(needle), "{needle:?} in {err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn threads_give_the_same_bits_and_are_checked() {
    let run = |threads: &str| {
        json(&ok(actlab(&[
            "train",
            "--data",
            "spiral",
            "--layers",
            "16,16",
            "--act",
            "relu",
            "--epochs",
            "5",
            "--seed",
            "4",
            "--threads",
            threads,
            "--json",
        ])))
    };
    let (one, two) = (run("1"), run("2"));
    assert_eq!(one["threads"], 1);
    assert_eq!(two["threads"], 2);
    for field in ["train", "test", "history", "layers"] {
        assert_eq!(
            one[field], two[field],
            "{field} differs between 1 and 2 threads"
        );
    }
    let stderr = fails(actlab(&["train", "--data", "xor", "--threads", "0"]), 2);
    assert!(stderr.contains("--threads 0"), "{stderr}");
}
