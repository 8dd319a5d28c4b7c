#!/usr/bin/env python3
"""PyTorch's activation functions measured by actlab's accuracy harness, beside actlab's own.

For each catalogue function and pass (forward, derivative) this script evaluates PyTorch on the
sweep's inputs (f32 bit patterns 0, stride, 2*stride, ... below 2^32, ascending, NaN patterns
skipped) and streams the f32 results into

    actlab accuracy --function F --pass P --outputs - --compare --label pytorch --json

which measures them and actlab's own results against one double-double reference evaluation.
The derivative is what PyTorch users get: autograd (x.requires_grad_(); y = f(x);
y.backward(torch.ones_like(y)); x.grad). Functions PyTorch lacks are measured for actlab alone.

Needs PyTorch and numpy (the project itself never does):

    ~/torch/bin/python tools/torch_accuracy.py                      # strided sample, print results
    ~/torch/bin/python tools/torch_accuracy.py --markdown           # ... into docs/ACCURACY.md
    ~/torch/bin/python tools/torch_accuracy.py --functions gelu,mish --out /tmp/gelu.json
    ~/torch/bin/python tools/torch_accuracy.py --exhaustive --functions sigmoid   # hours
    ~/torch/bin/python tools/torch_accuracy.py --markdown-only      # re-render, measure nothing

--exhaustive writes one file per function, docs/accuracy/exhaustive/<function>.json, in the format
of `actlab accuracy --exhaustive --function F --json` (which tools/exhaustive.sh writes) plus the
PyTorch rows; a finished pass is kept in <function>.<pass>.json.part, so a stopped run resumes, and
functions whose file already has every row are skipped. `--exhaustive --stride N` runs that same
pipeline at stride N: a quick test of it (give it --docs /tmp/somewhere).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DEFAULT_STRIDE = 4099  # act::accuracy::DEFAULT_STRIDE
PASSES = ("forward", "derivative")
LABEL = "pytorch"
# Inputs evaluated and streamed at a time (64 MiB of f32 each for x, y and the gradient).
CHUNK = 1 << 24
# 2^23: the bit patterns with a zero mantissa, that is ±0, ±2^k for every normal exponent k, ±∞.
POWERS_STRIDE = 1 << 23
START_MARKER = "<!-- accuracy-table:start -->"
END_MARKER = "<!-- accuracy-table:end -->"


def pytorch_functions():
    """actlab name -> (the PyTorch call as the docs show it, f(x), the catalogue defaults it
    assumes). Imported lazily so that --markdown-only runs without PyTorch."""
    import torch
    import torch.nn.functional as F

    prelu_weight = torch.tensor([0.25])
    return {
        "identity": ("x", lambda x: x, {}),
        "sigmoid": ("torch.sigmoid", torch.sigmoid, {}),
        "tanh": ("torch.tanh", torch.tanh, {}),
        "relu": ("F.relu", F.relu, {}),
        "leaky_relu": (
            "F.leaky_relu(x, 0.01)",
            lambda x: F.leaky_relu(x, 0.01),
            {"negative_slope": 0.01},
        ),
        "prelu": (
            "F.prelu(x, torch.tensor([0.25]))",
            lambda x: F.prelu(x, prelu_weight),
            {"weight": 0.25},
        ),
        "rrelu": (
            "F.rrelu(x, 1/8, 1/3, training=False)",
            lambda x: F.rrelu(x, 1.0 / 8.0, 1.0 / 3.0, training=False),
            {"lower": 1.0 / 8.0, "upper": 1.0 / 3.0},
        ),
        "elu": ("F.elu(x, 1.0)", lambda x: F.elu(x, 1.0), {"alpha": 1.0}),
        "selu": ("F.selu", F.selu, {}),
        "celu": ("F.celu(x, 1.0)", lambda x: F.celu(x, 1.0), {"alpha": 1.0}),
        "gelu": ("F.gelu(x)", lambda x: F.gelu(x, approximate="none"), {}),
        "gelu_tanh": (
            "F.gelu(x, approximate='tanh')",
            lambda x: F.gelu(x, approximate="tanh"),
            {},
        ),
        "silu": ("F.silu", F.silu, {}),
        # swish(x) = x·σ(βx); the catalogue's β = 1 is silu (PyTorch has no other β).
        "swish": ("F.silu", F.silu, {"beta": 1.0}),
        "mish": ("F.mish", F.mish, {}),
        "softplus": (
            "F.softplus(x, 1, 20)",
            lambda x: F.softplus(x, beta=1.0, threshold=20.0),
            {"beta": 1.0, "threshold": 20.0},
        ),
        "softsign": ("F.softsign", F.softsign, {}),
        "hardsigmoid": ("F.hardsigmoid", F.hardsigmoid, {}),
        "hardswish": ("F.hardswish", F.hardswish, {}),
        "hardtanh": (
            "F.hardtanh(x, -1, 1)",
            lambda x: F.hardtanh(x, -1.0, 1.0),
            {"min_val": -1.0, "max_val": 1.0},
        ),
        "relu6": ("F.relu6", F.relu6, {}),
        "logsigmoid": ("F.logsigmoid", F.logsigmoid, {}),
        "tanhshrink": ("F.tanhshrink", F.tanhshrink, {}),
        "hardshrink": (
            "F.hardshrink(x, 0.5)",
            lambda x: F.hardshrink(x, 0.5),
            {"lambd": 0.5},
        ),
        "softshrink": (
            "F.softshrink(x, 0.5)",
            lambda x: F.softshrink(x, 0.5),
            {"lambd": 0.5},
        ),
        "threshold": (
            "F.threshold(x, 0, 0)",
            lambda x: F.threshold(x, 0.0, 0.0),
            {"threshold": 0.0, "value": 0.0},
        ),
    }


# ---- the sweep's inputs and PyTorch's values -----------------------------------------------------


def sweep_inputs(stride: int):
    """The sweep's inputs as f32 arrays of at most CHUNK bit patterns each, in sweep order."""
    patterns = -(-(1 << 32) // stride)  # ⌈2³²/stride⌉
    for first in range(0, patterns, CHUNK):
        index = np.arange(first, min(first + CHUNK, patterns), dtype=np.uint64)
        bits = (index * np.uint64(stride)).astype(np.uint32)
        nan = ((bits & 0x7F800000) == 0x7F800000) & ((bits & 0x007FFFFF) != 0)
        yield bits[~nan].view(np.float32)


def pytorch_values(f, pass_name: str, x: np.ndarray) -> np.ndarray:
    """PyTorch's f32 results for the inputs `x`: f(x), or f′(x) by autograd."""
    import torch

    x = torch.from_numpy(x)
    if pass_name == "forward":
        with torch.no_grad():
            y = f(x)
        return y.numpy()
    x = x.clone().requires_grad_()
    y = f(x)
    y.backward(torch.ones_like(y))
    return x.grad.numpy()


# ---- running actlab ------------------------------------------------------------------------------


def sweep_args(stride: int, exhaustive: bool) -> list[str]:
    return ["--exhaustive"] if exhaustive and stride == 1 else ["--stride", str(stride)]


def run_actlab(command: list[str], stdin_chunks=None) -> dict:
    """Runs `actlab accuracy …`, streaming `stdin_chunks` (f32 arrays) into it; its JSON report.
    Exit status 1 only says a bound was exceeded: the report is there either way."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE if stdin_chunks is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        if stdin_chunks is not None:
            for values in stdin_chunks:
                process.stdin.write(values.astype("<f4", copy=False).tobytes())
            process.stdin.close()
    except BrokenPipeError:
        pass  # actlab stopped reading: its stderr says why
    stdout = process.stdout.read()
    stderr = process.stderr.read().decode(errors="replace")
    status = process.wait()
    if status not in (0, 1):
        raise SystemExit(f"{' '.join(command)}: exit {status}\n{stderr}")
    return json.loads(stdout)


def measure(actlab: str, name: str, pass_name: str, stride: int, exhaustive: bool, threads,
            pytorch) -> dict:
    """One (function, pass): actlab's report with the actlab and PyTorch results (or actlab's
    alone where `pytorch` is None, PyTorch lacking the function)."""
    command = [actlab, "accuracy", "--function", name, "--pass", pass_name, "--json"]
    command += sweep_args(stride, exhaustive)
    if threads:
        command += ["--threads", str(threads)]
    if pytorch is None:
        return run_actlab(command)
    f = pytorch[1]
    command += ["--outputs", "-", "--compare", "--label", LABEL]
    values = (pytorch_values(f, pass_name, x) for x in sweep_inputs(stride))
    return run_actlab(command, values)


# ---- results on disk -----------------------------------------------------------------------------


def machine() -> dict:
    """Where and with what the figures were measured."""
    import torch

    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "generator": "tools/torch_accuracy.py",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "torch": torch.__version__,
        "torch_cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "torch_threads": torch.get_num_threads(),
        "numpy": np.__version__,
    }


def write_json(path: Path, value) -> None:
    """Writes `value` to `path` atomically (a stopped run never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".tmp")
    part.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
    part.replace(path)


