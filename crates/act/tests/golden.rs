//! Every function against mpmath: the golden values in `tests/data/golden_unary.tsv` (made by
//! `tools/golden/golden.py` at adaptive precision, each value as hi + lo doubles).
//!
//! Checks, per line: the f64 forward value within 1 ULP and the derivative within 2 ULP; the same
//! in f32 when x is an f32 number; and the double-double reference itself within 2⁻⁷⁰ relative
//! (in units of the f64 ULP: below 2⁻¹⁸ ULP), which is what makes it a reference for the sweep.

use act::Activation;
use act::dd::DD;
use act::ulp::{ulp_error_f32, ulp_error_f64, ulp_f64_at};
use std::collections::BTreeMap;

fn hex(s: &str) -> f64 {
    f64::from_bits(u64::from_str_radix(s, 16).expect("16 hex digits"))
}

fn activation(name: &str, params: &str) -> Activation {
    let mut a = Activation::from_name(name).unwrap_or_else(|e| panic!("{e}"));
    if params != "-" {
        for kv in params.split(',') {
            let (k, v) = kv.split_once('=').expect("key=value");
            a = a
                .with_param(k, v.parse().expect("number"))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    a
}

/// The reference's error in f64 ULPs of the exact value (0 for matching infinities/NaN).
fn reference_error(got: DD, exact: DD) -> f64 {
    if !exact.hi.is_finite() || !got.hi.is_finite() {
        return if got.hi == exact.hi || (got.hi.is_nan() && exact.hi.is_nan()) {
            0.0
        } else {
            f64::INFINITY
        };
    }
    let d = (got.hi - exact.hi) + (got.lo - exact.lo);
    d.abs() / ulp_f64_at(exact.hi)
}

#[derive(Default)]
struct Worst {
    lines: usize,
    f64_fwd: f64,
    f64_der: f64,
    f32_fwd: f64,
    f32_der: f64,
    ref_fwd: f64,
    ref_der: f64,
}

#[test]
fn golden_values_from_mpmath() {
    let text = include_str!("data/golden_unary.tsv");
    let mut worst: BTreeMap<String, Worst> = BTreeMap::new();
    let mut failures = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 7, "line {}: {line}", n + 1);
        let a = activation(cols[0], cols[1]);
        let x = hex(cols[2]);
        let f = DD {
            hi: hex(cols[3]),
            lo: hex(cols[4]),
        };
        let d = DD {
            hi: hex(cols[5]),
            lo: hex(cols[6]),
        };
        let key = format!("{} {}", cols[0], cols[1]);
        let w = worst.entry(key.clone()).or_default();
        w.lines += 1;

        let mut check = |what: &str, err: f64, bound: f64, slot: &mut f64| {
            *slot = slot.max(err);
            if err.is_nan() || err > bound {
                failures.push(format!(
                    "{key} {what} at x = {x:e} ({:016x}): {err:.3e}",
                    x.to_bits()
                ));
            }
        };
        check(
            "f64 forward",
            ulp_error_f64(a.forward(x), f),
            1.0,
            &mut w.f64_fwd,
        );
        check(
            "f64 derivative",
            ulp_error_f64(a.derivative(x), d),
            2.0,
            &mut w.f64_der,
        );
        check(
            "reference forward",
            reference_error(a.reference_forward(x), f),
            1.0 / 262144.0,
            &mut w.ref_fwd,
        );
        check(
            "reference derivative",
            reference_error(a.reference_derivative(x), d),
            1.0 / 262144.0,
            &mut w.ref_der,
        );
        let x32 = x as f32;
        if x32 as f64 == x {
            check(
                "f32 forward",
                ulp_error_f32(a.forward(x32), f),
                1.0,
                &mut w.f32_fwd,
            );
            check(
                "f32 derivative",
                ulp_error_f32(a.derivative(x32), d),
                2.0,
                &mut w.f32_der,
            );
        }
    }
    eprintln!(
        "{:32} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "function", "lines", "f64 f", "f64 f'", "f32 f", "f32 f'", "ref f", "ref f'"
    );
    for (k, w) in &worst {
        eprintln!(
            "{k:32} {:6} {:9.3} {:9.3} {:9.3} {:9.3} {:9.2e} {:9.2e}",
            w.lines, w.f64_fwd, w.f64_der, w.f32_fwd, w.f32_der, w.ref_fwd, w.ref_der
        );
    }
    assert!(worst.len() >= 28, "every function has golden values");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
