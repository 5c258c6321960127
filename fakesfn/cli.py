"""The ``fakesfn`` command line: run and validate state machines on virtual time.

Exit codes scripts can rely on:
    0  the execution SUCCEEDED (run) / the definition is valid (validate)
    1  the execution FAILED, TIMED_OUT or was ABORTED / the definition is invalid
    2  bad usage: unreadable file, malformed JSON input, unknown option
    3  the execution is still RUNNING: it waits for an outside actor (an activity
       worker or a task token) that the command line cannot play
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from collections.abc import Sequence

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_WAITING = 3

_ROLE_ARN = "arn:aws:iam::123456789012:role/fakesfn"


class UsageError(Exception):
    """A problem with what the user typed: reported as one line, exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fakesfn`` command."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "command"):
        parser.print_help()
        return EXIT_USAGE
    try:
        code: int = args.command(args, sys.stdout)
    except UsageError as error:
        print(f"fakesfn: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fakesfn",
        description="Run AWS Step Functions state machines locally, deterministically, on virtual time.",
        epilog="Exit status: 0 success, 1 execution failed / definition invalid, 2 usage error, "
        "3 execution waits for an outside actor.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    run = commands.add_parser("run", help="run a state machine and print its output and history")
    run.add_argument("definition", help="the state machine definition (ASL JSON file)")
    run.add_argument(
        "--input", default="{}", help="execution input: JSON text, or @FILE to read it from a file"
    )
    run.add_argument(
        "--handlers",
        help="a Python file of Lambda stand-ins: its LAMBDAS dict (name -> function), "
        "or else every public function, registered by name",
    )
    run.add_argument("--type", choices=("STANDARD", "EXPRESS"), default="STANDARD", help="state machine type")
    run.add_argument("--seed", type=int, default=0, help="seed for every random choice (default 0)")
    run.add_argument("--quiet", action="store_true", help="print only the output (or the error)")
    run.set_defaults(command=_run)
    validate = commands.add_parser("validate", help="check a definition the way CreateStateMachine does")
    validate.add_argument("definition", help="the state machine definition (ASL JSON file)")
    validate.set_defaults(command=_validate)
    return parser


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def _input_text(value: str) -> str:
    text = _read(value[1:]) if value.startswith("@") else value
    try:
        json.loads(text)
    except ValueError as error:
        raise UsageError(f"--input is not valid JSON: {error}") from None
    return text


def _load_handlers(path: str) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location("fakesfn_user_handlers", path)
    if spec is None or spec.loader is None:
        raise UsageError(f"cannot load handlers from {path}")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except FileNotFoundError:
        raise UsageError(f"cannot read {path}: No such file or directory") from None
    table = getattr(module, "LAMBDAS", None)
    if isinstance(table, dict):
        return dict(table)
    return {
        name: value
        for name, value in vars(module).items()
        if callable(value)
        and not name.startswith("_")
        and getattr(value, "__module__", None) == module.__name__
        and not isinstance(value, type)
    }


def _run(args: argparse.Namespace, out: TextIO) -> int:
    from fakesfn import FakeSFNClient

    definition = _read(args.definition)
    input_text = _input_text(args.input)
    client = FakeSFNClient(seed=args.seed)
    backend = client.backend
    for name, handler in (_load_handlers(args.handlers) if args.handlers else {}).items():
        backend.register_lambda(name, handler)
    try:
        machine = client.create_state_machine(
            name=Path(args.definition).stem.replace(".", "-")[:80] or "machine",
            definition=definition,
            roleArn=_ROLE_ARN,
            type=args.type,
        )
    except client.exceptions.InvalidDefinition as error:
        print(error.response["Error"]["Message"], file=sys.stderr)
        return EXIT_FAILED
    if args.type == "EXPRESS":
        reply = client.start_sync_execution(stateMachineArn=machine["stateMachineArn"], input=input_text)
        return _report(reply, None, out, quiet=args.quiet)
    started = client.start_execution(stateMachineArn=machine["stateMachineArn"], input=input_text)
    backend.settle()
    described = client.describe_execution(executionArn=started["executionArn"])
    events = _history(client, started["executionArn"])
    return _report(described, events, out, quiet=args.quiet)


def _history(client: Any, arn: str) -> list[dict[str, Any]]:
    paginator = client.get_paginator("get_execution_history")
    return [event for page in paginator.paginate(executionArn=arn) for event in page["events"]]


def _report(
    described: dict[str, Any], events: list[dict[str, Any]] | None, out: TextIO, *, quiet: bool
) -> int:
    status = described["status"]
    if not quiet and events is not None:
        from fakesfn.render import history_table

        out.write(history_table(events, described["startDate"]))
        out.write("\n")
    if status == "SUCCEEDED":
        if not quiet:
            out.write(f"status: {status}\noutput: ")
        out.write(json.dumps(json.loads(described.get("output", "null")), indent=2) + "\n")
        return EXIT_OK
    out.write(f"status: {status}\n")
    if "error" in described:
        out.write(f"error: {described['error']}\n")
    if "cause" in described:
        out.write(f"cause: {described['cause']}\n")
    return EXIT_WAITING if status == "RUNNING" else EXIT_FAILED


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    from fakesfn import FakeSFNClient

    client = FakeSFNClient()
    reply = client.validate_state_machine_definition(definition=_read(args.definition))
    for diagnostic in reply["diagnostics"]:
        location = f" at {diagnostic['location']}" if diagnostic.get("location") else ""
        out.write(f"{diagnostic['severity']}: {diagnostic['code']}: {diagnostic['message']}{location}\n")
    out.write(f"{reply['result']}\n")
    return EXIT_OK if reply["result"] == "OK" else EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
