"""Intrinsic for unique ids: States.UUID."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.asl.intrinsics.spec import intrinsic

if TYPE_CHECKING:
    from fakesfn.asl.context import Env


@intrinsic("States.UUID")
def uuid(args: list[Any], env: Env) -> str:
    """A version 4 UUID, drawn from the execution's seeded random source."""
    if env.random is None:
        raise TypeError("States.UUID needs an Env with a random source")
    return env.random.uuid()
