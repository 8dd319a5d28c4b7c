//! `actlab show NAME`: one function described in full, with a plot of f and f′.

use std::process::ExitCode;

use act::Activation;
use act::metadata::{FailureMode, Info, Init, Monotonicity, Smoothness, Use};

use crate::cmd::{Resolved, apply_params, not_elementwise_reason, resolve, usage};
use crate::number::short;
use crate::plot::{self, Curve};

/// The plotted x range.
const PLOT_X: (f64, f64) = (-6.0, 6.0);
/// Plot size in character cells: 61 columns put a sample at every 0.2 from −6 to 6.
const PLOT_WIDTH: usize = 61;
/// Plot height in character cells.
const PLOT_HEIGHT: usize = 17;
/// Where long texts wrap.
const TEXT_WIDTH: usize = 100;

/// Describes one function in full and plots f and f′.
///
/// Prints the title, formula and derivative (plain text), every property in words, the paper,
/// the numerically safe form actlab evaluates, then f (`*`) and f′ (`o`) plotted over [−6, 6]
/// (61 × 17 character cells, evaluated with act in f64; `#` where they meet).
///
/// Gated (glu, reglu, geglu, swiglu) and row-wise (softmax, log_softmax, softmin, logsumexp)
/// functions take a vector, not a number: for them `show` prints the metadata and says so,
/// without a plot.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The function, as `actlab list` names it (aliases such as `logistic` or `linear` work
    /// too).
    pub name: String,

    /// Set a parameter of the plotted function, e.g. `--param negative_slope=0.2` for
    /// leaky_relu; repeat for several. Unknown keys and values outside the parameter's domain
    /// are errors (exit 2). The properties shown stay those of the default parameters.
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
}

/// Runs `actlab show`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let text = match resolve(&args.name)? {
        Resolved::Elementwise(activation, info) => {
            let activation = apply_params(activation, &args.params)?;
            let mut text = describe(info, Some(activation));
            text.push_str(&plot_section(activation));
            text
        }
        Resolved::Other(info) => {
            if let Some(param) = args.params.first() {
                return Err(usage(format!(
                    "invalid --param {param:?}: {} takes no parameters here",
                    info.name
                )));
            }
            let mut text = describe(info, None);
            let note = format!(
                "Not element-wise: {} is {}. There is no one-variable plot; `actlab eval` and \
                 `actlab accuracy` take element-wise functions only.",
                info.name,
                not_elementwise_reason(info.name)
            );
            text.push_str(&format!("\n{}\n", wrap(&note, TEXT_WIDTH, 0)));
            text
        }
    };
    super::print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Everything but the plot.
