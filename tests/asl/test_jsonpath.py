"""fakesfn's own JSONPath evaluator: Jayway's answers on every Python and dependency version."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakesfn.asl.jsonpath import QuerySyntaxError, compile_query
from fakesfn.asl.paths import PathSyntaxError, compile_path

DOC = {
    "a": [{"b": 1, "c": "x"}, {"b": 3, "c": "y"}, {"b": 5}],
    "d": {"e": 1, "f": {"e": 2}},
    "g": [1, 2, 3, 4],
    "h": "str",
    "o": {},
}


def find(path: str, document: Any = DOC) -> Any:
    return compile_path(path).find(document)


@pytest.mark.parametrize(
    ("path", "document", "expected"),
    [
        # Wildcards: an object's member values, an array's elements, nothing from a scalar.
        ("$[*]", {}, []),
        ("$[*]", {"x": 1, "y": [2]}, [1, [2]]),
        ("$.*", [1, {"x": 1}], [1, {"x": 1}]),
        ("$.d[*]", DOC, [1, {"e": 2}]),
        ("$.h[*]", DOC, []),
        ("$.o[*]", DOC, []),
        ("$.a[*].b", DOC, [1, 3, 5]),
        ("$.a[*].c", DOC, ["x", "y"]),
        # Indexes, unions and slices select from arrays only.
        ("$.g[-1]", DOC, 4),
        ("$.g[0,2]", DOC, [1, 3]),
        ("$.g[7,0]", DOC, [1]),
        ("$.g[1:]", DOC, [2, 3, 4]),
        ("$.g[:-1]", DOC, [1, 2, 3]),
        ("$.g[-2:]", DOC, [3, 4]),
        ("$.g[::2]", DOC, [1, 3]),
        ("$.g[ 0 : 2 ]", DOC, [1, 2]),
        ("$.d[0:1]", DOC, []),
        ("$.h[0:1]", DOC, []),
        ("$['d','h']", DOC, [{"e": 1, "f": {"e": 2}}, "str"]),
        # Deep scan: the node first, then each child's subtree (Jayway's order).
        ("$..e", DOC, [1, 2]),
        ("$..b", DOC, [1, 3, 5]),
        ("$..[0]", {"a": [1, [2, 3]]}, [1, 2]),
        ("$..*", {"a": [1, {"b": 2}], "c": 3}, [[1, {"b": 2}], 3, 1, {"b": 2}, 2]),
        ("$.d..*", DOC, [1, {"e": 2}, 2]),
    ],
)
def test_selectors(path, document, expected):
    assert find(path, document) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$.a[?(@.b > 2)]", [{"b": 3, "c": "y"}, {"b": 5}]),
        ("$.a[?(@.b > 2)].c", ["y"]),
        ("$.a[?(@.c)]", [{"b": 1, "c": "x"}, {"b": 3, "c": "y"}]),
        ("$.a[?(!@.c)]", [{"b": 5}]),
        ("$.a[?(@.c == 'x')]", [{"b": 1, "c": "x"}]),
        ('$.a[?(@.c == "y")].b', [3]),
        ("$.a[?(@.c != 'x')].b", [3, 5]),
        ("$.a[?(@.b >= 3 && @.c)]", [{"b": 3, "c": "y"}]),
        ("$.a[?(@.b == 1 || @.b == 5)].b", [1, 5]),
        ("$.a[?(!(@.b == 1 || @.b == 5))].b", [3]),
        ("$.a[?(@.b in [1, 5])].b", [1, 5]),
        ("$.a[?(@.b nin [1, 5])].b", [3]),
        ("$.a[?(@.c =~ /x|y/)].b", [1, 3]),
        ("$.a[?(@.c =~ /X/i)].b", [1]),
        ("$.a[?(@.c =~ /^x.+/)].b", []),
        ("$.g[?(@ > 2)]", [3, 4]),
        ("$.g[?(@ == 1.0)]", [1]),
        ("$.g[?(@ == '1')]", []),
        ("$.g[?(@ < 'b')]", []),
        ("$.a[?(@.b == $.g[0])].c", ["x"]),
        ("$..a[?(@.b > 4)]", [{"b": 5}]),
        # Over an object, a filter keeps the object itself when it is accepted.
        ("$.d[?(@.e == 1)]", [{"e": 1, "f": {"e": 2}}]),
        ("$.d[?(@.e == 2)]", []),
    ],
)
def test_filters(path, expected):
    assert find(path) == expected


@pytest.mark.parametrize(
    "path",
    [
        "$.a[",
        "$.a[?(@.b >)]",
        "$.a[1:2:0]",
        "$.a.length()",
        "$.a[?(1)]",
        "$.a[?(@.c =~ /(/)]",
        "$.a..",
        "$.a[?(@.b in [[1]])]",
    ],
)
def test_paths_outside_the_grammar_are_refused(path):
    with pytest.raises(PathSyntaxError):
        compile_path(path)


def test_filter_nesting_is_bounded_without_recursion_errors():
    assert compile_query("[?(" + "(" * 30 + "@.a" + ")" * 30 + ")]").find([{"a": 1}, {}]) == [{"a": 1}]
    with pytest.raises(QuerySyntaxError, match="nested too deeply"):
        compile_query("[?(" + "!" * 10_000 + "@.a)]")
    nested_filters = "@.a"
    for _ in range(5_000):
        nested_filters = f"@[?({nested_filters})]"
    with pytest.raises(QuerySyntaxError, match="nested too deeply"):
        compile_query(f"[?({nested_filters})]")


def test_a_deep_scan_walks_any_depth_without_recursion():
    value: Any = {"leaf": 1}
    for _ in range(20_000):
        value = {"x": [value]}
    assert find("$..leaf", value) == [1]


def _reference_scan(node: Any) -> list[Any]:
    """Jayway's ``..*``, written recursively: every child value, then each child's subtree."""
    children = list(node.values()) if isinstance(node, dict) else node if isinstance(node, list) else []
    found = list(children)
    for child in children:
        found.extend(_reference_scan(child))
    return found


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text("ab", max_size=2),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("abc"), inner, max_size=3),
    max_leaves=20,
)


@given(JSON)
def test_deep_wildcard_visits_what_jayway_visits_in_its_order(document):
    assert find("$..*", document) == _reference_scan(document)


def test_a_bracket_after_a_dot_reads_as_the_bracket_alone():
    # Jayway's readDotToken moves past the '.' and reads the next token, a bracket included.
    assert compile_path("$.a.[0].b").get(DOC) == 1
    assert find("$.d.['e']") == 1
