"""Typed reads of one definition object, recording a problem for every bad field.

The parser asks a :class:`FieldReader` for each field in the shape it needs
(a string, a positive int, a path, a payload template...). A bad field becomes a
:class:`~fakesfn.asl.problems.Problem` at its JSON pointer and a harmless
default, so parsing continues and every problem is reported at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from fakesfn.asl import problems as msg
from fakesfn.asl.fields import other_language as other
from fakesfn.asl.nodes import JSONATA, JSONPATH, UNSET, Evaluable, Unset
from fakesfn.asl.paths import Path, PathSyntaxError, compile_path, compile_reference_path
from fakesfn.asl.payload import compile_payload
from fakesfn.asl.state_fields import warn_missing_dollar

if TYPE_CHECKING:
    from fakesfn.asl.problems import ProblemCollector

_LANGUAGES = (JSONPATH, JSONATA)

# AWS: "$states.result" exists only in a Task/Parallel/Map's Output and Assign, and
# "$states.errorOutput" only in a Catcher's Output and Assign; input and context
# are everywhere ("*" is $states as a whole).
_ALWAYS_STATES_FIELDS = frozenset({"input", "context", "*"})
_RESULT_FIELDS = frozenset({"Output", "Assign"})

_RESERVED_NAME = "states"
"""AWS: "Step Functions defines a single reserved variable called ``$states``"."""

_MAX_VARIABLE_NAME = 80


def _is_variable_name(name: str) -> bool:
    # Python identifiers are Unicode XID_Start/XID_Continue (plus a leading "_"),
    # AWS's rule for variable names.
    return 0 < len(name) <= _MAX_VARIABLE_NAME and name.isidentifier()


def _pointer(key: str) -> str:
    # RFC 6901 escaping: AWS's locations are JSON pointers.
    return key.replace("~", "~0").replace("/", "~1")


class FieldReader:
    """Reads the fields of one JSON object found at ``location``."""

    def __init__(self, raw: Mapping[str, Any], location: str, problems: ProblemCollector) -> None:
        self.raw = raw
        self.location = location
        self.problems = problems
        self.language = JSONPATH
        self.machine_language = JSONPATH
        self.provides_result = False
        self.in_catcher = False

    def at(self, key: str) -> str:
        """The JSON pointer of field ``key`` of this object."""
        base = "" if self.location == "/" else self.location
        return f"{base}/{key}"

    def child(self, raw: Any, name: str) -> FieldReader | None:
        """A reader for the object in field ``name`` (or list entry), same language."""
        where = self.at(name)
        if not isinstance(raw, Mapping):
            self.problems.schema("The value must be an object", where)
            return None
        sub = FieldReader(raw, where, self.problems)
        sub.language = self.language
        sub.machine_language = self.machine_language
        return sub

    def reject_unknown(self, allowed: frozenset[str], other_language: frozenset[str] = frozenset()) -> None:
        """Record a problem for each field the schema does not allow here.

        AWS locates these at the object holding the field, not at the field
        (floci issue #2735: "Field 'TimeoutSeconds' is not supported" at ``/States/M``).
        A field the other query language allows is worded as such (issue #2968).
        """
        for key in self.raw:
            if key in allowed:
                continue
            if key in other_language:
                message = msg.OTHER_LANGUAGE.format(
                    language=self.language, field=key, other=other(self.language)
                )
            else:
                message = msg.NOT_SUPPORTED.format(field=key)
            self.problems.schema(message, self.location)

    def only_one(self, *keys: str) -> None:
        """AWS: at most one of ``keys`` (an exclusive group such as TimeoutSeconds/TimeoutSecondsPath)."""
        present = [key for key in keys if key in self.raw]
        if len(present) > 1:
            self.problems.schema(msg.ONLY_ONE.format(fields=", ".join(present)), self.location)

    # scalars -------------------------------------------------------------------------

    def string(self, key: str) -> str | None:
        """A required string field."""
        value = self.raw.get(key)
        if value is None:
            self.problems.schema(msg.REQUIRED.format(fields=key), self.location)
            return None
        if not isinstance(value, str):
            self.problems.schema(f"The value for the field '{key}' must be a STRING", self.at(key))
            return None
        return value

    def optional_string(self, key: str) -> str | None:
        """An optional string field."""
        if key not in self.raw:
            return None
        value = self.raw[key]
        if not isinstance(value, str):
            self.problems.schema(f"The value for the field '{key}' must be a STRING", self.at(key))
            return None
        return value

    def positive_int(self, key: str, maximum: int | None = None) -> int | None:
        """An optional integer field that must be > 0 (and ≤ ``maximum``)."""
        if key not in self.raw:
            return None
        value = self.raw[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.schema(f"The value for the field '{key}' must be an INTEGER", self.at(key))
            return None
        if value <= 0:
            self.problems.schema(f"The value for the field '{key}' must be above 0", self.at(key))
            return None
        if maximum is not None and value > maximum:
            self.problems.schema(f"The value for the field '{key}' must be below {maximum + 1}", self.at(key))
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
            self.problems.schema(f"The value for the field '{key}' must be a {kind}", self.at(key))
            return None
        if value < minimum:
            self.problems.schema(
                f"The value for the field '{key}' must be at least {minimum:g}", self.at(key)
            )
            return None
        return value

    def enum(self, key: str, values: tuple[str, ...], *, default: str) -> str:
        """An optional field restricted to ``values``."""
        if key not in self.raw:
            return default
        value = self.raw[key]
        if value not in values:
            self.problems.schema(msg.ONE_OF.format(field=key, values=", ".join(values)), self.at(key))
            return default
        return str(value)

    def array(self, key: str, *, required: bool = False) -> list[Any]:
        """An array field (empty when absent and not required)."""
        if key not in self.raw:
            if required:
                self.problems.schema(msg.REQUIRED.format(fields=key), self.location)
            return []
        value = self.raw[key]
        if not isinstance(value, list):
            self.problems.schema(f"The value for the field '{key}' must be an ARRAY", self.at(key))
            return []
        return value

    # languages and transitions -------------------------------------------------------

    def query_language(self, key: str, inherited: str | None) -> str | None:
        """The machine-level QueryLanguage (JSONPath when absent)."""
        if key not in self.raw:
            return inherited or JSONPATH
        value = self.raw[key]
        if value not in _LANGUAGES:
            self.problems.schema(msg.ONE_OF.format(field=key, values=", ".join(_LANGUAGES)), self.at(key))
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
                msg.ONE_OF.format(field="QueryLanguage", values=", ".join(_LANGUAGES)),
                self.at("QueryLanguage"),
            )
            return machine_language
        if value == JSONPATH and (top_language or machine_language) == JSONATA:
            self.problems.schema(msg.DOWNGRADE, self.location)
        return str(value)

    def transition(self) -> tuple[str | None, bool]:
        """``Next`` / ``End``: exactly one of them."""
        has_next, has_end = "Next" in self.raw, "End" in self.raw
        if has_next and has_end:
            self.problems.schema(msg.ONLY_ONE.format(fields="Next, End"), self.location)
        if not has_next and not has_end:
            self.problems.schema("These fields are required: [Next or End]", self.location)
            return None, False
        if has_end:
            end = self.raw["End"]
            if end is not True:
                self.problems.schema("The value for the field 'End' must be true", self.at("End"))
            return None, True
        return self.string("Next"), False

    # paths and templates -------------------------------------------------------------

    def _compile(self, key: str, compile_fn: Callable[[str], Path]) -> Path | None:
        value = self.raw[key]
        if not isinstance(value, str):
            self.problems.schema(f"The value for the field '{key}' must be a valid JSONPath", self.at(key))
            return None
        try:
            return compile_fn(value)
        except PathSyntaxError:
            self.problems.schema(f"The value for the field '{key}' must be a valid JSONPath", self.at(key))
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
        if key not in self.raw:
            return None
        value = self.raw[key]
        if key == "ResultSelector" and not isinstance(value, Mapping):
            self.problems.schema(f"The value for the field '{key}' must be an OBJECT", self.at(key))
            return None
        warn_missing_dollar(value, self.at(key), self.problems)
        return compile_payload(value, self.at(key), self.problems)

    def assign(self) -> Any:
        """``Assign``, in the state's query language."""
        if "Assign" not in self.raw:
            return None
        value = self.raw["Assign"]
        if not isinstance(value, Mapping):
            self.problems.schema("The value for the field 'Assign' must be an OBJECT", self.at("Assign"))
            return None
        self._check_variable_names(value)
        if self.language == JSONATA:
            return self.jsonata_template("Assign")
        return self.payload("Assign")

    def _check_variable_names(self, assign: Mapping[str, Any]) -> None:
        """Refuse Assign keys that cannot name a variable.

        AWS ("Passing data between states with variables"): variable names follow the
        Unicode identifier rules (ID_Start, then ID_Continue), at most 80 characters,
        and ``$states`` is reserved. A JSONPath key's ``.$`` suffix is not part of the name.
        """
        for key in assign:
            name = key[:-2] if self.language == JSONPATH and key.endswith(".$") else key
            where = f"{self.at('Assign')}/{_pointer(key)}"
            if name == _RESERVED_NAME:
                self.problems.schema(msg.RESERVED_VARIABLE.format(name=name), where)
            elif not _is_variable_name(name):
                self.problems.schema(msg.VARIABLE_NAME.format(name=name), where)

    def jsonata_template(self, key: str) -> Any:
        """A JSONata template field (Arguments, Output, Assign...), compiled once."""
        if key not in self.raw:
            return None
        # Imported on first use: the JSONata engine costs ~100 ms to import.
        from fakesfn.asl.jsonata import JsonataSyntaxError, compile_template

        try:
            template = compile_template(self.raw[key])
        except JsonataSyntaxError as exc:
            self.problems.add(exc.code, exc.message, self.at(key) + exc.pointer)
            return None
        self._check_states_fields(template, key)
        return template

    def _check_states_fields(self, template: Any, key: str) -> None:
        """Refuse ``$states.result`` / ``$states.errorOutput`` where AWS does not offer them."""
        allowed = set(_ALWAYS_STATES_FIELDS)
        if key in _RESULT_FIELDS and self.provides_result:
            allowed.add("result")
        if key in _RESULT_FIELDS and self.in_catcher:
            allowed.add("errorOutput")
        for expression in template.expressions:
            for name in sorted(expression.states_fields - allowed):
                if name in ("result", "errorOutput"):
                    # House wording: no AWS recording pins this message.
                    self.problems.add(
                        msg.UNSUPPORTED_JSONATA,
                        f"Reference to '$states.{name}' is not supported in field '{key}'.",
                        self.at(key),
                    )

    def jsonata_or_int(self, key: str) -> Any:
        """A JSONata field that may also be a literal positive integer (TimeoutSeconds)."""
        if key not in self.raw:
            return None
        value = self.raw[key]
        if isinstance(value, str):
            return self.jsonata_template(key)
        if self.positive_int(key, maximum=99999999) is None:
            return None
        # Imported on first use: the JSONata engine costs ~100 ms to import.
        from fakesfn.asl.jsonata import compile_template

        return compile_template(value)

    # error handling ------------------------------------------------------------------

    def error_equals(self) -> tuple[str, ...]:
        """``ErrorEquals``: a non-empty array of strings; States.ALL must stand alone."""
        raw = self.array("ErrorEquals", required=True)
        names = tuple(name for name in raw if isinstance(name, str))
        if len(names) != len(raw):
            self.problems.schema(
                "The value for the field 'ErrorEquals' must be an array of strings", self.at("ErrorEquals")
            )
        if "ErrorEquals" in self.raw and not raw:
            self.problems.schema(msg.EMPTY, self.at("ErrorEquals"))
        if "States.ALL" in names and len(names) > 1:
            # ASL spec: "The reserved name 'States.ALL' ... must appear alone in the
            # 'ErrorEquals' array" (house wording for the message).
            self.problems.schema(
                "Error name 'States.ALL' must appear alone in an ErrorEquals array", self.at("ErrorEquals")
            )
        return names
