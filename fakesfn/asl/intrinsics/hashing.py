"""Intrinsic for hash calculation: States.Hash."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.intrinsics.spec import STRING, Param, intrinsic, max_length

if TYPE_CHECKING:
    from fakesfn.asl.context import Env

# AWS: the algorithm is one of MD5, SHA-1, SHA-256, SHA-384, SHA-512.
ALGORITHMS: Final = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}

# AWS: "The input data can't exceed 10,000 characters."
MAX_INPUT_CHARS: Final = 10_000


def _known_algorithm(name: str) -> str | None:
    if name in ALGORITHMS:
        return None
    return f"The hashing algorithm must be one of {', '.join(ALGORITHMS)}, but was '{name}'"


@intrinsic(
    "States.Hash",
    (
        Param("input data", STRING, (max_length("input data", MAX_INPUT_CHARS),)),
        Param("hashing algorithm", STRING, (_known_algorithm,)),
    ),
)
def hash_(args: list[Any], env: Env) -> str:
    """The lowercase hex digest of the data's UTF-8 bytes."""
    data, algorithm = args
    return hashlib.new(ALGORITHMS[algorithm], data.encode("utf-8", errors="replace")).hexdigest()
