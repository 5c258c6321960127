"""CloudFormation's intrinsic functions, evaluated as CloudFormation evaluates them.

:class:`Resolver` walks a JSON value; a one-key object whose key is ``Ref`` or
an ``Fn::`` name is a function call, dispatched through :data:`FUNCTIONS`
(one small function per intrinsic, registered with :func:`intrinsic`). Only
what a deployment needs is ever resolved, so an unresolvable value in a
resource nobody reads (an IAM policy, an API definition) costs nothing; a
value that *is* needed and cannot be known locally raises an error naming the
resource and the property.

``Ref: AWS::NoValue`` (directly or from ``Fn::If``) removes the property or
list item holding it. ``{{resolve:...}}`` dynamic references read SSM or
Secrets Manager in the account, so a needed string holding one is refused.
The condition functions (``Fn::If`` among them) and ``Fn::Sub`` live in
:mod:`fakesfn.iac.conditions` and :mod:`fakesfn.iac.sub`; they register themselves here.
"""

from __future__ import annotations

import base64
import ipaddress
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, Protocol

from fakesfn.iac.environment import NO_VALUE
from fakesfn.iac.errors import TemplateFormatError, UnresolvableError, Where
from fakesfn.iac.parameters import Unavailable

if TYPE_CHECKING:
    from fakesfn.iac.environment import Environment

MAX_DEPTH: Final = 120
"""A value nested deeper is refused (the reader already refuses templates deeper than 100)."""

_DYNAMIC_REFERENCE: Final = "{{resolve:"

Function = Callable[["Resolver", Any, Where], Any]
FUNCTIONS: dict[str, Function] = {}
"""Intrinsic name (``Fn::Join``, ``Ref``) -> its evaluator."""


def intrinsic(name: str) -> Callable[[Function], Function]:
    """Register the decorated function as the evaluator of intrinsic ``name``."""

    def register(function: Function) -> Function:
        FUNCTIONS[name] = function
        return function

    return register


class Resources(Protocol):
    """What ``Ref`` and ``Fn::GetAtt`` ask about the template's resources."""

    def has(self, logical_id: str) -> bool:
        """Whether the template declares ``logical_id``."""
        ...

    def ref(self, logical_id: str, where: Where) -> Any:
        """What ``Ref`` returns for the resource."""
        ...

    def attribute(self, logical_id: str, attribute: str, where: Where) -> Any:
        """What ``Fn::GetAtt`` returns for the resource's attribute."""
        ...


class Resolver:
    """Evaluates intrinsic functions against one stack's parameters, conditions and resources.

    Args:
        environment: the stack's name, region, account (pseudo parameters).
        parameters: parameter name -> value (see :mod:`fakesfn.iac.parameters`).
        mappings: the template's ``Mappings``.
        conditions: the template's ``Conditions`` (evaluated on first use).
        resources: answers ``Ref``/``Fn::GetAtt`` on resources.
        exports: export name -> value, for ``Fn::ImportValue``.
    """

    def __init__(
        self,
        environment: Environment,
        parameters: dict[str, object],
        mappings: dict[str, Any],
        conditions: dict[str, Any],
        resources: Resources,
        exports: dict[str, Any],
    ) -> None:
        self.environment = environment
        self.parameters = parameters
        self.mappings = mappings
        self.conditions = conditions
        self.resources = resources
        self.exports = exports
        self.condition_values: dict[str, bool] = {}
        self.evaluating: list[str] = []
        self._depth = 0

    def resolve(self, node: Any, where: Where) -> Any:
        """``node`` with every intrinsic evaluated; may return :data:`NO_VALUE`."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise TemplateFormatError(f"the value is nested more than {MAX_DEPTH} levels deep", where)
            return self._resolve(node, where)
        finally:
            self._depth -= 1

    def _resolve(self, node: Any, where: Where) -> Any:
        if isinstance(node, dict):
            call = function_call(node)
            if call is not None:
                name, argument = call
                return FUNCTIONS[name](self, argument, where)
            out: dict[str, Any] = {}
            for key, value in node.items():
                resolved = self.resolve(value, where.child(key))
                if resolved is not NO_VALUE:
                    out[key] = resolved
            return out
        if isinstance(node, list):
            items = (self.resolve(value, where.child(index)) for index, value in enumerate(node))
            return [item for item in items if item is not NO_VALUE]
        if isinstance(node, str) and _DYNAMIC_REFERENCE in node:
            raise UnresolvableError(
                f"the dynamic reference in {node!r} reads SSM Parameter Store or Secrets Manager "
                "in the AWS account; write the value into the template or a parameter instead",
                where,
            )
        return node

    def string(self, node: Any, where: Where, what: str) -> str:
        """``node`` resolved to a string (numbers and booleans as CloudFormation prints them)."""
        value = self.resolve(node, where)
        text = scalar_text(value)
        if text is None:
            raise TemplateFormatError(f"Template error: {what} must be a string, got {_shown(value)}", where)
        return text

    def strings(self, node: Any, where: Where, what: str) -> list[str]:
        """``node`` resolved to a list of strings."""
        value = self.resolve(node, where)
        if not isinstance(value, list):
            raise TemplateFormatError(f"Template error: {what} must be a list, got {_shown(value)}", where)
        texts = [scalar_text(item) for item in value]
        if any(text is None for text in texts):
            raise TemplateFormatError(f"Template error: {what} must be a list of strings", where)
        return [text for text in texts if text is not None]

    def parameter(self, name: str, where: Where) -> object:
        """A parameter's value; an SSM parameter without a value raises here."""
        value = self.parameters[name]
        if isinstance(value, Unavailable):
            raise value.fail(where)
        return value


