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
    """A one-shot outcome: a value or an exception, delivered to waiters once.

    The lists of waiters and of cleanups are made when the first one arrives: most
    signals have one waiter and no cleanup, and every execution keeps its completion
    signal for as long as it is kept (a Map Run's 100,000 children included), where
    two empty lists each would be a third of what the collector walks.
    """

    __slots__ = ("done", "value", "error", "_waiters", "_cleanups")

    def __init__(self) -> None:
        self.done = False
        self.value: Any = None
        self.error: BaseException | None = None
        self._waiters: list[Waiter] | None = None
        self._cleanups: list[Callable[[], None]] | None = None

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
        elif self._waiters is None:
            self._waiters = [waiter]
        else:
            self._waiters.append(waiter)

    @property
    def on_cancel(self) -> list[Callable[[], None]]:
        """Callbacks run if the waiter gives up (:meth:`cancel`); dropped once the signal fires."""
        if self._cleanups is None:
            self._cleanups = []
        return self._cleanups

    def cancel(self) -> None:
        """The waiter gave up (its fiber was aborted): run cleanup callbacks once."""
        callbacks, self._cleanups = self._cleanups, None
        self.done = True
        self._waiters = None
        for callback in callbacks or ():
            callback()

    def _fire(self) -> None:
        waiters, self._waiters = self._waiters, None
        self._cleanups = None
        for waiter in waiters or ():
            waiter(self)
