//! ln(1 + u) and ln x in double-double, by one Newton step on the double-double exponential.
//! ln x splits off the binary exponent first: ln x = e·ln 2 + ln(1 + (f − 1)).
//!
//! Starting from the libm value y₀ (53 bits), one step of Newton's method on e^y = 1 + u,
//! y₁ = y₀ + ((u − (e^{y₀} − 1)) / e^{y₀}), doubles the correct bits to more than 100. Writing
//! the residual with expm1 keeps it exact when u is tiny.

use super::{DD, LN2, expm1};

/// ln(1 + u) in double-double for u ≥ −1 (NaN below, −∞ at −1), relative error below 2⁻⁹⁵.
pub fn log1p(u: DD) -> DD {
    if u.hi.is_nan() || u.hi < -1.0 {
        return DD::from_f64(f64::NAN);
    }
    if u.hi == -1.0 && u.lo <= 0.0 {
        return DD::from_f64(f64::NEG_INFINITY);
    }
    if u.hi == f64::INFINITY {
        return u;
    }
    if u.hi.abs() < 1.0 / (1u64 << 40) as f64 {
        // u − u²/2 + u³/3: the next term is below 2⁻¹²⁰ of u.
        let u2 = u.sqr();
        return u - u2.mul_f64(0.5) + (u2 * u) / DD::from_f64(3.0);
    }
    let y0 = if u.hi > -1.0 {
        u.hi.ln_1p()
    } else {
        (u.lo).ln()
    }; // u = −1 + lo, lo > 0
    let y0 = DD::from_f64(y0);
    let em1 = expm1(y0);
    y0 + (u - em1) / em1.add_f64(1.0)
}

/// ln x in double-double for x > 0, relative error below 2⁻⁹⁵ (absolute near x = 1).
pub fn ln(x: DD) -> DD {
    if x.hi.is_nan() || x.hi < 0.0 {
        return DD::from_f64(f64::NAN);
    }
    if x.hi == 0.0 {
        return DD::from_f64(f64::NEG_INFINITY);
    }
    if x.hi == f64::INFINITY {
        return x;
    }
    // x = 2^e · f with f in [0.75, 1.5): ln x = e·ln 2 + ln(1 + (f − 1)), and f − 1 is exact.
    let mut e = super::exponent_of(x.hi);
    let mut f = x.ldexp(-e);
    if f.hi >= 1.5 {
        f = f.ldexp(-1);
        e += 1;
    } else if f.hi < 0.75 {
        f = f.ldexp(1);
        e -= 1;
    }
    LN2.mul_f64(e as f64) + log1p(f.add_f64(-1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: DD, want: DD) -> f64 {
        ((a - want).hi / want.hi).abs()
    }

    #[test]
    fn log1p_matches_mpmath() {
        // mpmath 250-bit: log1p(1e-15), log1p(0.5), log1p(1e300), log1p(-0.75)
        for (u, hi, lo) in LOG1P_CASES {
            let got = log1p(DD::from_f64(u));
            assert!(
                rel(got, DD::from_bits(hi, lo)) < 1e-30,
                "log1p({u}) = {got:?}"
            );
        }
    }

    #[test]
    fn ln_matches_mpmath() {
        for (x, hi, lo) in LN_CASES {
            let got = ln(DD::from_f64(x));
            assert!(rel(got, DD::from_bits(hi, lo)) < 1e-30, "ln({x}) = {got:?}");
        }
    }

    #[test]
    fn log1p_edges() {
        assert_eq!(log1p(DD::from_f64(-1.0)).hi, f64::NEG_INFINITY);
        assert!(log1p(DD::from_f64(-2.0)).hi.is_nan());
        assert_eq!(log1p(DD::from_f64(f64::INFINITY)).hi, f64::INFINITY);
        assert_eq!(log1p(DD::from_f64(1e-300)).hi, 1e-300);
    }

    // mpmath 250-bit values, (input, hi, lo).
    const LOG1P_CASES: [(f64, u64, u64); 5] = [
        (1e-15, 0x3cd203af9ee75613, 0x397dbda008a1eb1b),
        (0.5, 0x3fd9f323ecbf984c, 0xbc4a92e513217f5c),
        (1e+300, 0x4085963447f87fb5, 0x3d1abccc0710fcd4),
        (-0.75, 0xbff62e42fefa39ef, 0xbc8abc9e3b39803f),
        (3e-05, 0x3eff74f16101d066, 0xbb9500e93970d0c8),
    ];
    const LN_CASES: [(f64, u64, u64); 5] = [
        (2.0, 0x3fe62e42fefa39ef, 0x3c7abc9e3b39803f),
        (1e-300, 0xc085963447f87fb5, 0xbd1aa670d35324e6),
        (5e-324, 0xc0874385446d71c3, 0xbd28e569fa8ee781),
        (1.1, 0x3fb8663f793c46cc, 0x3c5b55a66e0b30ef),
        (1e+300, 0x4085963447f87fb5, 0x3d1abccc0710fcd4),
    ];
}
