"""The JSONata adapter: detection, compilation, bindings, results and AWS's error wording."""

from __future__ import annotations

import pytest

from fakesfn.asl.context import Env, Variables
from fakesfn.asl.errors import StateFieldError
from fakesfn.asl.jsonata import (
    Expression,
    JsonataSyntaxError,
    compile_expression,
    compile_template,
    is_expression,
)
from fakesfn.asl.jsonata import budget as budget_module
from fakesfn.random import SeededRandom

QUERY_ERROR = "States.QueryEvaluationError"


def make_env(seed: int = 3, outer: dict | None = None, **variables) -> Env:
    parent = Variables(local=dict(outer)) if outer is not None else None
    return Env(variables=Variables(parent, dict(variables)), random=SeededRandom(seed))


def states_for(value=None, **extra) -> dict:
    states = {
        "input": value,
        "context": {"State": {"Name": "Shape", "EnteredTime": "2030-02-03T04:05:06.789Z"}},
    }
    states.update(extra)
    return states


def run(text: str, value=None, env: Env | None = None, field: str = "Output", **extra):
    return compile_expression(text).evaluate(states_for(value, **extra), env or make_env(), field)


def failure(text: str, value=None, env: Env | None = None, field: str = "Output", **extra) -> str:
    with pytest.raises(StateFieldError) as info:
        run(text, value, env, field, **extra)
    assert info.value.error == QUERY_ERROR
    return info.value.detail


# detection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{% $states.input %}", True),
        ("{%$x%}", True),
        ("{%\n  1 + 2\n%}", True),
        (" {% $x %}", False),
        ("{% $x %} ", False),
        ("{% $x", False),
        ("$x %}", False),
        ("{%}", False),
        ("{ % 1 % }", False),
        ("$states.input", False),
        (42, False),
        (None, False),
        (["{% 1 %}"], False),
    ],
)
def test_an_expression_is_a_string_wrapped_exactly_in_the_delimiters(value, expected):
    assert is_expression(value) is expected


# compilation ----------------------------------------------------------------------------


def test_the_source_is_the_trimmed_text_between_the_delimiters():
    expression = compile_expression("{%   $a  +  1 \n%}")
    assert isinstance(expression, Expression)
    assert expression.source == "$a  +  1"
    assert expression.text == "{%   $a  +  1 \n%}"


def test_compiling_the_same_text_twice_reuses_the_parse():
    assert compile_expression("{% $v * 3 %}") is compile_expression("{% $v * 3 %}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{% $v[0,1) %}", 'Expected "]", got ","'),
        ("{% 'never closed %}", "String literal must be terminated by a matching quote"),
        ("{% 2 * %}", "Unexpected end of expression"),
        ("{% {'k':} %}", 'The symbol "}" cannot be used as a unary operator'),
        ("{% ($v %}", 'Expected ")" before end of expression'),
        ("{%  %}", "Unexpected end of expression"),
    ],
)
def test_an_expression_that_does_not_parse_is_an_invalid_definition(text, message):
    with pytest.raises(JsonataSyntaxError) as info:
        compile_expression(text)
    assert info.value.code == "INVALID_JSONATA_EXPRESSION"
    assert info.value.message == message
    assert str(info.value) == message
    assert info.value.pointer == ""


def test_a_text_without_delimiters_is_refused():
    with pytest.raises(JsonataSyntaxError) as info:
        compile_expression("$states.input")
    assert info.value.code == "INVALID_JSONATA_EXPRESSION"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{% zip %}", "Reference to 'zip' at the top level is not supported."),
        ("{% code.part %}", "Reference to 'code' at the top level is not supported."),
        ("{% {'out': amount} %}", "Reference to 'amount' at the top level is not supported."),
        ("{% [1, total] %}", "Reference to 'total' at the top level is not supported."),
        ("{% flag ? 1 : 2 %}", "Reference to 'flag' at the top level is not supported."),
        ("{% $lookup(store, 'k') %}", "Reference to 'store' at the top level is not supported."),
        ("{% $map([1], function($i){ other }) %}", "Reference to 'other' at the top level is not supported."),
        ("{% $$ %}", "Reference to '$$' is not supported."),
        ("{% $$.deep %}", "Reference to '$$' is not supported."),
    ],
)
def test_reading_the_absent_context_item_is_unsupported(text, message):
    with pytest.raises(JsonataSyntaxError) as info:
        compile_expression(text)
    assert info.value.code == "UNSUPPORTED_JSONATA_EXPRESSION"
    assert info.value.message == message


