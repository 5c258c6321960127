"""JSONPath queries with Jayway's semantics, parsed and evaluated by fakesfn itself.

AWS evaluates JSONPath with the Jayway library. jsonpath-ng, which fakesfn used
before, changed its answers between releases (``$[*]`` over an object gave the
object itself up to 1.9 and its members from 1.10, ``&&`` filters parse only from
1.10, and 1.10 needs Python 3.11), so the answers a user got depended on the
interpreter pip ran on. This module is the one meaning: the paths
:mod:`fakesfn.asl.paths` cannot walk directly (wildcards, slices, unions, deep
scans, filters, negative indexes) are parsed here once and evaluated without
recursion over the data, so a payload's depth never meets the interpreter's stack.

Semantics, Jayway's where it is known:

- ``[*]`` and ``.*`` select an array's elements or an object's member values; a
  scalar has none.
- ``[i]``, ``[i,j]`` and ``[start:end:step]`` select from arrays only; an index
  outside the array selects nothing; a negative one counts from the end.
- ``..name`` / ``..*`` / ``..[...]`` apply the selector to the node and to every
  node below it, in Jayway's order (the node first, then each child's subtree).
- ``[?(...)]`` keeps the array elements the filter accepts; over an object it
  keeps the object itself if the filter accepts it (Jayway's rule).
- Filters: ``@`` paths (the candidate) and ``$`` paths (the document), literals
  (numbers, quoted strings, ``true``, ``false``, ``null``, arrays for ``in``),
  ``== != < <= > >=``, ``=~`` (``/regex/flags`` must match the whole text; a quoted
  pattern is searched for), ``in``, ``nin``, ``&&``, ``||``, ``!`` and parentheses.
  A comparison whose operand is missing is false (so its ``!=`` is true); ``==``
  never equates a number with a string; ``<`` and friends compare two numbers or
  two strings, and anything else is false.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Callable

_MISSING: Final = object()

_NAME: Final = re.compile(r"[^.\[\]\s()*?@,:'\"!=<>&|~]+")
_INT: Final = re.compile(r"-?\d+")
_NUMBER: Final = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_SLICE: Final = re.compile(r"(-?\d+)?\s*:\s*(-?\d+)?(?:\s*:\s*(-?\d+)?)?")
_QUOTED: Final = {"'": re.compile(r"'((?:[^'\\]|\\.)*)'"), '"': re.compile(r'"((?:[^"\\]|\\.)*)"')}
_REGEX: Final = re.compile(r"/((?:[^/\\]|\\.)*)/([imsx]*)")
_COMPARISONS: Final = ("==", "!=", "<=", ">=", "<", ">", "=~", "=")
_WORD_OPERATORS: Final = ("nin", "in")
_LITERAL_WORDS: Final = {"true": True, "false": False, "null": None}
_MAX_FILTER_NESTING: Final = 32
"""House bound on parentheses and ``!`` inside one filter, so parsing never recurses without end."""


class QuerySyntaxError(ValueError):
    """A path text this grammar does not accept."""


# --- the compiled form --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Selector:
    """One bracket or dot step: what it selects from a single node."""

    kind: str  # "names", "wildcard", "indexes", "slice", "filter"
    names: tuple[str, ...] = ()
    indexes: tuple[int, ...] = ()
    bounds: tuple[int | None, int | None, int | None] = (None, None, None)
    predicate: Any = None


@dataclass(frozen=True, slots=True)
class _Step:
    selector: _Selector
    deep: bool


@dataclass(frozen=True, slots=True)
class Query:
    """A compiled path: its steps, applied in turn to every node selected so far."""

    steps: tuple[_Step, ...]

    def find(self, document: Any) -> list[Any]:
        """Every value the path selects in ``document``, in Jayway's order."""
        return _run(self.steps, document, document)


def compile_query(rest: str) -> Query:
    """The query for the part of a path after its root (``$``, ``$$`` or ``$name``)."""
    parser = _Parser(rest)
    steps = parser.steps(stop_at_filter_end=False)
    if parser.pos != len(rest):
        raise QuerySyntaxError(f"unexpected {rest[parser.pos :]!r}")
    return Query(steps)


# --- evaluation ----------------------------------------------------------------------


