"""Which AWS partition a region belongs to, from botocore's own partition data.

ARNs start with the partition: ``arn:aws:`` in the commercial regions, but
``arn:aws-cn:`` in China, ``arn:aws-us-gov:`` in GovCloud, ``arn:aws-iso:`` /
``arn:aws-iso-b:`` in the isolated regions, ``arn:aws-eusc:`` in the European
Sovereign Cloud... botocore ships the list (``partitions.json``: each partition's
regions and region-name pattern), so new partitions arrive with botocore, not with
a fakesfn release. Read once, on first use.
"""

from __future__ import annotations

import functools
import re
from typing import Final

import botocore.loaders

DEFAULT_PARTITION: Final = "aws"
"""A region no partition claims (a made-up name in a test) is treated as commercial."""


@functools.lru_cache(maxsize=1)
def _partitions() -> tuple[tuple[str, frozenset[str], re.Pattern[str] | None], ...]:
    data = botocore.loaders.create_loader().load_data("partitions")
    found = []
    for partition in data["partitions"]:
        name = partition.get("outputs", {}).get("name", partition["id"])
        pattern = partition.get("regionRegex")
        found.append(
            (name, frozenset(partition.get("regions", {})), re.compile(pattern) if pattern else None)
        )
    return tuple(found)


@functools.lru_cache(maxsize=256)
def partition_of(region: str) -> str:
    """The ARN partition of ``region`` (``us-isob-east-1`` -> ``aws-iso-b``).

    A region listed by a partition belongs to it; otherwise the first partition whose
    region pattern matches, as botocore's resolver decides.
    """
    partitions = _partitions()
    for name, regions, _pattern in partitions:
        if region in regions:
            return name
    for name, _regions, pattern in partitions:
        if pattern is not None and pattern.match(region):
            return name
    return DEFAULT_PARTITION


def partition_names() -> frozenset[str]:
    """Every partition name botocore knows (what an ARN's second field may be)."""
    return frozenset(name for name, _regions, _pattern in _partitions())
