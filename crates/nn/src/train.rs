//! The training loop: epochs of seeded, shuffled minibatches; an optimiser step with a
//! learning-rate schedule, L1/L2 penalties and gradient clipping; evaluation on a test set;
//! diagnostics; and divergence caught and explained, never a silent NaN.
//!
//! Each step, on a minibatch of B rows:
//!
//! ```text
//! g ← ∇θ mean_B loss(f(x; θ), t)          (forward, loss, backward; g overwritten)
//! g ← g + λ₁·sign(W) + λ₂·W               (dense weights only: biases and slopes are not penalised)
//! g ← g·min(1, c/‖g‖)                      (if clipping at c)
//! θ ← optimiser(θ, g, η(t))               (η from the schedule, t = epoch or step)
//! ```
//!
//! A step allocates nothing: the rows are gathered straight into the model's input buffer, the
//! targets into buffers sized once, and the epoch's order is reshuffled in place.
//!
//! ```
//! use act::Activation;
//! use nn::data::playground;
//! use nn::optim::Sgd;
//! use nn::rng::Rng;
//! use nn::train::{train, TrainConfig};
//! use nn::Mlp;
//!
//! let data = playground::xor(400, 0.0, &mut Rng::seed(1));
//! let mut model = Mlp::<f32>::builder(2)
//!     .dense(8).act(Activation::Tanh)
//!     .dense(8).act(Activation::Tanh)
//!     .dense(2)
//!     .build(7)?;
//! let config = TrainConfig {
//!     epochs: 40,
//!     batch_size: 10,
//!     optimizer: Sgd { lr: 0.03, momentum: 0.9, ..Sgd::default() }.into(),
//!     ..TrainConfig::default()
//! };
//! let report = train(&mut model, &data, Some(&data), &config, |_| {})?;
//! assert!(report.last().unwrap().test.unwrap().accuracy.unwrap() > 0.9);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::Scalar;
use crate::data::{Dataset, Targets};
use crate::diagnostics::{self, DeadUnits, DiagnosticsConfig, Snapshot};
use crate::layer::Layer;
use crate::loss::{Loss, LossError, LossTarget};
use crate::model::{Mlp, Mode};
use crate::num::{cast, wide};
use crate::optim::{self, OptimError, Optimizer, Settings, Sgd};
use crate::rng::Rng;
use crate::schedule::Schedule;

/// What the schedule's t counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ScheduleUnit {
    /// t = the epoch (PyTorch's usual `scheduler.step()` once per epoch).
    #[default]
    Epoch,
    /// t = the optimiser step.
    Step,
}

/// Everything a training run needs besides the model and the data.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// Passes over the training set.
    pub epochs: usize,
    /// Rows per minibatch (the last one of an epoch takes the remainder).
    pub batch_size: usize,
    /// The loss, on the model's raw outputs.
    pub loss: Loss,
    /// The optimiser and its base learning rate.
    pub optimizer: Settings,
    /// The learning-rate schedule applied to the optimiser's base rate.
    pub schedule: Schedule,
    /// What the schedule's t counts.
    pub schedule_unit: ScheduleUnit,
    /// L1 penalty λ₁ on dense weights: λ₁‖W‖₁ is added to the loss.
    pub l1: f64,
    /// L2 penalty λ₂ on dense weights: (λ₂/2)‖W‖² is added to the loss.
    pub l2: f64,
    /// Clip the gradient's global norm to this (`torch.nn.utils.clip_grad_norm_`).
    pub clip_norm: Option<f64>,
    /// Seed of the epochs' shuffles (the model's own seed fixes its weights, dropout and RReLU).
    pub seed: u64,
    /// Diagnostics to take, if any.
    pub diagnostics: Option<DiagnosticsConfig>,
}

