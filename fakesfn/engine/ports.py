"""The engine's ports: what it asks of the world around it, as typed protocols.

The engine runs executions; what a Task's resource does, where executions and Map
Runs are kept, how Amazon S3 is reached and who watches the states run are not its
business. It asks for them through these protocols, and the backend plugs in the
implementations (the integrations, the service's store) when it builds its
:class:`~fakesfn.engine.runtime.Runtime`. So the engine imports none of the layers
above it, and each port says exactly what crosses the boundary.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterator

    from fakesfn.asl.nodes import ChoiceState, State, StateMachine
    from fakesfn.engine.execution import ExecutionRecord
    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.map_run import MapRun
    from fakesfn.engine.signals import Signal
    from fakesfn.engine.tasks import TaskCall

TaskBody = Generator["Signal", Any, Any]
"""A running task: yields signals while it waits, returns the task's raw result."""


class TaskRunner(Protocol):
    """Runs a Task state's resource (the backend's integrations)."""

    def run_task(self, call: TaskCall) -> TaskBody:
        """Run ``call`` with the integration its resource names; return its raw result.

        Raises:
            StatesError: the task failed (the integration recorded its events).
        """
        ...


class ExecutionHost(Protocol):
    """Keeps what the engine starts on its own: a Distributed Map's child executions and Map Runs.

    The host (the service's store) is where the API finds them: ``DescribeExecution``,
    ``ListExecutions(mapRunArn=...)``, ``DescribeMapRun``.
    """

    def start_execution(self, execution: ExecutionRecord) -> None:
        """Keep ``execution`` and start it (at the runtime's next turn)."""
        ...

    def redrive_execution(self, execution: ExecutionRecord) -> None:
        """Continue a kept execution from where it stopped (a Map Run redrive)."""
        ...

    def add_map_run(self, map_run: MapRun) -> None:
        """Keep a Map Run."""
        ...


class ObjectStore(Protocol):
    """The Amazon S3 calls of one ``ItemReader`` or ``ResultWriter``; failures are ``StatesError``."""

    def get(self, bucket: Any, key: Any, version: Any = None) -> bytes:
        """The body of ``s3://bucket/key``."""
        ...

    def objects(self, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every object summary ``ListObjectsV2`` returns for ``params``, page after page."""
        ...

    def put(self, bucket: Any, key: str, body: bytes) -> None:
        """Write ``body`` to ``s3://bucket/key``."""
        ...


class ObjectStorage(Protocol):
    """Where a Distributed Map reads its items and writes its results (Amazon S3)."""

    def open(self, region: str, resource: str, error: str) -> ObjectStore:
        """The S3 calls of the reader or writer ``resource`` in ``region``.

        Args:
            region: the region of the execution running the Map state.
            resource: the ``ItemReader``/``ResultWriter`` resource (named in errors).
            error: the error name S3 failures become (``States.ItemReaderFailed``...).
        """
        ...


class StateObserver(Protocol):
    """Told what every execution of the runtime does, state by state (coverage, tracing).

    ``machine`` is the (sub-)machine being walked: the execution's own definition, a
    Parallel branch or a Map item processor. A Distributed Map's children and nested
    executions are executions of their own, with their own definitions. An observer
    must not change anything it is shown; the runtime calls it only when one is
    installed (``runtime.observer``), so without one it costs a ``None`` check.
    """

    def state_entered(self, execution: ExecutionRecord, machine: StateMachine, state: State) -> None:
        """``state`` of ``machine`` is about to run (its ``StateEntered`` is recorded next)."""
        ...

    def choice_taken(
        self, execution: ExecutionRecord, machine: StateMachine, state: ChoiceState, rule: int | None
    ) -> None:
        """A Choice state chose: ``rule`` is the index in ``Choices``, ``None`` for ``Default``."""
        ...

    def retried(self, execution: ExecutionRecord, machine: StateMachine, state: State, retrier: int) -> None:
        """The Retrier at index ``retrier`` of ``state``'s ``Retry`` retries it."""
        ...

    def caught(self, execution: ExecutionRecord, machine: StateMachine, state: State, catcher: int) -> None:
        """The Catcher at index ``catcher`` of ``state``'s ``Catch`` caught its error."""
        ...


class ResultInspector(Protocol):
    """Shown each state's result as output processing starts (TestState's inspection data)."""

    def __call__(self, run: StateRun[Any], raw_input: Any, result: Any, selected: Any) -> None:
        """``selected`` is ``None`` until ResultSelector has run, then its value."""
        ...
