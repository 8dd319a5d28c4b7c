//! Training throughput on the issue's three benchmark workloads ([`nn::workload::WORKLOADS`]:
//! one epoch each over standard-normal samples with random labels, SGD at 0.05, softmax
//! cross-entropy, the default initialiser), with diagnostics off and on, so the cost of leaving
//! them on is measured. `actlab bench train` runs the same workloads (diagnostics off).
//!
//! Run with:
//!
//! ```text
//! cargo bench -p actlab-nn --bench train_step [-- THREADS] [NAME-FILTER]
//! ```
//!
//! Prints samples per second per workload; the best of 3 epochs (the machine is shared).

use nn::workload::{WORKLOADS, run};

fn main() {
    let threads: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1);
    let filter: Option<String> = std::env::args()
        .skip(1)
        .find(|a| a.parse::<usize>().is_err() && !a.starts_with('-'));
    println!("threads: {threads}");
    for w in WORKLOADS
        .iter()
        .filter(|w| filter.as_ref().is_none_or(|f| w.name.contains(f.as_str())))
    {
        for diagnostics in [false, true] {
            let best = (0..3)
                .map(|_| {
                    run(w, threads, w.samples, diagnostics)
                        .expect("no divergence")
                        .samples_per_s
                })
                .fold(0.0f64, f64::max);
            println!(
                "{:<40} diagnostics {:<3} {:>12.0} samples/s",
                w.name,
                if diagnostics { "on" } else { "off" },
                best
            );
        }
    }
}
