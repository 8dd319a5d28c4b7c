//! The gated linear unit family: GLU, ReGLU, GEGLU and SwiGLU, over the two halves of a vector.
//!
//! Convention (PyTorch's `torch.nn.GLU`, `dim = -1`): an input row of length 2n splits into
//! a = its first half and b = its second half, and
//!
//! ```text
//! out = a ⊙ g(b)                 (n entries)
//! ∂out_i/∂a_i = g(b_i)
//! ∂out_i/∂b_i = a_i·g′(b_i)
//! ```
//!
//! with the gate g one of the catalogue's activations:
//!
//! | gate | g | paper |
//! |---|---|---|
//! | glu | σ (sigmoid) | Dauphin et al. 2017 |
//! | reglu | relu (g′(0) = 0) | Shazeer 2020 |
//! | geglu | gelu, erf form | Shazeer 2020 |
//! | swiglu | silu = x·σ(x) | Shazeer 2020 |
//!
//! Shazeer's "GLU Variants Improve Transformer" writes the same product with the projections
//! inside, FFN(x) = (g(xW) ⊙ xV)W₂: here b = xW is the half that goes through the gate and
//! a = xV the linear half, so a layer computing [xV, xW] in one matrix product feeds this module
//! directly.
//!
//! # Accuracy
//!
//! Every value, forward and backward, is rounded once: rounding g(b) to the output type first
//! and then multiplying would round twice (up to 1 ULP plus the gate's own error).
//!
//! - `f64`: the gate's value and derivative come from the catalogue's double-double reference
//!   ([`Activation::reference_forward`], [`Activation::reference_derivative`], better than 2⁻⁹⁰
//!   relative) and the product with a (and with the upstream gradient) is formed in
//!   double-double: within 0.5 + 2⁻⁴⁰ ULP, correctly rounded but for a hair around the ties.
//!   (A product whose gate value lies below f64's normal range, 2⁻¹⁰²², keeps only the gate's
//!   subnormal precision.) It costs what [`Activation::forward`] costs in `f64`.
//! - `f32`: the gate comes from the catalogue's own `f32` evaluation (the stable `f64` formula
//!   each activation's doc names) before its final rounding, and the product is formed in `f64`,
//!   about fifty times faster than double-double. The forward value and ∂/∂a = g(b) are a few
//!   2⁻⁵³ relative off before their one rounding: within 0.5 + 2⁻¹⁶ ULP (a strided sweep of b
//!   over every f32 binade measures below 0.5 + 10⁻⁸). ∂/∂b = a·g′(b) is as accurate as the
//!   catalogue's f32 derivative (≤ 2 ULP): also within 0.5 ULP but next to the zeros of g′, where
//!   the formula for g′ cancels (0.58 ULP beside gelu′'s zero at b ≈ −0.7518).
//!
//! NaN in gives NaN out; ∞·0 is NaN (a = ±∞ against a closed gate), as in PyTorch.
//!
//! ```
//! use act::gated::{gated_forward, Gate};
//!
//! // One row [a₀, a₁ | b₀, b₁] = [2, 3 | 0, 1e30]: glu gives (2σ(0), 3σ(1e30)) = (1, 3).
//! let mut out = [0.0f32; 2];
//! gated_forward(Gate::Glu, &[2.0, 3.0, 0.0, 1e30], &mut out, 2)?;
//! assert_eq!(out, [1.0, 3.0]);
//! assert_eq!(Gate::from_name("swiglu")?.forward(2.0f64, 0.0), 0.0); // silu(0) = 0
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::dd::DD;
use crate::functions::{gelu, sigmoid};
use crate::metadata::{self, Info};
use crate::rowwise::{RowError, check_len, round, whole_rows};
use crate::{Activation, ParamError, Real};

/// A gated unit: out = a ⊙ g(b) over the halves [a, b] of its input, g the gate's activation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gate {
    /// GLU (Dauphin et al. 2017): g = σ, the logistic sigmoid.
    Glu,
    /// ReGLU (Shazeer 2020): g = relu, with relu′(0) = 0 (PyTorch's convention), so a closed or
    /// just-closed gate passes no gradient to b.
    Reglu,
    /// GEGLU (Shazeer 2020): g = gelu in its exact erf form, b·Φ(b).
    Geglu,
    /// SwiGLU (Shazeer 2020; the feed-forward block of LLaMA and PaLM): g = silu = b·σ(b).
    Swiglu,
}

impl Gate {
    /// Every gate, in catalogue order.
    pub const ALL: [Gate; 4] = [Gate::Glu, Gate::Reglu, Gate::Geglu, Gate::Swiglu];

