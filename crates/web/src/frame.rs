//! The `state` message: everything the page draws after an epoch, built from the session's
//! latest probe, its network and its heat maps.
//!
//! Heat maps travel as base64 of one byte per cell (0 ↦ −1 or class 0's colour, 255 ↦ +1),
//! row by row from the top-left corner of the frame: a 50 × 50 boundary map is 3.3 kB of text
//! rather than 30 kB of JSON numbers.

use nn::diagnostics::Histogram;
use serde::Serialize;

use crate::config::Feature;
use crate::session::{HistoryPoint, Session};

/// The page's state after an epoch (the `state` message's fields).
#[derive(Clone, Debug, Serialize)]
pub struct Frame {
    /// Epochs trained.
    pub epoch: u64,
    /// Optimiser steps taken.
    pub steps: u64,
    /// Whether the play loop is running.
    pub playing: bool,
    /// Mean loss over the training set (null if not finite).
    pub loss_train: f64,
    /// Mean loss over the test set (null if not finite or no test set).
    pub loss_test: f64,
    /// Training accuracy.
    pub accuracy_train: f64,
    /// Test accuracy.
    pub accuracy_test: f64,
    /// The engine's divergence message, once training diverged.
    pub divergence: Option<String>,
    /// Loss and gradient history (at most [`MAX_HISTORY`](crate::limits::MAX_HISTORY) points).
    pub history: Vec<HistoryPoint>,
    /// One entry per dense layer (hidden layers, then the output), input side first.
    pub gradient_flow: Vec<GradientLayer>,
    /// ‖∂L/∂W₁‖ / ‖∂L/∂W_out‖: ≪ 1 is a vanishing gradient.
    pub first_to_last_grad_ratio: Option<f64>,
    /// One entry per hidden layer.
    pub layers: Vec<HiddenLayer>,
    /// Every dense layer's weights and biases, input side first.
    pub weights: Vec<DenseWeights>,
    /// The output over the frame.
    pub boundary: Boundary,
    /// The input features over the frame.
    pub features: Vec<FeatureMap>,
    /// Dead hidden units in all.
    pub dead_units: usize,
    /// Hidden units in all.
    pub total_units: usize,
}

/// One dense layer's gradient.
#[derive(Clone, Debug, Serialize)]
pub struct GradientLayer {
    /// `hidden 1`, …, `output`.
    pub name: String,
    /// ‖∂L/∂W‖₂ of the full training set's loss.
    pub weight_grad_norm: f64,
    /// ‖∂L/∂z‖₂ at the layer's output, if recorded.
    pub preact_grad_norm: Option<f64>,
}

/// One hidden layer's statistics and maps.
#[derive(Clone, Debug, Serialize)]
pub struct HiddenLayer {
    /// The activation's name with its parameters.
    pub activation: String,
    /// Units.
    pub units: usize,
    /// Units with f′ = 0 on every training point.
    pub dead: Vec<usize>,
    /// Units with |f′| < 1e-3 on ≥ 90 % of the training points.
    pub saturated: Vec<usize>,
    /// Fraction of (point, unit) pairs saturated.
    pub saturated_fraction: f64,
    /// Fraction of outputs exactly zero.
    pub zero_fraction: f64,
    /// Mean output.
    pub mean: f64,
    /// Standard deviation of the outputs.
    pub std: f64,
    /// Histogram of the outputs over the training set.
    pub histogram: Histogram,
    /// Each unit's output over the frame (base64, one byte per cell, clamped to [−1, 1]).
    pub maps: Vec<String>,
}

/// A dense layer's parameters.
#[derive(Clone, Debug, Serialize)]
pub struct DenseWeights {
    /// Input width.
    pub inputs: usize,
    /// Output width.
    pub outputs: usize,
    /// W, `(outputs, inputs)` row-major.
    pub weights: Vec<f32>,
    /// b, `(outputs,)`.
    pub bias: Vec<f32>,
}

