//! One module per subcommand, and what they share: the usage-error marker, `--param` parsing and
//! looking a name up in the catalogue.

pub mod accuracy;
pub mod advise;
pub mod bench;
pub mod bench_train;
pub mod data;
pub mod eval;
pub mod experiment;
pub mod guide;
pub mod list;
pub mod predict;
pub mod serve;
pub mod show;
pub mod train;

use std::io::IsTerminal;

use act::Activation;
use act::metadata::{self, Info};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// An error in what the user asked for (an unknown name, a bad `--param`, a malformed number):
/// `main` exits 2 for any error whose chain holds one, 1 for the rest.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A usage error with this message, as an `anyhow::Error`.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(message.into()))
}

/// The gated functions of the catalogue: they split their input into halves a and b.
const GATED: [&str; 4] = ["glu", "reglu", "geglu", "swiglu"];

/// How a catalogue entry that is not an [`Activation`] takes its input, in words.
pub fn not_elementwise_reason(name: &str) -> &'static str {
    if GATED.contains(&name) {
        "gated: it splits its input vector into halves a and b and combines them element by \
         element, so one output needs two inputs"
    } else {
        "row-wise: each output depends on the whole row (vector) of inputs"
    }
}

/// A catalogue name resolved: an element-wise [`Activation`] (with its metadata), or a
/// gated/row-wise entry that exists only as metadata here.
pub enum Resolved {
    /// An element-wise function, with the parameters given on the command line applied.
    Elementwise(Activation, &'static Info),
    /// A gated or row-wise function (glu, softmax, …).
    Other(&'static Info),
}

/// Looks `name` up: element-wise names (and `from_name`'s aliases) first, then the rest of the
/// catalogue. An unknown name is a usage error carrying `Activation::from_name`'s message.
pub fn resolve(name: &str) -> anyhow::Result<Resolved> {
    match Activation::from_name(name) {
        Ok(activation) => {
            let info = metadata::info(activation.name()).ok_or_else(|| {
                anyhow::anyhow!(
                    "the catalogue has no metadata for {:?} yet",
                    activation.name()
                )
            })?;
            Ok(Resolved::Elementwise(activation, info))
        }
        Err(err) => match metadata::info(name) {
            Some(info) => Ok(Resolved::Other(info)),
            None => Err(usage(err.to_string())),
        },
    }
}

/// Resolves `name` to an element-wise activation with `params` (`KEY=VALUE` strings) applied;
/// what `eval` needs. Gated and row-wise names are a usage error saying why.
pub fn elementwise(name: &str, params: &[String], command: &str) -> anyhow::Result<Activation> {
    match resolve(name)? {
        Resolved::Elementwise(activation, _) => apply_params(activation, params),
        Resolved::Other(info) => Err(usage(format!(
            "{} is not element-wise ({}); `actlab {command}` takes element-wise functions only \
             (`actlab show {}` describes it)",
            info.name,
            not_elementwise_reason(info.name),
            info.name
        ))),
    }
}

/// Applies `--param KEY=VALUE` settings in order, each validated by `Activation::with_param`.
pub fn apply_params(mut activation: Activation, params: &[String]) -> anyhow::Result<Activation> {
    for param in params {
        activation =
            apply_param(activation, param).with_context(|| format!("invalid --param {param:?}"))?;
    }
    Ok(activation)
}

fn apply_param(activation: Activation, param: &str) -> anyhow::Result<Activation> {
    let Some((key, value)) = param.split_once('=') else {
        return Err(usage("expected KEY=VALUE"));
    };
    let key = key.trim();
    let value_text = value.trim();
    // Checked first so that `--param alpha=x` on relu says "no parameter alpha", not "x".
    if !activation.param_names().contains(&key) {
        return activation
            .with_param(key, 0.0)
            .map_err(|err| usage(err.to_string()));
    }
    let value: f64 = value_text.parse().map_err(|_| {
        usage(format!(
            "{}: {key} = {value_text:?} is not a number",
            activation.name()
        ))
    })?;
    activation
        .with_param(key, value)
        .map_err(|err| usage(err.to_string()))
}

/// The `serde` name of a unit enum value (`Use::BinaryOutput` → `binary_output`): one spelling
/// shared by the text and JSON outputs.
pub fn serde_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        other => format!("{other:?}"),
    }
}

/// A progress bar of `total` steps on stderr with a message, hidden when stderr is not a
/// terminal (`guide`, `advise`).
pub fn guide_progress(total: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("[{bar:30}] {pos}/{len} {msg} ({elapsed})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Writes a command's whole output to stdout and flushes it (a closed pipe surfaces here as an
/// error, which `main` reports quietly).
pub fn print_stdout(text: &str) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .context("writing to stdout")
}

/// `--path`: `auto` (the best path this CPU runs) or a [`act::kernels::Path`] name; a path the
/// CPU lacks is a usage error.
pub fn parse_kernel_path(name: &str) -> anyhow::Result<act::kernels::Kernels> {
    use act::kernels::{Kernels, Path};
    if name == "auto" {
        return Ok(Kernels::new());
    }
    let path: Path = name
        .parse()
        .map_err(|err| usage(format!("--path: {err}")))?;
    Kernels::with_path(path).map_err(|err| usage(format!("--path: {err}")))
}
