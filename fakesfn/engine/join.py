"""Waiting for several fibers: all must succeed; the first failure aborts the others."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from fakesfn.engine.runtime import FiberAborted
from fakesfn.engine.signals import Signal

if TYPE_CHECKING:
    from fakesfn.engine.runtime import Fiber


class BranchFailure(Exception):
    """Carries the failing fiber with its error, so the parent can continue after it."""


def join_all(children: list[Fiber]) -> Signal:
    """A signal resolving with every child's result in order, or failing with the first error.

    On the first failure the other children are aborted (their ``finally``
    blocks run); the signal fails with that child's own error.
    """
    joined = Signal()
    results: list[Any] = [None] * len(children)
    remaining = [len(children)]
    if not children:
        joined.resolve([])
        return joined

    def on_done(index: int, signal: Signal) -> None:
        if joined.done:
            return
        if signal.error is not None:
            if isinstance(signal.error, FiberAborted):
                return
            failed = children[index]
            for other in children:
                if not other.finished:
                    # AWS links the abort events of the other branches to the failure.
                    other.last_event = failed.last_event
                    other.abort()
            joined.fail(signal.error)
            return
        results[index] = signal.value
        remaining[0] -= 1
        if remaining[0] == 0:
            joined.resolve(results)

    for index, child in enumerate(children):
        child.done.add_waiter(functools.partial(on_done, index))

    def abort_all() -> None:
        for child in children:
            child.abort()

    joined.on_cancel.append(abort_all)
    return joined
