"""ASL paths: parsed once, evaluated many times.

AWS evaluates JSONPath with Jayway semantics. Three roots exist: ``$`` (the state's
current value), ``$$`` (the Context object) and ``$name`` (a workflow variable).
A *definite* path (only names and indexes) yields one value and fails when a step
is missing; an *indefinite* one (wildcards, slices, filters, deep scan) yields the
list of every match, possibly empty.

Definite paths, by far the most common, are evaluated by a direct walk over a
tuple of steps. Anything else is compiled once by :mod:`fakesfn.asl.jsonpath`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import ErrorName, StateFieldError, StatesError
from fakesfn.asl.jsonpath import Query, QuerySyntaxError, compile_query
from fakesfn.payload import dump

if TYPE_CHECKING:
    from fakesfn.asl.context import Env

MISSING: Final = object()
"""Sentinel for "no value here": distinct from JSON ``null`` (``None``)."""

# AWS: variable names are Unicode identifiers (a letter or "_", then letters, digits, "_").
_VARIABLE_NAME = re.compile(r"[^\W\d]\w*")
_DOT_NAME = re.compile(r"\.([^.\[\]\s()*?@,:'\"]+)")
_BRACKET_NAME = re.compile(r"\[\s*(?:'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\")\s*\]")
_BRACKET_INDEX = re.compile(r"\[\s*(-?\d+)\s*\]")


class PathSyntaxError(ValueError):
    """A path text that is not a valid ASL path."""


class PathNotFound(Exception):
    """A definite path with a missing step. The caller words the AWS message."""

    def __init__(self, path: Path) -> None:
        super().__init__(path.text)
        self.path = path


@dataclass(frozen=True, slots=True)
class Path:
    """A compiled ASL path.

    Attributes:
        text: the path as written in the definition.
        root: ``"$"``, ``"$$"`` or ``"var"``.
        variable: the variable name when ``root == "var"``.
        steps: the name/index steps of a definite path, else ``None``.
        definite: whether the path names a single node.
    """

    text: str
    root: str
    variable: str | None
    steps: tuple[str | int, ...] | None
    definite: bool
    _query: Any = None

    def get(self, value: Any, env: Env | None = None) -> Any:
        """The value the path selects; raises :class:`PathNotFound` if a step is missing."""
        found = self.find(value, env)
        if found is MISSING:
            raise PathNotFound(self)
        return found

    def find(self, value: Any, env: Env | None = None) -> Any:
        """The value the path selects, or :data:`MISSING`."""
        if self.root == "$$":
            if env is None:
                return MISSING
            value = env.context_object()
        elif self.root == "var":
            if env is None:
                return MISSING
            value = env.variables.get(self.variable or "", MISSING)
            if value is MISSING:
                return MISSING
        steps = self.steps
        if steps is not None:
            for step in steps:
                if type(step) is str:
                    if type(value) is not dict:
                        return MISSING
                    value = value.get(step, MISSING)
                    if value is MISSING:
                        return MISSING
                else:
                    if type(value) is not list:
                        return MISSING
                    try:
                        value = value[step]  # type: ignore[index]
                    except IndexError:
                        return MISSING
            return value
        matches = self._query.find(value)
        if self.definite:
            return matches[0] if matches else MISSING
        return matches

    def not_found(self, value: Any, env: Env | None = None) -> str:
        """Jayway's words for a definite path that selected nothing from ``value``.

        A missing property *before* the last step is "Missing property in path
        $['a']" (the path up to it; recorded: test_catch_states_runtime); anything
        else is "No results for path: $['a']['b']" (the whole path; recorded:
        test_invalid_jsonpath_*).
        """
        steps = self.steps
        if steps:
            node = self._root_value(value, env)
            walked = self._head()
            for step in steps[:-1]:
                if type(step) is not str or type(node) is not dict:
                    break
                walked += f"['{step}']"
                if step not in node:
                    return f"Missing property in path {walked}"
                node = node[step]
        return f"No results for path: {self.normalized()}"

    def _root_value(self, value: Any, env: Env | None) -> Any:
        if self.root == "$$":
            return env.context_object() if env is not None else MISSING
        if self.root == "var":
            return env.variables.get(self.variable or "", MISSING) if env is not None else MISSING
        return value

    def _head(self) -> str:
        return {"$": "$", "$$": "$$", "var": f"${self.variable}"}[self.root]

    def normalized(self) -> str:
        """The path in Jayway's normalized form (``$['a'][0]``) used in AWS messages."""
        if self.steps is None:
            return self.text
        parts = [f"[{s}]" if isinstance(s, int) else f"['{s}']" for s in self.steps]
        return self._head() + "".join(parts)


