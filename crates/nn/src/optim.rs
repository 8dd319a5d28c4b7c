//! Optimisers and gradient clipping over flat parameter and gradient buffers.
//!
//! The model keeps every parameter in one contiguous slice and every gradient in another of the
//! same length (llm.c's `ParameterTensors`), so an optimiser is a loop over two slices plus its
//! own state vectors, allocated once by [`Optimizer::new`] for that length. [`Optimizer::step`]
//! never allocates.
//!
//! | settings | update | PyTorch |
//! |---|---|---|
//! | [`Sgd`] | w ← w − η·g, with optional momentum, Nesterov, weight decay | `torch.optim.SGD` |
//! | [`Adam`] | w ← w − η·m̂/(√v̂ + ε), L2 penalty folded into g | `torch.optim.Adam` |
//! | [`AdamW`] | w ← w(1 − ηλ), then the Adam step | `torch.optim.AdamW` |
//!
//! The learning rate η is passed to every [`step`](Optimizer::step) (a
//! [`Schedule`](crate::schedule::Schedule) computes it from the settings' `lr`, the base rate).
//!
//! ```
//! use nn::optim::{Adam, Optimizer};
//!
//! // Minimise f(w) = ½‖w − 3‖², whose gradient is w − 3.
//! let mut w = vec![0.0f64; 4];
//! let mut grad = vec![0.0f64; 4];
//! let settings = Adam { lr: 0.1, ..Adam::default() };
//! let mut optimizer = Optimizer::new(settings, w.len()).unwrap();
//! for _ in 0..500 {
//!     for (g, x) in grad.iter_mut().zip(&w) {
//!         *g = x - 3.0;
//!     }
//!     optimizer.step(&mut w, &grad, optimizer.base_lr());
//! }
//! assert!(w.iter().all(|x| (x - 3.0).abs() < 1e-3));
//! ```
//!
//! Gradient clipping ([`clip_grad_norm`], [`clip_grad_value`]), the norm ([`l2_norm`]) and the
//! L1/L2 penalty gradients ([`add_l1_l2`]) are free functions over slices.
//!
//! Arithmetic is done in the parameters' own type `T` (as PyTorch does for `f32` tensors),
//! with the per-step coefficients (η, bias corrections) computed in `f64` and rounded once.

use crate::Scalar;

/// Settings of stochastic gradient descent, `torch.optim.SGD`.
///
/// Each step, with g the gradient, b the momentum buffer, μ = `momentum`, τ = `dampening`,
/// λ = `weight_decay`:
///
/// ```text
/// g ← g + λ·w                          (if λ ≠ 0: the L2 penalty λ/2·‖w‖²)
/// b ← g on the first step,             (if μ ≠ 0; PyTorch skips the dampening then)
///     μ·b + (1 − τ)·g afterwards
/// g ← g + μ·b  if nesterov, else b     (if μ ≠ 0)
/// w ← w − η·g
/// ```
///
/// With μ = 0 and λ = 0 this is exactly w ← w − η·g, bit for bit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sgd {
    /// Base learning rate η (the schedule's `base_lr`).
    pub lr: f64,
    /// Momentum factor μ ≥ 0 (0: plain SGD; 0.9 is the usual choice).
    pub momentum: f64,
    /// Dampening τ for momentum: the gradient enters the buffer with weight 1 − τ.
    pub dampening: f64,
    /// Nesterov momentum (Sutskever et al. 2013's form, as PyTorch): needs μ > 0 and τ = 0.
    pub nesterov: bool,
    /// L2 penalty λ ≥ 0, added to the gradient as λ·w.
    pub weight_decay: f64,
}

impl Default for Sgd {
    /// PyTorch's defaults: lr = 1e-3, momentum = 0, dampening = 0, nesterov = false,
    /// weight_decay = 0.
    fn default() -> Sgd {
        Sgd {
            lr: 1e-3,
            momentum: 0.0,
            dampening: 0.0,
            nesterov: false,
            weight_decay: 0.0,
        }
    }
}

/// Settings of Adam (Kingma & Ba 2015), `torch.optim.Adam` (without `amsgrad`).
///
/// Step t (from 1), with g the gradient, λ = `weight_decay`, (β₁, β₂) = `betas`:
///
/// ```text
/// g ← g + λ·w                              (if λ ≠ 0: coupled L2 penalty)
/// m ← β₁·m + (1 − β₁)·g                    (PyTorch: m.lerp_(g, 1 − β₁))
/// v ← β₂·v + (1 − β₂)·g²
/// w ← w − (η/(1 − β₁ᵗ)) · m / (√v/√(1 − β₂ᵗ) + ε)
/// ```
///
/// which is the paper's w ← w − η·m̂/(√v̂ + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), written
/// in PyTorch's operation order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Adam {
    /// Base learning rate η.
    pub lr: f64,
    /// Decay rates (β₁, β₂) of the first- and second-moment averages, each in [0, 1).
    pub betas: (f64, f64),
    /// ε ≥ 0, added to √v̂ so the step stays finite where v̂ = 0.
    pub eps: f64,
    /// Coupled L2 penalty λ ≥ 0, added to the gradient as λ·w (so Adam rescales it; see
    /// [`AdamW`] for the decoupled form).
    pub weight_decay: f64,
}

impl Default for Adam {
    /// PyTorch's defaults: lr = 1e-3, betas = (0.9, 0.999), eps = 1e-8, weight_decay = 0.
    fn default() -> Adam {
        Adam {
            lr: 1e-3,
            betas: (0.9, 0.999),
            eps: 1e-8,
            weight_decay: 0.0,
        }
    }
}

/// Settings of AdamW (Loshchilov & Hutter 2019), `torch.optim.AdamW`: Adam with decoupled
/// weight decay. Each step first shrinks the weights, w ← w·(1 − η·λ), then takes the
/// [`Adam`] step with the raw gradient, so the decay is not rescaled by Adam's
/// per-parameter step size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamW {
    /// Base learning rate η.
    pub lr: f64,
    /// Decay rates (β₁, β₂), each in [0, 1).
    pub betas: (f64, f64),
    /// ε ≥ 0, added to √v̂.
    pub eps: f64,
    /// Decoupled weight decay λ ≥ 0: w ← w·(1 − η·λ) every step.
    pub weight_decay: f64,
}

impl Default for AdamW {
    /// PyTorch's defaults: lr = 1e-3, betas = (0.9, 0.999), eps = 1e-8, weight_decay = 1e-2.
    fn default() -> AdamW {
        AdamW {
            lr: 1e-3,
            betas: (0.9, 0.999),
            eps: 1e-8,
            weight_decay: 1e-2,
        }
    }
}

/// Which optimiser, with its settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Settings {
    /// Stochastic gradient descent (with momentum, Nesterov).
    Sgd(Sgd),
    /// Adam.
    Adam(Adam),
    /// AdamW.
    AdamW(AdamW),
}

impl From<Sgd> for Settings {
    fn from(settings: Sgd) -> Settings {
        Settings::Sgd(settings)
    }
}

impl From<Adam> for Settings {
    fn from(settings: Adam) -> Settings {
        Settings::Adam(settings)
    }
}

impl From<AdamW> for Settings {
    fn from(settings: AdamW) -> Settings {
        Settings::AdamW(settings)
    }
}

