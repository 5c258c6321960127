"""Every benchmark workload runs once, at its smallest size, and verifies (no timing asserted)."""

from __future__ import annotations

import pytest

from benchmarks.drivers import FakeDriver
from benchmarks.harness import measure
from benchmarks.workloads import WORKLOADS, select


@pytest.mark.parametrize("workload", WORKLOADS, ids=lambda w: w.name)
def test_workload_verifies_on_fakesfn(workload):
    figures = measure(FakeDriver(), workload.at(workload.small), runs=0, memory=False)

    assert figures.status == "ok", figures.note
    assert figures.wall is not None
    if not workload.name.startswith("suite"):  # a difference of two suites' times may be noise
        assert figures.wall > 0


def test_peak_memory_is_measured():
    workload = select(["pass-chain-100"])[0]

    figures = measure(FakeDriver(), workload.at(10), runs=1, memory=True)

    assert figures.status == "ok", figures.note
    assert figures.peak_mb is not None
    assert figures.peak_mb > 0
    assert figures.counts.transitions == 10
    assert figures.counts.events == 22


def test_a_wrong_answer_is_reported_not_timed():
    workload = select(["pass-chain-100"])[0]

    class Broken(FakeDriver):
        def execute(self, machine_arn, input_text):
            reply = super().execute(machine_arn, input_text)
            return {**reply, "output": '{"v": 0}'}

    figures = measure(Broken(), workload.at(3), runs=2, memory=False)

    assert figures.status == "mismatch"
    assert "output" in figures.note


def test_only_selects_by_prefix():
    names = [w.name for w in select(["map-1000-"])]

    assert names == ["map-1000-c0", "map-1000-c40"]
