"""Waiting for several fibers: all must succeed; the first failure aborts the others."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from fakesfn.engine.redrive import Finished
from fakesfn.engine.runtime import FiberAborted
from fakesfn.engine.signals import Signal

if TYPE_CHECKING:
    from fakesfn.engine.runtime import Fiber


def join_all(children: dict[int, Fiber], results: list[Any]) -> Signal:
    """A signal resolving with ``results`` once every child filled its slot, or failing first.

    ``results`` already holds the outputs of slots that need no fiber (a redrive
    reusing finished branches). On the first failure the other children are
    aborted (their ``finally`` blocks run) and the signal fails with that error.
    """
    joined = Signal()
    remaining = [len(children)]
    if not children:
        joined.resolve(results)
        return joined

    def on_done(index: int, signal: Signal) -> None:
        if joined.done:
            return
        if signal.error is not None:
            if isinstance(signal.error, FiberAborted):
                return
            failed = children[index]
            for other in children.values():
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

    for index, child in children.items():
        child.done.add_waiter(functools.partial(on_done, index))

    def abort_all() -> None:
        for child in children.values():
            child.abort()

    joined.on_cancel.append(abort_all)
    return joined


def outcomes(children: dict[int, Fiber], prior: dict[int, Any]) -> dict[int, Any]:
    """What each slot achieved, for a later redrive: a finished output or a resume point.

    Slots that finished in an earlier attempt (``prior``) stay finished; slots that
    never started are left out, so a redrive starts them afresh.
    """
    recorded: dict[int, Any] = {index: done for index, done in prior.items() if isinstance(done, Finished)}
    for index, child in children.items():
        if child.done.done and child.done.error is None:
            recorded[index] = Finished(child.done.value)
        elif child.resume is not None:
            recorded[index] = child.resume
    return recorded
