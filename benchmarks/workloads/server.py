"""``fakesfn serve`` (and moto's server) under 8 boto3 clients: create, start, describe.

Issue 18's server row. Each engine is a server in its own process, as users run
it: ``fakesfn serve --port 0`` (with ``--state FILE`` for the durable variant) or
``moto_server`` with state machine execution switched on. Eight boto3 clients on
eight threads of the benchmark's process each repeat create a one-state machine,
start it, describe the execution. The figure is the wall time per request; the
report shows it as requests per second.

Both sides pay for botocore in the clients (the same for both), so the figure is
what a test suite talking to the server sees, not the server alone.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import weakref
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from benchmarks.drivers import MotoDriver
from benchmarks.harness import Counts, Mismatch, Trial

if TYPE_CHECKING:
    from benchmarks.drivers import Driver

CLIENTS = 8
REQUESTS_PER_ROUND = 3
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
ROLE = "arn:aws:iam::123456789012:role/bench"
_START_SECONDS = 60.0
_SETTLE_SECONDS = 60.0


def moto_server_missing() -> str | None:
    """``None`` when moto's server can run here, else why not."""
    for module in ("moto", "flask", "flask_cors", "antlr4"):
        if find_spec(module) is None:
            return f"moto's server needs {module} (pip install -e '.[bench]', which has moto[server])"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(process: subprocess.Popen[bytes], folder: str | None) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _start_fakesfn(state: bool) -> tuple[subprocess.Popen[bytes], str, str | None]:
    folder = tempfile.mkdtemp(prefix="fakesfn-bench-") if state else None
    command = [sys.executable, "-m", "fakesfn", "serve", "--port", "0"]
    if folder is not None:
        command += ["--state", os.path.join(folder, "world.jsonl")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    banner = process.stdout.readline().decode()
    if " at " not in banner:
        _stop(process, folder)
        raise RuntimeError(f"fakesfn serve did not start: {banner!r}")
    return process, banner.split(" at ", 1)[1].split()[0], folder


def _start_moto() -> tuple[subprocess.Popen[bytes], str, None]:
    port = _free_port()
    moto_server = shutil.which("moto_server", path=os.path.dirname(sys.executable)) or "moto_server"
    process = subprocess.Popen(
        [moto_server, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + _START_SECONDS
    config = json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode()
    while True:
        try:
            request = urllib.request.Request(f"{url}/moto-api/config", data=config, method="POST")
            with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - a loopback URL we built
                return process, url, None
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                _stop(process, None)
                raise RuntimeError("moto_server did not start") from None
            time.sleep(0.1)


def _client(url: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "stepfunctions",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
        config=Config(retries={"total_max_attempts": 1}, max_pool_connections=2),
    )


class ServeClients(Trial):
    """Eight clients against one server process: ``rounds`` x (create, start, describe) each."""

    def __init__(self, driver: Driver, rounds: int, *, state: bool) -> None:
        self.engine = "moto" if isinstance(driver, MotoDriver) else "fakesfn"
        self.rounds = rounds
        process, self.url, folder = _start_moto() if self.engine == "moto" else _start_fakesfn(state)
        self._finalizer = weakref.finalize(self, _stop, process, folder)
        self.clients = [_client(self.url) for _ in range(CLIENTS)]
        self.batch = 0

    def per_call(self) -> int:
        return CLIENTS * self.rounds * REQUESTS_PER_ROUND

    def once(self) -> list[list[tuple[str, str, str]]]:
        self.batch += 1
        results: list[list[tuple[str, str, str]]] = [[] for _ in range(CLIENTS)]
        errors: list[BaseException] = []

        def work(index: int) -> None:
            sfn, out = self.clients[index], results[index]
            try:
                for n in range(self.rounds):
                    machine = sfn.create_state_machine(
                        name=f"b{self.batch}-c{index}-{n}", definition=PASS, roleArn=ROLE
                    )["stateMachineArn"]
                    execution = sfn.start_execution(stateMachineArn=machine, input='{"n": 1}')["executionArn"]
                    described = sfn.describe_execution(executionArn=execution)
                    out.append((machine, execution, described["status"]))
            except BaseException as error:  # noqa: BLE001 - reported as this run's failure
                errors.append(error)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise Mismatch(f"a client failed: {type(errors[0]).__name__}: {errors[0]}")
        return results

    def verify(self, outcome: Any, *, deep: bool) -> Counts:
        runs = [row for rows in outcome for row in rows]
        if len(runs) != CLIENTS * self.rounds:
            raise Mismatch(f"{len(runs)} executions, expected {CLIENTS * self.rounds}")
        allowed = {"SUCCEEDED"} if self.engine == "fakesfn" else {"RUNNING", "SUCCEEDED"}
        for _, execution, status in runs:
            if status not in allowed:
                raise Mismatch(f"{execution} was {status} when described")
        if deep:
            self._settled(runs)
        return Counts()

    def _settled(self, runs: list[tuple[str, str, str]]) -> None:
        """Every execution ends SUCCEEDED with its input as output (moto's in real time)."""
        sfn, deadline = self.clients[0], time.monotonic() + _SETTLE_SECONDS
        for machine, execution, _ in runs:
            while True:
                described = sfn.describe_execution(executionArn=execution)
                if described["status"] != "RUNNING" or time.monotonic() > deadline:
                    break
                time.sleep(0.01)
            if (described["status"], described["stateMachineArn"]) != ("SUCCEEDED", machine):
                raise Mismatch(f"{execution} ended {described['status']}")
            if json.loads(described.get("output", "null")) != {"n": 1}:
                raise Mismatch(f"{execution} output {described.get('output')!r}")


def serve_clients(driver: Driver, rounds: int) -> Trial:
    """The server row: no state file."""
    return ServeClients(driver, rounds, state=False)


def serve_clients_state(driver: Driver, rounds: int) -> Trial:
    """The same with ``--state``: every write fsync'd before its reply (group commit)."""
    return ServeClients(driver, rounds, state=True)