impl Default for TrainConfig {
    /// 10 epochs of batch 32, softmax cross-entropy, plain SGD at 0.03, constant rate, no
    /// penalties, no clipping, seed 0, default diagnostics (cheap enough to leave on).
    fn default() -> TrainConfig {
        TrainConfig {
            epochs: 10,
            batch_size: 32,
            loss: Loss::SoftmaxCrossEntropy,
            optimizer: Settings::Sgd(Sgd {
                lr: 0.03,
                ..Sgd::default()
            }),
            schedule: Schedule::Constant,
            schedule_unit: ScheduleUnit::Epoch,
            l1: 0.0,
            l2: 0.0,
            clip_norm: None,
            seed: 0,
            diagnostics: Some(DiagnosticsConfig::default()),
        }
    }
}

/// Loss and accuracy of a model on a dataset (evaluation mode).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evaluation {
    /// The mean loss over the rows.
    pub loss: f64,
    /// The fraction of rows classified correctly (classification only).
    pub accuracy: Option<f64>,
}

/// What one epoch did.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochReport {
    /// The epoch, from 0.
    pub epoch: usize,
    /// Optimiser steps taken so far, this epoch's included.
    pub steps: u64,
    /// The learning rate of the epoch's last step.
    pub lr: f64,
    /// The mean training loss over the epoch's minibatches (weighted by their rows), as
    /// computed during training (training mode, weights changing between batches).
    pub train_loss: f64,
    /// The fraction of training rows classified correctly during the epoch (as for
    /// `train_loss`), for classification.
    pub train_accuracy: Option<f64>,
    /// Loss and accuracy on the test set after the epoch, if one was given.
    pub test: Option<Evaluation>,
    /// Dead units over the epoch, per activation layer (if diagnostics count them).
    pub dead_units: Vec<DeadUnits>,
    /// The snapshots taken during the epoch.
    pub snapshots: Vec<Snapshot>,
}

/// What became non-finite.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NonFinite {
    /// The minibatch loss (its value: +∞ or NaN).
    Loss(f64),
    /// A parameter, after the optimiser step.
    Parameters,
}

/// Which part of a layer went wrong first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// Dense weights.
    Weights,
    /// Dense biases.
    Bias,
    /// PReLU slopes.
    Slopes,
    /// The layer's outputs in the forward pass (its parameters still finite).
    Outputs,
}

/// The likely reason training diverged.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Cause {
    /// Updates grew the weights until they overflowed: the learning rate (given) is too large.
    LearningRateTooLarge(f64),
    /// The loss was non-finite before any update: the initial weights or the inputs are too
    /// large for the precision.
    InitialScale,
}

/// Where in the network a divergence was found.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    /// The layer's index in [`Mlp::layers`].
    pub layer: usize,
    /// What the layer is ([`Layer::describe`]).
    pub kind: String,
    /// The part of it that is not finite.
    pub part: Part,
}

/// Training stopped because a number became infinite or NaN. Its `Display` names the step, the
/// layer and the likely cause, e.g. "loss became infinite at step 212 (epoch 3): layer 2
/// (dense 8 → 1) weights overflowed; likely cause: the learning rate 5 is too large".
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    /// The optimiser step (from 0) at which it happened.
    pub step: u64,
    /// The epoch (from 0).
    pub epoch: usize,
    /// What became non-finite.
    pub what: NonFinite,
    /// The first layer (from the input side) found non-finite, if any.
    pub location: Option<Location>,
    /// Whether the offending values were NaN (else infinite).
    pub nan: bool,
    /// The likely cause.
    pub cause: Cause,
}

