"""Imports every integration module so each registers its integrations in the registry.

The one list of what fakesfn can run: a new integration module is added here.
"""

from __future__ import annotations

from fakesfn.integrations import activities, http_invoke, lambda_invoke, nested, optimized, sdk

__all__ = ["activities", "http_invoke", "lambda_invoke", "nested", "optimized", "sdk"]