def refers_to_invalid(field: str, value: Any, path: Path, kind: str) -> StateFieldError:
    """AWS's failure for a ``<field>`` path whose value is not a valid ``kind`` of number.

    AWS quotes the value's text, whatever its type: ``"NoNumber"``, ``"{}"``, ``"1.5"``
    (recorded: test_max_concurrency_path[NoNumber], ...tolerated_failure_count_path,
    ...csv_max_items_paths[1.5]).
    """
    text = value if isinstance(value, str) else "null" if value is MISSING else dump(value)
    return StateFieldError(
        f'The {field} field refers to value "{text}" which is not a valid {kind}: {path.text}'
    )


def is_path(text: object) -> bool:
    """Whether ``text`` looks like a path (starts with ``$``)."""
    return isinstance(text, str) and text.startswith("$")


@functools.lru_cache(maxsize=4096)
def compile_path(text: str, *, allow_variables: bool = True) -> Path:
    """Parse an ASL path once. Raises :class:`PathSyntaxError` when it is not one."""
    if not text.startswith("$"):
        raise PathSyntaxError(f"path must start with '$': {text!r}")
    if text.startswith("$$"):
        root, variable, rest = "$$", None, text[2:]
    elif len(text) > 1 and text[1] not in ".[":
        match = _VARIABLE_NAME.match(text, 1)
        if not match or not allow_variables:
            raise PathSyntaxError(f"invalid path: {text!r}")
        root, variable, rest = "var", match.group(0), text[match.end() :]
    else:
        root, variable, rest = "$", None, text[1:]
    steps = _simple_steps(rest)
    if steps is not None:
        return Path(text, root, variable, steps, True)
    return Path(text, root, variable, None, _definite(rest), _jsonpath_query(rest))


def _simple_steps(rest: str) -> tuple[str | int, ...] | None:
    steps: list[str | int] = []
    pos = 0
    while pos < len(rest):
        if rest.startswith(".[", pos):
            # Jayway reads a dot before a bracket as the bracket alone ($.['a'] is $['a']).
            pos += 1
        match = _DOT_NAME.match(rest, pos)
        if match:
            steps.append(match.group(1))
        else:
            match = _BRACKET_NAME.match(rest, pos)
            if match:
                # Jayway unescapes only the enclosing quote: any other backslash is
                # part of the name (recorded: ESCAPE_SEQUENCES_JSONPATH).
                if match.group(1) is not None:
                    steps.append(match.group(1).replace("\\'", "'"))
                else:
                    steps.append(match.group(2).replace('\\"', '"'))
            else:
                match = _BRACKET_INDEX.match(rest, pos)
                if not match:
                    return None
                index = int(match.group(1))
                if index < 0:
                    return None
                steps.append(index)
        pos = match.end()
    return tuple(steps)


def _definite(rest: str) -> bool:
    return not any(marker in rest for marker in ("*", "..", "?(", ":", ","))


def _jsonpath_query(rest: str) -> Query:
    try:
        return compile_query(rest)
    except QuerySyntaxError as exc:
        raise PathSyntaxError(f"invalid path: ${rest!r}: {exc}") from None


def compile_reference_path(text: str) -> Path:
    """Parse a Reference Path (ResultPath): ``$`` root and a single definite node only."""
    path = compile_path(text, allow_variables=False)
    if path.root != "$" or path.steps is None:
        raise PathSyntaxError(f"invalid reference path: {text!r}")
    return path


def set_path(target: Any, path: Path, value: Any) -> Any:
    """Return a copy of ``target`` with ``value`` placed at reference ``path``.

    Missing objects along the way are created; AWS refuses to step into a value that
    is not an object with ``States.ResultPathMatchFailure``. ``target`` itself is not
    modified: the containers along the path are shallow-copied.
    """
    steps = path.steps or ()
    if not steps:
        return value
    return _set_steps(target, steps, 0, value, path)


def _set_steps(node: Any, steps: tuple[str | int, ...], i: int, value: Any, path: Path) -> Any:
    step = steps[i]
    last = i == len(steps) - 1
    if isinstance(step, int):
        if not isinstance(node, list) or step >= len(node):
            raise _result_path_failure(path, node)
        copy: Any = list(node)
    else:
        if not isinstance(node, dict):
            raise _result_path_failure(path, node)
        copy = dict(node)
    if last:
        copy[step] = value
    else:
        child = copy[step] if (isinstance(step, int) or step in copy) else {}
        copy[step] = _set_steps(child, steps, i + 1, value, path)
    return copy


def _result_path_failure(path: Path, node: Any) -> StatesError:
    import json

    return StatesError(
        ErrorName.RESULT_PATH_MATCH_FAILURE.value,
        f'Unable to apply ResultPath "{path.text}" to input {json.dumps(node, separators=(",", ":"))}',
    )
