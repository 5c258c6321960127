"""ARN value objects: every ARN fakesfn builds, parses or checks (a leaf).

All ARN string work lives here so no other module slices ARNs: the service
layer parses what callers send, the engine builds execution and Map Run ARNs and
reads an execution's region and account, the integrations name functions. Parsing
follows AWS's shape ``arn:<partition>:<service>:<region>:<account>:<resource>``
and raises :class:`ArnError` with AWS's wording, which the service layer answers
as ``InvalidArn``:

* not an ARN at all -> ``Invalid Arn: 'Invalid ARN prefix: <text>'``
  (recorded: DescribeStateMachine, DescribeActivity, ListExecutions);
* an ARN of another resource type -> ``Invalid Arn: 'Resource type not valid in
  this context: <type>'`` (recorded: StartExecution given an execution ARN).

Names inside Step Functions ARNs can't contain ``:`` or ``/`` (see
:mod:`fakesfn.service.limits`), so splitting on them is unambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


class ArnError(ValueError):
    """Text that is not the ARN expected here; ``message`` is AWS's ``InvalidArn`` wording.

    A leaf cannot raise the service's errors: the service's dispatcher answers this
    one as ``InvalidArn`` with the same message.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_PREFIX: Final = "arn:"
_RESOURCE: Final = re.compile(r"([^:/]+)[:/](.*)\Z", re.DOTALL)
_VERSION: Final = re.compile(r"[1-9][0-9]*\Z")


@dataclass(frozen=True, slots=True)
class Arn:
    """A generic ARN split into its six fields; ``resource`` excludes the type."""

    partition: str
    service: str
    region: str
    account: str
    resource_type: str
    resource: str


@dataclass(frozen=True, slots=True)
class StateMachineRef:
    """A state machine ARN, possibly qualified by a version, an alias or a Map label.

    Attributes:
        partition / region / account: where the machine lives.
        name: the state machine's name.
        qualifier: ``"3"`` for version 3, ``"PROD"`` for an alias, else ``None``.
        map_label: the Distributed Map label of ``stateMachine:name/label`` ARNs.
    """

    partition: str
    region: str
    account: str
    name: str
    qualifier: str | None = None
    map_label: str | None = None

    @property
    def base_arn(self) -> str:
        """The unqualified state machine ARN."""
        return state_machine_arn(self.partition, self.region, self.account, self.name)

    @property
    def labelled_name(self) -> str:
        """``name``, or ``name/label`` for a Distributed Map's labelled machine."""
        return self.name if self.map_label is None else f"{self.name}/{self.map_label}"

    @property
    def version(self) -> int | None:
        """The version number this ARN names, or ``None``."""
        if self.qualifier is not None and _VERSION.match(self.qualifier):
            return int(self.qualifier)
        return None

    @property
    def alias(self) -> str | None:
        """The alias name this ARN names, or ``None``."""
        return self.qualifier if self.qualifier is not None and self.version is None else None


@dataclass(frozen=True, slots=True)
class ActivityRef:
    """A parsed activity ARN."""

    partition: str
    region: str
    account: str
    name: str

    @property
    def arn(self) -> str:
        """The activity ARN."""
        return activity_arn(self.partition, self.region, self.account, self.name)


def _invalid_prefix(text: object) -> ArnError:
    return ArnError(f"Invalid Arn: 'Invalid ARN prefix: {text}'")


def _wrong_type(resource_type: str) -> ArnError:
    return ArnError(f"Invalid Arn: 'Resource type not valid in this context: {resource_type}'")


def _malformed(text: str) -> ArnError:
    return ArnError(f"Invalid Arn: '{text}'")


def parse_arn(text: object) -> Arn:
    """Split any ARN into its fields, or raise AWS's ``Invalid ARN prefix`` error."""
    if not isinstance(text, str) or not text.startswith(_PREFIX):
        raise _invalid_prefix(text)
    fields = text.split(":", 5)
    if len(fields) != 6 or not fields[1] or not fields[2]:
        raise _invalid_prefix(text)
    match = _RESOURCE.match(fields[5])
    if match is None:
        raise _malformed(text)
    return Arn(fields[1], fields[2], fields[3], fields[4], match.group(1), match.group(2))


