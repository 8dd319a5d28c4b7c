//! **functions**: the gallery. Every element-wise function of the catalogue and its derivative
//! plotted, the guide's facts about single functions checked numerically ([`crate::facts`]),
//! and the properties table that helps choose.

use act::Activation;
use act::metadata::{Bound, Monotonicity, Smoothness};
use serde_json::json;

use super::common::{fmt_num, num};
use crate::facts;
use crate::figure::{Figure, Series};
use crate::report::{Outcome, Table};

/// Options of the gallery.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Seed of the random matrices in the facts' collapse check.
    pub seed: u64,
    /// Coarser scans (2 001 points instead of 200 001).
    pub quick: bool,
}

/// The gallery's groups: (figure id suffix, title, members).
const GROUPS: [(&str, &str, &[&str]); 5] = [
    (
        "squashing",
        "Squashing functions",
        &[
            "identity",
            "sigmoid",
            "tanh",
            "softsign",
            "hardsigmoid",
            "hardtanh",
        ],
    ),
    (
        "relu-family",
        "The ReLU family",
        &[
            "relu",
            "leaky_relu",
            "prelu",
            "rrelu",
            "relu6",
            "elu",
            "selu",
            "celu",
        ],
    ),
    (
        "smooth-relu",
        "Smooth ReLUs",
        &["gelu", "gelu_tanh", "silu", "swish", "mish", "softplus"],
    ),
    (
        "others",
        "Shrinkage, thresholds and the rest",
        &[
            "logsigmoid",
            "tanhshrink",
            "hardshrink",
            "softshrink",
            "threshold",
            "hardswish",
        ],
    ),
    (
        "polynomial-periodic",
        "Squared ReLU and snake",
        &["squared_relu", "snake"],
    ),
];

fn bound_text(lower: Bound, upper: Bound) -> String {
    let n = |v: f64| {
        if v.is_infinite() {
            if v > 0.0 {
                "∞".into()
            } else {
                "−∞".into()
            }
        } else {
            fmt_num(v)
        }
    };
    format!(
        "{}{}, {}{}",
        if lower.closed { '[' } else { '(' },
        n(lower.value),
        n(upper.value),
        if upper.closed { ']' } else { ')' }
    )
}

fn monotonicity_text(m: Monotonicity) -> &'static str {
    match m {
        Monotonicity::Increasing => "increasing",
        Monotonicity::NonDecreasing => "non-decreasing",
        Monotonicity::Decreasing => "decreasing",
        Monotonicity::NotMonotonic => "not monotonic",
    }
}

fn smoothness_text(s: Smoothness) -> &'static str {
    match s {
        Smoothness::Discontinuous => "discontinuous",
        Smoothness::Continuous => "continuous (kinks)",
        Smoothness::C1 => "C¹",
        Smoothness::Smooth => "smooth",
    }
}