@pytest.mark.parametrize(
    "text",
    [
        "{% $states.input.orders[total > 3].id %}",
        "{% $states.input.orders^(total).id %}",
        "{% $states.input.orders.{'id': id} %}",
        "{% $states.input.orders{id: total} %}",
        "{% $states.input ~> | orders | {'seen': true} | %}",
        "{% $states.input.orders.(id & '-' & total) %}",
        "{% ($n := 2; $n * $n) %}",
        "{% $map($states.input.orders, function($o){ $o.id }) %}",
        "{% [1, 2, 3][$ > 1] %}",
    ],
)
def test_names_relative_to_a_value_are_allowed(text):
    compile_expression(text)


def test_the_states_fields_an_expression_reads_are_recorded():
    expression = compile_expression("{% $states.result.Payload & $string($states.errorOutput) %}")
    assert expression.states_fields == frozenset({"result", "errorOutput"})
    assert compile_expression("{% $states %}").states_fields == frozenset({"*"})
    assert compile_expression("{% $count($v) %}").states_fields == frozenset()


# bindings -------------------------------------------------------------------------------


def test_states_input_and_context_are_bound():
    assert run("{% $states.input.amount * 2 %}", {"amount": 21}) == 42
    assert run("{% $states.context.State.Name %}") == "Shape"


def test_result_and_error_output_are_bound_when_the_engine_supplies_them():
    assert run("{% $states.result.ok %}", {}, result={"ok": True}) is True
    assert run("{% $states.errorOutput.Error %}", {}, errorOutput={"Error": "Boom"}) == "Boom"
    assert "returned nothing (undefined)" in failure("{% $states.result %}", {})


def test_every_variable_in_scope_is_bound_inner_scopes_shadowing_outer_ones():
    env = make_env(outer={"shared": "outer", "only_outer": 1}, shared="inner")
    assert run("{% [$shared, $only_outer] %}", env=env) == ["inner", 1]


def test_a_null_variable_is_null_not_undefined():
    env = make_env(nothing=None)
    assert run("{% $nothing %}", env=env) is None
    assert run("{% $exists($nothing) %}", env=env) is True
    assert run("{% $type($nothing) %}", env=env) == "null"


def test_nulls_inside_the_input_are_values():
    value = {"gone": None, "list": [1, None]}
    assert run("{% $states.input.gone %}", value) is None
    assert run("{% $exists($states.input.gone) %}", value) is True
    assert run("{% $states.input.list[1] %}", value) is None
    assert run("{% {'copy': $states.input.gone} %}", value) == {"copy": None}


def test_a_json_null_input_is_bound_as_null():
    assert run("{% $states.input %}", None) is None


def test_a_top_level_assignment_does_not_leak_into_the_next_evaluation():
    expression = compile_expression("{% ($kept := 5; $kept) %}")
    env = make_env()
    assert expression.evaluate(states_for(), env, "Output") == 5
    assert "returned nothing" in failure("{% $kept %}", env=env)


def test_the_input_is_returned_as_is_and_never_modified():
    value = {"items": [1, 2], "nested": {"a": 1.5}}
    assert run("{% $states.input %}", value) is value
    run("{% $states.input ~> | nested | {'a': 9} | %}", value)
    assert value == {"items": [1, 2], "nested": {"a": 1.5}}


# results --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{% 2.0 * 3 %}", 6),
        ("{% $states.input.whole %}", 4),
        ("{% $states.input.half %}", 0.5),
        ("{% -0.0 %}", 0),
        ("{% $sum([0.5, 1.5]) %}", 2),
        ("{% [1.0, {'x': 2.0}] %}", [1, {"x": 2}]),
        ("{% 1e300 %}", 1e300),
    ],
)
def test_integral_numbers_come_back_as_integers(text, expected):
    result = run(text, {"whole": 4.0, "half": 0.5})
    assert result == expected
    assert type(result) is type(expected)
    if isinstance(result, list):
        assert type(result[0]) is int
        assert type(result[1]["x"]) is int


