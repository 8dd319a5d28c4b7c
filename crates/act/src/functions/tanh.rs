//! The tanh family: tanh, tanhshrink and mish.
//!
//! tanh′ = sech² x = 4e^{−2|x|}/(1 + e^{−2|x|})², never 1 − tanh² x (which cancels to nothing where
//! tanh x rounds to ±1). tanhshrink x − tanh x uses its series where the subtraction cancels.
//! mish = x·tanh(softplus x) is written without forming softplus: with e = e^{x},
//! tanh(ln(1 + e)) = n/(n + 2), n = e(e + 2).

use crate::dd::{self, DD, Scaled, exp_scaled, expm1};

// ---------- plain f64 (f32 results) ----------

/// tanh′(x) = sech² x.
#[inline]
pub(crate) fn tanh_derivative_fast(x: f64) -> f64 {
    let e = (-2.0 * x.abs()).exp();
    let d = 1.0 + e;
    4.0 * e / (d * d)
}

/// x − tanh x; its Taylor series below |x| = 1/16, where the difference loses up to 40 bits.
#[inline]
pub(crate) fn tanhshrink_fast(x: f64) -> f64 {
    if x.abs() < 0.0625 {
        // x³/3 − 2x⁵/15 + 17x⁷/315 − 62x⁹/2835 + 1382x¹¹/155925 − 21844x¹³/6081075
        //   + 929569x¹⁵/638512875: the next term is below 2⁻⁶⁰ of the first.
        let x2 = x * x;
        let p = 929569.0 / 638512875.0;
        let p = p * x2 - 21844.0 / 6081075.0;
        let p = p * x2 + 1382.0 / 155925.0;
        let p = p * x2 - 62.0 / 2835.0;
        let p = p * x2 + 17.0 / 315.0;
        let p = p * x2 - 2.0 / 15.0;
        let p = p * x2 + 1.0 / 3.0;
        return x * x2 * p;
    }
    x - x.tanh()
}

/// tanh(softplus x) as n/(n + 2) with n = e^x(e^x + 2) (x ≤ 0), or in e^{−x} (x > 0).
#[inline]
fn tanh_softplus_fast(x: f64) -> f64 {
    if x <= 0.0 {
        let e = x.exp();
        let n = e * (e + 2.0);
        n / (n + 2.0)
    } else {
        let e = (-x).exp();
        // (1 + 2e)/(1 + 2e + 2e²)
        let a = 1.0 + 2.0 * e;
        a / (a + 2.0 * e * e)
    }
}

/// mish(x) = x·tanh(softplus x).
#[inline]
pub(crate) fn mish_fast(x: f64) -> f64 {
    if x == f64::NEG_INFINITY {
        return -0.0;
    }
    x * tanh_softplus_fast(x)
}

/// mish′ = tanh(sp) + x·sech²(sp)·σ(x), sp = softplus x.
#[inline]
pub(crate) fn mish_derivative_fast(x: f64) -> f64 {
    if x.is_infinite() {
        return if x > 0.0 { 1.0 } else { 0.0 };
    }
    if x <= 0.0 {
        // sech²(sp) = 4(n + 1)/(n + 2)², σ(x) = e/(1 + e)
        let e = x.exp();
        let n = e * (e + 2.0);
        let t = n / (n + 2.0);
        let q = n + 2.0;
        t + x * (4.0 * (n + 1.0) / (q * q)) * (e / (1.0 + e))
    } else {
        // with e = e^{−x}: sech²(sp)·σ(x) = 4e²(1 + e)/((1 + e)² + e²)²
        let e = (-x).exp();
        let a = 1.0 + e;
        let q = a * a + e * e;
        tanh_softplus_fast(x) + x * 4.0 * e * e * a / (q * q)
    }
}

// ---------- double-double (f64 results, reference) ----------

/// tanh of a double-double.
pub(crate) fn tanh_of(z: DD) -> DD {
    if z.hi.is_nan() {
        return z;
    }
    let t = z.abs();
    let r = if t.hi > 20.0 {
        // 1 − 2e^{−2t}/(1 + e^{−2t}), with e^{−2t} < 2⁻⁵⁷.
        let e = exp_scaled(-t.ldexp(1)).to_dd();
        DD::ONE - e.ldexp(1) / e.add_f64(1.0)
    } else {
        // expm1(2t)/(expm1(2t) + 2): relative precision down to t → 0.
        let m = expm1(t.ldexp(1));
        m / m.add_f64(2.0)
    };
    if z.hi < 0.0 { -r } else { r }
}

/// tanh x.
pub(crate) fn tanh_dd(x: f64) -> DD {
    tanh_of(DD::from_f64(x))
}

