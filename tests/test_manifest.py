"""The Teams app package: a valid manifest naming the bot, its icons, and only real commands."""

import json
import struct
import zipfile
from pathlib import Path

from dialogs.commands import TYPED
from manifest.build import HERE, build, commands

APP_ID = "11111111-2222-3333-4444-555555555555"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_package_holds_the_manifest_and_icons_teams_requires(tmp_path: Path) -> None:
    package = zipfile.ZipFile(build(APP_ID, tmp_path / "app.zip"))

    manifest = json.loads(package.read("manifest.json"))
    assert manifest["manifestVersion"] == "1.22"
    assert manifest["bots"][0]["supportsFiles"] is True, "copies are sent as files in the 1:1 chat"
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["description"]["short"]) <= 80
    assert _png_size(package.read("color.png")) == (192, 192)
    assert _png_size(package.read("outline.png")) == (32, 32)
    titles = [c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]]
    assert titles == [c.name for c in TYPED][:10]


def test_command_descriptions_fit_teams_limit_without_cutting_a_word(tmp_path: Path) -> None:
    manifest = json.loads(zipfile.ZipFile(build(APP_ID, tmp_path / "app.zip")).read("manifest.json"))
    full = {c.name: c.description for c in TYPED}
    for command in manifest["bots"][0]["commandLists"][0]["commands"]:
        shown = command["description"]
        assert len(shown) <= 128
        if shown != full[command["title"]]:
            kept = shown.removesuffix("\u2026")
            assert shown.endswith("\u2026") and full[command["title"]].startswith(kept + " "), shown


def test_the_one_manifest_lists_the_registry_s_commands() -> None:
    """manifest.json is what the Agents Toolkit packages too, so its stored list must be current:
    after changing a command, write `commands()` into it."""
    stored = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
    assert stored["bots"][0]["commandLists"][0]["commands"] == commands()
    assert stored["id"] == "${{TEAMS_APP_ID}}" and stored["bots"][0]["botId"] == "${{BOT_ID}}"