def _run(steps: tuple[_Step, ...], start: Any, document: Any) -> list[Any]:
    nodes = [start]
    for step in steps:
        selected: list[Any] = []
        for node in nodes:
            if step.deep:
                for visited in _descendants_or_self(node):
                    _select(step.selector, visited, document, selected)
            else:
                _select(step.selector, node, document, selected)
        nodes = selected
    return nodes


def _descendants_or_self(node: Any) -> list[Any]:
    """The node, then each child's subtree in order: an explicit stack, not recursion."""
    order: list[Any] = []
    stack = [node]
    while stack:
        current = stack.pop()
        order.append(current)
        if type(current) is dict:
            stack.extend(reversed(list(current.values())))
        elif type(current) is list:
            stack.extend(reversed(current))
    return order


def _select(selector: _Selector, node: Any, document: Any, out: list[Any]) -> None:
    kind = selector.kind
    if kind == "names":
        if type(node) is dict:
            out.extend(node[name] for name in selector.names if name in node)
    elif kind == "wildcard":
        if type(node) is dict:
            out.extend(node.values())
        elif type(node) is list:
            out.extend(node)
    elif kind == "indexes":
        if type(node) is list:
            size = len(node)
            out.extend(node[i] for i in selector.indexes if -size <= i < size)
    elif kind == "slice":
        if type(node) is list:
            start, end, step = selector.bounds
            out.extend(node[start:end:step])
    elif type(node) is list:
        out.extend(item for item in node if selector.predicate.accepts(item, document))
    elif type(node) is dict and selector.predicate.accepts(node, document):
        out.append(node)


@dataclass(frozen=True, slots=True)
class _Operand:
    """A filter operand: a literal, or a path from ``@`` (the candidate) or ``$`` (the document)."""

    literal: Any = _MISSING
    root: str = ""
    query: Query | None = None
    definite: bool = True

    def value(self, candidate: Any, document: Any) -> Any:
        if self.query is None:
            return self.literal
        found = self.query.find(candidate if self.root == "@" else document)
        if self.definite:
            return found[0] if found else _MISSING
        return found


@dataclass(frozen=True, slots=True)
class _Compare:
    left: _Operand
    operator: str
    right: _Operand | None = None
    pattern: re.Pattern[str] | None = None
    whole: bool = False

    def accepts(self, candidate: Any, document: Any) -> bool:
        left = self.left.value(candidate, document)
        if self.operator == "exists":
            return left is not _MISSING
        if self.operator == "=~":
            return _regex_matches(self, left)
        assert self.right is not None
        right = self.right.value(candidate, document)
        if self.operator == "!=":
            return not _equal(left, right)
        if left is _MISSING or right is _MISSING:
            return False
        if self.operator == "==":
            return _equal(left, right)
        if self.operator in ("in", "nin"):
            found = type(right) is list and any(_equal(left, item) for item in right)
            return found if self.operator == "in" else not found
        return _ordered(left, self.operator, right)


def _regex_matches(compare: _Compare, value: Any) -> bool:
    if type(value) is not str or compare.pattern is None:
        return False
    if compare.whole:
        return compare.pattern.fullmatch(value) is not None
    return compare.pattern.search(value) is not None


def _is_number(value: Any) -> bool:
    return type(value) in (int, float)


def _equal(left: Any, right: Any) -> bool:
    if left is _MISSING or right is _MISSING:
        return False
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    if type(left) is not type(right):
        return False
    return bool(left == right)


def _ordered(left: Any, operator: str, right: Any) -> bool:
    both_numbers = _is_number(left) and _is_number(right)
    if not both_numbers and not (type(left) is str and type(right) is str):
        return False
    if operator == "<":
        return bool(left < right)
    if operator == "<=":
        return bool(left <= right)
    if operator == ">":
        return bool(left > right)
    return bool(left >= right)


@dataclass(frozen=True, slots=True)
class _Not:
    inner: Any

    def accepts(self, candidate: Any, document: Any) -> bool:
        return not self.inner.accepts(candidate, document)


@dataclass(frozen=True, slots=True)
class _All:
    parts: tuple[Any, ...]

    def accepts(self, candidate: Any, document: Any) -> bool:
        return all(part.accepts(candidate, document) for part in self.parts)


