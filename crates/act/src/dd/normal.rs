//! The standard normal density φ and distribution Φ in double-double (for gelu and its derivative).
//!
//! Φ(−t) for t ≥ 0 comes from Marsaglia's series, Φ(−t) = ½ − φ(t)·Σ t^{2n+1}/(2n+1)!!, whose terms
//! are all positive, while t ≤ 5 (the subtraction then costs at most 22 of the 106 bits, leaving
//! better than 2⁻⁸³ relative); beyond
//! that from Laplace's continued fraction for the Mills ratio,
//! Φ(−t) = φ(t) / (t + 1/(t + 2/(t + 3/(t + …)))), evaluated bottom-up, which converges faster the
//! larger t is. Working with Φ directly rather than erfc(−x/√2)/2 avoids rounding x/√2.

use super::{DD, FRAC_1_SQRT_2PI, Scaled, exp_scaled};

/// Where the series hands over to the continued fraction.
const SERIES_LIMIT: f64 = 5.0;

/// φ(x) = e^{−x²/2}/√(2π) as a [`Scaled`] (it underflows f64 for |x| > 38.6).
pub fn normal_pdf_scaled(x: DD) -> Scaled {
    if x.hi.abs() > 1e10 {
        // e^{−5·10¹⁹}: zero at any scale (x² itself would overflow for |x| > 10¹⁵⁴).
        return Scaled::new(DD::ZERO);
    }
    exp_scaled(-x.sqr().ldexp(-1)).mul_dd(FRAC_1_SQRT_2PI)
}

/// φ(x) = e^{−x²/2}/√(2π) in double-double.
pub fn normal_pdf(x: DD) -> DD {
    normal_pdf_scaled(x).to_dd()
}

/// Σ_{n≥0} t^{2n+1}/(2n+1)!! to 2⁻¹¹⁰ relative, for 0 ≤ t ≤ 5 (at most ~90 terms).
fn marsaglia_sum(t: DD) -> DD {
    let t2 = t.sqr();
    let mut term = t;
    let mut sum = t;
    let mut n = 0u32;
    loop {
        n += 1;
        term = (term * t2).div_f64((2 * n + 1) as f64);
        sum = sum + term;
        if term.hi <= sum.hi * 7.7e-34 {
            // 2⁻¹¹⁰; the remaining terms shrink at least geometrically from here.
            return sum;
        }
    }
}

/// The Mills ratio Φ(−t)/φ(t) = 1 / (t + 1/(t + 2/(t + 3/(t + …)))) for t > 5, to 2⁻¹⁰⁰ relative.
pub(crate) fn mills_ratio(t: DD) -> DD {
    // Depth measured against mpmath for 2⁻¹⁰⁴ (t = 5: 73 levels, 10: 30, 20: 17, 38: 12), with
    // margin: 12 + 2000/t² + 40/t.
    let depth = 12 + (2000.0 / (t.hi * t.hi) + 40.0 / t.hi) as u32;
    let mut f = t;
    for k in (1..=depth).rev() {
        f = t + DD::from_f64(k as f64) / f;
    }
    f.recip()
}

/// Φ(−t) for t ≥ 0 (the upper tail), as a [`Scaled`].
fn upper_tail(t: DD) -> Scaled {
    if t.hi <= SERIES_LIMIT {
        let s = normal_pdf_scaled(t).to_dd() * marsaglia_sum(t);
        Scaled::new(DD::from_f64(0.5) - s)
    } else {
        normal_pdf_scaled(t).mul_dd(mills_ratio(t))
    }
}

/// Φ(x), the standard normal distribution function, as a [`Scaled`] (it underflows for x < −38.5).
pub fn normal_cdf_scaled(x: DD) -> Scaled {
    if x.hi.is_nan() {
        return Scaled::new(x);
    }
    if x.hi <= 0.0 {
        if x.hi == f64::NEG_INFINITY {
            return Scaled::new(DD::ZERO);
        }
        upper_tail(-x)
    } else if x.hi <= SERIES_LIMIT {
        Scaled::new(DD::from_f64(0.5) + normal_pdf_scaled(x).to_dd() * marsaglia_sum(x))
    } else {
        if x.hi == f64::INFINITY {
            return Scaled::new(DD::ONE);
        }
        Scaled::new(DD::ONE - upper_tail(x).to_dd())
    }
}

