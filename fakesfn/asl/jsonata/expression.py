"""One ``{% ... %}`` expression: parsed once, evaluated against a running state.

AWS: "JSONata expressions use the following syntax: ``"{% <JSONata expression> %}"``".
The expression sees no context item; it reads the reserved ``$states`` variable
(``input``, ``context``, and where they exist ``result`` and ``errorOutput``) and
the workflow variables as ``$name``. Every failure at run time is a
``States.QueryEvaluationError`` whose cause names the expression and the field.

jsonata-python evaluates an AST against a frame; the adapter hands it a frame of
its own that answers ``$states``, the variables and the per-call functions
without copying anything, above a frame shared by all expressions that holds
AWS's added functions.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
from typing import TYPE_CHECKING, Any, Final

import jsonata as _library
from jsonata import JException, Jsonata

from fakesfn.asl.errors import ErrorName, StateFieldError
from fakesfn.asl.jsonata import functions, messages, values
from fakesfn.asl.jsonata.budget import (
    MAX_HELD_UNITS,
    STACK_OVERFLOW,
    Budget,
    BudgetExceeded,
    spending,
    text_size,
)
from fakesfn.asl.jsonata.nesting import MAX_EXPRESSION_NESTING, nesting
from fakesfn.asl.jsonata.references import references
from fakesfn.asl.jsonata.regex import compile_pattern
from fakesfn.asl.jsonata.shortcut import DEFER, Shortcut, compile_shortcut
from fakesfn.asl.timestamps import parse_timestamp

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from fakesfn.asl.context import Env, RandomSource

_QUERY_EVALUATION_ERROR: Final = ErrorName.QUERY_EVALUATION_ERROR.value
_ABSENT: Final = object()

# What jsonata-python's own defects raise (an unterminated comment indexes past the end,
# $formatInteger of a number with hundreds of digits raises RuntimeError...): any
# exception whose innermost frame is the library's (see _raised_in_library).
_LIBRARY_FAILURES: Final = (Exception,)
_LIBRARY_DIRECTORY: Final = os.path.dirname(_library.__file__ or "")
_ADAPTER_DIRECTORY: Final = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))


class JsonataSyntaxError(ValueError):
    """An expression AWS refuses when the definition is created.

    Attributes:
        code: AWS's diagnostic code, ``INVALID_JSONATA_EXPRESSION`` (does not parse) or
            ``UNSUPPORTED_JSONATA_EXPRESSION`` (parses, but reads what AWS does not offer).
        message: the diagnostic text, as AWS words it after the code.
        pointer: where inside the field the expression sits, as a JSON pointer suffix
            ("" for the field itself, ``/a/0`` for a template's nested value).
    """

    def __init__(self, code: str, message: str, pointer: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.pointer = pointer

    def at(self, prefix: str) -> JsonataSyntaxError:
        """The same problem, one level deeper inside a template."""
        return JsonataSyntaxError(self.code, self.message, prefix + self.pointer)


def is_expression(value: object) -> bool:
    """Whether a field value is a JSONata expression rather than a literal.

    AWS: the string must start with ``{%`` and end with ``%}``, with nothing outside
    them; ``" {% $x %} "`` is a literal string (arguments test_base_cases_BASE_LAMBDA_LITERALS).
    """
    return isinstance(value, str) and len(value) >= 4 and value.startswith("{%") and value.endswith("%}")


@functools.lru_cache(maxsize=4096)
def compile_expression(text: str) -> Expression:
    """Parse ``"{% ... %}"`` once; raises :class:`JsonataSyntaxError` as AWS would refuse it."""
    if not is_expression(text):
        raise JsonataSyntaxError(
            "INVALID_JSONATA_EXPRESSION", "A JSONata expression must be enclosed in {% %}"
        )
    source = text[2:-2].strip()
    if nesting(source) > MAX_EXPRESSION_NESTING:
        raise JsonataSyntaxError(
            "INVALID_JSONATA_EXPRESSION",
            f"Expression is nested more than {MAX_EXPRESSION_NESTING} levels deep",
        )
    try:
        engine = Jsonata(source, compile_pattern)
    except JException as error:
        raise JsonataSyntaxError("INVALID_JSONATA_EXPRESSION", messages.syntax_message(error)) from None
    except RecursionError:
        raise JsonataSyntaxError("INVALID_JSONATA_EXPRESSION", "Expression is too deeply nested") from None
    except _LIBRARY_FAILURES as error:
        if not _raised_in_library(error):
            raise
        raise JsonataSyntaxError("INVALID_JSONATA_EXPRESSION", f"Syntax error: {error}") from None
    reads = references(engine.ast)
    if reads.problem is not None:
        raise JsonataSyntaxError("UNSUPPORTED_JSONATA_EXPRESSION", reads.problem)
    return Expression(
        text,
        source,
        reads.states_fields,
        engine,
        _serialized(engine.ast),
        compile_shortcut(engine.ast, engine),
    )


def _serialized(ast: Any) -> frozenset[int]:
    """The nodes whose value JSONata turns into JSON text or clones: ``&``'s operands, a transform's input.

    Their results are measured as text (:func:`~fakesfn.asl.jsonata.budget.text_size`)
    before the library writes them out. Walked with an explicit stack.
    """
    found: set[int] = set()
    stack = [ast]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not hasattr(node, "type"):
            continue
        if node.type == "binary" and node.value == "&":
            found.update(id(side) for side in (node.lhs, node.rhs) if side is not None)
        elif node.type == "apply" and getattr(node.rhs, "type", None) == "transform":
            found.add(id(node.lhs))
        for name in _CHILDREN:
            child = getattr(node, name, None)
            if child is not None:
                stack.append(child)
    return frozenset(found)


_CHILDREN: Final = (
    "lhs",
    "rhs",
    "expression",
    "expressions",
    "steps",
    "arguments",
    "procedure",
    "body",
    "condition",
    "then",
    "_else",
    "predicate",
    "stages",
    "lhs_object",
    "pattern",
    "update",
    "delete",
    "terms",
)


@dataclasses.dataclass(frozen=True, slots=True)
class Expression:
    """A compiled JSONata expression.

    Attributes:
        text: the field value as written, delimiters included.
        source: the expression between the delimiters, trimmed: what AWS quotes in causes.
        states_fields: the ``$states`` fields the expression reads (``input``, ``result``,
            ``errorOutput``, ``context``; ``*`` for ``$states`` as a whole), so definition
            checks can refuse one read where AWS does not offer it.
    """

    text: str
    source: str
    states_fields: frozenset[str]
    _engine: Any = dataclasses.field(repr=False, compare=False)
    _serialized: frozenset[int] = dataclasses.field(default=frozenset(), repr=False, compare=False)
    _shortcut: Shortcut | None = dataclasses.field(default=None, repr=False, compare=False)
    """Answers a simple expression directly (see :mod:`~fakesfn.asl.jsonata.shortcut`)."""

    def evaluate(self, states: Mapping[str, Any], env: Env, field: str) -> Any:
        """The expression's JSON value for one running state.

        Args:
            states: the ``$states`` binding (``input``, ``context``, maybe ``result``,
                ``errorOutput``).
            env: the running state's environment (variables, random source).
            field: the field name AWS puts in messages (``Output/FunctionResult``).

        Raises:
            StateFieldError: ``States.QueryEvaluationError``, worded as AWS words it, when
                the expression fails, returns nothing or returns a function.
        """
        shortcut = self._shortcut
        try:
            result = DEFER if shortcut is None else shortcut(states)
            if result is DEFER:
                budget = Budget()
                with spending(budget):
                    result = self._engine.eval(
                        self._engine.ast, None, _CallFrame(states, env, budget, self._serialized)
                    )
        except BudgetExceeded as exceeded:
            raise self._threw(field, exceeded.message) from None
        except JException as error:
            raise self._threw(field, messages.jsonata_message(error)) from None
        except messages.FunctionError as error:
            raise self._threw(field, str(error)) from None
        except RecursionError:
            # Deeper than Python's stack, short of the depth bound (a deep value): AWS's
            # stack overflow all the same.
            raise self._threw(field, STACK_OVERFLOW) from None
        except (ZeroDivisionError, OverflowError):
            # jsonata-python raises where JavaScript arithmetic gives Infinity.
            raise self._threw(field, messages.jsonata_message(JException("D1001", -1, math.inf))) from None
        except _LIBRARY_FAILURES as error:
            if not _raised_in_library(error):
                raise
            raise self._threw(field, str(error)) from None
        if result is None:
            # AWS: "JSON cannot represent an undefined value expression".
            raise StateFieldError(
                messages.returned_nothing(self.source, field), _QUERY_EVALUATION_ERROR, field
            )
        try:
            return values.to_json(result)
        except values.UnsupportedValue:
            raise StateFieldError(
                messages.unsupported_result(self.source, field), _QUERY_EVALUATION_ERROR, field
            ) from None

    def evaluate_as(self, states: Mapping[str, Any], env: Env, field: str, expected: str) -> Any:
        """:meth:`evaluate`, then check the result's JSON type.

        ``expected`` is ``array``, ``object``, ``string``, ``number``, ``integer`` (a
        whole number), ``boolean``, ``null`` or ``any``; range checks (a positive
        ``TimeoutSeconds``...) stay with the caller.
        """
        value = self.evaluate(states, env, field)
        if not _TYPE_CHECKS[expected](value):
            raise StateFieldError(
                messages.unexpected_type(self.source, field, expected, values.type_name(value), value),
                _QUERY_EVALUATION_ERROR,
                field,
            )
        return value

    def _threw(self, field: str, detail: str) -> StateFieldError:
        return StateFieldError(messages.threw(self.source, field, detail), _QUERY_EVALUATION_ERROR, field)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPE_CHECKS: Final[dict[str, Callable[[Any], bool]]] = {
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
    "string": lambda value: isinstance(value, str),
    "number": _is_number,
    "integer": lambda value: _is_number(value) and isinstance(value, int),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "any": lambda value: True,
}


class _CallFrame(Jsonata.Frame):  # type: ignore[misc]
    """The innermost frame of one evaluation: ``$states``, variables, per-call functions.

    Variables are read from the scoped :class:`~fakesfn.asl.context.Variables`
    chain on demand instead of being copied in; they shadow JSONata's functions as
    any binding does.
    """

    def __init__(
        self, states: Mapping[str, Any], env: Env, budget: Budget, serialized: frozenset[int]
    ) -> None:
        super().__init__(functions.shared_frame())
        self._states = states if type(states) is dict else dict(states)
        self._env = env
        self._budget = budget
        self._serialized = serialized
        self.bindings["__evaluate_entry"] = budget.enter
        self.bindings["__evaluate_exit"] = self._exit if serialized else budget.exit

    def lookup(self, name: str) -> Any:
        value = self.bindings.get(name, _ABSENT)
        if value is not _ABSENT:
            return value
        if name == "states":
            return self._states
        value = self._env.variables.get(name, _ABSENT)
        if value is not _ABSENT:
            return values.to_jsonata(value)
        if name in functions.PER_CALL_NAMES:
            function = functions.per_call_function(name, self)
            self.bindings[name] = function
            return function
        return self.parent.lookup(name)

    def _exit(self, expr: Any, input: Any, environment: Any, result: Any) -> None:
        self._budget.exit(expr, input, environment, result)
        if id(expr) in self._serialized and isinstance(result, (list, dict)):
            self._budget.hold(text_size(result, MAX_HELD_UNITS))

    @property
    def random(self) -> RandomSource:
        """The execution's seeded random source (``$random()``, ``$uuid()``)."""
        source = self._env.random
        if source is None:
            raise RuntimeError("the Env has no random source; $random() and $uuid() need one")
        return source

    def now_millis(self) -> int | None:
        """The state's virtual entry instant: AWS's "now" without a wall clock.

        ``$now()`` and ``$millis()`` answer the time the state was entered
        (``$states.context.State.EnteredTime``), else the execution's start.
        """
        context = self._states.get("context")
        if not isinstance(context, dict):
            return None
        for section, key in (("State", "EnteredTime"), ("Execution", "StartTime")):
            part = context.get(section)
            stamp = part.get(key) if isinstance(part, dict) else None
            if isinstance(stamp, str):
                return _epoch_millis(stamp)
        return None


@functools.lru_cache(maxsize=256)
def _epoch_millis(stamp: str) -> int | None:
    """The epoch milliseconds of a context timestamp, read by the fake's own parser.

    jsonata-python's ``$toMillis`` reads timestamps with ``datetime.fromisoformat``,
    which refuses the ``Z`` suffix before Python 3.11: the virtual clock must not
    depend on the interpreter. Sub-millisecond digits are dropped, as AWS's
    millisecond timestamps have none.
    """
    instant = parse_timestamp(stamp)
    if instant is None:
        return None
    seconds, nanos = instant
    return seconds * 1000 + nanos // 1_000_000


def _raised_in_library(error: BaseException) -> bool:
    """Whether ``error`` comes from jsonata-python rather than from the adapter.

    A library defect must become the failure AWS would report for the expression; the
    same exception type raised by the adapter's own functions is the adapter's bug and
    must surface. The innermost frame that is either decides (standard-library frames,
    such as ``re`` compiling a regex literal, are skipped).
    """
    frames = []
    traceback = error.__traceback__
    while traceback is not None:
        frames.append(traceback.tb_frame.f_code.co_filename)
        traceback = traceback.tb_next
    for filename in reversed(frames):
        if filename.startswith(_LIBRARY_DIRECTORY):
            return True
        if filename.startswith(_ADAPTER_DIRECTORY):
            return False
    return False
