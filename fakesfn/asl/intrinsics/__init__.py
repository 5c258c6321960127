"""Intrinsic functions (``States.Format(...)`` and friends) for JSONPath states.

Compile a call once, when the definition is created, and evaluate the result as
often as the state runs::

    call = compile_intrinsic("States.Format('Hello {}', $.name)")
    call.evaluate({"name": "Ada"}, env)  # 'Hello Ada'

:data:`FUNCTIONS` holds every function's signature as data; it drives the checks
and docs/support.md.
"""

from __future__ import annotations

# Importing the families registers their functions in FUNCTIONS.
from fakesfn.asl.intrinsics import arrays, encoding, hashing, json_, math_, strings, uuid_  # noqa: F401
from fakesfn.asl.intrinsics.grammar import (
    MAX_CALLS,
    Intrinsic,
    IntrinsicFailure,
    IntrinsicPathNotFound,
    IntrinsicSyntaxError,
    compile_intrinsic,
    is_intrinsic,
)
from fakesfn.asl.intrinsics.spec import FUNCTIONS, FunctionSpec, Param

__all__ = [
    "FUNCTIONS",
    "MAX_CALLS",
    "FunctionSpec",
    "Intrinsic",
    "IntrinsicFailure",
    "IntrinsicPathNotFound",
    "IntrinsicSyntaxError",
    "Param",
    "compile_intrinsic",
    "is_intrinsic",
]