impl Settings {
    /// The names [`name`](Settings::name) returns and [`from_name`](Settings::from_name)
    /// accepts.
    pub const NAMES: [&'static str; 5] = ["sgd", "momentum", "nesterov", "adam", "adamw"];

    /// A short name: `sgd` (no momentum), `momentum`, `nesterov`, `adam` or `adamw`.
    pub fn name(&self) -> &'static str {
        match self {
            Settings::Sgd(Sgd { nesterov: true, .. }) => "nesterov",
            Settings::Sgd(sgd) if sgd.momentum != 0.0 => "momentum",
            Settings::Sgd(_) => "sgd",
            Settings::Adam(_) => "adam",
            Settings::AdamW(_) => "adamw",
        }
    }

    /// The optimiser called `name` with PyTorch's defaults; `momentum` and `nesterov` are SGD
    /// with momentum 0.9 (PyTorch has no default momentum; 0.9 is the conventional value).
    /// `None` for any other name.
    ///
    /// ```
    /// # use nn::optim::Settings;
    /// for name in Settings::NAMES {
    ///     assert_eq!(Settings::from_name(name).unwrap().name(), name);
    /// }
    /// ```
    pub fn from_name(name: &str) -> Option<Settings> {
        let momentum = Sgd {
            momentum: 0.9,
            ..Sgd::default()
        };
        Some(match name {
            "sgd" => Sgd::default().into(),
            "momentum" => momentum.into(),
            "nesterov" => Sgd {
                nesterov: true,
                ..momentum
            }
            .into(),
            "adam" => Adam::default().into(),
            "adamw" => AdamW::default().into(),
            _ => return None,
        })
    }

    /// The base learning rate (the settings' `lr`).
    pub fn lr(&self) -> f64 {
        match self {
            Settings::Sgd(s) => s.lr,
            Settings::Adam(s) => s.lr,
            Settings::AdamW(s) => s.lr,
        }
    }

    /// Checks the settings as PyTorch's constructors do: lr, momentum, eps and weight_decay
    /// ≥ 0 (NaN rejected), betas in [0, 1), Nesterov only with momentum > 0 and dampening 0.
    pub fn validate(&self) -> Result<(), OptimError> {
        let non_negative = |value: f64, error: fn(f64) -> OptimError| {
            if value >= 0.0 {
                Ok(())
            } else {
                Err(error(value))
            }
        };
        non_negative(self.lr(), OptimError::LearningRate)?;
        match *self {
            Settings::Sgd(s) => {
                non_negative(s.momentum, OptimError::Momentum)?;
                non_negative(s.weight_decay, OptimError::WeightDecay)?;
                if s.nesterov && !(s.momentum > 0.0 && s.dampening == 0.0) {
                    return Err(OptimError::Nesterov {
                        momentum: s.momentum,
                        dampening: s.dampening,
                    });
                }
            }
            Settings::Adam(Adam {
                betas,
                eps,
                weight_decay,
                ..
            })
            | Settings::AdamW(AdamW {
                betas,
                eps,
                weight_decay,
                ..
            }) => {
                non_negative(eps, OptimError::Epsilon)?;
                non_negative(weight_decay, OptimError::WeightDecay)?;
                for (index, value) in [(0, betas.0), (1, betas.1)] {
                    if !(0.0..1.0).contains(&value) {
                        return Err(OptimError::Beta { index, value });
                    }
                }
            }
        }
        Ok(())
    }
}

/// Invalid optimiser settings (PyTorch raises `ValueError` for the same cases).
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum OptimError {
    /// The learning rate is negative or NaN.
    LearningRate(f64),
    /// The momentum is negative or NaN.
    Momentum(f64),
    /// The weight decay is negative or NaN.
    WeightDecay(f64),
    /// ε is negative or NaN.
    Epsilon(f64),
    /// A beta is outside [0, 1).
    Beta {
        /// 0 for β₁, 1 for β₂.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Nesterov momentum needs momentum > 0 and zero dampening.
    Nesterov {
        /// The momentum given.
        momentum: f64,
        /// The dampening given.
        dampening: f64,
    },
}

impl core::fmt::Display for OptimError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            OptimError::LearningRate(lr) => write!(f, "invalid learning rate: {lr} (need ≥ 0)"),
            OptimError::Momentum(m) => write!(f, "invalid momentum value: {m} (need ≥ 0)"),
            OptimError::WeightDecay(wd) => {
                write!(f, "invalid weight_decay value: {wd} (need ≥ 0)")
            }
            OptimError::Epsilon(eps) => write!(f, "invalid epsilon value: {eps} (need ≥ 0)"),
            OptimError::Beta { index, value } => {
                write!(
                    f,
                    "invalid beta parameter at index {index}: {value} (need [0, 1))"
                )
            }
            OptimError::Nesterov {
                momentum,
                dampening,
            } => write!(
                f,
                "Nesterov momentum requires a momentum > 0 and zero dampening \
                 (got momentum {momentum}, dampening {dampening})"
            ),
        }
    }
}

impl std::error::Error for OptimError {}

/// An optimiser with its state for a fixed number of parameters.
///
/// State, allocated once by [`new`](Optimizer::new): SGD with momentum keeps one buffer (the
/// momentum b), Adam and AdamW two (the moment averages m and v), each as long as the
/// parameter slice; plain SGD keeps none.
#[derive(Clone, Debug)]
pub struct Optimizer<T: Scalar> {
    settings: Settings,
    /// Steps taken since construction or [`reset`](Optimizer::reset) (PyTorch's `step`).
    steps: u64,
    /// (len): SGD's momentum buffer, or Adam's first-moment average m (`exp_avg`).
    first: Vec<T>,
    /// (len): Adam's second-moment average v (`exp_avg_sq`); empty for SGD.
    second: Vec<T>,
    len: usize,
}

impl<T: Scalar> Optimizer<T> {
    /// An optimiser for `len` parameters, its state zeroed.
    ///
    /// # Errors
    ///
    /// [`OptimError`] if the settings fail [`Settings::validate`].
    pub fn new(settings: impl Into<Settings>, len: usize) -> Result<Optimizer<T>, OptimError> {
        let settings = settings.into();
        settings.validate()?;
        let (first, second) = match settings {
            Settings::Sgd(s) if s.momentum == 0.0 => (0, 0),
            Settings::Sgd(_) => (len, 0),
            Settings::Adam(_) | Settings::AdamW(_) => (len, len),
        };
        Ok(Optimizer {
            settings,
            steps: 0,
            first: vec![T::zero(); first],
            second: vec![T::zero(); second],
            len,
        })
    }

    /// The settings.
    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// The base learning rate, the settings' `lr`, for a [`Schedule`](crate::schedule::Schedule)
    /// to scale.
    pub fn base_lr(&self) -> f64 {
        self.settings.lr()
    }

    /// Steps taken since construction or the last [`reset`](Optimizer::reset).
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The number of parameters this optimiser updates.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it updates no parameters.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Forgets the state (momentum, moment averages, step count), as a fresh optimiser.
    pub fn reset(&mut self) {
        self.steps = 0;
        self.first.fill(T::zero());
        self.second.fill(T::zero());
    }

    /// One update of `params` from `grads` at learning rate `lr` (the schedule's value for this
    /// step; the settings' own `lr` is only the base rate). See [`Sgd`], [`Adam`] and
    /// [`AdamW`] for the formulas. Does not allocate.
    ///
    /// # Panics
    ///
    /// If `params` or `grads` is not [`len`](Optimizer::len) long.
    pub fn step(&mut self, params: &mut [T], grads: &[T], lr: f64) {
        self.step_finite(params, grads, lr);
    }

