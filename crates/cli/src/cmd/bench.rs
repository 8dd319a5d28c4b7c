//! `actlab bench`: throughput measurements. `actlab bench kernels` times the slice kernels of
//! `act::kernels` forward and backward into preallocated buffers, beside a plain copy of the same
//! size as the memory-bandwidth yardstick; `actlab bench train` is in `bench_train.rs`.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use act::Activation;
use act::kernels::{Kernels, Path};
use anyhow::Context;
use serde_json::{Value, json};

use crate::cmd::usage;

/// Measures throughput: the slice kernels (`kernels`) and training (`train`).
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: BenchCommand,
}

/// What `actlab bench` measures.
#[derive(clap::Subcommand, Debug)]
pub enum BenchCommand {
    /// The f32 slice kernels, forward and backward, against a plain copy.
    Kernels(KernelsArgs),
    /// Training throughput on the benchmark workloads.
    Train(crate::cmd::bench_train::TrainArgs),
}

/// Measures the f32 slice kernels (`act::kernels`) in elements per second.
///
/// For every function and size: `forward` is y = f(x) into a preallocated buffer, `backward` is
/// dx = dy·f′ into a third buffer, f′ from the output y where the function allows it (as a
/// network's backward pass runs it, and as PyTorch's sigmoid and tanh backward kernels do), else
/// from the input x; `copy` copies a buffer of the same size (the
/// memory-bandwidth yardstick: a forward kernel at copy speed is limited by memory alone).
/// softmax and log_softmax run over rows of 1024: forward with the row kernels
/// (`Kernels::softmax`, `Kernels::log_softmax`), backward from the output with the row kernels
/// (`Kernels::softmax_backward_from_output`, `Kernels::log_softmax_backward_from_output`). Inputs
/// are fixed pseudo-random values in [−8, 8].
///
/// Each figure is the best of 5 timed batches, a batch repeating the call for at least
/// --min-time seconds after one warm-up call: throughput = elements × calls / batch time.
///
/// Output: a table, or with --json exactly `{"threads": N, "results": [{"function": NAME,
/// "pass": "forward"|"backward", "size": N, "gelem_per_s": X}, ...], "copy": [{"size": N,
/// "gelem_per_s": X}, ...]}` (gelem_per_s is 10⁹ elements per second).
#[derive(clap::Args, Debug)]
pub struct KernelsArgs {
    /// Print JSON (the shape above) instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Worker threads (default 1). Slices of at least `act::kernels::PARALLEL_THRESHOLD`
    /// (65536) elements are split among them; results are the same for every count.
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=4096))]
    pub threads: usize,

    /// Comma-separated slice sizes in elements; a K or M suffix multiplies by 1024 or 1024²
    /// (default 4K,64K,16M).
    #[arg(long, value_name = "LIST", default_value = "4K,64K,16M")]
    pub sizes: String,

    /// Comma-separated function names (default: every element-wise function with its default
    /// parameters, then softmax and log_softmax).
    #[arg(long, value_name = "LIST")]
    pub functions: Option<String>,

    /// The kernel path: auto (the best this CPU has), portable, avx2, avx512 or neon. A path
    /// the CPU lacks is an error (exit 2).
    #[arg(long, value_name = "PATH", default_value = "auto")]
    pub path: String,

    /// Minimum seconds per timed batch.
    #[arg(long, value_name = "SECONDS", default_value_t = 0.05)]
    pub min_time: f64,
}

/// The row length of the row-wise functions.
const ROW: usize = 1024;

/// A function to measure.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Subject {
    Elementwise(Activation),
    Softmax,
    LogSoftmax,
}

impl Subject {
    fn name(self) -> &'static str {
        match self {
            Subject::Elementwise(a) => a.name(),
            Subject::Softmax => "softmax",
            Subject::LogSoftmax => "log_softmax",
        }
    }
}

/// One measured (function, pass, size).
struct Measured {
    function: &'static str,
    pass: &'static str,
    size: usize,
    gelem_per_s: f64,
}

