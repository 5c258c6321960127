"""Tags on state machines and activities: TagResource, UntagResource, ListTagsForResource.

Tags live in ``store.tags`` keyed by the resource ARN, in insertion order (AWS
lists them in the order they were first set; re-tagging a key overwrites its
value in place). Versions and aliases can't be tagged: AWS answers
``ResourceNotFound: Resource not found: '<version arn>'`` (recorded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn import arns
from fakesfn.service import limits
from fakesfn.service.errors import ResourceNotFound, ServiceError, TooManyTags
from fakesfn.service.registry import Caller, operation

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from fakesfn.service.store import Store


def validate_new_tags(
    new: Sequence[Mapping[str, Any]], existing: Mapping[str, str], *, resource: str
) -> dict[str, str]:
    """``existing`` with ``new`` applied, or ``TooManyTags`` past AWS's 50 per resource.

    The limit is AWS's; the message wording is the fake's own (no recording pins
    it). ``resourceName`` is the member AWS's TooManyTags error carries.
    """
    merged = dict(existing)
    for tag in new:
        merged[tag["key"]] = tag.get("value", "")
    if len(merged) > limits.MAX_TAGS:
        raise TooManyTags(
            f"Too many tags: a resource can have at most {limits.MAX_TAGS} tags, "
            f"'{resource}' would have {len(merged)}",
            resourceName=resource,
        )
    return merged


def replace_tags(store: Store, arn: str, tags: Mapping[str, str]) -> None:
    """Set the tags of ``arn`` (a new resource, or one just validated)."""
    if tags:
        store.tags[arn] = dict(tags)
    else:
        store.tags.pop(arn, None)


def _not_found(arn: str) -> ServiceError:
    return ResourceNotFound(f"Resource not found: '{arn}'")


def _taggable(store: Store, arn: object) -> str:
    """The ARN of an existing state machine or activity, or AWS's error."""
    parsed = arns.parse_arn(arn)
    text = str(arn)
    if parsed.resource_type == "activity":
        found = arns.parse_activity_arn(arn).arn in store.activities
    else:
        ref = arns.parse_state_machine_arn(arn, allow_qualifier=True)
        found = ref.qualifier is None and ref.map_label is None and ref.base_arn in store.state_machines
    if not found:
        raise _not_found(text)
    return text


@operation("TagResource")
def tag_resource(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Add or overwrite tags; all or nothing."""
    check = limits.ModelCheck()
    limits.check_tags(check, params["tags"])
    check.raise_if_any()
    arn = _taggable(store, params["resourceArn"])
    replace_tags(store, arn, validate_new_tags(params["tags"], store.tags.get(arn, {}), resource=arn))
    return {}


@operation("UntagResource")
def untag_resource(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Remove tags by key; unknown keys are ignored."""
    arn = _taggable(store, params["resourceArn"])
    remaining = {key: value for key, value in store.tags.get(arn, {}).items() if key not in params["tagKeys"]}
    replace_tags(store, arn, remaining)
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Every tag of a state machine or activity, in the order first set."""
    arn = _taggable(store, params["resourceArn"])
    return {"tags": [{"key": key, "value": value} for key, value in store.tags.get(arn, {}).items()]}