    /// [`step`](Optimizer::step), and whether every updated parameter is finite: the training
    /// loop's divergence check, made in the same pass over the parameters as the update rather
    /// than in a second one.
    ///
    /// # Panics
    ///
    /// If `params` or `grads` is not [`len`](Optimizer::len) long.
    pub fn step_finite(&mut self, params: &mut [T], grads: &[T], lr: f64) -> bool {
        assert_eq!(params.len(), self.len, "Optimizer::step: parameter count");
        assert_eq!(grads.len(), self.len, "Optimizer::step: gradient count");
        self.steps += 1;
        match self.settings {
            Settings::Sgd(s) => self.sgd_step(s, params, grads, lr),
            Settings::Adam(s) => self.adam_step(s, Decay::Coupled, params, grads, lr),
            Settings::AdamW(s) => {
                let adam = Adam {
                    lr: s.lr,
                    betas: s.betas,
                    eps: s.eps,
                    weight_decay: s.weight_decay,
                };
                self.adam_step(adam, Decay::Decoupled, params, grads, lr)
            }
        }
    }

    fn sgd_step(&mut self, s: Sgd, params: &mut [T], grads: &[T], lr: f64) -> bool {
        let lr = of_f64::<T>(lr);
        let weight_decay = of_f64::<T>(s.weight_decay);
        let momentum = of_f64::<T>(s.momentum);
        let keep = of_f64::<T>(1.0 - s.dampening);
        // PyTorch creates the buffer as a copy of the first gradient (no dampening).
        let first_step = self.steps == 1;
        let update = |params: &mut [T], grads: &[T], first: &mut [T], _: &mut [T]| {
            if s.momentum == 0.0 {
                for (w, &g) in params.iter_mut().zip(grads) {
                    let g = if s.weight_decay != 0.0 {
                        g + weight_decay * *w
                    } else {
                        g
                    };
                    // p.add_(g, alpha=-lr): the same bits as w − η·g.
                    *w = *w - lr * g;
                }
                return;
            }
            for ((w, &g), b) in params.iter_mut().zip(grads).zip(first) {
                let g = if s.weight_decay != 0.0 {
                    g + weight_decay * *w
                } else {
                    g
                };
                *b = if first_step {
                    g
                } else {
                    momentum * *b + keep * g
                };
                let direction = if s.nesterov { g + momentum * *b } else { *b };
                *w = *w - lr * direction;
            }
        };
        split_update(params, grads, &mut self.first, &mut self.second, &update)
    }

    /// The Adam step, its `weight_decay` applied as `decay` says (Adam's or AdamW's way).
    fn adam_step(&mut self, s: Adam, decay: Decay, params: &mut [T], grads: &[T], lr: f64) -> bool {
        let (beta1, beta2) = s.betas;
        let (weight_decay, decoupled_decay) = match decay {
            Decay::Coupled => (s.weight_decay, 0.0),
            Decay::Decoupled => (0.0, s.weight_decay),
        };
        // PyTorch's _single_tensor_adam, scalar part (in f64, as Python floats):
        let t = self.steps as f64;
        let bias_correction1 = 1.0 - libm::pow(beta1, t);
        let bias_correction2 = 1.0 - libm::pow(beta2, t);
        let step_size = of_f64::<T>(lr / bias_correction1);
        let bias_correction2_sqrt = of_f64::<T>(bias_correction2.sqrt());
        let shrink = of_f64::<T>(1.0 - lr * decoupled_decay);
        let coupled = of_f64::<T>(weight_decay);
        let one_minus_beta1 = 1.0 - beta1;
        let lerp_weight = of_f64::<T>(one_minus_beta1);
        // 1 − β₂ in f64, as Python computes `value=1 - beta2`, then rounded.
        let one_minus_beta2 = of_f64::<T>(1.0 - beta2);
        let beta2 = of_f64::<T>(beta2);
        let eps = of_f64::<T>(s.eps);
        let update = |params: &mut [T], grads: &[T], first: &mut [T], second: &mut [T]| {
            let iter = params
                .iter_mut()
                .zip(grads)
                .zip(first.iter_mut().zip(second));
            for ((w, &g), (m, v)) in iter {
                if decoupled_decay != 0.0 {
                    // AdamW: param.mul_(1 − lr·weight_decay), before the moments.
                    *w = *w * shrink;
                }
                let g = if weight_decay != 0.0 {
                    g + coupled * *w
                } else {
                    g
                };
                // exp_avg.lerp_(g, 1 − β₁): ATen's lerp, whose form depends on the weight.
                *m = if one_minus_beta1 < 0.5 {
                    *m + lerp_weight * (g - *m)
                } else {
                    g - (g - *m) * (T::one() - lerp_weight)
                };
                // exp_avg_sq.mul_(β₂).addcmul_(g, g, value=1 − β₂)
                *v = *v * beta2 + one_minus_beta2 * g * g;
                // denom = √v/√(1 − β₂ᵗ) + ε; param.addcdiv_(m, denom, value=−lr/(1 − β₁ᵗ))
                let denom = v.sqrt() / bias_correction2_sqrt + eps;
                *w = *w - step_size * (*m / denom);
            }
        };
        split_update(params, grads, &mut self.first, &mut self.second, &update)
    }
}

/// Fewest parameters in one piece of an update split among threads: a fork-join costs 3–80 µs
/// on this project's machine (`cargo run --release -p actlab-nn --example fork_join_latency`),
/// so only pieces of tens of thousands of parameters are worth one.
const MIN_SPLIT_PARAMS: usize = 1 << 15;

/// Runs `update` on (params, grads, first moments, second moments) whole, or, when called from
/// inside a rayon pool of several threads (as `train` does with more than one thread), on one
/// piece of each per thread, in parallel. Every parameter's update reads only its own entries,
/// so the pieces give the same bits as the whole. `first` and `second` are either as long as
/// `params` or empty (an optimiser without that state). Returns the `&` of the pieces' results
/// (whether every updated parameter is finite).
fn split_update<T: Scalar>(
    params: &mut [T],
    grads: &[T],
    first: &mut [T],
    second: &mut [T],
    update: &(impl Fn(&mut [T], &[T], &mut [T], &mut [T]) + Sync),
) -> bool {
    let threads = match rayon::current_thread_index() {
        Some(_) => rayon::current_num_threads(),
        None => 1,
    };
    let pieces = threads.min(params.len() / MIN_SPLIT_PARAMS).max(1);
    split_pieces(params, grads, first, second, pieces, update)
}

/// Runs `update` chunk by chunk and checks each updated chunk while it is in cache; returns
/// whether every parameter is finite. The check is a separate branch-free `&` per chunk: folded
/// into the update loops it kept them from vectorising (the SGD update became scalar: 10.8% of
/// the deep sigmoid workload's profile against 2.8% now; `docs/PERFORMANCE.md` gives the command).
fn update_checked<T: Scalar>(
    params: &mut [T],
    grads: &[T],
    first: &mut [T],
    second: &mut [T],
    update: &impl Fn(&mut [T], &[T], &mut [T], &mut [T]),
) -> bool {
    const CHUNK: usize = 1024;
    let mut finite = true;
    let mut start = 0;
    while start < params.len() {
        let end = (start + CHUNK).min(params.len());
        let first = if first.is_empty() {
            &mut []
        } else {
            &mut first[start..end]
        };
        let second = if second.is_empty() {
            &mut []
        } else {
            &mut second[start..end]
        };
        let chunk = &mut params[start..end];
        update(chunk, &grads[start..end], first, second);
        finite &= chunk.iter().fold(true, |ok, x| ok & x.is_finite());
        start = end;
    }
    finite
}

