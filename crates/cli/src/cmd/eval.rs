//! `actlab eval NAME`: f(x) or f′(x) for every number on stdin.

use std::io::Read;
use std::process::ExitCode;
use std::str::FromStr;

use act::{Activation, Real};
use anyhow::Context;

use crate::cmd::{elementwise, usage};
use crate::number::{self, Float};

/// Evaluates an element-wise function on the numbers read from stdin.
///
/// Input: numbers separated by whitespace, any number per line, in decimal or scientific
/// notation (`1.5`, `-2e-3`, `.5`), or `inf`, `-inf`, `+inf`, `infinity`, `nan` (any case).
/// Each is rounded once, directly from the decimal, to f32 (or to f64 with --f64).
///
/// Output: one result per line, in shortest round-trip form (parsing a line back as the same
/// type gives the result bit for bit): `nan`, `inf`, `-inf`, `-0`, scientific notation below
/// 1e-5 and from 1e16 in magnitude (`1e-45`, `3.4028235e38`), plain decimal otherwise.
///
/// The whole input is read and checked before anything is written: a malformed number is an
/// error naming the token and its line (exit 2) and prints no results. Empty input prints
/// nothing.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The function (element-wise only; `actlab list` marks which), e.g. `sigmoid`.
    pub name: String,

    /// Print the derivative f′(x) instead of f(x).
    #[arg(long)]
    pub grad: bool,

    /// Set a parameter, e.g. `--param negative_slope=0.2` for leaky_relu; repeat for several.
    /// Unknown keys and values outside the parameter's domain are errors (exit 2).
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,

    /// Parse and compute in f64 instead of f32.
    #[arg(long = "f64")]
    pub f64: bool,
}

/// Runs `actlab eval`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let activation = elementwise(&args.name, &args.params, "eval")?;
    let mut input = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut input)
        .context("reading stdin")?;
    let text = if args.f64 {
        evaluate::<f64>(activation, args.grad, &input)?
    } else {
        evaluate::<f32>(activation, args.grad, &input)?
    };
    super::print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Parses every number of `input` as `T`, then returns the results, one per line.
fn evaluate<T: Real + Float>(
    activation: Activation,
    grad: bool,
    input: &[u8],
) -> anyhow::Result<String> {
    let xs: Vec<T> = parse_all(input)?;
    let mut out = String::with_capacity(xs.len() * 12);
    for x in xs {
        let y = if grad {
            activation.derivative(x)
        } else {
            activation.forward(x)
        };
        out.push_str(&number::format(y));
        out.push('\n');
    }
    Ok(out)
}

/// Every whitespace-separated number of `input`, rounded once from its decimal to `T` (so an
/// f32 is never the double rounding decimal → f64 → f32). The first token that is not a number
/// is a usage error naming it and its 1-based line.
fn parse_all<T: FromStr>(input: &[u8]) -> anyhow::Result<Vec<T>> {
    let mut values = Vec::new();
    for (index, line) in input.split(|&b| b == b'\n').enumerate() {
        let line_number = index + 1;
        let line = std::str::from_utf8(line)
            .map_err(|_| usage(format!("stdin line {line_number}: not valid UTF-8")))?;
        for token in line.split_whitespace() {
            let value = token.parse::<T>().map_err(|_| {
                usage(format!(
                    "stdin line {line_number}: {token:?} is not a number (expected e.g. 1.5, \
                     -2e-3, inf, nan)"
                ))
            })?;
            values.push(value);
        }
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling() {
        let xs: Vec<f32> =
            parse_all(b"1.5 -2e-3 .5\n inf -inf +inf INF Infinity -INFINITY\r\n\n0 -0").unwrap();
        assert_eq!(
            xs,
            [
                1.5,
                -2e-3,
                0.5,
                f32::INFINITY,
                f32::NEG_INFINITY,
                f32::INFINITY,
                f32::INFINITY,
                f32::INFINITY,
                f32::NEG_INFINITY,
                0.0,
                -0.0
            ]
        );
        assert!(xs[10].is_sign_negative());
        let nans: Vec<f64> = parse_all(b"nan NaN NAN").unwrap();
        assert!(nans.iter().all(|v| v.is_nan()));
    }

    #[test]
    fn f32_input_is_rounded_once() {
        // 1 + 2⁻²⁴ + 10⁻²⁸ lies just above the midpoint 1 + 2⁻²⁴ between 1 and the next f32,
        // so it rounds up; via f64 it would first round to that midpoint and then (ties to
        // even) down to 1.
        let text = "1.0000000596046447753906250001";
        let direct: Vec<f32> = parse_all(text.as_bytes()).unwrap();
        assert_eq!(direct[0], 1.0 + f32::EPSILON);
        assert_eq!(text.parse::<f64>().unwrap() as f32, 1.0);
    }

    #[test]
    fn a_bad_token_names_its_line() {
        let err = parse_all::<f32>(b"1\n2 1.2.3\n").unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("\"1.2.3\""), "{err}");
    }
}
