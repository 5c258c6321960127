"""What a deployment will ask Step Functions for: the plan, computed before anything changes.

Every state machine and activity the template creates (its condition holds)
becomes a :class:`MachinePlan` or :class:`ActivityPlan` holding the exact
``CreateStateMachine``/``CreateActivity`` request: name, type, definition
text, role, logging, tracing and encryption configuration (CloudFormation's
``PascalCase`` properties turned into the API's members), and tags.

Tags are what CloudFormation's handler sends: the stack's tags, its system
tags (``aws:cloudformation:stack-name``, ``...:stack-id``, ``...:logical-id``)
and the resource's ``Tags``. Lambda functions are not created (the fake has
no Lambda service); their ARNs are computed for ``register_lambda``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from fakesfn.iac.definitions import definition_text
from fakesfn.iac.errors import TemplateFormatError, Where

if TYPE_CHECKING:
    from pathlib import Path

    from fakesfn.iac.kinds import Instance
    from fakesfn.iac.model import StackModel
    from fakesfn.iac.template import Resource

MACHINE: Final = "AWS::StepFunctions::StateMachine"
ACTIVITY: Final = "AWS::StepFunctions::Activity"
VERSION: Final = "AWS::StepFunctions::StateMachineVersion"
ALIAS: Final = "AWS::StepFunctions::StateMachineAlias"
FUNCTION: Final = "AWS::Lambda::Function"

_BOOLEAN_MEMBERS: Final = frozenset({"includeExecutionData", "enabled"})
_INTEGER_MEMBERS: Final = frozenset({"kmsDataKeyReusePeriodSeconds"})


@dataclass(slots=True)
class MachinePlan:
    """A state machine the stack holds, as the ``CreateStateMachine`` request for it."""

    logical_id: str
    where: Where
    request: dict[str, Any]
    arn: str

    @property
    def name(self) -> str:
        """The machine's name."""
        return str(self.request["name"])


@dataclass(slots=True)
class ActivityPlan:
    """An activity the stack holds, as the ``CreateActivity`` request for it."""

    logical_id: str
    where: Where
    request: dict[str, Any]
    arn: str


@dataclass(slots=True)
class StackPlan:
    """Everything a deployment creates, in template order."""

    machines: list[MachinePlan] = field(default_factory=list)
    activities: list[ActivityPlan] = field(default_factory=list)
    functions: dict[str, str] = field(default_factory=dict)
    versions: list[Resource] = field(default_factory=list)
    aliases: list[Resource] = field(default_factory=list)


def api_shape(value: Any) -> Any:
    """A CloudFormation configuration (``Level``, ``Destinations``...) as the API's members."""
    if isinstance(value, dict):
        shaped: dict[str, Any] = {}
        for key, item in value.items():
            member = key[:1].lower() + key[1:]
            item = api_shape(item)
            if member in _BOOLEAN_MEMBERS and isinstance(item, str):
                item = item.lower() == "true"
            if member in _INTEGER_MEMBERS and isinstance(item, str) and item.isdigit():
                item = int(item)
            shaped[member] = item
        return shaped
    if isinstance(value, list):
        return [api_shape(item) for item in value]
    return value


def _tags(instance: Instance, stack_tags: dict[str, str]) -> list[dict[str, str]]:
    environment = instance.environment
    tags: dict[str, str] = dict(stack_tags)
    tags["aws:cloudformation:stack-name"] = environment.stack_name
    tags["aws:cloudformation:logical-id"] = instance.logical_id
    tags["aws:cloudformation:stack-id"] = environment.stack_id
    declared = instance.prop("Tags", [])
    where = instance.resource.where("Tags")
    if not isinstance(declared, list):
        raise TemplateFormatError("Tags must be a list of {Key, Value} objects", where)
    for index, tag in enumerate(declared):
        if not isinstance(tag, dict) or "Key" not in tag or "Value" not in tag:
            raise TemplateFormatError(
                f"Properties validation failed for resource {instance.logical_id} with message: "
                f"#/Tags/{index}: required key [Key] or [Value] not found",
                where.child(index),
            )
        tags[_tag_text(tag["Key"])] = _tag_text(tag["Value"])
    return [{"key": key, "value": value} for key, value in tags.items()]


def _tag_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _configuration(instance: Instance, name: str) -> Any:
    value = instance.prop(name)
    return None if value is None else api_shape(value)


def machine_plan(
    model: StackModel, resource: Resource, base_dir: Path, stack_tags: dict[str, str]
) -> MachinePlan:
    """The ``CreateStateMachine`` request for one ``AWS::StepFunctions::StateMachine``."""
    instance = model.resources.instance(resource.logical_id)
    role = instance.prop("RoleArn", instance.prop("RoleARN"))
    if role is None:
        raise TemplateFormatError(
            f"Properties validation failed for resource {resource.logical_id} with message: "
            "#: required key [RoleArn] not found",
            resource.where(),
        )
    request: dict[str, Any] = {
        "name": instance.name,
        "definition": definition_text(instance, base_dir),
        "roleArn": _tag_text(role),
        "type": instance.text("StateMachineType", "STANDARD"),
        "tags": _tags(instance, stack_tags),
    }
    for member, prop in (
        ("loggingConfiguration", "LoggingConfiguration"),
        ("tracingConfiguration", "TracingConfiguration"),
        ("encryptionConfiguration", "EncryptionConfiguration"),
    ):
        value = _configuration(instance, prop)
        if value is not None:
            request[member] = value
    return MachinePlan(resource.logical_id, resource.where(), request, instance.kind.ref(instance))


def activity_plan(model: StackModel, resource: Resource, stack_tags: dict[str, str]) -> ActivityPlan:
    """The ``CreateActivity`` request for one ``AWS::StepFunctions::Activity``."""
    instance = model.resources.instance(resource.logical_id)
    request: dict[str, Any] = {"name": instance.name, "tags": _tags(instance, stack_tags)}
    encryption = _configuration(instance, "EncryptionConfiguration")
    if encryption is not None:
        request["encryptionConfiguration"] = encryption
    return ActivityPlan(resource.logical_id, resource.where(), request, instance.kind.ref(instance))


def build_plan(model: StackModel, base_dir: Path, stack_tags: dict[str, str]) -> StackPlan:
    """Resolve every Step Functions resource and Lambda function of the stack."""
    model.check_rules()
    plan = StackPlan()
    for resource in model.of_type(MACHINE):
        plan.machines.append(machine_plan(model, resource, base_dir, stack_tags))
    for resource in model.of_type(ACTIVITY):
        plan.activities.append(activity_plan(model, resource, stack_tags))
    for resource in model.of_type(FUNCTION):
        plan.functions[resource.logical_id] = model.resources.attribute(
            resource.logical_id, "Arn", resource.where()
        )
    plan.versions = model.of_type(VERSION)
    plan.aliases = model.of_type(ALIAS)
    return plan
