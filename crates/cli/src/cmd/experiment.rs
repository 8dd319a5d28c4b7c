//! `actlab experiment NAME`: one of the guide's experiments on its own, its JSON on stdout.

use std::path::PathBuf;
use std::process::ExitCode;

use act::Activation;
use anyhow::Context;
use lab::experiments::{
    born_dead, collapse, compare, dying, functions, init_signal, learning_rate, softmax_grad,
    vanishing,
};
use lab::report::{Outcome, Report};
use nn::init::Init;
use serde_json::Value;

use crate::cmd::usage;

/// Runs one experiment of the guide: functions, collapse, vanishing, dying, born-dead,
/// init-signal, learning-rate, softmax-grad or compare.
///
/// Options apply where the experiment has them (an option it does not take is an error that
/// lists the ones it does):
///
/// - collapse: --depth --seed --quick
/// - vanishing: --act --depth --width --init --seed --quick
/// - dying: --act --depth --width --seed --quick
/// - born-dead: --width --depth --trials --seed
/// - init-signal: --act --init --depth --width --seed
/// - compare: --act --layers --seeds --epochs --seed --quick
/// - functions, learning-rate, softmax-grad: --seed (functions, learning-rate: --quick)
///
/// The JSON fields of each are documented in docs/REPORT_JSON.md.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The experiment.
    pub name: String,
    /// Activations, comma-separated or repeated (`--act sigmoid,relu`).
    #[arg(long, value_delimiter = ',')]
    pub act: Vec<String>,
    /// Hidden layers.
    #[arg(long)]
    pub depth: Option<usize>,
    /// Units per hidden layer.
    #[arg(long)]
    pub width: Option<usize>,
    /// The weight initialiser: xavier, he, lecun, standard, playground, orthogonal, …
    #[arg(long)]
    pub init: Option<String>,
    /// Monte Carlo trials (born-dead).
    #[arg(long)]
    pub trials: Option<usize>,
    /// Hidden widths for compare (`--layers 32,32`).
    #[arg(long, value_delimiter = ',')]
    pub layers: Vec<usize>,
    /// Training runs per activation (compare).
    #[arg(long)]
    pub seeds: Option<usize>,
    /// Epochs per run (compare).
    #[arg(long)]
    pub epochs: Option<usize>,
    /// The seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The quick version (fewer epochs or points).
    #[arg(long)]
    pub quick: bool,
    /// Print the experiment's JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Also write a one-section report (index.html, report.json, figures) into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// The options each experiment takes, for the "does not take" message.
fn accepted(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "collapse" => &["depth", "seed", "quick"],
        "vanishing" => &["act", "depth", "width", "init", "seed", "quick"],
        "dying" => &["act", "depth", "width", "seed", "quick"],
        "born-dead" => &["width", "depth", "trials", "seed"],
        "init-signal" => &["act", "init", "depth", "width", "seed"],
        "compare" => &["act", "layers", "seeds", "epochs", "seed", "quick"],
        "functions" | "learning-rate" => &["seed", "quick"],
        "softmax-grad" => &["seed"],
        _ => return None,
    })
}

