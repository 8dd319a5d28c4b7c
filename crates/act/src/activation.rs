//! [`Activation`]: every element-wise function of the catalogue, with its parameters.

use crate::Real;
use crate::dd::{DD, SELU_ALPHA, SELU_LAMBDA};
use crate::dd::{FRAC_1_SQRT_2PI, LN2, SQRT_2_OVER_PI};
use crate::functions::{elu, gelu, piecewise as pw, sigmoid, snake, tanh, taylor};
use crate::metadata::{self, Info};

/// An element-wise activation function with its parameters.
///
/// Names and default parameters are PyTorch's (`torch.nn.functional`), so code can move over.
/// Every variant provides the forward value [`forward`](Activation::forward), the derivative from
/// the input [`derivative`](Activation::derivative), and, where the output alone determines it,
/// the derivative from the output
/// [`derivative_from_output`](Activation::derivative_from_output); all generic over `f32` and
/// `f64` ([`Real`]).
///
/// Accuracy (measured by `actlab accuracy`, see `docs/ACCURACY.md`): forward within 1 ULP and
/// derivative within 2 ULP of the exact mathematical value for every input; NaN in gives NaN out;
/// ±∞ gives the limit; results never overflow where the exact value is finite, and underflow into
/// subnormals where the exact value does.
///
/// ```
/// use act::Activation;
///
/// let sigmoid = Activation::Sigmoid;
/// assert_eq!(sigmoid.forward(0.0f32), 0.5);
/// assert_eq!(sigmoid.derivative(0.0f64), 0.25); // the guide's bound: σ′ ≤ 1/4
/// assert_eq!(sigmoid.forward(f32::NEG_INFINITY), 0.0);
///
/// let leaky = Activation::from_name("leaky_relu").unwrap();
/// assert_eq!(leaky, Activation::LeakyRelu { negative_slope: 0.01 });
/// assert_eq!(leaky.forward(-2.0f64), -0.02);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Activation {
    /// f(x) = x; f′ = 1. The "no activation" of a linear model: stacked linear layers collapse into
    /// one, W₂(W₁x + b₁) + b₂ = W′x + b′.
    Identity,
    /// The logistic sigmoid σ(x) = 1/(1 + e^{−x}), with σ′ = σ(1 − σ) ≤ 1/4 (at x = 0).
    ///
    /// Evaluated on e^{−|x|} (two branches), so neither tail overflows or cancels; σ′ as
    /// e^{−|x|}/(1 + e^{−|x|})² rather than σ(1 − σ), which loses everything once σ rounds to 1.
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Sigmoid.forward(-800.0f64), 0.0); // e^{-800} underflows f64
    /// assert!(Activation::Sigmoid.forward(-100.0f32) > 0.0);    // 3.7e-44, an f32 subnormal
    /// ```
    Sigmoid,
    /// tanh x = 2σ(2x) − 1, zero-centred, tanh′ = 1 − tanh² x ≤ 1 (at 0).
    ///
    /// tanh′ is evaluated as sech² x = 4e^{−2|x|}/(1 + e^{−2|x|})², exact where tanh rounds to ±1.
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Tanh.derivative(0.0f32), 1.0);
    /// assert!(Activation::Tanh.derivative(-14.6f32) > 0.0); // 1 − tanh² would give 0
    /// ```
    Tanh,
    /// relu(x) = max(x, 0); relu′(x) = 1 for x > 0, else 0 (relu′(0) = 0, PyTorch's convention).
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Relu.forward(-3.0f32), 0.0);
    /// assert_eq!(Activation::Relu.derivative(0.0f32), 0.0);
    /// assert!(Activation::Relu.derivative(f32::NAN).is_nan());
    /// ```
    Relu,
    /// leaky_relu(x) = x for x > 0, `negative_slope`·x otherwise (default 0.01).
    ///
    /// ```
    /// # use act::Activation;
    /// let f = Activation::LeakyRelu { negative_slope: 0.01 };
    /// assert_eq!(f.derivative(-5.0f64), 0.01);
    /// ```
    LeakyRelu {
        /// The slope for x ≤ 0 (PyTorch default 0.01).
        negative_slope: f64,
    },
    /// PReLU: leaky relu whose slope `weight` is learned (initialised to 0.25). The catalogue
    /// evaluates one slope; per-channel slopes are a per-element choice of `weight`.
    /// ∂f/∂weight is [`prelu_weight_derivative`](crate::prelu_weight_derivative).
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Prelu { weight: 0.25 }.forward(-4.0f32), -1.0);
    /// ```
    Prelu {
        /// The slope for x ≤ 0 (initial value 0.25).
        weight: f64,
    },
    /// RReLU in evaluation mode: leaky relu with the midpoint slope (lower + upper)/2
    /// (defaults 1/8 and 1/3, slope 11/48). Training draws the slope per element from
    /// U(lower, upper): see [`rrelu_training`](crate::rrelu_training).
    ///
    /// ```
    /// # use act::Activation;
    /// let f = Activation::from_name("rrelu").unwrap();
    /// assert!((f.forward(-48.0f64) + 11.0).abs() < 1e-14);
    /// ```
    Rrelu {
        /// Lower end of the training slope range (default 1/8).
        lower: f64,
        /// Upper end of the training slope range (default 1/3).
        upper: f64,
    },
    /// elu(x) = x for x > 0, α(e^x − 1) otherwise (α = 1); via expm1 so 0⁻ keeps its precision.
    /// elu′(0) = α.
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Elu { alpha: 1.0 }.forward(f64::NEG_INFINITY), -1.0);
    /// ```
    Elu {
        /// The negative saturation value −α (default 1).
        alpha: f64,
    },
    /// selu(x) = λ·elu_α(x) with λ ≈ 1.0507, α ≈ 1.6733 (Klambauer et al.): self-normalising
    /// with LeCun initialisation. selu′(0) = λα.
    ///
    /// ```
    /// # use act::Activation;
    /// let lambda_alpha = 1.0507009873554805 * 1.6732632423543772;
    /// assert!((Activation::Selu.forward(f64::NEG_INFINITY) + lambda_alpha).abs() < 1e-15);
    /// ```
    Selu,
    /// celu(x) = max(0, x) + min(0, α(e^{x/α} − 1)) (α = 1): C¹ for every α. celu′(0) = 1.
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Celu { alpha: 2.0 }.derivative(0.0f32), 1.0);
    /// ```
    Celu {
        /// The negative saturation value −α (default 1).
        alpha: f64,
    },
    /// gelu(x) = x·Φ(x), Φ the standard normal distribution (the exact erf form, PyTorch's
    /// default). Evaluated as x·erfc(−x/√2)/2 so the negative tail stays exact.
    ///
    /// ```
    /// # use act::Activation;
    /// assert!(Activation::Gelu.forward(-10.0f32) < 0.0); // −7.6e-23, not 0
    /// assert_eq!(Activation::Gelu.forward(2e38f32), 2e38);  // no overflow
    /// ```
    Gelu,
    /// gelu with the tanh approximation, ½x(1 + tanh(√(2/π)(x + 0.044715x³))), evaluated as
    /// x·σ(2u) (no 1 + tanh u cancellation).
    ///
    /// ```
    /// # use act::Activation;
    /// assert!(Activation::GeluTanh.forward(-6.0f32) < 0.0);
    /// ```
    GeluTanh,
    /// silu(x) = x·σ(x) (swish with β = 1).
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Silu.forward(f32::NEG_INFINITY), 0.0);
    /// ```
    Silu,
    /// swish(x) = x·σ(βx) (β = 1 gives silu).
    ///
    /// ```
    /// # use act::Activation;
    /// let f = Activation::Swish { beta: 1.0 };
    /// assert_eq!(f.forward(1.5f64), Activation::Silu.forward(1.5f64));
    /// ```
    Swish {
        /// The sharpness β (default 1).
        beta: f64,
    },
    /// mish(x) = x·tanh(softplus x), evaluated as x·n/(n + 2) with n = e^x(e^x + 2).
    ///
    /// ```
    /// # use act::Activation;
    /// assert!(Activation::Mish.forward(-100.0f32) < 0.0); // −3.7e-42, a subnormal
    /// ```
    Mish,
    /// softplus(x) = ln(1 + e^{βx})/β, and x itself where βx > `threshold` (PyTorch's definition;
    /// with threshold = 20 the linear part changes no f32 result). softplus′ = σ(βx).
    /// Evaluated as (max(βx, 0) + log1p(e^{−|βx|}))/β.
    ///
    /// ```
    /// # use act::Activation;
    /// let f = Activation::from_name("softplus").unwrap();
    /// assert_eq!(f.forward(0.0f64), core::f64::consts::LN_2);
    /// ```
    Softplus {
        /// The sharpness β (default 1).
        beta: f64,
        /// Above βx > threshold the function is x (default 20; ∞ for the smooth function).
        threshold: f64,
    },
    /// softsign(x) = x/(1 + |x|), softsign′ = 1/(1 + |x|)².
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Softsign.forward(f32::INFINITY), 1.0);
    /// ```
    Softsign,
    /// hardsigmoid(x) = clamp(x/6 + 1/2, 0, 1); derivative 1/6 on (−3, 3), else 0.
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Hardsigmoid.forward(3.0f32), 1.0);
    /// ```
    Hardsigmoid,
    /// hardswish(x) = x·clamp(x + 3, 0, 6)/6; derivative x/3 + 1/2 on [−3, 3].
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Hardswish.forward(6e37f32), 6e37); // x·(x+3) never formed
    /// ```
    Hardswish,
    /// hardtanh(x) = clamp(x, min_val, max_val) (−1, 1); derivative 1 strictly inside.
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::from_name("hardtanh").unwrap().forward(-7.0f32), -1.0);
    /// ```
    Hardtanh {
        /// Lower clamp (default −1).
        min_val: f64,
        /// Upper clamp (default 1).
        max_val: f64,
    },
    /// relu6(x) = min(max(x, 0), 6); derivative 1 on (0, 6).
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Relu6.forward(9.0f32), 6.0);
    /// ```
    Relu6,
    /// logsigmoid(x) = ln σ(x) = −softplus(−x) = min(x, 0) − log1p(e^{−|x|}); derivative σ(−x).
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Logsigmoid.forward(-1000.0f64), -1000.0);
    /// ```
    Logsigmoid,
    /// tanhshrink(x) = x − tanh x, by its series x³/3 − 2x⁵/15 + … where the difference cancels;
    /// derivative tanh² x.
    ///
    /// ```
    /// # use act::Activation;
    /// let y = Activation::Tanhshrink.forward(1e-3f64);
    /// assert!((y / (1e-9 / 3.0) - 1.0).abs() < 1e-5); // ≈ x³/3, not 0
    /// ```
    Tanhshrink,
    /// hardshrink(x) = x if |x| > λ, else 0 (λ = 0.5).
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Hardshrink { lambd: 0.5 }.forward(0.5f32), 0.0);
    /// ```
    Hardshrink {
        /// The threshold λ ≥ 0 (default 0.5).
        lambd: f64,
    },
    /// softshrink(x) = x − λ above λ, x + λ below −λ, 0 between (λ = 0.5).
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Softshrink { lambd: 0.5 }.forward(2.0f32), 1.5);
    /// ```
    Softshrink {
        /// The threshold λ ≥ 0 (default 0.5).
        lambd: f64,
    },
    /// threshold(x) = x if x > threshold, else value (defaults 0 and 0, which is relu).
    ///
    /// ```
    /// # use act::Activation;
    /// let f = Activation::Threshold { threshold: 1.0, value: -1.0 };
    /// assert_eq!(f.forward(0.5f32), -1.0);
    /// ```
    Threshold {
        /// The cut point.
        threshold: f64,
        /// The value returned at or below the cut point.
        value: f64,
    },
    /// squared_relu(x) = max(x, 0)² (So et al., Primer); derivative 2·max(x, 0).
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::SquaredRelu.forward(3.0f32), 9.0);
    /// ```
    SquaredRelu,
    /// snake(x) = x + sin²(αx)/α (α = 1), derivative 1 + sin(2αx) ≥ 0, computed without
    /// cancellation at its zeros.
    ///
    /// ```
    /// # use act::Activation;
    /// assert_eq!(Activation::Snake { alpha: 1.0 }.forward(0.0f32), 0.0);
    /// ```
    Snake {
        /// The frequency α > 0 (default 1).
        alpha: f64,
    },
}

