#!/usr/bin/env python3
"""Runs the benchmarks behind docs/performance.md's decided goals and writes that table.

Each row repeats its benchmark (or, for an overhead, alternates the runs with and without it),
takes the median, and a distribution-free interval for the median (order statistics: with n
repetitions the interval [x(k), x(n+1-k)] covers the true median with probability
1 - 2 P(Binomial(n, 1/2) < k); k is the largest that keeps that at 95 % or more). A goal is
met only when the whole interval lies inside it, missed when the whole interval lies outside,
and undecided otherwise: then the row says it needs more repetitions, not a verdict.

    scripts/bench.py [--build DIR] [--reps N] [--only ID,...] [--list] [--no-write]

The rows (ROWS below) say what each figure is, its goal, the benchmark and the counter it
reads, and what closing a miss would take. The table goes between the markers
<!-- bench.py: begin --> and <!-- bench.py: end --> of docs/performance.md (atomically).
"""
import argparse
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "performance.md")
BEGIN, END = "<!-- bench.py: begin -->", "<!-- bench.py: end -->"


def row(id, figure, goal, bound, unit, binary, filter, metric, reps=None, pair=None, scale=1.0, closing="", env=None,
        ratio=False):
    """goal: "<=" or ">="; metric: "real_time" (in `unit`) or a counter's name; pair: a second
    filter run alternately with `filter`, the figure then being 100 * (filter / pair - 1) %, or
    filter / pair (unit "×") with ratio=True."""
    return dict(id=id, figure=figure, goal=goal, bound=bound, unit=unit, binary=binary, filter=filter,
                metric=metric, reps=reps, pair=pair, scale=scale, closing=closing, env=env or {}, ratio=ratio)


UI = {"QT_QPA_PLATFORM": "offscreen"}

