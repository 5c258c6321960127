"""Recording: a per-backend observer, and the :class:`Coverage` collector that backends report to.

A :class:`BackendRecorder` is installed on a backend as its runtime's
:class:`~fakesfn.engine.ports.StateObserver` (states entered, Choice rules taken,
retries, catches) and as its store's
:class:`~fakesfn.service.store.DefinitionWatcher` (every definition created or
updated, so machines never run still count in the totals). It writes into the
collector's :class:`~fakesfn.coverage.data.CoverageData`.

The engine reports a state with the parsed (sub-)machine holding it; the recorder
maps that object to its definition and path through an index built when the
definition was registered. A Distributed Map's child executions run the item
processor object of their parent's definition, so they count with their parent's
machine (at the Map state's path); a nested execution (``states:startExecution``)
runs its own machine's definition and counts there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.backend import watch_backends
from fakesfn.coverage.data import CoverageData
from fakesfn.coverage.inventory import CATCH, CHOICE, DEFAULT, RETRY, join, state_id, sub_machines

if TYPE_CHECKING:
    from collections.abc import Callable

    from fakesfn.asl.nodes import ChoiceState, State, StateMachine
    from fakesfn.backend import Backend
    from fakesfn.coverage.data import MachineData
    from fakesfn.coverage.report import CoverageReport
    from fakesfn.engine.execution import ExecutionRecord


class BackendRecorder:
    """Records one backend's definitions and what its executions do (a StateObserver)."""

    def __init__(self, data: CoverageData) -> None:
        self._data = data
        # id(parsed sub-machine) -> (its definition's entry, path prefix). The parsed
        # roots are kept alive in _roots, so no id can be reused while indexed.
        self._places: dict[int, tuple[MachineData, str]] = {}
        self._roots: list[StateMachine] = []

    def defined(self, name: str, machine: StateMachine) -> None:
        """A state machine was created or updated: index its definition."""
        entry = self._data.machine(name, machine.raw)
        for sub, prefix in sub_machines(machine):
            self._places.setdefault(id(sub), (entry, prefix))
        self._roots.append(machine)

    def _place(self, execution: ExecutionRecord, machine: StateMachine) -> tuple[MachineData, str]:
        found = self._places.get(id(machine))
        if found is None:
            # A machine defined before recording began (attached late): index the
            # execution's own definition now.
            self.defined(execution.state_machine_name, execution.machine)
            found = self._places.get(id(machine))
            if found is None:  # pragma: no cover - every machine walked is inside its execution's
                self.defined(execution.state_machine_name, machine)
                found = self._places[id(machine)]
        return found

    def state_entered(self, execution: ExecutionRecord, machine: StateMachine, state: State) -> None:
        """Count the state's entry."""
        entry, prefix = self._place(execution, machine)
        entry.hit(state_id(join(prefix, state.name)))

    def choice_taken(
        self, execution: ExecutionRecord, machine: StateMachine, state: ChoiceState, rule: int | None
    ) -> None:
        """Count the rule (or the Default) the Choice state took."""
        entry, prefix = self._place(execution, machine)
        path = join(prefix, state.name)
        entry.hit(f"{DEFAULT}:{path}" if rule is None else f"{CHOICE}:{path}:{rule}")

    def retried(self, execution: ExecutionRecord, machine: StateMachine, state: State, retrier: int) -> None:
        """Count one retry by the Retrier at index ``retrier``."""
        entry, prefix = self._place(execution, machine)
        entry.hit(f"{RETRY}:{join(prefix, state.name)}:{retrier}")

    def caught(self, execution: ExecutionRecord, machine: StateMachine, state: State, catcher: int) -> None:
        """Count one catch by the Catcher at index ``catcher``."""
        entry, prefix = self._place(execution, machine)
        entry.hit(f"{CATCH}:{join(prefix, state.name)}:{catcher}")


class Coverage:
    """Collects state-machine coverage from the backends it records.

    Record one backend with :meth:`attach`, or every backend built while
    :meth:`start` is in force (what ``pytest --sfn-cov`` does: fixtures,
    ``mock_sfn()`` and ``FakeSFNClient()`` all build backends). Then :meth:`report`::

        cov = Coverage()
        cov.start()
        ...                                  # run executions
        cov.stop()
        print(cov.report().text(missing=True))

    Attributes:
        data: what was recorded (mergeable: :meth:`CoverageData.merge`).
    """

    def __init__(self, data: CoverageData | None = None) -> None:
        self.data = data if data is not None else CoverageData()
        self._unwatch: Callable[[], None] | None = None

    def attach(self, backend: Backend) -> Backend:
        """Record ``backend`` from now on (its machines so far count in the totals); returns it.

        A backend records to one collector at a time: attaching it again moves it.
        """
        recorder = BackendRecorder(self.data)
        with backend.lock:
            for record in backend.store.state_machines.values():
                recorder.defined(record.name, record.definition.machine)
                for version in record.versions.values():
                    if version.definition is not record.definition:
                        recorder.defined(record.name, version.definition.machine)
            backend.runtime.observer = recorder
            backend.store.watcher = recorder
        return backend

    def _attach_new(self, backend: Backend) -> None:
        self.attach(backend)

    @staticmethod
    def detach(backend: Backend) -> None:
        """Stop recording ``backend`` (what it recorded stays)."""
        with backend.lock:
            backend.runtime.observer = None
            backend.store.watcher = None

    def start(self) -> None:
        """Record every backend built from now on, until :meth:`stop`."""
        if self._unwatch is None:
            self._unwatch = watch_backends(self._attach_new)

    def stop(self) -> None:
        """Stop attaching new backends (those attached keep recording until dropped or detached)."""
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None

    @property
    def started(self) -> bool:
        """Whether new backends are being attached."""
        return self._unwatch is not None

    def __enter__(self) -> Coverage:
        self.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    def report(self) -> CoverageReport:
        """What was exercised and what never was, per machine (see :class:`CoverageReport`)."""
        from fakesfn.coverage.report import CoverageReport

        return CoverageReport.of(self.data)


def record(backend: Backend) -> Coverage:
    """Start recording ``backend`` alone; returns its :class:`Coverage` (``fakesfn.coverage.record``)."""
    coverage = Coverage()
    coverage.attach(backend)
    return coverage
