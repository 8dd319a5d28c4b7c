#!/usr/bin/env python3
"""Golden reference values for the unary activation functions of crates/act (mpmath).

For every case (function, parameter set, input x) this prints one tab-separated line

    name  params  x  f_hi  f_lo  d_hi  d_lo

where f = f(x) and d = f'(x) are the exact mathematical values (see the definitions in
`ev_*` below), each written as a double-double: hi = the value correctly rounded to f64
(round to nearest, ties to even, subnormals included), lo = (value - hi) correctly rounded
to f64.  All numbers are 16 lowercase hex digits of the f64 bit pattern.  The file format,
the sign-of-zero conventions and the precision strategy are described in
tools/golden/README.md.

Inputs: random f64 and f32-representable values (seeded, so the output is byte-identical
on every run) plus hard cases: kinks and their neighbours, the grid points nearest to the
zeros of the derivatives, and the grid points where the outputs underflow/overflow.

Every transcendental value is computed adaptively: at working precision p (starting at
256 bits) and at 2p; it is accepted once the two agree to 2^-120 relative and the whole
interval 2p-value +- (|difference| + 2^(48-2p) |value|) has one and the same (hi, lo), so
values next to a rounding boundary (e.g. subnormal results x/2 (1 + tiny)) and residuals
lo that are not yet resolved get more precision; otherwise p is doubled (up to 16384 bits;
beyond that the script prints an error and exits with 1).  Piecewise-rational values are
computed exactly with fractions.Fraction.

Regenerate (from the repository root; takes about a minute, progress goes to stderr):

    python3 tools/golden/golden.py > crates/act/tests/data/golden_unary.tsv

Requires python3 and mpmath 1.3 (no numpy).
"""

import math
import random
import struct
import sys
import time
from fractions import Fraction as Q

import mpmath
from mpmath import mp, mpf

SEED = 20261127
START_PREC = 256
MAX_PREC = 16384  # "cap at ~20000 bits": the largest precision ever used
REL_BITS = 120  # p and 2p must agree to 2^-REL_BITS relative

F64_MAX = sys.float_info.max
F32_MAX = struct.unpack("<f", struct.pack("<I", 0x7F7FFFFF))[0]
INF = math.inf

# --------------------------------------------------------------------------------------
# Exact rounding
# --------------------------------------------------------------------------------------


def to_q(v):
    """mpf / float / int / Fraction -> exact Fraction."""
    if isinstance(v, Q):
        return v
    if isinstance(v, Split):
        return v.exact_proxy()
    if isinstance(v, (int, float)):
        return Q(v)
    s, m, e, _bc = v._mpf_
    if not m:
        if v != 0:
            raise ValueError("non-finite mpf %r" % (v,))
        return Q(0)
    q = Q(m << e) if e >= 0 else Q(m, 1 << -e)
    return -q if s else q


def round_binary(q, prec, qmin, emax):
    """Round the exact rational q to nearest (ties to even) in a binary format with
    `prec` significand bits, smallest quantum 2^qmin (the subnormal spacing) and overflow
    at 2^emax.  Returns (neg, m, qe) with value (-1)^neg * m * 2^qe, or (neg, None, None)
    for an overflow to infinity.  m == 0 means the value rounded to zero."""
    neg = q < 0
    a = -q if neg else q
    n, d = a.numerator, a.denominator
    if n == 0:
        return (False, 0, 0)
    e = n.bit_length() - d.bit_length()  # 2^(e-1) < a < 2^(e+1)
    if e >= 0:
        if n < (d << e):
            e -= 1
    elif (n << -e) < d:
        e -= 1
    # now 2^e <= a < 2^(e+1)
    qe = max(e - (prec - 1), qmin)
    if qe >= 0:
        num, den = n, d << qe
    else:
        num, den = n << -qe, d
    m, r = divmod(num, den)
    if 2 * r > den or (2 * r == den and (m & 1)):
        m += 1
    if m and m.bit_length() + qe > emax:
        return (neg, None, None)
    return (neg, m, qe)


def round_f64(v):
    """Correctly rounded f64 of the exact value v (Fraction, int, float or mpf).
    A nonzero value that rounds to zero keeps its sign (IEEE); an exact zero gives +0.0."""
    if isinstance(v, mpf):
        s, m, e, bc = v._mpf_
        if not m:
            to_q(v)  # raises on inf/nan
            return 0.0
        mag = e + bc  # 2^(mag-1) <= |v| < 2^mag
        if mag < -1100:
            return -0.0 if s else 0.0
        if mag > 1100:
            return -INF if s else INF
    q = to_q(v)
    if q == 0:
        return 0.0
    neg, m, qe = round_binary(q, 53, -1074, 1024)
    if m is None:
        return -INF if neg else INF
    r = math.ldexp(float(m), qe)  # exact: m <= 2^53, result representable
    return -r if neg else r