def _states_arn(text: object, *resource_types: str) -> Arn:
    """Parse a ``states`` ARN whose resource type is one of ``resource_types``."""
    arn = parse_arn(text)
    if arn.service != "states":
        raise _malformed(str(text))
    if arn.resource_type not in resource_types:
        raise _wrong_type(arn.resource_type)
    if not arn.region or not arn.account or not arn.resource:
        raise _malformed(str(text))
    return arn


def parse_state_machine_arn(text: object, *, allow_qualifier: bool = False) -> StateMachineRef:
    """Parse a state machine ARN; a version/alias/Map-label qualifier only when allowed.

    Args:
        text: the ARN as the caller sent it.
        allow_qualifier: accept ``name:3``, ``name:PROD`` and ``name/label`` forms.
    """
    arn = _states_arn(text, "stateMachine")
    parts = arn.resource.split(":")
    if len(parts) > 2 or not all(parts):
        raise _malformed(str(text))
    name, slash, label = parts[0].partition("/")
    if not name or "/" in label or (slash and not label):
        raise _malformed(str(text))
    qualifier = parts[1] if len(parts) == 2 else None
    if (qualifier is not None or label) and not allow_qualifier:
        raise _malformed(str(text))
    return StateMachineRef(arn.partition, arn.region, arn.account, name, qualifier, label or None)


def parse_version_arn(text: object) -> StateMachineRef:
    """Parse a state machine version ARN (``stateMachine:<name>:<number>``)."""
    ref = parse_state_machine_arn(text, allow_qualifier=True)
    if ref.version is None or ref.map_label is not None:
        raise _malformed(str(text))
    return ref


def parse_alias_arn(text: object) -> StateMachineRef:
    """Parse a state machine alias ARN (``stateMachine:<name>:<alias>``)."""
    ref = parse_state_machine_arn(text, allow_qualifier=True)
    if ref.alias is None or ref.map_label is not None:
        raise _malformed(str(text))
    return ref


def parse_activity_arn(text: object) -> ActivityRef:
    """Parse an activity ARN (``...:activity:<name>``)."""
    arn = _states_arn(text, "activity")
    if ":" in arn.resource:
        raise _malformed(str(text))
    return ActivityRef(arn.partition, arn.region, arn.account, arn.resource)


def parse_execution_arn(text: object) -> Arn:
    """Check an execution ARN: ``execution:<machine>:<name>`` or the express form."""
    arn = _states_arn(text, "execution", "express")
    parts = arn.resource.split(":")
    expected = 3 if arn.resource_type == "express" else 2
    if len(parts) != expected or not all(parts):
        raise _malformed(str(text))
    return arn


def parse_map_run_arn(text: object) -> Arn:
    """Check a Map Run ARN: ``mapRun:<machine>/<label>:<id>``."""
    arn = _states_arn(text, "mapRun")
    machine_and_label, _, run_id = arn.resource.partition(":")
    machine, _, label = machine_and_label.partition("/")
    if not (machine and label and run_id):
        raise _malformed(str(text))
    return arn


_ROLE_ARN: Final = re.compile(
    r"arn:aws(?:-[a-z]+)*:iam::(\d{12}):role/((?:[\x21-\x7e]*/)?[\w+=,.@-]{1,64})\Z", re.ASCII
)


def parse_role_arn(text: object) -> Arn:
    """Check an IAM role ARN: ``arn:<partition>:iam::<12-digit account>:role/<path/>name``.

    IAM is global, so the region field is empty; anything else (a policy, a user, a
    placeholder such as ``<execution-role-arn>``) is AWS's ``Invalid Role Arn: '...'``
    (seen from CreateStateMachine in aws/amazon-sagemaker-examples#2432 and
    localstack#2027).
    """
    match = _ROLE_ARN.match(text) if isinstance(text, str) else None
    if match is None:
        raise ArnError(f"Invalid Role Arn: '{text}'")
    partition = str(text).split(":", 2)[1]
    return Arn(partition, "iam", "", match.group(1), "role", match.group(2))