fn check_options(args: &Args) -> anyhow::Result<()> {
    let Some(allowed) = accepted(&args.name) else {
        return Err(usage(format!(
            "unknown experiment {:?}; the experiments are: {}",
            args.name,
            lab::guide::EXPERIMENTS.join(", ")
        )));
    };
    let given = [
        ("act", !args.act.is_empty()),
        ("depth", args.depth.is_some()),
        ("width", args.width.is_some()),
        ("init", args.init.is_some()),
        ("trials", args.trials.is_some()),
        ("layers", !args.layers.is_empty()),
        ("seeds", args.seeds.is_some()),
        ("epochs", args.epochs.is_some()),
        ("quick", args.quick),
    ];
    for (option, present) in given {
        if present && !allowed.contains(&option) {
            return Err(usage(format!(
                "experiment {} takes no --{option} (its options: {})",
                args.name,
                allowed
                    .iter()
                    .map(|o| format!("--{o}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            )));
        }
    }
    Ok(())
}

/// Parses `--act` names (with `Activation::from_name`'s message for an unknown one).
fn activations(names: &[String]) -> anyhow::Result<Vec<Activation>> {
    names
        .iter()
        .map(|n| Activation::from_name(n.trim()).map_err(|e| usage(format!("--act {n}: {e}"))))
        .collect()
}

fn init(name: &Option<String>) -> anyhow::Result<Option<Init>> {
    name.as_deref()
        .map(|n| {
            Init::from_name(n).ok_or_else(|| {
                usage(format!(
                    "--init {n}: unknown initialiser; the initialisers are: {}",
                    Init::NAMES.join(", ")
                ))
            })
        })
        .transpose()
}

fn one_act(acts: &[Activation], name: &str) -> anyhow::Result<Option<Activation>> {
    match acts {
        [] => Ok(None),
        [a] => Ok(Some(*a)),
        _ => Err(usage(format!("experiment {name} takes one --act"))),
    }
}

/// Runs the named experiment with the options given.
fn outcome(args: &Args) -> anyhow::Result<Outcome> {
    let acts = activations(&args.act)?;
    let init = init(&args.init)?;
    let (seed, quick) = (args.seed, args.quick);
    let lab_error = |e: lab::experiments::LabError| match e {
        lab::experiments::LabError::Option(m) => usage(format!("experiment {}: {m}", args.name)),
        other => anyhow::Error::new(other),
    };
    let outcome = match args.name.as_str() {
        "collapse" => {
            let d = collapse::Options::default();
            collapse::run(&collapse::Options {
                depth: args.depth.unwrap_or(d.depth),
                seed,
                quick,
            })
        }
        "vanishing" => {
            let d = vanishing::Options::default();
            vanishing::run(&vanishing::Options {
                acts: if acts.is_empty() { d.acts } else { acts },
                depth: args.depth.unwrap_or(d.depth),
                width: args.width.unwrap_or(d.width),
                init,
                seed,
                quick,
            })
        }
        "dying" => {
            let d = dying::Options::default();
            dying::run(&dying::Options {
                acts: if acts.is_empty() {
                    d.acts.clone()
                } else {
                    acts
                },
                depth: args.depth.unwrap_or(d.depth),
                width: args.width.unwrap_or(d.width),
                seed,
                quick,
                ..d
            })
        }
        "born-dead" => {
            let d = born_dead::Options::default();
            born_dead::run(&born_dead::Options {
                width: args.width.unwrap_or(d.width),
                depth: args.depth.unwrap_or(d.depth),
                trials: args.trials.unwrap_or(d.trials),
                seed,
                quick: true,
            })
        }
        "init-signal" => {
            let d = init_signal::Options::default();
            let pairs = match (one_act(&acts, "init-signal")?, init) {
                (None, None) => d.pairs,
                (a, i) => {
                    let a = a.unwrap_or(Activation::Relu);
                    vec![(a, i.unwrap_or_else(|| nn::init::recommended(&a)))]
                }
            };
            init_signal::run(&init_signal::Options {
                pairs,
                depth: args.depth.unwrap_or(d.depth),
                width: args.width.unwrap_or(d.width),
                seed,
                ..d
            })
        }
        "compare" => {
            let d = compare::Options::default();
            compare::run(
                &compare::Options {
                    acts: if acts.is_empty() {
                        d.acts.clone()
                    } else {
                        acts
                    },
                    layers: if args.layers.is_empty() {
                        d.layers.clone()
                    } else {
                        args.layers.clone()
                    },
                    seeds: args.seeds.unwrap_or(if quick { 1 } else { d.seeds }),
                    epochs: args.epochs.unwrap_or(if quick { 20 } else { d.epochs }),
                    seed,
                    ..d
                },
                quick,
                Vec::new(),
                |_| {},
            )
        }
        "functions" => Ok(functions::run(&functions::Options { seed, quick })),
        "learning-rate" => learning_rate::run(&learning_rate::Options { seed, quick }),
        "softmax-grad" => Ok(softmax_grad::run(&softmax_grad::Options { seed })),
        other => unreachable!("checked by check_options: {other}"),
    };
    outcome.map_err(lab_error)
}

/// The JSON printed for an outcome: its data with `experiment`, `holds`, `claim`, `measured`
/// and `shows` added.
pub fn outcome_json(outcome: &Outcome) -> Value {
    let mut data = outcome.data.clone();
    if let Value::Object(map) = &mut data {
        map.insert("experiment".into(), Value::from(outcome.name.clone()));
        map.insert("holds".into(), Value::from(outcome.holds));
        map.insert("claim".into(), Value::from(outcome.claim.clone()));
        map.insert("measured".into(), Value::from(outcome.measured.clone()));
        map.insert("shows".into(), Value::from(outcome.shows.clone()));
    }
    data
}

/// Runs `actlab experiment`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    check_options(args)?;
    let outcome = outcome(args)?;
    if let Some(dir) = &args.out {
        let mut report = Report::new(
            outcome.title.clone(),
            String::new(),
            args.seed,
            args.quick,
            vec![outcome.clone()],
        );
        report.command = format!("actlab experiment {} --seed {}", args.name, args.seed);
        lab::report::write_report(dir, &report)
            .with_context(|| format!("writing the report into {}", dir.display()))?;
    }
    let text = if args.json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&outcome_json(&outcome))?
        )
    } else {
        let mark = if outcome.holds {
            "holds"
        } else {
            "DOES NOT HOLD"
        };
        let mut t = format!(
            "{} [{mark}]\n\nThe guide: {}\n\n",
            outcome.title, outcome.claim
        );
        t.push_str(&format!(
            "Measured:\n{}\n",
            super::guide::wrap(&outcome.measured, 2)
        ));
        t.push_str(&format!(
            "What it shows:\n{}\n",
            super::guide::wrap(&outcome.shows, 2)
        ));
        if args.out.is_none() {
            t.push_str("(--json for every number, --out DIR for the figures)\n");
        }
        t
    };
    super::print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
