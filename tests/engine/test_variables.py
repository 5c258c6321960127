"""Workflow variables through the client API: Assign, references, evaluation order, scopes, limits.

AWS ("Passing data between states with variables"): Pass, Task, Map, Parallel,
Choice and Wait states (and Choice rules and Catchers) carry ``Assign``; a later
state reads ``$name`` in JSONPath paths and in JSONata. All references in a state
read the values the variables had when the state was entered; the new values
take effect once the state is done. A Map iteration or Parallel branch reads the
variables of the scopes around it; what it assigns stays in its own scope and
disappears with it, so results leave only through its output. A Distributed Map's
child workflows see no outer variables at all.
"""

from __future__ import annotations

import json

import pytest

from tests.engine.helpers import jsonata, jsonpath, refusal

ECHO = "arn:aws:lambda:us-east-1:123456789012:function:echo"
BOOM = "arn:aws:lambda:us-east-1:123456789012:function:boom"
LIMIT = 256 * 1024


def assigned(ran, name):
    """The assignedVariables of every exit of state ``name``, in order."""
    return [
        event["stateExitedEventDetails"].get("assignedVariables")
        for event in ran.events
        if event["type"].endswith("StateExited") and event["stateExitedEventDetails"]["name"] == name
    ]


@pytest.fixture
def lambdas(sfn_backend):
    sfn_backend.register_lambda("echo", lambda event, context: event)

    def boom(event, context):
        raise KeyError("missing")

    sfn_backend.register_lambda("boom", boom)
    return sfn_backend


def map_of(*states, **fields):
    inner = {"StartAt": next(iter(states[0])), "States": {k: v for state in states for k, v in state.items()}}
    return {"Type": "Map", "ItemProcessor": inner, **fields}


# --- Assign in both languages ---------------------------------------------------------------


def test_jsonpath_assign_takes_constants_paths_context_and_intrinsics(run):
    assign = {
        "constant": {"nested": [1, "two"]},
        "fromInput.$": "$.order.id",
        "fromContext.$": "$$.State.Name",
        "fromIntrinsic.$": "States.Format('order-{}', $.order.id)",
        "literalDollar": "$.not.a.path",
    }
    ran = run(jsonpath({"Set": {"Type": "Pass", "Assign": assign, "End": True}}), {"order": {"id": 9}})
    assert ran.output == {"order": {"id": 9}}
    assert assigned(ran, "Set") == [
        {
            "constant": '{"nested":[1,"two"]}',
            "fromInput": "9",
            "fromContext": '"Set"',
            "fromIntrinsic": '"order-9"',
            "literalDollar": '"$.not.a.path"',
        }
    ]


def test_jsonata_assign_takes_constants_and_expressions_at_any_depth(run):
    assign = {
        "total": "{% $sum($states.input.xs) %}",
        "shape": {"first": "{% $states.input.xs[0] %}", "k": [True]},
    }
    ran = run(jsonata({"Set": {"Type": "Pass", "Assign": assign, "End": True}}), {"xs": [2, 3]})
    assert assigned(ran, "Set") == [{"total": "5", "shape": '{"first":2,"k":[true]}'}]


def test_a_jsonpath_task_assign_reads_the_selected_result(run, lambdas):
    state = {
        "Type": "Task",
        "Resource": ECHO,
        "Parameters": {"v.$": "$.v", "noise": 0},
        "ResultSelector": {"picked.$": "$.v"},
        "ResultPath": "$.out",
        "Assign": {"whole.$": "$", "picked.$": "$.picked"},
        "End": True,
    }
    ran = run(jsonpath({"T": state}), {"v": "x"})
    assert ran.output == {"v": "x", "out": {"picked": "x"}}
    assert assigned(ran, "T") == [{"whole": '{"picked":"x"}', "picked": '"x"'}]


