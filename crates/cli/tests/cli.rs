//! The `actlab` binary end to end: every subcommand and flag, its output and its exit code.
//! Sections follow the subcommands; each flag's test sits under the flag's name.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use act::Activation;
use serde_json::Value;

/// Runs `actlab args…` with `stdin` as its standard input.
fn actlab(args: &[&str], stdin: &str) -> Output {
    actlab_bytes(args, stdin.as_bytes())
}

fn actlab_bytes(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_actlab"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("actlab starts");
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    // Written from a thread so a large input cannot deadlock against a full stdout pipe.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().expect("actlab runs");
    writer.join().unwrap();
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts a successful run and returns its stdout.
fn ok(output: Output) -> String {
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    stdout(&output)
}

/// Asserts exit code 2 (usage or input error) with nothing on stdout; returns stderr.
fn usage_error(output: Output) -> String {
    assert_eq!(output.status.code(), Some(2), "stdout: {}", stdout(&output));
    assert!(output.stdout.is_empty(), "stdout: {}", stdout(&output));
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
    stderr(&output)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|err| panic!("invalid JSON ({err}): {text}"))
}

// ---- actlab, --help, --version -------------------------------------------------------------------

#[test]
fn help_lists_every_subcommand() {
    let help = ok(actlab(&["--help"], ""));
    for command in ["list", "show", "eval", "accuracy"] {
        assert!(help.contains(command), "{help}");
    }
    // Each subcommand documents its flags.
    let help = ok(actlab(&["accuracy", "--help"], ""));
    for flag in [
        "--exhaustive",
        "--function",
        "--pass",
        "--json",
        "--stride",
        "--threads",
        "--outputs",
        "--compare",
        "--label",
    ] {
        assert!(help.contains(flag), "{help}");
    }
    assert!(
        help.contains("ascending"),
        "the --outputs order is documented"
    );
    let help = ok(actlab(&["eval", "--help"], ""));
    for flag in ["--grad", "--param", "--f64"] {
        assert!(help.contains(flag), "{help}");
    }
}

#[test]
fn version_prints_the_package_version() {
    let text = ok(actlab(&["--version"], ""));
    assert_eq!(text.trim(), format!("actlab {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn usage_errors_exit_2() {
    usage_error(actlab(&[], ""));
    usage_error(actlab(&["frobnicate"], ""));
    usage_error(actlab(&["list", "--no-such-flag"], ""));
}

#[test]
fn a_closed_stdout_is_success() {
    // ~90k results (far more than a pipe buffer) to a reader that has already gone away.
    let input = "0.5 ".repeat(90_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_actlab"))
        .args(["eval", "sigmoid"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
}

// ---- actlab list --------------------------------------------------------------------------------

#[test]
fn list_prints_an_aligned_table_of_the_whole_catalogue() {
    let text = ok(actlab(&["list"], ""));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 36, "{text}");
    assert!(lines[0].starts_with("name") && lines[0].contains("max |f′|"));
    let sigmoid = lines.iter().find(|l| l.starts_with("sigmoid ")).unwrap();
    assert!(
        sigmoid.contains("(0, 1)") && sigmoid.contains("0.25"),
        "{sigmoid}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("relu ") && l.contains("[0, ∞)"))
    );
    // Gated and row-wise entries are listed too.
    for name in ["glu", "swiglu", "softmax", "logsumexp"] {
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("{name} "))),
            "{name}"
        );
    }
    // Aligned: the range column starts at the same character on every line.
    let column = |l: &str| l.chars().position(|c| c == '(' || c == '[');
    let first = column(lines[1]);
    assert!(lines[1..].iter().all(|l| column(l) == first), "{text}");
}

// --json
#[test]
fn list_json_serialises_every_field() {
    let entries = json(&ok(actlab(&["list", "--json"], "")));
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 36);
    let entry = |name: &str| {
        entries
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("{name} listed"))
    };
    let sigmoid = entry("sigmoid");
    assert_eq!(sigmoid["max_abs_derivative"], 0.25);
    assert_eq!(sigmoid["elementwise"], true);
    assert_eq!(sigmoid["params"], serde_json::json!({}));
    assert_eq!(sigmoid["monotonicity"], "increasing");
    assert_eq!(sigmoid["paper"]["year"], 1986);
    assert_eq!(
        sigmoid["range_lower"],
        serde_json::json!({"value": 0.0, "closed": false})
    );
    for field in [
        "title",
        "formula_latex",
        "formula_text",
        "derivative_latex",
        "derivative_text",
        "zero_centred",
        "smoothness",
        "max_abs_derivative_at",
        "derivative_from_output",
        "saturation",
        "uses",
        "failure_modes",
        "recommended_init",
        "gain",
        "numerics",
    ] {
        assert!(sigmoid.get(field).is_some(), "{field}");
    }
    assert_eq!(
        entry("leaky_relu")["params"],
        serde_json::json!({"negative_slope": 0.01})
    );
    assert_eq!(
        entry("softplus")["params"],
        serde_json::json!({"beta": 1.0, "threshold": 20.0})
    );
    // Not element-wise: flagged, and no params.
    assert_eq!(entry("glu")["elementwise"], false);
    assert!(entry("glu").get("params").is_none());
    assert_eq!(entry("softmax")["elementwise"], false);
    // Infinities are strings, never null.
    assert_eq!(entry("relu")["range_upper"]["value"], "inf");
    assert_eq!(entry("identity")["range_lower"]["value"], "-inf");
    assert_eq!(entry("squared_relu")["max_abs_derivative"], "inf");
    assert_eq!(
        entries.iter().filter(|e| e["elementwise"] == true).count(),
        28
    );
}

