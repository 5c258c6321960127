"""Measuring one workload on one engine: warm-up, timed runs, a memory run, verification.

The protocol, per workload and engine:

1. build the trial (create the state machine: not timed, except by workloads that
   measure creation itself);
2. one *checked* run, verified deeply (output and the whole history read back
   through the client); for fakesfn it is a warm-up and is not timed, for moto it is
   the only run and is timed;
3. ``runs`` timed runs, each verified shallowly (status and output), the figure is
   their median;
4. one run under :mod:`tracemalloc` for the peak memory it allocated (tracing slows
   Python down severalfold, so it is never a timed run).
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from benchmarks.drivers import EngineTimeout

if TYPE_CHECKING:
    import cProfile
    from collections.abc import Callable

    from benchmarks.drivers import Driver


@dataclass(slots=True)
class Counts:
    """What one verified run did: state transitions and history events (``None``: not applicable)."""

    transitions: int | None = None
    events: int | None = None


class Mismatch(Exception):
    """A run produced something other than what AWS would (output, history, timestamps).

    ``counts`` says what the run did, when known, so the report can still show it.
    """

    def __init__(self, reason: str, counts: Counts | None = None) -> None:
        super().__init__(reason)
        self.counts = counts


class Trial:
    """One workload bound to one engine, ready to run repeatedly.

    Subclasses implement :meth:`once` (the timed region) and :meth:`verify`.
    ``baseline`` optionally times a reference operation beside each run (the
    botocore floor of the per-call overhead workload).
    """

    baseline: Callable[[], Any] | None = None
    traced = True
    """Whether a run under tracemalloc means anything (not for work done in other processes)."""

    def once(self) -> Any:
        """Run the workload once; return whatever :meth:`verify` needs."""
        raise NotImplementedError

    def verify(self, outcome: Any, *, deep: bool) -> Counts:
        """Raise :class:`Mismatch` unless ``outcome`` is right; ``deep`` also reads the history."""
        raise NotImplementedError

    def per_call(self) -> int:
        """How many operations one :meth:`once` performs (figures are reported per operation)."""
        return 1

    def prepare(self) -> None:
        """Set the world up for the next run, untimed (default: nothing; runs share one world)."""

    def close(self) -> None:
        """Release what the trial holds beyond its engine (a mocked AWS world); called once, at the end."""

    def measured(self, outcome: Any) -> float | None:
        """Seconds the run itself measured, when only part of :meth:`once` counts (else ``None``).

        A test-suite workload runs a suite and its idle twin and counts the difference;
        an import workload times the import inside the fresh interpreter it starts.
        """
        return None


@dataclass(frozen=True, slots=True)
class Goal:
    """A target from issue 9, printed beside the figure and never asserted."""

    metric: str
    """``tps`` (transitions/s) or ``rps`` (requests/s), higher is better; ``wall`` (s), ``peak`` (MB)
    or ``floor`` (ratio), lower is better."""
    limit: float
    text: str
    peak_mb: float | None = None
    """A peak memory bound that must hold too (issue 18's Distributed Map row: time and memory)."""

    def met(self, figures: Figures) -> bool | None:
        """Whether ``figures`` reach the goal (``None`` when there is nothing to judge)."""
        value = figures.metric(self.metric)
        if value is None:
            return None
        if self.peak_mb is not None and figures.peak_mb is not None and figures.peak_mb > self.peak_mb:
            return False
        return value >= self.limit if self.metric in ("tps", "rps") else value <= self.limit


@dataclass(slots=True)
class Figures:
    """The result of one workload on one engine."""

    engine: str
    status: str = "ok"
    """``ok``, ``mismatch`` (ran, but not as AWS would), ``error`` (crashed), ``timeout``, ``skipped``."""
    note: str = ""
    wall: float | None = None
    """Median seconds of one timed run (per operation for per-call workloads)."""
    cpu: float | None = None
    """Median CPU seconds this process spent in one timed run (``None`` when the work runs
    elsewhere): unlike wall time, it hardly moves when other jobs share the machine."""
    runs: int = 0
    counts: Counts = field(default_factory=Counts)
    peak_mb: float | None = None
    baseline: float | None = None
    """Median seconds of the baseline operation, when the workload has one."""

    @property
    def tps(self) -> float | None:
        """State transitions per second of wall time."""
        if self.wall is None or not self.wall or self.counts.transitions is None:
            return None
        return self.counts.transitions / self.wall

    def metric(self, name: str) -> float | None:
        """A figure by goal metric name."""
        if name == "tps":
            return self.tps
        if name == "wall":
            return self.wall
        if name == "peak":
            return self.peak_mb
        if name == "rps":
            return 1 / self.wall if self.wall else None
        if self.wall is None or not self.baseline:
            return None
        return self.wall / self.baseline


def _timed(trial: Trial) -> tuple[float, float, Any]:
    """Wall seconds and CPU seconds of this process for one run (per operation), and its outcome."""
    trial.prepare()
    start, cpu = time.perf_counter(), time.process_time()
    outcome = trial.once()
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    own = trial.measured(outcome)
    return (own if own is not None else elapsed) / trial.per_call(), used / trial.per_call(), outcome


def _timed_baseline(trial: Trial) -> float | None:
    if trial.baseline is None:
        return None
    start = time.perf_counter()
    trial.baseline()
    return (time.perf_counter() - start) / trial.per_call()


def _peak_mb(trial: Trial) -> float:
    trial.prepare()
    tracemalloc.start()
    try:
        trial.once()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure(
    driver: Driver,
    build: Callable[[Driver], Trial],
    *,
    runs: int,
    memory: bool,
    warm_up: bool = True,
    budget: float | None = None,
    profiler: cProfile.Profile | None = None,
) -> Figures:
    """Run the protocol above; failures become figures, so one broken workload never stops the suite.

    Args:
        driver: the engine.
        build: creates the trial on that engine.
        runs: timed runs after the checked run (at most, with ``budget``).
        memory: also measure the peak of one run under tracemalloc.
        warm_up: the checked run is a warm-up (``False``: it counts as a timed run).
        budget: stop timing once this many seconds were spent (for engines that run in real time).
        profiler: profile the timed runs (their wall times then include the profiler's overhead).
    """
    figures = Figures(engine=driver.name)
    try:
        _measure_into(
            figures,
            driver,
            build,
            runs=runs,
            memory=memory,
            warm_up=warm_up,
            budget=budget,
            profiler=profiler,
        )
    except EngineTimeout as timeout:
        figures.status, figures.note = "timeout", str(timeout)
        figures.wall, figures.counts = timeout.seconds, Counts()
    except Mismatch as mismatch:
        figures.status, figures.note = "mismatch", str(mismatch)
        if mismatch.counts is not None:
            figures.counts = mismatch.counts
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as crash:  # noqa: BLE001 - report any engine crash as this workload's result
        figures.status, figures.note = "error", f"{type(crash).__name__}: {crash}".rstrip(": ")
    return figures


def _measure_into(
    figures: Figures,
    driver: Driver,
    build: Callable[[Driver], Trial],
    *,
    runs: int,
    memory: bool,
    warm_up: bool,
    budget: float | None,
    profiler: cProfile.Profile | None,
) -> None:
    trial = build(driver)
    try:
        _protocol(figures, trial, runs=runs, memory=memory, warm_up=warm_up, budget=budget, profiler=profiler)
    finally:
        trial.close()


def _protocol(
    figures: Figures,
    trial: Trial,
    *,
    runs: int,
    memory: bool,
    warm_up: bool,
    budget: float | None,
    profiler: cProfile.Profile | None,
) -> None:
    checked_wall, checked_cpu, outcome = _timed(trial)
    figures.wall, figures.runs = checked_wall, 1
    figures.counts = trial.verify(outcome, deep=True)
    walls = [] if warm_up else [checked_wall]
    cpus = [] if warm_up else [checked_cpu]
    first_baseline = _timed_baseline(trial)  # the floor's warm-up, or its first sample
    baselines = [] if warm_up or first_baseline is None else [first_baseline]
    spent = checked_wall * trial.per_call()
    while len(walls) < runs + (0 if warm_up else 1) and (budget is None or spent < budget):
        if profiler is not None:
            profiler.enable()
        wall, cpu, outcome = _timed(trial)
        if profiler is not None:
            profiler.disable()
        trial.verify(outcome, deep=False)
        walls.append(wall)
        cpus.append(cpu)
        spent += wall * trial.per_call()
        baseline = _timed_baseline(trial)
        if baseline is not None:
            baselines.append(baseline)
    figures.wall = statistics.median(walls) if walls else checked_wall
    figures.runs = len(walls) or 1
    if trial.traced:
        figures.cpu = statistics.median(cpus) if cpus else checked_cpu
    figures.baseline = statistics.median(baselines) if baselines else None
    if memory and trial.traced:
        figures.peak_mb = _peak_mb(trial)
