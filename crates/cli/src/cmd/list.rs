//! `actlab list`: the catalogue as a table or as JSON.

use std::process::ExitCode;

use act::Activation;
use act::metadata::{Bound, CATALOGUE, Info, Init};
use anyhow::Context;
use serde_json::{Map, Value};

use crate::cmd::serde_name;
use crate::number::{json_f64, short as short_number};

/// Lists the catalogue: every function, element-wise, gated and row-wise.
///
/// The text table shows, per function: name, output range, whether it is zero-centred,
/// monotonicity, the largest |f′| and where it is reached (in short; `actlab show NAME` has the
/// full text), the recommended initialiser, typical uses and failure modes. All values are for
/// the default parameters.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print a JSON array instead of the table: one object per function with every metadata
    /// field (`name`, `title`, `formula_latex`, `formula_text`, `derivative_latex`,
    /// `derivative_text`, `range_lower`/`range_upper` as `{"value", "closed"}`, `zero_centred`,
    /// `monotonicity`, `smoothness`, `max_abs_derivative`, `max_abs_derivative_at`,
    /// `derivative_from_output`, `saturation`, `uses`, `failure_modes`, `recommended_init`,
    /// `gain`, `numerics`, `paper` as `{"title", "authors", "year"}`), plus `elementwise`
    /// (true/false) and, for element-wise functions, `params`: `{"name": default, …}` (`{}`
    /// for none). JSON has no infinity: ±∞ are written as the strings "inf" and "-inf".
    #[arg(long)]
    pub json: bool,
}

/// Runs `actlab list`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let text = if args.json {
        let entries: Vec<Value> = CATALOGUE
            .iter()
            .map(to_json)
            .collect::<anyhow::Result<_>>()?;
        let mut text = serde_json::to_string_pretty(&entries)?;
        text.push('\n');
        text
    } else {
        table()
    };
    super::print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// One catalogue entry as JSON: every [`Info`] field, `elementwise`, and `params`.
pub fn to_json(info: &Info) -> anyhow::Result<Value> {
    let mut value = serde_json::to_value(info)
        .with_context(|| format!("serialising the metadata of {}", info.name))?;
    let Value::Object(object) = &mut value else {
        anyhow::bail!(
            "the metadata of {} did not serialise to an object",
            info.name
        );
    };
    // serde_json writes a non-finite f64 as null; put the signed spelling back.
    for (field, bound) in [
        ("range_lower", info.range_lower),
        ("range_upper", info.range_upper),
    ] {
        if let Some(Value::Object(b)) = object.get_mut(field) {
            b.insert("value".into(), json_f64(bound.value));
        }
    }
    object.insert(
        "max_abs_derivative".into(),
        json_f64(info.max_abs_derivative),
    );
    object.insert("gain".into(), json_f64(info.gain));
    let activation = Activation::from_name(info.name).ok();
    object.insert("elementwise".into(), Value::Bool(activation.is_some()));
    if let Some(activation) = activation {
        let params: Map<String, Value> = activation
            .params()
            .into_iter()
            .map(|(name, default)| (name.to_string(), json_f64(default)))
            .collect();
        object.insert("params".into(), Value::Object(params));
    }
    Ok(value)
}

/// The output range in interval notation: `(0, 1)`, `[0, ∞)`.
pub fn range_text(lower: Bound, upper: Bound) -> String {
    format!(
        "{}{}, {}{}",
        if lower.closed { '[' } else { '(' },
        short_number(lower.value),
        short_number(upper.value),
        if upper.closed { ']' } else { ')' }
    )
}

/// A list of serde names in words: `binary output, gate`; `-` for none.
fn names_text<T: serde::Serialize>(values: &[T]) -> String {
    if values.is_empty() {
        return "-".into();
    }
    values
        .iter()
        .map(|v| serde_name(v).replace('_', " "))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where |f′| peaks, without the parenthetical detail (`x = 3`, `x → ∞`).
fn short_where(at: &str) -> &str {
    at.split(" (").next().unwrap_or(at).trim()
}

/// The aligned text table.
fn table() -> String {
    let header = [
        "name",
        "range",
        "zero-centred",
        "monotonic",
        "max |f′|",
        "at",
        "init",
        "typical use",
        "failure modes",
    ]
    .map(String::from);
    let mut rows = vec![header.to_vec()];
    for info in CATALOGUE {
        rows.push(vec![
            info.name.to_string(),
            range_text(info.range_lower, info.range_upper),
            if info.zero_centred { "yes" } else { "no" }.to_string(),
            serde_name(&info.monotonicity).replace('_', "-"),
            short_number(info.max_abs_derivative),
            short_where(info.max_abs_derivative_at).to_string(),
            match info.recommended_init {
                Init::Glorot => "Glorot",
                Init::He => "He",
                Init::LeCun => "LeCun",
            }
            .to_string(),
            names_text(info.uses),
            names_text(info.failure_modes),
        ]);
    }
    align(&rows)
}

/// Left-aligns cells in columns two spaces apart (widths in characters, so `∞` counts as one).
pub fn align(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|row| row.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < row.len() {
                let pad = widths[c] - cell.chars().count() + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_as_intervals() {
        let info = act::metadata::info("relu").unwrap();
        assert_eq!(range_text(info.range_lower, info.range_upper), "[0, ∞)");
        let info = act::metadata::info("sigmoid").unwrap();
        assert_eq!(range_text(info.range_lower, info.range_upper), "(0, 1)");
    }

    #[test]
    fn every_entry_serialises_with_its_infinities_as_strings() {
        for info in CATALOGUE {
            let value = to_json(info).unwrap();
            let text = value.to_string();
            assert!(!text.contains("null"), "{}: {text}", info.name);
        }
        let relu = to_json(act::metadata::info("relu").unwrap()).unwrap();
        assert_eq!(relu["range_upper"]["value"], "inf");
    }
}