// ---- actlab show --------------------------------------------------------------------------------

#[test]
fn show_describes_and_plots_sigmoid() {
    let text = ok(actlab(&["show", "sigmoid"], ""));
    let info = act::metadata::info("sigmoid").unwrap();
    for expected in [
        info.title,
        info.formula_text,
        info.derivative_text,
        "1986",
        "Rumelhart",
        "strictly increasing",
        "0.25",
        "Numerics:",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    // The plot: 17 rows of cells behind a `|` axis, x labels, a legend for both curves.
    let rows = text.lines().filter(|l| l.contains(" |")).count();
    assert!(rows >= 17, "{text}");
    assert!(
        text.contains("* f(x)") && text.contains("o f′(x)"),
        "{text}"
    );
    assert!(text.contains("-6") && text.contains(" 6"));
    // Both curves are drawn, and meet (`#`) on the left where both are near 0.
    assert!(
        text.matches('*').count() > 20 && text.matches('o').count() > 20,
        "{text}"
    );
    assert!(text.contains("##"), "{text}");
}

// --param
#[test]
fn show_applies_params_to_the_plot() {
    let text = ok(actlab(
        &["show", "leaky_relu", "--param", "negative_slope=0.2"],
        "",
    ));
    assert!(
        text.contains("negative_slope = 0.2 (default 0.01)"),
        "{text}"
    );
    // The lowest value plotted is f(−6) = −1.2.
    assert!(text.contains("-1.2 |"), "{text}");
    let err = usage_error(actlab(
        &["show", "leaky_relu", "--param", "negative_slope=x"],
        "",
    ));
    assert!(err.contains("negative_slope"), "{err}");
}

#[test]
fn show_explains_functions_that_are_not_elementwise() {
    for name in ["glu", "softmax"] {
        let text = ok(actlab(&["show", name], ""));
        assert!(text.contains("Not element-wise"), "{text}");
        assert!(!text.contains("* f(x)"), "no plot: {text}");
    }
    let err = usage_error(actlab(&["show", "nonesuch"], ""));
    assert!(err.contains("nonesuch"), "{err}");
}

// ---- actlab eval --------------------------------------------------------------------------------

#[test]
fn eval_sigmoid_on_hostile_inputs() {
    // σ(0) = 1/2, σ(±∞) = 1, 0, NaN stays NaN, σ(1e-45) = 1/2 + 2.5e-46 rounds to 1/2.
    let text = ok(actlab(&["eval", "sigmoid"], "0 inf -inf nan 1e-45\n"));
    assert_eq!(text, "0.5\n1\n0\nnan\n0.5\n");
}

#[test]
fn eval_accepts_every_number_spelling_and_layout() {
    let text = ok(actlab(
        &["eval", "identity"],
        "  1.5\t-2e-3 .5\n+inf INFINITY -Inf\r\n\n  NaN -0 1e-45 3.4028235e38",
    ));
    assert_eq!(
        text,
        "1.5\n-0.002\n0.5\ninf\ninf\n-inf\nnan\n-0\n1e-45\n3.4028235e38\n"
    );
}

#[test]
fn eval_empty_input_prints_nothing() {
    assert_eq!(ok(actlab(&["eval", "sigmoid"], "")), "");
    assert_eq!(ok(actlab(&["eval", "sigmoid"], " \n\n\t")), "");
}

// --grad
#[test]
fn eval_grad_relu() {
    // relu′(0) = 0 (PyTorch's convention), NaN propagates.
    let text = ok(actlab(&["eval", "--grad", "relu"], "0 1 -1 nan"));
    assert_eq!(text, "0\n1\n0\nnan\n");
}

/// Inputs from every binade of both signs, written exactly.
fn sample_inputs() -> Vec<f32> {
    (0..=u32::MAX)
        .step_by(3_000_017)
        .map(f32::from_bits)
        .filter(|x| !x.is_nan())
        .collect()
}

#[test]
fn eval_output_parses_back_bit_identically() {
    let xs = sample_inputs();
    let input: String = xs.iter().map(|x| format!("{x:e}\n")).collect();
    for (name, grad) in [("sigmoid", false), ("gelu", true), ("identity", false)] {
        let activation = Activation::from_name(name).unwrap();
        let mut args = vec!["eval", name];
        if grad {
            args.push("--grad");
        }
        let text = ok(actlab(&args, &input));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), xs.len());
        for (&x, line) in xs.iter().zip(lines) {
            let want = if grad {
                activation.derivative(x)
            } else {
                activation.forward(x)
            };
            let got: f32 = line.parse().unwrap();
            assert!(
                got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                "{name}({x:e}) printed {line}, want {want:e}"
            );
            // ≤ 9 significant digits; plain decimals reach 17 characters (-1234567800000000).
            assert!(line.len() <= 17, "{line} is not short");
        }
    }
}

