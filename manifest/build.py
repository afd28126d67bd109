"""Builds the Teams app package (a zip to upload in Teams) for the configured bot.

Usage: .venv/bin/python -m manifest.build  (reads MicrosoftAppId from the environment or .env)

`manifest.json` is the one manifest: the Agents Toolkit's teamsApp/zipAppPackage fills its
`${{TEAMS_APP_ID}}` and `${{BOT_ID}}` from env/.env.<environment>; this module fills both with the
bot's app id. Its command list is written out from the bot's own command registry (`commands`),
and tests/test_manifest.py fails when the two differ, so Teams suggests only commands that exist.
"""

import json
import sys
import uuid
import zipfile
from pathlib import Path

from bot.config import load_settings
from dialogs.commands import TYPED

HERE = Path(__file__).parent
# Teams shows at most 10 commands per scope, each description at most 128 characters.
MOST_COMMANDS = 10


def manifest(app_id: str) -> dict:
    text = (HERE / "manifest.json").read_text(encoding="utf-8")
    return json.loads(text.replace("${{TEAMS_APP_ID}}", app_id).replace("${{BOT_ID}}", app_id))


def commands() -> list[dict[str, str]]:
    """The command list Teams shows, from the registry."""
    return [{"title": c.name, "description": _fit(c.description)} for c in TYPED][:MOST_COMMANDS]


def _fit(description: str, most: int = 128) -> str:
    """Teams' limit, met at a word boundary: a description is never cut mid-word."""
    if len(description) <= most:
        return description
    return description[: most - 1].rsplit(" ", 1)[0].rstrip(",;:(") + "…"


def build(app_id: str, target: Path) -> Path:
    uuid.UUID(app_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest(app_id), indent=2))
        for icon in ("color.png", "outline.png"):
            package.write(HERE / icon, icon)
    return target


def main() -> None:
    app_id = load_settings().app_id
    if not app_id:
        sys.exit("Set MicrosoftAppId (the Azure Bot's app id) first: the package names the bot it talks to.")
    print(build(app_id, HERE / "build" / "scr-assistant.zip"))


if __name__ == "__main__":
    main()
