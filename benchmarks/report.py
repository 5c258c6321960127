"""Printing results: the side-by-side table (text or Markdown), the notes, the machine."""

from __future__ import annotations

import datetime
import os
import platform
import sys
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks.harness import Figures
    from benchmarks.workloads import Workload


@dataclass(slots=True)
class Row:
    """One workload's figures on both engines (``moto`` is ``None`` when moto did not run at all)."""

    workload: Workload
    size: int
    fake: Figures
    moto: Figures | None
    fake_runs: int = 1


def machine() -> str:
    """Date, CPU, core count, Python and library versions: what a figure needs to be read."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next(
                (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), model
            )
    except OSError:
        pass
    versions = []
    for package in ("fakesfn", "botocore", "moto"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} absent")
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{today} UTC; {model}, {os.cpu_count()} CPUs (load average {load}), "
        f"{platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {', '.join(versions)}"
    )


def max_rss_mb() -> float:
    """This process's peak resident memory so far (run one workload with ``--only`` to read its own)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kibibytes, macOS bytes.
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def seconds(value: float | None) -> str:
    """A duration in the unit that reads best."""
    if value is None:
        return "-"
    if value < 1e-3:
        return f"{value * 1e6:.0f} us"
    if value < 1:
        return f"{value * 1e3:.1f} ms"
    return f"{value:.2f} s"


def _number(value: float | None, suffix: str = "") -> str:
    return "-" if value is None else f"{value:,.0f}{suffix}"


def _wall(figures: Figures | None, *, per_call: bool) -> str:
    if figures is None:
        return "-"
    if figures.status == "timeout":
        return f"timeout (>{seconds(figures.wall)})"
    if figures.status in ("skipped", "error"):
        return figures.status
    text = seconds(figures.wall) + ("/call" if per_call else "")
    return text if figures.status == "ok" else f"{text} MISMATCH"


def _cpu(figures: Figures, *, per_call: bool) -> str:
    if figures.cpu is None or figures.status != "ok":
        return "-"
    return seconds(figures.cpu) + ("/call" if per_call else "")


def _achieved(row: Row) -> str:
    goal = row.workload.goal
    if goal is None:
        return "-"
    value = row.fake.metric(goal.metric)
    if value is None:
        return "-"
    shown = {
        "tps": f"{value:,.0f} tr/s",
        "wall": seconds(value),
        "peak": f"{value:.1f} MB",
        "rps": f"{value:,.0f} req/s",
        "floor": f"{value:.2f}x ({seconds(row.fake.baseline)})",
    }[goal.metric]
    if goal.peak_mb is not None and row.fake.peak_mb is not None:
        shown += f", {row.fake.peak_mb:.1f} MB"
    met = goal.met(row.fake) and row.fake.status == "ok"
    return f"{shown} {'met' if met else 'MISSED'}"


def _speed(row: Row) -> str:
    moto = row.moto
    if moto is None or not row.fake.wall or moto.wall is None or row.fake.status != "ok":
        return "-"
    if moto.status not in ("ok", "mismatch", "timeout"):
        return "-"
    bound = ">" if moto.status == "timeout" else ""
    return f"{bound}{moto.wall / row.fake.wall:,.1f}x"


HEADERS = (
    "workload",
    "fakesfn wall",
    "fakesfn cpu",
    "tr/s",
    "events",
    "peak MB",
    "target",
    "achieved",
    "moto wall",
    "moto tr/s",
    "fakesfn/moto speed",
)


def cells(row: Row) -> tuple[str, ...]:
    """The table cells of one row."""
    per_call = row.workload.goal is not None and row.workload.goal.metric in ("floor", "rps")
    fake, moto = row.fake, row.moto
    peak = "-" if fake.peak_mb is None else f"{fake.peak_mb:.1f}"
    return (
        row.workload.name if row.size == row.workload.size else f"{row.workload.name} (size {row.size})",
        _wall(fake, per_call=per_call),
        _cpu(fake, per_call=per_call),
        _number(fake.tps),
        _number(fake.counts.events),
        peak,
        row.workload.goal.text if row.workload.goal is not None else "-",
        _achieved(row),
        _wall(moto, per_call=per_call),
        _number(moto.tps if moto is not None and moto.status in ("ok", "mismatch") else None),
        _speed(row),
    )


def notes(rows: list[Row]) -> list[str]:
    """Why a figure is missing or marked: mismatches, errors, timeouts, skips."""
    out = []
    for row in rows:
        for figures in (row.fake, row.moto):
            if figures is not None and figures.status != "ok":
                out.append(f"{row.workload.name} on {figures.engine}: {figures.status}: {figures.note}")
    return out


def text_table(rows: list[Row]) -> str:
    """A fixed-width table for the terminal."""
    table = [HEADERS, *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADERS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in table
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(rows: list[Row]) -> str:
    """The same table in Markdown, with the machine and the notes."""
    lines = [
        f"Measured {machine()}.",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "---|" * len(HEADERS),
        *("| " + " | ".join(cells(row)) + " |" for row in rows),
    ]
    found = notes(rows)
    if found:
        lines += ["", "Notes:", "", *(f"- {note}" for note in found)]
    return "\n".join(lines) + "\n"
