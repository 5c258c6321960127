"""Names, sizes and configuration rules the Step Functions API enforces.

Two kinds of refusal, as AWS makes them:

* **Model constraints** (lengths, ranges, enums, patterns from the API model) that
  botocore does not check client-side (it checks only minimums and required
  members). AWS's request validator answers ``ValidationException`` with
  ``1 validation error detected: Value '1001' at 'maxResults' failed to satisfy
  constraint: Member must have value less than or equal to 1000`` (recorded:
  ListStateMachines, ListExecutions, CreateStateMachineAlias). :class:`ModelCheck`
  collects them for one request.
* **Service rules** with their own error codes: ``InvalidName``,
  ``InvalidLoggingConfiguration``, ``InvalidEncryptionConfiguration``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from fakesfn.arns import ArnError, parse_arn
from fakesfn.service.errors import (
    InvalidEncryptionConfiguration,
    InvalidLoggingConfiguration,
    InvalidName,
    ValidationException,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

NAME_MAX: Final = 80
DESCRIPTION_MAX: Final = 256
DEFINITION_MAX: Final = 1_048_576
MAP_ITEM_READER_DATA_MAX: Final = 262_144
ARN_MAX: Final = 256
MAX_TAGS: Final = 50
TAG_KEY_MAX: Final = 128
TAG_VALUE_MAX: Final = 256
DEFAULT_PAGE_SIZE: Final = 100
MAX_PAGE_SIZE: Final = 1000
MAX_VERSIONS: Final = 1000
DEFAULT_KMS_REUSE_SECONDS: Final = 300
KMS_REUSE_RANGE: Final = (60, 900)

STATE_MACHINE_TYPES: Final = ("STANDARD", "EXPRESS")
LOG_LEVELS: Final = ("ALL", "ERROR", "FATAL", "OFF")
ENCRYPTION_TYPES: Final = ("AWS_OWNED_KEY", "CUSTOMER_MANAGED_KMS_KEY")

# AWS: "A name must not contain: white space; brackets < > { } [ ]; wildcard
# characters ? *; special characters " # % \ ^ | ~ ` $ & , ; : /; control
# characters (U+0000-001F, U+007F-009F, U+FFFE-FFFF); surrogates (U+D800-DFFF)."
_FORBIDDEN_IN_NAME: Final = re.compile(
    '[\\s<>{}\\[\\]?*"#%\\\\^|~`$&,;:/\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]'
)

# The alias name pattern from the API model, printed back as the model writes it (recorded:
# LocalStack's AWS-validated test_error_create_alias_invalid_name, 2025-04-09).
_ALIAS_NAME: Final = re.compile(r"(?=.*[a-zA-Z_\-.])[a-zA-Z0-9_\-.]+\Z")
_ALIAS_PATTERN_SHOWN: Final = r"^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$"


class ModelCheck:
    """Collects API-model violations of one request, reported together as AWS does."""

    def __init__(self) -> None:
        self._violations: list[str] = []

    def _add(self, field: str, shown: str | None, constraint: str) -> None:
        value = "Value" if shown is None else f"Value '{shown}'"
        self._violations.append(
            f"{value} at '{field}' failed to satisfy constraint: Member must {constraint}"
        )

    def length(self, field: str, value: object, maximum: int, *, sensitive: bool = False) -> None:
        """A string longer than ``maximum`` (AWS never echoes sensitive values)."""
        if isinstance(value, str) and len(value) > maximum:
            self._add(field, None if sensitive else value, f"have length less than or equal to {maximum}")

    def items(self, field: str, value: object, maximum: int, render: Callable[[Any], str] = str) -> None:
        """A list with more than ``maximum`` members."""
        if isinstance(value, list) and len(value) > maximum:
            shown = "[" + ", ".join(render(item) for item in value) + "]"
            self._add(field, shown, f"have length less than or equal to {maximum}")

    def present(self, field: str, value: object) -> None:
        """A member the service needs though the model leaves it optional (a tag's key)."""
        if value is None:
            self._violations.append(
                f"Value null at '{field}' failed to satisfy constraint: Member must not be null"
            )

    def at_most(self, field: str, value: object, maximum: int) -> None:
        """A number above ``maximum``."""
        if isinstance(value, int) and value > maximum:
            self._add(field, str(value), f"have value less than or equal to {maximum}")

    def enum(self, field: str, value: object, allowed: Sequence[str]) -> None:
        """A value outside an enum (botocore does not check enums)."""
        if value is not None and value not in allowed:
            self._add(field, str(value), f"satisfy enum value set: [{', '.join(allowed)}]")

    def pattern(self, field: str, value: object, regex: re.Pattern[str], shown: str) -> None:
        """A string not matching the model's pattern."""
        if isinstance(value, str) and not regex.match(value):
            self._add(field, value, f"satisfy regular expression pattern: {shown}")

    def raise_if_any(self) -> None:
        """Raise the ``ValidationException`` AWS sends for the collected violations."""
        count = len(self._violations)
        if count:
            noun = "error" if count == 1 else "errors"
            raise ValidationException(f"{count} validation {noun} detected: " + "; ".join(self._violations))


def validate_name(name: object, kind: str) -> str:
    """Check a resource name; ``kind`` is ``alias`` or any other resource (same rules).

    Alias names follow the model's ``CharacterRestrictedName`` pattern and are
    refused with ``ValidationException`` (recorded); state machine, activity and
    execution names follow the documented character rules and are refused with
    ``InvalidName: Invalid Name: '<name>'`` (recorded for CreateActivity).
    """
    check = ModelCheck()
    check.length("name", name, NAME_MAX)
    if kind == "alias":
        check.pattern("name", name, _ALIAS_NAME, _ALIAS_PATTERN_SHOWN)
    check.raise_if_any()
    if not isinstance(name, str) or not name or _FORBIDDEN_IN_NAME.search(name):
        raise InvalidName(f"Invalid Name: '{name}'")
    return name


def check_tags(check: ModelCheck, tags: Sequence[Mapping[str, Any]]) -> None:
    """Model limits of a tag list: keys up to 128 characters, values up to 256."""
    for index, tag in enumerate(tags, start=1):
        check.present(f"tags.{index}.member.key", tag.get("key"))
        check.length(f"tags.{index}.member.key", tag.get("key"), TAG_KEY_MAX)
        check.length(f"tags.{index}.member.value", tag.get("value"), TAG_VALUE_MAX)


def logging_configuration(raw: Mapping[str, Any] | None, check: ModelCheck) -> dict[str, Any]:
    """Normalize and validate a ``loggingConfiguration`` as AWS echoes it in describe.

    AWS: level defaults to ``OFF`` and includeExecutionData to ``false``; a level
    other than OFF needs exactly one destination ("Invalid Logging Configuration:
    Must specify exactly one Log Destination.", recorded for create and update).
    """
    raw = raw or {}
    level = raw.get("level", "OFF")
    check.enum("loggingConfiguration.level", level, LOG_LEVELS)
    normalized: dict[str, Any] = {
        "level": level,
        "includeExecutionData": bool(raw.get("includeExecutionData", False)),
    }
    if "destinations" in raw:
        normalized["destinations"] = [dict(destination) for destination in raw["destinations"]]
    return normalized


def check_logging_destinations(config: Mapping[str, Any]) -> None:
    """Service-side logging rules, checked after the model constraints passed."""
    destinations = config.get("destinations", [])
    if len(destinations) > 1 or (config["level"] != "OFF" and len(destinations) != 1):
        raise InvalidLoggingConfiguration(
            "Invalid Logging Configuration: Must specify exactly one Log Destination."
        )
    for destination in destinations:
        group = destination.get("cloudWatchLogsLogGroup") or {}
        if not _is_log_group_arn(group.get("logGroupArn")):
            # AWS answers this for a log group it cannot find (recorded); a value
            # that is not a log group ARN can't be found either.
            raise InvalidLoggingConfiguration("Invalid Logging Configuration: Log Destination not found.")


def _is_log_group_arn(text: object) -> bool:
    try:
        arn = parse_arn(text)
    except ArnError:
        return False
    return arn.service == "logs" and arn.resource_type == "log-group" and bool(arn.resource)


def tracing_configuration(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """``tracingConfiguration`` as AWS echoes it: ``{"enabled": false}`` by default."""
    return {"enabled": bool((raw or {}).get("enabled", False))}


def encryption_configuration(raw: Mapping[str, Any] | None, check: ModelCheck) -> dict[str, Any]:
    """Normalize an ``encryptionConfiguration``; AWS reports ``AWS_OWNED_KEY`` by default."""
    if raw is None:
        return {"type": "AWS_OWNED_KEY"}
    kind = raw.get("type")
    check.enum("encryptionConfiguration.type", kind, ENCRYPTION_TYPES)
    check.length("encryptionConfiguration.kmsKeyId", raw.get("kmsKeyId"), 2048)
    normalized: dict[str, Any] = {"type": kind}
    for key in ("kmsKeyId", "kmsDataKeyReusePeriodSeconds"):
        if key in raw:
            normalized[key] = raw[key]
    if kind == "CUSTOMER_MANAGED_KMS_KEY":
        normalized.setdefault("kmsDataKeyReusePeriodSeconds", DEFAULT_KMS_REUSE_SECONDS)
    return normalized


def check_encryption(config: Mapping[str, Any]) -> None:
    """AWS: a customer managed key needs ``kmsKeyId`` and a reuse period of 60-900 s.

    The code and rule are AWS's (``InvalidEncryptionConfiguration``: "if type is
    set to CUSTOMER_MANAGED_KMS_KEY, but kmsKeyId is null, or
    kmsDataKeyReusePeriodSeconds is not between 60 and 900"); the wording of the
    messages is the fake's own, no recording pins it.
    """
    if config["type"] == "AWS_OWNED_KEY":
        if "kmsKeyId" in config or "kmsDataKeyReusePeriodSeconds" in config:
            raise InvalidEncryptionConfiguration(
                "Invalid Encryption Configuration: kmsKeyId and kmsDataKeyReusePeriodSeconds "
                "can only be set when type is CUSTOMER_MANAGED_KMS_KEY"
            )
        return
    if not config.get("kmsKeyId"):
        raise InvalidEncryptionConfiguration(
            "Invalid Encryption Configuration: kmsKeyId is required when type is CUSTOMER_MANAGED_KMS_KEY"
        )
    low, high = KMS_REUSE_RANGE
    period = config["kmsDataKeyReusePeriodSeconds"]
    if not isinstance(period, int) or not low <= period <= high:
        raise InvalidEncryptionConfiguration(
            f"Invalid Encryption Configuration: kmsDataKeyReusePeriodSeconds must be between {low} and {high}"
        )


def request_configurations(params: Mapping[str, Any], check: ModelCheck) -> dict[str, Any]:
    """The normalized configurations a create/update request carries (``logging``...)."""
    found: dict[str, Any] = {}
    if "loggingConfiguration" in params:
        found["logging"] = logging_configuration(params["loggingConfiguration"], check)
    if "tracingConfiguration" in params:
        found["tracing"] = tracing_configuration(params["tracingConfiguration"])
    if "encryptionConfiguration" in params:
        found["encryption"] = encryption_configuration(params["encryptionConfiguration"], check)
    return found


def check_configurations(configs: Mapping[str, Any]) -> None:
    """Service rules of the configurations :func:`request_configurations` found."""
    if "logging" in configs:
        check_logging_destinations(configs["logging"])
    if "encryption" in configs:
        check_encryption(configs["encryption"])
