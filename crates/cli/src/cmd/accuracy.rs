//! `actlab accuracy`: every f32 result measured in ULPs against the double-double reference.

use std::fs::File;
use std::io::{BufReader, IsTerminal, Read};
use std::ops::Range;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use act::Activation;
use act::accuracy::{
    DEFAULT_STRIDE, Pass, Stats, evaluate, kernel_values, sweep, sweep_many, sweep_with,
};
use act::kernels::{Kernels, Path};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::cmd::{elementwise, usage};
use crate::number::{self, json_f32, json_f64};

/// One past the last f32 bit pattern.
const END: u64 = 1 << 32;
/// Inputs (swept bit patterns) per unit of parallel work. Chunks are fixed by the stride alone
/// and their `Stats` are merged in chunk order, so results do not depend on the thread count.
const CHUNK: u64 = 1 << 16;
/// Chunks swept between two reads of `--outputs` values (at most 16 MiB of f32s in memory).
const CHUNKS_PER_READ: usize = 64;
/// The `implementation` of actlab's own results.
const ACTLAB: &str = "actlab";
/// The `implementation` of `--outputs` results without `--label`.
const DEFAULT_LABEL: &str = "external";

/// Measures the error of every f32 result in ULPs against the exact value.
///
/// The exact value is the double-double reference; each (function, pass) is checked against the
/// catalogue's bounds: 1 ULP forward, 2 ULP for the derivative.
///
/// The sweep visits the bit patterns start, start + stride, … below 2³² in ascending order
/// (start = 0), skipping the NaN patterns (infinities and both zeros are included). The default
/// stride (4099, a prime) samples about a million inputs from every binade of both signs;
/// --exhaustive visits all 2³² patterns.
///
/// Output: a table (function, pass, implementation, inputs, max ULP, the input x where it
/// occurs, mean ULP, bound, ok?) or, with --json, an object `{"mode": "strided"|"exhaustive",
/// "stride": N, "threads": N, "outputs": null|FILE, "compare": BOOL, "path": null|PATH, "results": [{"function",
/// "pass", "implementation", "inputs", "max_ulp", "max_ulp_at", "got", "exact", "mean_ulp",
/// "bound_ulp", "within_bound", "over_bound", "infinite_errors", "max_finite_ulp",
/// "max_finite_ulp_at", "seconds"}]}`. `implementation` is "actlab" for actlab's results and the
/// --label name for --outputs values. `max_ulp_at` and `got` are f32 values written as their
/// shortest decimal; `exact` is the reference rounded to f64. JSON has no infinity: ±∞ and NaN
/// are written as the strings "inf", "-inf" and "nan". max_ulp is "inf" where a NaN or infinity
/// is wrong; `infinite_errors` counts those inputs and `max_finite_ulp` (at `max_finite_ulp_at`)
/// is the largest error over the others. The mean counts every input but sums finite errors only.
///
/// Progress goes to stderr when it is a terminal. Exit status 1 if any result exceeds its
/// bound, 0 otherwise, 2 on a usage or input error.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Sweep all 2³² f32 bit patterns (stride 1) instead of the strided sample. Minutes per
    /// function and pass on a many-core machine.
    #[arg(long, conflicts_with = "stride")]
    pub exhaustive: bool,

    /// Measure this function only; repeat for several (default: every element-wise function
    /// with its default parameters). Parameters may be given as `NAME(KEY=VALUE, …)`, e.g.
    /// `--function 'leaky_relu(negative_slope=0.2)'`. An unknown or non-element-wise name is an
    /// error (exit 2).
    #[arg(long = "function", value_name = "NAME")]
    pub functions: Vec<String>,

    /// Measure this pass only (default: both).
    #[arg(long, value_enum)]
    pub pass: Option<PassArg>,

    /// Print the results as JSON (see above) instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Visit every N-th bit pattern (1 to 2³²; default 4099, `act::accuracy::DEFAULT_STRIDE`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=END))]
    pub stride: Option<u64>,

    /// Worker threads (default: one per CPU). The results are the same for every count.
    #[arg(long, value_name = "N", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=4096))]
    pub threads: Option<usize>,

    /// Measure another implementation: read its f32 results from FILE (`-` for stdin) instead
    /// of computing actlab's (or beside them: --compare). Needs exactly one --function and one --pass. FILE holds raw
    /// little-endian f32 values, 4 bytes each, one per swept input in sweep order: bit patterns
    /// 0, stride, 2·stride, … below 2³², ascending, with the NaN patterns skipped (so no
    /// value for them). A file with more or fewer values than inputs is an error (exit 2)
    /// saying how many were expected and how many were found.
    #[arg(long, value_name = "FILE")]
    pub outputs: Option<PathBuf>,

    /// With --outputs: measure actlab's own results as well, in the same sweep and against the
    /// same reference values (the dear part, computed once per input). Each (function, pass)
    /// then gives two results, actlab's first, then the --outputs implementation's.
    /// `tools/torch_accuracy.py` measures PyTorch this way, e.g. `… --function gelu --pass
    /// forward --outputs - --compare --label pytorch --json`.
    #[arg(long, requires = "outputs")]
    pub compare: bool,

    /// With --outputs: the name its results are reported under, in the `implementation` field
    /// and column (default "external"; "actlab" is reserved for actlab's own results).
    #[arg(long, value_name = "NAME", requires = "outputs",
          value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub label: Option<String>,

    /// Measure actlab's slice kernels (`act::kernels`) on this path instead of the scalar
    /// functions: portable, avx2, avx512, neon, or auto (the best this CPU has). The sweep's
    /// inputs go through the kernel a chunk at a time (the derivative as backward with dy = 1),
    /// so the bounds are proved for the code that runs on that path. A path this CPU lacks is an
    /// error (exit 2). The JSON gains `"path"` (null without this option).
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,
}

