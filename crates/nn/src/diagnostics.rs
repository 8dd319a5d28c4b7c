//! What the guide's claims look like inside a network while it trains: per-layer gradient flow,
//! activation statistics, saturated and dead units.
//!
//! A [`Snapshot`] is taken after a backward pass (before clipping and the optimiser step), every
//! [`DiagnosticsConfig::every`] steps; [`dead_units`] is read once per epoch. Both are plain
//! structs of numbers. Per layer:
//!
//! - **weight-gradient norm** ‖∂L/∂W‖₂ of each dense layer, and the ratio of the first dense
//!   layer's to the last one's ([`Snapshot::first_to_last_grad_ratio`]): ≪ 1 is the vanishing
//!   gradient (ten sigmoid layers scale it by up to 0.25¹⁰ ≈ 1e-6), ≫ 1 the exploding one;
//! - **pre-activation-gradient norm** ‖∂L/∂z‖₂ at each dense layer's output z, the δ that
//!   backpropagation multiplies by f′ on its way down;
//! - for each activation layer's output y: **mean**, **std** and a fixed-bin **histogram**; the
//!   **fraction saturated**, |f′(x)| below a threshold (1e-3 by default: a sigmoid beyond
//!   |x| ≈ 6.9, a relu at x ≤ 0), and the fraction **exactly zero**;
//! - **dead units** ([`dead_units`]): units of an activation layer whose f′ was 0 for every row
//!   of a whole pass over the training set. They pass no gradient back, so (with no other path
//!   to them) they never recover: the "dying ReLU".
//!
//! Cost: the dead-unit bits and the pre-activation norms are folded into the backward pass (a
//! comparison per activation element, a norm per dense output); a snapshot reads each layer's
//! activations once. Norms use [`l2_norm`]'s scaled sums, so a norm never overflows.

use act::Activation;

use crate::Scalar;
use crate::layer::Layer;
use crate::model::Mlp;
use crate::num::wide;
use crate::optim::l2_norm;

/// When and how to take diagnostics.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DiagnosticsConfig {
    /// Take a [`Snapshot`] every this many optimiser steps (at step 0, `every`, 2·`every`, …;
    /// 0: never).
    pub every: u64,
    /// |f′(x)| below this counts as saturated.
    pub saturation_threshold: f64,
    /// Number of equal-width histogram bins.
    pub histogram_bins: usize,
    /// The histogram's range for activations whose output range is unbounded; bounded ones
    /// (sigmoid, tanh, …) use their own range from the catalogue.
    pub histogram_range: (f64, f64),
    /// Count dead units over each epoch.
    pub dead_units: bool,
}

impl Default for DiagnosticsConfig {
    /// A snapshot every 100 steps, saturation below 1e-3, 20 bins over [−4, 4] for unbounded
    /// activations, dead units counted.
    fn default() -> DiagnosticsConfig {
        DiagnosticsConfig {
            every: 100,
            saturation_threshold: 1e-3,
            histogram_bins: 20,
            histogram_range: (-4.0, 4.0),
            dead_units: true,
        }
    }
}

/// A histogram with equal-width bins over [`lo`, `hi`): bin k holds lo + k·w ≤ v < lo + (k + 1)·w,
/// w = (hi − lo)/bins; the top edge `hi` itself falls into the last bin. Serialises with its
/// field names (the playground sends it to the page as is).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Histogram {
    /// Lower edge of the first bin.
    pub lo: f64,
    /// Upper edge of the last bin.
    pub hi: f64,
    /// Count per bin.
    pub counts: Vec<u64>,
    /// Values below `lo`.
    pub below: u64,
    /// Values above `hi`.
    pub above: u64,
    /// NaN values.
    pub nan: u64,
}

impl Histogram {
    /// An empty histogram of `bins` bins over [`lo`, `hi`].
    pub fn new(lo: f64, hi: f64, bins: usize) -> Histogram {
        Histogram {
            lo,
            hi,
            counts: vec![0; bins.max(1)],
            below: 0,
            above: 0,
            nan: 0,
        }
    }

    /// Counts `v`.
    pub fn add(&mut self, v: f64) {
        if v.is_nan() {
            self.nan += 1;
        } else if v < self.lo {
            self.below += 1;
        } else if v > self.hi {
            self.above += 1;
        } else {
            let bins = self.counts.len();
            let k = ((v - self.lo) / (self.hi - self.lo) * bins as f64) as usize;
            self.counts[k.min(bins - 1)] += 1;
        }
    }
}

