"""Typed reads of one definition object, recording a problem for every bad field.

The parser asks a :class:`FieldReader` for each field in the shape it needs
(a string, a positive int, a path, a payload template...). A bad field becomes a
:class:`~fakesfn.asl.problems.Problem` at its JSON pointer and a harmless
default, so parsing continues and every problem is reported at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from fakesfn.asl.nodes import JSONATA, JSONPATH, UNSET, Evaluable, StateMachine, Unset
from fakesfn.asl.paths import Path, PathSyntaxError, compile_path, compile_reference_path

if TYPE_CHECKING:
    from fakesfn.asl.problems import ProblemCollector

_LANGUAGES = (JSONPATH, JSONATA)


class FieldReader:
    """Reads the fields of one JSON object found at ``location``."""

    def __init__(self, raw: Mapping[str, Any], location: str, problems: ProblemCollector) -> None:
        self.raw = raw
        self.location = location
        self.problems = problems
        self.language = JSONPATH
        self.machine_language = JSONPATH

    def _at(self, key: str) -> str:
        base = "" if self.location == "/" else self.location
        return f"{base}/{key}"

    def child(self, raw: Any, name: str) -> FieldReader | None:
        """A reader for the object in field ``name`` (or list entry), same language."""
        where = self._at(name)
        if not isinstance(raw, Mapping):
            self.problems.schema("The value must be an object", where)
            return None
        sub = FieldReader(raw, where, self.problems)
        sub.language = self.language
        sub.machine_language = self.machine_language
        return sub

    def reject_unknown(self, allowed: frozenset[str]) -> None:
        """Record a problem for each field the schema does not allow here."""
        for key in self.raw:
            if key not in allowed:
                self.problems.schema(f"Field '{key}' is not supported", self._at(key))

    def forbid(self, *keys: str) -> None:
        """Record a problem for each of ``keys`` that is present."""
        for key in keys:
            if key in self.raw:
                self.problems.schema(f"Field '{key}' is not supported", self._at(key))

    # scalars -------------------------------------------------------------------------

    def string(self, key: str) -> str | None:
        """A required string field."""
        value = self.raw.get(key)
        if value is None:
            self.problems.schema(f"These fields are required: [{key}]", self.location)
            return None
        if not isinstance(value, str):
            self.problems.schema(f"The value for the field '{key}' must be a STRING", self._at(key))
            return None
        return value

    def optional_string(self, key: str) -> str | None:
        """An optional string field."""
        if key not in self.raw:
            return None
        value = self.raw[key]
        if not isinstance(value, str):
            self.problems.schema(f"The value for the field '{key}' must be a STRING", self._at(key))
            return None
        return value

    def positive_int(self, key: str, maximum: int | None = None) -> int | None:
        """An optional integer field that must be > 0 (and ≤ ``maximum``)."""
        if key not in self.raw:
            return None
        value = self.raw[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.schema(f"The value for the field '{key}' must be an INTEGER", self._at(key))
            return None
        if value <= 0:
            self.problems.schema(f"The value for the field '{key}' must be above 0", self._at(key))
            return None
        if maximum is not None and value > maximum:
            self.problems.schema(
                f"The value for the field '{key}' must be below {maximum + 1}", self._at(key)
            )
            return None
        return value

    def number(self, key: str, *, default: float, minimum: float, integer: bool = False) -> float:
        """An optional number field with a lower bound."""
        value = self.optional_number(key, minimum=minimum, integer=integer)
        return default if value is None else value

    def optional_number(self, key: str, *, minimum: float, integer: bool = False) -> float | None:
        """An optional number field with a lower bound, ``None`` when absent."""
        if key not in self.raw:
            return None
        value = self.raw[key]
        kind = "INTEGER" if integer else "NUMBER"
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or (integer and not isinstance(value, int))
        ):
            self.problems.schema(f"The value for the field '{key}' must be a {kind}", self._at(key))
            return None
        if value < minimum:
            self.problems.schema(
                f"The value for the field '{key}' must be at least {minimum:g}", self._at(key)
            )
            return None
        return value

    def enum(self, key: str, values: tuple[str, ...], *, default: str) -> str:
        """An optional field restricted to ``values``."""
        if key not in self.raw:
            return default
        value = self.raw[key]
        if value not in values:
            self.problems.schema(
                f"The value for the field '{key}' must be one of {list(values)}", self._at(key)
            )
            return default
        return str(value)

    def array(self, key: str, *, required: bool = False) -> list[Any]:
        """An array field (empty when absent and not required)."""
        if key not in self.raw:
            if required:
                self.problems.schema(f"These fields are required: [{key}]", self.location)
            return []
        value = self.raw[key]
        if not isinstance(value, list):
            self.problems.schema(f"The value for the field '{key}' must be an ARRAY", self._at(key))
            return []
        return value

    # languages and transitions -------------------------------------------------------

    def query_language(self, key: str, inherited: str | None) -> str | None:
        """The machine-level QueryLanguage (JSONPath when absent)."""
        if key not in self.raw:
            return inherited or JSONPATH
        value = self.raw[key]
        if value not in _LANGUAGES:
            self.problems.schema(
                f"The value for the field '{key}' must be one of {list(_LANGUAGES)}", self._at(key)
            )
            return JSONPATH
        return str(value)

    def state_query_language(self, machine_language: str, top_language: str | None) -> str:
        """The state's effective language: its own, else the machine's.

        AWS: a state may not go back to JSONPath when the whole machine is JSONata.
        """
        if "QueryLanguage" not in self.raw:
            return machine_language
        value = self.raw["QueryLanguage"]
        if value not in _LANGUAGES:
            self.problems.schema(
                f"The value for the field 'QueryLanguage' must be one of {list(_LANGUAGES)}",
                self._at("QueryLanguage"),
            )
            return machine_language
        if value == JSONPATH and (top_language or machine_language) == JSONATA:
            self.problems.schema(
                "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                self.location,
            )
        return str(value)

    def transition(self) -> tuple[str | None, bool]:
        """``Next`` / ``End``: exactly one of them."""
        has_next, has_end = "Next" in self.raw, "End" in self.raw
        if has_next and has_end:
            self.problems.schema("Only one of 'Next' or 'End' can be specified", self.location)
        if not has_next and not has_end:
            self.problems.schema("These fields are required: [Next or End]", self.location)
            return None, False
        if has_end:
            end = self.raw["End"]
            if end is not True:
                self.problems.schema("The value for the field 'End' must be true", self._at("End"))
            return None, True
        return self.string("Next"), False

    # paths and templates -------------------------------------------------------------

    def _compile(self, key: str, compile_fn: Callable[[str], Path]) -> Path | None:
        value = self.raw[key]
        if not isinstance(value, str):
            self.problems.schema(f"The value for the field '{key}' must be a valid JSONPath", self._at(key))
            return None
        try:
            return compile_fn(value)
        except PathSyntaxError:
            self.problems.schema(f"The value for the field '{key}' must be a valid JSONPath", self._at(key))
            return None

    def path_or_null(self, key: str) -> Path | None | Unset:
        """A Path field where JSON null is meaningful (InputPath, OutputPath, ItemsPath)."""
        if key not in self.raw:
            return UNSET
        if self.raw[key] is None:
            return None
        return self._compile(key, lambda text: compile_path(text, allow_variables=True)) or UNSET

    def reference_path(self, key: str) -> Path | None:
        """An optional Path field (SecondsPath, TimeoutSecondsPath...)."""
        if key not in self.raw:
            return None
        return self._compile(key, compile_path)

    def result_path(self, key: str) -> Path | None | Unset:
        """``ResultPath``: absent, JSON null (discard the result), or a Reference Path."""
        if key not in self.raw:
            return UNSET
        if self.raw[key] is None:
            return None
        return self._compile(key, compile_reference_path) or UNSET

    def payload(self, key: str) -> Evaluable | None:
        """A JSONPath payload template (Parameters, ResultSelector, ItemSelector)."""
        from fakesfn.asl.payload import compile_payload

        if key not in self.raw:
            return None
        value = self.raw[key]
        if key == "ResultSelector" and not isinstance(value, Mapping):
            self.problems.schema(f"The value for the field '{key}' must be an OBJECT", self._at(key))
            return None
        return compile_payload(value, self._at(key), self.problems)

    def assign(self) -> Any:
        """``Assign``, in the state's query language."""
        if "Assign" not in self.raw:
            return None
        value = self.raw["Assign"]
        if not isinstance(value, Mapping):
            self.problems.schema("The value for the field 'Assign' must be an OBJECT", self._at("Assign"))
            return None
        if self.language == JSONATA:
            return self.jsonata_template("Assign")
        return self.payload("Assign")

    def jsonata_template(self, key: str) -> Any:
        """A JSONata template field (Arguments, Output, Assign...), compiled once."""
        if key not in self.raw:
            return None
        from fakesfn.asl.jsonata import JsonataSyntaxError, compile_template

        try:
            return compile_template(self.raw[key])
        except JsonataSyntaxError as exc:
            self.problems.add(exc.code, exc.message, self._at(key) + exc.pointer)
            return None

    def jsonata_or_int(self, key: str) -> Any:
        """A JSONata field that may also be a literal positive integer (TimeoutSeconds)."""
        if key not in self.raw:
            return None
        value = self.raw[key]
        if isinstance(value, str):
            return self.jsonata_template(key)
        if self.positive_int(key, maximum=99999999) is None:
            return None
        from fakesfn.asl.jsonata import compile_template

        return compile_template(value)

    def check_timeouts(self) -> None:
        """A Task may not have both a literal and a path form of the same timeout."""
        for literal, path in (
            ("TimeoutSeconds", "TimeoutSecondsPath"),
            ("HeartbeatSeconds", "HeartbeatSecondsPath"),
        ):
            if literal in self.raw and path in self.raw:
                self.problems.schema(f"Only one of '{literal}' or '{path}' can be specified", self.location)

    # error handling ------------------------------------------------------------------

    def error_equals(self) -> tuple[str, ...]:
        """``ErrorEquals``: a non-empty array of strings; States.ALL must stand alone."""
        raw = self.array("ErrorEquals", required=True)
        names = tuple(name for name in raw if isinstance(name, str))
        if len(names) != len(raw):
            self.problems.schema(
                "The value for the field 'ErrorEquals' must be an array of strings", self._at("ErrorEquals")
            )
        if "ErrorEquals" in self.raw and not raw:
            self.problems.schema("The field 'ErrorEquals' must not be empty", self._at("ErrorEquals"))
        if "States.ALL" in names and len(names) > 1:
            self.problems.schema(
                "Error name 'States.ALL' must appear alone in an ErrorEquals array", self._at("ErrorEquals")
            )
        return names

    # state-type specifics ------------------------------------------------------------

    def choice_rules(self) -> tuple[Any, ...]:
        """The ``Choices`` array, compiled for the state's language."""
        from fakesfn.asl.nodes import ChoiceJsonata

        rules: list[Any] = []
        raw_rules = self.array("Choices", required=True)
        if "Choices" in self.raw and not raw_rules:
            self.problems.schema("The field 'Choices' must not be empty", self._at("Choices"))
        for i, raw in enumerate(raw_rules):
            where = self._at(f"Choices[{i}]")
            if self.language == JSONATA:
                sub = self.child(raw, f"Choices[{i}]")
                if sub is None:
                    continue
                sub.reject_unknown(frozenset({"Condition", "Next", "Assign", "Output", "Comment"}))
                condition = sub.jsonata_template("Condition") if "Condition" in raw else None
                if condition is None:
                    self.problems.schema("These fields are required: [Condition]", where)
                    continue
                rules.append(
                    ChoiceJsonata(
                        condition, sub.string("Next") or "", sub.assign(), sub.jsonata_template("Output")
                    )
                )
            else:
                from fakesfn.asl.choice import compile_choice_rule

                if not isinstance(raw, Mapping):
                    self.problems.schema("The value must be an object", where)
                    continue
                rule = compile_choice_rule(raw, where, self.problems, top_level=True)
                if rule is not None:
                    rules.append(rule)
        return tuple(rules)

    def wait_fields(self) -> dict[str, Any]:
        """The one timing field of a Wait state."""
        present = [k for k in ("Seconds", "Timestamp", "SecondsPath", "TimestampPath") if k in self.raw]
        if len(present) != 1:
            self.problems.schema(
                "A Wait state must contain exactly one of "
                "'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'",
                self.location,
            )
        out: dict[str, Any] = {}
        if self.language == JSONATA:
            for key, name in (("Seconds", "seconds_expression"), ("Timestamp", "timestamp_expression")):
                if key in self.raw:
                    if isinstance(self.raw[key], str):
                        out[name] = self.jsonata_template(key)
                    elif key == "Seconds":
                        out["seconds"] = self._wait_seconds()
                    else:
                        self.problems.schema(
                            "The value for the field 'Timestamp' must be a STRING", self._at(key)
                        )
            return out
        if "Seconds" in self.raw:
            out["seconds"] = self._wait_seconds()
        if "Timestamp" in self.raw:
            out["timestamp"] = self._timestamp_literal()
        out["seconds_path"] = self.reference_path("SecondsPath")
        out["timestamp_path"] = self.reference_path("TimestampPath")
        return out

    def _wait_seconds(self) -> int | None:
        value = self.raw["Seconds"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problems.schema(
                "The value for the field 'Seconds' must be a non-negative INTEGER", self._at("Seconds")
            )
            return None
        return value

    def _timestamp_literal(self) -> str | None:
        from fakesfn.asl.timestamps import parse_timestamp

        value = self.raw["Timestamp"]
        if not isinstance(value, str) or parse_timestamp(value) is None:
            self.problems.schema(
                "The value for the field 'Timestamp' must be a valid timestamp", self._at("Timestamp")
            )
            return None
        return value

    def fail_fields(self) -> dict[str, Any]:
        """Error/Cause of a Fail state, literal or computed."""
        out: dict[str, Any] = {}
        for key, literal, dynamic in (("Error", "error", "error_path"), ("Cause", "cause", "cause_path")):
            path_key = f"{key}Path"
            if key in self.raw and path_key in self.raw:
                self.problems.schema(f"Only one of '{key}' or '{path_key}' can be specified", self.location)
            if key in self.raw:
                value = self.raw[key]
                if self.language == JSONATA and isinstance(value, str):
                    from fakesfn.asl.jsonata import is_expression

                    if is_expression(value):
                        out[f"{literal}_expression"] = self.jsonata_template(key)
                        continue
                out[literal] = self.optional_string(key)
            if path_key in self.raw:
                out[dynamic] = self._dynamic_string(path_key)
        return out

    def _dynamic_string(self, key: str) -> Evaluable | None:
        """A field whose value is a path or an intrinsic call (ErrorPath, CausePath)."""
        from fakesfn.asl.payload import PayloadTemplate, compile_dynamic_value

        evaluator = compile_dynamic_value(self.raw[key], key, self._at(key), self.problems)
        return PayloadTemplate(evaluator, self.raw[key], False)

    def map_fields(self, parse_machine: Callable[..., StateMachine | None]) -> dict[str, Any]:
        """Everything specific to a Map state."""
        from fakesfn.asl.maps import read_map_fields

        return read_map_fields(self, parse_machine)
