"""HTTP Tasks (arn:aws:states:::http:invoke): the request AWS builds, the result it returns."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fakesfn
from fakesfn.integrations.http_request import form_encode
from tests.botocore_model import needs_test_state_2025

INVOKE = "arn:aws:states:::http:invoke"
CONNECTION = "arn:aws:events:us-east-1:123456789012:connection/api/0a1b"
ENDPOINT = "https://api.example.com/v1/orders"


def http_task(**parameters: Any) -> dict[str, Any]:
    fields = {"ApiEndpoint": ENDPOINT, "Method": "GET", "Authentication": {"ConnectionArn": CONNECTION}}
    return {
        "StartAt": "Call",
        "States": {
            "Call": {"Type": "Task", "Resource": INVOKE, "Parameters": {**fields, **parameters}, "End": True}
        },
    }


@pytest.fixture
def seen(sfn: Any) -> list[fakesfn.HttpRequest]:
    """Every request, answered with 200 and a JSON echo of the body."""
    requests: list[fakesfn.HttpRequest] = []

    def echo(request: fakesfn.HttpRequest) -> Any:
        requests.append(request)
        return {"echo": request.body}

    sfn.backend.register_http(echo)
    return requests


def test_the_request_is_built_as_aws_sends_it(run, seen):
    ran = run(
        http_task(
            Method="POST",
            QueryParameters={"page": 2, "tag": ["a b", "c"]},
            Headers={"X-Tenant": "t1"},
            RequestBody={"order.$": "$.id"},
        ),
        {"id": 7},
    )
    assert ran.status == "SUCCEEDED"
    (request,) = seen
    assert (request.method, request.url) == ("POST", f"{ENDPOINT}?page=2&tag=a%20b&tag=c")
    assert request.headers == {
        "X-Tenant": "t1",
        "Content-Type": "application/json; charset=UTF-8",
        "User-Agent": "Amazon|StepFunctions|HttpInvoke|us-east-1",
        "Range": "bytes=0-262144",
    }
    assert request.json() == {"order": 7}
    assert request.connection_arn == CONNECTION


def test_the_result_is_the_response_in_aws_shape(run, sfn):
    sfn.backend.register_http(
        lambda _r: fakesfn.HttpResponse(201, {"id": 1}, headers={"Set-Cookie": ["a=1", "b=2"]}, reason="Made")
    )
    ran = run(http_task())
    assert ran.output == {
        "Headers": {"Set-Cookie": ["a=1", "b=2"], "Content-Type": ["application/json"]},
        "ResponseBody": {"id": 1},
        "StatusCode": 201,
        "StatusText": "Made",
    }
    (scheduled,) = ran.details("TaskScheduled")
    assert (scheduled["resourceType"], scheduled["resource"]) == ("http", "invoke")
    assert ran.types[-4:] == ["TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"]


def test_a_text_response_stays_text(run, sfn):
    sfn.backend.register_http(lambda _r: "plain words")
    ran = run(http_task())
    assert ran.output["ResponseBody"] == "plain words"
    assert ran.output["Headers"]["Content-Type"] == ["text/plain; charset=UTF-8"]
    assert ran.output["StatusText"] == "OK"


def test_a_string_body_is_sent_as_it_is(run, seen):
    run(http_task(Method="PUT", RequestBody="raw=1"))
    assert seen[0].body == "raw=1"


@pytest.mark.parametrize(
    ("array_format", "expected"),
    [
        ("INDICES", "ids[0]=1&ids[1]=2&who[name]=Ada%20L"),
        ("REPEAT", "ids=1&ids=2&who[name]=Ada%20L"),
        ("COMMAS", "ids=1%2C2&who[name]=Ada%20L"),
        ("BRACKETS", "ids[]=1&ids[]=2&who[name]=Ada%20L"),
    ],
)
def test_url_encoded_bodies_follow_the_array_format(run, seen, array_format, expected):
    transform = {
        "RequestBodyEncoding": "URL_ENCODED",
        "RequestEncodingOptions": {"ArrayFormat": array_format},
    }
    run(http_task(Method="POST", RequestBody={"ids": [1, 2], "who": {"name": "Ada L"}}, Transform=transform))
    assert seen[0].body == expected
    assert seen[0].headers["Content-Type"] == "application/x-www-form-urlencoded"


@given(st.dictionaries(st.text(min_size=1), st.text(), max_size=5))
def test_url_encoding_of_flat_strings_round_trips(body):
    decoded = parse_qsl(form_encode(body, "INDICES"), keep_blank_values=True)
    assert decoded == list(body.items())


def test_an_error_status_fails_with_its_code_and_retry_works(run, sfn):
    answers = iter([fakesfn.HttpResponse(503, "busy"), fakesfn.HttpResponse(200, {"ok": True})])
    sfn.backend.register_http(lambda _r: next(answers))
    definition = http_task()
    definition["States"]["Call"]["Retry"] = [
        {"ErrorEquals": ["States.Http.StatusCode.503"], "IntervalSeconds": 1, "MaxAttempts": 1}
    ]
    ran = run(definition)
    assert ran.status == "SUCCEEDED"
    (failed,) = ran.details("TaskFailed")
    assert failed["error"] == "States.Http.StatusCode.503"
    assert json.loads(failed["cause"])["ResponseBody"] == "busy"


def test_without_a_handler_the_endpoint_is_unreachable(run):
    ran = run(http_task())
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "States.Http.Socket"
    assert "register_http" in ran.describe["cause"]


def test_a_raising_handler_is_a_broken_connection(run, sfn):
    def broken(_request: fakesfn.HttpRequest) -> Any:
        raise ConnectionResetError("peer went away")

    sfn.backend.register_http(broken)
    ran = run(http_task())
    assert (ran.describe["error"], ran.describe["cause"]) == (
        "States.Http.Socket",
        "The HTTP handler raised ConnectionResetError: peer went away",
    )


def test_the_longest_endpoint_prefix_answers(run, sfn):
    sfn.backend.register_http(lambda _r: "any", endpoint="")
    sfn.backend.register_http(lambda _r: "orders", endpoint="https://api.example.com/v1/orders")
    sfn.backend.register_http(lambda _r: "v1", endpoint="https://api.example.com/v1/")
    assert run(http_task()).output["ResponseBody"] == "orders"
    assert run(http_task(ApiEndpoint="https://api.example.com/v1/users")).output["ResponseBody"] == "v1"
    assert run(http_task(ApiEndpoint="https://other.example.com/")).output["ResponseBody"] == "any"


@pytest.mark.parametrize(
    ("parameters", "cause"),
    [
        ({"Method": "FETCH"}, "The field 'Method' must be one of GET"),
        ({"ApiEndpoint": "ftp://files.example.com"}, "The field 'ApiEndpoint' must be an http(s) URL"),
        ({"Authentication": {}}, "The field 'Authentication.ConnectionArn'"),
        ({"Authentication": None, "InvocationConfig": {}}, "Only one of the fields 'InvocationConfig' and"),
        ({"Headers": {"Authorization": "Bearer x"}}, "The header 'Authorization' cannot be set"),
        ({"Headers": {"X-Amz-Date": "now"}}, "The header 'X-Amz-Date' cannot be set"),
        (
            {
                "RequestBody": {"a": [1]},
                "Transform": {
                    "RequestBodyEncoding": "URL_ENCODED",
                    "RequestEncodingOptions": {"ArrayFormat": "X"},
                },
            },
            "The field 'ArrayFormat' must be one of",
        ),
    ],
)
def test_invalid_parameters_fail_the_task(run, seen, parameters, cause):
    ran = run(http_task(**parameters))
    assert ran.describe["error"] == "States.Runtime"
    assert ran.describe["cause"].startswith(cause)
    assert seen == []
    assert ran.types[-3:] == ["TaskScheduled", "TaskFailed", "ExecutionFailed"]


def test_a_slow_endpoint_times_out_on_the_virtual_clock(run, sfn):
    sfn.backend.register_http(lambda _r: "late", duration=30)
    definition = http_task()
    definition["States"]["Call"]["TimeoutSeconds"] = 10
    ran = run(definition)
    assert ran.describe["error"] == "States.Timeout"
    assert "TaskTimedOut" in ran.types


def test_a_jsonata_http_task_takes_arguments(run, seen):
    definition = http_task()
    state = definition["States"]["Call"]
    state["QueryLanguage"] = "JSONata"
    state["Arguments"] = {**state.pop("Parameters"), "RequestBody": "{% {'n': $states.input.n * 2} %}"}
    state["Output"] = "{% $states.result.ResponseBody %}"
    ran = run(definition, {"n": 4})
    assert seen[0].json() == {"n": 8}
    assert ran.output == {"echo": '{"n":8}'}


def test_test_state_shows_the_exchange_at_trace(sfn):
    sfn.backend.register_http(lambda _r: fakesfn.HttpResponse(404, {"message": "none"}))
    state = http_task(Method="DELETE")["States"]["Call"]
    reply = sfn.test_state(
        definition=json.dumps(state), roleArn="arn:aws:iam::123456789012:role/t", inspectionLevel="TRACE"
    )
    assert (reply["status"], reply["error"]) == ("FAILED", "States.Http.StatusCode.404")
    request, response = reply["inspectionData"]["request"], reply["inspectionData"]["response"]
    assert (request["protocol"], request["method"], request["url"], request["body"]) == (
        "https",
        "DELETE",
        ENDPOINT,
        "",
    )
    assert json.loads(request["headers"])["User-Agent"] == "Amazon|StepFunctions|HttpInvoke|us-east-1"
    assert (response["statusCode"], response["statusMessage"], response["body"]) == (
        "404",
        "Not Found",
        '{"message":"none"}',
    )
    assert json.loads(response["headers"]) == {"Content-Type": "application/json"}


@needs_test_state_2025
def test_a_mocked_http_task_sends_nothing(sfn, seen):
    state = http_task()["States"]["Call"]
    reply = sfn.test_state(
        definition=json.dumps(state),
        inspectionLevel="TRACE",
        mock={"result": json.dumps({"StatusCode": 200})},
    )
    assert reply["status"] == "SUCCEEDED"
    assert "request" not in reply["inspectionData"]
    assert seen == []


# --- arn:aws:states:::apigateway:invoke -----------------------------------------------------

API_HOST = "a1b2c3.execute-api.us-east-1.amazonaws.com"


def api_task(resource: str = "arn:aws:states:::apigateway:invoke", **parameters: Any) -> dict[str, Any]:
    fields = {"ApiEndpoint": API_HOST, "Method": "POST", "Stage": "prod", "Path": "/bills/add"}
    return {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": resource,
                "Parameters": {**fields, **parameters},
                "End": True,
            }
        },
    }


def test_api_gateway_calls_reach_the_stage_and_path(run, seen):
    ran = run(
        api_task(
            Headers={"X-Tenant": ["t1", "t2"]},
            QueryParameters={"id": ["1", "2"]},
            RequestBody={"bill": "b-1", "note": None, "nested": {"gone": None, "kept": 1}},
        )
    )
    assert ran.status == "SUCCEEDED"
    (request,) = seen
    assert request.url == f"https://{API_HOST}/prod/bills/add?id=1&id=2"
    assert request.headers == {"X-Tenant": "t1,t2", "Content-Type": "application/json; charset=UTF-8"}
    assert request.json() == {"bill": "b-1", "nested": {"kept": 1}}
    assert set(ran.output) == {"Headers", "ResponseBody", "StatusCode", "StatusText"}


def test_api_gateway_sends_nulls_when_allowed(run, seen):
    run(api_task(RequestBody={"note": None}, AllowNullValues=True))
    assert seen[0].json() == {"note": None}


def test_api_gateway_errors_are_named_after_the_status(run, sfn):
    sfn.backend.register_http(
        lambda _r: fakesfn.HttpResponse(403, {"message": "Missing Authentication Token"}),
        endpoint=f"https://{API_HOST}/",
    )
    ran = run(api_task())
    assert (ran.describe["error"], ran.describe["cause"]) == (
        "APIGateway.403",
        '{"message":"Missing Authentication Token"}',
    )


@pytest.mark.parametrize(
    ("parameters", "cause"),
    [
        ({"ApiEndpoint": "example.com"}, "The field 'ApiEndpoint' must be <API ID>.execute-api"),
        ({"AuthType": "OAUTH"}, "The field 'AuthType' must be one of"),
        ({"Headers": {"Www-Authenticate": ["x"]}}, "The header 'Www-Authenticate' cannot be set"),
    ],
)
def test_api_gateway_parameters_are_checked(run, seen, parameters, cause):
    ran = run(api_task(**parameters))
    assert ran.describe["error"] == "States.Runtime"
    assert ran.describe["cause"].startswith(cause)
    assert seen == []


def test_api_gateway_wait_for_task_token(sfn, run):
    tokens: list[str] = []

    def accept(request: fakesfn.HttpRequest) -> Any:
        tokens.append(request.headers["TaskToken"])
        return fakesfn.HttpResponse(202)

    sfn.backend.register_http(accept)
    definition = api_task(
        "arn:aws:states:::apigateway:invoke.waitForTaskToken",
        Headers={"TaskToken.$": "States.Array($$.Task.Token)"},
    )
    ran = run(definition)
    assert ran.status == "RUNNING"
    assert "TaskSubmitted" in ran.types
    sfn.send_task_success(taskToken=tokens[0], output='{"paid": true}')
    assert json.loads(sfn.describe_execution(executionArn=ran.arn)["output"]) == {"paid": True}


def test_the_connection_is_named_in_invocation_config_as_aws_documents_it(sfn, run):
    # AWS's "HTTP Task fields": InvocationConfig.ConnectionArn (Authentication is the older name).
    seen = []

    def handler(request):
        seen.append(request.connection_arn)
        return fakesfn.HttpResponse(200, {})

    sfn.backend.register_http(handler, endpoint="")
    definition = http_task()
    parameters = definition["States"]["Call"]["Parameters"]
    parameters["InvocationConfig"] = parameters.pop("Authentication")
    ran = run(definition)
    assert ran.status == "SUCCEEDED"
    assert seen == [CONNECTION]