// --f64
#[test]
fn eval_f64_parses_and_prints_doubles() {
    let xs = [0.1f64, -100.0, 1e-300, 5e-324, -0.0, 37.5];
    let input: String = xs.iter().map(|x| format!("{x:e} ")).collect();
    let text = ok(actlab(&["eval", "--f64", "sigmoid"], &input));
    for (&x, line) in xs.iter().zip(text.lines()) {
        let got: f64 = line.parse().unwrap();
        assert_eq!(
            got.to_bits(),
            Activation::Sigmoid.forward(x).to_bits(),
            "{line}"
        );
    }
    // The same decimal in f32 is a different number with a shorter result.
    assert_eq!(ok(actlab(&["eval", "--f64", "identity"], "0.1")), "0.1\n");
    assert_eq!(
        ok(actlab(&["eval", "--f64", "sigmoid"], "1")),
        format!("{}\n", Activation::Sigmoid.forward(1.0f64))
    );
    assert_ne!(
        ok(actlab(&["eval", "sigmoid"], "1")),
        ok(actlab(&["eval", "--f64", "sigmoid"], "1"))
    );
}

#[test]
fn eval_f32_rounds_the_decimal_once() {
    // 1 + 2⁻²⁴ + 10⁻²⁸ is just above the midpoint between 1 and 1 + 2⁻²³: it rounds up. Via
    // f64 it would land on the midpoint and round (to even) down to 1.
    let text = ok(actlab(
        &["eval", "identity"],
        "1.0000000596046447753906250001",
    ));
    assert_eq!(text, "1.0000001\n");
}

