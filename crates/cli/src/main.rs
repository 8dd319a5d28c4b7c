//! `actlab`: the catalogue of exact activation functions on the command line.
//!
//! A thin binary over the `act` crate (the ripgrep shape): this file parses the arguments,
//! dispatches to one module per subcommand (`cmd/{guide,experiment,advise,list,show,eval,accuracy,train,predict,bench}.rs`) and turns the
//! outcome into an exit code:
//!
//! - 0: success, including a reader that closed our stdout early (`actlab list | head`);
//! - 1: a runtime failure (an unreadable file, a damaged model file, training that diverged), or
//!   `accuracy` found a result over its bound;
//! - 2: a usage or input error (clap's own, an unknown function, a bad `--param`, a malformed
//!   number on stdin, an `--outputs` file of the wrong size).

mod cmd;
mod number;
mod plot;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd::UsageError;

/// Exact activation functions: the catalogue, their plots, their values and their accuracy;
/// and networks trained with them (`train`, `predict`).
///
/// Every element-wise function is evaluated forward and backward in f32 or f64, within 1 ULP
/// (forward) and 2 ULP (derivative) of the exact value, which `actlab accuracy` measures.
///
/// Exit status: 0 on success, 1 on a runtime failure (including a damaged model file and
/// training that diverged) or when `accuracy` finds a result over its bound, 2 on a usage or
/// input error.
#[derive(Parser, Debug)]
#[command(name = "actlab", version, about, long_about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    Guide(cmd::guide::Args),
    List(cmd::list::Args),
    Show(cmd::show::Args),
    Eval(cmd::eval::Args),
    Accuracy(cmd::accuracy::Args),
    Train(cmd::train::Args),
    Predict(cmd::predict::Args),
    Experiment(cmd::experiment::Args),
    Advise(cmd::advise::Args),
    Serve(cmd::serve::Args),
    Bench(cmd::bench::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version come through here too, with exit code 0; usage errors exit 2.
            // A closed pipe while printing help is not worth reporting.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    let outcome = match cli.command {
        Command::Guide(args) => cmd::guide::run(&args),
        Command::List(args) => cmd::list::run(&args),
        Command::Show(args) => cmd::show::run(&args),
        Command::Eval(args) => cmd::eval::run(&args),
        Command::Accuracy(args) => cmd::accuracy::run(&args),
        Command::Train(args) => cmd::train::run(&args),
        Command::Predict(args) => cmd::predict::run(&args),
        Command::Experiment(args) => cmd::experiment::run(&args),
        Command::Advise(args) => cmd::advise::run(&args),
        Command::Serve(args) => cmd::serve::run(&args),
        Command::Bench(args) => cmd::bench::run(&args),
    };
    match outcome {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("actlab: {err:#}");
            if err.chain().any(|cause| cause.is::<UsageError>()) {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// Whether the error is a write to a reader that has gone away (`actlab list | head -1`): the
/// reader got what it wanted, so that is success, not an error to report.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
