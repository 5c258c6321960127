"""The parsed form of a definition: immutable, typed nodes, and each state type's facts.

A definition is parsed once (at create/update) into these frozen dataclasses,
with every path, payload template, intrinsic call and JSONata expression already
compiled. The engine reads them and never writes them: runtime counters (retry
attempts, map progress) live in the engine's own objects.

Each state class also says, as class attributes, what is true of every state of
its type: its ``Type`` name, the fields it accepts in each query language, whether
it can retry, whether it has a result. The parser, the interpreter and TestState
read these instead of keeping lists of type names.

Fields that exist only in one query language are ``None`` in the other; the
parser guarantees which combinations can occur.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Final, Protocol

from fakesfn.asl.distributed import NO_DISTRIBUTED_FIELDS, DistributedSpec

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from fakesfn.asl.choice import ChoiceRule
    from fakesfn.asl.paths import Path

JSONPATH: Final = "JSONPath"
JSONATA: Final = "JSONata"


class Unset:
    """Marker type for a field absent from the definition (distinct from JSON null)."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:  # noqa: D102 - a singleton: every Unset() is UNSET
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Final = Unset()


class Evaluable:
    """Something compiled that turns ``(value, env)`` into a JSON value.

    Payload templates, intrinsic calls and JSONata templates all implement
    ``evaluate``; nodes hold them behind this one shape.
    """

    is_constant: bool = False

    def evaluate(self, value: Any, env: Any) -> Any:  # pragma: no cover - interface
        """The JSON value this evaluates to."""
        raise NotImplementedError


class Template(Protocol):
    """A compiled JSONata template (Arguments, Output, Assign, Items...)."""

    def evaluate(self, states: Any, env: Any, field: str) -> Any:
        """The value for ``$states`` binding ``states``; ``field`` names it in errors."""
        ...

    def evaluate_as(self, states: Any, env: Any, field: str, expected: str) -> Any:
        """:meth:`evaluate`, an expression's result checked to be of JSON type ``expected``."""
        ...


@dataclass(frozen=True, slots=True)
class Retrier:
    """One entry of a state's ``Retry`` list."""

    error_equals: tuple[str, ...]
    interval_seconds: float = 1.0
    max_attempts: int = 3
    backoff_rate: float = 2.0
    max_delay_seconds: float | None = None
    jitter_strategy: str = "NONE"


@dataclass(frozen=True, slots=True)
class Catcher:
    """One entry of a state's ``Catch`` list."""

    error_equals: tuple[str, ...]
    next: str
    result_path: Path | None | Unset = UNSET
    output: Any = None
    assign: Any = None


_BASE: Final = frozenset({"Type", "Comment", "QueryLanguage"})
_JSONPATH_IO: Final = frozenset({"InputPath", "OutputPath"})
_JSONATA_IO: Final = frozenset({"Output"})
_TRANSITION: Final = frozenset({"Next", "End"})
_ERRORS: Final = frozenset({"Retry", "Catch"})


def _fields(jsonpath: Iterable[str], jsonata: Iterable[str]) -> Mapping[str, frozenset[str]]:
    """The fields a state type accepts, per query language (AWS's schema)."""
    return MappingProxyType({JSONPATH: frozenset(jsonpath), JSONATA: frozenset(jsonata)})


