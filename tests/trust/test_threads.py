"""One backend, eight threads at once: nothing lost, nothing doubled, every invariant holds.

The backend serialises every API call and every clock movement under one
re-entrant lock (``backend.lock``); these tests hammer it from several threads
(each with its own client, two sharing one) while executions start, wait on
activity workers, time out and finish, and check the world afterwards.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any

import fakesfn
from tests.trust import strategies as s
from tests.trust.invariants import check_agreement, check_history, history

THREADS = 8
JOBS_PER_STARTER = 15
JOB = {
    "StartAt": "Work",
    "States": {
        "Work": {"Type": "Task", "Resource": s.ACTIVITY, "TimeoutSeconds": 100_000, "Next": "Rest"},
        "Rest": {"Type": "Wait", "Seconds": 5, "Next": "Call"},
        "Call": {
            "Type": "Task",
            "Resource": f"arn:aws:lambda:{s.REGION}:{s.ACCOUNT}:function:double",
            "End": True,
        },
    },
}


class Crew:
    """Shared bookkeeping of the threads (guarded by its own lock, not the backend's)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started: list[str] = []
        self.tokens: Counter[str] = Counter()
        self.answered: list[str] = []
        self.errors: list[BaseException] = []
        self.starters_done = threading.Event()
        self.barrier = threading.Barrier(THREADS)

    def note(self, attribute: str, value: Any) -> None:
        with self.lock:
            getattr(self, attribute).append(value)


def client_on(backend: fakesfn.Backend) -> Any:
    return fakesfn.FakeSFNClient(backend=backend, region_name=s.REGION, account_id=s.ACCOUNT)


def guarded(crew: Crew, body: Any) -> Any:
    def run(*args: Any) -> None:
        try:
            crew.barrier.wait(timeout=30)
            body(*args)
        except BaseException as error:  # noqa: BLE001 - reported to the main thread
            crew.note("errors", error)

    return run


def starter(crew: Crew, client: Any, machine: str, index: int) -> None:
    for number in range(JOBS_PER_STARTER):
        arn = client.start_execution(
            stateMachineArn=machine, name=f"t{index}-{number}", input=json.dumps({"n": number})
        )
        crew.note("started", arn["executionArn"])


def worker(crew: Crew, client: Any, index: int) -> None:
    idle = 0
    while idle < 200:
        task = client.get_activity_task(activityArn=s.ACTIVITY, workerName=f"w{index}")
        if not task.get("taskToken"):
            idle = idle + 1 if crew.starters_done.is_set() else 0
            continue
        idle = 0
        with crew.lock:
            crew.tokens[task["taskToken"]] += 1
        client.send_task_heartbeat(taskToken=task["taskToken"])
        client.send_task_success(
            taskToken=task["taskToken"], output=json.dumps({"by": index, **json.loads(task["input"])})
        )
        crew.note("answered", task["taskToken"])


def describer(crew: Crew, client: Any, machine: str) -> None:
    terminal_seen: dict[str, str] = {}
    for _ in range(300):
        if crew.starters_done.is_set() and len(terminal_seen) == len(crew.started):
            return
        with crew.lock:
            arns = list(crew.started)
        for arn in arns[-10:]:
            status = client.describe_execution(executionArn=arn)["status"]
            if arn in terminal_seen:
                assert status == terminal_seen[arn], f"{arn} went from {terminal_seen[arn]} to {status}"
            elif status != "RUNNING":
                terminal_seen[arn] = status
        listed = client.list_executions(stateMachineArn=machine, maxResults=1000)["executions"]
        names = [item["name"] for item in listed]
        assert len(names) == len(set(names)), "an execution is listed twice"


def historian(crew: Crew, client: Any) -> None:
    for _ in range(60):
        with crew.lock:
            arns = list(crew.started)
        for arn in arns[-3:]:
            check_history(history(client, arn))


def clock_mover(crew: Crew, backend: fakesfn.Backend) -> None:
    for _ in range(2000):
        if crew.starters_done.is_set() and len(crew.answered) == len(crew.started):
            return
        backend.advance(1)
        backend.settle(max_seconds=2)
        assert backend.next_due() is None or backend.next_due() >= backend.clock.now()


def test_eight_threads_on_one_backend_lose_and_double_nothing():
    backend = fakesfn.Backend(seed=0)
    setup = client_on(backend)
    backend.register_lambda("double", lambda event, context: {"doubled": event["n"] * 2})
    setup.create_activity(name="worker")
    machine = setup.create_state_machine(name="job", definition=json.dumps(JOB), roleArn=s.ROLE)[
        "stateMachineArn"
    ]
    crew = Crew()
    shared = client_on(backend)
    threads = [
        threading.Thread(target=guarded(crew, starter), args=(crew, shared, machine, 0)),
        threading.Thread(target=guarded(crew, starter), args=(crew, client_on(backend), machine, 1)),
        threading.Thread(target=guarded(crew, worker), args=(crew, shared, 0)),
        threading.Thread(target=guarded(crew, worker), args=(crew, client_on(backend), 1)),
        threading.Thread(target=guarded(crew, worker), args=(crew, client_on(backend), 2)),
        threading.Thread(target=guarded(crew, describer), args=(crew, client_on(backend), machine)),
        threading.Thread(target=guarded(crew, historian), args=(crew, client_on(backend))),
        threading.Thread(target=guarded(crew, clock_mover), args=(crew, backend)),
    ]
    assert len(threads) == THREADS
    for thread in threads:
        thread.start()
    for thread in threads[:2]:
        thread.join(timeout=120)
    crew.starters_done.set()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), "a thread hangs: deadlock?"
    assert not crew.errors, crew.errors

    backend.settle()
    started = crew.started
    assert len(started) == len(set(started)) == 2 * JOBS_PER_STARTER
    assert all(count == 1 for count in crew.tokens.values()), "an activity task was handed out twice"
    assert len(crew.tokens) == len(crew.answered) == len(started), "an activity task was lost"
    listed = setup.list_executions(stateMachineArn=machine, maxResults=1000)["executions"]
    assert sorted(item["executionArn"] for item in listed) == sorted(started)
    for arn in started:
        check_agreement(setup, arn)
        described = setup.describe_execution(executionArn=arn)
        assert described["status"] == "SUCCEEDED", described
        assert json.loads(described["output"]) == {"doubled": 2 * json.loads(described["input"])["n"]}


