"""The ``sitecustomize`` of ``tweepy-dm redirect``: the redirect, on in a command's processes.

:func:`tweepy_dm.emulator._redirect.run_redirected` copies this file, byte for
byte, into a temporary directory put first on the command's ``PYTHONPATH``, so
every Python process the command starts imports it as ``sitecustomize``. There
(and only there: imported under its own name it does nothing) it turns
:class:`~tweepy_dm.emulator.Redirect` on for the life of the process, calls
``tweepy_dm.install()`` on tweepy before 4.12, and then runs any
``sitecustomize`` it hides further along the path.

It runs in the child, where tweepy-dm may be missing or tweepy older: it
imports nothing from tweepy-dm until the environment asks for a redirect, and
refuses to go on talking to the real X when the redirect cannot be set up.

.. versionadded:: 0.2
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from typing import NoReturn

#: The environment variable that carries the emulator's URL to child processes
#: (``tweepy_dm.emulator._redirect.ENV_VARIABLE``; a test checks they agree).
ENV_VARIABLE = "TWEEPY_DM_REDIRECT_URL"


def fail(message: str) -> NoReturn:
    """Stop the process: raising here would only print a warning and go on to the real X."""
    sys.stderr.write("tweepy-dm redirect: " + message + "\n")
    sys.stderr.flush()
    os._exit(2)


def redirect() -> None:
    """Turn the redirect on for this process, if the environment names an emulator."""
    api_url = os.environ.get(ENV_VARIABLE)
    if not api_url:
        return
    try:
        from tweepy_dm.emulator._redirect import Redirect
    except Exception as error:
        if importlib.util.find_spec("tweepy") is None:
            return  # this Python has no tweepy (a tool the command runs): leave it be
        fail(
            f"tweepy-dm is not importable by {sys.executable} ({error}); "
            "install it there, or run the command with the Python that has it"
        )
    try:
        Redirect(api_url).__enter__()  # for the life of the process
        from tweepy_dm._compat import NATIVE_DM_SUPPORT

        if not NATIVE_DM_SUPPORT:
            import tweepy_dm

            tweepy_dm.install()
    except Exception as error:
        fail(f"could not redirect to {api_url!r}: {error!r}")


def chain(here: str) -> None:
    """Run the ``sitecustomize`` this one hides (one further along the path), if any."""
    path = [entry for entry in sys.path if os.path.abspath(entry or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


if __name__ == "sitecustomize":
    redirect()
    chain(os.path.dirname(os.path.abspath(__file__)))