def round_f32(v):
    """Correctly rounded f32 of the exact value v, returned as the (exact) Python float."""
    q = to_q(v)
    if q == 0:
        return 0.0
    neg, m, qe = round_binary(q, 24, -149, 128)
    if m is None:
        return -INF if neg else INF
    r = math.ldexp(float(m), qe)
    return -r if neg else r


def f64_bits(v):
    return struct.unpack("<Q", struct.pack("<d", v))[0]


def f64_hex(v):
    return "%016x" % f64_bits(v)


def hi_lo(v):
    """Double-double (hi, lo) of the exact value v.  lo = 0 when hi is zero, subnormal or
    infinite, and a zero lo is always +0.0."""
    if isinstance(v, Split):
        v = v.exact_proxy()
    hi = round_f64(v)
    if hi == 0 or math.isinf(hi) or abs(hi) < 2.0 ** -1022:
        return hi, 0.0
    lo = round_f64(to_q(v) - Q(hi))
    if lo == 0:
        lo = 0.0
    return hi, lo


class Split:
    """The value A + t: A an exact Fraction (a multiple of 2^-1074), t an mpf that may be
    astronomically small (e.g. 2 e^(-2|x|) for |x| ~ 1e16, far beyond any precision).
    If |t| < 2^-1100 and A != 0, A + t lies strictly between A and every rounding boundary
    of hi and lo (those are multiples of 2^-1075) except A itself, so replacing t by
    sign(t) 2^-1100 gives the same correctly rounded (hi, lo) exactly."""

    __slots__ = ("A", "t")

    def __init__(self, A, t):
        self.A, self.t = A, t

    def exact_proxy(self):
        t = self.t
        if t == 0:
            return self.A
        if self.A != 0 and mag(t) < -1100:
            return self.A + (Q(-1, 1 << 1100) if t < 0 else Q(1, 1 << 1100))
        return self.A + to_q(t)


def selftest():
    t = Q(2) ** -1075
    cases = [
        (t, 0.0),
        (3 * t, 2.0 ** -1073),
        (5 * t, 2.0 ** -1073),  # 2.5 quanta -> 2 (even)
        (7 * t, 2.0 ** -1072),  # 3.5 quanta -> 4
        (-t, -0.0),
        (t * Q(1000001, 1000000), 5e-324),
        (1 + Q(2) ** -53, 1.0),
        (1 + 3 * Q(2) ** -53, 1 + 2.0 ** -51),
        (1 - Q(2) ** -54, 1.0),
        (1 - Q(2) ** -54 - Q(2) ** -200, 1 - 2.0 ** -53),
        (Q(2) ** -1022 - t, 2.0 ** -1022),  # largest subnormal + half quantum -> even (2^-1022)
        (Q(2) ** -1022 - 3 * t, 2.0 ** -1022 - 2.0 ** -1073),
        (Q(2) ** 1024 * (1 - Q(2) ** -54), INF),
        (Q(2) ** 1024 * (1 - Q(2) ** -54) - 1, F64_MAX),
        (Q(-2) ** 1025, -INF),
        (Q(1, 3), 1 / 3),
        (Q(1, 10), 0.1),
    ]
    for v, want in cases:
        got = round_f64(v)
        assert f64_bits(got) == f64_bits(want), (v, got, want)
        with mp.workprec(4000):
            got2 = round_f64(mpf(v.numerator) / v.denominator) if abs(v) < Q(2) ** 1000 else got
        assert f64_bits(got2) == f64_bits(want), (v, got2, want)
    # random agreement with CPython's correctly rounded int/int division
    r = random.Random(1)
    for _ in range(20000):
        n = r.getrandbits(r.randrange(1, 200)) * r.choice((-1, 1))
        d = r.getrandbits(r.randrange(1, 1300)) | 1
        sh = r.randrange(-1200, 1200)
        q = Q(n) * Q(2) ** sh / d
        try:
            want = q.numerator / q.denominator
        except OverflowError:
            want = INF if q > 0 else -INF
        got = round_f64(q)
        assert f64_bits(got) == f64_bits(want) or (got == 0 and want == 0), (q, got, want)
    assert round_f32(Q(2) ** -150) == 0.0 and round_f32(3 * Q(2) ** -150) == 2.0 ** -148
    assert round_f32(Q(2) ** 128) == INF and round_f32(Q(F32_MAX)) == F32_MAX
    assert hi_lo(Q(1) + Q(2) ** -80) == (1.0, 2.0 ** -80)
    assert hi_lo(Q(1, 3))[1] == (Q(1, 3) - Q(1 / 3)).numerator / (Q(1, 3) - Q(1 / 3)).denominator


# --------------------------------------------------------------------------------------
# Grid helpers
# --------------------------------------------------------------------------------------


def f32(v):
    """Round a Python float to float32 (as the exact Python float)."""
    return struct.unpack("<f", struct.pack("<f", v))[0]


def f32_from_bits(b):
    return struct.unpack("<f", struct.pack("<I", b))[0]


