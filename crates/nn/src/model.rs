//! [`Mlp`]: a multilayer perceptron with flat parameter and gradient buffers, its forward pass
//! and its backward pass.
//!
//! Memory layout (llm.c's `ParameterTensors`): every parameter of every layer lives in one
//! `Vec<T>`, layer after layer (a dense layer's W `(outputs, inputs)` row-major, then its b
//! `(outputs,)`; a PReLU's slopes), and every gradient in a second `Vec<T>` of the same layout,
//! so the optimiser, the norms and the penalties are plain slice loops. The activations of every
//! layer are kept from the forward pass (backward needs them) in one workspace sized for the
//! largest batch seen; after the first step of a given batch size, a step allocates nothing.

use act::Activation;

use crate::Scalar;
use crate::builder::MlpBuilder;
use crate::layer::Layer;
use crate::loss::{Loss, LossError, LossTarget};
use crate::matmul::{View, matmul};
use crate::num::{cast, wide};
use crate::optim::l2_norm;
use crate::rng::Rng;

/// Training or evaluation: whether RReLU draws random slopes and dropout drops (training) or
/// both act deterministically (evaluation), as PyTorch's `model.train()` / `model.eval()`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Stochastic layers draw from their seeded streams.
    #[default]
    Train,
    /// RReLU uses its midpoint slope, dropout is the identity.
    Eval,
}

/// A multilayer perceptron: a stack of [`Layer`]s trained in precision `T` (`f32` or `f64`).
///
/// Build one with [`Mlp::builder`]; run it with [`forward`](Mlp::forward), then
/// [`loss_backward`](Mlp::loss_backward) (or [`backward`](Mlp::backward) with your own output
/// gradient), which accumulates ∂L/∂θ into [`grads`](Mlp::grads); train it with
/// [`train`](crate::train::train).
///
/// Backward skips ∂L/∂x wherever no layer below has parameters (so the first dense layer never
/// computes the gradient of the data), and the dense layer's bias is fused into its matrix
/// product (the output starts as b and the product accumulates onto it).
///
/// Memory layout (llm.c's `ParameterTensors`): every parameter of every layer lives in one
/// flat buffer, layer after layer (a dense layer's W `(outputs, inputs)` row-major, then its b
/// `(outputs,)`; a PReLU's slopes), and every gradient in a second buffer of the same layout
/// ([`param_range`](Mlp::param_range) says where a layer's are), so optimisers, norms and
/// penalties are plain slice loops. Every layer's input and output is kept from the forward pass
/// in one workspace sized for the largest batch seen; after the first step of a given batch
/// size, a training step allocates nothing.
#[derive(Clone)]
pub struct Mlp<T: Scalar> {
    inputs: usize,
    layers: Vec<Layer>,
    /// Start of layer l's parameters in `params` (and gradients in `grads`); L + 1 entries.
    param_offsets: Vec<usize>,
    params: Vec<T>,
    grads: Vec<T>,
    /// Σ of the widths before buffer l, for l = 0 (the input) ..= L (the output); L + 2 entries.
    /// Buffer l starts at `batch_cap · act_prefix[l]` in `acts`.
    act_prefix: Vec<usize>,
    /// Σ of the stochastic layers' widths before layer l (L + 1 entries): their random slopes
    /// or masks start at `batch_cap · noise_prefix[l]` in `noise`.
    noise_prefix: Vec<usize>,
    /// Σ of the activation layers' widths (in 64-bit words) before layer l, for dead-unit bits.
    active_prefix: Vec<usize>,
    /// Whether layer l must compute ∂L/∂x: some layer below it has parameters.
    needs_input_grad: Vec<bool>,
    max_width: usize,
    threads: usize,
    seed: u64,
    /// One stream per layer for the stochastic layers (forked from the seed).
    noise_rngs: Vec<Rng>,
    batch_cap: usize,
    /// Rows in the last forward pass, and its mode.
    batch: usize,
    mode: Mode,
    /// Every layer's input and output: buffer l is `(batch_cap, width_l)`.
    acts: Vec<T>,
    /// RReLU slopes / dropout scales of the last training forward pass.
    noise: Vec<T>,
    /// ∂L/∂(current layer's output) and ∂L/∂(its input), `(batch_cap, max_width)` each,
    /// swapped after each layer of the backward pass.
    grad: Vec<T>,
    grad_next: Vec<T>,
    /// Whether backward records the diagnostics below (off unless a diagnostic asks).
    tracking: bool,
    /// Bit j of an activation layer's words: unit j had f′ ≠ 0 for some row since the reset.
    active: Vec<u64>,
    /// ‖∂L/∂z‖ at each dense layer's output z (its pre-activation), from the last backward
    /// with tracking on; NaN elsewhere.
    preact_grad_norms: Vec<f64>,
}

