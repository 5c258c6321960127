"""State machines: Create, Describe, Update, Delete, List and ValidateStateMachineDefinition.

A machine's *revision* is its definition, role and logging/tracing/encryption
configuration. AWS names a revision only once an update changes one of them
(describe omits ``revisionId`` before that); an update that changes nothing
keeps the revision. Versions snapshot a revision (see
:mod:`fakesfn.service.versions_aliases`); :func:`publish_version` lives here
because Create and Update publish too.

Deletion is asynchronous in AWS: the machine turns ``DELETING`` and disappears
once its executions are done. The fake removes it at once when nothing runs,
and otherwise the first time it is looked up after its last execution ended.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final

from fakesfn import arns
from fakesfn.asl.express import express_problems
from fakesfn.asl.parser import parse_definition_collecting
from fakesfn.asl.problems import DefinitionError, Problem
from fakesfn.asl.variable_refs import variable_references
from fakesfn.service import limits
from fakesfn.service.errors import (
    InvalidDefinition,
    MissingRequiredParameter,
    ServiceError,
    ServiceQuotaExceededException,
    StateMachineAlreadyExists,
    StateMachineDeleting,
    StateMachineDoesNotExist,
    ValidationException,
)
from fakesfn.service.limits import ModelCheck
from fakesfn.service.pagination import paginate
from fakesfn.service.registry import Caller, operation
from fakesfn.service.store import Definition, StateMachineRecord, Store, VersionRecord
from fakesfn.service.tags import replace_tags, validate_new_tags

if TYPE_CHECKING:
    from fakesfn.asl.nodes import StateMachine

_MISSING_UPDATE: Final = (
    "Either the definition, the role ARN, the LoggingConfiguration, "
    "or the TracingConfiguration must be specified"
)
_DESCRIPTION_WITHOUT_PUBLISH: Final = "Version description can only be set when publish is true"


@dataclass(frozen=True, slots=True)
class Revision:
    """What a revision is made of; equal revisions mean "nothing changed"."""

    definition: str
    role_arn: str
    logging: dict[str, Any]
    tracing: dict[str, Any]
    encryption: dict[str, Any]


def _revision_of(holder: StateMachineRecord | VersionRecord) -> Revision:
    return Revision(
        holder.definition.text,
        holder.role_arn,
        holder.logging_configuration,
        holder.tracing_configuration,
        holder.encryption_configuration,
    )


def _not_found(arn: object) -> ServiceError:
    return StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")


def settle_deletion(store: Store, record: StateMachineRecord) -> bool:
    """Finish a pending deletion once no execution runs; ``True`` when the machine is gone."""
    running = any(e.state_machine_arn == record.arn and not e.done for e in store.executions.values())
    if record.status != "DELETING" or running:
        return False
    del store.state_machines[record.arn]
    store.tags.pop(record.arn, None)
    return True


def find_machine(store: Store, arn: object) -> StateMachineRecord:
    """The unqualified machine ``arn`` names (even while DELETING), or AWS's error."""
    ref = arns.parse_state_machine_arn(arn)
    record = store.state_machines.get(ref.base_arn)
    if record is None or settle_deletion(store, record):
        raise _not_found(arn)
    return record


def find_active_machine(store: Store, arn: object) -> StateMachineRecord:
    """Like :func:`find_machine`, refusing a machine that is being deleted."""
    record = find_machine(store, arn)
    if record.status == "DELETING":
        raise StateMachineDeleting(f"State machine is being deleted: '{arn}'")
    return record


def _diagnose(text: str, machine_type: str) -> tuple[StateMachine | None, list[Problem]]:
    machine, collector = parse_definition_collecting(text)
    problems = list(collector.problems)
    if machine is not None and machine_type == "EXPRESS":
        problems += express_problems(machine)
    return machine, problems


def compile_definition(text: str, machine_type: str) -> Definition:
    """Parse ``text`` once for a machine of ``machine_type``; ``InvalidDefinition`` if invalid."""
    machine, problems = _diagnose(text, machine_type)
    if machine is None or any(p.severity == "ERROR" for p in problems):
        raise InvalidDefinition(DefinitionError(problems).message())
    return Definition(text, machine)


def check_version_room(record: StateMachineRecord) -> None:
    """AWS: "You can publish up to 1000 versions for each state machine" (wording is the fake's)."""
    if len(record.versions) >= limits.MAX_VERSIONS:
        raise ServiceQuotaExceededException(f"Maximum number of versions reached for '{record.arn}'")


def publish_version(store: Store, record: StateMachineRecord, description: str | None) -> VersionRecord:
    """Publish the current revision; AWS returns the existing version when one was published from it."""
    for version in record.versions.values():
        if version.revision_id == record.revision_id:
            return version
    check_version_room(record)
    number = record.next_version
    record.next_version += 1
    version = VersionRecord(
        arn=arns.version_arn(record.arn, number),
        number=number,
        definition=record.definition,
        role_arn=record.role_arn,
        type=record.type,
        description=description,
        revision_id=record.revision_id,
        creation_date=store.clock.time(),
        logging_configuration=record.logging_configuration,
        tracing_configuration=record.tracing_configuration,
        encryption_configuration=record.encryption_configuration,
    )
    record.versions[number] = version
    return version


