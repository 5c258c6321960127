"""Intrinsics for data encoding: States.Base64Encode and States.Base64Decode.

Strings are UTF-8 bytes on both sides, as on AWS's JVM.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.intrinsics.spec import STRING, Param, fail, intrinsic, max_length

if TYPE_CHECKING:
    from fakesfn.asl.context import Env

# AWS: "The input string can't exceed 10,000 characters." (both functions)
MAX_INPUT_CHARS: Final = 10_000

_DROPPED: Final = str.maketrans("", "", " \t\r\n")


@intrinsic(
    "States.Base64Encode", (Param("input string", STRING, (max_length("input string", MAX_INPUT_CHARS),)),)
)
def base64_encode(args: list[Any], env: Env) -> str:
    """The Base64 encoding of the string's UTF-8 bytes."""
    return base64.b64encode(args[0].encode("utf-8", errors="replace")).decode("ascii")


@intrinsic(
    "States.Base64Decode",
    (Param("base64 encoded string", STRING, (max_length("base64 encoded string", MAX_INPUT_CHARS),)),),
)
def base64_decode(args: list[Any], env: Env) -> str:
    """The string whose UTF-8 bytes the Base64 text encodes (padding optional)."""
    text = args[0].translate(_DROPPED)
    text += "=" * (-len(text) % 4)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        fail("The input string is not valid Base64 encoded data")
    return data.decode("utf-8", errors="replace")
