//! [`MlpBuilder`]: a network written down the way the maths reads, layer after layer.

use core::marker::PhantomData;

use act::Activation;
use act::gated::Gate;

use crate::Scalar;
use crate::init::{self, Init};
use crate::layer::Layer;
use crate::model::Mlp;

/// Builds an [`Mlp`] layer by layer from its input width; see [`Mlp::builder`].
///
/// Mistakes (a zero width, a gated layer on an odd width, a dropout probability of 1, …) are
/// remembered and reported by [`build`](MlpBuilder::build) as a [`BuildError`] naming the layer,
/// so the chain itself never fails halfway.
#[derive(Clone, Debug)]
pub struct MlpBuilder<T: Scalar> {
    inputs: usize,
    width: usize,
    layers: Vec<Layer>,
    /// A per-layer initialiser override, for dense layers (aligned with `layers`).
    overrides: Vec<Option<Init>>,
    global_init: Option<Init>,
    threads: usize,
    error: Option<BuildError>,
    element: PhantomData<T>,
}

/// Why [`MlpBuilder::build`] refused the network. Layers are numbered from 0 in the order they
/// were added.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum BuildError {
    /// The network has no layers.
    NoLayers,
    /// The input width is 0.
    ZeroInputs,
    /// A dense layer has 0 units.
    ZeroWidth {
        /// The layer's index.
        layer: usize,
    },
    /// A gated layer follows an odd width: it needs [a | b] halves of equal width.
    OddGatedWidth {
        /// The layer's index.
        layer: usize,
        /// The width it was given.
        width: usize,
    },
    /// A dropout probability outside [0, 1).
    DropoutProbability {
        /// The layer's index.
        layer: usize,
        /// The probability given.
        p: f64,
    },
    /// An RReLU range that is not 0 ≤ lower ≤ upper, finite.
    RreluRange {
        /// The layer's index.
        layer: usize,
        /// The lower end given.
        lower: f64,
        /// The upper end given.
        upper: f64,
    },
    /// A PReLU initial slope that is not finite.
    PreluSlope {
        /// The layer's index.
        layer: usize,
        /// The slope given.
        init: f64,
    },
    /// [`MlpBuilder::init`] was called before any dense layer.
    InitWithoutDense,
}

impl core::fmt::Display for BuildError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            BuildError::NoLayers => write!(f, "the network has no layers"),
            BuildError::ZeroInputs => write!(f, "the input width is 0"),
            BuildError::ZeroWidth { layer } => {
                write!(f, "layer {layer}: a dense layer with 0 units")
            }
            BuildError::OddGatedWidth { layer, width } => write!(
                f,
                "layer {layer}: a gated layer needs an even input width (two halves), got {width}"
            ),
            BuildError::DropoutProbability { layer, p } => {
                write!(f, "layer {layer}: dropout probability {p} is not in [0, 1)")
            }
            BuildError::RreluRange {
                layer,
                lower,
                upper,
            } => write!(
                f,
                "layer {layer}: rrelu needs finite 0 ≤ lower ≤ upper, got lower = {lower}, upper = {upper}"
            ),
            BuildError::PreluSlope { layer, init } => {
                write!(
                    f,
                    "layer {layer}: prelu's initial slope {init} is not finite"
                )
            }
            BuildError::InitWithoutDense => {
                write!(
                    f,
                    "init() was called before any dense layer (use init_all for every layer)"
                )
            }
        }
    }
}

impl std::error::Error for BuildError {}

impl<T: Scalar> MlpBuilder<T> {
    pub(crate) fn new(inputs: usize) -> MlpBuilder<T> {
        MlpBuilder {
            inputs,
            width: inputs,
            layers: Vec::new(),
            overrides: Vec::new(),
            global_init: None,
            threads: 1,
            error: if inputs == 0 {
                Some(BuildError::ZeroInputs)
            } else {
                None
            },
            element: PhantomData,
        }
    }

    fn push(mut self, layer: Layer) -> Self {
        self.width = layer.outputs();
        self.layers.push(layer);
        self.overrides.push(None);
        self
    }

    fn fail(mut self, error: BuildError) -> Self {
        self.error.get_or_insert(error);
        self
    }