def test_a_jsonata_task_assign_reads_input_and_result(run, lambdas):
    state = {
        "Type": "Task",
        "Resource": ECHO,
        "Arguments": {"doubled": "{% $states.input.n * 2 %}"},
        "Assign": {"sent": "{% $states.input.n %}", "got": "{% $states.result.doubled %}"},
        "End": True,
    }
    ran = run(jsonata({"T": state}), {"n": 4})
    assert assigned(ran, "T") == [{"sent": "4", "got": "8"}]


@pytest.mark.parametrize(
    ("language", "state"),
    [
        ("JSONPath", {"Type": "Wait", "Seconds": 1, "Assign": {"v.$": "$.a"}, "Next": "Read"}),
        ("JSONata", {"Type": "Wait", "Seconds": 1, "Assign": {"v": "{% $states.input.a %}"}, "Next": "Read"}),
        ("JSONPath", {"Type": "Parallel", "Branches": [], "Assign": {"v": 1}, "Next": "Read"}),
        ("JSONPath", {"Type": "Choice", "Choices": [], "Assign": {"v.$": "$.a"}, "Default": "Read"}),
        (
            "JSONata",
            {"Type": "Choice", "Choices": [], "Assign": {"v": "{% $states.input.a %}"}, "Default": "Read"},
        ),
    ],
    ids=["wait-jsonpath", "wait-jsonata", "parallel", "choice-jsonpath", "choice-jsonata"],
)
def test_every_state_type_with_assign_sets_variables(run, language, state):
    if state["Type"] == "Parallel":
        state["Branches"] = [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}]
    elif state["Type"] == "Choice":
        state["Choices"] = (
            [{"Variable": "$.a", "IsNull": True, "Next": "Read"}]
            if language == "JSONPath"
            else [{"Condition": "{% $states.input.a = null %}", "Next": "Read"}]
        )
    definition = jsonpath(
        {
            "S": {**state, "QueryLanguage": language},
            "Read": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $v %}", "End": True},
        }
    )
    expected = 1 if state["Type"] == "Parallel" else "seen"
    assert run(definition, {"a": "seen"}).output == expected


def test_a_map_assign_reads_its_result(run):
    state = map_of({"Inner": {"Type": "Pass", "Output": "{% $states.input * 3 %}", "End": True}})
    state.update(Items=[1, 2], Assign={"tripled": "{% $states.result %}"}, Next="Read")
    definition = jsonata({"M": state, "Read": {"Type": "Pass", "Output": "{% $tripled %}", "End": True}})
    assert run(definition, {}).output == [3, 6]


@pytest.mark.parametrize("language", ["JSONPath", "JSONata"])
def test_a_choice_rule_assign_replaces_the_state_assign_when_the_rule_matches(run, language):
    if language == "JSONPath":
        rule = {"Variable": "$.n", "NumericGreaterThan": 0, "Assign": {"sign": "positive"}, "Next": "Read"}
    else:
        rule = {"Condition": "{% $states.input.n > 0 %}", "Assign": {"sign": "positive"}, "Next": "Read"}
    definition = jsonpath(
        {
            "Pick": {
                "Type": "Choice",
                "QueryLanguage": language,
                "Choices": [rule],
                "Default": "Read",
                "Assign": {"sign": "other"},
            },
            "Read": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $sign %}", "End": True},
        }
    )
    assert run(definition, {"n": 5}).output == "positive"
    assert run(definition, {"n": -5}).output == "other"


@pytest.mark.parametrize("language", ["JSONPath", "JSONata"])
def test_a_catcher_assign_reads_the_error_output(run, lambdas, language):
    if language == "JSONPath":
        catcher = {
            "ErrorEquals": ["States.ALL"],
            "Assign": {"err.$": "$.Error"},
            "ResultPath": None,
            "Next": "Read",
        }
    else:
        catcher = {
            "ErrorEquals": ["States.ALL"],
            "Assign": {"err": "{% $states.errorOutput.Error %}"},
            "Next": "Read",
        }
    definition = jsonpath(
        {
            "Call": {
                "Type": "Task",
                "QueryLanguage": language,
                "Resource": BOOM,
                "Catch": [catcher],
                "End": True,
            },
            "Read": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $err %}", "End": True},
        }
    )
    ran = run(definition, {})
    assert ran.output == "KeyError"
    assert assigned(ran, "Call") == [{"err": '"KeyError"'}]


