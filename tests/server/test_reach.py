"""``fakesfn serve --mock-config / --aws-endpoint / --lambda-endpoint``: Step Functions Local's settings."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest

from fakesfn.server import start_server
from fakesfn.server.reach import configure_reach
from tests.server.conftest import ROLE_ARN, boto_client

CHARGE = "arn:aws:lambda:us-east-1:123456789012:function:charge"
CHECKOUT = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": CHARGE, "Payload.$": "$"},
            "ResultSelector": {"paid.$": "$.Payload.paid"},
            "Catch": [{"ErrorEquals": ["Card.Declined"], "ResultPath": "$.error", "Next": "Declined"}],
            "End": True,
        },
        "Declined": {"Type": "Fail", "Error": "Declined", "Cause": "the card was declined"},
    },
}
MOCKS = {
    "StateMachines": {
        "checkout": {"TestCases": {"HappyPath": {"Charge": "Paid"}, "CardDeclined": {"Charge": "Declined"}}}
    },
    "MockedResponses": {
        "Paid": {"0": {"Return": {"StatusCode": 200, "Payload": {"paid": 42}}}},
        "Declined": {"0": {"Throw": {"Error": "Card.Declined", "Cause": "expired"}}},
    },
}


def _serve(*flags: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "fakesfn", "serve", "--port", "0", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    banner = process.stdout.readline()
    if " at " not in banner:
        _, err = process.communicate(timeout=30)
        raise AssertionError(f"fakesfn serve did not start: {banner!r} {err!r}")
    return process, banner.split(" at ", 1)[1].split()[0]


def _stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=30)


# --mock-config, driven by the AWS CLI ------------------------------------------------------


@pytest.mark.skipif(importlib.util.find_spec("awscli") is None, reason="awscli is not installed")
def test_mock_config_test_cases_chosen_by_the_aws_cli(tmp_path):
    mocks = tmp_path / "MockConfigFile.json"
    mocks.write_text(json.dumps(MOCKS))
    process, url = _serve("--mock-config", str(mocks))
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_MAX_ATTEMPTS": "1",
    }

    def aws(*args: str) -> Any:
        command = [sys.executable, "-m", "awscli", "stepfunctions", *args]
        command += ["--endpoint-url", url, "--region", "us-east-1", "--output", "json"]
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    try:
        machine = aws(
            "create-state-machine", "--name", "checkout", "--definition", json.dumps(CHECKOUT),
            "--role-arn", ROLE_ARN,
        )["stateMachineArn"]  # fmt: skip
        happy = aws("start-execution", "--state-machine-arn", f"{machine}#HappyPath", "--input", "{}")
        declined = aws("start-execution", "--state-machine-arn", f"{machine}#CardDeclined", "--input", "{}")
        done = aws("describe-execution", "--execution-arn", happy["executionArn"])
        assert (done["status"], json.loads(done["output"])) == ("SUCCEEDED", {"paid": 42})
        assert done["stateMachineArn"] == machine
        failed = aws("describe-execution", "--execution-arn", declined["executionArn"])
        assert (failed["status"], failed["error"]) == ("FAILED", "Declined")
        # Without a test case nothing is mocked, and the served fake reaches no Lambda.
        plain = aws("start-execution", "--state-machine-arn", machine, "--input", "{}")
        unmocked = aws("describe-execution", "--execution-arn", plain["executionArn"])
        assert unmocked["status"] == "FAILED"
    finally:
        _stop(process)


def test_a_reset_keeps_the_mock_configuration():
    with start_server(configure=configure_reach(mock_config=MOCKS)) as running:
        sfn = boto_client(running)
        machine = sfn.create_state_machine(name="checkout", definition=json.dumps(CHECKOUT), roleArn=ROLE_ARN)
        urllib.request.urlopen(urllib.request.Request(running.url + "/_fakesfn/reset", method="POST"))  # noqa: S310
        machine = sfn.create_state_machine(name="checkout", definition=json.dumps(CHECKOUT), roleArn=ROLE_ARN)
        run = sfn.start_execution(stateMachineArn=machine["stateMachineArn"] + "#HappyPath", input="{}")
        assert json.loads(sfn.describe_execution(executionArn=run["executionArn"])["output"]) == {"paid": 42}


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--mock-config", "/nonexistent/mocks.json"], "cannot read the mock configuration"),
        (["--mock-config", "NOTJSON"], "is not JSON"),
        (["--mock-config", "BOTH"], "the mock configuration is refused"),
        (["--aws-endpoint", "localhost:4566"], "--aws-endpoint must be an http:// or https:// URL"),
        (["--lambda-endpoint", "ftp://x"], "--lambda-endpoint must be an http:// or https:// URL"),
    ],
)
def test_unusable_settings_stop_the_start_with_one_line(tmp_path, flags, message):
    if flags[-1] == "NOTJSON":
        (tmp_path / "m.json").write_text("{nope")
        flags = [flags[0], str(tmp_path / "m.json")]
    if flags[-1] == "BOTH":
        both = {"MockedResponses": {"R": {"0": {"Return": {}, "Throw": {"Error": "E", "Cause": "C"}}}}}
        (tmp_path / "m.json").write_text(json.dumps(both))
        flags = [flags[0], str(tmp_path / "m.json")]
    done = subprocess.run(
        [sys.executable, "-m", "fakesfn", "serve", "--port", "0", *flags],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


# --lambda-endpoint: a Lambda Invoke endpoint such as sam local start-lambda -----------------


class _Lambda(BaseHTTPRequestHandler):
    """Lambda's Invoke REST API, answering ``{"echo": event, "function": name}``."""

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's dispatch name
        quoted = self.path.split("/functions/", 1)[1].split("/", 1)[0]
        name = urllib.parse.unquote(quoted).rsplit(":", 1)[-1]  # a name, or a function ARN
        event = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"null")
        body = json.dumps({"echo": event, "function": name}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Amz-Executed-Version", "$LATEST")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        """Quiet."""


@pytest.fixture
def lambda_endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Lambda)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_lambda_invocations_go_to_the_lambda_endpoint(lambda_endpoint):
    definition = {
        "StartAt": "Legacy",
        "States": {
            "Legacy": {"Type": "Task", "Resource": CHARGE, "ResultPath": "$.legacy", "Next": "Invoke"},
            "Invoke": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "ship", "Payload": {"n": 1}},
                "ResultSelector": {"payload.$": "$.Payload"},
                "ResultPath": "$.invoked",
                "End": True,
            },
        },
    }
    s3 = {
        "StartAt": "S3",
        "States": {
            "S3": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:listBuckets", "End": True}
        },
    }
    with start_server(configure=configure_reach(lambda_endpoint=lambda_endpoint)) as running:
        sfn = boto_client(running)
        machine = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE_ARN)
        run = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input='{"order": 7}')
        done = sfn.describe_execution(executionArn=run["executionArn"])
        other = sfn.create_state_machine(name="s3", definition=json.dumps(s3), roleArn=ROLE_ARN)
        run = sfn.start_execution(stateMachineArn=other["stateMachineArn"])
        failed = sfn.describe_execution(executionArn=run["executionArn"])
    assert json.loads(done["output"]) == {
        "order": 7,
        "legacy": {"echo": {"order": 7}, "function": "charge"},
        "invoked": {"payload": {"echo": {"n": 1}, "function": "ship"}},
    }
    assert (failed["status"], failed["error"]) == ("FAILED", "States.Runtime")
    assert failed["cause"].startswith(
        "fakesfn serve has no endpoint for s3: start it with --aws-endpoint URL"
    )


# --aws-endpoint: a moto server started here ------------------------------------------------

MOTO_SERVER_MISSING = next(
    (m for m in ("moto", "flask", "flask_cors") if importlib.util.find_spec(m) is None), None
)


@pytest.fixture
def moto_server():
    if MOTO_SERVER_MISSING is not None:
        pytest.skip(f"moto's server needs {MOTO_SERVER_MISSING} (pip install 'moto[server]')")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    executable = shutil.which("moto_server", path=os.path.dirname(sys.executable))
    command = [executable] if executable else [sys.executable, "-m", "moto.server"]
    process = subprocess.Popen(
        [*command, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # bounded wait for it to listen
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=2).close()  # noqa: S310
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail("moto_server exited at start")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_aws_sdk_tasks_reach_the_aws_endpoint(moto_server):
    definition = {
        "StartAt": "Create",
        "States": {
            "Create": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:s3:createBucket",
                "Parameters": {"Bucket": "fakesfn-reach"},
                "ResultPath": None,
                "Next": "Put",
            },
            "Put": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
                "Parameters": {"Bucket": "fakesfn-reach", "Key": "k", "Body.$": "$.body"},
                "ResultPath": None,
                "Next": "List",
            },
            "List": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:s3:listObjectsV2",
                "Parameters": {"Bucket": "fakesfn-reach"},
                "ResultSelector": {"keys.$": "$.Contents[*].Key"},
                "End": True,
            },
        },
    }
    process, url = _serve("--aws-endpoint", moto_server)
    try:
        sfn = boto3.client(
            "stepfunctions", endpoint_url=url, region_name="us-east-1", aws_access_key_id="x",
            aws_secret_access_key="x",
        )  # fmt: skip
        machine = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE_ARN)
        run = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input='{"body": "hello"}')
        done = sfn.describe_execution(executionArn=run["executionArn"])
        assert (done["status"], json.loads(done["output"])) == ("SUCCEEDED", {"keys": ["k"]})
    finally:
        _stop(process)
    s3 = boto3.client(
        "s3",
        endpoint_url=moto_server,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
    assert s3.get_object(Bucket="fakesfn-reach", Key="k")["Body"].read() == b"hello"
