"""The ``AWS::Serverless-2016-10-31`` transform, as far as a deployment into the fake needs it.

What SAM's translator does, and what this module reproduces:

* ``Globals`` (sections ``Function``, ``Api``, ``HttpApi``, ``SimpleTable``,
  ``StateMachine``, ``LayerVersion``) merge into each resource of that type:
  the resource's own scalars win, lists are concatenated, maps merge key by
  key; ``IgnoreGlobals`` opts a resource out.
* ``AWS::Serverless::StateMachine`` becomes ``AWS::StepFunctions::StateMachine``
  under the same logical id: ``Name``, ``Type``, ``Logging``, ``Tracing`` map to
  ``StateMachineName``, ``StateMachineType``, ``LoggingConfiguration``,
  ``TracingConfiguration``; an inline ``Definition`` becomes a
  ``DefinitionString`` (sorted keys, four-space indent, the intrinsics inside
  it moved to ``DefinitionSubstitutions`` as ``${definition_substitution_N}``);
  a local ``DefinitionUri`` is read from the template's folder (what
  ``sam deploy`` uploads); ``Tags`` gain ``stateMachine:createdBy: SAM``;
  without ``Role`` an execution role ``<LogicalId>Role`` is added.
  ``Events`` (rules, schedules, APIs that start the machine) and
  ``Policies`` change nothing inside the fake and are ignored.
* ``AWS::Serverless::Function`` becomes ``AWS::Lambda::Function`` (plus
  ``<LogicalId>Role`` without ``Role``), ``SimpleTable`` a DynamoDB table,
  ``Api``/``HttpApi`` API Gateway APIs (and the implicit ``ServerlessRestApi``/
  ``ServerlessHttpApi`` that API events create), ``LayerVersion``,
  ``Application`` and ``GraphQLApi`` their CloudFormation types;
  ``Connector`` resources only grant permissions and disappear.

A template that uses ``AWS::Serverless::*`` types without declaring the
transform is expanded too (SAM's own test templates are written that way).
"""

from __future__ import annotations

import copy
import json
from typing import Any, Final

from fakesfn.iac.errors import TemplateFormatError
from fakesfn.iac.template import Resource, Template

_GLOBAL_SECTIONS: Final = ("Api", "Function", "HttpApi", "LayerVersion", "SimpleTable", "StateMachine")
_SAM_KEY: Final = "stateMachine:createdBy"
_RENAMED: Final = {
    "AWS::Serverless::SimpleTable": "AWS::DynamoDB::Table",
    "AWS::Serverless::Api": "AWS::ApiGateway::RestApi",
    "AWS::Serverless::HttpApi": "AWS::ApiGatewayV2::Api",
    "AWS::Serverless::LayerVersion": "AWS::Lambda::LayerVersion",
    "AWS::Serverless::Application": "AWS::CloudFormation::Stack",
    "AWS::Serverless::GraphQLApi": "AWS::AppSync::GraphQLApi",
}
_STATE_MACHINE_PROPERTIES: Final = {
    "Name": "StateMachineName",
    "Type": "StateMachineType",
    "Logging": "LoggingConfiguration",
    "Tracing": "TracingConfiguration",
    "DefinitionSubstitutions": "DefinitionSubstitutions",
}


def _invalid(logical_id: str, message: str) -> TemplateFormatError:
    return TemplateFormatError(
        "Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification "
        f"document. Number of errors found: 1. Resource with id [{logical_id}] is invalid. {message}"
    )


def is_intrinsic(value: Any) -> bool:
    """SAM's test: a one-key object whose key is ``Ref``, ``Condition`` or an ``Fn::`` name."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key = next(iter(value))
    return isinstance(key, str) and (key in ("Ref", "Condition") or key.startswith("Fn::"))


def _is_dynamic(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("{{resolve:") and value.endswith("}}")


def _merge(global_value: Any, local_value: Any) -> Any:
    """SAM's Globals merge: maps key by key, lists concatenated, the local value otherwise."""
    both_maps = isinstance(global_value, dict) and isinstance(local_value, dict)
    if both_maps and not is_intrinsic(global_value) and not is_intrinsic(local_value):
        merged = dict(global_value)
        for key, value in local_value.items():
            merged[key] = _merge(global_value[key], value) if key in global_value else value
        return merged
    if isinstance(global_value, list) and isinstance(local_value, list):
        return [*global_value, *local_value]
    return local_value