impl core::fmt::Display for Divergence {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let became = if self.nan { "NaN" } else { "infinite" };
        match self.what {
            NonFinite::Loss(_) => write!(f, "loss became {became}")?,
            NonFinite::Parameters => write!(f, "parameters became non-finite")?,
        }
        write!(f, " at step {} (epoch {})", self.step, self.epoch)?;
        if let Some(Location { layer, kind, part }) = &self.location {
            let part = match part {
                Part::Weights => "weights",
                Part::Bias => "bias",
                Part::Slopes => "slopes",
                Part::Outputs => "outputs",
            };
            let how = if self.nan { "became NaN" } else { "overflowed" };
            write!(f, ": layer {layer} ({kind}) {part} {how}")?;
        }
        match self.cause {
            Cause::LearningRateTooLarge(lr) => {
                write!(f, "; likely cause: the learning rate {lr} is too large")
            }
            Cause::InitialScale => write!(
                f,
                "; likely cause: the initial weights or the inputs are too large (no update had been made)"
            ),
        }
    }
}

impl Divergence {
    /// The engine's account of a divergence found at optimiser step `step` of epoch `epoch`
    /// (counted from 0), with `lr` the rate of that step: where the first non-finite value sits
    /// (the first layer from the input side whose parameters, or failing that outputs, are not
    /// finite), whether it is NaN, and the likely cause: the initial scale when the loss is
    /// already non-finite before any update, else the learning rate. [`train`] reports its
    /// divergences with it; a training loop of one's own (the playground's) can too.
    pub fn diagnose<T: Scalar>(
        model: &Mlp<T>,
        step: u64,
        epoch: usize,
        what: NonFinite,
        lr: f64,
    ) -> Divergence {
        let found = locate_non_finite(model);
        let nan = match (&found, what) {
            (Some((_, nan)), _) => *nan,
            (None, NonFinite::Loss(loss)) => loss.is_nan(),
            (None, _) => false,
        };
        let cause = match what {
            NonFinite::Loss(_) if step == 0 => Cause::InitialScale,
            _ => Cause::LearningRateTooLarge(lr),
        };
        Divergence {
            step,
            epoch,
            what,
            nan,
            location: found.map(|(location, _)| location),
            cause,
        }
    }
}

/// Why [`train`] or [`evaluate`] stopped.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum TrainError {
    /// A loss or parameter became infinite or NaN.
    Diverged(Divergence),
    /// The data's rows are not as wide as the model's input.
    InputWidth {
        /// The data's features per row.
        data: usize,
        /// The model's input width.
        model: usize,
    },
    /// The targets do not fit the model's output (too many classes, or regression with more
    /// than one output).
    Targets(LossError),
    /// The optimiser settings are invalid.
    Optimizer(OptimError),
    /// The training set has no rows, or the batch size is 0.
    Empty,
    /// The operating system refused the threads of a multi-threaded run (the message says why).
    Threads(String),
}

impl core::fmt::Display for TrainError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            TrainError::Diverged(d) => d.fmt(f),
            TrainError::InputWidth { data, model } => write!(
                f,
                "the data has {data} features per row, the model takes {model}"
            ),
            TrainError::Targets(e) => write!(f, "the targets do not fit the model: {e}"),
            TrainError::Optimizer(e) => write!(f, "optimiser: {e}"),
            TrainError::Empty => write!(f, "nothing to train on (no rows, or batch size 0)"),
            TrainError::Threads(e) => write!(f, "could not start the training threads: {e}"),
        }
    }
}

impl std::error::Error for TrainError {}

impl From<OptimError> for TrainError {
    fn from(e: OptimError) -> TrainError {
        TrainError::Optimizer(e)
    }
}

/// Buffers for one minibatch's targets, sized once.
struct TargetBuffers<T> {
    classes: Vec<usize>,
    values: Vec<T>,
    predicted: Vec<usize>,
}

impl<T: Scalar> TargetBuffers<T> {
    fn new(rows: usize, outputs: usize) -> TargetBuffers<T> {
        TargetBuffers {
            classes: vec![0; rows],
            values: vec![T::zero(); rows * outputs],
            predicted: vec![0; rows],
        }
    }