ROWS = [
    row("record", "record a state change: clock + core + append, its lane drained every 30 ms as a run's is",
        "<=", 20, "ns", "bench_core", "^BM_RecordStateChange$", "real_time", reps=20,
        closing="the TSC is read already (35 ns with clock_gettime). Until 2026-12-05 no reader drained a lane "
                "before the run's end, so every event went to fresh memory: 23.5 ns [17.3, 25.5], swinging from "
                "9.6 to 77 ns with this VM's host, which serves page faults at its own pace. Now the runner "
                "drains every run's lanes (a window's snapshots every 30 ms, else every 50 ms) and a lane fills "
                "again the 2 MiB chunks its reader has read. The undrained case remains as "
                "BM_RecordStateChangeUndrained (9.4 to 69 ns in three runs)"),
    row("append", "append an event to a lane (time given), drained as above", "<=", 20, "ns", "bench_core",
        "^BM_RecordAppendOnly$", "real_time"),
    row("load", "load a 1 M-span trace", "<=", 300, "ms", "bench_core",
        "^BM_TraceLoad1MSpans/", "real_time", reps=6,
        closing="simdjson's walk (row load-floor) is half of it; the rest is the reader's checks and the "
                "kernel zeroing fresh memory for the spans and simdjson's index: see row load-10m"),
    row("load-10m", "load a 10 M-span trace (8 rows, 1.4 GB)", "<=", 3000, "ms", "bench_core",
        "^BM_TraceLoad10MSpans/", "real_time", reps=9,
        closing="the file is mapped from the page cache, not copied (a copy cost 3.2-3.3 s: its 1.4 GB zeroed by "
                "the kernel, then filled). What is left: the kernel zeroing the fresh memory of the spans "
                "(doubling rows: twice their final size) and of simdjson's index; rows that grow by mremap "
                "would halve the first"),
    row("load-10m-bytes", "load a 10 M-span trace: memory it keeps resident per span", "<=", 32, "B", "bench_core",
        "^BM_TraceLoad10MSpans/", "bytes_per_span", reps=6,
        closing="a span is 24 B itself (start and end 16 B; its worker's number, 22 bits, with GIL, state and why "
                "in 4 B; core and target 4 B: core/trace/trace.h); what is over is the rows and the trace's own fields"),
    row("load-floor", "reference: simdjson walking the same file's spans, nothing kept", "<=", 300, "ms",
        "bench_core", "^BM_TraceLoad1MSpans_SimdjsonSpansOnly/", "real_time", reps=6),
    row("load-ratio", "load a 1 M-span trace, against simdjson's spans-only walk (runs alternated)", "<=", 2, "×",
        "bench_core", "^BM_TraceLoad1MSpans/", "real_time", pair="^BM_TraceLoad1MSpans_SimdjsonSpansOnly/", reps=6,
        ratio=True, closing="was 2.76x: perf annotate put a third of the load on GCC copying each simdjson field "
                            "and value through the stack (a store-forwarding stall each); fields now bound by "
                            "reference and parsed typed: 419 -> 234 ms. What is over 2x would be the file's copy "
                            "and the checks (see row load-10m)"),
    row("kernel-exact", "kernel view, exact: makespan over off (square numbers, threads without the GIL; "
        "runs alternated)", "<=", 2, "%", "bench_core", "^BM_KernelOverhead/1/", "real_time",
        pair="^BM_KernelOverhead/3/", reps=60,
        closing="60 pairs, since 24 left a 2 % goal undecided on this VM. The watch takes 11-19 us a thread. "
                "+1.0-1.8 % was a tail: the second worker queued beside the first for a tick (perf record -e "
                "sched:*) where a helper thread made just before it had not yet run; helpers now have "
                "(core/base/helper_thread.h). Look there first: the benchmark's late_starts counter"),
    row("kernel-exact-record", "kernel view, exact: reader CPU per switch record", "<=", 100, "ns", "bench_core",
        "^BM_KernelRecordCost/", "ns_per_record", reps=6,
        closing="the reader wakes every 30 ms (the live view's frame), ~500 records a wake here, and a wake with "
                "its reading costs 46-53 us on this VM; a ring twice as large gave the same 79 wakes. Fewer "
                "wakes mean a staler view. Where a wake's time goes is not yet known: perf's samples on this "
                "VM (no PMU) land on the scheduler's return. Measure that first (bpftrace or a per-phase clock)"),
    row("kernel-sampled", "kernel view, sampled: reader CPU at 16 threads, share of a core", "<=", 3, "%",
        "bench_core", "^BM_KernelSampledCost/", "reader_cpu_pct_of_a_core", reps=6,
        closing="one pread per thread per interval is the floor: read schedstat only, stat every tenth read"),
    row("probe", "real Python: `timeslice python` (probe, kernel view, wait sampler) over python3 alone, "
        "table loading in threads (runs alternated)", "<=", 5, "%", "bench_core", "^BM_ProbeOverhead/0/1/",
        "overhead_pct", reps=6, closing="start the probe's interpreter without the launcher's second pass"),
    row("dask-stream", "Dask: 200 small tasks on a local cluster of 2 workers, `timeslice` following them (the "
        "probe reading Dask's task stream) over python3 alone (runs alternated)", "<=", 10, "%", "bench_core",
        "^BM_DaskProbeOverhead/", "overhead_pct", reps=15,
        closing="the run's phases inside the program take the same time probed or not; the probe's read at close "
                "took 0-8 ms. What is over is before the program starts. Since 2026-12-05 the interpreter's "
                "version and the check that it has distributed are asked once while its program file is the "
                "same (0.05 s and 0.1 s here, each run before): 10.2 % -> 7.9 % in a first 5 runs. What is left: "
                "the probe's set-up before the program's first line, and the run's end (the probe's last read, "
                "the trace built)"),
    row("classify", "real Python: classify one blocked interval", "<=", 1000, "ns", "bench_core",
        "^BM_ClassifyBlockedInterval$", "ns_per_interval", scale=1e9),  # an inverted rate: seconds
    row("hand-overs", "real Python: hand-overs drawn against switch_number, worst of 10 runs", "<=", 10, "%",
        "bench_core", "^BM_HandOversDrawnAgainstSwitchNumber/", "worst_off_pct", reps=6,
        closing="each run spins 16 M times a thread since 2026-12-05 (4 M before): the counts differ by 1-4 a run "
                "at either length, which at 8-33 hand-overs a run was 3-12 % of the count"),
    row("zoom", "zoom 40 notches then fit, 1 M spans: worst frame", "<=", 12, "ms", "bench_ui",
        "^BM_ZoomIn40ThenFit1M$", "frame_ms_worst", reps=6, env=UI,
        closing="the fit's frame repaints every row and the CPU plot at once: cache the plot per range"),
    row("paint-1m", "paint 1 M spans, whole run", "<=", 16, "ms", "bench_ui", "^BM_PaintTimeline1M/1000$",
        "real_time", reps=6, env=UI),
    row("paint-10m", "paint 10 M spans, whole run", "<=", 33, "ms", "bench_ui", "^BM_PaintTimeline10M/1000$",
        "real_time", reps=6, env=UI),
    row("cpu-chart", "CPU chart: 8 busy cores x 30,000 samples, update and paint", "<=", 5, "ms", "bench_ui",
        "^BM_CpuChartUpdate/1000$", "real_time", reps=6, env=UI,
        closing="paint the axis-aligned steps without antialiasing, or cache the lines as an image per range"),
    row("live-snapshot", "the window live, 100,000 async tasks waiting: one snapshot built (off the GUI thread, "
        "the last one let go of first)", "<=", 16, "ms", "bench_core", "^BM_LiveSnapshot100kTasks/", "real_time",
        reps=6, closing="every row is built again each time: keep the rows of tasks that ended and build only "
                        "the others"),
    row("run-start", "Run pressed with 100,000 async tasks: the Runner built and started on the window's thread",
        "<=", 50, "ms", "bench_core", "^BM_RunnerStart100kTasks/", "real_time", reps=6,
        closing="what is left is the workload made to be checked: 100,000 task specs"),
    row("live-fps", "the window live, 100,000 async tasks running: timeline frames a second", ">=", 30, "/s",
        "bench_ui", "^BM_GuiLive100kTasks/", "frames_per_s", reps=6, env=UI,
        closing="a snapshot is asked for every 30 ms (a precise timer: 33.3 frames at most); with the run's "
                "loop, the snapshot builder and the GUI on two cores a snapshot takes 17-35 ms, and the first "
                "three (100,000 rows in new memory) 115-185 ms. Asking every 16 ms gave 19-23 frames, the "
                "builder then running without rest. What would close it: snapshots that build again only the "
                "rows that changed, so their cost follows the events, not the rows"),
    row("live-gap", "the window live, 100,000 async tasks running: the GUI thread's longest time unserved", "<=", 50,
        "ms", "bench_ui", "^BM_GuiLive100kTasks/", "worst_gap_ms", reps=6, env=UI,
        closing="the worst gaps come at the end (the last live snapshot freed on the GUI thread, ~14 ms, the "
                "finished trace shown) or when the run's loop, the snapshot builder and the GUI share two cores. "
                "perf on 2026-12-05 placed the 75-118 ms gaps early in a run: the GUI thread asleep in mmap "
                "(rwsem_down_write_slowpath) while the snapshot thread's madvise(MADV_POPULATE_WRITE) over the "
                "first 100,000-row snapshot (26 MB) held the mmap lock. That snapshot's rows are now faulted in as "
                "they are made: 8 runs alternated, worst gap 12-25 ms against 12-104 ms"),
    row("async-ns", "async, 1 M waiting tasks: overhead per task", "<=", 250, "ns", "bench_scale",
        "^BM_AsyncScale_Timeslice/1000000/", "overhead_ns_per_task", reps=9,
        closing="the runs alternate between ~52 ns and 220-570 ns. /usr/bin/time over 6 runs: the same "
                "user time (0.09-0.11 s) and page faults (73,500) in both, but 0.12 s of system time in the fast "
                "runs and 0.33-0.89 s in the slow. perf record -e cpu-clock -g (2026-12-05): a slow run spends 69-73 % "
                "of its samples in clear_page_erms, zeroing fresh huge pages for the lanes' chunks (Lane::grow, 40 %) "
                "and the frames (Loop::turn, 32 %); a fast run 9 %. The same pages cost the kernel up to 7 times as "
                "much every other run (this VM's host backing them again). Less fresh memory in the run would close "
                "it: lanes drained into reused chunks as the Runner does"),
    row("async-bytes", "async, 1 M waiting tasks: memory per task, spans included", "<=", 256, "B", "bench_scale",
        "^BM_AsyncScale_Timeslice/1000000/", "bytes_per_task", reps=9,
        closing="468 B, then 380 B once the outcome's texts, the task's name and its one step went inline, "
                "then 315 B: lanes keep 16-B events (the worker once per lane) and the frame finds its loop "
                "through the loop thread (96 -> 80 B); then 291 B: the frame keeps the task, its step and "
                "deadline in its promise and the loop records the wake-up (80 -> 64 B), so a timer is the "
                "frame's address (16 -> 8 B); then 253 B: outcomes kept by column (status, result and CPU "
                "time 25 B a task; a reason or worker only where a task has one: 64 -> 25 B). Now 81 B are "
                "the inputs (the task's spec 56 B, its outcome 25 B), 96 B its 6 events, 64 B its frame "
                "(40 of them GCC 12's own, an empty coroutine's), 8 B its timer"),
    row("async-10m", "async, 10 M waiting tasks (the model itself: the product's entry points take 1 M): peak "
        "memory, spans included", "<=", 4, "GB", "bench_scale", "^BM_AsyncScale_Timeslice/10000000/", "peak_gb",
        reps=6, env={"BENCH_SCALE_MAX_ASYNC": "10000000"},
        closing="per task as in row async-bytes"),
    row("run-peak", "a run of 100 k waiting async tasks through the Runner (as the window runs it, snapshots "
        "every 30 ms): peak memory per task", "<=", 1536, "B", "bench_scale", "^BM_AsyncRun_Timeslice/",
        "peak_bytes_per_task", reps=6,
        closing="the peak is the end: the final trace built beside the events and outcomes it is built from"),
    row("run-kept", "the same run once finished, kept as the window keeps it while showing it: memory per task",
        "<=", 768, "B", "bench_scale", "^BM_AsyncRun_Timeslice/", "kept_bytes_per_task", reps=6,
        closing="1,215 B while the runner kept the events and the builder; what is left is the trace itself (a "
                "row of 256 B with four std::string texts, 5 spans of 24 B) and the workload"),
]

