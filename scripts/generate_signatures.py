"""Write tweepy_dm/_signatures.pyi from the endpoint table; run it after changing the table."""

from __future__ import annotations

from tweepy_dm._methods import STUB_PATH, render_stub

if __name__ == "__main__":
    STUB_PATH.write_text(render_stub(), encoding="utf-8")
    print(f"wrote {STUB_PATH}")