    /// Gathers the targets of `rows` and returns them as the loss reads them.
    fn gather(&mut self, targets: &Targets, rows: &[usize]) -> LossTarget<'_, T> {
        match targets {
            Targets::Classes { labels, .. } => {
                for (c, &i) in self.classes.iter_mut().zip(rows) {
                    *c = labels[i] as usize;
                }
                LossTarget::Classes(&self.classes[..rows.len()])
            }
            Targets::Values(values) => {
                for (v, &i) in self.values.iter_mut().zip(rows) {
                    *v = cast(values[i] as f64);
                }
                LossTarget::Values(&self.values[..rows.len()])
            }
        }
    }

    /// How many of `rows` the model's last output classifies correctly (0 for regression).
    fn correct(&mut self, model: &Mlp<T>, loss: Loss, targets: &Targets, rows: &[usize]) -> usize {
        let Targets::Classes { labels, .. } = targets else {
            return 0;
        };
        let predicted = &mut self.predicted[..rows.len()];
        loss.predict_into(model.output(), model.outputs(), predicted);
        predicted
            .iter()
            .zip(rows)
            .filter(|&(&p, &i)| p == labels[i] as usize)
            .count()
    }
}

/// Checks that `data` fits `model` under `loss`.
fn check_fit<T: Scalar>(model: &Mlp<T>, data: &Dataset, loss: Loss) -> Result<(), TrainError> {
    if data.n_features() != model.inputs() {
        return Err(TrainError::InputWidth {
            data: data.n_features(),
            model: model.inputs(),
        });
    }
    let outputs = model.outputs();
    let encodable = match (data.targets(), loss) {
        (Targets::Classes { .. }, Loss::SoftmaxCrossEntropy) => outputs,
        (Targets::Classes { .. }, _) if outputs == 1 => 2,
        (Targets::Classes { .. }, _) => outputs,
        (Targets::Values(_), _) => {
            if outputs != 1 {
                return Err(TrainError::Targets(LossError::Shape(
                    act::rowwise::RowError::LengthMismatch {
                        argument: "targets",
                        expected: outputs,
                        got: 1,
                    },
                )));
            }
            return Ok(());
        }
    };
    if let Some(classes) = data.n_classes()
        && classes > encodable
    {
        return Err(TrainError::Targets(LossError::ClassOutOfRange {
            row: 0,
            class: classes - 1,
            classes: encodable,
        }));
    }
    Ok(())
}

/// Copies the features of `rows` of `data` into `input` `(rows, d)` in the model's precision.
fn gather_rows<T: Scalar>(data: &Dataset, rows: &[usize], input: &mut [T]) {
    let d = data.n_features();
    for (dst, &i) in input.chunks_exact_mut(d).zip(rows) {
        for (v, &f) in dst.iter_mut().zip(data.row(i)) {
            *v = cast(f as f64);
        }
    }
}

/// The first layer, from the input side, whose parameters (or, failing that, forward outputs)
/// are not finite, and whether the first bad value there is NaN.
fn locate_non_finite<T: Scalar>(model: &Mlp<T>) -> Option<(Location, bool)> {
    let first_bad = |xs: &[T]| xs.iter().find(|v| !v.is_finite()).map(|v| v.is_nan());
    for (l, layer) in model.layers().iter().enumerate() {
        let found = match layer {
            Layer::Dense { .. } => {
                let w = model.weights(l).unwrap_or(&[]);
                let b = model.bias(l).unwrap_or(&[]);
                first_bad(w)
                    .map(|nan| (Part::Weights, nan))
                    .or_else(|| first_bad(b).map(|nan| (Part::Bias, nan)))
            }
            Layer::Prelu { .. } => {
                first_bad(model.prelu_slopes(l).unwrap_or(&[])).map(|nan| (Part::Slopes, nan))
            }
            _ => None,
        };
        if let Some((part, nan)) = found {
            let kind = layer.describe();
            return Some((
                Location {
                    layer: l,
                    kind,
                    part,
                },
                nan,
            ));
        }
    }
    (0..model.layers().len()).find_map(|l| {
        first_bad(model.layer_output(l)).map(|nan| {
            let kind = model.layers()[l].describe();
            (
                Location {
                    layer: l,
                    kind,
                    part: Part::Outputs,
                },
                nan,
            )
        })
    })
}

