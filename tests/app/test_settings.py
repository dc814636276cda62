"""Settings: defaults, round trip, bad values fall back with a warning, stored in config_dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
