"""The built-in SVG drawing (no Graphviz) and ``fakesfn run --coverage``."""

from __future__ import annotations

import json
import re

import pytest

from fakesfn.asl.parser import parse_definition
from fakesfn.cli import main
from fakesfn.tools import svg
from fakesfn.tools.shapes import layout

LOOP = {
    "StartAt": "Poll",
    "States": {
        "Poll": {"Type": "Wait", "Seconds": 5, "Next": "Ready?"},
        "Ready?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.ready", "BooleanEquals": True, "Next": "Work"}],
            "Default": "Poll",
        },
        "Work": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
                {
                    "StartAt": "Each",
                    "States": {
                        "Each": {
                            "Type": "Map",
                            "ItemProcessor": {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}},
                            "End": True,
                        }
                    },
                },
            ],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops <&>"}],
            "End": True,
        },
        "Oops <&>": {"Type": "Fail"},
    },
}


def _drawing(definition):
    return svg.render(layout(parse_definition(json.dumps(definition))))


def test_every_state_is_drawn_once_escaped_and_the_drawing_is_deterministic():
    drawing = _drawing(LOOP)
    assert drawing.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="sfn-graph"')
    for name in ("Poll", "Ready?", "Work", "A", "Each", "B", "Oops &lt;&amp;&gt;"):
        assert drawing.count(f'data-state="{name}"') == 1
    assert "Work (Parallel)" in drawing
    assert "Each (Map)" in drawing
    assert "Branch 2" in drawing
    assert drawing == _drawing(LOOP)
    # The loop back to Poll is drawn; every edge ends with an arrow.
    assert drawing.count('<path class="edge') == drawing.count('marker-end="url(#arrow)"') == 13
    width, height = (float(v) for v in re.search(r'viewBox="0 0 (\S+) (\S+)"', drawing).groups())
    assert 0 < width < 2000
    assert 0 < height < 2000


def test_no_box_overlaps_another_in_a_layer():
    drawing = _drawing(LOOP)
    boxes = [
        tuple(float(v) for v in found)
        for found in re.findall(
            r'<rect class="state" x="(\S+)" y="(\S+)" width="(\S+)" height="(\S+)"', drawing
        )
    ]
    for i, (x1, y1, w1, h1) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1 :]:
            assert x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1


def test_run_with_coverage_prints_what_the_run_never_exercised(tmp_path, capsys):
    definition = tmp_path / "route.asl.json"
    definition.write_text(
        json.dumps(
            {
                "StartAt": "Route",
                "States": {
                    "Route": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "One"}],
                        "Default": "Other",
                    },
                    "One": {"Type": "Succeed"},
                    "Other": {"Type": "Succeed"},
                },
            }
        )
    )
    html = tmp_path / "html"
    code = main(
        [
            "run",
            str(definition),
            "--input",
            '{"n": 1}',
            "--quiet",
            "--coverage-report",
            "term-missing",
            "--coverage-report",
            f"html:{html}",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "route-asl   " in out
    assert "2/3       1/2       0/0       0/0   60.0%" in out
    assert "  default  Route → Other (Default)\n  state    Other\n" in out
    assert f"State-machine coverage HTML written to dir {html}" in out
    assert (html / "index.html").exists()
    with pytest.raises(SystemExit) as refused:
        main(["run", str(definition), "--coverage-report", "pdf"])
    assert refused.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err
