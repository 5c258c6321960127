r"""JavaScript regular-expression syntax, read into nodes without recursion.

AWS evaluates JSONata with jsonata-js, so a regex literal (``/ab+c/i``) is a
JavaScript regular expression (ECMAScript, without the ``u`` flag, with the
web-compatibility leniencies of Annex B: a ``{`` that starts no quantifier is a
literal, ``\8`` is the digit 8...). :func:`parse` reads one into the nodes below,
which :mod:`fakesfn.asl.jsonata.regex` compiles and matches with a bounded
number of steps. Groups may nest :data:`MAX_REGEX_NESTING` deep (house rule).

A malformed pattern raises :class:`RegexSyntaxError` worded as JavaScript's
``SyntaxError`` is ("Invalid regular expression: /(/: Unterminated group").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Final

MAX_REGEX_NESTING: Final = 50
"""How deeply groups may nest in one pattern (house rule)."""

MAX_REPEAT: Final = 1000
"""The largest count a ``{n,m}`` quantifier may give (house rule: it is expanded)."""

LINE_TERMINATORS: Final = frozenset("\n\r\u2028\u2029")
_SPACES: Final = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_WORD: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_DIGITS: Final = frozenset("0123456789")
_CONTROL_ESCAPES: Final = {"n": "\n", "r": "\r", "t": "\t", "v": "\v", "f": "\f"}


class RegexSyntaxError(ValueError):
    """A pattern JavaScript refuses; the message is JavaScript's."""


CharTest = Callable[[str], bool]


def is_word(char: str) -> bool:
    r"""JavaScript's ``\w`` (ASCII letters, digits and ``_``)."""
    return char in _WORD


_CLASS_ESCAPES: Final[dict[str, CharTest]] = {
    "d": lambda c: c in _DIGITS,
    "D": lambda c: c not in _DIGITS,
    "w": lambda c: c in _WORD,
    "W": lambda c: c not in _WORD,
    "s": lambda c: c in _SPACES,
    "S": lambda c: c not in _SPACES,
}


@dataclass(frozen=True, slots=True)
class Char:
    """One character: a literal (``literal``), or one ``test`` accepts (rejects, if ``negate``).

    A class keeps its negation apart from its members: with the ``i`` flag,
    JavaScript folds the case of the members first and negates afterwards.
    """

    literal: str | None = None
    test: CharTest | None = None
    negate: bool = False