/// The `--pass` values.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassArg {
    /// f(x).
    Forward,
    /// f′(x), from the input.
    Derivative,
}

impl From<PassArg> for Pass {
    fn from(pass: PassArg) -> Pass {
        match pass {
            PassArg::Forward => Pass::Forward,
            PassArg::Derivative => Pass::Derivative,
        }
    }
}

/// Whose results a sweep measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Subjects {
    /// actlab's own (no --outputs).
    Actlab,
    /// The --outputs values.
    External,
    /// actlab's and the --outputs values, against one reference evaluation (--compare).
    Both,
}

impl Subjects {
    /// The `implementation` names of the results, in the order [`measure`] returns them.
    fn names(self, label: &str) -> Vec<&str> {
        match self {
            Subjects::Actlab => vec![ACTLAB],
            Subjects::External => vec![label],
            Subjects::Both => vec![ACTLAB, label],
        }
    }

    /// How many results a sweep gives.
    fn count(self) -> usize {
        if self == Subjects::Both { 2 } else { 1 }
    }
}

/// One measured (function, pass, implementation).
struct Measured {
    activation: Activation,
    pass: Pass,
    implementation: String,
    stats: Stats,
    /// The whole sweep's time (shared by the results of a --compare sweep).
    seconds: f64,
}

/// The fixed partition of a sweep into chunks of [`CHUNK`] inputs.
#[derive(Clone, Copy)]
struct Plan {
    stride: u64,
    /// Swept bit patterns, NaN patterns included: ⌈2³²/stride⌉.
    patterns: u64,
}

impl Plan {
    fn new(stride: u64) -> Plan {
        Plan {
            stride,
            patterns: END.div_ceil(stride),
        }
    }

    fn chunks(self) -> usize {
        // At most 2³²/2¹⁶ = 65536.
        self.patterns.div_ceil(CHUNK) as usize
    }

    /// The bit range `[start, end)` of chunk `k` (start is on the stride grid).
    fn bits(self, k: usize) -> (u64, u64) {
        let first = k as u64 * CHUNK;
        let last = (first + CHUNK).min(self.patterns);
        (first * self.stride, (last * self.stride).min(END))
    }

    /// Bit patterns in chunk `k`, NaN patterns included.
    fn patterns_in(self, k: usize) -> u64 {
        let first = k as u64 * CHUNK;
        (first + CHUNK).min(self.patterns) - first
    }

    /// Inputs in chunk `k`: its patterns that are not NaN (one `--outputs` value each).
    fn inputs_in(self, k: usize) -> u64 {
        let (start, end) = self.bits(k);
        (start..end)
            .step_by(self.stride as usize)
            .filter(|&bits| !f32::from_bits(bits as u32).is_nan())
            .count() as u64
    }
}

