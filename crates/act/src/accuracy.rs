//! The accuracy harness: sweeps f32 inputs through a function and measures the error of every
//! result in ULPs against the double-double reference.
//!
//! `actlab accuracy` drives it: a strided sample that visits every binade by default, or all 2³²
//! bit patterns with `--exhaustive`. The same code measures any other implementation whose
//! outputs are fed in (the PyTorch comparison in `docs/ACCURACY.md`).

use crate::Activation;
use crate::dd::DD;
use crate::kernels::Kernels;
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
    /// Inputs whose error was infinite: a NaN or an infinity where the exact value is finite (or
    /// the wrong infinity). They hide the finite errors from `max_ulp`, hence the next two fields.
    pub infinite: u64,
    /// The largest finite error, in ULP (equal to `max_ulp` when `infinite` is 0).
    pub max_finite_ulp: f64,
    /// The input where the largest finite error occurred.
    pub max_finite_at: f32,
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
            infinite: 0,
            max_finite_ulp: 0.0,
            max_finite_at: 0.0,
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
        // The first measurement (and the first finite one) sets its maximum even at 0 ULP, so that
        // `max_at` is always an input that was measured.
        if e > self.max_ulp || self.count == 0 {
            self.max_ulp = e;
            self.max_at = x;
            self.max_got = got;
            self.max_exact = exact.hi;
        }
        if e.is_finite() {
            self.sum_ulp += e;
            if e > self.max_finite_ulp || self.count == self.infinite {
                self.max_finite_ulp = e;
                self.max_finite_at = x;
            }
        } else {
            self.infinite += 1;
        }
        if e > bound {
            self.over_bound += 1;
        }
        self.count += 1;
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
        if other.max_finite_ulp > self.max_finite_ulp || self.count == self.infinite {
            self.max_finite_ulp = other.max_finite_ulp;
            self.max_finite_at = other.max_finite_at;
        }
        self.count += other.count;
        self.sum_ulp += other.sum_ulp;
        self.over_bound += other.over_bound;
        self.infinite += other.infinite;
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

/// actlab's values for the inputs of a sweep (`start, start + stride, …` below `end`, NaN patterns
/// skipped), computed by the slice kernels on `kernels`' path in one call: y = f(x) for
/// [`Pass::Forward`], dx = 1·f′(x) (backward with dy = 1, i.e. f′ rounded once) for
/// [`Pass::Derivative`].
pub fn kernel_values(
    a: Activation,
    pass: Pass,
    start: u64,
    end: u64,
    stride: u64,
    kernels: Kernels,
) -> Vec<f32> {
    let inputs: Vec<f32> = (start..end)
        .step_by(stride as usize)
        .map(|bits| f32::from_bits(bits as u32))
        .filter(|x| !x.is_nan())
        .collect();
    let mut values = vec![0.0f32; inputs.len()];
    match pass {
        Pass::Forward => kernels.forward(a, &inputs, &mut values),
        Pass::Derivative => {
            let ones = vec![1.0f32; inputs.len()];
            kernels.backward(a, &inputs, &ones, &mut values);
        }
    }
    values
}

/// Like [`sweep`], measuring the slice kernels (`act::kernels`) on `kernels`' path, so that a
/// sweep proves the bounds for the code that actually runs on that path.
///
/// ```
/// use act::Activation;
/// use act::accuracy::{Pass, sweep_kernel};
/// use act::kernels::{Kernels, Path};
///
/// let k = Kernels::with_path(Path::Portable).unwrap();
/// let stats = sweep_kernel(Activation::Gelu, Pass::Derivative, 0, 1 << 32, 65537, k);
/// assert!(stats.max_ulp <= 2.0);
/// ```
pub fn sweep_kernel(
    a: Activation,
    pass: Pass,
    start: u64,
    end: u64,
    stride: u64,
    kernels: Kernels,
) -> Stats {
    let mut values = kernel_values(a, pass, start, end, stride, kernels).into_iter();
    // One value per non-NaN input, in sweep order: the NaN is unreachable.
    sweep_with(a, pass, start, end, stride, |_| {
        values.next().unwrap_or(f32::NAN)
    })
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
    let [stats] = sweep_many(a, pass, start, end, stride, |x| [implementation(x)]);
    stats
}

/// Like [`sweep`], measuring `N` implementations at once: `implementations(x)` returns each one's
/// value for `x`, and all are measured against one evaluation of the reference, by far the
/// dearest part of a sweep. `implementations` is called once per input, in ascending order.
///
/// ```
/// use act::Activation;
/// use act::accuracy::{Pass, evaluate, sweep_many};
///
/// let a = Activation::Sigmoid;
/// // actlab beside the naive 1/(1 + e^−x), which loses σ's left tail to 1 + e^−x = ∞.
/// let [actlab, naive] = sweep_many(a, Pass::Forward, 0, 1 << 32, 65537, |x| {
///     [evaluate(a, Pass::Forward, x), 1.0 / (1.0 + (-x).exp())]
/// });
/// assert_eq!(actlab.count, naive.count);
/// assert!(actlab.max_ulp <= 1.0);
/// assert!(naive.max_ulp > 1e6);
/// ```
pub fn sweep_many<const N: usize>(
    a: Activation,
    pass: Pass,
    start: u64,
    end: u64,
    stride: u64,
    mut implementations: impl FnMut(f32) -> [f32; N],
) -> [Stats; N] {
    let mut stats = [Stats::default(); N];
    let bound = pass.bound_ulp();
    let mut bits = start;
    while bits < end {
        let x = f32::from_bits(bits as u32);
        bits += stride;
        if x.is_nan() {
            continue;
        }
        let exact = reference(a, pass, x);
        for (stats, got) in stats.iter_mut().zip(implementations(x)) {
            stats.record(x, got, exact, bound);
        }
    }
    stats
}

