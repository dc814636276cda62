"""``synopsis agreement``: how close annotators are to each other, and models to them.

For each video with at least two labelled annotators (or one and a model): pairwise keyshot F and
Kendall τ / Spearman ρ between annotators, each annotator against the others' mean
(leave-one-out), and each requested model version against each annotator, on one scale
(docs/evaluation.md §Agreement). Segments and keyframes become a per-frame summary,
per-frame scores stay scores; scores-only labels become summaries by the keyshot knapsack over
the video's shots. When the video's file is on disk, those are the shots its summaries have
(real boundaries and KTS sub-shots, as the Studio's Compare tab uses) and a keyframe counts as its
whole shot, so the figures are the Studio's; without a file (benchmark ground truth) keyframes
count as single frames and the shots are uniform 2-second ones. Undecided draft proposals are
left out (they are the model's, not the annotator's).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # the store and the engine load in the functions, so --help stays light
    from annotations import ModelVersion, Repository, Selection, Video
    from core.evaluation.agreement import Agreement, FrameLabels


def frame_labels(
    selection: Selection, n_frames: int, shots: np.ndarray | None = None
) -> FrameLabels | None:
    """A selection as agreement input (``None`` when it has neither summary nor scores): its
    decided marks (a draft's undecided proposals are the model's, not theirs), each keyframe as
    its shot when the video's ``shots`` are known, as the Studio's Compare tab reads them."""
    from core.evaluation.agreement import FrameLabels

    labels = selection.labels.decided()
    summary = labels.summary(n_frames, shots)
    if summary is not None and not summary.any():
        summary = None
    scores = labels.scores
    if summary is None and scores is None:
        return None
    return FrameLabels(summary=summary, scores=None if scores is None else scores.astype(float))


def model_scores(version: ModelVersion, video: Video) -> np.ndarray:
    """``[N]`` per-frame importance of ``video`` by model ``version`` (needs the video's file)."""
    from annotations import StoreError
    from core.methods.registry import method_class
    from core.pipeline import summarize

    files = [Path(p) for p in video.paths if Path(p).is_file()]
    if not files:
        raise StoreError(
            f"video {video.name!r}: no file on disk, and model version "
            f"{version.id} needs the video's frames"
        )
    method = method_class(version.method).load(Path(version.path))
    summary = summarize(files[0], method, backbone=version.backbone)
    if summary.video.get("sha256") != video.sha256:
        raise StoreError(f"{files[0]}: the file changed since it was registered (sha256 differs)")
    return np.asarray(summary.scores, dtype=np.float64)


def video_shots_of(video: Video) -> tuple[np.ndarray | None, str]:
    """The shots a video's summaries have (real boundaries, KTS sub-shots; cached after the
    first time) when its file is on disk and unchanged, and how they were read, in words;
    ``(None, …)`` otherwise: keyframes then count as single frames and scores-only labels are
    cut on uniform 2-second shots."""
    from core.errors import SynopsisError
    from core.services.export_source import video_shots

    uniform = "uniform 2-s shots, keyframes as single frames (no file of the video)"
    for path in (Path(p) for p in video.paths):
        if not path.is_file():
            continue
        try:
            entry, shots = video_shots(path)
        except SynopsisError as exc:
            return None, f"uniform 2-s shots, keyframes as single frames ({exc})"
        if video.sha256 and entry.get("sha256") != video.sha256:
            return None, f"uniform 2-s shots, keyframes as single frames ({path} changed)"
        return shots, f"the video's {len(shots)} shots; a keyframe counts as its shot"
    return None, uniform


def _row(agreement: Agreement) -> dict[str, float | None]:
    return {"f": agreement.f, "tau": agreement.tau, "rho": agreement.rho}


def readable(repo: Repository, video: Video) -> list[Selection]:
    """The video's selections, leaving out (with a one-line warning on stderr naming annotator
    and video) any whose stored labels cannot be read or do not fit the video."""
    from annotations import LabelError

    skipped: list[str] = []
    found = []
    for selection in repo.selections(video_id=video.id, skipped=skipped):
        try:
            selection.labels.check(video.n_frames, f"{selection.annotator} × {video.name}")
        except LabelError as exc:
            skipped.append(str(exc))
            continue
        found.append(selection)
    for note in skipped:
        print(f"synopsis: warning: skipped {note}", file=sys.stderr)
    return found


def video_agreement(
    repo: Repository, video: Video, versions: list[ModelVersion], budget: float, strict: bool
) -> dict[str, Any] | None:
    """Agreement figures of one video as a JSON-ready dict (``None``: nothing to compare)."""
    from annotations import StoreError
    from core.evaluation.agreement import FrameLabels, leave_one_out, pairwise, pairwise_table

    selections = readable(repo, video)
    shots, read = video_shots_of(video) if len(selections) > 1 or versions else (None, "")
    labels = {
        s.annotator: fl
        for s in selections
        if (fl := frame_labels(s, video.n_frames, shots)) is not None
    }
    fps = video.fps or 30.0
    models: list[dict[str, Any]] = []
    skipped: list[str] = []
    for version in versions:
        try:
            scores = FrameLabels(scores=model_scores(version, video))
        except StoreError as exc:
            if strict:
                raise
            skipped.append(f"model version {version.id}: {exc}")
            continue
        rows = {name: pairwise(scores, fl, shots, budget, fps=fps) for name, fl in labels.items()}
        models.append(
            {
                "id": version.id,
                "method": version.method,
                "annotator": version.annotator,
                "vs": [{"annotator": n, **_row(a)} for n, a in rows.items()],
            }
        )
    if len(labels) < 2 and not models:
        return None
    table = pairwise_table(labels, shots, budget, fps=fps)
    loo = leave_one_out(labels, shots, budget, fps=fps) if len(labels) > 1 else {}
    return {
        "video": {
            "id": video.id,
            "name": video.name,
            "sha256": video.sha256,
            "n_frames": video.n_frames,
        },
        "budget": budget,
        "shots": read,
        "annotators": list(labels),
        "pairwise": [{"a": a, "b": b, **_row(ag)} for (a, b), ag in table.items()],
        "leave_one_out": [{"annotator": n, **_row(ag)} for n, ag in loo.items()],
        "models": models,
        "skipped": skipped,
    }


def _fmt(value: float | None, scale: float = 1.0, digits: int = 3) -> str:
    return "–" if value is None else f"{value * scale:.{digits}f}"


def _mean(rows: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in rows if r[key] is not None]
    return float(np.mean(values)) if values else None


def _print_rows(title: str, rows: list[tuple[str, dict[str, Any]]]) -> None:
    width = max([len(title), *(len(name) for name, _ in rows)])
    print(f"  {title:<{width}}  {'F×100':>6}  {'τ':>6}  {'ρ':>6}")
    for name, r in rows:
        print(
            f"  {name:<{width}}  {_fmt(r['f'], 100, 1):>6}  {_fmt(r['tau']):>6}  "
            f"{_fmt(r['rho']):>6}"
        )


def print_video(result: dict[str, Any]) -> None:
    """One video's agreement as text tables."""
    video = result["video"]
    print(
        f"video {video['name']} ({video['n_frames']} frames, "
        f"{len(result['annotators'])} annotators, budget {result['budget'] * 100:g} %; "
        f"{result['shots']})"
    )
    pairs = result["pairwise"]
    if pairs:
        rows = [(f"{p['a']} × {p['b']}", p) for p in pairs]
        rows.append(
            (f"mean of {len(pairs)} pairs", {k: _mean(pairs, k) for k in ("f", "tau", "rho")})
        )
        _print_rows("pairwise", rows)
    if result["leave_one_out"]:
        _print_rows(
            "each vs the others' mean", [(r["annotator"], r) for r in result["leave_one_out"]]
        )
    for model in result["models"]:
        whose = model["annotator"] or "generic"
        _print_rows(
            f"model {model['id']} ({model['method']}, {whose}) vs",
            [(r["annotator"], r) for r in model["vs"]],
        )
    for note in result["skipped"]:
        print(f"  skipped {note}")
    print()


def _agreement(args: argparse.Namespace) -> int:
    from annotations import Repository

    repo = Repository(args.db)
    videos = [repo.find_video(args.video)] if args.video else repo.videos()
    versions = [repo.get_model_version(i) for i in args.model or []]
    if args.models:
        versions = repo.model_versions()
    results = [
        r
        for v in videos
        if (r := video_agreement(repo, v, versions, args.budget, strict=bool(args.model)))
        is not None
    ]
    if args.json:
        print(json.dumps(results, indent=2))
    elif not results:
        print(
            "no video has two annotators (or an annotator and a model) to compare", file=sys.stderr
        )
    for result in [] if args.json else results:
        print_video(result)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``agreement``."""
    p = sub.add_parser("agreement", help="agreement between annotators (and models)")
    p.add_argument("--video", help="one video (name, sha256 or sha256 prefix); default: all")
    p.add_argument(
        "--budget", type=float, default=0.15, help="summary budget for scores-only labels (0.15)"
    )
    p.add_argument(
        "--model",
        type=int,
        action="append",
        metavar="ID",
        help="also compare this model version with each annotator (repeatable)",
    )
    p.add_argument(
        "--models",
        action="store_true",
        help="compare every model version (videos without a file are skipped)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_agreement)
