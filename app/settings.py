"""Synopsis Studio's settings: one typed schema with defaults and a version, stored as JSON.

The file is ``studio.json`` under :func:`core.paths.config_dir` (tests redirect that folder, so
the real user's settings are never touched). Reading never fails the start-up: a missing file
gives the defaults, and a value that is unreadable or out of range falls back to its default with
a warning the window shows in the status bar. A file written by a newer version is read for the
fields this version knows and left as it is until the user saves. The file is 0600 and never holds
a database password (:mod:`app.passwords` keeps it; an older file that held one is rewritten).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from app.passwords import keep_password, split_password
from core.errors import SynopsisError
from core.features import BACKBONES, DEFAULT_BACKBONE
from core.fileio import atomic_write_text
from core.paths import config_dir
from core.pipeline import SKIM_RULES

SETTINGS_VERSION = 1
SETTINGS_FILE = "studio.json"
DEVICES = ("auto", "cpu", "cuda", "mps")
# How the GUI names the skim rules of core.pipeline.SKIM_RULES.
SKIM_RULE_LABELS = {"knapsack": "Knapsack (keyshots)", "ranked": "Ranked (DeSumNet)"}
# The studio's look (app/theme.py): follow the system's light/dark preference, or override it.
THEMES = {"system": "System", "light": "Light", "dark": "Dark"}


class SettingsError(SynopsisError):
    """A setting out of range (names the setting and the cause)."""


@dataclass(frozen=True)
class Settings:
    """What the user can set.

    Attributes:
        backbone: feature backbone for methods that take any (``efficientnet-lite0``, …).
        rate: feature steps per second.
        budget: the skim's and the annotators' target share of the video, in (0, 1].
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``.
        database_url: annotation store URL; empty = ``SYNOPSIS_DB`` or the local SQLite file.
        method: the method summarized when a video opens.
        skim_rule: how a method's importance becomes the skim: ``knapsack`` (the exact 0/1
            knapsack of the standard protocol) or ``ranked`` (DeSumNet's rule: shots by score,
            ties → shorter, fill the budget); see :data:`core.pipeline.SKIM_RULES`.
        annotator: the annotator selected last (restored at start).
        export_folder: the folder exported to last (File → Export starts there; empty = home).
        theme: ``system`` (follow the system's light/dark preference), ``light`` or ``dark``.
        version: the schema version this file was written with.
    """

    backbone: str = DEFAULT_BACKBONE
    rate: float = 2.0
    budget: float = 0.15
    device: str = "auto"
    database_url: str = ""
    method: str = "vsumm"
    skim_rule: str = "knapsack"
    annotator: str = ""
    export_folder: str = ""
    theme: str = "system"
    version: int = SETTINGS_VERSION

    def check(self) -> None:
        """Raise :class:`SettingsError` naming the first setting that is out of range."""
        if self.backbone not in BACKBONES:
            known = ", ".join(sorted(BACKBONES))
            raise SettingsError(f"backbone: unknown backbone {self.backbone!r} (known: {known})")
        if not 0.05 <= self.rate <= 30.0:
            raise SettingsError(f"rate: {self.rate} steps per second is outside 0.05–30")
        if not 0.0 < self.budget <= 1.0:
            raise SettingsError(f"budget: {self.budget} is not in (0, 1]")
        base = self.device.split(":", 1)[0]
        if base not in DEVICES or (":" in self.device and not self.device.split(":")[1].isdigit()):
            raise SettingsError(f"device: {self.device!r} is not auto, cpu, cuda[:N] or mps")
        if not self.method.strip():
            raise SettingsError("method: a method name is needed")
        if self.skim_rule not in SKIM_RULES:
            known = ", ".join(SKIM_RULES)
            raise SettingsError(f"skim_rule: unknown rule {self.skim_rule!r} (known: {known})")
        if self.theme not in THEMES:
            raise SettingsError(f"theme: {self.theme!r} is not system, light or dark")

    @property
    def device_arg(self) -> str | None:
        """The device as the engine takes it (None = pick automatically)."""
        return None if self.device == "auto" else self.device


def settings_path() -> Path:
    """Where the settings live."""
    return config_dir() / SETTINGS_FILE


def _coerce(name: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool) or not isinstance(default, int | float | str):
        raise SettingsError(f"{name}: unsupported setting")
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SettingsError(f"{name}: expected a number, got {value!r}")
        return float(value)
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(f"{name}: expected a whole number, got {value!r}")
        return value
    if not isinstance(value, str):
        raise SettingsError(f"{name}: expected text, got {value!r}")
    return value


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The stored settings (defaults where absent or invalid) and warnings about what was bad."""
    path = path or settings_path()
    defaults = Settings()
    if not path.is_file():
        return defaults, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return defaults, [f"{path}: cannot read settings ({exc}); using the defaults"]
    if not isinstance(data, dict):
        return defaults, [f"{path}: not a settings file; using the defaults"]
    warnings: list[str] = []
    version = data.get("version", SETTINGS_VERSION)
    if isinstance(version, int) and version > SETTINGS_VERSION:
        warnings.append(
            f"{path}: written by a newer Synopsis (version {version}); "
            "reading the settings this version knows"
        )
    settings = defaults
    for field in fields(Settings):
        if field.name == "version" or field.name not in data:
            continue
        try:
            candidate = replace(
                settings,
                **{
                    field.name: _coerce(field.name, data[field.name], getattr(defaults, field.name))
                },
            )
            candidate.check()
        except SettingsError as exc:
            warnings.append(f"{path}: {exc}; using the default")
            continue
        settings = candidate
    if split_password(settings.database_url)[1] is not None:  # written by an older Studio
        try:
            save_settings(settings, path)
            warnings.append(f"{path}: moved the database password out of the settings file")
        except SynopsisError as exc:
            warnings.append(f"{path}: holds a database password in plain text ({exc})")
    return settings, warnings


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Check and write the settings atomically, readable by their owner only, with the database
    password moved out (raises SettingsError, PasswordError or ExportError)."""
    settings.check()
    url, password = split_password(settings.database_url)
    if password is not None:
        keep_password(url, password)
    data = asdict(replace(settings, database_url=url, version=SETTINGS_VERSION))
    text = json.dumps(data, indent=2) + "\n"
    return atomic_write_text(path or settings_path(), text, mode=0o600)
