"""Check a built wheel as users get it: its files, its entry points, and an install from an index.

Usage: ``python scripts/check_wheel.py DIST_DIR`` (run by ``tox -e package``).
The wheel must hold the package, ``py.typed``, the type stub and the pytest
plugin, and no tests or docs; then it is installed into a fresh virtual
environment the way the README tells users to install from an index
(``pip install "tweepy-dm[cli,async]"``, with DIST_DIR as the index's stand-in),
and ``tweepy-dm demo`` must run.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys
import tempfile
import venv
import zipfile

REQUIRED = [
    "tweepy_dm/__init__.py",
    "tweepy_dm/py.typed",
    "tweepy_dm/_signatures.pyi",
    "tweepy_dm/_endpoints/__init__.py",
    "tweepy_dm/emulator/pytest_plugin.py",
    "tweepy_dm/cli/_main.py",
    # The emulator's inbox page, served from the package.
    "tweepy_dm/emulator/_web/index.html",
    "tweepy_dm/emulator/_web/app.js",
    "tweepy_dm/emulator/_web/style.css",
]


def check_contents(wheel: pathlib.Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
        entry_text = archive.read(entry_points).decode()
    missing = [name for name in REQUIRED if name not in names]
    assert not missing, f"{wheel.name} lacks {missing}"
    stray = [name for name in names if name.split("/")[0] in ("tests", "docs", "benchmarks")]
    assert not stray, f"{wheel.name} holds files that are not the package: {stray[:5]}"
    assert "[pytest11]" in entry_text
    assert "tweepy_dm.emulator.pytest_plugin" in entry_text
    assert "[console_scripts]" in entry_text
    assert "tweepy-dm = " in entry_text
    print(f"{wheel.name}: {len(names)} files, package data and entry points present")


def install_from_index(dist: pathlib.Path, version: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        venv.create(directory, with_pip=True)
        python = pathlib.Path(directory) / "bin" / "python"
        requirement = f"tweepy-dm[cli,async]=={version}"
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "--find-links", dist, requirement],
            check=True,
        )
        demo = subprocess.run(
            [pathlib.Path(directory) / "bin" / "tweepy-dm", "demo"],
            check=True,
            capture_output=True,
            text=True,
        )
        print(f"pip install {requirement!r} then tweepy-dm demo: ok ({len(demo.stdout)} chars)")


def main() -> None:
    dist = pathlib.Path(sys.argv[1])
    (wheel,) = dist.glob("*.whl")
    check_contents(wheel)
    install_from_index(dist, wheel.name.split("-")[1])


if __name__ == "__main__":
    main()
