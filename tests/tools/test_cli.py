from __future__ import annotations

import itertools
import json
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import fakesfn
from fakesfn.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, EXIT_WAITING, main
from tests.conftest import run_definition
from tests.tools.helpers import ROUTE, exported

ADD = {
    "StartAt": "Add",
    "States": {
        "Add": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:add",
            "Parameters": {"a.$": "$.a", "b.$": "$.b"},
            "End": True,
        }
    },
}


@pytest.fixture
def files(tmp_path):
    def write(name, content):
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return str(path)

    return write


def one_line_error(capsys, fragment):
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("fakesfn: error: ")
    assert fragment in err
    assert "Traceback" not in err


# --- help ------------------------------------------------------------------------------


def test_help_lists_commands_examples_and_exit_codes(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for command in ("run", "validate", "graph", "replay", "serve"):
        assert f"    {command} " in out
    assert "examples:\n  fakesfn validate machine.asl.json" in out
    assert "exit status:\n  0  success" in out
    assert "  3  the execution is still RUNNING" in out


@pytest.mark.parametrize("command", ["run", "validate", "graph", "replay", "serve"])
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    assert "example" in out
    assert "exit status:" in out


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == EXIT_USAGE
    assert "usage: fakesfn" in capsys.readouterr().out


def test_unknown_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["graph", "x.json", "--colour"])
    assert exited.value.code == EXIT_USAGE
    assert capsys.readouterr().err == (
        "fakesfn: error: unrecognized arguments: --colour (see 'fakesfn --help')\n"
    )
    with pytest.raises(SystemExit):
        main(["graph"])
    assert capsys.readouterr().err == (
        "fakesfn: error: the following arguments are required: definition (see 'fakesfn graph --help')\n"
    )


# --- run and validate ------------------------------------------------------------------


def test_run_prints_history_and_output(files, capsys):
    handlers = files("lambdas.py", "def add(event, context):\n    return event['a'] + event['b']\n")
    code = main(["run", files("add.json", ADD), "--input", '{"a": 2, "b": 3}', "--handlers", handlers])
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert "LambdaFunctionSucceeded" in out
    assert out.endswith("status: SUCCEEDED\noutput: 5\n")


def test_run_quiet_failure_and_input_file(files, capsys):
    code = main(["run", files("route.json", ROUTE), "--input", "@" + files("in.json", "{}"), "--quiet"])
    assert code == EXIT_OK
    assert capsys.readouterr().out == '{\n  "total": 120\n}\n'
    fail = {"StartAt": "No", "States": {"No": {"Type": "Fail", "Error": "Nope", "Cause": "because"}}}
    assert main(["run", files("fail.json", fail), "--quiet"]) == EXIT_FAILED
    assert capsys.readouterr().out == "status: FAILED\nerror: Nope\ncause: because\n"


def test_run_answers_http_tasks_from_the_handlers_file(files, capsys):
    machine = {
        "StartAt": "Price",
        "States": {
            "Price": {
                "Type": "Task",
                "Resource": "arn:aws:states:::http:invoke",
                "Parameters": {
                    "ApiEndpoint": "https://prices.example.com/v1/apple",
                    "Method": "GET",
                    "Authentication": {
                        "ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/p/1"
                    },
                },
                "OutputPath": "$.ResponseBody",
                "Next": "Add",
            },
            "Add": {**ADD["States"]["Add"], "Parameters": {"a.$": "$.price", "b": 1}},
        },
    }
    handlers = files(
        "handlers.py",
        textwrap.dedent(
            """
            def price(request):
                return {"price": 4}

            def add(event, context):
                return event["a"] + event["b"]

            HTTP = {"https://prices.example.com/": price}
            """
        ),
    )
    assert main(["run", files("price.json", machine), "--handlers", handlers, "--quiet"]) == EXIT_OK
    assert capsys.readouterr().out == "5\n"


