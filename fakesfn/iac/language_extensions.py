"""``Fn::ForEach`` of the ``AWS::LanguageExtensions`` transform: template fragments repeated per item.

``"Fn::ForEach::Loop": [Identifier, Collection, {OutputKey: OutputValue}]`` may
stand in ``Conditions``, ``Outputs`` and ``Resources`` (resource properties
included). For each item of the collection (a list, or a ``Ref`` to a
``CommaDelimitedList`` parameter) the fragment is copied with ``${Identifier}``
replaced by the item, ``&{Identifier}`` by the item without its
non-alphanumeric characters, and ``{"Ref": "Identifier"}`` by the item; loops
nest. This runs before anything else is resolved, as the transform does.

An expansion is bounded: a template whose loops would produce more than
:data:`MAX_ENTRIES` entries is refused, rather than filling the memory.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Final

from fakesfn.iac.errors import TemplateFormatError, Where

PREFIX: Final = "Fn::ForEach::"
SECTIONS: Final = ("Conditions", "Outputs", "Resources")
MAX_ENTRIES: Final = 10_000
"""Far beyond CloudFormation's own quotas (500 resources, 200 outputs per template)."""

_NOT_ALPHANUMERIC: Final = re.compile(r"[^A-Za-z0-9]")


def uses_for_each(body: dict[str, Any]) -> bool:
    """Whether any of the sections ``Fn::ForEach`` may appear in holds one (walked iteratively)."""
    pending: list[Any] = [body.get(section) for section in SECTIONS]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if any(isinstance(key, str) and key.startswith(PREFIX) for key in node):
                return True
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return False


class _Expansion:
    def __init__(self, parameters: dict[str, object]) -> None:
        self.parameters = parameters
        self.entries = 0

    def expand(self, node: Any, where: Where) -> Any:
        if isinstance(node, list):
            return [self.expand(item, where.child(index)) for index, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if isinstance(key, str) and key.startswith(PREFIX):
                for new_key, new_value in self.loop(key, value, where.child(key)).items():
                    if new_key in out:
                        raise TemplateFormatError(f"Fn::ForEach produces the key {new_key!r} twice", where)
                    out[new_key] = new_value
            else:
                out[key] = self.expand(value, where.child(key))
        return out

    def loop(self, name: str, argument: Any, where: Where) -> dict[str, Any]:
        if not (isinstance(argument, list) and len(argument) == 3 and isinstance(argument[2], dict)):
            raise TemplateFormatError(
                f"{name} takes [Identifier, Collection, {{OutputKey: OutputValue}}]", where
            )
        identifier, collection, fragment = argument
        if not isinstance(identifier, str) or not identifier:
            raise TemplateFormatError(f"{name}: the identifier must be a name", where)
        produced: dict[str, Any] = {}
        for item in self.collection(collection, where):
            self.entries += len(fragment)
            if self.entries > MAX_ENTRIES:
                raise TemplateFormatError(f"Fn::ForEach expands to more than {MAX_ENTRIES} entries", where)
            copied = substitute(copy.deepcopy(fragment), identifier, item)
            for key, value in self.expand(copied, where).items():
                if key in produced:
                    raise TemplateFormatError(
                        f"{name} produces the key {key!r} twice: its OutputKey must use ${{{identifier}}} "
                        f"or &{{{identifier}}}",
                        where,
                    )
                produced[key] = value
        return produced

    def collection(self, node: Any, where: Where) -> list[str]:
        if isinstance(node, dict) and set(node) == {"Ref"} and node["Ref"] in self.parameters:
            node = self.parameters[node["Ref"]]
        if not isinstance(node, list) or not all(isinstance(item, (str, int, float)) for item in node):
            raise TemplateFormatError(
                "Fn::ForEach's collection must be a list of strings "
                "or a Ref to a CommaDelimitedList parameter",
                where,
            )
        return [str(item) for item in node]


def substitute(node: Any, identifier: str, item: str) -> Any:
    """``node`` with ``${identifier}``, ``&{identifier}`` and ``{"Ref": identifier}`` replaced by ``item``."""
    if isinstance(node, dict):
        if node == {"Ref": identifier}:
            return item
        return {
            substitute(key, identifier, item): substitute(value, identifier, item)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [substitute(value, identifier, item) for value in node]
    if isinstance(node, str):
        text = node.replace(f"${{{identifier}}}", item)
        return text.replace(f"&{{{identifier}}}", _NOT_ALPHANUMERIC.sub("", item))
    return node


def expand_for_each(body: dict[str, Any], parameters: dict[str, object]) -> None:
    """Expand every ``Fn::ForEach`` of ``body`` in place; ``parameters`` are the values ``Ref`` gives."""
    expansion = _Expansion(parameters)
    for section in SECTIONS:
        if isinstance(body.get(section), dict):
            body[section] = expansion.expand(body[section], Where(section=section))
