"""The durability rule of ``fakesfn serve --state`` (docs/server.md), shown in-process and with kill -9."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

import fakesfn.backend
import fakesfn.server.journal
from fakesfn.backend import Backend
from fakesfn.server import main, start_server
from fakesfn.server.app import App
from fakesfn.server.journal import Journal, JournalError, decode_record, encode_record, replay
from tests.server.conftest import ROLE_ARN, boto_client, call, raw

PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})

FAULT_HANDLERS = '''
"""Handlers for the kill -9 test: a fault inside the fake after the world changed."""
import fakesfn.backend as _backend

_real = _backend.dispatch


def _faulty(store, caller, operation, params):
    result = _real(store, caller, operation, params)
    if operation == "StartExecution" and "boom" in params.get("input", ""):
        raise RuntimeError("injected fault, after the execution started")
    return result


_backend.dispatch = _faulty
'''


@pytest.fixture
def faulty(monkeypatch):
    """StartExecution with "boom" in its input starts the execution, then fails inside the fake."""
    real = fakesfn.backend.dispatch

    def dispatch(store: Any, caller: Any, operation: str, params: dict[str, Any]) -> Any:
        result = real(store, caller, operation, params)
        if operation == "StartExecution" and "boom" in params.get("input", ""):
            raise RuntimeError("injected fault, after the execution started")
        return result

    monkeypatch.setattr(fakesfn.backend, "dispatch", dispatch)


def _steps(sfn: Any) -> tuple[str, str]:
    machine = sfn.create_state_machine(name="m", definition=PASS, roleArn=ROLE_ARN)["stateMachineArn"]
    with pytest.raises(ClientError, match="InternalFailure"):
        sfn.start_execution(stateMachineArn=machine, input='{"boom": 1}')
    first = sfn.start_execution(stateMachineArn=machine)["executionArn"]
    return machine, first


def _no_retries(server: Any) -> Any:
    return boto3.client(
        "stepfunctions",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def test_a_call_that_failed_inside_the_fake_is_journaled_and_replayed(tmp_path, faulty):
    state = str(tmp_path / "world.jsonl")
    with start_server(state_file=state, seed=4) as first:
        machine, acknowledged = _steps(_no_retries(first))
        first.internal_errors.clear()
    with start_server(state_file=state) as restarted:
        sfn = _no_retries(restarted)
        listed = [e["executionArn"] for e in sfn.list_executions(stateMachineArn=machine)["executions"]]
        after_restart = sfn.start_execution(stateMachineArn=machine)["executionArn"]
    # An uninterrupted world, given the same calls, generates the same ARNs.
    with start_server(seed=4) as reference:
        sfn = _no_retries(reference)
        assert _steps(sfn) == (machine, acknowledged)
        assert sfn.start_execution(stateMachineArn=machine)["executionArn"] == after_restart
        reference.internal_errors.clear()
    assert acknowledged in listed
    assert len(listed) == 2  # the failed call's execution exists, as it did before the restart


def test_a_second_server_on_the_same_state_file_is_refused(tmp_path, capsys):
    state = str(tmp_path / "world.jsonl")
    with start_server(state_file=state) as running:
        boto_client(running).create_activity(name="queue")
        with pytest.raises(JournalError, match="in use by another fakesfn server"):
            start_server(state_file=state)
        assert main("127.0.0.1", 0, state, 0) == 2
        assert (
            capsys.readouterr()
            .err.strip()
            .endswith("is in use by another fakesfn server: stop it first, or use another state file")
        )
    with start_server(state_file=state) as again:  # the lock ends with the first server
        assert [a["name"] for a in boto_client(again).list_activities()["activities"]] == ["queue"]


def test_a_torn_last_record_is_cut_off_and_reported(tmp_path):
    state = tmp_path / "world.jsonl"
    with start_server(state_file=str(state)) as running:
        boto_client(running).create_activity(name="queue")
    whole = state.read_bytes()
    state.write_bytes(whole + encode_record({"kind": "advance", "seconds": 5})[:20])
    log = tmp_path / "log"
    with log.open("w") as out, start_server(state_file=str(state), log=out) as running:
        assert raw(running, "GET", "/_fakesfn/clock")[2]["now"] == "2024-01-01T00:00:00+00:00"
    assert state.read_bytes() == whole
    assert "cut off an incomplete last record (20 bytes)" in log.read_text()


def _journal_bytes(tmp_path: Path) -> bytes:
    state = tmp_path / "sample.jsonl"
    with start_server(state_file=str(state)) as running:
        sfn = boto_client(running)
        machine = sfn.create_state_machine(name="m", definition=PASS, roleArn=ROLE_ARN)
        sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input='{"n": 1}')
        raw(running, "POST", "/_fakesfn/advance", b'{"seconds": 5}')
    data = state.read_bytes()
    state.unlink()
    return data


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> bytes:
    return _journal_bytes(tmp_path_factory.mktemp("sample"))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_changed_byte_is_refused_never_replayed(sample, data):
    position = data.draw(st.integers(0, len(sample) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != sample[position]))
    damaged = sample[:position] + bytes([byte]) + sample[position + 1 :]
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"fakesfn-flip-{os.getpid()}"
    folder.mkdir(exist_ok=True)
    path = folder / "world.jsonl"
    path.write_bytes(damaged)
    with pytest.raises(JournalError, match=r"world.jsonl"):
        start_server(state_file=str(path))
    assert path.read_bytes() == damaged
    shutil.rmtree(folder)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300), st.integers(0, 400))
def test_a_corrupt_journal_is_an_error_or_a_world_never_a_traceback(sample, junk, cut):
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"fakesfn-junk-{os.getpid()}"
    folder.mkdir(exist_ok=True)
    path = folder / "world.jsonl"
    path.write_bytes(sample[: len(sample) - cut] + junk)
    try:
        start_server(state_file=str(path)).stop()
    except JournalError:
        pass
    finally:
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"kind": "call", "operation": "StartExecution", "params": {"stateMachineArn": 5},
          "region": "us-east-1", "account_id": "123456789012", "status": 200},
         "replaying StartExecution answered 400, not 200"),
        ({"kind": "advance", "seconds": 1e300}, "'seconds' out of range"),
        ({"kind": "settle", "max_seconds": "soon"}, "bad or missing 'max_seconds'"),
        ({"kind": "teleport"}, "unknown journal entry kind 'teleport'"),
    ],
)  # fmt: skip
def test_records_with_valid_checksums_but_bad_content_are_refused(tmp_path, entry, message):
    path = tmp_path / "world.jsonl"
    header = encode_record({"kind": "fakesfn-journal", "version": 2, "seed": 0})
    path.write_bytes(header + encode_record(entry))
    with pytest.raises(JournalError, match=rf"world.jsonl:2: .*{message}"):
        start_server(state_file=str(path))


def test_an_older_state_file_is_refused_with_its_version(tmp_path):
    path = tmp_path / "world.jsonl"
    for header in (
        b'{"kind":"fakesfn-journal","version":1,"seed":0}\n',
        encode_record({"kind": "fakesfn-journal", "version": 1, "seed": 0}),
    ):
        path.write_bytes(header)
        with pytest.raises(JournalError, match="state file version 1, this one reads 2"):
            start_server(state_file=str(path))
        assert path.read_bytes() == header


def test_a_journal_that_cannot_be_written_stops_the_server_answering(tmp_path, monkeypatch):
    state = tmp_path / "world.jsonl"
    with start_server(state_file=str(state)) as running:
        sfn = _no_retries(running)
        sfn.create_activity(name="kept")
        kept = state.read_bytes()

        def disk_full(fd: int, data: bytes) -> None:
            os.write(fd, data[:7])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(fakesfn.server.journal, "_write_all", disk_full)
        for attempt in range(2):
            status, _, body = call(running, "CreateActivity", b'{"name": "lost%d"}' % attempt)
            assert status == 500
            assert body["__type"] == "InternalFailure"
            assert "cannot write the state file" in body["message"]
            assert "No space left on device" in body["message"]
        assert raw(running, "GET", "/_fakesfn/clock")[0] == 500
        assert state.read_bytes() == kept  # no partial record left behind
    with start_server(state_file=str(state)) as restarted:
        assert [a["name"] for a in boto_client(restarted).list_activities()["activities"]] == ["kept"]


def test_reads_wait_for_what_they_saw_to_be_durable(tmp_path, monkeypatch):
    synced: list[int] = []
    real_sync = fakesfn.server.journal._sync
    monkeypatch.setattr(fakesfn.server.journal, "_sync", lambda fd: synced.append(fd) or real_sync(fd))
    journal = Journal.open(str(tmp_path / "world.jsonl"), seed=0)
    app = App(Backend(seed=0), account_id="123456789012", journal=journal)
    headers = {
        "X-Amz-Target": "AWSStepFunctions.ListActivities",
        "Content-Type": "application/x-amz-json-1.0",
    }
    count = len(synced)
    assert app.respond("POST", "/", headers, b"{}").status == 200
    assert len(synced) == count  # nothing new was written: nothing to wait for
    journal.append({"kind": "advance", "seconds": 0})  # written by a request still on its way out
    assert app.respond("POST", "/", headers, b"{}").status == 200
    assert len(synced) == count + 1  # the read saw it, so it waited for it
    journal.close()


def test_group_commit_shares_fsyncs_between_concurrent_writers(tmp_path, monkeypatch):
    state = str(tmp_path / "world.jsonl")
    with start_server(state_file=state) as running:
        clients = [_no_retries(running) for _ in range(6)]

        def work(index: int) -> None:
            for n in range(10):
                clients[index].create_activity(name=f"a{index}-{n}")

        threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    with start_server(state_file=state) as restarted:
        listed = boto_client(restarted).list_activities(maxResults=1000)["activities"]
        assert len(listed) == 60


# kill -9 under load ---------------------------------------------------------------------


def _serve(state: Path, handlers: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "fakesfn", "serve", "--port", "0", "--state", str(state),
         "--handlers", str(handlers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    banner = process.stdout.readline()
    assert "serving Step Functions at " in banner, banner
    return process, banner.split(" at ", 1)[1].split()[0]


def _client(url: str) -> Any:
    return boto3.client(
        "stepfunctions",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=Config(
            retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30
        ),
    )


def _load(url: str, worker: int, acknowledged: list[tuple[str, str, str]], stop: threading.Event) -> None:
    sfn = _client(url)
    try:
        machine = sfn.create_state_machine(name=f"w{worker}", definition=PASS, roleArn=ROLE_ARN)
        for n in range(10_000):
            if stop.is_set():
                return
            text = json.dumps({"w": worker, "n": n, "fault": "boom" if n % 7 == 3 else "none"})
            try:
                arn = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input=text)
            except ClientError as error:
                if error.response["Error"]["Code"] != "InternalFailure":
                    raise
                continue
            acknowledged.append((machine["stateMachineArn"], arn["executionArn"], text))
    except Exception:  # noqa: BLE001 - the server was killed under this client
        return


def test_kill_9_under_load_loses_no_acknowledged_write(tmp_path):
    state, handlers = tmp_path / "world.jsonl", tmp_path / "handlers.py"
    handlers.write_text(FAULT_HANDLERS)
    process, url = _serve(state, handlers)
    acknowledged: list[tuple[str, str, str]] = []
    stop = threading.Event()
    workers = [threading.Thread(target=_load, args=(url, i, acknowledged, stop)) for i in range(4)]
    try:
        for worker in workers:
            worker.start()
        for _ in range(600):  # wait (bounded) for enough acknowledged writes
            if len(acknowledged) >= 80 or not any(w.is_alive() for w in workers):
                break
            workers[0].join(0.1)
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
        seen = list(acknowledged)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert len(seen) >= 80
    copy = tmp_path / "copy.jsonl"
    shutil.copy(state, copy)

    restarted, url = _serve(state, handlers)
    try:
        sfn = _client(url)
        for machine, execution, text in seen:
            described = sfn.describe_execution(executionArn=execution)
            assert (described["stateMachineArn"], described["input"]) == (machine, text)
        next_arn = sfn.start_execution(stateMachineArn=seen[0][0], input="{}")["executionArn"]
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.communicate(timeout=30)
    # The same journal rebuilt in-process generates the same next ARN: identical worlds.
    fakesfn_backend = Backend(seed=0)
    journal = Journal.open(str(copy), seed=0)
    namespace: dict[str, Any] = {}
    exec(compile(FAULT_HANDLERS, "handlers", "exec"), namespace)  # noqa: S102 - the same fault, in-process
    try:
        replay(journal, fakesfn_backend)
        status, body, _ = fakesfn_backend.handle(
            "StartExecution",
            {"stateMachineArn": seen[0][0], "input": "{}"},
            region="us-east-1",
            account_id="123456789012",
        )
    finally:
        fakesfn.backend.dispatch = namespace["_real"]
        journal.close()
    assert (status, json.loads(body)["executionArn"]) == (200, next_arn)
    assert decode_record(copy.read_bytes().splitlines()[0]) == {
        "kind": "fakesfn-journal",
        "version": 2,
        "seed": 0,
    }


def test_a_request_over_aws_quota_is_refused_before_it_is_read_or_journaled(tmp_path):
    state = tmp_path / "world.jsonl"
    with start_server(state_file=str(state)) as running:
        before = state.read_bytes()
        big = json.dumps({"name": "a", "tags": [{"key": "k", "value": "v" * 1_048_576}]}).encode()
        status, _, body = call(running, "CreateActivity", big)
        assert (status, body) == (413, {"message": "HTTP content length exceeded 1048576 bytes."})
        assert state.read_bytes() == before
        status, _, _ = raw(running, "POST", "/", b"", {"Content-Length": "-5"})
        assert status == 400


def test_a_reply_waiting_for_its_sync_across_a_reset_returns(tmp_path):
    journal = Journal.open(str(tmp_path / "world.jsonl"), seed=0)
    try:
        before = journal.append({"kind": "advance", "seconds": 1})
        journal.restart(0)  # POST /_fakesfn/reset, between that write and its reply's sync
        journal.wait_durable(before)
        after = journal.append({"kind": "advance", "seconds": 2})
        journal.wait_durable(after)
        assert after > before
    finally:
        journal.close()