/// [`split_update`] into `pieces` pieces by nested `rayon::join`s.
fn split_pieces<T: Scalar>(
    params: &mut [T],
    grads: &[T],
    first: &mut [T],
    second: &mut [T],
    pieces: usize,
    update: &(impl Fn(&mut [T], &[T], &mut [T], &mut [T]) + Sync),
) -> bool {
    if pieces <= 1 {
        return update_checked(params, grads, first, second, update);
    }
    let n = params.len() / pieces;
    let (p0, p1) = params.split_at_mut(n);
    let (g0, g1) = grads.split_at(n);
    let (f0, f1) = first.split_at_mut(n.min(first.len()));
    let (s0, s1) = second.split_at_mut(n.min(second.len()));
    let (a, b) = rayon::join(
        || update_checked(p0, g0, f0, s0, update),
        || split_pieces(p1, g1, f1, s1, pieces - 1, update),
    );
    a & b
}

/// How Adam applies its weight decay λ.
#[derive(Clone, Copy)]
enum Decay {
    /// Adam: g ← g + λw, an L2 penalty that Adam's step then rescales.
    Coupled,
    /// AdamW: w ← w(1 − ηλ) before the step.
    Decoupled,
}

/// Rounds a coefficient computed in `f64` to the parameter type, once.
fn of_f64<T: Scalar>(x: f64) -> T {
    <T as act::Real>::from_f64(x)
}

/// The Euclidean norm √(Σ xᵢ²), computed so that it neither overflows nor underflows where
/// the result is representable: `[3e200, 4e200]` gives 5e200 in `f64`, `[3e30, 4e30]` 5e30 from
/// `f32` data, `[3e-200, 4e-200]` 5e-200. NaN anywhere gives NaN, otherwise ±∞ anywhere gives ∞;
/// an empty slice gives 0.
///
/// Blue's algorithm as LAPACK's `dnrm2` implements it (Anderson 2017, "Algorithm 978: Safe
/// scaling in the Level 1 BLAS"), the approach faer's `norm_l2` takes: squares are accumulated
/// in three `f64` sums, values above 2⁴⁸⁶ scaled down by 2⁻⁵³⁸ and values below 2⁻⁵¹¹ scaled up
/// by 2⁵³⁷ (powers of two, so the scaling is exact), and the sums combined at the end. One pass,
/// no division per element. Every nonzero `f32` falls in the unscaled middle range.
///
/// ```
/// # use nn::optim::l2_norm;
/// assert_eq!(l2_norm(&[3.0f64, 4.0]), 5.0);
/// assert!((l2_norm(&[3e200f64, 4e200]) / 5e200 - 1.0).abs() < 1e-15); // Σx² would be 2.5e401
/// ```
pub fn l2_norm<T: Scalar>(xs: &[T]) -> f64 {
    let sum = ScaledSumOfSquares::of(xs);
    sum.scale * sum.sum_of_squares.sqrt()
}

/// ‖x‖ = `scale`·√`sum_of_squares`, with `scale` a power of two chosen so neither part
/// overflows when the norm's square would.
struct ScaledSumOfSquares {
    scale: f64,
    sum_of_squares: f64,
}

impl ScaledSumOfSquares {
    // Blue's constants for f64 (minexponent −1021, maxexponent 1024, 53 digits), from
    // Anderson 2017: thresholds t_sml = 2^⌈(−1021 − 1)/2⌉, t_big = 2^⌊(1024 − 53 + 1)/2⌋, and
    // scalings s_sml = 2^−⌊(−1021 − 53)/2⌋, s_big = 2^−⌈(1024 + 53 − 1)/2⌉.
    const SMALL_THRESHOLD: f64 = 1.4916681462400413e-154; // 2⁻⁵¹¹
    const BIG_THRESHOLD: f64 = 1.9979190722022350e146; // 2⁴⁸⁶
    const SMALL_SCALE: f64 = 4.4989137945431964e161; // 2⁵³⁷
    const BIG_SCALE: f64 = 1.1113793747425387e-162; // 2⁻⁵³⁸

    fn of<T: Scalar>(xs: &[T]) -> ScaledSumOfSquares {
        let (mut small, mut medium, mut big) = (0.0f64, 0.0f64, 0.0f64);
        for &x in xs {
            let magnitude = act::Real::to_f64(x).abs();
            // NaN fails both comparisons and lands in `medium`, which the combination below
            // propagates; ±∞ lands in `big`.
            if magnitude > Self::BIG_THRESHOLD {
                let scaled = magnitude * Self::BIG_SCALE;
                big += scaled * scaled;
            } else if magnitude < Self::SMALL_THRESHOLD {
                // Negligible once any big value is present, and skipped then (as dnrm2 does).
                if big == 0.0 {
                    let scaled = magnitude * Self::SMALL_SCALE;
                    small += scaled * scaled;
                }
            } else {
                medium += magnitude * magnitude;
            }
        }
        if big > 0.0 {
            // Medium values are folded in at the big scale; small ones are negligible.
            if medium > 0.0 || medium.is_nan() {
                big += (medium * Self::BIG_SCALE) * Self::BIG_SCALE;
            }
            ScaledSumOfSquares {
                scale: 1.0 / Self::BIG_SCALE,
                sum_of_squares: big,
            }
        } else if small > 0.0 {
            if medium > 0.0 || medium.is_nan() {
                // Combine √medium and √small/s_sml as hypot, larger first.
                let medium = medium.sqrt();
                let small = small.sqrt() / Self::SMALL_SCALE;
                let (low, high) = if small > medium {
                    (medium, small)
                } else {
                    (small, medium)
                };
                ScaledSumOfSquares {
                    scale: 1.0,
                    sum_of_squares: high * high * (1.0 + (low / high) * (low / high)),
                }
            } else {
                ScaledSumOfSquares {
                    scale: 1.0 / Self::SMALL_SCALE,
                    sum_of_squares: small,
                }
            }
        } else {
            ScaledSumOfSquares {
                scale: 1.0,
                sum_of_squares: medium,
            }
        }
    }
}