/// The network's output over the frame.
#[derive(Clone, Debug, Serialize)]
pub struct Boundary {
    /// Cells per side.
    pub size: usize,
    /// Two classes: `values` is P(class 1) (or the tanh output mapped to [0, 1]).
    pub binary: bool,
    /// Base64 bytes: P(class 1) or, with several classes, the winner's probability.
    pub values: String,
    /// With several classes: base64 bytes of the winning class per cell.
    pub classes: Option<String>,
}

/// An input feature over the frame.
#[derive(Clone, Debug, Serialize)]
pub struct FeatureMap {
    /// The protocol name.
    pub name: &'static str,
    /// The label.
    pub label: &'static str,
    /// Base64 bytes, scaled by the feature's largest |value| on the frame.
    pub map: String,
}

/// What [`build`] assembles.
pub(crate) struct Parts<'a> {
    pub session: &'a Session,
    pub playing: bool,
    pub boundary: Boundary,
    pub maps: Vec<Vec<String>>,
    pub feature_maps: Vec<FeatureMap>,
}

pub(crate) fn build(parts: Parts<'_>) -> Frame {
    let session = parts.session;
    let (config, probe, history, divergence, epoch, steps) = session.parts();
    let model = session.model();
    let snapshot = probe.snapshot.as_ref();
    let hidden = config.layers.len();
    let gradient_flow = snapshot
        .map(|s| {
            s.layers
                .iter()
                .filter_map(|l| l.weight_grad_norm.map(|norm| (l, norm)))
                .enumerate()
                .map(|(k, (l, norm))| GradientLayer {
                    name: if k < hidden {
                        format!("hidden {}", k + 1)
                    } else {
                        "output".into()
                    },
                    weight_grad_norm: norm,
                    preact_grad_norm: l.preact_grad_norm,
                })
                .collect()
        })
        .unwrap_or_default();
    let layers: Vec<HiddenLayer> = (0..hidden)
        .map(|h| {
            let l = 2 * h + 1;
            let stats = snapshot.and_then(|s| s.layers.get(l)?.activations.as_ref());
            HiddenLayer {
                activation: model.layers()[l].describe(),
                units: config.layers[h].units,
                dead: probe.dead.get(h).cloned().unwrap_or_default(),
                saturated: probe.saturated.get(h).cloned().unwrap_or_default(),
                saturated_fraction: stats.map_or(f64::NAN, |s| s.saturated_fraction),
                zero_fraction: stats.map_or(f64::NAN, |s| s.zero_fraction),
                mean: stats.map_or(f64::NAN, |s| s.mean),
                std: stats.map_or(f64::NAN, |s| s.std),
                histogram: stats.map_or(
                    Histogram {
                        lo: 0.0,
                        hi: 0.0,
                        counts: Vec::new(),
                        below: 0,
                        above: 0,
                        nan: 0,
                    },
                    |s| s.histogram.clone(),
                ),
                maps: parts.maps.get(h).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let weights = (0..model.layers().len())
        .filter_map(|l| {
            let w = model.weights(l)?;
            let b = model.bias(l).unwrap_or(&[]);
            Some(DenseWeights {
                inputs: model.layers()[l].inputs(),
                outputs: model.layers()[l].outputs(),
                weights: w.to_vec(),
                bias: b.to_vec(),
            })
        })
        .collect();
    Frame {
        epoch,
        steps,
        playing: parts.playing,
        loss_train: probe.loss_train,
        loss_test: probe.loss_test,
        accuracy_train: probe.accuracy_train,
        accuracy_test: probe.accuracy_test,
        divergence: divergence.map(str::to_owned),
        history: thin(history, 200),
        gradient_flow,
        first_to_last_grad_ratio: snapshot.and_then(|s| s.first_to_last_grad_ratio),
        dead_units: layers.iter().map(|l| l.dead.len()).sum(),
        total_units: layers.iter().map(|l| l.units).sum(),
        layers,
        weights,
        boundary: parts.boundary,
        features: parts.feature_maps,
    }
}

/// At most about `max` points of `history`, evenly spaced, always with the last.
fn thin(history: &[HistoryPoint], max: usize) -> Vec<HistoryPoint> {
    let stride = history.len().div_ceil(max).max(1);
    let mut out: Vec<HistoryPoint> = history.iter().step_by(stride).cloned().collect();
    if let Some(last) = history.last()
        && out.last() != Some(last)
    {
        out.push(last.clone());
    }
    out
}

/// The index of the largest value (the first on ties).
pub(crate) fn argmax(row: &[f32]) -> usize {
    let mut best = 0;
    for (j, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = j;
        }
    }
    best
}

/// The boundary map from the network's outputs on the fine grid `(cells, width)`.
pub(crate) fn boundary(outputs: &[f32], width: usize, softmax: bool) -> Boundary {
    let cells = outputs.len() / width.max(1);
    let size = (cells as f64).sqrt().round() as usize;
    let mut values = Vec::with_capacity(cells);
    let mut classes = Vec::with_capacity(cells);
    for row in outputs.chunks_exact(width) {
        if !softmax {
            // The tanh output: −1 ↦ 0, +1 ↦ 255.
            values.push(to_byte(row[0]));
            continue;
        }
        // softmax(z)_j = e^(z_j − max z) / Σ e^(z_k − max z): no overflow.
        let best = argmax(row);
        let max = row[best];
        let sum: f32 = row.iter().map(|&z| (z - max).exp()).sum();
        if width == 2 {
            let p1 = (row[1] - max).exp() / sum;
            values.push(to_byte(2.0 * p1 - 1.0));
        } else {
            values.push(to_byte(2.0 / sum - 1.0));
            classes.push(best as u8);
        }
    }
    let binary = !softmax || width == 2;
    Boundary {
        size,
        binary,
        values: base64(&values),
        classes: (!binary).then(|| base64(&classes)),
    }
}

/// One map per unit from a layer's outputs on the coarse grid `(cells, units)`.
pub(crate) fn unit_maps(outputs: &[f32], units: usize) -> Vec<String> {
    (0..units)
        .map(|j| {
            let bytes: Vec<u8> = outputs
                .chunks_exact(units)
                .map(|row| to_byte(row[j]))
                .collect();
            base64(&bytes)
        })
        .collect()
}

/// One map per input feature from the coarse grid's feature rows `(cells, features)`.
pub(crate) fn feature_maps(features: &[Feature], rows: &[f32]) -> Vec<FeatureMap> {
    let d = features.len();
    features
        .iter()
        .enumerate()
        .map(|(j, &f)| {
            let column = rows.chunks_exact(d).map(|row| row[j]);
            let scale = column.clone().fold(0.0f32, |m, v| m.max(v.abs()));
            let scale = if scale > 0.0 { scale } else { 1.0 };
            let bytes: Vec<u8> = column.map(|v| to_byte(v / scale)).collect();
            FeatureMap {
                name: f.name(),
                label: f.label(),
                map: base64(&bytes),
            }
        })
        .collect()
}

/// [−1, 1] ↦ 0..=255 (clamped; NaN ↦ 128).
fn to_byte(v: f32) -> u8 {
    if v.is_nan() {
        return 128;
    }
    ((v.clamp(-1.0, 1.0) + 1.0) * 127.5).round() as u8
}

/// Standard base64 with padding (RFC 4648 §4).
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        // RFC 4648 §10.
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }

    #[test]
    fn bytes_span_minus_one_to_one() {
        assert_eq!(to_byte(-1.0), 0);
        assert_eq!(to_byte(1.0), 255);
        assert_eq!(to_byte(7.0), 255);
        assert_eq!(to_byte(f32::NAN), 128);
    }

    #[test]
    fn multiclass_boundary_names_the_winner() {
        // Two cells, three logits each: class 2 wins the first, class 0 the second.
        let b = boundary(&[0.0, 0.0, 5.0, 3.0, 0.0, 0.0], 3, true);
        assert!(!b.binary);
        assert_eq!(b.classes.unwrap(), base64(&[2, 0]));
    }
}
