#!/usr/bin/env python3
"""PyTorch's CPU activation kernels timed beside actlab's slice kernels, in one run.

For each function PyTorch also has, at each size (default 4K, 64K and 16M f32 elements), one
thread (torch.set_num_threads(1), `actlab bench kernels --threads 1`):

- forward: the public function writing into a preallocated tensor where PyTorch has an `out=`
  overload (torch.ops.aten.<op>.out), else the public function itself (which allocates);
- backward: the kernel autograd calls, torch.ops.aten.<op>_backward (e.g. sigmoid_backward from
  the output, gelu_backward from the input), into a preallocated tensor where an out overload
  exists (`.grad_input`);
- copy: Tensor.copy_ into a preallocated tensor, the memory-bandwidth yardstick.

actlab's figures come from `actlab bench kernels --json --threads 1` in the same run. Each figure
is the best of 5 batches of at least --min-time seconds, inputs in [-8, 8]. softmax and
log_softmax run over rows of 1024. The table goes between the markers
`<!-- kernels-table:start -->` and `<!-- kernels-table:end -->` of docs/PERFORMANCE.md
(--markdown), with the command and the machine.

Needs PyTorch (the project itself never does):

    cargo build --release -p actlab-cli
    ~/torch/bin/python tools/torch_kernels.py                 # print the table
    ~/torch/bin/python tools/torch_kernels.py --markdown      # ... into docs/PERFORMANCE.md
    ~/torch/bin/python tools/torch_kernels.py --sizes 64K --functions sigmoid,gelu
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
START = "<!-- kernels-table:start -->"
END = "<!-- kernels-table:end -->"
ROW = 1024
aten = torch.ops.aten


def parse_size(token: str) -> int:
    token = token.strip()
    scale = {"K": 1 << 10, "k": 1 << 10, "M": 1 << 20, "m": 1 << 20}.get(token[-1], 1)
    return int(token[:-1] if scale > 1 else token) * scale


def best_rate(elements: int, min_time: float, call) -> float:
    """Best of 5 batches, in 10⁹ elements per second."""
    call()
    best = 0.0
    for _ in range(5):
        calls, start = 0, time.perf_counter()
        while True:
            call()
            calls += 1
            seconds = time.perf_counter() - start
            if seconds >= min_time:
                break
        best = max(best, elements * calls / seconds / 1e9)
    return best


def try_out(op, *args, **kwargs):
    """A call writing into kwargs' out tensor if the overload exists, else None."""
    try:
        op(*args, **kwargs)
        return lambda: op(*args, **kwargs)
    except (RuntimeError, TypeError, AttributeError):
        return None


