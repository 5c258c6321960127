"""What a ``stateMachineArn`` argument can name: a machine, one of its versions, or an alias.

StartExecution, StartSyncExecution and ListExecutions all accept the three
forms; an alias is resolved to one of its versions by its routing weights
(drawn from the seeded RNG, so runs repeat).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fakesfn import arns
from fakesfn.service.errors import StateMachineDeleting, StateMachineDoesNotExist

if TYPE_CHECKING:
    from fakesfn.service.store import Definition, StateMachineRecord, Store


@dataclass(frozen=True, slots=True)
class Target:
    """A resolved start target: the machine, the definition in force, and how it was named."""

    machine: StateMachineRecord
    definition: Definition
    role_arn: str
    version_arn: str | None = None
    alias_arn: str | None = None


def resolve_target(store: Store, arn: Any, *, route: bool = True, deleting_ok: bool = False) -> Target:
    """Resolve a machine, version or alias ARN, or raise AWS's error.

    ``route=False`` names an alias without picking one of its versions, so a
    read-only call (ListExecutions) draws nothing from the seeded RNG.
    ``deleting_ok`` accepts a machine being deleted: AWS's model gives
    ListExecutions no ``StateMachineDeleting`` error.
    """
    ref = arns.parse_state_machine_arn(arn, allow_qualifier=True)
    record = store.state_machines.get(ref.base_arn)
    if record is None:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
    if record.status == "DELETING" and not deleting_ok:
        raise StateMachineDeleting(f"State machine is being deleted: '{arn}'")
    if ref.qualifier is None:
        return Target(record, record.definition, record.role_arn)
    if ref.qualifier.isdigit():
        version = record.versions.get(int(ref.qualifier))
        if version is None:
            raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
        return Target(record, version.definition, version.role_arn, version_arn=version.arn)
    alias = record.aliases.get(ref.qualifier)
    if alias is None:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
    if not route:
        return Target(record, record.definition, record.role_arn, alias_arn=alias.arn)
    version_arn = _route(store, alias.routing)
    number = int(version_arn.rsplit(":", 1)[1])
    version = record.versions[number]
    return Target(record, version.definition, version.role_arn, version_arn=version.arn, alias_arn=alias.arn)


def _route(store: Store, routing: list[dict[str, Any]]) -> str:
    """Pick a version by weight (0-100) with the seeded RNG."""
    if len(routing) == 1:
        return str(routing[0]["stateMachineVersionArn"])
    draw = store.random.randint(1, 100)
    total = 0
    for route in routing:
        total += int(route["weight"])
        if draw <= total:
            return str(route["stateMachineVersionArn"])
    return str(routing[-1]["stateMachineVersionArn"])