/// Scales `grads` so their Euclidean norm is at most `max_norm`, and returns the norm they had
/// before: `torch.nn.utils.clip_grad_norm_` with `norm_type = 2` over one flat buffer.
///
/// As PyTorch: with N = [`l2_norm`]`(grads)`, the coefficient is `max_norm/(N + 1e-6)`, and
/// `grads` are multiplied by it when it is below 1 (left alone otherwise). Two departures:
/// - the norm cannot overflow (see [`l2_norm`]), and when the true norm exceeds `f64::MAX`
///   (finite gradients near 1e308) the gradients are still scaled correctly, through the scaled
///   sum, instead of being zeroed by max_norm/∞;
/// - if a gradient is NaN or ±∞, the returned norm is NaN or ∞ and `grads` are left as they
///   are (PyTorch would multiply every gradient by NaN or 0), so the caller can see the
///   divergence and act on it.
///
/// # Panics
///
/// If `max_norm` is negative or NaN.
///
/// ```
/// # use nn::optim::clip_grad_norm;
/// let mut grads = [3.0f32, 4.0];
/// let norm = clip_grad_norm(&mut grads, 1.0);
/// assert_eq!(norm, 5.0);
/// assert!((grads[0] - 0.6).abs() < 1e-6 && (grads[1] - 0.8).abs() < 1e-6);
/// ```
pub fn clip_grad_norm<T: Scalar>(grads: &mut [T], max_norm: f64) -> f64 {
    assert!(max_norm >= 0.0, "clip_grad_norm: max_norm = {max_norm}");
    let sum = ScaledSumOfSquares::of(grads);
    let norm = sum.scale * sum.sum_of_squares.sqrt();
    if !sum.sum_of_squares.is_finite() {
        // NaN or ±∞ among the gradients.
        return norm;
    }
    if norm.is_infinite() {
        // ‖g‖ = scale·r overflows; scale each gᵢ by max_norm/‖g‖ = (1/scale)·(max_norm/r),
        // in f64 (1/scale = 2⁻⁵³⁸ is exact there, and would be 0 in f32).
        let inverse_scale = 1.0 / sum.scale;
        let factor = max_norm / sum.sum_of_squares.sqrt();
        for g in grads.iter_mut() {
            *g = of_f64(act::Real::to_f64(*g) * inverse_scale * factor);
        }
        return norm;
    }
    // PyTorch: clip_coef = max_norm / (total_norm + 1e-6), clamped to at most 1.
    let coefficient = max_norm / (norm + 1e-6);
    if coefficient < 1.0 {
        let coefficient = of_f64::<T>(coefficient);
        for g in grads.iter_mut() {
            *g = *g * coefficient;
        }
    }
    norm
}

/// Clamps every gradient into [−`clip`, `clip`] (`torch.nn.utils.clip_grad_value_`). NaN stays
/// NaN, as in `torch.clamp`.
///
/// # Panics
///
/// If `clip` is negative or NaN.
///
/// ```
/// # use nn::optim::clip_grad_value;
/// let mut grads = [-3.0f64, 0.5, 2.0];
/// clip_grad_value(&mut grads, 1.0);
/// assert_eq!(grads, [-1.0, 0.5, 1.0]);
/// ```
pub fn clip_grad_value<T: Scalar>(grads: &mut [T], clip: f64) {
    assert!(clip >= 0.0, "clip_grad_value: clip = {clip}");
    let high = of_f64::<T>(clip);
    let low = -high;
    for g in grads.iter_mut() {
        // Comparisons with NaN are false, so NaN passes through.
        if *g > high {
            *g = high;
        } else if *g < low {
            *g = low;
        }
    }
}

/// Adds the gradient of the penalty λ₁‖w‖₁ + (λ₂/2)‖w‖² to `grads`: gᵢ += λ₁·sign(wᵢ) + λ₂·wᵢ.
///
/// sign(0) = 0 (the subgradient `torch.sign` picks, so an exactly-zero weight feels no L1 pull),
/// and sign(NaN) = NaN. A term whose λ is 0 is skipped entirely, so an infinite weight does not
/// turn 0·∞ into NaN. The model calls this before the optimiser step; note that [`Sgd`]'s and
/// [`Adam`]'s own `weight_decay` is the same L2 term, so use one or the other.
///
/// # Panics
///
/// If `params` and `grads` differ in length.
///
/// ```
/// # use nn::optim::add_l1_l2;
/// let params = [2.0f64, 0.0, -1.0];
/// let mut grads = [0.0f64; 3];
/// add_l1_l2(&params, &mut grads, 0.1, 0.5);
/// assert_eq!(grads, [0.1 + 1.0, 0.0, -0.1 - 0.5]);
/// ```
pub fn add_l1_l2<T: Scalar>(params: &[T], grads: &mut [T], l1: f64, l2: f64) {
    assert_eq!(params.len(), grads.len(), "add_l1_l2: lengths differ");
    let (lambda1, lambda2) = (of_f64::<T>(l1), of_f64::<T>(l2));
    for (g, &w) in grads.iter_mut().zip(params) {
        if l1 != 0.0 {
            *g = *g + lambda1 * sign(w);
        }
        if l2 != 0.0 {
            *g = *g + lambda2 * w;
        }
    }
}

