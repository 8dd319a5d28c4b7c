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
//! The gate's value and derivative come from the catalogue's double-double reference
//! ([`Activation::reference_forward`], [`Activation::reference_derivative`], accurate to better
//! than 2⁻⁹⁰), the product with a (and with the upstream gradient) is formed in double-double,
//! and the result is rounded once. Rounding g(b) to the output type first and then multiplying
//! would round twice (up to 1 ULP plus the gate's own error); this way every value, forward and
//! backward, `f32` and `f64`, is within 0.5 ULP + 2⁻⁴⁰ ULP: correctly rounded except within a
//! hair of a tie. (An `f64` product whose gate value lies below f64's normal range, 2⁻¹⁰²²,
//! keeps only the gate's subnormal precision.) NaN in gives NaN out; ∞·0 is NaN (a = ±∞
//! against a closed gate), as in PyTorch.
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

    /// a·g(b), rounded once from double-double (within 0.5 + 2⁻⁴⁰ ULP; see the
    /// [module docs](self)).
    ///
    /// ```
    /// use act::gated::Gate;
    /// assert_eq!(Gate::Glu.forward(3.0f32, 0.0), 1.5);        // 3·σ(0)
    /// assert_eq!(Gate::Reglu.forward(3.0f32, -1.0), 0.0);     // gate closed
    /// assert!(Gate::Geglu.forward(1.0f32, -10.0) < 0.0);      // gelu(−10) = −7.6e-23, not 0
    /// ```
    pub fn forward<T: Real>(self, a: T, b: T) -> T {
        let gate = self.activation().reference_forward(b.to_f64());
        product(gate, a.to_f64(), 1.0)
    }

    /// The partial derivatives (∂/∂a, ∂/∂b) of a·g(b): (g(b), a·g′(b)), each rounded once.
    ///
    /// ```
    /// use act::gated::Gate;
    /// // glu at b = 0: σ(0) = 1/2 and a·σ′(0) = a/4.
    /// assert_eq!(Gate::Glu.backward(2.0f64, 0.0), (0.5, 0.5));
    /// // reglu at the kink: relu′(0) = 0.
    /// assert_eq!(Gate::Reglu.backward(2.0f32, 0.0), (0.0, 0.0));
    /// ```
    pub fn backward<T: Real>(self, a: T, b: T) -> (T, T) {
        let g = self.activation();
        let b = b.to_f64();
        (
            product(g.reference_forward(b), 1.0, 1.0),
            product(g.reference_derivative(b), a.to_f64(), 1.0),
        )
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
/// [dy ⊙ g(b) | dy ⊙ a ⊙ g′(b)], each entry rounded once from double-double.
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
            da[i] = product(g.reference_forward(bi), gi, 1.0);
            db[i] = product(g.reference_derivative(bi), ai, gi);
        }
    }
    Ok(())
}
