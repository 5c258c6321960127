"""Template parameters: their declared types and constraints, and the values ``Ref`` gives.

CloudFormation checks every parameter before creating anything: a value is
needed for each parameter without a ``Default`` ("Parameters: [X] must have
values"), no value may be given for an undeclared one ("Parameters: [X] do not
exist in the template"), and each value must meet its ``AllowedValues``,
``AllowedPattern``, length and number bounds (the message is the declared
``ConstraintDescription`` when there is one). ``Ref`` then gives a *string*
for ``String`` and ``Number`` parameters, and a list of strings for
``CommaDelimitedList`` and ``List<...>`` ones.

``AWS::SSM::Parameter::Value<...>`` parameters name a parameter in the
account's Parameter Store, which the fake cannot read: pass the value it holds
as the parameter's value. Without one, any use of the parameter fails with an
error naming it (``cdk synth`` templates declare ``BootstrapVersion`` this way
and use it only in ``Rules``, so they deploy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from fakesfn.iac.errors import ParameterError, TemplateFormatError, UnresolvableError, Where

_SSM_VALUE: Final = re.compile(r"AWS::SSM::Parameter::Value<(.+)>\Z")
_LIST: Final = re.compile(r"List<(.+)>\Z")
_AWS_SPECIFIC: Final = re.compile(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9:]+\Z")
_NUMBER: Final = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\Z")


@dataclass(frozen=True, slots=True)
class Unavailable:
    """A parameter whose value exists only in the AWS account (an SSM parameter)."""

    name: str
    reason: str

    def fail(self, where: Where) -> UnresolvableError:
        """The error a use of this parameter raises."""
        return UnresolvableError(self.reason, where)


def _kind(declared: str, name: str) -> tuple[str, bool]:
    """``(element kind, is_list)``: the element kind is ``String``, ``Number`` or ``SSM``."""
    ssm = _SSM_VALUE.match(declared)
    if ssm:
        inner, is_list = _kind(ssm.group(1), name)
        return "SSM", is_list or inner == "List"
    if declared == "CommaDelimitedList":
        return "String", True
    listed = _LIST.match(declared)
    if listed:
        inner, _ = _kind(listed.group(1), name)
        return inner, True
    if declared in ("String", "Number"):
        return declared, False
    if declared == "AWS::SSM::Parameter::Name" or _AWS_SPECIFIC.match(declared):
        return "String", False
    raise TemplateFormatError(
        f"Template format error: Unrecognized parameter type: {declared}", Where(name, section="Parameters")
    )


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _as_list(value: object) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [_text(item) for item in value]
    text = _text(value)
    return [item.strip() for item in text.split(",")] if text else []


class _Check:
    """One parameter's declared constraints, checked against one value."""

    def __init__(self, name: str, declaration: dict[str, Any]) -> None:
        self.name = name
        self.declaration = declaration

    def fail(self, default_message: str) -> ParameterError:
        custom = self.declaration.get("ConstraintDescription")
        message = (
            f"Parameter {self.name} failed to satisfy constraint: {custom}"
            if custom
            else f"Parameter '{self.name}' {default_message}"
        )
        return ParameterError(message, Where(self.name, section="Parameters"))

    def check(self, item: str, element: str) -> None:
        allowed = self.declaration.get("AllowedValues")
        if allowed is not None and item not in [_text(value) for value in allowed]:
            raise self.fail("must be one of AllowedValues")
        if element == "Number":
            self._number(item)
            return
        pattern = self.declaration.get("AllowedPattern")
        if pattern is not None and not re.fullmatch(str(pattern), item):
            raise self.fail(f"must match pattern {pattern}")
        minimum, maximum = self.declaration.get("MinLength"), self.declaration.get("MaxLength")
        if minimum is not None and len(item) < int(minimum):
            raise self.fail(f"must contain at least {minimum} characters")
        if maximum is not None and len(item) > int(maximum):
            raise self.fail(f"must contain at most {maximum} characters")

    def _number(self, item: str) -> None:
        if not _NUMBER.match(item):
            raise self.fail("must be a number")
        number = float(item)
        low, high = self.declaration.get("MinValue"), self.declaration.get("MaxValue")
        if low is not None and number < float(low):
            raise self.fail(f"must be a number not less than {low}")
        if high is not None and number > float(high):
            raise self.fail(f"must be a number not greater than {high}")


def _value(name: str, declaration: dict[str, Any], given: object, has_given: bool) -> object:
    declared = str(declaration["Type"])
    element, is_list = _kind(declared, name)
    raw = given if has_given else declaration.get("Default")
    if element == "SSM" and not has_given:
        default = declaration.get("Default")
        return Unavailable(
            name,
            f"parameter {name} ({declared}) reads the SSM parameter {default!r} from the AWS account; "
            f"pass the value it holds: parameters={{{name!r}: ...}}",
        )
    check = _Check(name, declaration)
    if is_list:
        items = _as_list(raw)
        for item in items:
            check.check(item, "String" if element == "SSM" else element)
        return items
    text = _text(raw)
    check.check(text, "String" if element == "SSM" else element)
    return text


def parameter_values(declarations: dict[str, Any], given: dict[str, Any]) -> dict[str, object]:
    """The value ``Ref`` gives for each declared parameter, after CloudFormation's checks.

    Args:
        declarations: the template's ``Parameters`` section.
        given: the caller's values by parameter name (strings, numbers or lists).

    Returns:
        name -> str, list of str, or :class:`Unavailable`.
    """
    for name, declaration in declarations.items():
        if not isinstance(declaration, dict) or not isinstance(declaration.get("Type"), str):
            raise TemplateFormatError(
                "Template format error: Every Parameters object must contain a Type member.",
                Where(name, section="Parameters"),
            )
        _kind(declaration["Type"], name)
    unknown = sorted(set(given) - set(declarations))
    if unknown:
        raise ParameterError(f"Parameters: [{', '.join(unknown)}] do not exist in the template")
    missing = sorted(
        name
        for name, declaration in declarations.items()
        if name not in given and not (isinstance(declaration, dict) and "Default" in declaration)
    )
    if missing:
        raise ParameterError(f"Parameters: [{', '.join(missing)}] must have values")
    return {
        name: _value(name, declaration, given.get(name), name in given)
        for name, declaration in declarations.items()
    }
