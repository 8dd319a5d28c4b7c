//! The whole guide: every experiment in reading order, gathered into a [`Report`].
//!
//! `actlab guide` calls [`run`] and writes the report with
//! [`write_report`](crate::report::write_report). The default run takes well under the 3-minute
//! budget on 2 cores and `quick` under 30 seconds (see `docs/REPORT_JSON.md` for the timings
//! and every field).

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::experiments::{
    LabError, born_dead, collapse, compare, dying, functions, init_signal, learning_rate,
    softmax_grad, vanishing,
};
use crate::report::{Outcome, Report};

/// The experiments, in the report's reading order, as `actlab experiment` names them.
pub const EXPERIMENTS: [&str; 9] = [
    "functions",
    "collapse",
    "vanishing",
    "dying",
    "born-dead",
    "init-signal",
    "learning-rate",
    "softmax-grad",
    "compare",
];

/// The real datasets the comparison uses when it finds them (scikit-learn's copies of the UCI
/// sets; the project ships none): file name, and whether a quick run uses it too.
pub const REAL_DATA: [(&str, bool); 4] = [
    ("breast_cancer.csv", true),
    ("wine_data.csv", false),
    ("iris.csv", false),
    ("digits.csv.gz", false),
];

/// Options of the whole guide.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The seed every experiment draws from.
    pub seed: u64,
    /// The quick run (fewer epochs, seeds and points).
    pub quick: bool,
    /// Where to look for real data (the files of [`REAL_DATA`]); `None`: none.
    pub data_dir: Option<PathBuf>,
}

/// What [`run`] reports as it goes.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress<'a> {
    /// Experiment `index` (of `total`) starts.
    Start {
        /// Its name.
        name: &'a str,
        /// From 0.
        index: usize,
        /// How many there are.
        total: usize,
    },
    /// A step inside an experiment (the comparison's dataset and activation).
    Detail(&'a str),
    /// An experiment finished.
    Done {
        /// Its name.
        name: &'a str,
        /// Wall time, in seconds.
        seconds: f64,
        /// Whether its measurement supports the guide's claim.
        holds: bool,
    },
}

/// Runs one experiment by name with the guide's default options for it.
///
/// # Errors
///
/// [`LabError::Option`] for an unknown name; any experiment's own error.
pub fn run_experiment(
    name: &str,
    options: &Options,
    mut detail: impl FnMut(&str),
) -> Result<Outcome, LabError> {
    let (seed, quick) = (options.seed, options.quick);
    match name {
        "functions" => Ok(functions::run(&functions::Options { seed, quick })),
        "collapse" => collapse::run(&collapse::Options {
            seed,
            quick,
            ..Default::default()
        }),
        "vanishing" => vanishing::run(&vanishing::Options {
            seed,
            quick,
            ..Default::default()
        }),
        "dying" => dying::run(&dying::Options {
            seed,
            quick,
            ..Default::default()
        }),
        "born-dead" => born_dead::run(&born_dead::Options {
            seed,
            quick,
            trials: if quick { 300 } else { 1000 },
            ..Default::default()
        }),
        "init-signal" => init_signal::run(&init_signal::Options {
            seed,
            ..Default::default()
        }),
        "learning-rate" => learning_rate::run(&learning_rate::Options { seed, quick }),
        "softmax-grad" => Ok(softmax_grad::run(&softmax_grad::Options { seed })),
        "compare" => {
            let mut extra = Vec::new();
            if let Some(dir) = &options.data_dir {
                for (file, in_quick) in REAL_DATA {
                    if quick && !in_quick {
                        continue;
                    }
                    let path = dir.join(file);
                    if path.is_file() {
                        detail(&format!("loading {}", path.display()));
                        let data = load_real(&path)?;
                        extra.push(compare::split_case(file, &data, seed)?);
                    }
                }
            }
            let compare_options = compare::Options {
                seed,
                seeds: if quick { 1 } else { 3 },
                epochs: if quick { 20 } else { 60 },
                acts: if quick {
                    ["sigmoid", "tanh", "relu", "gelu", "silu"]
                        .iter()
                        .filter_map(|n| act::Activation::from_name(n).ok())
                        .collect()
                } else {
                    compare::Options::default().acts
                },
                ..compare::Options::default()
            };
            compare::run(&compare_options, quick, extra, detail)
        }
        other => Err(LabError::Option(format!(
            "unknown experiment {other:?}; the experiments are: {}",
            EXPERIMENTS.join(", ")
        ))),
    }
}

/// Loads one of the real datasets.
fn load_real(path: &Path) -> Result<nn::data::Dataset, LabError> {
    nn::data::load_csv(path, &nn::data::CsvOptions::default())
        .map_err(|e| LabError::Data(format!("{}: {e}", path.display())))
}

/// Runs every experiment in [`EXPERIMENTS`] order and gathers the report.
///
/// # Errors
///
/// The first experiment's error, if any fails to run (a claim that does not hold is not an
/// error: its outcome says so).
pub fn run(options: &Options, mut progress: impl FnMut(Progress<'_>)) -> Result<Report, LabError> {
    let mut outcomes = Vec::new();
    let total = EXPERIMENTS.len();
    for (index, name) in EXPERIMENTS.iter().enumerate() {
        progress(Progress::Start { name, index, total });
        let started = Instant::now();
        let mut outcome = run_experiment(name, options, |d| progress(Progress::Detail(d)))?;
        let seconds = started.elapsed().as_secs_f64();
        if let serde_json::Value::Object(map) = &mut outcome.data {
            map.insert("seconds".into(), serde_json::json!(seconds));
        }
        progress(Progress::Done {
            name,
            seconds,
            holds: outcome.holds,
        });
        outcomes.push(outcome);
    }
    let real = options
        .data_dir
        .as_ref()
        .map(|dir| {
            REAL_DATA
                .iter()
                .filter(|(f, q)| (*q || !options.quick) && dir.join(f).is_file())
                .map(|(f, _)| *f)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let intro = format!(
        "Each section takes one claim of the guide to activation functions, runs it on a real \
         network with actlab's exact activations and training engine, and shows what was \
         measured beside what the guide says. Everything ran on built-in data generated from \
         seed {}{}.\n\nRun a single experiment with `actlab experiment NAME --json`; compare \
         activations on your own data with `actlab advise --data FILE.csv`.",
        options.seed,
        if real.is_empty() {
            String::from(
                " (no real datasets were found, so the comparison uses only the built-in sets; point --data-dir at scikit-learn's CSV files to add them)",
            )
        } else {
            format!(", plus the real datasets {}", real.join(", "))
        }
    );
    Ok(Report::new(
        "Activation functions, measured",
        intro,
        options.seed,
        options.quick,
        outcomes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_experiment_lists_the_names() {
        let err = run_experiment("nope", &Options::default(), |_| {}).unwrap_err();
        assert!(err.to_string().contains("born-dead"), "{err}");
    }
}
