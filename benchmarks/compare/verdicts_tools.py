#!/usr/bin/env python3
"""The helper of verdicts_tools.sh (`make compare-verdicts`).

    verdicts_tools.py timed TIMES TOOL CASE INDEX LOG OK -- COMMAND...
        runs COMMAND (an argument list, no shell), its output to LOG, and
        appends {"tool", "case", "index", "seconds", "rc"} to TIMES (JSON
        lines); fails when the exit status is not in OK: codes separated by
        commas, each N or N:TEXT (N only when LOG contains TEXT).
    verdicts_tools.py strip-summary IN OUT
        a cbench baselines file without the metrics' "summary": bare values.
    verdicts_tools.py pytest-saved STORAGE NAME
        prints the NNNN of the run pytest-benchmark saved as NAME.
    verdicts_tools.py pytest-judge BASE.json NEW.json OUT.json
        pytest-benchmark's own --benchmark-compare-fail=median:5% check
        (pytest_benchmark.utils.parse_compare_fail) on two saved runs.
    verdicts_tools.py table OUT BASE RUNS POW SETTINGS
        the Markdown table, from the files in OUT; also OUT/table.md.

Python 3 standard library (and pytest_benchmark for pytest-judge), no
pandas.
"""
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import time

WORKLOADS = ("hash_1us", "dot_100us", "call_1ns", "walk_32mib")
SLOWED = "dot_100us"          # the workload VERDICT_SLOWDOWN slows
GB_ALPHA = 0.05               # compare.py's U test level (its default)
GB_MIN_CHANGE = 0.05          # |median change| above which a flag counts
PT_FAIL = "median:5%"         # --benchmark-compare-fail


def die(msg):
    print("verdicts-tools: " + msg, file=sys.stderr)
    sys.exit(1)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# ---- commands the shell script runs ------------------------------------

def cmd_timed(args):
    if len(args) < 8 or args[6] != "--":
        die("usage: timed TIMES TOOL CASE INDEX LOG OK -- COMMAND...")
    times, tool, case, index, log, ok = args[:6]
    command = args[7:]
    start = time.monotonic()
    with open(log, "wb") as out:
        rc = subprocess.call(command, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - start
    with open(times, "a", encoding="utf-8") as f:
        f.write(json.dumps({"tool": tool, "case": case, "index": int(index),
                            "seconds": seconds, "rc": rc}) + "\n")
    with open(log, encoding="utf-8", errors="replace") as f:
        said = f.read()
    accepted = False
    for code in ok.split(","):
        number, _, needle = code.partition(":")
        accepted = accepted or (rc == int(number) and needle in said)
    if not accepted:
        sys.stderr.write("".join(said.splitlines(True)[-15:]))
        die("%s %s %s: %s exited with %d (expected %s; output in %s)"
            % (tool, case, index, command[0], rc, ok, log))


def cmd_strip_summary(args):
    src, dst = args
    doc = load(src)
    for section in doc.values():
        for name, metric in section.items():
            if name != "metadata" and isinstance(metric, dict):
                metric.pop("summary", None)
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def cmd_pytest_saved(args):
    storage, name = args
    found = sorted(glob.glob(os.path.join(storage, "*", "[0-9][0-9][0-9][0-9]_%s.json" % name)))
    if len(found) != 1:
        die("expected one saved pytest-benchmark run named %s in %s, found %d"
            % (name, storage, len(found)))
    print(os.path.basename(found[0])[:4])


def pytest_stats(path):
    return {b["name"][len("test_"):]: b["stats"] for b in load(path)["benchmarks"]}


def cmd_pytest_judge(args):
    from pytest_benchmark.utils import parse_compare_fail
    base, new, out = args
    check = parse_compare_fail(PT_FAIL)
    old, cur = pytest_stats(base), pytest_stats(new)
    verdicts = {}
    for w in WORKLOADS:
        if w in old and w in cur:
            fail = check.fails(cur[w], old[w])
            verdicts[w] = {"verdict": "regression" if fail else "unchanged", "message": fail}
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"rule": PT_FAIL, "base": base, "new": new, "workloads": verdicts}, f, indent=1)


# ---- reading each tool's answer -----------------------------------------

def cbench_verdicts(path, instructions=False):
    """{workload: status} of the timing (or instruction-count) metric, and
    the benchmarks that did not pass."""
    doc = load(path)
    out, failed = {}, []
    for b in doc.get("benchmarks", []):
        if b.get("status") != "passed":
            failed.append("%s %s" % (b.get("id"), b.get("status")))
        for m in b.get("metrics", []):
            if instructions and m.get("name", "").endswith(".instructions"):
                out[b["name"]] = m.get("status")
            elif not instructions and m.get("timing"):
                out[b["name"]] = m.get("status")
    return out, failed


