//! The strided accuracy sweep for every element-wise function: forward ≤ 1 ULP, derivative
//! ≤ 2 ULP against the double-double reference, over ~1M f32 inputs spanning every binade.

use act::accuracy::{Pass, sweep};

#[test]
fn every_function_within_bounds_on_the_strided_sample() {
    let stride = if cfg!(debug_assertions) { 65537 } else { 8191 };
    let mut failures = Vec::new();
    for a in act::ALL {
        for pass in [Pass::Forward, Pass::Derivative] {
            let s = sweep(a, pass, 0, 1 << 32, stride);
            eprintln!(
                "{:14} {:10} max {:.3} ULP at x = {:e} (got {:e}, exact {:e}), mean {:.4}",
                a.name(),
                pass.name(),
                s.max_ulp,
                s.max_at,
                s.max_got,
                s.max_exact,
                s.mean_ulp()
            );
            if s.max_ulp > pass.bound_ulp() {
                failures.push(format!(
                    "{} {}: {:.3} ULP at {:e}",
                    a.name(),
                    pass.name(),
                    s.max_ulp,
                    s.max_at
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "over the bound:\n{}",
        failures.join("\n")
    );
}