// --param
#[test]
fn eval_leaky_relu_with_param() {
    let text = ok(actlab(
        &["eval", "leaky_relu", "--param", "negative_slope=0.2"],
        "-1 2 -0.5",
    ));
    assert_eq!(text, "-0.2\n2\n-0.1\n");
    let text = ok(actlab(
        &[
            "eval",
            "--grad",
            "leaky_relu",
            "--param",
            "negative_slope=0.2",
        ],
        "-1 0 2",
    ));
    assert_eq!(text, "0.2\n0.2\n1\n");
    // Several parameters.
    let text = ok(actlab(
        &[
            "eval",
            "hardtanh",
            "--param",
            "min_val=-2",
            "--param",
            "max_val=3",
        ],
        "-5 0.5 5",
    ));
    assert_eq!(text, "-2\n0.5\n3\n");
}

#[test]
fn eval_rejects_bad_params_naming_the_key() {
    // Not a number.
    let err = usage_error(actlab(
        &["eval", "leaky_relu", "--param", "negative_slope=abc"],
        "1",
    ));
    assert!(
        err.contains("negative_slope") && err.contains("abc"),
        "{err}"
    );
    // Unknown key.
    let err = usage_error(actlab(&["eval", "leaky_relu", "--param", "alpha=1"], "1"));
    assert!(
        err.contains("alpha") && err.contains("negative_slope"),
        "{err}"
    );
    // Out of domain (with_param's message).
    let err = usage_error(actlab(&["eval", "celu", "--param", "alpha=0"], "1"));
    assert!(err.contains("alpha") && err.contains("nonzero"), "{err}");
    let err = usage_error(actlab(&["eval", "hardtanh", "--param", "min_val=2"], "1"));
    assert!(err.contains("max_val"), "{err}");
    // Not KEY=VALUE.
    let err = usage_error(actlab(&["eval", "elu", "--param", "alpha"], "1"));
    assert!(err.contains("KEY=VALUE"), "{err}");
    // A function without parameters.
    let err = usage_error(actlab(&["eval", "relu", "--param", "alpha=1"], "1"));
    assert!(err.contains("no parameters"), "{err}");
}

#[test]
fn eval_rejects_an_unknown_function() {
    let err = usage_error(actlab(&["eval", "sigmoidd"], "1"));
    assert!(err.contains("\"sigmoidd\""), "{err}");
}

#[test]
fn eval_rejects_functions_that_are_not_elementwise() {
    for args in [["eval", "--grad", "glu"], ["eval", "softmax", "--f64"]] {
        let err = usage_error(actlab(&args, "1"));
        assert!(err.contains("not element-wise"), "{err}");
    }
}

#[test]
fn eval_rejects_a_malformed_number_naming_token_and_line() {
    let err = usage_error(actlab(&["eval", "sigmoid"], "0 1\n2 1.2.3 4\n5"));
    assert!(err.contains("1.2.3") && err.contains("line 2"), "{err}");
    for bad in ["0x10", "1_000", "e5", "--1", "1e", "infinite", "½"] {
        let err = usage_error(actlab(&["eval", "relu"], &format!("1\n\n{bad}\n")));
        assert!(err.contains(bad) && err.contains("line 3"), "{err}");
    }
    let err = usage_error(actlab_bytes(&["eval", "relu"], b"1\n\xff\n"));
    assert!(err.contains("line 2"), "{err}");
}

// ---- actlab accuracy ----------------------------------------------------------------------------

/// A stride that keeps sweeps to a few thousand inputs.
const STRIDE: &str = "1000003";

/// The number of inputs a sweep at `stride` measures: non-NaN bit patterns 0, stride, ….
fn inputs_at(stride: u64) -> u64 {
    (0..1u64 << 32)
        .step_by(stride as usize)
        .filter(|&bits| !f32::from_bits(bits as u32).is_nan())
        .count() as u64
}

