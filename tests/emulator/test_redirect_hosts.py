"""redirect() catches every spelling of X's hosts; its child bootstrap is a real module."""

from __future__ import annotations

import importlib
import sys

import pytest
import requests

from tweepy_dm import _sitecustomize
from tweepy_dm.emulator import DMEmulator
from tweepy_dm.emulator._redirect import (
    ENV_VARIABLE,
    bootstrap_source,
    current_target,
    rewrite,
    write_bootstrap,
)


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://api.twitter.com./2/users/me", "api.twitter.com."),
        ("https://API.X.COM/2/users/me", "API.X.COM"),
        ("https://Upload.Twitter.Com.:443/2/users/me", "Upload.Twitter.Com.:443"),
    ],
)
def test_fully_qualified_and_upper_case_hosts_are_redirected(url, host):
    moved = rewrite(url, "http://127.0.0.1:8787")
    assert moved is not None
    assert moved.url == "http://127.0.0.1:8787/2/users/me"
    assert moved.headers["Host"] == host


@pytest.mark.parametrize(
    "url", ["https://api.twitter.com../2/users/me", "https://api.twitter.com.example./2/x"]
)
def test_other_hosts_with_dots_are_left_alone(url):
    assert rewrite(url, "http://127.0.0.1:8787") is None


def test_a_request_to_the_fully_qualified_host_reaches_the_emulator():
    with DMEmulator() as emulator, emulator.redirect():
        response = requests.get("https://api.twitter.com./2/users/me", timeout=10)
    # The emulator's answer to a request without credentials, not the real X's.
    assert response.status_code == 401
    assert response.url.startswith(emulator.url)


def test_the_bootstrap_is_the_module_and_agrees_on_the_variable(tmp_path):
    assert _sitecustomize.ENV_VARIABLE == ENV_VARIABLE
    path = write_bootstrap(str(tmp_path))
    with open(_sitecustomize.__file__, "rb") as module:
        assert bootstrap_source() == module.read()
    with open(path, "rb") as written:
        assert written.read() == bootstrap_source()


def test_importing_the_module_under_its_own_name_turns_nothing_on(monkeypatch):
    monkeypatch.setenv(ENV_VARIABLE, "http://127.0.0.1:1")
    importlib.reload(_sitecustomize)
    assert current_target() is None


def test_without_the_variable_the_bootstrap_does_nothing(monkeypatch):
    monkeypatch.delenv(ENV_VARIABLE, raising=False)
    _sitecustomize.redirect()
    assert current_target() is None


def test_chain_runs_the_sitecustomize_it_hides(tmp_path, monkeypatch):
    hidden = tmp_path / "theirs"
    hidden.mkdir()
    (hidden / "sitecustomize.py").write_text("RAN = True\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), str(hidden)])
    monkeypatch.delitem(sys.modules, "sitecustomize", raising=False)
    _sitecustomize.chain(str(tmp_path))
    assert sys.modules["sitecustomize"].RAN is True
