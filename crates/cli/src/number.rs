//! Numbers in and out: shortest round-trip text for f32/f64, and JSON for values that JSON
//! cannot spell (±∞, NaN).

use serde_json::Value;

/// A float printable in shortest round-trip form (`f32` or `f64`).
pub trait Float: Copy + std::fmt::Display + std::fmt::LowerExp + std::str::FromStr {
    /// Whether the value is NaN.
    fn is_nan(self) -> bool;
    /// Whether the value is ±∞.
    fn is_infinite(self) -> bool;
    /// Whether the value is negative (sign bit set).
    fn is_sign_negative(self) -> bool;
    /// |v| as f64, exactly.
    fn abs_f64(self) -> f64;
}

impl Float for f32 {
    fn is_nan(self) -> bool {
        self.is_nan()
    }
    fn is_infinite(self) -> bool {
        self.is_infinite()
    }
    fn is_sign_negative(self) -> bool {
        self.is_sign_negative()
    }
    fn abs_f64(self) -> f64 {
        f64::from(self.abs())
    }
}

impl Float for f64 {
    fn is_nan(self) -> bool {
        self.is_nan()
    }
    fn is_infinite(self) -> bool {
        self.is_infinite()
    }
    fn is_sign_negative(self) -> bool {
        self.is_sign_negative()
    }
    fn abs_f64(self) -> f64 {
        self.abs()
    }
}

/// The shortest text that parses back to exactly `v` (as the same type): `nan`, `inf`, `-inf`,
/// `-0`; scientific notation for |v| < 1e-5 or |v| ≥ 1e16 (`1e-45`, `3.4028235e38`, where `{}`
/// would write 45 zeros), plain decimal otherwise (`0.5`, `-2.25`).
pub fn format<T: Float>(v: T) -> String {
    if v.is_nan() {
        // Rust writes "NaN"; lowercase matches the input syntax and the other spellings.
        return "nan".to_string();
    }
    if v.is_infinite() {
        return if v.is_sign_negative() { "-inf" } else { "inf" }.to_string();
    }
    let magnitude = v.abs_f64();
    if magnitude != 0.0 && !(1e-5..1e16).contains(&magnitude) {
        // `{:e}` is shortest round-trip too: 1e-45, 3.4028235e38.
        format!("{v:e}")
    } else {
        // `{}` writes −0 as "-0".
        format!("{v}")
    }
}

/// A float as JSON: a number when finite, else the string `"inf"`, `"-inf"` or `"nan"` (JSON
/// has no infinity; serde_json would write `null` and lose the sign).
pub fn json_f64(v: f64) -> Value {
    if v.is_finite() {
        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
    } else {
        Value::String(format(v))
    }
}

/// An f32 as JSON, written as its shortest decimal (`0.1`, not the widened
/// `0.10000000149011612`); non-finite values as in [`json_f64`].
pub fn json_f32(v: f32) -> Value {
    // The shortest f32 decimal, read as f64, prints back as that same decimal.
    json_f64(format(v).parse::<f64>().unwrap_or(f64::NAN))
}

/// A value for people, not for parsing back: `∞`, `-∞`, `nan`, or the value to 4 decimals
/// without trailing zeros (`0.25`, `-0.17`, `1.0507`); scientific notation outside
/// [1e-4, 1e6) so small values do not read as 0.
pub fn short(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-∞" } else { "∞" }.into();
    }
    if v != 0.0 && !(1e-4..1e6).contains(&v.abs()) {
        return format!("{v:.3e}");
    }
    let text = format!("{v:.4}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hostile_f32() -> Vec<f32> {
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            0.1,
            1e-5,
            9.999999e-6,
            1e16,
            9.999999e15,
            f32::MIN_POSITIVE,
            f32::MAX,
            f32::MIN,
            f32::EPSILON,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::from_bits(1),
            f32::from_bits(0x8000_0001),
            f32::from_bits(0x007f_ffff),
        ];
        // A sample of every binade of both signs.
        values.extend((0..=u32::MAX).step_by(1_000_003).map(f32::from_bits));
        values
    }

    #[test]
    fn every_f32_round_trips_bit_for_bit() {
        for v in hostile_f32().into_iter().filter(|v| !v.is_nan()) {
            let text = format(v);
            let back: f32 = text.parse().unwrap();
            assert_eq!(back.to_bits(), v.to_bits(), "{v:?} printed as {text}");
        }
    }

    #[test]
    fn every_f64_round_trips_bit_for_bit() {
        let values = [0.0, -0.0, 0.1, 1e-300, 5e-324, f64::MAX, -1e16, 1e-5, 0.3]
            .into_iter()
            .chain(
                (0..=u64::MAX)
                    .step_by(0x0000_1234_5678_9abd)
                    .map(f64::from_bits),
            );
        for v in values.filter(|v| !v.is_nan()) {
            let text = format(v);
            let back: f64 = text.parse().unwrap();
            assert_eq!(back.to_bits(), v.to_bits(), "{v:?} printed as {text}");
        }
    }

    #[test]
    fn short_values_read_well() {
        assert_eq!(short(-0.16997), "-0.17");
        assert_eq!(short(f64::NEG_INFINITY), "-∞");
        assert_eq!(short(0.25), "0.25");
        assert_eq!(short(-1e-9), "-1.000e-9");
        assert_eq!(short(-0.0), "0");
    }

    #[test]
    fn spellings() {
        assert_eq!(format(f32::NAN), "nan");
        assert_eq!(format(f32::INFINITY), "inf");
        assert_eq!(format(f64::NEG_INFINITY), "-inf");
        assert_eq!(format(-0.0f32), "-0");
        assert_eq!(format(0.0f32), "0");
        assert_eq!(format(f32::from_bits(1)), "1e-45");
        assert_eq!(format(f32::MAX), "3.4028235e38");
        assert_eq!(format(0.1f32), "0.1");
        assert_eq!(format(-2.5f64), "-2.5");
    }

    #[test]
    fn json_spells_non_finite_values_as_strings() {
        assert_eq!(json_f64(f64::INFINITY), Value::String("inf".into()));
        assert_eq!(json_f64(f64::NEG_INFINITY), Value::String("-inf".into()));
        assert_eq!(json_f32(0.1).to_string(), "0.1");
        assert_eq!(json_f64(0.25).to_string(), "0.25");
    }
}
