//! Exhaustive check of the slice kernels (`act::kernels`) against the scalar path: every one of
//! the 4 278 190 082 non-NaN `f32` inputs goes through the kernel of the chosen path (by
//! `act::accuracy::kernel_values`, as `actlab accuracy --path` does; the NaN rule is checked by
//! `tests/kernels.rs`); where its bits differ from
//! the scalar path's, the result's error is measured against the exact (double-double) reference.
//! Where the bits agree, the kernel inherits the scalar path's own exhaustive result
//! (`docs/accuracy/exhaustive/`). So the kernel's worst error over all inputs is the larger of the
//! scalar path's and the worst printed here.
//!
//! ```text
//! cargo run --release -p actlab-act --example kernel_sweep -- [--path avx2] [--pass forward|derivative] sigmoid silu ...
//! ```
//!
//! `derivative` runs the backward kernel with dy = 1 (dx = f′(x) rounded once) against the
//! scalar derivative. One JSON object per line and pass: `{"function", "pass", "path",
//! "inputs", "differ_from_scalar", "worst_ulp_where_differ", "at", "bound_ulp", "ok"}`. Threads:
//! all cores (std threads; a few minutes per function and pass on two cores).

use act::Activation;
use act::accuracy::{Pass, kernel_values};
use act::kernels::{Kernels, Path};
use act::ulp::ulp_error_f32;

const CHUNK: u64 = 1 << 20;

struct Outcome {
    checked: u64,
    differ: u64,
    worst: f64,
    at: f32,
}

fn sweep(k: Kernels, a: Activation, pass: Pass, from: u64, to: u64) -> Outcome {
    let mut out = Outcome {
        checked: 0,
        differ: 0,
        worst: 0.0,
        at: 0.0,
    };
    let mut start = from;
    while start < to {
        let end = (start + CHUNK).min(to);
        // The kernel's values of the chunk's non-NaN inputs, in order (the accuracy sweep's own
        // kernel evaluation).
        let values = kernel_values(a, pass, start, end, 1, k);
        let inputs = (start..end)
            .map(|bits| f32::from_bits(bits as u32))
            .filter(|x| !x.is_nan());
        for (xi, got) in inputs.zip(values) {
            let scalar = match pass {
                Pass::Forward => a.forward(xi),
                Pass::Derivative => a.derivative(xi),
            };
            out.checked += 1;
            if got.to_bits() == scalar.to_bits() || (got.is_nan() && scalar.is_nan()) {
                continue;
            }
            out.differ += 1;
            let exact = match pass {
                Pass::Forward => a.reference_forward(xi as f64),
                Pass::Derivative => a.reference_derivative(xi as f64),
            };
            let e = ulp_error_f32(got, exact);
            if e > out.worst || e.is_nan() {
                out.worst = if e.is_nan() { f64::INFINITY } else { e };
                out.at = xi;
            }
        }
        start = end;
    }
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut path = Path::detected();
    let mut passes = vec![Pass::Forward, Pass::Derivative];
    let mut functions = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--path" => {
                let name = args.next().expect("--path NAME");
                path = name.parse().unwrap_or_else(|e| panic!("--path: {e}"));
            }
            "--pass" => {
                passes = match args.next().as_deref() {
                    Some("forward") => vec![Pass::Forward],
                    Some("derivative") => vec![Pass::Derivative],
                    other => panic!("--pass forward|derivative, not {other:?}"),
                }
            }
            name => functions.push(
                *act::ALL
                    .iter()
                    .find(|a| a.name() == name)
                    .unwrap_or_else(|| panic!("no function {name}")),
            ),
        }
    }
    let k = Kernels::with_path(path).expect("a path this CPU runs");
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let total = 1u64 << 32;
    let per = total / threads;
    for a in functions {
        for &pass in &passes {
            let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| scope.spawn(move || sweep(k, a, pass, t * per, (t + 1) * per)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("worker"))
                    .collect()
            });
            let differ: u64 = outcomes.iter().map(|o| o.differ).sum();
            let inputs: u64 = outcomes.iter().map(|o| o.checked).sum();
            let worst = outcomes
                .iter()
                .max_by(|a, b| a.worst.total_cmp(&b.worst))
                .expect("threads ≥ 1");
            let name = match pass {
                Pass::Forward => "forward",
                Pass::Derivative => "derivative",
            };
            println!(
                "{{\"function\": \"{}\", \"pass\": \"{name}\", \"path\": \"{}\", \"inputs\": {inputs}, \
                 \"differ_from_scalar\": {differ}, \"worst_ulp_where_differ\": {}, \"at\": {:e}, \
                 \"bound_ulp\": {}, \"ok\": {}}}",
                a.name(),
                k.path(),
                if worst.worst.is_finite() {
                    worst.worst.to_string()
                } else {
                    "\"inf\"".to_string()
                },
                worst.at,
                pass.bound_ulp(),
                worst.worst <= pass.bound_ulp()
            );
        }
    }
}
