"""Where a stack is deployed: its name and id, and the pseudo parameters AWS gives it.

``AWS::Partition`` and ``AWS::URLSuffix`` follow the region (``aws-cn`` and
``amazonaws.com.cn`` in China, ``aws-us-gov`` in GovCloud), exactly as every
ARN the fake builds does. ``Fn::GetAZs`` answers the zones a default account
sees in the region (``us-east-1a`` to ``us-east-1f``; three zones in regions
the table below does not list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from fakesfn.iac.errors import TemplateError

if TYPE_CHECKING:
    from fakesfn.iac.names import Seeds

_STACK_NAME: Final = re.compile(r"[a-zA-Z][-a-zA-Z0-9]*\Z")
_STACK_NAME_MAX: Final = 128

_ZONES: Final = {
    "us-east-1": "abcdef",
    "us-west-1": "bc",
    "us-west-2": "abcd",
    "ap-northeast-1": "acd",
    "ap-northeast-2": "abcd",
    "ca-central-1": "abd",
    "eu-north-1": "abc",
    "sa-east-1": "abc",
}

NO_VALUE: Final = object()
"""What ``Ref: AWS::NoValue`` gives: the property (or list item) holding it disappears."""


def partition_of(region: str) -> str:
    """The ARN partition of ``region``."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-iso-"):
        return "aws-iso"
    if region.startswith("us-isob-"):
        return "aws-iso-b"
    return "aws"


def url_suffix_of(region: str) -> str:
    """``AWS::URLSuffix``: the domain of the region's endpoints."""
    return "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"


def check_stack_name(name: str) -> str:
    """CloudFormation's stack name rule (its ``ValidationError`` wording)."""
    if not _STACK_NAME.match(name) or len(name) > _STACK_NAME_MAX:
        raise TemplateError(
            f"1 validation error detected: Value '{name}' at 'stackName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*"
            + (
                ""
                if len(name) <= _STACK_NAME_MAX
                else f" and have length less than or equal to {_STACK_NAME_MAX}"
            )
        )
    return name


def default_stack_name(stem: str | None) -> str:
    """A stack name from the template's file name (``MyStack.template.json`` -> ``MyStack``)."""
    if not stem:
        return "stack"
    text = re.sub(r"[^-a-zA-Z0-9]+", "-", stem).strip("-")[:_STACK_NAME_MAX]
    if not text:
        return "stack"
    return text if text[0].isalpha() else f"stack-{text}"[:_STACK_NAME_MAX]


@dataclass(frozen=True, slots=True)
class Environment:
    """The account, region and stack every value of one deployment is computed for."""

    stack_name: str
    region: str
    account_id: str
    seeds: Seeds

    @property
    def partition(self) -> str:
        """``AWS::Partition``."""
        return partition_of(self.region)

    @property
    def url_suffix(self) -> str:
        """``AWS::URLSuffix``."""
        return url_suffix_of(self.region)

    @property
    def stack_id(self) -> str:
        """``AWS::StackId``: ``arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>``."""
        uuid = self.seeds.uuid("AWS::StackId")
        return self.arn("cloudformation", f"stack/{self.stack_name}/{uuid}")

    def arn(self, service: str, resource: str, *, region: bool = True, account: bool = True) -> str:
        """An ARN of this partition, region and account (either left out when asked)."""
        where = self.region if region else ""
        who = self.account_id if account else ""
        return f"arn:{self.partition}:{service}:{where}:{who}:{resource}"

    def zones(self, region: str) -> list[str]:
        """``Fn::GetAZs``: the availability zones of ``region`` ("" is this stack's region)."""
        name = region or self.region
        return [f"{name}{letter}" for letter in _ZONES.get(name, "abc")]

    def pseudo(self, name: str) -> object:
        """The value of pseudo parameter ``name``, or ``None`` when it is not one."""
        values: dict[str, object] = {
            "AWS::Region": self.region,
            "AWS::AccountId": self.account_id,
            "AWS::Partition": self.partition,
            "AWS::URLSuffix": self.url_suffix,
            "AWS::StackName": self.stack_name,
            "AWS::NotificationARNs": [],
            "AWS::NoValue": NO_VALUE,
        }
        if name == "AWS::StackId":
            return self.stack_id
        return values.get(name)