/// Φ(x) in double-double.
pub fn normal_cdf(x: DD) -> DD {
    normal_cdf_scaled(x).to_dd()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdf_matches_mpmath() {
        for &(x, hi, lo) in CDF_CASES {
            let got = normal_cdf_scaled(DD::from_f64(x)).to_dd();
            let want = DD::from_bits(hi, lo);
            let err = ((got - want).hi / want.hi).abs();
            assert!(
                err < 1e-25, // 2⁻⁸³: the series loses up to 22 bits to ½ − φS near t = 5
                "Φ({x}): got {got:?}, want {want:?}, rel err {err:e}"
            );
        }
    }

    #[test]
    fn pdf_matches_mpmath() {
        for &(x, hi, lo) in PDF_CASES {
            let got = normal_pdf(DD::from_f64(x));
            let want = DD::from_bits(hi, lo);
            let err = ((got - want).hi / want.hi).abs();
            assert!(err < 1e-30, "φ({x}): got {got:?}, want {want:?}");
        }
    }

    #[test]
    fn deep_tail_is_scaled_not_zero() {
        // Φ(−40) ≈ 10^-349.437006, far below f64's range: the Scaled keeps it.
        let s = normal_cdf_scaled(DD::from_f64(-40.0));
        let log10 = (s.m.hi.log2() + s.exp as f64) * core::f64::consts::LOG10_2;
        assert!((log10 - (-349.437006)).abs() < 1e-4, "{log10}");
    }

    // mpmath 300-bit values of Φ(x), (x, hi, lo).
    const CDF_CASES: &[(f64, u64, u64)] = &[
        (0.0, 0x3fe0000000000000, 0x0000000000000000),
        (1e-12, 0x3fe0000000000e09, 0x3c86912c89d98162),
        (-1e-12, 0x3fdfffffffffe3ed, 0x3c72dda6ec4cfd3c),
        (0.3, 0x3fe3c5ee2cc40b79, 0xbc880d191d6ee216),
        (-0.3, 0x3fd87423a677e90f, 0xbc6fcb9b8a4477a8),
        (1.0, 0x3feaec4bd120d37d, 0x3c7a4bf22e9ef2dd),
        (-1.0, 0x3fc44ed0bb7cb20b, 0x3c56d0374584348c),
        (2.5, 0x3fefcd21635036c6, 0x3c7ba6abef31e8c8),
        (-2.5, 0x3f796f4e57e49ce4, 0x3c1655043385cde6),
        (-4.9, 0x3ea014272b3c9e62, 0x3b326b343bf08deb),
        (4.9, 0x3feffffefebd8d4c, 0x3c7b0ceed94cbc41),
        (-5.0, 0x3e933ca2f2133831, 0xbacbdc39cdfb8c0d),
        (-5.0000001, 0x3e933ca24aaf7525, 0xbb1e8ac0a171ad36),
        (5.0000001, 0x3fefffff661aedab, 0xbc8eea49c2ea7ebd),
        (-5.5, 0x3e5463cfa9c7fce7, 0x3afd319482f286c1),
        (-6.0, 0x3e10f30ef0092d48, 0x3aaf0faa93e340a9),
        (-7.25, 0x3d4d53e3e82da9c6, 0xb9d0c7f209b3a8d6),
        (-8.0, 0x3cc669d2c90d55ce, 0x39602bdbdb0e6ba9),
        (-10.0, 0x3b226c75e84fb10d, 0x37cace508f1cc541),
        (-12.0, 0x392272b313666239, 0xb5ae0bbf65391f77),
        (-15.0, 0x3575f9bd44cdd4f4, 0x31f87418d9881b2e),
        (-20.0, 0x2d8c0bd0f1880783, 0xaa0ede1acbcb844f),
        (-27.0, 0x1eb09f504c96d386, 0x9b3fcb61bd56defa),
        (-33.0, 0x0e70ecce9daf5033, 0x0b0d0a84e0629f50),
        (-37.0, 0x01ceaccc6bfeb0af, 0x8000000003679c0c),
        (-38.0, 0x00000000037b23b8, 0x0000000000000000),
        (6.0, 0x3fefffffff786788, 0x3c8feda56f83c156),
        (8.0, 0x3feffffffffffffa, 0x3c8962d36f2aa31c),
        (-0.7517916243119, 0x3fccf07532b1ac3f, 0xbc6e8f1c92e3231b),
    ];
    // mpmath 300-bit values of φ(x), (x, hi, lo).
    const PDF_CASES: &[(f64, u64, u64)] = &[
        (0.0, 0x3fd9884533d43651, 0xbc7cbc0d30ebfd15),
        (1.0, 0x3fcef8e58e331737, 0x3c6c30e33c93dc5e),
        (-3.0, 0x3f7227213fd77689, 0xbc19f32adc08250f),
        (10.0, 0x3b57416846b4d5d9, 0x37ffcf209f297f8d),
        (-37.0, 0x0221bf35e596c740, 0x00000000545a2f7a),
    ];
}
