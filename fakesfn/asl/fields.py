"""Which fields a definition's objects accept, per query language (AWS's schema, as data).

A state type's own fields are its node class's :attr:`~fakesfn.asl.nodes.State.FIELDS`;
the machine, Retrier, Catcher and ProcessorConfig objects' are here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from fakesfn.asl.nodes import State

TOP_LEVEL: Final = frozenset({"StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"})
SUB_MACHINE: Final = frozenset({"StartAt", "States", "Comment", "ProcessorConfig"})
RETRIER: Final = frozenset(
    {
        "ErrorEquals",
        "IntervalSeconds",
        "MaxAttempts",
        "BackoffRate",
        "MaxDelaySeconds",
        "JitterStrategy",
        "Comment",
    }
)
CATCHER_JSONPATH: Final = frozenset({"ErrorEquals", "Next", "ResultPath", "Assign", "Comment"})
CATCHER_JSONATA: Final = frozenset({"ErrorEquals", "Next", "Output", "Assign", "Comment"})


def allowed_fields(node_class: type[State], language: str) -> frozenset[str]:
    """The fields a state of ``node_class`` may carry in ``language`` (its :attr:`~State.FIELDS`)."""
    return node_class.FIELDS[language]


def other_language(language: str) -> str:
    """The query language that is not ``language``."""
    return "JSONata" if language == "JSONPath" else "JSONPath"


def other_language_fields(node_class: type[State], language: str) -> frozenset[str]:
    """Fields ``node_class`` accepts only in the *other* language.

    AWS words these differently from unknown fields: "The QueryLanguage is set to
    'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage".
    """
    return node_class.FIELDS[other_language(language)] - node_class.FIELDS[language]


PROCESSOR_CONFIG: Final = frozenset({"Mode", "ExecutionType"})