impl<T: Scalar> core::fmt::Debug for Mlp<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Mlp")
            .field("type", &<T as act::Real>::NAME)
            .field("inputs", &self.inputs)
            .field("layers", &self.layers)
            .field("n_params", &self.params.len())
            .field("seed", &self.seed)
            .finish_non_exhaustive()
    }
}

impl<T: Scalar> Mlp<T> {
    /// Starts a network whose input rows have `inputs` features.
    ///
    /// A network that learns XOR in a few lines:
    ///
    /// ```
    /// use act::Activation;
    /// use nn::loss::{Loss, LossTarget};
    /// use nn::optim::{Optimizer, Sgd};
    /// use nn::{Mlp, Mode};
    ///
    /// let mut model = Mlp::<f64>::builder(2)
    ///     .dense(8).act(Activation::Tanh)
    ///     .dense(1)
    ///     .build(7)?;
    /// let x = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0]; // (4, 2)
    /// let xor = [0, 1, 1, 0];
    /// let mut sgd = Optimizer::new(Sgd { lr: 0.5, momentum: 0.9, ..Sgd::default() }, model.n_params())?;
    /// for _ in 0..300 {
    ///     model.zero_grad();
    ///     model.forward(&x, Mode::Train);
    ///     model.loss_backward(Loss::BceWithLogits, LossTarget::Classes(&xor))?;
    ///     let (params, grads) = model.params_and_grads_mut();
    ///     sgd.step(params, grads, 0.5);
    /// }
    /// let logits = model.forward(&x, Mode::Eval);
    /// let predicted: Vec<usize> = logits.iter().map(|&z| usize::from(z > 0.0)).collect();
    /// assert_eq!(predicted, xor);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(inputs: usize) -> MlpBuilder<T> {
        MlpBuilder::new(inputs)
    }

    /// The network `layers` on `inputs` features (validated by the builder), initialised from
    /// `seed`.
    pub(crate) fn from_layers(
        inputs: usize,
        layers: Vec<Layer>,
        seed: u64,
        threads: usize,
    ) -> Mlp<T> {
        let n = layers.len();
        let mut param_offsets = Vec::with_capacity(n + 1);
        let mut act_prefix = Vec::with_capacity(n + 2);
        let mut noise_prefix = Vec::with_capacity(n + 1);
        let mut active_prefix = Vec::with_capacity(n + 1);
        let mut needs_input_grad = Vec::with_capacity(n);
        let (mut p, mut a, mut z, mut w) = (0, inputs, 0, 0);
        let mut params_below = false;
        act_prefix.push(0);
        for layer in &layers {
            param_offsets.push(p);
            act_prefix.push(a);
            noise_prefix.push(z);
            active_prefix.push(w);
            needs_input_grad.push(params_below);
            p += layer.n_params();
            a += layer.outputs();
            if layer.is_stochastic() {
                z += layer.outputs();
            }
            if matches!(layer, Layer::Activation { .. }) {
                w += layer.outputs().div_ceil(64);
            }
            params_below |= layer.n_params() > 0;
        }
        param_offsets.push(p);
        act_prefix.push(a);
        noise_prefix.push(z);
        active_prefix.push(w);
        let max_width = layers
            .iter()
            .map(Layer::outputs)
            .chain([inputs])
            .max()
            .unwrap_or(inputs);

        // Layer l's weights come from stream l of the initialisation generator, its random
        // slopes or masks from stream l of the noise generator.
        let root = Rng::seed(seed);
        let (init_root, noise_root) = (root.fork(0), root.fork(1));
        let mut params = vec![T::zero(); p];
        for (l, layer) in layers.iter().enumerate() {
            let slot = &mut params[param_offsets[l]..param_offsets[l + 1]];
            match *layer {
                Layer::Dense {
                    inputs,
                    outputs,
                    init,
                } => {
                    let (weights, _bias) = slot.split_at_mut(outputs * inputs); // (out, in), (out)
                    init.fill(weights, inputs, outputs, &mut init_root.fork(l as u64));
                }
                Layer::Prelu { init, .. } => slot.fill(cast(init)),
                _ => {}
            }
        }
        Mlp {
            inputs,
            param_offsets,
            grads: vec![T::zero(); p],
            params,
            act_prefix,
            noise_prefix,
            active: vec![0; w],
            active_prefix,
            needs_input_grad,
            max_width,
            threads,
            seed,
            noise_rngs: (0..n as u64).map(|l| noise_root.fork(l)).collect(),
            batch_cap: 0,
            batch: 0,
            mode: Mode::Eval,
            acts: Vec::new(),
            noise: Vec::new(),
            grad: Vec::new(),
            grad_next: Vec::new(),
            tracking: false,
            preact_grad_norms: vec![f64::NAN; n],
            layers,
        }
    }

    /// The layers, input to output.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Width of an input row.
    pub fn inputs(&self) -> usize {
        self.inputs
    }

    /// Width of an output row.
    pub fn outputs(&self) -> usize {
        self.layers.last().map_or(self.inputs, Layer::outputs)
    }

    /// The seed the network was built with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Number of learned parameters, the length of [`params`](Mlp::params).
    pub fn n_params(&self) -> usize {
        self.params.len()
    }

    /// Every parameter, layer after layer (the layout is in [`Mlp`]'s docs).
    pub fn params(&self) -> &[T] {
        &self.params
    }

    /// Every parameter, mutable (for an optimiser, or to set weights by hand).
    pub fn params_mut(&mut self) -> &mut [T] {
        &mut self.params
    }

    /// Every accumulated gradient ∂L/∂θ, in the layout of [`params`](Mlp::params).
    pub fn grads(&self) -> &[T] {
        &self.grads
    }

    /// Every accumulated gradient, mutable (for clipping or penalties).
    pub fn grads_mut(&mut self) -> &mut [T] {
        &mut self.grads
    }

    /// The parameters (mutable) and gradients together, for an optimiser step:
    /// `optimizer.step(params, grads, lr)`.
    pub fn params_and_grads_mut(&mut self) -> (&mut [T], &mut [T]) {
        (&mut self.params, &mut self.grads)
    }

    /// Sets every gradient to 0 (backward accumulates, so call this before each step).
    pub fn zero_grad(&mut self) {
        self.grads.fill(T::zero());
    }

    /// Where layer `l`'s parameters (and gradients) lie in the flat buffers.
    ///
    /// # Panics
    ///
    /// If `l` is not a layer index.
    pub fn param_range(&self, l: usize) -> core::ops::Range<usize> {
        self.param_offsets[l]..self.param_offsets[l + 1]
    }

    fn dense_shape(&self, l: usize) -> Option<(usize, usize)> {
        match self.layers.get(l)? {
            Layer::Dense {
                inputs, outputs, ..
            } => Some((*inputs, *outputs)),
            _ => None,
        }
    }

    /// Where layer `l`'s weights W lie in the flat buffers, if it is dense (its bias follows).
    pub fn weight_range(&self, l: usize) -> Option<core::ops::Range<usize>> {
        let (i, o) = self.dense_shape(l)?;
        let start = self.param_offsets[l];
        Some(start..start + o * i)
    }

    /// The weight ranges of every dense layer, in order (what L1/L2 penalties apply to: biases
    /// and PReLU slopes are not penalised).
    pub fn weight_ranges(&self) -> Vec<core::ops::Range<usize>> {
        (0..self.layers.len())
            .filter_map(|l| self.weight_range(l))
            .collect()
    }

    /// Layer `l`'s weights W `(outputs, inputs)`, if it is dense.
    pub fn weights(&self, l: usize) -> Option<&[T]> {
        Some(&self.params[self.weight_range(l)?])
    }

    /// Layer `l`'s weights, mutable.
    pub fn weights_mut(&mut self, l: usize) -> Option<&mut [T]> {
        let range = self.weight_range(l)?;
        Some(&mut self.params[range])
    }

    /// Layer `l`'s bias b `(outputs,)`, if it is dense.
    pub fn bias(&self, l: usize) -> Option<&[T]> {
        let (i, o) = self.dense_shape(l)?;
        let start = self.param_offsets[l] + o * i;
        Some(&self.params[start..start + o])
    }

    /// Layer `l`'s bias, mutable.
    pub fn bias_mut(&mut self, l: usize) -> Option<&mut [T]> {
        let (i, o) = self.dense_shape(l)?;
        let start = self.param_offsets[l] + o * i;
        Some(&mut self.params[start..start + o])
    }

    /// Layer `l`'s learned slopes α (one, or one per unit), if it is a PReLU.
    pub fn prelu_slopes(&self, l: usize) -> Option<&[T]> {
        match self.layers.get(l)? {
            Layer::Prelu { .. } => Some(&self.params[self.param_range(l)]),
            _ => None,
        }
    }

    /// The gradients of layer `l`'s parameters (empty for a layer without any).
    pub fn layer_grads(&self, l: usize) -> &[T] {
        &self.grads[self.param_range(l)]
    }

    /// How many threads the matrix products use.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Sets how many threads the matrix products may use (at least 1). The results are the
    /// same bits whatever the count (a large product is split into pieces of rows of its output,
    /// never a sum; small ones stay on the calling thread).
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// Rows in the last forward pass.
    pub fn batch(&self) -> usize {
        self.batch
    }

    /// The mode of the last forward pass.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Grows the workspace to hold batches of `rows` rows (it never shrinks). A training loop
    /// calls this once; [`forward`](Mlp::forward) calls it for a larger batch.
    pub fn reserve_batch(&mut self, rows: usize) {
        if rows <= self.batch_cap {
            return;
        }
        self.batch_cap = rows;
        let n = self.layers.len();
        self.acts.resize(rows * self.act_prefix[n + 1], T::zero());
        self.noise.resize(rows * self.noise_prefix[n], T::zero());
        self.grad.resize(rows * self.max_width, T::zero());
        self.grad_next.resize(rows * self.max_width, T::zero());
    }

    /// Buffer `b` of the last forward pass: b = 0 is the input, b = l + 1 the output of layer
    /// l; `(batch, width)`.
    fn buffer(&self, b: usize) -> &[T] {
        let width = self.act_prefix[b + 1] - self.act_prefix[b];
        let start = self.batch_cap * self.act_prefix[b];
        &self.acts[start..start + self.batch * width]
    }

    /// The input of layer `l` in the last forward pass, `(batch, inputs)`.
    pub fn layer_input(&self, l: usize) -> &[T] {
        self.buffer(l)
    }

    /// The output of layer `l` in the last forward pass, `(batch, outputs)`.
    pub fn layer_output(&self, l: usize) -> &[T] {
        self.buffer(l + 1)
    }

    /// The network's output in the last forward pass, `(batch, outputs)`.
    pub fn output(&self) -> &[T] {
        self.buffer(self.layers.len())
    }

    /// Runs the network on `x`, row-major `(batch, inputs)`, and returns its output
    /// `(batch, outputs)` (raw: logits for the cross-entropy losses). Every layer's input and
    /// output is kept for [`backward`](Mlp::backward).
    ///
    /// # Panics
    ///
    /// If `x.len()` is not a multiple of [`inputs`](Mlp::inputs).
    pub fn forward(&mut self, x: &[T], mode: Mode) -> &[T] {
        assert!(
            x.len().is_multiple_of(self.inputs),
            "forward: {} values are not whole rows of {} inputs",
            x.len(),
            self.inputs
        );
        let batch = x.len() / self.inputs;
        self.forward_with(batch, mode, |input| input.copy_from_slice(x));
        self.output()
    }

    /// The forward pass on `batch` rows written into the input buffer `(batch, inputs)` by
    /// `fill` (so a training loop gathers its rows there directly, without a copy).
    pub(crate) fn forward_with(&mut self, batch: usize, mode: Mode, fill: impl FnOnce(&mut [T])) {
        self.reserve_batch(batch);
        self.batch = batch;
        self.mode = mode;
        fill(&mut self.acts[..batch * self.inputs]);
        for l in 0..self.layers.len() {
            self.forward_layer(l);
        }
    }

    fn forward_layer(&mut self, l: usize) {
        let (batch, cap, threads) = (self.batch, self.batch_cap, self.threads);
        let layer = self.layers[l];
        let (inputs, outputs) = (layer.inputs(), layer.outputs());
        let (below, above) = self.acts.split_at_mut(cap * self.act_prefix[l + 1]);
        let x = &below[cap * self.act_prefix[l]..][..batch * inputs]; // (batch, in)
        let y = &mut above[..batch * outputs]; // (batch, out)
        let theta = &self.params[self.param_offsets[l]..self.param_offsets[l + 1]];
        let noise = &mut self.noise[cap * self.noise_prefix[l]..][..if layer.is_stochastic() {
            batch * outputs
        } else {
            0
        }]; // (batch, out)
        let train = self.mode == Mode::Train;
        match layer {
            Layer::Dense { .. } => {
                let (w, b) = theta.split_at(outputs * inputs); // (out, in), (out)
                // Bias fused into the product: y ← b per row, then y += x·Wᵀ.
                for row in y.chunks_exact_mut(outputs) {
                    row.copy_from_slice(b);
                }
                matmul(
                    y,
                    View::row_major(x, batch, inputs),
                    View::row_major(w, outputs, inputs).t(),
                    true,
                    threads,
                );
            }
            Layer::Activation { activation, .. } => {
                // The slice kernel: SIMD, as exact as the scalar catalogue.
                act::kernels::forward(activation, x, y);
            }
            Layer::Prelu { per_unit, .. } => {
                for (y_row, x_row) in y.chunks_exact_mut(outputs).zip(x.chunks_exact(inputs)) {
                    for (j, (yi, &xi)) in y_row.iter_mut().zip(x_row).enumerate() {
                        let alpha = theta[if per_unit { j } else { 0 }];
                        *yi = Activation::Prelu {
                            weight: wide(alpha),
                        }
                        .forward(xi);
                    }
                }
            }
            Layer::Rrelu { lower, upper, .. } => {
                if train {
                    // One draw per element whatever its sign, so the stream's position depends
                    // on the shape alone.
                    let rng = &mut self.noise_rngs[l];
                    for ((yi, &xi), slope) in y.iter_mut().zip(x).zip(noise.iter_mut()) {
                        let a = rng.uniform(lower, upper);
                        *slope = cast(a);
                        *yi = act::rrelu_training(xi, a);
                    }
                } else {
                    let f = Activation::Rrelu { lower, upper };
                    for (yi, &xi) in y.iter_mut().zip(x) {
                        *yi = f.forward(xi);
                    }
                }
            }
            Layer::Gated { gate, .. } => {
                act::gated::gated_forward(gate, x, y, outputs)
                    .expect("a gated layer's buffers have its shape");
            }
            Layer::Dropout { p, .. } => {
                if train && p > 0.0 {
                    let rng = &mut self.noise_rngs[l];
                    let keep_scale: T = cast(1.0 / (1.0 - p));
                    for ((yi, &xi), mask) in y.iter_mut().zip(x).zip(noise.iter_mut()) {
                        *mask = if rng.bernoulli(p) {
                            T::zero()
                        } else {
                            keep_scale
                        };
                        *yi = xi * *mask;
                    }
                } else {
                    y.copy_from_slice(x);
                }
            }
        }
    }

    /// The loss of the last forward pass's output against `target` (see [`Loss`]), then the
    /// backward pass from its gradient: ∂loss/∂θ is accumulated (`+=`) into
    /// [`grads`](Mlp::grads). Returns the loss.
    ///
    /// # Errors
    ///
    /// A [`LossError`] if `target` does not fit the output; nothing is accumulated then.
    pub fn loss_backward(&mut self, loss: Loss, target: LossTarget<'_, T>) -> Result<T, LossError> {
        let value = self.loss_into_grad(loss, target)?;
        self.backward_from_grad(true);
        Ok(value)
    }

    /// The loss of the last forward pass, with its gradient written into the backward buffer.
    pub(crate) fn loss_into_grad(
        &mut self,
        loss: Loss,
        target: LossTarget<'_, T>,
    ) -> Result<T, LossError> {
        let n = self.layers.len();
        let width = self.outputs();
        let start = self.batch_cap * self.act_prefix[n];
        let output = &self.acts[start..start + self.batch * width]; // (batch, out)
        let grad = &mut self.grad[..self.batch * width]; // (batch, out)
        loss.compute(output, width, target, grad)
    }

    /// The backward pass from ∂L/∂output = `grad_output` `(batch, outputs)` of the last forward
    /// pass: accumulates (`+=`) ∂L/∂θ into [`grads`](Mlp::grads).
    ///
    /// # Panics
    ///
    /// If `grad_output` is not `(batch, outputs)` for the last forward pass's batch.
    pub fn backward(&mut self, grad_output: &[T]) {
        let len = self.batch * self.outputs();
        assert_eq!(
            grad_output.len(),
            len,
            "backward: the last forward pass's output has {len} values"
        );
        self.grad[..len].copy_from_slice(grad_output);
        self.backward_from_grad(true);
    }

    /// The backward pass from the gradient already in `self.grad`: ∂L/∂θ is added to
    /// [`grads`](Mlp::grads) when `accumulate`, else written over them (a training step's
    /// `zero_grad` and backward in one pass: no zeroing sweep, and the weight-gradient products
    /// do not read their destination). Either way every parameter's gradient is written, since
    /// the pass only stops below the last layer with parameters.
    pub(crate) fn backward_from_grad(&mut self, accumulate: bool) {
        for l in (0..self.layers.len()).rev() {
            self.backward_layer(l, accumulate);
            if !self.needs_input_grad[l] {
                // Nothing below has parameters: ∂L/∂x is not needed, so stop here.
                break;
            }
            core::mem::swap(&mut self.grad, &mut self.grad_next);
        }
    }

    fn backward_layer(&mut self, l: usize, accumulate: bool) {
        let (batch, cap, threads) = (self.batch, self.batch_cap, self.threads);
        let layer = self.layers[l];
        let (inputs, outputs) = (layer.inputs(), layer.outputs());
        let x = &self.acts[cap * self.act_prefix[l]..][..batch * inputs]; // (batch, in)
        let y = &self.acts[cap * self.act_prefix[l + 1]..][..batch * outputs]; // (batch, out)
        let dy = &self.grad[..batch * outputs]; // (batch, out)
        let dx = &mut self.grad_next[..batch * inputs]; // (batch, in)
        let range = self.param_offsets[l]..self.param_offsets[l + 1];
        let theta = &self.params[range.clone()];
        let dtheta = &mut self.grads[range];
        let noise = &self.noise[cap * self.noise_prefix[l]..][..if layer.is_stochastic() {
            batch * outputs
        } else {
            0
        }]; // (batch, out)
        let need_dx = self.needs_input_grad[l];
        let train = self.mode == Mode::Train;
        match layer {
            Layer::Dense { .. } => {
                if self.tracking {
                    self.preact_grad_norms[l] = l2_norm(dy);
                }
                let (w, _) = theta.split_at(outputs * inputs); // (out, in)
                let (dw, db) = dtheta.split_at_mut(outputs * inputs); // (out, in), (out)
                // ∂L/∂W [+]= dyᵀ·x: (out, batch)·(batch, in), and ∂L/∂b [+]= Σ_rows dy.
                let mut weight_grads = |threads| {
                    matmul(
                        dw,
                        View::row_major(dy, batch, outputs).t(),
                        View::row_major(x, batch, inputs),
                        accumulate,
                        threads,
                    );
                    bias_grads(db, dy, outputs, accumulate);
                };
                // ∂L/∂x = dy·W: (batch, out)·(out, in).
                let mut input_grads = |threads| {
                    matmul(
                        dx,
                        View::row_major(dy, batch, outputs),
                        View::row_major(w, outputs, inputs),
                        false,
                        threads,
                    )
                };
                if !need_dx {
                    weight_grads(threads);
                } else if threads > 1 && crate::matmul::splits(batch * outputs * inputs) {
                    // Two independent products of the same size: each on half the threads, at
                    // once (one fork-join, and on two threads neither product is cut in
                    // pieces that each pack the whole of the other operand). Each is still
                    // the same product, so the bits do not change.
                    let half = threads / 2;
                    rayon::join(|| weight_grads(half), || input_grads(threads - half));
                } else {
                    weight_grads(threads);
                    input_grads(threads);
                }
            }
            Layer::Activation { activation, .. } => {
                let track = self.tracking && train;
                if !need_dx && !track {
                    return;
                }
                let words = &mut self.active[self.active_prefix[l]..self.active_prefix[l + 1]];
                // dx = dy·f′ by the slice kernel, f′ from the output where it determines f′ (no
                // second transcendental), else from the stored input; the product is formed
                // wide and rounded once.
                let from_output = activation.has_derivative_from_output();
                if !from_output
                    || act::kernels::backward_from_output(activation, y, dy, dx).is_err()
                {
                    act::kernels::backward(activation, x, dy, dx);
                }
                if track {
                    // Unit j is active on a row when f′ ≠ 0 there. dx ≠ 0 proves it; where
                    // dx = 0 (f′ = 0, or dy = 0, or an underflowing product) the scalar f′
                    // decides.
                    let slope_is_nonzero = |xi: T, yi: T| {
                        let slope = if from_output {
                            activation
                                .derivative_from_output(yi)
                                .unwrap_or_else(|| activation.derivative(xi))
                        } else {
                            activation.derivative(xi)
                        };
                        slope != T::zero()
                    };
                    // Row by row, so unit j is the column index (no division per element).
                    for (dx_row, (x_row, y_row)) in dx
                        .chunks_exact(inputs)
                        .zip(x.chunks_exact(inputs).zip(y.chunks_exact(outputs)))
                    {
                        for (j, (&dxi, (&xi, &yi))) in
                            dx_row.iter().zip(x_row.iter().zip(y_row)).enumerate()
                        {
                            if words[j / 64] & (1 << (j % 64)) == 0
                                && (dxi != T::zero() || slope_is_nonzero(xi, yi))
                            {
                                words[j / 64] |= 1 << (j % 64);
                            }
                        }
                    }
                }
            }
            Layer::Prelu { per_unit, .. } => {
                if !accumulate {
                    dtheta.fill(T::zero());
                }
                // ∂y/∂x = 1 or α; ∂y/∂α = x for x ≤ 0, else 0.
                for ((dx_row, dy_row), x_row) in dx
                    .chunks_exact_mut(inputs)
                    .zip(dy.chunks_exact(outputs))
                    .zip(x.chunks_exact(inputs))
                {
                    for (j, ((dxi, &dyi), &xi)) in
                        dx_row.iter_mut().zip(dy_row).zip(x_row).enumerate()
                    {
                        let k = if per_unit { j } else { 0 };
                        let f = Activation::Prelu {
                            weight: wide(theta[k]),
                        };
                        *dxi = dyi * f.derivative(xi);
                        dtheta[k] = dtheta[k] + dyi * act::prelu_weight_derivative(xi);
                    }
                }
            }
            Layer::Rrelu { lower, upper, .. } => {
                if !need_dx {
                    return;
                }
                if train {
                    // ∂y/∂x = 1 for x ≥ 0, else the slope drawn in the forward pass.
                    for (((dxi, &dyi), &xi), &slope) in dx.iter_mut().zip(dy).zip(x).zip(noise) {
                        *dxi = if xi >= T::zero() { dyi } else { dyi * slope };
                    }
                } else {
                    let f = Activation::Rrelu { lower, upper };
                    for ((dxi, &dyi), &xi) in dx.iter_mut().zip(dy).zip(x) {
                        *dxi = dyi * f.derivative(xi);
                    }
                }
            }
            Layer::Gated { gate, .. } => {
                if need_dx {
                    act::gated::gated_backward(gate, x, dy, dx, outputs)
                        .expect("a gated layer's buffers have its shape");
                }
            }
            Layer::Dropout { p, .. } => {
                if !need_dx {
                    return;
                }
                if train && p > 0.0 {
                    for ((dxi, &dyi), &mask) in dx.iter_mut().zip(dy).zip(noise) {
                        *dxi = dyi * mask;
                    }
                } else {
                    dx.copy_from_slice(dy);
                }
            }
        }
    }

    /// Turns the recording of backward-pass diagnostics on or off (dead-unit bits, the
    /// pre-activation gradient norms). Off, backward does no extra work.
    pub(crate) fn set_tracking(&mut self, on: bool) {
        self.tracking = on;
    }

    /// Forgets which units were active (the start of a dead-unit count).
    pub(crate) fn reset_active(&mut self) {
        self.active.fill(0);
    }

    /// The "ever active" bits of activation layer `l` since the last reset (bit j of word
    /// j / 64 for unit j), or `None` for another kind of layer.
    pub(crate) fn active_bits(&self, l: usize) -> Option<&[u64]> {
        match self.layers[l] {
            Layer::Activation { .. } => {
                Some(&self.active[self.active_prefix[l]..self.active_prefix[l + 1]])
            }
            _ => None,
        }
    }

    /// ‖∂L/∂z‖ at dense layer `l`'s output in the last tracked backward pass (NaN if none).
    pub(crate) fn preact_grad_norm(&self, l: usize) -> f64 {
        self.preact_grad_norms[l]
    }
}

