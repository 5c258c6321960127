"""Intrinsics for arrays.

States.Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength
and ArrayUnique.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.intrinsics.render import json_key
from fakesfn.asl.intrinsics.spec import ANY, ARRAY, INTEGER, Param, fail, intrinsic, non_zero, positive

if TYPE_CHECKING:
    from fakesfn.asl.context import Env

# AWS: "The newly generated array can't contain more than 1000 items."
MAX_RANGE_ITEMS: Final = 1000

_ARRAY: Final = Param("array", ARRAY)


@intrinsic("States.Array", variadic=Param("value", ANY))
def array(args: list[Any], env: Env) -> list[Any]:
    """A JSON array of the argument values, in order."""
    return args


@intrinsic("States.ArrayPartition", (_ARRAY, Param("chunk size", INTEGER, (positive("chunk size"),))))
def array_partition(args: list[Any], env: Env) -> list[Any]:
    """The array cut into chunks of ``chunk size`` items; the last may be shorter."""
    items, size = args
    return [items[start : start + size] for start in range(0, len(items), size)]


@intrinsic("States.ArrayContains", (_ARRAY, Param("looking for", ANY)))
def array_contains(args: list[Any], env: Env) -> bool:
    """Whether the array has an item equal to the value."""
    items, wanted = args
    key = json_key(wanted)
    return any(json_key(item) == key for item in items)


@intrinsic(
    "States.ArrayRange",
    (
        Param("first element", INTEGER),
        Param("last element", INTEGER),
        Param("step", INTEGER, (non_zero("step"),)),
    ),
)
def array_range(args: list[Any], env: Env) -> list[int]:
    """The integers from the first element towards the last (included when reached), by step."""
    first, last, step = args
    count = max(0, (last - first) // step + 1)
    if count > MAX_RANGE_ITEMS:
        fail(f"The array can't contain more than {MAX_RANGE_ITEMS} items, but would contain {count}")
    return list(range(first, first + count * step, step))


@intrinsic("States.ArrayGetItem", (_ARRAY, Param("index", INTEGER)))
def array_get_item(args: list[Any], env: Env) -> Any:
    """The item at a zero-based index."""
    items, index = args
    if not 0 <= index < len(items):
        fail(f"The index {index} is out of bounds for an array of length {len(items)}")
    return items[index]


@intrinsic("States.ArrayLength", (_ARRAY,))
def array_length(args: list[Any], env: Env) -> int:
    """The number of items in the array."""
    return len(args[0])


@intrinsic("States.ArrayUnique", (_ARRAY,))
def array_unique(args: list[Any], env: Env) -> list[Any]:
    """The array without repeated items; the first of equal items stays, in order."""
    seen: set[Any] = set()
    unique: list[Any] = []
    for item in args[0]:
        key = json_key(item)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
