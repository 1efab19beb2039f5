"""What ``pip install`` gives and what the docs and CHANGELOG say of the release."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import pathlib
import re
import sys
import sysconfig

import tweepy_dm

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _extra(name):
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = config["options.extras_require"][name].splitlines()
    return {re.split(r"[<>=!~;\[ ]", line.strip())[0].lower() for line in lines if line.strip()}


def _third_party_imports(path):
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return {name for name in names if not _stdlib(name)} - {"tweepy_dm"}


def _stdlib(name):
    if name in sys.builtin_module_names:
        return True
    spec = importlib.util.find_spec(name)  # None: not installed here, so not the stdlib
    stdlib = pathlib.Path(sysconfig.get_paths()["stdlib"]).resolve()
    if not (spec and spec.origin) or "site-packages" in spec.origin:
        return False
    return stdlib in pathlib.Path(spec.origin).resolve().parents


def test_the_cli_extra_has_what_the_emulators_xchat_routes_import():
    # `tweepy-dm emulator` comes with the cli extra; without cryptography every
    # XChat route answers 501 (it cannot check a signature).
    needed = _third_party_imports(ROOT / "tweepy_dm" / "emulator" / "_chat.py")
    assert "cryptography" in needed
    assert needed <= _extra("cli")


def _version(text):
    return tuple(int(part) for part in text.split("."))


def test_the_package_is_the_release_the_docs_name():
    named = set()
    for path in [*ROOT.joinpath("tweepy_dm").rglob("*.py"), *ROOT.joinpath("docs").rglob("*.rst")]:
        named |= set(re.findall(r"versionadded:: ([0-9.]+)", path.read_text(encoding="utf-8")))
    newest = max(named, key=_version)
    assert _version(tweepy_dm.__version__)[: len(_version(newest))] == _version(newest)


def test_the_changelog_dates_the_packages_version():
    changelog = ROOT.joinpath("CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## (.+)$", changelog, re.MULTILINE).group(1)
    assert re.fullmatch(rf"{re.escape(tweepy_dm.__version__)} \(\d{{4}}-\d\d-\d\d\)", first), first
