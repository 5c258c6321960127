"""AWS's JSONata functions, run inside states through the client API.

AWS ("Transforming data with JSONata in Step Functions"): "All built-in JSONata
functions and operators in the 2.0.6 specification are supported, with one
exception: $eval is not available—use $parse instead", plus ``$partition``,
``$range``, ``$hash``, ``$random``, ``$uuid`` and ``$parse``. Here the random ones
draw from the backend's seed (same seed, same values), and ``$now()``/``$millis()``
read the virtual clock. A failing function is a ``States.QueryEvaluationError``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest

import fakesfn
from tests.conftest import run_definition

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def evaluates(run, expression, input_value=None):
    """The output of a JSONata Pass state whose Output is ``expression``."""
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Eval",
        "States": {"Eval": {"Type": "Pass", "Output": {"v": "{% " + expression + " %}"}, "End": True}},
    }
    ran = run(definition, {} if input_value is None else input_value)
    assert ran.status == "SUCCEEDED", ran.describe
    return ran.output["v"]


def fails(run, expression, input_value=None):
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Eval",
        "States": {"Eval": {"Type": "Pass", "Output": {"v": "{% " + expression + " %}"}, "End": True}},
    }
    ran = run(definition, {} if input_value is None else input_value)
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "States.QueryEvaluationError"
    return ran


def test_partition_splits_an_array_into_chunks(run):
    assert evaluates(run, "$partition($states.input.xs, 2)", {"xs": [1, 2, 3, 4, 5]}) == [[1, 2], [3, 4], [5]]


def test_range_counts_by_a_step(run):
    assert evaluates(run, "$range(0, 10, 3)") == [0, 3, 6, 9]
    assert evaluates(run, "$range(5, 1, -2)") == [5, 3, 1]


@pytest.mark.parametrize(("algorithm", "name"), [("MD5", "md5"), ("SHA-1", "sha1"), ("SHA-256", "sha256")])
def test_hash_is_the_hex_digest(run, algorithm, name):
    text = "grüße"
    expected = hashlib.new(name, text.encode()).hexdigest()
    assert evaluates(run, f"$hash($states.input.t, '{algorithm}')", {"t": text}) == expected


def test_an_unknown_hash_algorithm_fails_the_state(run):
    ran = fails(run, "$hash('x', 'SHA-3')")
    assert ran.describe["cause"].endswith(
        "threw an error during evaluation. D3137: Hash algorithm 'SHA-3' must be one of "
        "SHA-1, SHA-384, SHA-256, SHA-512, MD5"
    )


def test_parse_reads_json_text_and_its_result_is_navigable(run):
    assert evaluates(run, "$parse($states.input.text).items[1]", {"text": '{"items": ["a", "b"]}'}) == "b"


def test_parse_of_text_that_is_not_json_fails(run):
    assert fails(run, "$parse('{oops')").describe["cause"].endswith("D3137: Invalid JSON")


def test_eval_is_not_available(run):
    ran = fails(run, "$eval('1 + 1')")
    assert ran.describe["cause"] == (
        "An error occurred while executing the state 'Eval' (entered at the event id #2). The JSONata "
        "expression '$eval('1 + 1')' specified for the field 'Output/v' threw an error during evaluation. "
        "T1006: Attempted to invoke a non-function"
    )


def test_a_seeded_random_is_the_same_in_every_execution_and_every_backend(run):
    first = evaluates(run, "$random(42)")
    assert evaluates(run, "$random(42)") == first
    other = fakesfn.FakeSFNClient(seed=999)
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "E",
        "States": {"E": {"Type": "Pass", "Output": "{% $random(42) %}", "End": True}},
    }
    assert run_definition(other, definition, {}).output == first
    assert 0 <= first < 1
    assert evaluates(run, "$random(43)") != first


def draws(seed):
    client = fakesfn.FakeSFNClient(seed=seed)
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "E",
        "States": {
            "E": {
                "Type": "Pass",
                "Output": ["{% $random() %}", "{% $random() %}", "{% $uuid() %}"],
                "End": True,
            }
        },
    }
    return run_definition(client, definition, {}).output


def test_unseeded_random_and_uuid_follow_the_backend_seed():
    first = draws(7)
    assert draws(7) == first
    assert draws(8) != first
    low, high, uuid = first
    assert 0 <= low < 1
    assert 0 <= high < 1
    assert low != high
    assert UUID4.match(uuid)


def test_each_uuid_call_is_a_new_v4_uuid(run):
    values = evaluates(run, "[$uuid(), $uuid(), $uuid()]")
    assert len(set(values)) == 3
    assert all(UUID4.match(value) for value in values)


def test_now_and_millis_read_the_virtual_clock_at_state_entry(run, sfn_backend):
    start = sfn_backend.clock.now()
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Hold",
        "States": {
            "Hold": {"Type": "Wait", "Seconds": 3600, "Next": "Read"},
            "Read": {
                "Type": "Pass",
                "Output": {"now": "{% $now() %}", "millis": "{% $millis() %}"},
                "End": True,
            },
        },
    }
    ran = run(definition, {})
    later = start + dt.timedelta(hours=1)
    assert ran.output == {
        "now": later.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "millis": int(later.timestamp() * 1000),
    }


def test_built_in_jsonata_functions_work_on_state_data(run):
    input_value = {"people": [{"name": "ann", "age": 31}, {"name": "bob", "age": 25}]}
    expression = (
        "$join($map($sort($states.input.people, function($l, $r){$l.age > $r.age}), "
        "function($p){$uppercase($p.name)}), ',')"
    )
    assert evaluates(run, expression, input_value) == "BOB,ANN"


def test_a_jsonata_error_names_its_code_and_jsonata_js_message(run):
    ran = fails(run, "$number($states.input.v)", {"v": "12 apples"})
    assert ran.describe["cause"].endswith(
        'threw an error during evaluation. D3030: Unable to cast value to a number: "12 apples"'
    )


@pytest.mark.parametrize(("text", "number"), [("42", 42), ("-1.5e1", -15), ("0x1F", 31), ("0b101", 5)])
def test_number_casts_the_literals_jsonata_js_accepts(run, text, number):
    assert evaluates(run, "$number($states.input.t)", {"t": text}) == number


@pytest.mark.parametrize("text", ["inf", " 7", "1_000", "nan"])
def test_number_refuses_what_python_would_read_but_jsonata_js_does_not(run, text):
    assert "D3030" in fails(run, "$number($states.input.t)", {"t": text}).describe["cause"]


def test_an_undefined_result_is_returned_nothing(run):
    ran = fails(run, "$states.input.missing")
    assert ran.describe["cause"].endswith(
        "The JSONata expression '$states.input.missing' specified for the field 'Output/v' returned nothing "
        "(undefined)."
    )


def test_a_function_value_is_an_unsupported_result(run):
    ran = fails(run, "function($x){$x}")
    assert ran.describe["cause"].endswith(
        "specified for the field 'Output/v' returned an unsupported result type."
    )


def test_an_evaluation_failure_is_recorded_before_the_execution_fails(run):
    ran = fails(run, "$partition('not an array', 2)")
    assert ran.types == ["ExecutionStarted", "PassStateEntered", "EvaluationFailed", "ExecutionFailed"]
    failed = ran.events[2]
    assert failed["previousEventId"] == 0
    assert failed["evaluationFailedEventDetails"] == {
        "cause": ran.describe["cause"],
        "error": "States.QueryEvaluationError",
        "location": "Output/v",
        "state": "Eval",
    }
    assert ran.events[3]["previousEventId"] == failed["id"]
