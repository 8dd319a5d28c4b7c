//! Weight initialisers, following `torch.nn.init` formula for formula.
//!
//! A layer's weight is a row-major (fan_out × fan_in) matrix, PyTorch's `nn.Linear.weight`
//! layout: row o holds the weights into output unit o, so fan_in = columns and
//! fan_out = rows, exactly as `torch.nn.init._calculate_fan_in_and_fan_out` reads a 2-D tensor.
//!
//! | [`Init`] | distribution | PyTorch |
//! |---|---|---|
//! | `Zeros` | 0 | `zeros_` |
//! | `Uniform { a }` | U(−a, a) | `uniform_(-a, a)` |
//! | `Playground` | U(−½, ½) | TensorFlow Playground's `Math.random() - 0.5` |
//! | `Standard` | U(±1/√fan_in) | `nn.Linear`'s default, `kaiming_uniform_(a=√5)` |
//! | `GlorotUniform { gain }` | U(±√3·σ), σ = gain·√(2/(fan_in + fan_out)) | `xavier_uniform_` |
//! | `GlorotNormal { gain }` | N(0, σ²), σ = gain·√(2/(fan_in + fan_out)) | `xavier_normal_` |
//! | `HeUniform { mode, gain }` | U(±√3·σ), σ = gain/√fan | `kaiming_uniform_` |
//! | `HeNormal { mode, gain }` | N(0, σ²), σ = gain/√fan | `kaiming_normal_` |
//! | `LeCunNormal` | N(0, 1/fan_in) | `kaiming_normal_(nonlinearity='linear')` |
//! | `Orthogonal { gain }` | gain·Q, Q from the QR of a Gaussian matrix | `orthogonal_` |
//!
//! Each activation's default comes from the catalogue's metadata through [`recommended`], with
//! the gain [`calculate_gain`] gives (PyTorch's `calculate_gain`):
//!
//! ```
//! use act::Activation;
//! use nn::init::{recommended, FanMode, Init};
//! use nn::rng::Rng;
//!
//! let init = recommended(&Activation::Relu);
//! assert_eq!(init, Init::HeUniform { mode: FanMode::FanIn, gain: 2f64.sqrt() });
//!
//! // A 3 → 4 layer: a (4, 3) weight matrix, bound √3·√2/√3 = √2.
//! let mut weights = [0.0f32; 12];
//! init.fill(&mut weights, 3, 4, &mut Rng::seed(0));
//! assert!(weights.iter().all(|w| w.abs() <= 2f32.sqrt()));
//! ```
//!
//! Draws are made in row-major order, one [`Rng`] draw (one [`Rng::normal`]) per weight, in
//! `f64`, and rounded once to the weight type: an `f32` layer holds its `f64` twin's values
//! rounded, and a seed gives the same weights on every platform.

use act::Activation;

use crate::Scalar;
use crate::rng::Rng;

/// Which fan a He/Kaiming initialiser divides by (`torch.nn.init`'s `mode`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FanMode {
    /// `fan_in` (PyTorch's default): preserves the variance of activations in the forward
    /// pass.
    #[default]
    FanIn,
    /// `fan_out`: preserves the variance of gradients in the backward pass.
    FanOut,
}

impl FanMode {
    /// PyTorch's spelling: `"fan_in"` or `"fan_out"`.
    pub fn name(self) -> &'static str {
        match self {
            FanMode::FanIn => "fan_in",
            FanMode::FanOut => "fan_out",
        }
    }

    /// The fan this mode picks.
    fn pick(self, fan_in: usize, fan_out: usize) -> usize {
        match self {
            FanMode::FanIn => fan_in,
            FanMode::FanOut => fan_out,
        }
    }
}