def test_a_null_value_is_a_variable_not_an_absence(run):
    definition = jsonata(
        {
            "Set": {"Type": "Pass", "Assign": {"nothing": None}, "Next": "Read"},
            "Read": {
                "Type": "Pass",
                "Output": {"v": "{% $nothing %}", "known": "{% $exists($nothing) %}"},
                "End": True,
            },
        }
    )
    ran = run(definition, {})
    assert ran.output == {"v": None, "known": True}
    assert assigned(ran, "Set") == [{"nothing": "null"}]


def test_an_empty_assign_records_nothing(run):
    ran = run(jsonpath({"Set": {"Type": "Pass", "Assign": {}, "End": True}}), {})
    details = ran.events[2]["stateExitedEventDetails"]
    assert "assignedVariables" not in details
    assert "assignedVariablesDetails" not in details


def test_assigned_values_are_recorded_as_compact_json_text(run):
    assign = {"s": 'ünïcode "quoted"', "n": 1.5, "i": 10, "b": False, "o": {"a": [1, None]}}
    ran = run(jsonpath({"Set": {"Type": "Pass", "Assign": assign, "End": True}}), {})
    details = ran.events[2]["stateExitedEventDetails"]
    assert details["assignedVariables"] == {
        "s": '"ünïcode \\"quoted\\""',
        "n": "1.5",
        "i": "10",
        "b": "false",
        "o": '{"a":[1,null]}',
    }
    assert details["assignedVariablesDetails"] == {"truncated": False}


def test_a_later_assignment_replaces_the_value(run):
    definition = jsonata(
        {
            "One": {"Type": "Pass", "Assign": {"v": 1, "keep": "k"}, "Next": "Two"},
            "Two": {"Type": "Pass", "Assign": {"v": "{% $v + 1 %}"}, "Next": "Read"},
            "Read": {"Type": "Pass", "Output": ["{% $v %}", "{% $keep %}"], "End": True},
        }
    )
    assert run(definition, {}).output == [2, "k"]


# --- references ----------------------------------------------------------------------------------


def test_jsonpath_fields_read_variables(run, lambdas):
    definition = jsonpath(
        {
            "Set": {
                "Type": "Pass",
                "Assign": {"cfg": {"name": "n1", "limit": 3}, "xs": [10, 20, 30], "ok": True},
                "Next": "Call",
            },
            "Call": {
                "Type": "Task",
                "Resource": ECHO,
                "InputPath": "$cfg",
                "Parameters": {
                    "name.$": "$cfg.name",
                    "second.$": "$xs[1]",
                    "len.$": "States.ArrayLength($xs)",
                },
                "ResultSelector": {"again.$": "$cfg.limit", "len.$": "$.len"},
                "Next": "Check",
            },
            "Check": {
                "Type": "Choice",
                "Choices": [
                    {
                        "And": [
                            {"Variable": "$ok", "BooleanEquals": True},
                            {"Variable": "$.len", "NumericEqualsPath": "$cfg.limit"},
                        ],
                        "Next": "Each",
                    }
                ],
                "Default": "Nope",
            },
            "Each": {
                **map_of({"Item": {"Type": "Pass", "End": True}}),
                "ItemsPath": "$xs",
                "ItemSelector": {"x.$": "$$.Map.Item.Value", "name.$": "$cfg.name"},
                "OutputPath": "$[0]",
                "End": True,
            },
            "Nope": {"Type": "Fail"},
        }
    )
    ran = run(definition, {"unused": 1})
    assert ran.output == {"x": 10, "name": "n1"}
    (scheduled,) = ran.details("LambdaFunctionScheduled")
    assert json.loads(scheduled["input"]) == {"name": "n1", "second": 20, "len": 3}