    /// A dense layer of `units` units: y = x·Wᵀ + b. Its weights are drawn from the
    /// initialiser the catalogue recommends for the activation that follows it
    /// ([`init::recommended`]: He for the relu family, Glorot with PyTorch's gain for tanh and
    /// sigmoid, LeCun for selu; Glorot for a final layer), unless [`init`](Self::init) or
    /// [`init_all`](Self::init_all) says otherwise. Biases start at 0.
    pub fn dense(self, units: usize) -> Self {
        let layer = self.layers.len();
        let inputs = self.width;
        let this = self.push(Layer::Dense {
            inputs,
            outputs: units,
            init: Init::Zeros, // resolved in build(), once the following activation is known
        });
        if units == 0 {
            this.fail(BuildError::ZeroWidth { layer })
        } else {
            this
        }
    }

    /// Sets the initialiser of the most recent dense layer (overriding the default and
    /// [`init_all`](Self::init_all)).
    pub fn init(mut self, init: Init) -> Self {
        match self
            .layers
            .iter()
            .rposition(|l| matches!(l, Layer::Dense { .. }))
        {
            Some(i) => {
                self.overrides[i] = Some(init);
                self
            }
            None => self.fail(BuildError::InitWithoutDense),
        }
    }

    /// Sets the initialiser of every dense layer that has no [`init`](Self::init) of its own,
    /// in place of the per-activation default.
    pub fn init_all(mut self, init: Init) -> Self {
        self.global_init = Some(init);
        self
    }

    /// An element-wise activation y = f(x) from the catalogue, in the training precision.
    /// [`Activation::Prelu`] gives a learnable PReLU with one shared slope starting at its
    /// `weight` (as [`prelu`](Self::prelu) does at 0.25), and [`Activation::Rrelu`] gives a
    /// randomised RReLU layer (as [`rrelu`](Self::rrelu)).
    pub fn act(self, activation: Activation) -> Self {
        match activation {
            Activation::Prelu { weight } => self.prelu_layer(false, weight),
            Activation::Rrelu { lower, upper } => self.rrelu(lower, upper),
            _ => {
                let width = self.width;
                self.push(Layer::Activation { activation, width })
            }
        }
    }

    fn prelu_layer(self, per_unit: bool, init: f64) -> Self {
        let layer = self.layers.len();
        let width = self.width;
        let this = self.push(Layer::Prelu {
            width,
            per_unit,
            init,
        });
        if init.is_finite() {
            this
        } else {
            this.fail(BuildError::PreluSlope { layer, init })
        }
    }

    /// PReLU with one learned slope α for the whole layer, starting at 0.25
    /// (`torch.nn.PReLU()`).
    pub fn prelu(self) -> Self {
        self.prelu_layer(false, 0.25)
    }

    /// PReLU with one learned slope per unit, each starting at 0.25
    /// (`torch.nn.PReLU(num_parameters = width)`).
    pub fn prelu_per_unit(self) -> Self {
        self.prelu_layer(true, 0.25)
    }

    /// RReLU: a random slope from U(`lower`, `upper`) per element in training, the midpoint in
    /// evaluation (PyTorch's defaults are 1/8 and 1/3).
    pub fn rrelu(self, lower: f64, upper: f64) -> Self {
        let layer = self.layers.len();
        let width = self.width;
        let this = self.push(Layer::Rrelu {
            width,
            lower,
            upper,
        });
        if lower.is_finite() && upper.is_finite() && 0.0 <= lower && lower <= upper {
            this
        } else {
            this.fail(BuildError::RreluRange {
                layer,
                lower,
                upper,
            })
        }
    }

    /// A gated layer of the GLU family ([`act::gated`]): the current width 2n splits into
    /// halves [a | b] and the layer outputs a ⊙ g(b), n wide. Put a dense layer of 2n units
    /// before it.
    pub fn gated(self, gate: Gate) -> Self {
        let layer = self.layers.len();
        let width = self.width;
        let this = self.push(Layer::Gated {
            gate,
            outputs: width / 2,
        });
        if width.is_multiple_of(2) {
            this
        } else {
            this.fail(BuildError::OddGatedWidth { layer, width })
        }
    }

    /// Inverted dropout with probability `p` in [0, 1): active in training only.
    pub fn dropout(self, p: f64) -> Self {
        let layer = self.layers.len();
        let width = self.width;
        let this = self.push(Layer::Dropout { width, p });
        if (0.0..1.0).contains(&p) {
            this
        } else {
            this.fail(BuildError::DropoutProbability { layer, p })
        }
    }