def _apply_globals(template: Template) -> None:
    sections = template.globals
    for section, values in sections.items():
        if section not in _GLOBAL_SECTIONS:
            raise TemplateFormatError(
                f"'Globals' section is invalid. '{section}' is not supported. "
                f"Must be one of the following values - {list(_GLOBAL_SECTIONS)}"
            )
        if not isinstance(values, dict):
            raise TemplateFormatError(
                f"'Globals' section is invalid. Value of {section} must be a dictionary"
            )
    for resource in template.resources.values():
        section = resource.type.removeprefix("AWS::Serverless::")
        values = sections.get(section) if resource.type.startswith("AWS::Serverless::") else None
        if not values:
            continue
        ignored = resource.attributes.get("IgnoreGlobals")
        if ignored == "*":
            continue
        applied = {
            key: value for key, value in values.items() if not (isinstance(ignored, list) and key in ignored)
        }
        resource.properties = _merge(copy.deepcopy(applied), resource.properties)


def _intrinsic_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to the intrinsics and dynamic references in ``value``, in SAM's (sorted) order."""
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda item: str(item[0]))
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return []
    found: list[tuple[Any, ...]] = []
    for key, child in items:
        if is_intrinsic(child) or _is_dynamic(child):
            found.append((*path, key))
        else:
            found.extend(_intrinsic_paths(child, (*path, key)))
    return found


def inline_definition(definition: Any) -> tuple[str, dict[str, Any]]:
    """SAM's ``DefinitionString`` for an inline ``Definition``, and the substitutions it adds."""
    processed = copy.deepcopy(definition)
    substitutions: dict[str, Any] = {}
    for number, path in enumerate(_intrinsic_paths(processed), start=1):
        holder = processed
        for step in path[:-1]:
            holder = holder[step]
        substitutions[f"definition_substitution_{number}"] = holder[path[-1]]
        holder[path[-1]] = f"${{definition_substitution_{number}}}"
    text = json.dumps(processed, sort_keys=True, indent=4, separators=(",", ": "))
    return text, substitutions


def _role(owner: Resource, template: Template) -> str:
    """SAM's execution role ``<LogicalId>Role`` (under ``RolePath`` when given)."""
    role_id = f"{owner.logical_id}Role"
    path = owner.properties.get("RolePath")
    properties = {} if path is None else {"Path": path}
    template.resources.setdefault(
        role_id,
        Resource(role_id, "AWS::IAM::Role", properties, owner.condition, declared_type="AWS::IAM::Role"),
    )
    return role_id


def _definition(resource: Resource, properties: dict[str, Any], source: dict[str, Any]) -> None:
    definition, uri = source.get("Definition"), source.get("DefinitionUri")
    if definition is not None and uri is not None:
        raise _invalid(
            resource.logical_id, "Specify either 'Definition' or 'DefinitionUri' property and not both."
        )
    if definition is not None:
        text, substitutions = inline_definition(definition)
        properties["DefinitionString"] = text
        if substitutions:
            properties["DefinitionSubstitutions"] = {
                **properties.get("DefinitionSubstitutions", {}),
                **substitutions,
            }
    elif isinstance(uri, str) and uri.startswith("s3://"):
        bucket, _, key = uri[len("s3://") :].partition("/")
        properties["DefinitionS3Location"] = {"Bucket": bucket, "Key": key}
    elif isinstance(uri, str):
        resource.local_definition = uri
    elif isinstance(uri, dict):
        properties["DefinitionS3Location"] = uri
    else:
        raise _invalid(
            resource.logical_id, "Either 'Definition' or 'DefinitionUri' property must be specified."
        )


def _state_machine(resource: Resource, template: Template) -> None:
    source = resource.properties
    if source.get("Role") is not None and source.get("Policies") is not None:
        raise _invalid(
            resource.logical_id,
            "Specify either 'Role' or 'Policies' (but not both at the same time) or neither of them",
        )
    properties: dict[str, Any] = {
        target: source[name]
        for name, target in _STATE_MACHINE_PROPERTIES.items()
        if source.get(name) is not None
    }
    _definition(resource, properties, source)
    role = source.get("Role")
    properties["RoleArn"] = role if role is not None else {"Fn::GetAtt": [_role(resource, template), "Arn"]}
    tags = source.get("Tags") or {}
    if not isinstance(tags, dict):
        raise _invalid(resource.logical_id, "Type of property 'Tags' is invalid.")
    properties["Tags"] = [{"Key": _SAM_KEY, "Value": "SAM"}] + [
        {"Key": k, "Value": v} for k, v in tags.items()
    ]
    resource.type, resource.properties = "AWS::StepFunctions::StateMachine", properties
    alias = source.get("AutoPublishAlias")
    if alias is not None:
        _publish(resource, template, alias, source.get("DeploymentPreference"))


