"""Where an export's summary comes from: a saved summary.json, a method, or a trained model."""

from __future__ import annotations

from pathlib import Path

from core.errors import ExportError
from core.pipeline import summarize
from core.progress import ProgressFn, no_progress
from core.summary import Summary
from core.video import probe


def resolve_summary(
    video: str | Path,
    *,
    summary: str | Path | None = None,
    method: str | None = None,
    model: str | Path | None = None,
    budget: float = 0.15,
    progress: ProgressFn = no_progress,
) -> Summary:
    """Load or compute the summary of ``video``; exactly one source must be given.

    A loaded summary must be of this very video (same sha256 of the bytes), else ExportError.
    """
    if sum(x is not None for x in (summary, method, model)) != 1:
        raise ExportError(Path(video), "give exactly one of a summary, a method or a model")
    info = probe(video)
    if summary is not None:
        loaded = Summary.load(summary)
        theirs = str(loaded.video.get("sha256", ""))
        if theirs != info.sha256:
            raise ExportError(
                Path(summary),
                f"is the summary of another video (sha256 {theirs[:12]}…, "
                f"{Path(video).name} has {info.sha256[:12]}…)",
            )
        return loaded
    if model is not None:
        from core.training import load_model

        result = summarize(video, load_model(Path(model)), budget=budget, progress=progress)
        result.model = str(Path(model).resolve())
        return result
    assert method is not None
    return summarize(video, method, budget=budget, progress=progress)
