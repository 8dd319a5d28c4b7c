//! Exporting a session's network: the engine's safetensors file (loadable by `actlab predict`
//! and `nn::persist::load`), or a plain JSON description with every weight.

use nn::loss::Loss;
use nn::persist::{self, ModelCard};
use serde::Serialize;

use crate::config::{Config, LossKind};
use crate::session::Session;

/// The JSON export.
#[derive(Serialize)]
struct WeightsJson<'a> {
    format: &'static str,
    config: &'a Config,
    epoch: u64,
    steps: u64,
    features: Vec<&'static str>,
    layers: Vec<LayerJson>,
}

#[derive(Serialize)]
struct LayerJson {
    kind: String,
    inputs: usize,
    outputs: usize,
    /// `(outputs, inputs)` row-major, for dense layers.
    weight: Option<Vec<f32>>,
    bias: Option<Vec<f32>>,
    /// PReLU slopes.
    alpha: Option<Vec<f32>>,
}

/// The network and its configuration as JSON: every layer in order with its weights.
pub fn weights_json(session: &Session) -> String {
    let model = session.model();
    let export = WeightsJson {
        format: "actlab-playground-weights",
        config: session.config(),
        epoch: session.epoch(),
        steps: session.steps(),
        features: session.config().features.iter().map(|f| f.name()).collect(),
        layers: model
            .layers()
            .iter()
            .enumerate()
            .map(|(l, layer)| LayerJson {
                kind: layer.describe(),
                inputs: layer.inputs(),
                outputs: layer.outputs(),
                weight: model.weights(l).map(<[f32]>::to_vec),
                bias: model.bias(l).map(<[f32]>::to_vec),
                alpha: model.prelu_slopes(l).map(<[f32]>::to_vec),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&export).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// The network as the engine's safetensors file, with a model card naming the features and
/// classes.
///
/// # Errors
///
/// The engine's message if a weight is not finite (a diverged network cannot be saved).
pub fn safetensors(session: &Session) -> Result<Vec<u8>, String> {
    let config = session.config();
    let data = session.data();
    let card = ModelCard {
        loss: match config.loss {
            LossKind::Mse => Loss::Mse,
            LossKind::Softmax => Loss::SoftmaxCrossEntropy,
        },
        feature_names: config.features.iter().map(|f| f.name().into()).collect(),
        n_classes: Some(data.n_classes),
        class_names: Some(data.class_names.clone()),
        standardizer: None,
        source: format!("actlab playground: {}", data.source),
    };
    persist::to_bytes(session.model(), &card, "playground.safetensors").map_err(|e| e.to_string())
}
