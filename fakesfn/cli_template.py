"""``fakesfn run --template`` and ``fakesfn validate --template``: state machines out of IaC templates.

The command line's template paths, kept out of :mod:`fakesfn.cli` so the
``--template`` logic (parameters, choosing a machine, naming Lambda stand-ins by
logical id, exit codes of template errors) lives in one place. Template errors
map to the command line's exit codes: what AWS would refuse (a malformed
template, an invalid definition) is a negative answer (1); what the command line
cannot do for the user (an unreadable file, YAML without PyYAML, a missing
parameter, a value only AWS knows) is a usage error (2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from fakesfn.iac.errors import DeployError, TemplateError, TemplateFormatError

if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping, Sequence

    from fakesfn.backend import Backend
    from fakesfn.iac.stack import Stack

EXIT_INVALID = 1
EXIT_USAGE = 2


class TemplateUsageError(Exception):
    """A ``--template`` request the command line cannot serve; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def add_arguments(parser: argparse.ArgumentParser, *, machine: bool) -> None:
    """``--template``, ``--parameter`` (and ``--state-machine`` for run) on ``parser``."""
    parser.add_argument(
        "--template",
        metavar="FILE",
        help="a CloudFormation, SAM or cdk synth template instead of a definition "
        "(JSON, or YAML with fakesfn[yaml] installed)",
    )
    if machine:
        parser.add_argument(
            "--state-machine",
            metavar="LOGICAL_ID",
            help="the template's state machine to run (optional when it has only one)",
        )
    parser.add_argument(
        "--parameter",
        action="append",
        metavar="KEY=VALUE",
        help="a template parameter value (repeat for several)",
    )


def exit_code(error: TemplateError) -> int:
    """1 when AWS would refuse the template, 2 when the user must give or install something."""
    return EXIT_INVALID if isinstance(error, (TemplateFormatError, DeployError)) else EXIT_USAGE


def parameters_from(pairs: Sequence[str] | None) -> dict[str, str]:
    """``["Stage=test", "N=3"]`` -> ``{"Stage": "test", "N": "3"}``; a repeated key keeps its last value."""
    values: dict[str, str] = {}
    for pair in pairs or ():
        key, equals, value = pair.partition("=")
        if not equals or not key:
            raise TemplateUsageError(f"--parameter wants KEY=VALUE, got {pair!r}")
        values[key] = value
    return values


def deploy(backend: Backend, path: str, parameters: dict[str, str]) -> Stack:
    """Deploy the template; a template error becomes a one-line :class:`TemplateUsageError`."""
    try:
        return backend.deploy_template(path, parameters)
    except TemplateError as error:
        raise TemplateUsageError(str(error), exit_code(error)) from None


def machine_arn(stack: Stack, logical_id: str | None) -> str:
    """The ARN of ``--state-machine``, or of the template's only machine when it names none."""
    known = ", ".join(sorted(stack.state_machines)) or "none"
    if logical_id is None:
        if len(stack.state_machines) == 1:
            return next(iter(stack.state_machines.values()))
        raise TemplateUsageError(
            f"the template has several state machines; choose one with --state-machine ({known})"
        )
    arn = stack.state_machines.get(logical_id)
    if arn is None:
        raise TemplateUsageError(
            f"the template has no state machine {logical_id!r} (state machines: {known})"
        )
    return arn


def register_lambdas(backend: Backend, stack: Stack, lambdas: Mapping[str, Any]) -> None:
    """Register each stand-in on the function whose logical id it is named after, else by its name."""
    for name, handler in lambdas.items():
        backend.register_lambda(stack.functions.get(name, name), handler)


def validate(path: str, parameters: dict[str, str], out: TextIO) -> int:
    """Check every state machine of the template the way ValidateStateMachineDefinition does."""
    from fakesfn.client import FakeSFNClient
    from fakesfn.iac.deploy import plan_template

    try:
        plan = plan_template(path, parameters)
    except TemplateError as error:
        raise TemplateUsageError(str(error), exit_code(error)) from None
    if not plan.machines:
        raise TemplateUsageError(f"{path} declares no state machine")
    client = FakeSFNClient()
    valid = True
    for machine in plan.machines:
        request = machine.request
        reply = client.validate_state_machine_definition(
            definition=request["definition"], type=request["type"]
        )
        for diagnostic in reply["diagnostics"]:
            location = f" at {diagnostic['location']}" if diagnostic.get("location") else ""
            out.write(
                f"{machine.logical_id}: {diagnostic['severity']}: {diagnostic['code']}: "
                f"{diagnostic['message']}{location}\n"
            )
        out.write(f"{machine.logical_id}: {reply['result']}\n")
        valid = valid and reply["result"] == "OK"
    return 0 if valid else EXIT_INVALID
