#!/usr/bin/env python3
"""Times PyTorch and actlab on the training benchmark's three workloads in one run, and writes the
side-by-side table into docs/PERFORMANCE.md (between the train-table markers).

Each workload: one epoch over N standard-normal samples with random labels, batch B, SGD at 0.05,
softmax cross-entropy, the default initialiser (PyTorch: nn.Linear's own; actlab: the catalogue's
recommended one), torch.nn.Sequential + torch.optim.SGD, the same thread count for both.

    ~/torch/bin/python tools/torch_train.py [--threads 1] [--repeat 3] [--no-write]

PyTorch lives in a virtual environment outside the repository; nothing in the build or the tests
needs it. The actlab binary must be built first (cargo build --release).
"""
import argparse
import json
import pathlib
import platform
import subprocess
import time

import torch

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "PERFORMANCE.md"
START, END = "<!-- train-table:start -->", "<!-- train-table:end -->"

WORKLOADS = [
    # name, N, B, inputs, hidden, classes, activation, actlab's target ratio
    ("mnist_mlp_784-256-256-10_b128_relu", 60000, 128, 784, [256, 256], 10, torch.nn.ReLU, 1.0),
    ("playground_2-8-8-8-2_b10_tanh", 20000, 10, 2, [8, 8, 8], 2, torch.nn.Tanh, 50.0),
    ("deep_20x64_b64_sigmoid", 20000, 64, 64, [64] * 20, 10, torch.nn.Sigmoid, 5.0),
]


def torch_epoch(n, batch, inputs, hidden, classes, act):
    g = torch.Generator().manual_seed(1)
    x = torch.randn(n, inputs, generator=g)
    y = torch.randint(0, classes, (n,), generator=g)
    torch.manual_seed(0)
    layers, width = [], inputs
    for h in hidden:
        layers += [torch.nn.Linear(width, h), act()]
        width = h
    layers.append(torch.nn.Linear(width, classes))
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    loss_fn = torch.nn.CrossEntropyLoss()
    perm = torch.randperm(n, generator=g)
    start = time.perf_counter()
    for i in range(0, n, batch):
        idx = perm[i : i + batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    return n / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    actlab = ROOT / "target" / "release" / "actlab"
    out = subprocess.run(
        [str(actlab), "bench", "train", "--json", "--threads", str(args.threads),
         "--repeat", str(args.repeat)],
        check=True, capture_output=True, text=True,
    )
    ours = {r["name"]: r["samples_per_s"] for r in json.loads(out.stdout)["runs"]}

    rows = []
    for name, n, b, i, h, c, act, target in WORKLOADS:
        best = max(torch_epoch(n, b, i, h, c, act) for _ in range(args.repeat))
        ratio = ours[name] / best
        rows.append((name, ours[name], best, ratio, target))
        print(f"{name:<38} actlab {ours[name]:>12.0f}  torch {best:>10.0f}  ×{ratio:.2f} (target ×{target:g})")

    table = [
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.processor() or platform.machine()}, "
        f"{args.threads} thread(s), best of {args.repeat} epochs each, PyTorch {torch.__version__}, by",
        "",
        "```text",
        f"~/torch/bin/python tools/torch_train.py --threads {args.threads} --repeat {args.repeat}",
        "```",
        "",
        "| workload | actlab samples/s | PyTorch samples/s | actlab / PyTorch | target |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, a, t, r, target in rows:
        mark = "met" if r >= target else "not met"
        table.append(f"| `{name}` | {a:,.0f} | {t:,.0f} | {r:.2f}× | ≥ {target:g}× ({mark}) |")
    text = "\n".join(table)
    if args.no_write:
        print(text)
        return
    doc = DOC.read_text()
    if START in doc and END in doc:
        head, rest = doc.split(START, 1)
        _, tail = rest.split(END, 1)
        doc = f"{head}{START}\n{text}\n{END}{tail}"
    else:
        doc += f"\n## Training throughput against PyTorch\n\n{START}\n{text}\n{END}\n"
    DOC.write_text(doc)
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
