//! What the experiments share: building the guide's standard networks, statistics over seeds,
//! and number formatting for the report's sentences.

use act::Activation;
use nn::init::Init;
use nn::{BuildError, Mlp, Scalar};

/// Why an experiment could not run.
#[derive(Debug)]
#[non_exhaustive]
pub enum LabError {
    /// An option is out of range (a zero depth, an unknown activation…); the message says which.
    Option(String),
    /// The network could not be built.
    Build(BuildError),
    /// Training failed for a reason other than the divergence the experiment studies.
    Train(nn::train::TrainError),
    /// The user's data could not be read.
    Data(String),
}

impl core::fmt::Display for LabError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            LabError::Option(m) => f.write_str(m),
            LabError::Build(e) => write!(f, "building the network: {e}"),
            LabError::Train(e) => write!(f, "training: {e}"),
            LabError::Data(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for LabError {}

impl From<BuildError> for LabError {
    fn from(e: BuildError) -> LabError {
        LabError::Build(e)
    }
}

impl From<nn::train::TrainError> for LabError {
    fn from(e: nn::train::TrainError) -> LabError {
        LabError::Train(e)
    }
}

/// Checks that `value` lies in `lo..=hi`, naming the option otherwise.
pub(crate) fn check_range(name: &str, value: usize, lo: usize, hi: usize) -> Result<(), LabError> {
    if (lo..=hi).contains(&value) {
        Ok(())
    } else {
        Err(LabError::Option(format!(
            "--{name} {value} is out of range: it must be between {lo} and {hi}"
        )))
    }
}

/// `depth` hidden layers of `width` units, each dense layer followed by `activation`, then a
/// dense output of `outputs` units; every hidden dense layer initialised with `init`, the output
/// layer with Glorot (the builder's default for a final layer).
pub(crate) fn deep_mlp<T: Scalar>(
    inputs: usize,
    width: usize,
    depth: usize,
    outputs: usize,
    activation: Activation,
    init: Option<Init>,
    seed: u64,
) -> Result<Mlp<T>, BuildError> {
    let mut builder = Mlp::<T>::builder(inputs);
    for _ in 0..depth {
        builder = builder.dense(width);
        if let Some(init) = init {
            builder = builder.init(init);
        }
        builder = builder.act(activation);
    }
    builder.dense(outputs).build(seed)
}

/// The indices of the dense layers followed by an activation layer (the hidden layers), input
/// side first.
pub(crate) fn hidden_dense_layers<T: Scalar>(model: &Mlp<T>) -> Vec<usize> {
    let layers = model.layers();
    (0..layers.len().saturating_sub(1))
        .filter(|&l| {
            matches!(layers[l], nn::Layer::Dense { .. })
                && !matches!(layers[l + 1], nn::Layer::Dense { .. })
        })
        .collect()
}

/// ‖v‖₂ in f64, scaled so it never overflows.
pub(crate) fn norm<T: Scalar>(v: &[T]) -> f64 {
    nn::optim::l2_norm(v)
}

/// `ys` as points (1, y₁), (2, y₂), …: a per-epoch, per-layer or per-step series counted from 1.
pub(crate) fn numbered(ys: &[f64]) -> Vec<(f64, f64)> {
    ys.iter()
        .enumerate()
        .map(|(i, &y)| ((i + 1) as f64, y))
        .collect()
}

/// The median of `xs` (NaN for none; NaNs sort last).
pub(crate) fn median(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The smallest and largest finite value of `xs`, (NaN, NaN) for none.
pub(crate) fn min_max(xs: &[f64]) -> (f64, f64) {
    xs.iter()
        .filter(|x| x.is_finite())
        .fold((f64::NAN, f64::NAN), |(lo, hi), &x| {
            (lo.min(x).min(x), hi.max(x).max(x))
        })
}

/// A number for a sentence: 3 significant digits, scientific outside [1e-3, 1e5).
pub(crate) fn fmt_num(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if !x.is_finite() {
        format!("{x}")
    } else if (1e-3..1e5).contains(&x.abs()) {
        let digits = (2 - x.abs().log10().floor() as i32).max(0) as usize;
        format!("{x:.digits$}")
    } else {
        format!("{x:.2e}")
    }
}

/// A JSON number, or null for a non-finite value (JSON has no NaN or infinity).
pub(crate) fn num(x: f64) -> serde_json::Value {
    serde_json::Number::from_f64(x).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

/// JSON numbers for a list.
pub(crate) fn nums(xs: &[f64]) -> serde_json::Value {
    serde_json::Value::Array(xs.iter().map(|&x| num(x)).collect())
}

/// A seed derived from a base seed and a stream number (SplitMix64's finaliser), so that
/// trials and seeds of one experiment draw independent, reproducible streams.
pub(crate) fn derive_seed(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.wrapping_mul(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_format() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(min_max(&[2.0, f64::NAN, -1.0]), (-1.0, 2.0));
        assert_eq!(fmt_num(0.25), "0.250");
        assert_eq!(fmt_num(1.5e-7), "1.50e-7");
        assert_eq!(fmt_num(123.0), "123");
        assert_eq!(num(f64::NAN), serde_json::Value::Null);
        assert_ne!(derive_seed(1, 0), derive_seed(1, 1));
    }
}
