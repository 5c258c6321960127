"""The functions Step Functions adds to JSONata, and the ones it changes.

AWS ("Transforming data with JSONata in Step Functions"): "All built-in JSONata
functions and operators in the 2.0.6 specification are supported, with one
exception: $eval is not available—use $parse instead. Step Functions also provides
additional functions": ``$partition``, ``$range``, ``$hash``, ``$random``,
``$uuid`` and ``$parse``.

Edge behaviour the AWS page does not spell out (rounding towards zero, which
arguments give undefined rather than an error, the error texts) follows what was
measured against AWS and published by the floci project (its issues #2662 and
#2665, ``docs/services/step-functions.md``).

Two kinds of function live here. *Pure* ones are bound once, in a frame every
expression shares. *Per-call* ones read the running state: ``$random()`` and
``$uuid()`` draw from the execution's seeded random source, ``$now()`` and
``$millis()`` read the virtual clock, through a :class:`CallScope` the evaluation
frame hands them. One JSONata built-in is replaced too: jsonata-python's ``$number``
casts with Python's ``float()``, where jsonata-js (whose errors AWS reports) raises
D3030 for text that is not a JSON-style number literal.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Protocol

from jsonata import Jsonata
from jsonata.functions import Functions
from jsonata.signature import Signature
from jsonata.utils import Utils

from fakesfn.asl.intrinsics.hashing import ALGORITHMS as HASH_ALGORITHMS
from fakesfn.asl.jsonata import bounded, datetimes, numbers
from fakesfn.asl.jsonata.budget import MEMORY_LIMIT
from fakesfn.asl.jsonata.messages import FunctionError, js_stringify, signature_error

# AWS names the same five algorithms for $hash as for States.Hash.
from fakesfn.payload import check_depth

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from fakesfn.asl.context import RandomSource


# floci (measured): AWS "accepts $range(1, 360145, 1), all 360,145 elements, and refuses
# one element more", checked before allocating.
_RANGE_LIMIT: Final = 360_145

_LONG_MIN: Final = -(2**63)
_LONG_MAX: Final = 2**63 - 1


class CallScope(Protocol):
    """What a per-call function may read about the evaluation it runs in."""

    @property
    def random(self) -> RandomSource:
        """The execution's seeded random source."""
        ...

    def now_millis(self) -> int | None:
        """The virtual instant of this evaluation, in epoch milliseconds, if known."""
        ...


@dataclass(frozen=True, slots=True)
class _Spec:
    name: str
    arity: int
    impl: Callable[[Sequence[Any], CallScope], Any]
    signature: str = ""

    def signature_text(self) -> str:
        # One optional slot more than the arity AWS documents, so that a surplus argument
        # reaches the function and fails with AWS's T0410 rather than the library's.
        return self.signature or "<" + "x?" * (self.arity + 1) + ":x>"


class _Unscoped:
    """The scope of the shared frame's functions, which never read one."""

    @property
    def random(self) -> RandomSource:
        raise RuntimeError("a pure JSONata function read the evaluation scope")

    def now_millis(self) -> int | None:
        raise RuntimeError("a pure JSONata function read the evaluation scope")


class _AwsFunction(Jsonata.JFunction):  # type: ignore[misc]
    """A JSONata-callable function value: signature-checked, usable in ``$map`` and partials."""

    def __init__(self, spec: _Spec, scope: CallScope) -> None:
        self.function = self
        self.signature = _signature(spec.name, spec.signature_text())
        self.function_name = spec.name
        self._spec = spec
        self._scope = scope

    def call(self, input: Any, args: Sequence[Any] | None) -> Any:
        arguments = list(args or ())
        arguments += [None] * (self._spec.arity + 1 - len(arguments))
        return self._spec.impl(arguments, self._scope)

    def get_number_of_args(self) -> int:
        return self._spec.arity


@functools.cache
def _signature(name: str, text: str) -> Any:
    return Signature(text, name)


def _reject_surplus(name: str, arguments: Sequence[Any], arity: int) -> None:
    # floci (measured): AWS "refuses a call with more arguments than the function takes,
    # naming the first surplus one".
    if arguments[arity] is not None:
        raise signature_error(name, arity + 1)


def _towards_zero(value: Any, name: str, argument: int) -> int:
    # floci (measured): "A non-integer argument is rounded towards zero, so $range(-1.7, 2, 1)
    # starts at -1 and $partition(items, 2.9) chunks by 2."
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise signature_error(name, argument)
    if math.isinf(value):
        return _LONG_MAX if value > 0 else _LONG_MIN
    return max(_LONG_MIN, min(_LONG_MAX, int(value)))