/// A weight initialiser: the distribution a layer's (fan_out × fan_in) weight matrix is drawn
/// from. See the [module docs](self) for the table of formulas; `gain` fields scale the
/// distribution as PyTorch's `gain` argument does (see [`calculate_gain`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
    /// Every weight 0 (`torch.nn.init.zeros_`). Only for biases or a demonstration: with zero
    /// weights every hidden unit computes the same function and receives the same gradient, so
    /// the units never differentiate (the symmetry problem).
    Zeros,
    /// U(−a, a) (`torch.nn.init.uniform_(w, -a, a)`), the same bound whatever the fans; standard
    /// deviation a/√3. `a ≥ 0`.
    Uniform {
        /// The bound a.
        a: f64,
    },
    /// TensorFlow Playground's initialiser, U(−0.5, 0.5) (`Math.random() - 0.5` in its
    /// `nn.ts`): what the Playground's demos train from.
    Playground,
    /// "Standard" U(−1/√fan_in, 1/√fan_in): the classic heuristic, and what PyTorch's
    /// `nn.Linear` does by default. (`reset_parameters` calls `kaiming_uniform_(a=√5)`, whose
    /// bound √3·√(2/(1 + 5))/√fan_in works out to 1/√fan_in.)
    Standard,
    /// Glorot/Xavier uniform (Glorot & Bengio 2010; `torch.nn.init.xavier_uniform_`):
    /// U(−b, b) with b = √3·σ, σ = gain·√(2/(fan_in + fan_out)), i.e.
    /// b = gain·√(6/(fan_in + fan_out)). Keeps activation and gradient variance roughly constant
    /// through layers of tanh-like units.
    GlorotUniform {
        /// Scale factor (1 for linear/sigmoid, 5/3 for tanh; see [`calculate_gain`]).
        gain: f64,
    },
    /// Glorot/Xavier normal (`torch.nn.init.xavier_normal_`): N(0, σ²),
    /// σ = gain·√(2/(fan_in + fan_out)).
    GlorotNormal {
        /// Scale factor.
        gain: f64,
    },
    /// He/Kaiming uniform (He et al. 2015; `torch.nn.init.kaiming_uniform_`): U(−b, b) with
    /// b = √3·σ, σ = gain/√fan, fan chosen by `mode`. With gain √2 (relu) the variance 2/fan
    /// makes up for relu zeroing half its inputs.
    HeUniform {
        /// Which fan to divide by.
        mode: FanMode,
        /// Scale factor: PyTorch's `calculate_gain(nonlinearity, a)`, √2 for relu.
        gain: f64,
    },
    /// He/Kaiming normal (`torch.nn.init.kaiming_normal_`): N(0, σ²), σ = gain/√fan.
    HeNormal {
        /// Which fan to divide by.
        mode: FanMode,
        /// Scale factor, √2 for relu.
        gain: f64,
    },
    /// LeCun normal (LeCun et al. 1998, "Efficient BackProp"): N(0, 1/fan_in), the initialiser
    /// selu's self-normalising networks need (Klambauer et al. 2017). PyTorch spells it
    /// `kaiming_normal_(w, nonlinearity='linear')` and says to use it, not
    /// `calculate_gain('selu')`, for self-normalising networks. (Keras's `lecun_normal`
    /// truncates the normal at 2σ; this does not.)
    LeCunNormal,
    /// Orthogonal (Saxe et al. 2014; `torch.nn.init.orthogonal_`): draw a (fan_out × fan_in)
    /// matrix of N(0, 1) values, take the reduced QR factorisation of it (of its transpose when
    /// fan_out < fan_in), flip the columns of Q so R's diagonal is positive, and scale by gain.
    /// The result has orthonormal columns (fan_out ≥ fan_in: WᵀW = gain²·I) or orthonormal
    /// rows (fan_out ≤ fan_in: WWᵀ = gain²·I), and is distributed uniformly (Haar) on such
    /// matrices.
    Orthogonal {
        /// Scale factor.
        gain: f64,
    },
}

/// √3: a uniform U(−b, b) has standard deviation b/√3, so a bound is √3 times the σ wanted.
const SQRT_3: f64 = 1.7320508075688772;

impl Init {
    /// The canonical names [`name`](Init::name) returns and [`from_name`](Init::from_name)
    /// accepts, in the order of the enum.
    pub const NAMES: [&'static str; 10] = [
        "zeros",
        "uniform",
        "playground",
        "standard",
        "xavier",
        "xavier_normal",
        "he",
        "he_normal",
        "lecun",
        "orthogonal",
    ];

