r"""The intrinsic call language: tokenizer, recursive-descent parser, compiled nodes.

Grammar (AWS: "Intrinsic functions for JSONPath states")::

    intrinsic := call
    call      := NAME "(" [ arg ( "," arg )* ] ")"
    arg       := call | STRING | NUMBER | "true" | "false" | "null" | PATH

``STRING`` is single-quoted; ``\'``, ``\{``, ``\}`` and ``\\`` stand for the
reserved characters themselves. ``PATH`` is any ASL path (``$``, ``$.a[0]``,
``$['x y']``, ``$$.Execution.Id``, ``$myVar.field``), compiled once with
:func:`fakesfn.asl.paths.compile_path`.

A call is parsed once, when the definition is created, into a tree of frozen
nodes; evaluation walks the tree and never looks at the text again.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, NoReturn

from fakesfn.asl.errors import ErrorName, StateFieldError
from fakesfn.asl.intrinsics.render import to_json
from fakesfn.asl.intrinsics.spec import FUNCTIONS, ArgumentError, FunctionSpec
from fakesfn.asl.paths import MISSING, Path, PathSyntaxError, compile_path

if TYPE_CHECKING:
    from fakesfn.asl.context import Env

# AWS: "You can nest up to 10 intrinsic functions within a field"; its example of
# "nine nested intrinsic functions" counts every call in the field.
MAX_CALLS: Final = 10

_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_KEYWORDS: Final = {"true": True, "false": False, "null": None}
_RESERVED: Final = frozenset("'{}\\")
_LOOKS_LIKE_CALL: Final = re.compile(r"States\.[A-Za-z0-9_]*\s*\(")


class IntrinsicSyntaxError(ValueError):
    """An intrinsic call that cannot be compiled: bad syntax, unknown function, wrong arity."""


class IntrinsicFailure(StateFieldError):
    """``States.IntrinsicFailure``: a function refused its arguments at run time.

    ASL spec, appendix A: "States.IntrinsicFailure: Within a payload template, the
    attempt to invoke an Intrinsic Function failed." The engine prefixes the detail
    with "An error occurred while executing the state ...".
    """

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(
            f"The intrinsic function '{text}' failed: {reason}", ErrorName.INTRINSIC_FAILURE.value
        )
        self.reason = reason


class IntrinsicPathNotFound(StateFieldError):
    """A path argument of an intrinsic selected nothing (``States.Runtime``).

    Carries ``path`` and ``input`` so a caller that knows the field can reword it as
    AWS words a missing path ("The JSONPath '$.x' specified for the field ...").
    """

    def __init__(self, path: Path, text: str, value: Any) -> None:
        self.path = path
        self.input = value
        super().__init__(
            f"The JSONPath '{path.text}' specified for the intrinsic function '{text}' "
            f"could not be found in the input '{to_json(value)}'"
        )


@dataclass(frozen=True, slots=True)
class Literal:
    """A constant argument: string, number, boolean, null (or a prepared template)."""

    value: Any

    def evaluate(self, value: Any, env: Env) -> Any:
        """The constant."""
        return self.value


@dataclass(frozen=True, slots=True)
class PathArg:
    """A path argument, selecting from the state input, ``$$`` or a variable."""

    path: Path
    text: str

    def evaluate(self, value: Any, env: Env) -> Any:
        """The selected value; :class:`IntrinsicPathNotFound` when there is none."""
        found = self.path.find(value, env)
        if found is MISSING:
            raise IntrinsicPathNotFound(self.path, self.text, value)
        return found


@dataclass(frozen=True, slots=True)
class Call:
    """One function call: the spec, its compiled arguments and its source text."""

    spec: FunctionSpec
    args: tuple[Literal | PathArg | Call, ...]
    text: str

    def evaluate(self, value: Any, env: Env) -> Any:
        """Evaluate the arguments, check them against the signature, run the function."""
        values = [arg.evaluate(value, env) for arg in self.args]
        spec = self.spec
        try:
            return spec.impl(spec.check(values), env)
        except ArgumentError as exc:
            raise IntrinsicFailure(self.text, exc.reason) from None


Node = Literal | PathArg | Call


@dataclass(frozen=True, slots=True)
class Intrinsic:
    """A compiled intrinsic call, evaluated against a state's input and Env.

    Attributes:
        text: the call as written in the definition.
        call: the outermost call node.
    """

    text: str
    call: Call

    @property
    def function(self) -> str:
        """The outermost function's name."""
        return self.call.spec.name

    def evaluate(self, value: Any, env: Env) -> Any:
        """The call's JSON result for state input ``value``.

        Raises:
            IntrinsicFailure: a function refused its arguments.
            IntrinsicPathNotFound: a path argument selected nothing.
        """
        return self.call.evaluate(value, env)


def is_intrinsic(text: object) -> bool:
    """Whether ``text`` is meant as an intrinsic call (``States.Name(`` ...)."""
    return isinstance(text, str) and _LOOKS_LIKE_CALL.match(text) is not None


