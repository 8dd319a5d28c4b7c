//! Everything the page can set, as one serialisable value: the data, the input features, the
//! network, the loss and the optimiser. The page keeps it in its URL; the server checks every
//! field ([`Config::validate`]) before building anything from it.

use act::Activation;
use nn::init::Init;
use nn::optim::Settings;
use serde::{Deserialize, Serialize};

use crate::limits::{
    MAX_BATCH, MAX_HIDDEN_LAYERS, MAX_LEARNING_RATE, MAX_NEURONS_PER_LAYER, MAX_PENALTY,
    MAX_SAMPLES, MIN_SAMPLES,
};

/// The generated datasets the page offers (2-D, two classes, the Playground's `[−6, 6]²` frame).
pub const DATASETS: [&str; 6] = ["circle", "xor", "gauss", "spiral", "moons", "checkerboard"];

/// The dataset name that means "the CSV this session uploaded".
pub const UPLOAD: &str = "upload";

/// An input feature computed from a point (x₁, x₂), as in TensorFlow Playground.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// x₁.
    X1,
    /// x₂.
    X2,
    /// x₁².
    X1Squared,
    /// x₂².
    X2Squared,
    /// x₁·x₂.
    X1TimesX2,
    /// sin x₁.
    SinX1,
    /// sin x₂.
    SinX2,
}

impl Feature {
    /// Every feature, in the page's order.
    pub const ALL: [Feature; 7] = [
        Feature::X1,
        Feature::X2,
        Feature::X1Squared,
        Feature::X2Squared,
        Feature::X1TimesX2,
        Feature::SinX1,
        Feature::SinX2,
    ];

    /// The feature's value at (x₁, x₂).
    pub fn apply(self, x1: f32, x2: f32) -> f32 {
        match self {
            Feature::X1 => x1,
            Feature::X2 => x2,
            Feature::X1Squared => x1 * x1,
            Feature::X2Squared => x2 * x2,
            Feature::X1TimesX2 => x1 * x2,
            Feature::SinX1 => libm_sin(x1),
            Feature::SinX2 => libm_sin(x2),
        }
    }

    /// The protocol name (`x1`, `x1_squared`, …).
    pub fn name(self) -> &'static str {
        match self {
            Feature::X1 => "x1",
            Feature::X2 => "x2",
            Feature::X1Squared => "x1_squared",
            Feature::X2Squared => "x2_squared",
            Feature::X1TimesX2 => "x1_times_x2",
            Feature::SinX1 => "sin_x1",
            Feature::SinX2 => "sin_x2",
        }
    }

    /// How the page labels it.
    pub fn label(self) -> &'static str {
        match self {
            Feature::X1 => "x₁",
            Feature::X2 => "x₂",
            Feature::X1Squared => "x₁²",
            Feature::X2Squared => "x₂²",
            Feature::X1TimesX2 => "x₁x₂",
            Feature::SinX1 => "sin x₁",
            Feature::SinX2 => "sin x₂",
        }
    }
}

/// sin through `libm`, in f64 and rounded once: the same bits on every platform, so a seed
/// fixes the trajectory everywhere (as the engine's generators do).
fn libm_sin(x: f32) -> f32 {
    libm::sin(f64::from(x)) as f32
}

/// The loss: TensorFlow Playground's MSE on a tanh output, or softmax cross-entropy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LossKind {
    /// One tanh output trained towards ±1 with mean squared error (two classes only).
    #[default]
    Mse,
    /// One logit per class, softmax cross-entropy (two classes or more).
    Softmax,
}

/// One hidden layer: its width and its activation (a catalogue name).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    /// Units in the layer.
    pub units: usize,
    /// The activation after it, by catalogue name (`relu`, `leaky_relu`, …).
    pub activation: String,
}