def test_a_whole_number_past_1e21_stays_a_float_as_javascript_prints_it():
    assert type(run("{% $states.input * 10 %}", 1e21)) is float


def test_sequences_come_back_as_plain_lists():
    result = run("{% $states.input.orders.id %}", {"orders": [{"id": 1}, {"id": 2}]})
    assert result == [1, 2]
    assert type(result) is list


def test_a_singleton_sequence_collapses_as_jsonata_says():
    assert run("{% $states.input.orders.id %}", {"orders": [{"id": 1}]}) == 1
    assert run("{% $states.input.orders %}", {"orders": [{"id": 1}]}) == [{"id": 1}]


# evaluation errors ----------------------------------------------------------------------


def test_an_undefined_result_fails_with_returned_nothing():
    assert failure("{% $states.input.absent %}", {}, field="Items") == (
        "The JSONata expression '$states.input.absent' specified for the field 'Items' "
        "returned nothing (undefined)."
    )


def test_a_function_result_is_an_unsupported_result_type():
    assert failure("{% function($x){ $x } %}", field="Arguments/Handler") == (
        "The JSONata expression 'function($x){ $x }' specified for the field 'Arguments/Handler' "
        "returned an unsupported result type."
    )
    assert "unsupported result type" in failure("{% {'f': $uppercase} %}")


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("{% $nosuchfunction(1) %}", "T1006: Attempted to invoke a non-function"),
        ("{% $eval('1 + 1') %}", "T1006: Attempted to invoke a non-function"),
        ("{% $abs('seven') %}", 'T0410: Argument 1 of function "abs" does not match function signature'),
        ("{% $sum(['a', 'b']) %}", 'T0412: Argument 1 of function "sum" must be an array of "numbers"'),
        ("{% 3 - 'x' %}", 'T2002: The right side of the "-" operator must evaluate to a number'),
        ("{% 'x' * 3 %}", 'T2001: The left side of the "*" operator must evaluate to a number'),
        ("{% $error('custom failure') %}", "D3137: custom failure"),
        ("{% $assert(false, 'checked') %}", "D3141: checked"),
        (
            "{% $single([1, 2]) %}",
            "D3138: The $single() function expected exactly 1 matching result.  Instead it matched more.",
        ),
        ("{% 7 / 0 %}", "D1001: Number out of range: null"),
    ],
)
def test_a_jsonata_error_names_its_code_and_jsonata_js_message(text, detail):
    source = text[2:-2].strip()
    assert failure(text, field="Output/Total") == (
        f"The JSONata expression '{source}' specified for the field 'Output/Total' "
        f"threw an error during evaluation. {detail}"
    )


def test_runaway_recursion_fails_the_field_instead_of_hanging(monkeypatch):
    monkeypatch.setattr(budget_module, "MAX_STEPS", 2000)
    detail = failure("{% ($loop := function($n){ $loop($n + 1) }; $loop(0)) %}")
    assert detail.endswith(
        "threw an error during evaluation: Expression evaluation timeout: Check for infinite loop"
    )


def test_deep_recursion_is_awss_stack_overflow_error():
    # AWS (floci #2737): "... threw an error during evaluation: Stack overflow error: Check for
    # non-terminating recursive function. Consider rewriting as tail-recursive."
    detail = failure("{% ($deep := function($n){ $n = 0 ? 0 : 1 + $deep($n - 1) }; $deep(100000)) %}")
    assert detail.endswith(
        "threw an error during evaluation: Stack overflow error: Check for non-terminating recursive "
        "function. Consider rewriting as tail-recursive."
    )


