//! The report: every experiment's outcome written as a self-contained `index.html` (figures
//! inline as SVG), `report.json` with every number, and an SVG and a PNG file per figure
//! ([`write_report`]).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::figure::{Figure, FigureError, render_png, render_svg};

/// A small table in a report section (the properties table, a ranking).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Table {
    /// Column headers.
    pub header: Vec<String>,
    /// Rows of cells, each as long as `header`.
    pub rows: Vec<Vec<String>>,
}

/// What one experiment found, ready for the report and for `actlab experiment NAME --json`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Outcome {
    /// The experiment's name as the CLI spells it (`vanishing`, `born-dead`).
    pub name: String,
    /// The section title.
    pub title: String,
    /// What the guide claims, in one or two plain sentences.
    pub claim: String,
    /// What was measured, with the numbers.
    pub measured: String,
    /// What the measurement shows.
    pub shows: String,
    /// Whether the measurement supports the guide's claim (the conclusion tests check it).
    pub holds: bool,
    /// Every number, as documented in `docs/REPORT_JSON.md`.
    pub data: serde_json::Value,
    /// The figures, in reading order.
    pub figures: Vec<Figure>,
    /// Tables, in reading order.
    pub tables: Vec<Table>,
}

/// The whole report: the experiments' outcomes and what is needed to reproduce them.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The page title.
    pub title: String,
    /// The introduction above the table of contents; blank lines separate paragraphs.
    pub intro: String,
    /// The seed every experiment drew its randomness from.
    pub seed: u64,
    /// Whether the experiments ran in quick mode (fewer steps and seeds).
    pub quick: bool,
    /// The actlab version that made the report.
    pub version: String,
    /// The command that reproduces the report, shown in the footer (`actlab guide --seed 7`).
    pub command: String,
    /// The experiments' outcomes, in reading order.
    pub outcomes: Vec<Outcome>,
}

impl Report {
    /// A report of `outcomes` made with this crate's version and the command `actlab guide`;
    /// set [`command`](Report::command) to the exact command line where it had options.
    pub fn new(
        title: impl Into<String>,
        intro: impl Into<String>,
        seed: u64,
        quick: bool,
        outcomes: Vec<Outcome>,
    ) -> Report {
        Report {
            title: title.into(),
            intro: intro.into(),
            seed,
            quick,
            version: env!("CARGO_PKG_VERSION").to_string(),
            command: "actlab guide".to_string(),
            outcomes,
        }
    }
}

/// The files [`write_report`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// `DIR/index.html`.
    pub index_html: PathBuf,
    /// `DIR/report.json`.
    pub report_json: PathBuf,
    /// `DIR/figures/ID.svg` and `DIR/figures/ID.png`, figure by figure in reading order.
    pub figures: Vec<PathBuf>,
}

impl Written {
    /// Every path written: the figures, then `report.json`, then `index.html`.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.figures
            .iter()
            .chain([&self.report_json, &self.index_html])
            .map(PathBuf::as_path)
    }
}

/// Why a report could not be written. Every variant names the path or figure at fault.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReportError {
    /// The output path exists and is not a directory.
    NotADirectory {
        /// The output path.
        path: PathBuf,
    },
    /// A directory could not be created.
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// A file could not be written (or its temporary file renamed into place).
    Write {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// A figure could not be rendered.
    Figure {
        /// The outcome the figure belongs to.
        outcome: String,
        /// The renderer's error, which names the figure.
        source: FigureError,
    },
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::NotADirectory { path } => write!(
                f,
                "cannot write the report into {}: it exists and is not a directory",
                path.display()
            ),
            ReportError::CreateDir { path, source } => {
                write!(f, "cannot create directory {}: {source}", path.display())
            }
            ReportError::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            ReportError::Figure { outcome, source } => {
                write!(f, "in experiment {outcome:?}: {source}")
            }
        }
    }
}

impl std::error::Error for ReportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReportError::NotADirectory { .. } => None,
            ReportError::CreateDir { source, .. } | ReportError::Write { source, .. } => {
                Some(source)
            }
            ReportError::Figure { source, .. } => Some(source),
        }
    }
}

