"""``import fakesfn`` loads nothing but its version; each public name loads on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import fakesfn


def _modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(m for m in sys.modules if m.startswith('fakesfn')))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_importing_the_package_loads_only_its_version():
    assert _modules_after("import fakesfn") == {"fakesfn", "fakesfn._version"}


def test_a_fake_client_does_not_load_the_server_graphs_notebook_or_cli():
    loaded = _modules_after("import fakesfn\nfakesfn.FakeSFNClient().list_activities()")
    for unwanted in ("fakesfn.server", "fakesfn.graph", "fakesfn.notebook", "fakesfn.cli", "fakesfn.replay"):
        assert unwanted not in loaded


def test_the_pytest_plugin_loads_fakesfn_only_when_a_fixture_is_used():
    loaded = _modules_after("import fakesfn.pytest_plugin")
    assert "fakesfn.backend" not in loaded


@pytest.mark.parametrize("name", sorted(fakesfn.__all__))
def test_every_public_name_resolves(name):
    assert getattr(fakesfn, name) is not None
    assert name in dir(fakesfn)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        fakesfn.nope  # noqa: B018


@pytest.mark.parametrize(
    "first",
    ["fakesfn.service.pending", "fakesfn.service.tags", "fakesfn.engine.execution", "fakesfn.patching"],
)
def test_any_module_can_be_imported_first(first):
    loaded = _modules_after(f"import {first}\nimport fakesfn\nfakesfn.FakeSFNClient().list_activities()")
    assert "fakesfn.backend" in loaded
