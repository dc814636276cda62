"""``synopsis library add|list``: register video files in the annotation store and list them."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import VideoOpenError
from core.services.cli.names import BACKBONE_NAMES as BACKBONES
from core.services.cli.names import DEFAULT_BACKBONE

if TYPE_CHECKING:  # the store and the decoder load in the handlers, so --help stays light
    from annotations import Video
    from core.video import VideoInfo


def _probe_all(files: list[Path], skip_bad: bool) -> list[VideoInfo]:
    from core.video import probe

    infos: list[VideoInfo] = []
    for path in files:
        try:
            infos.append(probe(path))
        except VideoOpenError as exc:
            if not skip_bad:
                raise
            print(f"synopsis: skipped {exc}", file=sys.stderr)
    return infos


def _add(args: argparse.Namespace) -> int:
    from annotations import Repository
    from annotations.registration import ProbedFile
    from core.progress import StderrBar, no_progress
    from core.segmentation.shared_pass import features_with_shot_pass
    from core.video.files import video_files

    infos = _probe_all(video_files(args.paths), args.skip_bad)  # nothing written on a bad file
    repo = Repository(args.db)
    known_shas = {v.sha256 for v in repo.videos()}
    for info in infos:
        known = info.sha256 in known_shas
        known_shas.add(info.sha256)
        video = repo.register_videos([ProbedFile.of(info)])[0]
        state = "known" if known else "added"
        print(
            f"{state} {video.name}  {info.n_frames} frames  {info.fps:.3f} fps  "
            f"sha256 {info.sha256[:12]}"
        )
        if args.features:
            bar = no_progress if args.quiet else StderrBar()
            result, shared = features_with_shot_pass(  # shot boundaries on the same decode
                info.path, backbone=args.backbone, rate=args.rate, progress=bar
            )
            shots = shared.finish()  # cached for summarize; None when the features were cached
            t, d = result.features.shape
            cached = " (cached)" if result.from_cache else ""
            print(f"  features {result.backbone} @ {args.rate:g}/s: {t}×{d}{cached}")
            if shots is not None:
                cuts, spans = len(shots.cuts), len(shots.transitions)
                print(
                    f"  shot boundaries: {cuts} hard cut{'s' * (cuts != 1)}, "
                    f"{spans} gradual transition{'s' * (spans != 1)}"
                )
    return 0


def video_dict(video: Video, n_annotators: int) -> dict[str, Any]:
    """One video as ``library list --json`` shows it."""
    return {
        "id": video.id,
        "name": video.name,
        "sha256": video.sha256,
        "n_frames": video.n_frames,
        "fps": video.fps,
        "duration": video.duration,
        "width": video.width,
        "height": video.height,
        "category": video.category,
        "tags": list(video.tags),
        "paths": list(video.paths),
        "annotators": n_annotators,
        "created_at": video.created_at.isoformat(),
    }


def _list(args: argparse.Namespace) -> int:
    from annotations import Repository

    repo = Repository(args.db)
    videos = repo.videos()
    counts = repo.selection_counts()
    if args.json:
        print(json.dumps([video_dict(v, counts.get(v.id, 0)) for v in videos], indent=2))
        return 0
    if not videos:
        print(f"no videos in {repo.url}", file=sys.stderr)
        return 0
    width = min(40, max(len(v.name) for v in videos))
    print(
        f"{'id':>5}  {'name':<{width}}  {'frames':>7}  {'fps':>7}  {'sha256':<12}  "
        f"{'annot.':>6}  tags"
    )
    for v in videos:
        fps = "-" if v.fps is None else f"{v.fps:.3f}"
        tags = ",".join(([v.category] if v.category else []) + list(v.tags))
        print(
            f"{v.id:>5}  {v.name[:width]:<{width}}  {v.n_frames:>7}  {fps:>7}  "
            f"{(v.sha256 or '-')[:12]:<12}  {counts.get(v.id, 0):>6}  {tags}"
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``library add``, ``library list`` and ``library process``."""
    library = sub.add_parser("library", help="the videos the annotation store knows")
    cmds = library.add_subparsers(dest="library_command", metavar="ACTION")
    cmds.required = True

    p = cmds.add_parser("add", help="probe and register video files (a folder: every video in it)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--features", action="store_true", help="also compute (and cache) features")
    p.add_argument(
        "--backbone",
        default=DEFAULT_BACKBONE,
        choices=sorted(BACKBONES),
        help=f"feature backbone ({DEFAULT_BACKBONE})",
    )
    p.add_argument("--rate", type=float, default=2.0, help="feature steps per second (2)")
    p.add_argument(
        "--skip-bad",
        action="store_true",
        help="skip files that cannot be probed instead of stopping",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_add)

    p = cmds.add_parser("list", help="list the registered videos")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_list)

    from core.services.cli.process_cmds import add_process

    add_process(cmds)  # library process: its own module, Ray imported only when it runs
