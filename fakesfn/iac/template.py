"""The template's shape, checked the way CloudFormation checks it before resolving anything.

CloudFormation refuses a template whose sections are unknown, whose resources
lack a ``Type`` or have a non-alphanumeric logical id, or whose properties are
not an object; those refusals come with "Template format error" wording, which
is kept here. Intrinsic functions are not looked at yet: that is
:mod:`fakesfn.iac.intrinsics`' job, once parameter values are known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from fakesfn.iac.errors import TemplateFormatError, UnresolvableError, Where

SAM_TRANSFORM: Final = "AWS::Serverless-2016-10-31"
LANGUAGE_EXTENSIONS: Final = "AWS::LanguageExtensions"
_KNOWN_TRANSFORMS: Final = (SAM_TRANSFORM, LANGUAGE_EXTENSIONS)

_SECTIONS: Final = frozenset(
    {
        "AWSTemplateFormatVersion",
        "Description",
        "Metadata",
        "Parameters",
        "Rules",
        "Mappings",
        "Conditions",
        "Transform",
        "Resources",
        "Outputs",
        "Globals",
    }
)
_RESOURCE_KEYS: Final = frozenset(
    {
        "Type",
        "Properties",
        "DependsOn",
        "Condition",
        "DeletionPolicy",
        "UpdateReplacePolicy",
        "Metadata",
        "CreationPolicy",
        "UpdatePolicy",
        # SAM resource attributes
        "IgnoreGlobals",
        "Connectors",
    }
)
_LOGICAL_ID: Final = re.compile(r"[A-Za-z0-9]+\Z")
_FORMAT_VERSION: Final = "2010-09-09"


@dataclass(slots=True)
class Resource:
    """One entry of ``Resources``.

    Attributes:
        logical_id: its key in ``Resources``.
        type: its ``Type`` (after the SAM expansion: a CloudFormation type).
        properties: its ``Properties``, intrinsics not yet resolved.
        condition: the name of the condition it is created under, if any.
        depends_on: its ``DependsOn`` names.
        declared_type: the type the author wrote (``AWS::Serverless::Function``).
        local_definition: for a SAM machine with a local ``DefinitionUri``: the
            file, relative to the template's folder.
    """

    logical_id: str
    type: str
    properties: dict[str, Any]
    condition: str | None = None
    depends_on: tuple[str, ...] = ()
    declared_type: str = ""
    local_definition: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)

    def where(self, *path: str) -> Where:
        """The place of this resource (or one of its properties) in the template."""
        return Where(self.logical_id, self.declared_type or self.type, tuple(path))


@dataclass(slots=True)
class Template:
    """A template's sections, checked for shape."""

    parameters: dict[str, dict[str, Any]]
    mappings: dict[str, Any]
    conditions: dict[str, Any]
    resources: dict[str, Resource]
    outputs: dict[str, Any]
    rules: dict[str, Any]
    transforms: tuple[str, ...]
    globals: dict[str, Any]
    is_sam: bool


def _section(body: dict[str, Any], name: str) -> dict[str, Any]:
    value = body.get(name, {})
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise TemplateFormatError(f"Template format error: {name} must be an object")
    return value


def declared_transforms(body: dict[str, Any]) -> tuple[str, ...]:
    """The transforms ``body`` declares; one fakesfn cannot run is refused."""
    raw = body.get("Transform", [])
    listed = raw if isinstance(raw, list) else [raw]
    names: list[str] = []
    for entry in listed:
        if isinstance(entry, dict) and "Name" in entry:
            entry = entry["Name"]
        if not isinstance(entry, str):
            raise TemplateFormatError("Template format error: Transform must name a transform")
        if entry not in _KNOWN_TRANSFORMS:
            raise UnresolvableError(
                f"the transform (macro) {entry!r} runs inside CloudFormation in an AWS account and "
                f"cannot be run locally; fakesfn processes {' and '.join(_KNOWN_TRANSFORMS)}",
                Where(section="Transform"),
            )
        names.append(entry)
    return tuple(names)


