//! The GEMM contest behind `docs/PERFORMANCE.md` ("GEMM choice"): `gemm`, `matrixmultiply` and
//! `faer` on the exact products the training engine issues, in f32 and f64, on 1 and 2 threads,
//! with a bit-for-bit comparison of each crate's 1- and 2-thread results, and what each crate's
//! product costs the scalar code that runs after it (the "aftermath" table).
//!
//! Run with:
//!
//! ```text
//! cargo bench -p actlab-nn --features gemm-compare --bench gemm -- [REPEATS]
//! ```
//!
//! A small timing harness rather than divan/criterion: `matrixmultiply` reads its thread count
//! once per process (`MATMUL_NUM_THREADS`), so each thread count runs in a child process of this
//! same binary, and what we want per case is the minimum over many repeats (the machine is shared,
//! so the minimum is the least-disturbed run), not a mean with confidence intervals.
//!
//! The products, for a dense layer with weights W (out × in, row-major) on a batch X (batch × in):
//! - `fwd`: Y = X·Wᵀ, (batch × in)·(in × out), Wᵀ read through strides (no copy);
//! - `dW`: dW += dYᵀ·X, (out × batch)·(batch × in), dYᵀ read through strides, accumulated;
//! - `dX`: dX = dY·W, (batch × out)·(out × in).

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

/// The element types compared.
trait Elem:
    faer::traits::ComplexField + Copy + Default + PartialEq + std::fmt::Debug + Send + Sync + 'static
{
    const NAME: &'static str;
    fn from_f64(x: f64) -> Self;
    fn to_bits64(self) -> u64;
    fn to_f64(self) -> f64;
    /// C (m×n) = [C +] A (m×k)·B (k×n) with `matrixmultiply`, strides in elements.
    #[allow(clippy::too_many_arguments)]
    unsafe fn mm(
        m: usize,
        k: usize,
        n: usize,
        a: *const Self,
        rsa: isize,
        csa: isize,
        b: *const Self,
        rsb: isize,
        csb: isize,
        beta: Self,
        c: *mut Self,
        rsc: isize,
        csc: isize,
    );
}

