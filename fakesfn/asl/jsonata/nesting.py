"""How deeply a JSONata expression nests, found by a scan that never recurses.

jsonata-python parses, post-processes and walks an expression recursively, three
Python frames or so per level, so an expression nested a few hundred levels deep
(``((((...))))``, ``1+1+...+1``, ``$not($not(...))``, a run of comments) would
raise RecursionError, and whether it did would depend on how deep the caller's
stack already was. This scan bounds the depth of the syntax tree before the
parser sees the text: every open bracket is a level, and so is every operator
in one run of operands (``a+b+c`` is a left-deep tree of two levels); a comma or
a semicolon starts a new run. An expression deeper than
:data:`MAX_EXPRESSION_NESTING` is refused when the definition is created (house
rule: AWS's own evaluation fails past about 100 levels, see
:mod:`fakesfn.asl.jsonata.budget`, so no such expression could evaluate there).
"""

from __future__ import annotations

from typing import Final

MAX_EXPRESSION_NESTING: Final = 100
"""The deepest syntax tree an expression may have (house; AWS evaluates at most ~100)."""

_OPEN: Final = frozenset("([{")
_CLOSE: Final = frozenset(")]}")
_SEPARATORS: Final = frozenset(",;")
_OPERATOR_CHARS: Final = frozenset(".+-*/%|=<>^~?&!:@#")
_WORD_OPERATORS: Final = frozenset({"and", "or", "in"})
_SPACE: Final = frozenset(" \t\n\r")


def nesting(source: str) -> int:
    """An upper bound of the depth of ``source``'s syntax tree (its largest estimate)."""
    scan = _Scan(source)
    scan.run()
    return scan.deepest


class _Scan:
    """One pass over the text: brackets push a level, operators deepen the current one."""

    __slots__ = ("text", "at", "levels", "deepest", "total", "expect_operand", "comments")

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        # Operators counted in the current run of each open bracket level.
        self.levels = [0]
        self.total = 0
        self.deepest = 0
        self.expect_operand = True
        self.comments = 0

    def note(self) -> None:
        depth = len(self.levels) + self.total + self.comments
        if depth > self.deepest:
            self.deepest = depth

    def run(self) -> None:
        text = self.text
        end = len(text)
        while self.at < end:
            char = text[self.at]
            if char in _SPACE:
                self.at += 1
            elif text.startswith("/*", self.at):
                # jsonata-python's lexer recurses once per comment in a row.
                close = text.find("*/", self.at + 2)
                self.at = end if close < 0 else close + 2
                self.comments += 1
                self.note()
            else:
                self.comments = 0
                self.token(char)

    def token(self, char: str) -> None:
        text = self.text
        if char in "\"'`":
            self.at = _skip_quoted(text, self.at, char)
            self.operand()
        elif char == "/" and self.expect_operand:
            self.at = _skip_regex(text, self.at)
            self.operand()
        elif char in _OPEN:
            self.at += 1
            self.levels.append(0)
            self.expect_operand = True
            self.note()
        elif char in _CLOSE:
            self.at += 1
            if len(self.levels) > 1:
                self.total -= self.levels.pop()
            self.expect_operand = False
        elif char in _SEPARATORS:
            self.at += 1
            self.total -= self.levels[-1]
            self.levels[-1] = 0
            self.expect_operand = True
        elif char == ":" and not text.startswith(":=", self.at):
            # An object's "key: value" or the second half of "a ? b : c": no new level.
            self.at += 1
            self.expect_operand = True
        elif char in _OPERATOR_CHARS:
            self.at += 1
            self.operator()
        else:
            start = self.at
            while self.at < len(text) and _word_char(text[self.at]):
                self.at += 1
            if self.at == start:
                self.at += 1
            if text[start : self.at] in _WORD_OPERATORS and not self.expect_operand:
                self.operator()
            else:
                self.operand()

    def operator(self) -> None:
        self.levels[-1] += 1
        self.total += 1
        self.expect_operand = True
        self.note()

    def operand(self) -> None:
        self.expect_operand = False
        self.note()


def _word_char(char: str) -> bool:
    return char.isalnum() or char in "_$"


def _skip_quoted(text: str, start: int, quote: str) -> int:
    at = start + 1
    while at < len(text):
        char = text[at]
        if char == "\\" and quote != "`":
            at += 2
            continue
        if char == quote:
            return at + 1
        at += 1
    return len(text)


def _skip_regex(text: str, start: int) -> int:
    at = start + 1
    in_class = False
    while at < len(text):
        char = text[at]
        if char == "\\":
            at += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            at += 1
            while at < len(text) and text[at].isalpha():
                at += 1
            return at
        at += 1
    return len(text)
