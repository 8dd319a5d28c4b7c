#!/usr/bin/env python3
"""Renders the exhaustive kernel-path results (JSON lines from examples/kernel_sweep.rs) as the
markdown table of docs/ACCURACY.md, "Kernel paths".

    cargo run --release -p actlab-act --example kernel_sweep -- --pass forward sigmoid tanh \
        >> docs/accuracy/kernels/avx2.jsonl
    python3 tools/kernel_sweep_table.py docs/accuracy/kernels/avx2.jsonl

A later line for the same function, pass and path replaces an earlier one.
"""
import json
import sys

rows = {}
for path in sys.argv[1:]:
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line:
            r = json.loads(line)
            rows[(r["function"], r["pass"], r["path"])] = r

print("| function | pass | path | inputs whose bits differ from the scalar path | worst ULP among them (at x) | bound | within |")
print("|---|---|---|---:|---|---:|---|")
for (function, pass_, path), r in sorted(rows.items(), key=lambda kv: (kv[0][1] != "forward", kv[0][0])):
    n = r["differ_from_scalar"]
    worst = r["worst_ulp_where_differ"]
    shown = "–" if n == 0 else f"{float(worst):.6f} (at {r['at']})" if worst != "inf" else f"∞ (at {r['at']})"
    ok = "yes" if r["ok"] else "**no**"
    print(f"| {function} | {pass_} | {path} | {n:,} | {shown} | {r['bound_ulp']} | {ok} |")
