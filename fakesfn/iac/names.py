"""Physical names CloudFormation makes up for resources declared without one.

Two shapes, both documented by AWS's own resource-provider library
(``software.amazon.cloudformation.resource.IdentifierUtils``) and seen in
public stack outputs:

* **stack-prefixed** (most classic resources: Lambda, SQS, IAM, DynamoDB, S3,
  log groups...): ``{stack}-{logicalId}-{12 random}``. When that is longer than
  the type allows, the room left after the suffix is shared *fairly* between
  the stack name and the logical id (each gets an equal share, a short one
  gives its unused share to the other): a 64-character Lambda name of stack
  ``mylongerapp-playground-new`` and logical id ``InstancesLifecycleHandler``
  is ``mylongerapp-playground-ne-InstancesLifecycleHandle-<12>``.
* **logical-id only** (newer registry resources, Step Functions state
  machines among them): ``{logicalId}-{12 random}``, the logical id cut to fit
  (``MyStateMachine6C968CA5-Ybusf26S5Oir``).

The random part is 12 letters and digits; its case depends on the service
(IAM and DynamoDB upper case, S3 lower case with the whole name lowered,
mixed case elsewhere), as public outputs show. Here it is drawn from a hash of
the backend's seed, the stack name, the logical id and a generation counter
(bumped when a resource is replaced), so the same seed gives the same names in
every run and on every platform, and other random draws are not shifted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final

SUFFIX_LENGTH: Final = 12

MIXED: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
UPPER: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
LOWER: Final = "abcdefghijklmnopqrstuvwxyz0123456789"
HEX: Final = "0123456789abcdef"


@dataclass(frozen=True, slots=True)
class Seeds:
    """Where every made-up identifier of one stack comes from."""

    seed: int
    stack_name: str

    def draw(self, purpose: str, length: int, alphabet: str) -> str:
        """``length`` characters of ``alphabet``, a pure function of the seed and ``purpose``."""
        out: list[str] = []
        counter = 0
        while len(out) < length:
            digest = hashlib.sha256(f"{self.seed}\x00{self.stack_name}\x00{purpose}\x00{counter}".encode())
            number = int.from_bytes(digest.digest(), "big")
            while number and len(out) < length:
                number, index = divmod(number, len(alphabet))
                out.append(alphabet[index])
            counter += 1
        return "".join(out)

    def uuid(self, purpose: str) -> str:
        """A version-4 UUID drawn the same way."""
        text = list(self.draw(purpose, 32, HEX))
        text[12] = "4"
        text[16] = "89ab"[int(text[16], 16) % 4]
        joined = "".join(text)
        return f"{joined[:8]}-{joined[8:12]}-{joined[12:16]}-{joined[16:20]}-{joined[20:]}"


def fair_split(room: int, wanted: tuple[int, int]) -> tuple[int, int]:
    """Share ``room`` characters between two parts, round by round, in equal shares.

    Each round offers every part that still wants characters an equal share of
    what is left (at least one, the first part served first); a part that
    needs less leaves the rest for the next round.
    """
    allocated = [0, 0]
    remaining = room
    while remaining > 0:
        share = 1 if remaining < len(allocated) else remaining // len(allocated)
        satisfied = 0
        for index, want in enumerate(wanted):
            if allocated[index] < want:
                given = min(share, want - allocated[index])
                allocated[index] += given
                remaining -= given
            else:
                satisfied += 1
            if remaining <= 0 or satisfied == len(allocated):
                return allocated[0], allocated[1]
    return allocated[0], allocated[1]


def clean_stack_name(stack_name: str) -> str:
    """The stack name as the generator uses it: no leading dashes, no dash runs."""
    text = stack_name.lstrip("-")
    while "--" in text:
        text = text.replace("--", "-")
    return text


def stack_prefixed(stack_name: str, logical_id: str, suffix: str, max_length: int) -> str:
    """``{stack}-{logicalId}-{suffix}`` cut to ``max_length`` by the fair split."""
    stack = clean_stack_name(stack_name)
    room = max_length - len(suffix) - 2
    stack_chars, logical_chars = fair_split(room, (len(stack), len(logical_id)))
    return f"{stack[:stack_chars]}-{logical_id[:logical_chars]}-{suffix}"


def logical_prefixed(logical_id: str, suffix: str, max_length: int) -> str:
    """``{logicalId}-{suffix}``, the logical id cut so the name fits ``max_length``."""
    return f"{logical_id[: max_length - len(suffix) - 1]}-{suffix}"