def torch_calls(name: str, x, y, dy, dx):
    """(forward call, forward variant, backward call, backward variant) or None."""
    sig = torch.sigmoid(x)
    th = torch.tanh(x)

    def pick(out_call, fallback):
        return (out_call, "out=") if out_call else (fallback, "alloc")

    def fwd(op_name, public, *extra):
        op = getattr(aten, op_name, None)
        out = try_out(op.out, x, *extra, out=y) if op is not None and hasattr(op, "out") else None
        return pick(out, public)

    def bwd(op_name, *args):
        op = getattr(aten, op_name)
        out = try_out(op.grad_input, *args, grad_input=dx) if hasattr(op, "grad_input") else None
        return pick(out, lambda: op(*args))

    table = {
        "sigmoid": (fwd("sigmoid", lambda: torch.sigmoid(x)), bwd("sigmoid_backward", dy, sig)),
        "tanh": (fwd("tanh", lambda: torch.tanh(x)), bwd("tanh_backward", dy, th)),
        "relu": ((lambda: torch.relu(x), "alloc"), bwd("threshold_backward", dy, x, 0.0)),
        "leaky_relu": (
            fwd("leaky_relu", lambda: F.leaky_relu(x, 0.01), 0.01),
            bwd("leaky_relu_backward", dy, x, 0.01, False),
        ),
        "elu": (
            fwd("elu", lambda: F.elu(x), 1.0, 1.0, 1.0),
            bwd("elu_backward", dy, 1.0, 1.0, 1.0, False, x),
        ),
        "selu": (
            (lambda: torch.selu(x), "alloc"),
            bwd("elu_backward", dy, 1.6732632423543772, 1.0507009873554805, 1.0, False, x),
        ),
        "celu": ((lambda: torch.celu(x), "alloc"), bwd("elu_backward", dy, 1.0, 1.0, 1.0, False, x)),
        "gelu": (fwd("gelu", lambda: F.gelu(x)), bwd("gelu_backward", dy, x)),
        "silu": (fwd("silu", lambda: F.silu(x)), bwd("silu_backward", dy, x)),
        "mish": (fwd("mish", lambda: F.mish(x)), bwd("mish_backward", dy, x)),
        "softplus": (
            fwd("softplus", lambda: F.softplus(x), 1.0, 20.0),
            bwd("softplus_backward", dy, x, 1.0, 20.0),
        ),
        "softsign": ((lambda: F.softsign(x), "alloc"), None),
        "hardsigmoid": (fwd("hardsigmoid", lambda: F.hardsigmoid(x)), bwd("hardsigmoid_backward", dy, x)),
        "hardswish": (fwd("hardswish", lambda: F.hardswish(x)), bwd("hardswish_backward", dy, x)),
        "hardtanh": (
            fwd("hardtanh", lambda: F.hardtanh(x), -1.0, 1.0),
            bwd("hardtanh_backward", dy, x, -1.0, 1.0),
        ),
        "relu6": ((lambda: F.relu6(x), "alloc"), bwd("hardtanh_backward", dy, x, 0.0, 6.0)),
        "logsigmoid": (
            (lambda: F.logsigmoid(x), "alloc"),
            bwd("log_sigmoid_backward", dy, x, aten.log_sigmoid_forward(x)[1]),
        ),
        "tanhshrink": ((lambda: F.tanhshrink(x), "alloc"), None),
        "hardshrink": (fwd("hardshrink", lambda: F.hardshrink(x), 0.5), bwd("hardshrink_backward", dy, x, 0.5)),
        "softshrink": (fwd("softshrink", lambda: F.softshrink(x), 0.5), bwd("softshrink_backward", dy, x, 0.5)),
        "threshold": (
            fwd("threshold", lambda: F.threshold(x, 0.0, 0.0), 0.0, 0.0),
            bwd("threshold_backward", dy, x, 0.0),
        ),
    }
    if name == "gelu_tanh":
        fwd_call = fwd("gelu", lambda: F.gelu(x, approximate="tanh"))
        try:
            out = try_out(aten.gelu.out, x, approximate="tanh", out=y)
            fwd_call = (out, "out=") if out else fwd_call
        except AttributeError:
            pass
        back = pick(
            try_out(aten.gelu_backward.grad_input, dy, x, approximate="tanh", grad_input=dx),
            lambda: aten.gelu_backward(dy, x, approximate="tanh"),
        )
        return fwd_call, back
    if name in ("softmax", "log_softmax"):
        rows = x.numel() // ROW
        if rows == 0:
            return None
        xm = x[: rows * ROW].view(rows, ROW)
        dym = dy[: rows * ROW].view(rows, ROW)
        ym = y[: rows * ROW].view(rows, ROW)
        dxm = dx[: rows * ROW].view(rows, ROW)
        if name == "softmax":
            out = torch.softmax(xm, dim=1)
            f = try_out(aten._softmax.out, xm, 1, False, out=ym)
            b = try_out(aten._softmax_backward_data.out, dym, out, 1, torch.float32, grad_input=dxm)
            return (f or (lambda: torch.softmax(xm, dim=1)), "out=" if f else "alloc"), (
                b or (lambda: aten._softmax_backward_data(dym, out, 1, torch.float32)),
                "out=" if b else "alloc",
            )
        out = torch.log_softmax(xm, dim=1)
        f = try_out(aten._log_softmax.out, xm, 1, False, out=ym)
        b = try_out(aten._log_softmax_backward_data.out, dym, out, 1, torch.float32, out=dxm)
        return (f or (lambda: torch.log_softmax(xm, dim=1)), "out=" if f else "alloc"), (
            b or (lambda: aten._log_softmax_backward_data(dym, out, 1, torch.float32)),
            "out=" if b else "alloc",
        )
    return table.get(name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actlab", default=str(ROOT / "target" / "release" / "actlab"))
    parser.add_argument("--sizes", default="4K,64K,16M")
    parser.add_argument("--functions", default=None, help="comma-separated (default: all)")
    parser.add_argument("--min-time", type=float, default=0.05)
    parser.add_argument("--markdown", action="store_true", help="write docs/PERFORMANCE.md")
    parser.add_argument("--docs", default=str(ROOT / "docs" / "PERFORMANCE.md"))
    args = parser.parse_args()

    torch.set_num_threads(1)
    command = [args.actlab, "bench", "kernels", "--json", "--threads", "1", "--sizes", args.sizes,
               "--min-time", str(args.min_time)]
    if args.functions:
        command += ["--functions", args.functions]
    print("running:", " ".join(command), file=sys.stderr)
    ours = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    actlab = {(r["function"], r["pass"], r["size"]): r["gelem_per_s"] for r in ours["results"]}
    actlab_copy = {c["size"]: c["gelem_per_s"] for c in ours["copy"]}
    functions = list(dict.fromkeys(r["function"] for r in ours["results"]))
    sizes = [parse_size(s) for s in args.sizes.split(",")]

    rows = []
    torch_copy = {}
    gen = torch.Generator().manual_seed(1)
    for size in sizes:
        x = torch.rand(size, generator=gen) * 16 - 8
        dy = torch.rand(size, generator=gen) * 16 - 8
        y = torch.empty_like(x)
        dx = torch.empty_like(x)
        torch_copy[size] = best_rate(size, args.min_time, lambda: y.copy_(x))
        for name in functions:
            calls = torch_calls(name, x, y, dy, dx)
            for index, pass_ in enumerate(("forward", "backward")):
                ours_rate = actlab.get((name, pass_, size))
                if ours_rate is None:
                    continue
                call = calls[index] if calls else None
                elements = size if name not in ("softmax", "log_softmax") else size // ROW * ROW
                theirs, variant = (best_rate(elements, args.min_time, call[0]), call[1]) if call else (None, "")
                rows.append((name, pass_, size, theirs, variant, ours_rate))
            print(f"{name} {size}", file=sys.stderr)

    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    lines = [
        f"Measured by `~/torch/bin/python tools/torch_kernels.py --markdown` (torch {torch.__version__}, "
        f"1 thread, f32, {cpu}, {len(os.sched_getaffinity(0))} CPUs visible; "
        f"actlab path: `actlab bench kernels` on the best path this CPU has). Gelem/s = 10⁹ elements "
        "per second, best of 5 batches; ratio = actlab ÷ PyTorch; % copy = actlab ÷ a plain copy of "
        "the same size. PyTorch variant: `out=` writes into a preallocated tensor, `alloc` returns "
        "a new one (no out overload).",
        "",
        "| size | copy: PyTorch | copy: actlab |",
        "|---:|---:|---:|",
    ]
    for size in sizes:
        lines.append(f"| {size} | {torch_copy[size]:.3g} | {actlab_copy[size]:.3g} |")
    lines += [
        "",
        "| function | pass | size | PyTorch Gelem/s | PyTorch variant | actlab Gelem/s | ratio | actlab % copy |",
        "|---|---|---:|---:|---|---:|---:|---:|",
    ]
    for name, pass_, size, theirs, variant, ours_rate in rows:
        ratio = f"{ours_rate / theirs:.2f}" if theirs else "–"
        theirs_text = f"{theirs:.3g}" if theirs else "–"
        lines.append(
            f"| {name} | {pass_} | {size} | {theirs_text} | {variant or '–'} | {ours_rate:.3g} | {ratio} "
            f"| {100 * ours_rate / actlab_copy[size]:.0f} |"
        )
    text = "\n".join(lines) + "\n"
    if args.markdown:
        path = Path(args.docs)
        doc = path.read_text()
        if START not in doc or END not in doc:
            print(f"{path}: markers {START} / {END} not found", file=sys.stderr)
            return 2
        head, rest = doc.split(START, 1)
        _, tail = rest.split(END, 1)
        path.write_text(head + START + "\n" + text + END + tail)
        print(f"wrote {path}", file=sys.stderr)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