def cbench_values(path, instructions=False):
    out = {}
    for b in load(path).get("benchmarks", []):
        for m in b.get("metrics", []):
            if (m.get("name", "").endswith(".instructions") if instructions
                    else m.get("timing")) and m.get("value") is not None:
                out[b["name"]] = m["value"]
    return out


def gbench_verdicts(diff_path):
    """The rule: compare.py's U test on real time p < 0.05 AND |change of
    the median of the repetitions| > 5%; the sign says which way."""
    entries = {e["name"]: e for e in load(diff_path)}
    out = {}
    for w in WORKLOADS:
        it, med = entries.get(w), entries.get(w + "_median")
        if not it or not med or not med["measurements"]:
            continue
        change = med["measurements"][0]["time"]
        p = (it.get("utest") or {}).get("time_pvalue")
        flagged = p is not None and p < GB_ALPHA and abs(change) > GB_MIN_CHANGE
        out[w] = ("regression" if change > 0 else "improvement") if flagged else "unchanged"
    return out


GB_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def gbench_values(path):
    out = {}
    for b in load(path).get("benchmarks", []):
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") == "median":
            out[b["run_name"]] = b["real_time"] * GB_UNITS[b.get("time_unit", "ns")]
    return out


REGRESSED = re.compile(r"^\t(?:test_)?(\w+) \(.*\) - Field 'median' has failed")


def pytest_live_verdicts(log_path):
    """What the live run said: the tests under "Performance has regressed"."""
    out = {w: "unchanged" for w in WORKLOADS}
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = REGRESSED.match(line)
            if m and m.group(1) in out:
                out[m.group(1)] = "regression"
    return out


def pytest_values(path):
    return {w: s["median"] for w, s in pytest_stats(path).items()}


# ---- the table ------------------------------------------------------------

def si(seconds):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            return "%.3g %s" % (seconds / scale, unit)
    return "?"


class Counts:
    """Verdicts per workload over runs (or pairs)."""

    def __init__(self):
        self.n = 0
        self.per = {w: {"regression": 0, "improvement": 0, "inconclusive": 0} for w in WORKLOADS}
        self.any_flag = 0      # runs with a regression or an improvement
        self.slowed = 0        # runs with the slowed workload a regression

    def add(self, verdicts):
        self.n += 1
        flag = False
        for w, v in verdicts.items():
            if w in self.per and v in self.per[w]:
                self.per[w][v] += 1
                flag = flag or v in ("regression", "improvement")
        self.any_flag += flag
        self.slowed += verdicts.get(SLOWED) == "regression"

    def cell(self, w, improvements=True, inconclusive=False):
        c = self.per[w]
        text = "%d/%s" % (c["regression"], c["improvement"] if improvements else "–")
        if inconclusive:
            text += "/%d" % c["inconclusive"]
        return text


def wall(times, tool, case):
    per = {}
    for t in times:
        if t["tool"] == tool and t["case"] == case:
            per[t["index"]] = per.get(t["index"], 0.0) + t["seconds"]
    if not per:
        return "–", "–"
    # Index 0 is a step after the runs (cbench's `baseline update`): in
    # the total, not a run.
    runs = [s for i, s in per.items() if i > 0] or list(per.values())
    return "%.1f" % sum(per.values()), "%.2f" % statistics.median(runs)


def numbered(pattern):
    """Files matching pattern with one {} for the index, in index order."""
    rx = re.compile("^" + re.escape(pattern).replace(r"\{\}", r"(\d+)") + "$")
    found = []
    for path in glob.glob(pattern.replace("{}", "*")):
        m = rx.match(path)
        if m:
            found.append((int(m.group(1)), path))
    return [p for _, p in sorted(found)]


def pairs(pattern):
    rx = re.compile("^" + re.escape(pattern).replace(r"\{\}", r"(\d+)") + "$")
    found = []
    for path in glob.glob(pattern.replace("{}", "*")):
        m = rx.match(path)
        if m:
            found.append(((int(m.group(1)), int(m.group(2))), path))
    return [p for _, p in sorted(found)]


