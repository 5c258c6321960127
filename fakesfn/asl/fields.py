"""Which fields each state type accepts, per query language (AWS's schema, as data)."""

from __future__ import annotations

from typing import Final

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

_BASE = {"Type", "Comment", "QueryLanguage"}
_JSONPATH_IO = {"InputPath", "OutputPath"}
_JSONATA_IO = {"Output"}
_TRANSITION = {"Next", "End"}
_ERRORS = {"Retry", "Catch"}

_BY_TYPE: Final[dict[tuple[str, str], frozenset[str]]] = {
    ("Pass", "JSONPath"): frozenset(
        _BASE | _JSONPATH_IO | _TRANSITION | {"Parameters", "Result", "ResultPath", "Assign"}
    ),
    ("Pass", "JSONata"): frozenset(_BASE | _JSONATA_IO | _TRANSITION | {"Assign"}),
    ("Task", "JSONPath"): frozenset(
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
        }
    ),
    ("Task", "JSONata"): frozenset(
        _BASE
        | _JSONATA_IO
        | _TRANSITION
        | _ERRORS
        | {"Resource", "Arguments", "TimeoutSeconds", "HeartbeatSeconds", "Credentials", "Assign"}
    ),
    ("Choice", "JSONPath"): frozenset(_BASE | _JSONPATH_IO | {"Choices", "Default", "Assign"}),
    ("Choice", "JSONata"): frozenset(_BASE | _JSONATA_IO | {"Choices", "Default", "Assign"}),
    ("Wait", "JSONPath"): frozenset(
        _BASE
        | _JSONPATH_IO
        | _TRANSITION
        | {"Seconds", "Timestamp", "SecondsPath", "TimestampPath", "Assign"}
    ),
    ("Wait", "JSONata"): frozenset(_BASE | _JSONATA_IO | _TRANSITION | {"Seconds", "Timestamp", "Assign"}),
    ("Succeed", "JSONPath"): frozenset(_BASE | _JSONPATH_IO),
    ("Succeed", "JSONata"): frozenset(_BASE | _JSONATA_IO),
    ("Fail", "JSONPath"): frozenset(_BASE | {"Error", "Cause", "ErrorPath", "CausePath"}),
    ("Fail", "JSONata"): frozenset(_BASE | {"Error", "Cause"}),
    ("Parallel", "JSONPath"): frozenset(
        _BASE
        | _JSONPATH_IO
        | _TRANSITION
        | _ERRORS
        | {"Branches", "Parameters", "ResultSelector", "ResultPath", "Assign"}
    ),
    ("Parallel", "JSONata"): frozenset(
        _BASE | _JSONATA_IO | _TRANSITION | _ERRORS | {"Branches", "Arguments", "Assign"}
    ),
    ("Map", "JSONPath"): frozenset(
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
        }
    ),
    ("Map", "JSONata"): frozenset(
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
        }
    ),
}


def allowed_fields(state_type: str, language: str) -> frozenset[str]:
    """The fields a state of ``state_type`` may carry in ``language``."""
    return _BY_TYPE[(state_type, language)]


def other_language(language: str) -> str:
    """The query language that is not ``language``."""
    return "JSONata" if language == "JSONPath" else "JSONPath"


def other_language_fields(state_type: str, language: str) -> frozenset[str]:
    """Fields ``state_type`` accepts only in the *other* language.

    AWS words these differently from unknown fields: "The QueryLanguage is set to
    'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage".
    """
    return _BY_TYPE[(state_type, other_language(language))] - _BY_TYPE[(state_type, language)]


CREDENTIALS_JSONPATH: Final = frozenset({"RoleArn", "RoleArn.$"})
CREDENTIALS_JSONATA: Final = frozenset({"RoleArn"})
PROCESSOR_CONFIG: Final = frozenset({"Mode", "ExecutionType"})
