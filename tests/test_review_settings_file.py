"""REVIEW_SETTINGS_FILE: a file with settings is read at startup, and a bad one stops the app with a
message naming the variable (the README's promise for every setting)."""

import json
from pathlib import Path

import pytest

from app import PARTS, create_app
from bot.config import Settings, SettingsError
from bot.review import ReviewSettings

EXAMPLE = Path(__file__).parents[1] / "config" / "review_settings.example.json"


def _settings(tmp_path: Path, content: str) -> Settings:
    file = tmp_path / "review_settings.json"
    file.write_text(content)
    return Settings.from_env({"DATA_DIR": str(tmp_path / "data"), "REVIEW_SETTINGS_FILE": str(file)})


def test_without_the_variable_the_defaults_apply(tmp_path: Path) -> None:
    assert Settings.from_env({"DATA_DIR": str(tmp_path)}).review_settings() == ReviewSettings()


def test_the_example_file_holds_the_defaults(tmp_path: Path) -> None:
    assert _settings(tmp_path, EXAMPLE.read_text()).review_settings() == ReviewSettings()


def test_the_app_runs_on_the_settings_in_the_file(tmp_path: Path) -> None:
    settings = _settings(tmp_path, json.dumps({
        "marking": "OFFICIAL", "promptly_working_days": 5, "document_link_hosts": ["Docs.Example.gov.uk"],
        "delete_documents_when_sent": False,
    }))

    service = create_app(settings)[PARTS].service

    assert service.review_settings == ReviewSettings(
        marking="OFFICIAL", promptly_working_days=5, document_link_hosts=("docs.example.gov.uk",),
        delete_documents_when_sent=False,
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("{not json", "REVIEW_SETTINGS_FILE: .* is not valid JSON", id="not_json"),
        pytest.param("[]", "REVIEW_SETTINGS_FILE: .* must hold a JSON object", id="not_an_object"),
        pytest.param('{"promptly_days": 2}', "REVIEW_SETTINGS_FILE .*unknown review setting.*promptly_days",
                     id="unknown_key"),
        pytest.param('{"lesson_working_days": -1}', "REVIEW_SETTINGS_FILE .*lesson_working_days must be a whole",
                     id="negative"),
        pytest.param('{"delete_documents_when_sent": "yes"}',
                     "REVIEW_SETTINGS_FILE .*delete_documents_when_sent must be true or false", id="not_a_boolean"),
        pytest.param('{"marking": "secret"}', "REVIEW_SETTINGS_FILE .*marking 'secret'", id="bad_marking"),
    ],
)
def test_a_bad_file_stops_the_app_naming_the_variable(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        create_app(_settings(tmp_path, content))


def test_a_missing_file_stops_the_app_naming_the_variable(tmp_path: Path) -> None:
    settings = Settings.from_env({"DATA_DIR": str(tmp_path), "REVIEW_SETTINGS_FILE": str(tmp_path / "nowhere.json")})
    with pytest.raises(SettingsError, match="REVIEW_SETTINGS_FILE: cannot read"):
        create_app(settings)
