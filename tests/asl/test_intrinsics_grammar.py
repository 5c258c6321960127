"""The intrinsic call grammar: what compiles, into what, and what is refused."""

from __future__ import annotations

import pytest

from fakesfn.asl.context import Env, Variables
from fakesfn.asl.intrinsics import MAX_CALLS, IntrinsicSyntaxError, compile_intrinsic, is_intrinsic
from fakesfn.asl.intrinsics.grammar import Call, Literal, PathArg


def array_of(text, value=None, **variables):
    env = Env(context={"Map": {"Item": {"Index": 4}}}, variables=Variables(local=variables))
    return compile_intrinsic(f"States.Array({text})").evaluate(value or {}, env)


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("'plain'", "plain"),
        ("''", ""),
        (r"'it\'s'", "it's"),
        (r"'\{\}'", "{}"),
        (r"'back\\slash'", "back\\slash"),
        ("'{not a placeholder outside Format}'", "{not a placeholder outside Format}"),
        ("'commas, (parens) and $dollars'", "commas, (parens) and $dollars"),
        ("'\"double\" quotes'", '"double" quotes'),
        ("'line\nbreak'", "line\nbreak"),
        ("0", 0),
        ("-17", -17),
        ("3.25", 3.25),
        ("-0.5", -0.5),
        ("2e3", 2000.0),
        ("1.5E-2", 0.015),
        ("true", True),
        ("false", False),
        ("null", None),
    ],
)
def test_literals(literal, value):
    result = array_of(literal)
    assert result == [value]
    assert type(result[0]) is type(value)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("$", {"a": {"b": [10, 20]}, "x y": 1}),
        ("$.a.b", [10, 20]),
        ("$.a.b[1]", 20),
        ("$['x y']", 1),
        ("$.a['b'][0]", 10),
        ("$$.Map.Item.Index", 4),
        ("$var", "variable"),
        ("$obj.inner", 7),
        ("$.a.b[*]", [10, 20]),
    ],
)
def test_path_arguments(path, value):
    data = {"a": {"b": [10, 20]}, "x y": 1}
    assert array_of(path, data, var="variable", obj={"inner": 7}) == [value]


def test_whitespace_is_allowed_between_tokens():
    call = compile_intrinsic("States.Format ( '{}{}' ,$.a ,  States.ArrayLength( $.b )  )")
    assert call.evaluate({"a": "x", "b": [1]}, Env()) == "x1"


def test_paths_with_commas_and_parens_inside_brackets():
    assert array_of("$['a,b'], $['c)d']", {"a,b": 1, "c)d": 2}) == [1, 2]


def test_compiled_tree_shape():
    intrinsic = compile_intrinsic("States.Format('{} {}', $.a, States.UUID())")
    assert intrinsic.function == "States.Format"
    call = intrinsic.call
    assert isinstance(call, Call)
    literal, path, inner = call.args
    assert isinstance(literal, Literal)
    assert isinstance(path, PathArg)
    assert path.path.text == "$.a"
    assert isinstance(inner, Call)
    assert inner.text == "States.UUID()"


def test_compiling_the_same_text_twice_reuses_the_compiled_call():
    assert compile_intrinsic("States.Array(1)") is compile_intrinsic("States.Array(1)")


@pytest.mark.parametrize(
    "text",
    [
        "States.Format('x')",
        "States.UUID()",
        "States.Array ()",
        "States.NotAFunction(1)",
        "States.format('{}', $.a)",
    ],
)
def test_is_intrinsic_recognises_calls(text):
    assert is_intrinsic(text)


