"""What a test suite pays: per test through the ``sfn`` fixture, and for ``import fakesfn``.

Issue 18's first two rows, measured as users meet them, in fresh interpreters:

* ``suite-200``: a generated pytest file of 200 tests, each creating a 4-state
  machine, starting it and reading the result, run by ``python -m pytest``; minus
  the same 200 tests doing nothing. The difference divided by 200 is the cost of
  one test. Both files import the engine (fakesfn's or moto's) at the top, as the
  issue's measurement did when the plugin loaded fakesfn at start-up: the one-time
  load is the ``import-first-client`` row, not a per-test cost. fakesfn's tests use
  the ``sfn`` fixture; moto's use ``mock_aws`` (state machine execution on, as moto
  needs to run a machine) and poll until the execution ends, since moto runs it on a
  thread.
* ``import``: ``import fakesfn`` after ``import boto3``, timed inside a fresh
  interpreter (``python -X importtime`` tells where it goes); ``import-first-client``
  adds the first ``FakeSFNClient()``, which loads the engine.

Both subtract what the user pays anyway (pytest and the idle tests; boto3), so
the figure is fakesfn's (or moto's) own share.

``suite-200`` counts CPU time (user + system) of the pytest processes, read from
``getrusage(RUSAGE_CHILDREN)``, not their wall-clock time: on a machine shared with
other jobs, wall time measures the queue for a core as much as the suite (it ran 2
to 3 times the CPU time on the 2-core machine of the figures in README.md). On an
idle machine the two agree for fakesfn, whose tests never wait; moto's tests sleep
while polling its execution thread, so CPU time is the figure kinder to moto.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.harness import Counts, Mismatch, Trial

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from benchmarks.drivers import Driver

DEFINITION = json.dumps(
    {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Result": {"n": 1}, "Next": "B"},
            "B": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Pass", "Next": "D"},
            "D": {"Type": "Succeed"},
        },
    }
)

_HEADER = f"""
import json
import time

DEFINITION = {DEFINITION!r}
ROLE = "arn:aws:iam::123456789012:role/bench"
"""

_FAKESFN_TEST = """
def test_{n}(sfn):
    arn = sfn.create_state_machine(name="m", definition=DEFINITION, roleArn=ROLE)["stateMachineArn"]
    run = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    done = sfn.describe_execution(executionArn=run)
    assert done["status"] == "SUCCEEDED" and json.loads(done["output"]) == {{"n": 1}}
"""

_FAKESFN_IMPORT = """
import fakesfn.backend
import fakesfn.client.pool
import fakesfn.patching
"""

_MOTO_FIXTURE = """
import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def sfn():
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        yield boto3.client("stepfunctions", region_name="us-east-1")
"""

_MOTO_TEST = """
def test_{n}(sfn):
    arn = sfn.create_state_machine(name="m", definition=DEFINITION, roleArn=ROLE)["stateMachineArn"]
    run = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    done = sfn.describe_execution(executionArn=run)
    while done["status"] == "RUNNING":  # moto runs the machine on a thread
        time.sleep(0.001)
        done = sfn.describe_execution(executionArn=run)
    assert done["status"] == "SUCCEEDED" and json.loads(done["output"]) == {{"n": 1}}
"""

_IDLE_TEST = """
def test_{n}():
    pass
"""

_PASSED = re.compile(r"^(\d+) passed")


def _env() -> dict[str, str]:
    """This environment, with bytecode caching on: users' interpreters keep their ``.pyc`` files.

    (Where ``PYTHONDONTWRITEBYTECODE`` is set, every fresh interpreter would compile fakesfn
    from source again, and the figures would measure the compiler.)
    """
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _children_cpu() -> float | None:
    """CPU seconds (user + system) used so far by this process's finished children."""
    if resource is None:  # not on this platform: the figures fall back to wall time
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pytest(path: Path) -> tuple[float, str, float]:
    """CPU seconds ``python -m pytest FILE`` takes in a fresh interpreter, its last line, its wall seconds.

    (Wall seconds stand in for CPU seconds where ``resource`` is missing.)
    """
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", str(path)]
    cpu_before = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, cwd=path.parent, env=_env(), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    cpu_after = _children_cpu()
    cpu = seconds if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    lines = result.stdout.strip().splitlines()
    return cpu, (lines[-1] if lines else result.stderr.strip()[-300:]), seconds


class SuiteTrial(Trial):
    """One run = the working suite and its idle twin; the figure is their difference per test."""

    traced = False

    def __init__(self, engine: str, tests: int) -> None:
        self.tests = tests
        self.folder = Path(tempfile.mkdtemp(prefix="fakesfn-bench-suite-"))
        weakref.finalize(self, shutil.rmtree, self.folder, True)
        # Both files import the engine up front, so the difference is the steady cost of a test;
        # loading fakesfn's engine once is the import-first-client row.
        fixture, body = (_MOTO_FIXTURE, _MOTO_TEST) if engine == "moto" else (_FAKESFN_IMPORT, _FAKESFN_TEST)
        self.work = self.folder / "test_work.py"
        self.idle = self.folder / "test_idle.py"
        self.work.write_text(_HEADER + fixture + "".join(body.format(n=n) for n in range(tests)))
        self.idle.write_text(_HEADER + fixture + "".join(_IDLE_TEST.format(n=n) for n in range(tests)))

    def once(self) -> Any:
        idle_seconds, idle_line, _ = _pytest(self.idle)
        work_seconds, work_line, _ = _pytest(self.work)
        return {"work": (work_seconds, work_line), "idle": (idle_seconds, idle_line)}

    def measured(self, outcome: Any) -> float | None:
        return float(outcome["work"][0] - outcome["idle"][0])

    def per_call(self) -> int:
        return self.tests

    def verify(self, outcome: Any, *, deep: bool) -> Counts:
        for name in ("work", "idle"):
            line = outcome[name][1]
            found = _PASSED.match(line)
            if found is None or int(found.group(1)) != self.tests or "failed" in line or "error" in line:
                raise Mismatch(f"the {name} suite did not pass all {self.tests} tests: {line}")
        return Counts(transitions=4 * self.tests)


def suite(driver: Driver, tests: int) -> Trial:
    """``tests`` generated pytest tests through the engine's fixture, minus the same doing nothing."""
    return SuiteTrial(driver.name, tests)


_IMPORT = """
import time
import boto3
start = time.perf_counter()
import fakesfn
{use}
print(time.perf_counter() - start)
"""


class ImportTrial(Trial):
    """``import fakesfn`` (and optionally a first client) in a fresh interpreter, after boto3."""

    traced = False

    def __init__(self, use: str) -> None:
        self.script = _IMPORT.format(use=use)

    def once(self) -> Any:
        command = [sys.executable, "-c", self.script]
        return subprocess.run(command, env=_env(), capture_output=True, text=True, check=False)

    def measured(self, outcome: Any) -> float | None:
        try:
            return float(outcome.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return None

    def verify(self, outcome: Any, *, deep: bool) -> Counts:
        if outcome.returncode != 0 or self.measured(outcome) is None:
            raise Mismatch(f"the import failed: {outcome.stderr.strip()[-300:]}")
        return Counts()


def import_only(driver: Driver, size: int) -> Trial:
    """``import fakesfn`` beyond ``import boto3``."""
    return ImportTrial("")


def import_first_client(driver: Driver, size: int) -> Trial:
    """``import fakesfn`` and the first ``FakeSFNClient().list_activities()``, beyond ``import boto3``."""
    return ImportTrial("fakesfn.FakeSFNClient().list_activities()")
