"""PyYAML loaders for templates: CloudFormation's short tags become their long JSON form.

Imported only by :func:`fakesfn.iac.reader.load_yaml`, after it checked that
PyYAML is installed; nothing else in fakesfn imports ``yaml``.

``!GetAtt Res.Attr`` splits at the first dot (``!GetAtt Db.Endpoint.Address``
is ``["Db", "Endpoint.Address"]``), as CloudFormation does; every other tag
``!Name value`` becomes ``{"Fn::Name": value}`` (``!Ref`` and ``!Condition``
keep their names), whatever node kind (scalar, list, mapping) carries it.
"""

from __future__ import annotations

import functools
from typing import Any, Final

import yaml

from fakesfn.iac.errors import TemplateReadError

SHORT_TAGS: Final = (
    "And",
    "Base64",
    "Cidr",
    "Condition",
    "Equals",
    "FindInMap",
    "GetAtt",
    "GetAZs",
    "If",
    "ImportValue",
    "Join",
    "Length",
    "Not",
    "Or",
    "Ref",
    "Select",
    "Split",
    "Sub",
    "ToJsonString",
    "Transform",
)
"""The short forms CloudFormation's YAML accepts (``!Ref``, ``!Sub``...)."""

_TIMESTAMP: Final = "tag:yaml.org,2002:timestamp"


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML with dates kept as strings.

    A key written twice in one mapping keeps its last value: CloudFormation's
    parser accepts such templates (several public samples rely on it).
    """


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _TemplateLoader(_StrictLoader):
    """:class:`_StrictLoader` plus CloudFormation's short tags."""


def _long_name(tag: str) -> str:
    return tag if tag in ("Ref", "Condition") else f"Fn::{tag}"


def _construct(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]


def _short_tag(tag: str) -> Any:
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        value = _construct(loader, node)
        if tag == "GetAtt" and isinstance(value, str):
            resource, dot, attribute = value.partition(".")
            if not dot:
                raise yaml.constructor.ConstructorError(
                    None, None, f"!GetAtt {value!r} must be written Resource.Attribute", node.start_mark
                )
            value = [resource, attribute]
        return {_long_name(tag): value}

    return construct


for _tag in SHORT_TAGS:
    _TemplateLoader.add_constructor(f"!{_tag}", _short_tag(_tag))


@functools.lru_cache(maxsize=2)
def _loader(cfn_tags: bool) -> type[yaml.SafeLoader]:
    return _TemplateLoader if cfn_tags else _StrictLoader


def parse_yaml(text: str, origin: str, *, cfn_tags: bool) -> Any:
    """Parse one YAML document; any YAML error becomes a :class:`TemplateReadError`."""
    try:
        return yaml.load(text, Loader=_loader(cfn_tags))  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        detail = " ".join(str(error).split())
        raise TemplateReadError(f"{origin} is not valid YAML: {detail}") from None
    except RecursionError:
        raise TemplateReadError(f"{origin} nests mappings and lists too deeply to read") from None
