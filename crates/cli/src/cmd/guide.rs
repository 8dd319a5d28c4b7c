//! `actlab guide`: every claim of the guide reproduced on a real network, written as a report.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use lab::guide::{self, Progress};

use crate::cmd::usage;

/// Runs the guide: the function facts, linear collapse, vanishing gradients, dying ReLU and
/// born-dead networks, initialisation, learning rates, the softmax gradient and the comparison
/// of activations, each measured on built-in data, and writes the report into `--out`:
/// `index.html` (self-contained, figures inline), `report.json` (every number, documented in
/// docs/REPORT_JSON.md) and `figures/*.svg`.
///
/// Exit status 1 if an experiment's measurement does not support the guide's claim.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where to write the report (created if missing; files are replaced atomically).
    #[arg(long, default_value = "actlab-report")]
    pub out: PathBuf,
    /// The quick run: fewer epochs, seeds and points (under 30 s on 2 cores).
    #[arg(long)]
    pub quick: bool,
    /// The seed of every experiment.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Also print report.json on stdout (instead of the text summary).
    #[arg(long)]
    pub json: bool,
    /// A directory holding scikit-learn's `breast_cancer.csv`, `wine_data.csv`, `iris.csv`,
    /// `digits.csv.gz`
    /// (real data for the comparison). Default: $ACTLAB_DATA, else `../shared/data` if it
    /// exists; without one the comparison uses the built-in sets only.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

/// The real-data directory: the flag, $ACTLAB_DATA, or `../shared/data` when present.
fn data_dir(args: &Args) -> anyhow::Result<Option<PathBuf>> {
    if let Some(dir) = &args.data_dir {
        if !dir.is_dir() {
            return Err(usage(format!(
                "--data-dir {}: not a directory",
                dir.display()
            )));
        }
        return Ok(Some(dir.clone()));
    }
    if let Some(dir) = std::env::var_os("ACTLAB_DATA") {
        let dir = PathBuf::from(dir);
        if !dir.is_dir() {
            return Err(usage(format!(
                "ACTLAB_DATA={}: not a directory",
                dir.display()
            )));
        }
        return Ok(Some(dir));
    }
    let fallback = PathBuf::from("../shared/data");
    Ok(fallback.is_dir().then_some(fallback))
}

/// Runs `actlab guide`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let options = guide::Options {
        seed: args.seed,
        quick: args.quick,
        data_dir: data_dir(args)?,
    };
    let bar = crate::cmd::guide_progress(guide::EXPERIMENTS.len() as u64);
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut report = guide::run(&options, |p| match p {
        Progress::Start { name, .. } => {
            current = name.to_string();
            bar.set_message(name.to_string());
        }
        Progress::Detail(d) => bar.set_message(format!("{current}: {d}")),
        Progress::Done {
            name,
            seconds,
            holds,
        } => {
            bar.inc(1);
            let mark = if holds { "holds" } else { "DOES NOT HOLD" };
            lines.push(format!("{name:<14} {seconds:>6.1} s  {mark}"));
        }
    })
    .context("running the guide's experiments")?;
    bar.finish_and_clear();
    report.command = command_line(args);
    let written = lab::report::write_report(&args.out, &report)
        .with_context(|| format!("writing the report into {}", args.out.display()))?;
    let all_hold = report.outcomes.iter().all(|o| o.holds);

    let mut text = String::new();
    if args.json {
        text = serde_json::to_string_pretty(&lab::report::to_json(&report))?;
        text.push('\n');
    } else {
        text.push_str("The guide to activation functions, measured:\n\n");
        for outcome in &report.outcomes {
            let mark = if outcome.holds {
                "holds"
            } else {
                "DOES NOT HOLD"
            };
            text.push_str(&format!("[{mark}] {}\n", outcome.title));
            text.push_str(&wrap(&outcome.measured, 8));
            text.push('\n');
        }
        text.push_str("\nTimings:\n");
        for line in &lines {
            text.push_str(&format!("  {line}\n"));
        }
        let held = report.outcomes.iter().filter(|o| o.holds).count();
        text.push_str(&format!(
            "\n{held} of {} experiments support the guide's claims.\nReport: {} ({} files; \
             open it in any browser)\n",
            report.outcomes.len(),
            args.out.join("index.html").display(),
            written.paths().count()
        ));
    }
    super::print_stdout(&text)?;
    Ok(if all_hold {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The command that reproduces this report, for its footer.
fn command_line(args: &Args) -> String {
    let mut cmd = String::from("actlab guide");
    if args.quick {
        cmd.push_str(" --quick");
    }
    if args.seed != 0 {
        cmd.push_str(&format!(" --seed {}", args.seed));
    }
    if args.out != std::path::Path::new("actlab-report") {
        cmd.push_str(&format!(" --out {}", args.out.display()));
    }
    cmd
}

/// Wraps `text` at about 96 columns, every line indented by `indent` spaces.
pub fn wrap(text: &str, indent: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + word.chars().count() + 1 > 96 - indent {
            out.push_str(&" ".repeat(indent));
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&" ".repeat(indent));
        out.push_str(&line);
        out.push('\n');
    }
    out
}
