//! `actlab predict`: runs a saved model on data, one prediction per row.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use nn::data::Dataset;
use nn::loss::Loss;
use nn::persist::{self, AnyMlp, ModelCard};
use nn::rng::Rng;
use nn::{Mlp, Mode, Scalar};
use serde_json::{Value, json};

use crate::cmd::data::{self, Source};
use crate::cmd::usage;
use crate::number::{format, json_f32, json_f64};

/// Runs a model saved by `actlab train --save` on data and prints one prediction per row.
///
/// The model file is checked completely before use (format, every tensor's shape and checksum,
/// finite weights); a damaged or foreign file is an error naming the file and what is wrong
/// (exit 1). The inputs are standardised as in training when the model was trained so.
///
/// Data (`--data`): a built-in set (generated from `--samples`, `--noise` and `--seed`, as
/// `train` does before its split); a CSV file, with a label column (the last, or `--target`)
/// or without one (exactly as many columns as the model has inputs; plain text, comma-separated,
/// an optional header line); or an IDX directory (its t10k test set).
///
/// Output: per row, for a classifier the predicted class index then each class's probability
/// (softmax for softmax cross-entropy, sigmoid for BCE; for MSE the raw outputs), tab-separated;
/// for regression the predicted value. Values are shortest round-trip decimals. With labels,
/// the accuracy (classification) or mean squared error (regression) goes to stderr. With
/// --json: one object `{"model", "rows", "predictions": [{"class", "probabilities"} or
/// {"value"}], "accuracy", "mse", "labelled"}`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The model file (`actlab train --save FILE`).
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,

    /// The data: a built-in set, a CSV file (labelled or not) or an IDX directory.
    #[arg(long, value_name = "NAME|FILE.csv|IDX_DIR")]
    pub data: String,

    /// Rows of a built-in set.
    #[arg(long, default_value_t = 500, value_name = "N")]
    pub samples: usize,

    /// Noise of a built-in set, in [0, 1].
    #[arg(long, default_value_t = 0.0, value_name = "X")]
    pub noise: f64,

    /// Seed of a built-in set (the one `train --seed` used generates its data).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub seed: u64,

    /// The CSV column holding the label: a header name or a 0-based index (negative from the
    /// end). Default: the last column, when there is one more column than the model's inputs.
    #[arg(long, value_name = "COL")]
    pub target: Option<String>,

    /// Print one JSON object instead of lines.
    #[arg(long)]
    pub json: bool,
}

/// The rows to predict: features `(rows, inputs)` and, when known, the targets.
struct Rows {
    features: Vec<f32>,
    n_rows: usize,
    labels: Option<Labels>,
}

enum Labels {
    Classes(Vec<usize>),
    Values(Vec<f32>),
}

