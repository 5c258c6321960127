"""MkDocs hooks: docstrings written for Sphinx read well on the MkDocs site too.

The package's docstrings use Sphinx cross-reference roles (``:class:`Backend```,
``:meth:`start```), which help readers of the source and Sphinx users but which
mkdocstrings renders verbatim (":meth:start"). This hook turns each role into the code
span it stands for, shortening ``~a.b.C`` to ``C`` as Sphinx does.
"""

from __future__ import annotations

import re
from typing import Any

_ROLE = re.compile(r":(?:func|class|meth|mod|data|attr|exc|obj|const|py:\w+):<code>(?P<target>[^<]*)</code>")


def _code(match: re.Match[str]) -> str:
    target = match.group("target")
    if target.startswith("~"):
        target = target[1:].rsplit(".", 1)[-1]
    return f"<code>{target}</code>"


def on_page_content(html: str, **_: Any) -> str:
    """Replace Sphinx roles left in rendered docstrings by plain code spans."""
    return _ROLE.sub(_code, html)