/// The page's whole state: what the URL holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// A name from [`DATASETS`], or [`UPLOAD`].
    pub dataset: String,
    /// Points generated (train and test together); ignored for an upload.
    pub samples: usize,
    /// Label noise of the generator, in [0, 1] (the Playground's slider / 100).
    pub noise: f64,
    /// Fraction of the points used for training, in [0.1, 0.9].
    pub train_ratio: f64,
    /// Seed of the data, the split, the weights and the shuffles.
    pub seed: u64,
    /// The input features, at least one, no repeats.
    pub features: Vec<Feature>,
    /// The hidden layers (0 to [`MAX_HIDDEN_LAYERS`]).
    pub layers: Vec<LayerSpec>,
    /// The weight initialiser by name (`nn::init::Init::NAMES`), or `recommended` for the
    /// catalogue's choice per activation.
    pub init: String,
    /// The loss.
    pub loss: LossKind,
    /// The optimiser by name (`nn::optim::Settings::NAMES`).
    pub optimizer: String,
    /// The learning rate.
    pub learning_rate: f64,
    /// Rows per minibatch.
    pub batch_size: usize,
    /// L1 penalty on the weights.
    pub l1: f64,
    /// L2 penalty on the weights.
    pub l2: f64,
}

impl Default for Config {
    /// TensorFlow Playground's opening page, with a network that can also learn the spiral:
    /// circle, no noise, half the points for training, x₁ and x₂, two tanh layers of 8, the
    /// catalogue's recommended initialiser for each activation, MSE on a tanh output, plain
    /// SGD at 0.03, batch 10, seed 1.
    fn default() -> Config {
        Config {
            dataset: "circle".into(),
            samples: 500,
            noise: 0.0,
            train_ratio: 0.5,
            seed: 1,
            features: vec![Feature::X1, Feature::X2],
            layers: vec![
                LayerSpec {
                    units: 8,
                    activation: "tanh".into(),
                };
                2
            ],
            init: "recommended".into(),
            loss: LossKind::Mse,
            optimizer: "sgd".into(),
            learning_rate: 0.03,
            batch_size: 10,
            l1: 0.0,
            l2: 0.0,
        }
    }
}

/// A configuration checked and resolved into the engine's types.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The hidden layers' activations, in order.
    pub activations: Vec<Activation>,
    /// The initialiser; `None` for the catalogue's recommendation per activation.
    pub init: Option<Init>,
    /// The optimiser, with the configured learning rate.
    pub optimizer: Settings,
}

impl Config {
    /// Checks every field against the [limits](crate::limits) and the catalogue, and resolves
    /// the names. The error is a sentence for the page.
    ///
    /// # Errors
    ///
    /// A message naming the field, the value and what is allowed.
    pub fn validate(&self) -> Result<Resolved, String> {
        if self.dataset != UPLOAD && !DATASETS.contains(&self.dataset.as_str()) {
            return Err(format!(
                "unknown dataset {:?}: choose one of {}, or upload a CSV",
                self.dataset,
                DATASETS.join(", ")
            ));
        }
        if !(MIN_SAMPLES..=MAX_SAMPLES).contains(&self.samples) {
            return Err(format!(
                "samples = {} is out of range: between {MIN_SAMPLES} and {MAX_SAMPLES}",
                self.samples
            ));
        }
        if !(0.0..=1.0).contains(&self.noise) {
            return Err(format!(
                "noise = {} is out of range: between 0 and 1",
                self.noise
            ));
        }
        if !(0.1..=0.9).contains(&self.train_ratio) {
            return Err(format!(
                "train_ratio = {} is out of range: between 0.1 and 0.9",
                self.train_ratio
            ));
        }
        if self.features.is_empty() {
            return Err("choose at least one input feature".into());
        }
        for (i, f) in self.features.iter().enumerate() {
            if self.features[..i].contains(f) {
                return Err(format!("feature {} is listed twice", f.name()));
            }
        }
        if self.layers.len() > MAX_HIDDEN_LAYERS {
            return Err(format!(
                "{} hidden layers is too many: at most {MAX_HIDDEN_LAYERS}",
                self.layers.len()
            ));
        }
        let mut activations = Vec::with_capacity(self.layers.len());
        for (i, layer) in self.layers.iter().enumerate() {
            if !(1..=MAX_NEURONS_PER_LAYER).contains(&layer.units) {
                return Err(format!(
                    "hidden layer {} has {} neurons: between 1 and {MAX_NEURONS_PER_LAYER}",
                    i + 1,
                    layer.units
                ));
            }
            let activation = Activation::from_name(&layer.activation)
                .map_err(|e| format!("hidden layer {}: {e}", i + 1))?;
            activations.push(activation);
        }
        let init = match self.init.as_str() {
            "recommended" => None,
            name => Some(Init::from_name(name).ok_or_else(|| {
                format!(
                    "unknown initialiser {name:?}: choose recommended or one of {}",
                    Init::NAMES.join(", ")
                )
            })?),
        };
        if !(self.learning_rate > 0.0 && self.learning_rate <= MAX_LEARNING_RATE) {
            return Err(format!(
                "learning rate {} is out of range: above 0 and at most {MAX_LEARNING_RATE}",
                self.learning_rate
            ));
        }
        let optimizer = Settings::from_name(&self.optimizer).ok_or_else(|| {
            format!(
                "unknown optimiser {:?}: choose one of {}",
                self.optimizer,
                Settings::NAMES.join(", ")
            )
        })?;
        let optimizer = with_lr(optimizer, self.learning_rate);
        if !(1..=MAX_BATCH).contains(&self.batch_size) {
            return Err(format!(
                "batch size {} is out of range: between 1 and {MAX_BATCH}",
                self.batch_size
            ));
        }
        for (name, value) in [("L1", self.l1), ("L2", self.l2)] {
            if !(0.0..=MAX_PENALTY).contains(&value) {
                return Err(format!(
                    "{name} penalty {value} is out of range: between 0 and {MAX_PENALTY}"
                ));
            }
        }
        Ok(Resolved {
            activations,
            init,
            optimizer,
        })
    }