/// Every element-wise activation with its default parameters, in catalogue order.
pub const ALL: [Activation; 28] = [
    Activation::Identity,
    Activation::Sigmoid,
    Activation::Tanh,
    Activation::Relu,
    Activation::LeakyRelu {
        negative_slope: 0.01,
    },
    Activation::Prelu { weight: 0.25 },
    Activation::Rrelu {
        lower: 1.0 / 8.0,
        upper: 1.0 / 3.0,
    },
    Activation::Elu { alpha: 1.0 },
    Activation::Selu,
    Activation::Celu { alpha: 1.0 },
    Activation::Gelu,
    Activation::GeluTanh,
    Activation::Silu,
    Activation::Swish { beta: 1.0 },
    Activation::Mish,
    Activation::Softplus {
        beta: 1.0,
        threshold: 20.0,
    },
    Activation::Softsign,
    Activation::Hardsigmoid,
    Activation::Hardswish,
    Activation::Hardtanh {
        min_val: -1.0,
        max_val: 1.0,
    },
    Activation::Relu6,
    Activation::Logsigmoid,
    Activation::Tanhshrink,
    Activation::Hardshrink { lambd: 0.5 },
    Activation::Softshrink { lambd: 0.5 },
    Activation::Threshold {
        threshold: 0.0,
        value: 0.0,
    },
    Activation::SquaredRelu,
    Activation::Snake { alpha: 1.0 },
];

