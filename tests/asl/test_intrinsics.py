"""Behaviour of every intrinsic function: results, argument errors, edge cases."""

from __future__ import annotations

import re

import pytest

from fakesfn.asl.context import Env, Variables
from fakesfn.asl.errors import StateFieldError
from fakesfn.asl.intrinsics import (
    FUNCTIONS,
    IntrinsicFailure,
    IntrinsicPathNotFound,
    IntrinsicSyntaxError,
    compile_intrinsic,
)
from fakesfn.random import SeededRandom


def make_env(seed: int = 11, **variables):
    context = {"Execution": {"Id": "arn:exec:1", "Input": {"who": "ctx"}}, "State": {"Name": "S"}}
    return Env(context=context, variables=Variables(local=dict(variables)), random=SeededRandom(seed))


def run(text, value=None, env=None):
    return compile_intrinsic(text).evaluate({} if value is None else value, env or make_env())


def failure(text, value=None, env=None) -> str:
    with pytest.raises(IntrinsicFailure) as info:
        run(text, value, env)
    assert info.value.error == "States.IntrinsicFailure"
    return info.value.reason


# --- the registry ---------------------------------------------------------------------------------


def test_registry_has_every_documented_function():
    assert set(FUNCTIONS) == {
        "States.Format",
        "States.StringToJson",
        "States.JsonToString",
        "States.Array",
        "States.ArrayPartition",
        "States.ArrayContains",
        "States.ArrayRange",
        "States.ArrayGetItem",
        "States.ArrayLength",
        "States.ArrayUnique",
        "States.Base64Encode",
        "States.Base64Decode",
        "States.Hash",
        "States.JsonMerge",
        "States.MathRandom",
        "States.MathAdd",
        "States.StringSplit",
        "States.UUID",
    }
    assert all(spec.summary for spec in FUNCTIONS.values())


# --- States.Format ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        ("plain text", "plain text"),
        ("", ""),
        (None, "null"),
        (True, "true"),
        (-42, "-42"),
        (2.25, "2.25"),
        (7.0, "7.0"),
        (3.0e21, "3.0E21"),
        (0.0001, "1.0E-4"),
        ({"k": "v", "n": [1, "two", None], "o": {}}, "{k=v, n=[1, two, null], o={}}"),
        ([[], {"x": False}], "[[], {x=false}]"),
        ('{"already": "json"}', '{"already": "json"}'),
    ],
)
def test_format_renders_values_the_way_aws_does(value, rendered):
    assert run("States.Format('<{}>', $.v)", {"v": value}) == f"<{rendered}>"


def test_format_with_several_arguments_of_every_kind():
    result = run(
        "States.Format('{}-{}-{}-{}', 'lit', 12, $.flag, States.ArrayLength($.list))",
        {"flag": False, "list": [0, 0]},
    )
    assert result == "lit-12-false-2"


def test_format_escaped_braces_and_quotes_are_not_placeholders():
    assert run(r"States.Format('\{\} {} it\'s \\ done', $.x)", {"x": 5}) == r"{} 5 it's \ done"


def test_format_template_from_a_path_and_a_variable():
    env = make_env(greeting="Hi {}, you are {}")
    assert (
        run("States.Format($greeting, $.name, $.age)", {"name": "Ada", "age": 36}, env)
        == "Hi Ada, you are 36"
    )
    assert run("States.Format($.t)", {"t": "no placeholders"}) == "no placeholders"


def test_format_reads_the_context_object():
    assert run("States.Format('{} in {}', $$.Execution.Id, $$.State.Name)") == "arn:exec:1 in S"


def test_format_placeholder_count_must_match():
    assert "2 '{}' placeholder(s), but 1 value argument(s)" in failure("States.Format('{} {}', 1)")
    assert "0 '{}' placeholder(s), but 1 value" in failure("States.Format('none', 1)")


def test_format_template_must_be_a_string():
    reason = failure("States.Format($.t, 1)", {"t": ["{}"]})
    assert reason == "The first argument (template) must be a string, but was array"


# --- JSON manipulation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ('{"a": [1, 2.5, "x"], "b": null}', {"a": [1, 2.5, "x"], "b": None}),
        ("[]", []),
        ("17", 17),
        ("-0", 0),
        ("1e3", 1000.0),
        ("false", False),
        ('"quoted"', "quoted"),
        ("\t \n", None),
        ("", None),
    ],
)
def test_string_to_json(text, parsed):
    result = run("States.StringToJson($.s)", {"s": text})
    assert result == parsed
    assert type(result) is type(parsed)


