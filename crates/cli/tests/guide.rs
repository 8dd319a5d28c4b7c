//! `actlab guide`, `actlab experiment` and `actlab advise` end to end: the report's files, each
//! experiment's JSON contract and conclusion, and the exit codes of bad options and bad data.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::{fails, json, ok, path, scratch};

fn actlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_actlab"))
        .args(args)
        // No real data unless a test asks for it.
        .env_remove("ACTLAB_DATA")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("actlab runs")
}

/// The project's real data (`../shared/data` beside the checkout).
fn shared_data(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(file)
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn quick_guide_writes_the_whole_report() {
    let dir = scratch("guide", "quick");
    let out = dir.join("report");
    let stdout = ok(actlab(&[
        "guide",
        "--quick",
        "--out",
        path(&out),
        "--seed",
        "3",
    ]));
    assert!(stdout.contains("9 of 9 experiments support"), "{stdout}");
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<svg"), "figures are inline");
    // Offline: nothing is fetched (the SVG namespace URI is a name, not a fetch).
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "offline page"
    );
    let report = json(&std::fs::read_to_string(out.join("report.json")).unwrap());
    assert_eq!(report["seed"], 3);
    assert_eq!(report["quick"], true);
    for name in [
        "functions",
        "collapse",
        "vanishing",
        "dying",
        "born-dead",
        "init-signal",
        "learning-rate",
        "softmax-grad",
        "compare",
    ] {
        let e = &report["experiments"][name];
        assert_eq!(e["holds"], true, "{name}: {e}");
        assert!(e["data"].is_object(), "{name}");
        for id in e["figures"].as_array().unwrap() {
            let file = out
                .join("figures")
                .join(format!("{}.svg", id.as_str().unwrap()));
            assert!(file.is_file(), "{}", file.display());
        }
    }
    // The same seed gives the same numbers (timings aside).
    let again = dir.join("again");
    ok(actlab(&[
        "guide",
        "--quick",
        "--out",
        path(&again),
        "--seed",
        "3",
    ]));
    let second = json(&std::fs::read_to_string(again.join("report.json")).unwrap());
    for name in ["vanishing", "born-dead", "init-signal", "dying"] {
        let mut a = report["experiments"][name]["data"].clone();
        let mut b = second["experiments"][name]["data"].clone();
        a.as_object_mut().unwrap().remove("seconds");
        b.as_object_mut().unwrap().remove("seconds");
        assert_eq!(a, b, "{name} is not reproducible");
    }
}

