"""Highlights (CSUM §4.3): Gaussian-smoothed importance, the top peak, and its neighbours above Θ.

Exported as JSON intervals and, optionally, one MP4 clip per highlight.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from scipy.ndimage import gaussian_filter1d

from core.export.skim import export_segments
from core.export.targets import clip_path
from core.fileio import atomic_write_text
from core.progress import ProgressFn, StopFn, no_progress, scaled
from core.selection import highlights
from core.summary import Summary


def default_threshold(scores: np.ndarray, sigma: float) -> float:
    """Θ when none is given: the 75th percentile of the smoothed importance.

    CSUM tunes Θ on held-out labels; without labels, the upper quartile keeps highlights to
    the clearly above-typical part of the curve around each peak.
    """
    smooth = gaussian_filter1d(np.asarray(scores, dtype=np.float64), sigma, mode="nearest")
    return float(np.percentile(smooth, 75))


def highlight_report(
    summary: Summary, *, sigma_s: float = 1.0, threshold: float | None = None, count: int = 1
) -> dict[str, Any]:
    """The highlights of a summary as a JSON-ready dict (intervals in frames and seconds)."""
    fps = float(summary.video["fps"])
    scores = np.asarray(summary.scores, dtype=np.float64)
    sigma = max(sigma_s * fps, 0.0)
    theta = default_threshold(scores, sigma) if threshold is None else float(threshold)
    intervals = highlights(scores, sigma, theta, count=count)
    smooth = gaussian_filter1d(scores, sigma, mode="nearest") if sigma > 0 else scores
    items = []
    for start, end in intervals:
        peak = int(start + np.argmax(smooth[start:end]))
        items.append(
            {
                "start_frame": int(start),
                "end_frame": int(end),
                "start_s": round(start / fps, 3),
                "end_s": round(end / fps, 3),
                "peak_frame": peak,
                "peak_score": round(float(smooth[peak]), 4),
            }
        )
    return {
        "video": summary.video,
        "method": summary.method,
        "model": summary.model,
        "sigma_s": sigma_s,
        "threshold": round(theta, 4),
        "highlights": items,
    }


def export_highlights(
    summary: Summary,
    video: str | Path,
    out: str | Path,
    *,
    clips: str | Path | None = None,
    sigma_s: float = 1.0,
    threshold: float | None = None,
    count: int = 1,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
    written: list[Path] | None = None,
) -> list[Path]:
    """Write the highlights JSON (and, with ``clips``, ``highlight_<i>.mp4`` files); returns
    them, the JSON first. Each file is also appended to ``written`` once it is complete, so a
    caller can remove them when a later one fails."""
    report = highlight_report(summary, sigma_s=sigma_s, threshold=threshold, count=count)
    written = [] if written is None else written
    clips_written: list[Path] = []
    if clips is not None:
        items = report["highlights"]
        for i, item in enumerate(items, 1):
            clip = clip_path(clips, i)
            segment = np.array([[item["start_frame"], item["end_frame"]]])
            export_segments(
                video,
                segment,
                clip,
                should_stop=should_stop,
                progress=scaled(progress, (i - 1) / len(items), i / len(items)),
            )
            item["clip"] = str(clip)
            written.append(clip)
            clips_written.append(clip)
    report_file = atomic_write_text(out, json.dumps(report, indent=1) + "\n")
    written.append(report_file)
    progress(1.0, "highlights written")
    return [report_file, *clips_written]