// --function, --stride, --json
#[test]
fn accuracy_json_for_sigmoid() {
    let report = json(&ok(actlab(
        &[
            "accuracy",
            "--function",
            "sigmoid",
            "--stride",
            STRIDE,
            "--json",
        ],
        "",
    )));
    assert_eq!(report["mode"], "strided");
    assert_eq!(report["stride"], 1_000_003);
    assert!(report["threads"].as_u64().unwrap() >= 1);
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for (result, pass, bound) in [(&results[0], "forward", 1), (&results[1], "derivative", 2)] {
        assert_eq!(result["function"], "sigmoid");
        assert_eq!(result["pass"], pass);
        assert_eq!(result["inputs"], inputs_at(1_000_003));
        assert_eq!(result["bound_ulp"], bound);
        assert_eq!(result["within_bound"], true);
        let max = result["max_ulp"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&max), "{result}");
        assert!(result["mean_ulp"].as_f64().unwrap() <= max);
        for field in ["max_ulp_at", "got", "exact", "seconds"] {
            assert!(result.get(field).is_some(), "{field}");
        }
    }
}

// --pass, text output
#[test]
fn accuracy_table_for_one_pass() {
    let text = ok(actlab(
        &[
            "accuracy",
            "--function",
            "relu",
            "--function",
            "leaky_relu(negative_slope=0.2)",
            "--pass",
            "derivative",
            "--stride",
            STRIDE,
        ],
        "",
    ));
    assert!(text.contains("max ULP") && text.contains("ok?"), "{text}");
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("derivative")).collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(
        rows[1].starts_with("leaky_relu(negative_slope=0.2)"),
        "{text}"
    );
    assert!(rows.iter().all(|r| r.trim_end().ends_with("yes")), "{text}");
    assert!(!text.contains("forward"));
}

// --threads
#[test]
fn accuracy_results_do_not_depend_on_the_thread_count() {
    let run = |threads: &str| {
        let mut report = json(&ok(actlab(
            &[
                "accuracy",
                "--function",
                "gelu",
                "--stride",
                "30011",
                "--threads",
                threads,
                "--json",
            ],
            "",
        )));
        assert_eq!(report["threads"], threads.parse::<u64>().unwrap());
        for result in report["results"].as_array_mut().unwrap() {
            result.as_object_mut().unwrap().remove("seconds");
        }
        report["results"].take()
    };
    assert_eq!(run("1"), run("3"));
    usage_error(actlab(&["accuracy", "--threads", "0"], ""));
}

#[test]
fn accuracy_rejects_bad_functions_and_flags() {
    let err = usage_error(actlab(&["accuracy", "--function", "nonesuch"], ""));
    assert!(err.contains("nonesuch"), "{err}");
    let err = usage_error(actlab(&["accuracy", "--function", "swiglu"], ""));
    assert!(err.contains("not element-wise"), "{err}");
    usage_error(actlab(&["accuracy", "--stride", "0"], ""));
    usage_error(actlab(&["accuracy", "--exhaustive", "--stride", "7"], ""));
    usage_error(actlab(&["accuracy", "--pass", "sideways"], ""));
}

