"""One template as one stack: every value of it resolvable on demand.

:class:`StackModel` ties the pieces together: parameter values, the
:class:`~fakesfn.iac.intrinsics.Resolver`, and :class:`StackResources`, which
answers ``Ref`` and ``Fn::GetAtt`` from the catalog. A resource is asked only
for what someone needs; a resource that needs itself, directly or through
others, is CloudFormation's circular-dependency error. Values the caller
supplies (``resource_values=``) stand in for resources the fake cannot know.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from fakesfn.iac import sub as _sub  # noqa: F401 - registers Fn::Sub
from fakesfn.iac.catalog import KINDS
from fakesfn.iac.conditions import condition_value, evaluate_condition
from fakesfn.iac.environment import NO_VALUE
from fakesfn.iac.errors import ParameterError, TemplateFormatError, UnresolvableError, Where
from fakesfn.iac.intrinsics import Resolver, unresolved
from fakesfn.iac.kinds import Instance
from fakesfn.iac.parameters import Unavailable

if TYPE_CHECKING:
    from collections.abc import Iterator

    from fakesfn.iac.environment import Environment
    from fakesfn.iac.template import Resource, Template

_CUSTOM_TYPES = ("Custom::", "AWS::CloudFormation::CustomResource")


class StackResources:
    """``Ref`` and ``Fn::GetAtt`` on the template's resources."""

    def __init__(
        self,
        template: Template,
        environment: Environment,
        overrides: dict[str, dict[str, Any]],
        generations: dict[str, int],
    ) -> None:
        self.template = template
        self.environment = environment
        self.overrides = overrides
        self.generations = generations
        self.resolver: Resolver | None = None
        self._instances: dict[str, Instance] = {}
        self._active: list[str] = []

    def has(self, logical_id: str) -> bool:
        """Whether the template declares ``logical_id``."""
        return logical_id in self.template.resources

    def created(self, resource: Resource) -> bool:
        """Whether the resource's ``Condition`` (if any) holds."""
        if resource.condition is None or self.resolver is None:
            return True
        return evaluate_condition(self.resolver, resource.condition, resource.where())

    def instance(self, logical_id: str) -> Instance:
        """The resource as deployed, with the catalog row of its type."""
        found = self._instances.get(logical_id)
        if found is None:
            resource = self.template.resources[logical_id]
            kind = KINDS.get(resource.type)
            if kind is None or self.resolver is None:
                raise UnresolvableError(self._unknown_type(resource), resource.where())
            found = Instance(
                resource, kind, self.environment, self.resolver, self.generations.get(logical_id, 0)
            )
            self._instances[logical_id] = found
        return found

    def ref(self, logical_id: str, where: Where) -> Any:
        """What ``Ref`` returns for the resource."""
        return self._value(logical_id, "Ref", where)

    def attribute(self, logical_id: str, attribute: str, where: Where) -> Any:
        """What ``Fn::GetAtt`` returns for the resource's attribute."""
        return self._value(logical_id, attribute, where)

    def _value(self, logical_id: str, attribute: str, where: Where) -> Any:
        resource = self.template.resources[logical_id]
        if not self.created(resource):
            raise unresolved(
                logical_id,
                where,
                f" ({logical_id} is not created: its condition {resource.condition} is false)",
            )
        given = self.overrides.get(logical_id, {})
        if attribute in given:
            return given[attribute]
        asked = "Ref" if attribute == "Ref" else f"Fn::GetAtt {logical_id}.{attribute}"
        if resource.type.startswith(_CUSTOM_TYPES):
            raise UnresolvableError(
                f"{asked}: {logical_id} is a custom resource, whose values come from its provider running "
                f"in AWS; pass them as resource_values={{{logical_id!r}: {{{attribute!r}: ...}}}}",
                where,
            )
        if logical_id in self._active:
            cycle = [*self._active[self._active.index(logical_id) :], logical_id]
            raise TemplateFormatError(
                f"Template format error: Circular dependency between resources: [{', '.join(cycle)}]", where
            )
        instance = self.instance(logical_id)
        getter = instance.kind.ref if attribute == "Ref" else instance.kind.attributes.get(attribute)
        if getter is None:
            raise UnresolvableError(
                f"{asked}: fakesfn does not model the attribute {attribute!r} of {resource.type} "
                f"(check its name, or pass resource_values={{{logical_id!r}: {{{attribute!r}: ...}}}})",
                where,
            )
        with self._visiting(logical_id):
            return getter(instance)

    @contextmanager
    def _visiting(self, logical_id: str) -> Iterator[None]:
        self._active.append(logical_id)
        try:
            yield
        finally:
            self._active.pop()

    @staticmethod
    def _unknown_type(resource: Resource) -> str:
        given = f"resource_values={{{resource.logical_id!r}: {{'Ref': ..., '<Attribute>': ...}}}}"
        return (
            f"fakesfn does not know what Ref and Fn::GetAtt return for {resource.type}; pass them as {given}"
        )