impl Elem for f32 {
    const NAME: &'static str = "f32";
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    fn to_bits64(self) -> u64 {
        self.to_bits() as u64
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
    unsafe fn mm(
        m: usize,
        k: usize,
        n: usize,
        a: *const Self,
        rsa: isize,
        csa: isize,
        b: *const Self,
        rsb: isize,
        csb: isize,
        beta: Self,
        c: *mut Self,
        rsc: isize,
        csc: isize,
    ) {
        // SAFETY: the caller passes pointers and strides that describe live, non-overlapping
        // matrices of the stated shapes.
        unsafe { matrixmultiply::sgemm(m, k, n, 1.0, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc) }
    }
}

impl Elem for f64 {
    const NAME: &'static str = "f64";
    fn from_f64(x: f64) -> Self {
        x
    }
    fn to_bits64(self) -> u64 {
        self.to_bits()
    }
    fn to_f64(self) -> f64 {
        self
    }
    unsafe fn mm(
        m: usize,
        k: usize,
        n: usize,
        a: *const Self,
        rsa: isize,
        csa: isize,
        b: *const Self,
        rsb: isize,
        csb: isize,
        beta: Self,
        c: *mut Self,
        rsc: isize,
        csc: isize,
    ) {
        // SAFETY: as for f32.
        unsafe { matrixmultiply::dgemm(m, k, n, 1.0, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc) }
    }
}

/// One product C (m×n) = [C +] A (m×k)·B (k×n), each operand a strided view of a buffer.
#[derive(Clone, Copy, Debug)]
struct Case {
    label: &'static str,
    op: &'static str,
    m: usize,
    k: usize,
    n: usize,
    /// A's (row, column) strides.
    a_strides: (isize, isize),
    /// B's (row, column) strides.
    b_strides: (isize, isize),
    /// Accumulate into C (dW) or overwrite it.
    accumulate: bool,
}

/// The three products of a dense layer `inputs → outputs` on a batch.
fn layer(label: &'static str, batch: usize, inputs: usize, outputs: usize) -> [Case; 3] {
    [
        // Y (batch, out) = X (batch, in) · Wᵀ (in, out); W is (out, in) row-major.
        Case {
            label,
            op: "fwd  Y=X·Wᵀ",
            m: batch,
            k: inputs,
            n: outputs,
            a_strides: (inputs as isize, 1),
            b_strides: (1, inputs as isize),
            accumulate: false,
        },
        // dW (out, in) += dYᵀ (out, batch) · X (batch, in); dY is (batch, out) row-major.
        Case {
            label,
            op: "dW  +=dYᵀ·X",
            m: outputs,
            k: batch,
            n: inputs,
            a_strides: (1, outputs as isize),
            b_strides: (inputs as isize, 1),
            accumulate: true,
        },
        // dX (batch, in) = dY (batch, out) · W (out, in).
        Case {
            label,
            op: "dX  =dY·W",
            m: batch,
            k: outputs,
            n: inputs,
            a_strides: (outputs as isize, 1),
            b_strides: (inputs as isize, 1),
            accumulate: false,
        },
    ]
}

fn cases() -> Vec<Case> {
    let mut all = Vec::new();
    all.extend(layer("128·784→256", 128, 784, 256));
    all.extend(layer("128·256→256", 128, 256, 256));
    all.extend(layer("128·256→10", 128, 256, 10));
    // The playground's layers (batch 10: 2 → 8, 8 → 8) and a deep-narrow one (64 → 64, batch
    // 64), where per-call overhead is the cost.
    all.extend(layer("10·2→8", 10, 2, 8));
    all.extend(layer("10·8→8", 10, 8, 8));
    all.extend(layer("64·64→64", 64, 64, 64));
    all
}

const CRATES: [&str; 3] = ["gemm", "matrixmultiply", "faer"];

/// Deterministic inputs in [−1, 1) (a 64-bit LCG; no rand dependency needed here).
fn fill<T: Elem>(buf: &mut [T], seed: u64) {
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    for v in buf {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *v = T::from_f64(((s >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0);
    }
}

/// C = [C +] A·B with crate `which` on `threads` threads.
fn run<T: Elem>(which: &str, threads: usize, case: &Case, a: &[T], b: &[T], c: &mut [T]) {
    let Case { m, k, n, .. } = *case;
    let (rsa, csa) = case.a_strides;
    let (rsb, csb) = case.b_strides;
    let (rsc, csc) = (n as isize, 1isize);
    match which {
        "gemm" => {
            let par = if threads == 1 {
                gemm::Parallelism::None
            } else {
                gemm::Parallelism::Rayon(threads)
            };
            // gemm's convention: dst := alpha·dst + beta·lhs·rhs.
            let one = T::from_f64(1.0);
            let zero = T::from_f64(0.0);
            // SAFETY: the strides describe the buffers' shapes, and C does not alias A or B.
            unsafe {
                gemm::gemm(
                    m,
                    n,
                    k,
                    c.as_mut_ptr(),
                    csc,
                    rsc,
                    case.accumulate,
                    a.as_ptr(),
                    csa,
                    rsa,
                    b.as_ptr(),
                    csb,
                    rsb,
                    if case.accumulate { one } else { zero },
                    one,
                    false,
                    false,
                    false,
                    par,
                )
            }
        }
        "matrixmultiply" => {
            let beta = T::from_f64(if case.accumulate { 1.0 } else { 0.0 });
            // SAFETY: as above.
            unsafe {
                T::mm(
                    m,
                    k,
                    n,
                    a.as_ptr(),
                    rsa,
                    csa,
                    b.as_ptr(),
                    rsb,
                    csb,
                    beta,
                    c.as_mut_ptr(),
                    rsc,
                    csc,
                )
            }
        }
        "faer" => {
            let par = if threads == 1 {
                faer::Par::Seq
            } else {
                faer::Par::rayon(threads)
            };
            let accum = if case.accumulate {
                faer::Accum::Add
            } else {
                faer::Accum::Replace
            };
            faer_typed(par, accum, case, a, b, c, T::from_f64(1.0));
        }
        _ => unreachable!(),
    }
}

fn faer_typed<T: faer::traits::ComplexField + Copy>(
    par: faer::Par,
    accum: faer::Accum,
    case: &Case,
    a: &[T],
    b: &[T],
    c: &mut [T],
    one: T,
) {
    let Case { m, k, n, .. } = *case;
    // SAFETY: the strides describe the buffers' shapes (checked by `span` in `main`).
    let (a, b) = unsafe {
        (
            faer::MatRef::from_raw_parts(a.as_ptr(), m, k, case.a_strides.0, case.a_strides.1),
            faer::MatRef::from_raw_parts(b.as_ptr(), k, n, case.b_strides.0, case.b_strides.1),
        )
    };
    let c = faer::MatMut::from_row_major_slice_mut(c, m, n);
    faer::linalg::matmul::matmul(c, accum, a, b, one, par);
}

/// The minimum time per call over `repeats` timed batches (each batch ≈ 2 ms of calls).
fn time<T: Elem>(
    which: &str,
    threads: usize,
    case: &Case,
    a: &[T],
    b: &[T],
    c: &mut [T],
    repeats: usize,
) -> Duration {
    // Warm up (packing buffers, thread pools, caches) and size a batch to about 2 ms.
    let start = Instant::now();
    let mut calls = 0u32;
    while start.elapsed() < Duration::from_millis(20) || calls < 3 {
        run(which, threads, case, a, b, c);
        calls += 1;
    }
    let per_call = start.elapsed() / calls;
    let batch = (Duration::from_millis(2).as_nanos() / per_call.as_nanos().max(1)).max(1) as u32;
    let mut best = Duration::MAX;
    for _ in 0..repeats {
        if case.accumulate {
            c.fill(T::default()); // keep dW bounded across batches
        }
        let t = Instant::now();
        for _ in 0..batch {
            run(
                which,
                threads,
                black_box(case),
                black_box(a),
                black_box(b),
                c,
            );
        }
        best = best.min(t.elapsed() / batch);
    }
    best
}

/// The length a strided (rows × cols) view spans.
fn span(rows: usize, cols: usize, (rs, cs): (isize, isize)) -> usize {
    (rows - 1) * rs as usize + (cols - 1) * cs as usize + 1
}

/// One result line per (crate, type, case): time in µs, GFLOP/s and an FNV hash of C's bits
/// after one call from a fixed state (for the cross-thread-count comparison).
fn child<T: Elem>(threads: usize, repeats: usize) {
    for case in cases() {
        let mut a = vec![T::default(); span(case.m, case.k, case.a_strides)];
        let mut b = vec![T::default(); span(case.k, case.n, case.b_strides)];
        fill(&mut a, 1);
        fill(&mut b, 2);
        for which in CRATES {
            let mut c = vec![T::default(); case.m * case.n];
            fill(&mut c, 3);
            run(which, threads, &case, &a, &b, &mut c);
            // Check against a naive f64 product, so a misread stride cannot pass as fast.
            let mut max_err = 0.0f64;
            let mut c0 = vec![T::default(); case.m * case.n];
            fill(&mut c0, 3);
            for i in 0..case.m {
                for j in 0..case.n {
                    let mut s = if case.accumulate {
                        c0[i * case.n + j].to_f64()
                    } else {
                        0.0
                    };
                    for p in 0..case.k {
                        let ai = a[i * case.a_strides.0 as usize + p * case.a_strides.1 as usize];
                        let bj = b[p * case.b_strides.0 as usize + j * case.b_strides.1 as usize];
                        s += ai.to_f64() * bj.to_f64();
                    }
                    max_err = max_err.max((s - c[i * case.n + j].to_f64()).abs());
                }
            }
            assert!(
                max_err < 1e-3,
                "{which} {} {}: wrong result ({max_err})",
                case.label,
                case.op
            );
            let hash = c.iter().fold(0xcbf29ce484222325u64, |h, v| {
                (h ^ v.to_bits64()).wrapping_mul(0x100000001b3)
            });
            let t = time(which, threads, &case, &a, &b, &mut c, repeats);
            let flops = 2.0 * (case.m * case.n * case.k) as f64;
            println!(
                "RESULT\t{which}\t{}\t{}\t{}\t{threads}\t{:.3}\t{:.2}\t{hash:016x}",
                T::NAME,
                case.label,
                case.op,
                t.as_secs_f64() * 1e6,
                flops / t.as_secs_f64() / 1e9
            );
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `--child THREADS REPEATS`: one thread count, in this process.
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let threads: usize = args[i + 1].parse().expect("thread count");
        let repeats: usize = args[i + 2].parse().expect("repeat count");
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .expect("the global rayon pool is built once");
        child::<f32>(threads, repeats);
        child::<f64>(threads, repeats);
        if threads == 1 {
            aftermath(repeats);
        }
        return;
    }
    let repeats: usize = args
        .iter()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(30);
    let exe = std::env::current_exe().expect("own path");
    let mut aftermath_lines = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for threads in [1usize, 2] {
        let out = Command::new(&exe)
            .args(["--child", &threads.to_string(), &repeats.to_string()])
            .env("MATMUL_NUM_THREADS", threads.to_string())
            .output()
            .expect("child run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if let Some(rest) = line.strip_prefix("RESULT\t") {
                rows.push(rest.split('\t').map(str::to_string).collect());
            } else if let Some(rest) = line.strip_prefix("AFTERMATH\t") {
                aftermath_lines.push(rest.to_string());
            }
        }
    }
    // Markdown: one row per (type, case, op), µs for each crate at 1 and 2 threads, and whether
    // the 2-thread result equals the 1-thread one bit for bit.
    println!(
        "| type | shape | product | gemm 1t | gemm 2t | matrixmultiply 1t | matrixmultiply 2t | faer 1t | faer 2t | bit-identical 1t/2t (gemm, mm, faer) |"
    );
    println!("|---|---|---|---:|---:|---:|---:|---:|---:|---|");
    let find = |which: &str, ty: &str, label: &str, op: &str, t: &str| {
        rows.iter()
            .find(|r| r[0] == which && r[1] == ty && r[2] == label && r[3] == op && r[4] == t)
            .cloned()
            .expect("every combination ran")
    };
    for ty in ["f32", "f64"] {
        for case in cases() {
            let mut line = format!("| {ty} | {} | {} |", case.label, case.op);
            let mut same = Vec::new();
            for which in CRATES {
                let one = find(which, ty, case.label, case.op, "1");
                let two = find(which, ty, case.label, case.op, "2");
                line += &format!(" {} | {} |", one[5], two[5]);
                same.push(if one[7] == two[7] { "yes" } else { "NO" });
            }
            line += &format!(" {} |", same.join(", "));
            println!("{line}");
        }
    }
    println!();
    println!("| after | 4096 f32 sigmoids (µs) |");
    println!("|---|---:|");
    for line in aftermath_lines {
        println!("{line}");
    }
}

/// What a product leaves behind: the time of 4096 f32 sigmoids (each an `exp` from the C
/// library) right after one 64·64·64 product from each crate, against the same sigmoids after
/// no product. A kernel that returns with the upper halves of the AVX registers dirty makes the
/// SSE-encoded code after it slow; an engine interleaves products and activations, so this cost
/// is part of a product's cost.
fn aftermath(repeats: usize) {
    let case = layer("64·64→64", 64, 64, 64)[0];
    let mut a = vec![0.0f32; span(case.m, case.k, case.a_strides)];
    let mut b = vec![0.0f32; span(case.k, case.n, case.b_strides)];
    fill(&mut a, 1);
    fill(&mut b, 2);
    let mut c = vec![0.0f32; case.m * case.n];
    let z: Vec<f32> = a[..4096].iter().map(|v| 4.0 * v).collect();
    for which in ["none", "gemm", "matrixmultiply", "faer"] {
        let mut best = Duration::MAX;
        for _ in 0..repeats {
            if which != "none" {
                run(which, 1, &case, &a, &b, &mut c);
            }
            let t = Instant::now();
            let mut sum = 0.0f32;
            for &v in black_box(&z) {
                sum += act::Activation::Sigmoid.forward(v);
            }
            black_box(sum);
            best = best.min(t.elapsed());
        }
        println!("AFTERMATH\t| {which} | {:.1} |", best.as_secs_f64() * 1e6);
    }
}