/// sech² x = 4e^{−2|x|}/(1 + e^{−2|x|})², scaled.
pub(crate) fn tanh_derivative_dd(x: f64) -> DD {
    if x.is_nan() {
        return DD::from_f64(x);
    }
    let e = exp_scaled(DD::from_f64(-2.0 * x.abs()));
    let d = e.to_dd().add_f64(1.0);
    e.mul_dd(DD::from_f64(4.0)).div_dd(d.sqr()).to_dd()
}

/// x − tanh x: a four-term series below 2⁻¹², else the difference (which then keeps > 2⁻⁷⁴).
pub(crate) fn tanhshrink_dd(x: f64) -> DD {
    if x.is_nan() || x.is_infinite() || x == 0.0 {
        return DD::from_f64(x);
    }
    let xd = DD::from_f64(x);
    if x.abs() < 1.0 / 4096.0 {
        // x³(1/3 − 2x²/15 + 17x⁴/315 − 62x⁶/2835): the next term is below 2⁻⁹⁶ of the first.
        let x2 = xd.sqr();
        let c = |p: f64, q: f64| DD::from_f64(p) / DD::from_f64(q);
        let p = c(-62.0, 2835.0);
        let p = p * x2 + c(17.0, 315.0);
        let p = p * x2 + c(-2.0, 15.0);
        let p = p * x2 + c(1.0, 3.0);
        // x³ underflows for tiny x: work with x·2^k ≈ 1 and scale back once.
        let k = -crate::dd::exponent_of(x);
        let xs = xd.ldexp(k);
        return Scaled {
            m: xs.sqr() * xs * p,
            exp: -3 * k,
        }
        .to_dd();
    }
    xd - tanh_of(xd)
}

/// tanhshrink′ = tanh² x.
pub(crate) fn tanhshrink_derivative_dd(x: f64) -> DD {
    tanh_of(DD::from_f64(x)).sqr()
}

/// mish(x) = x·n/(n + 2) (x ≤ 0, n = e^x(e^x + 2)) or x(1 + 2e)/(1 + 2e + 2e²) (x > 0, e = e^{−x}).
pub(crate) fn mish_dd(x: f64) -> DD {
    if x.is_nan() {
        return DD::from_f64(x);
    }
    if x == f64::NEG_INFINITY {
        return DD::from_f64(-0.0);
    }
    let xd = DD::from_f64(x);
    if x <= 0.0 {
        let e = exp_scaled(xd);
        let ed = e.to_dd();
        let n = e.mul_dd(ed.add_f64(2.0));
        n.div_dd(n.to_dd().add_f64(2.0)).mul_dd(xd).to_dd()
    } else {
        let e = dd::exp(-xd);
        let a = e.ldexp(1).add_f64(1.0);
        xd * a / (a + e.sqr().ldexp(1))
    }
}

/// mish′ = tanh(sp) + x·sech²(sp)·σ(x), by the root series near its zero (x ≈ −1.19).
pub(crate) fn mish_derivative_dd(x: f64) -> DD {
    if x.is_nan() {
        return DD::from_f64(x);
    }
    if x.is_infinite() {
        return DD::from_f64(if x > 0.0 { 1.0 } else { 0.0 });
    }
    if x < -1e6 {
        // ≈ x·e^x < 2^(−10⁶): a negative zero at any precision (and x·4(n + 1) must not overflow).
        return DD::from_f64(-0.0);
    }
    let xd = DD::from_f64(x);
    if let Some(v) = super::roots::MISH.eval(xd) {
        return v;
    }
    if x <= 0.0 {
        // With e = e^x (scaled): n = e(e + 2), t = n/(n + 2), the second term x·4(n + 1)/(n + 2)²·e/(1 + e).
        let e = exp_scaled(xd);
        let ed = e.to_dd();
        let n = e.mul_dd(ed.add_f64(2.0));
        let nd = n.to_dd();
        let q = nd.add_f64(2.0);
        let t = n.div_dd(q);
        let second = e.mul_dd(xd * nd.add_f64(1.0).ldexp(2) / (q.sqr() * ed.add_f64(1.0)));
        // Both parts share the scale of e: add them in the scaled frame.
        Scaled {
            m: t.m + second.m,
            exp: e.exp,
        }
        .to_dd()
    } else {
        let e = dd::exp(-xd);
        let a = e.add_f64(1.0);
        let q = a.sqr() + e.sqr();
        let t = e.ldexp(1).add_f64(1.0);
        let t = t / (t + e.sqr().ldexp(1));
        t + xd * e.sqr().ldexp(2) * a / q.sqr()
    }
}