/// The default stride of the sampled sweep: a prime just above 2¹², so about a million inputs
/// whose low mantissa bits vary and every binade of both signs is visited ~500 times.
pub const DEFAULT_STRIDE: u64 = 4099;

#[cfg(test)]
mod tests {
    use super::*;

    const END: u64 = 1 << 32;

    #[test]
    fn sweep_many_measures_each_implementation_as_a_separate_sweep_would() {
        let a = Activation::Gelu;
        for pass in [Pass::Forward, Pass::Derivative] {
            // Stand-in for a poor implementation: actlab's value with the low mantissa bits cut.
            let truncated = |x: f32| f32::from_bits(evaluate(a, pass, x).to_bits() & !0xff);
            let [own, other] = sweep_many(a, pass, 0, END, 65537, |x| {
                [evaluate(a, pass, x), truncated(x)]
            });
            assert_eq!(own, sweep(a, pass, 0, END, 65537));
            assert_eq!(other, sweep_with(a, pass, 0, END, 65537, truncated));
            assert!(other.max_ulp > own.max_ulp, "{other:?}");
        }
    }

    #[test]
    fn kernel_sweeps_stay_within_the_bounds_on_every_path() {
        for path in crate::kernels::Path::available() {
            let k = Kernels::with_path(path).unwrap();
            for a in [Activation::Sigmoid, Activation::Gelu, Activation::Mish] {
                for pass in [Pass::Forward, Pass::Derivative] {
                    let stats = sweep_kernel(a, pass, 0, END, 1_000_003, k);
                    assert_eq!(stats.count, sweep(a, pass, 0, END, 1_000_003).count);
                    assert_eq!(stats.over_bound, 0, "{path} {a} {}: {stats:?}", pass.name());
                }
            }
        }
    }

    #[test]
    fn infinite_errors_are_counted_apart_from_the_largest_finite_error() {
        let a = Activation::Relu;
        let pass = Pass::Forward;
        // relu(x) exactly, except NaN for −∞ (exact 0) and an error of 2 ULP at 1.
        let wrong = |x: f32| {
            if x == f32::NEG_INFINITY {
                f32::NAN
            } else if x == 1.0 {
                f32::from_bits(1.0f32.to_bits() + 2)
            } else {
                x.max(0.0)
            }
        };
        let inputs = [0.0, f32::NEG_INFINITY, -3.0, 1.0, 2.0, f32::INFINITY];
        let mut stats = Stats::default();
        for x in inputs {
            stats.record(x, wrong(x), reference(a, pass, x), pass.bound_ulp());
        }
        assert_eq!(stats.count, 6);
        assert_eq!(stats.infinite, 1);
        assert_eq!(stats.over_bound, 2);
        assert_eq!(stats.max_ulp, f64::INFINITY);
        assert_eq!(stats.max_at, f32::NEG_INFINITY);
        assert!(stats.max_got.is_nan());
        assert_eq!(stats.max_finite_ulp, 2.0);
        assert_eq!(stats.max_finite_at, 1.0);
        // mean = (0 + 0 + 2 + 0 + 0) / 6: the infinite error is counted, not summed.
        assert_eq!(stats.mean_ulp(), 2.0 / 6.0);

        // Merged in any split, in order: the same result.
        for split in 0..=inputs.len() {
            let [mut left, mut right] = [Stats::default(); 2];
            for (i, &x) in inputs.iter().enumerate() {
                let part = if i < split { &mut left } else { &mut right };
                part.record(x, wrong(x), reference(a, pass, x), pass.bound_ulp());
            }
            // (Debug, as `max_got` is NaN, which `==` never equals.)
            let merged = left.merge(right);
            assert_eq!(
                format!("{merged:?}"),
                format!("{stats:?}"),
                "split at {split}"
            );
        }
    }

    #[test]
    fn an_all_infinite_part_does_not_claim_the_finite_maximum() {
        let a = Activation::Relu;
        let pass = Pass::Forward;
        let mut nan_only = Stats::default();
        nan_only.record(-1.0, f32::NAN, reference(a, pass, -1.0), 1.0);
        let mut exact = Stats::default();
        exact.record(5.0, 5.0, reference(a, pass, 5.0), 1.0);
        let merged = nan_only.merge(exact);
        assert_eq!(merged.max_at, -1.0);
        assert_eq!((merged.max_finite_ulp, merged.max_finite_at), (0.0, 5.0));
    }
}
