//! What `--data` names, for `train` and `predict`: a built-in generated set, a CSV file or an
//! IDX (MNIST-style) directory.

use std::path::{Path, PathBuf};

use anyhow::Context;
use nn::data::{self, CsvOptions, Dataset, LabelColumn};
use nn::rng::Rng;

use crate::cmd::usage;

/// The most rows a built-in set may be asked for (`--samples`).
pub const MAX_SAMPLES: usize = 10_000_000;

/// Where the rows come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A generated set of [`nn::data::NAMES`], lowercased.
    Builtin(String),
    /// A CSV file (plain or gzip).
    Csv(PathBuf),
    /// A directory of `train-*`/`t10k-*` IDX files.
    Idx(PathBuf),
}

impl Source {
    /// Reads `--data`: a built-in name (case-insensitive), else an existing directory (IDX),
    /// else an existing file (CSV). Anything else is a usage error listing the names.
    pub fn parse(spec: &str) -> anyhow::Result<Source> {
        let lower = spec.to_ascii_lowercase();
        if data::NAMES.contains(&lower.as_str()) {
            return Ok(Source::Builtin(lower));
        }
        let path = Path::new(spec);
        if path.is_dir() {
            Ok(Source::Idx(path.to_owned()))
        } else if path.is_file() {
            Ok(Source::Csv(path.to_owned()))
        } else {
            Err(usage(format!(
                "--data {spec:?} is neither a built-in dataset ({}) nor an existing CSV file or \
                 IDX directory",
                data::NAMES.join(", ")
            )))
        }
    }

    /// A short description for summaries and the model card: the name or the path.
    pub fn describe(&self) -> String {
        match self {
            Source::Builtin(name) => name.clone(),
            Source::Csv(path) | Source::Idx(path) => path.display().to_string(),
        }
    }
}

/// `--target COL`: a column name, or a 0-based index (negative from the end).
pub fn label_column(target: Option<&str>) -> LabelColumn {
    match target {
        None => LabelColumn::Last,
        Some(text) => match text.parse::<isize>() {
            Ok(index) => LabelColumn::Index(index),
            Err(_) => LabelColumn::Name(text.to_owned()),
        },
    }
}

/// Generates built-in set `name`: `samples` rows with `noise`, from `rng`.
pub fn generate(name: &str, samples: usize, noise: f64, rng: &mut Rng) -> anyhow::Result<Dataset> {
    if samples == 0 || samples > MAX_SAMPLES {
        return Err(usage(format!(
            "--samples {samples} is not in 1..={MAX_SAMPLES}"
        )));
    }
    data::by_name(name, samples, noise as f32, rng).map_err(|e| usage(e.to_string()))
}

/// Loads a labelled CSV file. A file that cannot be read is a runtime error (exit 1); one that
/// reads but is not a valid table (a bad token, a missing label column) is an input error
/// (exit 2), as for `eval`'s malformed numbers.
pub fn load_csv(path: &Path, target: Option<&str>) -> anyhow::Result<Dataset> {
    let options = CsvOptions {
        label: label_column(target),
        ..CsvOptions::default()
    };
    data::load_csv(path, &options).map_err(|e| match e {
        data::CsvError::NotFound { .. } | data::CsvError::Io { .. } => {
            anyhow::Error::new(e).context("reading the data")
        }
        other => usage(other.to_string()),
    })
}

/// Loads the training and test sets of an IDX directory.
pub fn load_idx(dir: &Path) -> anyhow::Result<data::IdxSplits> {
    data::load_idx_dir(dir).with_context(|| format!("loading IDX files from {}", dir.display()))
}
