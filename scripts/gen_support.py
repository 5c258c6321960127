"""Generate docs/support.md from fakesfn's registries, so the support matrix cannot drift.

    python scripts/gen_support.py           # rewrite docs/support.md
    python scripts/gen_support.py --check   # exit 1 if docs/support.md is stale

Sources: botocore's Step Functions model (the operations AWS has) against
``fakesfn.service.registry.OPERATIONS`` and ``fakesfn.service.pending.PENDING``
(operations refused as not implemented yet); ``fakesfn.engine.states.STATE_BODIES`` (state types);
``fakesfn.asl.intrinsics.FUNCTIONS``; the functions Step Functions adds to JSONata;
``fakesfn.integrations.registry.INTEGRATIONS`` (task resources) against
``fakesfn.asl.optimized.OPTIMIZED_INTEGRATIONS`` (AWS's optimized catalogue). Notes
are the first line of each registered handler's docstring.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "support.md"

_LITERAL = re.compile(r"``(.+?)``")
_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")


def _md(text: str) -> str:
    """One docstring line as Markdown table text: rST literals and roles to code spans."""
    text = _ROLE.sub(lambda m: f"`{m.group(1).rsplit('.', 1)[-1]}`", text)
    text = _LITERAL.sub(lambda m: f"`{m.group(1)}`", text)
    return text.replace("|", "\\|").strip()


def _first_line(obj: Any) -> str:
    doc = inspect.getdoc(obj) or ""
    return _md(doc.splitlines()[0]) if doc else ""


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _section(title: str, intro: str, table: str) -> str:
    return f"## {title}\n\n{intro}\n\n{table}\n"


# --- API operations --------------------------------------------------------------------------


def _botocore_model() -> tuple[list[str], set[str]]:
    import botocore.session

    session = botocore.session.get_session()
    model = session.get_service_model("stepfunctions")
    paginators = session.get_component("data_loader").load_service_model("stepfunctions", "paginators-1")
    return sorted(model.operation_names), set(paginators.get("pagination", {}))


def operations() -> str:
    """The API operations botocore knows, and what fakesfn does with each."""
    from fakesfn.backend import Backend  # noqa: F401 - imports every operation module
    from fakesfn.service.pending import PENDING
    from fakesfn.service.registry import OPERATIONS

    names, paginated = _botocore_model()
    rows = []
    for name in names:
        handler = OPERATIONS.get(name)
        if handler is None:
            status, note = "missing", "unknown to fakesfn: `UnknownOperationException`"
        elif name in PENDING:
            status, note = "refused", "`UnsupportedOperation`: not implemented yet"
        else:
            status, note = "implemented", _first_line(handler)
        rows.append((f"`{name}`", status, "yes" if name in paginated else "", note))
    implemented = sum(1 for row in rows if row[1] == "implemented")
    intro = (
        f"botocore's Step Functions model has {len(names)} operations; fakesfn implements "
        f"{implemented} of them. An operation it does not implement is refused loudly with "
        "`UnsupportedOperation`, never answered wrongly."
    )
    return _section("API operations", intro, _table(("operation", "status", "paginator", "notes"), rows))


# --- the language ----------------------------------------------------------------------------


def state_types() -> str:
    """Every state type with a registered body."""
    from fakesfn.engine.states import STATE_BODIES

    rows = sorted(
        (f"`{node.__name__.removesuffix('State')}`", f"`{body.__module__}`", _first_line(body))
        for node, body in STATE_BODIES.items()
    )
    intro = "Every state type the States Language defines, each run by one body in the engine."
    return _section("State types", intro, _table(("type", "module", "notes"), rows))


def _parameter(param: Any) -> str:
    return f"{param.label}: {param.type.description}"


def _signature(spec: Any) -> str:
    parts = [_parameter(p) for p in spec.params]
    parts += [f"[{_parameter(p)}]" for p in spec.optional]
    if spec.variadic is not None:
        parts.append(f"{_parameter(spec.variadic)}, ...")
    return f"{spec.name}({', '.join(parts)})"


def intrinsics() -> str:
    """The ``States.*`` intrinsic functions with their declared signatures."""
    from fakesfn.asl.intrinsics import FUNCTIONS

    rows = [(f"`{_signature(spec)}`", _md(spec.summary)) for spec in FUNCTIONS.values()]
    intro = (
        f"All {len(rows)} intrinsic functions, for JSONPath states. Arguments are checked against "
        "these signatures on every call; a refused argument is `States.IntrinsicFailure` with AWS's wording."
    )
    return _section("Intrinsic functions", intro, _table(("function", "what it returns"), rows))


def _jsonata_specs() -> list[tuple[Any, bool]]:
    from fakesfn.asl.jsonata import functions

    pure = [(spec, False) for spec in functions._PURE]
    per_call = [(spec, True) for spec in functions._PER_CALL.values()]
    names = {spec.name for spec, _ in pure + per_call}
    assert names == set(functions.NAMES), "functions.NAMES and its tables disagree"
    return sorted(pure + per_call, key=lambda item: item[0].name)


_CALL = re.compile(r"^`(\$[^`]*)`:?\s*(.*)$")


def _jsonata_row(spec: Any, per_call: bool) -> tuple[str, str, str]:
    line = _first_line(spec.impl)
    match = _CALL.match(line)
    call, summary = (match.group(1), match.group(2)) if match else (f"${spec.name}", line)
    if not line.startswith(f"`{call}`:"):
        summary = line  # the line is a sentence about the call: keep it whole
    return f"`{call}`", summary[:1].upper() + summary[1:], "yes" if per_call else ""


def jsonata_functions() -> str:
    """The functions Step Functions adds to (or redefines in) JSONata."""
    rows = [_jsonata_row(spec, per_call) for spec, per_call in _jsonata_specs()]
    rows.append(("`$eval`", "Not available, as on AWS (use `$parse`).", ""))
    intro = (
        "JSONata expressions are evaluated by jsonata-python, with every built-in function of the "
        "JSONata 2.0 specification, plus these, as Step Functions provides them. Functions marked "
        "*per evaluation* read the execution's seeded randomness or the virtual clock, so they are "
        "deterministic in fakesfn."
    )
    table = _table(("function", "what it does", "per evaluation"), rows)
    return _section("JSONata functions added by Step Functions", intro, table)


# --- tasks -----------------------------------------------------------------------------------

_RESOURCE_FORMS: dict[str, str] = {
    "lambda": "arn:aws:lambda:REGION:ACCOUNT:function:NAME",
    "activity": "arn:aws:states:REGION:ACCOUNT:activity:NAME",
    "aws-sdk": "arn:aws:states:::aws-sdk:SERVICE:ACTION",
    "service": "arn:aws:states:::{key}",
}


def _resource(kind: str, key: str) -> str:
    return _RESOURCE_FORMS.get(kind, f"{kind}:{{key}}").format(key=key)


def _patterns(key: str) -> str:
    from fakesfn.asl.optimized import OPTIMIZED_INTEGRATIONS

    found = OPTIMIZED_INTEGRATIONS.get(key)
    if found is None:
        return ""
    # request-response (the empty suffix) first, then the suffixes in order
    return ", ".join(f".{p}" if p else "request-response" for p in sorted(found))


def integrations() -> str:
    """The task resources fakesfn runs, from the integration registry."""
    from fakesfn.integrations import catalog  # noqa: F401 - registers every integration
    from fakesfn.integrations.registry import INTEGRATIONS

    rows = sorted(
        (
            f"`{_resource(kind, key)}`",
            _patterns(key) if kind == "service" else "",
            f"`{integration.__module__}`",
            _first_line(integration),
        )
        for (kind, key), integration in INTEGRATIONS.items()
    )
    intro = (
        "What a Task's `Resource` can be, and what runs it. A mocked state (`backend.mocks`) takes "
        "any task over before this table is consulted; a resource matching no row fails the task with "
        '`States.Runtime` ("fakesfn cannot run the resource ...").'
    )
    table = _table(("resource", "patterns", "module", "notes"), rows)
    return _section("Task integrations", intro, table)


def optimized() -> str:
    """AWS's optimized integrations catalogue against the ones fakesfn runs."""
    from fakesfn.asl.optimized import OPTIMIZED_INTEGRATIONS
    from fakesfn.integrations import catalog  # noqa: F401 - registers every integration
    from fakesfn.integrations.registry import INTEGRATIONS

    def runs(key: str) -> bool:
        service = key.split(":", 1)[0]
        return ("service", key) in INTEGRATIONS or ("service", f"{service}:*") in INTEGRATIONS

    rows = [
        (f"`{key}`", _patterns(key), "runs" if runs(key) else "accepted; runs only when mocked")
        for key in sorted(OPTIMIZED_INTEGRATIONS)
    ]
    running = sum(1 for row in rows if row[2] == "runs")
    others = (
        " For the others, mock the state or use the `aws-sdk:*` form."
        if running < len(rows)
        else " Any of them can also be mocked (`backend.mocks`)."
    )
    intro = (
        f"Every optimized integration AWS offers ({len(rows)}) is accepted in a definition, with AWS's "
        f"rules on which patterns each supports; fakesfn runs {running} of them through "
        "`backend.aws_session` (or in-process: `states:startExecution`; `http:invoke`, "
        "`apigateway:invoke` and EKS's Kubernetes API (`eks:call`, `eks:runJob`) through "
        f"`backend.register_http`).{others}"
    )
    return _section("Optimized integrations", intro, _table(("integration", "patterns", "in fakesfn"), rows))


# --- the page --------------------------------------------------------------------------------

_HEADER = """\
# Support matrix

<!-- Generated by scripts/gen_support.py from fakesfn's registries: do not edit by hand.
     Regenerate with `python scripts/gen_support.py` (or `nox -s docs`). -->

Generated from the registries that drive fakesfn itself, and checked by the test suite, so it
cannot drift from the code. For what these mean in practice, see [Fidelity](fidelity.md).
"""

SECTIONS: tuple[Callable[[], str], ...] = (
    operations,
    state_types,
    intrinsics,
    jsonata_functions,
    integrations,
    optimized,
)


def render() -> str:
    """The whole page."""
    return "\n".join([_HEADER, *(section() for section in SECTIONS)])


def main(argv: Sequence[str] | None = None) -> int:
    """Write docs/support.md, or with ``--check`` report whether it is current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/support.md is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is stale: run python scripts/gen_support.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
