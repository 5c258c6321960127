"""Deploying a template into a backend: create a stack, or update it in place.

The first deployment of a stack name creates its state machines and
activities through the service layer (so a bad definition is AWS's
``InvalidDefinition``, reported with the resource that holds it). Deploying
the same stack name again (same region and account) updates it in place the
way CloudFormation updates a stack, which is also what ``sam deploy`` and
``cdk deploy`` do:

* a resource still in the template keeps its name and ARN; its definition,
  role, logging, tracing and encryption are updated (``UpdateStateMachine``)
  and its tags adjusted; running executions go on with the revision they
  started with;
* a change to a create-only property (a machine's name or type, an activity's
  name) replaces the resource: the new one is created first, the old one
  deleted at the end; a generated name gets a new random suffix, and an
  explicit name that would have to be replaced is CloudFormation's error;
* a resource gone from the template is deleted, after everything else worked.

Every definition is checked before anything changes; if a call is refused
half-way anyway, what was done is undone (CloudFormation's rollback), so a
failed deployment leaves the backend as it was.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, Protocol

from fakesfn.iac.environment import Environment, check_stack_name, default_stack_name
from fakesfn.iac.errors import DeployError, TemplateFormatError, Where
from fakesfn.iac.language_extensions import expand_for_each, uses_for_each
from fakesfn.iac.model import StackModel
from fakesfn.iac.names import Seeds
from fakesfn.iac.parameters import Unavailable, parameter_values
from fakesfn.iac.plan import MACHINE, MachinePlan, StackPlan, build_plan
from fakesfn.iac.reader import TemplateSource, read_template
from fakesfn.iac.sam import expand_sam
from fakesfn.iac.stack import Owned, Stack
from fakesfn.iac.template import LANGUAGE_EXTENSIONS, declared_transforms, dependency_check, parse_template
from fakesfn.iac.versions import publish_versions
from fakesfn.service.errors import ServiceError
from fakesfn.service.registry import Caller, dispatch
from fakesfn.service.state_machines import compile_definition

if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from pathlib import Path

    from fakesfn.service.store import Store


class Backend(Protocol):
    """What a deployment needs of the backend it deploys into (:class:`fakesfn.Backend` is one).

    A protocol, not the class: the backend sits above this package (its
    ``deploy_template`` calls :func:`deploy_template`), and imports flow downwards.
    """

    @property
    def seed(self) -> int:
        """The backend's seed (generated names derive from it)."""
        ...

    @property
    def lock(self) -> AbstractContextManager[Any]:
        """Held for the whole deployment."""
        ...

    @property
    def store(self) -> Store:
        """The service's records, read to plan updates."""
        ...

    @property
    def stacks(self) -> dict[tuple[str, str, str], Stack]:
        """Deployed stacks by (region, account, stack name)."""
        ...


DEFAULT_REGION: Final = "us-east-1"
DEFAULT_ACCOUNT_ID: Final = "123456789012"
_UPDATED_MEMBERS: Final = (
    "definition",
    "roleArn",
    "loggingConfiguration",
    "tracingConfiguration",
    "encryptionConfiguration",
)

Undo = Callable[[], object]


class Deployment:
    """One deployment's calls to the service, each remembered so it can be undone."""

    def __init__(self, backend: Backend, caller: Caller) -> None:
        self.backend = backend
        self.caller = caller
        self.undo: list[Undo] = []

    def call(self, operation: str, params: dict[str, Any], where: Where) -> dict[str, Any]:
        """Run ``operation``; a refusal becomes a :class:`DeployError` naming the resource."""
        try:
            return dispatch(self.backend.store, self.caller, operation, params)
        except ServiceError as error:
            raise DeployError(error.code, error.message, where) from None

    def rollback(self) -> None:
        """Undo every change, newest first."""
        while self.undo:
            self.undo.pop()()


def _model(
    source: TemplateSource,
    environment: Environment,
    parameters: dict[str, Any],
    exports: dict[str, Any],
    overrides: dict[str, dict[str, Any]],
    generations: dict[str, int],
) -> StackModel:
    body = copy.deepcopy(source.body)
    if uses_for_each(body):
        if LANGUAGE_EXTENSIONS not in declared_transforms(body):
            raise TemplateFormatError(
                f"Template format error: Fn::ForEach needs the {LANGUAGE_EXTENSIONS} transform in Transform"
            )
        parameters_section = body.get("Parameters")
        expand_for_each(body, parameter_values(parameters_section or {}, parameters))
    template = parse_template(body)
    if template.is_sam:
        expand_sam(template)
    dependency_check(template)
    values = parameter_values(template.parameters, parameters)
    return StackModel(template, environment, values, exports, overrides, generations)


