"""Same seed, same calls: byte-identical replies, in this process and in others.

Every generated scenario runs three ways here (on a reused client whose backend is
reset, and on a brand-new client) and once in each of two child processes started
with other ``PYTHONHASHSEED`` values; all transcripts must be equal byte for byte.
A transcript is every reply of the run in order: ARNs, start and stop dates,
task tokens, request ids, outputs, errors and whole histories.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest
from hypothesis import given

from tests.trust import strategies as s
from tests.trust.harness import new_client, transcript_of
from tests.trust.test_fuzz_executions import scenarios

ROOT = pathlib.Path(__file__).resolve().parents[2]
HASH_SEEDS = ("1", "2718281828")


class Worker:
    """A child process that runs scenarios sent to it and answers their transcripts."""

    def __init__(self, hash_seed: str, log: pathlib.Path) -> None:
        self.log = log
        self._stderr = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from tests.trust.harness import serve; serve()"],
            cwd=ROOT,
            env={**_environment(), "PYTHONHASHSEED": hash_seed},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
        )

    def send(self, scenario: dict) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(scenario) + "\n")
        self.process.stdin.flush()

    def transcript(self) -> str:
        """The transcript of the scenario sent last."""
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, f"the worker died: {self.log.read_text()[-3000:]}"
        return json.loads(line)

    def close(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        self.process.wait(timeout=30)
        self._stderr.close()


def _environment() -> dict[str, str]:
    import os  # noqa: PLC0415 - only the child's environment needs it

    return {key: value for key, value in os.environ.items() if key != "PYTHONHASHSEED"}


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    started = [Worker(seed, tmp_path_factory.mktemp("worker") / "stderr.txt") for seed in HASH_SEEDS]
    yield started
    for worker in started:
        worker.close()


@pytest.fixture(scope="module")
def client():
    return new_client()


@s.fuzz_settings(0.5)
@given(scenarios())
def test_same_seed_same_calls_same_bytes_in_every_process(client, workers, scenario):
    for worker in workers:
        worker.send(scenario)
    here = transcript_of(scenario, client)
    assert transcript_of(scenario) == here, "a reset backend answered differently from a new one"
    for worker in workers:
        assert worker.transcript() == here, "another process answered differently"


SCENARIO = {
    "seed": 7,
    "definition": json.dumps(
        {
            "StartAt": "Draw",
            "States": {
                "Draw": {
                    "Type": "Pass",
                    "Parameters": {"id.$": "States.UUID()", "n.$": "States.MathRandom(1, 1000000)"},
                    "Next": "Ask",
                },
                "Ask": {"Type": "Task", "Resource": s.ACTIVITY, "End": True},
            },
        }
    ),
    "inputs": ["{}", "{}"],
    "moves": [0],
}


def test_another_seed_draws_other_names_tokens_and_values():
    first = transcript_of(SCENARIO)
    assert first == transcript_of(SCENARIO)
    assert first != transcript_of({**SCENARIO, "seed": 8})