class StackModel:
    """A template, its parameter values and environment: everything needed to resolve it."""

    def __init__(
        self,
        template: Template,
        environment: Environment,
        parameters: dict[str, object],
        exports: dict[str, Any],
        overrides: dict[str, dict[str, Any]],
        generations: dict[str, int],
    ) -> None:
        unknown = sorted(set(overrides) - set(template.resources))
        if unknown:
            raise ParameterError(f"resource_values names resources the template does not declare: {unknown}")
        self.template = template
        self.environment = environment
        self.resources = StackResources(template, environment, overrides, generations)
        self.resolver = Resolver(
            environment, parameters, template.mappings, template.conditions, self.resources, exports
        )
        self.resources.resolver = self.resolver

    def created(self, resource: Resource) -> bool:
        """Whether the resource exists in this stack (its condition holds)."""
        return self.resources.created(resource)

    def of_type(self, *types: str) -> list[Resource]:
        """The created resources of the given types, in template order."""
        return [r for r in self.template.resources.values() if r.type in types and self.created(r)]

    def check_rules(self) -> None:
        """Evaluate ``Rules`` as CloudFormation does before creating anything.

        A rule whose evaluation needs a value from the account (an SSM parameter
        with no value given: ``cdk synth``'s bootstrap-version check) is skipped.
        """
        for name, rule in self.template.rules.items():
            where = Where(name, section="Rules")
            if not isinstance(rule, dict):
                raise TemplateFormatError("Template format error: every rule must be an object", where)
            try:
                failed = self._failed_assertions(rule, where)
            except UnresolvableError:
                continue
            if failed:
                description = failed[0].get("AssertDescription", f"Template rule {name} failed")
                raise ParameterError(f"Rule {name} failed: {description}", where)

    def _failed_assertions(self, rule: dict[str, Any], where: Where) -> list[dict[str, Any]]:
        if "RuleCondition" in rule and not condition_value(self.resolver, rule["RuleCondition"], where):
            return []
        assertions = rule.get("Assertions", [])
        if not isinstance(assertions, list) or not all(isinstance(a, dict) for a in assertions):
            raise TemplateFormatError("Template format error: Assertions must be a list of objects", where)
        return [a for a in assertions if not condition_value(self.resolver, a.get("Assert"), where)]

    def output(self, name: str) -> Any:
        """The value of output ``name`` (resolved now)."""
        declared = self.template.outputs.get(name)
        where = Where(name, section="Outputs")
        if not isinstance(declared, dict) or "Value" not in declared:
            raise TemplateFormatError(
                "Template format error: every Outputs member must contain a Value object", where
            )
        condition = declared.get("Condition")
        if isinstance(condition, str) and not evaluate_condition(self.resolver, condition, where):
            raise KeyError(name)
        value = self.resolver.resolve(declared["Value"], where.child("Value"))
        if value is NO_VALUE:
            raise KeyError(name)
        return value

    def output_names(self) -> list[str]:
        """Outputs that exist (their conditions hold), in template order."""
        names = []
        for name, declared in self.template.outputs.items():
            condition = declared.get("Condition") if isinstance(declared, dict) else None
            if not isinstance(condition, str) or evaluate_condition(
                self.resolver, condition, Where(name, section="Outputs")
            ):
                names.append(name)
        return names

    def exports(self) -> dict[str, Any]:
        """``Export: Name:`` -> value for every output this stack exports.

        An export whose value only AWS knows is an :class:`Unavailable` that says why,
        so another stack's ``Fn::ImportValue`` of it fails with that reason.
        """
        found: dict[str, Any] = {}
        for name in self.output_names():
            declared = self.template.outputs[name]
            export = declared.get("Export") if isinstance(declared, dict) else None
            if not isinstance(export, dict) or "Name" not in export:
                continue
            where = Where(name, section="Outputs")
            try:
                exported = self.resolver.string(export["Name"], where.child("Export"), "an export name")
            except UnresolvableError:
                continue
            try:
                found[exported] = self.output(name)
            except UnresolvableError as error:
                stack = self.environment.stack_name
                found[exported] = Unavailable(exported, f"stack {stack} exports {exported!r}, but {error}")
        return found