/// Trains `model` on `train_set` as `config` says, evaluating on `test_set` after each epoch,
/// and calls `on_epoch` with each epoch's report (for a progress display). Returns every
/// epoch's report.
///
/// # Errors
///
/// [`TrainError::Diverged`] as soon as a minibatch loss or a parameter is infinite or NaN (the
/// model keeps the parameters of that moment, for inspection); [`TrainError::InputWidth`],
/// [`TrainError::Targets`], [`TrainError::Optimizer`] or [`TrainError::Empty`] before any step
/// if the data, targets or settings do not fit.
pub fn train<T: Scalar>(
    model: &mut Mlp<T>,
    train_set: &Dataset,
    test_set: Option<&Dataset>,
    config: &TrainConfig,
    mut on_epoch: impl FnMut(&EpochReport),
) -> Result<Vec<EpochReport>, TrainError> {
    if train_set.is_empty() || config.batch_size == 0 {
        return Err(TrainError::Empty);
    }
    check_fit(model, train_set, config.loss)?;
    if let Some(test) = test_set {
        check_fit(model, test, config.loss)?;
    }
    let mut optimizer = Optimizer::<T>::new(config.optimizer, model.n_params())?;
    let base_lr = config.optimizer.lr();
    let batch = config.batch_size.min(train_set.len());
    model.reserve_batch(batch);
    let mut buffers = TargetBuffers::<T>::new(batch, model.outputs());
    let mut order: Vec<usize> = (0..train_set.len()).collect();
    let mut shuffler = Rng::seed(config.seed);
    let diagnostics = config.diagnostics;
    model.track_diagnostics(diagnostics.is_some());
    // The dense layers' weight ranges, for the penalties (biases and slopes are not penalised).
    let weight_ranges = model.weight_ranges();
    let classification = train_set.is_classification();

    // With more than one thread, the steps run inside a pool of that many threads, so that the
    // training thread is itself one of the workers: a split product's `rayon::join` then runs
    // one piece on it and the other on the second worker, where from outside a pool it would
    // hand the whole join to the pool and wait, leaving the training thread's core idle
    // (`docs/PERFORMANCE.md`, "Threads").
    let pool = match model.threads() {
        1 => None,
        threads => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| TrainError::Threads(e.to_string()))?,
        ),
    };
    let mut reports = Vec::with_capacity(config.epochs);
    let mut step: u64 = 0;
    for epoch in 0..config.epochs {
        // The same permutation `Dataset::batches` would deal, made in place.
        for (k, slot) in order.iter_mut().enumerate() {
            *slot = k;
        }
        shuffler.shuffle(&mut order);
        diagnostics::reset_dead_units(model);
        // The epoch's steps, on the training pool's threads where there is one (see `pool`).
        let mut steps = || -> Result<(f64, usize, Vec<_>, f64), TrainError> {
            let (mut loss_sum, mut correct) = (0.0f64, 0usize);
            let mut snapshots = Vec::new();
            let mut lr = base_lr;
            for rows in order.chunks(batch) {
                lr = config.schedule.lr_at(
                    base_lr,
                    match config.schedule_unit {
                        ScheduleUnit::Epoch => epoch as u64,
                        ScheduleUnit::Step => step,
                    },
                );
                model.forward_with(rows.len(), Mode::Train, |input| {
                    gather_rows(train_set, rows, input)
                });
                let target = buffers.gather(train_set.targets(), rows);
                let loss = model
                    .loss_into_grad(config.loss, target)
                    .map_err(TrainError::Targets)?;
                let loss = wide(loss);
                if !loss.is_finite() {
                    // No backward pass this step: leave no stale gradient behind.
                    model.zero_grad();
                    return Err(TrainError::Diverged(Divergence::diagnose(
                        model,
                        step,
                        epoch,
                        NonFinite::Loss(loss),
                        lr,
                    )));
                }
                loss_sum += loss * rows.len() as f64;
                if classification {
                    correct += buffers.correct(model, config.loss, train_set.targets(), rows);
                }
                // Overwrites the gradients: the step's zero_grad and backward in one pass.
                model.backward_from_grad(false);
                if let Some(d) = &diagnostics
                    && d.every > 0
                    && step.is_multiple_of(d.every)
                {
                    snapshots.push(diagnostics::snapshot(model, d, step, epoch));
                }
                let (params, grads) = model.params_and_grads_mut();
                if config.l1 != 0.0 || config.l2 != 0.0 {
                    for range in &weight_ranges {
                        optim::add_l1_l2(
                            &params[range.clone()],
                            &mut grads[range.clone()],
                            config.l1,
                            config.l2,
                        );
                    }
                }
                if let Some(max_norm) = config.clip_norm {
                    optim::clip_grad_norm(grads, max_norm);
                }
                if !optimizer.step_finite(params, grads, lr) {
                    return Err(TrainError::Diverged(Divergence::diagnose(
                        model,
                        step,
                        epoch,
                        NonFinite::Parameters,
                        lr,
                    )));
                }
                step += 1;
            }
            Ok((loss_sum, correct, snapshots, lr))
        };
        let (loss_sum, correct, snapshots, lr) = match &pool {
            Some(pool) => pool.install(|| {
                let _warm = KeepWarm::start();
                steps()
            })?,
            None => steps()?,
        };
        let dead_units = match diagnostics {
            Some(d) if d.dead_units => diagnostics::dead_units(model),
            _ => Vec::new(),
        };
        let test = match test_set {
            Some(test) => Some(evaluate(model, test, config.loss)?),
            None => None,
        };
        let n = train_set.len() as f64;
        let report = EpochReport {
            epoch,
            steps: step,
            lr,
            train_loss: loss_sum / n,
            train_accuracy: classification.then(|| correct as f64 / n),
            test,
            dead_units,
            snapshots,
        };
        on_epoch(&report);
        reports.push(report);
    }
    Ok(reports)
}

