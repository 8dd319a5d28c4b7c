//! What one scalar evaluation costs, per function and pass, averaged over f32 inputs spread
//! uniformly over the bit patterns (every binade, both signs), in f32 and through the
//! double-double reference (which is also the f64 path).
//!
//! Run with: `cargo run --release -p actlab-act --example scalar_cost`

use act::accuracy::{Pass, evaluate, reference};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let stride = 65537u64 * 3; // ~21 800 inputs
    let inputs: Vec<f32> = (0..(1u64 << 32))
        .step_by(stride as usize)
        .map(|b| f32::from_bits(b as u32))
        .filter(|x| !x.is_nan())
        .collect();
    println!(
        "{:14} {:10} {:>10} {:>12}",
        "function", "pass", "f32 ns", "f64/ref ns"
    );
    for a in act::ALL {
        for pass in [Pass::Forward, Pass::Derivative] {
            let t = Instant::now();
            for &x in &inputs {
                black_box(evaluate(a, pass, black_box(x)));
            }
            let f32_ns = t.elapsed().as_secs_f64() * 1e9 / inputs.len() as f64;
            let t = Instant::now();
            for &x in &inputs {
                black_box(reference(a, pass, black_box(x)));
            }
            let ref_ns = t.elapsed().as_secs_f64() * 1e9 / inputs.len() as f64;
            println!(
                "{:14} {:10} {f32_ns:10.1} {ref_ns:12.1}",
                a.name(),
                pass.name()
            );
        }
    }
}
