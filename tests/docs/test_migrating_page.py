"""docs/migrating.rst covers what a migration needs: every legacy call, side by side.

Its snippets run in ``test_doc_snippets`` (against the emulator, where chatxdk imports);
this checks the page's content against what the migration asks of a reader.
"""

from __future__ import annotations

import pathlib
import re

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"

#: Each legacy call or feature, and a pattern its row's first cell must match.
LEGACY = {
    "create_dm by participant_id": r"``create_dm\(participant_id=",
    "create_dm by dm_conversation_id": r"``create_dm\(dm_conversation_id=",
    "create_dm_conversation": r"``create_dm_conversation\(",
    "get_dm_events, every conversation": r"``get_dm_events\(\)``",
    "get_dm_events by participant": r"``get_dm_events\(participant_id=",
    "get_dm_events by conversation": r"``get_dm_events\(dm_conversation_id=",
    "get_dm_event": r"``get_dm_event\(",
    "delete_dm_event": r"``delete_dm_event\(",
    "upload_dm_media and media_id": r"``upload_dm_media\(.*media_id=",
    "get_dm_media": r"``get_dm_media\(",
    "block_dms": r"``block_dms\(",
    "unblock_dms": r"``unblock_dms\(",
    "the stream's dm.* events": r"stream: ``dm\.received``",
    "webhooks": r"Webhooks: ``dm\.received``",
    "DMBot": r"``DMBot\(",
    "the command line": r"``tweepy-dm send",
}


def _page():
    return (DOCS / "migrating.rst").read_text(encoding="utf-8")


def _table_rows(text):
    """The side-by-side table's rows, as (legacy cell, XChat cell), whitespace folded."""
    table = text[text.index("Side by side\n") :]
    table = table[: table.index("\nWhere a key blob comes from")]
    rows = []
    for row in re.split(r"^    \* - ", table, flags=re.M)[2:]:  # [0] before, [1] the header
        cells = [" ".join(cell.split()) for cell in re.split(r"^      - ", row, flags=re.M)]
        rows.append((cells[0], cells[1]))
    return rows


def test_the_side_by_side_table_covers_every_legacy_call():
    rows = _table_rows(_page())
    missing = [
        name
        for name, pattern in LEGACY.items()
        if not any(re.search(pattern, legacy) for legacy, _ in rows)
    ]
    assert missing == []
    assert all(xchat for _, xchat in rows), "a legacy call without its XChat counterpart"


def test_the_page_has_each_part_a_migration_needs():
    text = _page()
    titles = re.findall(r"^(.+)\n=+\n", text, re.M)
    assert titles == [
        "The date, and what stops",
        "The one-line change",
        "Side by side",
        "Where a key blob comes from, and how to keep it",
        "OAuth 1.0a's end",
        "What is unconfirmed",
    ]
    assert "**2026-12-09**" in text
    assert "**2027-01-31**" in text
    assert 'xchat_key="xchat.key",  # the one new line' in text
    # How to test as X behaves after the cutover, with an XChat user on the other side.
    assert 'DMEmulator(legacy_dms="off")' in text
    assert "emulator.send_chat(" in text


def test_the_index_opens_with_the_cutover_and_points_to_migrating_and_xchat_first():
    text = (DOCS / "index.rst").read_text(encoding="utf-8")
    opening = text[: text.index(".. code-block:: python")]
    assert "2026-12-09" in opening
    assert ":doc:`migrating`" in opening
    assert ":doc:`xchat`" in opening
    guide = re.search(r":caption: Guide\n\n((?:    \S+\n)+)", text).group(1).split()
    assert guide[:3] == ["install", "migrating", "xchat"]