UNITS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def median_interval(values):
    """The median, and the interval [x(k), x(n+1-k)] of the sorted runs with the largest k whose
    coverage of the true median stays at 95 % or more (with few runs, k = 1 and less)."""
    xs = sorted(values)
    n = len(xs)

    def coverage(k):
        return 1 - 2 * sum(math.comb(n, i) for i in range(k)) / 2 ** n

    k = 1
    while k + 1 <= (n + 1) // 2 and coverage(k + 1) >= 0.95:
        k += 1
    return statistics.median(xs), xs[k - 1], xs[n - k], coverage(k)


# (binary, filter, repetition) -> the benchmark's results: rows that read two counters of one
# benchmark share its runs. A pair's runs are never shared: they are alternated as they are taken.
RUNS = {}


def run_once(build, r, filter, rep):
    key = (r["binary"], filter, rep)
    if r["pair"]:
        b = run_benchmark(build, r, filter)
    else:
        if key not in RUNS:
            RUNS[key] = run_benchmark(build, r, filter)
        b = RUNS[key]
    if r["metric"] == "real_time":
        # The row's unit is a time unit, or % for an overhead (a ratio of two times).
        return b["real_time"] * UNITS[b.get("time_unit", "ns")] / UNITS.get(r["unit"], 1.0)
    if r["metric"] not in b:
        raise RuntimeError(f"{b['name']}: no counter {r['metric']}")
    return b[r["metric"]] * r["scale"]


