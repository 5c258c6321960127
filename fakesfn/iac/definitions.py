r"""A state machine resource's definition text, built as CloudFormation's handler builds it.

The rules are those of the ``AWS::StepFunctions::StateMachine`` resource
handler (aws-cloudformation-resource-providers-stepfunctions):

* exactly one of ``DefinitionString``, ``Definition`` and ``DefinitionS3Location``
  (for SAM, a local ``DefinitionUri`` stands for the S3 object ``sam deploy``
  uploads), with the handler's messages when none or several are given;
* ``Definition`` (an object, intrinsics resolved) is written as JSON with
  sorted keys by Jackson's pretty printer;
* an S3 (here: local) file's lines are joined with ``\\n``;
* ``DefinitionSubstitutions`` then replace each ``${Key}`` with the value's
  text (strings, integers, booleans only), repeatedly, until nothing changes;
* a file's text is kept as is when it is JSON, and converted (Jackson, in
  file order) when it is YAML.

``DefinitionS3Location`` itself names an object in the account: refused, with
the resource, the property and the bucket and key named.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Final

from fakesfn.iac.errors import TemplateFormatError, TemplateReadError, UnresolvableError
from fakesfn.iac.jackson import pretty
from fakesfn.iac.reader import load_yaml

if TYPE_CHECKING:
    from pathlib import Path

    from fakesfn.iac.kinds import Instance

_KEYS: Final = "[DefinitionS3Location], [DefinitionString] or [Definition]"
DEFINITION_MISSING: Final = f"Property validation failed. Required key {_KEYS} not found."
DEFINITION_REDUNDANT: Final = f"Property validation failed. Please use one of {_KEYS}."
SUBSTITUTION_TYPE: Final = (
    "Invalid definition substitution type. Input should be either String, Integer, or Boolean"
)
INVALID_FORMAT: Final = "Invalid StateMachine definition."
_SOURCES: Final = ("DefinitionString", "DefinitionS3Location", "Definition")
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")


def definition_text(instance: Instance, base_dir: Path) -> str:
    """The definition string the resource gives ``CreateStateMachine``."""
    resource = instance.resource
    present = [name for name in _SOURCES if resource.properties.get(name) is not None]
    if resource.local_definition is not None:
        present.append("DefinitionUri")
    if not present:
        raise TemplateFormatError(DEFINITION_MISSING, resource.where())
    if len(present) > 1:
        raise TemplateFormatError(DEFINITION_REDUNDANT, resource.where())
    source = present[0]
    if source == "DefinitionS3Location":
        location = instance.prop("DefinitionS3Location")
        raise UnresolvableError(
            f"the definition is an object in S3 ({_s3_name(location)}), which the fake cannot read; "
            "point DefinitionUri at a local file, or inline the definition (Definition / DefinitionString)",
            resource.where("DefinitionS3Location"),
        )
    if source == "DefinitionString":
        text = instance.prop("DefinitionString")
        if not isinstance(text, str):
            raise TemplateFormatError(
                f"Value of property DefinitionString must be of type String, got {type(text).__name__}",
                resource.where("DefinitionString"),
            )
    elif source == "Definition":
        definition = instance.prop("Definition")
        if not isinstance(definition, dict):
            raise TemplateFormatError(INVALID_FORMAT, resource.where("Definition"))
        text = pretty(definition, sort_keys=True)
    else:
        text = _read_local(instance, base_dir)
    text = substitute(text, _substitutions(instance), instance)
    return _json_or_yaml(text, instance) if source == "DefinitionUri" else text


def _s3_name(location: Any) -> str:
    if isinstance(location, dict):
        return f"s3://{location.get('Bucket')}/{location.get('Key')}"
    return str(location)


def _read_local(instance: Instance, base_dir: Path) -> str:
    resource = instance.resource
    path = base_dir / str(resource.local_definition)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        detail = getattr(error, "strerror", None) or str(error)
        raise TemplateReadError(
            f"cannot read the definition file {path}: {detail}", resource.where("DefinitionUri")
        ) from None
    lines = _LINE_BREAK.split(raw)
    if lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines)


def _substitutions(instance: Instance) -> dict[str, str]:
    where = instance.resource.where("DefinitionSubstitutions")
    values = instance.prop("DefinitionSubstitutions")
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise TemplateFormatError("DefinitionSubstitutions must be an object of names to values", where)
    texts: dict[str, str] = {}
    for key, value in values.items():
        if isinstance(value, bool):
            texts[key] = "true" if value else "false"
        elif isinstance(value, (str, int)):
            texts[key] = str(value)
        else:
            raise TemplateFormatError(SUBSTITUTION_TYPE, where.child(key))
    return texts


def substitute(text: str, substitutions: dict[str, str], instance: Instance) -> str:
    """Replace every ``${Key}``, again in the result, until it stops changing."""
    if not substitutions:
        return text
    placeholders = {f"${{{key}}}": value for key, value in substitutions.items()}
    pattern = re.compile("|".join(re.escape(placeholder) for placeholder in placeholders))
    for _ in range(len(placeholders) + 1):
        replaced = pattern.sub(lambda match: placeholders[match.group(0)], text)
        if replaced == text:
            return text
        text = replaced
    raise TemplateFormatError(
        "DefinitionSubstitutions never settle: the output of one substitution is the input of another",
        instance.resource.where("DefinitionSubstitutions"),
    )


def _json_or_yaml(text: str, instance: Instance) -> str:
    try:
        json.loads(text)
    except ValueError:
        pass
    else:
        return text
    where = instance.resource.where("DefinitionUri")
    try:
        parsed = load_yaml(text, str(instance.resource.local_definition), cfn_tags=False)
    except TemplateReadError as error:
        if "needs PyYAML" in error.reason:
            raise TemplateReadError(error.reason, where) from None
        raise TemplateFormatError(INVALID_FORMAT, where) from None
    return pretty(parsed, sort_keys=False)