    /// Whether going from `self` to `next` needs new data (else the points are kept).
    pub fn data_changed(&self, next: &Config) -> bool {
        self.dataset != next.dataset
            || self.samples != next.samples
            || self.noise != next.noise
            || self.train_ratio != next.train_ratio
            || self.seed != next.seed
    }

    /// Whether going from `self` to `next` needs a new network (else training goes on with the
    /// new learning rate, batch size and penalties).
    pub fn network_changed(&self, next: &Config) -> bool {
        self.data_changed(next)
            || self.features != next.features
            || self.layers != next.layers
            || self.init != next.init
            || self.loss != next.loss
            || self.optimizer != next.optimizer
    }
}

/// `settings` with its learning rate set to `lr`.
pub fn with_lr(settings: Settings, lr: f64) -> Settings {
    match settings {
        Settings::Sgd(s) => Settings::Sgd(nn::optim::Sgd { lr, ..s }),
        Settings::Adam(s) => Settings::Adam(nn::optim::Adam { lr, ..s }),
        Settings::AdamW(s) => Settings::AdamW(nn::optim::AdamW { lr, ..s }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid() {
        let resolved = Config::default().validate().unwrap();
        assert_eq!(resolved.activations, [Activation::Tanh, Activation::Tanh]);
        assert_eq!(resolved.optimizer.lr(), 0.03);
    }

    #[test]
    fn absurd_sizes_are_rejected_with_the_limit() {
        let too_wide = Config {
            layers: vec![LayerSpec {
                units: 1_000_000,
                activation: "relu".into(),
            }],
            ..Config::default()
        };
        assert!(
            too_wide
                .validate()
                .unwrap_err()
                .contains("between 1 and 32")
        );
        let too_deep = Config {
            layers: vec![Config::default().layers[0].clone(); 9],
            ..Config::default()
        };
        assert!(too_deep.validate().unwrap_err().contains("at most 8"));
        for batch_size in [0, MAX_BATCH + 1] {
            let bad = Config {
                batch_size,
                ..Config::default()
            };
            assert!(bad.validate().unwrap_err().contains("batch size"));
        }
        for learning_rate in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e9] {
            let bad = Config {
                learning_rate,
                ..Config::default()
            };
            assert!(bad.validate().unwrap_err().contains("learning rate"));
        }
    }

    #[test]
    fn unknown_names_are_rejected() {
        let bad = Config {
            layers: vec![LayerSpec {
                units: 2,
                activation: "bogus".into(),
            }],
            ..Config::default()
        };
        assert!(bad.validate().unwrap_err().contains("bogus"));
        let bad = Config {
            optimizer: "lbfgs".into(),
            ..Config::default()
        };
        assert!(bad.validate().unwrap_err().contains("lbfgs"));
    }

    #[test]
    fn learning_rate_changes_keep_the_network() {
        let a = Config::default();
        let b = Config {
            learning_rate: 0.1,
            batch_size: 30,
            ..a.clone()
        };
        assert!(!a.network_changed(&b));
        let c = Config {
            init: "he".into(),
            ..a.clone()
        };
        assert!(c.network_changed(&a) && !c.data_changed(&a));
    }
}
