"""Reading a template: JSON always, YAML (with CloudFormation's short tags) when PyYAML is installed.

PyYAML is an optional extra (``pip install 'fakesfn[yaml]'``): JSON templates,
which is what ``cdk synth`` writes, need nothing beyond fakesfn's core
dependencies, and ``import fakesfn`` never imports a YAML library. A YAML
template without PyYAML fails with a message saying what to install.

CloudFormation reads a template as JSON first and as YAML otherwise; so does
this module. Dates stay strings (``AWSTemplateFormatVersion: 2010-09-09``
unquoted is a version, not a date); a key written twice in one mapping keeps
its last value, as CloudFormation's own parser does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fakesfn.iac.errors import TemplateReadError
from fakesfn.payload import json_depth

YAML_EXTRA = "pip install 'fakesfn[yaml]' (or: pip install pyyaml)"
"""What to install to read YAML, said in every message that needs it."""

MAX_DEPTH = 100
"""Templates nested deeper are refused: far beyond any real template, and well inside
what every recursive step (copying, resolving, printing) can walk on any interpreter."""


def check_depth(value: Any, origin: str) -> None:
    """Refuse ``value`` if its objects and lists nest deeper than :data:`MAX_DEPTH` (walked iteratively)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise TemplateReadError(f"{origin} nests objects and lists more than {MAX_DEPTH} levels deep")
        if isinstance(node, dict):
            pending.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            pending.extend((child, depth + 1) for child in node)


@dataclass(frozen=True, slots=True)
class TemplateSource:
    """A parsed template and where it came from.

    Attributes:
        body: the template as JSON values (short tags turned into their long form).
        base_dir: the folder local files (``DefinitionUri``) are relative to.
        origin: the file's path, or ``"<dict>"``, for messages.
        stem: the file name without extensions (default stack name), or ``None``.
    """

    body: dict[str, Any]
    base_dir: Path
    origin: str
    stem: str | None


def read_template(template: str | Path | dict[str, Any]) -> TemplateSource:
    """Read ``template``: a path to a JSON or YAML file, or an already-parsed dict."""
    if isinstance(template, dict):
        check_depth(template, "the template")
        return TemplateSource(template, Path.cwd(), "<dict>", None)
    path = Path(template)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise TemplateReadError(f"cannot read template {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise TemplateReadError(f"cannot read template {path}: not UTF-8 text") from None
    body = parse_text(text, str(path), cfn_tags=True)
    if not isinstance(body, dict):
        raise TemplateReadError(f"template {path} is not a JSON object or YAML mapping")
    check_depth(body, str(path))
    return TemplateSource(body, path.resolve().parent, str(path), path.name.split(".")[0])


def parse_text(text: str, origin: str, *, cfn_tags: bool) -> Any:
    """JSON if ``text`` is JSON, else YAML (CloudFormation's order).

    Args:
        text: the document.
        origin: its file name, for messages.
        cfn_tags: accept CloudFormation's short tags (templates) or plain YAML only
            (state machine definition files).
    """
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        # Measured before parsing (the scan every payload boundary uses), so that the
        # parser's recursion, and so the Python version, never decides what is refused.
        if text.count("[") + text.count("{") > MAX_DEPTH and json_depth(text) > MAX_DEPTH:
            raise TemplateReadError(f"{origin} nests objects and lists more than {MAX_DEPTH} levels deep")
        try:
            return json.loads(text)
        except ValueError as error:
            raise TemplateReadError(f"{origin} is not valid JSON: {error}") from None
        except RecursionError:
            raise TemplateReadError(f"{origin} nests objects and lists too deeply to read") from None
    return load_yaml(text, origin, cfn_tags=cfn_tags)


def load_yaml(text: str, origin: str, *, cfn_tags: bool) -> Any:
    """Parse YAML with PyYAML, imported only now; a clear message if it is missing."""
    try:
        import yaml  # noqa: F401 - imported here so `import fakesfn` never needs it
    except ImportError:
        raise TemplateReadError(f"{origin} is YAML, and reading YAML needs PyYAML: {YAML_EXTRA}") from None
    from fakesfn.iac.yaml_tags import parse_yaml

    return parse_yaml(text, origin, cfn_tags=cfn_tags)