/// sign(x) with sign(±0) = 0 and sign(NaN) = NaN (`num_traits::Float::signum` gives ±1 at ±0).
fn sign<T: Scalar>(x: T) -> T {
    if x > T::zero() {
        T::one()
    } else if x < T::zero() {
        -T::one()
    } else if x == T::zero() {
        T::zero()
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn optimizer<T: Scalar>(settings: impl Into<Settings>, len: usize) -> Optimizer<T> {
        Optimizer::new(settings, len).unwrap()
    }

    #[test]
    fn updates_split_among_threads_give_the_same_bits() {
        // Long enough for three pieces, and not a multiple of them.
        let len = 3 * MIN_SPLIT_PARAMS + 1001;
        let params0: Vec<f32> = (0..len)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) * 0.01)
            .collect();
        let grads: Vec<f32> = (0..len)
            .map(|i| ((i * 53 % 97) as f32 - 48.0) * 0.003)
            .collect();
        let settings: [Settings; 4] = [
            Sgd::default().into(),
            Sgd {
                momentum: 0.9,
                nesterov: true,
                weight_decay: 1e-3,
                ..Sgd::default()
            }
            .into(),
            Adam::default().into(),
            AdamW::default().into(),
        ];
        let run = |settings: Settings| {
            let mut params = params0.clone();
            let mut optimizer = optimizer::<f32>(settings, len);
            for _ in 0..3 {
                optimizer.step(&mut params, &grads, 0.01);
            }
            params.into_iter().map(f32::to_bits).collect::<Vec<_>>()
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        for settings in settings {
            let whole = run(settings);
            let split = pool.install(|| {
                assert_eq!(
                    (len / MIN_SPLIT_PARAMS).min(rayon::current_num_threads()),
                    3,
                    "the update is split in three"
                );
                run(settings)
            });
            assert_eq!(whole, split, "{settings:?}");
        }
    }

    fn plain_sgd_is_w_minus_lr_g<T: Scalar>(values: &[f64]) {
        let params0: Vec<T> = values.iter().map(|&x| of_f64(x)).collect();
        let grads: Vec<T> = values
            .iter()
            .rev()
            .map(|&x| of_f64(x * 0.37 - 1.1))
            .collect();
        let mut params = params0.clone();
        let mut sgd = optimizer::<T>(Sgd::default(), values.len());
        let lr = 0.0123;
        sgd.step(&mut params, &grads, lr);
        for ((&w, &w0), &g) in params.iter().zip(&params0).zip(&grads) {
            let expected = w0 - of_f64::<T>(lr) * g;
            assert_eq!(
                act::Real::to_f64(w).to_bits(),
                act::Real::to_f64(expected).to_bits()
            );
        }
    }

    #[test]
    fn plain_sgd_is_exactly_w_minus_lr_g() {
        let values = [0.0, -0.0, 1.0, -2.5, 1e-30, 3.7e20, 0.1, 123.456];
        plain_sgd_is_w_minus_lr_g::<f32>(&values);
        plain_sgd_is_w_minus_lr_g::<f64>(&values);
    }

    /// Runs `steps` SGD steps on f(w) = (w − 3)²/2 (gradient w − 3) from w = 0 and returns w.
    fn sgd_on_quadratic(settings: Sgd, steps: usize) -> f64 {
        let mut w = [0.0f64];
        let mut sgd = optimizer::<f64>(settings, 1);
        for _ in 0..steps {
            let grad = [w[0] - 3.0];
            sgd.step(&mut w, &grad, settings.lr);
        }
        w[0]
    }

    #[test]
    fn sgd_converges_below_lr_2_and_diverges_above() {
        // On f(w) = (w − 3)²/2 the error e = w − 3 evolves as e ← (1 − η)e: it shrinks when
        // |1 − η| < 1, i.e. 0 < η < 2 (the curvature is 1, so the limit is 2/curvature), and
        // grows when η > 2: the guide's "too large a rate diverges".
        for lr in [0.1, 0.5, 1.0, 1.5, 1.9] {
            let w = sgd_on_quadratic(
                Sgd {
                    lr,
                    ..Sgd::default()
                },
                400,
            );
            assert!((w - 3.0).abs() < 1e-9, "lr {lr}: w = {w}");
        }
        for lr in [2.1, 2.5, 4.0] {
            let w = sgd_on_quadratic(
                Sgd {
                    lr,
                    ..Sgd::default()
                },
                100,
            );
            // |e| = 3·|1 − η|¹⁰⁰ ≥ 3·1.1¹⁰⁰ ≈ 4e4.
            assert!((w - 3.0).abs() > 1e4, "lr {lr}: w = {w}");
        }
        // η = 2 sits on the edge: the error flips sign forever, |e| = 3.
        let w = sgd_on_quadratic(
            Sgd {
                lr: 2.0,
                ..Sgd::default()
            },
            101,
        );
        assert_eq!(w, 6.0);
    }

    /// Three steps from w = 0.5 with gradients 1, 2, −1 (fixed, not from a loss).
    fn three_steps(settings: Sgd) -> [f64; 3] {
        let mut w = [0.5f64];
        let mut sgd = optimizer::<f64>(settings, 1);
        let mut out = [0.0; 3];
        for (k, g) in [1.0, 2.0, -1.0].into_iter().enumerate() {
            sgd.step(&mut w, &[g], settings.lr);
            out[k] = w[0];
        }
        out
    }

    fn assert_close(actual: [f64; 3], expected: [f64; 3]) {
        for (a, e) in actual.iter().zip(&expected) {
            assert!((a - e).abs() < 1e-15, "{actual:?} vs {expected:?}");
        }
    }

    #[test]
    fn momentum_matches_hand_computation() {
        let lr = 0.1;
        // μ = 0.9, τ = 0: b₁ = g₁ = 1, b₂ = 0.9·1 + 2 = 2.9, b₃ = 0.9·2.9 − 1 = 1.61;
        // w = 0.5 − 0.1·1 = 0.4, 0.4 − 0.29 = 0.11, 0.11 − 0.161 = −0.051.
        let momentum = Sgd {
            lr,
            momentum: 0.9,
            ..Sgd::default()
        };
        assert_close(three_steps(momentum), [0.4, 0.11, -0.051]);
        // τ = 0.5: the first step copies g (no dampening), then b ← 0.9b + 0.5g:
        // b = 1, 0.9 + 1 = 1.9, 1.71 − 0.5 = 1.21; w = 0.4, 0.21, 0.089.
        let dampened = Sgd {
            dampening: 0.5,
            ..momentum
        };
        assert_close(three_steps(dampened), [0.4, 0.21, 0.089]);
        // Nesterov: step direction g + μb with b as in the first case:
        // d = 1 + 0.9 = 1.9, 2 + 2.61 = 4.61, −1 + 1.449 = 0.449;
        // w = 0.5 − 0.19 = 0.31, 0.31 − 0.461 = −0.151, −0.151 − 0.0449 = −0.1959.
        let nesterov = Sgd {
            nesterov: true,
            ..momentum
        };
        assert_close(three_steps(nesterov), [0.31, -0.151, -0.1959]);
        // Weight decay λ = 0.1 without momentum: g ← g + 0.1w.
        // w = 0.5 − 0.1(1 + 0.05) = 0.395; 0.395 − 0.1(2 + 0.0395) = 0.19105;
        // 0.19105 − 0.1(−1 + 0.019105) = 0.2891395.
        let decayed = Sgd {
            lr,
            weight_decay: 0.1,
            ..Sgd::default()
        };
        assert_close(three_steps(decayed), [0.395, 0.19105, 0.2891395]);
    }

    #[test]
    fn reset_restarts_the_momentum_buffer() {
        let settings = Sgd {
            lr: 0.1,
            momentum: 0.9,
            dampening: 0.5,
            ..Sgd::default()
        };
        let mut sgd = optimizer::<f64>(settings, 1);
        let mut w = [0.5];
        sgd.step(&mut w, &[1.0], 0.1);
        sgd.step(&mut w, &[2.0], 0.1);
        sgd.reset();
        assert_eq!(sgd.steps(), 0);
        let mut fresh = [0.5];
        sgd.step(&mut fresh, &[1.0], 0.1);
        assert_eq!(fresh, [0.4]);
    }

    /// The paper's Adam, written independently of the implementation (Kingma & Ba, Alg. 1):
    /// m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), w ← w − η·m̂/(√v̂ + ε); AdamW first multiplies w by
    /// 1 − ηλ; Adam's weight decay adds λw to g.
    fn reference_adam(
        w0: f64,
        grads: &[f64],
        lr: f64,
        (b1, b2): (f64, f64),
        eps: f64,
        coupled: f64,
        decoupled: f64,
    ) -> Vec<f64> {
        let (mut w, mut m, mut v) = (w0, 0.0, 0.0);
        let mut out = Vec::new();
        for (k, &g) in grads.iter().enumerate() {
            let t = (k + 1) as i32;
            w *= 1.0 - lr * decoupled;
            let g = g + coupled * w;
            m = b1 * m + (1.0 - b1) * g;
            v = b2 * v + (1.0 - b2) * g * g;
            let m_hat = m / (1.0 - b1.powi(t));
            let v_hat = v / (1.0 - b2.powi(t));
            w -= lr * m_hat / (v_hat.sqrt() + eps);
            out.push(w);
        }
        out
    }

    fn run(settings: impl Into<Settings>, w0: f64, grads: &[f64], lr: f64) -> Vec<f64> {
        let mut optimizer = optimizer::<f64>(settings, 1);
        let mut w = [w0];
        grads
            .iter()
            .map(|&g| {
                optimizer.step(&mut w, &[g], lr);
                w[0]
            })
            .collect()
    }

    fn assert_relative(actual: &[f64], expected: &[f64], tolerance: f64) {
        for (a, e) in actual.iter().zip(expected) {
            assert!(
                (a - e).abs() <= tolerance * e.abs(),
                "{actual:?} vs {expected:?}"
            );
        }
    }

    #[test]
    fn adam_matches_the_published_update_for_two_steps() {
        let grads = [0.5, -0.25];
        let adam = Adam::default();
        let ours = run(adam, 1.0, &grads, adam.lr);
        let reference = reference_adam(1.0, &grads, 1e-3, (0.9, 0.999), 1e-8, 0.0, 0.0);
        assert_relative(&ours, &reference, 1e-15);
        // By hand: step 1 has m̂ = g, v̂ = g², so w₁ = 1 − 1e-3·0.5/(0.5 + 1e-8) ≈ 0.999.
        // Step 2: m = 0.045 − 0.025 = 0.02, v = 0.999·2.5e-4 + 1e-3·0.0625 = 3.1225e-4,
        // m̂ = 0.02/0.19, v̂ = 3.1225e-4/0.001999, so the step is 1e-3·0.105263/0.395225
        // = 2.66337e-4.
        let w1 = 1.0 - 1e-3 * 0.5 / (0.5 + 1e-8);
        let w2 = w1 - 1e-3 * (0.02 / 0.19) / ((3.1225e-4f64 / 0.001999).sqrt() + 1e-8);
        assert_relative(&ours, &[w1, w2], 1e-13);
        assert!((ours[1] - (0.999 - 0.000266337)).abs() < 1e-8, "{ours:?}");
    }

    #[test]
    fn adam_weight_decay_is_coupled_and_adamw_decoupled() {
        let grads = [0.5, -0.25, 0.125];
        let (lr, betas, eps, wd) = (0.01, (0.8, 0.99), 1e-6, 0.1);
        let adam = Adam {
            lr,
            betas,
            eps,
            weight_decay: wd,
        };
        let adamw = AdamW {
            lr,
            betas,
            eps,
            weight_decay: wd,
        };
        let coupled = run(adam, 2.0, &grads, lr);
        let decoupled = run(adamw, 2.0, &grads, lr);
        assert_relative(
            &coupled,
            &reference_adam(2.0, &grads, lr, betas, eps, wd, 0.0),
            1e-14,
        );
        assert_relative(
            &decoupled,
            &reference_adam(2.0, &grads, lr, betas, eps, 0.0, wd),
            1e-14,
        );
        assert!((coupled[2] - decoupled[2]).abs() > 1e-4);
        // AdamW's first step by hand: w = 2(1 − 0.001) = 1.998, then − 0.01·0.5/(0.5 + 1e-6).
        let w1 = 2.0 * (1.0 - 0.01 * 0.1) - 0.01 * 0.5 / (0.5 + 1e-6);
        assert!((decoupled[0] - w1).abs() < 1e-15);
    }

    #[test]
    fn adam_in_f32_tracks_f64() {
        let grads = [0.5, -0.25, 0.125, 1.0, -2.0];
        let mut w32 = [1.0f32];
        let mut adam32 = optimizer::<f32>(AdamW::default(), 1);
        for &g in &grads {
            adam32.step(&mut w32, &[g as f32], 1e-3);
        }
        let w64 = run(AdamW::default(), 1.0, &grads, 1e-3);
        assert!((f64::from(w32[0]) - w64[4]).abs() < 1e-6);
    }

    #[test]
    fn the_step_uses_the_learning_rate_it_is_given() {
        // A schedule at zero freezes every optimiser (AdamW's shrink factor is 1 − 0·λ = 1).
        let settings: [Settings; 4] = [
            Sgd::default().into(),
            Settings::from_name("nesterov").unwrap(),
            Adam::default().into(),
            AdamW::default().into(),
        ];
        for settings in settings {
            let mut optimizer = optimizer::<f64>(settings, 2);
            let mut w = [1.0, -2.0];
            optimizer.step(&mut w, &[0.3, 0.4], 0.0);
            assert_eq!(w, [1.0, -2.0], "{}", settings.name());
            assert_eq!(optimizer.steps(), 1);
        }
    }

    #[test]
    fn empty_parameter_lists_are_fine() {
        let mut adam = optimizer::<f32>(Adam::default(), 0);
        assert!(adam.is_empty());
        adam.step(&mut [], &[], 1e-3);
        assert_eq!(adam.len(), 0);
    }

    #[test]
    #[should_panic(expected = "gradient count")]
    fn mismatched_gradients_panic() {
        optimizer::<f64>(Sgd::default(), 2).step(&mut [0.0, 0.0], &[1.0], 0.1);
    }

    #[test]
    fn settings_are_validated_like_pytorch() {
        let bad: [(Settings, OptimError); 7] = [
            (
                Sgd {
                    lr: -1.0,
                    ..Sgd::default()
                }
                .into(),
                OptimError::LearningRate(-1.0),
            ),
            (
                Sgd {
                    momentum: -0.1,
                    ..Sgd::default()
                }
                .into(),
                OptimError::Momentum(-0.1),
            ),
            (
                Sgd {
                    nesterov: true,
                    ..Sgd::default()
                }
                .into(),
                OptimError::Nesterov {
                    momentum: 0.0,
                    dampening: 0.0,
                },
            ),
            (
                Sgd {
                    nesterov: true,
                    momentum: 0.9,
                    dampening: 0.1,
                    ..Sgd::default()
                }
                .into(),
                OptimError::Nesterov {
                    momentum: 0.9,
                    dampening: 0.1,
                },
            ),
            (
                Adam {
                    betas: (1.0, 0.999),
                    ..Adam::default()
                }
                .into(),
                OptimError::Beta {
                    index: 0,
                    value: 1.0,
                },
            ),
            (
                AdamW {
                    eps: -1e-8,
                    ..AdamW::default()
                }
                .into(),
                OptimError::Epsilon(-1e-8),
            ),
            (
                AdamW {
                    weight_decay: -0.5,
                    ..AdamW::default()
                }
                .into(),
                OptimError::WeightDecay(-0.5),
            ),
        ];
        for (settings, error) in bad {
            assert_eq!(settings.validate(), Err(error));
            assert!(Optimizer::<f32>::new(settings, 3).is_err());
            assert!(!error.to_string().is_empty());
        }
        let nan_lr = Settings::from(Adam {
            lr: f64::NAN,
            ..Adam::default()
        });
        assert!(matches!(
            nan_lr.validate(),
            Err(OptimError::LearningRate(_))
        ));
        for name in Settings::NAMES {
            assert_eq!(Settings::from_name(name).unwrap().validate(), Ok(()));
        }
        assert_eq!(Settings::from_name("rmsprop"), None);
    }

    #[test]
    fn defaults_are_pytorchs() {
        assert_eq!(
            Adam::default(),
            Adam {
                lr: 1e-3,
                betas: (0.9, 0.999),
                eps: 1e-8,
                weight_decay: 0.0
            }
        );
        assert_eq!(AdamW::default().weight_decay, 1e-2);
        assert_eq!(Sgd::default().lr, 1e-3);
        assert_eq!(Settings::from(AdamW::default()).lr(), 1e-3);
    }

    #[test]
    fn blue_constants_are_the_powers_of_two_they_claim() {
        assert_eq!(ScaledSumOfSquares::SMALL_THRESHOLD, 2f64.powi(-511));
        assert_eq!(ScaledSumOfSquares::BIG_THRESHOLD, 2f64.powi(486));
        assert_eq!(ScaledSumOfSquares::SMALL_SCALE, 2f64.powi(537));
        assert_eq!(ScaledSumOfSquares::BIG_SCALE, 2f64.powi(-538));
    }

    /// |actual − expected| within 4 ulps of expected.
    fn assert_near(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() <= 4.0 * f64::EPSILON * expected.abs(),
            "{actual:e} vs {expected:e}"
        );
    }

    #[test]
    fn l2_norm_survives_huge_and_tiny_values() {
        // A naive Σx² overflows (f64: 9e400; f32: 9e60 > 3.4e38) or underflows (9e-400).
        // Within an ulp or two: 3e200 and 4e200 are themselves rounded, and so are x², Σ, √.
        assert_near(l2_norm(&[3e200f64, 4e200]), 5e200);
        assert_near(l2_norm(&[-3e200f64, 4e200, 0.0]), 5e200);
        assert!((l2_norm(&[3e30f32, 4e30]) / 5e30 - 1.0).abs() < 1e-7);
        assert_near(l2_norm(&[3e-200f64, 4e-200]), 5e-200);
        // Subnormals: 3·2⁻¹⁰⁷⁴ and 4·2⁻¹⁰⁷⁴.
        let tiny = f64::from_bits(1);
        assert_eq!(l2_norm(&[3.0 * tiny, 4.0 * tiny]), 5.0 * tiny);
        // Mixed scales: the big value dominates, the tiny ones vanish, the medium ones count.
        assert_near(l2_norm(&[1e-300f64, 3e300, 4e300, 1.0]), 5e300);
        // Small and medium together: √((1e-160)² + 1) rounds to 1.
        assert_eq!(l2_norm(&[1e-160f64, 1.0]), 1.0);
        assert_near(l2_norm(&[3e-160f64, 4e-160]), 5e-160);
        // Overflow only where the norm itself exceeds f64::MAX.
        assert_eq!(l2_norm(&[f64::MAX, f64::MAX]), f64::INFINITY);
        assert_near(
            l2_norm(&[f64::MAX / 2.0, f64::MAX / 2.0]),
            f64::MAX / 2f64.sqrt(),
        );
        // Edge cases.
        assert_eq!(l2_norm::<f32>(&[]), 0.0);
        assert_eq!(l2_norm(&[-0.0f64]), 0.0);
        assert_eq!(l2_norm(&[-7.0f32]), 7.0);
        assert_eq!(l2_norm(&[1.0f64, f64::NEG_INFINITY]), f64::INFINITY);
        assert!(l2_norm(&[1.0f64, f64::NAN]).is_nan());
        assert!(l2_norm(&[1e300f64, f64::NAN]).is_nan());
        assert!(l2_norm(&[1e-300f64, f64::NAN]).is_nan());
        assert!(l2_norm(&[f64::INFINITY, f64::NAN]).is_nan());
    }

    #[test]
    fn l2_norm_matches_the_naive_sum_at_ordinary_scales() {
        let mut rng = crate::rng::Rng::seed(5);
        for len in [1, 2, 7, 8, 9, 1023] {
            let xs: Vec<f64> = (0..len).map(|_| rng.normal(0.0, 3.0)).collect();
            let naive = xs.iter().map(|x| x * x).sum::<f64>().sqrt();
            assert!((l2_norm(&xs) - naive).abs() <= 1e-15 * naive, "{len}");
            let xs32: Vec<f32> = xs.iter().map(|&x| x as f32).collect();
            let naive32 = xs32
                .iter()
                .map(|&x| f64::from(x).powi(2))
                .sum::<f64>()
                .sqrt();
            assert!((l2_norm(&xs32) - naive32).abs() <= 1e-15 * naive32, "{len}");
        }
    }

    #[test]
    fn clip_grad_norm_follows_pytorch() {
        let mut grads = [3.0f64, 4.0];
        assert_eq!(clip_grad_norm(&mut grads, 1.0), 5.0);
        // coefficient 1/(5 + 1e-6)
        let coefficient = 1.0 / (5.0 + 1e-6);
        assert_eq!(grads, [3.0 * coefficient, 4.0 * coefficient]);
        // Below the threshold nothing changes, bit for bit.
        let mut grads = [0.3f32, -0.4];
        assert!((clip_grad_norm(&mut grads, 1.0) - 0.5).abs() < 1e-7);
        assert_eq!(grads, [0.3, -0.4]);
        // max_norm 0 zeroes the gradients.
        let mut grads = [1.0f64, 2.0];
        clip_grad_norm(&mut grads, 0.0);
        assert_eq!(grads, [0.0, 0.0]);
        // Empty.
        assert_eq!(clip_grad_norm::<f32>(&mut [], 1.0), 0.0);
    }

    #[test]
    fn clip_grad_norm_at_extreme_scales() {
        // f64 near 1e200: the norm is finite and right, the clipped gradients have norm 1.
        let mut grads = [3e200f64, -4e200, 0.0];
        assert_near(clip_grad_norm(&mut grads, 1.0), 5e200);
        assert!((grads[0] - 0.6).abs() < 1e-15 && (grads[1] + 0.8).abs() < 1e-15);
        // f32 near 1e30: Σx² = 2.5e61 would overflow f32.
        let mut grads = [3e30f32, 4e30];
        let norm = clip_grad_norm(&mut grads, 2.0);
        assert!((norm / 5e30 - 1.0).abs() < 1e-7, "{norm}");
        assert!((grads[0] - 1.2).abs() < 1e-6 && (grads[1] - 1.6).abs() < 1e-6);
        // A norm past f64::MAX: reported as ∞, and the gradients still scaled, not zeroed.
        let mut grads = [1e308f64; 4];
        assert_eq!(clip_grad_norm(&mut grads, 1.0), f64::INFINITY);
        for g in grads {
            assert!((g - 0.5).abs() < 1e-15, "{g}");
        }
    }

    #[test]
    fn clip_grad_norm_leaves_non_finite_gradients_alone() {
        let mut grads = [1.0f32, f32::NAN, 3.0];
        assert!(clip_grad_norm(&mut grads, 1.0).is_nan());
        assert_eq!(grads[0], 1.0);
        assert_eq!(grads[2], 3.0);
        let mut grads = [1.0f64, f64::INFINITY];
        assert_eq!(clip_grad_norm(&mut grads, 1.0), f64::INFINITY);
        assert_eq!(grads, [1.0, f64::INFINITY]);
    }

    #[test]
    #[should_panic(expected = "max_norm")]
    fn negative_max_norm_panics() {
        clip_grad_norm(&mut [1.0f32], -1.0);
    }

    #[test]
    fn clip_grad_value_clamps() {
        let mut grads = [
            -3.0f32,
            -1.0,
            0.0,
            0.5,
            1.0,
            7.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ];
        clip_grad_value(&mut grads, 1.0);
        assert_eq!(grads, [-1.0, -1.0, 0.0, 0.5, 1.0, 1.0, 1.0, -1.0]);
        let mut grads = [f64::NAN, 2.0];
        clip_grad_value(&mut grads, 0.5);
        assert!(grads[0].is_nan());
        assert_eq!(grads[1], 0.5);
    }

    #[test]
    fn l1_l2_penalty_gradients() {
        // d/dw [λ₁|w| + (λ₂/2)w²] = λ₁·sign(w) + λ₂·w
        let params = [2.0f32, -0.0, 0.0, -1.0];
        let mut grads = [1.0f32; 4];
        add_l1_l2(&params, &mut grads, 0.25, 0.5);
        assert_eq!(grads, [1.0 + 0.25 + 1.0, 1.0, 1.0, 1.0 - 0.25 - 0.5]);
        // λ = 0 terms are skipped: no 0·∞ = NaN.
        let params = [f64::INFINITY];
        let mut grads = [1.0f64];
        add_l1_l2(&params, &mut grads, 0.1, 0.0);
        assert_eq!(grads, [1.1]);
        // sign(NaN) = NaN.
        let mut grads = [0.0f64];
        add_l1_l2(&[f64::NAN], &mut grads, 1.0, 0.0);
        assert!(grads[0].is_nan());
    }
}
