"""The benchmark command: ``python -m benchmarks [--quick] [--only NAME] ...`` (or ``nox -s bench``).

Runs every selected workload on fakesfn, then (when moto can execute state
machines here) on moto, and prints the two side by side with issue 9's targets.
Targets are printed, never asserted: the exit status is non-zero only when a
fakesfn run did not verify (wrong output or history) or crashed.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import re
import sys
import time
from pathlib import Path

from benchmarks import machines, report
from benchmarks.drivers import FakeDriver, moto_available, moto_driver
from benchmarks.harness import Figures, measure
from benchmarks.workloads import WORKLOADS, Workload, select

MOTO_BUDGET = 3.0
"""Seconds of moto runs per workload after which no further run starts (one always runs)."""
README = Path(__file__).with_name("README.md")
_RESULTS = re.compile(r"(<!-- results:begin -->\n).*?(<!-- results:end -->)", re.DOTALL)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[1])
    parser.add_argument(
        "--quick", action="store_true", help="smallest sizes, at most 3 timed runs, no moto unless --moto"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="run workloads named NAME or starting with it",
    )
    parser.add_argument("--list", action="store_true", help="list the workloads and exit")
    parser.add_argument(
        "--runs", type=int, help="timed runs per workload on fakesfn (default: each workload's own)"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
    moto = parser.add_mutually_exclusive_group()
    moto.add_argument(
        "--moto", dest="moto", action="store_true", default=None, help="also run moto (default)"
    )
    moto.add_argument("--no-moto", dest="moto", action="store_false", help="fakesfn only")
    parser.add_argument("--moto-timeout", type=float, default=120.0, help="seconds a moto workload may take")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="cProfile fakesfn's timed runs; print the top N by cumulative time",
    )
    parser.add_argument("--markdown", type=Path, help="also write the results table to this Markdown file")
    parser.add_argument(
        "--write-readme", action="store_true", help="put the results table into benchmarks/README.md"
    )
    return parser


def _run_fake(workload: Workload, size: int, runs: int, memory: bool, profile: int | None) -> Figures:
    gc.collect()
    # CPU time, not wall time: on a busy machine wall time charges waits to whatever function was running.
    profiler = cProfile.Profile(time.process_time) if profile else None
    figures = measure(FakeDriver(), workload.at(size), runs=runs, memory=memory, profiler=profiler)
    if profile and profiler is not None:
        print(
            f"--- cProfile of {workload.name} ({figures.runs} timed runs, top {profile} by cumulative time)"
        )
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(profile)
    return figures


def _run_moto(workload: Workload, size: int, runs: int, timeout: float) -> Figures:
    if workload.moto_skip is not None:
        return Figures(engine="moto", status="skipped", note=workload.moto_skip)
    gc.collect()
    with moto_driver(timeout) as driver:
        # moto works in real time: its checked run counts, and more runs only while they are cheap.
        return measure(
            driver, workload.at(size), runs=runs - 1, memory=False, warm_up=False, budget=MOTO_BUDGET
        )


def _warm_up_moto(timeout: float) -> None:
    """Load moto's parser and executor once, so the first workload does not pay for it."""
    with moto_driver(timeout) as driver:
        driver.execute(driver.create(machines.pass_chain(2)), "{}")


def _progress(workload: Workload, figures: Figures) -> None:
    tps = "" if figures.tps is None else f"  {figures.tps:,.0f} tr/s"
    if figures.cpu is not None:
        tps = f"  (cpu {report.seconds(figures.cpu)}){tps}"
    note = "" if figures.status == "ok" else f"  [{figures.status}: {figures.note[:100]}]"
    print(
        f"  {figures.engine:8} {workload.name:24} {report.seconds(figures.wall):>10}{tps}{note}", flush=True
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; return 1 when a fakesfn run did not verify."""
    args = _parser().parse_args(argv)
    if args.list:
        for workload in WORKLOADS:
            goal = workload.goal.text if workload.goal else ""
            print(f"{workload.name:26} {workload.summary:70} {goal}".rstrip())
        return 0
    names = [name for option in args.only for name in option.split(",") if name]
    chosen = select(names)
    use_moto = (not args.quick) if args.moto is None else args.moto
    why_not = moto_available() if use_moto else None
    print(f"fakesfn benchmarks: {report.machine()}", flush=True)
    if why_not is not None:
        print(f"moto column skipped: {why_not}", flush=True)
        use_moto = False

    rows: list[report.Row] = []
    for workload in chosen:
        size = workload.small if args.quick else workload.size
        runs = (
            args.runs if args.runs is not None else (min(3, workload.runs) if args.quick else workload.runs)
        )
        figures = _run_fake(workload, size, runs, not args.no_memory, args.profile)
        _progress(workload, figures)
        rows.append(report.Row(workload, size, figures, None, runs))
    if use_moto:
        _warm_up_moto(args.moto_timeout)
        for row in rows:
            row.moto = _run_moto(row.workload, row.size, row.fake_runs, args.moto_timeout)
            _progress(row.workload, row.moto)

    print()
    print(report.text_table(rows))
    for note in report.notes(rows):
        print(f"  * {note}")
    print(f"max RSS of this process: {report.max_rss_mb():.0f} MB")
    markdown = report.markdown_table(rows)
    if args.markdown is not None:
        args.markdown.write_text(markdown, encoding="utf-8")
    if args.write_readme:
        text = README.read_text(encoding="utf-8")
        README.write_text(_RESULTS.sub(lambda m: m.group(1) + markdown + m.group(2), text), encoding="utf-8")
    return 0 if all(row.fake.status == "ok" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