/// Runs `actlab predict`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let (model, card) = persist::load_any(&args.model)?;
    let inputs = match &model {
        AnyMlp::F32(m) => m.inputs(),
        AnyMlp::F64(m) => m.inputs(),
    };
    let source = Source::parse(&args.data)?;
    let mut rows = read_rows(args, &source, &card, inputs)?;
    if let Some(scaler) = &card.standardizer {
        for row in rows.features.chunks_exact_mut(inputs) {
            scaler.apply_row(row);
        }
    }
    // Values are written in the model's precision: an f32 model's as their shortest f32
    // decimal.
    let (predictions, single) = match model {
        AnyMlp::F32(mut m) => (predict(&mut m, &card, &rows.features), true),
        AnyMlp::F64(mut m) => (predict(&mut m, &card, &rows.features), false),
    };
    let report = Report::new(&predictions, rows.labels.as_ref(), rows.n_rows);
    let mut stdout = BufWriter::new(std::io::stdout().lock());
    if args.json {
        let value = json!({
            "model": args.model.display().to_string(),
            "rows": rows.n_rows,
            "labelled": rows.labels.is_some(),
            "accuracy": report.accuracy.map(json_f64),
            "mse": report.mse.map(json_f64),
            "predictions": predictions.iter().map(|p| p.json(single)).collect::<Vec<Value>>(),
        });
        serde_json::to_writer_pretty(&mut stdout, &value).context("writing to stdout")?;
        writeln!(stdout).context("writing to stdout")?;
    } else {
        for p in &predictions {
            writeln!(stdout, "{}", p.line(single)).context("writing to stdout")?;
        }
    }
    stdout.flush().context("writing to stdout")?;
    if !args.json {
        if let Some(accuracy) = report.accuracy {
            eprintln!(
                "accuracy: {} ({}/{} rows)",
                format(accuracy),
                report.correct,
                rows.n_rows
            );
        }
        if let Some(mse) = report.mse {
            eprintln!("mean squared error: {} ({} rows)", format(mse), rows.n_rows);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the rows `--data` names, checked against the model's input width and classes.
fn read_rows(
    args: &Args,
    source: &Source,
    card: &ModelCard,
    inputs: usize,
) -> anyhow::Result<Rows> {
    let dataset = match source {
        Source::Builtin(name) => {
            if !(0.0..=1.0).contains(&args.noise) {
                return Err(usage(format!("--noise {} is not in [0, 1]", args.noise)));
            }
            data::generate(
                name,
                args.samples,
                args.noise,
                &mut Rng::seed(args.seed).fork(1),
            )?
        }
        Source::Idx(dir) => data::load_idx(dir)?.test,
        Source::Csv(path) => {
            if args.target.is_none() && is_unlabelled(path, inputs)? {
                return read_unlabelled(path, inputs);
            }
            data::load_csv(path, args.target.as_deref())?
        }
    };
    if dataset.n_features() != inputs {
        return Err(usage(format!(
            "{} has {} features per row; the model takes {inputs}",
            source.describe(),
            dataset.n_features()
        )));
    }
    let labels = labels(&dataset, card, source)?;
    Ok(Rows {
        n_rows: dataset.len(),
        features: dataset.features().to_vec(),
        labels: Some(labels),
    })
}

/// The dataset's targets in the model's terms: class indices mapped through the class names
/// when both sides have them (a file that lacks a class numbers the rest differently), checked
/// against the model's classes.
fn labels(dataset: &Dataset, card: &ModelCard, source: &Source) -> anyhow::Result<Labels> {
    match (dataset.labels(), card.n_classes) {
        (None, None) => Ok(Labels::Values(dataset.values().unwrap_or(&[]).to_vec())),
        (Some(_), None) => Err(usage(format!(
            "{} has class labels, but the model is a regression model",
            source.describe()
        ))),
        (None, Some(_)) => Err(usage(format!(
            "{} has real-valued targets, but the model is a classifier",
            source.describe()
        ))),
        (Some(labels), Some(k)) => {
            let mapping: Vec<usize> = match (dataset.class_names(), &card.class_names) {
                (Some(names), Some(model_names)) => names
                    .iter()
                    .map(|name| {
                        model_names.iter().position(|m| m == name).ok_or_else(|| {
                            usage(format!(
                                "{}: class {name:?} is not one of the model's classes ({})",
                                source.describe(),
                                model_names.join(", ")
                            ))
                        })
                    })
                    .collect::<anyhow::Result<_>>()?,
                _ => (0..dataset.n_classes().unwrap_or(0)).collect(),
            };
            let classes: Vec<usize> = labels.iter().map(|&l| mapping[l as usize]).collect();
            if let Some(&bad) = classes.iter().find(|&&c| c >= k) {
                return Err(usage(format!(
                    "{} has class {bad}, but the model knows {k} classes",
                    source.describe()
                )));
            }
            Ok(Labels::Classes(classes))
        }
    }
}

/// Whether the CSV at `path` has exactly `inputs` columns (no label column): judged on its last
/// non-empty line, a data row in every format the loader reads. Gzip files are taken as
/// labelled.
fn is_unlabelled(path: &Path, inputs: usize) -> anyhow::Result<bool> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(false);
    }
    let text = String::from_utf8_lossy(&bytes);
    let columns = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map_or(0, |l| l.split(',').count());
    Ok(columns == inputs)
}

/// Reads a CSV of features only: `inputs` comma-separated numbers per line, an optional header
/// line (a first line with a field that is not a number), blank lines ignored. Errors name the
/// file, the line and the token (exit 2).
fn read_unlabelled(path: &Path, inputs: usize) -> anyhow::Result<Rows> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut features = Vec::new();
    let mut n_rows = 0;
    let mut first = true;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let is_first = std::mem::replace(&mut first, false);
        if is_first && fields.iter().any(|f| f.parse::<f64>().is_err()) {
            continue; // the header
        }
        let number = index + 1;
        if fields.len() != inputs {
            return Err(usage(format!(
                "{}:{number}: {} columns; the model takes {inputs} features",
                path.display(),
                fields.len()
            )));
        }
        for (column, field) in fields.iter().enumerate() {
            match field.parse::<f32>() {
                Ok(v) if v.is_finite() => features.push(v),
                _ => {
                    return Err(usage(format!(
                        "{}:{number}: column {}: {field:?} is not a finite number",
                        path.display(),
                        column + 1
                    )));
                }
            }
        }
        n_rows += 1;
    }
    if n_rows == 0 {
        return Err(usage(format!("{}: no data rows", path.display())));
    }
    Ok(Rows {
        features,
        n_rows,
        labels: None,
    })
}

/// One row's prediction.
enum Prediction {
    /// The class and every class's probability (or score, for MSE).
    Class {
        class: usize,
        probabilities: Vec<f64>,
    },
    /// The regression outputs (one for the models `train` makes).
    Value(Vec<f64>),
}

/// `v` as text, rounded to f32 first when `single` (exact for an f32 model's outputs).
fn text(v: f64, single: bool) -> String {
    if single { format(v as f32) } else { format(v) }
}