/// Statistics of one layer's outputs over the rows of a batch.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivationStats {
    /// Mean of the outputs.
    pub mean: f64,
    /// Standard deviation of the outputs (population, over batch × units).
    pub std: f64,
    /// Histogram of the outputs.
    pub histogram: Histogram,
    /// Fraction of elements with |f′(x)| below the threshold (for a gated layer, of the gate's
    /// g′(b)).
    pub saturated_fraction: f64,
    /// Fraction of outputs exactly 0.
    pub zero_fraction: f64,
}

/// One layer's diagnostics in a [`Snapshot`].
#[derive(Clone, Debug, PartialEq)]
pub struct LayerStats {
    /// The layer's index in [`Mlp::layers`].
    pub layer: usize,
    /// What the layer is ([`Layer::describe`]).
    pub kind: String,
    /// ‖∂L/∂W‖₂, for a dense layer.
    pub weight_grad_norm: Option<f64>,
    /// ‖∂L/∂z‖₂ at the dense layer's output z, for a dense layer (when the backward pass
    /// recorded it: see [`Mlp::track_diagnostics`]).
    pub preact_grad_norm: Option<f64>,
    /// Output statistics, for an activation, PReLU, RReLU or gated layer.
    pub activations: Option<ActivationStats>,
}

/// Every layer's diagnostics at one step.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The optimiser step (counted from 0) whose gradients these are.
    pub step: u64,
    /// The epoch (from 0).
    pub epoch: usize,
    /// One entry per layer, input to output.
    pub layers: Vec<LayerStats>,
    /// ‖∂L/∂W‖ of the first dense layer over that of the last: the gradient's attenuation
    /// (≪ 1, vanishing) or amplification (≫ 1, exploding) from output to input. `None` with
    /// fewer than two dense layers.
    pub first_to_last_grad_ratio: Option<f64>,
}

/// Dead units of one activation layer over a pass of the training set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadUnits {
    /// The layer's index in [`Mlp::layers`].
    pub layer: usize,
    /// The layer's width.
    pub units: usize,
    /// The units (0-based) whose f′ was 0 on every row.
    pub dead: Vec<usize>,
}

impl DeadUnits {
    /// The fraction of units that are dead.
    pub fn fraction(&self) -> f64 {
        self.dead.len() as f64 / self.units as f64
    }
}

impl<T: Scalar> Mlp<T> {
    /// Turns on (or off) the recording that diagnostics need during the backward pass: the
    /// dead-unit bits of each activation layer and ‖∂L/∂z‖ of each dense layer's output. The
    /// trainer turns it on when diagnostics are configured.
    pub fn track_diagnostics(&mut self, on: bool) {
        self.set_tracking(on);
    }
}

/// The diagnostics of the last forward and backward pass of `model` (see the
/// [module docs](self)). Call it after the backward pass and before the optimiser step.
pub fn snapshot<T: Scalar>(
    model: &Mlp<T>,
    config: &DiagnosticsConfig,
    step: u64,
    epoch: usize,
) -> Snapshot {
    let mut layers = Vec::with_capacity(model.layers().len());
    let mut dense_norms = Vec::new();
    for (l, layer) in model.layers().iter().enumerate() {
        let mut stats = LayerStats {
            layer: l,
            kind: layer.describe(),
            weight_grad_norm: None,
            preact_grad_norm: None,
            activations: None,
        };
        match *layer {
            Layer::Dense {
                inputs, outputs, ..
            } => {
                let norm = l2_norm(&model.layer_grads(l)[..outputs * inputs]);
                dense_norms.push(norm);
                stats.weight_grad_norm = Some(norm);
                let pre = model.preact_grad_norm(l);
                stats.preact_grad_norm = (!pre.is_nan()).then_some(pre);
            }
            Layer::Activation { .. }
            | Layer::Prelu { .. }
            | Layer::Rrelu { .. }
            | Layer::Gated { .. } => {
                stats.activations = Some(activation_stats(model, l, config));
            }
            Layer::Dropout { .. } => {}
        }
        layers.push(stats);
    }
    let first_to_last_grad_ratio = match dense_norms.as_slice() {
        [first, .., last] => Some(first / last),
        _ => None,
    };
    Snapshot {
        step,
        epoch,
        layers,
        first_to_last_grad_ratio,
    }
}