    /// The catalogue name: `"glu"`, `"reglu"`, `"geglu"` or `"swiglu"`.
    pub fn name(self) -> &'static str {
        match self {
            Gate::Glu => "glu",
            Gate::Reglu => "reglu",
            Gate::Geglu => "geglu",
            Gate::Swiglu => "swiglu",
        }
    }

    /// The gate called `name` (a catalogue name, as [`name`](Gate::name) gives).
    ///
    /// # Errors
    ///
    /// [`ParamError::UnknownFunction`] for any other name.
    ///
    /// ```
    /// use act::gated::Gate;
    /// assert_eq!(Gate::from_name("geglu").unwrap(), Gate::Geglu);
    /// assert!(Gate::from_name("gelu").is_err()); // element-wise, not gated
    /// ```
    pub fn from_name(name: &str) -> Result<Gate, ParamError> {
        Gate::ALL
            .into_iter()
            .find(|g| g.name() == name)
            .ok_or_else(|| ParamError::UnknownFunction {
                name: name.to_string(),
            })
    }

    /// The activation g applied to the gate half b: sigmoid, relu, gelu (erf form) or silu.
    ///
    /// ```
    /// use act::{Activation, gated::Gate};
    /// assert_eq!(Gate::Swiglu.activation(), Activation::Silu);
    /// ```
    pub fn activation(self) -> Activation {
        match self {
            Gate::Glu => Activation::Sigmoid,
            Gate::Reglu => Activation::Relu,
            Gate::Geglu => Activation::Gelu,
            Gate::Swiglu => Activation::Silu,
        }
    }

    /// The catalogue's "how to choose" metadata ([`Info`]) for this gate.
    pub fn info(self) -> &'static Info {
        metadata::info(self.name()).expect("every gate has catalogue metadata")
    }

    /// a·g(b), rounded once: within 0.5 + 2⁻⁴⁰ ULP in f64, 0.5 + 2⁻¹⁶ ULP in f32 (see the
    /// [module docs](self)).
    ///
    /// ```
    /// use act::gated::Gate;
    /// assert_eq!(Gate::Glu.forward(3.0f32, 0.0), 1.5);        // 3·σ(0)
    /// assert_eq!(Gate::Reglu.forward(3.0f32, -1.0), 0.0);     // gate closed
    /// assert!(Gate::Geglu.forward(1.0f32, -10.0) < 0.0);      // gelu(−10) = −7.6e-23, not 0
    /// ```
    pub fn forward<T: Real>(self, a: T, b: T) -> T {
        let (a, b) = (a.to_f64(), b.to_f64());
        if T::NAME == "f32" {
            T::from_f64(a * self.value_f64(b))
        } else {
            product(self.activation().reference_forward(b), a, 1.0)
        }
    }

    /// The partial derivatives (∂/∂a, ∂/∂b) of a·g(b): (g(b), a·g′(b)), each rounded once (for
    /// the accuracy of each in f32 and f64 see the [module docs](self)).
    ///
    /// ```
    /// use act::gated::Gate;
    /// // glu at b = 0: σ(0) = 1/2 and a·σ′(0) = a/4.
    /// assert_eq!(Gate::Glu.backward(2.0f64, 0.0), (0.5, 0.5));
    /// // reglu at the kink: relu′(0) = 0.
    /// assert_eq!(Gate::Reglu.backward(2.0f32, 0.0), (0.0, 0.0));
    /// ```
    pub fn backward<T: Real>(self, a: T, b: T) -> (T, T) {
        let (a, b) = (a.to_f64(), b.to_f64());
        if T::NAME == "f32" {
            (
                T::from_f64(self.value_f64(b)),
                T::from_f64(a * self.slope_f64(b)),
            )
        } else {
            let g = self.activation();
            (
                product(g.reference_forward(b), 1.0, 1.0),
                product(g.reference_derivative(b), a, 1.0),
            )
        }
    }

    /// g(b) in plain f64, for f32 results: the catalogue's own f32 evaluation of the gate's
    /// activation (the stable f64 formula each of its docs names) before its final rounding, a
    /// few 2⁻⁵³ relative. relu needs no formula: its exact value.
    #[inline]
    fn value_f64(self, b: f64) -> f64 {
        match self {
            Gate::Glu => sigmoid::sigmoid_fast(b),
            Gate::Reglu => Activation::Relu.reference_forward(b).hi,
            Gate::Geglu => gelu::gelu_fast(b),
            Gate::Swiglu => sigmoid::swish_fast(b, 1.0),
        }
    }

    /// g′(b) in plain f64, for f32 results (as [`value_f64`](Gate::value_f64)).
    #[inline]
    fn slope_f64(self, b: f64) -> f64 {
        match self {
            Gate::Glu => sigmoid::sigmoid_derivative_fast(b),
            Gate::Reglu => Activation::Relu.reference_derivative(b).hi,
            Gate::Geglu => gelu::gelu_derivative_fast(b),
            Gate::Swiglu => sigmoid::swish_derivative_fast(b, 1.0),
        }
    }
}

impl core::fmt::Display for Gate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

impl core::str::FromStr for Gate {
    type Err = ParamError;
    /// As [`Gate::from_name`].
    fn from_str(s: &str) -> Result<Gate, ParamError> {
        Gate::from_name(s.trim())
    }
}