def cmd_table(args):
    out, base, runs, pow_, settings = args
    times = []
    times_path = os.path.join(out, "times.jsonl")
    if os.path.exists(times_path):
        with open(times_path, encoding="utf-8") as f:
            times = [json.loads(line) for line in f if line.strip()]
    cb, gb, pt = (os.path.join(out, d) for d in ("cbench", "gbench", "pytest"))
    rows, notes, failed = [], [], []

    def row(tool, case, label, counts, improvements=True, inconclusive=False, power=False):
        if counts.n == 0:
            rows.append([tool, label, "0"] + ["not run"] * len(WORKLOADS) + ["–", "–", "–"])
            return
        flagged = ("%d of %d" % (counts.slowed, counts.n)) if power else \
            ("%d of %d" % (counts.any_flag, counts.n))
        rows.append([tool, label, str(counts.n)] +
                    [counts.cell(w, improvements, inconclusive) for w in WORKLOADS] +
                    [flagged] + list(wall(times, tool, case)))

    def cb_counts(files, instructions=False):
        c = Counts()
        for f in files:
            v, bad = cbench_verdicts(f, instructions)
            failed.extend("%s: %s" % (os.path.basename(f), b) for b in bad)
            c.add(v)
        return c

    def readings(tool, files, reader, fmt=si):
        vals = {w: [] for w in WORKLOADS}
        for f in files:
            for w, x in reader(f).items():
                if w in vals:
                    vals[w].append(x)
        if not files:
            return
        rows.append([tool, "median reading over the A/A runs", str(len(files))] +
                    [fmt(statistics.median(vals[w])) if vals[w] else "–" for w in WORKLOADS] +
                    ["", "", ""])

    # cbench
    row("cbench", "baseline", "baseline: %s recorded runs, `baseline update`" % base, Counts())
    rows[-1][3:3 + len(WORKLOADS)] = [""] * len(WORKLOADS)
    rows[-1][-2:] = list(wall(times, "cbench", "baseline"))
    rows[-1][2] = base
    aa = numbered(os.path.join(cb, "aa-{}.json"))
    row("cbench", "aa", "A/A vs baseline, 5%, test on (alpha 0.05)",
        cb_counts(aa), inconclusive=True)
    row("cbench", "aa-notest", "A/A vs baseline, 5%, test off (alpha 1)",
        cb_counts(numbered(os.path.join(cb, "aa-notest-{}.json"))), inconclusive=True)
    row("cbench", "pairs", "A/A pairs: run i's bare values, a new run at 5%",
        cb_counts(pairs(os.path.join(cb, "pair-{}-{}.json"))), inconclusive=True)
    row("cbench", "pairs-summary", "A/A pairs: run i's baselines as written (summary of 1 run)",
        cb_counts(pairs(os.path.join(cb, "pair-summary-{}-{}.json"))), inconclusive=True)
    row("cbench", "power", "SLOWDOWN=10 vs baseline, 5%",
        cb_counts(numbered(os.path.join(cb, "pow-{}.json"))), inconclusive=True, power=True)
    row("cbench", "ab", "`cbench ab` normal vs SLOWDOWN=10, 5%",
        cb_counts(numbered(os.path.join(cb, "ab-{}.json"))), inconclusive=True, power=True)
    row("cbench", "ins-power", "instructions: SLOWDOWN=3 vs count baselines, 1%",
        cb_counts(numbered(os.path.join(cb, "ins-pow-{}.json")), instructions=True),
        inconclusive=True, power=True)
    ins = numbered(os.path.join(cb, "ins-{}.json"))
    if ins:
        vals = {w: [] for w in WORKLOADS}
        for f in ins:
            for w, x in cbench_values(f, instructions=True).items():
                if w in vals:
                    vals[w].append(x)

        def cv(xs):
            if len(xs) < 2 or statistics.mean(xs) == 0:
                return "%s (n=%d)" % (format(statistics.median(xs), ",.1f"), len(xs)) if xs else "–"
            return "%s, CV %.4f%%" % (format(statistics.median(xs), ",.1f"),
                                       statistics.pstdev(xs) / statistics.mean(xs) * 100)
        rows.append(["cbench", "instructions per call, normal build (median, CV)", str(len(ins))] +
                    [cv(vals[w]) for w in WORKLOADS] + ["", ] + list(wall(times, "cbench", "ins")))
    readings("cbench", aa, cbench_values)

    # Google Benchmark + compare.py
    row("gbench", "baseline", "baseline: one run, 9 repetitions", Counts())
    rows[-1][3:3 + len(WORKLOADS)] = [""] * len(WORKLOADS)
    rows[-1][-2:] = list(wall(times, "gbench", "baseline"))
    rows[-1][2] = "1"
    for case, label, pattern, power in (
            ("aa", "A/A vs baseline (compare.py)", "aa-{}.diff.json", False),
            ("pairs", "A/A pairs (compare.py run i vs run j)", "pair-{}-{}.diff.json", False),
            ("power", "SLOWDOWN=10 vs baseline", "pow-{}.diff.json", True)):
        files = (pairs if "{}-{}" in pattern else numbered)(os.path.join(gb, pattern))
        c = Counts()
        for f in files:
            c.add(gbench_verdicts(f))
        row("gbench", case, label, c, power=power)
    readings("gbench", numbered(os.path.join(gb, "aa-{}.json")), gbench_values)

    # pytest-benchmark
    row("pytest", "baseline", "baseline: one saved run", Counts())
    rows[-1][3:3 + len(WORKLOADS)] = [""] * len(WORKLOADS)
    rows[-1][-2:] = list(wall(times, "pytest", "baseline"))
    rows[-1][2] = "1"
    disagree = 0
    for case, label, power in (("aa", "A/A vs saved baseline", False),
                               ("power", "SLOWDOWN=10 vs saved baseline", True)):
        c = Counts()
        for log in numbered(os.path.join(pt, case + "-{}.log")):
            live = pytest_live_verdicts(log)
            c.add(live)
            judged = log[:-len(".log")] + ".judged.json"
            if os.path.exists(judged):
                offline = {w: v["verdict"] for w, v in load(judged)["workloads"].items()}
                disagree += any(offline.get(w, "unchanged") != live[w] for w in WORKLOADS)
        row("pytest", case, label, c, improvements=False, power=power)
        if case == "aa":
            c = Counts()
            for f in pairs(os.path.join(pt, "pair-{}-{}.judged.json")):
                c.add({w: v["verdict"] for w, v in load(f)["workloads"].items()})
            row("pytest", "pairs", "A/A pairs (its check, run i vs run j)", c, improvements=False)
    readings("pytest", numbered(os.path.join(pt, "aa-{}.json")), pytest_values)

    header = ["tool", "case", "runs"] + ["`%s`" % w for w in WORKLOADS] + \
        ["flagged", "wall s, total", "s per run (median)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    notes.append("Cells: regressions/improvements per workload over the runs (cbench: "
                 "/inconclusive too; pytest-benchmark flags regressions only: –). "
                 "`flagged`: runs (pairs) with any regression or improvement; on the "
                 "SLOWDOWN and instruction rows, runs that call `%s` a regression." % SLOWED)
    notes.append("Rules: cbench `--threshold 5%%` with its test (U test and bootstrap, "
                 "alpha 0.05, 2 confirmation passes) unless `--alpha 1`; counts "
                 "`--threshold-instructions 1%%`. Google Benchmark: compare.py's U test "
                 "on real time p < %.2f AND |change of the median of 9 repetitions| > %d%%. "
                 "pytest-benchmark: `--benchmark-compare-fail=%s` (regressions only)."
                 % (GB_ALPHA, GB_MIN_CHANGE * 100, PT_FAIL))
    notes.append("Wall time: to the tool's answer (cbench: the run, gate included; "
                 "Google Benchmark: the run plus compare.py; pytest-benchmark: the run, "
                 "compare included; pairs: cbench a new run, the others their judge on "
                 "saved files). Settings: %s." % settings)
    if int(base) < 5 or int(runs) < 5:
        notes.append("cbench: a baseline made from fewer than 5 runs (here VT_BASE=%s, and "
                     "VT_RUNS=%s for the counts) summarises too few readings to test "
                     "(`--min-samples` 5): every crossing against it is `inconclusive`."
                     % (base, runs))
    if disagree:
        notes.append("pytest-benchmark: the live verdicts and its check on the saved "
                     "files disagree in %d run(s)." % disagree)
    if failed:
        notes.append("cbench benchmarks that did not pass: " + "; ".join(failed[:10]) +
                     (" (and %d more)" % (len(failed) - 10) if len(failed) > 10 else ""))
    text = "\n".join(lines) + "\n\n" + "\n".join("- " + n for n in notes) + "\n"
    with open(os.path.join(out, "table.md"), "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.write(text)


COMMANDS = {"timed": cmd_timed, "strip-summary": cmd_strip_summary,
            "pytest-saved": cmd_pytest_saved, "pytest-judge": cmd_pytest_judge,
            "table": cmd_table}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        die("usage: verdicts_tools.py %s ..." % "|".join(COMMANDS))
    COMMANDS[sys.argv[1]](sys.argv[2:])
