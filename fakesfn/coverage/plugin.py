"""``pytest --sfn-cov``: state-machine coverage of a test session (a ``pytest11`` entry point).

Options (each has an ini equivalent, for ``pyproject.toml`` / ``pytest.ini``):

- ``--sfn-cov`` (ini ``sfn_cov = true``): record every backend the session builds
  (the ``sfn`` / ``sfn_backend`` fixtures, ``mock_sfn()``, ``FakeSFNClient()``);
  ``--no-sfn-cov`` turns an ini ``sfn_cov = true`` off for one run.
- ``--sfn-cov-report=TYPE`` (repeatable; ini ``sfn_cov_report``): ``term``
  (the default), ``term-missing``, ``html[:DIR]`` (default ``sfn-htmlcov``),
  ``json[:FILE]`` (default ``sfn-coverage.json``); an empty value writes no report.
- ``--sfn-cov-fail-under=PERCENT`` (ini ``sfn_cov_fail_under``): fail the session
  (exit status 1) when the total is below PERCENT, as pytest-cov's
  ``--cov-fail-under`` does.

On the command line, ``--sfn-cov-report`` and ``--sfn-cov-fail-under`` turn
recording on by themselves. Under pytest-xdist each worker records its own tests
and sends its data to the controller (``workeroutput``), which merges them, reports
and applies the threshold. Nothing here imports the rest of fakesfn unless coverage
is on.
"""

from __future__ import annotations

import argparse
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import pytest

from fakesfn.coverage.options import ReportSpec, parse_fail_under, parse_report, terminal_text, write_files

if TYPE_CHECKING:
    from collections.abc import Generator

    from fakesfn.coverage.recorder import Coverage
    from fakesfn.coverage.report import CoverageReport

_WORKER_KEY: Final = "fakesfn_sfn_cov"
_PLUGIN_NAME: Final = "fakesfn-sfn-cov-session"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the options and their ini equivalents."""
    group = parser.getgroup("sfn-cov", "fakesfn state-machine coverage")
    group.addoption(
        "--sfn-cov",
        action="store_true",
        default=None,
        dest="sfn_cov",
        help="record which states, Choice rules, Catchers and Retriers the tests exercised (ini: sfn_cov)",
    )
    group.addoption(
        "--no-sfn-cov", action="store_false", dest="sfn_cov", help="do not record (overrides ini sfn_cov)"
    )
    group.addoption(
        "--sfn-cov-report",
        action="append",
        default=None,
        metavar="TYPE",
        type=parse_report,
        dest="sfn_cov_report",
        help="report type: term (default), term-missing, html[:DIR], json[:FILE]; repeatable; "
        "empty for none (ini: sfn_cov_report)",
    )
    group.addoption(
        "--sfn-cov-fail-under",
        metavar="PERCENT",
        type=parse_fail_under,
        default=None,
        dest="sfn_cov_fail_under",
        help="fail if the total state-machine coverage is below PERCENT (ini: sfn_cov_fail_under)",
    )
    parser.addini("sfn_cov", "record state-machine coverage (as --sfn-cov)", type="bool", default=False)
    parser.addini("sfn_cov_report", "state-machine coverage reports (as --sfn-cov-report)", type="args")
    parser.addini("sfn_cov_fail_under", "as --sfn-cov-fail-under", type="string", default="")


@dataclass(frozen=True)
class Settings:
    """What the options and ini settings ask for."""

    reports: tuple[ReportSpec, ...]
    fail_under: float | None


def settings(config: pytest.Config) -> Settings | None:
    """The session's coverage settings, or ``None`` when coverage is off."""
    option = config.option
    reports_given: list[ReportSpec | None] | None = getattr(option, "sfn_cov_report", None)
    fail_under: float | None = getattr(option, "sfn_cov_fail_under", None)
    enabled = getattr(option, "sfn_cov", None)
    if enabled is None:
        enabled = bool(config.getini("sfn_cov")) or reports_given is not None or fail_under is not None
    if not enabled:
        return None
    try:
        if reports_given is None:
            reports_given = [parse_report(value) for value in config.getini("sfn_cov_report")] or [
                ReportSpec("term")
            ]
        if fail_under is None:
            ini = str(config.getini("sfn_cov_fail_under")).strip()
            fail_under = parse_fail_under(ini) if ini else None
    except argparse.ArgumentTypeError as error:
        raise pytest.UsageError(f"fakesfn coverage ini setting: {error}") from None
    return Settings(tuple(spec for spec in reports_given if spec is not None), fail_under)


def pytest_configure(config: pytest.Config) -> None:
    """Start recording when coverage is on."""
    chosen = settings(config)
    if chosen is not None:
        config.pluginmanager.register(SessionCoverage(config, chosen), _PLUGIN_NAME)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop attaching backends (an in-process pytester run must not leave its recording on)."""
    plugin = config.pluginmanager.get_plugin(_PLUGIN_NAME)
    if isinstance(plugin, SessionCoverage):
        plugin.coverage.stop()


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


class SessionCoverage:
    """The session's recording, reports and threshold (registered only when coverage is on)."""

    def __init__(self, config: pytest.Config, chosen: Settings) -> None:
        from fakesfn.coverage.recorder import Coverage

        self.config = config
        self.settings = chosen
        self.coverage: Coverage = Coverage()
        self.coverage.start()
        self.report: CoverageReport | None = None
        self.failed_under = False
        self._text = io.StringIO()
        self._written: list[str] = []

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """pytest-xdist controller: merge what a worker recorded."""
        output = getattr(node, "workeroutput", None) or {}
        if _WORKER_KEY in output:
            self.coverage.data.merge(output[_WORKER_KEY])

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Generator[None, Any, None]:
        """After the tests: a worker hands its data over; otherwise report and apply the threshold."""
        yield
        self.coverage.stop()
        config = self.config
        if _is_worker(config):
            config.workeroutput[_WORKER_KEY] = self.coverage.data.to_dict()  # type: ignore[attr-defined]
            return
        if config.option.collectonly:
            return
        self.report = self.coverage.report()
        self._write_reports(self.report)
        threshold = self.settings.fail_under
        if threshold is not None and self.report.percent < threshold:
            self.failed_under = True
            message = (
                f"State-machine coverage failure: total of {self.report.percent:.2f} "
                f"is less than fail-under={threshold:.2f}"
            )
            reporter = config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write(f"\nERROR: {message}\n", red=True, bold=True)
            session.testsfailed += 1

    def _write_reports(self, report: CoverageReport) -> None:
        specs = self.settings.reports
        self._written = write_files(report, specs, str(self.config.invocation_params.dir))
        self._text.write(terminal_text(report, specs))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """The terminal report, the files written and the threshold's verdict."""
        if self.report is None:
            return
        threshold = self.settings.fail_under
        if not (self._text.getvalue() or self._written or threshold is not None):
            return  # --sfn-cov-report= (no report) and no threshold: nothing to say
        terminalreporter.write_sep("=", "fakesfn state-machine coverage")
        terminalreporter.write(self._text.getvalue())
        for line in self._written:
            terminalreporter.write_line(line)
        if threshold is not None:
            failed = self.failed_under
            verdict = "not reached" if failed else "reached"
            message = (
                f"{'FAIL ' if failed else ''}Required state-machine coverage of {threshold:g}% {verdict}. "
                f"Total coverage: {self.report.percent:.2f}%"
            )
            markup = {"red": True, "bold": True} if failed else {"green": True}
            terminalreporter.write_line(message, **markup)