    /// How many threads the matrix products may use (default 1). Results are the same bits
    /// for every thread count.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// The network, with every dense layer's weights drawn from its initialiser by a generator
    /// seeded with `seed` (layer k draws from its own stream, so adding a layer at the end
    /// leaves the others' weights unchanged).
    ///
    /// # Errors
    ///
    /// The first [`BuildError`] the chain made, or [`BuildError::NoLayers`].
    pub fn build(mut self, seed: u64) -> Result<Mlp<T>, BuildError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        if self.layers.is_empty() {
            return Err(BuildError::NoLayers);
        }
        for i in 0..self.layers.len() {
            if !matches!(self.layers[i], Layer::Dense { .. }) {
                continue;
            }
            let chosen = self.overrides[i].or(self.global_init).unwrap_or_else(|| {
                // The activation that follows, looking through dropout; none (another dense
                // layer, or the output) means linear.
                let next = self.layers[i + 1..]
                    .iter()
                    .find(|l| !matches!(l, Layer::Dropout { .. }))
                    .and_then(Layer::activation)
                    .unwrap_or(Activation::Identity);
                init::recommended(&next)
            });
            if let Layer::Dense { init, .. } = &mut self.layers[i] {
                *init = chosen;
            }
        }
        Ok(Mlp::from_layers(
            self.inputs,
            self.layers,
            seed,
            self.threads,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::init::FanMode;

    #[test]
    fn default_initialisers_follow_the_next_activation() {
        let model = Mlp::<f32>::builder(3)
            .dense(4)
            .act(Activation::Relu)
            .dense(4)
            .dropout(0.1)
            .act(Activation::Tanh)
            .dense(2)
            .build(0)
            .unwrap();
        let inits: Vec<Init> = model
            .layers()
            .iter()
            .filter_map(|l| match l {
                Layer::Dense { init, .. } => Some(*init),
                _ => None,
            })
            .collect();
        assert_eq!(
            inits,
            [
                Init::HeUniform {
                    mode: FanMode::FanIn,
                    gain: 2f64.sqrt()
                },
                Init::GlorotUniform { gain: 5.0 / 3.0 },
                init::recommended(&Activation::Identity),
            ]
        );
    }

    #[test]
    fn overrides_per_layer_and_globally() {
        let model = Mlp::<f64>::builder(2)
            .init_all(Init::Playground)
            .dense(3)
            .init(Init::Zeros)
            .act(Activation::Sigmoid)
            .dense(1)
            .build(1)
            .unwrap();
        assert!(matches!(
            model.layers()[0],
            Layer::Dense {
                init: Init::Zeros,
                ..
            }
        ));
        assert!(matches!(
            model.layers()[2],
            Layer::Dense {
                init: Init::Playground,
                ..
            }
        ));
        assert!(model.weights(0).unwrap().iter().all(|&w| w == 0.0));
    }

    #[test]
    fn mistakes_are_reported_with_their_layer() {
        let e = |b: MlpBuilder<f32>| b.build(0).unwrap_err();
        assert_eq!(e(Mlp::builder(2)), BuildError::NoLayers);
        assert_eq!(e(Mlp::builder(0).dense(1)), BuildError::ZeroInputs);
        assert_eq!(
            e(Mlp::builder(2).dense(3).gated(Gate::Glu)),
            BuildError::OddGatedWidth { layer: 1, width: 3 }
        );
        assert_eq!(
            e(Mlp::builder(2).dense(4).dropout(1.0)),
            BuildError::DropoutProbability { layer: 1, p: 1.0 }
        );
        assert_eq!(
            e(Mlp::builder(2).dense(0)),
            BuildError::ZeroWidth { layer: 0 }
        );
        assert_eq!(
            e(Mlp::builder(2).init(Init::Zeros)),
            BuildError::InitWithoutDense
        );
        assert!(matches!(
            e(Mlp::builder(2).dense(2).rrelu(0.5, 0.1)),
            BuildError::RreluRange { layer: 1, .. }
        ));
    }

    #[test]
    fn catalogue_prelu_and_rrelu_become_their_layers() {
        let model = Mlp::<f32>::builder(2)
            .dense(4)
            .act(Activation::Prelu { weight: 0.1 })
            .dense(4)
            .act(Activation::Rrelu {
                lower: 0.125,
                upper: 1.0 / 3.0,
            })
            .dense(2)
            .gated(Gate::Swiglu)
            .build(0)
            .unwrap();
        assert!(
            matches!(model.layers()[1], Layer::Prelu { per_unit: false, init, .. } if init == 0.1)
        );
        assert!(matches!(model.layers()[3], Layer::Rrelu { .. }));
        assert_eq!(model.outputs(), 1);
        assert_eq!(model.prelu_slopes(1).unwrap(), [0.1f32]);
    }
}
