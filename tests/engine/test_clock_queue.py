"""The clock's timer queue: order, cancellation, and no pile-up of cancelled timers."""

from __future__ import annotations

import gc
import weakref

from hypothesis import given, settings
from hypothesis import strategies as st

from fakesfn.clock import VirtualClock


def test_timers_fire_in_due_then_creation_order():
    clock = VirtualClock()
    fired: list[str] = []
    clock.call_later(5, lambda: fired.append("b"))
    clock.call_later(1, lambda: fired.append("a"))
    clock.call_later(5, lambda: fired.append("c"))
    assert clock.advance(10) == 3
    assert fired == ["a", "b", "c"]


def test_a_cancelled_timer_lets_its_callback_go_at_once():
    class Payload:
        pass

    clock = VirtualClock()
    payload = Payload()
    alive = weakref.ref(payload)
    timer = clock.call_later(300, lambda held=payload: None, backstop=True)
    del payload
    timer.cancel()
    gc.collect()
    assert alive() is None
    assert clock.pending() == 0
    assert clock.next_due() is None


def test_many_cancelled_deadlines_do_not_pile_up_while_the_clock_stands_still():
    # 100,000 short executions at one instant each arm and cancel a 5-minute deadline.
    clock = VirtualClock()
    keep = clock.call_later(600, lambda: None)
    for _ in range(100_000):
        clock.call_later(300, lambda: None, backstop=True).cancel()
    assert len(clock._timers) < 3_000
    assert clock.pending() == 1
    assert clock.next_due() == keep.due


def test_a_callback_cancelling_many_timers_while_the_clock_fires_them():
    clock = VirtualClock()
    fired: list[int] = []
    later = [clock.call_later(20 + i, lambda i=i: fired.append(i)) for i in range(3_000)]

    def cancel_most() -> None:
        fired.append(-1)
        for timer in later[:2_990]:
            timer.cancel()

    clock.call_later(10, cancel_most)
    clock.advance(10_000)
    assert fired == [-1, *range(2_990, 3_000)]
    assert clock.pending() == 0
    assert not clock.has_foreground()


def test_cancelling_after_firing_or_twice_changes_nothing():
    clock = VirtualClock()
    first = clock.call_later(1, lambda: None)
    second = clock.call_later(2, lambda: None)
    clock.advance(1)
    first.cancel()
    second.cancel()
    second.cancel()
    assert clock.pending() == 0
    assert not clock.has_foreground()


_OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 50), st.booleans()),
        st.tuples(st.just("cancel"), st.integers(0, 10_000), st.booleans()),
        st.tuples(st.just("advance"), st.integers(0, 30), st.booleans()),
    ),
    max_size=300,
)


@settings(max_examples=60, deadline=None)
@given(_OPERATIONS)
def test_the_queue_behaves_like_a_sorted_list_of_live_timers(operations):
    clock = VirtualClock()
    fired: list[int] = []
    model: dict[int, tuple[float, int, bool]] = {}  # id -> (due, seq, backstop) of live timers
    timers = []
    for kind, number, flag in operations:
        if kind == "add":
            ident = len(timers)
            timer = clock.call_later(number, lambda ident=ident: fired.append(ident), backstop=flag)
            timers.append(timer)
            model[ident] = (timer.due, timer.seq, flag)
        elif kind == "cancel" and timers:
            ident = number % len(timers)
            timers[ident].cancel()
            model.pop(ident, None)
        elif kind == "advance":
            target = clock.time() + number
            due = sorted((entry[0], entry[1], ident) for ident, entry in model.items() if entry[0] <= target)
            expected = [ident for _, _, ident in due]
            fired.clear()
            clock.advance(number)
            assert fired == expected
            for ident in expected:
                del model[ident]
        assert clock.pending() == len(model)
        assert clock.has_foreground() == any(not backstop for _, _, backstop in model.values())
        assert clock.next_due() == (min(entry[0] for entry in model.values()) if model else None)
