"""botbuilder's state, kept in our store: survives a new storage object, detects stale writes."""

from pathlib import Path

import pytest
from botbuilder.dialogs import DialogInstance, DialogState

from bot.storage import TinyDBStore
from bot.storage.bot_state import StoreBotStorage


async def test_dialog_state_round_trips_through_a_fresh_storage(tmp_path: Path) -> None:
    state = DialogState([DialogInstance(id="open-review", state={"step": 2, "answers": {"e1": True}})])
    await StoreBotStorage(TinyDBStore(tmp_path / "s.json")).write({"conv/1": {"DialogState": state}})

    read = await StoreBotStorage(TinyDBStore(tmp_path / "s.json")).read(["conv/1", "absent"])

    assert list(read) == ["conv/1"]
    restored = read["conv/1"]["DialogState"]
    assert isinstance(restored, DialogState)
    assert restored.dialog_stack[0].id == "open-review"
    assert restored.dialog_stack[0].state == {"step": 2, "answers": {"e1": True}}


async def test_a_write_based_on_stale_state_is_refused(tmp_path: Path) -> None:
    storage = StoreBotStorage(TinyDBStore(tmp_path / "s.json"))
    await storage.write({"k": {"n": 1}})
    first = (await storage.read(["k"]))["k"]
    second = (await storage.read(["k"]))["k"]
    await storage.write({"k": {**first, "n": 2}})

    with pytest.raises(KeyError, match="e-tag"):
        await storage.write({"k": {**second, "n": 3}})
    assert (await storage.read(["k"]))["k"]["n"] == 2


async def test_delete_removes_only_the_named_keys(tmp_path: Path) -> None:
    storage = StoreBotStorage(TinyDBStore(tmp_path / "s.json"))
    await storage.write({"a": {"n": 1}, "b": {"n": 2}})
    await storage.delete(["a"])
    assert list(await storage.read(["a", "b"])) == ["b"]
