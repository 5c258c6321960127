"""The runtime: runs fibers cooperatively, on one thread, in a fixed order.

A *fiber* is one thread of control inside an execution: the execution itself,
a Parallel branch or a Map iteration. Each is a generator that yields a
:class:`~fakesfn.engine.signals.Signal` whenever it must wait. The runtime keeps
a FIFO queue of fibers ready to continue and drains it after every API call and
every clock movement, so everything that can happen at the current virtual
instant has happened when control returns to the user. The queue order is what
makes interleaving deterministic: siblings start in definition order, and a
resumed fiber goes to the back of the queue.
"""

from __future__ import annotations

import inspect
from collections import deque
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from fakesfn.engine.history import HistoryLimitExceeded
from fakesfn.engine.signals import Signal

if TYPE_CHECKING:
    from fakesfn.clock import Timer, VirtualClock
    from fakesfn.engine.execution import ExecutionRecord
    from fakesfn.engine.ports import ExecutionHost, ObjectStorage, ResultInspector, StateObserver, TaskRunner
    from fakesfn.engine.redrive import Resume
    from fakesfn.random import SeededRandom

FiberBody = Generator[Signal, Any, Any]


class FiberAborted(BaseException):
    """Thrown into a fiber's generator to unwind it (stop, timeout, sibling failure).

    A BaseException so that no ``except Exception`` in state code swallows it.
    ``quiet`` aborts (the whole execution stopped or timed out) record no
    state-level abort events: AWS ends such histories with the execution event.
    """

    def __init__(self, quiet: bool = False) -> None:
        super().__init__()
        self.quiet = quiet


class CallerError(Exception):
    """An error for whoever drives the fake, not for the execution: it escapes the API call.

    A usage mistake in the fake's own controls (a mock without an outcome) or an
    exception from the caller's own code that the fake ran (a mock's side effect).
    The execution it interrupted fails first (``States.Runtime``, naming the error),
    so nothing is left RUNNING; any other exception escaping a fiber is a bug of the
    fake and only fails the execution.
    """


class Fiber:
    """One cooperative thread of control.

    Attributes:
        execution: the execution it belongs to.
        last_event: the id of its latest history event (its history cursor).
        done: the signal fired with its result, or failed with its error.
    """

    __slots__ = (
        "execution",
        "last_event",
        "done",
        "_body",
        "_waiting",
        "_runtime",
        "finished",
        "children",
        "role",
        "resume",
        "resume_in",
        "resume_out",
        "last_output",
    )

    def __init__(self, runtime: Runtime, execution: ExecutionRecord, last_event: int) -> None:
        self.execution = execution
        self.last_event = last_event
        self.done = Signal()
        self.finished = False
        self.children: list[Fiber] = []
        self.role = "execution"
        # Redrive bookkeeping (see fakesfn.engine.redrive): where this fiber stopped,
        # the child outcomes a resumed Map/Parallel starts from, and those it leaves.
        self.resume: Resume | None = None
        self.resume_in: dict[int, Any] | None = None
        self.resume_out: dict[int, Any] | None = None
        # (value, its JSON text) of the last state output, reused as the next input.
        self.last_output: tuple[Any, str] | None = None
        self._body: FiberBody | None = None
        self._waiting: Signal | None = None
        self._runtime = runtime

    def emit(self, event_type: str, details_key: str | None = None, details: Any = None) -> int:
        """Record a history event after this fiber's latest one."""
        if self.finished:
            # Aborted while it was running (a handler stopped its own execution): it
            # records nothing more and unwinds here.
            raise FiberAborted(quiet=True)
        event_id = self.execution.history.add(event_type, self.last_event, details_key, details)
        self.last_event = event_id
        return event_id

    def emit_aside(self, event_type: str, details_key: str | None = None, details: Any = None) -> int:
        """Record an event that does not move this fiber's cursor.

        AWS links e.g. ``MapIterationSucceeded`` and the next ``MapIterationStarted``
        both to the iteration's last state event.
        """
        return self.execution.history.add(event_type, self.last_event, details_key, details)

    def start(self, body: FiberBody) -> None:
        """Begin running ``body`` at the runtime's next turn."""
        self._body = body
        self._runtime.ready(self, None)

    def abort(self, quiet: bool = False) -> None:
        """Unwind this fiber and its children now (their ``finally`` blocks run)."""
        if self.finished:
            return
        for child in list(self.children):
            child.abort(quiet)
        self.finished = True
        if self._waiting is not None:
            self._waiting.cancel()
            self._waiting = None
        body, self._body = self._body, None
        if body is not None and inspect.getgeneratorstate(body) == inspect.GEN_RUNNING:
            # Aborted from inside its own step (user code called stop_execution on its
            # own execution): it unwinds at its next event or wait, see emit and step.
            self.done.fail(FiberAborted(quiet))
            return
        ended: BaseException | None = None
        if body is not None:
            try:
                body.throw(FiberAborted(quiet))
            except (FiberAborted, StopIteration):
                pass
            except (HistoryLimitExceeded, Exception) as error:
                # Unwinding recorded the history's last event (a sibling's abort as
                # event 25,000) or failed: the execution ends, and the caller (a
                # sibling failing, a Map tolerating failures) carries on unharmed.
                ended = error
            else:  # pragma: no cover - a body must not keep running once aborted
                body.close()
        self.done.fail(FiberAborted(quiet))
        if ended is not None:
            self._end_execution(ended)

    def step(self, outcome: Signal | None) -> None:
        """Resume the body with a signal's outcome; run until it waits or ends."""
        body = self._body
        if body is None or self.finished:
            return
        self._waiting = None
        try:
            if outcome is None:
                signal = body.send(None)
            elif outcome.error is not None:
                signal = body.throw(outcome.error)
            else:
                signal = body.send(outcome.value)
            while signal.done:
                signal = body.throw(signal.error) if signal.error is not None else body.send(signal.value)
        except StopIteration as stop:
            self._finish()
            self.done.resolve(stop.value)
            return
        except FiberAborted as aborted:
            self._finish()
            self.done.fail(aborted)
            return
        except HistoryLimitExceeded as full:
            # AWS ends the whole execution, whatever this fiber was doing.
            self._finish()
            self._end_execution(full)
            return
        except Exception as error:  # noqa: BLE001 - the fiber's failure is its parent's to judge
            self._finish()
            self.done.fail(error)
            return
        if self._body is None:
            # Aborted while it ran: unwind it now that it waits (finally blocks run).
            body.close()
            return
        self._waiting = signal
        signal.add_waiter(lambda fired: self._runtime.ready(self, fired))

    def _finish(self) -> None:
        self.finished = True
        self._body = None

    def _end_execution(self, error: BaseException) -> None:
        """End the execution for a full (or busy) history, or a failure of the fake itself."""
        if isinstance(error, HistoryLimitExceeded):
            self.execution.overflow(self._runtime, busy=error.busy)
        else:
            self.execution.crash(self._runtime, error)