def _publish(machine: Resource, template: Template, alias: Any, preference: Any) -> None:
    """``AutoPublishAlias``: a version of each revision, and an alias pointing at it."""
    version_id, alias_id = f"{machine.logical_id}Version", f"{machine.logical_id}Alias{alias}"
    template.resources[version_id] = Resource(
        version_id,
        "AWS::StepFunctions::StateMachineVersion",
        {
            "StateMachineArn": {"Ref": machine.logical_id},
            "StateMachineRevisionId": {"Fn::GetAtt": [machine.logical_id, "StateMachineRevisionId"]},
        },
        machine.condition,
        declared_type="AWS::StepFunctions::StateMachineVersion",
    )
    deployment = dict(preference) if isinstance(preference, dict) else {"Type": "ALL_AT_ONCE"}
    deployment["StateMachineVersionArn"] = {"Ref": version_id}
    template.resources[alias_id] = Resource(
        alias_id,
        "AWS::StepFunctions::StateMachineAlias",
        {"Name": alias, "DeploymentPreference": deployment},
        machine.condition,
        declared_type="AWS::StepFunctions::StateMachineAlias",
    )


def _function(resource: Resource, template: Template) -> None:
    if resource.properties.get("Role") is None:
        _role(resource, template)
    resource.type = "AWS::Lambda::Function"


_EVENT_RESOURCES: Final = {
    "EventBridgeRule": ("AWS::Events::Rule", "Permission"),
    "CloudWatchEvent": ("AWS::Events::Rule", "Permission"),
    "Schedule": ("AWS::Events::Rule", "Permission"),
    "ScheduleV2": ("AWS::Scheduler::Schedule", None),
    "SNS": ("AWS::SNS::Subscription", "Permission"),
    "SQS": ("AWS::Lambda::EventSourceMapping", None),
    "Kinesis": ("AWS::Lambda::EventSourceMapping", None),
    "DynamoDB": ("AWS::Lambda::EventSourceMapping", None),
    "MSK": ("AWS::Lambda::EventSourceMapping", None),
    "MQ": ("AWS::Lambda::EventSourceMapping", None),
    "S3": (None, "Permission"),
}
"""Event type -> (the resource SAM names ``<Owner><Event>``, the suffix of its Lambda permission)."""


def _event_resources(owner: Resource, template: Template) -> None:
    """The rules, subscriptions and mappings SAM makes from ``Events``, so they can be referenced."""
    events = owner.properties.get("Events")
    if not isinstance(events, dict):
        return
    is_function = owner.type == "AWS::Serverless::Function"
    for event_id, event in events.items():
        if not isinstance(event, dict):
            continue
        main, permission = _EVENT_RESOURCES.get(str(event.get("Type")), (None, None))
        added: list[tuple[str, str]] = []
        if main is not None and (is_function or main != "AWS::Lambda::EventSourceMapping"):
            added.append((f"{owner.logical_id}{event_id}", main))
        if permission is not None and is_function:
            added.append((f"{owner.logical_id}{event_id}{permission}", "AWS::Lambda::Permission"))
        if not is_function and main is not None:
            added.append((f"{owner.logical_id}{event_id}Role", "AWS::IAM::Role"))
        for logical_id, resource_type in added:
            template.resources.setdefault(
                logical_id,
                Resource(logical_id, resource_type, {}, owner.condition, declared_type=resource_type),
            )


def _implicit_apis(template: Template) -> None:
    kinds = set()
    for resource in template.resources.values():
        events = (
            resource.properties.get("Events")
            if resource.declared_type.startswith("AWS::Serverless::")
            else None
        )
        for event in (events or {}).values() if isinstance(events, dict) else ():
            properties = event.get("Properties") or {} if isinstance(event, dict) else {}
            if event.get("Type") == "Api" and "RestApiId" not in properties:
                kinds.add(("ServerlessRestApi", "AWS::ApiGateway::RestApi"))
            if event.get("Type") == "HttpApi" and "ApiId" not in properties:
                kinds.add(("ServerlessHttpApi", "AWS::ApiGatewayV2::Api"))
    for logical_id, resource_type in sorted(kinds):
        template.resources.setdefault(
            logical_id, Resource(logical_id, resource_type, {}, declared_type=resource_type)
        )


def expand_sam(template: Template) -> None:
    """Rewrite ``template``'s Serverless resources into CloudFormation ones, in place."""
    _apply_globals(template)
    _implicit_apis(template)
    for resource in list(template.resources.values()):
        if resource.type in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine"):
            _event_resources(resource, template)
    for logical_id, resource in list(template.resources.items()):
        if resource.type == "AWS::Serverless::StateMachine":
            _state_machine(resource, template)
        elif resource.type == "AWS::Serverless::Function":
            _function(resource, template)
        elif resource.type == "AWS::Serverless::Connector":
            del template.resources[logical_id]
        elif resource.type == "AWS::Serverless::LayerVersion":
            resource.properties.setdefault("LayerName", logical_id)
            resource.type = _RENAMED[resource.type]
        elif resource.type in _RENAMED:
            resource.type = _RENAMED[resource.type]