/// Why a name or parameter was rejected.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ParamError {
    /// No activation has this name.
    UnknownFunction {
        /// The name given.
        name: String,
    },
    /// The activation has no parameter of this name.
    UnknownParam {
        /// The activation.
        function: &'static str,
        /// The parameter name given.
        key: String,
        /// The parameters it does have.
        expected: &'static [&'static str],
    },
    /// The value is outside the parameter's domain.
    InvalidValue {
        /// The activation.
        function: &'static str,
        /// The parameter.
        key: &'static str,
        /// The rejected value.
        value: f64,
        /// What the domain is.
        requirement: &'static str,
    },
}

impl core::fmt::Display for ParamError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ParamError::UnknownFunction { name } => {
                write!(
                    f,
                    "unknown activation {name:?} (`actlab list` shows the catalogue)"
                )
            }
            ParamError::UnknownParam {
                function,
                key,
                expected: [],
            } => {
                write!(f, "{function} takes no parameters, got {key:?}")
            }
            ParamError::UnknownParam {
                function,
                key,
                expected,
            } => {
                write!(
                    f,
                    "{function} has no parameter {key:?} (it has: {})",
                    expected.join(", ")
                )
            }
            ParamError::InvalidValue {
                function,
                key,
                value,
                requirement,
            } => {
                write!(f, "{function}: {key} = {value} is invalid: {requirement}")
            }
        }
    }
}

impl std::error::Error for ParamError {}

