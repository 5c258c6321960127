"""JSONata for Step Functions: the adapter over jsonata-python.

Public names: :func:`is_expression`, :func:`compile_expression`,
:func:`compile_template`, :class:`Expression`, :class:`Template` and
:class:`JsonataSyntaxError`.
"""

from __future__ import annotations

from fakesfn.asl.jsonata.expression import Expression, JsonataSyntaxError, compile_expression, is_expression
from fakesfn.asl.jsonata.template import Template, compile_template

__all__ = [
    "Expression",
    "JsonataSyntaxError",
    "Template",
    "compile_expression",
    "compile_template",
    "is_expression",
]
