//! The "how to choose" data: what each activation is, where it saturates, what it is for and how
//! it fails, as plain data that the CLI, the report and the playground all read.

/// One end of an output range.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Bound {
    /// The end point (±∞ for an unbounded side).
    pub value: f64,
    /// Whether the end point is attained (closed end of the interval).
    pub closed: bool,
}

/// How an activation's output may be ordered against its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum Monotonicity {
    /// Strictly increasing everywhere.
    Increasing,
    /// Never decreasing, but flat somewhere (relu on x < 0).
    NonDecreasing,
    /// Strictly decreasing everywhere (softmin, read per element: p_i falls as z_i rises).
    Decreasing,
    /// Decreases somewhere (gelu, silu and mish dip below zero).
    NotMonotonic,
}

/// How many derivatives an activation has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum Smoothness {
    /// Jumps (hardshrink, threshold).
    Discontinuous,
    /// Continuous with kinks where the derivative jumps (relu, hardtanh).
    Continuous,
    /// Once continuously differentiable (elu with α = 1, squared relu).
    C1,
    /// Infinitely differentiable (sigmoid, tanh, gelu).
    Smooth,
}

/// Where an activation is typically used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum Use {
    /// A hidden layer.
    Hidden,
    /// The output of a binary classifier (a probability).
    BinaryOutput,
    /// The output of a multiclass classifier (a distribution over classes).
    MulticlassOutput,
    /// The output of a regression model (an unbounded value).
    RegressionOutput,
    /// A gate inside another layer (LSTM/GRU gates, GLU variants, attention).
    Gate,
    /// Sparse coding and denoising (the shrinkage operators).
    Shrinkage,
}

/// How training with an activation can go wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum FailureMode {
    /// Gradients shrink layer by layer where f′ is small (saturation): early layers stop learning.
    Vanishing,
    /// Units whose input stays where f′ = 0 never receive gradient again ("dead" units).
    Dying,
    /// Unbounded outputs or f′ > 1 let activations and gradients grow layer by layer.
    Exploding,
    /// Outputs are all positive, so a layer's weight updates share one sign (zig-zag descent).
    NotZeroCentred,
    /// No nonlinearity: stacked layers collapse into one linear map.
    Linear,
}

/// The weight initialiser an activation is paired with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum Init {
    /// Glorot/Xavier (variance 2/(fan_in + fan_out)): tanh, sigmoid, linear layers.
    Glorot,
    /// He/Kaiming (variance 2/fan_in): the relu family.
    He,
    /// LeCun normal (variance 1/fan_in): selu's self-normalising networks.
    LeCun,
}

/// The paper that introduced or popularised an activation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Paper {
    /// Title.
    pub title: &'static str,
    /// Authors, "First Author et al." style.
    pub authors: &'static str,
    /// Year of publication.
    pub year: u16,
}

/// Everything the catalogue knows about one activation.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Info {
    /// The catalogue name, as PyTorch spells it where PyTorch has it (`leaky_relu`).
    pub name: &'static str,
    /// A human title ("Leaky ReLU").
    pub title: &'static str,
    /// The definition in LaTeX (KaTeX-renderable), default parameters written symbolically.
    pub formula_latex: &'static str,
    /// The definition in plain text for terminals and editors.
    pub formula_text: &'static str,
    /// The derivative in LaTeX.
    pub derivative_latex: &'static str,
    /// The derivative in plain text.
    pub derivative_text: &'static str,
    /// Lower end of the output range (with default parameters).
    pub range_lower: Bound,
    /// Upper end of the output range (with default parameters).
    pub range_upper: Bound,
    /// Whether the output is centred on zero (f(0) = 0 and takes both signs).
    pub zero_centred: bool,
    /// Monotonicity.
    pub monotonicity: Monotonicity,
    /// Smoothness.
    pub smoothness: Smoothness,
    /// The largest |f′(x)| over all x (default parameters).
    pub max_abs_derivative: f64,
    /// Where |f′| is largest, in words ("x = 0", "x > 0").
    pub max_abs_derivative_at: &'static str,
    /// Whether the backward pass computes f′ from the output y = f(x) alone, so that a layer need
    /// keep only its output. True where f′ is a simple function of y on every branch
    /// (σ′ = y(1 − y); relu′ = 1 if y > 0, else 0); a few others could be recovered from y as
    /// well (softsign, logsigmoid, softmin) but are computed from the input.
    pub derivative_from_output: bool,
    /// Where the function saturates (f′ → 0), in words; empty if nowhere.
    pub saturation: &'static str,
    /// Typical uses.
    pub uses: &'static [Use],
    /// Known failure modes.
    pub failure_modes: &'static [FailureMode],
    /// The recommended weight initialiser.
    pub recommended_init: Init,
    /// The gain `torch.nn.init.calculate_gain` gives for this nonlinearity (1 where PyTorch has
    /// no entry), used to scale the initialiser.
    pub gain: f64,
    /// The numerically safe form actlab evaluates, and why.
    pub numerics: &'static str,
    /// The paper.
    pub paper: Paper,
}

// Numeric values in the table (extrema, where they occur, saturation thresholds, gains) were
// computed with mpmath at 40 significant digits (root-finding on f′ and f″) and are written to at
// least 8; the tests below re-derive most of them in plain f64 from the definitions (not gelu's
// saturation thresholds, which need erfc, nor the gate thresholds of geglu and swiglu).

const fn open(value: f64) -> Bound {
    Bound {
        value,
        closed: false,
    }
}

const fn closed(value: f64) -> Bound {
    Bound {
        value,
        closed: true,
    }
}

const NEG_INF: Bound = open(f64::NEG_INFINITY);
const POS_INF: Bound = open(f64::INFINITY);

const fn paper(title: &'static str, authors: &'static str, year: u16) -> Paper {
    Paper {
        title,
        authors,
        year,
    }
}

const SQRT_2: f64 = core::f64::consts::SQRT_2;
/// λα, selu's slope at 0⁻ and the depth of its negative saturation (mpmath: 1.7580993408473768599).
const SELU_LAMBDA_ALPHA: f64 = 1.7580993408473768599;

const RELU_SAT: &str =
    "left: f′ = 0 exactly for x ≤ 0 (a dead zone rather than a gradual saturation)";
const ELU_SAT: &str = "left tail: f′ = e^x < 0.01 for x < −4.6051702; f′ < 1e-6 for x < −13.815511";
const SIGMOID_SAT: &str =
    "both tails: σ′ < 0.01 for |x| > 4.5848633; σ′ < 1e-6 for |x| > 13.815509";
const SILU_SAT: &str = "left tail: |f′| < 0.01 for x < −6.2613888; |f′| < 1e-6 for x < −16.560229 \
     (f′ dips to −0.099839320 at x ≈ −2.3993573 first)";
const SHRINK_SAT: &str = "dead zone: f′ = 0 exactly for |x| ≤ 0.5";
const SOFTMAX_SAT: &str = "confident rows: ∂y_i/∂z_i = y_i(1 − y_i) < 0.01 once the margin \
     |z_i − ln Σ_{j≠i} e^(z_j)| > 4.5848633 (< 1e-6 past 13.815509), as for σ";