def _tag_changes(
    deployment: Deployment, arn: str, old: list[dict[str, str]], new: list[dict[str, str]], where: Where
) -> None:
    before = {tag["key"]: tag["value"] for tag in old}
    after = {tag["key"]: tag["value"] for tag in new}
    removed = [key for key in before if key not in after]
    changed = [{"key": k, "value": v} for k, v in after.items() if before.get(k) != v]
    if removed:
        deployment.call("UntagResource", {"resourceArn": arn, "tagKeys": removed}, where)
    if changed:
        deployment.call("TagResource", {"resourceArn": arn, "tags": changed}, where)
    if removed or changed:
        restore = [{"key": k, "value": v} for k, v in before.items()]
        added = [key for key in after if key not in before]
        deployment.undo.append(lambda: _restore_tags(deployment, arn, restore, added, where))


def _restore_tags(
    deployment: Deployment, arn: str, tags: list[dict[str, str]], added: list[str], where: Where
) -> None:
    if added:
        deployment.call("UntagResource", {"resourceArn": arn, "tagKeys": added}, where)
    if tags:
        deployment.call("TagResource", {"resourceArn": arn, "tags": tags}, where)


def _create_machine(deployment: Deployment, plan: MachinePlan) -> None:
    reply = deployment.call("CreateStateMachine", plan.request, plan.where)
    arn = reply["stateMachineArn"]
    deployment.undo.append(
        lambda: deployment.call("DeleteStateMachine", {"stateMachineArn": arn}, plan.where)
    )


def _update_machine(deployment: Deployment, plan: MachinePlan, old: dict[str, Any]) -> None:
    changed = {
        member: plan.request[member]
        for member in _UPDATED_MEMBERS
        if plan.request.get(member) != old.get(member)
    }
    changed = {member: value for member, value in changed.items() if value is not None}
    if changed:
        deployment.call("UpdateStateMachine", {"stateMachineArn": plan.arn, **changed}, plan.where)
        previous: dict[str, Any] = {member: old[member] for member in _UPDATED_MEMBERS if member in old}
        deployment.undo.append(
            lambda: deployment.call(
                "UpdateStateMachine", {"stateMachineArn": plan.arn, **previous}, plan.where
            )
        )
    _tag_changes(deployment, plan.arn, old["tags"], plan.request["tags"], plan.where)


def _machines(deployment: Deployment, plan: StackPlan, previous: Owned) -> None:
    for machine in plan.machines:
        old = previous.machines.get(machine.logical_id)
        if old is not None and old[0] == machine.arn:
            if old[1]["type"] != machine.request["type"]:
                raise _named_replacement(machine.logical_id, machine.where)
            _update_machine(deployment, machine, old[1])
            continue
        record = deployment.backend.store.state_machines.get(machine.arn)
        if record is not None and machine.arn not in _owned_arns(previous):
            raise DeployError(
                "AlreadyExists",
                f"Resource of type '{MACHINE}' with identifier '{machine.name}' already exists.",
                machine.where,
            )
        _create_machine(deployment, machine)


def _activities(deployment: Deployment, plan: StackPlan, previous: Owned) -> None:
    for activity in plan.activities:
        old = previous.activities.get(activity.logical_id)
        if old is not None and old[0] == activity.arn:
            if old[1].get("encryptionConfiguration") != activity.request.get("encryptionConfiguration"):
                raise _named_replacement(activity.logical_id, activity.where)
            _tag_changes(deployment, activity.arn, old[1]["tags"], activity.request["tags"], activity.where)
            continue
        existed = activity.arn in deployment.backend.store.activities
        deployment.call("CreateActivity", activity.request, activity.where)
        if not existed:
            deployment.undo.append(
                _deleter(deployment, "DeleteActivity", {"activityArn": activity.arn}, activity.where)
            )


def _deleter(deployment: Deployment, operation: str, params: dict[str, Any], where: Where) -> Undo:
    return lambda: deployment.call(operation, params, where)


def _named_replacement(logical_id: str, where: Where) -> TemplateFormatError:
    return TemplateFormatError(
        "CloudFormation cannot update a stack when a custom-named resource requires replacing. "
        f"Rename {logical_id} and update the stack again.",
        where,
    )


def _owned_arns(owned: Owned) -> set[str]:
    return {arn for arn, _ in owned.machines.values()} | {arn for arn, _ in owned.activities.values()}


def _cleanup(deployment: Deployment, plan: StackPlan, previous: Owned) -> None:
    """Delete what the previous deployment created and this one no longer holds."""
    kept = {m.arn for m in plan.machines} | {a.arn for a in plan.activities}
    for logical_id, (arn, _) in previous.machines.items():
        if arn not in kept and arn in deployment.backend.store.state_machines:
            deployment.call("DeleteStateMachine", {"stateMachineArn": arn}, Where(logical_id))
    for logical_id, (arn, _) in previous.activities.items():
        if arn not in kept and arn in deployment.backend.store.activities:
            deployment.call("DeleteActivity", {"activityArn": arn}, Where(logical_id))


def _precheck(plan: StackPlan) -> None:
    for machine in plan.machines:
        try:
            compile_definition(machine.request["definition"], str(machine.request["type"]))
        except ServiceError as error:
            raise DeployError(error.code, error.message, machine.where) from None


