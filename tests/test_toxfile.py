"""toxfile.py's summary: an env skipped for a missing interpreter is reported as skipped."""

from __future__ import annotations

import importlib.util
import pathlib

import pytest

pytest.importorskip("tox", reason="toxfile.py is a tox plugin: it needs tox")

from tox.tox_env.errors import Skip

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _plugin(monkeypatch):
    spec = importlib.util.spec_from_file_location("toxfile_under_test", ROOT / "toxfile.py")
    module = importlib.util.module_from_spec(spec)
    registered = []
    monkeypatch.setattr("atexit.register", registered.append)
    spec.loader.exec_module(module)
    assert registered == [module._summary]
    return module


class Env:
    def __init__(self, name, base_python, missing):
        self.name = name
        self.conf = {"base_python": base_python}
        self._missing = missing

    @property
    def base_python(self):
        if self._missing:
            raise Skip(
                f"could not find python interpreter with spec(s): {self.conf['base_python']}"
            )
        return object()


def test_a_skipped_interpreter_is_called_skipped_with_tox_reason(monkeypatch, capsys):
    toxfile = _plugin(monkeypatch)
    # A pyenv shim answers for every version: PATH says python3.9 is there.
    monkeypatch.setattr(toxfile.shutil, "which", lambda name: f"/pyenv/shims/{name}")
    ran, skipped, failed = (
        Env("py311", "py311", False),
        Env("py39", "py39", True),
        Env("py310", "py310", False),
    )
    toxfile.tox_before_run_commands(ran)
    for env in (ran, skipped, failed):
        toxfile.tox_env_teardown(env)
    toxfile._summary()
    err = capsys.readouterr().err
    assert "1 of 3 environments ran their tests; 2 did not" in err
    assert "py39: skipped: could not find python interpreter with spec(s): py39" in err
    assert "py39: failed before" not in err
    assert "py310: failed before its commands" in err