/// Runs `actlab bench`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        BenchCommand::Kernels(args) => run_kernels(args),
        BenchCommand::Train(args) => crate::cmd::bench_train::run_train(args),
    }
}

fn run_kernels(args: &KernelsArgs) -> anyhow::Result<ExitCode> {
    let sizes = parse_sizes(&args.sizes)?;
    let subjects = parse_functions(args.functions.as_deref())?;
    let kernels = crate::cmd::parse_kernel_path(&args.path)?;
    if !(args.min_time.is_finite() && args.min_time > 0.0) {
        return Err(usage(format!(
            "--min-time {}: expected a positive number of seconds",
            args.min_time
        )));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()
        .context("starting the worker threads")?;
    let (results, copies) = pool.install(|| measure_all(kernels, &subjects, &sizes, args.min_time));
    if args.json {
        println!("{}", to_json(args.threads, &results, &copies));
    } else {
        println!("{}", table(kernels.path(), args.threads, &results, &copies));
    }
    Ok(ExitCode::SUCCESS)
}

/// Parses `4K,64K,16M`-style lists.
fn parse_sizes(list: &str) -> anyhow::Result<Vec<usize>> {
    let mut sizes = Vec::new();
    for token in list.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let (digits, scale) = match token.as_bytes()[token.len() - 1] {
            b'K' | b'k' => (&token[..token.len() - 1], 1usize << 10),
            b'M' | b'm' => (&token[..token.len() - 1], 1 << 20),
            _ => (token, 1),
        };
        let n: usize = digits
            .parse()
            .ok()
            .and_then(|n: usize| n.checked_mul(scale))
            .filter(|&n| n > 0)
            .ok_or_else(|| {
                usage(format!(
                    "--sizes: {token:?} is not a positive size (e.g. 4096, 64K, 16M)"
                ))
            })?;
        sizes.push(n);
    }
    if sizes.is_empty() {
        return Err(usage("--sizes: expected at least one size"));
    }
    Ok(sizes)
}

/// Parses the --functions list (default: the catalogue, softmax and log_softmax).
fn parse_functions(list: Option<&str>) -> anyhow::Result<Vec<Subject>> {
    let Some(list) = list else {
        let mut all: Vec<Subject> = act::ALL.iter().map(|&a| Subject::Elementwise(a)).collect();
        all.extend([Subject::Softmax, Subject::LogSoftmax]);
        return Ok(all);
    };
    let mut subjects = Vec::new();
    for name in list.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        subjects.push(match name {
            "softmax" => Subject::Softmax,
            "log_softmax" => Subject::LogSoftmax,
            _ => Subject::Elementwise(
                Activation::from_name(name).map_err(|err| usage(format!("--functions: {err}")))?,
            ),
        });
    }
    if subjects.is_empty() {
        return Err(usage("--functions: expected at least one name"));
    }
    Ok(subjects)
}

/// Fixed pseudo-random values in [−8, 8] (xorshift), the same on every run.
fn inputs(n: usize, seed: u64) -> Vec<f32> {
    let mut state = seed | 1;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state >> 40) as f32 / (1u64 << 24) as f32) * 16.0 - 8.0
        })
        .collect()
}

/// Best throughput (10⁹ elements/s) over 5 batches of `call`, each at least `min_time` seconds.
fn time(elements: usize, min_time: f64, mut call: impl FnMut()) -> f64 {
    call(); // warm-up: page faults, caches, the thread pool
    let mut best = 0.0f64;
    for _ in 0..5 {
        let start = Instant::now();
        let mut calls = 0u64;
        let seconds = loop {
            call();
            calls += 1;
            let seconds = start.elapsed().as_secs_f64();
            if seconds >= min_time {
                break seconds;
            }
        };
        best = best.max(elements as f64 * calls as f64 / seconds / 1e9);
    }
    best
}