fn activation_stats<T: Scalar>(
    model: &Mlp<T>,
    l: usize,
    config: &DiagnosticsConfig,
) -> ActivationStats {
    let layer = model.layers()[l];
    let x = model.layer_input(l); // (batch, in)
    let y = model.layer_output(l); // (batch, out)
    let n = y.len().max(1) as f64;
    // The histogram's range: the activation's own where it is bounded.
    let (lo, hi) = match layer {
        Layer::Activation { activation, .. } => {
            let info = activation.info();
            let (lo, hi) = (info.range_lower.value, info.range_upper.value);
            if lo.is_finite() && hi.is_finite() && lo < hi {
                (lo, hi)
            } else {
                config.histogram_range
            }
        }
        _ => config.histogram_range,
    };
    let mut histogram = Histogram::new(lo, hi, config.histogram_bins);
    // Welford's running mean and variance: one pass, no cancellation.
    let (mut mean, mut m2, mut count, mut zeros) = (0.0f64, 0.0f64, 0.0f64, 0usize);
    for &v in y {
        let v = wide(v);
        histogram.add(v);
        if v == 0.0 {
            zeros += 1;
        }
        count += 1.0;
        let delta = v - mean;
        mean += delta / count;
        m2 += delta * (v - mean);
    }
    let threshold = config.saturation_threshold;
    let saturated = match layer {
        Layer::Gated { gate, outputs } => {
            // g′(b) over the gate halves b of each input row [a | b].
            let g = gate.activation();
            x.chunks_exact(2 * outputs)
                .flat_map(|row| &row[outputs..])
                .filter(|&&b| wide(g.derivative(b)).abs() < threshold)
                .count()
        }
        Layer::Prelu {
            per_unit, width, ..
        } => {
            let slopes = model.prelu_slopes(l).unwrap_or(&[]);
            x.iter()
                .enumerate()
                .filter(|&(i, &xi)| {
                    let alpha = slopes[if per_unit { i % width } else { 0 }];
                    let f = Activation::Prelu {
                        weight: wide(alpha),
                    };
                    wide(f.derivative(xi)).abs() < threshold
                })
                .count()
        }
        _ => {
            let f = layer.activation().unwrap_or(Activation::Identity);
            x.iter()
                .filter(|&&xi| wide(f.derivative(xi)).abs() < threshold)
                .count()
        }
    };
    ActivationStats {
        mean,
        std: if count > 0.0 {
            (m2 / count).sqrt()
        } else {
            f64::NAN
        },
        histogram,
        saturated_fraction: saturated as f64 / n,
        zero_fraction: zeros as f64 / n,
    }
}

/// The dead units of every activation layer since the count was last reset (the trainer resets
/// it at the start of each epoch; see [`reset_dead_units`]). Needs
/// [`Mlp::track_diagnostics`] on during the training passes.
pub fn dead_units<T: Scalar>(model: &Mlp<T>) -> Vec<DeadUnits> {
    model
        .layers()
        .iter()
        .enumerate()
        .filter_map(|(l, layer)| {
            let bits = model.active_bits(l)?;
            let units = layer.outputs();
            let dead = (0..units)
                .filter(|&j| bits[j / 64] & (1 << (j % 64)) == 0)
                .collect();
            Some(DeadUnits {
                layer: l,
                units,
                dead,
            })
        })
        .collect()
}

/// Starts a new dead-unit count: every unit is presumed dead until a row makes it active.
pub fn reset_dead_units<T: Scalar>(model: &mut Mlp<T>) {
    model.reset_active();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Mode;

    #[test]
    fn histogram_bins_edges_and_outliers() {
        let mut h = Histogram::new(-1.0, 1.0, 4);
        for v in [-1.0, -0.5, 0.0, 0.49, 1.0, 2.0, -3.0, f64::NAN] {
            h.add(v);
        }
        assert_eq!(h.counts, [1, 1, 2, 1]);
        assert_eq!((h.below, h.above, h.nan), (1, 1, 1));
    }

    #[test]
    fn relu_stats_count_zeros_and_saturation() {
        let mut model = Mlp::<f64>::builder(1)
            .dense(2)
            .act(Activation::Relu)
            .dense(1)
            .build(0)
            .unwrap();
        model.weights_mut(0).unwrap().copy_from_slice(&[1.0, -1.0]); // unit 0 = x, unit 1 = −x
        model.track_diagnostics(true);
        model.forward(&[1.0, 2.0, 3.0, 4.0], Mode::Train);
        model.backward(&[1.0; 4]);
        let snap = snapshot(&model, &DiagnosticsConfig::default(), 0, 0);
        let stats = snap.layers[1].activations.as_ref().unwrap();
        // Outputs: unit 0 = 1, 2, 3, 4; unit 1 = 0 (×4): half zero, half saturated (f′ = 0).
        assert_eq!(stats.zero_fraction, 0.5);
        assert_eq!(stats.saturated_fraction, 0.5);
        assert_eq!(stats.mean, 10.0 / 8.0);
        assert!(snap.layers[0].preact_grad_norm.is_some());
        assert!(snap.first_to_last_grad_ratio.is_some());
        let dead = dead_units(&model);
        assert_eq!(
            dead,
            [DeadUnits {
                layer: 1,
                units: 2,
                dead: vec![1]
            }]
        );
    }
}