def read_json(path: Path):
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None


def row_key(result: dict) -> tuple:
    return (result["function"], result["pass"], result.get("implementation", "actlab"))


def complete(report, pytorch_expected: bool, stride: int = 1) -> bool:
    """Whether a per-function report at `stride` has every row: both passes, actlab's and (where
    PyTorch has the function) PyTorch's."""
    if not report or report.get("stride") != stride:
        return False
    keys = {(r["pass"], r.get("implementation", "actlab")) for r in report["results"]}
    wanted = {(p, i) for p in PASSES for i in ("actlab",) + ((LABEL,) if pytorch_expected else ())}
    return wanted <= keys


# ---- markdown ------------------------------------------------------------------------------------


def number(v) -> str:
    """An x (f32, shortest decimal from actlab's JSON) for a table."""
    if isinstance(v, str):
        return {"inf": "+∞", "-inf": "−∞", "nan": "NaN"}[v]
    text = repr(float(v))
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.removesuffix(".0")


def ulp(v, mean=False) -> str:
    if isinstance(v, str):
        return "∞" if v == "inf" else v
    if v == 0:
        return "0"
    if mean and v < 1e-3:
        return f"{v:.1e}".replace("e-0", "e-")
    if v < 10:
        return f"{v:.{4 if mean else 3}f}"
    if v < 1e4:
        return f"{v:.1f}"
    mantissa, exponent = f"{v:.2e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def max_cell(r: dict) -> str:
    """The largest error and where: an infinite one (a NaN or an infinity where the exact value is
    finite) shown with the largest finite one beside it. Bold over the bound."""
    if r["max_ulp"] == "inf":
        count = r.get("infinite_errors", 1)
        inputs = f", {count} inputs" if count > 1 else ""
        text = f"∞ ({number(r['got'])} at {number(r['max_ulp_at'])}{inputs})"
        if "max_finite_ulp" in r and count < r["inputs"]:
            text += f"; finite: {ulp(r['max_finite_ulp'])} at {number(r['max_finite_ulp_at'])}"
    else:
        text = f"{ulp(r['max_ulp'])} at {number(r['max_ulp_at'])}"
    return text if r["within_bound"] else f"**{text}**"