def function_call(node: dict[str, Any]) -> tuple[str, Any] | None:
    """``(name, argument)`` when ``node`` is an intrinsic call, else ``None``."""
    if len(node) != 1:
        return None
    ((key, argument),) = node.items()
    if key in FUNCTIONS:
        return key, argument
    if key.startswith("Fn::") and not key.startswith("Fn::ForEach::"):
        raise TemplateFormatError(f"Template format error: Unrecognized intrinsic function {key}")
    return None


def scalar_text(value: Any) -> str | None:
    """How CloudFormation turns a scalar into text (``true``, ``5``); ``None`` for lists/objects."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _shown(value: Any) -> str:
    if value is NO_VALUE:
        return "AWS::NoValue"
    return json.dumps(value)[:200]


def call_arguments(argument: Any, name: str, count: int | tuple[int, ...], where: Where) -> list[Any]:
    """A function's argument list, refused with CloudFormation's wording unless it has ``count`` items."""
    counts = (count,) if isinstance(count, int) else count
    if not isinstance(argument, list) or len(argument) not in counts:
        wanted = " or ".join(str(n) for n in counts)
        raise TemplateFormatError(f"Template error: {name} takes a list of {wanted} arguments", where)
    return argument


@intrinsic("Ref")
def _ref(resolver: Resolver, name: Any, where: Where) -> Any:
    if not isinstance(name, str):
        raise TemplateFormatError(
            "Template format error: Every Ref object must have a single String value.", where
        )
    pseudo = resolver.environment.pseudo(name)
    if pseudo is not None:
        return pseudo
    if name in resolver.parameters:
        return resolver.parameter(name, where)
    if resolver.resources.has(name):
        return resolver.resources.ref(name, where)
    raise unresolved(name, where)


def unresolved(name: str, where: Where, why: str = "") -> TemplateFormatError:
    """CloudFormation's error for a reference to something the template does not declare (or create)."""
    block = "in the Resources block of the template"
    return TemplateFormatError(
        f"Template format error: Unresolved resource dependencies [{name}] {block}{why}", where
    )


@intrinsic("Fn::GetAtt")
def _get_att(resolver: Resolver, argument: Any, where: Where) -> Any:
    if isinstance(argument, str) and "." in argument:
        argument = argument.split(".", 1)
    logical_id, attribute = call_arguments(argument, "Fn::GetAtt", 2, where)
    if not isinstance(logical_id, str):
        raise TemplateFormatError("Template error: Fn::GetAtt's first argument must be a logical id", where)
    attribute_name = resolver.string(attribute, where, "the Fn::GetAtt attribute name")
    if not resolver.resources.has(logical_id):
        raise TemplateFormatError(
            f"Template error: instance of Fn::GetAtt references undefined resource {logical_id}", where
        )
    return resolver.resources.attribute(logical_id, attribute_name, where)


@intrinsic("Fn::Join")
def _join(resolver: Resolver, argument: Any, where: Where) -> str:
    delimiter, values = call_arguments(argument, "Fn::Join", 2, where)
    separator = resolver.string(delimiter, where, "the Fn::Join delimiter")
    return separator.join(resolver.strings(values, where, "the values Fn::Join joins"))


@intrinsic("Fn::Select")
def _select(resolver: Resolver, argument: Any, where: Where) -> Any:
    index_node, values_node = call_arguments(argument, "Fn::Select", 2, where)
    index_text = resolver.string(index_node, where, "the Fn::Select index")
    values = resolver.resolve(values_node, where)
    if not isinstance(values, list):
        raise TemplateFormatError("Template error: Fn::Select requires a list to select from", where)
    if not index_text.isdigit() or int(index_text) >= len(values):
        raise TemplateFormatError(
            f"Template error: Fn::Select cannot select nonexistent value at index {index_text}", where
        )
    return values[int(index_text)]