def _model_check(params: dict[str, Any], check: ModelCheck) -> None:
    check.length("definition", params.get("definition"), limits.DEFINITION_MAX, sensitive=True)
    check.length("roleArn", params.get("roleArn"), limits.ARN_MAX)
    check.length(
        "versionDescription", params.get("versionDescription"), limits.DESCRIPTION_MAX, sensitive=True
    )
    check.raise_if_any()


def _service_check(params: dict[str, Any], configs: dict[str, Any]) -> None:
    if params.get("versionDescription") is not None and not params.get("publish"):
        raise ValidationException(_DESCRIPTION_WITHOUT_PUBLISH)
    if "roleArn" in params:
        arns.parse_role_arn(params["roleArn"])
    limits.check_configurations(configs)


@operation("CreateStateMachine")
def create_state_machine(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Create a machine; AWS makes re-creating an identical one idempotent.

    AWS compares name, definition, type, configurations, publish and
    versionDescription (a different roleArn or tags are ignored); any other
    difference is ``StateMachineAlreadyExists``.
    """
    check = ModelCheck()
    machine_type = params.get("type", "STANDARD")
    check.enum("type", machine_type, limits.STATE_MACHINE_TYPES)
    configs = limits.request_configurations(params, check)
    limits.check_tags(check, params.get("tags", []))
    _model_check(params, check)
    name = limits.validate_name(params["name"], "state machine")
    _service_check(params, configs)
    tags = validate_new_tags(params.get("tags", []), {}, resource=name)
    definition = compile_definition(params["definition"], machine_type)
    arn = arns.state_machine_arn(caller.partition, caller.region, caller.account_id, name)
    revision = Revision(
        definition.text,
        params["roleArn"],
        configs.get("logging", limits.logging_configuration(None, check)),
        configs.get("tracing", limits.tracing_configuration(None)),
        configs.get("encryption", limits.encryption_configuration(None, check)),
    )
    created_with = (bool(params.get("publish")), params.get("versionDescription"))
    existing = store.state_machines.get(arn)
    if existing is not None and not settle_deletion(store, existing):
        return _recreate(existing, machine_type, revision, created_with)
    record = StateMachineRecord(
        arn=arn,
        name=name,
        type=machine_type,
        definition=definition,
        role_arn=revision.role_arn,
        creation_date=store.clock.time(),
        revision_id=None,
        logging_configuration=revision.logging,
        tracing_configuration=revision.tracing,
        encryption_configuration=revision.encryption,
        created_with=created_with,
    )
    store.state_machines[arn] = record
    store.defined(record)
    replace_tags(store, arn, tags)
    reply: dict[str, Any] = {"stateMachineArn": arn, "creationDate": record.creation_date}
    if params.get("publish"):
        reply["stateMachineVersionArn"] = publish_version(store, record, params.get("versionDescription")).arn
    return reply


def _recreate(
    record: StateMachineRecord, machine_type: str, revision: Revision, created_with: tuple[bool, str | None]
) -> dict[str, Any]:
    if record.status == "DELETING":
        raise StateMachineDeleting(f"State machine is being deleted: '{record.arn}'")
    same = (
        record.type == machine_type
        and record.created_with == created_with
        # AWS ignores a different roleArn on re-create.
        and _revision_of(record) == replace(revision, role_arn=record.role_arn)
    )
    if not same:
        raise StateMachineAlreadyExists(f"State Machine Already Exists: '{record.arn}'")
    reply: dict[str, Any] = {"stateMachineArn": record.arn, "creationDate": record.creation_date}
    published = [v for v in record.versions.values() if v.revision_id == record.revision_id]
    if created_with[0] and published:
        reply["stateMachineVersionArn"] = published[0].arn
    return reply


@operation("DescribeStateMachine")
def describe_state_machine(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """A machine, or one of its versions when given a version ARN (AWS documents both)."""
    arn = params["stateMachineArn"]
    ref = arns.parse_state_machine_arn(arn, allow_qualifier=True)
    if ref.map_label is not None:
        # AWS documents the refusal ("the request fails with ValidationException"), not its text.
        raise ValidationException(f"Describing a Distributed Map state is not supported: '{arn}'")
    record = store.state_machines.get(ref.base_arn)
    if record is None or settle_deletion(store, record):
        raise _not_found(arn)
    if ref.qualifier is None:
        return _describe(record, record, revisionId=record.revision_id)
    version = None if ref.version is None else record.versions.get(ref.version)
    if version is None:
        raise _not_found(arn)
    return _describe(record, version, revisionId=version.revision_id, description=version.description)


def _describe(
    record: StateMachineRecord, holder: StateMachineRecord | VersionRecord, **optional: Any
) -> dict[str, Any]:
    revision = _revision_of(holder)
    reply = {
        "stateMachineArn": holder.arn,
        "name": record.name,
        "status": record.status,
        "definition": revision.definition,
        "roleArn": revision.role_arn,
        "type": record.type,
        "creationDate": holder.creation_date,
        "loggingConfiguration": revision.logging,
        "tracingConfiguration": revision.tracing,
        "encryptionConfiguration": revision.encryption,
    }
    # AWS leaves variableReferences out when no state reads a variable.
    return _with_optional(
        reply, variableReferences=variable_references(revision.definition) or None, **optional
    )


def _with_optional(reply: dict[str, Any], **optional: Any) -> dict[str, Any]:
    """AWS omits members it has no value for rather than sending null."""
    reply.update({key: value for key, value in optional.items() if value is not None})
    return reply


@operation("UpdateStateMachine")
def update_state_machine(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """AWS: a new revision only when something changed; ``publish`` versions the result."""
    arn = params["stateMachineArn"]
    if arns.parse_state_machine_arn(arn, allow_qualifier=True).qualifier is not None:
        raise _not_found(arn)  # recorded: updating through a version ARN
    check = ModelCheck()
    configs = limits.request_configurations(params, check)
    _model_check(params, check)
    if not ({"definition", "roleArn"} & params.keys() or configs):
        raise MissingRequiredParameter(_MISSING_UPDATE)
    _service_check(params, configs)
    record = find_active_machine(store, arn)
    current = _revision_of(record)
    current_definition = record.definition
    definition = (
        compile_definition(params["definition"], record.type) if "definition" in params else record.definition
    )
    wanted = Revision(
        definition.text,
        params.get("roleArn", current.role_arn),
        configs.get("logging", current.logging),
        configs.get("tracing", current.tracing),
        configs.get("encryption", current.encryption),
    )
    now = store.clock.time()
    if wanted != current:
        if params.get("publish"):
            check_version_room(record)  # refuse before changing anything
        _apply(record, definition, wanted)
        record.revision_id = store.random.uuid()
        record.update_date = now
        if definition is not current_definition:
            store.defined(record)
    reply = _with_optional({"updateDate": now}, revisionId=record.revision_id)
    if params.get("publish"):
        reply["stateMachineVersionArn"] = publish_version(store, record, params.get("versionDescription")).arn
    return reply


def _apply(record: StateMachineRecord, definition: Definition, revision: Revision) -> None:
    record.definition = definition
    record.role_arn = revision.role_arn
    record.logging_configuration = revision.logging
    record.tracing_configuration = revision.tracing
    record.encryption_configuration = revision.encryption


@operation("DeleteStateMachine")
def delete_state_machine(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """AWS: deleting an unknown machine succeeds; versions and aliases go with the machine."""
    arn = params["stateMachineArn"]
    ref = arns.parse_state_machine_arn(arn, allow_qualifier=True)
    if ref.qualifier is not None or ref.map_label is not None:
        raise ValidationException(f"DeleteStateMachine takes an unqualified state machine ARN: '{arn}'")
    record = store.state_machines.get(ref.base_arn)
    if record is None:
        return {}
    record.status = "DELETING"
    settle_deletion(store, record)
    return {}


@operation("ListStateMachines")
def list_state_machines(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """The caller's active machines (region and account), ordered by name as AWS lists them."""
    mine = [
        record
        for record in list(store.state_machines.values())
        if arns.owner(record.arn) == (caller.region, caller.account_id)
        and not settle_deletion(store, record)
        and record.status == "ACTIVE"
    ]
    mine.sort(key=lambda record: record.name)
    page, token = paginate("ListStateMachines", mine, params)
    items = [
        {"stateMachineArn": r.arn, "name": r.name, "type": r.type, "creationDate": r.creation_date}
        for r in page
    ]
    return _with_optional({"stateMachines": items}, nextToken=token)


@operation("ValidateStateMachineDefinition")
def validate_state_machine_definition(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Every diagnostic of a definition; ``severity=WARNING`` adds warnings, at most ``maxResults``."""
    check = ModelCheck()
    check.length("definition", params.get("definition"), limits.DEFINITION_MAX, sensitive=True)
    check.enum("type", params.get("type"), limits.STATE_MACHINE_TYPES)
    check.enum("severity", params.get("severity"), ("ERROR", "WARNING"))
    check.at_most("maxResults", params.get("maxResults"), 100)
    check.raise_if_any()
    _, problems = _diagnose(params["definition"], params.get("type", "STANDARD"))
    failed = any(p.severity == "ERROR" for p in problems)
    wanted = ("ERROR", "WARNING") if params.get("severity") == "WARNING" else ("ERROR",)
    shown = [p for p in problems if p.severity in wanted]
    limit = params.get("maxResults") or 100
    diagnostics = [_diagnostic(p) for p in shown[:limit]]
    return {"result": "FAIL" if failed else "OK", "diagnostics": diagnostics, "truncated": len(shown) > limit}


def _diagnostic(problem: Problem) -> dict[str, Any]:
    found = {"severity": problem.severity, "code": problem.code, "message": problem.message}
    return _with_optional(found, location=problem.location or None)