impl Activation {
    /// The catalogue name (PyTorch's functional name where PyTorch has the function).
    pub fn name(&self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::LeakyRelu { .. } => "leaky_relu",
            Activation::Prelu { .. } => "prelu",
            Activation::Rrelu { .. } => "rrelu",
            Activation::Elu { .. } => "elu",
            Activation::Selu => "selu",
            Activation::Celu { .. } => "celu",
            Activation::Gelu => "gelu",
            Activation::GeluTanh => "gelu_tanh",
            Activation::Silu => "silu",
            Activation::Swish { .. } => "swish",
            Activation::Mish => "mish",
            Activation::Softplus { .. } => "softplus",
            Activation::Softsign => "softsign",
            Activation::Hardsigmoid => "hardsigmoid",
            Activation::Hardswish => "hardswish",
            Activation::Hardtanh { .. } => "hardtanh",
            Activation::Relu6 => "relu6",
            Activation::Logsigmoid => "logsigmoid",
            Activation::Tanhshrink => "tanhshrink",
            Activation::Hardshrink { .. } => "hardshrink",
            Activation::Softshrink { .. } => "softshrink",
            Activation::Threshold { .. } => "threshold",
            Activation::SquaredRelu => "squared_relu",
            Activation::Snake { .. } => "snake",
        }
    }

    /// The activation called `name`, with default parameters. Accepts the catalogue names and
    /// a few common aliases (`linear`, `logistic`, `swiglu`-style names are not element-wise and
    /// are rejected).
    pub fn from_name(name: &str) -> Result<Activation, ParamError> {
        let canonical = match name {
            "linear" | "none" => "identity",
            "logistic" => "sigmoid",
            "gelu_erf" => "gelu",
            "gelu_approx" | "gelu_new" => "gelu_tanh",
            "leakyrelu" | "leaky" => "leaky_relu",
            "relu2" | "relu_squared" => "squared_relu",
            other => other,
        };
        ALL.iter()
            .copied()
            .find(|a| a.name() == canonical)
            .ok_or_else(|| ParamError::UnknownFunction {
                name: name.to_string(),
            })
    }

    /// The names of this activation's parameters (empty for parameter-free functions).
    pub fn param_names(&self) -> &'static [&'static str] {
        match self {
            Activation::LeakyRelu { .. } => &["negative_slope"],
            Activation::Prelu { .. } => &["weight"],
            Activation::Rrelu { .. } => &["lower", "upper"],
            Activation::Elu { .. } | Activation::Celu { .. } | Activation::Snake { .. } => {
                &["alpha"]
            }
            Activation::Swish { .. } => &["beta"],
            Activation::Softplus { .. } => &["beta", "threshold"],
            Activation::Hardtanh { .. } => &["min_val", "max_val"],
            Activation::Hardshrink { .. } | Activation::Softshrink { .. } => &["lambd"],
            Activation::Threshold { .. } => &["threshold", "value"],
            _ => &[],
        }
    }

    /// The parameters and their current values, in [`param_names`](Self::param_names) order.
    pub fn params(&self) -> Vec<(&'static str, f64)> {
        let values: Vec<f64> = match *self {
            Activation::LeakyRelu { negative_slope } => vec![negative_slope],
            Activation::Prelu { weight } => vec![weight],
            Activation::Rrelu { lower, upper } => vec![lower, upper],
            Activation::Elu { alpha }
            | Activation::Celu { alpha }
            | Activation::Snake { alpha } => {
                vec![alpha]
            }
            Activation::Swish { beta } => vec![beta],
            Activation::Softplus { beta, threshold } => vec![beta, threshold],
            Activation::Hardtanh { min_val, max_val } => vec![min_val, max_val],
            Activation::Hardshrink { lambd } | Activation::Softshrink { lambd } => vec![lambd],
            Activation::Threshold { threshold, value } => vec![threshold, value],
            _ => vec![],
        };
        self.param_names().iter().copied().zip(values).collect()
    }

    /// This activation with parameter `key` set to `value`, validated against the parameter's
    /// domain (and the combination, e.g. `min_val ≤ max_val`).
    ///
    /// ```
    /// # use act::Activation;
    /// let elu = Activation::from_name("elu").unwrap().with_param("alpha", 0.5).unwrap();
    /// assert_eq!(elu, Activation::Elu { alpha: 0.5 });
    /// assert!(Activation::Celu { alpha: 1.0 }.with_param("alpha", 0.0).is_err());
    /// assert!(Activation::Relu.with_param("alpha", 1.0).is_err());
    /// ```
    pub fn with_param(self, key: &str, value: f64) -> Result<Activation, ParamError> {
        let function = self.name();
        let expected = self.param_names();
        let Some(&key) = expected.iter().find(|k| **k == key) else {
            return Err(ParamError::UnknownParam {
                function,
                key: key.to_string(),
                expected,
            });
        };
        let mut next = self;
        match &mut next {
            Activation::LeakyRelu { negative_slope: p }
            | Activation::Prelu { weight: p }
            | Activation::Elu { alpha: p }
            | Activation::Celu { alpha: p }
            | Activation::Snake { alpha: p }
            | Activation::Swish { beta: p }
            | Activation::Hardshrink { lambd: p }
            | Activation::Softshrink { lambd: p } => *p = value,
            Activation::Rrelu { lower, upper } => {
                *(if key == "lower" { lower } else { upper }) = value;
            }
            Activation::Softplus { beta, threshold } => {
                *(if key == "beta" { beta } else { threshold }) = value;
            }
            Activation::Hardtanh { min_val, max_val } => {
                *(if key == "min_val" { min_val } else { max_val }) = value;
            }
            Activation::Threshold {
                threshold,
                value: v,
            } => {
                *(if key == "threshold" { threshold } else { v }) = value;
            }
            _ => unreachable!("parameter-free activations have no names to match"),
        }
        next.check_params()
            .map(|()| next)
            .map_err(|(key, requirement)| ParamError::InvalidValue {
                function,
                key,
                value,
                requirement,
            })
    }

    /// Checks every parameter's domain (an activation built directly as an enum value, rather
    /// than through [`with_param`](Self::with_param), may hold any numbers).
    ///
    /// ```
    /// # use act::Activation;
    /// assert!(Activation::LeakyRelu { negative_slope: f64::NAN }.validate().is_err());
    /// assert!(Activation::Hardtanh { min_val: 2.0, max_val: 1.0 }.validate().is_err());
    /// assert!(act::ALL.iter().all(|a| a.validate().is_ok()));
    /// ```
    pub fn validate(&self) -> Result<(), ParamError> {
        self.check_params()
            .map_err(|(key, requirement)| ParamError::InvalidValue {
                function: self.name(),
                key,
                value: self
                    .params()
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map_or(f64::NAN, |p| p.1),
                requirement,
            })
    }

    /// Checks every parameter's domain; on failure names the parameter and the requirement.
    fn check_params(&self) -> Result<(), (&'static str, &'static str)> {
        let finite = |k, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                Err((k, "must be finite"))
            }
        };
        match *self {
            Activation::LeakyRelu { negative_slope } => finite("negative_slope", negative_slope),
            Activation::Prelu { weight } => finite("weight", weight),
            Activation::Rrelu { lower, upper } => {
                finite("lower", lower)?;
                finite("upper", upper)?;
                if !(0.0 <= lower && lower <= upper) {
                    return Err(("upper", "needs 0 ≤ lower ≤ upper"));
                }
                Ok(())
            }
            Activation::Elu { alpha } => finite("alpha", alpha),
            Activation::Celu { alpha } => {
                finite("alpha", alpha)?;
                if alpha == 0.0 {
                    Err(("alpha", "must be nonzero (x/α)"))
                } else {
                    Ok(())
                }
            }
            Activation::Snake { alpha } => {
                if alpha.is_finite() && alpha > 0.0 {
                    Ok(())
                } else {
                    Err(("alpha", "must be finite and > 0"))
                }
            }
            Activation::Swish { beta } => {
                if beta.is_finite() && beta > 0.0 {
                    Ok(())
                } else {
                    Err(("beta", "must be finite and > 0"))
                }
            }
            Activation::Softplus { beta, threshold } => {
                if !(beta.is_finite() && beta > 0.0) {
                    return Err(("beta", "must be finite and > 0"));
                }
                if threshold.is_nan() {
                    return Err(("threshold", "must be a number (∞ allowed)"));
                }
                Ok(())
            }
            Activation::Hardtanh { min_val, max_val } => {
                if min_val.is_nan() || max_val.is_nan() {
                    return Err(("min_val", "min_val and max_val must be numbers"));
                }
                if min_val > max_val {
                    return Err(("max_val", "needs min_val ≤ max_val"));
                }
                Ok(())
            }
            Activation::Hardshrink { lambd } | Activation::Softshrink { lambd } => {
                if lambd.is_finite() && lambd >= 0.0 {
                    Ok(())
                } else {
                    Err(("lambd", "must be finite and ≥ 0"))
                }
            }
            Activation::Threshold { threshold, value } => {
                if threshold.is_nan() {
                    return Err(("threshold", "must be a number"));
                }
                if value.is_nan() {
                    return Err(("value", "must be a number"));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The "how to choose" metadata ([`Info`]) of this activation.
    pub fn info(&self) -> &'static Info {
        metadata::info(self.name()).expect("every catalogue activation has metadata")
    }

    /// f(x).
    #[inline]
    pub fn forward<T: Real>(self, x: T) -> T {
        T::forward(self, x)
    }

    /// f′(x), from the input.
    #[inline]
    pub fn derivative<T: Real>(self, x: T) -> T {
        T::derivative(self, x)
    }

    /// Whether f′ is a function of the output y = f(x) alone (so a backward pass may keep only
    /// the output): identity, sigmoid, tanh, the relu family with slopes ≥ 0, the elu family
    /// with α > 0, hardtanh and relu6.
    pub fn has_derivative_from_output(&self) -> bool {
        match *self {
            Activation::Identity
            | Activation::Sigmoid
            | Activation::Tanh
            | Activation::Relu
            | Activation::Relu6
            | Activation::Hardtanh { .. }
            | Activation::Selu => true,
            Activation::LeakyRelu { negative_slope: s } | Activation::Prelu { weight: s } => {
                s >= 0.0
            }
            Activation::Rrelu { .. } => true,
            Activation::Elu { alpha } | Activation::Celu { alpha } => alpha > 0.0,
            _ => false,
        }
    }

    /// f′ expressed through the output y = f(x), or `None` where y does not determine it
    /// ([`has_derivative_from_output`](Self::has_derivative_from_output) is false).
    ///
    /// Mathematically exact, but it can only be as precise as y: σ′ = y(1 − y) is 0 once y has
    /// rounded to 1 (x > 17 in f32), where [`derivative`](Self::derivative) still gives e^{−x}.
    ///
    /// ```
    /// # use act::Activation;
    /// let y = Activation::Tanh.forward(0.5f64);
    /// let d = Activation::Tanh.derivative_from_output(y).unwrap();
    /// assert!((d - Activation::Tanh.derivative(0.5f64)).abs() < 1e-15);
    /// assert_eq!(Activation::Gelu.derivative_from_output(0.3f32), None);
    /// ```
    pub fn derivative_from_output<T: Real>(self, y: T) -> Option<T> {
        if !self.has_derivative_from_output() {
            return None;
        }
        let yv = y.to_f64();
        if yv.is_nan() {
            return Some(y);
        }
        // Each formula is exact algebra on y; in f64 it is evaluated in double-double and
        // rounded once, in f32 from the exact f64 value of y.
        let yd = DD::from_f64(yv);
        let step = |inside: bool| DD::from_f64(if inside { 1.0 } else { 0.0 });
        let d = match self {
            Activation::Identity => DD::ONE,
            Activation::Sigmoid => yd * (DD::ONE - yd),
            Activation::Tanh => DD::ONE - yd.sqr(),
            Activation::Relu => step(yv > 0.0),
            Activation::LeakyRelu { negative_slope: s } | Activation::Prelu { weight: s } => {
                DD::from_f64(if yv > 0.0 { 1.0 } else { s })
            }
            Activation::Rrelu { lower, upper } => {
                if yv > 0.0 {
                    DD::ONE
                } else {
                    pw::rrelu_slope(lower, upper)
                }
            }
            Activation::Elu { alpha } => {
                if yv > 0.0 {
                    DD::ONE
                } else {
                    yd.add_f64(alpha)
                }
            }
            Activation::Selu => {
                if yv > 0.0 {
                    SELU_LAMBDA
                } else {
                    yd + SELU_LAMBDA * SELU_ALPHA
                }
            }
            Activation::Celu { alpha } => {
                if yv > 0.0 {
                    DD::ONE
                } else {
                    yd.div_f64(alpha).add_f64(1.0)
                }
            }
            Activation::Hardtanh { min_val, max_val } => step(min_val < yv && yv < max_val),
            Activation::Relu6 => step(0.0 < yv && yv < 6.0),
            _ => return None,
        };
        Some(if T::NAME == "f32" {
            T::from_f64(d.to_f32() as f64)
        } else {
            T::from_f64(d.hi)
        })
    }

    /// The f32 forward value: the stable f64 formula, rounded once.
    pub(crate) fn forward_f32(self, x: f32) -> f32 {
        let x = x as f64;
        if x.abs() < taylor::TINY
            && let Some(c) = self.taylor_forward(x)
        {
            return taylor::taylor_f32(x, c);
        }
        let y = match self {
            Activation::Sigmoid => sigmoid::sigmoid_fast(x),
            Activation::Tanh => x.tanh(),
            Activation::Elu { alpha } => elu::elu_fast(x, alpha),
            Activation::Selu => elu::selu_fast(x),
            Activation::Celu { alpha } => elu::celu_fast(x, alpha),
            Activation::Gelu => gelu::gelu_fast(x),
            Activation::GeluTanh => gelu::gelu_tanh_fast(x),
            Activation::Silu => sigmoid::swish_fast(x, 1.0),
            Activation::Swish { beta } => sigmoid::swish_fast(x, beta),
            Activation::Mish => tanh::mish_fast(x),
            Activation::Softplus { beta, threshold } => sigmoid::softplus_fast(x, beta, threshold),
            Activation::Logsigmoid => sigmoid::logsigmoid_fast(x),
            Activation::Tanhshrink => tanh::tanhshrink_fast(x),
            Activation::Snake { alpha } => snake::snake_fast(x, alpha),
            Activation::Softsign => pw::softsign_fast(x),
            // The rest need no transcendental: their exact double-double value, rounded once.
            _ => return self.reference_forward(x).to_f32(),
        };
        y as f32
    }

    /// The f32 derivative: the stable f64 formula, rounded once.
    pub(crate) fn derivative_f32(self, x: f32) -> f32 {
        let x = x as f64;
        if x.abs() < taylor::TINY
            && let Some(c) = self.taylor_derivative(x)
        {
            return taylor::taylor_f32(x, c);
        }
        let d = match self {
            Activation::Sigmoid => sigmoid::sigmoid_derivative_fast(x),
            Activation::Tanh => tanh::tanh_derivative_fast(x),
            Activation::Elu { alpha } => elu::elu_derivative_fast(x, alpha),
            Activation::Selu => elu::selu_derivative_fast(x),
            Activation::Celu { alpha } => elu::celu_derivative_fast(x, alpha),
            Activation::Gelu => gelu::gelu_derivative_fast(x),
            Activation::GeluTanh => gelu::gelu_tanh_derivative_fast(x),
            Activation::Silu => sigmoid::swish_derivative_fast(x, 1.0),
            Activation::Swish { beta } => sigmoid::swish_derivative_fast(x, beta),
            Activation::Mish => tanh::mish_derivative_fast(x),
            Activation::Softplus { beta, threshold } => {
                sigmoid::softplus_derivative_fast(x, beta, threshold)
            }
            Activation::Logsigmoid => sigmoid::sigmoid_fast(-x),
            Activation::Tanhshrink => {
                let t = x.tanh();
                t * t
            }
            Activation::Softsign => pw::softsign_derivative_fast(x),
            // snake′ = 1 + sin 2αx needs the double-double reduction near its zeros; the
            // piecewise family is exact in double-double anyway.
            _ => return self.reference_derivative(x).to_f32(),
        };
        d as f32
    }

    /// f(x) in double-double: the reference every result is measured against, accurate to
    /// better than 2⁻⁹⁰ relative (its f64 rounding is the f64 forward value).
    pub fn reference_forward(self, x: f64) -> DD {
        if x.abs() < taylor::TINY
            && let Some(c) = self.taylor_forward(x)
        {
            return taylor::taylor_at_zero(x, c);
        }
        match self {
            Activation::Identity => pw::identity(x),
            Activation::Sigmoid => sigmoid::sigmoid_dd(x),
            Activation::Tanh => tanh::tanh_dd(x),
            Activation::Relu => pw::leaky(x, 0.0),
            Activation::LeakyRelu { negative_slope: s } | Activation::Prelu { weight: s } => {
                pw::leaky(x, s)
            }
            Activation::Rrelu { lower, upper } => pw::rrelu(x, lower, upper),
            Activation::Elu { alpha } => elu::elu_dd(x, alpha),
            Activation::Selu => elu::selu_dd(x),
            Activation::Celu { alpha } => elu::celu_dd(x, alpha),
            Activation::Gelu => gelu::gelu_dd(x),
            Activation::GeluTanh => gelu::gelu_tanh_dd(x),
            Activation::Silu => sigmoid::swish_dd(x, 1.0),
            Activation::Swish { beta } => sigmoid::swish_dd(x, beta),
            Activation::Mish => tanh::mish_dd(x),
            Activation::Softplus { beta, threshold } => sigmoid::softplus_dd(x, beta, threshold),
            Activation::Softsign => pw::softsign(x),
            Activation::Hardsigmoid => pw::hardsigmoid(x),
            Activation::Hardswish => pw::hardswish(x),
            Activation::Hardtanh { min_val, max_val } => pw::hardtanh(x, min_val, max_val),
            Activation::Relu6 => pw::hardtanh(x, 0.0, 6.0),
            Activation::Logsigmoid => sigmoid::logsigmoid_dd(x),
            Activation::Tanhshrink => tanh::tanhshrink_dd(x),
            Activation::Hardshrink { lambd } => pw::hardshrink(x, lambd),
            Activation::Softshrink { lambd } => pw::softshrink(x, lambd),
            Activation::Threshold { threshold, value } => pw::threshold(x, threshold, value),
            Activation::SquaredRelu => pw::squared_relu(x),
            Activation::Snake { alpha } => snake::snake_dd(x, alpha),
        }
    }

    /// f′(x) in double-double (the reference; its f64 rounding is the f64 derivative).
    pub fn reference_derivative(self, x: f64) -> DD {
        if x.abs() < taylor::TINY
            && let Some(c) = self.taylor_derivative(x)
        {
            return taylor::taylor_at_zero(x, c);
        }
        match self {
            Activation::Identity => pw::identity_derivative(x),
            Activation::Sigmoid => sigmoid::sigmoid_derivative_dd(x),
            Activation::Tanh => tanh::tanh_derivative_dd(x),
            Activation::Relu => pw::leaky_derivative(x, 0.0),
            Activation::LeakyRelu { negative_slope: s } | Activation::Prelu { weight: s } => {
                pw::leaky_derivative(x, s)
            }
            Activation::Rrelu { lower, upper } => pw::rrelu_derivative(x, lower, upper),
            Activation::Elu { alpha } => elu::elu_derivative_dd(x, alpha),
            Activation::Selu => elu::selu_derivative_dd(x),
            Activation::Celu { alpha } => elu::celu_derivative_dd(x, alpha),
            Activation::Gelu => gelu::gelu_derivative_dd(x),
            Activation::GeluTanh => gelu::gelu_tanh_derivative_dd(x),
            Activation::Silu => sigmoid::swish_derivative_dd(x, 1.0),
            Activation::Swish { beta } => sigmoid::swish_derivative_dd(x, beta),
            Activation::Mish => tanh::mish_derivative_dd(x),
            Activation::Softplus { beta, threshold } => {
                sigmoid::softplus_derivative_dd(x, beta, threshold)
            }
            Activation::Softsign => pw::softsign_derivative(x),
            Activation::Hardsigmoid => pw::hardsigmoid_derivative(x),
            Activation::Hardswish => pw::hardswish_derivative(x),
            Activation::Hardtanh { min_val, max_val } => {
                pw::hardtanh_derivative(x, min_val, max_val)
            }
            Activation::Relu6 => pw::hardtanh_derivative(x, 0.0, 6.0),
            Activation::Logsigmoid => sigmoid::sigmoid_scaled(DD::from_f64(-x)).to_dd(),
            Activation::Tanhshrink => tanh::tanhshrink_derivative_dd(x),
            Activation::Hardshrink { lambd } | Activation::Softshrink { lambd } => {
                pw::shrink_derivative(x, lambd)
            }
            Activation::Threshold { threshold, .. } => pw::threshold_derivative(x, threshold),
            Activation::SquaredRelu => pw::squared_relu_derivative(x),
            Activation::Snake { alpha } => snake::snake_derivative_dd(x, alpha),
        }
    }
}

/// A Taylor coefficient from a rational p/q.
fn q(p: f64, q: f64) -> DD {
    DD::from_f64(p) / DD::from_f64(q)
}

impl Activation {
    /// [c₀, c₁, c₂] of f at 0 (for the side of 0 that `x` is on), where f is smooth there and the
    /// general path is expensive; `None` where the general path is already cheap and exact.
    fn taylor_forward(self, x: f64) -> Option<[DD; 3]> {
        let z = DD::ZERO;
        let f = DD::from_f64;
        Some(match self {
            Activation::Sigmoid => [f(0.5), f(0.25), z],
            Activation::Tanh => [z, DD::ONE, z],
            Activation::Elu { alpha } if x < 0.0 => [z, f(alpha), f(alpha / 2.0)],
            Activation::Selu if x < 0.0 => {
                let la = SELU_LAMBDA * SELU_ALPHA;
                [z, la, la.ldexp(-1)]
            }
            Activation::Celu { alpha } if x < 0.0 => [z, DD::ONE, DD::ONE.div_f64(2.0 * alpha)],
            // x·Φ(x) = x/2 + x²φ(0) − …
            Activation::Gelu => [z, f(0.5), FRAC_1_SQRT_2PI],
            // x·σ(2u) with u ≈ √(2/π)x: x/2 + √(2/π)x²/2
            Activation::GeluTanh => [z, f(0.5), SQRT_2_OVER_PI.ldexp(-1)],
            Activation::Silu => [z, f(0.5), f(0.25)],
            Activation::Swish { beta } => [z, f(0.5), f(beta / 4.0)],
            // x·tanh(softplus x) = (3/5)x + (8/25)x² + …
            Activation::Mish => [z, q(3.0, 5.0), q(8.0, 25.0)],
            Activation::Softplus { beta, threshold } if threshold > 1e-6 => {
                [LN2.div_f64(beta), f(0.5), f(beta / 8.0)]
            }
            Activation::Logsigmoid => [-LN2, f(0.5), f(-0.125)],
            Activation::Softsign => [z, DD::ONE, f(-x.signum())],
            Activation::Hardswish => [z, f(0.5), q(1.0, 6.0)],
            Activation::Snake { alpha } => [z, DD::ONE, f(alpha)],
            _ => return None,
        })
    }

    /// [c₀, c₁, c₂] of f′ at 0, as for [`taylor_forward`](Self::taylor_forward).
    fn taylor_derivative(self, x: f64) -> Option<[DD; 3]> {
        let z = DD::ZERO;
        let f = DD::from_f64;
        Some(match self {
            Activation::Sigmoid => [f(0.25), z, f(-1.0 / 16.0)],
            Activation::Tanh => [DD::ONE, z, f(-1.0)],
            Activation::Elu { alpha } if x < 0.0 => [f(alpha), f(alpha), f(alpha / 2.0)],
            Activation::Selu if x < 0.0 => {
                let la = SELU_LAMBDA * SELU_ALPHA;
                [la, la, la.ldexp(-1)]
            }
            Activation::Celu { alpha } if x < 0.0 => {
                let inv = DD::ONE.div_f64(alpha);
                [DD::ONE, inv, inv.sqr().ldexp(-1)]
            }
            Activation::Gelu => [f(0.5), FRAC_1_SQRT_2PI.ldexp(1), z],
            Activation::GeluTanh => [f(0.5), SQRT_2_OVER_PI, z],
            Activation::Silu => [f(0.5), f(0.5), z],
            Activation::Swish { beta } => [f(0.5), f(beta / 2.0), z],
            Activation::Mish => [q(3.0, 5.0), q(16.0, 25.0), z],
            Activation::Softplus { beta, threshold } if threshold > 1e-6 => {
                [f(0.5), f(beta / 4.0), z]
            }
            Activation::Logsigmoid => [f(0.5), f(-0.25), z],
            Activation::Softsign => [DD::ONE, f(-2.0 * x.signum()), f(3.0)],
            Activation::Tanhshrink => [z, z, DD::ONE],
            Activation::Snake { alpha } => [DD::ONE, f(2.0 * alpha), z],
            _ => return None,
        })
    }
}

impl core::fmt::Display for Activation {
    /// `name` or `name(key=value, …)` when a parameter differs from its default.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())?;
        let default = Activation::from_name(self.name()).ok();
        if default.as_ref() != Some(self) {
            let parts: Vec<String> = self
                .params()
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            write!(f, "({})", parts.join(", "))?;
        }
        Ok(())
    }
}

impl core::str::FromStr for Activation {
    type Err = ParamError;
    /// Parses `name` or `name(key=value, …)` (the [`Display`](core::fmt::Display) form).
    fn from_str(s: &str) -> Result<Activation, ParamError> {
        let s = s.trim();
        let (name, rest) = match s.find('(') {
            Some(i) if s.ends_with(')') => (&s[..i], Some(&s[i + 1..s.len() - 1])),
            _ => (s, None),
        };
        let mut a = Activation::from_name(name.trim())?;
        for part in rest
            .into_iter()
            .flat_map(|r| r.split(','))
            .filter(|p| !p.trim().is_empty())
        {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| ParamError::UnknownParam {
                    function: a.name(),
                    key: part.trim().to_string(),
                    expected: a.param_names(),
                })?;
            let value: f64 = v.trim().parse().map_err(|_| ParamError::InvalidValue {
                function: a.name(),
                key: a
                    .param_names()
                    .iter()
                    .find(|n| **n == k.trim())
                    .copied()
                    .unwrap_or("?"),
                value: f64::NAN,
                requirement: "not a number",
            })?;
            a = a.with_param(k.trim(), value)?;
        }
        Ok(a)
    }
}