/// A copy of `x` into `y`, split over the current pool like the kernels.
fn copy(x: &[f32], y: &mut [f32]) {
    use rayon::prelude::*;
    if x.len() >= act::kernels::PARALLEL_THRESHOLD && rayon::current_num_threads() > 1 {
        x.par_chunks(1 << 14)
            .zip(y.par_chunks_mut(1 << 14))
            .for_each(|(x, y)| y.copy_from_slice(x));
    } else {
        y.copy_from_slice(x);
    }
}

fn measure_all(
    kernels: Kernels,
    subjects: &[Subject],
    sizes: &[usize],
    min_time: f64,
) -> (Vec<Measured>, Vec<(usize, f64)>) {
    let mut results = Vec::new();
    let mut copies = Vec::new();
    for &size in sizes {
        let x = inputs(size, 0x1234_5678);
        let dy = inputs(size, 0x8765_4321);
        let mut y = vec![0.0f32; size];
        let mut dx = vec![0.0f32; size];
        copies.push((
            size,
            time(size, min_time, || copy(black_box(&x), black_box(&mut y))),
        ));
        for &subject in subjects {
            for pass in ["forward", "backward"] {
                let rows = size / ROW;
                let gelem_per_s = match subject {
                    Subject::Elementwise(a) if pass == "forward" => time(size, min_time, || {
                        kernels.forward(a, black_box(&x), black_box(&mut y))
                    }),
                    // From the output where f′ is a function of y (what a network's backward
                    // pass runs, and what PyTorch's sigmoid/tanh/elu backward kernels read),
                    // else from the input.
                    Subject::Elementwise(a) if a.has_derivative_from_output() => {
                        kernels.forward(a, &x, &mut y);
                        time(size, min_time, || {
                            kernels
                                .backward_from_output(
                                    a,
                                    black_box(&y),
                                    black_box(&dy),
                                    black_box(&mut dx),
                                )
                                .expect("f′ from the output exists")
                        })
                    }
                    Subject::Elementwise(a) => time(size, min_time, || {
                        kernels.backward(a, black_box(&x), black_box(&dy), black_box(&mut dx))
                    }),
                    // Row-wise: whole rows of 1024 (a size below one row measures nothing).
                    _ if rows == 0 => continue,
                    Subject::Softmax | Subject::LogSoftmax => {
                        let n = rows * ROW;
                        let (x, dy) = (&x[..n], &dy[..n]);
                        let forward = if subject == Subject::Softmax {
                            Kernels::softmax
                        } else {
                            Kernels::log_softmax
                        };
                        let backward = if subject == Subject::Softmax {
                            Kernels::softmax_backward_from_output
                        } else {
                            Kernels::log_softmax_backward_from_output
                        };
                        forward(kernels, x, &mut y[..n], ROW).expect("whole rows");
                        if pass == "forward" {
                            time(n, min_time, || {
                                forward(kernels, black_box(x), black_box(&mut y[..n]), ROW)
                                    .expect("whole rows")
                            })
                        } else {
                            let out = y[..n].to_vec();
                            time(n, min_time, || {
                                backward(kernels, black_box(&out), dy, black_box(&mut dx[..n]), ROW)
                                    .expect("whole rows")
                            })
                        }
                    }
                };
                results.push(Measured {
                    function: subject.name(),
                    pass,
                    size,
                    gelem_per_s,
                });
            }
        }
    }
    (results, copies)
}

fn to_json(threads: usize, results: &[Measured], copies: &[(usize, f64)]) -> Value {
    json!({
        "threads": threads,
        "results": results.iter().map(|m| json!({
            "function": m.function,
            "pass": m.pass,
            "size": m.size,
            "gelem_per_s": round3(m.gelem_per_s),
        })).collect::<Vec<_>>(),
        "copy": copies.iter().map(|&(size, g)| json!({
            "size": size,
            "gelem_per_s": round3(g),
        })).collect::<Vec<_>>(),
    })
}

/// Three significant digits are all a timing carries.
fn round3(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let scale = 10f64.powi(2 - v.abs().log10().floor() as i32);
    (v * scale).round() / scale
}