def test_jsonata_reads_variables_by_name(run):
    definition = jsonata(
        {
            "Set": {"Type": "Pass", "Assign": {"price": 4, "qty": 3, "ñandú_1": "unicode"}, "Next": "Read"},
            "Read": {
                "Type": "Pass",
                "Output": {"total": "{% $price * $qty %}", "u": "{% $ñandú_1 %}"},
                "End": True,
            },
        }
    )
    assert run(definition, {}).output == {"total": 12, "u": "unicode"}


def test_variables_cross_query_languages(run):
    definition = jsonpath(
        {
            "PathSets": {"Type": "Pass", "Assign": {"a": 1}, "Next": "AtaSets"},
            "AtaSets": {
                "Type": "Pass",
                "QueryLanguage": "JSONata",
                "Assign": {"b": "{% $a + 1 %}"},
                "Next": "PathReads",
            },
            "PathReads": {"Type": "Pass", "Parameters": {"a.$": "$a", "b.$": "$b"}, "End": True},
        }
    )
    assert run(definition, {}).output == {"a": 1, "b": 2}


def test_an_undefined_variable_in_jsonata_fails_at_run_time_not_at_create_time(run):
    # Recorded on AWS (a public suite's undefined-reference cases): the definition is
    # accepted; the expression returns nothing when it runs.
    definition = jsonata(
        {
            "Fine": {"Type": "Pass", "Next": "Reads"},
            "Reads": {"Type": "Pass", "Output": {"v": "{% $neverAssigned %}"}, "End": True},
        }
    )
    ran = run(definition, {})
    assert ran.describe["error"] == "States.QueryEvaluationError"
    assert ran.describe["cause"] == (
        "An error occurred while executing the state 'Reads' (entered at the event id #4). The JSONata "
        "expression '$neverAssigned' specified for the field 'Output/v' returned nothing (undefined)."
    )
    failed = next(event for event in ran.events if event["type"] == "EvaluationFailed")
    assert failed["evaluationFailedEventDetails"] == {
        "cause": ran.describe["cause"],
        "error": "States.QueryEvaluationError",
        "location": "Output/v",
        "state": "Reads",
    }
    assert failed["previousEventId"] == 3  # the event before the state's own StateEntered
    assert ran.types[-2:] == ["EvaluationFailed", "ExecutionFailed"]


def test_an_undefined_variable_in_a_jsonpath_field_is_a_runtime_error(run):
    ran = run(jsonpath({"P": {"Type": "Pass", "Parameters": {"v.$": "$neverAssigned"}, "End": True}}), {})
    assert ran.describe["error"] == "States.Runtime"
    assert "$neverAssigned" in ran.describe["cause"]


# --- evaluation order ----------------------------------------------------------------------------


def test_assign_reads_the_values_from_state_entry_not_its_own_assignments(run):
    definition = jsonata(
        {
            "Set": {"Type": "Pass", "Assign": {"x": "first", "y": "second"}, "Next": "Swap"},
            "Swap": {
                "Type": "Pass",
                "Assign": {"x": "{% $y %}", "y": "{% $x %}", "z": "{% $x & '+' %}"},
                "Output": {"x": "{% $x %}", "y": "{% $y %}"},
                "Next": "Read",
            },
            "Read": {
                "Type": "Pass",
                "Output": {
                    "before": "{% $states.input %}",
                    "x": "{% $x %}",
                    "y": "{% $y %}",
                    "z": "{% $z %}",
                },
                "End": True,
            },
        }
    )
    assert run(definition, {}).output == {
        "before": {"x": "first", "y": "second"},
        "x": "second",
        "y": "first",
        "z": "first+",
    }


