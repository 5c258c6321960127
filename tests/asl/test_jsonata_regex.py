"""JSONata regex literals: JavaScript's syntax and semantics, linear matching, a step budget."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonata.regex_engine import RegexFlags

from fakesfn.asl.context import Env, Variables
from fakesfn.asl.errors import StateFieldError
from fakesfn.asl.jsonata import JsonataSyntaxError, compile_expression
from fakesfn.asl.jsonata.budget import Budget, spending
from fakesfn.asl.jsonata.regex import Pattern
from fakesfn.asl.jsonata.regex_syntax import RegexSyntaxError
from fakesfn.random import SeededRandom


def evaluate(expression, value=None):
    env = Env(variables=Variables(None, {}), random=SeededRandom(1))
    return compile_expression("{% " + expression + " %}").evaluate(
        {"input": value, "context": {}}, env, "Output"
    )


def failure(expression, value=None) -> str:
    with pytest.raises(StateFieldError) as caught:
        evaluate(expression, value)
    assert caught.value.error == "States.QueryEvaluationError"
    return caught.value.detail


# --- JavaScript's semantics, not Python's ---------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("$match('ab12cd345', /\\d+/).match", ["12", "345"]),
        ("$match('John Smith', /(\\w+) (\\w+)/).groups", ["John", "Smith"]),
        ("$exists($match('x٣y', /\\d/))", False),  # \d is ASCII in JavaScript
        ("$match('café', /\\w+/).match", "caf"),  # so is \w
        ("$contains('a\\n', /a$/)", False),  # $ is the end, not before a final newline
        ("$contains('a\\r', /a./)", False),  # . stops at every line terminator
        ("$contains('a\\nb', /^b/m)", True),
        ("$contains('ABC', /b/i)", True),
        ("$replace('John Smith', /(\\w+)\\s(\\w+)/, '$2, $1')", "Smith, John"),
        ("$replace('abc', /b/, '$$')", "a$c"),
        ("$replace('abc', /b/, '\\\\d')", "a\\dc"),  # a backslash is a backslash
        ("$replace('abc', /(b)/, '$12')", "ab2c"),  # no group 12: group 1 and a '2'
        ("$replace('aaa', /a/, 'b', 2)", "bba"),
        ("$replace('a.b.c', /\\./, function($m){ '[' & $m.match & ']' })", "a[.]b[.]c"),
        ("$split('a1b2c', /\\d/)", ["a", "b", "c"]),
        ("$split('a1b2c', /(\\d)/)", ["a", "1", "b", "2", "c"]),
        ("$split('abc', /(?:)/)", ["a", "b", "c"]),
        ("$count($match('aaa', /a*?/))", 4),
        ("$match('1b', /([^a]+)*?b/).groups", ["1"]),  # Python 3.10's re says ['']
        ("$match('2024-01', /(?<y>\\d{4})-(?<m>\\d\\d)/).groups", ["2024", "01"]),
        ("$match('xay', /(?<=x)a(?=y)/).match", "a"),
        ("$exists($match('xay', /(?<!x)a/))", False),
        ("$match('abcabc', /(abc)\\1/).match", "abcabc"),
        ("$match('aa', /(b)?\\1a/).match", ["a", "a"]),  # an unset group matches nothing
        ("$match('a{2,x}', /a{2,x}/).match", "a{2,x}"),  # Annex B: no quantifier, a literal
        ("$match('xx', /x{2}/).match", "xx"),
    ],
)
def test_regex_literals_behave_as_in_javascript(expression, expected):
    assert evaluate(expression) == expected


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("a**", "Nothing to repeat"),
        ("*a", "Nothing to repeat"),
        ("a{3,1}", "numbers out of order in {} quantifier"),
        ("[z-a]", "Range out of order in character class"),
        ("(?<1a>x)", "Invalid capture group name"),
        ("a)", "Unmatched ')'"),
        ("\\", "\\ at end of pattern"),
    ],
)
def test_a_pattern_javascript_refuses_is_refused_with_its_message(pattern, reason):
    with pytest.raises(RegexSyntaxError) as caught:
        Pattern(pattern, RegexFlags())
    assert str(caught.value) == f"Invalid regular expression: /{pattern}/: {reason}"


def test_a_definition_with_a_malformed_regex_is_refused():
    with pytest.raises(JsonataSyntaxError) as caught:
        compile_expression("{% $match('x', /a**/) %}")
    assert caught.value.code == "INVALID_JSONATA_EXPRESSION"
    assert "Nothing to repeat" in caught.value.message


# --- catastrophic patterns: linear, or a fixed amount of work --------------------------------


@pytest.mark.parametrize(
    "pattern",
    ["(a+)+$", "(a|aa)+$", "(a|a)*$", "^(\\w+\\s?)*$", "(.*a){12}$", "(x+x+)+y"],
)
def test_a_catastrophic_pattern_answers_in_time_linear_in_the_text(pattern):
    # Issue 16 item 2: Python's re never came back from these (and cannot be interrupted).
    text = "a" * 5000 + "!"
    budget = Budget()
    with spending(budget):
        found = Pattern(pattern, RegexFlags()).search(text)
    assert found is None or found.end() <= len(text)
    assert budget.regex_steps < 400 * len(text)


def test_a_pattern_the_memory_cannot_help_stops_after_a_fixed_amount_of_work():
    # A back-reference makes the outcome depend on what was captured: no memory, so
    # exponential backtracking, stopped by the step budget on every machine alike.
    assert failure("$match('" + "a" * 40 + "!', /^(a+)+\\1$/)").endswith(
        "threw an error during evaluation: Expression evaluation timeout: Check for infinite loop"
    )


def test_a_replacement_that_would_pass_the_memory_bound_is_refused():
    assert failure("$replace($pad('', 100000, 'a'), /a/, $pad('', 100, 'b'))").endswith(
        "Expression evaluation memory limit exceeded: Check for excessive memory usage"
    )


# --- differential: where JavaScript and Python agree, the answers are Python's ----------------

ALPHABET = "ab1 "


@st.composite
def patterns(draw, depth=2):
    """A random pattern over ``ALPHABET`` and whether it can match the empty string.

    A group that can match nothing is never repeated: there JavaScript (an empty
    iteration fails) and Python (it counts once) disagree.
    """
    parts = []
    nullable = True
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["char", "char", "class", "dot", "digit", "group", "anchor", "look"]))
        # (Python's \B never matches an empty text; JavaScript's does: \B is left out.)
        if kind == "group" and depth > 0:
            inner, inner_nullable = draw(patterns(depth - 1))
            if draw(st.booleans()):
                option, option_nullable = draw(patterns(depth - 1))
                inner, inner_nullable = f"{inner}|{option}", inner_nullable or option_nullable
            atom, atom_nullable = f"({'?:' if draw(st.booleans()) else ''}{inner})", inner_nullable
        elif kind == "anchor":
            parts.append(draw(st.sampled_from(["^", "$", "\\b"])))
            continue
        elif kind == "look" and depth > 0:
            inner = draw(patterns(depth - 1))[0]
            parts.append(f"({draw(st.sampled_from(['?=', '?!']))}{inner})")
            continue
        else:
            atom = {
                "class": draw(st.sampled_from(["[ab]", "[^a]", "[a-b1]", "[\\d ]"])),
                "dot": ".",
                "digit": draw(st.sampled_from(["\\d", "\\w", "\\s", "\\D"])),
            }.get(kind, draw(st.sampled_from(list("ab1 "))))
            atom_nullable = False
        quantifier = "" if atom_nullable else draw(st.sampled_from(["", "", "*", "+", "?", "{1,2}", "{2}"]))
        if quantifier and draw(st.booleans()):
            quantifier += "?"
        parts.append(atom + quantifier)
        nullable = nullable and (atom_nullable or quantifier[:1] in ("*", "?") or quantifier.startswith("{0"))
    return "".join(parts), nullable


def _oracle_groups_trusted(source: str) -> bool:
    """Whether Python's ``re`` reports this pattern's groups as JavaScript does.

    CPython 3.10 loses captures of a quantified group that backtracks
    (``re.search(r"([^a]+)*?b", "1b").groups()`` is ``('',)``, JavaScript and 3.11 say
    ``('1',)``; fixed in 3.11, bpo-35859). On 3.10 such groups are not compared.
    """
    return sys.version_info >= (3, 11) or re.search(r"\)(?:[*+?]|\{)", source) is None


@settings(max_examples=400, deadline=None)
@given(patterns(), st.text(alphabet=ALPHABET + "A", max_size=12), st.booleans(), st.booleans())
def test_where_javascript_and_python_agree_the_matches_are_the_same(drawn, text, ignore_case, multiline):
    source, _ = drawn
    if multiline:
        # Python's $ also matches before a final newline, JavaScript's only with m.
        text = text.replace(" ", "\n")
    mine = Pattern(source, RegexFlags(case_insensitive=ignore_case, multiline=multiline))
    flags = re.ASCII | (re.IGNORECASE if ignore_case else 0) | (re.MULTILINE if multiline else 0)
    theirs = re.compile(source, flags)
    with spending(Budget()):
        for start in range(len(text) + 1):
            found, expected = mine.search(text, start), theirs.search(text, start)
            assert (found is None) == (expected is None), (source, text, start)
            if found is not None and expected is not None:
                assert found.span() == expected.span(), (source, text, start)
                if _oracle_groups_trusted(source):
                    assert found.groups() == expected.groups(), (source, text, start)