def _partition(arguments: Sequence[Any], scope: CallScope) -> Any:
    """``$partition(array, size)``: the array in chunks of ``size``, the last one shorter."""
    _reject_surplus("partition", arguments, 2)
    array, size = arguments[0], arguments[1]
    if array is None:
        return None
    if not isinstance(array, list):
        raise FunctionError("T0412", 'Argument 1 of function "partition" must be an array of undefined')
    if not array:
        return None
    if size is None:
        return [list(array)]
    chunk = _towards_zero(size, "partition", 2)
    if chunk < 0:
        raise FunctionError("D3137", "Second argument must be zero or greater")
    if chunk == 0:
        return None
    return [list(array[start : start + chunk]) for start in range(0, len(array), chunk)]


def _range(arguments: Sequence[Any], scope: CallScope) -> Any:
    """``$range(start, end, step)``: ``start`` to ``end`` by ``step``, ``end`` included if reached."""
    _reject_surplus("range", arguments, 3)
    start = _towards_zero(arguments[0], "range", 1)
    end = _towards_zero(arguments[1], "range", 2)
    if arguments[2] is None:
        return None
    step = _towards_zero(arguments[2], "range", 3)
    if step == 0 or (step > 0 and start > end) or (step < 0 and start < end):
        return None
    count = (end - start) // step + 1
    if count > _RANGE_LIMIT:
        raise FunctionError("", MEMORY_LIMIT)
    # A sequence, not an array: AWS collapses a one-element range to the bare number
    # (intrinsic_functions test_array_range: $range(1, 9, 9) is 1).
    return Utils.create_sequence_from_iter(range(start, start + count * step, step))


def _hash(arguments: Sequence[Any], scope: CallScope) -> Any:
    """``$hash(value, algorithm)``: the hex digest of the UTF-8 bytes of ``value``."""
    _reject_surplus("hash", arguments, 2)
    value, algorithm = arguments[0], arguments[1]
    if not isinstance(value, str):
        raise signature_error("hash", 1)
    if algorithm is None:
        return None
    if not isinstance(algorithm, str):
        raise signature_error("hash", 2)
    digest = HASH_ALGORITHMS.get(algorithm)
    if digest is None:
        raise FunctionError(
            "D3137", f"Hash algorithm '{algorithm}' must be one of SHA-1, SHA-384, SHA-256, SHA-512, MD5"
        )
    return hashlib.new(digest, _utf8(value)).hexdigest()