class Runtime:
    """Runs every fiber of one backend.

    Attributes:
        tasks: runs Task states' resources (the backend's integrations).
        host: keeps the executions and Map Runs a Distributed Map starts.
        storage: Amazon S3, as ItemReader and ResultWriter reach it.
        observer: told of every state entered, Choice rule taken, retry and catch.
        inspector: shown each state's result (TestState's private runtime only).
        stepping_new: new executions start in stepping mode.
    """

    def __init__(self, clock: VirtualClock, random: SeededRandom) -> None:
        self.clock = clock
        self.random = random
        self._ready: deque[tuple[Fiber | None, Signal | None]] = deque()
        self._running = False
        self.stepping_new = False
        # The ports (fakesfn.engine.ports) the backend plugs in; unset, what needs
        # them fails clearly, and the observer and inspector cost a None check.
        self.tasks: TaskRunner | None = None
        self.host: ExecutionHost | None = None
        self.storage: ObjectStorage | None = None
        self.observer: StateObserver | None = None
        self.inspector: ResultInspector | None = None

    def new_fiber(self, execution: ExecutionRecord, last_event: int) -> Fiber:
        """A fiber of ``execution`` whose first event follows event ``last_event``."""
        return Fiber(self, execution, last_event)

    def ready(self, fiber: Fiber, outcome: Signal | None) -> None:
        """Queue ``fiber`` to continue with ``outcome``."""
        self._ready.append((fiber, outcome))

    def run(self) -> None:
        """Run ready fibers until none is left (re-entrant calls return at once)."""
        if self._running:
            return
        self._running = True
        try:
            ready = self._ready
            while ready:
                fiber, outcome = ready.popleft()
                if fiber is None:
                    # A next_turn() marker: resolving it queues its waiter at the back.
                    assert outcome is not None
                    outcome.resolve(None)
                else:
                    fiber.step(outcome)
        finally:
            self._running = False

    def next_turn(self) -> Signal:
        """A signal that fires once every fiber already queued has had its turn.

        Yielding it lets concurrent siblings progress in between, the way AWS
        interleaves concurrent branches (e.g. every Map iteration starts before the
        first one's task is running).
        """
        signal = Signal()
        self._ready.append((None, signal))
        return signal

    def sleep(self, seconds: float) -> Signal:
        """A signal that fires ``seconds`` of virtual time from now."""
        signal = Signal()
        if seconds <= 0:
            signal.resolve(None)
            return signal
        timer = self.clock.call_later(seconds, lambda: self.fire(signal))
        signal.on_cancel.append(timer.cancel)
        return signal

    def fire(self, signal: Signal, value: Any = None) -> None:
        """Resolve ``signal`` from outside the runtime (a timer, an API call) and run."""
        if signal.resolve(value):
            self.run()

    def sleep_until(self, due: float) -> Signal:
        """A signal that fires when the clock reaches epoch second ``due``."""
        return self.sleep(due - self.clock.time())

    def call_later(self, seconds: float, callback: Callable[[], None], *, backstop: bool = False) -> Timer:
        """Schedule ``callback`` on the virtual clock, then run what it readied; returns the timer.

        ``backstop`` marks a limit that only matters when nothing else happens first
        (an execution's maximum lifetime): ``settle()`` does not wait for it.
        """

        def fire() -> None:
            callback()
            self.run()

        return self.clock.call_later(seconds, fire, backstop=backstop)
