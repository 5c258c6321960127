"""Signals: the one way a running state waits.

A state that must wait (a Wait state, a retry backoff, a lambda that takes
virtual time, an activity worker, a child branch) yields a :class:`Signal` from
its generator. Whoever can end the wait (a clock timer, ``send_task_success``,
a finishing branch) resolves or fails the signal; the runtime then resumes the
waiting fiber with the value, or throws the error into it. The first outcome
wins: later ones are ignored, which is how a timeout races a task.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Waiter = Callable[["Signal"], None]


class Signal:
    """A one-shot outcome: a value or an exception, delivered to waiters once."""

    __slots__ = ("done", "value", "error", "_waiters", "on_cancel")

    def __init__(self) -> None:
        self.done = False
        self.value: Any = None
        self.error: BaseException | None = None
        self._waiters: list[Waiter] = []
        self.on_cancel: list[Callable[[], None]] = []

    def resolve(self, value: Any = None) -> bool:
        """Deliver ``value``; ``False`` if the signal had already fired."""
        if self.done:
            return False
        self.done = True
        self.value = value
        self._fire()
        return True

    def fail(self, error: BaseException) -> bool:
        """Deliver ``error``; ``False`` if the signal had already fired."""
        if self.done:
            return False
        self.done = True
        self.error = error
        self._fire()
        return True

    def add_waiter(self, waiter: Waiter) -> None:
        """Call ``waiter(signal)`` once the signal fires (at once if it has)."""
        if self.done:
            waiter(self)
        else:
            self._waiters.append(waiter)

    def cancel(self) -> None:
        """The waiter gave up (its fiber was aborted): run cleanup callbacks once."""
        callbacks, self.on_cancel = self.on_cancel, []
        self.done = True
        self._waiters.clear()
        for callback in callbacks:
            callback()

    def _fire(self) -> None:
        waiters, self._waiters = self._waiters, []
        self.on_cancel = []
        for waiter in waiters:
            waiter(self)
