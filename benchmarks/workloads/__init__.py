"""The workload registry: every benchmark by name, its sizes, its target and its moto status."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from benchmarks.harness import Goal
from benchmarks.workloads import client, distributed, executions, server, suite

if TYPE_CHECKING:
    from collections.abc import Callable

    from benchmarks.drivers import Driver
    from benchmarks.harness import Trial

PASS_RATE = Goal("tps", 40_000, ">= 40,000 tr/s")
CHOICE_RATE = Goal("tps", 30_000, ">= 30,000 tr/s")
MAP_WALL = Goal("wall", 1.5, "<= 1.5 s")
QUICK_WALL = Goal("wall", 0.020, "<= 20 ms")
MANY_WALL = Goal("wall", 3.0, "<= 3 s")
CREATE_WALL = Goal("wall", 0.100, "<= 100 ms")
FLOOR_RATIO = Goal("floor", 1.3, "<= 1.3x floor")
MEMORY_PEAK = Goal("peak", 40.0, "<= 40 MB peak")
SERVER_RATE = Goal("rps", 490, ">= 490 req/s (3x issue 18's 162)")
PER_TEST = Goal("wall", 0.002, "<= 2 ms per test (issue 18; >= 70x moto)")
IMPORT_COST = Goal("wall", 0.050, "<= +50 ms beyond boto3 (issue 18)")
DMAP_GOAL = Goal("wall", 8.0, "<= 8 s and <= 250 MB peak (issue 18)", peak_mb=250.0)

NO_SYNC = "moto has no StartSyncExecution, which the EXPRESS design needs"
NO_LAMBDA = "Lambda tasks need Docker in moto"
NO_EXPRESS_CHILDREN = (
    "moto's ASL parser refuses ProcessorConfig ExecutionType EXPRESS (it accepts only STANDARD children)"
)


@dataclass(frozen=True, slots=True)
class Workload:
    """One benchmark.

    Attributes:
        name: what ``--only`` selects (an exact name or a prefix such as ``map``).
        summary: one line for the table.
        build: ``build(driver, size)`` creates the machine and returns the trial.
        size: the size of a full run.
        small: the size of ``--quick`` runs and the smoke test.
        goal: issue 9's target, printed beside the figure.
        runs: timed runs of a full run (the figure is their median).
        moto_skip: why moto does not run it (``None``: it does).
    """

    name: str
    summary: str
    build: Callable[[Driver, int], Trial]
    size: int
    small: int
    goal: Goal | None = None
    runs: int = 5
    moto_skip: str | None = None

    def at(self, size: int) -> Callable[[Driver], Trial]:
        """The trial factory for one size."""
        build = self.build
        return lambda driver: build(driver, size)


def _map_workloads() -> list[Workload]:
    out: list[Workload] = []
    for items in (100, 1_000):
        for limit in (0, 40):
            out.append(
                Workload(
                    f"map-{items}-c{limit}",
                    f"inline Map, {items:,} items, MaxConcurrency {limit}",
                    functools.partial(executions.inline_map, concurrency=limit),
                    items,
                    10,
                )
            )
    for limit in (0, 40):
        out.append(
            Workload(
                f"map-10000-c{limit}",
                f"inline Map, 10,000 items, MaxConcurrency {limit}, EXPRESS (fits: no history limit)",
                functools.partial(executions.inline_map_express, concurrency=limit),
                10_000,
                10,
                MAP_WALL,
                runs=3,
                moto_skip=NO_SYNC,
            )
        )
    for limit in (0, 40):
        out.append(
            Workload(
                f"map-10000-overflow-c{limit}",
                f"inline Map, 10,000 items, MaxConcurrency {limit}, STANDARD (must fail at 25,000 events)",
                functools.partial(executions.inline_map_overflow, concurrency=limit),
                10_000,
                10_000,
                MAP_WALL,
                runs=3,
            )
        )
    return out


def _distributed_workloads() -> list[Workload]:
    return [
        Workload(
            "dmap-s3-100000-c1000",
            "Distributed Map, 100,000 CSV rows from S3 (ItemReader), EXPRESS children, "
            "MaxConcurrency 1,000, ResultWriter to S3",
            functools.partial(distributed.s3_orders, max_concurrency=1_000),
            100_000,
            50,
            DMAP_GOAL,
            runs=3,
            moto_skip=NO_EXPRESS_CHILDREN,
        ),
        Workload(
            "dmap-jsonata-100000",
            "Distributed Map, JSONata Items [1..100000], EXPRESS children, default MaxConcurrency",
            distributed.jsonata_range,
            100_000,
            50,
            DMAP_GOAL,
            runs=3,
            moto_skip=NO_EXPRESS_CHILDREN,
        ),
    ]


WORKLOADS: tuple[Workload, ...] = (
    Workload("pass-chain-100", "Pass chain, 100 states", executions.pass_chain, 100, 100, PASS_RATE),
    Workload("pass-chain-1000", "Pass chain, 1,000 states", executions.pass_chain, 1_000, 100, PASS_RATE),
    Workload(
        "choice-loop-1000",
        "Choice+Pass loop, 1,000 iterations",
        executions.choice_loop,
        1_000,
        10,
        CHOICE_RATE,
    ),
    *_map_workloads(),
    *_distributed_workloads(),
    Workload("parallel-10", "Parallel, 10 branches", executions.parallel, 10, 2),
    Workload("parallel-50", "Parallel, 50 branches", executions.parallel, 50, 2),
    Workload("intrinsics-50", "Pass chain, 50 states x 10 intrinsic calls", executions.intrinsics, 50, 2),
    Workload("payload-200kb", "200 KB payload through 50 states", executions.payload, 50, 2),
    Workload(
        "retry-catch",
        "Parallel: Retry x3 with backoff, then Catch",
        executions.retry_parallel,
        0,
        0,
        QUICK_WALL,
    ),
    Workload(
        "retry-catch-lambda",
        "Lambda Task: Retry x3 with backoff, then Catch",
        executions.retry_lambda,
        0,
        0,
        QUICK_WALL,
        moto_skip=NO_LAMBDA,
    ),
    Workload("wait-60s", "Wait 60 s (virtual timestamps exact)", executions.wait, 60, 60, QUICK_WALL),
    Workload(
        "executions-1000",
        "1,000 executions of a 10-state machine",
        client.many_executions,
        1_000,
        10,
        MANY_WALL,
        runs=3,
    ),
    Workload(
        "create-1000", "create_state_machine, 1,000 states", client.create_large, 1_000, 10, CREATE_WALL
    ),
    Workload(
        "describe-overhead",
        "describe_state_machine per call vs botocore floor",
        client.describe_overhead,
        client.OVERHEAD_CALLS,
        20,
        FLOOR_RATIO,
    ),
    Workload(
        "serve-8-clients",
        "fakesfn serve vs moto_server: 8 boto3 clients x (create, start, describe)",
        server.serve_clients,
        50,
        2,
        SERVER_RATE,
        runs=3,
        moto_skip=server.moto_server_missing(),
    ),
    Workload(
        "serve-8-clients-state",
        "the same with --state: each write durable (fdatasync) before its reply",
        server.serve_clients_state,
        50,
        2,
        SERVER_RATE,
        runs=3,
        moto_skip="moto's server keeps no state across restarts",
    ),
    Workload(
        "suite-200",
        "pytest, CPU time: 200 tests x (create a 4-state machine, start, read it), minus 200 idle tests",
        suite.suite,
        200,
        20,
        PER_TEST,
        # Each run starts two interpreters, whose start-up and exit vary by tens of ms of
        # CPU: a median of 9 pairs keeps that under a few tenths of a ms per test.
        runs=9,
    ),
    Workload(
        "import",
        "import fakesfn after import boto3, in a fresh interpreter",
        suite.import_only,
        0,
        0,
        IMPORT_COST,
        moto_skip="a fakesfn-only figure",
    ),
    Workload(
        "import-first-client",
        "import fakesfn + the first FakeSFNClient() call (loads the engine), after import boto3",
        suite.import_first_client,
        0,
        0,
        moto_skip="a fakesfn-only figure",
    ),
    Workload(
        "memory-25k",
        "~25,000 history events of small payloads",
        executions.memory,
        6_245,
        10,
        MEMORY_PEAK,
        runs=3,
    ),
)


def select(names: list[str]) -> list[Workload]:
    """Workloads whose name equals or starts with one of ``names`` (all of them when empty)."""
    if not names:
        return list(WORKLOADS)
    chosen = [w for w in WORKLOADS if any(w.name == n or w.name.startswith(n) for n in names)]
    if not chosen:
        known = ", ".join(w.name for w in WORKLOADS)
        raise SystemExit(f"no workload matches {names}; known: {known}")
    return chosen