    /// The canonical name: `zeros`, `uniform`, `playground`, `standard`, `xavier` (Glorot
    /// uniform), `xavier_normal`, `he` (He uniform), `he_normal`, `lecun` (LeCun normal),
    /// `orthogonal`. Parameters (gain, mode, bound) are not part of the name.
    pub fn name(&self) -> &'static str {
        match self {
            Init::Zeros => "zeros",
            Init::Uniform { .. } => "uniform",
            Init::Playground => "playground",
            Init::Standard => "standard",
            Init::GlorotUniform { .. } => "xavier",
            Init::GlorotNormal { .. } => "xavier_normal",
            Init::HeUniform { .. } => "he",
            Init::HeNormal { .. } => "he_normal",
            Init::LeCunNormal => "lecun",
            Init::Orthogonal { .. } => "orthogonal",
        }
    }

    /// The initialiser called `name`, with PyTorch's default arguments: gain 1 for Xavier and
    /// orthogonal; fan_in and gain √2 for He (`kaiming_*_`'s defaults `a = 0`,
    /// `nonlinearity = 'leaky_relu'` give √(2/(1 + 0²)) = √2); a = 0.05 for `uniform` (Keras's
    /// `RandomUniform` bound; PyTorch's `uniform_` defaults to U(0, 1), which is not centred).
    /// Set a gain with [`with_gain`](Init::with_gain).
    ///
    /// Accepts the canonical names and the aliases `glorot`, `xavier_uniform`,
    /// `glorot_uniform`, `glorot_normal`, `kaiming`, `he_uniform`, `kaiming_uniform`,
    /// `kaiming_normal`, `lecun_normal`, `zero`. `None` for any other name.
    ///
    /// ```
    /// # use nn::init::Init;
    /// assert_eq!(Init::from_name("glorot"), Some(Init::GlorotUniform { gain: 1.0 }));
    /// assert_eq!(Init::from_name("he").unwrap().name(), "he");
    /// assert_eq!(Init::from_name("bogus"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Init> {
        let he_gain = core::f64::consts::SQRT_2;
        Some(match name {
            "zeros" | "zero" => Init::Zeros,
            "uniform" => Init::Uniform { a: 0.05 },
            "playground" => Init::Playground,
            "standard" => Init::Standard,
            "xavier" | "glorot" | "xavier_uniform" | "glorot_uniform" => {
                Init::GlorotUniform { gain: 1.0 }
            }
            "xavier_normal" | "glorot_normal" => Init::GlorotNormal { gain: 1.0 },
            "he" | "kaiming" | "he_uniform" | "kaiming_uniform" => Init::HeUniform {
                mode: FanMode::FanIn,
                gain: he_gain,
            },
            "he_normal" | "kaiming_normal" => Init::HeNormal {
                mode: FanMode::FanIn,
                gain: he_gain,
            },
            "lecun" | "lecun_normal" => Init::LeCunNormal,
            "orthogonal" => Init::Orthogonal { gain: 1.0 },
            _ => return None,
        })
    }

    /// The gain, for the initialisers that take one (Glorot, He, orthogonal).
    pub fn gain(&self) -> Option<f64> {
        match *self {
            Init::GlorotUniform { gain }
            | Init::GlorotNormal { gain }
            | Init::HeUniform { gain, .. }
            | Init::HeNormal { gain, .. }
            | Init::Orthogonal { gain } => Some(gain),
            Init::Zeros | Init::Uniform { .. } | Init::Playground | Init::Standard => None,
            Init::LeCunNormal => None,
        }
    }

    /// This initialiser with its gain set to `gain`; unchanged if it takes no gain.
    ///
    /// ```
    /// # use nn::init::Init;
    /// let tanh_xavier = Init::from_name("xavier").unwrap().with_gain(5.0 / 3.0);
    /// assert_eq!(tanh_xavier, Init::GlorotUniform { gain: 5.0 / 3.0 });
    /// assert_eq!(Init::Playground.with_gain(2.0), Init::Playground);
    /// ```
    pub fn with_gain(self, gain: f64) -> Init {
        match self {
            Init::GlorotUniform { .. } => Init::GlorotUniform { gain },
            Init::GlorotNormal { .. } => Init::GlorotNormal { gain },
            Init::HeUniform { mode, .. } => Init::HeUniform { mode, gain },
            Init::HeNormal { mode, .. } => Init::HeNormal { mode, gain },
            Init::Orthogonal { .. } => Init::Orthogonal { gain },
            other => other,
        }
    }

    /// The bound b of the uniform initialisers, whose weights lie in [−b, b]; `None` for the
    /// others. Computed in the operation order `torch.nn.init` uses (σ first, then √3·σ).
    pub fn bound(&self, fan_in: usize, fan_out: usize) -> Option<f64> {
        match *self {
            Init::Zeros => Some(0.0),
            Init::Uniform { a } => Some(a),
            Init::Playground => Some(0.5),
            Init::Standard => Some(1.0 / (fan_in as f64).sqrt()),
            Init::GlorotUniform { gain } => {
                Some(SQRT_3 * glorot_std(gain, fan_in as f64, fan_out as f64))
            }
            Init::HeUniform { mode, gain } => {
                Some(SQRT_3 * (gain / (mode.pick(fan_in, fan_out) as f64).sqrt()))
            }
            Init::GlorotNormal { .. }
            | Init::HeNormal { .. }
            | Init::LeCunNormal
            | Init::Orthogonal { .. } => None,
        }
    }

    /// The standard deviation of the weights this initialiser draws for a (fan_out × fan_in)
    /// matrix: b/√3 for the uniform ones, σ for the normal ones, and gain/√max(fan_in, fan_out)
    /// for orthogonal (min(fan_in, fan_out) orthonormal vectors of length max(…) hold
    /// min(…)·gain² of squared weight spread over fan_in·fan_out entries).
    pub fn std(&self, fan_in: usize, fan_out: usize) -> f64 {
        match *self {
            Init::GlorotNormal { gain } => glorot_std(gain, fan_in as f64, fan_out as f64),
            Init::HeNormal { mode, gain } => gain / (mode.pick(fan_in, fan_out) as f64).sqrt(),
            Init::LeCunNormal => 1.0 / (fan_in as f64).sqrt(),
            Init::Orthogonal { gain } => gain / (fan_in.max(fan_out) as f64).sqrt(),
            uniform => {
                uniform
                    .bound(fan_in, fan_out)
                    .expect("the remaining initialisers are uniform")
                    / SQRT_3
            }
        }
    }

    /// Fills `weights`, a row-major (fan_out × fan_in) matrix, from this initialiser, drawing
    /// from `rng`. An empty matrix is left alone (PyTorch: "initializing zero-element tensors is
    /// a no-op").
    ///
    /// # Panics
    ///
    /// If `weights.len() != fan_in * fan_out`.
    ///
    /// ```
    /// # use nn::init::Init;
    /// # use nn::rng::Rng;
    /// let mut w = vec![0.0f64; 6 * 4]; // (6, 4): 4 inputs, 6 outputs
    /// Init::GlorotUniform { gain: 1.0 }.fill(&mut w, 4, 6, &mut Rng::seed(1));
    /// let bound = (6.0f64 / (4.0 + 6.0)).sqrt();
    /// assert!(w.iter().all(|x| x.abs() <= bound));
    /// ```
    pub fn fill<T: Scalar>(&self, weights: &mut [T], fan_in: usize, fan_out: usize, rng: &mut Rng) {
        assert_eq!(
            weights.len(),
            fan_in * fan_out,
            "Init::fill: {} weights for a ({fan_out} × {fan_in}) matrix",
            weights.len()
        );
        if weights.is_empty() {
            return;
        }
        match *self {
            Init::Zeros => weights.fill(T::zero()),
            Init::Orthogonal { gain } => fill_orthogonal(weights, fan_out, fan_in, gain, rng),
            Init::GlorotNormal { .. } | Init::HeNormal { .. } | Init::LeCunNormal => {
                let std = self.std(fan_in, fan_out);
                for w in weights.iter_mut() {
                    *w = of_f64(rng.normal(0.0, std));
                }
            }
            uniform => {
                let bound = uniform
                    .bound(fan_in, fan_out)
                    .expect("the remaining initialisers are uniform");
                for w in weights.iter_mut() {
                    *w = of_f64(rng.uniform(-bound, bound));
                }
            }
        }
    }
}