#[test]
fn guide_into_a_file_is_an_error_naming_it() {
    let dir = scratch("guide", "file");
    let file = dir.join("taken");
    std::fs::write(&file, "keep me").unwrap();
    let stderr = fails(actlab(&["guide", "--quick", "--out", path(&file)]), 1);
    assert!(stderr.contains("taken"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}

#[test]
fn born_dead_matches_its_theory() {
    let out = ok(actlab(&[
        "experiment",
        "born-dead",
        "--width",
        "3",
        "--depth",
        "10",
        "--trials",
        "2000",
        "--seed",
        "1",
        "--json",
    ]));
    let v = json(&out);
    let dead = f(&v["dead_fraction"]);
    assert!((0.0..=1.0).contains(&dead));
    // 1 − (7/8)¹⁰ = 0.7369; 2000 trials give a standard error of about 0.01.
    assert!((dead - 0.7369).abs() < 0.05, "{dead}");
    let narrow = json(&ok(actlab(&[
        "experiment",
        "born-dead",
        "--width",
        "1",
        "--depth",
        "8",
        "--trials",
        "300",
        "--json",
    ])));
    assert!(f(&narrow["dead_fraction"]) > 0.9);
}

#[test]
fn vanishing_sigmoid_first_layer_gradient_is_orders_below_its_last() {
    let v = json(&ok(actlab(&[
        "experiment",
        "vanishing",
        "--act",
        "sigmoid",
        "--depth",
        "10",
        "--json",
        "--quick",
    ])));
    let norms: Vec<f64> = v["layer_grad_norm"]
        .as_array()
        .unwrap()
        .iter()
        .map(f)
        .collect();
    assert_eq!(norms.len(), 10);
    assert!(norms[0] < norms[9] * 1e-3, "{norms:?}");
    let relu = json(&ok(actlab(&[
        "experiment",
        "vanishing",
        "--act",
        "relu",
        "--depth",
        "10",
        "--init",
        "he",
        "--json",
        "--quick",
    ])));
    let norms: Vec<f64> = relu["layer_grad_norm"]
        .as_array()
        .unwrap()
        .iter()
        .map(f)
        .collect();
    assert!(norms[0] > norms[9] * 1e-2, "{norms:?}");
}

#[test]
fn init_signal_he_keeps_relu_and_xavier_shrinks_it() {
    let he = json(&ok(actlab(&[
        "experiment",
        "init-signal",
        "--act",
        "relu",
        "--init",
        "he",
        "--depth",
        "20",
        "--width",
        "100",
        "--json",
    ])));
    let std: Vec<f64> = he["layer_std"].as_array().unwrap().iter().map(f).collect();
    assert_eq!(std.len(), 20);
    assert_eq!(he["layer_mean"].as_array().unwrap().len(), 20);
    assert!(std[19] > 0.2 * std[0] && std[19] < 5.0 * std[0], "{std:?}");
    let xavier = json(&ok(actlab(&[
        "experiment",
        "init-signal",
        "--act",
        "relu",
        "--init",
        "xavier",
        "--depth",
        "20",
        "--json",
    ])));
    let std: Vec<f64> = xavier["layer_std"]
        .as_array()
        .unwrap()
        .iter()
        .map(f)
        .collect();
    assert!(std[19] < 0.01 * std[0], "{std:?}");
    let selu = json(&ok(actlab(&[
        "experiment",
        "init-signal",
        "--act",
        "selu",
        "--init",
        "lecun",
        "--json",
    ])));
    let last_std = f(selu["layer_std"].as_array().unwrap().last().unwrap());
    assert!((last_std - 1.0).abs() < 0.3, "{last_std}");
}

#[test]
fn collapse_and_softmax_grad_conclusions() {
    let v = json(&ok(actlab(&[
        "experiment",
        "collapse",
        "--depth",
        "3",
        "--json",
    ])));
    assert!(f(&v["max_abs_diff"]) < 1e-9);
    let (lin, non) = (f(&v["linear_accuracy"]), f(&v["nonlinear_accuracy"]));
    assert!((0.0..=1.0).contains(&lin) && (0.0..=1.0).contains(&non));
    assert!(lin < 0.7 && non > 0.9, "{lin} {non}");
    let s = json(&ok(actlab(&["experiment", "softmax-grad", "--json"])));
    assert!(f(&s["max_abs_error"]) < 1e-8);
}

#[test]
fn experiment_usage_errors_exit_2() {
    let stderr = fails(actlab(&["experiment", "nope"]), 2);
    assert!(stderr.contains("born-dead"), "{stderr}");
    let stderr = fails(actlab(&["experiment", "collapse", "--trials", "3"]), 2);
    assert!(stderr.contains("--trials"), "{stderr}");
    let stderr = fails(actlab(&["experiment", "vanishing", "--act", "bogus"]), 2);
    assert!(stderr.contains("bogus"), "{stderr}");
    let stderr = fails(actlab(&["experiment", "born-dead", "--depth", "0"]), 2);
    assert!(stderr.contains("--depth 0"), "{stderr}");
    let stderr = fails(
        actlab(&["experiment", "born-dead", "--trials", "1000000000"]),
        2,
    );
    assert!(stderr.contains("--trials"), "{stderr}");
    let stderr = fails(actlab(&["experiment", "init-signal", "--init", "magic"]), 2);
    assert!(
        stderr.contains("magic") && stderr.contains("xavier"),
        "{stderr}"
    );
}

#[test]
fn advise_ranks_activations_on_real_data() {
    let iris = shared_data("iris.csv");
    if !iris.is_file() {
        panic!(
            "../shared/data/iris.csv is missing: the real-data tests need the shared folder beside the checkout"
        );
    }
    let dir = scratch("guide", "advise");
    let out = dir.join("advice");
    let v = json(&ok(actlab(&[
        "advise",
        "--data",
        path(&iris),
        "--seeds",
        "1",
        "--epochs",
        "15",
        "--act",
        "sigmoid,relu,tanh",
        "--out",
        path(&out),
        "--json",
    ])));
    let ranking = v["datasets"][0]["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 3);
    let best = v["recommendation"]["activation"].as_str().unwrap();
    assert!(["sigmoid", "relu", "tanh"].contains(&best));
    assert!(
        v["recommendation"]["reason"]
            .as_str()
            .unwrap()
            .contains(best)
    );
    let acc = f(&v["datasets"][0]["results"][0]["median_test_accuracy"]);
    assert!(acc > 0.8, "iris is easy: {acc}");
    assert!(out.join("index.html").is_file() && out.join("report.json").is_file());
    // The text form prints the ranking table.
    let table = ok(actlab(&[
        "advise",
        "--data",
        path(&shared_data("wine_data.csv")),
        "--seeds",
        "1",
        "--epochs",
        "5",
        "--act",
        "relu,elu",
        "--out",
        path(&dir.join("wine")),
    ]));
    assert!(table.contains("rank") && table.contains("elu"), "{table}");
}

#[test]
fn advise_bad_data_is_a_clear_error() {
    let dir = scratch("guide", "bad");
    let missing = dir.join("missing.csv");
    let stderr = fails(
        actlab(&["advise", "--data", path(&missing), "--out", path(&dir)]),
        1,
    );
    assert!(stderr.contains("missing.csv"), "{stderr}");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "a,b,label\n1,2,x\n3,oops,y\n").unwrap();
    let stderr = fails(
        actlab(&["advise", "--data", path(&bad), "--out", path(&dir)]),
        2,
    );
    assert!(stderr.contains("oops"), "{stderr}");
    let tiny = dir.join("tiny.csv");
    std::fs::write(&tiny, "1,2,0\n3,4,1\n").unwrap();
    let stderr = fails(
        actlab(&["advise", "--data", path(&tiny), "--out", path(&dir)]),
        2,
    );
    assert!(stderr.contains("too few"), "{stderr}");
    let small = dir.join("small.csv");
    let rows: String = (0..20)
        .map(|i| format!("{i},{},{}\n", i * i, i % 2))
        .collect();
    std::fs::write(&small, rows).unwrap();
    let stderr = fails(
        actlab(&[
            "advise",
            "--data",
            path(&small),
            "--layers",
            "0",
            "--out",
            path(&dir),
        ]),
        2,
    );
    assert!(stderr.contains("--layers"), "{stderr}");
}