def f32_next(v, up):
    """Next float32 above (up) or below v (v a finite float32)."""
    b = struct.unpack("<I", struct.pack("<f", v))[0]
    o = -(b & 0x7FFFFFFF) if b >> 31 else b  # monotone integer ordering (+-0 -> 0)
    o += 1 if up else -1
    b = o if o >= 0 else (0x80000000 | -o)
    return f32_from_bits(b)


def f64_neighbours(v, k):
    out = [v]
    a = b = v
    for _ in range(k):
        a = math.nextafter(a, -INF)
        b = math.nextafter(b, INF)
        out += [a, b]
    return out


def f32_neighbours(v, k):
    out = [v]
    a = b = v
    for _ in range(k):
        a = f32_next(a, False)
        b = f32_next(b, True)
        out += [a, b]
    return out


def grid_points(r, k):
    """Nearest f64 and nearest f32 to the real r, with k neighbours on each side."""
    out = []
    d = round_f64(r)
    if not math.isinf(d):
        out += f64_neighbours(d, k)
    s = round_f32(r)
    if not math.isinf(s):
        out += f32_neighbours(s, k)
    return out


def kink_points(k):
    """A kink k, the next doubles and the next float32s above and below it."""
    out = [k, math.nextafter(k, -INF), math.nextafter(k, INF)]
    s = f32(k)
    if s == k:
        out += [f32_next(s, False), f32_next(s, True)]
    else:  # not representable in f32: the float32s on either side
        lo = s if s < k else f32_next(s, False)
        hi = s if s > k else f32_next(s, True)
        out += [lo, hi]
    return out


# --------------------------------------------------------------------------------------
# Mathematical helpers (all at the current mp precision)
# --------------------------------------------------------------------------------------


def mag(v):
    """Binary magnitude of an mpf: 2^(mag-1) <= |v| < 2^mag (None for 0)."""
    s, m, e, bc = v._mpf_
    return e + bc if m else None


def sig(t):
    """Logistic sigmoid 1/(1+e^-t); accurate for every t (no cancellation)."""
    return 1 / (1 + mp.exp(-t))


def softplus_m(t):
    """ln(1+e^t), stable."""
    if t > 0:
        return t + mp.log1p(mp.exp(-t))
    return mp.log1p(mp.exp(t))


def sech2(t):
    c = mp.cosh(t)
    return 1 / (c * c)


def phi_tail_neg(x):
    """Phi(x) for x < -2^60 by the asymptotic series
    Phi(x) = e^{-x^2/2}/(|x| sqrt(2 pi)) * sum_k (-1)^k (2k-1)!! / x^{2k}; x^2 is exact and
    the terms fall by a factor < 2^-119 each, so truncating below 2^-(p+10) is rigorous."""
    x2 = x * x  # exact (x is a double: 106 bits)
    s = mpf(1)
    term = mpf(1)
    k = 1
    eps = mp.ldexp(mpf(1), -mp.prec - 10)
    while True:
        term = -term * (2 * k - 1) / x2
        s += term
        if abs(term) < eps:
            break
        k += 1
    return mp.exp(-x2 / 2) / (abs(x) * mp.sqrt(2 * mp.pi)) * s


def Phi(x):
    """Standard normal CDF, relative accuracy ~2^-p for every double x."""
    m = mag(x)
    if m is not None and m > 61:
        if x < 0:
            return phi_tail_neg(x)
        return 1 - phi_tail_neg(-x)
    # erfc(-x/sqrt 2) has a condition number ~x^2 in its argument: compute the argument
    # with 2*mag(x) extra bits so the relative accuracy stays ~2^-p.
    extra = 2 * max(0, m or 0) + 20
    with mp.workprec(mp.prec + extra):
        r = mp.erfc(-x / mp.sqrt(2)) / 2
    return +r


def phi(x):
    """Standard normal density e^{-x^2/2}/sqrt(2 pi); x^2/2 exact for doubles."""
    return mp.exp(-(x * x) / 2) / mp.sqrt(2 * mp.pi)


# --------------------------------------------------------------------------------------
# The functions.  ev(x, P) -> (f, d); each is a Fraction (exact) or an mpf computed at the
# current working precision.  x is an mpf holding the input exactly.
# --------------------------------------------------------------------------------------

ONE = Q(1)
ZERO = Q(0)


def ev_identity(x, P):
    return to_q(x), ONE


def ev_sigmoid(x, P):
    s, sm = sig(x), sig(-x)
    return s, s * sm


def ev_tanh(x, P):
    return mp.tanh(x), sech2(x)


def ev_relu(x, P):
    xq = to_q(x)
    return (xq, ONE) if xq > 0 else (ZERO, ZERO)


def _leaky(xq, s):
    return (xq, ONE) if xq > 0 else (s * xq, s)


def ev_leaky_relu(x, P):
    return _leaky(to_q(x), Q(P["negative_slope"]))


def ev_prelu(x, P):
    return _leaky(to_q(x), Q(P["weight"]))


def ev_rrelu(x, P):
    xq = to_q(x)
    s = (Q(P["lower"]) + Q(P["upper"])) / 2
    f = xq if xq >= 0 else s * xq
    d = ONE if xq > 0 else s
    return f, d