def test_jsonpath_assign_reads_the_values_from_state_entry_too(run):
    definition = jsonpath(
        {
            "Set": {"Type": "Pass", "Assign": {"n": 1}, "Next": "Bump"},
            "Bump": {
                "Type": "Pass",
                "Assign": {"n": 2, "old.$": "$n"},
                "Parameters": {"seen.$": "$n"},
                "Next": "Read",
            },
            "Read": {"Type": "Pass", "Parameters": {"in.$": "$", "n.$": "$n", "old.$": "$old"}, "End": True},
        }
    )
    assert run(definition, {}).output == {"in": {"seen": 1}, "n": 2, "old": 1}


def test_a_variable_assigned_by_a_task_is_read_by_its_own_output_at_its_old_value(run, lambdas):
    definition = jsonata(
        {
            "Set": {"Type": "Pass", "Assign": {"count": 0}, "Next": "Call"},
            "Call": {
                "Type": "Task",
                "Resource": ECHO,
                "Arguments": {"count": "{% $count + 1 %}"},
                "Assign": {"count": "{% $states.result.count %}"},
                "Output": {"countWhenEntered": "{% $count %}"},
                "Next": "Read",
            },
            "Read": {
                "Type": "Pass",
                "Output": ["{% $states.input.countWhenEntered %}", "{% $count %}"],
                "End": True,
            },
        }
    )
    assert run(definition, {}).output == [0, 1]


def test_variables_assigned_by_a_failing_state_are_not_kept(run, lambdas):
    catcher = {"ErrorEquals": ["States.ALL"], "Next": "Read"}
    definition = jsonata(
        {
            "Set": {"Type": "Pass", "Assign": {"v": "before"}, "Next": "Call"},
            "Call": {
                "Type": "Task",
                "Resource": BOOM,
                "Assign": {"v": "after"},
                "Catch": [catcher],
                "End": True,
            },
            "Read": {"Type": "Pass", "Output": "{% $v %}", "End": True},
        }
    )
    assert run(definition, {}).output == "before"


# --- scopes --------------------------------------------------------------------------------------


def test_map_iterations_read_outer_variables_and_their_assignments_stay_inside(run):
    inner = {
        "Note": {
            "Type": "Pass",
            "Assign": {"mine": "{% $states.input %}", "outer": "shadowed"},
            "Next": "Use",
        },
        "Use": {"Type": "Pass", "Output": "{% $prefix & $mine & '/' & $outer %}", "End": True},
    }
    definition = jsonata(
        {
            "Set": {"Type": "Pass", "Assign": {"prefix": "p-", "outer": "kept"}, "Next": "Each"},
            "Each": {**map_of(inner), "Items": ["a", "b"], "MaxConcurrency": 1, "Next": "After"},
            "After": {
                "Type": "Pass",
                "Output": {
                    "results": "{% $states.input %}",
                    "outer": "{% $outer %}",
                    "mine": "{% $exists($mine) %}",
                },
                "End": True,
            },
        }
    )
    assert run(definition, {}).output == {
        "results": ["p-a/shadowed", "p-b/shadowed"],
        "outer": "kept",
        "mine": False,
    }


def test_an_iteration_does_not_see_what_an_earlier_iteration_assigned(run):
    inner = {
        "Look": {"Type": "Pass", "Output": "{% $exists($seen) %}", "Assign": {"seen": True}, "Next": "Again"},
        "Again": {"Type": "Pass", "Output": ["{% $states.input %}", "{% $seen %}"], "End": True},
    }
    definition = jsonata({"Each": {**map_of(inner), "Items": [1, 2, 3], "MaxConcurrency": 1, "End": True}})
    assert run(definition, {}).output == [[False, True]] * 3


