"""JSONPath Choice rules: compiled once from the definition, evaluated per execution.

A rule is either a *data test* (``Variable`` plus exactly one comparison or ``Is*``
operator) or a *boolean expression* (``And``/``Or`` over a non-empty array of rules,
``Not`` over one rule). Only top-level rules carry ``Next`` (and may carry
``Assign``); nested ones must not. :func:`compile_choice_rule` checks all of that,
records every problem with its JSON pointer, and builds a tree of condition nodes
(:mod:`._conditions`) whose operators come from one table (:mod:`._operators`).

Run-time behaviour, as AWS shows it:

* a Variable of the wrong type makes a comparison false;
* a Variable (or a ``...Path`` operand) that selects nothing fails the state with
  ``States.Runtime`` "Invalid path '<path>': The choice state's condition path
  references an invalid value.", except under ``IsPresent``, which answers false.

JSONata rules (``Condition``) are compiled by the definition parser, not here; a
``Condition`` reaching this module is in a JSONPath state, where AWS refuses it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.choice._conditions import (
    AllOf,
    AnyOf,
    Condition,
    LiteralComparison,
    Negation,
    PathComparison,
    TypeCheck,
)
from fakesfn.asl.choice._operators import COMPARISONS, NOT_OF_TYPE, TYPE_TESTS, Operator, TypeTest
from fakesfn.asl.paths import Path, PathSyntaxError, compile_path
from fakesfn.asl.problems import EMPTY

if TYPE_CHECKING:
    from fakesfn.asl.context import Env
    from fakesfn.asl.problems import ProblemCollector

__all__ = ["ChoiceRule", "Condition", "compile_choice_rule"]

# Definition-error wording. These follow messages AWS returns for other objects:
# recorded in ../shared/conformance ("These fields are required: [StartAt]"), quoted
# from AWS by users ("Field 'ResultPath' is not supported"), or measured on AWS by
# another emulator's maintainers ("There should only be one of the following fields:
# [MaxItems, MaxItemsPath]", "The QueryLanguage is set to 'JSONata', but field '...'
# is only supported for the 'JSONPath' QueryLanguage"). No recording pins the exact
# text for a Choice rule; _NO_OPERATOR, _NOT_A_LIST and the timestamp wording are ours; an empty
# And/Or array gets AWS's wording for any empty required array (problems.EMPTY).
_REQUIRED: Final = "These fields are required: [{field}]"
_NOT_SUPPORTED: Final = "Field '{field}' is not supported"
_JSONATA_ONLY: Final = (
    "The QueryLanguage is set to 'JSONPath', but field '{field}' "
    "is only supported for the 'JSONata' QueryLanguage"
)
_NOT_AN_OBJECT: Final = "The value must be an object"
_MUST_BE: Final = "The value for the field '{field}' must be {kind}"
_NOT_A_PATH: Final = "The value for the field '{field}' must be a valid JSONPath"
_NOT_A_REFERENCE_PATH: Final = "The value for the field '{field}' must be a Reference Path"
_NO_OPERATOR: Final = "A Choice Rule must contain one comparison operator, or one of And, Or, Not"
_ONE_OPERATOR: Final = "There should only be one of the following fields: [{fields}]"
_NOT_A_LIST: Final = "The value for the field '{field}' must be a non-empty ARRAY of Choice Rules"

_JSONATA_FIELDS: Final = frozenset({"Condition", "Output"})
_BOOLEAN_OPERATORS: Final = ("And", "Or", "Not")


@dataclass(frozen=True, slots=True)
class ChoiceRule:
    """A compiled JSONPath Choice rule.

    Attributes:
        condition: what :meth:`evaluate` asks.
        next: the target state of a top-level rule; ``None`` for a nested one.
        assign: the rule's ``Assign`` (workflow variables set when the rule is chosen):
            the raw object as :func:`compile_choice_rule` checked it, replaced by its
            compiled payload template when the Choice state is read
            (:func:`fakesfn.asl.state_fields.choice_rules`); ``None`` when absent.
        variables: names of the workflow variables (``$name``) the rule reads, for
            definition-time checks.
    """

    condition: Condition
    next: str | None = None
    assign: Any = None
    variables: frozenset[str] = frozenset()

    def evaluate(self, value: Any, env: Env) -> bool:
        """Whether the rule matches the Choice state's input ``value`` (after InputPath).

        Raises:
            StateFieldError: a path the rule must read selects nothing, or an ordering
                ``...Path`` operand has the wrong type (``States.Runtime``).
        """
        return self.condition.evaluate(value, env)


def compile_choice_rule(
    rule: Mapping[str, Any], location: str, problems: ProblemCollector, *, top_level: bool = True
) -> ChoiceRule | None:
    """Compile one JSONPath Choice rule found at JSON pointer ``location``.

    Every problem is recorded on ``problems`` (AWS ``InvalidDefinition`` wording);
    the result is ``None`` when there was any.
    """
    before = len(problems.problems)
    condition = _compile_condition(rule, location, problems, top_level=top_level)
    target = _compile_next(rule, location, problems) if top_level else None
    assign = _compile_assign(rule, location, problems) if top_level else None
    if condition is None or len(problems.problems) != before:
        return None
    return ChoiceRule(condition, target, assign, frozenset(_variable_names(rule)))


def _compile_condition(
    rule: Any, location: str, problems: ProblemCollector, *, top_level: bool = False
) -> Condition | None:
    if not isinstance(rule, Mapping):
        problems.schema(_NOT_AN_OBJECT, location)
        return None
    _reject_unknown_fields(rule, location, problems, top_level=top_level)
    operators = [key for key in rule if key in _COMPILERS]
    if not operators:
        problems.schema(_NO_OPERATOR, location)
        return None
    if len(operators) > 1:
        problems.schema(_ONE_OPERATOR.format(fields=", ".join(operators)), location)
        return None
    return _COMPILERS[operators[0]](rule, operators[0], location, problems)


def _reject_unknown_fields(
    rule: Mapping[str, Any], location: str, problems: ProblemCollector, *, top_level: bool
) -> None:
    allowed = _TOP_LEVEL_FIELDS if top_level else _NESTED_FIELDS
    for key in rule:
        if key not in allowed:
            message = _JSONATA_ONLY if key in _JSONATA_FIELDS else _NOT_SUPPORTED
            problems.schema(message.format(field=key), f"{location}/{key}")


def _compile_next(rule: Mapping[str, Any], location: str, problems: ProblemCollector) -> str | None:
    if "Next" not in rule:
        problems.schema(_REQUIRED.format(field="Next"), location)
        return None
    target = rule["Next"]
    if not isinstance(target, str):
        problems.schema(_MUST_BE.format(field="Next", kind="a STRING"), f"{location}/Next")
        return None
    return target


def _compile_assign(
    rule: Mapping[str, Any], location: str, problems: ProblemCollector
) -> Mapping[str, Any] | None:
    assign = rule.get("Assign")
    if assign is not None and not isinstance(assign, Mapping):
        problems.schema(_MUST_BE.format(field="Assign", kind="an OBJECT"), f"{location}/Assign")
        return None
    return assign


# -- data tests --------------------------------------------------------------------------


def _variable(rule: Mapping[str, Any], location: str, problems: ProblemCollector) -> Path | None:
    if "Variable" not in rule:
        problems.schema(_REQUIRED.format(field="Variable"), location)
        return None
    return _reference_path(rule["Variable"], "Variable", location, problems)


def _reference_path(text: Any, field: str, location: str, problems: ProblemCollector) -> Path | None:
    # AWS: "The values of Variable and Path fields in a comparison must be valid
    # reference paths" (one node; the $$ Context object and $variables allowed).
    where = f"{location}/{field}"
    if not isinstance(text, str):
        problems.schema(_NOT_A_PATH.format(field=field), where)
        return None
    try:
        path = compile_path(text)
    except PathSyntaxError:
        problems.schema(_NOT_A_PATH.format(field=field), where)
        return None
    if not path.definite:
        problems.schema(_NOT_A_REFERENCE_PATH.format(field=field), where)
        return None
    return path


def _compile_comparison(
    op: Operator, rule: Mapping[str, Any], field: str, location: str, problems: ProblemCollector
) -> Condition | None:
    variable = _variable(rule, location, problems)
    if op.reads_path:
        operand_path = _reference_path(rule[field], field, location, problems)
        if variable is None or operand_path is None:
            return None
        return PathComparison(variable, op, operand_path)
    operand = op.literal(rule[field])
    if operand is NOT_OF_TYPE:
        problems.schema(_MUST_BE.format(field=field, kind=op.type.description), f"{location}/{field}")
        return None
    return None if variable is None else LiteralComparison(variable, op, operand)


def _compile_type_test(
    test: TypeTest, rule: Mapping[str, Any], field: str, location: str, problems: ProblemCollector
) -> Condition | None:
    variable = _variable(rule, location, problems)
    expected = rule[field]
    if type(expected) is not bool:
        problems.schema(_MUST_BE.format(field=field, kind="a BOOLEAN"), f"{location}/{field}")
        return None
    return None if variable is None else TypeCheck(variable, test, expected)


# -- boolean expressions -----------------------------------------------------------------


def _forbid_variable(rule: Mapping[str, Any], location: str, problems: ProblemCollector) -> bool:
    if "Variable" in rule:
        problems.schema(_NOT_SUPPORTED.format(field="Variable"), f"{location}/Variable")
        return False
    return True


def _compile_all_or_any(
    node: Callable[[tuple[Condition, ...]], Condition],
    rule: Mapping[str, Any],
    field: str,
    location: str,
    problems: ProblemCollector,
) -> Condition | None:
    # AWS: "The values of the And and Or operators must be non-empty arrays of Choice
    # Rules that must not themselves contain Next fields."
    ok = _forbid_variable(rule, location, problems)
    items = rule[field]
    if not isinstance(items, list) or not items:
        problems.schema(EMPTY if items == [] else _NOT_A_LIST.format(field=field), f"{location}/{field}")
        return None
    conditions = [
        _compile_condition(item, f"{location}/{field}[{i}]", problems) for i, item in enumerate(items)
    ]
    if not ok or any(condition is None for condition in conditions):
        return None
    return node(tuple(c for c in conditions if c is not None))


def _compile_not(
    rule: Mapping[str, Any], field: str, location: str, problems: ProblemCollector
) -> Condition | None:
    ok = _forbid_variable(rule, location, problems)
    condition = _compile_condition(rule[field], f"{location}/{field}", problems)
    return Negation(condition) if ok and condition is not None else None


_Compiler = Callable[[Mapping[str, Any], str, str, "ProblemCollector"], "Condition | None"]

_COMPILERS: Final[Mapping[str, _Compiler]] = {
    **{name: functools.partial(_compile_comparison, op) for name, op in COMPARISONS.items()},
    **{name: functools.partial(_compile_type_test, test) for name, test in TYPE_TESTS.items()},
    "And": functools.partial(_compile_all_or_any, AllOf),
    "Or": functools.partial(_compile_all_or_any, AnyOf),
    "Not": _compile_not,
}
"""How to compile a rule, by its one operator field."""

_NESTED_FIELDS: Final = frozenset({*_COMPILERS, "Variable", "Comment"})
_TOP_LEVEL_FIELDS: Final = _NESTED_FIELDS | {"Next", "Assign"}


def _variable_names(rule: Mapping[str, Any]) -> set[str]:
    """Workflow variables read by a rule that compiled cleanly."""
    names: set[str] = set()
    for key, value in rule.items():
        if key in _BOOLEAN_OPERATORS:
            for nested in value if isinstance(value, list) else [value]:
                names |= _variable_names(nested)
        elif key == "Variable" or (key in COMPARISONS and COMPARISONS[key].reads_path):
            path = compile_path(value)
            if path.variable is not None:
                names.add(path.variable)
    return names
