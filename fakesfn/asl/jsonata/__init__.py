"""JSONata for Step Functions: the adapter over jsonata-python.

Public names: :func:`is_expression`, :func:`compile_expression`,
:func:`compile_template`, :class:`Expression`, :class:`Template` and
:class:`JsonataSyntaxError`.
"""

from __future__ import annotations

import sys

# jsonata-python calls sys.setrecursionlimit(10000) when first imported: a
# process-wide change that using fakesfn must not make (hypothesis warns about it,
# an error under filterwarnings=error). Every jsonata import comes through this
# package, so the limit is put back once the adapter modules are loaded.
_RECURSION_LIMIT = sys.getrecursionlimit()

from fakesfn.asl.jsonata.expression import (  # noqa: E402 - after reading the limit
    Expression,
    JsonataSyntaxError,
    compile_expression,
    is_expression,
)
from fakesfn.asl.jsonata.template import Template, compile_template  # noqa: E402

sys.setrecursionlimit(_RECURSION_LIMIT)

__all__ = [
    "Expression",
    "JsonataSyntaxError",
    "Template",
    "compile_expression",
    "compile_template",
    "is_expression",
]