/// `id` made safe as a file name and URL fragment: ASCII letters, digits, `-` and `_` kept,
/// anything else `-`; `figure` if nothing is left.
fn safe_file_stem(id: &str) -> String {
    let stem: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem.trim_matches('-');
    if stem.is_empty() {
        "figure".to_string()
    } else {
        stem.to_string()
    }
}

/// Each figure's unique id in the report (its file stem), outcome by outcome.
///
/// An id that more than one figure has is prefixed with its outcome's name
/// (`vanishing-grad-norms`); any collision left gets `-2`, `-3`, … in reading order.
pub(crate) fn figure_ids(report: &Report) -> Vec<Vec<String>> {
    let mut count: HashMap<String, usize> = HashMap::new();
    for outcome in &report.outcomes {
        for figure in &outcome.figures {
            *count.entry(safe_file_stem(&figure.id)).or_default() += 1;
        }
    }
    let mut taken: HashSet<String> = HashSet::new();
    report
        .outcomes
        .iter()
        .map(|outcome| {
            outcome
                .figures
                .iter()
                .map(|figure| {
                    let stem = safe_file_stem(&figure.id);
                    let base = if count[&stem] > 1 {
                        safe_file_stem(&format!("{}-{stem}", outcome.name))
                    } else {
                        stem
                    };
                    let mut id = base.clone();
                    let mut suffix = 2;
                    while !taken.insert(id.clone()) {
                        id = format!("{base}-{suffix}");
                        suffix += 1;
                    }
                    id
                })
                .collect()
        })
        .collect()
}

/// Each outcome's key in `report.json`'s `experiments`: its name, with `-2`, `-3`, … for a
/// name already used.
pub(crate) fn experiment_keys(report: &Report) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    report
        .outcomes
        .iter()
        .map(|outcome| {
            let mut key = outcome.name.clone();
            let mut suffix = 2;
            while !taken.insert(key.clone()) {
                key = format!("{}-{suffix}", outcome.name);
                suffix += 1;
            }
            key
        })
        .collect()
}

/// The report as `report.json` holds it.
///
/// Fields:
///
/// - `actlab_version` (string): the version that made the report;
/// - `title`, `intro` (strings): as on the page;
/// - `command` (string), `seed` (integer), `quick` (bool): how to reproduce it;
/// - `summary`: `{"experiments": N, "holding": K}`, how many claims the measurements support;
/// - `order` (array of strings): the experiments' keys in reading order;
/// - `experiments` (object): per key (the experiment's name; `-2`, `-3`, … appended to a
///   repeated name) an object with `title`, `claim`, `measured`, `shows` (strings), `holds`
///   (bool), `data` (the experiment's numbers, documented in `docs/REPORT_JSON.md`), `figures`
///   (array of the figures' unique ids: the files are `figures/ID.svg` and `figures/ID.png`)
///   and `tables` (array of `{"header": [...], "rows": [[...], ...]}`).
///
/// ```
/// use lab::report::{to_json, Report};
/// let json = to_json(&Report::new("Guide", "", 7, true, vec![]));
/// assert_eq!(json["seed"], 7);
/// assert_eq!(json["quick"], true);
/// assert!(json["experiments"].as_object().unwrap().is_empty());
/// ```
pub fn to_json(report: &Report) -> serde_json::Value {
    let ids = figure_ids(report);
    let keys = experiment_keys(report);
    let experiments: serde_json::Map<String, serde_json::Value> = report
        .outcomes
        .iter()
        .zip(&ids)
        .zip(&keys)
        .map(|((outcome, ids), key)| {
            (
                key.clone(),
                serde_json::json!({
                    "title": outcome.title,
                    "claim": outcome.claim,
                    "measured": outcome.measured,
                    "shows": outcome.shows,
                    "holds": outcome.holds,
                    "data": outcome.data,
                    "figures": ids,
                    "tables": outcome.tables,
                }),
            )
        })
        .collect();
    serde_json::json!({
        "actlab_version": report.version,
        "title": report.title,
        "intro": report.intro,
        "command": report.command,
        "seed": report.seed,
        "quick": report.quick,
        "summary": {
            "experiments": report.outcomes.len(),
            "holding": report.outcomes.iter().filter(|o| o.holds).count(),
        },
        "order": keys,
        "experiments": experiments,
    })
}