@pytest.mark.parametrize(
    "text",
    # Issue 16 item 7: 1e400 became Infinity, which no output can hold.
    ["{", "[1,]", "NaN", "Infinity", "{'single': 1}", "1 2", "1e400", '{"a": [-1e999]}'],
)
def test_string_to_json_refuses_invalid_json(text):
    assert failure("States.StringToJson($.s)", {"s": text}).startswith("The input string is not valid JSON")


def test_string_to_json_refuses_non_strings():
    assert failure("States.StringToJson($.s)", {"s": {"a": 1}}) == (
        "The first argument (escaped JSON string) must be a string, but was object"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"b": [1, {"c": None}], "a": "é"}, '{"b":[1,{"c":null}],"a":"é"}'),
        ("line\nbreak\u0007", '"line\\nbreak\\u0007"'),
        ('q"uote\\', '"q\\"uote\\\\"'),
        (0.5, "0.5"),
        (1e22, "1.0E22"),
        (None, "null"),
        ([], "[]"),
    ],
)
def test_json_to_string_is_compact_jackson_json(value, text):
    assert run("States.JsonToString($.v)", {"v": value}) == text


def test_json_merge_is_shallow_and_second_wins():
    value = {"one": {"k": {"deep": 1}, "keep": True}, "two": {"k": {"other": 2}, "new": []}}
    merged = run("States.JsonMerge($.one, $.two, false)", value)
    assert merged == {"k": {"other": 2}, "keep": True, "new": []}
    assert list(merged) == ["k", "keep", "new"]
    assert value["one"] == {"k": {"deep": 1}, "keep": True}


def test_json_merge_refuses_deep_merge_and_non_objects():
    assert "Deep merging is not supported" in failure("States.JsonMerge($.a, $.a, true)", {"a": {}})
    assert failure("States.JsonMerge($.a, $.b, false)", {"a": {}, "b": [1]}) == (
        "The second argument (second object) must be a JSON object, but was array"
    )
    assert failure("States.JsonMerge($.a, $.a, 'false')", {"a": {}}) == (
        "The third argument (deep merge) must be a boolean, but was string"
    )


# --- arrays -----------------------------------------------------------------------------------------


def test_array_collects_arguments_in_order():
    assert run("States.Array()") == []
    assert run("States.Array('a', -1.5, null, true, $.o, $$.State.Name)", {"o": {"x": 1}}) == [
        "a",
        -1.5,
        None,
        True,
        {"x": 1},
        "S",
    ]


@pytest.mark.parametrize(
    ("items", "size", "chunks"),
    [
        ([1, 2, 3, 4, 5, 6, 7], 3, [[1, 2, 3], [4, 5, 6], [7]]),
        (["a", "b"], 1, [["a"], ["b"]]),
        (["a", "b"], 10, [["a", "b"]]),
        ([], 4, []),
        ([1, 2, 3, 4], 2.0, [[1, 2], [3, 4]]),
    ],
)
def test_array_partition(items, size, chunks):
    assert run("States.ArrayPartition($.items, $.size)", {"items": items, "size": size}) == chunks


@pytest.mark.parametrize(
    ("size", "reason"),
    [
        (0, "The chunk size must be a non-zero, positive integer, but was 0"),
        (-2, "The chunk size must be a non-zero, positive integer, but was -2"),
        (1.5, "The second argument (chunk size) must be an integer, but was number"),
        ("2", "The second argument (chunk size) must be an integer, but was string"),
    ],
)
def test_array_partition_chunk_size_errors(size, reason):
    assert failure("States.ArrayPartition($.items, $.size)", {"items": [1], "size": size}) == reason


def test_array_partition_needs_an_array():
    assert failure("States.ArrayPartition($.items, 2)", {"items": "abc"}) == (
        "The first argument (array) must be an array, but was string"
    )


@pytest.mark.parametrize(
    ("items", "wanted", "found"),
    [
        ([1, "x", None], None, True),
        ([{"a": 1, "b": [2]}], {"b": [2], "a": 1}, True),
        ([[1, 2]], [2, 1], False),
        ([1], 1.0, False),
        ([1], True, False),
        ([0], False, False),
        ([], [], False),
        (["1"], 1, False),
    ],
)
def test_array_contains_uses_json_equality(items, wanted, found):
    assert run("States.ArrayContains($.items, $.wanted)", {"items": items, "wanted": wanted}) is found


