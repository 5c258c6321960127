"""The fake's world: every record the Step Functions API reads and writes.

One :class:`Store` per backend; nothing lives at module level. Records are plain
mutable dataclasses because the API mutates them (update, tag, delete); parsed
definitions inside them are immutable and shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from fakesfn.engine import lifecycle
from fakesfn.engine.map_run import MapRuns

if TYPE_CHECKING:
    from fakesfn.asl.nodes import StateMachine
    from fakesfn.clock import VirtualClock
    from fakesfn.engine.execution import ExecutionRecord
    from fakesfn.engine.map_run import MapRun
    from fakesfn.engine.runtime import Runtime
    from fakesfn.integrations.services import TaskServices
    from fakesfn.random import SeededRandom


@dataclass(slots=True)
class Definition:
    """A definition as stored: the text the user sent and its parsed form."""

    text: str
    machine: StateMachine


@dataclass(slots=True)
class VersionRecord:
    """A published, immutable version of a state machine.

    ``revision_id`` is the machine's revision it was published from (``None``
    for the initial revision, which AWS never names).
    """

    arn: str
    number: int
    definition: Definition
    role_arn: str
    type: str
    description: str | None
    revision_id: str | None
    creation_date: float
    logging_configuration: dict[str, Any]
    tracing_configuration: dict[str, Any]
    encryption_configuration: dict[str, Any]


@dataclass(slots=True)
class AliasRecord:
    """A named pointer to one or two versions with routing weights."""

    arn: str
    name: str
    description: str | None
    routing: list[dict[str, Any]]
    creation_date: float
    update_date: float


@dataclass(slots=True)
class StateMachineRecord:
    """A state machine and everything hanging off it.

    ``revision_id`` is ``None`` until the first update that changes something:
    AWS assigns no revision id at creation (describe omits it, and
    PublishStateMachineVersion calls that revision ``INITIAL``).
    ``created_with`` keeps the create-only parameters (``publish``,
    ``versionDescription``) that CreateStateMachine's idempotency check compares.
    """

    arn: str
    name: str
    type: str
    definition: Definition
    role_arn: str
    creation_date: float
    revision_id: str | None
    logging_configuration: dict[str, Any]
    tracing_configuration: dict[str, Any]
    encryption_configuration: dict[str, Any]
    created_with: tuple[bool, str | None] = (False, None)
    status: str = "ACTIVE"
    versions: dict[int, VersionRecord] = field(default_factory=dict)
    next_version: int = 1
    aliases: dict[str, AliasRecord] = field(default_factory=dict)
    update_date: float | None = None


@dataclass(slots=True)
class ActivityRecord:
    """An activity: a named queue of tasks that workers poll."""

    arn: str
    name: str
    creation_date: float
    encryption_configuration: dict[str, Any]


class DefinitionWatcher(Protocol):
    """Told of every definition a state machine takes (coverage needs the ones never run too)."""

    def defined(self, name: str, machine: StateMachine) -> None:
        """State machine ``name`` now has the parsed definition ``machine`` (created or updated)."""
        ...


@dataclass(slots=True)
class Store:
    """Everything one backend knows, plus the clock, randomness, runtime and integrations it runs on.

    It is the runtime's :class:`~fakesfn.engine.ports.ExecutionHost`: the executions
    and Map Runs a Distributed Map starts are kept here, where the API finds them.

    Attributes:
        services: the backend's integrations (task tokens, mocks, registered handlers).
        map_runs: every Map Run, by ARN.
        watcher: told of every definition created or updated; ``None`` (the default) costs a check.
    """

    clock: VirtualClock
    random: SeededRandom
    runtime: Runtime
    services: TaskServices
    state_machines: dict[str, StateMachineRecord] = field(default_factory=dict)
    activities: dict[str, ActivityRecord] = field(default_factory=dict)
    executions: dict[str, ExecutionRecord] = field(default_factory=dict)
    map_runs: MapRuns = field(default_factory=MapRuns)
    tags: dict[str, dict[str, str]] = field(default_factory=dict)
    watcher: DefinitionWatcher | None = None

    def defined(self, record: StateMachineRecord) -> None:
        """``record`` was created, or its definition updated: tell the watcher, if any."""
        if self.watcher is not None:
            self.watcher.defined(record.name, record.definition.machine)

    def start_execution(self, execution: ExecutionRecord) -> None:
        """Keep ``execution`` and set it running."""
        self.executions[execution.arn] = execution
        lifecycle.start(self.runtime, execution)

    def redrive_execution(self, execution: ExecutionRecord) -> None:
        """Continue a kept execution from where it stopped."""
        lifecycle.redrive(self.runtime, execution)

    def add_map_run(self, map_run: MapRun) -> None:
        """Keep a Map Run."""
        self.map_runs.add(map_run)
