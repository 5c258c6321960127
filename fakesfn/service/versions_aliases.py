"""Versions and aliases: Publish/List/DeleteStateMachineVersion and the alias operations.

A version snapshots one revision of a machine; publishing a revision that
already has a version returns that version (AWS: "PublishStateMachineVersion is
an idempotent API"), and numbers are never reused after a delete (recorded:
version 3 follows a deleted version 2). An alias routes to one or two versions
of the same machine with weights that sum to 100.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from fakesfn import arns
from fakesfn.service import limits
from fakesfn.service.errors import (
    ConflictException,
    ResourceNotFound,
    StateMachineDeleting,
    ValidationException,
)
from fakesfn.service.limits import ModelCheck
from fakesfn.service.pagination import paginate
from fakesfn.service.registry import Caller, operation
from fakesfn.service.state_machines import find_active_machine, find_machine, publish_version
from fakesfn.service.store import AliasRecord, StateMachineRecord, Store

if TYPE_CHECKING:
    from collections.abc import Sequence

_NO_SUCH_RESOURCE: Final = "Request references a resource that does not exist."
_ALIAS_CONFLICT: Final = (
    "Failed to create alias because an alias with the same name "
    "and a different routing configuration already exists."
)


@operation("PublishStateMachineVersion")
def publish_state_machine_version(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """AWS: ``revisionId`` guards against publishing a revision other than the one you saw."""
    check = ModelCheck()
    check.length("description", params.get("description"), limits.DESCRIPTION_MAX, sensitive=True)
    check.raise_if_any()
    record = find_active_machine(store, params["stateMachineArn"])
    # AWS: "To specify an initial revision ID for a state machine with no
    # revision ID assigned, specify the string INITIAL".
    current = record.revision_id or "INITIAL"
    wanted = params.get("revisionId")
    if wanted is not None and wanted != current:
        raise ConflictException(
            f"Failed to publish the State Machine version for revision {wanted}. "
            f"The current State Machine revision is {current}."
        )
    version = publish_version(store, record, params.get("description"))
    return {"creationDate": version.creation_date, "stateMachineVersionArn": version.arn}


@operation("ListStateMachineVersions")
def list_state_machine_versions(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Newest version first (recorded)."""
    record = find_machine(store, params["stateMachineArn"])
    versions = sorted(record.versions.values(), key=lambda version: version.number, reverse=True)
    page, token = paginate("ListStateMachineVersions", versions, params, scope=record.arn)
    reply: dict[str, Any] = {
        "stateMachineVersions": [
            {"stateMachineVersionArn": v.arn, "creationDate": v.creation_date} for v in page
        ]
    }
    if token is not None:
        reply["nextToken"] = token
    return reply


@operation("DeleteStateMachineVersion")
def delete_state_machine_version(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """AWS: deleting a missing version succeeds; a version an alias routes to can't go."""
    arn = params["stateMachineVersionArn"]
    ref = arns.parse_version_arn(arn)
    record = store.state_machines.get(ref.base_arn)
    if record is None or ref.version not in record.versions:
        return {}
    users = [alias.name for alias in record.aliases.values() if _routes_to(alias, arn)]
    if users:
        raise ConflictException(
            "Version to be deleted must not be referenced by an alias. "
            f"Current list of aliases referencing this version: [{', '.join(users)}]"
        )
    del record.versions[ref.version]
    return {}


def _routes_to(alias: AliasRecord, version_arn: str) -> bool:
    return any(route["stateMachineVersionArn"] == version_arn for route in alias.routing)


def _render_route(route: Any) -> str:
    """A routing item the way AWS prints it back in a validation message."""
    arn, weight = route.get("stateMachineVersionArn"), route.get("weight")
    return f"RoutingConfigurationListItem(stateMachineVersionArn={arn}, weight={weight})"


def _check_model(params: dict[str, Any]) -> None:
    check = ModelCheck()
    check.length("description", params.get("description"), limits.DESCRIPTION_MAX, sensitive=True)
    routing = params.get("routingConfiguration")
    check.items("routingConfiguration", routing, 2, _render_route)
    for index, route in enumerate(routing or [], start=1):
        check.at_most(f"routingConfiguration.{index}.member.weight", route.get("weight"), 100)
    check.raise_if_any()


def _routing_target(store: Store, routing: Sequence[dict[str, Any]]) -> StateMachineRecord:
    """The one machine whose existing versions ``routing`` names, or AWS's error."""
    version_arns = [route["stateMachineVersionArn"] for route in routing]
    shown = "[" + ", ".join(version_arns) + "]"
    refs = [arns.parse_state_machine_arn(arn, allow_qualifier=True) for arn in version_arns]
    if any(ref.version is None or ref.map_label is not None for ref in refs):
        raise ValidationException(
            f"Routing configuration must contain state machine version ARNs. Received: {shown}"
        )
    if len(set(version_arns)) != len(version_arns):
        raise ValidationException(
            f"Routing configuration must contain distinct state machine version ARNs. Received: {shown}"
        )
    if len({ref.base_arn for ref in refs}) != 1:
        # AWS refuses this too; the wording here is the fake's own.
        raise ValidationException(
            f"Routing configuration must contain versions of a single state machine. Received: {shown}"
        )
    weights = [route["weight"] for route in routing]
    if sum(weights) != 100:
        received = ", ".join(str(weight) for weight in weights)
        raise ValidationException(
            f"Sum of routing configuration weights must equal 100. Received: [{received}]"
        )
    record = store.state_machines.get(refs[0].base_arn)
    if record is None or any(ref.version not in record.versions for ref in refs):
        raise ResourceNotFound(_NO_SUCH_RESOURCE)
    if record.status == "DELETING":
        raise StateMachineDeleting(f"State machine is being deleted: '{record.arn}'")
    return record


def _routing(routing: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"stateMachineVersionArn": r["stateMachineVersionArn"], "weight": r["weight"]} for r in routing]


