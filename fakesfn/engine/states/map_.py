"""The Map state (inline mode): run the item processor once per item.

Iterations start in index order, at most MaxConcurrency at a time (0: no limit).
Each is its own fiber with its own variable scope and ``$$.Map.Item``. AWS links
an iteration's first event to the newest state event of the iteration that
finished before it (or to ``MapStateStarted``), and records
``MapIterationSucceeded``/``Failed`` beside, not after, that chain.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.context import Env, states_binding
from fakesfn.asl.errors import StateFieldError, StatesError
from fakesfn.asl.nodes import JSONATA, MapState
from fakesfn.engine.distributed import run_distributed_map
from fakesfn.engine.io import select
from fakesfn.engine.join import outcomes
from fakesfn.engine.map_items import jsonata_concurrency, jsonata_items, jsonpath_concurrency, jsonpath_items
from fakesfn.engine.redrive import Finished, Resume
from fakesfn.engine.runtime import FiberAborted
from fakesfn.engine.signals import Signal
from fakesfn.engine.states.common import finish

if TYPE_CHECKING:
    from collections.abc import Generator

    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.outcome import Outcome
    from fakesfn.engine.runtime import Fiber


def run_map(run: StateRun[MapState], raw_input: Any) -> Generator[Signal, Any, Outcome]:
    """Items -> one iteration each -> the array of their outputs -> result processing."""
    state = run.state
    if state.mode == "DISTRIBUTED":
        result = yield from run_distributed_map(run, raw_input)
        return finish(run, raw_input, result)
    env = run.env
    if state.query_language == JSONATA:
        binding = states_binding(env, raw_input)
        effective = raw_input
        items = jsonata_items(state, binding, env)
        limit = jsonata_concurrency(state, binding, env)
    else:
        effective = select(state.input_path, raw_input, env)
        items = jsonpath_items(state, effective, env)
        limit = jsonpath_concurrency(state, effective, env)
    fiber = run.fiber
    started = fiber.emit("MapStateStarted", "mapStateStartedEventDetails", {"length": len(items)})
    prior, fiber.resume_in, fiber.resume_out = fiber.resume_in or {}, None, None
    pool = _Iterations(run, effective, items, limit, started, prior)
    try:
        results = yield pool.start()
    except BaseException:
        fiber.last_event = pool.failed_cursor
        fiber.resume_out = outcomes(pool.children, prior)
        raise
    fiber.last_event = fiber.execution.history.last_id
    fiber.emit_aside("MapStateSucceeded")
    return finish(run, raw_input, results)


INLINE_MAX_CONCURRENCY: Final = 40
"""AWS: an Inline Map runs at most 40 iterations at a time (MaxConcurrency 0 or above 40)."""


class _Iterations:
    """Starts iterations within the concurrency limit and gathers their outputs."""

    def __init__(
        self,
        run: StateRun[MapState],
        effective: Any,
        items: list[Any],
        limit: int,
        started_event: int,
        prior: dict[int, Any],
    ) -> None:
        self.run = run
        self.effective = effective
        self.items = items
        # AWS: "the Map state supports up to 40 concurrent iterations" in Inline mode.
        self.limit = min(limit, INLINE_MAX_CONCURRENCY) if limit > 0 else INLINE_MAX_CONCURRENCY
        self.results: list[Any] = [None] * len(items)
        self.prior = prior
        # A redrive keeps the iterations that already succeeded (AWS: "redrives only
        # the iterations ... that failed or aborted").
        for index, done in prior.items():
            if isinstance(done, Finished) and index < len(items):
                self.results[index] = done.output
        self.pending = [i for i in range(len(items)) if not isinstance(prior.get(i), Finished)]
        self.next_index = 0
        self.running: list[Fiber] = []
        self.children: dict[int, Fiber] = {}
        self.remaining = len(self.pending)
        self.cursor = started_event
        self.failed_cursor = started_event
        self.joined = Signal()

    def start(self) -> Signal:
        if not self.pending:
            self.joined.resolve(self.results)
            return self.joined
        self.joined.on_cancel.append(self._abort_all)
        # The Map state's fiber owns its running iterations, so stopping the
        # execution unwinds them too.
        self.run.fiber.children = self.running
        self._fill()
        return self.joined

    def _fill(self) -> None:
        while len(self.running) < self.limit and self.next_index < len(self.pending):
            index = self.pending[self.next_index]
            self.next_index += 1
            runtime = self.run.runtime
            child = runtime.new_fiber(self.run.fiber.execution, self.cursor)
            self.running.append(child)
            self.children[index] = child
            child.done.add_waiter(functools.partial(self._done, index, child))
            child.start(self._iteration(child, index))

    def _iteration(self, fiber: Fiber, index: int) -> Generator[Signal, Any, Any]:
        fiber.last_event = self.cursor
        state = self.run.state
        assert state.processor is not None, "the parser refuses a Map without a processor"
        details = {"index": index, "name": state.name}
        fiber.emit("MapIterationStarted", "mapIterationStartedEventDetails", details)
        if self.limit > 1:
            # AWS starts every concurrent iteration before any of them runs a state.
            yield self.run.runtime.next_turn()
        parent = self.run.env
        context = dict(parent.context)
        item = self.items[index]
        context["Map"] = {"Item": {"Index": index, "Value": item}}
        env = Env(context, parent.variables.child(), parent.random)
        resume = self.prior.get(index)
        try:
            if isinstance(resume, Resume):
                output = yield from self.run.run_machine(fiber, state.processor, None, env, resume=resume)
            else:
                item_input = self._item_input(state, env, item)
                output = yield from self.run.run_machine(fiber, state.processor, item_input, env)
        except (StatesError, StateFieldError):
            fiber.emit_aside("MapIterationFailed", "mapIterationFailedEventDetails", details)
            raise
        except FiberAborted as aborted:
            if not aborted.quiet:
                fiber.emit_aside("MapIterationAborted", "mapIterationAbortedEventDetails", details)
            raise
        fiber.emit_aside("MapIterationSucceeded", "mapIterationSucceededEventDetails", details)
        self.cursor = fiber.last_event
        return output

    def _item_input(self, state: MapState, env: Env, item: Any) -> Any:
        selector = state.item_selector
        if selector is None:
            return item
        if state.query_language == JSONATA:
            return selector.evaluate(states_binding(env, self.effective), env, "ItemSelector")
        return selector.evaluate(self.effective, env)

    def _done(self, index: int, child: Fiber, signal: Signal) -> None:
        if self.joined.done:
            return
        self.running.remove(child)
        error = signal.error
        if error is not None:
            if isinstance(error, FiberAborted):
                return
            self.failed_cursor = child.last_event
            for other in self.running:
                # AWS links the abort events of the other iterations to the failure.
                other.last_event = child.last_event
            self._abort_all()
            self.joined.fail(error)
            return
        self.results[index] = signal.value
        self.remaining -= 1
        if self.remaining == 0:
            self.joined.resolve(self.results)
            return
        self._fill()

    def _abort_all(self) -> None:
        for child in list(self.running):
            child.abort()
        self.running.clear()