@pytest.mark.parametrize(
    ("first", "last", "step", "expected"),
    [
        (1, 9, 2, [1, 3, 5, 7, 9]),
        (0, 10, 4, [0, 4, 8]),
        (5, 5, 3, [5]),
        (10, 1, -3, [10, 7, 4, 1]),
        (1, 10, -1, []),
        (-3, 0, 1, [-3, -2, -1, 0]),
    ],
)
def test_array_range(first, last, step, expected):
    assert run(f"States.ArrayRange({first}, {last}, {step})") == expected


def test_array_range_limits():
    assert len(run("States.ArrayRange(1, 1000, 1)")) == 1000
    assert failure("States.ArrayRange(0, 1000, 1)") == (
        "The array can't contain more than 1000 items, but would contain 1001"
    )
    assert failure("States.ArrayRange(0, 10, 0)") == "The step must be a non-zero value"
    assert failure("States.ArrayRange(0, 10.5, 1)") == (
        "The second argument (last element) must be an integer, but was number"
    )


def test_array_get_item():
    value = {"items": ["zero", {"one": 1}, [2]]}
    assert run("States.ArrayGetItem($.items, 1)", value) == {"one": 1}
    assert run("States.ArrayGetItem($.items, 2.0)", value) == [2]
    assert (
        failure("States.ArrayGetItem($.items, 3)", value)
        == "The index 3 is out of bounds for an array of length 3"
    )
    assert failure("States.ArrayGetItem($.items, -1)", value) == (
        "The index -1 is out of bounds for an array of length 3"
    )
    assert failure("States.ArrayGetItem($.items, 'x')", value) == (
        "The second argument (index) must be an integer, but was string"
    )


def test_array_length():
    assert run("States.ArrayLength($.a)", {"a": [None, None, [1, 2]]}) == 3
    assert run("States.ArrayLength(States.Array())") == 0
    assert failure("States.ArrayLength($.a)", {"a": {"k": 1}}) == (
        "The first argument (array) must be an array, but was object"
    )


def test_array_unique_keeps_first_occurrences_in_order():
    items = [3, "3", 3, 3.0, True, 1, {"a": 1, "b": 2}, {"b": 2, "a": 1}, [1], [1], None, None, "3"]
    assert run("States.ArrayUnique($.i)", {"i": items}) == [3, "3", 3.0, True, 1, {"a": 1, "b": 2}, [1], None]


# --- encoding and hashing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plain", "encoded"),
    [("", ""), ("fake sfn!", "ZmFrZSBzZm4h"), ("ünï ✓", "w7xuw68g4pyT"), ("ab", "YWI=")],
)
def test_base64_encode_and_decode(plain, encoded):
    assert run("States.Base64Encode($.v)", {"v": plain}) == encoded
    assert run("States.Base64Decode($.v)", {"v": encoded}) == plain


def test_base64_decode_accepts_missing_padding_and_line_breaks():
    assert run("States.Base64Decode('YWI')") == "ab"
    assert run("States.Base64Decode($.v)", {"v": "ZmFr\r\nZSBz\nZm4h"}) == "fake sfn!"


@pytest.mark.parametrize("text", ["not base64!", "YWJjZ", "@@@@"])
def test_base64_decode_refuses_invalid_data(text):
    assert (
        failure("States.Base64Decode($.v)", {"v": text})
        == "The input string is not valid Base64 encoded data"
    )


@pytest.mark.parametrize("function", ["States.Base64Encode", "States.Base64Decode"])
def test_base64_input_limit_is_ten_thousand_characters(function):
    assert run(f"{function}($.v)", {"v": "QUFB" * 2500}) is not None
    reason = failure(f"{function}($.v)", {"v": "QUFB" * 2500 + "x"})
    assert reason.endswith("can't exceed 10,000 characters, but has 10,001")