def _resource(logical_id: str, raw: object) -> Resource:
    where = Where(logical_id)
    if not _LOGICAL_ID.match(logical_id):
        raise TemplateFormatError(f"Template format error: Resource name {logical_id} is non alphanumeric.")
    if not isinstance(raw, dict):
        raise TemplateFormatError(
            f"Template format error: [/Resources/{logical_id}] resource definition is malformed", where
        )
    resource_type = raw.get("Type")
    if not isinstance(resource_type, str) or not resource_type:
        raise TemplateFormatError(
            f"Template format error: [/Resources/{logical_id}] "
            "Every Resources object must contain a Type member.",
            where,
        )
    unknown = sorted(set(raw) - _RESOURCE_KEYS)
    # SAM builds its resources from their properties and drops other keys;
    # CloudFormation refuses them on its own resource types.
    if unknown and not resource_type.startswith("AWS::Serverless::"):
        raise TemplateFormatError(
            f"Template format error: Invalid template resource property '{unknown[0]}'", where
        )
    properties = raw.get("Properties", {})
    if properties is None:
        properties = {}
    if not isinstance(properties, dict):
        raise TemplateFormatError("Properties must be an object", Where(logical_id, resource_type))
    condition = raw.get("Condition")
    if condition is not None and not isinstance(condition, str):
        raise TemplateFormatError(
            "Condition must be the name of a condition", Where(logical_id, resource_type)
        )
    depends = raw.get("DependsOn", [])
    depends_on = (depends,) if isinstance(depends, str) else tuple(depends)
    if not all(isinstance(name, str) for name in depends_on):
        raise TemplateFormatError("DependsOn must list logical ids", Where(logical_id, resource_type))
    attributes = {key: raw[key] for key in ("IgnoreGlobals",) if key in raw}
    return Resource(
        logical_id,
        resource_type,
        dict(properties),
        condition,
        depends_on,
        resource_type,
        attributes=attributes,
    )


def parse_template(body: dict[str, Any]) -> Template:
    """Check the sections of ``body`` and split its resources; no intrinsic is evaluated."""
    unknown = sorted(set(body) - _SECTIONS)
    if unknown:
        raise TemplateFormatError(
            f"Template format error: Invalid template property or properties [{', '.join(unknown)}]"
        )
    version = body.get("AWSTemplateFormatVersion", _FORMAT_VERSION)
    if str(version) != _FORMAT_VERSION:
        raise TemplateFormatError(
            f"Template format error: Unsupported template version: {version}; "
            f"the only version is {_FORMAT_VERSION}"
        )
    raw_resources = _section(body, "Resources")
    if not raw_resources:
        raise TemplateFormatError("Template format error: At least one Resources member must be defined.")
    resources = {logical_id: _resource(str(logical_id), raw) for logical_id, raw in raw_resources.items()}
    outputs = _section(body, "Outputs")
    for name, output in outputs.items():
        if not isinstance(output, dict) or "Value" not in output:
            raise TemplateFormatError(
                "Template format error: every Outputs member must contain a Value object",
                Where(name, section="Outputs"),
            )
    transforms = declared_transforms(body)
    is_sam = SAM_TRANSFORM in transforms or any(
        resource.type.startswith("AWS::Serverless::") for resource in resources.values()
    )
    return Template(
        parameters=_section(body, "Parameters"),
        mappings=_section(body, "Mappings"),
        conditions=_section(body, "Conditions"),
        resources=resources,
        outputs=outputs,
        rules=_section(body, "Rules"),
        transforms=transforms,
        globals=_section(body, "Globals"),
        is_sam=is_sam,
    )


def dependency_check(template: Template) -> None:
    """``DependsOn`` must name resources of the template (CloudFormation's wording)."""
    for resource in template.resources.values():
        missing = [name for name in resource.depends_on if name not in template.resources]
        if missing:
            raise TemplateFormatError(
                "Template format error: Unresolved resource dependencies "
                f"[{', '.join(missing)}] in the Resources block of the template"
            )