/// Glorot's σ = gain·√(2/(fan_in + fan_out)), in `xavier_*_`'s operation order.
fn glorot_std(gain: f64, fan_in: f64, fan_out: f64) -> f64 {
    gain * (2.0 / (fan_in + fan_out)).sqrt()
}

/// Rounds an `f64` draw to the weight type, once.
fn of_f64<T: Scalar>(x: f64) -> T {
    <T as act::Real>::from_f64(x)
}

/// `torch.nn.init.orthogonal_` for a row-major (rows × cols) = (fan_out × fan_in) matrix.
///
/// PyTorch draws G (rows × cols) from N(0, 1), transposes it when rows < cols so the matrix A
/// factored is tall (m × n, m ≥ n), computes A = QR, multiplies Q's columns by sign(diag R),
/// transposes back and scales by gain. Q with a positive R diagonal is unique for a full-rank A
/// (a Gaussian matrix is full rank with probability 1), so Gram–Schmidt, whose R diagonal is
/// positive by construction (rⱼⱼ = ‖vⱼ‖), gives PyTorch's Q for the same G. Orthogonalising
/// twice ("twice is enough", Giraud et al. 2005) keeps Q orthonormal to rounding error.
fn fill_orthogonal<T: Scalar>(
    weights: &mut [T],
    rows: usize,
    cols: usize,
    gain: f64,
    rng: &mut Rng,
) {
    // G, row-major (rows, cols), drawn in the order torch's normal_ fills it.
    let gaussian: Vec<f64> = (0..rows * cols).map(|_| rng.normal(0.0, 1.0)).collect();
    let tall = rows >= cols;
    let (m, n) = if tall { (rows, cols) } else { (cols, rows) };
    // A, column-major (m, n): column j at [j·m, (j + 1)·m). When rows < cols, A = Gᵀ, whose
    // columns are G's rows: G's row-major buffer already is Aᵀ's column-major one.
    let mut a = if tall {
        let mut a = vec![0.0; m * n];
        for r in 0..rows {
            for c in 0..cols {
                a[c * m + r] = gaussian[r * cols + c];
            }
        }
        a
    } else {
        gaussian
    };
    orthonormalise_columns(&mut a, m, n);
    // W = gain·Q (tall) or gain·Qᵀ (wide): W[r][c] = Q[r][c] = a[c·m + r], or Q[c][r] = a[r·m + c].
    for r in 0..rows {
        for c in 0..cols {
            let q = if tall { a[c * m + r] } else { a[r * m + c] };
            weights[r * cols + c] = of_f64(gain * q);
        }
    }
}