@dataclass(frozen=True, slots=True)
class Seq:
    """Items matched one after the other."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Alt:
    """Options tried in order."""

    options: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Group:
    """A group: capturing (``index`` from 1) or not (``index`` None)."""

    index: int | None
    body: Node


@dataclass(frozen=True, slots=True)
class Repeat:
    """``body`` at least ``low`` and at most ``high`` (None: unbounded) times."""

    body: Node
    low: int
    high: int | None
    greedy: bool


@dataclass(frozen=True, slots=True)
class Assert:
    """``^``, ``$``, ``b`` (word boundary) or ``B``."""

    kind: str


@dataclass(frozen=True, slots=True)
class Look:
    """A lookahead or lookbehind, positive or negative."""

    behind: bool
    negate: bool
    body: Node


@dataclass(frozen=True, slots=True)
class Backref:
    r"""``\1`` or ``\k<name>``: the text a capturing group matched."""

    index: int


Node = Char | Seq | Alt | Group | Repeat | Assert | Look | Backref


@dataclass(slots=True)
class Parsed:
    """A parsed pattern: its node and how many capturing groups it has (names by index)."""

    node: Node
    groups: int
    names: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _Open:
    """A group being read: its kind, and the alternatives read so far."""

    kind: str
    index: int | None = None
    options: list[list[Node]] = field(default_factory=lambda: [[]])


class _Reader:
    __slots__ = ("source", "at", "groups", "names", "total_groups", "named_total")

    def __init__(self, source: str) -> None:
        self.source = source
        self.at = 0
        self.groups = 0
        self.names: dict[str, int] = {}
        self.total_groups, self.named_total = _count_groups(source)

    def fail(self, reason: str) -> RegexSyntaxError:
        return RegexSyntaxError(f"Invalid regular expression: /{self.source}/: {reason}")

    def peek(self, offset: int = 0) -> str:
        at = self.at + offset
        return self.source[at] if at < len(self.source) else ""


def parse(source: str) -> Parsed:
    """Read a JavaScript pattern (the text between the slashes)."""
    reader = _Reader(source)
    stack = [_Open("root")]
    text = source
    while reader.at < len(text):
        char = text[reader.at]
        current = stack[-1].options[-1]
        if char == "(":
            if len(stack) > MAX_REGEX_NESTING:
                raise reader.fail(f"Groups nested more than {MAX_REGEX_NESTING} deep")
            stack.append(_open_group(reader))
        elif char == ")":
            if len(stack) == 1:
                raise reader.fail("Unmatched ')'")
            reader.at += 1
            node = _close_group(stack.pop())
            stack[-1].options[-1].append(node)
        elif char == "|":
            reader.at += 1
            stack[-1].options.append([])
        elif char in "*+?{" and _quantifier_at(reader):
            _apply_quantifier(reader, current)
        else:
            current.append(_atom(reader))
    if len(stack) > 1:
        raise reader.fail("Unterminated group")
    return Parsed(_alternatives(stack[0].options), reader.groups, reader.names)


def _open_group(reader: _Reader) -> _Open:
    text = reader.source
    reader.at += 1
    if text.startswith("?:", reader.at):
        reader.at += 2
        return _Open("group")
    for prefix, kind in (("?=", "ahead"), ("?!", "not-ahead"), ("?<=", "behind"), ("?<!", "not-behind")):
        if text.startswith(prefix, reader.at):
            reader.at += len(prefix)
            return _Open(kind)
    if text.startswith("?<", reader.at):
        close = text.find(">", reader.at + 2)
        name = text[reader.at + 2 : close] if close > 0 else ""
        if not name or not all(c.isalnum() or c in "_$" for c in name) or name[0].isdigit():
            raise reader.fail("Invalid capture group name")
        if name in reader.names:
            raise reader.fail("Duplicate capture group name")
        reader.at = close + 1
        reader.groups += 1
        reader.names[name] = reader.groups
        return _Open("group", reader.groups)
    if text.startswith("?", reader.at):
        raise reader.fail("Invalid group")
    reader.groups += 1
    return _Open("group", reader.groups)


def _close_group(group: _Open) -> Node:
    body = _alternatives(group.options)
    if group.kind == "group":
        return Group(group.index, body)
    return Look(behind="behind" in group.kind, negate=group.kind.startswith("not"), body=body)


def _alternatives(options: list[list[Node]]) -> Node:
    nodes = tuple(Seq(tuple(items)) if len(items) != 1 else items[0] for items in options)
    return nodes[0] if len(nodes) == 1 else Alt(nodes)


def _quantifier_at(reader: _Reader) -> bool:
    if reader.peek() != "{":
        return True
    return _braces(reader.source, reader.at) is not None


def _braces(text: str, at: int) -> tuple[int, int | None, int] | None:
    """``{n}``, ``{n,}`` or ``{n,m}`` at ``at``: (low, high, length), else None (a literal)."""
    close = text.find("}", at)
    if close < 0:
        return None
    inside = text[at + 1 : close]
    low_text, comma, high_text = inside.partition(",")
    if not low_text.isdigit() or not low_text.isascii() or (high_text and not high_text.isdigit()):
        return None
    high = int(high_text) if high_text else (None if comma else int(low_text))
    return int(low_text), high, close + 1 - at


def _apply_quantifier(reader: _Reader, current: list[Node]) -> None:
    text = reader.source
    char = text[reader.at]
    if char == "{":
        braces = _braces(text, reader.at)
        assert braces is not None
        low, high, length = braces
        reader.at += length
        if high is not None and high < low:
            raise reader.fail("numbers out of order in {} quantifier")
    else:
        low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        reader.at += 1
    greedy = True
    if reader.peek() == "?":
        greedy = False
        reader.at += 1
    last = current[-1] if current else None
    # A quantifier right after another one (``a**``) has nothing to repeat either.
    if last is None or isinstance(last, (Assert, Repeat)) or (isinstance(last, Look) and last.behind):
        raise reader.fail("Nothing to repeat")
    if low > MAX_REPEAT or (high is not None and high > MAX_REPEAT):
        raise reader.fail(f"Quantifier counts over {MAX_REPEAT} are not supported")
    current[-1] = Repeat(last, low, high, greedy)


def _atom(reader: _Reader) -> Node:
    text = reader.source
    char = text[reader.at]
    reader.at += 1
    if char == ".":
        return Char(test=lambda c: c not in LINE_TERMINATORS)
    if char == "^":
        return Assert("^")
    if char == "$":
        return Assert("$")
    if char == "[":
        return _char_class(reader)
    if char == "\\":
        return _escape(reader)
    if char in "*+?":
        raise reader.fail("Nothing to repeat")
    return Char(literal=char)


def _escape(reader: _Reader) -> Node:
    text = reader.source
    if reader.at >= len(text):
        raise reader.fail("\\ at end of pattern")
    char = text[reader.at]
    reader.at += 1
    if char in "bB":
        return Assert(char)
    if char in _CLASS_ESCAPES:
        return Char(test=_CLASS_ESCAPES[char])
    if char.isdigit() and char != "0":
        start = reader.at - 1
        while reader.at < len(text) and text[reader.at].isdigit():
            reader.at += 1
        number = int(text[start : reader.at])
        if number <= reader.total_groups:
            return Backref(number)
        # Annex B: not a group, so an octal escape (or the digits 8 and 9 themselves).
        reader.at = start
        return Char(literal=_legacy_octal(reader))
    if char == "k" and reader.named_total:
        close = text.find(">", reader.at)
        if reader.peek() != "<" or close < 0:
            raise reader.fail("Invalid named reference")
        name = text[reader.at + 1 : close]
        reader.at = close + 1
        index = _named_index(reader.source, name)
        if index is None:
            raise reader.fail("Invalid named capture referenced")
        return Backref(index)
    return Char(literal=_character_escape(reader, char))


def _character_escape(reader: _Reader, char: str) -> str:
    r"""The character an escape outside ``\b``/``\d``... stands for (``char`` already read)."""
    text = reader.source
    if char in _CONTROL_ESCAPES:
        return _CONTROL_ESCAPES[char]
    if char == "0" and not reader.peek().isdigit():
        return "\0"
    if char == "0":
        reader.at -= 1
        return _legacy_octal(reader)
    if char == "c" and reader.peek().isascii() and reader.peek().isalpha():
        reader.at += 1
        return chr(ord(text[reader.at - 1]) % 32)
    if char == "x" and _hex_at(text, reader.at, 2):
        reader.at += 2
        return chr(int(text[reader.at - 2 : reader.at], 16))
    if char == "u" and _hex_at(text, reader.at, 4):
        reader.at += 4
        return chr(int(text[reader.at - 4 : reader.at], 16))
    return char


def _legacy_octal(reader: _Reader) -> str:
    text = reader.source
    start = reader.at
    if text[start] in "89":
        reader.at += 1
        return text[start]
    digits = 0
    while reader.at < len(text) and text[reader.at] in "01234567" and digits < 3:
        if int(text[start : reader.at + 1], 8) > 0o377:
            break
        reader.at += 1
        digits += 1
    return chr(int(text[start : reader.at], 8))


def _hex_at(text: str, at: int, count: int) -> bool:
    digits = text[at : at + count]
    return len(digits) == count and all(c in "0123456789abcdefABCDEF" for c in digits)


def _char_class(reader: _Reader) -> Char:
    text = reader.source
    negate = reader.peek() == "^"
    if negate:
        reader.at += 1
    singles: set[str] = set()
    ranges: list[tuple[str, str]] = []
    tests: list[CharTest] = []
    while True:
        if reader.at >= len(text):
            raise reader.fail("Unterminated character class")
        if text[reader.at] == "]":
            reader.at += 1
            break
        low = _class_atom(reader, tests)
        if low is not None and reader.peek() == "-" and reader.peek(1) not in ("]", ""):
            reader.at += 1
            high = _class_atom(reader, tests)
            if high is None:
                # Annex B: a class escape ends a range: '-' is then a literal.
                singles.update((low, "-"))
                continue
            if high < low:
                raise reader.fail("Range out of order in character class")
            ranges.append((low, high))
        elif low is not None:
            singles.add(low)
    members = frozenset(singles)
    spans = tuple(ranges)
    checks = tuple(tests)

    def test(char: str) -> bool:
        return char in members or any(a <= char <= b for a, b in spans) or any(t(char) for t in checks)

    return Char(test=test, negate=negate)


def _class_atom(reader: _Reader, tests: list[CharTest]) -> str | None:
    """One member of a class: its character, or None for a class escape (added to ``tests``)."""
    text = reader.source
    char = text[reader.at]
    reader.at += 1
    if char != "\\":
        return char
    if reader.at >= len(text):
        raise reader.fail("\\ at end of pattern")
    escaped = text[reader.at]
    reader.at += 1
    if escaped in _CLASS_ESCAPES:
        tests.append(_CLASS_ESCAPES[escaped])
        return None
    if escaped == "b":
        return "\b"
    if escaped == "-":
        return "-"
    if escaped.isdigit() and escaped != "0":
        reader.at -= 1
        return _legacy_octal(reader)
    return _character_escape(reader, escaped)


def _capturing_groups(source: str) -> Iterator[str | None]:
    r"""Each capturing group of ``source`` in the order of its '(': its name, or None if unnamed.

    Escapes and character classes are skipped; ``(?:``, lookaheads and lookbehinds capture
    nothing. Both ``\1`` and ``\k<name>`` are resolved against this one numbering.
    """
    at = 0
    in_class = False
    while at < len(source):
        char = source[at]
        if char == "\\":
            at += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            if not source.startswith("?", at + 1):
                yield None
            elif source.startswith("?<", at + 1) and not source.startswith(("?<=", "?<!"), at + 1):
                close = source.find(">", at + 3)
                yield source[at + 3 : close] if close >= 0 else ""
        at += 1


def _count_groups(source: str) -> tuple[int, int]:
    r"""How many capturing groups (and named ones) ``source`` has: decides what ``\1`` means."""
    names = list(_capturing_groups(source))
    return len(names), sum(1 for name in names if name is not None)


def _named_index(source: str, name: str) -> int | None:
    """The index of the group called ``name`` (groups are numbered in order of their '(')."""
    for index, group in enumerate(_capturing_groups(source), start=1):
        if group == name:
            return index
    return None