/// `v` as JSON, rounded to f32 first when `single`.
fn number(v: f64, single: bool) -> Value {
    if single {
        json_f32(v as f32)
    } else {
        json_f64(v)
    }
}

impl Prediction {
    /// The output line: `CLASS<TAB>P0<TAB>P1…` or the value(s).
    fn line(&self, single: bool) -> String {
        match self {
            Prediction::Class {
                class,
                probabilities,
            } => {
                let mut line = class.to_string();
                for p in probabilities {
                    line.push('\t');
                    line.push_str(&text(*p, single));
                }
                line
            }
            Prediction::Value(values) => values
                .iter()
                .map(|&v| text(v, single))
                .collect::<Vec<_>>()
                .join("\t"),
        }
    }

    fn json(&self, single: bool) -> Value {
        match self {
            Prediction::Class {
                class,
                probabilities,
            } => json!({
                "class": class,
                "probabilities": probabilities.iter().map(|&p| number(p, single)).collect::<Vec<_>>(),
            }),
            Prediction::Value(values) if values.len() == 1 => {
                json!({"value": number(values[0], single)})
            }
            Prediction::Value(values) => {
                json!({"value": values.iter().map(|&v| number(v, single)).collect::<Vec<_>>()})
            }
        }
    }
}

/// Runs `model` on `features` (evaluation mode) in batches and reads the outputs as `card`
/// says.
fn predict<T: Scalar>(model: &mut Mlp<T>, card: &ModelCard, features: &[f32]) -> Vec<Prediction> {
    const BATCH: usize = 1024;
    let (inputs, width) = (model.inputs(), model.outputs());
    let mut predictions = Vec::with_capacity(features.len() / inputs);
    let mut x: Vec<T> = Vec::with_capacity(BATCH * inputs);
    let mut classes = vec![0usize; BATCH];
    for chunk in features.chunks(BATCH * inputs) {
        x.clear();
        x.extend(
            chunk
                .iter()
                .map(|&v| <T as act::Real>::from_f64(f64::from(v))),
        );
        let outputs = model.forward(&x, Mode::Eval); // (rows, width)
        let rows = outputs.len() / width;
        if card.n_classes.is_none() {
            predictions.extend(outputs.chunks_exact(width).map(|row| {
                Prediction::Value(row.iter().map(|&v| <T as act::Real>::to_f64(v)).collect())
            }));
            continue;
        }
        card.loss.predict_into(outputs, width, &mut classes[..rows]);
        for (row, &class) in outputs.chunks_exact(width).zip(&classes) {
            let logits: Vec<f64> = row.iter().map(|&v| <T as act::Real>::to_f64(v)).collect();
            predictions.push(Prediction::Class {
                class,
                probabilities: probabilities(card.loss, &logits),
            });
        }
    }
    predictions
}

/// The class probabilities of one row of outputs: softmax for softmax cross-entropy; for BCE,
/// [1 − σ(z), σ(z)] with one output, else σ of each; for MSE the outputs themselves.
fn probabilities(loss: Loss, logits: &[f64]) -> Vec<f64> {
    match loss {
        Loss::SoftmaxCrossEntropy => {
            let mut p = vec![0.0; logits.len()];
            if act::rowwise::softmax(logits, &mut p, logits.len()).is_err() {
                p.fill(f64::NAN);
            }
            p
        }
        Loss::BceWithLogits if logits.len() == 1 => {
            let p = act::Activation::Sigmoid.forward(logits[0]);
            vec![1.0 - p, p]
        }
        Loss::BceWithLogits => logits
            .iter()
            .map(|&z| act::Activation::Sigmoid.forward(z))
            .collect(),
        _ => logits.to_vec(),
    }
}

/// Accuracy or mean squared error of the predictions against the labels.
struct Report {
    accuracy: Option<f64>,
    correct: usize,
    mse: Option<f64>,
}

impl Report {
    fn new(predictions: &[Prediction], labels: Option<&Labels>, n_rows: usize) -> Report {
        let mut report = Report {
            accuracy: None,
            correct: 0,
            mse: None,
        };
        match labels {
            Some(Labels::Classes(classes)) => {
                report.correct = predictions
                    .iter()
                    .zip(classes)
                    .filter(|(p, c)| matches!(p, Prediction::Class { class, .. } if class == *c))
                    .count();
                report.accuracy = Some(report.correct as f64 / n_rows.max(1) as f64);
            }
            Some(Labels::Values(values)) => {
                let sum: f64 = predictions
                    .iter()
                    .zip(values)
                    .map(|(p, &t)| match p {
                        Prediction::Value(v) => (v[0] - f64::from(t)).powi(2),
                        Prediction::Class { .. } => f64::NAN,
                    })
                    .sum();
                report.mse = Some(sum / n_rows.max(1) as f64);
            }
            None => {}
        }
        report
    }
}