/// Replaces the n columns of the column-major (m × n) matrix `a` (m ≥ n) with the Q of its
/// reduced QR factorisation with positive R diagonal: modified Gram–Schmidt, each column
/// orthogonalised against the previous ones twice, then normalised.
fn orthonormalise_columns(a: &mut [f64], m: usize, n: usize) {
    for j in 0..n {
        let (done, rest) = a.split_at_mut(j * m);
        let column = &mut rest[..m];
        for _pass in 0..2 {
            for q in done.chunks_exact(m) {
                // v ← v − (q·v) q
                let projection: f64 = q.iter().zip(column.iter()).map(|(x, y)| x * y).sum();
                for (v, &x) in column.iter_mut().zip(q) {
                    *v -= projection * x;
                }
            }
        }
        // N(0, 1) entries: no overflow or underflow risk in a plain sum of squares.
        let norm = column.iter().map(|v| v * v).sum::<f64>().sqrt();
        // ‖v‖ = 0 needs a rank-deficient Gaussian matrix (probability 0); leave the column zero
        // rather than fill it with NaN.
        if norm > 0.0 {
            for v in column.iter_mut() {
                *v /= norm;
            }
        }
    }
}

/// The gain `torch.nn.init.calculate_gain` gives for `activation`, with its parameters: the
/// catalogue's [`gain`](act::metadata::Info::gain) (1 for linear/sigmoid, 5/3 for tanh, √2 for
/// relu, 3/4 for selu, …), except that the leaky family with a non-default slope gets
/// `calculate_gain('leaky_relu', slope)` = √(2/(1 + slope²)) for its own slope (prelu's
/// initial weight, rrelu's evaluation slope (lower + upper)/2).
///
/// ```
/// # use act::Activation;
/// # use nn::init::calculate_gain;
/// assert_eq!(calculate_gain(&Activation::Tanh), 5.0 / 3.0);
/// let leaky = Activation::LeakyRelu { negative_slope: 0.2 };
/// assert!((calculate_gain(&leaky) - (2.0f64 / 1.04).sqrt()).abs() < 1e-15);
/// ```
pub fn calculate_gain(activation: &Activation) -> f64 {
    let info = activation.info();
    let slope = match *activation {
        Activation::LeakyRelu { negative_slope } => Some(negative_slope),
        Activation::Prelu { weight } => Some(weight),
        Activation::Rrelu { lower, upper } => Some((lower + upper) / 2.0),
        _ => None,
    };
    // With the default parameters the catalogue's value (computed at 40 digits) is the truth.
    let is_default = Activation::from_name(activation.name()).as_ref() == Ok(activation);
    match slope {
        Some(slope) if !is_default => (2.0 / (1.0 + slope * slope)).sqrt(),
        _ => info.gain,
    }
}