def _utf8(text: str) -> bytes:
    """The UTF-8 bytes JavaScript's encoders give: a lone surrogate becomes U+FFFD (EF BF BD)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8")


def _parse(arguments: Sequence[Any], scope: CallScope) -> Any:
    """``$parse(text)``: the JSON value a string holds (AWS's replacement for ``$eval``)."""
    _reject_surplus("parse", arguments, 1)
    text = arguments[0]
    if text is None:
        return None
    if not isinstance(text, str):
        raise signature_error("parse", 1)
    try:
        check_depth(text)
        value = json.loads(
            text, parse_int=_json_int, parse_constant=_no_constant, object_pairs_hook=_unique_keys
        )
    except ValueError:
        raise FunctionError("D3137", "Invalid JSON") from None
    return Utils.NULL_VALUE if value is None else value


def _json_int(text: str) -> int | float:
    # floci (measured): AWS keeps an integer exact while it fits in a long and reads a
    # wider one as a double.
    number = int(text)
    return number if _LONG_MIN <= number <= _LONG_MAX else float(number)


def _no_constant(text: str) -> Any:
    raise ValueError(f"not JSON: {text}")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise ValueError("duplicate key")
    return value


def _random(arguments: Sequence[Any], scope: CallScope) -> Any:
    """``$random()`` draws from the execution's seed; ``$random(seed)`` is ``java.util.Random``."""
    _reject_surplus("random", arguments, 1)
    if arguments[0] is None:
        return scope.random.random()
    return java_random_double(_towards_zero(arguments[0], "random", 1))


def java_random_double(seed: int) -> float:
    """``new java.util.Random(seed).nextDouble()``.

    floci (measured): "``$random(seed)`` is ``java.util.Random``: seed 42 gives
    0.7275636800328681 bit for bit on AWS."
    """
    mask = (1 << 48) - 1
    state = (seed ^ 0x5DEECE66D) & mask

    def next_bits(bits: int) -> int:
        nonlocal state
        state = (state * 0x5DEECE66D + 0xB) & mask
        return state >> (48 - bits)

    high = next_bits(26)
    low = next_bits(27)
    return ((high << 27) + low) * 2.0**-53


def _shuffle(arguments: Sequence[Any], scope: CallScope) -> Any:
    """``$shuffle(array)``: the items in a random order drawn from the execution's seed.

    jsonata-python shuffles with Python's global ``random``, which no seed controls.
    """
    items = arguments[0]
    if items is None:
        return None
    shuffled = list(items) if isinstance(items, list) else [items]
    random = scope.random
    for index in range(len(shuffled) - 1, 0, -1):
        other = random.randint(0, index)
        shuffled[index], shuffled[other] = shuffled[other], shuffled[index]
    return Utils.create_sequence_from_iter(shuffled) if len(shuffled) != 1 else shuffled


def _uuid(arguments: Sequence[Any], scope: CallScope) -> Any:
    """``$uuid()``: a version-4 UUID from the execution's seed."""
    _reject_surplus("uuid", arguments, 0)
    return scope.random.uuid()


def _now(arguments: Sequence[Any], scope: CallScope) -> Any:
    """``$now(picture?, timezone?)``: the evaluation's virtual instant as a timestamp."""
    millis = scope.now_millis()
    if millis is None:
        return None
    return Functions.datetime_from_millis(millis, arguments[0], arguments[1])


def _millis(arguments: Sequence[Any], scope: CallScope) -> Any:
    """``$millis()``: the evaluation's virtual instant in epoch milliseconds."""
    return scope.now_millis()


# jsonata-js 2.0.6 ``$number``: a decimal literal, or a 0x/0o/0b integer literal.
_DECIMAL_TEXT: Final = re.compile(r"-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?")
_RADIX_TEXT: Final = re.compile(r"0([xX][0-9A-Fa-f]+|[oO][0-7]+|[bB][01]+)")
_RADIX: Final = {"x": 16, "o": 8, "b": 2}


def _number(arguments: Sequence[Any], scope: CallScope) -> Any:
    """``$number(arg)`` as jsonata-js (whose errors AWS reports) casts, not as Python does.

    jsonata-python hands any string to ``float()``: ``"inf"`` and ``" 1"`` become
    numbers and ``"abc"`` leaks Python's ValueError text; jsonata-js raises D3030.
    """
    # JSONata's own signature refuses null, arrays, objects and a second argument (T0410).
    value = arguments[0]
    if value is None:
        return None
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        if _DECIMAL_TEXT.fullmatch(value):
            number = float(value)
            if math.isfinite(number):
                return number
        elif _RADIX_TEXT.fullmatch(value):
            return int(value[2:], _RADIX[value[1].lower()])
    raise FunctionError("D3030", f"Unable to cast value to a number: {js_stringify(value)}")


_PURE: Final = (
    _Spec("partition", 2, _partition),
    _Spec("range", 3, _range),
    _Spec("hash", 2, _hash),
    _Spec("parse", 1, _parse),
)

# Same signatures as JSONata's own $now and $millis: only the clock they read changes.
_PER_CALL: Final = {
    spec.name: spec
    for spec in (
        _Spec("random", 1, _random),
        _Spec("uuid", 0, _uuid),
        _Spec("now", 2, _now, signature="<s?s?:s>"),
        _Spec("millis", 0, _millis, signature="<:n>"),
        _Spec("shuffle", 1, _shuffle, signature="<a:a>"),
    )
}

PER_CALL_NAMES: Final = frozenset(_PER_CALL)
"""Names whose function value depends on the running evaluation."""

NAMES: Final = frozenset(spec.name for spec in _PURE) | PER_CALL_NAMES
"""Every function name Step Functions adds to (or redefines in) JSONata."""

_LIBRARY_FIXES: Final = (
    _Spec("number", 1, _number, signature="<(nsb)-:n>"),
    # jsonata-python reads the timestamp with fromisoformat, which Python 3.10 refuses for "Z".
    _Spec("toMillis", 2, datetimes.to_millis, signature="<s-s?:n>"),
    # Same signatures as JSONata's own: they check the size of what they would build.
    _Spec("string", 2, bounded.string, signature="<x-b?:s>"),
    _Spec("pad", 3, bounded.pad, signature="<s-ns?:s>"),
    _Spec("join", 2, bounded.join, signature="<a<s>s?:s>"),
    _Spec("replace", 4, bounded.replace, signature="<s-(sf)(sf)n?:s>"),
    _Spec("distinct", 1, bounded.distinct, signature="<x:x>"),
    # Any double, any precision, where jsonata-python's decimal context raises.
    _Spec("round", 2, numbers.round_, signature="<n-n?:n>"),
    _Spec("formatBase", 2, numbers.format_base, signature="<n-n?:s>"),
)
"""JSONata built-ins jsonata-python implements differently from jsonata-js (AWS's engine), or
that could build a value past the memory bound in one call (:mod:`fakesfn.asl.jsonata.bounded`)."""


def per_call_function(name: str, scope: CallScope) -> Any:
    """The function value ``$name`` has in the evaluation ``scope`` belongs to."""
    return _AwsFunction(_PER_CALL[name], scope)


@functools.lru_cache(maxsize=1)
def shared_frame() -> Any:
    """The frame above every evaluation: JSONata's built-ins plus AWS's pure functions.

    Nothing binds into it after it is built: a top-level ``:=`` binds in the
    evaluation's own frame, blocks and lambdas in frames of their own.
    """
    frame = Jsonata.Frame(Jsonata.static_frame)
    for spec in (*_PURE, *_LIBRARY_FIXES):
        frame.bind(spec.name, _AwsFunction(spec, _Unscoped()))
    # AWS: "$eval is not available". An unbound name called as a function is JSONata's
    # T1006 "Attempted to invoke a non-function", which is what AWS answers.
    frame.bind("eval", None)
    return frame