@dataclass(frozen=True, slots=True)
class State:
    """What every state type shares.

    Attributes:
        name: the state's key in ``States``.
        type: the ``Type`` field (the class's :attr:`TYPE`).
        query_language: the effective language, after inheriting the machine's.
        next: the ``Next`` target, or ``None`` for terminal states.
        end: whether this state ends its (sub-)machine.
        input_path: compiled ``InputPath``; ``None`` means JSON null (input ``{}``),
            :data:`UNSET` means absent (``$``).
        output_path: compiled ``OutputPath``, same conventions.
        parameters: compiled ``Parameters`` template (JSONPath).
        result_selector: compiled ``ResultSelector`` template (JSONPath).
        result_path: compiled ``ResultPath``; ``None`` discards the result.
        arguments: compiled ``Arguments`` (JSONata).
        output: compiled ``Output`` (JSONata).
        assign: compiled ``Assign`` (either language).
        retry: the Retriers in order.
        catch: the Catchers in order.

    Class attributes (one value per state type):
        TYPE: the ``Type`` name.
        FIELDS: query language -> the fields a state of this type accepts.
        CAN_RETRY: takes ``Retry`` and ``Catch``; ``$$.State.RetryCount`` exists in it.
        HAS_RESULT: has a result (``$states.result`` in its ``Output`` and ``Assign``).
        RECORDS_FAILED: records ``<Type>StateFailed`` when it fails.
    """

    TYPE: ClassVar[str] = ""
    FIELDS: ClassVar[Mapping[str, frozenset[str]]] = MappingProxyType({})
    CAN_RETRY: ClassVar[bool] = False
    HAS_RESULT: ClassVar[bool] = False
    RECORDS_FAILED: ClassVar[bool] = False

    name: str
    type: str = field(init=False)
    query_language: str = JSONPATH
    next: str | None = None
    end: bool = False
    comment: str | None = None
    input_path: Path | None | Unset = UNSET
    output_path: Path | None | Unset = UNSET
    parameters: Evaluable | None = None
    result_selector: Evaluable | None = None
    result_path: Path | None | Unset = UNSET
    arguments: Template | None = None
    output: Template | None = None
    assign: Any = None
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()

    def __post_init__(self) -> None:
        # The instance carries its type's name for the engine's hot paths (events are
        # named after it); the class says what it is.
        object.__setattr__(self, "type", self.TYPE)


@dataclass(frozen=True, slots=True)
class PassState(State):
    """``Type: Pass``."""

    TYPE: ClassVar[str] = "Pass"
    FIELDS: ClassVar[Mapping[str, frozenset[str]]] = _fields(
        _BASE | _JSONPATH_IO | _TRANSITION | {"Parameters", "Result", "ResultPath", "Assign"},
        _BASE | _JSONATA_IO | _TRANSITION | {"Assign"},
    )

    result: Any = UNSET


@dataclass(frozen=True, slots=True)
class TaskState(State):
    """``Type: Task``: ``resource`` says what runs (see :mod:`fakesfn.integrations`)."""

    TYPE: ClassVar[str] = "Task"
    FIELDS: ClassVar[Mapping[str, frozenset[str]]] = _fields(
        _BASE
        | _JSONPATH_IO
        | _TRANSITION
        | _ERRORS
        | {
            "Resource",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Credentials",
            "Assign",
        },
        _BASE
        | _JSONATA_IO
        | _TRANSITION
        | _ERRORS
        | {"Resource", "Arguments", "TimeoutSeconds", "HeartbeatSeconds", "Credentials", "Assign"},
    )
    CAN_RETRY: ClassVar[bool] = True
    HAS_RESULT: ClassVar[bool] = True

    resource: str = ""
    timeout_seconds: int | None = None
    timeout_seconds_path: Path | None = None
    timeout_expression: Template | None = None
    heartbeat_seconds: int | None = None
    heartbeat_seconds_path: Path | None = None
    heartbeat_expression: Template | None = None
    credentials: Any = None


@dataclass(frozen=True, slots=True)
class ChoiceJsonata:
    """A JSONata Choice rule: ``Condition`` plus target (and optional Assign/Output)."""

    condition: Template
    next: str
    assign: Template | None = None
    output: Template | None = None


@dataclass(frozen=True, slots=True)
class ChoiceState(State):
    """``Type: Choice``."""

    TYPE: ClassVar[str] = "Choice"
    FIELDS: ClassVar[Mapping[str, frozenset[str]]] = _fields(
        _BASE | _JSONPATH_IO | {"Choices", "Default", "Assign"},
        _BASE | _JSONATA_IO | {"Choices", "Default", "Assign"},
    )

    choices: tuple[ChoiceRule | ChoiceJsonata, ...] = ()
    default: str | None = None


@dataclass(frozen=True, slots=True)
class WaitState(State):
    """``Type: Wait``: exactly one of the four JSONPath forms, or a JSONata one."""

    TYPE: ClassVar[str] = "Wait"
    FIELDS: ClassVar[Mapping[str, frozenset[str]]] = _fields(
        _BASE
        | _JSONPATH_IO
        | _TRANSITION
        | {"Seconds", "Timestamp", "SecondsPath", "TimestampPath", "Assign"},
        _BASE | _JSONATA_IO | _TRANSITION | {"Seconds", "Timestamp", "Assign"},
    )

    seconds: int | None = None
    timestamp: str | None = None
    seconds_path: Path | None = None
    timestamp_path: Path | None = None
    seconds_expression: Template | None = None
    timestamp_expression: Template | None = None