def ev_elu(x, P):
    xq = to_q(x)
    if xq > 0:
        return xq, ONE
    a = mpf(P["alpha"])
    return a * mp.expm1(x), a * mp.exp(x)


SELU_LAMBDA = "1.0507009873554804934193349852946"
SELU_ALPHA = "1.6732632423543772848170429916717"


def ev_selu(x, P):
    lam = mpf(SELU_LAMBDA)  # decimal constants, rounded at the working precision
    if x > 0:
        return lam * x, lam
    la = lam * mpf(SELU_ALPHA)
    return la * mp.expm1(x), la * mp.exp(x)


def ev_celu(x, P):
    xq = to_q(x)
    if xq > 0:
        return xq, ONE
    a = mpf(P["alpha"])
    t = x / a
    return a * mp.expm1(t), mp.exp(t)


def ev_gelu(x, P):
    c = Phi(x)
    return x * c, c + x * phi(x)


def ev_gelu_tanh(x, P):
    # exp(-2u) has condition number |2u| ~ |x|^3 in u: carry 3*mag(x) extra bits.
    m = mag(x) or 0
    p = mp.prec
    with mp.workprec(p + 3 * max(0, m) + 20):
        k = mp.sqrt(2 / mp.pi)
        c = mpf("0.044715")
        x2 = x * x
        u = k * (x + c * x2 * x)
        s, sm = sig(2 * u), sig(-2 * u)
        f = x * s
        d = s + x * 2 * s * sm * k * (1 + 3 * c * x2)
    return +f, +d


def ev_silu(x, P):
    s, sm = sig(x), sig(-x)
    return x * s, s * (1 + x * sm)


def ev_swish(x, P):
    b = mpf(P["beta"])
    t = b * x  # exact
    s, sm = sig(t), sig(-t)
    return x * s, s + t * s * sm


def ev_mish(x, P):
    sp = softplus_m(x)
    th = mp.tanh(sp)
    return x * th, th + x * sech2(sp) * sig(x)


def ev_softplus(x, P):
    b, thr = P["beta"], P["threshold"]
    if math.isfinite(thr) and Q(b) * to_q(x) > Q(thr):
        return to_q(x), ONE
    bm = mpf(b)
    t = bm * x  # exact
    return softplus_m(t) / bm, sig(t)


def ev_softsign(x, P):
    xq = to_q(x)
    den = 1 + abs(xq)
    return xq / den, 1 / (den * den)


def _clamp(v, lo, hi):
    return lo if v < lo else hi if v > hi else v


def ev_hardsigmoid(x, P):
    xq = to_q(x)
    return _clamp(xq / 6 + Q(1, 2), ZERO, ONE), (Q(1, 6) if -3 < xq < 3 else ZERO)


def ev_hardswish(x, P):
    xq = to_q(x)
    f = xq * _clamp(xq + 3, ZERO, Q(6)) / 6
    if xq < -3:
        d = ZERO
    elif xq <= 3:
        d = xq / 3 + Q(1, 2)
    else:
        d = ONE
    return f, d


def ev_hardtanh(x, P):
    xq = to_q(x)
    lo, hi = Q(P["min_val"]), Q(P["max_val"])
    return _clamp(xq, lo, hi), (ONE if lo < xq < hi else ZERO)


def ev_relu6(x, P):
    return ev_hardtanh(x, {"min_val": 0.0, "max_val": 6.0})


def ev_logsigmoid(x, P):
    if x >= 0:
        f = -mp.log1p(mp.exp(-x))
    else:
        f = x - mp.log1p(mp.exp(x))
    return f, sig(-x)


def ev_tanhshrink(x, P):
    if abs(x) > 64:
        # x - tanh x = (x - sgn x) + sgn(x) 2/(e^{2|x|} + 1): for |x| in [2^53, 2^54)
        # x - sgn x is exactly a midpoint between doubles and only the sign of the
        # (unresolvable) e^{-2|x|} term decides the rounding, hence the Split form.
        sg = 1 if x > 0 else -1
        e = 2 / (mp.exp(2 * abs(x)) + 1)
        t = 1 - e
        return Split(to_q(x) - sg, sg * e), t * t
    t = mp.tanh(x)
    return x - t, t * t


def ev_hardshrink(x, P):
    xq = to_q(x)
    lam = Q(P["lambd"])
    if -lam <= xq <= lam:
        return ZERO, ZERO
    return xq, ONE


def ev_softshrink(x, P):
    xq = to_q(x)
    lam = Q(P["lambd"])
    if xq > lam:
        return xq - lam, ONE
    if xq < -lam:
        return xq + lam, ONE
    return ZERO, ZERO


def ev_threshold(x, P):
    xq = to_q(x)
    if xq > Q(P["threshold"]):
        return xq, ONE
    return Q(P["value"]), ZERO


def ev_squared_relu(x, P):
    xq = to_q(x)
    m = xq if xq > 0 else ZERO
    return m * m, 2 * m