@dataclass(frozen=True, slots=True)
class _Any:
    parts: tuple[Any, ...]

    def accepts(self, candidate: Any, document: Any) -> bool:
        return any(part.accepts(candidate, document) for part in self.parts)


# --- parsing -------------------------------------------------------------------------


class _Parser:
    """A recursive-descent parser over the path text; filters nest at most 32 levels."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.nesting = 0

    def fail(self, what: str) -> QuerySyntaxError:
        shown = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        return QuerySyntaxError(f"{what} at position {self.pos} of {shown!r}")

    def peek(self, token: str) -> bool:
        return self.text.startswith(token, self.pos)

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def expect(self, token: str) -> None:
        self.skip_spaces()
        if not self.peek(token):
            raise self.fail(f"expected {token!r}")
        self.pos += len(token)

    def steps(self, *, stop_at_filter_end: bool) -> tuple[_Step, ...]:
        steps: list[_Step] = []
        while self.pos < len(self.text):
            if stop_at_filter_end and not (self.peek(".") or self.peek("[")):
                break
            if self.peek(".."):
                self.pos += 2
                steps.append(_Step(self.after_dot(deep=True), True))
            elif self.peek("."):
                self.pos += 1
                steps.append(_Step(self.after_dot(deep=False), False))
            elif self.peek("["):
                steps.append(_Step(self.bracket(), False))
            else:
                raise self.fail("expected '.' or '['")
        return tuple(steps)

    def after_dot(self, *, deep: bool) -> _Selector:
        if self.peek("*"):
            self.pos += 1
            return _Selector("wildcard")
        if self.peek("["):
            # Jayway reads a bracket after a dot as the bracket alone: `$.a.[0]` is `$.a[0]`
            # (a public sample writes `$.Snapshots.[0].State`).
            return self.bracket()
        match = _NAME.match(self.text, self.pos)
        if match is None:
            raise self.fail("expected a member name")
        self.pos = match.end()
        return _Selector("names", names=(match.group(0),))

    def bracket(self) -> _Selector:
        self.pos += 1  # "["
        self.skip_spaces()
        if self.peek("*"):
            self.pos += 1
            selector = _Selector("wildcard")
        elif self.peek("?"):
            self.pos += 1
            self.expect("(")
            selector = _Selector("filter", predicate=self.nested(self.disjunction))
            self.expect(")")
        elif self.peek("'") or self.peek('"'):
            selector = _Selector("names", names=self.names())
        else:
            selector = self.numeric()
        self.expect("]")
        return selector

    def names(self) -> tuple[str, ...]:
        names = [self.quoted()]
        self.skip_spaces()
        while self.peek(","):
            self.pos += 1
            self.skip_spaces()
            names.append(self.quoted())
            self.skip_spaces()
        return tuple(names)

    def quoted(self) -> str:
        quote = self.text[self.pos : self.pos + 1]
        pattern = _QUOTED.get(quote)
        match = pattern.match(self.text, self.pos) if pattern else None
        if match is None:
            raise self.fail("expected a quoted name")
        self.pos = match.end()
        # Jayway unescapes only the enclosing quote (recorded: ESCAPE_SEQUENCES_JSONPATH).
        return match.group(1).replace("\\" + quote, quote)

    def numeric(self) -> _Selector:
        match = _SLICE.match(self.text, self.pos)
        if match is not None and ":" in match.group(0):
            self.pos = match.end()
            start, end, step = (int(part) if part is not None else None for part in match.groups())
            if step == 0:
                raise self.fail("a slice step of 0")
            return _Selector("slice", bounds=(start, end, step))
        indexes = [self.integer()]
        self.skip_spaces()
        while self.peek(","):
            self.pos += 1
            self.skip_spaces()
            indexes.append(self.integer())
            self.skip_spaces()
        return _Selector("indexes", indexes=tuple(indexes))

    def integer(self) -> int:
        match = _INT.match(self.text, self.pos)
        if match is None:
            raise self.fail("expected an index")
        self.pos = match.end()
        return int(match.group(0))

    # Filters: disjunction := conjunction ("||" conjunction)*; conjunction := unary ("&&" unary)*

    def disjunction(self) -> Any:
        parts = [self.conjunction()]
        while self.operator_follows("||"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else _Any(tuple(parts))

    def conjunction(self) -> Any:
        parts = [self.unary()]
        while self.operator_follows("&&"):
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else _All(tuple(parts))

    def operator_follows(self, operator: str) -> bool:
        self.skip_spaces()
        if self.peek(operator):
            self.pos += len(operator)
            return True
        return False

    def unary(self) -> Any:
        self.skip_spaces()
        if self.peek("!") and not self.peek("!="):
            self.pos += 1
            return _Not(self.nested(self.unary))
        if self.peek("("):
            self.pos += 1
            inner = self.nested(self.disjunction)
            self.expect(")")
            return inner
        return self.comparison()

    def nested(self, parse: Callable[[], Any]) -> Any:
        """``parse()`` one level deeper: filters, parentheses and ``!`` nest at most 32 levels."""
        if self.nesting >= _MAX_FILTER_NESTING:
            raise self.fail("a filter nested too deeply")
        self.nesting += 1
        try:
            return parse()
        finally:
            self.nesting -= 1

    def comparison(self) -> _Compare:
        left = self.operand()
        self.skip_spaces()
        operator = next((op for op in _COMPARISONS if self.peek(op)), None)
        if operator is None:
            operator = next((op for op in _WORD_OPERATORS if self.word(op)), None)
            if operator is None:
                if left.query is None:
                    raise self.fail("a literal alone is not a filter")
                return _Compare(left, "exists")
        else:
            self.pos += len(operator)
        self.skip_spaces()
        if operator == "=~":
            return self.regex(left)
        return _Compare(left, "==" if operator == "=" else operator, self.operand())

    def word(self, word: str) -> bool:
        end = self.pos + len(word)
        if self.text[self.pos : end] == word and not self.text[end : end + 1].isalnum():
            self.pos = end
            return True
        return False

    def regex(self, left: _Operand) -> _Compare:
        match = _REGEX.match(self.text, self.pos)
        if match is not None:
            self.pos = match.end()
            flags = 0
            for letter in match.group(2):
                flags |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}[letter]
            return _Compare(left, "=~", pattern=self.compiled(match.group(1), flags), whole=True)
        right = self.operand()
        if type(right.literal) is not str:
            raise self.fail("=~ needs a /regex/ or a quoted pattern")
        return _Compare(left, "=~", pattern=self.compiled(right.literal, 0))

    def compiled(self, pattern: str, flags: int) -> re.Pattern[str]:
        try:
            return re.compile(pattern, flags)
        except re.error as error:
            raise self.fail(f"an invalid regular expression ({error})") from None

    def operand(self) -> _Operand:
        self.skip_spaces()
        if self.peek("@") or self.peek("$"):
            root = self.text[self.pos]
            self.pos += 1
            steps = self.steps(stop_at_filter_end=True)
            return _Operand(root=root, query=Query(steps), definite=_single_indexes(steps))
        return _Operand(literal=self.literal())

    def literal(self) -> Any:
        if self.peek("'") or self.peek('"'):
            return self.quoted()
        for word, value in _LITERAL_WORDS.items():
            if self.word(word):
                return value
        if self.peek("["):
            return self.array()
        match = _NUMBER.match(self.text, self.pos)
        if match is None:
            raise self.fail("expected a value")
        self.pos = match.end()
        text = match.group(0)
        if match.group(1) is None and match.group(2) is None:
            return int(text)
        number = float(text)
        if not math.isfinite(number):
            raise self.fail("a number beyond a double")
        return number

    def array(self) -> list[Any]:
        self.pos += 1  # "["
        items: list[Any] = []
        self.skip_spaces()
        if self.peek("]"):
            self.pos += 1
            return items
        while True:
            self.skip_spaces()
            if self.peek("["):
                raise self.fail("a nested array in a filter")
            items.append(self.literal())
            self.skip_spaces()
            if self.peek("]"):
                self.pos += 1
                return items
            self.expect(",")


def _single_indexes(steps: tuple[_Step, ...]) -> bool:
    """Whether every step names one member or one index: the operand is one value, not a list."""
    return all(
        not step.deep
        and (
            (step.selector.kind == "names" and len(step.selector.names) == 1)
            or (step.selector.kind == "indexes" and len(step.selector.indexes) == 1)
        )
        for step in steps
    )