def test_serve_takes_the_handlers_file(files, monkeypatch):
    seen = {}

    def fake_serve(host, port, state, seed, *, account_id, configure):
        backend = fakesfn.Backend()
        configure(backend)
        seen["lambda"] = backend.services.lambdas.names()
        seen["http"] = backend.services.http.lookup("https://prices.example.com/x") is not None
        return 0

    monkeypatch.setattr("fakesfn.server.main", fake_serve)
    handlers = files(
        "serve_handlers.py",
        "def add(event, context):\n    return 1\n\ndef price(request):\n    return {}\n\n"
        "HTTP = {'https://prices.example.com/': price}\n",
    )
    assert main(["serve", "--port", "0", "--handlers", handlers]) == EXIT_OK
    assert seen == {"lambda": ["add"], "http": True}


def test_run_waiting_for_an_outside_actor_exits_3(files, capsys):
    wait = {
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {"FunctionName": "ask", "Payload": {"token.$": "$$.Task.Token"}},
                "End": True,
            }
        },
    }
    handlers = files("ask.py", "def ask(event, context):\n    return {}\n")
    assert main(["run", files("wait.json", wait), "--handlers", handlers, "--quiet"]) == EXIT_WAITING
    assert capsys.readouterr().out == "status: RUNNING\n"


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["run", "missing.json"], "cannot read missing.json: No such file or directory"),
        (["run", "{route}", "--input", "{nope"], "--input is not valid JSON"),
        # the nesting limit decides, on every Python (no parser recursion reached)
        (["run", "{route}", "--input", "[" * 5000 + "]" * 5000], "nests 5000 levels deep, more than the 200"),
        (["run", "{route}", "--handlers", "{broken}"], "cannot load handlers from"),
        (["run", "{route}", "--handlers", "nowhere.py"], "cannot read nowhere.py"),
        (["validate", "missing.json"], "cannot read missing.json"),
    ],
)
def test_run_user_errors_are_one_line(argv, fragment, files, capsys):
    paths = {"{route}": files("route.json", ROUTE), "{broken}": files("broken.py", "def oops(:\n")}
    assert main([paths.get(arg, arg) for arg in argv]) == EXIT_USAGE
    one_line_error(capsys, fragment)


def test_run_and_validate_an_invalid_definition(files, capsys):
    bad = files("bad.json", {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}})
    assert main(["run", bad]) == EXIT_FAILED
    one_line_error(capsys, "MISSING_TRANSITION_TARGET")
    assert main(["validate", bad]) == EXIT_FAILED
    out = capsys.readouterr().out
    assert "MISSING_TRANSITION_TARGET" in out
    assert out.endswith("FAIL\n")
    assert main(["validate", files("ok.json", ROUTE)]) == EXIT_OK
    assert capsys.readouterr().out == "OK\n"


# --- graph -----------------------------------------------------------------------------


