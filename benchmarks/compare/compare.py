"""Helper of run.sh (`make compare`): times one runner process, and turns
the JSON the runners wrote into the side-by-side table.

    compare.py run OUT TIMES LABEL -- CMD...   run CMD, stdout to OUT, stderr
                                               to OUT.err; append "LABEL secs"
                                               to TIMES
    compare.py table DIR RUNS WORKLOAD...      print the tables

Files read by `table`, in DIR: cbench-W-R.json, gbench-W-R.json (R = 1..RUNS),
gbench-reps-W.json, and the TIMES file `times` ("tool-W-R seconds" lines).
"""
import json
import os
import subprocess
import sys
import time

UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def die(msg):
    sys.stderr.write("compare: " + msg + "\n")
    sys.exit(1)


def run(out, times, label, cmd):
    with open(out, "wb") as o, open(out + ".err", "wb") as e:
        t0 = time.perf_counter()
        rc = subprocess.call(cmd, stdout=o, stderr=e)
        secs = time.perf_counter() - t0
    if rc != 0:
        with open(out + ".err", "rb") as e:
            sys.stderr.buffer.write(e.read())
        die("%s exited with status %d (output in %s)" % (cmd[0], rc, out))
    with open(times, "a") as t:
        t.write("%s %.6f\n" % (label, secs))


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as exc:
        die("cannot read %s: %s" % (path, exc))


def cbench_stats(path, workload):
    """cbench: (median, mean, batch) of compare.WORKLOAD, in seconds per
    call."""
    for b in load(path).get("benchmarks", []):
        if b.get("id") == "compare." + workload:
            if b.get("status") != "passed":
                die("%s: compare.%s %s" % (path, workload, b.get("status")))
            m = b["metrics"][0]
            return m["value"], m["stats"]["mean"], b["settings"]["batch"]
    die("%s: no benchmark compare.%s" % (path, workload))


def gbench_time(path, workload, aggregate=None):
    """gbench: real_time per iteration in seconds, of the plain run or of
    the named aggregate of a --benchmark_repetitions run."""
    for b in load(path).get("benchmarks", []):
        if b.get("run_name", b.get("name")) != workload:
            continue
        if b.get("error_occurred"):
            die("%s: %s: %s" % (path, workload, b.get("error_message")))
        if aggregate is None and b.get("run_type") == "iteration":
            return b["real_time"] * UNIT[b.get("time_unit", "ns")]
        if aggregate is not None and b.get("aggregate_name") == aggregate:
            return b["real_time"] * UNIT[b.get("time_unit", "ns")]
    die("%s: no %s reading for %s" % (path, aggregate or "plain", workload))


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def spread(xs):
    """max-min over the median, in percent."""
    return (max(xs) - min(xs)) / median(xs) * 100


def time_unit(s):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if s >= scale:
            return unit, scale
    return "ns", 1e-9


def num(x):
    """Four significant digits, trailing zeros kept: 1.000, 98.30, 977.1."""
    return ("%#.4g" % x).rstrip(".")


def fmt_time(s):
    unit, scale = time_unit(s)
    return "%s %s" % (num(s / scale), unit)


def print_table(header, rows):
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]

    def line(r):
        return " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                          for i, (c, w) in enumerate(zip(r, widths)))

    print(line(header))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(line(r))


def table(directory, runs, workloads):
    times = {}
    with open(os.path.join(directory, "times")) as f:
        for ln in f:
            label, secs = ln.split()
            times[label] = float(secs)

    def path(name):
        return os.path.join(directory, name)

    main_rows, est_rows, per_run = [], [], []
    for w in workloads:
        rs = range(1, runs + 1)
        cb = [cbench_stats(path("cbench-%s-%d.json" % (w, r)), w) for r in rs]
        cmed = [c[0] for c in cb]
        cmean = [c[1] for c in cb]
        batches = [c[2] for c in cb]
        gb = [gbench_time(path("gbench-%s-%d.json" % (w, r)), w) for r in rs]
        cwall = [times["cbench-%s-%d" % (w, r)] for r in rs]
        gwall = [times["gbench-%s-%d" % (w, r)] for r in rs]
        reps = path("gbench-reps-%s.json" % w)
        g_rmed = gbench_time(reps, w, "median")
        unit, scale = time_unit(median(cmed))
        per_run.append("%-18s cbench %s %s  (batch %s)" % (
            w, " ".join(num(x / scale) for x in cmed), unit,
            " ".join(str(b) for b in batches)))
        per_run.append("%-18s gbench %s %s" % (
            "", " ".join(num(x / scale) for x in gb), unit))
        main_rows.append([
            w, fmt_time(median(cmed)), fmt_time(median(gb)),
            "%.3f" % (median(cmed) / median(gb)),
            "%.2f%%" % spread(cmed), "%.2f%%" % spread(gb),
            "%.2f s" % median(cwall), "%.2f s" % median(gwall)])
        est_rows.append([
            w, fmt_time(median(cmed)), fmt_time(median(cmean)),
            fmt_time(median(gb)), fmt_time(g_rmed),
            "%+.2f%%" % ((median(cmean) / median(cmed) - 1) * 100),
            "%.3f" % (median(cmean) / median(gb)),
            "%.3f" % (median(cmed) / g_rmed),
            "%.2f s" % times["gbench-reps-%s" % w]])

    print("Readings: median over the %d runs of each tool's time per call." % runs)
    print("cbench: median of its rounds (default settings); gbench: real_time "
          "per iteration,")
    print("one batch (default settings). Spread: (max-min)/median of the %d "
          "readings." % runs)
    print("s/bench: wall time of a process running only that benchmark.")
    print()
    print_table(["workload", "cbench", "gbench", "cbench/gbench",
                 "spread cbench", "spread gbench", "s/bench cbench",
                 "s/bench gbench"], main_rows)
    print()
    print("Each run's reading, in run order:")
    for ln in per_run:
        print(ln)
    print()
    print("Estimators: cbench's mean of rounds next to its median (medians "
          "over the runs);")
    print("gbench's default reading (a mean over one long batch) next to the "
          "median of one")
    print("run with --benchmark_repetitions=10 "
          "--benchmark_report_aggregates_only=true.")
    print()
    print_table(["workload", "cb median", "cb mean", "gb default",
                 "gb median of 10", "cb mean/median", "cb mean/gb default",
                 "cb median/gb median of 10", "gb 10 reps took"], est_rows)


def main(argv):
    if len(argv) >= 6 and argv[1] == "run" and argv[5] == "--":
        run(argv[2], argv[3], argv[4], argv[6:])
    elif len(argv) >= 5 and argv[1] == "table":
        table(argv[2], int(argv[3]), argv[4:])
    else:
        die("usage: compare.py run OUT TIMES LABEL -- CMD... | "
            "compare.py table DIR RUNS WORKLOAD...")


if __name__ == "__main__":
    main(sys.argv)
