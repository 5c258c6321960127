"""State machine versions and aliases: ``AWS::StepFunctions::StateMachineVersion``/``...Alias``.

SAM's ``AutoPublishAlias`` declares one of each.

A version resource publishes the machine's current revision
(``PublishStateMachineVersion``, which gives back the existing version when
that revision was published already). An alias routes to versions through
``RoutingConfiguration``, or through SAM's ``DeploymentPreference`` (the
gradual ``CANARY``/``LINEAR`` shifts end on the new version, so the fake,
where a deployment takes no time, routes all traffic there at once).
Versions are kept when a later deployment drops them (SAM marks them
``Retain``); an alias no longer in the template is deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.iac.errors import TemplateFormatError, Where

if TYPE_CHECKING:
    from fakesfn.iac.deploy import Deployment
    from fakesfn.iac.model import StackModel
    from fakesfn.iac.plan import StackPlan
    from fakesfn.iac.stack import Owned
    from fakesfn.iac.template import Resource


def _publish(deployment: Deployment, model: StackModel, resource: Resource) -> str:
    instance = model.resources.instance(resource.logical_id)
    machine_arn = instance.text("StateMachineArn")
    if machine_arn is None:
        raise TemplateFormatError(
            f"Properties validation failed for resource {resource.logical_id} with message: "
            "#: required key [StateMachineArn] not found",
            resource.where(),
        )
    params: dict[str, Any] = {"stateMachineArn": machine_arn}
    description = instance.text("Description")
    if description is not None:
        params["description"] = description
    record = deployment.backend.store.state_machines.get(machine_arn)
    existing = {version.arn for version in record.versions.values()} if record is not None else set()
    arn = str(
        deployment.call("PublishStateMachineVersion", params, resource.where())["stateMachineVersionArn"]
    )
    if arn not in existing:
        deployment.undo.append(
            lambda: deployment.call(
                "DeleteStateMachineVersion", {"stateMachineVersionArn": arn}, resource.where()
            )
        )
    resource.attributes["VersionNumber"] = int(arn.rsplit(":", 1)[1])
    return arn


def _routing(model: StackModel, resource: Resource) -> list[dict[str, Any]]:
    instance = model.resources.instance(resource.logical_id)
    routes = instance.prop("RoutingConfiguration")
    if isinstance(routes, list) and routes:
        return [
            {
                "stateMachineVersionArn": route.get("StateMachineVersionArn"),
                "weight": int(route.get("Weight", 100)),
            }
            for route in routes
            if isinstance(route, dict)
        ]
    version = instance.prop("DeploymentPreference.StateMachineVersionArn")
    if version is None:
        raise TemplateFormatError(
            "a state machine alias needs RoutingConfiguration or DeploymentPreference", resource.where()
        )
    return [{"stateMachineVersionArn": version, "weight": 100}]


def _alias(
    deployment: Deployment, model: StackModel, resource: Resource, previous: Owned
) -> tuple[str, dict[str, Any]]:
    instance = model.resources.instance(resource.logical_id)
    request: dict[str, Any] = {"name": instance.name, "routingConfiguration": _routing(model, resource)}
    description = instance.text("Description")
    if description is not None:
        request["description"] = description
    arn = str(instance.kind.ref(instance))
    where = resource.where()
    old = previous.aliases.get(resource.logical_id)
    if old is not None and old[0] == arn:
        changes: dict[str, Any] = {
            key: request[key]
            for key in ("routingConfiguration", "description")
            if request.get(key) != old[1].get(key)
        }
        if changes:
            deployment.call("UpdateStateMachineAlias", {"stateMachineAliasArn": arn, **changes}, where)
            restore: dict[str, Any] = {
                key: old[1][key] for key in ("routingConfiguration", "description") if key in old[1]
            }
            deployment.undo.append(
                lambda: deployment.call(
                    "UpdateStateMachineAlias", {"stateMachineAliasArn": arn, **restore}, where
                )
            )
        return arn, request
    deployment.call("CreateStateMachineAlias", request, where)
    deployment.undo.append(
        lambda: deployment.call("DeleteStateMachineAlias", {"stateMachineAliasArn": arn}, where)
    )
    return arn, request


def publish_versions(
    deployment: Deployment, model: StackModel, plan: StackPlan, previous: Owned
) -> tuple[dict[str, str], dict[str, tuple[str, dict[str, Any]]]]:
    """Publish the versions, then create or update the aliases; drop aliases no longer declared."""
    versions = {resource.logical_id: _publish(deployment, model, resource) for resource in plan.versions}
    aliases = {
        resource.logical_id: _alias(deployment, model, resource, previous) for resource in plan.aliases
    }
    kept = {arn for arn, _ in aliases.values()}
    for logical_id, (arn, _) in previous.aliases.items():
        if arn not in kept:
            deployment.call("DeleteStateMachineAlias", {"stateMachineAliasArn": arn}, Where(logical_id))
    return versions, aliases