fn table(path: Path, threads: usize, results: &[Measured], copies: &[(usize, f64)]) -> String {
    let mut rows = vec![
        ["function", "pass", "size", "Gelem/s", "% of copy"]
            .map(String::from)
            .to_vec(),
    ];
    for &(size, g) in copies {
        rows.push(vec![
            "copy".into(),
            "-".into(),
            size.to_string(),
            format!("{}", round3(g)),
            "100".into(),
        ]);
    }
    for m in results {
        let copy = copies
            .iter()
            .find(|c| c.0 == m.size)
            .map_or(f64::NAN, |c| c.1);
        rows.push(vec![
            m.function.to_string(),
            m.pass.to_string(),
            m.size.to_string(),
            format!("{}", round3(m.gelem_per_s)),
            format!("{:.0}", 100.0 * m.gelem_per_s / copy),
        ]);
    }
    format!(
        "kernels on the {path} path, f32, threads: {threads}\n\n{}",
        crate::cmd::list::align(&rows)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(clap::Subcommand)]
    enum Command {
        Bench(Args),
    }

    fn parse(args: &[&str]) -> Result<KernelsArgs, clap::Error> {
        let cli = Cli::try_parse_from([&["actlab", "bench"], args].concat())?;
        match cli.command {
            Command::Bench(Args {
                command: BenchCommand::Kernels(k),
            }) => Ok(k),
            Command::Bench(other) => panic!("not `bench kernels`: {other:?}"),
        }
    }

    #[test]
    fn sizes_take_k_and_m_suffixes_and_reject_nonsense() {
        assert_eq!(
            parse_sizes("4K, 64K,16M,1000").unwrap(),
            [4096, 65536, 16 << 20, 1000]
        );
        for bad in ["", "0", "-4", "4G", "x", "99999999999999999999M"] {
            let err = parse_sizes(bad).unwrap_err();
            assert!(err.is::<crate::cmd::UsageError>(), "{bad}: {err}");
        }
    }

    #[test]
    fn flags_parse_with_their_defaults() {
        let k = parse(&["kernels"]).unwrap();
        assert_eq!(
            (k.threads, k.sizes.as_str(), k.json),
            (1, "4K,64K,16M", false)
        );
        let k = parse(&[
            "kernels",
            "--json",
            "--threads",
            "2",
            "--functions",
            "relu,softmax",
        ])
        .unwrap();
        assert!(k.json);
        assert_eq!(
            parse_functions(k.functions.as_deref()).unwrap(),
            [Subject::Elementwise(Activation::Relu), Subject::Softmax]
        );
        assert!(parse(&["kernels", "--threads", "0"]).is_err());
        assert!(parse_functions(Some("relu,glu")).is_err());
        assert!(crate::cmd::parse_kernel_path("sse9").is_err());
        assert!(crate::cmd::parse_kernel_path("portable").is_ok());
    }

    #[test]
    fn json_has_exactly_the_documented_shape() {
        let results = measure_all(
            Kernels::new(),
            &[Subject::Elementwise(Activation::Sigmoid), Subject::Softmax],
            &[2048],
            1e-4,
        );
        let v = to_json(1, &results.0, &results.1);
        let keys = |v: &Value| {
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        assert_eq!(keys(&v), ["copy", "results", "threads"]);
        let rows = v["results"].as_array().unwrap();
        assert_eq!(rows.len(), 4); // sigmoid and softmax, forward and backward
        for row in rows {
            assert_eq!(keys(row), ["function", "gelem_per_s", "pass", "size"]);
            assert!(row["gelem_per_s"].as_f64().unwrap() > 0.0);
            assert!(["forward", "backward"].contains(&row["pass"].as_str().unwrap()));
        }
        assert_eq!(keys(&v["copy"][0]), ["gelem_per_s", "size"]);
        assert_eq!(v["copy"][0]["size"], 2048);
    }
}
