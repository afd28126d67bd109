"""botbuilder's state, kept in our store (each adapter): survives a new storage object, detects stale
writes."""

from collections.abc import Callable

import pytest
from botbuilder.dialogs import DialogInstance, DialogState

from bot.storage import Store
from bot.storage.bot_state import StoreBotStorage


async def test_dialog_state_round_trips_through_a_fresh_storage(open_store: Callable[[], Store]) -> None:
    state = DialogState([DialogInstance(id="open-review", state={"step": 2, "answers": {"e1": True}})])
    await StoreBotStorage(open_store()).write({"conv/1": {"DialogState": state}})

    read = await StoreBotStorage(open_store()).read(["conv/1", "absent"])

    assert list(read) == ["conv/1"]
    restored = read["conv/1"]["DialogState"]
    assert isinstance(restored, DialogState)
    assert restored.dialog_stack[0].id == "open-review"
    assert restored.dialog_stack[0].state == {"step": 2, "answers": {"e1": True}}


async def test_a_write_based_on_stale_state_is_refused(open_store: Callable[[], Store]) -> None:
    storage = StoreBotStorage(open_store())
    await storage.write({"k": {"n": 1}})
    first = (await storage.read(["k"]))["k"]
    second = (await storage.read(["k"]))["k"]
    await storage.write({"k": {**first, "n": 2}})

    with pytest.raises(KeyError, match="e-tag"):
        await storage.write({"k": {**second, "n": 3}})
    assert (await storage.read(["k"]))["k"]["n"] == 2


async def test_delete_removes_only_the_named_keys(open_store: Callable[[], Store]) -> None:
    storage = StoreBotStorage(open_store())
    await storage.write({"a": {"n": 1}, "b": {"n": 2}})
    await storage.delete(["a"])
    assert list(await storage.read(["a", "b"])) == ["b"]
