"""Shared type aliases."""

from __future__ import annotations

from typing import Any, Union

JSONValue = Union[None, bool, int, float, str, "list[Any]", "dict[str, Any]"]
"""A value that JSON can represent: what ASL states read and write.

Containers are typed ``Any`` inside because mypy cannot check recursive JSON shapes
without making every consumer cast; the engine only ever builds these from
``json.loads`` or from other JSON values.
"""

JSONObject = dict[str, Any]
"""A JSON object, as a request body or an ASL definition."""
