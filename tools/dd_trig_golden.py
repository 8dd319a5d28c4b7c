#!/usr/bin/env python3
"""Print the golden values for the unit tests in crates/act/src/dd/trig.rs (mpmath, 2400 bits).

Each input is a double-double (hi, lo) and each expected value the double-double nearest to the
exact sin, cos or 1 + sin of hi + lo, all as hexadecimal bit patterns. 2400 bits of working
precision cover the reduction of the largest f64 (2^1024 needs ~1100 bits of π) with over a
thousand bits to spare, so every printed value is the correctly rounded double-double.
Run: python3 tools/dd_trig_golden.py   (and paste the two tables over those in the tests module)
"""
import struct
import sys

import mpmath as mp

mp.mp.prec = 2400


def bits(v):
    return struct.unpack("<Q", struct.pack("<d", float(v)))[0]


def dd(c):
    hi = mp.mpf(float(c))
    return hi, mp.mpf(float(c - hi))


def nearest_dd(c):
    """The double-double nearest to c, as an input."""
    return dd(c)


def nearest_double(c):
    """The f64 nearest to c, as an input (lo = 0)."""
    return mp.mpf(float(c)), mp.mpf(0)


PI = mp.pi
F64_MAX = mp.mpf(sys.float_info.max)

# (description, (hi, lo)) for sin and cos.
SIN_COS = [
    ("1e-300", nearest_double(mp.mpf("1e-300"))),
    ("smallest subnormal", (mp.mpf(2) ** -1074, mp.mpf(0))),
    ("2^-30", (mp.mpf(2) ** -30, mp.mpf(0))),
    ("1", (mp.mpf(1), mp.mpf(0))),
    ("-1", (mp.mpf(-1), mp.mpf(0))),
    ("0.785 (no reduction)", nearest_double(mp.mpf("0.785"))),
    ("f64 nearest π/4 (largest unreduced)", nearest_double(PI / 4)),
    ("next f64 above π/4 (reduced, r ≈ −π/4)", (mp.mpf(float(PI / 4)) + mp.mpf(2) ** -53, mp.mpf(0))),
    ("f64 nearest π/2", nearest_double(PI / 2)),
    ("f64 nearest π", nearest_double(PI)),
    ("f64 nearest 2π·10⁶", nearest_double(2 * PI * 10**6)),
    ("1e5", (mp.mpf(10) ** 5, mp.mpf(0))),
    ("1e22", nearest_double(mp.mpf(10) ** 22)),
    ("-1e22", nearest_double(-mp.mpf(10) ** 22)),
    ("2^1023", (mp.mpf(2) ** 1023, mp.mpf(0))),
    ("f64::MAX", (F64_MAX, mp.mpf(0))),
    ("-f64::MAX", (-F64_MAX, mp.mpf(0))),
    ("6381956970095103·2^797, the f64 closest to a multiple of π/2", (6381956970095103 * mp.mpf(2) ** 797, mp.mpf(0))),
    ("dd nearest π/2 (cos ≈ 6e-33)", nearest_dd(PI / 2)),
    ("dd nearest π (sin ≈ 1e-32)", nearest_dd(PI)),
    ("dd nearest 7π/2", nearest_dd(7 * PI / 2)),
    ("dd 1e22 + 12345.678 (lo reduced too)", (mp.mpf(float(mp.mpf(10) ** 22)), mp.mpf(12345.678))),
    ("dd 2^1000 + 2^945 (lo far above π)", (mp.mpf(2) ** 1000, mp.mpf(2) ** 945)),
    ("dd 2^60 − 96 (negative lo; ulp(2^60) = 256)", (mp.mpf(2) ** 60, mp.mpf(-96))),
]

# (description, (hi, lo)) for 1 + sin, at and near its double zeros x = −π/2 + 2πk.
ONE_PLUS_SIN = [
    ("f64 nearest −π/2", nearest_double(-PI / 2)),
    ("f64 nearest 3π/2", nearest_double(3 * PI / 2)),
    ("f64 nearest −π/2 + 2π·1000", nearest_double(-PI / 2 + 2 * PI * 1000)),
    ("f64 nearest −π/2 + 2π·10¹⁵", nearest_double(-PI / 2 + 2 * PI * 10**15)),
    ("f64 nearest −π/2 − 2π·10³⁰⁰", nearest_double(-PI / 2 - 2 * PI * mp.mpf(10) ** 300)),
    ("−6381956970095103·2^797, the f64 closest to a multiple of π/2 (r ≈ 2^-61)", (-6381956970095103 * mp.mpf(2) ** 797, mp.mpf(0))),
    ("dd nearest −π/2 (1 + sin ≈ 1e-65)", nearest_dd(-PI / 2)),
    ("dd nearest 3π/2 + 2π·10⁶", nearest_dd(3 * PI / 2 + 2 * PI * 10**6)),
    ("-0.785 (no reduction)", nearest_double(mp.mpf("-0.785"))),
    ("f64 nearest π/2 (1 + sin ≈ 2)", nearest_double(PI / 2)),
    ("1e22", nearest_double(mp.mpf(10) ** 22)),
    ("f64::MAX", (F64_MAX, mp.mpf(0))),
]


def hexdd(v):
    hi, lo = dd(v)
    return f"0x{bits(hi):016x}, 0x{bits(lo):016x}"


print("    // mpmath 2400-bit, from tools/dd_trig_golden.py: (x.hi, x.lo, sin.hi, sin.lo, cos.hi, cos.lo)")
print("    #[rustfmt::skip]")
print("    const SIN_COS_GOLDEN: [[u64; 6]; %d] = [" % len(SIN_COS))
for name, (hi, lo) in SIN_COS:
    x = hi + lo
    print(f"        // {name}")
    print(f"        [0x{bits(hi):016x}, 0x{bits(lo):016x}, {hexdd(mp.sin(x))}, {hexdd(mp.cos(x))}],")
print("    ];")
print()
print("    // mpmath 2400-bit, from tools/dd_trig_golden.py: (x.hi, x.lo, (1 + sin).hi, (1 + sin).lo)")
print("    #[rustfmt::skip]")
print("    const ONE_PLUS_SIN_GOLDEN: [[u64; 4]; %d] = [" % len(ONE_PLUS_SIN))
for name, (hi, lo) in ONE_PLUS_SIN:
    x = hi + lo
    v = 1 + mp.sin(x)
    print(f"        // {name}: 1 + sin x = {mp.nstr(v, 6)}")
    print(f"        [0x{bits(hi):016x}, 0x{bits(lo):016x}, {hexdd(v)}],")
print("    ];")