def ev_snake(x, P):
    a = mpf(P["alpha"])
    th = a * x  # exact
    s = mp.sin(th)
    return x + s * s / a, 1 + mp.sin(2 * th)


# --------------------------------------------------------------------------------------
# Adaptive evaluation
# --------------------------------------------------------------------------------------


class NoConvergence(Exception):
    pass


def _dd_key(v):
    """(hi bits, lo bits) that hi_lo gives for the exact value v."""
    hi, lo = hi_lo(v)
    return f64_bits(hi), f64_bits(lo)


def converged(a, b, x_is_zero, p2, need_dd=True):
    """Is b (computed at p2 bits) confirmed by a (computed at p2/2 bits)?

    Accepted when a and b agree to 2^-REL_BITS relative and, with the error bound
    E = |a - b| + |b| 2^(48 - p2) for b, every value in [b - E, b + E] has the same
    double-double (hi, lo).  So a value lying (nearly) on a rounding boundary of hi, or
    whose residual value - hi is not yet resolved to a correctly rounded lo, forces more
    precision."""
    qa, qb = isinstance(a, Q), isinstance(b, Q)
    if qa or qb:
        if not (qa and qb):
            raise AssertionError("exact/inexact branch mismatch")
        assert a == b
        return True
    if isinstance(a, Split) or isinstance(b, Split):
        assert isinstance(a, Split) and isinstance(b, Split) and a.A == b.A
        if a.t == 0 or b.t == 0 or (a.t < 0) != (b.t < 0):
            return False
        if not converged(a.t, b.t, False, p2, need_dd=False):
            return False
        if not need_dd:
            return True
        err = mp.fadd(abs(mp.fsub(a.t, b.t, exact=True)), mp.ldexp(abs(b.t), 48 - p2),
                      exact=True)
        lo_end = Split(b.A, mp.fsub(b.t, err, exact=True))
        hi_end = Split(b.A, mp.fadd(b.t, err, exact=True))
        return _dd_key(lo_end) == _dd_key(hi_end)
    if x_is_zero and a == b:
        # At x = 0 mpmath evaluates every function here exactly whenever the value is a
        # dyadic rational (0, 1/4, 1/2, 1, ...); other values at 0 take the path below.
        return True
    if a == 0 or b == 0:
        # At x != 0 no transcendental branch has an exact zero: a 0 means lost precision.
        return False
    if (a < 0) != (b < 0):
        return False
    ma, mb = mag(a), mag(b)
    if abs(ma - mb) > 1:
        return False
    diff = mp.fsub(a, b, exact=True)
    if diff != 0 and mag(diff) > mb - 1 - REL_BITS:
        return False
    if not need_dd:
        return True
    err = mp.fadd(abs(diff), mp.ldexp(abs(b), 48 - p2), exact=True)
    lo_end = mp.fsub(b, err, exact=True)
    hi_end = mp.fadd(b, err, exact=True)
    return _dd_key(lo_end) == _dd_key(hi_end)


STATS = {}


def evaluate(ev, P, x, key=None, need_dd=True):
    """(f, d) of ev at x (float or mpf), each an exact Fraction or a converged mpf."""
    x0 = x == 0
    p = START_PREC
    with mp.workprec(p):
        prev = ev(mpf(x), P)
    if isinstance(prev[0], Q) and isinstance(prev[1], Q):
        return prev
    done = [None, None]
    while True:
        p2 = 2 * p
        if p2 > MAX_PREC:
            raise NoConvergence("no convergence at x=%r (%s) up to %d bits" % (x, key, p))
        with mp.workprec(p2):
            cur = ev(mpf(x), P)
        for i in (0, 1):
            if done[i] is None and converged(prev[i], cur[i], x0, p2, need_dd):
                done[i] = cur[i]
        if done[0] is not None and done[1] is not None:
            if key is not None:
                st = STATS.setdefault(key, [0, None, {}])
                if p2 > st[0]:
                    st[0], st[1] = p2, x
                st[2][p2] = st[2].get(p2, 0) + 1
            return tuple(done)
        prev = cur
        p = p2


def to_mpf(v):
    if isinstance(v, Split):
        return to_mpf(v.A) + v.t
    if isinstance(v, Q):
        return mpf(v.numerator) / v.denominator
    return +v


# --------------------------------------------------------------------------------------
# Hard-case finders
# --------------------------------------------------------------------------------------

THRESHOLDS = [
    Q(2) ** -1022,  # f64 subnormal
    Q(2) ** -1075,  # f64 rounds to zero at or below
    Q(2) ** -126,  # f32 subnormal
    Q(2) ** -150,  # f32 rounds to zero
    Q(2) ** 1024 * (1 - Q(2) ** -54),  # f64 overflow
    Q(2) ** 128 * (1 - Q(2) ** -25),  # f32 overflow
]


