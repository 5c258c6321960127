"""Intrinsics for JSON data: States.StringToJson, States.JsonToString, States.JsonMerge."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.asl.intrinsics.render import to_json
from fakesfn.asl.intrinsics.spec import ANY, BOOLEAN, OBJECT, STRING, Param, fail, intrinsic
from fakesfn.payload import load

if TYPE_CHECKING:
    from fakesfn.asl.context import Env


@intrinsic("States.StringToJson", (Param("escaped JSON string", STRING),))
def string_to_json(args: list[Any], env: Env) -> Any:
    """The JSON value an escaped JSON string holds.

    AWS returns null for an empty or blank string (recorded runs of
    test_string_to_json with "" and " ").
    """
    text: str = args[0]
    if not text.strip():
        return None
    try:
        # AWS's reading: no NaN or Infinity, and no number beyond a double (1e400 would
        # reach the output as Infinity, which is not JSON).
        return load(text)
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        fail(f"The input string is not valid JSON: {exc}")


@intrinsic("States.JsonToString", (Param("value", ANY),))
def json_to_string(args: list[Any], env: Env) -> str:
    """The value as compact JSON text (``{"a":1}``, no spaces)."""
    return to_json(args[0])


def _shallow_only(deep: Any) -> str | None:
    # AWS: "Step Functions only supports the shallow merging mode; therefore, you
    # must specify the boolean value as false."
    return "Deep merging is not supported: the third argument must be false" if deep else None


@intrinsic(
    "States.JsonMerge",
    (
        Param("first object", OBJECT),
        Param("second object", OBJECT),
        Param("deep merge", BOOLEAN, (_shallow_only,)),
    ),
)
def json_merge(args: list[Any], env: Env) -> dict[str, Any]:
    """The two objects merged shallowly: the second's top-level keys win."""
    first, second, _deep = args
    return {**first, **second}
