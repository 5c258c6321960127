"""State bodies, one module per state type; importing this package registers them."""

from __future__ import annotations

from fakesfn.engine.states import choice, fail, map_, parallel, pass_, succeed, task, wait

__all__ = ["choice", "fail", "map_", "parallel", "pass_", "succeed", "task", "wait"]