/// ∂L/∂b [+]= Σ_rows dy over the rows of dy `(batch, outputs)`, rows in order (overwriting
/// starts from the first row rather than from 0).
fn bias_grads<T: Scalar>(db: &mut [T], dy: &[T], outputs: usize, accumulate: bool) {
    let mut rows = dy.chunks_exact(outputs);
    if !accumulate {
        match rows.next() {
            Some(first) => db.copy_from_slice(first),
            None => db.fill(T::zero()),
        }
    }
    for row in rows {
        for (g, &d) in db.iter_mut().zip(row) {
            *g = *g + d;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use act::gated::Gate;

    #[test]
    fn dense_forward_is_x_w_transpose_plus_b() {
        let mut model = Mlp::<f64>::builder(2).dense(3).build(0).unwrap();
        model
            .weights_mut(0)
            .unwrap()
            .copy_from_slice(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]); // (3, 2)
        model
            .bias_mut(0)
            .unwrap()
            .copy_from_slice(&[0.5, -0.5, 1.0]);
        // x = [1, −1]: W·x = [−1, −1, −1], + b.
        let y = model.forward(&[1.0, -1.0], Mode::Eval);
        assert_eq!(y, [-0.5, -1.5, 0.0]);
    }

    #[test]
    fn backward_accumulates_and_the_first_layer_skips_its_input_gradient() {
        let mut model = Mlp::<f64>::builder(2)
            .dense(3)
            .act(Activation::Tanh)
            .dense(1)
            .build(3)
            .unwrap();
        assert_eq!(model.needs_input_grad, [false, true, true]);
        model.forward(&[0.3, -0.2, 0.1, 0.4], Mode::Train);
        model.backward(&[1.0, -1.0]);
        let once = model.grads().to_vec();
        model.forward(&[0.3, -0.2, 0.1, 0.4], Mode::Train);
        model.backward(&[1.0, -1.0]);
        // Twice the gradient, up to rounding (the product accumulates onto what is there).
        for (g2, g1) in model.grads().iter().zip(&once) {
            assert!((g2 - 2.0 * g1).abs() <= 1e-15 * g1.abs(), "{g2} vs 2·{g1}");
        }
        model.zero_grad();
        assert!(model.grads().iter().all(|&g| g == 0.0));
    }

    #[test]
    fn dropout_and_rrelu_are_deterministic_in_evaluation() {
        let mut model = Mlp::<f32>::builder(4)
            .dense(64)
            .rrelu(0.125, 1.0 / 3.0)
            .dropout(0.5)
            .dense(2)
            .build(5)
            .unwrap();
        let x: Vec<f32> = (0..40).map(|i| (i as f32 * 0.37).sin()).collect();
        let a = model.forward(&x, Mode::Eval).to_vec();
        let b = model.forward(&x, Mode::Eval).to_vec();
        assert_eq!(a, b);
        let c = model.forward(&x, Mode::Train).to_vec();
        let d = model.forward(&x, Mode::Train).to_vec();
        assert_ne!(c, d, "training draws fresh masks each pass");
        // Dropout zeroes about half of the elements and scales the rest by 2.
        let masks = &model.noise[model.batch_cap * model.noise_prefix[2]..][..10 * 64];
        let dropped = masks.iter().filter(|&&m| m == 0.0).count();
        assert!((250..390).contains(&dropped), "{dropped} of 640 dropped");
        assert!(masks.iter().all(|&m| m == 0.0 || m == 2.0));
    }

    #[test]
    fn same_seed_same_network() {
        let build = |seed| {
            Mlp::<f32>::builder(3)
                .dense(5)
                .act(Activation::Relu)
                .dense(6)
                .gated(Gate::Glu)
                .dense(2)
                .build(seed)
                .unwrap()
        };
        assert_eq!(build(9).params(), build(9).params());
        assert_ne!(build(9).params(), build(10).params());
    }

    #[test]
    fn workspace_grows_once_and_serves_smaller_batches() {
        let mut model = Mlp::<f32>::builder(2)
            .dense(4)
            .act(Activation::Relu)
            .dense(1)
            .build(0)
            .unwrap();
        model.reserve_batch(16);
        let capacity = model.acts.capacity();
        model.forward(&[0.5; 2 * 16], Mode::Train);
        model.backward(&[1.0; 16]);
        model.forward(&[0.5; 2 * 3], Mode::Train);
        model.backward(&[1.0; 3]);
        assert_eq!(model.acts.capacity(), capacity);
        assert_eq!(model.output().len(), 3);
    }
}