def run_benchmark(build, r, filter):
    binary = os.path.join(build, r["binary"])
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = dict(os.environ, **r["env"])
        proc = subprocess.run([binary, f"--benchmark_filter={filter}", f"--benchmark_out={out.name}",
                               "--benchmark_out_format=json"], cwd=build, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"{r['binary']} {filter}: exit {proc.returncode}: {proc.stderr.strip()[-300:]}")
        try:
            data = json.load(open(out.name))
        except ValueError:
            data = {}
    runs = [b for b in data.get("benchmarks", []) if b.get("run_type", "iteration") == "iteration"]
    if not runs:
        raise RuntimeError(f"{r['binary']}: no benchmark matched {filter}")
    b = runs[0]
    if b.get("error_occurred"):
        raise RuntimeError(f"{b['name']}: {b.get('error_message', 'error')}")
    return b


def measure(build, r, reps):
    n = r["reps"] or reps
    values = []
    for i in range(n):
        if r["pair"]:
            # Alternate which goes first, so a drift of the machine falls on both alike.
            if i % 2:
                a = run_once(build, r, r["filter"], i)
                b = run_once(build, r, r["pair"], i)
            else:
                b = run_once(build, r, r["pair"], i)
                a = run_once(build, r, r["filter"], i)
            values.append(a / b if r["ratio"] else 100.0 * (a / b - 1.0))
        else:
            values.append(run_once(build, r, r["filter"], i))
        print(f"  {r['id']} {i + 1}/{n}: {values[-1]:.4g} {r['unit']}", file=sys.stderr)
    return values