/// g·a·c for a double-double g and f64 a and c, rounded once. Where the plain product is not a
/// finite number (∞, NaN, or an f64 overflow) the plain product is the answer: the
/// double-double's error terms would turn ∞ into NaN.
#[inline]
fn product<T: Real>(g: DD, a: f64, c: f64) -> T {
    let plain = g.hi * a * c;
    if !plain.is_finite() {
        return T::from_f64(plain);
    }
    let p = g.mul_f64(a).mul_f64(c);
    if p.hi.is_finite() && p.lo.is_finite() {
        round(p)
    } else {
        T::from_f64(p.hi)
    }
}

/// The gated forward pass over rows: each row of `x` holds 2·`cols` entries [a | b] and gives a
/// row of `cols` outputs a ⊙ g(b) in `out`.
///
/// # Errors
///
/// [`RowError::ZeroCols`], [`RowError::NotWholeRows`] (rows of 2·`cols`), or
/// [`RowError::LengthMismatch`] for `out` (rows·`cols` entries).
///
/// ```
/// use act::gated::{gated_forward, Gate};
/// // Two rows of [a | b] with cols = 1: reglu gives a·max(b, 0).
/// let mut out = [0.0f64; 2];
/// gated_forward(Gate::Reglu, &[2.0, 3.0, 2.0, -3.0], &mut out, 1)?;
/// assert_eq!(out, [6.0, 0.0]);
/// # Ok::<(), act::rowwise::RowError>(())
/// ```
pub fn gated_forward<T: Real>(
    gate: Gate,
    x: &[T],
    out: &mut [T],
    cols: usize,
) -> Result<(), RowError> {
    let row_len = cols.saturating_mul(2); // a length past usize::MAX is no whole number of rows
    let rows = whole_rows(x.len(), row_len)?;
    check_len("out", rows * cols, out.len())?;
    if rows == 0 {
        return Ok(());
    }
    for (row, out_row) in x.chunks_exact(row_len).zip(out.chunks_exact_mut(cols)) {
        let (a, b) = row.split_at(cols); // (cols), (cols)
        for ((o, &ai), &bi) in out_row.iter_mut().zip(a).zip(b) {
            *o = gate.forward(ai, bi);
        }
    }
    Ok(())
}

/// The gated backward pass over rows: for input rows [a | b] (2·`cols` each) and upstream
/// gradients `dy` (`cols` per row), overwrites `dx` (2·`cols` per row) with
/// [dy ⊙ g(b) | dy ⊙ a ⊙ g′(b)], each entry rounded once (see the [module docs](self)).
///
/// # Errors
///
/// [`RowError::ZeroCols`], [`RowError::NotWholeRows`] for `x`, [`RowError::LengthMismatch`] for
/// `dy` (rows·`cols`) or `dx` (the length of `x`).
///
/// ```
/// use act::gated::{gated_backward, Gate};
/// // glu, one row [a | b] = [2 | 0], dy = 1: dx = [σ(0) | 2·σ′(0)] = [1/2 | 1/2].
/// let mut dx = [0.0f32; 2];
/// gated_backward(Gate::Glu, &[2.0, 0.0], &[1.0], &mut dx, 1)?;
/// assert_eq!(dx, [0.5, 0.5]);
/// # Ok::<(), act::rowwise::RowError>(())
/// ```
pub fn gated_backward<T: Real>(
    gate: Gate,
    x: &[T],
    dy: &[T],
    dx: &mut [T],
    cols: usize,
) -> Result<(), RowError> {
    let row_len = cols.saturating_mul(2); // a length past usize::MAX is no whole number of rows
    let rows = whole_rows(x.len(), row_len)?;
    check_len("dy", rows * cols, dy.len())?;
    check_len("dx", x.len(), dx.len())?;
    if rows == 0 {
        return Ok(());
    }
    let g = gate.activation();
    let plain = T::NAME == "f32";
    for ((row, dy_row), dx_row) in x
        .chunks_exact(row_len)
        .zip(dy.chunks_exact(cols))
        .zip(dx.chunks_exact_mut(row_len))
    {
        let (a, b) = row.split_at(cols); // (cols), (cols)
        let (da, db) = dx_row.split_at_mut(cols); // (cols), (cols)
        for i in 0..cols {
            let (ai, bi, gi) = (a[i].to_f64(), b[i].to_f64(), dy_row[i].to_f64());
            // ∂L/∂a = dy·g(b); ∂L/∂b = dy·a·g′(b)
            if plain {
                da[i] = T::from_f64(gi * gate.value_f64(bi));
                db[i] = T::from_f64(gi * ai * gate.slope_f64(bi));
            } else {
                da[i] = product(g.reference_forward(bi), gi, 1.0);
                db[i] = product(g.reference_derivative(bi), ai, gi);
            }
        }
    }
    Ok(())
}
