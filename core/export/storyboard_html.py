"""Storyboard as one self-contained HTML page: thumbnails, timestamps, scores, importance curve.

Thumbnails are embedded as JPEG data URIs and the curve as inline SVG, so the page is a single
file that opens anywhere, offline.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import numpy as np
from PIL import Image

from core.errors import ExportError
from core.export.storyboard import thumbnails, timestamp
from core.fileio import atomic_write_text
from core.progress import ProgressFn, StopFn, no_progress
from core.summary import Summary

STYLE = """
body{font-family:system-ui,sans-serif;background:#181a1e;color:#e6e8ec;margin:24px}
h1{font-size:20px;margin:0 0 4px}.muted{color:#969ca6;font-size:13px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:14px;margin-top:16px}
figure{margin:0;background:#22252b;border-radius:6px;overflow:hidden}
figure img{width:100%;display:block}figcaption{padding:6px 8px;font-size:13px}
.bar{height:4px;background:#ffaa28}svg{width:100%;height:90px;background:#22252b;border-radius:6px}
"""


def _curve_svg(summary: Summary, width: int = 1000, height: int = 90) -> str:
    scores = np.asarray(summary.scores, dtype=np.float64)
    n = max(len(scores), 1)
    step = max(1, n // width)
    xs = np.arange(0, n, step)
    points = " ".join(
        f"{x * width / n:.1f},{height - 4 - scores[x] * (height - 8):.1f}" for x in xs
    )
    skim = "".join(
        f'<rect x="{s * width / n:.1f}" y="0" width="{max((e - s) * width / n, 1):.1f}" '
        f'height="{height}" fill="#3a6df0" opacity="0.25"/>'
        for s, e in np.asarray(summary.skim, dtype=np.int64)
    )
    marks = "".join(
        f'<line x1="{k * width / n:.1f}" x2="{k * width / n:.1f}" y1="0" y2="{height}" '
        f'stroke="#ffaa28" stroke-width="1.5"/>'
        for k in summary.keyframes
    )
    return (
        f'<svg viewBox="0 0 {width} {height}" preserveAspectRatio="none">{skim}{marks}'
        f'<polyline points="{points}" fill="none" stroke="#e6e8ec" stroke-width="1.5"/></svg>'
    )


def storyboard_html(
    summary: Summary,
    video: str | Path | None = None,
    *,
    thumb_width: int = 320,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> str:
    """The storyboard page as a string."""
    source = video or summary.video["path"]
    frames = [int(f) for f in summary.keyframes]
    if not frames:
        raise ExportError(Path(source), "the summary has no keyframes to show")
    thumbs = thumbnails(source, np.asarray(frames), thumb_width, should_stop)
    fps = float(summary.video["fps"])
    name = html.escape(Path(str(summary.video.get("path", source))).name)
    cards = []
    for i, frame in enumerate(frames):
        buffer = io.BytesIO()
        Image.fromarray(thumbs[frame]).save(buffer, format="JPEG", quality=85)
        data = base64.b64encode(buffer.getvalue()).decode("ascii")
        score = float(summary.scores[frame])
        cards.append(
            f'<figure><img alt="keyframe {i + 1} at {timestamp(frame / fps)}" '
            f'src="data:image/jpeg;base64,{data}"><div class="bar" style="width:{score:.0%}"></div>'
            f"<figcaption>{timestamp(frame / fps)} · frame {frame} · importance {score:.2f}"
            f"</figcaption></figure>"
        )
        progress((i + 1) / len(frames), "storyboard page")
    info = (
        f"{html.escape(summary.method)} · {timestamp(summary.n_frames / fps)} · "
        f"{len(frames)} keyframes · skim {summary.skim_frames() / max(summary.n_frames, 1):.0%}"
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{name} — storyboard'
        f"</title><style>{STYLE}</style></head><body><h1>{name}</h1>"
        f'<div class="muted">{info}</div>{_curve_svg(summary)}'
        f'<div class="grid">{"".join(cards)}</div></body></html>\n'
    )


def write_storyboard_html(
    summary: Summary, out: str | Path, video: str | Path | None = None, **options: object
) -> Path:
    """Render and write the storyboard page atomically."""
    return atomic_write_text(out, storyboard_html(summary, video, **options))  # type: ignore[arg-type]