def results_table(rows, names, pytorch_names, mode_note=None) -> list[str]:
    """One markdown row per (function, pass) of `names`, from `rows` keyed by row_key."""
    lines = [
        "| function | pass | actlab max ULP (at x) | actlab mean ULP "
        "| PyTorch max ULP (at x) | PyTorch mean ULP | inputs |",
        "|---|---|---|---|---|---|---:|",
    ]
    for name in names:
        for pass_name in PASSES:
            own = rows.get((name, pass_name, "actlab"))
            if own is None:
                continue
            torch_row = rows.get((name, pass_name, LABEL))
            if torch_row is not None:
                torch_cells = [max_cell(torch_row), ulp(torch_row["mean_ulp"], mean=True)]
            elif name in pytorch_names:
                torch_cells = ["not yet measured", ""]
            else:
                torch_cells = ["—", "—"]
            inputs = f"{own['inputs']:,}"
            if mode_note and mode_note.get(name):
                inputs += f" ({mode_note[name]})"
            lines.append(
                f"| {name} | {pass_name} | {max_cell(own)} | {ulp(own['mean_ulp'], mean=True)} | "
                + " | ".join(torch_cells)
                + f" | {inputs} |"
            )
    return lines


def worst_pytorch(rows, limit=8) -> list[str]:
    """Bullets for PyTorch's results over the bound, worst first."""
    over = [r for k, r in rows.items() if k[2] == LABEL and not r["within_bound"]]

    def badness(r):
        finite = r.get("max_finite_ulp", r["max_ulp"])
        return (r["max_ulp"] == "inf", finite if not isinstance(finite, str) else 0.0)

    lines = []
    for r in sorted(over, key=badness, reverse=True)[:limit]:
        where = f"{ulp(r['max_ulp'])} ULP at x = {number(r['max_ulp_at'])}"
        exact = r["exact"] if isinstance(r["exact"], str) else float(f"{r['exact']:.9g}")
        where += f" (PyTorch {number(r['got'])}, exact {number(exact)})"
        if r["max_ulp"] == "inf" and r.get("infinite_errors", 0) < r["inputs"]:
            where += (f"; largest finite error {ulp(r['max_finite_ulp'])} ULP at "
                      f"x = {number(r['max_finite_ulp_at'])}")
        over = f"{r['over_bound']:,} input{'s' if r['over_bound'] > 1 else ''}"
        lines.append(f"- {r['function']} {r['pass']}: {where}; "
                     f"{over} over the {r['bound_ulp']}-ULP bound.")
    return lines


