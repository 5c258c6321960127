"""The ``fakesfn`` command line: run, validate, draw, replay and serve state machines.

Exit codes scripts can rely on (the same for every command):
    0  success: the execution SUCCEEDED (run), the definition is valid (validate),
       the graph was written (graph), the replay matches its recording (replay),
       the server stopped cleanly (serve)
    1  a negative answer: the execution FAILED, TIMED_OUT or was ABORTED (run), the
       definition is invalid (every command), the replay diverged (replay)
    2  bad usage: an unknown option, an unreadable file, malformed JSON or history,
       a missing tool (Graphviz for SVG), a server that cannot start
    3  the execution is still RUNNING: it waits for an outside actor (an activity
       worker or a task token) that the command line cannot play
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib.util
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from fakesfn.payload import check_depth

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from fakesfn.backend import Backend

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_WAITING = 3

_ROLE_ARN = "arn:aws:iam::123456789012:role/fakesfn"

_EPILOG = """\
examples:
  fakesfn validate machine.asl.json
  fakesfn run machine.asl.json --input '{"order": 42}' --handlers lambdas.py
  fakesfn graph machine.asl.json --format dot --output machine.dot
  fakesfn graph machine.asl.json --execution history.json --format svg --output run.svg
  fakesfn replay machine.asl.json history.json
  fakesfn serve --port 8083 --state world.jsonl

exit status:
  0  success (execution SUCCEEDED, definition valid, graph written, replay matches)
  1  execution FAILED/TIMED_OUT/ABORTED, definition invalid, or replay diverged
  2  usage error: bad option, unreadable file, malformed JSON or history, missing Graphviz
  3  the execution is still RUNNING, waiting for an outside actor (activity worker, task token)

Errors are printed as one line: "fakesfn: error: ...".
"""


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on one line like every other error."""

    def error(self, message: str) -> NoReturn:
        """Exit 2 with ``fakesfn: error: <message> (see '<command> --help')``."""
        self.exit(EXIT_USAGE, f"fakesfn: error: {message} (see '{self.prog} --help')\n")


class UsageError(Exception):
    """A problem with what the user typed: reported as one line, exit status 2."""


class InvalidDefinition(Exception):
    """The definition is invalid: reported as one line, exit status 1."""


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
    except InvalidDefinition as error:
        # AWS's JSON syntax messages span two lines (Jackson's "\n at [Source: ...]").
        one_line = " ".join(str(error).split("\n"))
        print(f"fakesfn: error: {one_line}", file=sys.stderr)
        return EXIT_FAILED
    return code


