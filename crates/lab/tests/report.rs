//! The figure renderer and the report writer, on realistic and hostile input.

use std::fs;
use std::path::{Path, PathBuf};

use lab::figure::{Figure, Series, Style, color_for, render_png, render_svg};
use lab::report::{Outcome, Report, ReportError, Table, to_json, write_report};

/// A fresh, empty directory under the system temp dir, unique to this test and process.
fn scratch_dir(test: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("actlab-report-test-{}-{test}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn layers() -> Vec<f64> {
    (1..=20).map(f64::from).collect()
}

/// Gradient norms that vanish geometrically, as the vanishing-gradient experiment draws them.
fn vanishing_figure() -> Figure {
    Figure::new(
        "grad-norms",
        "Gradient norm per layer",
        "layer (1 = input side)",
        "‖∂L/∂W‖",
    )
    .log_y()
    .with(Series::line(
        "sigmoid",
        layers()
            .iter()
            .map(|&l| (l, 0.25f64.powf(21.0 - l)))
            .collect(),
    ))
    .with(Series::line(
        "relu",
        layers().iter().map(|&l| (l, 0.9 + 0.01 * l)).collect(),
    ))
    .with(
        Series::line(
            "0.25^L",
            layers()
                .iter()
                .map(|&l| (l, 0.25f64.powf(21.0 - l)))
                .collect(),
        )
        .keyed("bound")
        .styled(Style::Dashed),
    )
}

fn outcome(name: &str, title: &str, holds: bool, figures: Vec<Figure>) -> Outcome {
    Outcome {
        name: name.to_string(),
        title: title.to_string(),
        claim: format!("The guide claims {name}."),
        measured: format!("We measured {name}: 0.25."),
        shows: format!("It shows {name}."),
        holds,
        data: serde_json::json!({ "value": 0.25, "name": name }),
        figures,
        tables: vec![Table {
            header: vec!["activation".into(), "σ′ max".into()],
            rows: vec![
                vec!["sigmoid".into(), "0.25".into()],
                vec!["a < b & c".into()],
            ],
        }],
    }
}

/// One experiment, one figure: for the tests about files rather than content (PNG rendering
/// is slow in debug builds).
fn small_report() -> Report {
    let figure = Figure::new("curve", "Curve", "x", "y")
        .with(Series::line("relu", vec![(0.0, 0.0), (1.0, 1.0)]));
    Report::new(
        "Small",
        "",
        3,
        false,
        vec![outcome("collapse", "Depth collapses", true, vec![figure])],
    )
}

fn sample_report() -> Report {
    Report::new(
        "The guide, measured",
        "First paragraph.\n\nSecond <paragraph>.",
        42,
        true,
        vec![
            outcome(
                "vanishing",
                "Gradients vanish",
                true,
                vec![vanishing_figure()],
            ),
            outcome(
                "functions",
                "The functions <script>alert(1)</script>",
                false,
                vec![
                    Figure::new("curves", "Curves", "x", "f(x)").with(Series::line(
                        "tanh",
                        vec![(-1.0, -0.76), (0.0, 0.0), (1.0, 0.76)],
                    )),
                    // Same id as the vanishing experiment's figure: both get prefixed.
                    Figure::new("grad-norms", "Derivatives", "x", "f′(x)").with(Series::line(
                        "tanh",
                        vec![(-1.0, 0.42), (0.0, 1.0), (1.0, 0.42)],
                    )),
                ],
            ),
        ],
    )
}

/// Renders `figure` as SVG and checks the document is whole and has no non-finite coordinate.
fn assert_renders(figure: &Figure) -> String {
    let svg = render_svg(figure).unwrap_or_else(|e| panic!("{}: {e}", figure.id));
    assert!(svg.starts_with("<svg"), "{}", figure.id);
    assert!(svg.trim_end().ends_with("</svg>"), "{}", figure.id);
    for bad in [
        "=\"NaN", "=\"inf", "=\"-inf", "NaN,", ",NaN", "inf,", ",inf",
    ] {
        assert!(!svg.contains(bad), "{}: {bad} in {svg}", figure.id);
    }
    svg
}

/// Renders `figure` as PNG and checks the signature. (PNG rendering is slow in debug builds,
/// so only the hostile cases go through it.)
fn assert_renders_png(figure: &Figure) {
    let png = render_png(figure).unwrap_or_else(|e| panic!("{}: {e}", figure.id));
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{}", figure.id);
}

#[test]
fn log_axis_figure_has_title_labels_legend_and_decade_ticks() {
    let svg = assert_renders(&vanishing_figure());
    for text in [
        "Gradient norm per layer",
        "layer (1 = input side)",
        "‖∂L/∂W‖",
        "sigmoid",
        "relu",
        "0.25^L",
    ] {
        assert!(svg.contains(text), "missing {text:?}");
    }
    // 0.25^20 ≈ 9e-13: the axis reaches 10⁻¹³ and labels decades in superscript.
    assert!(svg.contains("10⁻"), "no power-of-ten tick label");
    // The dashed bound is drawn in its fixed grey.
    assert!(svg.contains("#555555"), "bound colour missing");
    let (r, g, b) = color_for("sigmoid");
    assert!(
        svg.contains(&format!("#{r:02X}{g:02X}{b:02X}")),
        "sigmoid colour missing"
    );
}

#[test]
fn log_log_and_single_series_figures_render() {
    let figure = Figure::new("lr", "Learning-rate sweep", "learning rate", "final loss")
        .log_x()
        .log_y()
        .with(Series::line(
            "relu",
            vec![(1e-4, 2.3), (1e-3, 0.9), (1e-2, 0.2), (1.0, 5.0)],
        ));
    let svg = assert_renders(&figure);
    assert!(svg.contains("10⁻⁴") && svg.contains("0.01"));
    // One series with nothing hidden: no legend.
    assert!(!svg.contains(">\nrelu\n<"), "{svg}");
    // One series with a point hidden: the legend says so.
    let hidden = Figure::new("lr0", "Sweep", "learning rate", "final loss")
        .log_x()
        .with(Series::line(
            "relu",
            vec![(0.0, 2.3), (1e-3, 0.9), (1e-2, 0.2)],
        ));
    assert!(assert_renders(&hidden).contains("relu (1 of 3 not shown)"));
}

#[test]
fn hostile_values_are_skipped_and_counted() {
    let figure = Figure::new("hostile", "Hostile", "x", "y")
        .log_y()
        .with(Series::line(
            "gelu",
            vec![
                (0.0, 1.0),
                (1.0, f64::NAN),
                (2.0, f64::INFINITY),
                (3.0, 0.0),
                (4.0, -1.0),
                (5.0, 1e-3),
                (f64::NEG_INFINITY, 1.0),
                (6.0, 2.0),
            ],
        ))
        .with(Series::line("relu", vec![(0.0, 1.0), (6.0, 1.0)]));
    let svg = assert_renders(&figure);
    assert!(svg.contains("gelu (5 of 8 not shown)"), "{svg}");
    assert_renders_png(&figure);
}

#[test]
fn figures_without_drawable_points_say_no_data() {
    let all_nan = Figure::new("nan", "All NaN", "x", "y")
        .with(Series::line("relu", vec![(f64::NAN, 1.0), (1.0, f64::NAN)]));
    let no_series = Figure::new("none", "No series", "x", "y");
    let empty_series = Figure::new("empty", "Empty", "x", "y").with(Series::line("relu", vec![]));
    let nonpositive_on_log = Figure::new("log0", "Zeros", "x", "y")
        .log_y()
        .with(Series::line(
            "relu",
            vec![(1.0, 0.0), (2.0, -3.0), (3.0, -0.0)],
        ));
    let off_scale = Figure::new("huge", "Huge", "x", "y").with(Series::line(
        "relu",
        vec![(1.0, f64::MAX), (2.0, -f64::MAX)],
    ));
    for figure in [
        all_nan,
        no_series,
        empty_series,
        nonpositive_on_log,
        off_scale,
    ] {
        let svg = assert_renders(&figure);
        assert!(svg.contains("no data"), "{}", figure.id);
        assert!(svg.contains(&figure.title), "{}", figure.id);
        if figure.id == "log0" {
            assert_renders_png(&figure);
        }
    }
}

#[test]
fn degenerate_ranges_render() {
    let figures = [
        Figure::new("one", "One point", "x", "y").with(Series::line("relu", vec![(1.0, 2.0)])),
        Figure::new("one-log", "One point, log", "x", "y")
            .log_x()
            .log_y()
            .with(Series::line("relu", vec![(1.0, 1.0)])),
        Figure::new("flat", "All equal", "x", "y").with(Series::line(
            "relu",
            vec![(0.0, 0.0), (0.0, 0.0), (0.0, 0.0)],
        )),
        Figure::new("tiny", "Subnormal span", "x", "y").with(Series::line(
            "relu",
            vec![(0.0, 0.0), (1.0, 5e-324), (2.0, -0.0)],
        )),
        Figure::new("wide", "1e-300 to 1e300", "x", "y")
            .log_y()
            .with(Series::line(
                "relu",
                vec![(0.0, 1e-300), (1.0, 1e300), (2.0, 5e-324)],
            )),
        Figure::new("big", "Big values", "x", "y")
            .with(Series::line("relu", vec![(-1e300, 1e300), (1e300, -1e300)])),
        Figure::new("points", "Markers", "x", "y")
            .with(Series::line("relu", vec![(1.0, 1.0), (2.0, 4.0)]).styled(Style::Points))
            .with(Series::line("theory", vec![(1.0, 1.0), (2.0, 4.0)]).styled(Style::Dashed)),
    ];
    for figure in &figures {
        assert_renders(figure);
        // The extreme ranges through the bitmap backend too (huge pixel coordinates).
        if ["tiny", "wide", "big"].contains(&figure.id.as_str()) {
            assert_renders_png(figure);
        }
    }
}

#[test]
fn many_series_and_long_text_fit() {
    let long = "a very long title that goes on and on about gradients ".repeat(5);
    let mut figure = Figure::new("many", long.clone(), "x", "y");
    for i in 0..40 {
        let name = format!("series number {i} with a rather long legend label");
        figure = figure.with(Series::line(
            name,
            vec![(0.0, f64::from(i)), (1.0, f64::from(i) + 1.0)],
        ));
    }
    let svg = assert_renders(&figure);
    assert!(!svg.contains(&long), "the long title should be cut");
    assert!(svg.contains('…'));
    assert!(
        svg.contains(" more"),
        "the legend should say how many series it left out"
    );
}

#[test]
fn figure_text_is_escaped_in_svg() {
    let figure = Figure::new("xss", "<script>alert(1)</script>", "x & y", "\"y\"")
        .with(Series::line("<b>relu</b>", vec![(0.0, 0.0), (1.0, 1.0)]))
        .with(Series::line("tanh", vec![(0.0, 0.0), (1.0, 0.7)]));
    let svg = assert_renders(&figure);
    assert!(!svg.contains("<script>") && !svg.contains("<b>"));
    assert!(svg.contains("&lt;script&gt;"));
}

#[test]
fn colours_are_stable_and_keyed() {
    assert_eq!(color_for("relu"), color_for("ReLU"));
    assert_eq!(color_for("leaky_relu"), color_for("Leaky-ReLU"));
    assert_eq!(color_for("theory"), (0, 0, 0));
    assert_eq!(color_for("bound"), color_for("bound_upper"));
    assert_ne!(color_for("boundary"), color_for("bound"));
    let common = [
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "gelu",
        "silu",
        "elu",
        "softplus",
        "mish",
    ];
    for (i, a) in common.iter().enumerate() {
        for b in &common[i + 1..] {
            assert_ne!(color_for(a), color_for(b), "{a} vs {b}");
        }
    }
    // A key outside the palette: hashed, so the same in every run.
    assert_eq!(color_for("my-sweep-0.3"), color_for("my-sweep-0.3"));
}

#[test]
fn report_writes_html_json_and_figures() {
    let dir = scratch_dir("full").join("nested/out");
    let report = sample_report();
    let written = write_report(&dir, &report).unwrap();

    let html = fs::read_to_string(&written.index_html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Gradients vanish"));
    assert!(html.contains("The functions &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        !html.contains("<script"),
        "no script in the page, escaped or otherwise"
    );
    assert!(html.contains("Second &lt;paragraph&gt;."));
    assert!(html.contains("a &lt; b &amp; c"));
    assert_eq!(html.matches("<svg").count(), 3);
    assert!(html.contains("✓ holds") && html.contains("✗ does not hold"));
    assert!(html.contains("The guide claims vanishing."));
    assert!(html.contains("seed 42, quick mode"));
    assert!(html.contains("<code>actlab guide</code>"));
    assert!(
        !html.contains("http://")
            || html.matches("http://").count()
                == html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(),
        "no external resources"
    );

    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&written.report_json).unwrap()).unwrap();
    assert_eq!(json, to_json(&report));
    assert_eq!(json["seed"], 42);
    assert_eq!(json["quick"], true);
    assert_eq!(json["actlab_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["summary"]["holding"], 1);
    assert_eq!(json["order"], serde_json::json!(["vanishing", "functions"]));
    let vanishing = &json["experiments"]["vanishing"];
    for field in [
        "title", "claim", "measured", "shows", "holds", "data", "figures", "tables",
    ] {
        assert!(!vanishing[field].is_null(), "missing {field}");
    }
    assert_eq!(vanishing["data"]["value"], 0.25);
    // "grad-norms" appears in both experiments: each copy is prefixed with its experiment.
    assert_eq!(
        vanishing["figures"],
        serde_json::json!(["vanishing-grad-norms"])
    );
    assert_eq!(
        json["experiments"]["functions"]["figures"],
        serde_json::json!(["curves", "functions-grad-norms"])
    );

    let figures_dir = dir.join("figures");
    for id in ["vanishing-grad-norms", "curves", "functions-grad-norms"] {
        for ext in ["svg", "png"] {
            let path = figures_dir.join(format!("{id}.{ext}"));
            assert!(
                written.figures.contains(&path),
                "{} not listed",
                path.display()
            );
            assert!(
                fs::metadata(&path).unwrap().len() > 100,
                "{} is empty",
                path.display()
            );
        }
    }
    assert_eq!(written.paths().count(), 8);
    fs::remove_dir_all(scratch_dir("full")).unwrap();
}

#[test]
fn empty_report_is_valid() {
    let dir = scratch_dir("empty");
    let written = write_report(&dir, &Report::new("Nothing", "", 1, false, vec![])).unwrap();
    let html = fs::read_to_string(written.index_html).unwrap();
    assert!(html.contains("0 of 0") && html.contains("seed 1)"));
    assert!(written.figures.is_empty());
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn writing_into_a_file_names_the_path() {
    let dir = scratch_dir("file");
    let file = dir.join("not-a-dir");
    fs::write(&file, "precious").unwrap();
    let error = write_report(&file, &sample_report()).unwrap_err();
    assert!(
        matches!(error, ReportError::NotADirectory { .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains(&file.display().to_string()),
        "{error}"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "precious");

    // A file where the figures directory belongs.
    let out = dir.join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("figures"), "precious").unwrap();
    let error = write_report(&out, &sample_report()).unwrap_err();
    assert!(error.to_string().contains("figures"), "{error}");
    assert_eq!(fs::read_to_string(out.join("figures")).unwrap(), "precious");
    fs::remove_dir_all(dir).unwrap();
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(temp_files(&path));
        } else if path.extension().is_some_and(|e| e == "tmp") {
            found.push(path);
        }
    }
    found
}

#[test]
fn rewrite_replaces_files_atomically() {
    let dir = scratch_dir("rewrite");
    let mut report = small_report();
    write_report(&dir, &report).unwrap();
    let index = dir.join("index.html");
    #[cfg(unix)]
    let first_inode = {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(&index).unwrap().ino()
    };

    report.title = "Second run".to_string();
    report.seed = 7;
    write_report(&dir, &report).unwrap();
    let html = fs::read_to_string(&index).unwrap();
    assert!(html.contains("<h1>Second run</h1>") && html.contains("seed 7"));
    assert!(!html.contains("Small"));
    // Replaced by rename (a new file), not truncated and rewritten in place.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_ne!(fs::metadata(&index).unwrap().ino(), first_inode);
    }
    assert!(temp_files(&dir).is_empty(), "{:?}", temp_files(&dir));
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn failed_write_keeps_the_previous_report_whole() {
    let dir = scratch_dir("failed");
    write_report(&dir, &small_report()).unwrap();
    let index = dir.join("index.html");
    let before = fs::read_to_string(&index).unwrap();

    // report.json becomes a directory: the rename over it fails.
    let json = dir.join("report.json");
    fs::remove_file(&json).unwrap();
    fs::create_dir(&json).unwrap();
    fs::write(json.join("keep"), "x").unwrap();
    let mut report = small_report();
    report.title = "Never written".to_string();
    let error = write_report(&dir, &report).unwrap_err();
    assert!(matches!(error, ReportError::Write { .. }), "{error:?}");
    assert!(
        error.to_string().contains(&json.display().to_string()),
        "{error}"
    );

    // index.html is written last, so it is still the old, whole page.
    assert_eq!(fs::read_to_string(&index).unwrap(), before);
    assert!(temp_files(&dir).is_empty(), "{:?}", temp_files(&dir));
    fs::remove_dir_all(dir).unwrap();
}