/// Runs the gallery.
///
/// JSON fields: `facts` (list of `{id, claim, measured, value, holds}`), `facts_hold` (how many
/// hold), `properties` (per function: `name`, `range`, `zero_centred`, `monotonicity`,
/// `smoothness`, `max_abs_derivative`, `saturation`, `recommended_init`), `plotted_range`
/// ([−5, 5]).
pub fn run(options: &Options) -> Outcome {
    let resolution = if options.quick { 2_001 } else { 200_001 };
    let facts = facts::check_all(resolution, options.seed);
    let held = facts.iter().filter(|f| f.holds).count();

    let samples = 241;
    let xs: Vec<f64> = (0..samples)
        .map(|i| -5.0 + 10.0 * i as f64 / (samples - 1) as f64)
        .collect();
    let mut figures = Vec::new();
    for (id, title, members) in GROUPS {
        let mut forward = Figure::new(format!("functions-{id}"), title, "x", "f(x)");
        let mut derivative = Figure::new(
            format!("functions-{id}-derivative"),
            format!("{title}: derivatives"),
            "x",
            "f′(x)",
        );
        for name in members {
            let Ok(a) = Activation::from_name(name) else {
                continue;
            };
            forward = forward.with(Series::line(
                *name,
                xs.iter().map(|&x| (x, a.forward(x))).collect(),
            ));
            derivative = derivative.with(Series::line(
                *name,
                xs.iter().map(|&x| (x, a.derivative(x))).collect(),
            ));
        }
        figures.push(forward);
        figures.push(derivative);
    }

    let mut rows = Vec::new();
    let mut properties = Vec::new();
    for a in act::ALL {
        let info = a.info();
        let range = bound_text(info.range_lower, info.range_upper);
        let init = format!("{:?}", info.recommended_init).to_lowercase();
        rows.push(vec![
            info.name.to_string(),
            range.clone(),
            if info.zero_centred { "yes" } else { "no" }.to_string(),
            monotonicity_text(info.monotonicity).to_string(),
            smoothness_text(info.smoothness).to_string(),
            fmt_num(info.max_abs_derivative),
            if info.saturation.is_empty() {
                "—"
            } else {
                info.saturation
            }
            .to_string(),
            init.clone(),
        ]);
        properties.push(json!({
            "name": info.name,
            "range": range,
            "zero_centred": info.zero_centred,
            "monotonicity": monotonicity_text(info.monotonicity),
            "smoothness": smoothness_text(info.smoothness),
            "max_abs_derivative": num(info.max_abs_derivative),
            "saturation": info.saturation,
            "recommended_init": init,
        }));
    }
    let properties_table = Table {
        header: [
            "function",
            "range",
            "zero-centred",
            "monotonic",
            "smoothness",
            "max |f′|",
            "saturates",
            "init",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    };
    let facts_table = Table {
        header: ["claim", "measured", "verdict"].map(String::from).to_vec(),
        rows: facts
            .iter()
            .map(|f| {
                vec![
                    f.claim.to_string(),
                    f.measured.clone(),
                    if f.holds { "holds" } else { "FAILS" }.to_string(),
                ]
            })
            .collect(),
    };
    let data = json!({
        "facts": facts.iter().map(|f| json!({
            "id": f.id, "claim": f.claim, "measured": f.measured,
            "value": num(f.value), "holds": f.holds,
        })).collect::<Vec<_>>(),
        "facts_hold": held,
        "properties": properties,
        "plotted_range": [-5.0, 5.0],
    });
    let sigma = facts.iter().find(|f| f.id == "sigmoid_derivative_max");
    Outcome {
        name: "functions".into(),
        title: "The functions and their derivatives".into(),
        claim: "σ′ peaks at 0.25 at x = 0 and tanh′ at 1; tanh(x) = 2σ(2x) − 1; softplus′ = σ; \
                relu passes gradient 1 for x > 0 and 0 below."
            .into(),
        measured: format!(
            "{held} of {} facts hold on a {resolution}-point scan{}. All {} element-wise \
             functions of the catalogue are drawn with their derivatives on [−5, 5].",
            facts.len(),
            sigma.map_or(String::new(), |s| format!(" (max σ′ = {})", s.value)),
            act::ALL.len()
        ),
        shows: "The saturating functions (sigmoid, tanh and their hard versions) have derivatives \
                that vanish away from 0; the relu family keeps slope 1 on the positive side; the \
                smooth relus (gelu, silu, mish) dip slightly below zero and have no kink."
            .into(),
        holds: held == facts.len(),
        data,
        figures,
        tables: vec![facts_table, properties_table],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_function_is_drawn_once() {
        let outcome = run(&Options {
            seed: 0,
            quick: true,
        });
        assert!(outcome.holds);
        let drawn: usize = outcome
            .figures
            .iter()
            .filter(|f| !f.id.ends_with("-derivative"))
            .map(|f| f.series.len())
            .sum();
        assert_eq!(drawn, act::ALL.len());
        assert_eq!(outcome.tables[1].rows.len(), act::ALL.len());
    }
}
