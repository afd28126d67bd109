"""A broken framework pack stops the app at start-up with one plain message naming the file and
the field, never a traceback (run as an operator would, on a copy of the app with a broken pack)."""

import json
import shutil
from pathlib import Path

from tests.app_process import APP, start_and_stop

ROOT = APP.parent
# What app.py imports and reads: the copy runs on its own files.
_COPIED = ("bot", "dialogs", "views", "cards", "config", "manifest")


def test_a_broken_pack_stops_the_app_naming_the_file_and_the_field(tmp_path: Path) -> None:
    copy = tmp_path / "app"
    for name in _COPIED:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(APP, copy / "app.py")
    pack_file = copy / "bot" / "review" / "packs" / "england-cspr-2023.json"
    pack = json.loads(pack_file.read_text())
    pack["timescales"][0]["amount"] = "five"
    pack_file.write_text(json.dumps(pack))

    done = start_and_stop(tmp_path, app=copy / "app.py")

    assert done.returncode != 0
    assert ("Framework pack error: england-cspr-2023.json: timescales[0].amount: must be a whole number"
            in done.stderr)
    assert "Traceback" not in done.stderr