@functools.lru_cache(maxsize=2048)
def compile_intrinsic(text: str) -> Intrinsic:
    """Parse an intrinsic call once.

    Raises:
        IntrinsicSyntaxError: bad syntax, an unknown function, a wrong number of
            arguments, or more nested calls than AWS allows.
    """
    parser = _Parser(text)
    return Intrinsic(text, parser.parse())


class _Parser:
    """Recursive descent over the text; positions are 0-based indexes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.calls = 0

    def parse(self) -> Call:
        self._skip_space()
        call = self._call()
        self._skip_space()
        if self.pos != len(self.text):
            self._error(f"unexpected {self.text[self.pos :]!r} after the call")
        return call

    def _call(self) -> Call:
        start = self.pos
        match = _NAME.match(self.text, self.pos)
        if match is None:
            self._error("expected a function name")
        name = match.group(0)
        self.pos = match.end()
        spec = FUNCTIONS.get(name)
        if spec is None:
            raise IntrinsicSyntaxError(f"Unknown intrinsic function '{name}' in '{self.text}'")
        self._skip_space()
        self._expect("(")
        self.calls += 1
        if self.calls > MAX_CALLS:
            # Refused as soon as the eleventh call opens: the descent (one level per
            # nested call) never goes deeper than AWS's limit, whatever the text.
            raise IntrinsicSyntaxError(
                f"At most {MAX_CALLS} intrinsic functions can be nested in one field, "
                f"but '{self.text}' has more"
            )
        args: list[Node] = []
        self._skip_space()
        if not self._at(")"):
            args.append(self._arg(spec, 0))
            self._skip_space()
            while self._at(","):
                self.pos += 1
                self._skip_space()
                args.append(self._arg(spec, len(args)))
                self._skip_space()
        self._expect(")")
        problem = spec.arity_problem(len(args))
        if problem is not None:
            raise IntrinsicSyntaxError(problem)
        return Call(spec, tuple(args), self.text[start : self.pos])

    def _arg(self, spec: FunctionSpec, index: int) -> Node:
        char = self.text[self.pos] if self.pos < len(self.text) else ""
        if char == "'":
            return self._string(spec, index)
        if char == "$":
            return self._path()
        if char == "-" or char.isdigit():
            return self._number()
        match = _NAME.match(self.text, self.pos)
        if match is None:
            self._error("expected an argument")
        if match.group(0) in _KEYWORDS:
            self.pos = match.end()
            return Literal(_KEYWORDS[match.group(0)])
        return self._call()

    def _string(self, spec: FunctionSpec, index: int) -> Node:
        start = self.pos
        self.pos += 1
        chars: list[str] = []
        text = self.text
        while True:
            if self.pos >= len(text):
                self.pos = start
                self._error("unterminated string literal")
            char = text[self.pos]
            if char == "'":
                break
            if char == "\\":
                following = text[self.pos + 1 : self.pos + 2]
                if following not in _RESERVED:
                    # The spec calls an open escape a runtime error, but AWS refuses the
                    # definition (recorded: LocalStack's test_illegal_escapes, 2025-02-02).
                    self._error("an open escape backslash")
                chars.append(following)
                self.pos += 2
                continue
            chars.append(char)
            self.pos += 1
        raw = text[start + 1 : self.pos]
        self.pos += 1
        param = spec.param_at(index)
        if param is not None and param.literal is not None:
            return Literal(param.literal(raw))
        return Literal("".join(chars))

    def _number(self) -> Literal:
        match = _NUMBER.match(self.text, self.pos)
        if match is None:
            self._error("invalid number")
        self.pos = match.end()
        literal = match.group(0)
        if match.group(1) is None and match.group(2) is None:
            return Literal(int(literal))
        number = float(literal)
        if math.isinf(number):
            # Beyond a double: it would reach an output as Infinity, which is not JSON.
            self.pos = match.start()
            self._error(f"the number {literal} is out of range")
        return Literal(number)

    def _path(self) -> PathArg:
        start = self.pos
        text = self.text
        depth = 0
        quote = ""
        while self.pos < len(text):
            char = text[self.pos]
            if quote:
                if char == "\\":
                    self.pos += 1
                elif char == quote:
                    quote = ""
            elif char in "'\"" and depth > 0:
                quote = char
            elif char in "[(":
                depth += 1
            elif char in "])":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and (char == "," or char.isspace()):
                break
            self.pos += 1
        source = text[start : self.pos]
        try:
            return PathArg(compile_path(source), text)
        except PathSyntaxError as exc:
            raise IntrinsicSyntaxError(f"Invalid path {source!r} in '{text}': {exc}") from None

    def _skip_space(self) -> None:
        text = self.text
        while self.pos < len(text) and text[self.pos].isspace():
            self.pos += 1

    def _at(self, char: str) -> bool:
        return self.text.startswith(char, self.pos)

    def _expect(self, char: str) -> None:
        if not self._at(char):
            self._error(f"expected {char!r}")
        self.pos += 1

    def _error(self, what: str) -> NoReturn:
        found = repr(self.text[self.pos]) if self.pos < len(self.text) else "the end"
        raise IntrinsicSyntaxError(
            f"Invalid intrinsic function call '{self.text}': {what} at {found} (offset {self.pos})"
        )
