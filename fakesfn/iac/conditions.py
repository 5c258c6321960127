"""Conditions: ``Fn::Equals``, ``Fn::Not``, ``Fn::And``, ``Fn::Or``, ``Fn::If`` and ``Condition`` references.

Each named condition is evaluated once, on first use, and remembered. A
condition that depends on itself is CloudFormation's circular-dependency
error. ``{"Condition": "Name"}`` is a reference only where a condition is
expected (inside ``Fn::And``, ``Fn::Or``, ``Fn::Not`` and the ``Conditions``
section): elsewhere a ``Condition`` key is ordinary data, an IAM policy's for
instance. The ``Rules`` functions (``Fn::Contains``, ``Fn::EachMemberEquals``,
``Fn::EachMemberIn``) are here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.iac.errors import TemplateFormatError, Where
from fakesfn.iac.intrinsics import call_arguments, intrinsic, scalar_text

if TYPE_CHECKING:
    from fakesfn.iac.intrinsics import Resolver


def evaluate_condition(resolver: Resolver, name: str, where: Where) -> bool:
    """The value of the template's condition ``name``."""
    known = resolver.condition_values.get(name)
    if known is not None:
        return known
    if name not in resolver.conditions:
        raise TemplateFormatError(
            f"Template format error: Unresolved dependencies [{name}]. "
            "The condition is not declared in the Conditions block of the template",
            where,
        )
    if name in resolver.evaluating:
        cycle = ", ".join([*resolver.evaluating[resolver.evaluating.index(name) :], name])
        raise TemplateFormatError(f"Template error: Circular dependency between conditions [{cycle}]", where)
    resolver.evaluating.append(name)
    try:
        value = condition_value(resolver, resolver.conditions[name], Where(name, section="Conditions"))
    finally:
        resolver.evaluating.pop()
    resolver.condition_values[name] = value
    return value


@intrinsic("Fn::If")
def _if(resolver: Resolver, argument: Any, where: Where) -> Any:
    name, when_true, when_false = call_arguments(argument, "Fn::If", 3, where)
    if not isinstance(name, str):
        raise TemplateFormatError("Template error: Fn::If's first argument must be a condition name", where)
    chosen = when_true if evaluate_condition(resolver, name, where) else when_false
    return resolver.resolve(chosen, where)


def condition_value(resolver: Resolver, node: Any, where: Where) -> bool:
    """``node`` evaluated where a condition is expected: a boolean or a condition reference."""
    if isinstance(node, dict) and len(node) == 1 and "Condition" in node:
        name = node["Condition"]
        if not isinstance(name, str):
            raise TemplateFormatError("Template error: a Condition reference must name a condition", where)
        return evaluate_condition(resolver, name, where)
    value = resolver.resolve(node, where)
    if isinstance(value, bool):
        return bool(value)
    if value in ("true", "false"):
        return bool(value == "true")
    raise TemplateFormatError(
        "Template error: a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or a Condition reference",
        where,
    )


def _operands(argument: Any, name: str, low: int, high: int, where: Where) -> list[Any]:
    if not isinstance(argument, list) or not low <= len(argument) <= high:
        size = str(low) if low == high else f"{low} to {high}"
        raise TemplateFormatError(f"Template error: {name} takes a list of {size} conditions", where)
    return argument


def _comparable(value: Any) -> Any:
    text = scalar_text(value)
    return text if text is not None else value


@intrinsic("Fn::Equals")
def _equals(resolver: Resolver, argument: Any, where: Where) -> bool:
    if not isinstance(argument, list) or len(argument) != 2:
        raise TemplateFormatError("Template error: Fn::Equals takes a list of 2 values", where)
    left, right = (_comparable(resolver.resolve(node, where)) for node in argument)
    return bool(left == right)


@intrinsic("Fn::Not")
def _not(resolver: Resolver, argument: Any, where: Where) -> bool:
    (operand,) = _operands(argument, "Fn::Not", 1, 1, where)
    return not condition_value(resolver, operand, where)


@intrinsic("Fn::And")
def _and(resolver: Resolver, argument: Any, where: Where) -> bool:
    operands = _operands(argument, "Fn::And", 2, 10, where)
    return all(condition_value(resolver, operand, where) for operand in operands)


@intrinsic("Fn::Or")
def _or(resolver: Resolver, argument: Any, where: Where) -> bool:
    operands = _operands(argument, "Fn::Or", 2, 10, where)
    return any(condition_value(resolver, operand, where) for operand in operands)


@intrinsic("Fn::Contains")
def _contains(resolver: Resolver, argument: Any, where: Where) -> bool:
    values, wanted = _operands(argument, "Fn::Contains", 2, 2, where)
    return resolver.string(wanted, where, "Fn::Contains' value") in resolver.strings(
        values, where, "Fn::Contains' list"
    )


@intrinsic("Fn::EachMemberEquals")
def _each_member_equals(resolver: Resolver, argument: Any, where: Where) -> bool:
    values, wanted = _operands(argument, "Fn::EachMemberEquals", 2, 2, where)
    text = resolver.string(wanted, where, "Fn::EachMemberEquals' value")
    return all(item == text for item in resolver.strings(values, where, "Fn::EachMemberEquals' list"))


@intrinsic("Fn::EachMemberIn")
def _each_member_in(resolver: Resolver, argument: Any, where: Where) -> bool:
    values, allowed = _operands(argument, "Fn::EachMemberIn", 2, 2, where)
    pool = set(resolver.strings(allowed, where, "Fn::EachMemberIn's allowed values"))
    return all(item in pool for item in resolver.strings(values, where, "Fn::EachMemberIn's list"))
