"""What the Models dialog says about one model version, one cell at a time.

A version is named ``v3 · crsum`` (and the name the user gave it, in quotes); its *data* is where
its training videos came from (an annotator's or everyone's labels, tagged videos, a folder, an
eccv16 h5 file) with how many were learnt from and how many held out; its *held-out figures* are,
for a personal model, the F of the generic and the personal model on the annotator's held-out
videos, and for a trained one its validation figure on the videos held out from training.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from annotations.records import ModelVersion
from app.dialogs.personalize_result import figure
from core.services.personalize.models import lost

COLUMNS = ("version", "trained", "data", "status", "device", "held-out figures")
METRIC_TEXT = {"val_kendall_tau": "τ", "val_spearman_rho": "ρ"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ModelRows", text)


def version_text(version: ModelVersion) -> str:
    """``v3 · crsum``, with the version's own name when it has one."""
    name = version.config.get("name")
    return f"v{version.id} · {version.method}" + (f" · “{name}”" if name else "")


def status_of(version: ModelVersion) -> str:
    """``default``, ``lost to …`` (whom it did not beat), ``earlier`` (a former default) or
    ``not default``; a generic version is ``generic default`` or ``generic``."""
    if version.annotator is None:
        return _tr("generic default") if version.is_default else _tr("generic")
    if version.is_default:
        return _tr("default")
    if lost(version):
        reason = str(version.metrics.get("reason", ""))
        if "previous" in reason:
            return _tr("lost to the previous default")
        return _tr("lost to the generic model") if "generic" in reason else _tr("lost")
    return _tr("earlier") if version.metrics.get("default_changed") else _tr("not default")


def held_out_f(version: ModelVersion) -> str | None:
    """``F 0.412 → 0.530`` (generic → personal) from a personalization's figures, else None."""
    held = version.metrics.get("held_out")
    if not isinstance(held, dict):
        return None
    generic, personal = held.get("generic") or {}, held.get("personal") or {}
    return f"F {figure(generic.get('f'))} → {figure(personal.get('f'))}"


def figures_text(version: ModelVersion) -> str:
    """The version's held-out figures (see module docstring); ``–`` without any."""
    personal = held_out_f(version)
    n_val = version.metrics.get("n_val")
    on = "" if n_val is None else _tr(" on {n} video(s)").format(n=n_val)
    if personal is not None:
        return personal + on
    key = next((k for k in version.metrics if k.startswith("val_")), None)
    if key is None or not isinstance(version.metrics[key], int | float):
        return "–"
    name = METRIC_TEXT.get(key, key.removeprefix("val_"))
    value = figure(version.metrics[key])
    return _tr("validation {name} {value}").format(name=name, value=value) + on


def data_text(version: ModelVersion) -> str:
    """Where the training videos came from and how many (see module docstring)."""
    source = version.config.get("source")
    if isinstance(source, dict) and source.get("labels"):
        who = source.get("annotator")
        text = _tr("{name}'s labels").format(name=who) if who else _tr("everyone's labels")
    elif isinstance(source, dict) and source.get("tags"):
        text = _tr("tagged videos")
    elif isinstance(source, dict) and (source.get("videos") or source.get("dataset")):
        text = Path(str(source.get("videos") or source.get("dataset"))).name
    elif "held_out" in version.metrics and version.annotator:
        text = _tr("{name}'s labels").format(name=version.annotator)
    else:
        return "–"
    n_train, n_val = version.metrics.get("n_train"), version.metrics.get("n_val")
    if n_train is not None:
        text += _tr(" · {n} + {m} held out").format(n=n_train, m=n_val or 0)
    return text


def cells(version: ModelVersion) -> tuple[str, ...]:
    """The row of ``version`` under :data:`COLUMNS`."""
    return (
        version_text(version),
        version.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        data_text(version),
        status_of(version),
        str(version.config.get("device") or "–"),
        figures_text(version),
    )
