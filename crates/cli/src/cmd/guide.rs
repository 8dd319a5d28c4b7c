//! `actlab guide`: the guide's claims, checked on the spot.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::json;

/// Runs the guide: every claim it makes about activation functions, measured with the catalogue,
/// with the verdict beside each claim.
///
/// Today this covers the function-level claims (linear collapse, σ′ ≤ 1/4 and 0.25^L, tanh =
/// 2σ(2x) − 1, relu′, sparsity, leaky relu's slope, softplus′ = σ, log σ = −softplus(−x)).
/// Exit status 1 if any claim fails to hold.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A faster, coarser run (scans on 2 001 points instead of 200 001).
    #[arg(long)]
    pub quick: bool,
    /// Seed for the random matrices and inputs.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Print the results as JSON: `{"facts": [{"id", "claim", "measured", "value", "holds"}]}`.
    #[arg(long)]
    pub json: bool,
}

/// Runs `actlab guide`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let resolution = if args.quick { 2_001 } else { 200_001 };
    let facts = lab::facts::check_all(resolution, args.seed);
    let all_hold = facts.iter().all(|f| f.holds);
    let text = if args.json {
        let list: Vec<_> = facts
            .iter()
            .map(|f| {
                json!({"id": f.id, "claim": f.claim, "measured": f.measured,
                       "value": crate::number::json_f64(f.value), "holds": f.holds})
            })
            .collect();
        format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({ "facts": list }))?
        )
    } else {
        let mut out = String::from("The guide's claims about activation functions, measured:\n\n");
        for f in &facts {
            let mark = if f.holds { "holds" } else { "FAILS" };
            out.push_str(&format!("[{mark}] {}\n        {}\n", f.claim, f.measured));
        }
        let held = facts.iter().filter(|f| f.holds).count();
        out.push_str(&format!("\n{held} of {} claims hold.\n", facts.len()));
        out.push_str(
            "Next: `actlab list` for the catalogue, `actlab show sigmoid` for one function, \
             `actlab accuracy` for how exact each one is.\n",
        );
        out
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .context("writing to stdout")?;
    Ok(if all_hold {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