fn describe(info: &Info, activation: Option<Activation>) -> String {
    let mut out = format!("{} — {}\n\n", info.title, info.name);
    out.push_str(&format!("  {}\n", info.formula_text));
    out.push_str(&format!("  {}\n\n", info.derivative_text));
    if let Some(activation) = activation {
        let defaults = Activation::from_name(activation.name())
            .map(|a| a.params())
            .unwrap_or_default();
        let params: Vec<String> = activation
            .params()
            .iter()
            .zip(defaults)
            .map(|((key, value), (_, default))| {
                if value.to_bits() == default.to_bits() {
                    format!("{key} = {value}")
                } else {
                    format!("{key} = {value} (default {default})")
                }
            })
            .collect();
        out.push_str(&format!(
            "Parameters: {}\n\n",
            if params.is_empty() {
                "none".to_string()
            } else {
                params.join(", ")
            }
        ));
    }

    let mut rows: Vec<(&str, String)> = vec![
        (
            "range",
            crate::cmd::list::range_text(info.range_lower, info.range_upper),
        ),
        (
            "zero-centred",
            if info.zero_centred {
                "yes: f(0) = 0 and outputs take both signs".into()
            } else {
                "no: outputs lean to one sign, so a layer's weight updates share a sign".into()
            },
        ),
        ("monotonicity", monotonicity_words(info.monotonicity).into()),
        ("smoothness", smoothness_words(info.smoothness).into()),
        (
            "max |f′|",
            format!(
                "{}, at {}",
                short(info.max_abs_derivative),
                info.max_abs_derivative_at
            ),
        ),
        (
            "f′ from output",
            if info.derivative_from_output {
                "yes: the backward pass needs only the output y = f(x)".into()
            } else {
                "no: the backward pass needs the input x".into()
            },
        ),
        (
            "saturation",
            if info.saturation.is_empty() {
                "none: f′ does not tend to 0".into()
            } else {
                info.saturation.into()
            },
        ),
        (
            "typical use",
            info.uses
                .iter()
                .map(|u| use_words(*u))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        (
            "failure modes",
            if info.failure_modes.is_empty() {
                "none typical".into()
            } else {
                info.failure_modes
                    .iter()
                    .map(|f| failure_words(*f))
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        ),
        (
            "initialiser",
            format!(
                "{}, gain {}",
                init_words(info.recommended_init),
                short(info.gain)
            ),
        ),
    ];
    rows.retain(|(_, text)| !text.is_empty());
    out.push_str("Properties (default parameters)\n");
    let key_width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (key, text) in rows {
        let indent = 2 + key_width + 2;
        let pad = key_width - key.chars().count() + 2;
        out.push_str(&format!(
            "  {key}{}{}\n",
            " ".repeat(pad),
            wrap(&text, TEXT_WIDTH - indent, indent)
        ));
    }
    out.push_str(&format!(
        "\nPaper: {}, \"{}\" ({})\n",
        info.paper.authors, info.paper.title, info.paper.year
    ));
    out.push_str(&format!(
        "Numerics: {}\n",
        wrap(info.numerics, TEXT_WIDTH - 10, 10)
    ));
    out
}

/// The plot of f and f′ over [−6, 6].
fn plot_section(activation: Activation) -> String {
    let (lo, hi) = PLOT_X;
    let curves = [
        Curve {
            mark: '*',
            label: format!("f(x) = {activation}(x)"),
            ys: plot::sample(lo, hi, PLOT_WIDTH, |x| activation.forward(x)),
        },
        Curve {
            mark: 'o',
            label: "f′(x)".into(),
            ys: plot::sample(lo, hi, PLOT_WIDTH, |x| activation.derivative(x)),
        },
    ];
    format!(
        "\nf and f′ on [{}, {}] (f64, one sample per 0.2):\n\n{}",
        short(lo),
        short(hi),
        plot::render(&curves, lo, hi, PLOT_WIDTH, PLOT_HEIGHT)
    )
}

/// Wraps `text` at word boundaries to `width` characters, indenting continuation lines.
fn wrap(text: &str, width: usize, indent: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if line_len > 0 && line_len + 1 + n > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += n;
    }
    out
}

fn monotonicity_words(m: Monotonicity) -> &'static str {
    match m {
        Monotonicity::Increasing => "strictly increasing",
        Monotonicity::NonDecreasing => "non-decreasing (flat on part of the line)",
        Monotonicity::Decreasing => "strictly decreasing",
        Monotonicity::NotMonotonic => "not monotonic (it decreases somewhere)",
    }
}

fn smoothness_words(s: Smoothness) -> &'static str {
    match s {
        Smoothness::Discontinuous => "discontinuous (it jumps)",
        Smoothness::Continuous => "continuous, with kinks where f′ jumps",
        Smoothness::C1 => "once continuously differentiable (C¹)",
        Smoothness::Smooth => "smooth (infinitely differentiable)",
    }
}

fn use_words(u: Use) -> &'static str {
    match u {
        Use::Hidden => "hidden layers",
        Use::BinaryOutput => "output of a binary classifier (a probability)",
        Use::MulticlassOutput => "output of a multiclass classifier (a distribution)",
        Use::RegressionOutput => "output of a regression model",
        Use::Gate => "gates (LSTM/GRU gates, GLU variants, attention)",
        Use::Shrinkage => "shrinkage (sparse coding, denoising)",
    }
}

fn failure_words(f: FailureMode) -> &'static str {
    match f {
        FailureMode::Vanishing => "vanishing gradients where f′ is small",
        FailureMode::Dying => "dying units that stay where f′ = 0",
        FailureMode::Exploding => "exploding activations or gradients",
        FailureMode::NotZeroCentred => "not zero-centred (weight updates share one sign)",
        FailureMode::Linear => "no nonlinearity (stacked layers collapse into one)",
    }
}

fn init_words(i: Init) -> &'static str {
    match i {
        Init::Glorot => "Glorot/Xavier",
        Init::He => "He/Kaiming",
        Init::LeCun => "LeCun normal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_whole() {
        assert_eq!(wrap("aa bb cc", 5, 2), "aa bb\n  cc");
        assert_eq!(wrap("", 5, 2), "");
    }
}