/// The initialiser the catalogue recommends for `activation`
/// ([`recommended_init`](act::metadata::Info::recommended_init)), with its gain from
/// [`calculate_gain`]:
/// - Glorot → [`Init::GlorotUniform`] (tanh: gain 5/3; sigmoid, linear: 1);
/// - He → [`Init::HeUniform`] with fan_in (relu family: √2; PyTorch's `kaiming_uniform_`);
/// - LeCun → [`Init::LeCunNormal`] (selu; no gain, as PyTorch advises for self-normalising
///   networks).
///
/// ```
/// # use act::Activation;
/// # use nn::init::{recommended, Init};
/// assert_eq!(recommended(&Activation::Selu), Init::LeCunNormal);
/// assert_eq!(recommended(&Activation::Tanh), Init::GlorotUniform { gain: 5.0 / 3.0 });
/// ```
pub fn recommended(activation: &Activation) -> Init {
    let gain = calculate_gain(activation);
    match activation.info().recommended_init {
        act::metadata::Init::Glorot => Init::GlorotUniform { gain },
        act::metadata::Init::He => Init::HeUniform {
            mode: FanMode::FanIn,
            gain,
        },
        act::metadata::Init::LeCun => Init::LeCunNormal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::f64::consts::SQRT_2;

    /// Mean, standard deviation, kurtosis and largest |w|.
    fn moments(w: &[f64]) -> (f64, f64, f64, f64) {
        let n = w.len() as f64;
        let mean = w.iter().sum::<f64>() / n;
        let var = w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        let kurtosis = w.iter().map(|x| (x - mean).powi(4)).sum::<f64>() / n / (var * var);
        let max = w.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        (mean, var.sqrt(), kurtosis, max)
    }

    // A (fan_out, fan_in) = (500, 300) matrix: 150 000 draws put the sample standard deviation
    // within ~0.2% of σ (its standard error is about σ/√(2n)), so 2% never fails by chance.
    const FAN_IN: usize = 300;
    const FAN_OUT: usize = 500;

    fn draw(init: Init, seed: u64) -> Vec<f64> {
        let mut w = vec![0.0f64; FAN_IN * FAN_OUT];
        init.fill(&mut w, FAN_IN, FAN_OUT, &mut Rng::seed(seed));
        w
    }

    #[test]
    fn uniform_initialisers_match_their_bounds() {
        let (fi, fo) = (FAN_IN as f64, FAN_OUT as f64);
        // The bounds, written from the papers' formulas rather than torch's operation order.
        let cases = [
            (Init::Uniform { a: 0.3 }, 0.3),
            (Init::Playground, 0.5),
            (Init::Standard, 1.0 / fi.sqrt()),
            // Glorot: b = gain·√(6/(fan_in + fan_out))
            (Init::GlorotUniform { gain: 1.0 }, (6.0 / (fi + fo)).sqrt()),
            (
                Init::GlorotUniform { gain: 5.0 / 3.0 },
                5.0 / 3.0 * (6.0 / (fi + fo)).sqrt(),
            ),
            // He: b = gain·√(3/fan)
            (
                Init::HeUniform {
                    mode: FanMode::FanIn,
                    gain: SQRT_2,
                },
                (6.0 / fi).sqrt(),
            ),
            (
                Init::HeUniform {
                    mode: FanMode::FanOut,
                    gain: SQRT_2,
                },
                (6.0 / fo).sqrt(),
            ),
        ];
        for (seed, (init, bound)) in cases.into_iter().enumerate() {
            let reported = init.bound(FAN_IN, FAN_OUT).unwrap();
            assert!(
                (reported - bound).abs() <= 4.0 * f64::EPSILON * bound,
                "{init:?}"
            );
            let (mean, std, kurtosis, max) = moments(&draw(init, seed as u64));
            assert!(max <= bound, "{init:?}: {max} > {bound}");
            assert!(max > 0.999 * bound, "{init:?}: {max} ≪ {bound}");
            assert!(mean.abs() < 0.01 * bound, "{init:?}: mean {mean}");
            let expected_std = bound / 3f64.sqrt();
            assert!((std / expected_std - 1.0).abs() < 0.02, "{init:?}: {std}");
            assert!((init.std(FAN_IN, FAN_OUT) / expected_std - 1.0).abs() < 1e-15);
            // A uniform's kurtosis is 9/5.
            assert!(
                (kurtosis - 1.8).abs() < 0.03,
                "{init:?}: kurtosis {kurtosis}"
            );
        }
    }

    #[test]
    fn normal_initialisers_match_their_std() {
        let (fi, fo) = (FAN_IN as f64, FAN_OUT as f64);
        let cases = [
            // Glorot: σ² = gain²·2/(fan_in + fan_out)
            (Init::GlorotNormal { gain: 1.0 }, (2.0 / (fi + fo)).sqrt()),
            (
                Init::GlorotNormal { gain: 0.5 },
                0.5 * (2.0 / (fi + fo)).sqrt(),
            ),
            // He: σ² = gain²/fan = 2/fan for relu
            (
                Init::HeNormal {
                    mode: FanMode::FanIn,
                    gain: SQRT_2,
                },
                (2.0 / fi).sqrt(),
            ),
            (
                Init::HeNormal {
                    mode: FanMode::FanOut,
                    gain: SQRT_2,
                },
                (2.0 / fo).sqrt(),
            ),
            // LeCun: σ² = 1/fan_in
            (Init::LeCunNormal, (1.0 / fi).sqrt()),
        ];
        for (seed, (init, sigma)) in cases.into_iter().enumerate() {
            assert!((init.std(FAN_IN, FAN_OUT) / sigma - 1.0).abs() < 1e-15);
            assert_eq!(init.bound(FAN_IN, FAN_OUT), None);
            let (mean, std, kurtosis, max) = moments(&draw(init, 100 + seed as u64));
            assert!(mean.abs() < 0.01 * sigma, "{init:?}: mean {mean}");
            assert!(
                (std / sigma - 1.0).abs() < 0.02,
                "{init:?}: {std} vs {sigma}"
            );
            // A normal's kurtosis is 3; 150 000 normals reach past 4σ.
            assert!(
                (kurtosis - 3.0).abs() < 0.06,
                "{init:?}: kurtosis {kurtosis}"
            );
            assert!(max > 4.0 * sigma, "{init:?}");
        }
    }

    #[test]
    fn zeros_are_zero() {
        let mut w = vec![1.0f32; 12];
        Init::Zeros.fill(&mut w, 3, 4, &mut Rng::seed(0));
        assert!(w.iter().all(|&x| x == 0.0 && x.is_sign_positive()));
    }

    /// max |MᵀM − gain²·I| over the (k × k) Gram matrix of the k = `vectors` columns (or rows) of
    /// a row-major (rows × cols) matrix.
    fn gram_error(w: &[f64], rows: usize, cols: usize, gain: f64) -> f64 {
        let columns = rows >= cols;
        let (k, len) = if columns { (cols, rows) } else { (rows, cols) };
        let at = |vector: usize, i: usize| {
            if columns {
                w[i * cols + vector]
            } else {
                w[vector * cols + i]
            }
        };
        let mut worst = 0.0f64;
        for p in 0..k {
            for q in 0..k {
                let dot: f64 = (0..len).map(|i| at(p, i) * at(q, i)).sum();
                let target = if p == q { gain * gain } else { 0.0 };
                worst = worst.max((dot - target).abs());
            }
        }
        worst
    }

    #[test]
    fn orthogonal_is_orthogonal_square_tall_and_wide() {
        let gain = 1.5;
        let init = Init::Orthogonal { gain };
        // (fan_out, fan_in): square, tall (more outputs), wide (more inputs), vectors.
        for (seed, (rows, cols)) in [(64, 64), (100, 30), (30, 100), (1, 1), (7, 1), (1, 7)]
            .into_iter()
            .enumerate()
        {
            let mut w = vec![0.0f64; rows * cols];
            init.fill(&mut w, cols, rows, &mut Rng::seed(seed as u64));
            let error = gram_error(&w, rows, cols, gain);
            assert!(error < 1e-13, "({rows} × {cols}): {error}");
            // The mean square weight is gain²/max(fan_in, fan_out) exactly.
            let mean_square = w.iter().map(|x| x * x).sum::<f64>() / w.len() as f64;
            let std = init.std(cols, rows);
            assert!((mean_square - std * std).abs() < 1e-13, "({rows} × {cols})");
        }
        // In f32 the rounding of each weight leaves ~1e-7 relative error.
        let mut w = vec![0.0f32; 50 * 20];
        init.fill(&mut w, 20, 50, &mut Rng::seed(9));
        let widened: Vec<f64> = w.iter().map(|&x| f64::from(x)).collect();
        assert!(gram_error(&widened, 50, 20, gain) < 1e-5);
    }

    #[test]
    fn orthogonal_is_the_q_of_torchs_qr_with_sign_fix() {
        // W = gain·Q with G = QR, R upper triangular with a positive diagonal, G the Gaussian
        // matrix drawn first: so Wᵀ·G = gain·R must be upper triangular with a positive
        // diagonal. Checked on a tall matrix and (transposed, as torch does) a wide one.
        let gain = 2.0;
        for (rows, cols) in [(12, 5), (5, 12), (6, 6)] {
            let mut rng = Rng::seed(33);
            let mut replay = rng.clone();
            let mut w = vec![0.0f64; rows * cols];
            Init::Orthogonal { gain }.fill(&mut w, cols, rows, &mut rng);
            let g: Vec<f64> = (0..rows * cols).map(|_| replay.normal(0.0, 1.0)).collect();
            // Tall: R = QᵀG over columns. Wide: torch factors Gᵀ = QR, W = gain·Qᵀ, so
            // R = Qᵀ Gᵀ = (W/gain)·Gᵀ over rows.
            let tall = rows >= cols;
            let (n, len) = if tall { (cols, rows) } else { (rows, cols) };
            let q = |vector: usize, i: usize| {
                if tall {
                    w[i * cols + vector]
                } else {
                    w[vector * cols + i]
                }
            };
            let a = |vector: usize, i: usize| {
                if tall {
                    g[i * cols + vector]
                } else {
                    g[vector * cols + i]
                }
            };
            for p in 0..n {
                for k in 0..n {
                    let r: f64 = (0..len).map(|i| q(p, i) * a(k, i)).sum();
                    if p > k {
                        assert!(r.abs() < 1e-12, "({rows} × {cols}) R[{p}][{k}] = {r}");
                    } else if p == k {
                        assert!(r > 0.0, "({rows} × {cols}) R[{p}][{p}] = {r}");
                    }
                }
            }
        }
    }

    #[test]
    fn same_seed_same_bits_in_both_precisions() {
        let inits = [
            Init::Uniform { a: 0.1 },
            Init::Playground,
            Init::Standard,
            Init::GlorotUniform { gain: 1.0 },
            Init::GlorotNormal { gain: 1.0 },
            Init::HeUniform {
                mode: FanMode::FanIn,
                gain: SQRT_2,
            },
            Init::HeNormal {
                mode: FanMode::FanOut,
                gain: SQRT_2,
            },
            Init::LeCunNormal,
            Init::Orthogonal { gain: 1.0 },
        ];
        for init in inits {
            let fill64 = |seed| {
                let mut w = vec![0.0f64; 7 * 5];
                init.fill(&mut w, 5, 7, &mut Rng::seed(seed));
                w
            };
            let (a, b) = (fill64(1), fill64(1));
            assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()));
            assert_ne!(a, fill64(2), "{init:?}");
            // The f32 fill holds the f64 fill's values, rounded once.
            let mut w32 = vec![0.0f32; 7 * 5];
            init.fill(&mut w32, 5, 7, &mut Rng::seed(1));
            assert!(w32.iter().zip(&a).all(|(&x, &y)| x == y as f32), "{init:?}");
        }
    }

    #[test]
    fn empty_matrices_are_a_no_op() {
        let mut rng = Rng::seed(0);
        let before = rng.clone();
        let init = Init::Orthogonal { gain: 1.0 };
        init.fill::<f64>(&mut [], 0, 5, &mut rng);
        Init::Standard.fill::<f32>(&mut [], 3, 0, &mut rng);
        assert_eq!(rng, before);
    }

    #[test]
    #[should_panic(expected = "matrix")]
    fn wrong_length_panics() {
        Init::Playground.fill(&mut [0.0f32; 5], 2, 3, &mut Rng::seed(0));
    }

    #[test]
    fn names_round_trip_and_aliases() {
        for name in Init::NAMES {
            assert_eq!(Init::from_name(name).unwrap().name(), name);
        }
        for (alias, canonical) in [
            ("glorot", "xavier"),
            ("xavier_uniform", "xavier"),
            ("glorot_uniform", "xavier"),
            ("glorot_normal", "xavier_normal"),
            ("kaiming", "he"),
            ("he_uniform", "he"),
            ("kaiming_uniform", "he"),
            ("kaiming_normal", "he_normal"),
            ("lecun_normal", "lecun"),
            ("zero", "zeros"),
        ] {
            assert_eq!(Init::from_name(alias).unwrap().name(), canonical);
        }
        assert_eq!(Init::from_name("Xavier"), None);
        assert_eq!(Init::from_name(""), None);
        // PyTorch's defaults: kaiming_uniform_(a=0, mode='fan_in', nonlinearity='leaky_relu').
        assert_eq!(
            Init::from_name("he"),
            Some(Init::HeUniform {
                mode: FanMode::FanIn,
                gain: SQRT_2
            })
        );
        assert_eq!(FanMode::default().name(), "fan_in");
        assert_eq!(FanMode::FanOut.name(), "fan_out");
    }

    #[test]
    fn gains() {
        assert_eq!(Init::LeCunNormal.gain(), None);
        assert_eq!(Init::Orthogonal { gain: 3.0 }.gain(), Some(3.0));
        let he = Init::HeNormal {
            mode: FanMode::FanOut,
            gain: 1.0,
        };
        assert_eq!(
            he.with_gain(2.0),
            Init::HeNormal {
                mode: FanMode::FanOut,
                gain: 2.0
            }
        );
    }

    #[test]
    fn recommended_follows_the_catalogue() {
        assert_eq!(
            recommended(&Activation::Relu),
            Init::HeUniform {
                mode: FanMode::FanIn,
                gain: SQRT_2
            }
        );
        assert_eq!(
            recommended(&Activation::Tanh),
            Init::GlorotUniform { gain: 5.0 / 3.0 }
        );
        assert_eq!(recommended(&Activation::Selu), Init::LeCunNormal);
        assert_eq!(
            recommended(&Activation::Sigmoid),
            Init::GlorotUniform { gain: 1.0 }
        );
        // Every catalogue activation maps to its metadata's initialiser and gain.
        for activation in act::ALL {
            let info = activation.info();
            let init = recommended(&activation);
            match info.recommended_init {
                act::metadata::Init::Glorot => {
                    assert_eq!(init, Init::GlorotUniform { gain: info.gain })
                }
                act::metadata::Init::He => assert_eq!(
                    init,
                    Init::HeUniform {
                        mode: FanMode::FanIn,
                        gain: info.gain
                    }
                ),
                act::metadata::Init::LeCun => assert_eq!(init, Init::LeCunNormal),
            }
        }
    }

    #[test]
    fn leaky_gains_follow_their_slope() {
        // calculate_gain('leaky_relu', 0.2) = √(2/(1 + 0.04))
        let leaky = Activation::LeakyRelu {
            negative_slope: 0.2,
        };
        assert!((calculate_gain(&leaky) - (2.0f64 / 1.04).sqrt()).abs() < 1e-15);
        // With default parameters the computed formula agrees with the catalogue's table.
        for name in ["leaky_relu", "prelu", "rrelu"] {
            let activation = Activation::from_name(name).unwrap();
            let table = activation.info().gain;
            assert_eq!(calculate_gain(&activation), table);
            let slope = match activation {
                Activation::LeakyRelu { negative_slope } => negative_slope,
                Activation::Prelu { weight } => weight,
                Activation::Rrelu { lower, upper } => (lower + upper) / 2.0,
                _ => unreachable!(),
            };
            let formula = (2.0 / (1.0 + slope * slope)).sqrt();
            assert!((formula - table).abs() <= 2.0 * f64::EPSILON, "{name}");
        }
    }
}
