"""The terminal report: one row per machine, a TOTAL row, and (``term-missing``) what never ran."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fakesfn.coverage.inventory import GROUPS, KIND_NAMES

if TYPE_CHECKING:
    from fakesfn.coverage.report import CoverageReport, MachineCoverage

_HEADINGS = ("Name", "Definition", "States", "Choices", "Catches", "Retries", "Cover")


def shown(value: float) -> str:
    """A percentage with one decimal that never rounds up to 100.0 or down to 0.0 when it is not."""
    text = f"{value:.1f}"
    if text == "100.0" and value < 100:
        text = "99.9"
    elif text == "0.0" and value > 0:
        text = "0.1"
    return f"{text}%"


def _row(machine: MachineCoverage) -> tuple[str, ...]:
    return (
        machine.name,
        machine.digest,
        *(machine.tally(group).text() for group in GROUPS),
        shown(machine.percent),
    )


def table(report: CoverageReport) -> list[str]:
    """The table's lines."""
    rows = [_row(machine) for machine in report.machines]
    rows.append(("TOTAL", "", *(report.tally(group).text() for group in GROUPS), shown(report.percent)))
    widths = [max(len(row[i]) for row in [_HEADINGS, *rows]) for i in range(len(_HEADINGS))]

    def line(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
        return "   ".join(cells).rstrip()

    rule = "-" * len(line(_HEADINGS))
    return [line(_HEADINGS), rule, *(line(row) for row in rows[:-1]), rule, line(rows[-1])]


def missing_lines(machine: MachineCoverage) -> list[str]:
    """What ``machine`` never exercised, one item a line."""
    never = machine.missing
    if not never:
        return []
    width = max(len(KIND_NAMES[item.kind]) for item in never)
    lines = [f"{machine.key} never exercised:"]
    lines += [f"  {KIND_NAMES[item.kind].ljust(width)}  {item.label}" for item in never]
    return lines


def render(report: CoverageReport, *, missing: bool = False) -> str:
    """The whole report as text (ending with a newline)."""
    if not report.machines:
        return "No state machine was created while coverage was recorded.\n"
    lines = table(report)
    if missing:
        for machine in report.machines:
            found = missing_lines(machine)
            if found:
                lines += ["", *found]
    return "\n".join(lines) + "\n"