def crossing(ev, P, comp, a, b, T):
    """The real x in [a, b] where |g(x)| = T (|g| monotone there), by bisection."""
    with mp.workprec(256):
        Tm = to_mpf(T)
        A, B = mpf(a), mpf(b)

        def h(t):
            return abs(to_mpf(evaluate(ev, P, t, need_dd=False)[comp])) - Tm

        ha = h(A)
        for _ in range(400):
            if A * B > 0 and max(abs(A), abs(B)) > 4 * min(abs(A), abs(B)):
                M = mp.sqrt(A * B) * (1 if A > 0 else -1)
            else:
                M = (A + B) / 2
            hm = h(M)
            if (hm > 0) == (ha > 0):
                A, ha = M, hm
            else:
                B = M
            if abs(B - A) <= abs(M) * mp.ldexp(1, -90):
                break
        return M


def threshold_points(ev, P, brackets, k=2):
    out = []
    for comp, a, b in brackets:
        with mp.workprec(256):
            ga = abs(to_q(evaluate(ev, P, a, need_dd=False)[comp]))
            gb = abs(to_q(evaluate(ev, P, b, need_dd=False)[comp]))
        for T in THRESHOLDS:
            if (ga - T) * (gb - T) < 0:
                r = crossing(ev, P, comp, a, b, T)
                rq = to_q(r)
                is32 = T in (THRESHOLDS[2], THRESHOLDS[3], THRESHOLDS[5])
                if is32:
                    s = round_f32(rq)
                    if not math.isinf(s):
                        out += f32_neighbours(s, k)
                else:
                    d = round_f64(rq)
                    if not math.isinf(d):
                        out += f64_neighbours(d, k)
    return out


def deriv_root(ev, P, guess):
    with mp.workprec(320):
        return mp.findroot(lambda t: to_mpf(ev(t, P)[1]), mpf(guess))


def snake_roots(P):
    """Zeros of 1 + sin(2 alpha x): 2 alpha x = -pi/2 + 2 pi k."""
    out = []
    with mp.workprec(400):
        am = mpf(P["alpha"])
        ks = {0, 1, -1, 1000, -1000}
        for scale in (mpf(10) ** 6, mpf(10) ** 15):
            k0 = int(mp.nint(scale * am / mp.pi))
            ks |= {k0, k0 + 1, k0 + 7, -k0, -k0 - 3}
        for k in sorted(ks):
            out.append((-mp.pi / 2 + 2 * mp.pi * k) / (2 * am))
    return out


# --------------------------------------------------------------------------------------
# Function table
# --------------------------------------------------------------------------------------


class Spec:
    def __init__(self, name, ev, defaults=(), rng=(-40.0, 40.0), kinks=None, roots=None,
                 brackets=None):
        self.name = name
        self.ev = ev
        self.defaults = dict(defaults)
        self.rng = rng
        self.kinks = kinks or (lambda P: [])
        self.roots = roots or (lambda P: [])  # -> list of mpf reals (derivative zeros)
        self.brackets = brackets or (lambda P: [])  # -> list of (comp, a, b)


def _roots_by_guess(ev, *guesses):
    return lambda P: [deriv_root(ev, P, g) for g in guesses]


NEG_UF = lambda comps, lo=-2000.0, hi=-1.0: (lambda P: [(c, lo, hi) for c in comps])  # noqa: E731