def on_grid(stride: int) -> str:
    """Which of ±0 and ±∞ a sweep at `stride` visits."""
    specials = {"+0": 0, "−0": 0x80000000, "+∞": 0x7F800000, "−∞": 0xFF800000}
    visited = [name for name, bits in specials.items() if bits % stride == 0]
    missed = [name for name in specials if name not in visited]
    if not missed:
        return "±0 and ±∞ included"
    return f"{', '.join(visited) or 'none'} of ±0 and ±∞ on the grid, {', '.join(missed)} not"


def sample_section(recorded: dict, catalogue, pytorch_calls, intro: str) -> list[str]:
    """A strided run's table, the machine it ran on and PyTorch's worst results."""
    m = recorded["machine"]
    rows = {row_key(r): r for r in recorded["results"]}
    out = [
        f"{intro} Measured {m['date']} on {m['cpu']} ({m['cores']} cores) with PyTorch "
        f"{m['torch']} (CPU, {m['torch_cpu_capability']} kernels, torch threads: "
        f"{m['torch_threads']}) and numpy {m['numpy']}, by `{recorded['command']}`.",
        "",
    ]
    out += results_table(rows, catalogue, pytorch_calls)
    worst = worst_pytorch(rows)
    if worst:
        out += ["", "PyTorch's worst results here:", ""] + worst
    return out + [""]


def render(docs: Path, catalogue: list[str], pytorch_calls: dict) -> str:
    """The generated section between the markers."""
    out = [
        START_MARKER,
        "<!-- Generated by tools/torch_accuracy.py from docs/accuracy/{strided,powers}.json and "
        "docs/accuracy/exhaustive/*.json: rerun the script rather than editing this part. -->",
        "",
        "Bold: over the bound (1 ULP forward, 2 ULP derivative). ∞: a NaN or an infinity where "
        "the exact value is finite (or the wrong infinity), with the largest finite error after "
        "it. Mean ULP: the finite errors summed, divided by the number of inputs. —: PyTorch has "
        "no such function.",
        "",
        "## Strided sample",
        "",
    ]
    strided = read_json(docs / "accuracy" / "strided.json")
    if strided is None:
        out += ["Not measured yet: `~/torch/bin/python tools/torch_accuracy.py --markdown`.", ""]
    else:
        stride = strided["stride"]
        out += sample_section(
            strided, catalogue, pytorch_calls,
            f"Every {stride}th f32 bit pattern from 0 (both signs, every binade; "
            f"{on_grid(stride)}).",
        )
    powers = read_json(docs / "accuracy" / "powers.json")
    if powers is not None:
        out += ["## Powers of two, ±0 and ±∞", ""]
        out += sample_section(
            powers, catalogue, pytorch_calls,
            f"The bit patterns with a zero mantissa (stride 2^23): ±0, ±2^k for k = −126…127 "
            f"and ±∞, where a stride seldom lands.",
        )
    out += [
        "PyTorch calls measured (derivatives by autograd): "
        + "; ".join(f"{n}: `{call}`" for n, (call, _, _) in pytorch_calls.items())
        + " (swish at the catalogue's β = 1 is silu; PyTorch has no other β). Not in PyTorch: "
        + ", ".join(n for n in catalogue if n not in pytorch_calls)
        + ".",
        "",
    ]

    out += ["## Exhaustive sweep (all 2^32 f32 inputs)", ""]
    directory = docs / "accuracy" / "exhaustive"
    reports = {}
    for path in sorted(directory.glob("*.json")):
        report = read_json(path)
        for r in report["results"]:
            reports.setdefault(r["function"], report)
    rows, mode_note = {}, {}
    for name, report in reports.items():
        for r in report["results"]:
            rows[row_key(r)] = r
        if report.get("mode") != "exhaustive":
            mode_note[name] = f"stride {report['stride']}: a test run, not exhaustive"
    if reports:
        out += [
            "From `docs/accuracy/exhaustive/<function>.json`, written by "
            "`tools/exhaustive.sh F…` (actlab alone) or "
            "`~/torch/bin/python tools/torch_accuracy.py --exhaustive --functions F,…` "
            "(actlab and PyTorch in one sweep, each file recording its machine and date).",
            "",
        ]
        out += results_table(rows, [n for n in catalogue if n in reports], pytorch_calls, mode_note)
        worst = worst_pytorch(rows)
        if worst:
            out += ["", "PyTorch's worst results over all inputs:", ""] + worst
        out.append("")
    done = [n for n in catalogue if n in reports and n not in mode_note]
    missing = [n for n in catalogue if n not in done]
    no_torch = [
        n for n in done
        if n in pytorch_calls and not complete(reports[n], pytorch_expected=True)
    ]
    if missing:
        out.append(f"Still missing ({len(missing)} of {len(catalogue)}): {', '.join(missing)}.")
    else:
        out.append(f"All {len(catalogue)} functions done.")
    if no_torch:
        out += ["", f"Measured for actlab alone so far (PyTorch pending): {', '.join(no_torch)}."]
    out += ["", END_MARKER]
    return "\n".join(out)