/// Writes the report into `dir`, creating it (and its parents) if needed:
///
/// - `figures/ID.svg` and `figures/ID.png` for every figure (ids made unique as described in
///   [`to_json`]);
/// - `report.json`, [`to_json`] pretty-printed;
/// - `index.html`, readable offline in any browser without scripts: inline CSS, a table of
///   contents, then per experiment its title, a verdict badge, what the guide claims, what was
///   measured and what that shows, the figures inline as SVG with captions, and the tables;
///   a footer with the version, command and seed. All text is HTML-escaped.
///
/// Each file is written to a temporary file in the same directory and renamed over the old
/// one, so a reader (or a crash) never sees a half-written file; `index.html` comes last.
/// Files of earlier runs that this run does not write (figures since removed) are left alone.
///
/// # Errors
///
/// [`ReportError::NotADirectory`] if `dir` is an existing file, [`ReportError::CreateDir`]
/// and [`ReportError::Write`] with the path at fault, [`ReportError::Figure`] if a figure
/// cannot be rendered (before anything is written).
pub fn write_report(dir: &Path, report: &Report) -> Result<Written, ReportError> {
    let figures_dir = dir.join("figures");
    // Fail before the (slow) rendering when the output can't be a directory.
    for path in [dir, figures_dir.as_path()] {
        if path.exists() && !path.is_dir() {
            return Err(ReportError::NotADirectory {
                path: path.to_path_buf(),
            });
        }
    }
    let ids = figure_ids(report);
    // Render everything before touching the disk: a renderer error leaves the old report whole.
    let mut svgs: Vec<Vec<String>> = Vec::with_capacity(report.outcomes.len());
    let mut pngs: Vec<Vec<u8>> = Vec::new();
    for outcome in &report.outcomes {
        let figure_error = |source| ReportError::Figure {
            outcome: outcome.name.clone(),
            source,
        };
        let mut outcome_svgs = Vec::with_capacity(outcome.figures.len());
        for figure in &outcome.figures {
            outcome_svgs.push(render_svg(figure).map_err(figure_error)?);
            pngs.push(render_png(figure).map_err(figure_error)?);
        }
        svgs.push(outcome_svgs);
    }

    for path in [dir, figures_dir.as_path()] {
        fs::create_dir_all(path).map_err(|source| ReportError::CreateDir {
            path: path.to_path_buf(),
            source,
        })?;
    }

    let mut figures = Vec::new();
    let mut png_iter = pngs.iter();
    for (outcome_ids, outcome_svgs) in ids.iter().zip(&svgs) {
        for (id, svg) in outcome_ids.iter().zip(outcome_svgs) {
            let svg_path = figures_dir.join(format!("{id}.svg"));
            write_atomic(&svg_path, svg.as_bytes())?;
            figures.push(svg_path);
            if let Some(png) = png_iter.next() {
                let png_path = figures_dir.join(format!("{id}.png"));
                write_atomic(&png_path, png)?;
                figures.push(png_path);
            }
        }
    }

    let report_json = dir.join("report.json");
    let mut json = serde_json::to_string_pretty(&to_json(report))
        .expect("a serde_json::Value always serialises");
    json.push('\n');
    write_atomic(&report_json, json.as_bytes())?;

    let index_html = dir.join("index.html");
    let html = crate::html::render_index(report, &ids, &svgs);
    write_atomic(&index_html, html.as_bytes())?;

    Ok(Written {
        index_html,
        report_json,
        figures,
    })
}

/// Writes `bytes` to `path` through a temporary file in the same directory, flushed to disk
/// and renamed over `path`: the rename is atomic, so `path` is always the old file or the
/// new one, never a mix.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};

    // Unique per process and call: two writers (threads or processes) never share a temp file.
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let write_error = |source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&temp, path));
    if let Err(source) = result {
        // Best effort: the temp file may not exist (open failed) or already be renamed.
        let _ = fs::remove_file(&temp);
        return Err(write_error(source));
    }
    Ok(())
}
