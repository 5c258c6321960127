"""Definition problems: what makes a state machine definition invalid.

Parsing and validation collect every :class:`Problem` they find (with its JSON
pointer location) instead of stopping at the first; the service layer renders
them into AWS's ``InvalidDefinition`` message and the
``validate_state_machine_definition`` diagnostics.

AWS's wording lives here, one constant per message. Where a constant's text was
measured on AWS its docstring says where; the others keep the house style of the
measured ones and are marked "house wording".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Sequence

SCHEMA: Final = "SCHEMA_VALIDATION_FAILED"
MISSING_TRANSITION_TARGET: Final = "MISSING_TRANSITION_TARGET"
MISSING_END_STATE: Final = "MISSING_END_STATE"
INVALID_JSON: Final = "INVALID_JSON_DESCRIPTION"
UNSUPPORTED_JSONATA: Final = "UNSUPPORTED_JSONATA_EXPRESSION"

REQUIRED: Final = "These fields are required: [{fields}]"
"""Recorded (test_sfn_api_validation INVALID_BASE_NO_STARTAT): at the object that lacks them."""

NOT_SUPPORTED: Final = "Field '{field}' is not supported"
"""Measured by floci (issue #2735): located at the object holding the field (``/States/M``)."""

OTHER_LANGUAGE: Final = (
    "The QueryLanguage is set to '{language}', but field '{field}' "
    "is only supported for the '{other}' QueryLanguage"
)
"""Measured by floci (issue #2968): located at the state."""

DOWNGRADE: Final = "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine"
"""Recorded (test_sfn_api_validation INVALID_DOWNGRADE_QUERY_LANGUAGE): located at the state."""

VARIABLE_NAME: Final = (
    "The variable name '{name}' is invalid: a variable name starts with a letter or '_', "
    "continues with letters, digits or '_', and has at most 80 characters"
)
"""House wording for AWS's rule (Unicode ID_Start then ID_Continue, at most 80 characters):
located at the Assign key (``/States/S/Assign/1x``)."""

RESERVED_VARIABLE: Final = "The variable name '{name}' is reserved and cannot be assigned"
"""House wording: AWS reserves ``$states``; located at the Assign key."""

ONLY_ONE: Final = "There should only be one of the following fields: [{fields}]"
"""Measured by another emulator's maintainers for MaxItems/MaxItemsPath; used for every exclusive pair."""

ONE_OF: Final = "The field '{field}' should have one of these values: [{values}]"
"""Recorded (TestState test_state_name_invalid_state_definition, for ``Type``): at the field."""

STATE_TYPES: Final = ("Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map")
"""The state types in the order AWS lists them in :data:`ONE_OF`."""

EMPTY: Final = "Value cannot be empty"
"""Recorded (TestState test_parallel_state_empty_branches, for ``Branches``): a required array
that is empty, at the field."""

MUST_BE: Final = "The value for the field '{field}' must be {kind}"
"""House wording for a field of the wrong type or range."""

LABEL_TOO_LONG: Final = "The value for the field 'Label' can't exceed 40 characters"
"""House wording for AWS's documented Label rule (state-map-distributed: "Labels can't exceed 40
characters in length, must be unique within a state machine definition, and can't contain" the
characters of :data:`LABEL_CHARACTER`); AWS's own message is unrecorded."""

LABEL_CHARACTER: Final = "The value for the field 'Label' can't contain the character {character}"
"""House wording: whitespace, ``? *``, ``< > { } [ ]``, ``: ; , \\ | ^ ~ $ # % & ` "`` and the
control characters U+0000-U+001F and U+007F-U+009F are refused (documented)."""

LABEL_REUSED: Final = "The Label '{label}' is already used by another Map state of this state machine"
"""House wording for the documented uniqueness rule, located at the second Map state's Label."""

CREDENTIALS_ROLE: Final = "The field 'RoleArn' is required but was missing"
"""Recorded (credentials test_invalid_credentials_field): located at ``/States/S/Credentials``."""

UNKNOWN_RESOURCE: Final = (
    "The resource provided {arn} is not recognized. The value is not a valid resource ARN, "
    "or the resource is not available in this region."
)
"""Recorded (services test_dynamodb_task_service test_invalid_integration): at ``.../Resource``."""

MISSING_TARGET: Final = "Missing 'Next' target: {target}"
"""Measured by floci (PR #2786): at ``/States/A/Next``, ``.../Choices[0]/Next``, ``.../Default``."""

UNREACHABLE: Final = 'State "{name}" is not reachable.'
"""Measured by floci (issue #2735): code MISSING_TRANSITION_TARGET, at ``/States/C``."""

NO_TERMINAL: Final = "Workflow has no terminal state"
"""Measured by floci (issue #2735): code MISSING_END_STATE, no location ("at null" when refused)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a definition.

    Attributes:
        code: AWS's diagnostic code (``SCHEMA_VALIDATION_FAILED``,
            ``MISSING_TRANSITION_TARGET``, ``MISSING_END_STATE``...).
        message: the human text, in AWS's wording.
        location: a JSON pointer into the definition (``/States/A/Next``), or "" for none.
        severity: ``ERROR`` or ``WARNING`` (warnings never refuse a definition).
    """

    code: str
    message: str
    location: str = ""
    severity: str = "ERROR"

    def render(self) -> str:
        """``CODE: message at /location`` as AWS writes one problem in ``InvalidDefinition``.

        AWS writes a missing location as ``null`` ("MISSING_END_STATE: Workflow has no
        terminal state at null", measured by floci issue #2735); a JSON syntax message
        carries its own position instead.
        """
        if self.code == INVALID_JSON:
            return f"{self.code}: {self.message}"
        return f"{self.code}: {self.message} at {self.location or 'null'}"


def definition_message(problems: Sequence[Problem]) -> str:
    """AWS's ``InvalidDefinition`` message: every ERROR, each with its own code, joined by ", "."""
    errors = [p for p in problems if p.severity == "ERROR"]
    return "Invalid State Machine Definition: '" + ", ".join(p.render() for p in errors) + "'"


class DefinitionError(Exception):
    """A definition with at least one ERROR problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.message())

    def message(self) -> str:
        """AWS's ``InvalidDefinition`` message for these problems."""
        return definition_message(self.problems)


class ProblemCollector:
    """Accumulates problems while a definition is walked."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, code: str, message: str, location: str = "", severity: str = "ERROR") -> None:
        """Record one problem."""
        self.problems.append(Problem(code, message, location, severity))

    def schema(self, message: str, location: str) -> None:
        """Record a ``SCHEMA_VALIDATION_FAILED`` problem."""
        self.add(SCHEMA, message, location)

    def warn(self, code: str, message: str, location: str) -> None:
        """Record a WARNING (AWS: ``NO_DOLLAR``, ``NO_PATH``, ``PASS_RESULT_IS_STATIC``)."""
        self.add(code, message, location, "WARNING")

    @property
    def has_errors(self) -> bool:
        """Whether any ERROR problem was recorded."""
        return any(p.severity == "ERROR" for p in self.problems)

    def raise_if_errors(self) -> None:
        """Raise :class:`DefinitionError` when any ERROR problem was recorded."""
        if self.has_errors:
            raise DefinitionError(self.problems)
