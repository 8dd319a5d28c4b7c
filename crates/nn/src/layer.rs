//! The layers an [`Mlp`](crate::Mlp) stacks, and what each computes forward and backward.
//!
//! Every layer maps a batch of rows `(batch, inputs)` to `(batch, outputs)`. The table gives the
//! forward map and the two things backward needs: the gradient passed to the layer below,
//! ∂L/∂x, and the gradient of the layer's own parameters (accumulated, `+=`), from the
//! upstream gradient dy = ∂L/∂y.
//!
//! | layer | forward | ∂L/∂x | parameter gradient |
//! |---|---|---|---|
//! | [`Dense`](Layer::Dense) | y = x·Wᵀ + b | dy·W | ∂L/∂W += dyᵀ·x, ∂L/∂b += Σ_rows dy |
//! | [`Activation`](Layer::Activation) | y = f(x) | dy ⊙ f′ | — |
//! | [`Prelu`](Layer::Prelu) | y = x if x > 0 else α·x | dy ⊙ (1 or α) | ∂L/∂α += Σ dy·(x if x ≤ 0 else 0) |
//! | [`Rrelu`](Layer::Rrelu) | y = x if x ≥ 0 else a·x, a ~ U(l, u) per element (training), a = (l + u)/2 (evaluation) | dy ⊙ (1 or a) | — |
//! | [`Gated`](Layer::Gated) | [a \| b] ↦ a ⊙ g(b) | [dy ⊙ g(b) \| dy ⊙ a ⊙ g′(b)] | — |
//! | [`Dropout`](Layer::Dropout) | y = x ⊙ m, m = 0 w.p. p else 1/(1 − p) (training), y = x (evaluation) | dy ⊙ m | — |
//!
//! f′ comes from the output y where the catalogue says y determines it
//! ([`Activation::has_derivative_from_output`]: sigmoid, tanh, the relu family…), else from the
//! stored input x.

use act::Activation;
use act::gated::Gate;

use crate::init::Init;

/// One layer of a multilayer perceptron. Build them with [`Mlp::builder`](crate::Mlp::builder);
/// read them back with [`Mlp::layers`](crate::Mlp::layers). See the [module docs](self) for what
/// each computes.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Layer {
    /// Fully connected: y = x·Wᵀ + b, with W row-major `(outputs, inputs)` (PyTorch's
    /// `nn.Linear` layout: row o holds the weights into unit o) and b `(outputs,)`, initialised
    /// with `init` (weights) and zeros (bias).
    Dense {
        /// Width of the input, fan_in.
        inputs: usize,
        /// Number of units, fan_out.
        outputs: usize,
        /// The weight initialiser.
        init: Init,
    },
    /// An element-wise catalogue activation y = f(x), evaluated in the training precision by
    /// [`Activation::forward`]; never a PReLU or RReLU (those have their own layers).
    Activation {
        /// The function and its parameters.
        activation: Activation,
        /// Width (inputs = outputs).
        width: usize,
    },
    /// PReLU with a learned slope α for x ≤ 0 (He et al. 2015), one α shared by every unit or
    /// one per unit (`torch.nn.PReLU(num_parameters)`).
    Prelu {
        /// Width (inputs = outputs).
        width: usize,
        /// One α per unit (`true`) or one for the layer.
        per_unit: bool,
        /// The initial α (PyTorch: 0.25).
        init: f64,
    },
    /// RReLU (Xu et al. 2015): in training each element draws its slope for x < 0 from
    /// U(`lower`, `upper`); in evaluation the slope is the midpoint.
    Rrelu {
        /// Width (inputs = outputs).
        width: usize,
        /// Lower end of the slope range (PyTorch: 1/8).
        lower: f64,
        /// Upper end of the slope range (PyTorch: 1/3).
        upper: f64,
    },
    /// A gated unit of the GLU family: each input row [a | b] of 2·`outputs` entries gives
    /// a ⊙ g(b) (see [`act::gated`]); it halves the width.
    Gated {
        /// The gate g.
        gate: Gate,
        /// Width of the output (the input is twice as wide).
        outputs: usize,
    },
    /// Inverted dropout (Srivastava et al. 2014, scaled as PyTorch does): in training each
    /// element is zeroed with probability `p` and the rest scaled by 1/(1 − p), so evaluation
    /// (identity) sees the same expected activation.
    Dropout {
        /// Width (inputs = outputs).
        width: usize,
        /// Probability of zeroing an element, in [0, 1).
        p: f64,
    },
}

impl Layer {
    /// Width of the layer's input.
    pub fn inputs(&self) -> usize {
        match *self {
            Layer::Dense { inputs, .. } => inputs,
            Layer::Gated { outputs, .. } => 2 * outputs,
            Layer::Activation { width, .. }
            | Layer::Prelu { width, .. }
            | Layer::Rrelu { width, .. }
            | Layer::Dropout { width, .. } => width,
        }
    }

    /// Width of the layer's output.
    pub fn outputs(&self) -> usize {
        match *self {
            Layer::Dense { outputs, .. } | Layer::Gated { outputs, .. } => outputs,
            Layer::Activation { width, .. }
            | Layer::Prelu { width, .. }
            | Layer::Rrelu { width, .. }
            | Layer::Dropout { width, .. } => width,
        }
    }

    /// Number of learned parameters: outputs·inputs + outputs for a dense layer, `width` or 1
    /// for a PReLU, 0 otherwise.
    pub fn n_params(&self) -> usize {
        match *self {
            Layer::Dense {
                inputs, outputs, ..
            } => outputs * inputs + outputs,
            Layer::Prelu {
                width, per_unit, ..
            } => {
                if per_unit {
                    width
                } else {
                    1
                }
            }
            _ => 0,
        }
    }

    /// Whether the layer draws random numbers in training (RReLU, dropout).
    pub fn is_stochastic(&self) -> bool {
        matches!(self, Layer::Rrelu { .. } | Layer::Dropout { .. })
    }

    /// A short description: `dense 2 → 8`, `tanh`, `prelu (per unit)`, `dropout(p=0.5)`, ….
    pub fn describe(&self) -> String {
        match *self {
            Layer::Dense {
                inputs, outputs, ..
            } => format!("dense {inputs} → {outputs}"),
            Layer::Activation { activation, .. } => activation.to_string(),
            Layer::Prelu { per_unit, .. } => {
                if per_unit {
                    "prelu (per unit)".into()
                } else {
                    "prelu".into()
                }
            }
            Layer::Rrelu { lower, upper, .. } => format!("rrelu(lower={lower}, upper={upper})"),
            Layer::Gated { gate, .. } => gate.name().into(),
            Layer::Dropout { p, .. } => format!("dropout(p={p})"),
        }
    }

    /// The element-wise function this layer applies in evaluation, if it is one: the
    /// activation, PReLU at its initial slope, RReLU at its midpoint slope. Used to find a
    /// dense layer's default initialiser and an activation's saturation.
    pub fn activation(&self) -> Option<Activation> {
        match *self {
            Layer::Activation { activation, .. } => Some(activation),
            Layer::Prelu { init, .. } => Some(Activation::Prelu { weight: init }),
            Layer::Rrelu { lower, upper, .. } => Some(Activation::Rrelu { lower, upper }),
            Layer::Gated { gate, .. } => Some(gate.activation()),
            _ => None,
        }
    }
}

impl core::fmt::Display for Layer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.describe())
    }
}
