//! The guide's claims about single functions, each checked numerically with the catalogue.
//!
//! This is the `functions` part of the guide: every formula the guide states about an activation
//! (σ′ ≤ 1/4, tanh = 2σ(2x) − 1, relu′, softplus′ = σ, …) evaluated, not assumed. Each
//! [`Fact`] carries what the guide claims, what was measured, and whether the measurement agrees.

use act::Activation;

/// One claim of the guide and its measurement.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    /// A short stable identifier (`sigmoid_derivative_max`).
    pub id: &'static str,
    /// The claim as the guide states it.
    pub claim: &'static str,
    /// What was measured, in words with the numbers.
    pub measured: String,
    /// The measured number the verdict rests on.
    pub value: f64,
    /// Whether the measurement confirms the claim.
    pub holds: bool,
}

/// Evenly spaced points on [lo, hi] (inclusive), `n ≥ 2`.
fn grid(lo: f64, hi: f64, n: usize) -> impl Iterator<Item = f64> {
    (0..n).map(move |i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
}

/// The maximum of f′ over a grid, and where it occurs.
fn max_derivative(a: Activation, lo: f64, hi: f64, n: usize) -> (f64, f64) {
    grid(lo, hi, n)
        .map(|x| (a.derivative(x), x))
        .fold((f64::NEG_INFINITY, 0.0), |best, c| {
            if c.0 > best.0 { c } else { best }
        })
}

/// The largest |f(x) − g(x)| over a grid.
fn max_gap(f: impl Fn(f64) -> f64, g: impl Fn(f64) -> f64, lo: f64, hi: f64, n: usize) -> f64 {
    grid(lo, hi, n)
        .map(|x| (f(x) - g(x)).abs())
        .fold(0.0, f64::max)
}

/// A tiny deterministic generator (SplitMix64) for the collapse check's random matrices.
struct SplitMix(u64);

impl SplitMix {
    fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
}

/// y = W x + b for a row-major (rows × cols) W.
fn affine(w: &[f64], b: &[f64], x: &[f64]) -> Vec<f64> {
    let cols = x.len();
    b.iter()
        .enumerate()
        .map(|(r, bias)| {
            bias + w[r * cols..(r + 1) * cols]
                .iter()
                .zip(x)
                .map(|(a, v)| a * v)
                .sum::<f64>()
        })
        .collect()
}

/// W₂(W₁x + b₁) + b₂ against W′x + b′ with W′ = W₂W₁, b′ = W₂b₁ + b₂: the largest difference
/// over `trials` random inputs (4 → 5 → 3 layers, entries in (−1, 1)).
fn linear_collapse_gap(seed: u64, trials: usize) -> f64 {
    let mut rng = SplitMix(seed);
    let mut fill = |n: usize| (0..n).map(|_| rng.next_f64()).collect::<Vec<f64>>();
    let (n0, n1, n2) = (4, 5, 3);
    let (w1, b1, w2, b2) = (fill(n1 * n0), fill(n1), fill(n2 * n1), fill(n2));
    // W′ = W₂W₁ (n2 × n0), b′ = W₂b₁ + b₂
    let mut w = vec![0.0; n2 * n0];
    for i in 0..n2 {
        for j in 0..n0 {
            w[i * n0 + j] = (0..n1).map(|k| w2[i * n1 + k] * w1[k * n0 + j]).sum();
        }
    }
    let b = affine(&w2, &b2, &b1);
    (0..trials)
        .map(|_| {
            let x = fill(n0);
            let two_layers = affine(&w2, &b2, &affine(&w1, &b1, &x));
            let one_layer = affine(&w, &b, &x);
            two_layers
                .iter()
                .zip(&one_layer)
                .map(|(p, q)| (p - q).abs())
                .fold(0.0, f64::max)
        })
        .fold(0.0, f64::max)
}

/// Every function-level claim of the guide, measured. `resolution` is the number of grid points
/// per scan (the guide command uses 20 001; tests may use fewer).
pub fn check_all(resolution: usize, seed: u64) -> Vec<Fact> {
    let n = resolution.max(3) | 1; // odd, so x = 0 is on the grid
    let sigmoid = Activation::Sigmoid;
    let tanh = Activation::Tanh;
    let mut facts = Vec::new();

    let gap = linear_collapse_gap(seed, 1000);
    facts.push(Fact {
        id: "linear_collapse",
        claim: "without a nonlinearity two layers are one: W2(W1x + b1) + b2 = W'x + b'",
        measured: format!("largest |difference| over 1000 random inputs: {gap:.1e}"),
        value: gap,
        holds: gap < 1e-12,
    });

    let (max_d, at) = max_derivative(sigmoid, -10.0, 10.0, n);
    facts.push(Fact {
        id: "sigmoid_derivative_max",
        claim: "σ'(x) = σ(x)(1 − σ(x)) ≤ 0.25, the maximum at x = 0",
        measured: format!("max σ' on [−10, 10] = {max_d} at x = {at}"),
        value: max_d,
        holds: max_d == 0.25 && at == 0.0,
    });

    let depth = 10;
    let shrink = 0.25f64.powi(depth);
    facts.push(Fact {
        id: "vanishing_bound",
        claim: "through L sigmoid layers gradients shrink like 0.25^L: 0.25^10 ≈ 1e-6",
        measured: format!("0.25^{depth} = {shrink:.3e}"),
        value: shrink,
        holds: (shrink - 9.5367431640625e-7).abs() < 1e-20,
    });

    let gap = max_gap(
        |x| tanh.forward(x),
        |x| 2.0 * sigmoid.forward(2.0 * x) - 1.0,
        -10.0,
        10.0,
        n,
    );
    facts.push(Fact {
        id: "tanh_is_scaled_sigmoid",
        claim: "tanh(x) = 2σ(2x) − 1",
        measured: format!("largest |tanh(x) − (2σ(2x) − 1)| on [−10, 10]: {gap:.1e}"),
        value: gap,
        holds: gap < 1e-15,
    });

    let (max_d, at) = max_derivative(tanh, -10.0, 10.0, n);
    facts.push(Fact {
        id: "tanh_derivative_max",
        claim: "tanh is zero-centred with tanh'(x) ≤ 1, the maximum at x = 0",
        measured: format!(
            "tanh(0) = {}, max tanh' = {max_d} at x = {at}",
            tanh.forward(0.0f64)
        ),
        value: max_d,
        holds: max_d == 1.0 && at == 0.0 && tanh.forward(0.0f64) == 0.0,
    });

    let sat = [sigmoid.derivative(10.0f64), tanh.derivative(10.0f64)];
    facts.push(Fact {
        id: "saturation",
        claim: "sigmoid and tanh saturate: far from 0 the gradient all but vanishes",
        measured: format!("σ'(10) = {:.2e}, tanh'(10) = {:.2e}", sat[0], sat[1]),
        value: sat[0].max(sat[1]),
        holds: sat[0] < 1e-4 && sat[1] < 1e-8,
    });

    let relu = Activation::Relu;
    let relu_ok = grid(-5.0, 5.0, n).all(|x| relu.derivative(x) == if x > 0.0 { 1.0 } else { 0.0 });
    facts.push(Fact {
        id: "relu_gradient",
        claim: "ReLU passes gradient 1 for x > 0 and 0 otherwise (units can die)",
        measured: format!(
            "relu'(−1) = {}, relu'(0) = {}, relu'(1) = {}",
            relu.derivative(-1.0f64),
            relu.derivative(0.0f64),
            relu.derivative(1.0f64)
        ),
        value: relu.derivative(1.0f64),
        holds: relu_ok,
    });

    let sparse = grid(-5.0, 5.0, n)
        .filter(|&x| relu.forward(x) == 0.0)
        .count() as f64
        / n as f64;
    facts.push(Fact {
        id: "relu_sparsity",
        claim: "ReLU makes activity sparse: every negative input gives exactly 0",
        measured: format!("fraction of exact zeros on a symmetric grid: {sparse:.4}"),
        value: sparse,
        holds: (sparse - 0.5).abs() < 1.0 / n as f64 + 1e-12,
    });

    let leaky = Activation::LeakyRelu {
        negative_slope: 0.01,
    };
    facts.push(Fact {
        id: "leaky_relu_slope",
        claim: "Leaky ReLU keeps a slope α = 0.01 for x < 0, so no unit dies",
        measured: format!("leaky_relu'(−3) = {}", leaky.derivative(-3.0f64)),
        value: leaky.derivative(-3.0f64),
        holds: leaky.derivative(-3.0f64) == 0.01,
    });

    let softplus = Activation::from_name("softplus").expect("in the catalogue");
    let gap = max_gap(
        |x| softplus.derivative(x),
        |x| sigmoid.forward(x),
        -15.0,
        15.0,
        n,
    );
    facts.push(Fact {
        id: "softplus_derivative_is_sigmoid",
        claim: "softplus'(x) = σ(x)",
        measured: format!("largest |softplus'(x) − σ(x)| on [−15, 15]: {gap:.1e}"),
        value: gap,
        holds: gap == 0.0,
    });

    let logsigmoid = Activation::Logsigmoid;
    let gap = max_gap(
        |x| logsigmoid.forward(x),
        |x| -softplus.forward(-x),
        -15.0,
        15.0,
        n,
    );
    facts.push(Fact {
        id: "logsigmoid_is_negative_softplus",
        claim: "log σ(x) = −softplus(−x)",
        measured: format!("largest |logsigmoid(x) + softplus(−x)| on [−15, 15]: {gap:.1e}"),
        value: gap,
        holds: gap < 1e-15,
    });

    let (grad_err, p_minus_t) = softmax_cross_entropy_gradient_check(seed);
    facts.push(Fact {
        id: "softmax_cross_entropy_gradient",
        claim: "with softmax and cross-entropy the gradient with respect to the logits is y − t",
        measured: format!(
            "fused gradient vs central differences: max |error| {grad_err:.1e}; \
             largest |gradient − (p − t)| {p_minus_t:.1e}"
        ),
        value: grad_err,
        // p − t from a separately computed softmax agrees to rounding (a few 1e-16).
        holds: grad_err < 1e-8 && p_minus_t < 1e-15,
    });

    facts
}

/// The fused softmax cross-entropy gradient against central finite differences of the loss
/// (f64, 5 classes, random logits), and against p − t computed from the softmax directly:
/// (max |fused − FD|, max |fused − (p − t)|).
fn softmax_cross_entropy_gradient_check(seed: u64) -> (f64, f64) {
    use act::rowwise::{Target, softmax, softmax_cross_entropy};
    let mut rng = SplitMix(seed ^ 0x5eed);
    let cols = 5;
    let logits: Vec<f64> = (0..cols).map(|_| 3.0 * rng.next_f64()).collect();
    let class = [2usize];
    let mut grad = vec![0.0; cols];
    let loss = |z: &[f64]| {
        softmax_cross_entropy(z, Target::Class(&class), cols, None).expect("shapes match")
    };
    softmax_cross_entropy(&logits, Target::Class(&class), cols, Some(&mut grad))
        .expect("shapes match");
    let mut p = vec![0.0; cols];
    softmax(&logits, &mut p, cols).expect("shapes match");
    let h = 1e-5;
    let mut fd_err: f64 = 0.0;
    let mut pt_err: f64 = 0.0;
    for i in 0..cols {
        let (mut up, mut down) = (logits.clone(), logits.clone());
        up[i] += h;
        down[i] -= h;
        let fd = (loss(&up) - loss(&down)) / (2.0 * h);
        fd_err = fd_err.max((grad[i] - fd).abs());
        let t = if i == class[0] { 1.0 } else { 0.0 };
        pt_err = pt_err.max((grad[i] - (p[i] - t)).abs());
    }
    (fd_err, pt_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_claim_holds() {
        for seed in 0..20 {
            let facts = check_all(2001, seed);
            assert!(facts.len() >= 12);
            for f in &facts {
                assert!(
                    f.holds,
                    "seed {seed}: {}: {} — {}",
                    f.id, f.claim, f.measured
                );
            }
        }
    }
}
