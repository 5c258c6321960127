"""What a Task's Resource means: the integration registry.

:func:`run_task` looks the parsed resource up in :data:`INTEGRATIONS` (keyed by
kind and service/action) and runs it. Kinds that need an outside actor or an AWS
session register here too; a resource nobody handles fails the task with an
error naming what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from fakesfn.asl.errors import StatesError
from fakesfn.engine.signals import Signal
from fakesfn.integrations import http_tasks, lambda_
from fakesfn.integrations.base import TaskCall, TaskEvents

Integration = Callable[[TaskCall], Generator[Signal, Any, Any]]

INTEGRATIONS: dict[tuple[str, str], Integration] = {
    ("lambda", "*"): lambda_.legacy_task,
    ("service", "lambda:invoke"): lambda_.invoke_task,
    ("service", "http:invoke"): http_tasks.invoke_task,
    ("service", "apigateway:invoke"): http_tasks.apigateway_task,
}
"""(kind, "service:action" or "*") -> the integration running such tasks."""


def register(kind: str, key: str) -> Callable[[Integration], Integration]:
    """Register the decorated function for resources of ``kind`` and ``key``."""

    def decorate(integration: Integration) -> Integration:
        INTEGRATIONS[(kind, key)] = integration
        return integration

    return decorate


def lookup(call: TaskCall) -> Integration | None:
    """The integration for ``call.resource``, most specific first."""
    resource = call.resource
    key = f"{resource.service}:{resource.action}"
    return (
        INTEGRATIONS.get((resource.kind, key))
        or INTEGRATIONS.get((resource.kind, f"{resource.service}:*"))
        or INTEGRATIONS.get((resource.kind, "*"))
    )


INTERCEPT_HOOK = "intercept_task"
"""``runtime.hooks`` key of a callable that may take a task over (mocked results)."""


def run_task(call: TaskCall) -> Generator[Signal, Any, Any]:
    """Run the task's integration; an unsupported resource fails the task clearly."""
    intercept = call.run.runtime.hooks.get(INTERCEPT_HOOK)
    integration = (intercept(call) if intercept is not None else None) or lookup(call)
    if integration is None:
        events = TaskEvents(call)
        events.scheduled()
        error = StatesError(
            "States.Runtime",
            f"fakesfn cannot run the resource '{call.resource.arn}' yet: no integration handles "
            f"{call.resource.kind} '{call.resource.service}:{call.resource.action}'",
        )
        events.failed(error)
        raise error
    result = yield from integration(call)
    return result


# Registering modules: each adds its integrations to INTEGRATIONS when imported.
from fakesfn.integrations import activities, mocks, nested, optimized, sdk  # noqa: E402,F401 - registers integrations