@pytest.mark.parametrize(
    ("value", "expected", "actual", "shown"),
    [
        ("text", "array", "string", '"text"'),
        (True, "array", "boolean", "true"),
        (None, "array", "null", "null"),
        (12, "array", "number", "12"),
        ({"k": "v", "n": [1]}, "array", "object", '{"k":"v","n":[1]}'),
        ([1], "object", "array", "[1]"),
        (1.5, "integer", "number", "1.5"),
        ("café", "number", "string", '"café"'),
    ],
)
def test_evaluate_as_reports_an_unexpected_result_type(value, expected, actual, shown):
    env = make_env(held=value)
    with pytest.raises(StateFieldError) as info:
        compile_expression("{% $held %}").evaluate_as(states_for(), env, "Items", expected)
    assert info.value.error == QUERY_ERROR
    assert info.value.detail == (
        "The JSONata expression '$held' specified for the field 'Items' returned an unexpected result type. "
        f"Expected '{expected}', but was '{actual}' for value: {shown}"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([1, 2], "array"),
        ({}, "object"),
        ("s", "string"),
        (2.5, "number"),
        (3.0, "integer"),
        (False, "boolean"),
        (None, "null"),
        ("anything", "any"),
    ],
)
def test_evaluate_as_returns_a_value_of_the_expected_type(value, expected):
    result = compile_expression("{% $held %}").evaluate_as(states_for(), make_env(held=value), "F", expected)
    assert result == value


def test_the_engine_adds_the_state_prefix():
    with pytest.raises(StateFieldError) as info:
        run("{% $zzz() %}")
    error = info.value.for_state("Compute", 7)
    assert error.error == QUERY_ERROR
    assert error.cause.startswith(
        "An error occurred while executing the state 'Compute' (entered at the event id #7). "
    )


# templates ------------------------------------------------------------------------------


def test_a_template_evaluates_every_embedded_expression():
    template = compile_template(
        {
            "id": "{% $states.input.id %}",
            "pair": ["{% $states.input.id + 1 %}", "plain", {"deep": "{% $label %}"}],
            "literal": 3,
        }
    )
    assert not template.is_constant
    result = template.evaluate(states_for({"id": 9}), make_env(label="L"), "Arguments")
    assert result == {"id": 9, "pair": [10, "plain", {"deep": "L"}], "literal": 3}


def test_strings_that_are_not_expressions_and_keys_stay_literal():
    value = {"{% $k %}": " {% $k %} ", "path": "$.x", "vars": "$k", "intrinsic": "States.UUID()"}
    template = compile_template(value)
    assert template.is_constant
    assert template.evaluate(states_for(), make_env(k=1), "Output") == value


@pytest.mark.parametrize("value", [None, 0, 0.25, True, "text", [], {}, [None, {"a": []}]])
def test_a_constant_template_returns_its_value(value):
    template = compile_template(value)
    assert template.is_constant
    assert template.value == value
    assert template.evaluate(states_for(), make_env(), "Output") == value


def test_a_whole_field_expression_is_a_template_too():
    template = compile_template("{% $states.input %}")
    assert not template.is_constant
    assert template.evaluate(states_for([1]), make_env(), "Output") == [1]


def test_a_failing_expression_is_named_by_its_place_in_the_field():
    template = compile_template({"a": {"b": [0, "{% $states.input.none %}"]}})
    with pytest.raises(StateFieldError) as info:
        template.evaluate(states_for({}), make_env(), "Output")
    assert info.value.detail == (
        "The JSONata expression '$states.input.none' specified for the field 'Output/a/b[1]' "
        "returned nothing (undefined)."
    )
    top = compile_template(["{% $zzz() %}"])
    with pytest.raises(StateFieldError) as info:
        top.evaluate(states_for(), make_env(), "Items")
    assert "for the field 'Items[0]' threw" in info.value.detail


def test_a_template_syntax_error_carries_its_json_pointer():
    with pytest.raises(JsonataSyntaxError) as info:
        compile_template({"outer": {"a/b": [1, "{% $x[ %}"], "ok": 1}})
    assert info.value.code == "INVALID_JSONATA_EXPRESSION"
    assert info.value.pointer == "/outer/a~1b/1"
    with pytest.raises(JsonataSyntaxError) as info:
        compile_template({"t~x": "{% loose %}"})
    assert info.value.code == "UNSUPPORTED_JSONATA_EXPRESSION"
    assert info.value.pointer == "/t~0x"


def test_a_template_lists_its_expressions():
    template = compile_template({"a": "{% 1 %}", "b": ["{% 2 %}", {"c": "{% 3 %}"}], "d": "x"})
    assert [expression.source for expression in template.expressions] == ["1", "2", "3"]