def test_registering_lambdas_and_mocks_while_executions_run():
    backend = fakesfn.Backend(seed=1)
    setup = client_on(backend)
    task = {"Type": "Task", "Resource": f"arn:aws:lambda:{s.REGION}:{s.ACCOUNT}:function:f", "End": True}
    definition = json.dumps({"StartAt": "T", "States": {"T": task}})
    machine = setup.create_state_machine(name="m", definition=definition, roleArn=s.ROLE)["stateMachineArn"]
    crew = Crew()
    crew.barrier = threading.Barrier(4)

    def register(index: int) -> None:
        for number in range(50):
            backend.register_lambda("f", lambda event, context, n=number: {"version": n, "thread": index})

    def start(client: Any, index: int) -> None:
        for number in range(25):
            arn = client.start_execution(stateMachineArn=machine, name=f"s{index}-{number}")["executionArn"]
            crew.note("started", arn)

    backend.register_lambda("f", lambda event, context: {"version": -1})
    threads = [
        threading.Thread(target=guarded(crew, register), args=(0,)),
        threading.Thread(target=guarded(crew, register), args=(1,)),
        threading.Thread(target=guarded(crew, start), args=(client_on(backend), 0)),
        threading.Thread(target=guarded(crew, start), args=(client_on(backend), 1)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not crew.errors, crew.errors
    for arn in crew.started:
        described = setup.describe_execution(executionArn=arn)
        assert described["status"] == "SUCCEEDED"
        check_agreement(setup, arn)
