"""An export interrupted (Ctrl+C) says that its progress is saved and how to resume."""

from __future__ import annotations

from tests.cli.helpers import ALICE, ONE_TO_ONE, export_lines, invoke, oauth1_env
from tweepy_dm.cli import _export


def test_ctrl_c_after_a_page_says_how_to_resume_and_resuming_completes(
    emulator, users, tmp_path, monkeypatch
):
    emulator.seed_messages(ONE_TO_ONE, 250, text="old {i}")
    env = oauth1_env(emulator, users[ALICE])
    path = tmp_path / "dms.jsonl"
    real_write_state = _export.write_state

    def write_then_interrupt(*args, **kwargs):
        real_write_state(*args, **kwargs)
        raise KeyboardInterrupt  # Ctrl+C just after the first page was saved

    monkeypatch.setattr(_export, "write_state", write_then_interrupt)
    result = invoke("export", str(path), env=env)
    assert result.exit_code == 130
    assert f"progress is saved in {path}.state.json" in result.output
    assert "run the same command again to resume" in result.output
    assert "Traceback" not in result.output
    saved = len(export_lines(path))
    assert 0 < saved < 250

    monkeypatch.setattr(_export, "write_state", real_write_state)
    resumed = invoke("export", str(path), env=env)
    assert resumed.exit_code == 0, resumed.output
    assert f"Resumed: wrote {250 - saved} events" in resumed.output
    assert len({line["id"] for line in export_lines(path)}) == 250


def test_ctrl_c_before_any_page_says_nothing_was_saved(emulator, users, tmp_path, monkeypatch):
    emulator.seed_messages(ONE_TO_ONE, 3, text="old {i}")

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(_export, "write_state", interrupt)
    result = invoke("export", str(tmp_path / "dms.jsonl"), env=oauth1_env(emulator, users[ALICE]))
    assert result.exit_code == 130
    assert "before the first page was saved" in result.output