INTRO = """\
# Accuracy

How close every f32 result of actlab is to the exact mathematical value, and how close PyTorch's
are, measured by the same harness on the same inputs.

## What is measured

`actlab accuracy` sweeps f32 inputs: the bit patterns 0, stride, 2·stride, … below 2^32 in
ascending order. The default stride, 4099, samples about a million inputs from every binade of
both signs; `--exhaustive` visits all 2^32 patterns. The NaN patterns are skipped (NaN
propagation is tested separately); everything else on the grid is measured, subnormals and
infinities included. The stride-4099 grid holds +0 but neither −0 nor ±∞, so the tables below add
a sweep at stride 2^23, whose grid is exactly ±0, every power of two and ±∞.

For each element-wise function of the catalogue and each pass, the forward value f(x) and the
derivative f′(x) (computed from the input), the harness measures the f32 result's error in units
in the last place (ULP) of the exact value: |got − exact| / ulp(exact), where ulp(v) is the f32
spacing in v's binade, never below the subnormal spacing 2^−149. A correctly rounded result is
within 0.5 ULP.

**The reference** is the same function evaluated in double-double arithmetic (about 106 bits,
`crates/act/src/dd/`), validated against mpmath golden values computed at adaptive precision
(`crates/act/tests/golden.rs`, values made by `tools/golden/golden.py`): it is within 2^−70
relative of them, far below an f32 ULP.

**The bounds** actlab promises for every f32 input: ≤ 1 ULP forward, ≤ 2 ULP for the derivative.
NaN and infinity rules: a NaN or an infinity where the exact value is finite, or the wrong
infinity, is an infinite error (∞ in the tables); an infinite result is exact when the exact value
rounds to that infinity; an exact value beyond f32's range is compared with a finite result in
ULPs of f32::MAX's binade. At ±∞ the exact value is the limit: σ(−∞) = 0, gelu(−∞) = −0,
gelu′(−∞) = 0, gelu′(+∞) = 1, softsign(+∞) = 1.

**PyTorch** is measured by the same sweep: `tools/torch_accuracy.py` evaluates each PyTorch
function on the sweep's inputs, in order, the derivative by autograd (`x.requires_grad_()`,
`y = f(x)`, `y.backward(torch.ones_like(y))`, `x.grad`: what PyTorch users get), and streams the
f32 results into `actlab accuracy --outputs - --compare --label pytorch --json`, which measures
actlab's results and PyTorch's against one reference evaluation per input. Each table below says
on which machine, with which versions and on which date it was measured.

## How to reproduce

    cargo build --release -p actlab-cli
    ./target/release/actlab accuracy                  # actlab alone: the strided sample, a table
    ./target/release/actlab accuracy --exhaustive --function sigmoid --json   # all 2^32 inputs
    ~/torch/bin/python tools/torch_accuracy.py --markdown   # PyTorch beside actlab: the tables here
    ~/torch/bin/python tools/torch_accuracy.py --exhaustive --functions sigmoid,gelu --markdown
    tools/exhaustive.sh squared_relu snake            # all 2^32 inputs, actlab alone
    ~/torch/bin/python tools/torch_accuracy.py --markdown-only   # re-render from the JSON files

The measurements are kept as JSON beside this page: `docs/accuracy/strided.json` (stride 4099),
`docs/accuracy/powers.json` (stride 2^23) and `docs/accuracy/exhaustive/<function>.json`.
PyTorch is needed only by `tools/torch_accuracy.py`, never by the build, the tests or CI.

"""


