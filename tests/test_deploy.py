"""The deployment files say what the app really needs: every setting the app reads is set by the
Bicep or named in the README as the deployer's choice (so the two never drift), and the one
manifest passes the Agents Toolkit's own validation."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_container import image_files

ROOT = Path(__file__).parents[1]
# How settings are read: env.get("X") in bot/config.py and bot/operations, value("X") in the
# mail and reminder settings (a local helper over env.get), environ.get("X") anywhere.
# Settings start with a capital (MicrosoftAppId, DATA_DIR): a pack file's field read with value("nation")
# is not one.
READS = re.compile(r'\b(?:env\.get|environ\.get|getenv|value)\(\s*"([A-Z][A-Za-z0-9_]*)"'
                   r'|\benv\["([A-Z][A-Za-z0-9_]*)"\]')
# App Service's own settings, which the app does not read
PLATFORM = {"WEBSITES_PORT", "SCM_DO_BUILD_DURING_DEPLOYMENT"}


def settings_the_app_reads() -> set[str]:
    sources = [ROOT / "app.py", *sorted((ROOT / "bot").rglob("*.py"))]
    return {next(name for name in match.groups() if name)
            for source in sources for match in READS.finditer(source.read_text(encoding="utf-8"))}


def set_by_bicep() -> set[str]:
    return set(re.findall(r"\{ name: '([A-Za-z][A-Za-z0-9_]*)', value:", (ROOT / "infra" / "azure.bicep").read_text()))


def deployers_choices() -> set[str]:
    """The first column of the README's table of settings a deployer chooses."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Settings the deployer chooses", 1)[1].split("\n#", 1)[0]
    first_cells = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {name for cell in first_cells for name in re.findall(r"`([A-Za-z][A-Za-z0-9_]*)`", cell)}


def test_the_scan_finds_settings_of_every_kind() -> None:
    """A regex that silently matched nothing would make the next test pass for nothing."""
    assert {"MicrosoftAppId", "MAIL_SENDER", "REMINDER_WORKING_HOURS", "LOG_FORMAT",
            "APPLICATIONINSIGHTS_CONNECTION_STRING"} <= settings_the_app_reads()


def test_every_setting_the_app_reads_is_set_by_the_bicep_or_chosen_by_the_deployer() -> None:
    unaccounted = settings_the_app_reads() - set_by_bicep() - deployers_choices()
    assert not unaccounted, f"set these in infra/azure.bicep or list them in the README: {sorted(unaccounted)}"


def test_the_bicep_and_the_readme_name_only_real_settings() -> None:
    real = settings_the_app_reads() | PLATFORM
    assert set_by_bicep() - real == set()
    assert deployers_choices() - real == set()


def test_every_setting_is_in_the_example_env_file() -> None:
    listed = set(re.findall(r"^#?([A-Za-z][A-Za-z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert settings_the_app_reads() - listed == set()


ATK = ROOT / "node_modules" / ".bin" / "atk"


@pytest.mark.skipif(not ATK.exists() or shutil.which("node") is None,
                    reason="the Agents Toolkit CLI is not installed (scripts/setup)")
def test_the_agents_toolkit_validates_the_one_manifest(tmp_path: Path) -> None:
    """`atk validate` checks the manifest against its schema and the toolkit's rules, offline,
    with the ids provisioning would write to env/.env.<environment>."""
    env_file = tmp_path / ".env.test"
    env_file.write_text("TEAMSFX_ENV=test\nTEAMS_APP_ID=11111111-2222-4333-8444-555555555555\n"
                        "BOT_ID=66666666-7777-4888-9999-000000000000\n")
    result = subprocess.run(
        [str(ATK), "validate", "--manifest-file", str(ROOT / "manifest" / "manifest.json"),
         "--env-file", str(env_file), "--telemetry", "false", "--interactive", "false"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "All passed" in output and "rror" not in output, output


def test_the_toolkit_packages_the_one_manifest() -> None:
    """Every toolkit project file packages manifest/manifest.json; there is no second manifest."""
    for name in ("m365agents.yml", "m365agents.local.yml"):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert "uses: teamsApp/zipAppPackage" in text
        assert set(re.findall(r"manifestPath: (\S+)", text)) == {"./manifest/manifest.json"}
    assert [path.name for path in ROOT.rglob("manifest.json")
            if "node_modules" not in path.parts and ".venv" not in path.parts] == ["manifest.json"]


def test_the_readmes_zip_for_app_service_holds_what_the_container_image_holds() -> None:
    """The Azure CLI path zips the code with `git archive`: the same top-level files and folders as
    the image (tests/test_container.py), and requirements.txt, which App Service installs."""
    command = next(line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
                   if line.startswith("git archive "))
    zipped = set(command.split(" -- ", 1)[1].split())
    assert zipped == {path.split("/")[0] for path in image_files()} | {"requirements.txt"}