def test_base64_limit_counts_java_chars():
    # An emoji is two UTF-16 code units, as Java counts string length.
    assert "but has 10,000" not in failure("States.Base64Encode($.v)", {"v": "\U0001f600" * 5001})


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [
        ("MD5", "c116a18e99ed3eee7ec985350b61ffee"),
        ("SHA-1", "b5752d8ca83b0595f49e03195ba87376d2330c37"),
        ("SHA-256", "8e2bff6c3843b986a695d3d999201eb1e208a551a1012746ee5cb2d5f748ca88"),
        (
            "SHA-384",
            "bf82ec986b1c5a08f4c9788db59d8b87fb46bdada96bb88ff1aa21d9bbaeb465d5f33b79b331ea1d33755d3d8e4cc0fc",
        ),
        (
            "SHA-512",
            "2b582932e9e34728a33959885f73f5ccc59036ca4821176f5fdb6c8360a2ed76"
            "565915de3eaef2b6f9ddb802448369d3d0841f8b2ed832d52f3d3fe3eeb20de1",
        ),
    ],
)
def test_hash(algorithm, digest):
    assert run("States.Hash($.data, $.alg)", {"data": "fake sfn", "alg": algorithm}) == digest


def test_hash_errors():
    assert failure("States.Hash('x', 'sha-256')") == (
        "The hashing algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, but was 'sha-256'"
    )
    assert failure("States.Hash($.d, 'MD5')", {"d": 12}) == (
        "The first argument (input data) must be a string, but was number"
    )
    assert "can't exceed 10,000 characters" in failure("States.Hash($.d, 'MD5')", {"d": "z" * 10_001})


# --- math -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "total"),
    [
        (40, 2, 42),
        (-7, -8, -15),
        (0.5, 0, 1),
        (2.5, 0, 3),
        (-2.5, 0, -2),
        (-0.5, -0.5, 0),
        (1.4999, 1.5001, 3),
        (10.0, 0, 10),
    ],
)
def test_math_add_rounds_like_java(a, b, total):
    result = run("States.MathAdd($.a, $.b)", {"a": a, "b": b})
    assert result == total
    assert type(result) is int


def test_math_add_literals_and_errors():
    assert run("States.MathAdd(-1, States.ArrayLength($.x))", {"x": [1, 2]}) == 1
    assert (
        failure("States.MathAdd('1', 2)")
        == "The first argument (first number) must be a number, but was string"
    )
    assert failure("States.MathAdd(1, $.n)", {"n": None}) == (
        "The second argument (second number) must be a number, but was null"
    )


@pytest.mark.parametrize(
    ("start", "end", "seed", "expected"),
    [(0, 10, 42, 0), (5, 105, 7, 41), (-500, 500, -3, -336), (0, 64, 12345, 23), (4.6, 105.2, 7.4, 41)],
)
def test_math_random_with_a_seed_matches_java_util_random(start, end, seed, expected):
    assert run("States.MathRandom($.s, $.e, $.seed)", {"s": start, "e": end, "seed": seed}) == expected


def test_math_random_without_a_seed_draws_from_the_env():
    first = [run("States.MathRandom(1, 7)", env=make_env(seed=3)) for _ in range(3)]
    env = make_env(seed=3)
    draws = [run("States.MathRandom(1, 7)", env=env) for _ in range(200)]
    assert set(draws) == {1, 2, 3, 4, 5, 6}
    assert draws[0] == first[0] == first[1]


def test_math_random_errors():
    assert (
        failure("States.MathRandom(5, 5)") == "The end number (5) must be greater than the start number (5)"
    )
    assert (
        failure("States.MathRandom(1, 'x')")
        == "The second argument (end number) must be a number, but was string"
    )
    assert (
        failure("States.MathRandom(1, 5, null)") == "The third argument (seed) must be a number, but was null"
    )


def test_math_random_with_a_seed_and_a_range_beyond_an_int_fails_instead_of_hanging():
    # Issue 16 item 2: java.util.Random's nextInt loop never ended for a bound past 2^31.
    assert failure("States.MathRandom(0, 9999999999999, 5)") == (
        "The end number must be an integer in the range of -2147483648 and 2147483647, but was 9999999999999"
    )
    assert failure("States.MathRandom(-2147483648, 2147483647, 5)") == (
        "The range from the start number (-2147483648) to the end number (2147483647) "
        "must not exceed 2147483647"
    )
    assert 0 <= run("States.MathRandom(0, 2147483647, 5)") < 2**31 - 1
    assert failure("States.MathRandom(1, 3, 1e30)").startswith("The seed must be an integer in the range of")


@pytest.mark.parametrize("call", ["States.MathAdd(2147483648, 0)", "States.MathAdd(0, -2147483649)"])
def test_math_add_refuses_numbers_beyond_a_java_int_as_aws_documents(call):
    # AWS: "You must specify integer values in the range of -2147483648 and 2147483647."
    assert "must be an integer in the range of -2147483648 and 2147483647" in failure(call)


