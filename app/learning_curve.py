"""Where an annotator stands on the personalization benchmark's learning curve.

``benchmarks/personalization.py`` writes ``resources/personalization_curve.json``: for 1, 2, 4, …
labelled videos and each synthetic annotator's taste, the generic and the personal model's keyshot
F on held-out videos, the gain and the fine-tuning seconds::

    {"tastes": ["…"], "points": [{"videos": 4, "taste": "…", "generic_f": 0.41,
     "personal_f": 0.52, "gain": 0.11, "seconds": 12.0}, …]}

The Fit to <annotator> dialog says which point the annotator is at (the largest number of videos
not above theirs, its figures averaged over the tastes, with the least and the most any taste
gained: one taste that is easy to learn can carry the mean) and what the next point gains.
Without the file it says nothing; a file it cannot read is one line naming the file and the
problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication

CURVE_FILE = Path(__file__).resolve().parents[1] / "resources" / "personalization_curve.json"
FIELDS = ("videos", "generic_f", "personal_f", "gain", "seconds")


class CurveError(ValueError):
    """The curve file cannot be read (the message names the file and the problem)."""


@dataclass(frozen=True)
class CurvePoint:
    """The benchmark at ``videos`` labelled videos, averaged over ``tastes`` tastes."""

    videos: int
    tastes: int
    generic_f: float
    personal_f: float
    gain: float
    seconds: float
    least_gain: float
    most_gain: float


def read_curve(path: Path) -> list[CurvePoint] | None:
    """The curve's points by number of videos (averaged over tastes); None without the file.

    Raises:
        CurveError: not JSON, or a point without one of :data:`FIELDS` as a number.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CurveError(f"{path}: cannot read the learning curve ({exc})") from None
    points = data.get("points") if isinstance(data, dict) else None
    if not isinstance(points, list) or not points:
        raise CurveError(f'{path}: no "points" list in the learning curve')
    by_videos: dict[int, list[dict[str, float]]] = {}
    for i, point in enumerate(points):
        if not isinstance(point, dict) or any(
            not isinstance(point.get(k), int | float) or isinstance(point.get(k), bool)
            for k in FIELDS
        ):
            missing = next(
                (k for k in FIELDS if not isinstance(point, dict) or k not in point), FIELDS[0]
            )
            raise CurveError(f"{path}: point {i + 1} has no number for {missing!r}")
        by_videos.setdefault(int(point["videos"]), []).append(point)
    return [_point(n, group) for n, group in sorted(by_videos.items())]


def _point(videos: int, group: list[dict[str, float]]) -> CurvePoint:
    def mean(key: str) -> float:
        return sum(float(p[key]) for p in group) / len(group)

    gains = [float(p["gain"]) for p in group]
    return CurvePoint(
        videos, len(group), mean("generic_f"), mean("personal_f"), mean("gain"),
        mean("seconds"), min(gains), max(gains),
    )  # fmt: skip


FIT_NEEDS = 2
"""Labelled videos a personalization needs (one to learn from, one to check on)."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("LearningCurve", text)


def curve_text(path: Path, n_videos: int) -> str:
    """What the benchmark says for an annotator with ``n_videos`` labelled videos ("" without a
    curve file; the one-line problem with a bad one)."""
    try:
        points = read_curve(path)
    except CurveError as exc:
        return str(exc)
    if not points:
        return ""
    at = [p for p in points if p.videos <= n_videos]
    # Ahead: the next point where a fit happens (with one video personalization refuses).
    ahead = [p for p in points if p.videos > n_videos and p.videos >= FIT_NEEDS]
    parts = []
    if at:
        p = at[-1]
        parts.append(
            _tr(
                "On the benchmark's learning curve you are at {n} labelled video(s): there a "
                "personal model scored F {personal:.2f} against the generic {generic:.2f} "
                "(gain {gain:+.2f}, mean of {tastes} taste(s), from {least:+.2f} to {most:+.2f}; "
                "fine-tuning {s:.0f} s)."
            ).format(
                n=p.videos, personal=p.personal_f, generic=p.generic_f, gain=p.gain,
                tastes=p.tastes, least=p.least_gain, most=p.most_gain, s=p.seconds,
            )
        )  # fmt: skip
    if ahead:
        parts.append(
            _tr("With {n}, the gain was {gain:+.2f} ({least:+.2f} to {most:+.2f}).").format(
                n=ahead[0].videos,
                gain=ahead[0].gain,
                least=ahead[0].least_gain,
                most=ahead[0].most_gain,
            )
        )
    return " ".join(parts)