def test_parallel_branches_read_outer_variables_and_keep_their_own_apart(run):
    def branch(name, value):
        return {
            "StartAt": name,
            "States": {
                name: {"Type": "Pass", "Assign": {"mine": value}, "Next": f"{name}2"},
                f"{name}2": {"Type": "Pass", "Output": "{% $base & $mine %}", "End": True},
            },
        }

    definition = jsonata(
        {
            "Set": {"Type": "Pass", "Assign": {"base": "b:"}, "Next": "Both"},
            "Both": {
                "Type": "Parallel",
                "Branches": [branch("L", "left"), branch("R", "right")],
                "Next": "After",
            },
            "After": {"Type": "Pass", "Output": ["{% $states.input %}", "{% $exists($mine) %}"], "End": True},
        }
    )
    assert run(definition, {}).output == [["b:left", "b:right"], False]


def test_nested_maps_read_every_enclosing_scope(run):
    innermost = {
        "Leaf": {"Type": "Pass", "Output": "{% $top & $middle & $string($states.input) %}", "End": True}
    }
    middle = {
        "Mid": {"Type": "Pass", "Assign": {"middle": "{% $states.input.tag %}"}, "Next": "Deeper"},
        "Deeper": {**map_of(innermost), "Items": "{% $states.input.ns %}", "End": True},
    }
    definition = jsonata(
        {
            "Set": {"Type": "Pass", "Assign": {"top": "T"}, "Next": "Outer"},
            "Outer": {
                **map_of(middle),
                "Items": [{"tag": "x", "ns": [1, 2]}, {"tag": "y", "ns": [3]}],
                "End": True,
            },
        }
    )
    assert run(definition, {}).output == [["Tx1", "Tx2"], ["Ty3"]]


def test_results_leave_a_map_through_its_output_into_an_outer_assign(run):
    inner = {"Square": {"Type": "Pass", "Output": "{% $states.input * $states.input %}", "End": True}}
    definition = jsonata(
        {
            "Each": {
                **map_of(inner),
                "Items": [2, 3],
                "Assign": {"squares": "{% $states.result %}"},
                "Next": "Read",
            },
            "Read": {"Type": "Pass", "Output": "{% $sum($squares) %}", "End": True},
        }
    )
    assert run(definition, {}).output == 13


def test_a_catcher_on_a_map_assigns_in_the_outer_scope(run):
    inner = {
        "Bad": {"Type": "Pass", "Assign": {"inner": 1}, "Next": "Stop"},
        "Stop": {"Type": "Fail", "Error": "Oops"},
    }
    catcher = {
        "ErrorEquals": ["Oops"],
        "Assign": {"caught": "{% $states.errorOutput.Error %}"},
        "Next": "Read",
    }
    definition = jsonata(
        {
            "Each": {**map_of(inner), "Items": [1], "Catch": [catcher], "End": True},
            "Read": {"Type": "Pass", "Output": ["{% $caught %}", "{% $exists($inner) %}"], "End": True},
        }
    )
    assert run(definition, {}).output == ["Oops", False]


def test_an_inner_state_may_assign_a_name_an_outer_state_assigns(run):
    # AWS accepts such definitions (recorded: a Parallel branch and the Parallel's
    # Catcher both assigning one name); the inner value lives in the inner scope only.
    inner = {"Inner": {"Type": "Pass", "Assign": {"shared": "inner"}, "Output": "{% $shared %}", "End": True}}
    definition = jsonata(
        {
            "Set": {"Type": "Pass", "Assign": {"shared": "outer"}, "Next": "Each"},
            "Each": {**map_of(inner), "Items": [1], "Next": "Read"},
            "Read": {"Type": "Pass", "Output": ["{% $states.input[0] %}", "{% $shared %}"], "End": True},
        }
    )
    ran = run(definition, {})
    # The Output of the assigning state itself still reads the outer value.
    assert ran.output == ["outer", "outer"]