def states_arn(partition: str, region: str, account: str, resource_type: str, resource: str) -> str:
    """``arn:<partition>:states:<region>:<account>:<resource type>:<resource>``."""
    return f"arn:{partition}:states:{region}:{account}:{resource_type}:{resource}"


def state_machine_arn(partition: str, region: str, account: str, name: str) -> str:
    """``arn:<partition>:states:<region>:<account>:stateMachine:<name>``."""
    return states_arn(partition, region, account, "stateMachine", name)


def version_arn(machine_arn: str, number: int) -> str:
    """The ARN of version ``number`` of ``machine_arn``."""
    return f"{parse_state_machine_arn(machine_arn).base_arn}:{number}"


def alias_arn(machine_arn: str, alias: str) -> str:
    """The ARN of alias ``alias`` of ``machine_arn``."""
    return f"{parse_state_machine_arn(machine_arn).base_arn}:{alias}"


def activity_arn(partition: str, region: str, account: str, name: str) -> str:
    """``arn:<partition>:states:<region>:<account>:activity:<name>``."""
    return f"arn:{partition}:states:{region}:{account}:activity:{name}"


def execution_arn(machine_arn: str, name: str, *, express: bool = False, suffix: str | None = None) -> str:
    """An execution ARN of ``machine_arn`` (any qualifier is dropped, as AWS does).

    Standard: ``...:execution:<machine>:<name>``; express:
    ``...:express:<machine>:<name>:<suffix>``. A Map Run child keeps its
    ``<machine>/<label>`` prefix.
    """
    tail = f":{suffix}" if suffix is not None else ""
    return f"{execution_arn_prefix(machine_arn, express=express)}{name}{tail}"


def execution_arn_prefix(machine_arn: str, *, express: bool = False) -> str:
    """What every execution ARN of ``machine_arn`` starts with, up to the execution name.

    ``...:execution:<machine>:`` (``express`` for EXPRESS ones): a Map Run computes it once
    for all its children.
    """
    ref = parse_state_machine_arn(machine_arn, allow_qualifier=True)
    kind = "express" if express else "execution"
    return states_arn(ref.partition, ref.region, ref.account, kind, f"{ref.labelled_name}:")


def map_run_arn(machine_arn: str, label: str, run_id: str) -> str:
    """``arn:...:mapRun:<machine>/<label>:<run id>`` for a Distributed Map run."""
    ref = parse_state_machine_arn(machine_arn, allow_qualifier=True)
    return f"arn:{ref.partition}:states:{ref.region}:{ref.account}:mapRun:{ref.name}/{label}:{run_id}"


def owner(arn: str) -> tuple[str, str]:
    """``(region, account)`` of a well-formed ARN the fake built itself."""
    parsed = parse_arn(arn)
    return parsed.region, parsed.account


def partition_of(arn: str) -> str:
    """The partition of an ARN the fake built itself (no checks: cheap on hot paths)."""
    return arn.split(":", 2)[1]


def region_of(arn: str) -> str:
    """The region of an ARN the fake built itself (no checks: cheap on hot paths)."""
    return arn.split(":", 4)[3]


def account_of(arn: str) -> str:
    """The account of an ARN the fake built itself (no checks: cheap on hot paths)."""
    return arn.split(":", 5)[4]


def execution_machine_name(arn: str) -> str:
    """The machine part of an execution ARN the fake built (``execution:<machine>:<name>``)."""
    return arn.split(":", 7)[6]


def function_arn(partition: str, region: str, account: str, name: str) -> str:
    """A Lambda function's ARN (``arn:<partition>:lambda:<region>:<account>:function:<name>``)."""
    return f"arn:{partition}:lambda:{region}:{account}:function:{name}"


def bucket_name(bucket: str) -> str:
    """An S3 bucket's name, given the name or its ARN (``arn:aws:s3:::<name>``)."""
    return bucket.rsplit(":", 1)[-1]
