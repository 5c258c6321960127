"""Deploying infrastructure-as-code templates into the fake: CloudFormation, SAM and CDK.

``backend.deploy_template("template.yaml", parameters={...})`` reads a
template (JSON, or YAML with CloudFormation's short tags when PyYAML is
installed), expands SAM, resolves the intrinsic functions as CloudFormation
would for this backend's region and account, and creates the state machines
and activities through the service layer. See ``docs/cookbook/iac.md``.

This package sits at the tools level: it uses the backend and the service
layer, and nothing below it imports it. Importing it does not import a YAML
library; :mod:`fakesfn.backend` imports it only when a template is deployed.
"""

from __future__ import annotations

from fakesfn.iac.errors import (
    DeployError,
    ParameterError,
    TemplateError,
    TemplateFormatError,
    TemplateReadError,
    UnresolvableError,
)
from fakesfn.iac.stack import Stack

__all__ = [
    "DeployError",
    "ParameterError",
    "Stack",
    "TemplateError",
    "TemplateFormatError",
    "TemplateReadError",
    "UnresolvableError",
]
