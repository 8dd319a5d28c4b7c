//! `actlab advise`: which activation for my data? The comparison run on the user's CSV.

use std::path::PathBuf;
use std::process::ExitCode;

use act::Activation;
use anyhow::Context;
use lab::experiments::compare;
use lab::report::Report;

use crate::cmd::{data, usage};

/// Trains the same network with each candidate activation (its recommended initialiser,
/// several seeds) on your data, ranks them, says which to use and why, and writes the report
/// (index.html, report.json, figures) into `--out`.
///
/// The data: a CSV file (plain or gzip; header detected; scikit-learn's format understood),
/// the target in the last column unless `--target` names it; classes when the target is text
/// or a few integers, regression otherwise. 75% trains, 25% tests (stratified for classes);
/// features are standardised with the training part's statistics.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The CSV file.
    #[arg(long)]
    pub data: PathBuf,
    /// The target column: a header name or a 0-based index (negative counts from the end).
    #[arg(long)]
    pub target: Option<String>,
    /// Hidden layer widths, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "16,16")]
    pub layers: Vec<usize>,
    /// The candidate activations, comma-separated (default: sigmoid, tanh, relu, leaky_relu,
    /// elu, selu, gelu, silu, mish).
    #[arg(long, value_delimiter = ',')]
    pub act: Vec<String>,
    /// Training runs per activation, each with its own seed.
    #[arg(long, default_value_t = 3)]
    pub seeds: usize,
    /// Epochs per run.
    #[arg(long, default_value_t = 60)]
    pub epochs: usize,
    /// Adam's learning rate.
    #[arg(long, default_value_t = 0.01)]
    pub lr: f64,
    /// The base seed (split, weights, shuffles).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where to write the report.
    #[arg(long, default_value = "actlab-advice")]
    pub out: PathBuf,
    /// Print the comparison's JSON on stdout instead of the ranking.
    #[arg(long)]
    pub json: bool,
}

/// Runs `actlab advise`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if !(args.lr.is_finite() && args.lr > 0.0) {
        return Err(usage(format!(
            "--lr {}: must be a positive number",
            args.lr
        )));
    }
    let acts = args
        .act
        .iter()
        .map(|n| Activation::from_name(n.trim()).map_err(|e| usage(format!("--act {n}: {e}"))))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let dataset = data::load_csv(&args.data, args.target.as_deref())
        .with_context(|| format!("reading {}", args.data.display()))?;
    let name = args.data.file_name().map_or_else(
        || args.data.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let defaults = compare::Options::default();
    let options = compare::Options {
        acts: if acts.is_empty() {
            defaults.acts.clone()
        } else {
            acts
        },
        layers: args.layers.clone(),
        seeds: args.seeds,
        epochs: args.epochs,
        lr: args.lr,
        seed: args.seed,
        ..defaults
    };
    let bar = crate::cmd::guide_progress(options.acts.len() as u64);
    let outcome = compare::advise(&name, &dataset, &options, |step| {
        bar.inc(1);
        bar.set_message(step.to_string());
    })
    .map_err(|e| match e {
        lab::experiments::LabError::Option(m) | lab::experiments::LabError::Data(m) => usage(m),
        other => anyhow::Error::new(other),
    })?;
    bar.finish_and_clear();
    let mut report = Report::new(
        outcome.title.clone(),
        format!(
            "{} rows of {} features from {}; {} activations, {} seed(s) each.",
            dataset.len(),
            dataset.n_features(),
            args.data.display(),
            options.acts.len(),
            options.seeds
        ),
        args.seed,
        false,
        vec![outcome.clone()],
    );
    report.command = format!("actlab advise --data {}", args.data.display());
    lab::report::write_report(&args.out, &report)
        .with_context(|| format!("writing the report into {}", args.out.display()))?;

    let text = if args.json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&super::experiment::outcome_json(&outcome))?
        )
    } else {
        let mut t = format!("{}\n\n", outcome.title);
        if let Some(table) = outcome.tables.first() {
            t.push_str(&text_table(&table.header, &table.rows));
        }
        t.push('\n');
        t.push_str(&super::guide::wrap(&outcome.shows, 0));
        t.push_str(&format!(
            "\nReport: {}\n",
            args.out.join("index.html").display()
        ));
        t
    };
    super::print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// An aligned text table.
fn text_table(header: &[String], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let width = |c: usize| {
        rows.iter()
            .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
            .chain([header[c].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..columns).map(width).collect();
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (c, w) in widths.iter().enumerate() {
            let cell = cells.get(c).map_or("", String::as_str);
            s.push_str(cell);
            s.push_str(&" ".repeat(w - cell.chars().count() + 2));
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header);
    for row in rows {
        out.push_str(&line(row));
    }
    out
}