/// The mean loss and the accuracy of `model` on `data`, in evaluation mode (dropout off, RReLU
/// at its midpoint), in batches the size of the model's workspace (at least 256 rows).
///
/// # Errors
///
/// [`TrainError::InputWidth`] or [`TrainError::Targets`] if the data does not fit the model.
/// A non-finite loss is returned as it is, not as an error.
pub fn evaluate<T: Scalar>(
    model: &mut Mlp<T>,
    data: &Dataset,
    loss: Loss,
) -> Result<Evaluation, TrainError> {
    check_fit(model, data, loss)?;
    let chunk = model.batch().max(256).min(data.len().max(1));
    model.reserve_batch(chunk);
    let mut buffers = TargetBuffers::<T>::new(chunk, model.outputs());
    let mut rows: Vec<usize> = Vec::with_capacity(chunk);
    let (mut loss_sum, mut correct) = (0.0f64, 0usize);
    for start in (0..data.len()).step_by(chunk) {
        rows.clear();
        rows.extend(start..(start + chunk).min(data.len()));
        model.forward_with(rows.len(), Mode::Eval, |input| {
            gather_rows(data, &rows, input)
        });
        let target = buffers.gather(data.targets(), &rows);
        let value = model
            .loss_into_grad(loss, target)
            .map_err(TrainError::Targets)?;
        loss_sum += wide(value) * rows.len() as f64;
        correct += buffers.correct(model, loss, data.targets(), &rows);
    }
    let n = data.len() as f64;
    Ok(Evaluation {
        loss: loss_sum / n,
        accuracy: data.is_classification().then(|| correct as f64 / n),
    })
}

