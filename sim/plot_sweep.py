#!/usr/bin/env python3
"""Draws benchmarks/simulate.sh's sweep.tsv as an SVG: efficiency against simulated ranks (log
scale), one line per task duration. Usage: plot_sweep.py SWEEP_TSV OUT_SVG"""
import csv
import math
import sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
series = {}
for r in rows:
    series.setdefault(float(r["task_seconds"]), []).append((int(r["ranks"]), float(r["efficiency"])))
ranks = sorted({int(r["ranks"]) for r in rows})
W, H, L, B, T, R = 560, 360, 60, 50, 30, 150
lo, hi = math.log10(min(ranks)) - 0.2, math.log10(max(ranks)) + 0.2
x = lambda n: L + (math.log10(n) - lo) / (hi - lo) * (W - L - R)
y = lambda e: T + (1 - e) * (H - T - B)
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{L}" y="18">taskfarm, flat root, simulated (SMPI): efficiency vs ranks</text>']
for e in (0, 0.25, 0.5, 0.75, 0.95, 1):
    out.append(f'<line x1="{L}" x2="{W - R}" y1="{y(e):.1f}" y2="{y(e):.1f}" stroke="#ddd"/>')
    out.append(f'<text x="{L - 8}" y="{y(e) + 4:.1f}" text-anchor="end">{e:g}</text>')
for n in ranks:
    out.append(f'<text x="{x(n):.1f}" y="{H - B + 18}" text-anchor="middle">{n:,}</text>')
out.append(f'<text x="{(L + W - R) / 2}" y="{H - 10}" text-anchor="middle">simulated ranks (one core each)</text>')
colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]
for i, (d, points) in enumerate(sorted(series.items(), reverse=True)):
    points.sort()
    c = colours[i % len(colours)]
    path = " ".join(f"{x(n):.1f},{y(e):.1f}" for n, e in points)
    out.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
    out += [f'<circle cx="{x(n):.1f}" cy="{y(e):.1f}" r="3" fill="{c}"/>' for n, e in points]
    label = f"{d * 1e6:g} us tasks" if d < 1e-3 else f"{d * 1e3:g} ms tasks"
    out.append(f'<text x="{W - R + 10}" y="{T + 20 + 18 * i}" fill="{c}">{label}</text>')
out.append("</svg>")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