def test_graph_defaults_to_mermaid_on_stdout(files, capsys):
    assert main(["graph", files("route.json", ROUTE)]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("flowchart TD\n")
    assert '    s1 -->|"$.total > 100"| s2\n' in out


def test_graph_dot_to_a_file_coloured_by_a_history(files, tmp_path, capsys, sfn):
    ran = run_definition(sfn, ROUTE, {})
    history = files("history.json", exported(ran.events))
    target = tmp_path / "route.dot"
    code = main(
        [
            "graph",
            files("route.json", ROUTE),
            "--execution",
            history,
            "--format",
            "dot",
            "--output",
            str(target),
        ]
    )
    assert code == EXIT_OK
    assert capsys.readouterr().out == ""
    text = target.read_text()
    assert text.startswith('digraph "state machine" {')
    assert 's3 [label="Reject", shape=octagon, style="rounded,filled", fillcolor="#f5f5f5"' in text


def test_graph_svg_without_graphviz(files, capsys, monkeypatch):
    monkeypatch.setattr("fakesfn.tools.dot.shutil.which", lambda name: None)
    assert main(["graph", files("route.json", ROUTE), "--format", "svg"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err == "fakesfn: error: install Graphviz (e.g. apt install graphviz) for --format svg\n"


def test_graph_svg_with_graphviz(files, tmp_path, capsys, monkeypatch):
    script = tmp_path / "dot"
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.stdin.read()\nprint('<svg/>')\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr("fakesfn.tools.dot.shutil.which", lambda name: str(script))
    assert main(["graph", files("route.json", ROUTE), "--format", "svg"]) == EXIT_OK
    assert capsys.readouterr().out == "<svg/>\n"


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        (["graph", "missing.json"], EXIT_USAGE, "cannot read missing.json"),
        (["graph", "{notjson}"], EXIT_FAILED, "INVALID_JSON_DESCRIPTION"),
        (["graph", "{invalid}"], EXIT_FAILED, "Invalid State Machine Definition"),
        (
            ["graph", "{route}", "--execution", "{notjson}"],
            EXIT_USAGE,
            "is not an execution history: not valid JSON",
        ),
        (["graph", "{route}", "--execution", "{route}"], EXIT_USAGE, "expected an object with 'events'"),
        (
            ["graph", "{route}", "--output", "/nonexistent/dir/out.mmd"],
            EXIT_USAGE,
            "cannot write /nonexistent",
        ),
    ],
)
def test_graph_user_errors_are_one_line(argv, code, fragment, files, capsys):
    paths = {
        "{route}": files("route.json", ROUTE),
        "{notjson}": files("notjson.json", "{oops"),
        "{invalid}": files("invalid.json", {"StartAt": "X", "States": {"Y": {"Type": "Succeed"}}}),
    }
    assert main([paths.get(arg, arg) for arg in argv]) == code
    one_line_error(capsys, fragment)


# --- replay ----------------------------------------------------------------------------


def _recording(files, sfn):
    sfn.backend.register_lambda("add", lambda event, context: event["a"] + event["b"])
    ran = run_definition(sfn, ADD, {"a": 1, "b": 2})
    return files("add.json", ADD), files("history.json", exported(ran.events)), ran


def test_replay_matching_exits_0(files, capsys, sfn):
    definition, history, ran = _recording(files, sfn)
    assert main(["replay", definition, history, "--execution-arn", ran.arn]) == EXIT_OK
    assert capsys.readouterr().out.startswith("replay: OK: 7 recorded events match the replay")


def test_replay_divergence_exits_1_and_names_the_event(files, capsys, sfn):
    definition, history, _ = _recording(files, sfn)
    data = json.loads(Path(history).read_text())
    data["events"][-1]["executionSucceededEventDetails"]["output"] = "4"
    altered = files("altered.json", data)
    assert main(["replay", definition, altered]) == EXIT_FAILED
    out = capsys.readouterr().out
    assert out == textwrap.dedent(
        """\
        replay: DIVERGED (recorded SUCCEEDED, replayed SUCCEEDED)
        first divergence: recorded event 7 (replay event 7): ExecutionSucceeded differs
          output: expected 4
                       got 3
        """
    )


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        (["replay", "{add}", "missing.json"], EXIT_USAGE, "cannot read missing.json"),
        (["replay", "{add}", "{empty}"], EXIT_USAGE, "the file is empty"),
        (["replay", "{add}", "{started_late}"], EXIT_USAGE, "does not start with an ExecutionStarted event"),
        (
            ["replay", "{add}", "{history}", "--execution-arn", "nope"],
            EXIT_USAGE,
            "not an execution ARN: nope",
        ),
        (["replay", "{invalid}", "{history}"], EXIT_FAILED, "Invalid State Machine Definition"),
    ],
)
def test_replay_user_errors_are_one_line(argv, code, fragment, files, capsys, sfn):
    definition, history, ran = _recording(files, sfn)
    paths = {
        "{add}": definition,
        "{history}": history,
        "{empty}": files("empty.json", "  \n"),
        "{started_late}": files("late.json", {"events": json.loads(exported(ran.events))["events"][1:]}),
        "{invalid}": files("invalid.json", {"StartAt": "X", "States": {}}),
    }
    assert main([paths.get(arg, arg) for arg in argv]) == code
    one_line_error(capsys, fragment)


# --- serve -----------------------------------------------------------------------------


def test_serve_passes_its_flags_to_the_server(monkeypatch):
    import fakesfn.server

    calls = []
    monkeypatch.setattr(fakesfn.server, "main", lambda *args, **kwargs: calls.append((args, kwargs)) or 0)
    assert main(["serve"]) == EXIT_OK
    flags = [
        "--host",
        "0.0.0.0",
        "--port",
        "9000",
        "--state",
        "w.jsonl",
        "--seed",
        "4",
        "--account-id",
        "111122223333",
    ]
    assert main(["serve", *flags]) == EXIT_OK
    assert calls == [
        (("127.0.0.1", 8083, None, 0), {"account_id": "123456789012", "configure": None}),
        (("0.0.0.0", 9000, "w.jsonl", 4), {"account_id": "111122223333", "configure": None}),
    ]


