"""What a resource type gives ``Ref`` and ``Fn::GetAtt``, and how its name is made.

A :class:`Kind` is one row of the catalog (:mod:`fakesfn.iac.catalog`): the
property that names the resource, the rule CloudFormation follows when that
property is absent, and small getters for ``Ref`` and each attribute. Getters
read an :class:`Instance`: the resource as deployed in one stack, with its
name, its resolved properties (only those asked for) and deterministic ids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fakesfn.iac.errors import TemplateFormatError
from fakesfn.iac.names import LOWER, MIXED, UPPER, logical_prefixed, stack_prefixed

if TYPE_CHECKING:
    from fakesfn.iac.environment import Environment
    from fakesfn.iac.intrinsics import Resolver
    from fakesfn.iac.template import Resource

Getter = Callable[["Instance"], Any]


@dataclass(frozen=True, slots=True)
class NameRule:
    """How CloudFormation names a resource declared without a name.

    Attributes:
        max_length: the service's limit on the name.
        with_stack: ``{stack}-{logicalId}-{suffix}`` (else ``{logicalId}-{suffix}``).
        alphabet: the characters of the 12-character random suffix.
        lower: the whole name is lower-cased (S3 buckets).
        fifo_flag: a boolean property that makes the name end in ``.fifo``.
    """

    max_length: int
    with_stack: bool = True
    alphabet: str = MIXED
    lower: bool = False
    fifo_flag: str | None = None


@dataclass(frozen=True, slots=True)
class Kind:
    """One resource type's ``Ref``, attributes and naming."""

    ref: Getter
    attributes: Mapping[str, Getter] = field(default_factory=dict)
    name_property: str | None = None
    name_rule: NameRule | None = None


class Instance:
    """One resource of one stack, as ``Ref`` and ``Fn::GetAtt`` see it.

    Args:
        resource: its template entry.
        kind: its catalog row.
        environment: the stack's region, account and seeds.
        resolver: evaluates its properties when a getter needs them.
        generation: bumped each time an update replaces the resource, so the
            replacement gets a new generated name, as in CloudFormation.
    """

    def __init__(
        self,
        resource: Resource,
        kind: Kind,
        environment: Environment,
        resolver: Resolver,
        generation: int = 0,
    ) -> None:
        self.resource = resource
        self.kind = kind
        self.environment = environment
        self.resolver = resolver
        self.generation = generation
        self._props: dict[str, Any] = {}
        self._name: str | None = None

    @property
    def logical_id(self) -> str:
        """The resource's logical id."""
        return self.resource.logical_id

    def prop(self, path: str, default: Any = None) -> Any:
        """Property ``path`` (dotted for nested ones) resolved, or ``default`` when absent."""
        if path not in self._props:
            node: Any = self.resource.properties
            steps = path.split(".")
            for step in steps:
                if not isinstance(node, dict) or step not in node:
                    node = None
                    break
                node = node[step]
            self._props[path] = (
                None if node is None else self.resolver.resolve(node, self.resource.where(*steps))
            )
        value = self._props[path]
        return default if value is None else value

    def text(self, path: str, default: str | None = None) -> str | None:
        """Property ``path`` as text (``None`` when absent and no default)."""
        value = self.prop(path)
        if value is None:
            return default
        if isinstance(value, bool):
            return "true" if value else "false"
        if not isinstance(value, (str, int, float)):
            raise TemplateFormatError(
                f"must be a string, got {value!r}", self.resource.where(*path.split("."))
            )
        return str(value)

    def flag(self, path: str) -> bool:
        """A boolean property (``true``/``"true"``), false when absent."""
        value = self.prop(path)
        return value is True or (isinstance(value, str) and value.lower() == "true")

    @property
    def name(self) -> str:
        """The physical name: the name property's value, or the one CloudFormation makes up."""
        if self._name is None:
            explicit = self.text(self.kind.name_property) if self.kind.name_property else None
            self._name = explicit if explicit is not None else self._generated_name()
        return self._name

    def _generated_name(self) -> str:
        rule = self.kind.name_rule
        if rule is None:
            raise TemplateFormatError(
                f"Properties validation failed for resource {self.logical_id} with message: "
                f"#: required key [{self.kind.name_property}] not found",
                self.resource.where(),
            )
        fifo = rule.fifo_flag is not None and self.flag(rule.fifo_flag)
        limit = rule.max_length - (5 if fifo else 0)
        suffix = self.token("name", 12, rule.alphabet)
        if rule.with_stack:
            name = stack_prefixed(self.environment.stack_name, self.logical_id, suffix, limit)
        else:
            name = logical_prefixed(self.logical_id, suffix, limit)
        if rule.lower:
            name = name.lower()
        return f"{name}.fifo" if fifo else name

    def token(self, purpose: str, length: int, alphabet: str) -> str:
        """A deterministic random string for this resource (ids, hashes)."""
        key = f"{self.logical_id}/{self.generation}/{purpose}"
        return self.environment.seeds.draw(key, length, alphabet)

    def uuid(self, purpose: str = "uuid") -> str:
        """A deterministic UUID for this resource."""
        return self.environment.seeds.uuid(f"{self.logical_id}/{self.generation}/{purpose}")

    def arn(self, service: str, resource: str, *, region: bool = True, account: bool = True) -> str:
        """An ARN in the stack's partition, region and account."""
        return self.environment.arn(service, resource, region=region, account=account)


def name_of(instance: Instance) -> str:
    """A getter: the resource's physical name."""
    return instance.name


def arn_of(service: str, template: str, *, region: bool = True, account: bool = True) -> Getter:
    """A getter for ``arn:<partition>:<service>:<region>:<account>:<template with {name}>``."""

    def arn(instance: Instance) -> str:
        return instance.arn(service, template.format(name=instance.name), region=region, account=account)

    return arn


def random_id(prefix: str, length: int, alphabet: str = LOWER) -> Getter:
    """A getter for an id AWS makes up: ``prefix`` and ``length`` characters of ``alphabet``."""

    def make(instance: Instance) -> str:
        return prefix + instance.token("id", length, alphabet)

    return make


def prop_of(path: str, default: object = None) -> Getter:
    """A getter echoing a property back (a subnet's ``CidrBlock``, a parameter's ``Value``)."""

    def read(instance: Instance) -> object:
        return instance.prop(path, default)

    return read


def generated_id(instance: Instance) -> str:
    """The ``<stack>-<LogicalId>-<12 upper>`` id of resources whose ``Ref`` is just an id."""
    return f"{instance.environment.stack_name}-{instance.logical_id}-{instance.token('id', 12, UPPER)}"