def test_distributed_map_children_cannot_read_outer_variables(run):
    def distributed(item_state, **fields):
        processor = {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Child",
            "States": {"Child": item_state},
        }
        return {"Type": "Map", "ItemProcessor": processor, "End": True, **fields}

    reads_outer = {"Type": "Pass", "Parameters": {"v.$": "$outer"}, "End": True}
    setter = {"Type": "Pass", "Assign": {"outer": "o"}, "Next": "M"}
    ran = run(jsonpath({"Set": setter, "M": distributed(reads_outer)}), [1])
    assert ran.describe["error"] == "States.ExceedToleratedFailureThreshold"
    # The ItemSelector belongs to the Map state, in the outer scope: it passes the value in.
    selector = {"v.$": "$outer"}
    passes = {"Type": "Pass", "End": True}
    ran = run(jsonpath({"Set": setter, "M": distributed(passes, ItemSelector=selector)}), [1])
    assert ran.output == [{"v": "o"}]


# --- names and limits ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["1st", "with-dash", "with space", "dot.ted", "", "a" * 81, "x$"])
@pytest.mark.parametrize("language", ["JSONPath", "JSONata"])
def test_an_assign_key_that_is_not_a_variable_name_is_refused(sfn, name, language):
    state = {"Type": "Pass", "QueryLanguage": language, "Assign": {name: 1}, "End": True}
    message = refusal(sfn, jsonpath({"S": state}))
    assert f"SCHEMA_VALIDATION_FAILED: The variable name '{name}' is invalid" in message
    pointer = name.replace("~", "~0").replace("/", "~1")
    assert message.endswith(f"at /States/S/Assign/{pointer}'")


@pytest.mark.parametrize("name", ["_private", "camelCase42", "ñandú", "a" * 80, "States"])
def test_unicode_identifiers_up_to_80_characters_are_variable_names(run, name):
    definition = jsonpath(
        {
            "Set": {"Type": "Pass", "Assign": {name: "ok"}, "Next": "Read"},
            "Read": {"Type": "Pass", "Parameters": {"v.$": f"${name}"}, "End": True},
        }
    )
    assert run(definition, {}).output == {"v": "ok"}


@pytest.mark.parametrize(
    ("state", "where"),
    [
        ({"Type": "Pass", "Assign": {"states": 1}, "Next": "E"}, "/States/S/Assign/states"),
        ({"Type": "Pass", "Assign": {"states.$": "$"}, "Next": "E"}, "/States/S/Assign/states.$"),
        (
            {
                "Type": "Choice",
                "Choices": [{"Variable": "$.a", "IsNull": True, "Assign": {"states": 1}, "Next": "E"}],
                "Default": "E",
            },
            "/States/S/Choices[0]/Assign/states",
        ),
        (
            {
                "Type": "Task",
                "Resource": ECHO,
                "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"states": 1}, "Next": "E"}],
                "Next": "E",
            },
            "/States/S/Catch[0]/Assign/states",
        ),
    ],
    ids=["state", "jsonpath-suffix", "choice-rule", "catcher"],
)
def test_the_reserved_states_variable_cannot_be_assigned(sfn, state, where):
    message = refusal(sfn, jsonpath({"S": state, "E": {"Type": "Succeed"}}))
    assert f"The variable name 'states' is reserved and cannot be assigned at {where}'" in message


def test_the_reserved_name_is_refused_in_jsonata_states_too(sfn):
    message = refusal(sfn, jsonata({"S": {"Type": "Pass", "Assign": {"states": "{% 1 %}"}, "End": True}}))
    assert (
        "The variable name 'states' is reserved and cannot be assigned at /States/S/Assign/states'" in message
    )


def sized(**values):
    """A JSONata Assign whose values are strings whose JSON text is exactly ``n`` bytes."""
    return {name: "{% $pad('', " + str(size - 2) + ", 'x') %}" for name, size in values.items()}


def test_a_variable_of_up_to_256_kib_is_accepted(run):
    ran = run(jsonata({"Set": {"Type": "Pass", "Assign": sized(big=LIMIT), "Output": {}, "End": True}}), {})
    assert ran.status == "SUCCEEDED"
    assert len(assigned(ran, "Set")[0]["big"]) == LIMIT