/// Runs `actlab accuracy`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let activations = if args.functions.is_empty() {
        act::ALL.to_vec()
    } else {
        args.functions
            .iter()
            .map(|spec| parse_function(spec))
            .collect::<anyhow::Result<Vec<_>>>()?
    };
    let passes: Vec<Pass> = match args.pass {
        Some(pass) => vec![pass.into()],
        None => vec![Pass::Forward, Pass::Derivative],
    };
    if args.outputs.is_some() && (activations.len() != 1 || passes.len() != 1) {
        return Err(usage(
            "--outputs measures one function and one pass: give exactly one --function and one \
             --pass",
        ));
    }
    let subjects = match (&args.outputs, args.compare) {
        (None, _) => Subjects::Actlab,
        (Some(_), false) => Subjects::External,
        (Some(_), true) => Subjects::Both,
    };
    let label = args.label.as_deref().unwrap_or(DEFAULT_LABEL);
    if label == ACTLAB {
        return Err(usage(
            "--label actlab would pass the --outputs values off as actlab's own: choose another \
             name",
        ));
    }
    let stride = if args.exhaustive {
        1
    } else {
        args.stride.unwrap_or(DEFAULT_STRIDE)
    };
    let plan = Plan::new(stride);
    let kernels = args
        .path
        .as_deref()
        .map(crate::cmd::parse_kernel_path)
        .transpose()?;

    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(threads) = args.threads {
        pool = pool.num_threads(threads);
    }
    let pool = pool.build().context("starting the worker threads")?;
    let threads = pool.current_num_threads();

    let progress = progress_bar(plan.patterns * (activations.len() * passes.len()) as u64);
    let mut results = Vec::new();
    for &activation in &activations {
        for &pass in &passes {
            progress.set_message(format!("{activation} {}", pass.name()));
            let started = Instant::now();
            let outputs = match &args.outputs {
                Some(path) => Some(Outputs::open(path, activation, pass, plan, &pool)?),
                None => None,
            };
            let stats = measure(
                activation, pass, plan, subjects, kernels, outputs, &pool, &progress,
            )?;
            let seconds = started.elapsed().as_secs_f64();
            for (implementation, stats) in subjects.names(label).into_iter().zip(stats) {
                results.push(Measured {
                    activation,
                    pass,
                    implementation: implementation.to_string(),
                    stats,
                    seconds,
                });
            }
        }
    }
    progress.finish_and_clear();

    let text = if args.json {
        let mut text = serde_json::to_string_pretty(&to_json(
            &results,
            stride,
            threads,
            args.outputs.as_ref(),
            args.compare,
            kernels.map(Kernels::path),
        ))?;
        text.push('\n');
        text
    } else {
        let text = table(&results, stride, threads);
        match kernels {
            // The header line names the kernel path measured.
            Some(k) => text.replacen('\n', &format!(", kernels: {}\n", k.path()), 1),
            None => text,
        }
    };
    super::print_stdout(&text)?;

    let over = results.iter().filter(|m| m.stats.over_bound > 0).count();
    if over > 0 {
        eprintln!(
            "actlab: {over} of {} results exceed their bound",
            results.len()
        );
        Ok(ExitCode::from(1))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

/// `NAME` or `NAME(KEY=VALUE, …)`, element-wise only.
fn parse_function(spec: &str) -> anyhow::Result<Activation> {
    let name = spec.split('(').next().unwrap_or(spec).trim();
    let activation = elementwise(name, &[], "accuracy")?;
    if spec.contains('(') {
        spec.parse::<Activation>()
            .map_err(|err| usage(format!("invalid --function {spec:?}: {err}")))
    } else {
        Ok(activation)
    }
}

/// A progress bar on stderr, hidden when stderr is not a terminal.
fn progress_bar(total: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{msg:24} [{bar:40}] {percent:>3}% {human_pos}/{human_len} inputs, eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Sweeps one (function, pass) for `subjects`: chunks in parallel, merged in chunk order. With
/// `outputs`, in groups of [`CHUNKS_PER_READ`] chunks between which the next values are read, so
/// that memory stays bounded (an exhaustive file is 16 GiB); without, in one group. Returns one
/// `Stats` per subject, in the order of [`Subjects::names`].
#[allow(clippy::too_many_arguments)]
fn measure(
    activation: Activation,
    pass: Pass,
    plan: Plan,
    subjects: Subjects,
    kernels: Option<Kernels>,
    mut outputs: Option<Outputs>,
    pool: &rayon::ThreadPool,
    progress: &ProgressBar,
) -> anyhow::Result<Vec<Stats>> {
    let mut totals = vec![Stats::default(); subjects.count()];
    let group_size = if outputs.is_some() {
        CHUNKS_PER_READ
    } else {
        plan.chunks()
    };
    for group_start in (0..plan.chunks()).step_by(group_size) {
        let group = group_start..(group_start + group_size).min(plan.chunks());
        let values = match &mut outputs {
            Some(outputs) => outputs.read(group.clone())?,
            None => Vec::new(),
        };
        // Each chunk's slice of the values, in order (all empty without --outputs).
        let slices = match &outputs {
            Some(outputs) => outputs.split(&values, group.clone()),
            None => vec![&values[..]; group.len()],
        };
        let parts: Vec<Vec<Stats>> = pool.install(|| {
            group
                .into_par_iter()
                .zip(slices)
                .map(|(k, external)| {
                    let stats = sweep_chunk(activation, pass, plan, k, subjects, kernels, external);
                    progress.inc(plan.patterns_in(k));
                    stats
                })
                .collect()
        });
        for part in parts {
            for (total, stats) in totals.iter_mut().zip(part) {
                *total = total.merge(stats);
            }
        }
    }
    if let Some(outputs) = outputs {
        outputs.finish()?;
    }
    Ok(totals)
}

/// Sweeps chunk `k` for `subjects`; `external` holds the --outputs values of its inputs, in
/// sweep order (empty without --outputs).
fn sweep_chunk(
    activation: Activation,
    pass: Pass,
    plan: Plan,
    k: usize,
    subjects: Subjects,
    kernels: Option<Kernels>,
    external: &[f32],
) -> Vec<Stats> {
    let (start, end) = plan.bits(k);
    let stride = plan.stride;
    // The sweep asks for exactly one value per non-NaN input, which is how `Outputs::split`
    // sized the slice (and `kernel_values` its result); the NaN is unreachable.
    let mut values = external.iter().copied();
    let mut next = move || values.next().unwrap_or(f32::NAN);
    // With --path, actlab's values come from the kernel, computed for the whole chunk at once.
    let kernel = kernels.map(|k| kernel_values(activation, pass, start, end, stride, k));
    let mut kernel_values = kernel.iter().flatten().copied();
    let mut actlab = move |x: f32| match kernels {
        Some(_) => kernel_values.next().unwrap_or(f32::NAN),
        None => evaluate(activation, pass, x),
    };
    match subjects {
        Subjects::Actlab if kernels.is_none() => vec![sweep(activation, pass, start, end, stride)],
        Subjects::Actlab => vec![sweep_with(activation, pass, start, end, stride, actlab)],
        Subjects::External => vec![sweep_with(activation, pass, start, end, stride, |_| next())],
        Subjects::Both => sweep_many(activation, pass, start, end, stride, |x| {
            [actlab(x), next()]
        })
        .to_vec(),
    }
}

/// The --outputs values of one (function, pass), read a group of chunks at a time.
struct Outputs {
    reader: BufReader<Box<dyn Read>>,
    /// The file as error messages name it ("stdin" for `-`).
    shown: String,
    /// Values per chunk: its non-NaN inputs.
    counts: Vec<u64>,
    /// Values in all: one per non-NaN input.
    expected: u64,
    /// What the values are for, as error messages say it.
    sweep: String,
    bytes_read: u64,
}

impl Outputs {
    /// Opens `path` (`-` for stdin); a regular file of the wrong size is an error at once.
    fn open(
        path: &PathBuf,
        activation: Activation,
        pass: Pass,
        plan: Plan,
        pool: &rayon::ThreadPool,
    ) -> anyhow::Result<Outputs> {
        let from_stdin = path.as_os_str() == "-";
        let shown = if from_stdin {
            "stdin".to_string()
        } else {
            path.display().to_string()
        };
        let counts: Vec<u64> = pool.install(|| {
            (0..plan.chunks())
                .into_par_iter()
                .map(|k| plan.inputs_in(k))
                .collect()
        });
        let (reader, size): (Box<dyn Read>, Option<u64>) = if from_stdin {
            (Box::new(std::io::stdin().lock()), None)
        } else {
            let file = File::open(path).with_context(|| format!("opening {shown}"))?;
            let metadata = file
                .metadata()
                .with_context(|| format!("reading the size of {shown}"))?;
            let size = metadata.is_file().then_some(metadata.len());
            (Box::new(file), size)
        };
        let outputs = Outputs {
            reader: BufReader::with_capacity(1 << 20, reader),
            shown,
            expected: counts.iter().sum(),
            counts,
            sweep: format!("{activation} {} at stride {}", pass.name(), plan.stride),
            bytes_read: 0,
        };
        // A regular file's size is known: fail before sweeping anything.
        match size {
            Some(bytes) if bytes != outputs.expected * 4 => Err(outputs.mismatch(bytes)),
            _ => Ok(outputs),
        }
    }

    /// The values of the chunks in `group`, which must follow the previous group read.
    fn read(&mut self, group: Range<usize>) -> anyhow::Result<Vec<f32>> {
        let values: u64 = self.counts[group].iter().sum();
        let mut buffer = vec![0u8; values as usize * 4];
        let n = read_fully(&mut self.reader, &mut buffer)
            .with_context(|| format!("reading {}", self.shown))?;
        self.bytes_read += n as u64;
        if n < buffer.len() {
            return Err(self.mismatch(self.bytes_read));
        }
        Ok(buffer
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }

    /// `values` (as [`read`](Outputs::read) returned them for `group`) cut into one slice per
    /// chunk.
    fn split<'a>(&self, values: &'a [f32], group: Range<usize>) -> Vec<&'a [f32]> {
        let mut rest = values;
        self.counts[group]
            .iter()
            .map(|&count| {
                let (head, tail) = rest.split_at(count as usize);
                rest = tail;
                head
            })
            .collect()
    }

    /// Checks that nothing is left over (a pipe's length is only known at its end).
    fn finish(mut self) -> anyhow::Result<()> {
        let extra = std::io::copy(&mut self.reader, &mut std::io::sink())
            .with_context(|| format!("reading {}", self.shown))?;
        if extra > 0 {
            return Err(self.mismatch(self.bytes_read + extra));
        }
        Ok(())
    }

    /// The usage error for an input of `bytes` bytes, saying what was expected.
    fn mismatch(&self, bytes: u64) -> anyhow::Error {
        let got = if bytes.is_multiple_of(4) {
            format!("{}", bytes / 4)
        } else {
            format!("{} and {} stray bytes", bytes / 4, bytes % 4)
        };
        usage(format!(
            "{}: expected {} f32 values ({} bytes: one per non-NaN input of {}), got {got}",
            self.shown,
            self.expected,
            self.expected * 4,
            self.sweep
        ))
    }
}

/// Reads until `buffer` is full or the input ends; returns the bytes read.
fn read_fully(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

fn mode(stride: u64) -> &'static str {
    if stride == 1 { "exhaustive" } else { "strided" }
}

fn to_json(
    results: &[Measured],
    stride: u64,
    threads: usize,
    outputs: Option<&PathBuf>,
    compare: bool,
    path: Option<Path>,
) -> Value {
    let results: Vec<Value> = results
        .iter()
        .map(|m| {
            json!({
                "function": m.activation.to_string(),
                "pass": m.pass.name(),
                "implementation": m.implementation,
                "inputs": m.stats.count,
                "max_ulp": json_f64(m.stats.max_ulp),
                "max_ulp_at": json_f32(m.stats.max_at),
                "got": json_f32(m.stats.max_got),
                "exact": json_f64(m.stats.max_exact),
                "mean_ulp": json_f64(m.stats.mean_ulp()),
                "bound_ulp": m.pass.bound_ulp() as u64,
                "within_bound": m.stats.over_bound == 0,
                "over_bound": m.stats.over_bound,
                "infinite_errors": m.stats.infinite,
                "max_finite_ulp": json_f64(m.stats.max_finite_ulp),
                "max_finite_ulp_at": json_f32(m.stats.max_finite_at),
                "seconds": json_f64(m.seconds),
            })
        })
        .collect();
    json!({
        "mode": mode(stride),
        "stride": stride,
        "threads": threads,
        "outputs": outputs.map(|p| p.display().to_string()),
        "compare": compare,
        "path": path.map(Path::name),
        "results": results,
    })
}

fn table(results: &[Measured], stride: u64, threads: usize) -> String {
    let mut rows = vec![
        [
            "function",
            "pass",
            "implementation",
            "inputs",
            "max ULP",
            "at x",
            "mean ULP",
            "bound",
            "ok?",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for m in results {
        rows.push(vec![
            m.activation.to_string(),
            m.pass.name().to_string(),
            m.implementation.clone(),
            m.stats.count.to_string(),
            ulp_text(m.stats.max_ulp, 3),
            number::format(m.stats.max_at),
            ulp_text(m.stats.mean_ulp(), 4),
            format!("{}", m.pass.bound_ulp()),
            if m.stats.over_bound == 0 {
                "yes".into()
            } else {
                format!("NO ({} over)", m.stats.over_bound)
            },
        ]);
    }
    format!(
        "{} sweep, stride {stride}, threads: {threads}\n\n{}",
        mode(stride),
        crate::cmd::list::align(&rows)
    )
}

fn ulp_text(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        format!("{v:.decimals$}")
    } else {
        number::format(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_sweep_exactly_once() {
        for stride in [1, 2, 3, 4099, 1_000_003, 1 << 31, END] {
            let plan = Plan::new(stride);
            let total: u64 = (0..plan.chunks()).map(|k| plan.patterns_in(k)).sum();
            assert_eq!(total, plan.patterns, "stride {stride}");
            let (first, _) = plan.bits(0);
            assert_eq!(first, 0);
            for k in 1..plan.chunks().min(4) {
                assert_eq!(plan.bits(k - 1).1, plan.bits(k).0, "stride {stride}");
            }
            assert_eq!(
                plan.bits(plan.chunks() - 1).1.div_ceil(stride),
                plan.patterns
            );
        }
    }

    #[test]
    fn chunked_sweep_equals_one_sequential_sweep() {
        // 65535 · 65537 = 2³² − 1: 65538 patterns, two chunks, the second holding two.
        let stride = 65_535;
        let plan = Plan::new(stride);
        assert_eq!(plan.chunks(), 2);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let chunked = measure(
            Activation::Sigmoid,
            Pass::Forward,
            plan,
            Subjects::Actlab,
            None,
            None,
            &pool,
            &ProgressBar::hidden(),
        )
        .unwrap();
        let [chunked] = chunked[..] else {
            panic!("one subject, one result: {chunked:?}")
        };
        let whole = sweep(Activation::Sigmoid, Pass::Forward, 0, END, stride);
        assert_eq!(chunked.count, whole.count);
        assert_eq!(chunked.max_ulp, whole.max_ulp);
        assert_eq!(chunked.max_at.to_bits(), whole.max_at.to_bits());
        assert_eq!(chunked.over_bound, whole.over_bound);
    }

    #[test]
    fn path_sweeps_measure_the_kernels_and_match_the_scalar_path() {
        // --path: the kernel on each available path is measured within the bounds; gelu′ (the
        // `f64`-lane formula on every path) gives the scalar path's statistics here (its bits
        // equal the scalar ones on these inputs), while gelu's forward kernel on AVX2 computes
        // in `f32` lanes and differs (0.60 ULP at worst on this sample against the scalar
        // path's 0.50). A path the CPU lacks, or no path at all, is a usage error.
        let plan = Plan::new(65_535);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        for pass in [Pass::Forward, Pass::Derivative] {
            let scalar = measure(
                Activation::Gelu,
                pass,
                plan,
                Subjects::Actlab,
                None,
                None,
                &pool,
                &ProgressBar::hidden(),
            )
            .unwrap();
            for path in Path::available() {
                let kernels = crate::cmd::parse_kernel_path(path.name()).unwrap();
                let measured = measure(
                    Activation::Gelu,
                    pass,
                    plan,
                    Subjects::Actlab,
                    Some(kernels),
                    None,
                    &pool,
                    &ProgressBar::hidden(),
                )
                .unwrap();
                assert_eq!(measured[0].count, scalar[0].count);
                assert_eq!(measured[0].over_bound, 0, "{path}");
                let bound = if pass == Pass::Forward { 1.0 } else { 2.0 };
                assert!(
                    measured[0].max_ulp <= bound,
                    "{path}: {}",
                    measured[0].max_ulp
                );
                if pass == Pass::Derivative {
                    assert_eq!(measured[0].max_ulp, scalar[0].max_ulp, "{path}");
                    assert_eq!(measured[0].sum_ulp, scalar[0].sum_ulp, "{path}");
                }
            }
        }
        assert!(crate::cmd::parse_kernel_path("auto").is_ok());
        for bad in ["sse9", "AVX2"] {
            let err = crate::cmd::parse_kernel_path(bad).unwrap_err();
            assert!(err.is::<crate::cmd::UsageError>(), "{bad}: {err}");
        }
        for path in Path::ALL.into_iter().filter(|p| !p.is_available()) {
            assert!(
                crate::cmd::parse_kernel_path(path.name()).is_err(),
                "{path}"
            );
        }
    }
}
