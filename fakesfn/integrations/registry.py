"""The integration registry: which function runs the tasks of which resources.

Each integration module registers its functions with :func:`register`, keyed by the
resource's kind (``lambda``, ``activity``, ``service``, ``aws-sdk``) and
``service:action`` (or ``service:*`` / ``*``); :mod:`fakesfn.integrations.catalog`
imports every such module. A key registered twice is a mistake and is refused, so
no integration silently replaces another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fakesfn.asl.optimized import OPTIMIZED_INTEGRATIONS

if TYPE_CHECKING:
    from fakesfn.asl.resources import ResourceRef
    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.services import TaskServices

Integration = Callable[["TaskCall", "TaskServices"], "TaskBody"]
"""Runs one task: records its events, returns the raw result or raises ``StatesError``."""

INTEGRATIONS: dict[tuple[str, str], Integration] = {}
"""(kind, "service:action", "service:*" or "*") -> the integration running such tasks."""


def register(kind: str, key: str) -> Callable[[Integration], Integration]:
    """Register the decorated function for resources of ``kind`` and ``key``.

    Raises:
        RuntimeError: ``(kind, key)`` already has an integration, or ``key`` of a
            ``service`` kind is not in AWS's catalogue of optimized integrations.
    """

    def decorate(integration: Integration) -> Integration:
        if (kind, key) in INTEGRATIONS:
            raise RuntimeError(f"integration {kind} {key!r} registered twice")
        if kind == "service" and key not in OPTIMIZED_INTEGRATIONS:
            raise RuntimeError(f"{key!r} is no optimized integration AWS offers (fakesfn.asl.optimized)")
        INTEGRATIONS[(kind, key)] = integration
        return integration

    return decorate


def lookup(resource: ResourceRef) -> Integration | None:
    """The integration for ``resource``, most specific first."""
    return (
        INTEGRATIONS.get((resource.kind, f"{resource.service}:{resource.action}"))
        or INTEGRATIONS.get((resource.kind, f"{resource.service}:*"))
        or INTEGRATIONS.get((resource.kind, "*"))
    )