SPECS = [
    Spec("identity", ev_identity),
    Spec("sigmoid", ev_sigmoid,
         brackets=lambda P: [(0, -2000.0, -1.0), (1, -2000.0, -1.0), (1, 1.0, 2000.0)]),
    Spec("tanh", ev_tanh, brackets=lambda P: [(1, -2000.0, -1.0), (1, 1.0, 2000.0)]),
    Spec("relu", ev_relu, kinks=lambda P: [0.0]),
    Spec("leaky_relu", ev_leaky_relu, [("negative_slope", 0.01)], kinks=lambda P: [0.0]),
    Spec("prelu", ev_prelu, [("weight", 0.25)], kinks=lambda P: [0.0]),
    Spec("rrelu", ev_rrelu, [("lower", 0.125), ("upper", 1 / 3)], kinks=lambda P: [0.0]),
    Spec("elu", ev_elu, [("alpha", 1.0)], kinks=lambda P: [0.0], brackets=NEG_UF([1])),
    Spec("selu", ev_selu, kinks=lambda P: [0.0],
         brackets=lambda P: [(1, -2000.0, -1.0), (0, 1.0, F64_MAX)]),
    Spec("celu", ev_celu, [("alpha", 1.0)], kinks=lambda P: [0.0],
         brackets=NEG_UF([1], -8000.0)),
    Spec("gelu", ev_gelu, rng=(-40.0, 10.0), roots=_roots_by_guess(ev_gelu, -0.7518),
         brackets=lambda P: [(0, -100.0, -1.0), (1, -100.0, -1.5)]),
    Spec("gelu_tanh", ev_gelu_tanh, rng=(-40.0, 10.0),
         roots=_roots_by_guess(ev_gelu_tanh, -0.7518),
         brackets=lambda P: [(0, -100.0, -1.0), (1, -100.0, -1.5)]),
    Spec("silu", ev_silu, roots=_roots_by_guess(ev_silu, -1.2785),
         brackets=lambda P: [(0, -2000.0, -1.5), (1, -2000.0, -3.0)]),
    Spec("swish", ev_swish, [("beta", 1.0)],
         roots=lambda P: [deriv_root(ev_swish, P, -1.2785 / P["beta"])],
         brackets=lambda P: [(0, -2000.0, -1.5 / P["beta"]), (1, -2000.0, -3.0 / P["beta"])]),
    Spec("mish", ev_mish, roots=_roots_by_guess(ev_mish, -1.19),
         brackets=lambda P: [(0, -2000.0, -1.5), (1, -2000.0, -3.0)]),
    Spec("softplus", ev_softplus, [("beta", 1.0), ("threshold", 20.0)],
         kinks=lambda P: ([float(Q(P["threshold"]) / Q(P["beta"]))]
                          if math.isfinite(P["threshold"]) else []),
         brackets=NEG_UF([0, 1], -4000.0)),
    Spec("softsign", ev_softsign, kinks=lambda P: [0.0],
         brackets=lambda P: [(1, 1.0, F64_MAX), (1, -F64_MAX, -1.0)]),
    Spec("hardsigmoid", ev_hardsigmoid, rng=(-8.0, 8.0), kinks=lambda P: [-3.0, 3.0]),
    Spec("hardswish", ev_hardswish, rng=(-8.0, 8.0), kinks=lambda P: [-3.0, -1.5, 0.0, 3.0]),
    Spec("hardtanh", ev_hardtanh, [("min_val", -1.0), ("max_val", 1.0)], rng=(-8.0, 8.0),
         kinks=lambda P: [P["min_val"], P["max_val"]]),
    Spec("relu6", ev_relu6, rng=(-8.0, 12.0), kinks=lambda P: [0.0, 6.0]),
    Spec("logsigmoid", ev_logsigmoid,
         brackets=lambda P: [(0, 1.0, 2000.0), (1, 1.0, 2000.0)]),
    Spec("tanhshrink", ev_tanhshrink,
         brackets=lambda P: [(0, 1e-320, 0.5), (0, -0.5, -1e-320),
                             (1, 1e-320, 0.5), (1, -0.5, -1e-320)]),
    Spec("hardshrink", ev_hardshrink, [("lambd", 0.5)], rng=(-8.0, 8.0),
         kinks=lambda P: [-P["lambd"], P["lambd"]]),
    Spec("softshrink", ev_softshrink, [("lambd", 0.5)], rng=(-8.0, 8.0),
         kinks=lambda P: [-P["lambd"], P["lambd"]]),
    Spec("threshold", ev_threshold, [("threshold", 0.0), ("value", 0.0)], rng=(-8.0, 8.0),
         kinks=lambda P: [P["threshold"]]),
    Spec("squared_relu", ev_squared_relu, kinks=lambda P: [0.0],
         brackets=lambda P: [(0, 1e-320, 1.0), (0, 1.0, F64_MAX), (1, 1.0, F64_MAX)]),
    Spec("snake", ev_snake, [("alpha", 1.0)], rng=(-10.0, 10.0), roots=snake_roots),
]

SPEC = {s.name: s for s in SPECS}

# Non-default parameter sets (every parameter listed).
PARAM_SETS = [
    ("leaky_relu", {"negative_slope": 0.2}),
    ("prelu", {"weight": 0.1}),
    ("rrelu", {"lower": 0.1, "upper": 0.3}),
    ("elu", {"alpha": 0.5}),
    ("celu", {"alpha": 2.0}),
    ("swish", {"beta": 1.5}),
    ("softplus", {"beta": 2.0, "threshold": 20.0}),
    ("softplus", {"beta": 1.0, "threshold": INF}),
    ("hardtanh", {"min_val": -2.0, "max_val": 3.0}),
    ("hardshrink", {"lambd": 1.0}),
    ("softshrink", {"lambd": 1.0}),
    ("threshold", {"threshold": 0.5, "value": -1.0}),
    ("snake", {"alpha": 0.5}),
    ("snake", {"alpha": 2.0}),
]

N_F64_DEFAULT, N_F32_DEFAULT = 640, 270
N_F64_PARAM, N_F32_PARAM = 130, 60

# --------------------------------------------------------------------------------------
# Input sampling
# --------------------------------------------------------------------------------------


def rand_f64(rng, lo, hi):
    r = rng.random()
    neg = rng.random() < 0.5
    if r < 0.7:
        e = rng.randrange(-60, 12)  # [2^-60, 2^12)
    elif r < 0.8:
        e = rng.randrange(-1074, -60)  # [2^-1074, 2^-60)
    elif r < 0.9:
        e = rng.randrange(12, 1024)  # [2^12, 2^1024)
    else:
        return rng.uniform(lo, hi)
    if e >= -1022:
        bits = ((e + 1023) << 52) | rng.getrandbits(52)
    else:  # subnormal with leading bit 2^e
        k = e + 1074
        bits = (1 << k) | rng.getrandbits(k) if k else 1
    v = struct.unpack("<d", struct.pack("<Q", bits))[0]
    return -v if neg else v