// --outputs
#[test]
fn accuracy_measures_outputs_read_from_a_file() {
    let n = inputs_at(1_000_003);
    let dir = std::env::temp_dir().join(format!("actlab-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let args = |path: &str| {
        vec![
            "accuracy".to_string(),
            "--function".into(),
            "sigmoid".into(),
            "--pass".into(),
            "forward".into(),
            "--stride".into(),
            STRIDE.into(),
            "--json".into(),
            "--outputs".into(),
            path.to_string(),
        ]
    };
    let run = |args: &[String], stdin: &[u8]| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        actlab_bytes(&args, stdin)
    };

    // actlab's own results, written in sweep order, measure exactly as actlab does.
    let exact: Vec<u8> = (0..1u64 << 32)
        .step_by(1_000_003)
        .map(|bits| f32::from_bits(bits as u32))
        .filter(|x| !x.is_nan())
        .flat_map(|x| Activation::Sigmoid.forward(x).to_le_bytes())
        .collect();
    let own = dir.join("own.f32");
    std::fs::write(&own, &exact).unwrap();
    let report = json(&ok(run(&args(own.to_str().unwrap()), b"")));
    assert_eq!(report["outputs"], own.to_str().unwrap());
    assert_eq!(report["results"][0]["inputs"], n);
    assert_eq!(report["results"][0]["within_bound"], true);

    // All zeros: σ ≈ 1/2 near 0 is missed by millions of ULP; exit 1, the report still printed.
    let zeros = dir.join("zeros.f32");
    std::fs::write(&zeros, vec![0u8; n as usize * 4]).unwrap();
    let output = run(&args(zeros.to_str().unwrap()), b"");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = json(&stdout(&output));
    let result = &report["results"][0];
    assert_eq!(result["inputs"], n);
    assert_eq!(result["within_bound"], false);
    assert!(result["max_ulp"].as_f64().unwrap() > 1e6, "{result}");

    // The same values from stdin.
    let output = run(&args("-"), &vec![0u8; n as usize * 4]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        json(&stdout(&output))["results"][0]["max_ulp"],
        result["max_ulp"]
    );

    // A short file, a long one, a stray byte: errors naming what was expected and found.
    let short = dir.join("short.f32");
    std::fs::write(&short, vec![0u8; (n as usize - 1) * 4]).unwrap();
    let err = usage_error(run(&args(short.to_str().unwrap()), b""));
    assert!(
        err.contains(&format!("expected {n}")) && err.contains(&format!("got {}", n - 1)),
        "{err}"
    );
    let err = usage_error(run(&args("-"), &vec![0u8; 400]));
    assert!(
        err.contains(&format!("expected {n}")) && err.contains("got 100"),
        "{err}"
    );
    let err = usage_error(run(&args("-"), &vec![0u8; n as usize * 4 + 8]));
    assert!(err.contains(&format!("got {}", n + 2)), "{err}");
    let err = usage_error(run(&args("-"), &vec![0u8; n as usize * 4 + 1]));
    assert!(err.contains("stray"), "{err}");

    // A missing file is a runtime failure naming the file.
    let missing = dir.join("missing.f32");
    let output = run(&args(missing.to_str().unwrap()), b"");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("missing.f32"));

    // --outputs needs exactly one function and one pass.
    let err = usage_error(actlab(
        &["accuracy", "--function", "sigmoid", "--outputs", "-"],
        "",
    ));
    assert!(err.contains("--pass"), "{err}");
    usage_error(actlab(
        &["accuracy", "--pass", "forward", "--outputs", "-"],
        "",
    ));

    std::fs::remove_dir_all(&dir).unwrap();
}

