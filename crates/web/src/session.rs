//! One tab's training: its configuration, its points, its network and optimiser, and the step
//! loop that trains it an epoch at a time and measures it after each.
//!
//! Each epoch (TensorFlow Playground's unit, one tick of the page's play loop):
//!
//! ```text
//! for each shuffled minibatch B of the training points:
//!     g ← ∇θ mean_B loss(f(x; θ), t)              (forward, loss, backward; g zeroed first)
//!     g ← g + λ₁·sign(W) + λ₂·W                   (dense weights only)
//!     θ ← optimiser(θ, g, η)                      (one optimiser for the session's life, so
//!                                                  momentum and Adam's moments carry over)
//! ```
//!
//! then a *probe*: one forward and backward pass over the whole training set at the new
//! weights, from which the page's numbers come (the training loss, the per-layer gradient norms,
//! the activation histograms, the dead and saturated units), an evaluation of the test set, and
//! the heat maps. A non-finite loss or parameter stops training with the engine's
//! [`Divergence`] message.
//!
//! Everything random is drawn from the configuration's seed, so the same seed and settings give
//! the same trajectory, step for step.

use act::Activation;
use nn::diagnostics::{self, DiagnosticsConfig, Snapshot};
use nn::loss::{Loss, LossTarget};
use nn::optim::{self, Optimizer};
use nn::rng::Rng;
use nn::train::{Divergence, NonFinite};
use nn::{Mlp, Mode};

use crate::config::{Config, LossKind, Resolved, UPLOAD};
use crate::data::{self, SplitData, Upload};
use crate::frame::{self, Frame};
use crate::limits::{BOUNDARY_GRID, MAX_HISTORY, NEURON_GRID};

/// |f′(x)| below this counts as saturated (the engine's default threshold).
pub const SATURATION_THRESHOLD: f64 = 1e-3;
/// A unit is marked saturated when at least this fraction of the training points saturate it.
pub const SATURATED_UNIT_FRACTION: f64 = 0.9;

/// The seed stream of the epochs' shuffles (the weights use the seed itself).
const SHUFFLE_STREAM: u64 = 0x5348_5546;

/// One point of the loss and gradient history.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct HistoryPoint {
    /// The epoch after which it was measured.
    pub epoch: u64,
    /// Training loss (whole training set).
    pub train: f64,
    /// Test loss (whole test set; NaN when there is none).
    pub test: f64,
    /// ‖∂L/∂W‖ of each dense layer, input side first.
    pub grad_norms: Vec<f64>,
}

/// What the probe after an epoch measured.
#[derive(Clone, Debug, Default)]
pub struct Probe {
    /// Mean loss over the training set.
    pub loss_train: f64,
    /// Mean loss over the test set.
    pub loss_test: f64,
    /// Fraction of training points classified correctly.
    pub accuracy_train: f64,
    /// Fraction of test points classified correctly.
    pub accuracy_test: f64,
    /// The engine's diagnostics of the full-batch backward pass.
    pub snapshot: Option<Snapshot>,
    /// Dead units per hidden layer (f′ = 0 on every training point).
    pub dead: Vec<Vec<usize>>,
    /// Saturated units per hidden layer (|f′| < 1e-3 on ≥ 90 % of the training points).
    pub saturated: Vec<Vec<usize>>,
}

/// One tab's playground.
pub struct Session {
    config: Config,
    resolved: Resolved,
    upload: Option<Upload>,
    data: SplitData,
    /// `(train, features)` and `(test, features)`.
    train_x: Vec<f32>,
    test_x: Vec<f32>,
    /// `(BOUNDARY_GRID², features)` and `(NEURON_GRID², features)`.
    boundary_x: Vec<f32>,
    neuron_x: Vec<f32>,
    model: Mlp<f32>,
    optimizer: Optimizer<f32>,
    shuffler: Rng,
    order: Vec<usize>,
    /// The minibatch's rows `(batch, features)` and targets.
    batch_x: Vec<f32>,
    batch_classes: Vec<usize>,
    batch_values: Vec<f32>,
    /// Scratch for ∂loss/∂output when only the loss is wanted.
    loss_grad: Vec<f32>,
    step: u64,
    epoch: u64,
    history: Vec<HistoryPoint>,
    divergence: Option<String>,
    probe: Probe,
}