def rand_f32(rng, lo, hi):
    r = rng.random()
    neg = rng.random() < 0.5
    if r < 0.7:
        e = rng.randrange(-60, 12)
    elif r < 0.8:
        e = rng.randrange(-149, -60)
    elif r < 0.9:
        e = rng.randrange(12, 128)
    else:
        return f32(rng.uniform(lo, hi))
    if e >= -126:
        bits = ((e + 127) << 23) | rng.getrandbits(23)
    else:
        k = e + 149
        bits = (1 << k) | rng.getrandbits(k) if k else 1
    v = f32_from_bits(bits)
    return -v if neg else v


def _pm(vals):
    out = []
    for v in vals:
        out.append(v)
        if v != 0:
            out.append(-v)
    return out


GENERAL_F64 = [0.0] + _pm([5e-324, 1e-323, 1.5e-323, 2.0 ** -1022 - 5e-324, 2.0 ** -1022,
                           1e-300, 1e-30, 1e-8, 0.5, 1.0, 2.0, 1e30, 1e300, F64_MAX, F32_MAX])
GENERAL_F32 = _pm([2.0 ** -149, 2.0 ** -148, 3 * 2.0 ** -149, 2.0 ** -126 - 2.0 ** -149,
                   2.0 ** -126, f32(1e-30), f32(1e-8), f32(1e30), F32_MAX])
GENERAL_SHORT = [0.0] + _pm([5e-324, 2.0 ** -149, 1e-8, 1.0, 1e300, F64_MAX, F32_MAX])


def inputs_for(spec, P, rng, n64, n32, short):
    xs = list(GENERAL_SHORT if short else GENERAL_F64 + GENERAL_F32)
    for k in spec.kinks(P):
        xs += kink_points(k)
    for r in spec.roots(P):
        xs += grid_points(r, 3)
    xs += threshold_points(spec.ev, P, spec.brackets(P))
    lo, hi = spec.rng
    xs += [rand_f64(rng, lo, hi) for _ in range(n64)]
    xs += [rand_f32(rng, lo, hi) for _ in range(n32)]
    seen = {}
    for x in xs:
        if math.isnan(x) or math.isinf(x):
            continue
        if x == 0:
            x = 0.0  # +0.0 only
        seen.setdefault(f64_bits(x), x)
    return sorted(seen.values())


def params_str(spec, P):
    if P == spec.defaults:
        return "-"
    return ",".join("%s=%r" % (k, P[k]) for k in spec.defaults)


# --------------------------------------------------------------------------------------


def main():
    t_start = time.time()
    selftest()
    rng = random.Random(SEED)
    jobs = []
    for spec in SPECS:
        jobs.append((spec, dict(spec.defaults), N_F64_DEFAULT, N_F32_DEFAULT, False))
        for name, over in PARAM_SETS:
            if name == spec.name:
                P = dict(spec.defaults)
                P.update(over)
                assert list(P) == list(spec.defaults)
                jobs.append((spec, P, N_F64_PARAM, N_F32_PARAM, True))
    out = [
        "# Golden values for crates/act unary activations, generated by tools/golden/golden.py",
        "# (mpmath %s, seed %d). Do not edit: regenerate with" % (mpmath.__version__, SEED),
        "#   python3 tools/golden/golden.py > crates/act/tests/data/golden_unary.tsv",
        "# Columns (tab-separated): name params x f_hi f_lo d_hi d_lo; numbers are f64 bit",
        "# patterns (16 hex digits); hi = value rounded to nearest f64, lo = (value - hi) rounded.",
    ]
    counts = []
    for spec, P, n64, n32, short in jobs:
        t0 = time.time()
        ps = params_str(spec, P)
        key = (spec.name, ps)
        try:
            xs = inputs_for(spec, P, rng, n64, n32, short)
            for x in xs:
                f, d = evaluate(spec.ev, P, x, key)
                fh, fl = hi_lo(f)
                dh, dl = hi_lo(d)
                out.append("\t".join((spec.name, ps, f64_hex(x), f64_hex(fh), f64_hex(fl),
                                      f64_hex(dh), f64_hex(dl))))
        except NoConvergence as e:
            print("golden.py: error: %s %s: %s" % (spec.name, ps, e), file=sys.stderr)
            sys.exit(1)
        st = STATS.get(key)
        if st:
            hist = " ".join("%d:%d" % kv for kv in sorted(st[2].items()))
            prec = "max prec %5d bits at x=%r; cases by final precision %s" % (st[0], st[1], hist)
        else:
            prec = "exact (Fraction)"
        counts.append((spec.name, ps, len(xs)))
        print("%-12s %-32s %5d cases %7.1fs  %s"
              % (spec.name, ps, len(xs), time.time() - t0, prec), file=sys.stderr)
    sys.stdout.write("\n".join(out) + "\n")
    print("total %d cases in %.1fs" % (sum(c[2] for c in counts), time.time() - t_start),
          file=sys.stderr)


if __name__ == "__main__":
    main()
