"""``Fn::Sub``: ``${Name}`` placeholders in a string, in both of its forms.

* ``Fn::Sub: "text"``: every ``${Name}`` is a parameter, a pseudo parameter
  or a resource (``Ref``), and ``${Resource.Attribute}`` is ``Fn::GetAtt``;
* ``Fn::Sub: ["text", {Name: value}]``: the map's names come first, their
  values resolved only when the text uses them.

``${!Literal}`` writes ``${Literal}`` unchanged (CloudFormation's escape). A
placeholder must resolve to a string (numbers and booleans print as
CloudFormation prints them); a list or an object is CloudFormation's error.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from fakesfn.iac.errors import TemplateFormatError, Where
from fakesfn.iac.intrinsics import FUNCTIONS, intrinsic, scalar_text

if TYPE_CHECKING:
    from fakesfn.iac.intrinsics import Resolver

_PLACEHOLDER: Final = re.compile(r"\$\{([^}]*)\}")


def _variable(resolver: Resolver, name: str, variables: dict[str, Any], where: Where) -> Any:
    if name in variables:
        return resolver.resolve(variables[name], where.child(name))
    if "." in name and not name.startswith("AWS::"):
        logical_id, attribute = name.split(".", 1)
        return FUNCTIONS["Fn::GetAtt"](resolver, [logical_id, attribute], where)
    return FUNCTIONS["Ref"](resolver, name, where)


def substitute(resolver: Resolver, text: str, variables: dict[str, Any], where: Where) -> str:
    """``text`` with its placeholders replaced."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if not name:
            raise TemplateFormatError("Template error: Fn::Sub has an empty ${} placeholder", where)
        value = _variable(resolver, name, variables, where)
        rendered = scalar_text(value)
        if rendered is None:
            raise TemplateFormatError(
                f"Template error: variable {name} in Fn::Sub expression does not resolve to a string", where
            )
        return rendered

    return _PLACEHOLDER.sub(replace, text)


@intrinsic("Fn::Sub")
def _sub(resolver: Resolver, argument: Any, where: Where) -> str:
    if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
        text = resolver.string(argument[0], where, "the Fn::Sub string")
        return substitute(resolver, text, argument[1], where)
    if isinstance(argument, str):
        return substitute(resolver, argument, {}, where)
    raise TemplateFormatError(
        "Template error: Fn::Sub takes a string, or a list of a string and a map of variables", where
    )
