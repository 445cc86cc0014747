"""Where a farm call's computing time went, from its Chrome trace (Options.trace): per rank, the
time inside blocks, the gaps between them (a thread with nothing to run), and for each gap on a
worker whether the root's main thread was inside a block of its own when it began (the root
serves only between tasks, so a worker whose prefetched blocks ran out waits for it).

  /usr/bin/python3 idle_report.py TRACE.json
"""

import collections
import json
import sys


def main():
    data = json.load(open(sys.argv[1]))
    events = data["traceEvents"] if isinstance(data, dict) else data
    blocks = collections.defaultdict(list)  # (rank, thread) -> [(start, end)] in us
    for e in events:
        if e.get("ph") == "X" and e.get("cat") != "dispatch" and e.get("tid", 0) < 100000:
            blocks[(e["pid"], e["tid"])].append((e["ts"], e["ts"] + e["dur"]))
    if not blocks:
        sys.exit("idle_report: no blocks in the trace")
    start = min(s for spans in blocks.values() for s, _ in spans)
    end = max(t for spans in blocks.values() for _, t in spans)
    root_spans = sorted(blocks.get((0, 0), []))

    def root_busy_at(t):
        return any(s <= t < f for s, f in root_spans)

    wall = end - start
    print(f"call: {wall / 1e3:.1f} ms from the first block's start to the last block's end")
    for (rank, thread), spans in sorted(blocks.items()):
        spans.sort()
        busy = sum(f - s for s, f in spans)
        gaps = [(f0, s1) for (_, f0), (s1, _) in zip(spans, spans[1:]) if s1 > f0]
        head, tail = spans[0][0] - start, end - spans[-1][1]
        line = (f"rank {rank} thread {thread}: {len(spans)} blocks, busy {busy / 1e3:.1f} ms "
                f"({busy / wall:.1%}), gaps {sum(b - a for a, b in gaps) / 1e3:.1f} ms in {len(gaps)}, "
                f"start {head / 1e3:.2f} ms, tail {tail / 1e3:.2f} ms")
        if rank != 0:
            starved = [(a, b) for a, b in gaps if b - a > 50 and root_busy_at(a)]
            line += (f"; {len(starved)} gaps over 50 us began while the root ran a block "
                     f"({sum(b - a for a, b in starved) / 1e3:.1f} ms)")
        print(line)


if __name__ == "__main__":
    main()
