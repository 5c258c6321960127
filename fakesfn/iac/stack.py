"""What ``deploy_template`` returns: the deployed stack's ARNs, outputs and lookups."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fakesfn.iac.errors import Where

if TYPE_CHECKING:
    from fakesfn.iac.model import StackModel


class Outputs(Mapping[str, Any]):
    """The stack's ``Outputs``, each resolved when read (an unresolvable one raises then)."""

    def __init__(self, model: StackModel) -> None:
        self._model = model

    def __getitem__(self, name: str) -> Any:
        if name not in self._model.template.outputs:
            raise KeyError(name)
        return self._model.output(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._model.output_names())

    def __len__(self) -> int:
        return len(self._model.output_names())


@dataclass(frozen=True, slots=True)
class Owned:
    """What a stack created in the service, kept to update or remove it on the next deploy."""

    machines: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    activities: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Stack:
    """A template deployed into a fake backend.

    Attributes:
        name: the stack name (``AWS::StackName``).
        stack_id: ``AWS::StackId``.
        region: the region every ARN names.
        account_id: the account every ARN names.
        state_machines: logical id -> state machine ARN (``AWS::StepFunctions::StateMachine``
            and ``AWS::Serverless::StateMachine``).
        activities: logical id -> activity ARN.
        functions: logical id -> Lambda function ARN (``AWS::Lambda::Function`` and
            ``AWS::Serverless::Function``), for ``register_lambda``.
        versions: logical id -> state machine version ARN (``AWS::StepFunctions::StateMachineVersion``,
            SAM's ``AutoPublishAlias``).
        aliases: logical id -> state machine alias ARN.
        parameters: parameter name -> the value ``Ref`` gives.
        exports: export name -> value, for other stacks' ``Fn::ImportValue``.
    """

    name: str
    stack_id: str
    region: str
    account_id: str
    state_machines: dict[str, str]
    activities: dict[str, str]
    functions: dict[str, str]
    versions: dict[str, str]
    aliases: dict[str, str]
    parameters: dict[str, object]
    exports: dict[str, Any]
    _model: StackModel = field(repr=False)
    _owned: Owned = field(repr=False)
    _generations: dict[str, int] = field(repr=False)
    _all_exports: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def outputs(self) -> Outputs:
        """The template's ``Outputs``: name -> value, resolved when read."""
        return Outputs(self._model)

    def ref(self, logical_id: str) -> Any:
        """What ``Ref`` gives for a resource of the stack (a queue's URL, a table's name...)."""
        return self._model.resolver.resolve({"Ref": logical_id}, Where(logical_id))

    def attribute(self, logical_id: str, name: str) -> Any:
        """What ``Fn::GetAtt`` gives for a resource's attribute (``stack.attribute("Queue", "Arn")``)."""
        return self._model.resolver.resolve({"Fn::GetAtt": [logical_id, name]}, Where(logical_id))