def test_a_variable_over_256_kib_is_a_data_limit_error(run):
    ran = run(
        jsonata({"Set": {"Type": "Pass", "Assign": sized(big=LIMIT + 1), "Output": {}, "End": True}}), {}
    )
    assert ran.describe["error"] == "States.DataLimitExceeded"
    assert ran.describe["cause"] == (
        "The state 'Set' assigned the variable 'big' a value with a size exceeding the maximum number "
        "of bytes service limit."
    )
    assert ran.types == ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]


def test_one_assign_may_set_at_most_256_kib_in_all(run):
    fits = sized(a=LIMIT // 2, b=LIMIT // 2)
    assert (
        run(jsonata({"Set": {"Type": "Pass", "Assign": fits, "Output": {}, "End": True}}), {}).status
        == "SUCCEEDED"
    )
    over = sized(a=LIMIT // 2, b=LIMIT // 2 + 1)
    ran = run(jsonata({"Set": {"Type": "Pass", "Assign": over, "Output": {}, "End": True}}), {})
    assert ran.describe["error"] == "States.DataLimitExceeded"
    assert "assigned variables with a combined size exceeding" in ran.describe["cause"]


def test_multibyte_characters_count_in_utf8_bytes(run):
    # Each "é" is two bytes: half as many characters reach the limit.
    assign = {"v": "{% $pad('', " + str(LIMIT // 2) + ", 'é') %}"}
    ran = run(jsonata({"Set": {"Type": "Pass", "Assign": assign, "Output": {}, "End": True}}), {})
    assert ran.describe["error"] == "States.DataLimitExceeded"


def test_a_jsonpath_choice_rule_assign_reads_the_input_through_paths(run):
    rule = {
        "Variable": "$.n",
        "IsNumeric": True,
        "Assign": {"n.$": "$.n", "text.$": "States.Format('n={}', $.n)"},
    }
    definition = jsonpath(
        {
            "Pick": {"Type": "Choice", "Choices": [{**rule, "Next": "Read"}], "Default": "Read"},
            "Read": {"Type": "Pass", "Parameters": {"n.$": "$n", "text.$": "$text"}, "End": True},
        }
    )
    ran = run(definition, {"n": 8})
    assert ran.output == {"n": 8, "text": "n=8"}
    assert assigned(ran, "Pick") == [{"n": "8", "text": '"n=8"'}]


def test_a_jsonpath_choice_rule_assign_is_compiled_when_the_machine_is_created(sfn):
    rule = {"Variable": "$.n", "IsNumeric": True, "Assign": {"bad.$": "not a path"}, "Next": "E"}
    message = refusal(
        sfn, jsonpath({"Pick": {"Type": "Choice", "Choices": [rule]}, "E": {"Type": "Succeed"}})
    )
    assert "at /States/Pick/Choices[0]/Assign'" in message


def test_all_variables_of_an_execution_stay_under_10_mib(run):
    chunk = "v" * (250 * 1024)
    states = {}
    for i in range(42):
        states[f"A{i}"] = {"Type": "Pass", "Assign": {f"var{i}.$": "$.chunk"}, "Next": f"A{i + 1}"}
    states["A42"] = {"Type": "Succeed"}
    ran = run({"StartAt": "A0", "States": states}, {"chunk": chunk})
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "States.DataLimitExceeded"
    assert "10 MiB" in ran.describe["cause"]
    assert ran.types.count("PassStateExited") == 40


def test_reassigning_a_variable_replaces_its_size(run):
    chunk = "v" * (250 * 1024)
    states = {
        f"A{i}": {"Type": "Pass", "Assign": {"same.$": "$.chunk"}, "Next": f"A{i + 1}"} for i in range(60)
    }
    states["A60"] = {"Type": "Succeed"}
    assert run({"StartAt": "A0", "States": states}, {"chunk": chunk}).status == "SUCCEEDED"