def write_markdown(docs: Path, catalogue, pytorch_calls) -> Path:
    """Rewrites the section between the markers of docs/ACCURACY.md (creating the page, with its
    introduction, if missing)."""
    path = docs / "ACCURACY.md"
    section = render(docs, catalogue, pytorch_calls)
    if path.exists():
        text = path.read_text()
        start, end = text.find(START_MARKER), text.find(END_MARKER)
        if start >= 0 and end > start:
            text = text[:start] + section + text[end + len(END_MARKER):]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
    else:
        text = INTRO + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# ---- main ----------------------------------------------------------------------------------------


def catalogue_names(actlab: str) -> tuple[list[str], dict]:
    """The element-wise catalogue in its order, and each function's default parameters."""
    listing = json.loads(subprocess.run([actlab, "list", "--json"], check=True,
                                        capture_output=True).stdout)
    functions = [f for f in listing if f["elementwise"]]
    return [f["name"] for f in functions], {f["name"]: f["params"] for f in functions}


def summary(results) -> str:
    return ", ".join(
        f"{r.get('implementation', 'actlab')} {ulp(r['max_ulp'])} ULP at {number(r['max_ulp_at'])}"
        for r in results
    )


def record(path: Path, run: dict, catalogue: list[str]) -> None:
    """Writes a strided run to `path`, keeping the other functions' rows of an earlier run at the
    same stride (so that `--functions` refreshes part of a table)."""
    recorded = read_json(path)
    if recorded and recorded["stride"] == run["stride"]:
        rows = {row_key(r): r for r in recorded["results"]}
        rows.update((row_key(r), r) for r in run["results"])
        order = {n: i for i, n in enumerate(catalogue)}
        run = dict(run, results=sorted(rows.values(), key=lambda r: (
            order.get(r["function"], len(order)), PASSES.index(r["pass"]),
            r.get("implementation", "actlab") != "actlab")))
    write_json(path, run)