/// Keeps the training pool's other workers awake for the length of an epoch's steps: each runs
/// a job that takes pending work (`rayon::yield_now`) in a loop until the guard is dropped, so
/// the other half of a split product's `rayon::join` starts within microseconds instead of
/// waiting for a sleeping thread to be woken.
///
/// PERF: on this project's 2-vCPU VM a `rayon::join` after 100 µs or more of serial work costs
/// 61–85 µs (`cargo run --release -p actlab-nn --example fork_join_latency`, 2026-11-28 09:43): by then rayon's idle
/// worker has gone to sleep, and a step's serial stretches (loss, activations, bias sums) are
/// that long. The spinning worker holds its core for the epoch, as OpenMP's spin-waiting
/// workers do for PyTorch, but yields it to any other runnable thread; it changes which thread computes a piece, never the piece, so results
/// keep their bits. Made inside the pool (`ThreadPool::install`) with more than one thread.
struct KeepWarm {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// How many spinners have returned, of `others`.
    finished: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    others: usize,
}

impl KeepWarm {
    /// Starts one spinning job on each other worker of the current pool, and returns once all
    /// are running (so that none is left queued where the training thread could pick it up
    /// and never return).
    fn start() -> KeepWarm {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let stop = Arc::new(AtomicBool::new(false));
        let others = rayon::current_num_threads().saturating_sub(1);
        let started = Arc::new(AtomicUsize::new(0));
        let finished = Arc::new(AtomicUsize::new(0));
        for _ in 0..others {
            let (stop, started, finished) = (
                Arc::clone(&stop),
                Arc::clone(&started),
                Arc::clone(&finished),
            );
            rayon::spawn(move || {
                started.fetch_add(1, Ordering::AcqRel);
                // Take no work before every spinner holds a worker of its own: one running
                // inside another would leave a worker asleep.
                while started.load(Ordering::Acquire) < others && !stop.load(Ordering::Acquire) {
                    std::thread::yield_now();
                }
                while !stop.load(Ordering::Acquire) {
                    if !matches!(rayon::yield_now(), Some(rayon::Yield::Executed)) {
                        // Idle: let the OS run another thread on this core if one is waiting
                        // (more threads than cores), else come straight back.
                        std::thread::yield_now();
                    }
                }
                finished.fetch_add(1, Ordering::AcqRel);
            });
        }
        while started.load(Ordering::Acquire) < others {
            std::thread::yield_now();
        }
        KeepWarm {
            stop,
            finished,
            others,
        }
    }
}

impl Drop for KeepWarm {
    /// Stops the spinners and returns once every one has (the epoch's work is done by then, so
    /// none is inside a job): no worker of the pool is left spinning after `train` returns, on
    /// an error too.
    fn drop(&mut self) {
        use std::sync::atomic::Ordering;
        self.stop.store(true, Ordering::Release);
        while self.finished.load(Ordering::Acquire) < self.others {
            std::thread::yield_now();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::KeepWarm;

    #[test]
    fn keep_warm_workers_take_the_work_and_all_stop_on_drop() {
        // Three threads: two spinners, each on a worker of its own, then joins handed to them;
        // dropping the guard returns only once both spinners have returned (a hang here is the
        // failure), and the pool then runs work as usual.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        for round in 0..50u64 {
            let sum = pool.install(|| {
                let _warm = KeepWarm::start();
                let (a, (b, c)) = rayon::join(
                    || round,
                    || rayon::join(|| round * 2, || (0..1000u64).sum::<u64>()),
                );
                a + b + c
            });
            assert_eq!(sum, round * 3 + 499_500);
        }
        assert_eq!(pool.install(|| rayon::join(|| 1, || 2)), (1, 2));
    }
}
