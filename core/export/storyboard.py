"""Storyboard: a PNG contact sheet of a summary's keyframes with timestamps and importance."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from core.errors import ExportError
from core.fileio import atomic_write_bytes
from core.progress import ProgressFn, StopFn, no_progress
from core.summary import Summary
from core.video import VideoReader

BACKGROUND = (24, 26, 30)
TEXT = (230, 232, 236)
MUTED = (150, 156, 166)
ACCENT = (255, 170, 40)


def timestamp(seconds: float) -> str:
    """``h:mm:ss.mmm`` (hours only when needed)."""
    millis = round(max(seconds, 0.0) * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    head = f"{hours}:{minutes:02d}" if hours else f"{minutes:02d}"
    return f"{head}:{secs:02d}.{millis:03d}"


def thumbnail_size(width: int, height: int, thumb_width: int) -> tuple[int, int]:
    """Thumbnail size keeping the aspect ratio; both sides even (the scaler prefers it)."""
    h = max(2, round(thumb_width * height / max(width, 1) / 2) * 2)
    return thumb_width, h


def thumbnails(
    video: str | Path,
    frames: np.ndarray,
    thumb_width: int = 320,
    should_stop: StopFn | None = None,
) -> dict[int, np.ndarray]:
    """Decode the given frames once, scaled to ``thumb_width``: ``{frame: RGB [h, w, 3]}``."""
    with VideoReader(video) as reader:
        size = thumbnail_size(reader.info.width, reader.info.height, thumb_width)
        wanted = np.unique(np.asarray(frames, dtype=np.int64))
        return dict(reader.iter_indices(wanted, size=size, should_stop=should_stop))


def render_storyboard(
    summary: Summary,
    video: str | Path | None = None,
    *,
    columns: int = 4,
    thumb_width: int = 320,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> Image.Image:
    """The contact sheet as a PIL image (keyframes in time order, caption under each)."""
    source = video or summary.video["path"]
    frames = [int(f) for f in summary.keyframes]
    if not frames:
        raise ExportError(Path(source), "the summary has no keyframes to show")
    progress(0.1, "decoding keyframes")
    thumbs = thumbnails(source, np.asarray(frames), thumb_width, should_stop)
    tw, th = next(iter(thumbs.values())).shape[1::-1]
    font = ImageFont.load_default(size=14)
    title_font = ImageFont.load_default(size=18)
    pad, caption = 12, 40
    columns = max(1, min(columns, len(frames)))
    rows = -(-len(frames) // columns)
    width = pad + columns * (tw + pad)
    height = 56 + rows * (th + caption + pad) + pad
    sheet = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    name = Path(str(summary.video.get("path", source))).name
    fps = float(summary.video["fps"])
    draw.text((pad, 10), name, fill=TEXT, font=title_font)
    info = (
        f"{summary.method} · {timestamp(summary.n_frames / fps)} · {len(frames)} keyframes · "
        f"skim {summary.skim_frames() / max(summary.n_frames, 1):.0%} of the video"
    )
    draw.text((pad, 32), info, fill=MUTED, font=font)
    for i, frame in enumerate(frames):
        x = pad + (i % columns) * (tw + pad)
        y = 56 + (i // columns) * (th + caption + pad)
        sheet.paste(Image.fromarray(thumbs[frame]), (x, y))
        score = float(summary.scores[frame]) if frame < len(summary.scores) else 0.0
        draw.rectangle((x, y + th + 2, x + round(tw * score), y + th + 6), fill=ACCENT)
        label = f"{timestamp(frame / fps)}  ·  f {frame}  ·  {score:.2f}"
        draw.text((x, y + th + 12), label, fill=TEXT, font=font)
    progress(1.0, "storyboard drawn")
    return sheet


def write_storyboard_png(
    summary: Summary, out: str | Path, video: str | Path | None = None, **options: object
) -> Path:
    """Render and write the storyboard PNG atomically."""
    image = render_storyboard(summary, video, **options)  # type: ignore[arg-type]
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return atomic_write_bytes(out, buffer.getvalue())
