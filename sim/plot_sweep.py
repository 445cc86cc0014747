#!/usr/bin/env python3
"""Draws benchmarks/simulate.sh's sweep.tsv as an SVG: efficiency against simulated cores (log
scale), one colour per task duration; solid lines for the hierarchy (group_size > 0), dashed
for one flat root; hollow squares: runs of single-core ranks; dotted grey: the ceiling of one flat root by the calibrated cost. DynaMPI's published Frontier points
(docs/SCALING.md) are drawn as black crosses for comparison. Usage: plot_sweep.py SWEEP_TSV OUT_SVG"""
import csv
import math
import sys

# DynaMPI, Frontier, 1024 nodes (57 343 workers), 100 ms tasks: tasks/s reached over the ideal
# workers / 0.1 s (benchmark/results/frontier/1024-dynampi_ss_frontier_1024-4058697, docs/SCALING.md).
DYNAMPI = [(57343, 554083 / (57343 / 0.1), "DynaMPI hierarchical, 100 ms"),
           (57343, 128111 / (57343 / 0.1), "DynaMPI flat (naive), 100 ms")]

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
series = {}
single = []  # runs of single-core ranks: drawn apart, beside the emulated ranks of many cores
for r in rows:
    if int(r.get("threads") or 1) == 1:
        single.append((int(r["cores"]), float(r["efficiency"]), float(r["task_seconds"]), int(r["group_size"])))
        continue
    key = (float(r["task_seconds"]), int(r.get("group_size") or 0) > 1)
    series.setdefault(key, []).append((int(r["cores"]), float(r["efficiency"])))
cores = sorted({int(r["cores"]) for r in rows} | {n for n, _, _ in DYNAMPI})
W, H, L, B, T, R = 720, 380, 60, 50, 30, 310
lo, hi = math.log10(min(cores)) - 0.2, math.log10(max(cores)) + 0.2
x = lambda n: L + (math.log10(n) - lo) / (hi - lo) * (W - L - R)
y = lambda e: T + (1 - min(e, 1)) * (H - T - B)
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{L}" y="18">taskfarm, simulated (SMPI): efficiency vs cores, flat and hierarchical</text>']
for e in (0, 0.25, 0.5, 0.75, 0.95, 1):
    out.append(f'<line x1="{L}" x2="{W - R}" y1="{y(e):.1f}" y2="{y(e):.1f}" stroke="#ddd"/>')
    out.append(f'<text x="{L - 8}" y="{y(e) + 4:.1f}" text-anchor="end">{e:g}</text>')
for p in range(math.ceil(lo), math.floor(hi) + 1):
    out.append(f'<text x="{x(10 ** p):.1f}" y="{H - B + 18}" text-anchor="middle">{10 ** p:,}</text>')
out.append(f'<text x="{(L + W - R) / 2}" y="{H - 10}" text-anchor="middle">simulated cores</text>')
# The flat root's ceiling by the calibrated cost (docs/SCALING.md): it turns around R chunks/s of
# chunk_seconds each, so it keeps at most R x chunk_seconds cores busy.
R_SIM, CHUNK_SECONDS = 1.07e6, 0.005
steps = [10 ** (lo + (hi - lo) * i / 60) for i in range(61)]
bound = " ".join(f"{x(n):.1f},{y(min(1, R_SIM * CHUNK_SECONDS / n)):.1f}" for n in steps)
out.append(f'<polyline points="{bound}" fill="none" stroke="#999" stroke-width="1.5" stroke-dasharray="2,3"/>')
colours = {1e-3: "#1f77b4", 1e-4: "#ff7f0e", 1e-5: "#2ca02c"}
legend = 0
out.append(f'<text x="{W - R + 10}" y="{T + 20}" fill="#777">··· one root\'s ceiling, {R_SIM * CHUNK_SECONDS:,.0f} cores</text>')
legend += 1
for (d, grouped), points in sorted(series.items(), key=lambda kv: (-kv[0][0], not kv[0][1])):
    points.sort()
    c = colours.get(d, "#d62728")
    dash = "" if grouped else ' stroke-dasharray="5,3"'
    path = " ".join(f"{x(n):.1f},{y(e):.1f}" for n, e in points)
    out.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="2"{dash}/>')
    fill = c if grouped else "white"
    out += [f'<circle cx="{x(n):.1f}" cy="{y(e):.1f}" r="3.5" fill="{fill}" stroke="{c}"/>' for n, e in points]
    label = f"{d * 1e6:g} us tasks" if d < 1e-3 else f"{d * 1e3:g} ms tasks"
    label += ", sub-masters" if grouped else ", one flat root"
    out.append(f'<text x="{W - R + 10}" y="{T + 20 + 18 * legend}" fill="{c}">{label}</text>')
    legend += 1
for n, e, d, g in single:
    cx, cy, c = x(n), y(e), colours.get(d, "#d62728")
    layout = f"groups of {g}" if g > 1 else "flat"
    out.append(f'<rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="none" stroke="{c}" stroke-width="2"/>')
    out.append(f'<text x="{W - R + 10}" y="{T + 20 + 18 * legend}" fill="{c}">&#9633; {n:,} 1-core ranks, {layout}: {e:.3f}</text>')
    legend += 1
for n, e, label in DYNAMPI:
    cx, cy = x(n), y(e)
    out.append(f'<path d="M{cx - 4:.1f},{cy - 4:.1f} L{cx + 4:.1f},{cy + 4:.1f} M{cx - 4:.1f},{cy + 4:.1f} '
               f'L{cx + 4:.1f},{cy - 4:.1f}" stroke="black" stroke-width="2"/>')
    out.append(f'<text x="{W - R + 10}" y="{T + 20 + 18 * legend}">x {label}: {e:.3f}</text>')
    legend += 1
out.append("</svg>")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