def _command(commands: Any, name: str, help_text: str, epilog: str, handler: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=help_text,
        description=help_text[0].upper() + help_text[1:] + ".",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(command=handler)
    return parser


def _parser() -> argparse.ArgumentParser:
    from fakesfn import cli_template

    parser = _Parser(
        prog="fakesfn",
        description="Run AWS Step Functions state machines locally, deterministically, on virtual time.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    run = _command(
        commands,
        "run",
        "run a state machine and print its history and output",
        "examples:\n  fakesfn run machine.asl.json --input @order.json --handlers lambdas.py\n"
        "  fakesfn run machine.asl.json --history run.json && fakesfn graph machine.asl.json "
        "--execution run.json\n"
        "  fakesfn run --template template.yaml --state-machine OrderMachine --parameter Stage=test \\\n"
        "      --input @order.json --handlers lambdas.py   # stand-ins named by function logical id\n\n"
        "exit status: 0 SUCCEEDED, 1 FAILED/TIMED_OUT/ABORTED or invalid definition or template,\n"
        "2 usage error, 3 still RUNNING (waits for an activity worker or a task token)",
        _run,
    )
    run.add_argument("definition", nargs="?", help="the state machine definition (ASL JSON file)")
    cli_template.add_arguments(run, machine=True)
    run.add_argument(
        "--input", default="{}", help="execution input: JSON text, or @FILE to read it from a file"
    )
    run.add_argument(
        "--handlers",
        help="a Python file of Lambda stand-ins: its LAMBDAS dict (name -> function), "
        "or else every public function, registered by name",
    )
    run.add_argument(
        "--type",
        choices=("STANDARD", "EXPRESS"),
        help="state machine type (default STANDARD; a template says its own)",
    )
    run.add_argument("--seed", type=int, default=0, help="seed for every random choice (default 0)")
    run.add_argument("--quiet", action="store_true", help="print only the output (or the error)")
    run.add_argument(
        "--coverage",
        action="store_true",
        help="after the run, report which states, Choice rules, Catchers and Retriers it exercised "
        "(term-missing unless --coverage-report says otherwise)",
    )
    run.add_argument(
        "--coverage-report",
        action="append",
        metavar="TYPE",
        type=_coverage_report,
        help="coverage report: term, term-missing, html[:DIR], json[:FILE]; repeatable (implies --coverage)",
    )
    run.add_argument(
        "--history",
        metavar="FILE",
        help="also write the execution's history to FILE, as the JSON of get-execution-history "
        "(what graph --execution and replay read)",
    )
    validate = _command(
        commands,
        "validate",
        "check a definition the way CreateStateMachine does",
        "examples:\n  fakesfn validate machine.asl.json\n"
        "  fakesfn validate --template template.yaml --parameter Stage=test   # every machine in it\n\n"
        "exit status: 0 valid, 1 invalid (definition or template), 2 usage error",
        _validate,
    )
    validate.add_argument("definition", nargs="?", help="the state machine definition (ASL JSON file)")
    cli_template.add_arguments(validate, machine=False)
    _graph_parser(commands)
    _replay_parser(commands)
    _serve_parser(commands)
    return parser


def _graph_parser(commands: Any) -> None:
    graph = _command(
        commands,
        "graph",
        "draw a state machine, optionally coloured by an execution's history",
        "examples:\n"
        "  fakesfn graph machine.asl.json                      # Mermaid text on stdout\n"
        "  fakesfn graph machine.asl.json --format dot --output machine.dot\n"
        "  fakesfn graph machine.asl.json --execution history.json --format svg --output run.svg\n\n"
        "colours (with --execution): green succeeded, red failed, orange caught, blue running,\n"
        "grey cancelled, light grey not reached; a yellow outline and a badge mark retries.\n"
        "--format svg needs Graphviz (the dot program).\n\n"
        "exit status: 0 written, 1 invalid definition, 2 usage error (bad file, bad history, no Graphviz)",
        _graph,
    )
    graph.add_argument("definition", help="the state machine definition (ASL JSON file)")
    graph.add_argument(
        "--execution",
        metavar="HISTORY",
        help="a history to colour states by: the JSON of get-execution-history "
        "(aws stepfunctions get-execution-history output, from AWS or fakesfn)",
    )
    graph.add_argument(
        "--format",
        choices=("mermaid", "dot", "svg"),
        default="mermaid",
        help="output format (default mermaid)",
    )
    graph.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")


def _replay_parser(commands: Any) -> None:
    replay = _command(
        commands,
        "replay",
        "re-run a recorded execution with its task results and report divergences",
        "Every Task's result or failure is taken from the recording; the fake runs\n"
        "everything else and the two histories are compared event by event.\n\n"
        "example:\n"
        "  aws stepfunctions get-execution-history --execution-arn $ARN > history.json\n"
        "  fakesfn replay machine.asl.json history.json --execution-arn $ARN\n\n"
        "exit status: 0 the replay matches, 1 it diverged (or the definition is invalid), 2 usage error",
        _replay,
    )
    replay.add_argument("definition", help="the state machine definition the recording ran (ASL JSON file)")
    replay.add_argument("history", help="the recorded history: the JSON of get-execution-history")
    replay.add_argument(
        "--execution-arn", metavar="ARN", help="the recorded execution's ARN (so $$.Execution values match)"
    )
    replay.add_argument("--seed", type=int, default=0, help="seed for every random choice (default 0)")


def _serve_parser(commands: Any) -> None:
    serve = _command(
        commands,
        "serve",
        "serve the fake over HTTP (AWS JSON 1.0) for the AWS CLI and other SDKs",
        "example:\n"
        "  fakesfn serve --port 8083 --state world.jsonl &\n"
        "  aws stepfunctions list-state-machines --endpoint-url http://127.0.0.1:8083 --region us-east-1\n\n"
        "Step Functions Local's settings: --mock-config FILE (start an execution with\n"
        "stateMachineArn '<ARN>#<TestCase>' to use a test case), --aws-endpoint URL,\n"
        "--lambda-endpoint URL.\n\n"
        "exit status: 0 stopped cleanly, 2 cannot start (address in use, unusable state file,\n"
        "a mock file or endpoint it cannot use)",
        _serve,
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback only)"
    )
    serve.add_argument("--port", type=int, default=8083, help="port to listen on (default 8083; 0 picks one)")
    serve.add_argument("--state", metavar="FILE", help="keep the world in FILE so a restart loses nothing")
    serve.add_argument("--seed", type=int, default=0, help="seed for every random choice (default 0)")
    serve.add_argument(
        "--account-id", default="123456789012", help="the account every ARN names (default 123456789012)"
    )
    serve.add_argument(
        "--handlers",
        metavar="FILE.py",
        help="Python stand-ins for Lambda functions (and HTTP endpoints in an HTTP dict), as for run",
    )
    serve.add_argument(
        "--mock-config",
        metavar="FILE",
        help="Step Functions Local's mock configuration; choose a test case with '<ARN>#<TestCase>'",
    )
    serve.add_argument(
        "--aws-endpoint",
        metavar="URL",
        help="where aws-sdk and optimized integrations call (a moto server, LocalStack), dummy credentials",
    )
    serve.add_argument(
        "--lambda-endpoint",
        metavar="URL",
        help="where Lambda invocations go (such as sam local start-lambda); default: --aws-endpoint",
    )


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def _input_text(value: str) -> str:
    text = _read(value[1:]) if value.startswith("@") else value
    try:
        check_depth(text)  # before the parser recurses: the limit decides, not the Python version
        json.loads(text)
    except ValueError as error:
        raise UsageError(f"--input is not valid JSON: {error}") from None
    return text