/// The catalogue: one [`Info`] per activation, in the order the CLI, the report and the
/// playground list them.
///
/// Conventions shared by every entry:
///
/// - Default parameters are PyTorch's (leaky slope 0.01, elu α = 1, softplus β = 1 with its
///   linear threshold 20, shrink λ = 0.5, …); ranges, extrema and saturation are for those.
/// - At kinks the derivative takes the value PyTorch's backward gives: relu′(0) = 0; the leaky,
///   prelu and rrelu slope applies for x ≤ 0; elu′(0) = α, selu′(0) = λα, celu′(0) = 1;
///   hardsigmoid′ = 1/6 on (−3, 3) only; hardswish′ = x/3 + 1/2 on the closed [−3, 3];
///   hardtanh′ = 1 strictly inside (−1, 1); shrink′ = 1 for |x| > λ only.
/// - Row-wise functions (softmax, log_softmax, softmin, logsumexp) and gated ones (glu, reglu,
///   geglu, swiglu, which split their input into halves a and b) are read per element: the range
///   of one output entry, the largest single Jacobian entry, monotonicity in the entry's own
///   input. Row-wise ranges assume rows of at least two entries.
/// - `gain`: PyTorch's value where `torch.nn.init.calculate_gain` has one (identity is its
///   `linear`; prelu and rrelu use its leaky formula √(2/(1 + a²)) with their default slope
///   0.25 and 11/48); √2 for the other relu-like functions (exactly those paired with He
///   initialisation); 1 otherwise.
/// - `numerics` names the safe form of the mathematics. Beyond it, every f64 result is evaluated
///   in double-double and rounded once, and every f32 result is evaluated in f64 and rounded
///   once.
pub static CATALOGUE: &[Info] = &[
    Info {
        name: "identity",
        title: "Identity",
        formula_latex: r"f(x) = x",
        formula_text: "f(x) = x",
        derivative_latex: r"f'(x) = 1",
        derivative_text: "f′(x) = 1",
        range_lower: NEG_INF,
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "everywhere",
        derivative_from_output: true,
        saturation: "",
        uses: &[Use::RegressionOutput],
        failure_modes: &[FailureMode::Linear],
        recommended_init: Init::Glorot,
        gain: 1.0,
        numerics: "exact: x is returned unchanged",
        paper: paper("Adaptive Switching Circuits", "Widrow & Hoff", 1960),
    },
    Info {
        name: "sigmoid",
        title: "Sigmoid (logistic)",
        formula_latex: r"f(x) = \sigma(x) = \frac{1}{1 + e^{-x}}",
        formula_text: "f(x) = σ(x) = 1/(1 + e^(−x))",
        derivative_latex: r"f'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr) = y\,(1 - y)",
        derivative_text: "f′(x) = σ(x)(1 − σ(x)) = y(1 − y)",
        range_lower: open(0.0),
        range_upper: open(1.0),
        zero_centred: false,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 0.25,
        max_abs_derivative_at: "x = 0",
        derivative_from_output: true,
        saturation: SIGMOID_SAT,
        uses: &[Use::BinaryOutput, Use::Gate],
        failure_modes: &[FailureMode::Vanishing, FailureMode::NotZeroCentred],
        recommended_init: Init::Glorot,
        gain: 1.0,
        numerics: "two-branch on e^(−|x|): 1/(1 + e^(−x)) for x ≥ 0, e^x/(1 + e^x) for x < 0, so \
                   neither branch overflows or cancels; σ′ = e^(−|x|)/(1 + e^(−|x|))², never \
                   forming 1 − σ",
        paper: paper(
            "Learning representations by back-propagating errors",
            "Rumelhart et al.",
            1986,
        ),
    },
    Info {
        name: "tanh",
        title: "Hyperbolic tangent",
        formula_latex: r"f(x) = \tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
        formula_text: "f(x) = tanh x = (e^x − e^(−x))/(e^x + e^(−x))",
        derivative_latex: r"f'(x) = 1 - \tanh^{2} x = 1 - y^{2}",
        derivative_text: "f′(x) = 1 − tanh²x = 1 − y²",
        range_lower: open(-1.0),
        range_upper: open(1.0),
        zero_centred: true,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "x = 0",
        derivative_from_output: true,
        saturation: "both tails: tanh′ < 0.01 for |x| > 2.9932228; tanh′ < 1e-6 for |x| > \
                     7.6009022",
        uses: &[Use::Hidden, Use::Gate],
        failure_modes: &[FailureMode::Vanishing],
        recommended_init: Init::Glorot,
        gain: 5.0 / 3.0,
        numerics: "odd, on t = |x|: expm1(2t)/(expm1(2t) + 2), which keeps relative precision as t \
                   → 0 where (e^(2t) − 1)/(e^(2t) + 1) cancels; f′ = sech²x = 4e^(−2|x|)/(1 + \
                   e^(−2|x|))², never 1 − tanh²x, which cancels to 0 once tanh x rounds to ±1",
        paper: paper("Efficient BackProp", "LeCun et al.", 1998),
    },
    Info {
        name: "relu",
        title: "ReLU",
        formula_latex: r"f(x) = \max(0, x)",
        formula_text: "f(x) = max(0, x)",
        derivative_latex: r"f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases} \qquad (f'(0) = 0)",
        derivative_text: "f′(x) = 1 if x > 0, else 0 (f′(0) = 0 by convention; from the output: y \
                          > 0 ⇒ 1)",
        range_lower: closed(0.0),
        range_upper: POS_INF,
        zero_centred: false,
        monotonicity: Monotonicity::NonDecreasing,
        smoothness: Smoothness::Continuous,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "x > 0",
        derivative_from_output: true,
        saturation: RELU_SAT,
        uses: &[Use::Hidden],
        failure_modes: &[FailureMode::Dying, FailureMode::NotZeroCentred],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "exact: one comparison; f′(0) = 0 as in PyTorch",
        paper: paper(
            "Rectified Linear Units Improve Restricted Boltzmann Machines",
            "Nair & Hinton",
            2010,
        ),
    },
    Info {
        name: "leaky_relu",
        title: "Leaky ReLU",
        formula_latex: r"f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}, \qquad \alpha = 0.01",
        formula_text: "f(x) = x if x > 0, else αx (α = negative_slope = 0.01)",
        derivative_latex: r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases} \qquad (f'(0) = \alpha)",
        derivative_text: "f′(x) = 1 if x > 0, else α (f′(0) = α; from the output: y > 0 ⇒ 1, else \
                          α)",
        range_lower: NEG_INF,
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::Continuous,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "x > 0",
        derivative_from_output: true,
        saturation: "",
        uses: &[Use::Hidden],
        failure_modes: &[],
        recommended_init: Init::He,
        // calculate_gain("leaky_relu") = √(2/(1 + 0.01²))
        gain: 1.4141428569978353499,
        numerics: "exact for x > 0; one rounding of αx for x ≤ 0",
        paper: paper(
            "Rectifier Nonlinearities Improve Neural Network Acoustic Models",
            "Maas et al.",
            2013,
        ),
    },
    Info {
        name: "prelu",
        title: "Parametric ReLU",
        formula_latex: r"f(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases}, \qquad a \text{ learnable, initialised to } 0.25",
        formula_text: "f(x) = x if x > 0, else a·x (a learnable, shared or one per channel, \
                       initialised to 0.25)",
        derivative_latex: r"\frac{\partial f}{\partial x} = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}, \qquad \frac{\partial f}{\partial a} = \begin{cases} 0 & x > 0 \\ x & x \le 0 \end{cases}",
        derivative_text: "∂f/∂x = 1 if x > 0, else a (a at x = 0; from the output: y > 0 ⇒ 1, else \
                          a); ∂f/∂a = x if x ≤ 0, else 0",
        range_lower: NEG_INF,
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::Continuous,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "x > 0",
        derivative_from_output: true,
        saturation: "",
        uses: &[Use::Hidden],
        failure_modes: &[],
        recommended_init: Init::He,
        // calculate_gain("leaky_relu", 0.25) = √(2/(1 + 0.25²))
        gain: 1.371988681140070699,
        numerics: "exact for x > 0; one rounding of a·x for x ≤ 0",
        paper: paper(
            "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet \
             Classification",
            "He et al.",
            2015,
        ),
    },
    Info {
        name: "rrelu",
        title: "Randomized leaky ReLU",
        formula_latex: r"f(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases}, \qquad a \sim U\!\left(\tfrac{1}{8}, \tfrac{1}{3}\right) \text{ in training}, \quad a = \tfrac{11}{48} \text{ in evaluation}",
        formula_text: "f(x) = x if x > 0, else a·x; a drawn from U(1/8, 1/3) per element in \
                       training, a = (1/8 + 1/3)/2 = 11/48 in evaluation",
        derivative_latex: r"f'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases} \qquad (a \text{ as drawn in the forward pass})",
        derivative_text: "f′(x) = 1 if x > 0, else a, the slope drawn in the forward pass (a at x \
                          = 0; from the output: y > 0 ⇒ 1, else a)",
        range_lower: NEG_INF,
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::Continuous,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "x > 0",
        derivative_from_output: true,
        saturation: "",
        uses: &[Use::Hidden],
        failure_modes: &[],
        recommended_init: Init::He,
        // calculate_gain("leaky_relu", 11/48) = √(2/(1 + (11/48)²))
        gain: 1.3784796645460571716,
        numerics: "exact for x > 0; one rounding of a·x for x ≤ 0; the training slope is drawn \
                   uniformly per element, the evaluation slope is the constant 11/48",
        paper: paper(
            "Empirical Evaluation of Rectified Activations in Convolutional Network",
            "Xu et al.",
            2015,
        ),
    },
    Info {
        name: "elu",
        title: "ELU",
        formula_latex: r"f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}, \qquad \alpha = 1",
        formula_text: "f(x) = x if x > 0, else α(e^x − 1) (α = 1)",
        derivative_latex: r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} = y + \alpha & x \le 0 \end{cases} \qquad (f'(0) = \alpha)",
        derivative_text: "f′(x) = 1 if x > 0, else αe^x (f′(0) = α; from the output: y > 0 ⇒ 1, \
                          else y + α)",
        range_lower: open(-1.0),
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::C1,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "x ≥ 0 (f′(0) = α = 1)",
        derivative_from_output: true,
        saturation: ELU_SAT,
        uses: &[Use::Hidden],
        failure_modes: &[],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "α·expm1(x) for x ≤ 0: e^x − 1 cancels for small |x|",
        paper: paper(
            "Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)",
            "Clevert et al.",
            2016,
        ),
    },
    Info {
        name: "selu",
        title: "SELU",
        formula_latex: r"f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}, \qquad \lambda \approx 1.0507010, \ \alpha \approx 1.6732632",
        formula_text: "f(x) = λx if x > 0, else λα(e^x − 1) (λ ≈ 1.0507010, α ≈ 1.6732632)",
        derivative_latex: r"f'(x) = \begin{cases} \lambda & x > 0 \\ \lambda \alpha e^{x} = y + \lambda\alpha & x \le 0 \end{cases} \qquad (f'(0) = \lambda\alpha)",
        derivative_text: "f′(x) = λ if x > 0, else λαe^x (f′(0) = λα ≈ 1.7580993; from the output: \
                          y > 0 ⇒ λ, else y + λα)",
        range_lower: open(-SELU_LAMBDA_ALPHA),
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::Continuous,
        max_abs_derivative: SELU_LAMBDA_ALPHA,
        max_abs_derivative_at: "x = 0 (f′(0) = λα, the limit of λαe^x as x → 0⁻)",
        derivative_from_output: true,
        saturation: "left tail: f′ = λαe^x < 0.01 for x < −5.1694035; f′ < 1e-6 for x < −14.379744",
        uses: &[Use::Hidden],
        failure_modes: &[FailureMode::Exploding],
        recommended_init: Init::LeCun,
        // calculate_gain("selu") = 3/4
        gain: 0.75,
        numerics: "λ·x for x > 0, λα·expm1(x) for x ≤ 0 (expm1 against cancellation near 0), with \
                   λα stored as one constant",
        paper: paper("Self-Normalizing Neural Networks", "Klambauer et al.", 2017),
    },
    Info {
        name: "celu",
        title: "CELU",
        formula_latex: r"f(x) = \max(0, x) + \min\!\bigl(0, \ \alpha\,(e^{x/\alpha} - 1)\bigr), \qquad \alpha = 1",
        formula_text: "f(x) = max(0, x) + min(0, α(e^(x/α) − 1)) (α = 1)",
        derivative_latex: r"f'(x) = \begin{cases} 1 & x > 0 \\ e^{x/\alpha} = y/\alpha + 1 & x \le 0 \end{cases} \qquad (f'(0) = 1)",
        derivative_text: "f′(x) = 1 if x > 0, else e^(x/α) (f′(0) = 1; from the output: y > 0 ⇒ 1, \
                          else y/α + 1)",
        range_lower: open(-1.0),
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::C1,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "x ≥ 0",
        derivative_from_output: true,
        saturation: ELU_SAT,
        uses: &[Use::Hidden],
        failure_modes: &[],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "α·expm1(x/α) for x ≤ 0: e^(x/α) − 1 cancels for small |x|",
        paper: paper(
            "Continuously Differentiable Exponential Linear Units",
            "Barron",
            2017,
        ),
    },
    Info {
        name: "gelu",
        title: "GELU",
        formula_latex: r"f(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \operatorname{erf}\frac{x}{\sqrt{2}}\right)",
        formula_text: "f(x) = x·Φ(x) = (x/2)(1 + erf(x/√2))",
        derivative_latex: r"f'(x) = \Phi(x) + x\,\varphi(x), \qquad \varphi(x) = \frac{e^{-x^{2}/2}}{\sqrt{2\pi}}",
        derivative_text: "f′(x) = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π)",
        // mpmath: min of xΦ(x) at x = −0.75179152469356446
        range_lower: closed(-0.16997120747990366169),
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::NotMonotonic,
        smoothness: Smoothness::Smooth,
        // mpmath: Φ(√2) + √2·φ(√2) = (1 + erf 1)/2 + 1/(e√π)
        max_abs_derivative: 1.1289041451851547863,
        max_abs_derivative_at: "x = √2 ≈ 1.4142136 (where f″ = φ(x)(2 − x²) = 0)",
        derivative_from_output: false,
        saturation: "left tail: |f′| < 0.01 for x < −3.0674272; |f′| < 1e-6 for x < −5.3940733 (f′ \
                     dips to −0.12890415 at x = −√2 first)",
        uses: &[Use::Hidden],
        failure_modes: &[],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "x·erfc(−x/√2)/2: the left tail stays exact where 1 + erf(x/√2) cancels",
        paper: paper(
            "Gaussian Error Linear Units (GELUs)",
            "Hendrycks & Gimpel",
            2016,
        ),
    },
    Info {
        name: "gelu_tanh",
        title: "GELU (tanh approximation)",
        formula_latex: r"f(x) = \frac{x}{2}\bigl(1 + \tanh u\bigr), \qquad u = \sqrt{2/\pi}\,\bigl(x + 0.044715\,x^{3}\bigr)",
        formula_text: "f(x) = (x/2)(1 + tanh u), u = √(2/π)(x + 0.044715x³)",
        derivative_latex: r"f'(x) = \tfrac{1}{2}\bigl(1 + \tanh u\bigr) + \tfrac{x}{2}\bigl(1 - \tanh^{2} u\bigr)\sqrt{2/\pi}\,\bigl(1 + 0.134145\,x^{2}\bigr)",
        derivative_text: "f′(x) = (1 + tanh u)/2 + (x/2)(1 − tanh²u)·√(2/π)(1 + 0.134145x²)",
        // mpmath: min at x = −0.75246142207101626
        range_lower: closed(-0.17004075057125405064),
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::NotMonotonic,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 1.1289930686587717655,
        max_abs_derivative_at: "x ≈ 1.4185040",
        derivative_from_output: false,
        saturation: "left tail: |f′| < 0.01 for x < −3.0528550; |f′| < 1e-6 for x < −5.0670718 (f′ \
                     dips to −0.12899307 at x ≈ −1.4185040 first)",
        uses: &[Use::Hidden],
        failure_modes: &[],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "x·σ(2u) rather than ½x(1 + tanh u), which cancels for x ≪ 0 (½(1 + tanh u) = \
                   σ(2u))",
        paper: paper(
            "Gaussian Error Linear Units (GELUs)",
            "Hendrycks & Gimpel",
            2016,
        ),
    },
    Info {
        name: "silu",
        title: "SiLU",
        formula_latex: r"f(x) = x\,\sigma(x) = \frac{x}{1 + e^{-x}}",
        formula_text: "f(x) = x·σ(x) = x/(1 + e^(−x))",
        derivative_latex: r"f'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)",
        derivative_text: "f′(x) = σ(x)(1 + x(1 − σ(x)))",
        // mpmath: min at x = −1.2784645427610738 (= −1 − W(1/e)); the value is −W(1/e)
        range_lower: closed(-0.27846454276107379511),
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::NotMonotonic,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 1.099839320128866917,
        max_abs_derivative_at: "x ≈ 2.3993573",
        derivative_from_output: false,
        saturation: SILU_SAT,
        uses: &[Use::Hidden],
        failure_modes: &[],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "x·σ(x) with the two-branch σ on e^(−|x|), which neither overflows nor cancels; \
                   f′ = σ(x)(1 + x·σ(−x)) with σ(−x) computed directly, never as 1 − σ(x)",
        paper: paper(
            "Sigmoid-Weighted Linear Units for Neural Network Function Approximation in \
             Reinforcement Learning",
            "Elfwing et al.",
            2018,
        ),
    },
    Info {
        name: "swish",
        title: "Swish",
        formula_latex: r"f(x) = x\,\sigma(\beta x), \qquad \beta = 1",
        formula_text: "f(x) = x·σ(βx) (β = 1, where swish equals silu)",
        derivative_latex: r"f'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)\,\bigl(1 - \sigma(\beta x)\bigr)",
        derivative_text: "f′(x) = σ(βx) + βx·σ(βx)(1 − σ(βx))",
        range_lower: closed(-0.27846454276107379511),
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::NotMonotonic,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 1.099839320128866917,
        max_abs_derivative_at: "x ≈ 2.3993573 (β = 1)",
        derivative_from_output: false,
        saturation: SILU_SAT,
        uses: &[Use::Hidden],
        failure_modes: &[],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "x·σ(βx) with the two-branch σ on e^(−|βx|), which neither overflows nor \
                   cancels; f′ = σ(βx)(1 + βx·σ(−βx)) with σ(−βx) computed directly, never as 1 − \
                   σ(βx)",
        paper: paper(
            "Searching for Activation Functions",
            "Ramachandran et al.",
            2017,
        ),
    },
    Info {
        name: "mish",
        title: "Mish",
        formula_latex: r"f(x) = x \tanh\!\bigl(\operatorname{softplus}(x)\bigr) = x \tanh\!\bigl(\ln(1 + e^{x})\bigr)",
        formula_text: "f(x) = x·tanh(softplus x) = x·tanh(ln(1 + e^x))",
        derivative_latex: r"f'(x) = \tanh s + x\,\sigma(x)\operatorname{sech}^{2} s, \qquad s = \ln(1 + e^{x})",
        derivative_text: "f′(x) = tanh s + x·σ(x)·sech²s, s = ln(1 + e^x)",
        // mpmath: min at x = −1.1924312145154952
        range_lower: closed(-0.30884341301725040663),
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::NotMonotonic,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 1.0884981612517278612,
        max_abs_derivative_at: "x ≈ 1.4905712",
        derivative_from_output: false,
        saturation: "left tail: |f′| < 0.01 for x < −6.2639688; |f′| < 1e-6 for x < −16.560229 (f′ \
                     dips to −0.11252612 at x ≈ −2.2563764 first)",
        uses: &[Use::Hidden],
        failure_modes: &[],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "tanh(ln(1 + e^x)) = n/(n + 2) with n = e^x(e^x + 2): x·n/(n + 2) for x ≤ 0 and, \
                   with e = e^(−x), x(1 + 2e)/(1 + 2e + 2e²) for x > 0; no log, no tanh, nothing \
                   overflows",
        paper: paper(
            "Mish: A Self Regularized Non-Monotonic Activation Function",
            "Misra",
            2019,
        ),
    },
    Info {
        name: "softplus",
        title: "Softplus",
        formula_latex: r"f(x) = \frac{1}{\beta}\ln\!\bigl(1 + e^{\beta x}\bigr), \qquad \beta = 1 \quad (f(x) = x \text{ for } \beta x > 20)",
        formula_text: "f(x) = (1/β)·ln(1 + e^(βx)) (β = 1), and f(x) = x for βx > threshold = 20",
        derivative_latex: r"f'(x) = \sigma(\beta x) \quad (1 \text{ for } \beta x > 20)",
        derivative_text: "f′(x) = σ(βx) (1 for βx > 20)",
        range_lower: open(0.0),
        range_upper: POS_INF,
        zero_centred: false,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "x → ∞ (σ(x) < 1; exactly 1 on the linear branch x > 20)",
        derivative_from_output: false,
        saturation: "left tail: f′ = σ(x) < 0.01 for x < −4.5951199; f′ < 1e-6 for x < −13.815510",
        uses: &[Use::Hidden],
        failure_modes: &[FailureMode::NotZeroCentred],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "max(x, 0) + log1p(e^(−|x|)): e^x never overflows and ln(1 + e^x) never loses \
                   the tail to 1 + tiny; x itself for βx > 20, as PyTorch",
        paper: paper(
            "Incorporating Second-Order Functional Knowledge for Better Option Pricing",
            "Dugas et al.",
            2001,
        ),
    },
    Info {
        name: "softsign",
        title: "Softsign",
        formula_latex: r"f(x) = \frac{x}{1 + |x|}",
        formula_text: "f(x) = x/(1 + |x|)",
        derivative_latex: r"f'(x) = \frac{1}{(1 + |x|)^{2}}",
        derivative_text: "f′(x) = 1/(1 + |x|)²",
        range_lower: open(-1.0),
        range_upper: open(1.0),
        zero_centred: true,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::C1,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "x = 0",
        derivative_from_output: false,
        saturation: "both tails, polynomially (slower than tanh): f′ < 0.01 for |x| > 9; f′ < 1e-6 \
                     for |x| > 999",
        uses: &[Use::Hidden],
        failure_modes: &[FailureMode::Vanishing],
        recommended_init: Init::Glorot,
        gain: 1.0,
        numerics: "x/(1 + |x|) directly: one addition and one division, no cancellation",
        paper: paper(
            "Understanding the difficulty of training deep feedforward neural networks",
            "Glorot & Bengio",
            2010,
        ),
    },
    Info {
        name: "hardsigmoid",
        title: "Hard sigmoid",
        formula_latex: r"f(x) = \max\!\left(0, \min\!\left(1, \frac{x}{6} + \frac{1}{2}\right)\right)",
        formula_text: "f(x) = clamp(x/6 + 1/2, 0, 1)",
        derivative_latex: r"f'(x) = \begin{cases} 1/6 & -3 < x < 3 \\ 0 & \text{otherwise} \end{cases}",
        derivative_text: "f′(x) = 1/6 for −3 < x < 3, else 0 (0 at x = ±3)",
        range_lower: closed(0.0),
        range_upper: closed(1.0),
        zero_centred: false,
        monotonicity: Monotonicity::NonDecreasing,
        smoothness: Smoothness::Continuous,
        max_abs_derivative: 1.0 / 6.0,
        max_abs_derivative_at: "−3 < x < 3",
        derivative_from_output: false,
        saturation: "both sides: f′ = 0 exactly for |x| ≥ 3",
        uses: &[Use::Gate],
        failure_modes: &[
            FailureMode::Vanishing,
            FailureMode::Dying,
            FailureMode::NotZeroCentred,
        ],
        recommended_init: Init::Glorot,
        gain: 1.0,
        numerics: "x/6 + 1/2 rounded once, then clamped (exact at the ends)",
        paper: paper("Searching for MobileNetV3", "Howard et al.", 2019),
    },
    Info {
        name: "hardswish",
        title: "Hard swish",
        formula_latex: r"f(x) = x\,\frac{\max(0, \min(6, x + 3))}{6}",
        formula_text: "f(x) = x·clamp(x + 3, 0, 6)/6",
        derivative_latex: r"f'(x) = \begin{cases} 0 & x < -3 \\ \frac{x}{3} + \frac{1}{2} & -3 \le x \le 3 \\ 1 & x > 3 \end{cases}",
        derivative_text: "f′(x) = 0 for x < −3; x/3 + 1/2 for −3 ≤ x ≤ 3; 1 for x > 3",
        // minimum at x = −3/2: −(3/2)(3/2)/6 = −3/8
        range_lower: closed(-0.375),
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::NotMonotonic,
        smoothness: Smoothness::Continuous,
        max_abs_derivative: 1.5,
        max_abs_derivative_at: "x = 3 (the middle branch x/3 + 1/2 holds at the kink, as in \
                                PyTorch; 1 for x > 3)",
        derivative_from_output: false,
        saturation: "left: f′ = 0 exactly for x < −3",
        uses: &[Use::Hidden],
        failure_modes: &[FailureMode::Dying],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "x·(x + 3)/6 on [−3, 3] (x + 3 is exact near −3), 0 below, x above",
        paper: paper("Searching for MobileNetV3", "Howard et al.", 2019),
    },
    Info {
        name: "hardtanh",
        title: "Hard tanh",
        formula_latex: r"f(x) = \max(-1, \min(1, x))",
        formula_text: "f(x) = clamp(x, −1, 1) (min_val = −1, max_val = 1)",
        derivative_latex: r"f'(x) = \begin{cases} 1 & -1 < x < 1 \\ 0 & \text{otherwise} \end{cases}",
        derivative_text: "f′(x) = 1 for −1 < x < 1, else 0 (0 at x = ±1; from the output: −1 < y < \
                          1 ⇒ 1)",
        range_lower: closed(-1.0),
        range_upper: closed(1.0),
        zero_centred: true,
        monotonicity: Monotonicity::NonDecreasing,
        smoothness: Smoothness::Continuous,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "−1 < x < 1",
        derivative_from_output: true,
        saturation: "both sides: f′ = 0 exactly for |x| ≥ 1",
        uses: &[Use::Hidden],
        failure_modes: &[FailureMode::Dying],
        recommended_init: Init::Glorot,
        gain: 1.0,
        numerics: "exact: a clamp",
        paper: paper("Large Scale Machine Learning", "Collobert", 2004),
    },
    Info {
        name: "relu6",
        title: "ReLU6",
        formula_latex: r"f(x) = \min(\max(0, x), 6)",
        formula_text: "f(x) = clamp(x, 0, 6)",
        derivative_latex: r"f'(x) = \begin{cases} 1 & 0 < x < 6 \\ 0 & \text{otherwise} \end{cases}",
        derivative_text: "f′(x) = 1 for 0 < x < 6, else 0 (0 at x = 0 and x = 6; from the output: \
                          0 < y < 6 ⇒ 1)",
        range_lower: closed(0.0),
        range_upper: closed(6.0),
        zero_centred: false,
        monotonicity: Monotonicity::NonDecreasing,
        smoothness: Smoothness::Continuous,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "0 < x < 6",
        derivative_from_output: true,
        saturation: "f′ = 0 exactly for x ≤ 0 and for x ≥ 6",
        uses: &[Use::Hidden],
        failure_modes: &[FailureMode::Dying, FailureMode::NotZeroCentred],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "exact: a clamp",
        paper: paper(
            "Convolutional Deep Belief Networks on CIFAR-10",
            "Krizhevsky",
            2010,
        ),
    },
    Info {
        name: "logsigmoid",
        title: "Log-sigmoid",
        formula_latex: r"f(x) = \ln \sigma(x) = -\ln\!\bigl(1 + e^{-x}\bigr)",
        formula_text: "f(x) = ln σ(x) = −ln(1 + e^(−x))",
        derivative_latex: r"f'(x) = \sigma(-x) = 1 - \sigma(x)",
        derivative_text: "f′(x) = σ(−x) = 1 − σ(x)",
        range_lower: NEG_INF,
        range_upper: open(0.0),
        zero_centred: false,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "x → −∞ (supremum, not attained)",
        derivative_from_output: false,
        saturation: "right tail: f′ < 0.01 for x > 4.5951199; f′ < 1e-6 for x > 13.815510",
        uses: &[Use::BinaryOutput],
        failure_modes: &[],
        recommended_init: Init::Glorot,
        gain: 1.0,
        numerics: "min(x, 0) − log1p(e^(−|x|)), i.e. −softplus(−x): ln σ(x) would underflow to ln \
                   0 = −∞ for x ≪ 0",
        paper: paper("The Regression Analysis of Binary Sequences", "Cox", 1958),
    },
    Info {
        name: "tanhshrink",
        title: "Tanh shrink",
        formula_latex: r"f(x) = x - \tanh x",
        formula_text: "f(x) = x − tanh x",
        derivative_latex: r"f'(x) = \tanh^{2} x",
        derivative_text: "f′(x) = tanh²x",
        range_lower: NEG_INF,
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "|x| → ∞ (supremum, not attained)",
        derivative_from_output: false,
        saturation: "none in the tails; flat at the origin instead: f′ = tanh²x < 0.01 for |x| < \
                     0.10033535, f′ < 1e-6 for |x| < 0.0010000003 (f ≈ x³/3 there)",
        uses: &[Use::Shrinkage],
        failure_modes: &[FailureMode::Vanishing],
        recommended_init: Init::Glorot,
        gain: 1.0,
        numerics: "the series x³/3 − 2x⁵/15 + 17x⁷/315 − … for |x| < 1/16, where x − tanh x \
                   cancels (up to 40 bits lost); the plain difference above",
        paper: paper(
            "Torch7: A Matlab-like Environment for Machine Learning",
            "Collobert et al.",
            2011,
        ),
    },
    Info {
        name: "hardshrink",
        title: "Hard shrink",
        formula_latex: r"f(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}, \qquad \lambda = 0.5",
        formula_text: "f(x) = x if |x| > λ, else 0 (λ = 0.5)",
        derivative_latex: r"f'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
        derivative_text: "f′(x) = 1 for |x| > λ, else 0 (0 at the jumps x = ±λ by convention)",
        range_lower: NEG_INF,
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::NonDecreasing,
        smoothness: Smoothness::Discontinuous,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "|x| > 0.5",
        derivative_from_output: false,
        saturation: SHRINK_SAT,
        uses: &[Use::Shrinkage],
        failure_modes: &[FailureMode::Dying],
        recommended_init: Init::Glorot,
        gain: 1.0,
        numerics: "exact: a comparison with λ",
        paper: paper(
            "Ideal Spatial Adaptation by Wavelet Shrinkage",
            "Donoho & Johnstone",
            1994,
        ),
    },
    Info {
        name: "softshrink",
        title: "Soft shrink",
        formula_latex: r"f(x) = \operatorname{sign}(x)\,\max(|x| - \lambda, 0), \qquad \lambda = 0.5",
        formula_text: "f(x) = sign(x)·max(|x| − λ, 0) (λ = 0.5)",
        derivative_latex: r"f'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
        derivative_text: "f′(x) = 1 for |x| > λ, else 0 (0 at the kinks x = ±λ)",
        range_lower: NEG_INF,
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::NonDecreasing,
        smoothness: Smoothness::Continuous,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "|x| > 0.5",
        derivative_from_output: false,
        saturation: SHRINK_SAT,
        uses: &[Use::Shrinkage],
        failure_modes: &[FailureMode::Dying],
        recommended_init: Init::Glorot,
        gain: 1.0,
        numerics: "x − λ·sign(x) for |x| > λ (one rounding), 0 otherwise",
        paper: paper("De-noising by soft-thresholding", "Donoho", 1995),
    },
    Info {
        name: "threshold",
        title: "Threshold",
        formula_latex: r"f(x) = \begin{cases} x & x > \theta \\ v & x \le \theta \end{cases}, \qquad \theta = 0, \ v = 0",
        formula_text: "f(x) = x if x > threshold, else value (defaults threshold = 0, value = 0, \
                       where it equals relu)",
        derivative_latex: r"f'(x) = \begin{cases} 1 & x > \theta \\ 0 & x \le \theta \end{cases}",
        derivative_text: "f′(x) = 1 for x > threshold, else 0 (0 at x = threshold)",
        range_lower: closed(0.0),
        range_upper: POS_INF,
        zero_centred: false,
        // non-decreasing whenever value ≤ threshold, the defaults included
        monotonicity: Monotonicity::NonDecreasing,
        // jumps by threshold − value at x = threshold; continuous only when the two are equal,
        // as with the defaults
        smoothness: Smoothness::Discontinuous,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "x > threshold = 0",
        derivative_from_output: false,
        saturation: "f′ = 0 exactly for x ≤ threshold = 0",
        uses: &[Use::Hidden],
        failure_modes: &[FailureMode::Dying, FailureMode::NotZeroCentred],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "exact: a comparison, returning x or value",
        paper: paper(
            "Torch7: A Matlab-like Environment for Machine Learning",
            "Collobert et al.",
            2011,
        ),
    },
    Info {
        name: "squared_relu",
        title: "Squared ReLU",
        formula_latex: r"f(x) = \max(0, x)^{2}",
        formula_text: "f(x) = max(0, x)²",
        derivative_latex: r"f'(x) = 2\max(0, x)",
        derivative_text: "f′(x) = 2·max(0, x)",
        range_lower: closed(0.0),
        range_upper: POS_INF,
        zero_centred: false,
        monotonicity: Monotonicity::NonDecreasing,
        smoothness: Smoothness::C1,
        max_abs_derivative: f64::INFINITY,
        max_abs_derivative_at: "x → ∞ (f′ = 2x grows without bound)",
        derivative_from_output: false,
        saturation: RELU_SAT,
        uses: &[Use::Hidden],
        failure_modes: &[
            FailureMode::Exploding,
            FailureMode::Dying,
            FailureMode::NotZeroCentred,
        ],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "max(x, 0)² with one rounding; overflows to +∞ only past √MAX (≈ 1.34e154 in \
                   f64, ≈ 1.84e19 in f32)",
        paper: paper(
            "Primer: Searching for Efficient Transformers for Language Modeling",
            "So et al.",
            2021,
        ),
    },
    Info {
        name: "snake",
        title: "Snake",
        formula_latex: r"f(x) = x + \frac{\sin^{2}(\alpha x)}{\alpha}, \qquad \alpha = 1",
        formula_text: "f(x) = x + sin²(αx)/α (α = 1)",
        derivative_latex: r"f'(x) = 1 + \sin(2\alpha x)",
        derivative_text: "f′(x) = 1 + sin(2αx)",
        range_lower: NEG_INF,
        range_upper: POS_INF,
        zero_centred: true,
        // f′ ≥ 0 and vanishes only at isolated points, so f is strictly increasing
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 2.0,
        max_abs_derivative_at: "x = π/4 + kπ (α = 1)",
        derivative_from_output: false,
        saturation: "none in the tails; f′ = 1 + sin 2x touches 0 at the isolated points x = −π/4 \
                     + kπ",
        uses: &[Use::Hidden],
        failure_modes: &[],
        recommended_init: Init::LeCun,
        gain: 1.0,
        numerics: "f′ = 1 + sin(2αx) computed as a whole (dd::one_plus_sin with Payne–Hanek \
                   argument reduction), because the sum cancels completely at its zeros 2αx = −π/2 \
                   + 2πk, even for |x| ~ 1e300; f = x + sin²(αx)/α, where sin²/α ≤ 1/α is tiny \
                   against x once |αx| ≫ 1",
        paper: paper(
            "Neural Networks Fail to Learn Periodic Functions and How to Fix It",
            "Ziyin et al.",
            2020,
        ),
    },
    Info {
        name: "glu",
        title: "GLU",
        formula_latex: r"f(a, b) = a \odot \sigma(b), \qquad [a, b] = \text{the two halves of the input}",
        formula_text: "f(a, b) = a ⊙ σ(b), a and b the two halves of the input along the gated \
                       dimension",
        derivative_latex: r"\frac{\partial f}{\partial a} = \sigma(b), \qquad \frac{\partial f}{\partial b} = a\,\sigma(b)\,\bigl(1 - \sigma(b)\bigr)",
        derivative_text: "∂f/∂a = σ(b); ∂f/∂b = a·σ(b)(1 − σ(b))",
        range_lower: NEG_INF,
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::NotMonotonic,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: f64::INFINITY,
        max_abs_derivative_at: "|a| → ∞ (∂f/∂b = a·σ′(b) grows with |a|; ∂f/∂a = σ(b) < 1)",
        derivative_from_output: false,
        saturation: "gate tails: ∂f/∂a = σ(b) < 0.01 for b < −4.5951199; the gate's slope σ′(b) < \
                     0.01 for |b| > 4.5848633 (< 1e-6 past 13.815509), which scales ∂f/∂b",
        uses: &[Use::Hidden, Use::Gate],
        failure_modes: &[FailureMode::Vanishing],
        recommended_init: Init::Glorot,
        gain: 1.0,
        numerics: "a·σ(b) with the two-branch σ on e^(−|b|)",
        paper: paper(
            "Language Modeling with Gated Convolutional Networks",
            "Dauphin et al.",
            2017,
        ),
    },
    Info {
        name: "reglu",
        title: "ReGLU",
        formula_latex: r"f(a, b) = a \odot \max(0, b)",
        formula_text: "f(a, b) = a ⊙ max(0, b), a and b the two halves of the input",
        derivative_latex: r"\frac{\partial f}{\partial a} = \max(0, b), \qquad \frac{\partial f}{\partial b} = \begin{cases} a & b > 0 \\ 0 & b \le 0 \end{cases}",
        derivative_text: "∂f/∂a = max(0, b); ∂f/∂b = a if b > 0, else 0 (0 at b = 0, as relu′(0) = \
                          0)",
        range_lower: NEG_INF,
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::NotMonotonic,
        smoothness: Smoothness::Continuous,
        max_abs_derivative: f64::INFINITY,
        max_abs_derivative_at: "|a| → ∞ or b → ∞ (both partials grow without bound)",
        derivative_from_output: false,
        saturation: "gate closed: both partials are 0 exactly for b ≤ 0",
        uses: &[Use::Hidden, Use::Gate],
        failure_modes: &[FailureMode::Dying, FailureMode::Exploding],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "a·max(b, 0): one rounding",
        paper: paper("GLU Variants Improve Transformer", "Shazeer", 2020),
    },
    Info {
        name: "geglu",
        title: "GEGLU",
        formula_latex: r"f(a, b) = a \odot \operatorname{gelu}(b) = a \odot b\,\Phi(b)",
        formula_text: "f(a, b) = a ⊙ gelu(b) = a ⊙ b·Φ(b), a and b the two halves of the input",
        derivative_latex: r"\frac{\partial f}{\partial a} = b\,\Phi(b), \qquad \frac{\partial f}{\partial b} = a\,\bigl(\Phi(b) + b\,\varphi(b)\bigr)",
        derivative_text: "∂f/∂a = b·Φ(b); ∂f/∂b = a·(Φ(b) + b·φ(b))",
        range_lower: NEG_INF,
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::NotMonotonic,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: f64::INFINITY,
        max_abs_derivative_at: "|a| → ∞ or b → ∞ (both partials grow without bound)",
        derivative_from_output: false,
        saturation: "gate closed for b ≪ 0: |gelu(b)| and |gelu′(b)| < 0.01 for b < −3.0674272 (< \
                     1e-6 for b < −5.3940733); ∂f/∂b is a times the latter",
        uses: &[Use::Hidden, Use::Gate],
        failure_modes: &[FailureMode::Exploding],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "a·gelu(b), gelu as b·erfc(−b/√2)/2 so the gate's left tail stays exact",
        paper: paper("GLU Variants Improve Transformer", "Shazeer", 2020),
    },
    Info {
        name: "swiglu",
        title: "SwiGLU",
        formula_latex: r"f(a, b) = a \odot \operatorname{silu}(b) = a \odot b\,\sigma(b)",
        formula_text: "f(a, b) = a ⊙ silu(b) = a ⊙ b·σ(b), a and b the two halves of the input",
        derivative_latex: r"\frac{\partial f}{\partial a} = b\,\sigma(b), \qquad \frac{\partial f}{\partial b} = a\,\sigma(b)\,\bigl(1 + b\,(1 - \sigma(b))\bigr)",
        derivative_text: "∂f/∂a = b·σ(b); ∂f/∂b = a·σ(b)(1 + b(1 − σ(b)))",
        range_lower: NEG_INF,
        range_upper: POS_INF,
        zero_centred: true,
        monotonicity: Monotonicity::NotMonotonic,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: f64::INFINITY,
        max_abs_derivative_at: "|a| → ∞ or b → ∞ (both partials grow without bound)",
        derivative_from_output: false,
        saturation: "gate closed for b ≪ 0: |silu(b)| and |silu′(b)| < 0.01 for b < −6.4709459 (< \
                     1e-6 for b < −16.626509); ∂f/∂b is a times the latter",
        uses: &[Use::Hidden, Use::Gate],
        failure_modes: &[FailureMode::Exploding],
        recommended_init: Init::He,
        gain: SQRT_2,
        numerics: "a·b·σ(b) with the two-branch σ on e^(−|b|)",
        paper: paper("GLU Variants Improve Transformer", "Shazeer", 2020),
    },
    Info {
        name: "softmax",
        title: "Softmax",
        formula_latex: r"f(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}",
        formula_text: "f(z)_i = e^(z_i) / Σ_j e^(z_j), over each row",
        derivative_latex: r"\frac{\partial y_i}{\partial z_j} = y_i\,(\delta_{ij} - y_j)",
        derivative_text: "∂y_i/∂z_j = y_i(δ_ij − y_j), from the output; the backward is y ⊙ (g − \
                          ⟨g, y⟩) for an upstream gradient g",
        range_lower: open(0.0),
        range_upper: open(1.0),
        zero_centred: false,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 0.25,
        max_abs_derivative_at: "y_i = 1/2 (the diagonal ∂y_i/∂z_i = y_i(1 − y_i))",
        derivative_from_output: true,
        saturation: SOFTMAX_SAT,
        uses: &[Use::MulticlassOutput, Use::Gate],
        failure_modes: &[FailureMode::Vanishing],
        recommended_init: Init::Glorot,
        gain: 1.0,
        numerics: "shift by the row max first, e^(z_i − max z) ≤ 1 never overflows, then divide by \
                   the sum",
        paper: paper(
            "Probabilistic Interpretation of Feedforward Classification Network Outputs, with \
             Relationships to Statistical Pattern Recognition",
            "Bridle",
            1990,
        ),
    },
    Info {
        name: "log_softmax",
        title: "Log-softmax",
        formula_latex: r"f(z)_i = z_i - \ln \sum_j e^{z_j}",
        formula_text: "f(z)_i = z_i − ln Σ_j e^(z_j), over each row",
        derivative_latex: r"\frac{\partial y_i}{\partial z_j} = \delta_{ij} - e^{y_j}",
        derivative_text: "∂y_i/∂z_j = δ_ij − e^(y_j) = δ_ij − softmax(z)_j, from the output; the \
                          backward is g − e^y·Σg for an upstream gradient g",
        range_lower: NEG_INF,
        range_upper: open(0.0),
        zero_centred: false,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "softmax(z)_i → 0 (the diagonal 1 − p_i; off the diagonal |p_j| < \
                                1)",
        derivative_from_output: true,
        saturation: "the dominant entry: ∂y_i/∂z_i = 1 − p_i < 0.01 once its margin z_i − ln \
                     Σ_{j≠i} e^(z_j) > 4.5951199 (< 1e-6 past 13.815510)",
        uses: &[Use::MulticlassOutput],
        failure_modes: &[],
        recommended_init: Init::Glorot,
        gain: 1.0,
        numerics: "z_i − m − ln Σ_j e^(z_j − m) with m = max z: never overflows, and stays finite \
                   where ln(softmax) would give ln 0 = −∞",
        paper: paper(
            "Probabilistic Interpretation of Feedforward Classification Network Outputs, with \
             Relationships to Statistical Pattern Recognition",
            "Bridle",
            1990,
        ),
    },
    Info {
        name: "softmin",
        title: "Softmin",
        formula_latex: r"f(z)_i = \frac{e^{-z_i}}{\sum_j e^{-z_j}}",
        formula_text: "f(z)_i = e^(−z_i) / Σ_j e^(−z_j) = softmax(−z)_i, over each row",
        derivative_latex: r"\frac{\partial y_i}{\partial z_j} = -y_i\,(\delta_{ij} - y_j)",
        derivative_text: "∂y_i/∂z_j = −y_i(δ_ij − y_j)",
        range_lower: open(0.0),
        range_upper: open(1.0),
        zero_centred: false,
        monotonicity: Monotonicity::Decreasing,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 0.25,
        max_abs_derivative_at: "y_i = 1/2 (the diagonal |∂y_i/∂z_i| = y_i(1 − y_i))",
        derivative_from_output: false,
        saturation: SOFTMAX_SAT,
        uses: &[Use::MulticlassOutput, Use::Gate],
        failure_modes: &[FailureMode::Vanishing],
        recommended_init: Init::Glorot,
        gain: 1.0,
        numerics: "softmax(−z) with the shift by max(−z) = −min z, so no exponent overflows",
        paper: paper(
            "Probabilistic Interpretation of Feedforward Classification Network Outputs, with \
             Relationships to Statistical Pattern Recognition",
            "Bridle",
            1990,
        ),
    },
    Info {
        name: "logsumexp",
        title: "Log-sum-exp",
        formula_latex: r"f(z) = \ln \sum_j e^{z_j}",
        formula_text: "f(z) = ln Σ_j e^(z_j), over each row",
        derivative_latex: r"\frac{\partial f}{\partial z_j} = \operatorname{softmax}(z)_j = e^{z_j - f(z)}",
        derivative_text: "∂f/∂z_j = softmax(z)_j = e^(z_j − f(z))",
        range_lower: NEG_INF,
        range_upper: POS_INF,
        zero_centred: false,
        monotonicity: Monotonicity::Increasing,
        smoothness: Smoothness::Smooth,
        max_abs_derivative: 1.0,
        max_abs_derivative_at: "z_j ≫ the rest of the row (softmax(z)_j → 1)",
        derivative_from_output: false,
        saturation: "entries far below the rest: ∂f/∂z_j < 0.01 once z_j < f(z) − 4.6051702 (< \
                     1e-6 past f(z) − 13.815511)",
        uses: &[Use::MulticlassOutput],
        failure_modes: &[FailureMode::Vanishing],
        recommended_init: Init::Glorot,
        gain: 1.0,
        numerics: "m + ln Σ_j e^(z_j − m) with m = max z: no exponent overflows and no term is \
                   lost when one entry dominates",
        paper: paper(
            "Probabilistic Interpretation of Feedforward Classification Network Outputs, with \
             Relationships to Statistical Pattern Recognition",
            "Bridle",
            1990,
        ),
    },
];

