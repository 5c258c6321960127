"""Activities: CreateActivity, DescribeActivity, DeleteActivity, ListActivities.

AWS: "CreateActivity is an idempotent API... based on the activity name. If a
following request has different tags values, Step Functions will ignore these
differences". A different encryption configuration is refused with
``ActivityAlreadyExists`` ("EncryptionConfiguration may not be updated").
Worker-facing operations (GetActivityTask, SendTask*) live elsewhere.
"""

from __future__ import annotations

from typing import Any

from fakesfn import arns
from fakesfn.service import limits
from fakesfn.service.errors import ActivityAlreadyExists, ActivityDoesNotExist
from fakesfn.service.limits import ModelCheck
from fakesfn.service.pagination import paginate
from fakesfn.service.registry import Caller, operation
from fakesfn.service.store import ActivityRecord, Store
from fakesfn.service.tags import replace_tags, validate_new_tags


def find_activity(store: Store, arn: object) -> ActivityRecord:
    """The activity ``arn`` names, or ``ActivityDoesNotExist`` (recorded wording)."""
    activity = store.activities.get(arns.parse_activity_arn(arn).arn)
    if activity is None:
        raise ActivityDoesNotExist(f"Activity Does Not Exist: '{arn}'")
    return activity


@operation("CreateActivity")
def create_activity(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Create, or return the activity of the same name as it was first created."""
    check = ModelCheck()
    encryption = limits.encryption_configuration(params.get("encryptionConfiguration"), check)
    limits.check_tags(check, params.get("tags", []))
    check.raise_if_any()
    name = limits.validate_name(params["name"], "activity")
    limits.check_encryption(encryption)
    arn = arns.activity_arn(caller.partition, caller.region, caller.account_id, name)
    existing = store.activities.get(arn)
    if existing is not None:
        if existing.encryption_configuration != encryption:
            raise ActivityAlreadyExists(f"Activity Already Exists: '{arn}'")
        return {"activityArn": arn, "creationDate": existing.creation_date}
    tags = validate_new_tags(params.get("tags", []), {}, resource=arn)
    activity = ActivityRecord(arn, name, store.clock.time(), encryption)
    store.activities[arn] = activity
    replace_tags(store, arn, tags)
    return {"activityArn": arn, "creationDate": activity.creation_date}


@operation("DescribeActivity")
def describe_activity(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Name, ARN, creation date and encryption (``AWS_OWNED_KEY`` unless set)."""
    activity = find_activity(store, params["activityArn"])
    return {
        "activityArn": activity.arn,
        "name": activity.name,
        "creationDate": activity.creation_date,
        "encryptionConfiguration": activity.encryption_configuration,
    }


@operation("DeleteActivity")
def delete_activity(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """AWS: deleting an unknown activity succeeds (recorded)."""
    arn = arns.parse_activity_arn(params["activityArn"]).arn
    if store.activities.pop(arn, None) is not None:
        replace_tags(store, arn, {})
    return {}


@operation("ListActivities")
def list_activities(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """The caller's region and account only, ordered by name."""
    mine = [a for a in store.activities.values() if arns.owner(a.arn) == (caller.region, caller.account_id)]
    mine.sort(key=lambda activity: activity.name)
    page, token = paginate("ListActivities", mine, params)
    reply: dict[str, Any] = {
        "activities": [{"activityArn": a.arn, "name": a.name, "creationDate": a.creation_date} for a in page]
    }
    if token is not None:
        reply["nextToken"] = token
    return reply
