"""Performance harness for cogov: how fast does one community run, and where does a day go?

Why this exists: residents are columnar (one NumPy array per attribute, DESIGN.md "Residents are
Mesa agents; their state is columnar") precisely so that a day costs a handful of vectorized
operations, not a Python loop over 10^4-10^5 residents. This harness keeps that claim honest by
printing figures (not assertions; benchmarks are not timed tests):

* per size (default 2,000, 10,000 and 100,000 residents of ``one-core-four-element``): build time,
  simulated days, run time, seconds per simulated day, projected seconds for 730 days, peak RSS and
  the number of social-network edges; each size runs in a fresh subprocess so peak RSS is its own;
* the share of the step time spent in each phase of ``cogov.model.phases.DAY``, in the daily
  metrics and in Mesa's ``DataCollector`` (measured by an instrumented copy of
  ``CommunityModel.step``; no model code is modified, and a mirror check confirms the copy gives
  the same metrics as the real ``step``);
* the target of the performance issue: 10,000 residents x 730 days in under 30 s on one core
  (build + run), reported as PASS/MISS. The exit code is 0 either way.

Reproduce: ``make bench`` (or ``.venv/bin/python benchmarks/bench.py``). Options:
``--sizes 2000,10000,100000``, ``--days N`` (all sizes), ``--large-days N`` (sizes above 10,000),
``--quick`` (small sizes, few days: a smoke test), ``--seed``, ``--profile`` (cProfile of the
largest size's run, top functions by own time).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

SCENARIO = "one-core-four-element"
SEED = 7  # the seed of `make demo`
HORIZON = 730  # the default horizon: two years
TARGET_RESIDENTS = 10_000
TARGET_SECONDS = 10.0
LARGE = 10_000  # sizes above this run --large-days
LARGE_DAYS = 365
SCALE_TARGETS = ((100_000, 60.0, None), (1_000_000, 900.0, 8 * 1024))
RESULT_TAG = "BENCH_RESULT "
MIRROR_CHECK_DAYS = 60

# Labels of the parts of a step that are not a phase of DAY.
SETUP = "step setup (DayLog)"
METRICS = "daily_metrics"
COLLECT = "datacollector.collect"
MESA = "mesa time advance"


# --- worker: one size, in its own process ---------------------------------------------------------


def _peak_rss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, KiB else


def _instrument(model, acc: dict[str, float]) -> None:
    """Replace this model's step body by a timed copy of ``CommunityModel.step``.

    Mesa 3.5 wraps ``step``: ``model.step()`` advances ``model.time`` and calls
    ``model._user_step``. Swapping ``_user_step`` on the instance keeps Mesa's time machinery
    untouched and changes no model code. The copy must follow ``CommunityModel.step`` line by line;
    :func:`_mirror_check` compares its metrics with those of the real ``step``.
    """
    from cogov.model import model as model_module
    from cogov.model.metrics import DayLog, daily_metrics

    phases = [(p.__name__, p) for p in model_module.DAY]
    for name in [SETUP, *(n for n, _ in phases), METRICS, COLLECT, MESA]:
        acc.setdefault(name, 0.0)
    clock = time.perf_counter

    def timed_step() -> None:
        t0 = clock()
        model.day = int(round(model.time)) - 1
        model.today = DayLog()
        t1 = clock()
        acc[SETUP] += t1 - t0
        for name, phase in phases:
            phase(model)
            t2 = clock()
            acc[name] += t2 - t1
            t1 = t2
        model.metrics_today = daily_metrics(model)
        model._daily.append(model.metrics_today)
        t2 = clock()
        acc[METRICS] += t2 - t1
        model.datacollector.collect(model)
        model.ledger.end_day()
        acc[COLLECT] += clock() - t2

    model._user_step = timed_step


def _mirror_check(residents: int, seed: int, days: int, instrumented_daily: list[dict]) -> bool:
    """Does the instrumented step give the same daily metrics as ``CommunityModel.step``?"""
    import pandas as pd
    from cogov.model import CommunityModel

    ref = CommunityModel(SCENARIO, rng=seed, residents=residents)
    ref.run(days)
    a = pd.DataFrame(ref._daily)
    b = pd.DataFrame(instrumented_daily[:days])
    return a.shape == b.shape and list(a.columns) == list(b.columns) and a.equals(b)


def worker(residents: int, days: int, seed: int, check: bool, profile: bool) -> dict:
    import gc

    from cogov.model import CommunityModel

    rss_import = _peak_rss_mb()
    gc.collect()
    t = time.perf_counter()
    model = CommunityModel(SCENARIO, rng=seed, residents=residents)
    build = time.perf_counter() - t
    rss_build = _peak_rss_mb()

    acc: dict[str, float] = {}
    _instrument(model, acc)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t = time.perf_counter()
    for _ in range(days):
        model.step()
    run = time.perf_counter() - t
    if profiler is not None:
        profiler.disable()
    inner = sum(v for k, v in acc.items() if k != MESA)
    acc[MESA] = max(0.0, run - inner)
    rss_peak = _peak_rss_mb()

    result = {
        "residents": residents,
        "actual_residents": int(model.population.n),
        "edges": int(model.network.n_edges),
        "build_s": build,
        "days": days,
        "run_s": run,
        "rss_import_mb": rss_import,
        "rss_build_mb": rss_build,
        "rss_peak_mb": rss_peak,
        "issues_end": _issue_counts(model),
        "phases": acc,
    }
    if check:
        n = min(days, MIRROR_CHECK_DAYS)
        result["mirror_check"] = {"days": n, "ok": _mirror_check(residents, seed, n, model._daily)}
    if profiler is not None:
        import io
        import pstats

        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(20)
        result["profile"] = out.getvalue()
    return result


def _issue_counts(model) -> tuple[int, int]:
    """Issues ever raised and issues still open at the end (queues make later days slower)."""
    t = model.issues
    return len(t), int(t.open_ids().size)


# --- parent: run the sizes, print the tables ------------------------------------------------------


def run_size(residents: int, days: int, seed: int, check: bool, profile: bool) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--_worker", str(residents),
           "--days", str(days), "--seed", str(seed)]
    if check:
        cmd.append("--_check")
    if profile:
        cmd.append("--profile")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_TAG):
            return json.loads(line[len(RESULT_TAG):])
    tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
    raise RuntimeError(f"{residents:,} residents: worker failed (exit {proc.returncode})\n{tail}")


def _fmt_table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    right = set(range(1, len(header))) if right is None else right
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(r: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(r, widths, strict=True)))

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def print_report(results: list[dict], seed: int) -> None:
    import platform

    print(f"cogov benchmark: scenario {SCENARIO}, seed {seed}, one process per size")
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs "
          f"(the model runs on one core)")
    print()
    header = ["residents", "actual", "edges", "build s", "days", "run s", "s/day",
              "730 d s", "peak RSS MB", "issues (open)"]
    rows = []
    for r in results:
        per_day = r["run_s"] / r["days"] if r["days"] else float("nan")
        proj = per_day * HORIZON
        proj_txt = f"{proj:.1f}" + ("" if r["days"] == HORIZON else "*")
        rows.append([f"{r['residents']:,}", f"{r['actual_residents']:,}", f"{r['edges']:,}",
                     f"{r['build_s']:.2f}", str(r["days"]), f"{r['run_s']:.2f}",
                     f"{per_day:.4f}", proj_txt, f"{r['rss_peak_mb']:.0f}",
                     f"{r['issues_end'][0]:,} ({r['issues_end'][1]:,})"])
    print(_fmt_table(header, rows))
    print("  build = scenario load + scale_to_residents + structure, population, network, "
          "agents, mechanisms")
    print("  730 d s = run time of 730 days (excluding build); * = projected from the days run")
    print("  peak RSS = whole process (interpreter + imports "
          f"~{results[0]['rss_import_mb']:.0f} MB + model + 'days' of metrics)")
    print()

    # per-phase split
    names = list(results[0]["phases"].keys())
    header = ["part of a step", *[f"{r['residents']:,}: ms/day (share)" for r in results]]
    rows = []
    for name in names:
        cells = [name]
        for r in results:
            t = r["phases"].get(name, 0.0)
            cells.append(f"{1e3 * t / r['days']:.3f} ({100 * t / r['run_s']:4.1f}%)")
        rows.append(cells)
    rows.append(["total step", *[f"{1e3 * r['run_s'] / r['days']:.3f} (100 %)" for r in results]])
    print("Per-phase split (mean wall time per simulated day, share of the step):")
    print(_fmt_table(header, rows))
    for r in results:
        mc = r.get("mirror_check")
        if mc:
            verdict = ("identical metrics" if mc["ok"] else
                       "DIFFERENT metrics - CommunityModel.step changed; update _instrument()")
            print(f"  mirror check vs CommunityModel.step ({r['residents']:,} residents, "
                  f"{mc['days']} days): {verdict}")
    print()

    # the target
    t = next((r for r in results if r["residents"] == TARGET_RESIDENTS), None)
    goal = (f"Target: {TARGET_RESIDENTS:,} residents x {HORIZON} days in under "
            f"{TARGET_SECONDS:.0f} s on one core")
    if t is None:
        print(f"{goal}: not measured (add {TARGET_RESIDENTS} to --sizes)")
    else:
        run730 = t["run_s"] / t["days"] * HORIZON
        total = t["build_s"] + run730
        how = "measured" if t["days"] == HORIZON else f"projected from {t['days']} days"
        ok = total < TARGET_SECONDS
        ratio = (f"{TARGET_SECONDS / total:.1f}x headroom" if ok
                 else f"{total / TARGET_SECONDS:.1f}x too slow")
        print(f"{goal}: {total:.1f} s (build {t['build_s']:.2f} s + run {run730:.1f} s, {how}) "
              f"-> {'PASS' if ok else 'MISS'} ({ratio})")
    # The scale targets: a street (10^5) and a district (10^6) for a year.
    for size, limit_s, limit_mb in SCALE_TARGETS:
        r = next((x for x in results if x["residents"] == size), None)
        if r is None:
            continue
        year = r["run_s"] / r["days"] * 365
        ok = year < limit_s and (limit_mb is None or r["rss_peak_mb"] < limit_mb)
        memory = f", peak {r['rss_peak_mb']:,.0f} MB (limit {limit_mb:,} MB)" if limit_mb else ""
        print(f"Target: {size:,} residents x 365 days in under {limit_s:.0f} s: {year:.1f} s"
              f"{memory}, build {r['build_s']:.1f} s -> {'PASS' if ok else 'MISS'}")
    for r in results:
        if r.get("profile"):
            print()
            print(f"cProfile of the run at {r['residents']:,} residents, {r['days']} days "
                  "(top 20 by own time):")
            print(r["profile"].rstrip())


def reference_ratio(residents: int = 10_000, days: int = 20, seed: int = SEED) -> None:
    """Seconds per day of the vectorized model against the per-agent reference (same rules)."""
    from cogov.model import CommunityModel
    from reference import ReferenceModel

    timings = {}
    for cls in (CommunityModel, ReferenceModel):
        model = cls(SCENARIO, rng=seed, residents=residents)
        t0 = time.perf_counter()
        model.run(days)
        timings[cls.__name__] = (time.perf_counter() - t0) / days
    fast, slow = timings["CommunityModel"], timings["ReferenceModel"]
    print(f"\nPer-agent reference (benchmarks/reference.py), {residents:,} residents, {days} days:")
    print(f"  vectorized {fast * 1000:.2f} ms/day; one Python step per resident "
          f"{slow * 1000:.1f} ms/day -> {slow / fast:.0f}x faster (target >= 30x)")


SWEEP_RUNS = 200
SWEEP_WORKERS = 2
SWEEP_TARGET = 1.15


def sweep_overhead(runs: int = SWEEP_RUNS, workers: int = SWEEP_WORKERS, days: int = 120) -> None:
    """A sweep of short runs on a process pool: wall time against the runs' own time / workers.

    The target (issue: sweeps) is wall <= 1.15 x (sum of run times) / workers: the pool, the
    pickling of tasks and results and the writing of shards may add at most 15%.
    """
    import tempfile
    from pathlib import Path

    from cogov.experiments.spec import load_experiment
    from cogov.experiments.sweep import run_sweep

    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "overhead.yaml"
        spec.write_text(
            "title: sweep overhead\nscenarios: [fragmented, one-core-four-element]\n"
            f"replicates: {runs // 4}\ndays: {days}\n"
            "design:\n  kind: grid\n  parameters:\n"
            "    mechanisms.admin_burden.task_share: [0.2, 0.6]\n", encoding="utf-8")
        result = run_sweep(load_experiment(spec), Path(tmp) / "out", workers=workers,
                           progress=False)
    ideal = result.run_seconds / workers
    ratio = result.seconds / ideal
    print(f"\nSweep overhead: {result.planned} runs of {days} days on {workers} worker processes")
    print(f"  wall {result.seconds:.1f} s; sum of the runs' own times {result.run_seconds:.1f} s; "
          f"ideal wall {ideal:.1f} s")
    verdict = "PASS" if ratio <= SWEEP_TARGET else "MISS"
    print(f"  wall / ideal = {ratio:.3f} (target <= {SWEEP_TARGET}) -> {verdict}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="2000,10000,100000,1000000",
                   help="comma-separated resident counts (default 2000,10000,100000,1000000)")
    p.add_argument("--days", type=int, default=None, help="days for every size (overrides)")
    p.add_argument("--large-days", type=int, default=LARGE_DAYS,
                   help=f"days for sizes above {LARGE:,} (default {LARGE_DAYS}: a year for a "
                        "street or a district)")
    p.add_argument("--quick", action="store_true",
                   help="smoke test: 2,000 and 10,000 residents, 20 days")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--profile", action="store_true",
                   help="cProfile the largest size's run and print the top functions")
    p.add_argument("--sweep-runs", type=int, default=SWEEP_RUNS,
                   help=f"runs in the sweep-overhead measurement (default {SWEEP_RUNS}; 0 skips)")
    p.add_argument("--_worker", type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument("--_check", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args._worker is not None:
        days = args.days if args.days is not None else HORIZON
        result = worker(args._worker, days, args.seed, args._check, args.profile)
        print(RESULT_TAG + json.dumps(result), flush=True)
        return 0

    if args.quick:
        sizes = [2000, 10000]
        default_days = {n: 20 for n in sizes}
    else:
        try:
            sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
        except ValueError:
            p.error(f"--sizes: expected comma-separated integers, got {args.sizes!r}")
        if not sizes or min(sizes) <= 0:
            p.error("--sizes: resident counts must be > 0")
        default_days = {n: (args.large_days if n > LARGE else HORIZON) for n in sizes}
    if args.days is not None and args.days <= 0:
        p.error("--days must be > 0")

    results = []
    failed = False
    largest = max(sizes)
    for i, n in enumerate(sizes):
        days = args.days if args.days is not None else default_days[n]
        print(f"... {n:,} residents, {days} days", file=sys.stderr, flush=True)
        try:
            results.append(run_size(n, days, args.seed, check=(i == 0),
                                    profile=args.profile and n == largest))
        except RuntimeError as exc:
            print(str(exc), file=sys.stderr)
            failed = True
    if results:
        print_report(results, args.seed)
    if not args.quick:
        reference_ratio()
    if args.sweep_runs > 0 and not args.quick:
        sweep_overhead(args.sweep_runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