@dataclass(frozen=True, slots=True)
class SucceedState(State):
    """``Type: Succeed``."""

    TYPE: ClassVar[str] = "Succeed"
    FIELDS: ClassVar[Mapping[str, frozenset[str]]] = _fields(_BASE | _JSONPATH_IO, _BASE | _JSONATA_IO)


@dataclass(frozen=True, slots=True)
class FailState(State):
    """``Type: Fail``."""

    TYPE: ClassVar[str] = "Fail"
    FIELDS: ClassVar[Mapping[str, frozenset[str]]] = _fields(
        _BASE | {"Error", "Cause", "ErrorPath", "CausePath"}, _BASE | {"Error", "Cause"}
    )

    error: str | None = None
    cause: str | None = None
    error_path: Evaluable | None = None
    cause_path: Evaluable | None = None
    error_expression: Template | None = None
    cause_expression: Template | None = None


@dataclass(frozen=True, slots=True)
class ParallelState(State):
    """``Type: Parallel``: each branch is a complete sub-machine."""

    TYPE: ClassVar[str] = "Parallel"
    FIELDS: ClassVar[Mapping[str, frozenset[str]]] = _fields(
        _BASE
        | _JSONPATH_IO
        | _TRANSITION
        | _ERRORS
        | {"Branches", "Parameters", "ResultSelector", "ResultPath", "Assign"},
        _BASE | _JSONATA_IO | _TRANSITION | _ERRORS | {"Branches", "Arguments", "Assign"},
    )
    CAN_RETRY: ClassVar[bool] = True
    HAS_RESULT: ClassVar[bool] = True
    RECORDS_FAILED: ClassVar[bool] = True

    branches: tuple[StateMachine, ...] = ()


@dataclass(frozen=True, slots=True)
class MapState(State):
    """``Type: Map``, inline or distributed.

    ``distributed`` holds its compiled ItemReader, ItemBatcher, ResultWriter and
    failure tolerance (set for inline Maps too: TestState evaluates them).
    """

    TYPE: ClassVar[str] = "Map"
    FIELDS: ClassVar[Mapping[str, frozenset[str]]] = _fields(
        _BASE
        | _JSONPATH_IO
        | _TRANSITION
        | _ERRORS
        | {
            "ItemProcessor",
            "Iterator",
            "ItemsPath",
            "ItemSelector",
            "Parameters",
            "MaxConcurrency",
            "MaxConcurrencyPath",
            "ResultSelector",
            "ResultPath",
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            "Label",
            "Assign",
        },
        _BASE
        | _JSONATA_IO
        | _TRANSITION
        | _ERRORS
        | {
            "ItemProcessor",
            "Items",
            "ItemSelector",
            "MaxConcurrency",
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "ToleratedFailurePercentage",
            "ToleratedFailureCount",
            "Label",
            "Assign",
            "Arguments",
        },
    )
    CAN_RETRY: ClassVar[bool] = True
    HAS_RESULT: ClassVar[bool] = True
    RECORDS_FAILED: ClassVar[bool] = True

    processor: StateMachine | None = None
    mode: str = "INLINE"
    execution_type: str | None = None
    items_path: Path | None | Unset = UNSET
    items: Any = None
    item_selector: Any = None
    max_concurrency: int = 0
    max_concurrency_path: Path | None = None
    max_concurrency_expression: Template | None = None
    distributed: DistributedSpec = NO_DISTRIBUTED_FIELDS
    label: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


STATE_TYPES: Final[Mapping[str, type[State]]] = MappingProxyType(
    {
        cls.TYPE: cls
        for cls in (
            PassState,
            TaskState,
            ChoiceState,
            WaitState,
            SucceedState,
            FailState,
            ParallelState,
            MapState,
        )
    }
)
"""``Type`` name -> the node class of that state type."""


@dataclass(frozen=True, slots=True)
class StateMachine:
    """A machine or sub-machine (Parallel branch, Map item processor).

    Attributes:
        start_at: the first state's name.
        states: name -> state, in definition order.
        query_language: the machine-level ``QueryLanguage``.
        timeout_seconds: the top-level ``TimeoutSeconds`` (executions only).
        comment: the ``Comment`` field.
        raw: the definition as parsed JSON (for TestState, graphs and redrive).
    """

    start_at: str
    states: dict[str, State]
    query_language: str = JSONPATH
    timeout_seconds: int | None = None
    comment: str | None = None
    version: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    def state(self, name: str) -> State:
        """The state called ``name`` (the parser guarantees it exists)."""
        return self.states[name]