@pytest.mark.parametrize("text", ["$.a", "States.Format", "Format('x')", " States.UUID()", "", 12, None])
def test_is_intrinsic_rejects_non_calls(text):
    assert not is_intrinsic(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("States.Nope(1)", "Unknown intrinsic function 'States.Nope'"),
        ("States.format('{}')", "Unknown intrinsic function 'States.format'"),
        ("States.Array(1", "expected ')'"),
        ("States.Array(1,)", "expected an argument"),
        ("States.Array(,1)", "expected an argument"),
        ("States.Array(1 2)", "expected ')'"),
        ("States.Array(1) extra", "unexpected 'extra' after the call"),
        ("States.Array('open)", "unterminated string literal"),
        ('States.Array("double")', "expected an argument"),
        ("States.Array(01)", "expected ')'"),
        ("States.Array(1.)", "expected ')'"),
        ("States.Array(+1)", "expected an argument"),
        ("States.Array(True)", "Unknown intrinsic function 'True'"),
        ("States.Array($.a[)", "Invalid path"),
        ("States.Array($$$)", "Invalid path"),
        ("States.UUID(1)", "The function States.UUID takes exactly 0 arguments, but 1 was given"),
        (
            "States.ArrayLength()",
            "The function States.ArrayLength takes exactly 1 argument, but 0 were given",
        ),
        ("States.Format()", "The function States.Format takes at least 1 argument, but 0 were given"),
        (
            "States.MathRandom(1)",
            "The function States.MathRandom takes between 2 and 3 arguments, but 1 was given",
        ),
        ("States.MathRandom(1, 2, 3, 4)", "takes between 2 and 3 arguments, but 4 were given"),
        ("States.JsonMerge($.a, $.b)", "takes exactly 3 arguments, but 2 were given"),
    ],
)
def test_syntax_errors(text, message):
    with pytest.raises(IntrinsicSyntaxError) as info:
        compile_intrinsic(text)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_nesting_limit_counts_every_call_in_the_field():
    ten = "States.Array(" + ", ".join(["States.UUID()"] * (MAX_CALLS - 1)) + ")"
    assert compile_intrinsic(ten).call.spec.name == "States.Array"
    eleven = "States.Array(" + ", ".join(["States.UUID()"] * MAX_CALLS) + ")"
    with pytest.raises(IntrinsicSyntaxError, match="At most 10 intrinsic functions"):
        compile_intrinsic(eleven)


@pytest.mark.parametrize("depth", [11, 1000, 100_000])
def test_calls_nested_past_the_limit_are_refused_without_recursing_past_it(depth):
    # Issue 16 item 5: the count was checked after a descent as deep as the text.
    text = "States.JsonToString(" * depth + "$.a" + ")" * depth
    with pytest.raises(IntrinsicSyntaxError, match="At most 10 intrinsic functions"):
        compile_intrinsic(text)


@pytest.mark.parametrize("literal", ["1e400", "-1.5e999"])
def test_a_number_literal_beyond_a_double_is_refused(literal):
    with pytest.raises(IntrinsicSyntaxError, match="out of range"):
        compile_intrinsic(f"States.Array({literal})")


def test_deeply_nested_calls_evaluate_inside_out():
    middle = "States.ArrayGetItem(States.StringSplit($.arn, '/'), 1)"
    text = (
        "States.Format('{}.{}', "
        f"States.ArrayGetItem(States.StringSplit({middle}, '.'), 0), "
        f"States.ArrayGetItem(States.StringSplit({middle}, '.'), 2))"
    )
    assert compile_intrinsic(text).evaluate({"arn": "recipe/alpha.beta.gamma/7"}, Env()) == "alpha.gamma"


def test_evaluation_never_parses_again(monkeypatch):
    import fakesfn.asl.intrinsics.grammar as grammar

    call = compile_intrinsic("States.Format('{} {}', $.a, States.JsonToString($$.Map))")

    def refuse(*_args, **_kwargs):
        raise AssertionError("parsed during evaluation")

    monkeypatch.setattr(grammar, "_Parser", refuse)
    monkeypatch.setattr(grammar, "compile_path", refuse)
    env = Env(context={"Map": {"Item": {"Index": 4}}})
    assert call.evaluate({"a": "map"}, env) == 'map {"Item":{"Index":4}}'
