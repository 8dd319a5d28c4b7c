//! # act: activation functions, exact
//!
//! Every activation function a neural network uses, forward and derivative, in `f32` and `f64`,
//! exact to the last bit or one short of it, for every input: the reference the rest of actlab
//! (kernels, the training engine, the experiments, the playground) is built on.
//!
//! - **Exact.** Forward within 1 ULP and derivative within 2 ULP of the mathematical function for
//!   every `f32` input (all 2³² proved by `actlab accuracy --exhaustive`) and on random and hard
//!   `f64` inputs (checked against mpmath golden values). NaN in gives NaN out, relu included;
//!   ±∞ gives the limit (σ(−∞) = 0, gelu(−∞) = 0, softsign(∞) = 1, selu(−∞) = −λα); huge
//!   finite inputs never overflow where the result is finite (gelu(2e38) = 2e38); results
//!   underflow into subnormals where the mathematics does (σ(−100) = 3.7e-44 in f32).
//! - **How.** `f32` results are computed in `f64` with numerically stable formulas (each
//!   function's doc names its form and why) and rounded once. `f64` results are computed in
//!   double-double arithmetic ([`dd`]) and rounded once. The same double-double evaluation is the
//!   reference the accuracy sweep measures `f32` against.
//! - **Cost.** These scalar functions are the reference, written for exactness. Averaged over
//!   inputs from every binade, an f32 value costs about 8–70 ns (snake′, which needs the
//!   double-double argument reduction, about 150 ns) and an f64 value 4–700 ns (gelu's is the
//!   dearest), measured on a shared 2-core AMD EPYC by
//!   `cargo run --release -p actlab-act --example scalar_cost`. Slice kernels for throughput
//!   are built on top of them and tested against them.
//! - **PyTorch's names and defaults** (`leaky_relu` α = 0.01, `softplus` β = 1, threshold = 20,
//!   `hardtanh` (−1, 1), `rrelu` (1/8, 1/3), gelu in its erf form…), so code moves over.
//! - **How to choose**: [`metadata`] holds each function's formula, range, monotonicity,
//!   smoothness, largest slope, saturation, typical use, failure mode, initialiser and paper.
//!
//! ```
//! use act::Activation;
//!
//! // The guide's numbers: σ′ peaks at 1/4 and tanh′ at 1, both at x = 0 ...
//! assert_eq!(Activation::Sigmoid.derivative(0.0f32), 0.25);
//! assert_eq!(Activation::Tanh.derivative(0.0f32), 1.0);
//! // ... so ten sigmoid layers scale a gradient by at most 0.25¹⁰ ≈ 1e-6.
//! assert!(0.25f64.powi(10) < 1e-6);
//! // relu passes gradient 1 for x > 0 and none at or below 0.
//! assert_eq!(Activation::Relu.derivative(3.0f32), 1.0);
//! assert_eq!(Activation::Relu.derivative(0.0f32), 0.0);
//!
//! // Exact where frameworks are not: the tail of gelu, the derivative of tanh where tanh
//! // rounds to -1.
//! assert!(Activation::Gelu.forward(-6.0f32) < 0.0);
//! assert!(Activation::Tanh.derivative(-14.6f32) > 0.0);
//! ```
//!
//! Row-wise functions (softmax, log_softmax, softmin, logsumexp, the fused softmax
//! cross-entropy and sigmoid binary cross-entropy) are in [`rowwise`]; the gated family
//! (glu, reglu, geglu, swiglu) in [`gated`].
//!
//! ## The catalogue
//!
//! (Formulas rendered, with properties and papers: [`catalogue`].)
//!
//! | name | f(x) | f′(x) |
//! |---|---|---|
//! | identity | x | 1 |
//! | sigmoid | 1/(1 + e^(−x)) | σ(1 − σ) |
//! | tanh | tanh x | 1 − tanh² x |
//! | relu | max(x, 0) | 1 if x > 0 else 0 |
//! | leaky_relu | x if x > 0 else 0.01x | 1 or 0.01 |
//! | prelu | x if x > 0 else αx (α learned, 0.25) | 1 or α |
//! | rrelu | x if x ≥ 0 else ax (a ~ U(1/8, 1/3); 11/48 in evaluation) | 1 or a |
//! | elu | x if x > 0 else α(e^x − 1) | 1 or αe^x |
//! | selu | λ·elu_α(x), λ ≈ 1.0507, α ≈ 1.6733 | λ or λαe^x |
//! | celu | max(0, x) + min(0, α(e^(x/α) − 1)) | 1 or e^(x/α) |
//! | gelu | xΦ(x) | Φ(x) + xφ(x) |
//! | gelu_tanh | ½x(1 + tanh(√(2/π)(x + 0.044715x³))) | (see docs) |
//! | silu | xσ(x) | σ(x)(1 + x(1 − σ(x))) |
//! | swish | xσ(βx) | σ(βx) + βxσ(βx)(1 − σ(βx)) |
//! | mish | x tanh(softplus x) | tanh(sp) + x sech²(sp) σ(x) |
//! | softplus | ln(1 + e^(βx))/β | σ(βx) |
//! | softsign | x/(1 + \|x\|) | 1/(1 + \|x\|)² |
//! | hardsigmoid | clamp(x/6 + ½, 0, 1) | 1/6 on (−3, 3) |
//! | hardswish | x·clamp(x + 3, 0, 6)/6 | x/3 + ½ on [−3, 3] |
//! | hardtanh | clamp(x, −1, 1) | 1 on (−1, 1) |
//! | relu6 | clamp(x, 0, 6) | 1 on (0, 6) |
//! | logsigmoid | ln σ(x) | σ(−x) |
//! | tanhshrink | x − tanh x | tanh² x |
//! | hardshrink | x if \|x\| > λ else 0 | 1 if \|x\| > λ |
//! | softshrink | sign(x)·max(\|x\| − λ, 0) | 1 if \|x\| > λ |
//! | threshold | x if x > t else v | 1 if x > t |
//! | squared_relu | max(x, 0)² | 2 max(x, 0) |
//! | snake | x + sin²(αx)/α | 1 + sin 2αx |
#![deny(missing_docs)]
#![deny(unsafe_code)]

pub mod accuracy;
mod activation;
#[doc = include_str!("catalogue.md")]
pub mod catalogue {}
pub mod dd;
mod functions;
pub mod gated;
pub mod kernels;
pub mod metadata;
mod parametric;
mod real;
pub mod rowwise;
pub mod ulp;

pub use activation::{ALL, Activation, ParamError};
pub use parametric::{prelu_weight_derivative, rrelu_training};
pub use real::Real;