class Runner:
    """Runs the sweeps of one invocation."""

    def __init__(self, actlab: str, threads, pytorch: dict):
        self.actlab, self.threads, self.pytorch = actlab, threads, pytorch

    def function(self, name: str, stride: int, exhaustive: bool, checkpoints: Path | None = None):
        """Both passes of `name`: the results of each pass's report, the first report (for its
        header fields). A pass finished earlier is read back from `checkpoints` if given."""
        reports = []
        for pass_name in PASSES:
            checkpoint = checkpoints / f"{name}.{pass_name}.json.part" if checkpoints else None
            report = read_json(checkpoint) if checkpoint else None
            if report is None or report["stride"] != stride:
                begun = time.monotonic()
                report = measure(self.actlab, name, pass_name, stride, exhaustive, self.threads,
                                 self.pytorch.get(name))
                if checkpoint:
                    write_json(checkpoint, report)
                print(f"{name} {pass_name} (stride {stride}): {summary(report['results'])} "
                      f"({time.monotonic() - begun:.1f} s)", file=sys.stderr)
            reports.append(report)
        return [r for report in reports for r in report["results"]], reports[0]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See the top of tools/torch_accuracy.py for examples.",
    )
    parser.add_argument("--stride", type=int, help=f"visit every N-th bit pattern (default "
                        f"{DEFAULT_STRIDE}; with --exhaustive: a test of the exhaustive pipeline "
                        "at that stride)")
    parser.add_argument("--exhaustive", action="store_true",
                        help="all 2^32 inputs; one file per function in DOCS/accuracy/exhaustive/")
    parser.add_argument("--functions", help="comma-separated catalogue names (default: all "
                        "element-wise functions; those PyTorch lacks are measured for actlab "
                        "alone)")
    parser.add_argument("--out", type=Path, help="write all results of this run to FILE.json")
    parser.add_argument("--markdown", action="store_true",
                        help="record strided results in DOCS/accuracy/{strided,powers}.json and "
                        "rewrite the tables of DOCS/ACCURACY.md")
    parser.add_argument("--markdown-only", action="store_true",
                        help="rewrite the tables of DOCS/ACCURACY.md from the recorded results; "
                        "measure nothing")
    parser.add_argument("--docs", type=Path, default=REPO / "docs",
                        help="the docs folder (default: the repository's docs/)")
    parser.add_argument("--actlab", help="the actlab binary (default: build and use "
                        "target/release/actlab)")
    parser.add_argument("--threads", type=int, help="actlab's worker threads (default: all CPUs)")
    args = parser.parse_args()
    if args.stride is not None and not 1 <= args.stride <= 1 << 32:
        parser.error("--stride must be in 1..=2^32")
    stride = args.stride or (1 if args.exhaustive else DEFAULT_STRIDE)

    actlab = args.actlab
    if actlab is None:
        subprocess.run(["cargo", "build", "--release", "-p", "actlab-cli", "--quiet"],
                       cwd=REPO, check=True)
        actlab = str(REPO / "target" / "release" / "actlab")
    catalogue, defaults = catalogue_names(actlab)
    pytorch = pytorch_functions()
    for name, (call, _, params) in pytorch.items():
        if name in defaults and defaults[name] != params:
            raise SystemExit(f"{name}: the catalogue's defaults {defaults[name]} are not the "
                             f"parameters of {call} ({params}): update pytorch_functions()")
    pytorch = {n: pytorch[n] for n in catalogue if n in pytorch}

    if args.markdown_only:
        print(write_markdown(args.docs, catalogue, pytorch))
        return 0

    names = catalogue if not args.functions else args.functions.split(",")
    for name in names:
        if name not in catalogue:
            parser.error(f"{name!r} is not an element-wise catalogue function: "
                         f"{', '.join(catalogue)}")

    import torch

    # One thread: the same split of each tensor into vector body and scalar tail on every run.
    torch.set_num_threads(1)
    runner = Runner(actlab, args.threads, pytorch)
    info = machine()
    script = "~/torch/bin/python tools/torch_accuracy.py"
    started = time.monotonic()
    run = {
        "mode": "exhaustive" if stride == 1 else "strided",
        "stride": stride,
        # What reproduces the recorded table (argv: what this run was).
        "command": f"{script} --markdown" + (
            f" --stride {stride}" if stride not in (1, DEFAULT_STRIDE) else ""),
        "argv": " ".join([script] + sys.argv[1:]),
        "machine": info,
        "results": [],
    }
    if args.exhaustive:
        directory = args.docs / "accuracy" / "exhaustive"
        for name in names:
            target = directory / f"{name}.json"
            if complete(read_json(target), name in pytorch, stride):
                print(f"{name}: done ({target})", file=sys.stderr)
                continue
            results, header = runner.function(name, stride, True, checkpoints=directory)
            run["results"] += results
            write_json(target, {
                **{k: v for k, v in header.items() if k != "results"},
                "machine": info,
                "command": f"{script} --exhaustive --functions {name}"
                + (f" --stride {stride}" if stride != 1 else ""),
                "results": results,
            })
            for pass_name in PASSES:
                (directory / f"{name}.{pass_name}.json.part").unlink(missing_ok=True)
    else:
        # The sample, then ±0, ±∞ and every power of two, which a stride seldom visits.
        powers = dict(run, stride=POWERS_STRIDE, results=[])
        for name in names:
            run["results"] += runner.function(name, stride, False)[0]
            powers["results"] += runner.function(name, POWERS_STRIDE, False)[0]
        run["powers_of_two"] = powers["results"]
    run["seconds"] = round(time.monotonic() - started, 1)

    if args.out:
        write_json(args.out, run)
    if not args.out and not args.markdown:
        json.dump(run, sys.stdout, indent=2, ensure_ascii=False)
        print()
    if args.markdown:
        if not args.exhaustive:
            record(args.docs / "accuracy" / "strided.json",
                   {k: v for k, v in run.items() if k != "powers_of_two"}, catalogue)
            record(args.docs / "accuracy" / "powers.json", powers, catalogue)
        print(write_markdown(args.docs, catalogue, pytorch), file=sys.stderr)
    print(f"{len(run['results'])} results in {run['seconds']:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
