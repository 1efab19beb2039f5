"""XChat's and AsyncXChat's method signatures, generated from the flows they run.

The check of xchat.py's text reads the source only, so it runs without chatxdk;
the check of the classes themselves imports tweepy_dm.xchat and so needs it.
"""

from __future__ import annotations

import importlib.util
import inspect
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _load_generator():
    path = ROOT / "scripts" / "generate_signatures.py"
    spec = importlib.util.spec_from_file_location("generate_signatures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generator = _load_generator()


def test_the_declared_signatures_match_the_flows():
    source = generator.XCHAT_PATH.read_text(encoding="utf-8")
    assert generator.updated_xchat(source) == source, (
        "XChat's or AsyncXChat's TYPE_CHECKING block in tweepy_dm/xchat.py is stale: "
        "run python scripts/generate_signatures.py"
    )


def test_every_declared_method_has_its_flows_parameters():
    # Not `**options: Any`: the names and defaults a caller may pass, as the flow takes them.
    source = generator.XCHAT_PATH.read_text(encoding="utf-8")
    flows = {node.name: node for node in generator.xchat_flows(source)}
    assert {"send", "delete", "get_messages", "register_keys"} <= set(flows)
    block = generator.render_xchat_block(source, asynchronous=False)
    assert "**" not in block
    assert "reply_to: Optional[ChatMessage] = None" in block
    assert "for_all: bool = False" in block


def _chatxdk_missing():
    if sys.version_info < (3, 10):
        return "chatxdk needs Python 3.10+"
    if importlib.util.find_spec("chat_xdk") is None:
        return 'chatxdk is not installed (pip install "tweepy-dm[xchat]")'
    return None


@pytest.mark.skipif(_chatxdk_missing() is not None, reason=str(_chatxdk_missing()))
@pytest.mark.parametrize("class_name", ["XChat", "AsyncXChat"])
def test_the_classes_have_exactly_the_flows_with_their_signatures(class_name):
    from tweepy_dm import xchat

    cls = getattr(xchat, class_name)
    source = generator.XCHAT_PATH.read_text(encoding="utf-8")
    names = [node.name for node in generator.xchat_flows(source)]
    assert list(xchat._FLOWS) == names
    for name in names:
        method = getattr(cls, name)
        assert inspect.iscoroutinefunction(method) == (class_name == "AsyncXChat"), name
        assert method.__doc__ == getattr(xchat._Session, name).__doc__, name