// --compare, --label
#[test]
fn accuracy_compares_outputs_with_actlab_in_one_sweep() {
    let dir = std::env::temp_dir().join(format!("actlab-cli-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // The naive σ(x) = 1/(1 + e^−x): fine on the right, but 0 for x < −88.72, where e^−x
    // overflows, while σ is subnormal down to −103.28: up to 2·10⁶ ULP off.
    let naive: Vec<u8> = (0..1u64 << 32)
        .step_by(1_000_003)
        .map(|bits| f32::from_bits(bits as u32))
        .filter(|x| !x.is_nan())
        .flat_map(|x| (1.0 / (1.0 + (-x).exp())).to_le_bytes())
        .collect();
    let path = dir.join("naive.f32");
    std::fs::write(&path, &naive).unwrap();
    let path = path.to_str().unwrap();
    let sweep = [
        "accuracy",
        "--function",
        "sigmoid",
        "--pass",
        "forward",
        "--stride",
        STRIDE,
    ];
    let run = |extra: &[&str]| {
        let args: Vec<&str> = sweep.iter().chain(extra).copied().collect();
        let output = actlab(&args, "");
        // Exit 1: the naive values exceed the bound.
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        stdout(&output)
    };
    let without_seconds = |mut result: Value| {
        result.as_object_mut().unwrap().remove("seconds");
        result
    };

    let report = json(&run(&[
        "--outputs",
        path,
        "--compare",
        "--label",
        "naive",
        "--json",
    ]));
    assert_eq!(report["compare"], true);
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["implementation"], "actlab");
    assert_eq!(results[1]["implementation"], "naive");
    assert_eq!(results[0]["seconds"], results[1]["seconds"], "one sweep");
    assert_eq!(results[0]["within_bound"], true);
    assert_eq!(results[1]["within_bound"], false);
    let naive_max = results[1]["max_ulp"].as_f64().unwrap();
    assert!(naive_max > 1e4, "{}", results[1]);
    assert!(results[1]["max_ulp_at"].as_f64().unwrap() < -80.0);

    // Each row is what a sweep of its own measures.
    let own = json(&ok(actlab(
        &sweep.iter().chain(&["--json"]).copied().collect::<Vec<_>>(),
        "",
    )));
    assert_eq!(own["compare"], false);
    assert_eq!(own["results"][0]["implementation"], "actlab");
    assert_eq!(
        without_seconds(own["results"][0].clone()),
        without_seconds(results[0].clone())
    );
    let alone = json(&run(&["--outputs", path, "--json"]));
    assert_eq!(alone["results"].as_array().unwrap().len(), 1);
    assert_eq!(alone["results"][0]["implementation"], "external");
    let mut relabelled = without_seconds(results[1].clone());
    relabelled["implementation"] = "external".into();
    assert_eq!(without_seconds(alone["results"][0].clone()), relabelled);

    // The table names the implementation of each row, actlab's first.
    let text = run(&["--outputs", path, "--compare", "--label", "naive"]);
    assert!(text.contains("implementation"), "{text}");
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("sigmoid")).collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(rows[0].contains(" actlab ") && rows[0].trim_end().ends_with("yes"));
    assert!(
        rows[1].contains(" naive ") && rows[1].contains("NO ("),
        "{text}"
    );

    // --compare and --label need --outputs; "actlab" is not a label for someone else's values.
    usage_error(actlab(
        &["accuracy", "--function", "sigmoid", "--compare"],
        "",
    ));
    usage_error(actlab(
        &["accuracy", "--function", "relu", "--label", "x"],
        "",
    ));
    let err = usage_error(actlab(
        &sweep
            .iter()
            .chain(&["--outputs", path, "--compare", "--label", "actlab"])
            .copied()
            .collect::<Vec<_>>(),
        "",
    ));
    assert!(err.contains("--label"), "{err}");

    std::fs::remove_dir_all(&dir).unwrap();
}

// infinite_errors, max_finite_ulp
#[test]
fn accuracy_reports_the_largest_finite_error_beside_infinite_ones() {
    // 0x7f800000 (+∞) = 2048 · 1044480: this stride visits +∞.
    let stride = 1_044_480;
    // relu's values, except NaN at +∞ (exact +∞) and 0 for every x > 0.
    let values: Vec<u8> = (0..1u64 << 32)
        .step_by(stride)
        .map(|bits| f32::from_bits(bits as u32))
        .filter(|x| !x.is_nan())
        .flat_map(|x| {
            let y = if x == f32::INFINITY { f32::NAN } else { 0.0 };
            y.to_le_bytes()
        })
        .collect();
    let output = actlab_bytes(
        &[
            "accuracy",
            "--function",
            "relu",
            "--pass",
            "forward",
            "--stride",
            &stride.to_string(),
            "--outputs",
            "-",
            "--json",
        ],
        &values,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let result = &json(&stdout(&output))["results"][0];
    assert_eq!(result["inputs"], inputs_at(stride as u64));
    assert_eq!(result["infinite_errors"], 1);
    assert_eq!(result["max_ulp"], "inf");
    assert_eq!(result["max_ulp_at"], "inf");
    assert_eq!(result["got"], "nan");
    // 0 for x > 0 is x/ulp(x) ∈ [2²³, 2²⁴) ULP off; the largest such error is still reported.
    let finite_max = result["max_finite_ulp"].as_f64().unwrap();
    assert!((8388608.0..16777216.0).contains(&finite_max), "{result}");
    assert!(
        result["max_finite_ulp_at"].as_f64().unwrap() > 0.0,
        "{result}"
    );
}