def _replaced(model: StackModel, plan: StackPlan, previous: Stack | None) -> set[str]:
    """Machines whose type changed under a generated name: CloudFormation gives the replacement a new name."""
    if previous is None:
        return set()
    replaced = set()
    for machine in plan.machines:
        old = previous._owned.machines.get(machine.logical_id)
        if old is None or old[0] != machine.arn or old[1]["type"] == machine.request["type"]:
            continue
        if "StateMachineName" not in model.template.resources[machine.logical_id].properties:
            replaced.add(machine.logical_id)
    return replaced


def plan_template(
    template: str | Path | dict[str, Any],
    parameters: dict[str, Any] | None = None,
    *,
    stack_name: str | None = None,
    region_name: str | None = None,
    account_id: str | None = None,
    seed: int = 0,
    resource_values: dict[str, dict[str, Any]] | None = None,
    imports: dict[str, Any] | None = None,
) -> StackPlan:
    """Resolve a template's machines, activities and functions without creating anything.

    What ``fakesfn validate --template`` checks: each machine's request (its
    definition text among them) exactly as a deployment would send it.
    """
    source = read_template(template)
    name = check_stack_name(stack_name or default_stack_name(source.stem))
    region, account = region_name or DEFAULT_REGION, account_id or DEFAULT_ACCOUNT_ID
    environment = Environment(name, region, account, Seeds(seed, name))
    model = _model(
        source, environment, dict(parameters or {}), dict(imports or {}), dict(resource_values or {}), {}
    )
    return build_plan(model, source.base_dir, {})


def deploy_template(
    backend: Backend,
    template: str | Path | dict[str, Any],
    parameters: dict[str, Any] | None = None,
    *,
    stack_name: str | None = None,
    region_name: str | None = None,
    account_id: str | None = None,
    tags: dict[str, str] | None = None,
    resource_values: dict[str, dict[str, Any]] | None = None,
    imports: dict[str, Any] | None = None,
) -> Stack:
    """Deploy ``template`` into ``backend`` as stack ``stack_name``; see :meth:`Backend.deploy_template`."""
    source = read_template(template)
    name = check_stack_name(stack_name or default_stack_name(source.stem))
    region, account = region_name or DEFAULT_REGION, account_id or DEFAULT_ACCOUNT_ID
    environment = Environment(name, region, account, Seeds(backend.seed, name))
    with backend.lock:
        key = (region, account, name)
        previous: Stack | None = backend.stacks.get(key)
        exports = {**_exports(backend, key), **(imports or {})}
        generations = dict(previous._generations) if previous else {}
        args = (source, environment, dict(parameters or {}), exports, dict(resource_values or {}))
        model = _model(*args, generations)
        plan = build_plan(model, source.base_dir, dict(tags or {}))
        replaced = _replaced(model, plan, previous)
        if replaced:
            generations.update({logical_id: generations.get(logical_id, 0) + 1 for logical_id in replaced})
            model = _model(*args, generations)
            plan = build_plan(model, source.base_dir, dict(tags or {}))
        stack_exports = model.exports()
        _check_exports(backend, key, stack_exports)
        _precheck(plan)
        stack = _apply(backend, model, plan, previous, stack_exports, generations)
        backend.stacks[key] = stack
        return stack


def _exports(backend: Backend, key: tuple[str, str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for other_key, other in backend.stacks.items():
        if other_key[:2] == key[:2] and other_key != key:
            found.update(other._all_exports)
    return found


def _check_exports(backend: Backend, key: tuple[str, str, str], exports: dict[str, Any]) -> None:
    for other_key, other in backend.stacks.items():
        if other_key[:2] != key[:2] or other_key == key:
            continue
        clash = sorted(set(exports) & set(other._all_exports))
        if clash:
            raise TemplateFormatError(
                f"Export with name {clash[0]} is already exported by stack {other.name}"
            )


def _apply(
    backend: Backend,
    model: StackModel,
    plan: StackPlan,
    previous: Stack | None,
    exports: dict[str, Any],
    generations: dict[str, int],
) -> Stack:
    environment = model.environment
    deployment = Deployment(backend, Caller(environment.region, environment.account_id))
    owned_before = previous._owned if previous is not None else Owned()
    try:
        _machines(deployment, plan, owned_before)
        _activities(deployment, plan, owned_before)
        versions, aliases = publish_versions(deployment, model, plan, owned_before)
        _cleanup(deployment, plan, owned_before)
    except BaseException:
        deployment.rollback()
        raise
    owned = Owned(
        {m.logical_id: (m.arn, m.request) for m in plan.machines},
        {a.logical_id: (a.arn, a.request) for a in plan.activities},
        versions,
        aliases,
    )
    return Stack(
        name=environment.stack_name,
        stack_id=environment.stack_id,
        region=environment.region,
        account_id=environment.account_id,
        state_machines={m.logical_id: m.arn for m in plan.machines},
        activities={a.logical_id: a.arn for a in plan.activities},
        functions=dict(plan.functions),
        versions=dict(versions),
        aliases={logical_id: arn for logical_id, (arn, _) in aliases.items()},
        parameters=dict(model.resolver.parameters),
        exports={name: value for name, value in exports.items() if not isinstance(value, Unavailable)},
        _model=model,
        _owned=owned,
        _generations=generations,
        _all_exports=exports,
    )