def verdict(r, lo, hi):
    inside = (lambda x: x <= r["bound"]) if r["goal"] == "<=" else (lambda x: x >= r["bound"])
    if inside(lo) and inside(hi):
        return "met"
    if not inside(lo) and not inside(hi):
        return "**missed**"
    return "undecided"


def fmt(x, bound=None):
    """Three significant digits; more where three would show a figure on the wrong side of its
    goal's bound as equal to it (32.002 against 32)."""
    text = f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"
    digits = 3
    while bound is not None and x != bound and abs(x) < 1000 and float(text) == bound and digits < 9:
        digits += 2
        text = f"{x:.{digits}g}"
    return text


def table(results, when):
    lines = [
        f"Written by `scripts/bench.sh` on {when['date']} ({when['machine']}; load average "
        f"{when['load']} at the start). Median of n runs, and the interval that holds the true median "
        "with the coverage given (order statistics). Met: the whole interval inside the goal; "
        "missed: wholly outside; undecided: more runs needed.",
        "",
        "| figure | goal | median [interval, coverage] (n) | verdict | reproduce (from `build/default/bin`) | what would close a miss |",
        "|---|---|---|---|---|---|",
    ]
    for r, values, error in results:
        goal = f"{'≤' if r['goal'] == '<=' else '≥'} {fmt(r['bound'])} {r['unit']}"
        env = "".join(f"{k}={v} " for k, v in r["env"].items())
        cmd = f"`{env}{r['binary']} --benchmark_filter='{r['filter']}'`"
        if r["pair"]:
            cmd += f" against `'{r['pair']}'`, alternated"
        if error:
            lines.append(f"| {r['figure']} | {goal} | not measured: {error} | — | {cmd} | |")
            continue
        med, lo, hi, cover = median_interval(values)
        v = verdict(r, lo, hi)
        sign = "+" if r["pair"] and not r["ratio"] and med > 0 else ""
        b = r["bound"]
        lines.append(f"| {r['figure']} | {goal} | {sign}{fmt(med, b)} {r['unit']} [{fmt(lo, b)}, {fmt(hi, b)}, "
                     f"{100 * cover:.0f} %] ({len(values)}) | {v} | {cmd} | {r['closing'] if v != 'met' else ''} |")
    return "\n".join(lines)


def write(text):
    doc = open(DOC).read()
    if BEGIN not in doc or END not in doc:
        raise SystemExit(f"bench.py: {DOC} has no {BEGIN} ... {END} section")
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{BEGIN}\n{text}\n{END}{tail}"
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(DOC), prefix=".performance.")
    with os.fdopen(fd, "w") as f:
        f.write(new)
    os.replace(tmp, DOC)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "default", "bin"))
    ap.add_argument("--reps", type=int, default=10, help="repetitions of a row that names none (default 10)")
    ap.add_argument("--only", default="", help="comma-separated row ids")
    ap.add_argument("--list", action="store_true", help="list the rows and exit")
    ap.add_argument("--no-write", action="store_true", help="print the table; leave the docs alone")
    a = ap.parse_args()
    if a.list:
        for r in ROWS:
            print(f"{r['id']:20} {r['figure']}")
        return 0
    if a.reps < 1:
        ap.error("--reps must be at least 1")
    ids = [x for x in a.only.split(",") if x]
    unknown = [x for x in ids if x not in {r["id"] for r in ROWS}]
    if unknown:
        ap.error(f"no row {', '.join(unknown)} (see --list)")
    for b in {r["binary"] for r in ROWS}:
        if not os.access(os.path.join(a.build, b), os.X_OK):
            ap.error(f"{os.path.join(a.build, b)} is missing: build the bench targets first (scripts/bench.sh does)")
    when = dict(date=datetime.date.today().isoformat(),
                machine=f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}",
                load=f"{os.getloadavg()[0]:.2f}")
    results = []
    for r in ROWS:
        if ids and r["id"] not in ids:
            continue
        print(f"{r['id']}: {r['figure']}", file=sys.stderr)
        try:
            results.append((r, measure(a.build, r, a.reps), None))
        except RuntimeError as error:
            print(f"bench.py: {error}", file=sys.stderr)
            results.append((r, [], str(error).split(":")[-1].strip() or "failed"))
    text = table(results, when)
    if a.no_write or ids:
        print(text)
    else:
        write(text)
        print(f"bench.py: wrote {len(results)} rows to {os.path.relpath(DOC, ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