@operation("CreateStateMachineAlias")
def create_state_machine_alias(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """AWS: re-creating an alias with the same description and routing is idempotent."""
    name = limits.validate_name(params["name"], "alias")
    _check_model(params)
    record = _routing_target(store, params["routingConfiguration"])
    routing = _routing(params["routingConfiguration"])
    description = params.get("description")
    existing = record.aliases.get(name)
    if existing is not None:
        if existing.description != description or existing.routing != routing:
            raise ConflictException(_ALIAS_CONFLICT)
        return {"stateMachineAliasArn": existing.arn, "creationDate": existing.creation_date}
    now = store.clock.time()
    alias = AliasRecord(arns.alias_arn(record.arn, name), name, description, routing, now, now)
    record.aliases[name] = alias
    return {"stateMachineAliasArn": alias.arn, "creationDate": alias.creation_date}


def _find_alias(store: Store, arn: object) -> tuple[StateMachineRecord, AliasRecord]:
    ref = arns.parse_alias_arn(arn)
    record = store.state_machines.get(ref.base_arn)
    alias = None if record is None or ref.alias is None else record.aliases.get(ref.alias)
    if record is None or alias is None:
        raise ResourceNotFound(_NO_SUCH_RESOURCE)
    return record, alias


@operation("DescribeStateMachineAlias")
def describe_state_machine_alias(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """The alias with its routing; ``updateDate`` equals ``creationDate`` until updated."""
    _, alias = _find_alias(store, params["stateMachineAliasArn"])
    reply: dict[str, Any] = {
        "stateMachineAliasArn": alias.arn,
        "name": alias.name,
        "routingConfiguration": alias.routing,
        "creationDate": alias.creation_date,
        "updateDate": alias.update_date,
    }
    if alias.description is not None:
        reply["description"] = alias.description
    return reply


@operation("UpdateStateMachineAlias")
def update_state_machine_alias(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Change the description and/or routing; the new routing must stay on the alias's machine."""
    _check_model(params)
    if params.get("description") is None and params.get("routingConfiguration") is None:
        # AWS refuses an update with nothing to change; the wording is the fake's own.
        raise ValidationException("Either the description or the routing configuration must be specified")
    record, alias = _find_alias(store, params["stateMachineAliasArn"])
    if record.status == "DELETING":
        raise StateMachineDeleting(f"State machine is being deleted: '{record.arn}'")
    routing = params.get("routingConfiguration")
    if routing is not None:
        if _routing_target(store, routing) is not record:
            raise ValidationException(
                "Routing configuration must contain versions of the alias's state machine"
            )
        alias.routing = _routing(routing)
    if params.get("description") is not None:
        alias.description = params["description"]
    alias.update_date = store.clock.time()
    return {"updateDate": alias.update_date}


@operation("DeleteStateMachineAlias")
def delete_state_machine_alias(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """AWS: deleting a missing alias succeeds (recorded); its versions stay."""
    ref = arns.parse_alias_arn(params["stateMachineAliasArn"])
    record = store.state_machines.get(ref.base_arn)
    if record is not None and ref.alias is not None:
        record.aliases.pop(ref.alias, None)
    return {}


@operation("ListStateMachineAliases")
def list_state_machine_aliases(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """The machine's aliases by name."""
    record = find_machine(store, params["stateMachineArn"])
    aliases = sorted(record.aliases.values(), key=lambda alias: alias.name)
    page, token = paginate("ListStateMachineAliases", aliases, params, scope=record.arn)
    reply: dict[str, Any] = {
        "stateMachineAliases": [
            {"stateMachineAliasArn": a.arn, "creationDate": a.creation_date} for a in page
        ]
    }
    if token is not None:
        reply["nextToken"] = token
    return reply