def test_math_add_of_a_number_with_hundreds_of_digits_names_its_size_not_its_digits():
    assert failure("States.MathAdd($.n, 1)", {"n": 10**400}).endswith("but was a number of 401 digits")


# --- strings and ids ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "splitter", "parts"),
    [
        ("a,b,,c,", ",", ["a", "b", "c"]),
        ("k1=v1;k2=v2", "=;", ["k1", "v1", "k2", "v2"]),
        ("no delimiter here", "|", ["no delimiter here"]),
        ("", ",", []),
        (",,,", ",", []),
        ("whole", "", ["whole"]),
        ("multi\nline text", "\n ", ["multi", "line", "text"]),
    ],
)
def test_string_split(text, splitter, parts):
    assert run("States.StringSplit($.t, $.s)", {"t": text, "s": splitter}) == parts


def test_string_split_errors():
    assert failure("States.StringSplit($.t, ',')", {"t": 3}) == (
        "The first argument (input string) must be a string, but was number"
    )
    assert failure("States.StringSplit('a', $.s)", {"s": [","]}) == (
        "The second argument (splitter) must be a string, but was array"
    )


def test_uuid_is_a_v4_uuid_from_the_seeded_source():
    one = run("States.UUID()", env=make_env(seed=5))
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", one)
    assert run("States.UUID()", env=make_env(seed=5)) == one
    env = make_env(seed=5)
    assert run("States.UUID()", env=env) != run("States.UUID()", env=env)


# --- failures as the engine sees them -------------------------------------------------------------


def test_intrinsic_failure_is_a_state_field_error_the_engine_can_prefix():
    with pytest.raises(StateFieldError) as info:
        run("States.ArrayLength($.a)", {"a": 1})
    error = info.value.for_state("Pass", 2)
    assert error.error == "States.IntrinsicFailure"
    assert error.cause == (
        "An error occurred while executing the state 'Pass' (entered at the event id #2). "
        "The intrinsic function 'States.ArrayLength($.a)' failed: "
        "The first argument (array) must be an array, but was number"
    )


def test_nested_failure_names_the_inner_call():
    with pytest.raises(IntrinsicFailure) as info:
        run("States.Format('{}', States.ArrayGetItem($.a, 9))", {"a": []})
    assert "'States.ArrayGetItem($.a, 9)' failed" in info.value.detail


def test_a_path_that_selects_nothing_is_a_runtime_error():
    with pytest.raises(IntrinsicPathNotFound) as info:
        run("States.Format('{}', $.missing.deeper)", {"present": 1.5})
    assert info.value.error == "States.Runtime"
    assert info.value.path.text == "$.missing.deeper"
    assert info.value.input == {"present": 1.5}
    assert info.value.detail == (
        "The JSONPath '$.missing.deeper' specified for the intrinsic function "
        "'States.Format('{}', $.missing.deeper)' could not be found in the input '{\"present\":1.5}'"
    )


def test_missing_variables_and_context_fields_are_not_found_either():
    with pytest.raises(IntrinsicPathNotFound):
        run("States.Array($nope)")
    with pytest.raises(IntrinsicPathNotFound):
        run("States.Array($$.Execution.Nope)")


def test_a_path_to_null_is_found():
    assert run("States.Array($.n)", {"n": None}) == [None]


@pytest.mark.parametrize("literal", [r"'bad \n escape'", r"'An \"quoted\" word'", "'ends with \\"])
def test_an_open_escape_is_refused_when_compiled(literal):
    # AWS refuses the definition (recorded: LocalStack's test_illegal_escapes, 2025-02-02).
    with pytest.raises(IntrinsicSyntaxError):
        compile_intrinsic(f"States.Format({literal})")


def test_uuid_and_math_random_need_a_random_source():
    with pytest.raises(TypeError):
        compile_intrinsic("States.UUID()").evaluate({}, Env())
    with pytest.raises(TypeError):
        compile_intrinsic("States.MathRandom(1, 2)").evaluate({}, Env())


def test_lone_surrogates_encode_as_question_marks_like_java():
    assert run("States.Base64Encode($.v)", {"v": "a\ud800"}) == "YT8="
    assert run("States.Hash($.v, 'MD5')", {"v": "a\ud800"}) == run("States.Hash('a?', 'MD5')")
