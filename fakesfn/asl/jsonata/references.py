"""What a JSONata expression reads, checked when the definition is created.

A Step Functions expression runs with no context item: the state input is
``$states.input`` and a workflow variable is ``$name``. AWS refuses, at
CreateStateMachine, a path that starts from the (absent) context item::

    UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone' at the top level is not supported.

and any use of ``$$``, the root of that absent input. (Wording as measured against
AWS by the floci project, issue #2670 and ``docs/services/step-functions.md``.)

Only names read against the top-level context count. A later step of a path, a
predicate, a sort term, a grouping and a transform's clauses are relative to the
value they apply to and stay legal (``$states.input.items[value > 3]``). A lambda
body keeps the context it was defined in, so a bare name there is top-level too.

The same walk records which ``$states`` fields an expression reads, so the
definition checks can refuse ``$states.result`` or ``$states.errorOutput`` where
AWS does not offer them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from jsonata.parser import Parser

# The children of a node that are evaluated against the same context as the node.
_SAME_CONTEXT: Final = (
    "lhs",
    "rhs",
    "expression",
    "expressions",
    "lhs_object",
    "procedure",
    "arguments",
    "body",
    "condition",
    "then",
    "_else",
)


@dataclass(frozen=True, slots=True)
class References:
    """What one expression reads.

    Attributes:
        problem: AWS's UNSUPPORTED_JSONATA_EXPRESSION message, or None when none applies.
        states_fields: the ``$states`` fields read (``input``, ``result``...), ``*`` for
            ``$states`` as a whole.
    """

    problem: str | None
    states_fields: frozenset[str]


def references(ast: Any) -> References:
    """Walk ``ast`` once for its top-level references and ``$states`` fields."""
    problems: list[str] = []
    fields: set[str] = set()
    _visit(ast, problems, fields)
    return References(problems[0] if problems else None, frozenset(fields))


def _visit(node: Any, problems: list[str], fields: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _visit(item, problems, fields)
        return
    if not isinstance(node, Parser.Symbol):
        return
    kind = getattr(node, "type", None)
    if kind == "path":
        _visit_path(node, problems, fields)
        return
    if kind == "variable":
        _visit_variable(node, problems, fields)
        return
    if kind == "name":
        problems.append(_top_level(node))
        return
    for attribute in _SAME_CONTEXT:
        child = getattr(node, attribute, None)
        if child is not None:
            _visit(child, problems, fields)


def _visit_path(node: Any, problems: list[str], fields: set[str]) -> None:
    steps = getattr(node, "steps", None) or []
    if not steps:
        return
    first = steps[0]
    if getattr(first, "type", None) == "name":
        problems.append(_top_level(first))
    elif getattr(first, "type", None) == "variable" and first.value == "states":
        second = steps[1] if len(steps) > 1 else None
        if second is not None and getattr(second, "type", None) == "name":
            fields.add(str(second.value))
        else:
            fields.add("*")
    else:
        # Only the first step reads the top-level context; its own predicates and
        # the later steps read the values it produced.
        for attribute in _SAME_CONTEXT:
            child = getattr(first, attribute, None)
            if child is not None:
                _visit(child, problems, fields)
        if getattr(first, "type", None) == "variable":
            _visit_variable(first, problems, fields)


def _visit_variable(node: Any, problems: list[str], fields: set[str]) -> None:
    if node.value == "$":
        problems.append("Reference to '$$' is not supported.")
    elif node.value == "states":
        fields.add("*")


def _top_level(node: Any) -> str:
    return f"Reference to '{node.value}' at the top level is not supported."