def _load_module(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("fakesfn_user_handlers", path)
    if spec is None or spec.loader is None:
        raise UsageError(f"cannot load handlers from {path}")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except FileNotFoundError:
        raise UsageError(f"cannot read {path}: No such file or directory") from None
    except Exception as error:  # noqa: BLE001 - the user's module failed to import: their error, one line
        raise UsageError(f"cannot load handlers from {path}: {type(error).__name__}: {error}") from None
    return module


def _lambda_handlers(module: Any) -> dict[str, Any]:
    """``LAMBDAS`` (name -> handler) if the file has it, else its public functions by name."""
    table = getattr(module, "LAMBDAS", None)
    if isinstance(table, dict):
        return dict(table)
    http = getattr(module, "HTTP", None)
    answering = set(map(id, http.values())) if isinstance(http, dict) else set()
    return {
        name: value
        for name, value in vars(module).items()
        if callable(value)
        and not name.startswith("_")
        and getattr(value, "__module__", None) == module.__name__
        and not isinstance(value, type)
        and id(value) not in answering
    }


def _http_handlers(module: Any, path: str) -> dict[str, Any]:
    """``HTTP``: endpoint prefix -> handler, for HTTP Tasks."""
    table = getattr(module, "HTTP", None)
    if table is None:
        return {}
    if not isinstance(table, dict) or not all(isinstance(key, str) for key in table):
        raise UsageError(f"HTTP in {path} must be a dict of endpoint prefix -> handler")
    return dict(table)


def _handler_tables(path: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The handlers file's Lambda stand-ins (name -> handler) and HTTP handlers (prefix -> handler)."""
    module = _load_module(path)
    return _lambda_handlers(module), _http_handlers(module, path)


def _handlers_from(path: str) -> Callable[[Backend], None]:
    """Load the handlers file now (errors are usage errors); register it on a backend later."""
    lambdas, http = _handler_tables(path)

    def register(backend: Backend) -> None:
        for name, handler in lambdas.items():
            backend.register_lambda(name, handler)
        for endpoint, handler in http.items():
            backend.register_http(handler, endpoint)

    return register


def _source(args: argparse.Namespace) -> None:
    """Exactly one of a definition file and ``--template``."""
    if args.template is None and args.definition is None:
        raise UsageError("give a definition file, or --template FILE")
    if args.template is not None and args.definition is not None:
        raise UsageError("give a definition file or --template FILE, not both")
    if args.template is None and (getattr(args, "state_machine", None) or args.parameter):
        raise UsageError("--state-machine and --parameter go with --template")


def _template_machine(args: argparse.Namespace, client: Any) -> tuple[str, str]:
    """Deploy ``--template``; the chosen machine's ARN and type."""
    from fakesfn import cli_template

    if args.type is not None:
        raise UsageError("--type comes from the template with --template")
    try:
        stack = cli_template.deploy(
            client.backend, args.template, cli_template.parameters_from(args.parameter)
        )
        arn = cli_template.machine_arn(stack, args.state_machine)
    except cli_template.TemplateUsageError as error:
        raise (InvalidDefinition if error.code == EXIT_FAILED else UsageError)(str(error)) from None
    if args.handlers:
        lambdas, http = _handler_tables(args.handlers)
        cli_template.register_lambdas(client.backend, stack, lambdas)
        for endpoint, handler in http.items():
            client.backend.register_http(handler, endpoint)
    return arn, str(client.describe_state_machine(stateMachineArn=arn)["type"])


def _coverage_report(value: str) -> Any:
    from fakesfn.coverage.options import parse_report

    return parse_report(value)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    from fakesfn.client import FakeSFNClient

    _source(args)
    input_text = _input_text(args.input)
    client = FakeSFNClient(seed=args.seed)
    coverage = None
    if args.coverage or args.coverage_report:
        from fakesfn.coverage.recorder import record

        coverage = record(client.backend)
    status = _run_machine(args, client, input_text, out)
    if coverage is not None:
        _coverage(coverage.report(), args.coverage_report, out)
    return status


def _coverage(report: Any, given: list[Any] | None, out: TextIO) -> None:
    """Write the coverage reports asked for (``term-missing`` when none is named)."""
    from fakesfn.coverage.options import ReportSpec, terminal_text, write_files

    specs = [spec for spec in given or [ReportSpec("term-missing")] if spec is not None]
    text = terminal_text(report, specs)
    if text:
        out.write("\n" + text)
    for line in write_files(report, specs, "."):
        out.write(line + "\n")


def _run_machine(args: argparse.Namespace, client: Any, input_text: str, out: TextIO) -> int:
    backend = client.backend
    if args.template is not None:
        arn, machine_type = _template_machine(args, client)
    else:
        arn, machine_type = _definition_machine(args, client), args.type or "STANDARD"
    if machine_type == "EXPRESS":
        if args.history:
            raise UsageError(
                "--history needs a STANDARD execution: EXPRESS executions keep no history (as on AWS)"
            )
        reply = client.start_sync_execution(stateMachineArn=arn, input=input_text)
        return _report(reply, None, out, quiet=args.quiet)
    started = client.start_execution(stateMachineArn=arn, input=input_text)
    backend.settle()
    described = client.describe_execution(executionArn=started["executionArn"])
    events = _events(client, started["executionArn"])
    if args.history:
        _write(_history_json(events), args.history, out)
    return _report(described, events, out, quiet=args.quiet)


def _definition_machine(args: argparse.Namespace, client: Any) -> str:
    """Create the machine of the definition file; its ARN."""
    definition = _read(args.definition)
    if args.handlers:
        _handlers_from(args.handlers)(client.backend)
    try:
        machine = client.create_state_machine(
            name=Path(args.definition).stem.replace(".", "-")[:80] or "machine",
            definition=definition,
            roleArn=_ROLE_ARN,
            type=args.type or "STANDARD",
        )
    except client.exceptions.InvalidDefinition as error:
        raise InvalidDefinition(error.response["Error"]["Message"]) from None
    return str(machine["stateMachineArn"])


def _history_json(events: list[dict[str, Any]]) -> str:
    """``{"events": [...]}`` as ``aws stepfunctions get-execution-history`` prints it (ISO timestamps)."""

    def encode(value: Any) -> str:
        if isinstance(value, _dt.datetime):
            return value.astimezone(_dt.timezone.utc).isoformat()
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    return json.dumps({"events": events}, default=encode, indent=2) + "\n"


def _events(client: Any, arn: str) -> list[dict[str, Any]]:
    paginator = client.get_paginator("get_execution_history")
    return [event for page in paginator.paginate(executionArn=arn) for event in page["events"]]


def _report(
    described: Mapping[str, Any], events: list[dict[str, Any]] | None, out: TextIO, *, quiet: bool
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
    from fakesfn.client import FakeSFNClient

    _source(args)
    if args.template is not None:
        from fakesfn import cli_template

        try:
            return cli_template.validate(args.template, cli_template.parameters_from(args.parameter), out)
        except cli_template.TemplateUsageError as error:
            raise (InvalidDefinition if error.code == EXIT_FAILED else UsageError)(str(error)) from None
    client = FakeSFNClient()
    reply = client.validate_state_machine_definition(definition=_read(args.definition))
    for diagnostic in reply["diagnostics"]:
        location = f" at {diagnostic['location']}" if diagnostic.get("location") else ""
        out.write(f"{diagnostic['severity']}: {diagnostic['code']}: {diagnostic['message']}{location}\n")
    out.write(f"{reply['result']}\n")
    return EXIT_OK if reply["result"] == "OK" else EXIT_FAILED


def _definition(path: str) -> str:
    """The definition's text, parsed and validated as CreateStateMachine does."""
    from fakesfn.asl.parser import parse_definition
    from fakesfn.asl.problems import DefinitionError

    text = _read(path)
    try:
        parse_definition(text)
    except DefinitionError as error:
        raise InvalidDefinition(error.message()) from None
    return text


def _history(path: str) -> list[dict[str, Any]]:
    from fakesfn.tools.recording import HistoryFormatError, parse_history_text

    try:
        return parse_history_text(_read(path))
    except HistoryFormatError as error:
        raise UsageError(f"{path} is not an execution history: {error}") from None


def _graph(args: argparse.Namespace, out: TextIO) -> int:
    from fakesfn.graph import FORMATS, GraphvizError

    definition = _definition(args.definition)
    events = _history(args.execution) if args.execution else None
    try:
        text = FORMATS[args.format](definition, events)
    except GraphvizError as error:
        raise UsageError(str(error)) from None
    _write(text, args.output, out)
    return EXIT_OK


def _write(text: str, path: str | None, out: TextIO) -> None:
    if path is None:
        out.write(text)
        return
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None


def _replay(args: argparse.Namespace, out: TextIO) -> int:
    from fakesfn.replay import ReplayError, replay

    definition = _definition(args.definition)
    events = _history(args.history)
    try:
        report = replay(definition, events, execution_arn=args.execution_arn, seed=args.seed)
    except ReplayError as error:
        raise UsageError(str(error)) from None
    out.write(report.summary() + "\n")
    return EXIT_FAILED if report.diverged else EXIT_OK


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    try:
        from fakesfn.server import main as serve
    except ImportError as error:
        raise UsageError(f"the HTTP server is not available: {error}") from None
    from fakesfn.server.reach import ReachError, configure_reach, endpoint_url, read_mock_config

    handlers = _handlers_from(args.handlers) if args.handlers else None
    try:
        configure = configure_reach(
            mock_config=read_mock_config(args.mock_config) if args.mock_config else None,
            aws_endpoint=endpoint_url(args.aws_endpoint, "--aws-endpoint") if args.aws_endpoint else None,
            lambda_endpoint=(
                endpoint_url(args.lambda_endpoint, "--lambda-endpoint") if args.lambda_endpoint else None
            ),
            then=handlers,
        )
    except ReachError as error:
        raise UsageError(str(error)) from None
    result: int = serve(
        args.host, args.port, args.state, args.seed, account_id=args.account_id, configure=configure
    )
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
