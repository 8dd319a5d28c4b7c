//! The JSON messages between the page and the server over the session's WebSocket
//! (docs/PLAYGROUND.md has the whole protocol with examples). Every message is an object whose
//! `type` names it.

use serde::{Deserialize, Serialize};

use crate::config::{Config, DATASETS, Feature};
use crate::frame::Frame;
use crate::limits;
use crate::presets::Preset;

/// Most epochs one `step` message may ask for.
pub const MAX_STEP_EPOCHS: u32 = 1000;

/// What the page sends.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// Apply a whole configuration (see [`Config`]); fields left out take their defaults.
    Configure {
        /// The configuration.
        config: Config,
    },
    /// Start the play loop: one epoch per tick, a `state` after each.
    Play,
    /// Stop the play loop.
    Pause,
    /// Train `epochs` epochs (default 1) and send the state.
    Step {
        /// How many epochs (1 to [`MAX_STEP_EPOCHS`]).
        #[serde(default)]
        epochs: Option<u32>,
    },
    /// Fresh weights from the seed; training starts over on the same points.
    Reset,
    /// New points (the seed moves on by one); training starts over.
    Regenerate,
    /// Use a CSV of `x1,x2,label` rows as the data.
    Upload {
        /// The file's name, for messages.
        name: String,
        /// The file's text (at most [`MAX_UPLOAD_BYTES`](limits::MAX_UPLOAD_BYTES)).
        csv: String,
    },
    /// Send the state now.
    State,
}

/// What the server sends.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// First message on a socket: the session's id and what the page can offer.
    Hello {
        /// The session's id (names its export URLs).
        session: String,
        /// The limits in force.
        limits: Limits,
        /// The names the controls list.
        catalogue: Catalogue,
        /// The presets.
        presets: Vec<Preset>,
    },
    /// The configuration in force (after every change), with a notice if the server changed
    /// something the page asked for.
    Config {
        /// The configuration.
        config: Config,
        /// A remark for the page, if any.
        notice: Option<String>,
    },
    /// The points (after every change of data).
    Data {
        /// Training points as `[x1, x2, class]`.
        train: Vec<[f32; 3]>,
        /// Test points as `[x1, x2, class]`.
        test: Vec<[f32; 3]>,
        /// Number of classes.
        n_classes: usize,
        /// Class names.
        class_names: Vec<String>,
        /// Where the points came from.
        source: String,
    },
    /// The state after an epoch (or on request).
    State(Box<Frame>),
    /// A request was refused; the session is as it was.
    Error {
        /// What went wrong, in words.
        message: String,
    },
}

/// The limits, as the page shows them.
#[derive(Clone, Debug, Serialize)]
pub struct Limits {
    /// [`limits::MAX_HIDDEN_LAYERS`].
    pub max_hidden_layers: usize,
    /// [`limits::MAX_NEURONS_PER_LAYER`].
    pub max_neurons_per_layer: usize,
    /// [`limits::MAX_BATCH`].
    pub max_batch: usize,
    /// [`limits::MAX_SAMPLES`].
    pub max_samples: usize,
    /// [`limits::MAX_UPLOAD_BYTES`].
    pub max_upload_bytes: usize,
    /// [`limits::MAX_CLASSES`].
    pub max_classes: usize,
    /// [`limits::MAX_LEARNING_RATE`].
    pub max_learning_rate: f64,
}

impl Limits {
    /// The limits in force.
    pub fn current() -> Limits {
        Limits {
            max_hidden_layers: limits::MAX_HIDDEN_LAYERS,
            max_neurons_per_layer: limits::MAX_NEURONS_PER_LAYER,
            max_batch: limits::MAX_BATCH,
            max_samples: limits::MAX_SAMPLES,
            max_upload_bytes: limits::MAX_UPLOAD_BYTES,
            max_classes: limits::MAX_CLASSES,
            max_learning_rate: limits::MAX_LEARNING_RATE,
        }
    }
}

/// The names the page's selects offer.
#[derive(Clone, Debug, Serialize)]
pub struct Catalogue {
    /// Every element-wise activation: `[name, title]`.
    pub activations: Vec<[String; 2]>,
    /// Initialiser names (`recommended` first).
    pub inits: Vec<&'static str>,
    /// Optimiser names.
    pub optimizers: Vec<&'static str>,
    /// Dataset names.
    pub datasets: Vec<&'static str>,
    /// Input features: `[name, label]`.
    pub features: Vec<[&'static str; 2]>,
}

impl Catalogue {
    /// The catalogue from `act` and `nn`.
    pub fn current() -> Catalogue {
        Catalogue {
            activations: act::ALL
                .iter()
                .map(|a| {
                    let title = act::metadata::info(a.name()).map_or(a.name(), |i| i.title);
                    [a.name().to_owned(), title.to_owned()]
                })
                .collect(),
            inits: std::iter::once("recommended")
                .chain(nn::init::Init::NAMES)
                .collect(),
            optimizers: nn::optim::Settings::NAMES.to_vec(),
            datasets: DATASETS.to_vec(),
            features: Feature::ALL.iter().map(|f| [f.name(), f.label()]).collect(),
        }
    }
}

/// Parses a message from the page; the error is a sentence for the page.
///
/// # Errors
///
/// A message saying what was wrong with the JSON.
pub fn parse(text: &str) -> Result<ClientMessage, String> {
    serde_json::from_str(text).map_err(|e| format!("malformed message: {e}"))
}

impl ServerMessage {
    /// The message as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(r#"{{"type":"error","message":"could not encode a message: {e}"}}"#)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_parse() {
        assert_eq!(parse(r#"{"type":"play"}"#), Ok(ClientMessage::Play));
        assert_eq!(
            parse(r#"{"type":"step","epochs":3}"#),
            Ok(ClientMessage::Step { epochs: Some(3) })
        );
        let ClientMessage::Configure { config } =
            parse(r#"{"type":"configure","config":{"dataset":"spiral"}}"#).unwrap()
        else {
            panic!("not a configure");
        };
        assert_eq!(config.dataset, "spiral");
        assert_eq!(config.layers, Config::default().layers);
    }

    #[test]
    fn malformed_messages_say_why() {
        for bad in [
            "",
            "nonsense",
            "{}",
            r#"{"type":"fly"}"#,
            r#"{"type":"configure","config":{"layers":"many"}}"#,
            r#"{"type":"configure","config":{"bogus":1}}"#,
            r#"{"type":"step","epochs":-1}"#,
        ] {
            assert!(parse(bad).unwrap_err().starts_with("malformed message"));
        }
    }

    #[test]
    fn catalogue_lists_every_activation() {
        let c = Catalogue::current();
        assert_eq!(c.activations.len(), act::ALL.len());
        assert!(c.activations.iter().any(|[name, _]| name == "leaky_relu"));
    }

    #[test]
    fn non_finite_numbers_become_null() {
        let m = ServerMessage::Error {
            message: "x".into(),
        };
        assert_eq!(m.to_json(), r#"{"type":"error","message":"x"}"#);
        assert_eq!(serde_json::to_string(&f64::NAN).unwrap(), "null");
    }
}
