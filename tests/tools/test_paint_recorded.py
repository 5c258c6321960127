"""Paint every history real AWS recorded in ../shared/conformance (skipped when it is absent).

The recordings are read, never copied: they check that colours come out consistent with
each execution's final status on histories fakesfn did not write.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fakesfn.graph import Status, state_runs
from fakesfn.tools.divergence import compare
from fakesfn.tools.recording import normalize_history

CASES = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "cases"

pytestmark = pytest.mark.skipif(not CASES.is_dir(), reason="../shared/conformance is not present")


def _recorded_histories():
    for path in sorted(CASES.glob("*.json")) if CASES.is_dir() else []:
        case = json.loads(path.read_text())
        history = (case.get("expected") or {}).get("history")
        # Some recordings normalized the ids of concurrent events to placeholders: not a history.
        if history and all(isinstance(event.get("id"), int) for event in history):
            events = [{key: value for key, value in event.items() if key != "timestamp"} for event in history]
            yield case["expected"]["status"], normalize_history(events)


def test_recorded_histories_paint_consistently():
    checked = 0
    for status, events in _recorded_histories():
        runs = state_runs(events)
        entered = {
            event["stateEnteredEventDetails"]["name"]
            for event in events
            if event["type"].endswith("StateEntered")
        }
        assert set(runs) == entered
        painted = {run.status for run in runs.values()}
        if status == "SUCCEEDED":
            assert painted <= {Status.SUCCEEDED, Status.CAUGHT}
        if status == "FAILED" and runs:
            assert Status.FAILED in painted
            assert Status.RUNNING not in painted
        assert compare(events, events) == []
        checked += 1
    assert checked > 100
