//! The accuracy harness: sweeps f32 inputs through a function and measures the error of every
//! result in ULPs against the double-double reference.
//!
//! `actlab accuracy` drives it: a strided sample that visits every binade by default, or all 2³²
//! bit patterns with `--exhaustive`. The same code measures any other implementation whose
//! outputs are fed in (the PyTorch comparison in `docs/ACCURACY.md`).

use crate::Activation;
use crate::dd::DD;
use crate::ulp::ulp_error_f32;

/// Which value of a function is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum Pass {
    /// f(x).
    Forward,
    /// f′(x), from the input.
    Derivative,
}

impl Pass {
    /// `"forward"` or `"derivative"`.
    pub fn name(self) -> &'static str {
        match self {
            Pass::Forward => "forward",
            Pass::Derivative => "derivative",
        }
    }

    /// The largest error the catalogue promises for this pass, in ULP.
    pub fn bound_ulp(self) -> f64 {
        match self {
            Pass::Forward => 1.0,
            Pass::Derivative => 2.0,
        }
    }
}

/// Error statistics over a set of inputs.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Stats {
    /// Inputs measured.
    pub count: u64,
    /// The largest error, in ULP (∞ for a wrong NaN/infinity).
    pub max_ulp: f64,
    /// The input where the largest error occurred.
    pub max_at: f32,
    /// The value produced there.
    pub max_got: f32,
    /// The exact value there (double-double rounded to f64).
    pub max_exact: f64,
    /// The sum of errors over finite-error inputs (mean = sum / count).
    pub sum_ulp: f64,
    /// Inputs whose error exceeded the pass's bound.
    pub over_bound: u64,
}

impl Default for Stats {
    fn default() -> Stats {
        Stats {
            count: 0,
            max_ulp: 0.0,
            max_at: 0.0,
            max_got: 0.0,
            max_exact: 0.0,
            sum_ulp: 0.0,
            over_bound: 0,
        }
    }
}

impl Stats {
    /// The mean error in ULP.
    pub fn mean_ulp(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum_ulp / self.count as f64
        }
    }

    /// Folds one measurement in.
    #[inline]
    pub fn record(&mut self, x: f32, got: f32, exact: DD, bound: f64) {
        let e = ulp_error_f32(got, exact);
        self.count += 1;
        if e.is_finite() {
            self.sum_ulp += e;
        }
        if e > bound {
            self.over_bound += 1;
        }
        if e > self.max_ulp || (self.count == 1 && e >= self.max_ulp) {
            self.max_ulp = e;
            self.max_at = x;
            self.max_got = got;
            self.max_exact = exact.hi;
        }
    }

    /// Combines two partial results (the order does not matter except for ties in the maximum,
    /// which keep `self`'s input, so folding chunks in order is deterministic).
    pub fn merge(mut self, other: Stats) -> Stats {
        if other.max_ulp > self.max_ulp || self.count == 0 {
            self.max_ulp = other.max_ulp;
            self.max_at = other.max_at;
            self.max_got = other.max_got;
            self.max_exact = other.max_exact;
        }
        self.count += other.count;
        self.sum_ulp += other.sum_ulp;
        self.over_bound += other.over_bound;
        self
    }
}

/// The f32 value actlab computes for `x`.
#[inline]
pub fn evaluate(a: Activation, pass: Pass, x: f32) -> f32 {
    match pass {
        Pass::Forward => a.forward(x),
        Pass::Derivative => a.derivative(x),
    }
}

/// The exact value (double-double reference) for `x`.
#[inline]
pub fn reference(a: Activation, pass: Pass, x: f32) -> DD {
    match pass {
        Pass::Forward => a.reference_forward(x as f64),
        Pass::Derivative => a.reference_derivative(x as f64),
    }
}

/// Measures actlab's f32 results over the bit patterns `start, start + stride, …` below `end`
/// (as `u64` so that `end = 2³²` covers everything). NaN bit patterns are skipped (NaN
/// propagation is tested separately); infinities are included.
pub fn sweep(a: Activation, pass: Pass, start: u64, end: u64, stride: u64) -> Stats {
    sweep_with(a, pass, start, end, stride, |x| evaluate(a, pass, x))
}

/// Like [`sweep`], measuring the values `implementation` returns instead of actlab's.
pub fn sweep_with(
    a: Activation,
    pass: Pass,
    start: u64,
    end: u64,
    stride: u64,
    mut implementation: impl FnMut(f32) -> f32,
) -> Stats {
    let mut stats = Stats::default();
    let bound = pass.bound_ulp();
    let mut bits = start;
    while bits < end {
        let x = f32::from_bits(bits as u32);
        bits += stride;
        if x.is_nan() {
            continue;
        }
        stats.record(x, implementation(x), reference(a, pass, x), bound);
    }
    stats
}

/// The default stride of the sampled sweep: a prime just above 2¹², so about a million inputs
/// whose low mantissa bits vary and every binade of both signs is visited ~500 times.
pub const DEFAULT_STRIDE: u64 = 4099;