/// The catalogue entry named `name` (exact, case-sensitive match), or `None`.
///
/// ```
/// let s = act::metadata::info("sigmoid").unwrap();
/// assert_eq!(s.max_abs_derivative, 0.25);
/// assert!(s.derivative_from_output);
/// assert!(act::metadata::info("Sigmoid").is_none());
/// ```
pub fn info(name: &str) -> Option<&'static Info> {
    CATALOGUE.iter().find(|entry| entry.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The catalogue's names, in order.
    const NAMES: [&str; 36] = [
        "identity",
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "prelu",
        "rrelu",
        "elu",
        "selu",
        "celu",
        "gelu",
        "gelu_tanh",
        "silu",
        "swish",
        "mish",
        "softplus",
        "softsign",
        "hardsigmoid",
        "hardswish",
        "hardtanh",
        "relu6",
        "logsigmoid",
        "tanhshrink",
        "hardshrink",
        "softshrink",
        "threshold",
        "squared_relu",
        "snake",
        "glu",
        "reglu",
        "geglu",
        "swiglu",
        "softmax",
        "log_softmax",
        "softmin",
        "logsumexp",
    ];

    fn entry(name: &str) -> &'static Info {
        info(name).unwrap_or_else(|| panic!("{name} is not in the catalogue"))
    }

    fn names_where(keep: impl Fn(&Info) -> bool) -> Vec<&'static str> {
        CATALOGUE
            .iter()
            .filter(|e| keep(e))
            .map(|e| e.name)
            .collect()
    }

    #[test]
    fn catalogue_lists_every_function_in_order() {
        let names: Vec<&str> = CATALOGUE.iter().map(|e| e.name).collect();
        assert_eq!(names, NAMES);
    }

    #[test]
    fn names_are_unique_lowercase_snake_case() {
        for (i, e) in CATALOGUE.iter().enumerate() {
            let n = e.name;
            assert!(n.starts_with(|c: char| c.is_ascii_lowercase()), "{n}");
            assert!(
                n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{n}"
            );
            assert!(!n.ends_with('_') && !n.contains("__"), "{n}");
            assert!(
                CATALOGUE[i + 1..].iter().all(|other| other.name != n),
                "{n} twice"
            );
        }
    }

    #[test]
    fn info_matches_exact_names_only() {
        for name in NAMES {
            assert_eq!(entry(name).name, name);
        }
        assert!(info("").is_none());
        assert!(info("ReLU").is_none());
        assert!(info("relu ").is_none());
        assert!(info("leaky-relu").is_none());
    }

    #[test]
    fn every_text_field_is_filled_and_latex_balanced() {
        for e in CATALOGUE {
            let texts = [
                e.title,
                e.formula_latex,
                e.formula_text,
                e.derivative_latex,
                e.derivative_text,
            ];
            for t in texts
                .into_iter()
                .chain([e.max_abs_derivative_at, e.numerics, e.paper.title])
            {
                assert!(!t.trim().is_empty(), "{}: empty field", e.name);
            }
            assert!(
                !e.paper.authors.is_empty() && (1900..=2030).contains(&e.paper.year),
                "{}",
                e.name
            );
            assert!(!e.uses.is_empty(), "{}", e.name);
            for latex in [e.formula_latex, e.derivative_latex] {
                // Braces balance (ignoring escaped \{ \}) and every \begin has its \end.
                let unescaped = latex.replace(r"\{", "").replace(r"\}", "");
                let mut depth = 0i32;
                for c in unescaped.chars() {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    assert!(depth >= 0, "{}: {latex}", e.name);
                }
                assert_eq!(depth, 0, "{}: {latex}", e.name);
                assert_eq!(
                    latex.matches(r"\begin{").count(),
                    latex.matches(r"\end{").count(),
                    "{latex}"
                );
                assert_eq!(
                    latex.matches(r"\left").count(),
                    latex.matches(r"\right").count(),
                    "{latex}"
                );
            }
        }
    }

    #[test]
    fn ranges_are_consistent() {
        for e in CATALOGUE {
            let (lo, hi) = (e.range_lower, e.range_upper);
            assert!(lo.value < hi.value, "{}: empty range", e.name);
            for end in [lo, hi] {
                assert!(!end.value.is_nan(), "{}", e.name);
                assert!(
                    end.value.is_finite() || !end.closed,
                    "{}: an infinite end is never attained",
                    e.name
                );
            }
            if e.zero_centred {
                assert!(
                    lo.value < 0.0 && 0.0 < hi.value,
                    "{}: zero-centred takes both signs",
                    e.name
                );
            }
            if e.failure_modes.contains(&FailureMode::NotZeroCentred) {
                assert!(lo.value >= 0.0, "{}: claims all-positive outputs", e.name);
            }
        }
    }

    #[test]
    fn bounded_functions_have_finite_ends() {
        let bounded =
            names_where(|e| e.range_lower.value.is_finite() && e.range_upper.value.is_finite());
        assert_eq!(
            bounded,
            [
                "sigmoid",
                "tanh",
                "softsign",
                "hardsigmoid",
                "hardtanh",
                "relu6",
                "softmax",
                "softmin"
            ]
        );
        // A bounded function's derivative is bounded too (none of these has a vertical tangent).
        for name in bounded {
            assert!(entry(name).max_abs_derivative.is_finite(), "{name}");
        }
    }

    #[test]
    fn derivative_from_output_is_exactly_the_agreed_list() {
        assert_eq!(
            names_where(|e| e.derivative_from_output),
            [
                "identity",
                "sigmoid",
                "tanh",
                "relu",
                "leaky_relu",
                "prelu",
                "rrelu",
                "elu",
                "selu",
                "celu",
                "hardtanh",
                "relu6",
                "softmax",
                "log_softmax",
            ]
        );
    }

    #[test]
    fn gains_match_pytorch_calculate_gain() {
        let leaky = |slope: f64| (2.0 / (1.0 + slope * slope)).sqrt();
        let expected = [
            ("identity", 1.0),
            ("sigmoid", 1.0),
            ("tanh", 5.0 / 3.0),
            ("relu", 2f64.sqrt()),
            ("leaky_relu", leaky(0.01)),
            ("selu", 0.75),
            // calculate_gain("leaky_relu", param) with the functions' default slopes.
            ("prelu", leaky(0.25)),
            ("rrelu", leaky(11.0 / 48.0)),
        ];
        for (name, gain) in expected {
            let got = entry(name).gain;
            assert!(
                (got - gain).abs() <= 2.0 * f64::EPSILON * gain,
                "{name}: {got} vs {gain}"
            );
        }
        // The rest: √2 exactly where He initialisation is recommended, 1 otherwise.
        for e in CATALOGUE
            .iter()
            .filter(|e| !expected.iter().any(|(n, _)| *n == e.name))
        {
            let want = if e.recommended_init == Init::He {
                core::f64::consts::SQRT_2
            } else {
                1.0
            };
            assert_eq!(e.gain, want, "{}", e.name);
        }
    }

    #[test]
    fn selu_constants_are_pytorchs() {
        // torch.nn.SELU: alpha = 1.6732632423543772848170429916717,
        //                scale = 1.0507009873554804934193349852946
        let lambda_alpha =
            1.0507009873554804934193349852946_f64 * 1.6732632423543772848170429916717;
        let selu = entry("selu");
        assert!((selu.max_abs_derivative - lambda_alpha).abs() <= f64::EPSILON * 2.0);
        assert_eq!(selu.range_lower.value, -selu.max_abs_derivative);
    }

    #[test]
    fn max_abs_derivative_is_positive_and_unbounded_only_where_said() {
        for e in CATALOGUE {
            let m = e.max_abs_derivative;
            assert!(m > 0.0, "{}", e.name);
            if m.is_infinite() {
                assert!(
                    e.max_abs_derivative_at.contains('∞'),
                    "{}: say where it grows",
                    e.name
                );
            }
        }
        assert_eq!(
            names_where(|e| e.max_abs_derivative.is_infinite()),
            ["squared_relu", "glu", "reglu", "geglu", "swiglu"]
        );
    }

    // ---- The numbers, re-derived in f64 from the definitions ------------------------------------

    fn sigmoid(x: f64) -> f64 {
        if x >= 0.0 {
            1.0 / (1.0 + (-x).exp())
        } else {
            x.exp() / (1.0 + x.exp())
        }
    }

    fn softplus(x: f64) -> f64 {
        x.max(0.0) + (-x.abs()).exp().ln_1p()
    }

    // d/dx σ = σ(1 − σ)
    fn d_sigmoid(x: f64) -> f64 {
        sigmoid(x) * sigmoid(-x)
    }

    // d/dx tanh = 1 − tanh²
    fn d_tanh(x: f64) -> f64 {
        1.0 - x.tanh().powi(2)
    }

    fn silu(x: f64) -> f64 {
        x * sigmoid(x)
    }

    // d/dx silu = σ(x)(1 + x(1 − σ(x)))
    fn d_silu(x: f64) -> f64 {
        sigmoid(x) * (1.0 + x * sigmoid(-x))
    }

    fn mish(x: f64) -> f64 {
        x * softplus(x).tanh()
    }

    // d/dx mish = tanh s + xσ(x)sech²s, s = softplus x
    fn d_mish(x: f64) -> f64 {
        let t = softplus(x).tanh();
        t + x * sigmoid(x) * (1.0 - t * t)
    }

    const GELU_TANH_C: f64 = 0.79788456080286535588; // √(2/π)

    fn gelu_tanh(x: f64) -> f64 {
        x * sigmoid(2.0 * GELU_TANH_C * (x + 0.044715 * x * x * x))
    }

    // d/dx ½x(1 + tanh u) = σ(2u) + 2x·σ(2u)σ(−2u)·u′, u′ = √(2/π)(1 + 0.134145x²)
    fn d_gelu_tanh(x: f64) -> f64 {
        let two_u = 2.0 * GELU_TANH_C * (x + 0.044715 * x * x * x);
        let du = GELU_TANH_C * (1.0 + 0.134145 * x * x);
        sigmoid(two_u) + 2.0 * x * sigmoid(two_u) * sigmoid(-two_u) * du
    }

    fn hardswish(x: f64) -> f64 {
        x * (x + 3.0).clamp(0.0, 6.0) / 6.0
    }

    // PyTorch's convention: 0 below −3, x/3 + 1/2 on the closed [−3, 3], 1 above.
    fn d_hardswish(x: f64) -> f64 {
        if x < -3.0 {
            0.0
        } else if x <= 3.0 {
            x / 3.0 + 0.5
        } else {
            1.0
        }
    }

    /// A scalar function or derivative in f64.
    type Scalar = fn(f64) -> f64;

    fn grid() -> impl Iterator<Item = f64> {
        (-300_000..=300_000).map(|i| f64::from(i) * 1e-4)
    }

    /// Checks `max_abs_derivative` against `d` at `argmax` and as an upper bound on a grid.
    fn check_max_derivative(name: &str, d: Scalar, argmax: f64) {
        let claimed = entry(name).max_abs_derivative;
        assert!(
            (d(argmax).abs() - claimed).abs() <= 1e-13,
            "{name}: f′({argmax}) = {}",
            d(argmax)
        );
        let worst = grid().map(|x| d(x).abs()).fold(0.0, f64::max);
        assert!(
            worst <= claimed + 1e-13,
            "{name}: grid max {worst} > {claimed}"
        );
    }

    /// Checks a closed `range_lower` against `f` at `argmin` and as a lower bound on a grid.
    fn check_minimum(name: &str, f: Scalar, argmin: f64) {
        let lower = entry(name).range_lower;
        assert!(lower.closed, "{name}");
        assert!(
            (f(argmin) - lower.value).abs() <= 1e-14,
            "{name}: f({argmin}) = {}",
            f(argmin)
        );
        let lowest = grid().map(f).fold(f64::INFINITY, f64::min);
        assert!(
            lowest >= lower.value - 1e-15,
            "{name}: grid min {lowest} < {}",
            lower.value
        );
    }

    #[test]
    fn extrema_match_the_definitions() {
        // Arguments from mpmath (40 digits): roots of f″ for the maxima of f′, roots of f′ for the
        // minima of f.
        check_max_derivative("sigmoid", d_sigmoid, 0.0);
        check_max_derivative("tanh", d_tanh, 0.0);
        check_max_derivative("silu", d_silu, 2.3993572805154676678);
        check_max_derivative("swish", d_silu, 2.3993572805154676678);
        check_max_derivative("mish", d_mish, 1.4905711794854284593);
        check_max_derivative("gelu_tanh", d_gelu_tanh, 1.4185040087908283555);
        check_max_derivative("hardswish", d_hardswish, 3.0);
        check_max_derivative(
            "snake",
            |x| 1.0 + (2.0 * x).sin(),
            core::f64::consts::FRAC_PI_4,
        );
        check_max_derivative("softsign", |x| 1.0 / (1.0 + x.abs()).powi(2), 0.0);
        check_minimum("silu", silu, -1.2784645427610737951);
        check_minimum("swish", silu, -1.2784645427610737951);
        check_minimum("mish", mish, -1.1924312145154952121);
        check_minimum("gelu_tanh", gelu_tanh, -0.75246142207101625849);
        check_minimum("hardswish", hardswish, -1.5);
    }

    #[test]
    fn gelu_extrema_match_closed_forms() {
        // gelu″ = φ(x)(2 − x²) vanishes at x = √2, where
        // f′ = Φ(√2) + √2φ(√2) = (1 + erf 1)/2 + 1/(e√π).
        const ERF_1: f64 = 0.84270079294971486934; // mpmath erf(1)
        let at_sqrt2 =
            0.5 * (1.0 + ERF_1) + 1.0 / (core::f64::consts::E * core::f64::consts::PI.sqrt());
        assert!((entry("gelu").max_abs_derivative - at_sqrt2).abs() <= 4.0 * f64::EPSILON);
        // The minimum xΦ(x) sits where Φ(x) = −xφ(x); mpmath: x = −0.75179152469356445746 and
        // Φ(x) = 0.22608930862036770 there, so the value is x·Φ(x).
        let x = -0.75179152469356445746_f64;
        let phi = (-0.5 * x * x).exp() / (2.0 * core::f64::consts::PI).sqrt();
        assert!((entry("gelu").range_lower.value - x * (-x * phi)).abs() <= 1e-15);
    }

    /// The saturation texts quote x where |f′(x)| crosses a level; check each crossing.
    #[test]
    fn saturation_thresholds_hold() {
        let crossings: [(&str, Scalar, &str, f64); 20] = [
            ("sigmoid", d_sigmoid, "4.5848633", 0.01),
            ("sigmoid", d_sigmoid, "13.815509", 1e-6),
            ("tanh", d_tanh, "2.9932228", 0.01),
            ("tanh", d_tanh, "7.6009022", 1e-6),
            ("elu", f64::exp, "−4.6051702", 0.01),
            ("elu", f64::exp, "−13.815511", 1e-6),
            ("selu", |x| SELU_LAMBDA_ALPHA * x.exp(), "−5.1694035", 0.01),
            ("selu", |x| SELU_LAMBDA_ALPHA * x.exp(), "−14.379744", 1e-6),
            ("softplus", sigmoid, "−4.5951199", 0.01),
            ("softplus", sigmoid, "−13.815510", 1e-6),
            ("logsigmoid", |x| sigmoid(-x), "4.5951199", 0.01),
            ("softsign", |x| 1.0 / (1.0 + x.abs()).powi(2), "999", 1e-6),
            ("tanhshrink", |x| x.tanh().powi(2), "0.10033535", 0.01),
            ("tanhshrink", |x| x.tanh().powi(2), "0.0010000003", 1e-6),
            ("silu", d_silu, "−6.2613888", 0.01),
            ("silu", d_silu, "−16.560229", 1e-6),
            ("mish", d_mish, "−6.2639688", 0.01),
            ("mish", d_mish, "−16.560229", 1e-6),
            ("gelu_tanh", d_gelu_tanh, "−3.0528550", 0.01),
            ("gelu_tanh", d_gelu_tanh, "−5.0670718", 1e-6),
        ];
        for (name, d, x_text, level) in crossings {
            assert!(
                entry(name).saturation.contains(x_text),
                "{name}: saturation text lacks {x_text}"
            );
            let x: f64 = x_text.replace('−', "-").parse().unwrap();
            let rel = (d(x).abs() - level).abs() / level;
            assert!(rel < 2e-6, "{name}: |f′({x})| = {} vs {level}", d(x).abs());
        }
    }

    #[test]
    fn monotonicity_claims_hold_on_a_grid() {
        let increasing: [(&str, Scalar); 6] = [
            ("sigmoid", sigmoid),
            ("softplus", softplus),
            ("tanhshrink", |x| x - x.tanh()),
            ("snake", |x| x + x.sin().powi(2)),
            ("logsigmoid", |x| -softplus(-x)),
            ("softsign", |x| x / (1.0 + x.abs())),
        ];
        for (name, f) in increasing {
            assert_eq!(entry(name).monotonicity, Monotonicity::Increasing, "{name}");
            let xs: Vec<f64> = (-2000..=2000)
                .map(|i| f64::from(i) * 0.005 + 0.001)
                .collect();
            assert!(xs.windows(2).all(|w| f(w[0]) < f(w[1])), "{name}");
        }
        // The non-monotone ones really do decrease somewhere (f′ < 0 at the quoted dip).
        for (name, d) in [
            ("silu", d_silu as Scalar),
            ("mish", d_mish),
            ("gelu_tanh", d_gelu_tanh),
        ] {
            assert_eq!(entry(name).monotonicity, Monotonicity::NotMonotonic);
            assert!(d(-2.0) < 0.0, "{name}");
        }
    }
}
