"""What an expression can see while it is evaluated: the Env.

Paths, intrinsic functions, payload templates and JSONata expressions are pure
functions of two things: the state's current value (``$`` / ``$states.input``)
and an :class:`Env` holding everything else a running state exposes: the
Context object (``$$`` / ``$states.context``), the workflow variables in scope,
and the seeded random source (``States.UUID``, ``$random()``...).

The engine owns and updates Envs; the language layer only reads them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol

_MISSING: Any = object()


class RandomSource(Protocol):
    """The seeded random draws expressions may make."""

    def uuid(self) -> str:
        """A version-4 UUID string."""
        ...

    def random(self) -> float:
        """A float in ``[0, 1)``."""
        ...

    def randint(self, low: int, high: int) -> int:
        """An int in ``[low, high]``."""
        ...


class Variables(Mapping[str, Any]):
    """Workflow variables visible in one scope: its own first, then its parents'.

    AWS: states inside a Map iteration or Parallel branch read the variables of
    the enclosing scopes but cannot assign them; an assignment always lands in the
    innermost scope (and disappears with it).
    """

    __slots__ = ("local", "parent", "sizes")

    def __init__(self, parent: Variables | None = None, local: dict[str, Any] | None = None) -> None:
        self.parent = parent
        self.local: dict[str, Any] = local if local is not None else {}
        # Serialized size (bytes) of each variable of this scope, when known.
        self.sizes: dict[str, int] = {}

    def __getitem__(self, name: str) -> Any:
        value = self.get(name, _MISSING)
        if value is _MISSING:
            raise KeyError(name)
        return value

    def get(self, name: str, default: Any = None) -> Any:
        """The variable's value, or ``default`` when no scope defines it."""
        scope: Variables | None = self
        while scope is not None:
            value = scope.local.get(name, _MISSING)
            if value is not _MISSING:
                return value
            scope = scope.parent
        return default

    def __iter__(self) -> Iterator[str]:
        return iter(self.flatten())

    def __len__(self) -> int:
        return len(self.flatten())

    def flatten(self) -> dict[str, Any]:
        """Every visible variable, inner scopes shadowing outer ones."""
        chain: list[dict[str, Any]] = []
        scope: Variables | None = self
        while scope is not None:
            chain.append(scope.local)
            scope = scope.parent
        merged: dict[str, Any] = {}
        for local in reversed(chain):
            merged.update(local)
        return merged

    def assign(self, values: Mapping[str, Any], sizes: Mapping[str, int] | None = None) -> None:
        """Set variables in this (the innermost) scope, with their sizes if known."""
        self.local.update(values)
        if sizes:
            self.sizes.update(sizes)

    def total_size_after(self, sizes: Mapping[str, int]) -> int:
        """Bytes of every visible variable once ``sizes`` are assigned here."""
        total = sum(size for name, size in self.sizes.items() if name not in sizes) + sum(sizes.values())
        scope = self.parent
        while scope is not None:
            total += sum(scope.sizes.values())
            scope = scope.parent
        return total

    def child(self) -> Variables:
        """A new inner scope (a Map iteration or a Parallel branch)."""
        return Variables(self)


class Env:
    """The evaluation environment of one running state.

    The Context object is copy-on-write: it is never changed in place. Every change
    (a new state's ``State``, a task's ``Task.Token``...) replaces ``context`` with a
    new dict, so whatever an expression took from it (``"ctx.$": "$$"``) stays the
    snapshot of the moment it was read, as AWS's serialized values are. Its nested
    objects are never changed either, which keeps a change a copy of a few keys.

    Attributes:
        context: the Context object (``$$``); the engine keeps it current.
        variables: the variables in scope.
        random: the seeded random source.
    """

    __slots__ = ("context", "variables", "random")

    def __init__(
        self,
        context: dict[str, Any] | None = None,
        variables: Variables | None = None,
        random: RandomSource | None = None,
    ) -> None:
        self.context: dict[str, Any] = context if context is not None else {}
        self.variables = variables if variables is not None else Variables()
        self.random = random

    def context_object(self) -> dict[str, Any]:
        """The Context object as ``$$`` sees it."""
        return self.context

    def set_context(self, key: str, value: Any) -> None:
        """Replace the Context object by one where ``key`` holds ``value``."""
        self.context = {**self.context, key: value}

    def drop_context(self, key: str) -> None:
        """Replace the Context object by one without ``key`` (when it has it)."""
        if key in self.context:
            self.context = {name: part for name, part in self.context.items() if name != key}


def states_binding(env: Env, state_input: Any, **extra: Any) -> dict[str, Any]:
    """The ``$states`` object JSONata expressions see: the input, the Context object, and ``extra``.

    ``extra`` adds what the field may read besides: ``result`` in Output and Assign,
    ``errorOutput`` in a Catcher's.
    """
    binding = {"input": state_input, "context": env.context}
    binding.update(extra)
    return binding