@intrinsic("Fn::Split")
def _split(resolver: Resolver, argument: Any, where: Where) -> list[str]:
    delimiter, source = call_arguments(argument, "Fn::Split", 2, where)
    separator = resolver.string(delimiter, where, "the Fn::Split delimiter")
    if not separator:
        raise TemplateFormatError("Template error: Fn::Split's delimiter must not be empty", where)
    return resolver.string(source, where, "the string Fn::Split splits").split(separator)


@intrinsic("Fn::FindInMap")
def _find_in_map(resolver: Resolver, argument: Any, where: Where) -> Any:
    arguments = call_arguments(argument, "Fn::FindInMap", (3, 4), where)
    keys = [resolver.string(node, where, "a Fn::FindInMap key") for node in arguments[:3]]
    found: Any = resolver.mappings
    for key in keys:
        found = found.get(key) if isinstance(found, dict) else None
        if found is None:
            break
    if found is not None:
        return resolver.resolve(found, where)
    default = arguments[3] if len(arguments) == 4 else None
    if isinstance(default, dict) and "DefaultValue" in default:
        return resolver.resolve(default["DefaultValue"], where)
    raise TemplateFormatError(f"Template error: Unable to get mapping for {'::'.join(keys)}", where)


@intrinsic("Fn::Base64")
def _base64(resolver: Resolver, argument: Any, where: Where) -> str:
    text = resolver.string(argument, where, "the value Fn::Base64 encodes")
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


@intrinsic("Fn::GetAZs")
def _get_azs(resolver: Resolver, argument: Any, where: Where) -> list[str]:
    region = resolver.string(argument, where, "the Fn::GetAZs region") if argument != "" else ""
    return resolver.environment.zones(region)


@intrinsic("Fn::ImportValue")
def _import_value(resolver: Resolver, argument: Any, where: Where) -> Any:
    name = resolver.string(argument, where, "the Fn::ImportValue export name")
    if name in resolver.exports:
        value = resolver.exports[name]
        if isinstance(value, Unavailable):
            raise value.fail(where)
        return value
    raise UnresolvableError(
        f"Fn::ImportValue {name!r}: no stack deployed into this backend exports that name "
        "(exports of other stacks live in the AWS account); deploy the exporting stack first, "
        f"or pass imports={{{name!r}: ...}}",
        where,
    )


@intrinsic("Fn::Cidr")
def _cidr(resolver: Resolver, argument: Any, where: Where) -> list[str]:
    block, count, bits = (
        resolver.string(node, where, "a Fn::Cidr argument")
        for node in call_arguments(argument, "Fn::Cidr", 3, where)
    )
    try:
        network = ipaddress.ip_network(block, strict=False)
        prefix = network.max_prefixlen - int(bits)
        subnets = network.subnets(new_prefix=prefix)
        wanted = int(count)
        found = [str(subnet) for _, subnet in zip(range(wanted), subnets, strict=False)]
    except ValueError as error:
        raise TemplateFormatError(f"Template error: Fn::Cidr: {error}", where) from None
    if len(found) < wanted:
        raise TemplateFormatError(
            f"Template error: Fn::Cidr: {block} holds fewer than {count} subnets", where
        )
    return found


@intrinsic("Fn::Length")
def _length(resolver: Resolver, argument: Any, where: Where) -> int:
    value = resolver.resolve(argument, where)
    if not isinstance(value, list):
        raise TemplateFormatError("Template error: Fn::Length requires a list", where)
    return len(value)


@intrinsic("Fn::ToJsonString")
def _to_json_string(resolver: Resolver, argument: Any, where: Where) -> str:
    return json.dumps(resolver.resolve(argument, where), separators=(",", ":"), ensure_ascii=False)


@intrinsic("Fn::Transform")
def _transform(resolver: Resolver, argument: Any, where: Where) -> Any:
    name = argument.get("Name") if isinstance(argument, dict) else None
    raise UnresolvableError(
        f"Fn::Transform ({name or 'a macro'}) runs inside CloudFormation in the AWS account "
        "and cannot be processed locally",
        where,
    )


def _account_lookup(name: str) -> Function:
    def refuse(resolver: Resolver, argument: Any, where: Where) -> Any:
        raise UnresolvableError(
            f"{name} reads resources of the AWS account and cannot be evaluated locally", where
        )

    return refuse


for _name in ("Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll"):
    FUNCTIONS[_name] = _account_lookup(_name)
