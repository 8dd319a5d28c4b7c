//! What a `rayon::join` costs on this machine after a stretch of serial work: the engine splits
//! its large products over threads with one join each, and between them a training step does
//! serial work (the loss, activations, bias sums, the next batch's rows) during which the idle
//! worker may go to sleep.
//!
//! ```text
//! cargo run --release -p actlab-nn --example fork_join_latency
//! ```
//!
//! In a pool of two threads, each round spins `gap` µs on one thread, then joins two halves that
//! each spin `work` µs; the join's overhead is the round's time less `gap` and `work`, averaged
//! over 2000 rounds. It prints one line per (gap, work).

use std::time::Instant;

/// Busy-waits `us` microseconds (serial work that keeps the thread on its core).
fn spin(us: f64) {
    let start = Instant::now();
    while start.elapsed().as_secs_f64() * 1e6 < us {
        std::hint::spin_loop();
    }
}

fn main() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a pool of two threads");
    pool.install(|| {
        for gap in [0.0, 20.0, 100.0, 500.0] {
            for work in [50.0, 200.0] {
                let rounds = 2000;
                let start = Instant::now();
                for _ in 0..rounds {
                    spin(gap);
                    rayon::join(|| spin(work), || spin(work));
                }
                let per = start.elapsed().as_secs_f64() * 1e6 / rounds as f64 - gap - work;
                println!(
                    "serial gap {gap:5} µs, halves of {work:5} µs: join overhead {per:6.1} µs"
                );
            }
        }
    });
}