def test_serve_reports_the_server_exit_status(monkeypatch):
    import fakesfn.server

    monkeypatch.setattr(fakesfn.server, "main", lambda *args, **kwargs: EXIT_USAGE)
    assert main(["serve", "--port", "1"]) == EXIT_USAGE


# --- as a program ----------------------------------------------------------------------


def test_python_m_fakesfn_user_error_has_no_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    done = subprocess.run(
        [sys.executable, "-m", "fakesfn", "graph", str(bad)], capture_output=True, text=True, check=False
    )
    assert done.returncode == EXIT_FAILED
    assert done.stdout == ""
    assert done.stderr.startswith("fakesfn: error: Invalid State Machine Definition")
    assert "Traceback" not in done.stderr


def test_module_exposes_the_same_version():
    assert fakesfn.__version__


# --- run's history file and table --------------------------------------------------------------

GREET_THEN_BOOM = {
    "StartAt": "Greet",
    "States": {
        "Greet": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "greet", "Payload.$": "$"},
            "Next": "Call",
        },
        "Call": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:boom",
            "End": True,
        },
    },
}
HANDLERS = textwrap.dedent(
    """
    def greet(event, context):
        return {"hi": 1}

    def boom(event, context):
        raise ValueError("x" * 150 + " the end of a long message")
    """
)


def test_run_writes_a_history_that_graph_and_replay_read(files, tmp_path, capsys):
    definition = files("m.asl.json", GREET_THEN_BOOM)
    handlers = files("h.py", HANDLERS)
    history = tmp_path / "run.json"
    assert main(["run", definition, "--handlers", handlers, "--history", str(history)]) == EXIT_FAILED
    written = json.loads(history.read_text())
    assert [e["type"] for e in written["events"]][-1] == "ExecutionFailed"
    assert written["events"][0]["timestamp"] == "2024-01-01T00:00:00+00:00"  # as the AWS CLI prints it
    capsys.readouterr()
    assert main(["replay", definition, str(history)]) == EXIT_OK
    assert capsys.readouterr().out.startswith("replay: OK: 11 recorded events match the replay")
    assert main(["graph", definition, "--execution", str(history), "--format", "dot"]) == EXIT_OK
    assert "fillcolor" in capsys.readouterr().out


def test_run_history_with_an_express_machine_is_a_usage_error(files, tmp_path, capsys):
    code = main(["run", files("m.json", ADD), "--type", "EXPRESS", "--history", str(tmp_path / "h.json")])
    assert code == EXIT_USAGE
    one_line_error(capsys, "EXPRESS executions keep no history")
    assert not (tmp_path / "h.json").exists()


def test_run_history_to_an_unwritable_place_is_a_usage_error(files, tmp_path, capsys):
    code = main(
        [
            "run",
            files("m.json", {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
            "--history",
            str(tmp_path / "missing" / "h.json"),
            "--quiet",
        ]
    )
    assert code == EXIT_USAGE
    one_line_error(capsys, "cannot write")


def test_run_rows_name_the_function_or_resource_and_long_causes_wrap_whole(files, capsys):
    assert main(["run", files("m.asl.json", GREET_THEN_BOOM), "--handlers", files("h.py", HANDLERS)]) == 1
    table = capsys.readouterr().out.split("status:")[0].splitlines()
    rows = {line.split()[2]: line for line in table[1:] if line[:5].strip().isdigit()}
    assert rows["TaskScheduled"].endswith("lambda:invoke greet")
    assert rows["LambdaFunctionScheduled"].endswith("function boom")
    assert max(len(line) for line in table) <= 53 + 72
    # The failure's cause is not cut: its continuation lines, joined, give it whole.
    start = next(i for i, line in enumerate(table) if "LambdaFunctionFailed" in line)
    block = [table[start][53:]]
    block += [
        line[53:] for line in itertools.takewhile(lambda line: line.startswith(" " * 53), table[start + 1 :])
    ]
    joined = " ".join(block)
    assert "the end of a long message" in joined
    assert joined.rstrip().endswith("]}")
