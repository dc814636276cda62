"""Settings: defaults, round trip, bad values fall back with a warning, stored in config_dir."""

from __future__ import annotations

import json
import os
import stat
import sys
import types
from pathlib import Path

import pytest

from app.passwords import PasswordError, with_password
from app.settings import (
    SETTINGS_VERSION,
    Settings,
    SettingsError,
    load_settings,
    save_settings,
    settings_path,
)


def test_defaults_and_round_trip(tmp_path: Path) -> None:
    assert load_settings() == (Settings(), [])
    path = save_settings(
        Settings(
            backbone="hsv-histogram",
            rate=1.0,
            budget=0.2,
            device="cpu",
            database_url="sqlite:///x.db",
            annotator="ana",
        )
    )
    assert path == settings_path()
    assert str(path).startswith(str(Path(__import__("os").environ["SYNOPSIS_CONFIG_DIR"])))
    data = json.loads(path.read_text())
    assert data["version"] == SETTINGS_VERSION and data["budget"] == 0.2
    settings, warnings = load_settings()
    assert warnings == []
    assert (settings.backbone, settings.rate, settings.budget, settings.annotator) == (
        "hsv-histogram",
        1.0,
        0.2,
        "ana",
    )
    assert settings.device_arg == "cpu" and Settings().device_arg is None


def test_bad_values_fall_back_with_warnings(tmp_path: Path) -> None:
    path = tmp_path / "studio.json"
    path.write_text(
        json.dumps(
            {
                "version": 99,
                "budget": 3,
                "rate": "fast",
                "backbone": "nope",
                "device": "cuda:1",
                "method": "uniform",
                "unknown": 1,
            }
        )
    )
    settings, warnings = load_settings(path)
    assert settings == Settings(device="cuda:1", method="uniform")
    text = "\n".join(warnings)
    for word in ("newer", "budget", "rate", "backbone"):
        assert word in text
    path.write_text("{not json")
    settings, warnings = load_settings(path)
    assert settings == Settings() and "cannot read settings" in warnings[0]


@pytest.mark.parametrize(
    ("change", "word"),
    [
        ({"budget": 0.0}, "budget"),
        ({"rate": 100.0}, "rate"),
        ({"device": "tpu"}, "device"),
        ({"device": "cuda:x"}, "device"),
        ({"backbone": "x"}, "backbone"),
        ({"method": " "}, "method"),
    ],
)
def test_check_names_the_setting(change: dict[str, object], word: str) -> None:
    with pytest.raises(SettingsError, match=word):
        save_settings(Settings(**change))  # type: ignore[arg-type]


def test_a_database_password_never_lands_in_the_settings_file(tmp_path: Path) -> None:
    pgpass = Path(os.environ["PGPASSFILE"])
    pgpass.write_text("otherhost:5432:*:bo:theirs\n")
    url = "postgresql://ana:s3cr:t@db.example:5433/team"
    path = save_settings(Settings(database_url=url))
    text = path.read_text()
    assert "s3cr" not in text
    assert json.loads(text)["database_url"] == "postgresql://ana@db.example:5433/team"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(pgpass.stat().st_mode) == 0o600  # libpq ignores a wider one
    assert pgpass.read_text().splitlines() == [
        "otherhost:5432:*:bo:theirs",
        "db.example:5433:team:ana:s3cr\\:t",
    ]
    save_settings(Settings(database_url="postgresql://ana:new@db.example:5433/team"))
    assert pgpass.read_text().splitlines()[1:] == ["db.example:5433:team:ana:new"]
    settings, warnings = load_settings()
    assert settings.database_url == "postgresql://ana@db.example:5433/team" and warnings == []
    with pytest.raises(PasswordError, match="never saved in the settings file"):
        save_settings(Settings(database_url="mysql://ana:pw@host/db"))
    assert "mysql" not in path.read_text()


def test_an_older_settings_file_with_a_password_is_rewritten_without_it() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"database_url": "postgresql://ana:pw@h/db", "version": 1}))
    path.chmod(0o644)
    settings, warnings = load_settings()
    assert settings.database_url == "postgresql://ana:pw@h/db"  # this session still connects
    assert warnings == [f"{path}: moved the database password out of the settings file"]
    assert "pw" not in path.read_text() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Path(os.environ["PGPASSFILE"]).read_text() == "h:5432:db:ana:pw\n"


def test_with_a_keyring_installed_the_password_goes_there(monkeypatch: pytest.MonkeyPatch) -> None:
    kept: dict[tuple[str, str], str] = {}
    keyring = types.ModuleType("keyring")
    keyring.set_password = lambda service, user, pw: kept.__setitem__((service, user), pw)  # type: ignore[attr-defined]
    keyring.get_password = lambda service, user: kept.get((service, user))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", keyring)
    path = save_settings(Settings(database_url="postgresql://ana:pw@h/db"))
    assert "pw" not in path.read_text() and not Path(os.environ["PGPASSFILE"]).exists()
    assert kept == {("synopsis-studio", "postgresql://ana@h/db"): "pw"}
    assert with_password("postgresql://ana@h/db") == "postgresql://ana:pw@h/db"
    assert with_password("postgresql://bo@h/db") == "postgresql://bo@h/db"
