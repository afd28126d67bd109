"""The Teams app package: a valid manifest naming the bot, its icons, and only real commands."""

import json
import struct
import zipfile
from pathlib import Path

from dialogs.commands import TYPED
from manifest.build import build

APP_ID = "11111111-2222-3333-4444-555555555555"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_package_holds_the_manifest_and_icons_teams_requires(tmp_path: Path) -> None:
    package = zipfile.ZipFile(build(APP_ID, tmp_path / "app.zip"))

    manifest = json.loads(package.read("manifest.json"))
    assert manifest["manifestVersion"] == "1.17"
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["description"]["short"]) <= 80
    assert _png_size(package.read("color.png")) == (192, 192)
    assert _png_size(package.read("outline.png")) == (32, 32)
    titles = [c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]]
    assert titles == [c.name for c in TYPED][:10]