impl Session {
    /// A session trained from nothing on `config`.
    ///
    /// # Errors
    ///
    /// The page's message if the configuration is invalid.
    pub fn new(config: Config) -> Result<Session, String> {
        let resolved = config.validate()?;
        let data = data::make(&config, None)?;
        Session::build(config, resolved, None, data)
    }

    fn build(
        mut config: Config,
        resolved: Resolved,
        upload: Option<Upload>,
        data: SplitData,
    ) -> Result<Session, String> {
        // Canonical names (`linear` → `identity`, `glorot` → `xavier`), as the page's menus
        // list them.
        for (spec, activation) in config.layers.iter_mut().zip(&resolved.activations) {
            activation.name().clone_into(&mut spec.activation);
        }
        if let Some(init) = resolved.init {
            init.name().clone_into(&mut config.init);
        }
        if config.loss == LossKind::Mse && data.n_classes != 2 {
            return Err(format!(
                "MSE on a tanh output separates two classes; this data has {}: choose softmax \
                 cross-entropy",
                data.n_classes
            ));
        }
        let features = &config.features;
        let train_x = data.train.feature_rows(features);
        let test_x = data.test.feature_rows(features);
        let boundary_x = data::grid_rows(data::grid_points(BOUNDARY_GRID), features);
        let neuron_x = data::grid_rows(data::grid_points(NEURON_GRID), features);
        let model = build_model(&config, &resolved, data.n_classes)?;
        let optimizer = Optimizer::new(resolved.optimizer, model.n_params())
            .map_err(|e| format!("optimiser: {e}"))?;
        let mut session = Session {
            shuffler: Rng::seed(config.seed).fork(SHUFFLE_STREAM),
            order: (0..data.train.len()).collect(),
            config,
            resolved,
            upload,
            data,
            train_x,
            test_x,
            boundary_x,
            neuron_x,
            model,
            optimizer,
            batch_x: Vec::new(),
            batch_classes: Vec::new(),
            batch_values: Vec::new(),
            loss_grad: Vec::new(),
            step: 0,
            epoch: 0,
            history: Vec::new(),
            divergence: None,
            probe: Probe::default(),
        };
        session.measure();
        Ok(session)
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The points.
    pub fn data(&self) -> &SplitData {
        &self.data
    }

    /// The network.
    pub fn model(&self) -> &Mlp<f32> {
        &self.model
    }

    /// Epochs trained.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Optimiser steps taken.
    pub fn steps(&self) -> u64 {
        self.step
    }

    /// The divergence message, once training has diverged.
    pub fn divergence(&self) -> Option<&str> {
        self.divergence.as_deref()
    }

    /// The latest probe.
    pub fn probe(&self) -> &Probe {
        &self.probe
    }

    /// The loss and gradient history.
    pub fn history(&self) -> &[HistoryPoint] {
        &self.history
    }

    /// Applies `next`: new points if the data settings changed, a new network if the
    /// architecture, initialiser, loss or optimiser changed (training restarts), otherwise the
    /// new learning rate, batch size and penalties take effect from the next step. Returns
    /// whether the points changed.
    ///
    /// # Errors
    ///
    /// The page's message; the session is unchanged then.
    pub fn configure(&mut self, next: Config) -> Result<bool, String> {
        let resolved = next.validate()?;
        if self.config.data_changed(&next) || self.config.network_changed(&next) {
            let data_changed = self.config.data_changed(&next);
            let data = if data_changed {
                data::make(&next, self.upload.as_ref())?
            } else {
                self.data.clone()
            };
            *self = Session::build(next, resolved, self.upload.clone(), data)?;
            return Ok(data_changed);
        }
        self.resolved = resolved;
        self.config = next;
        Ok(false)
    }

    /// Fresh weights from the seed, the optimiser's state cleared, the counters and history
    /// emptied: training starts over on the same points.
    pub fn reset(&mut self) {
        let config = self.config.clone();
        let resolved = self.resolved.clone();
        let data = self.data.clone();
        if let Ok(session) = Session::build(config, resolved, self.upload.clone(), data) {
            *self = session;
        }
    }

    /// New points: the seed moves on by one (so the URL records it) and training restarts.
    ///
    /// # Errors
    ///
    /// As [`configure`](Session::configure).
    pub fn regenerate(&mut self) -> Result<(), String> {
        let next = Config {
            seed: self.config.seed.wrapping_add(1),
            ..self.config.clone()
        };
        self.configure(next).map(|_| ())
    }

    /// Takes an uploaded CSV as the session's data (the loss becomes softmax cross-entropy if
    /// it has more than two classes). Returns a notice for the page, if any.
    ///
    /// # Errors
    ///
    /// The page's message for an oversized or malformed file; the session is unchanged then.
    pub fn upload(&mut self, name: &str, csv: &str) -> Result<Option<String>, String> {
        let upload = data::parse_upload(name, csv)?;
        let mut next = Config {
            dataset: UPLOAD.into(),
            ..self.config.clone()
        };
        let mut notice = None;
        if upload.n_classes > 2 && next.loss == LossKind::Mse {
            next.loss = LossKind::Softmax;
            notice = Some(format!(
                "{name} has {} classes: the loss is now softmax cross-entropy (MSE on tanh \
                 separates two)",
                upload.n_classes
            ));
        }
        let resolved = next.validate()?;
        let data = data::make(&next, Some(&upload))?;
        *self = Session::build(next, resolved, Some(upload), data)?;
        Ok(notice)
    }

    /// Trains `epochs` epochs (fewer if training diverges), measuring after each.
    pub fn train_epochs(&mut self, epochs: u32) {
        for _ in 0..epochs {
            if self.divergence.is_some() {
                return;
            }
            self.train_epoch();
        }
    }

    fn train_epoch(&mut self) {
        let d = self.config.features.len();
        let batch = self.config.batch_size.min(self.order.len()).max(1);
        let loss = self.loss();
        let lr = self.config.learning_rate;
        let (l1, l2) = (self.config.l1, self.config.l2);
        for (k, slot) in self.order.iter_mut().enumerate() {
            *slot = k;
        }
        self.shuffler.shuffle(&mut self.order);
        let weight_ranges = self.model.weight_ranges();
        for start in (0..self.order.len()).step_by(batch) {
            let rows = &self.order[start..(start + batch).min(self.order.len())];
            self.batch_x.clear();
            self.batch_classes.clear();
            self.batch_values.clear();
            for &i in rows {
                self.batch_x
                    .extend_from_slice(&self.train_x[i * d..(i + 1) * d]);
                let label = self.data.train.labels[i];
                self.batch_classes.push(label as usize);
                self.batch_values.push(if label == 1 { 1.0 } else { -1.0 });
            }
            self.model.zero_grad();
            self.model.forward(&self.batch_x, Mode::Train);
            let target = match self.config.loss {
                LossKind::Mse => LossTarget::Values(&self.batch_values),
                LossKind::Softmax => LossTarget::Classes(&self.batch_classes),
            };
            let value = match self.model.loss_backward(loss, target) {
                Ok(value) => f64::from(value),
                Err(e) => {
                    self.divergence = Some(format!("the targets do not fit the network: {e}"));
                    return;
                }
            };
            if !value.is_finite() {
                self.diverged(NonFinite::Loss(value));
                return;
            }
            let (params, grads) = self.model.params_and_grads_mut();
            if l1 != 0.0 || l2 != 0.0 {
                for range in &weight_ranges {
                    optim::add_l1_l2(&params[range.clone()], &mut grads[range.clone()], l1, l2);
                }
            }
            self.optimizer.step(params, grads, lr);
            if params.iter().any(|p| !p.is_finite()) {
                self.diverged(NonFinite::Parameters);
                return;
            }
            self.step += 1;
        }
        self.epoch += 1;
        self.measure();
    }

    fn loss(&self) -> Loss {
        match self.config.loss {
            LossKind::Mse => Loss::Mse,
            LossKind::Softmax => Loss::SoftmaxCrossEntropy,
        }
    }

    /// Records the engine's account of a divergence and stops training.
    fn diverged(&mut self, what: NonFinite) {
        let divergence = Divergence::diagnose(
            &self.model,
            self.step,
            self.epoch as usize,
            what,
            self.config.learning_rate,
        );
        self.divergence = Some(divergence.to_string());
    }

    /// The probe: the full-batch forward and backward pass, the test evaluation, and the
    /// history point.
    fn measure(&mut self) {
        let loss = self.loss();
        let (train_classes, train_values) = targets(&self.data.train.labels);
        let (test_classes, test_values) = targets(&self.data.test.labels);
        let softmax = self.config.loss == LossKind::Softmax;

        diagnostics::reset_dead_units(&mut self.model);
        self.model.track_diagnostics(true);
        self.model.zero_grad();
        self.model.forward(&self.train_x, Mode::Train);
        let accuracy_train = accuracy(self.model.output(), &train_classes, softmax);
        let target = if softmax {
            LossTarget::Classes(&train_classes)
        } else {
            LossTarget::Values(&train_values)
        };
        let loss_train = self
            .model
            .loss_backward(loss, target)
            .map_or(f64::NAN, f64::from);
        let config = DiagnosticsConfig {
            saturation_threshold: SATURATION_THRESHOLD,
            ..DiagnosticsConfig::default()
        };
        let snapshot = diagnostics::snapshot(&self.model, &config, self.step, self.epoch as usize);
        let dead_by_layer = diagnostics::dead_units(&self.model);
        let hidden = self.config.layers.len();
        let mut dead = vec![Vec::new(); hidden];
        let mut saturated = vec![Vec::new(); hidden];
        for h in 0..hidden {
            let l = 2 * h + 1; // the activation after hidden dense layer h
            if let Some(units) = dead_by_layer.iter().find(|u| u.layer == l) {
                dead[h].clone_from(&units.dead);
            }
            saturated[h] = saturated_units(&self.model, l);
        }
        self.model.zero_grad();

        let (loss_test, accuracy_test) = if self.test_x.is_empty() {
            (f64::NAN, f64::NAN)
        } else {
            self.model.forward(&self.test_x, Mode::Eval);
            let accuracy_test = accuracy(self.model.output(), &test_classes, softmax);
            let target = if softmax {
                LossTarget::Classes(&test_classes)
            } else {
                LossTarget::Values(&test_values)
            };
            self.loss_grad.resize(self.model.output().len(), 0.0);
            let outputs = self.model.outputs();
            let value = loss
                .compute(self.model.output(), outputs, target, &mut self.loss_grad)
                .map_or(f64::NAN, f64::from);
            (value, accuracy_test)
        };
        if !loss_train.is_finite() && self.divergence.is_none() {
            self.diverged(NonFinite::Loss(loss_train));
        }
        let grad_norms = snapshot
            .layers
            .iter()
            .filter_map(|l| l.weight_grad_norm)
            .collect();
        self.history.push(HistoryPoint {
            epoch: self.epoch,
            train: loss_train,
            test: loss_test,
            grad_norms,
        });
        if self.history.len() > MAX_HISTORY {
            // Thin the older half: every other point goes, the newest stay dense.
            let keep_from = self.history.len() / 2;
            let mut k = 0;
            self.history.retain(|_| {
                k += 1;
                k > keep_from || k % 2 == 1
            });
        }
        self.probe = Probe {
            loss_train,
            loss_test,
            accuracy_train,
            accuracy_test,
            snapshot: Some(snapshot),
            dead,
            saturated,
        };
    }

    /// The page's view of the session now (`playing` is the server loop's to say).
    pub fn frame(&mut self, playing: bool) -> Frame {
        let softmax = self.config.loss == LossKind::Softmax;
        // Decision boundary: the network on the fine grid.
        self.model.forward(&self.boundary_x, Mode::Eval);
        let boundary = frame::boundary(self.model.output(), self.model.outputs(), softmax);
        // Per-neuron maps: every hidden layer's outputs on the coarse grid.
        self.model.forward(&self.neuron_x, Mode::Eval);
        let maps: Vec<Vec<String>> = (0..self.config.layers.len())
            .map(|h| {
                let l = 2 * h + 1;
                frame::unit_maps(self.model.layer_output(l), self.model.layers()[l].outputs())
            })
            .collect();
        let feature_maps = frame::feature_maps(&self.config.features, &self.neuron_x);
        frame::build(frame::Parts {
            session: self,
            playing,
            boundary,
            maps,
            feature_maps,
        })
    }

    pub(crate) fn parts(&self) -> (&Config, &Probe, &[HistoryPoint], Option<&str>, u64, u64) {
        (
            &self.config,
            &self.probe,
            &self.history,
            self.divergence.as_deref(),
            self.epoch,
            self.step,
        )
    }
}

/// The network `config` describes: the features in, each hidden layer and its activation, then
/// one tanh output (MSE) or one logit per class (softmax).
fn build_model(config: &Config, resolved: &Resolved, n_classes: usize) -> Result<Mlp<f32>, String> {
    let mut builder = Mlp::<f32>::builder(config.features.len());
    for (spec, &activation) in config.layers.iter().zip(&resolved.activations) {
        builder = builder.dense(spec.units);
        if let Some(init) = resolved.init {
            builder = builder.init(init);
        }
        builder = builder.act(activation);
    }
    builder = match config.loss {
        LossKind::Mse => builder.dense(1),
        LossKind::Softmax => builder.dense(n_classes),
    };
    if let Some(init) = resolved.init {
        builder = builder.init(init);
    }
    if config.loss == LossKind::Mse {
        builder = builder.act(Activation::Tanh);
    }
    builder
        .build(config.seed)
        .map_err(|e| format!("the network: {e}"))
}

/// Class indices and ±1 values (class 1 → +1) for the labels.
fn targets(labels: &[u32]) -> (Vec<usize>, Vec<f32>) {
    (
        labels.iter().map(|&l| l as usize).collect(),
        labels
            .iter()
            .map(|&l| if l == 1 { 1.0 } else { -1.0 })
            .collect(),
    )
}

/// The fraction of rows of `outputs` whose prediction (arg-max of the logits, or the sign of
/// the tanh output) is the class.
fn accuracy(outputs: &[f32], classes: &[usize], softmax: bool) -> f64 {
    if classes.is_empty() {
        return f64::NAN;
    }
    let width = outputs.len() / classes.len();
    let correct = outputs
        .chunks_exact(width)
        .zip(classes)
        .filter(|&(row, &c)| {
            let predicted = if softmax {
                frame::argmax(row)
            } else {
                usize::from(row[0] > 0.0)
            };
            predicted == c
        })
        .count();
    correct as f64 / classes.len() as f64
}

/// The units of activation layer `l` whose |f′| is below the threshold on at least
/// [`SATURATED_UNIT_FRACTION`] of the rows of the last forward pass.
fn saturated_units(model: &Mlp<f32>, l: usize) -> Vec<usize> {
    let layer = model.layers()[l];
    let Some(f) = layer.activation() else {
        return Vec::new();
    };
    let width = layer.inputs();
    let x = model.layer_input(l); // (rows, width)
    let rows = x.len() / width.max(1);
    if rows == 0 {
        return Vec::new();
    }
    let mut counts = vec![0usize; width];
    for row in x.chunks_exact(width) {
        for (count, &xi) in counts.iter_mut().zip(row) {
            if f64::from(f.derivative(xi)).abs() < SATURATION_THRESHOLD {
                *count += 1;
            }
        }
    }
    counts
        .iter()
        .enumerate()
        .filter(|&(_, &c)| c as f64 >= SATURATED_UNIT_FRACTION * rows as f64)
        .map(|(j, _)| j)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::LayerSpec;

    fn spiral_relu() -> Config {
        Config {
            dataset: "spiral".into(),
            layers: vec![
                LayerSpec {
                    units: 8,
                    activation: "relu".into(),
                };
                2
            ],
            init: "recommended".into(),
            ..Config::default()
        }
    }

    #[test]
    fn same_seed_same_trajectory() {
        let mut a = Session::new(spiral_relu()).unwrap();
        let mut b = Session::new(spiral_relu()).unwrap();
        a.train_epochs(5);
        b.train_epochs(3);
        b.train_epochs(2);
        assert_eq!(a.model().params(), b.model().params());
        assert_eq!(a.history(), b.history());
    }

    #[test]
    fn training_lowers_the_loss() {
        let mut s = Session::new(Config {
            optimizer: "adam".into(),
            learning_rate: 0.01,
            ..spiral_relu()
        })
        .unwrap();
        let start = s.probe().loss_train;
        s.train_epochs(30);
        assert!(
            s.probe().loss_train < 0.8 * start,
            "{start} → {}",
            s.probe().loss_train
        );
        assert_eq!(s.epoch(), 30);
        assert_eq!(s.history().len(), 31);
        assert_eq!(s.history()[0].grad_norms.len(), 3);
    }

    #[test]
    fn huge_learning_rate_diverges_in_words() {
        let mut s = Session::new(Config {
            learning_rate: 100.0,
            loss: LossKind::Softmax,
            layers: vec![
                LayerSpec {
                    units: 8,
                    activation: "identity".into(),
                };
                4
            ],
            init: "xavier".into(),
            ..Config::default()
        })
        .unwrap();
        s.train_epochs(50);
        let message = s.divergence().expect("diverges");
        assert!(
            message.contains("learning rate 100 is too large"),
            "{message}"
        );
        let epoch = s.epoch();
        s.train_epochs(5);
        assert_eq!(s.epoch(), epoch, "a diverged session does not train");
    }

    #[test]
    fn softmax_multiclass_upload_trains() {
        let mut csv = String::from("x1,x2,label\n");
        let mut rng = Rng::seed(3);
        for i in 0..150 {
            let class = i % 3;
            let x = rng.uniform(-1.0, 1.0) + 4.0 * class as f64;
            let y = rng.uniform(-1.0, 1.0);
            csv.push_str(&format!("{x},{y},c{class}\n"));
        }
        let mut s = Session::new(Config {
            layers: vec![
                LayerSpec {
                    units: 8,
                    activation: "tanh".into(),
                };
                2
            ],
            ..Config::default()
        })
        .unwrap();
        let notice = s.upload("three.csv", &csv).unwrap();
        assert!(notice.unwrap().contains("softmax"));
        assert_eq!(s.model().outputs(), 3);
        s.train_epochs(40);
        assert!(
            s.probe().accuracy_train > 0.9,
            "{}",
            s.probe().accuracy_train
        );
    }

    #[test]
    fn a_refused_change_keeps_the_upload() {
        let mut csv = String::from("x1,x2,label\n");
        for i in 0..30 {
            csv.push_str(&format!("{},{},{}\n", i % 7, i % 5, i % 3));
        }
        let mut s = Session::new(Config::default()).unwrap();
        s.upload("three.csv", &csv).unwrap();
        let mse = Config {
            loss: LossKind::Mse,
            ..s.config().clone()
        };
        assert!(s.configure(mse).unwrap_err().contains("two classes"));
        let wider = Config {
            batch_size: 5,
            seed: 9,
            ..s.config().clone()
        };
        s.configure(wider).unwrap();
        assert_eq!(s.data().n_classes, 3);
    }

    #[test]
    fn aliases_become_catalogue_names() {
        let s = Session::new(Config {
            layers: vec![LayerSpec {
                units: 3,
                activation: "linear".into(),
            }],
            init: "glorot".into(),
            ..Config::default()
        })
        .unwrap();
        assert_eq!(s.config().layers[0].activation, "identity");
        assert_eq!(s.config().init, "xavier");
    }

    #[test]
    fn learning_rate_change_keeps_training() {
        let mut s = Session::new(spiral_relu()).unwrap();
        s.train_epochs(2);
        let changed = s
            .configure(Config {
                learning_rate: 0.1,
                ..spiral_relu()
            })
            .unwrap();
        assert!(!changed);
        assert_eq!(s.epoch(), 2);
        s.configure(Config {
            layers: vec![],
            ..spiral_relu()
        })
        .unwrap();
        assert_eq!(s.epoch(), 0);
    }
}
