"""Why a template could not be deployed: one exception family, each naming where it went wrong.

Every failure names the place in the template (a resource and its property, a
parameter, a condition, an output) so the user can go straight to the line:

* :class:`TemplateReadError`: the file cannot be read or parsed (YAML without
  PyYAML installed, malformed JSON/YAML, an unknown ``!Tag``).
* :class:`TemplateFormatError`: CloudFormation itself would refuse the template
  (a ``Ref`` to nothing, a malformed ``Fn::Join``, a circular dependency...).
* :class:`ParameterError`: a parameter value is missing or breaks its
  constraints, as CloudFormation checks them before creating anything.
* :class:`UnresolvableError`: the value lives outside the template and cannot
  be known locally (``DefinitionS3Location``, ``Fn::ImportValue`` of an unknown
  export, custom resources, SSM parameters without a value). Never guessed.
* :class:`DeployError`: the Step Functions service refused what the template
  asked for (``InvalidDefinition``, ``StateMachineAlreadyExists``...), with
  AWS's code and message.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a template: a section entry (``resource``) and a property path in it."""

    resource: str | None = None
    resource_type: str | None = None
    path: tuple[str, ...] = ()
    section: str = "Resources"

    def child(self, key: str | int) -> Where:
        """This place, one key or index deeper."""
        step = f"[{key}]" if isinstance(key, int) else str(key)
        return Where(self.resource, self.resource_type, (*self.path, step), self.section)

    def describe(self) -> str:
        """``resource 'Machine' (AWS::StepFunctions::StateMachine), property DefinitionString``."""
        if self.resource is None:
            head = "the template"
        elif self.section == "Resources":
            kind = f" ({self.resource_type})" if self.resource_type else ""
            head = f"resource '{self.resource}'{kind}"
        else:
            head = f"{self.section} '{self.resource}'"
        if not self.path:
            return head
        text = ""
        for step in self.path:
            text += step if step.startswith("[") or not text else f".{step}"
        return f"{head}, property {text}"


class TemplateError(Exception):
    """A template that cannot be deployed into the fake; ``str()`` says where and why.

    Attributes:
        reason: what is wrong, without the location.
        where: the place in the template, when there is one.
    """

    def __init__(self, reason: str, where: Where | None = None) -> None:
        self.reason = reason
        self.where = where
        super().__init__(f"{where.describe()}: {reason}" if where is not None else reason)

    @property
    def resource(self) -> str | None:
        """The logical id (or parameter, condition, output name) the error is about."""
        return None if self.where is None else self.where.resource

    @property
    def property_path(self) -> str | None:
        """The property path inside the resource (``DefinitionSubstitutions.Table``), if any."""
        if self.where is None or not self.where.path:
            return None
        return ".".join(self.where.path).replace(".[", "[")


class TemplateReadError(TemplateError):
    """The template file cannot be read or parsed."""


class TemplateFormatError(TemplateError):
    """CloudFormation would refuse the template itself."""


class ParameterError(TemplateError):
    """A parameter value is missing or breaks its declared constraints.

    The message is CloudFormation's, which names the parameter itself.
    """

    def __str__(self) -> str:
        return self.reason


class UnresolvableError(TemplateError):
    """A value the template needs exists only in a real AWS account; never guessed."""


class DeployError(TemplateError):
    """The Step Functions service refused a resource: ``code`` is AWS's error code.

    Attributes:
        code: the service's error code (``InvalidDefinition``, ``InvalidName``...).
        message: the service's message, exactly as the API would answer.
    """

    def __init__(self, code: str, message: str, where: Where) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}", where)
