"""``synopsis train``: train a method on a dataset, on users' labels, or on a folder of videos.

``synopsis train --method M (--dataset H5 [--splits F --split K] | --labels [--annotator A] |
--videos DIR) --out MODEL_DIR [--epochs N] [--device D] [--seed S]`` trains with a validation
part of the training videos held out for model selection, shows a progress bar on stderr, writes
the model directory (``model.pt`` + ``model.json``) and prints where it went and how it scored.
``--method desumnet --clips`` (``--option mode=clips``) trains the C3D network on video files
whose category comes from the store's tags (``--labels``: every tagged video; ``--videos DIR``:
the folder's files the store has tagged); ``--method crsum --frontend 3dcnn`` (``crsum3d``) with
``--labels`` decodes each labelled file's frames itself; ``--no-dict-loss`` ablates SUM-GAN's
dictionary loss (:mod:`core.services.cli.method_flags`).
``--resume`` continues an interrupted run from its last epoch checkpoint. Every run is recorded in
the annotation store (``--db``) with its progress and end, and a finished one's model as a model
version (:mod:`core.services.training.record`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import SynopsisError
from core.services.cli.globals import warning
from core.services.cli.method_flags import (
    add_run_flags,
    add_variant_flags,
    resolve_variant,
    train_settings,
)
from core.services.cli.names import DEFAULT_BACKBONE

if TYPE_CHECKING:
    from core.types import TrainConfig, VideoSample

LABEL_FREE = ("csum", "sumgan")


def parse_options(pairs: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` strings → dict; values are read as JSON when they parse, else as text."""
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SynopsisError(f"train: --option expects KEY=VALUE, got {pair!r}")
        try:
            options[key] = json.loads(value)
        except json.JSONDecodeError:
            options[key] = value
    return options


def clips_mode(method: str, options: dict[str, Any]) -> bool:
    """Whether the run trains DeSumNet's C3D ``clips`` mode (video files + category tags)."""
    return method == "desumnet" and options.get("mode") == "clips"


def _tagged(args: argparse.Namespace, bar: Any) -> tuple[list[VideoSample], dict[str, Any]]:
    """DeSumNet ``clips``: video files whose category comes from the store's tags."""
    from core.services.training.tag_source import tagged_folder_samples, tagged_store_samples

    if args.dataset:
        raise SynopsisError(
            "train: desumnet mode=clips reads video files; use --labels (the store's tagged "
            "videos) or --videos DIR (files the store has tagged)"
        )
    if args.labels:
        samples, skipped = tagged_store_samples(args.db, args.annotator)
        source: dict[str, Any] = {"labels": True, "annotator": args.annotator}
    else:
        samples, skipped = tagged_folder_samples(args.videos, args.db, progress=bar)
        source = {"videos": str(args.videos)}
    if skipped:
        warning(f"skipped {len(skipped)} videos without a file or a category")
    return samples, {**source, "categories": "store tags", "skipped": skipped}


def _samples(args: argparse.Namespace, bar: Any) -> tuple[list[VideoSample], dict[str, Any]]:
    """The training videos and a description of where they came from (for the metadata)."""
    from core.models.sources import dataset_samples, folder_samples

    if args.dataset:
        samples = dataset_samples(args.dataset, args.splits, args.split)
        source = {"dataset": str(args.dataset), "splits": args.splits, "split": args.split}
        return samples, source
    if args.labels:
        from core.services.training.store_source import store_samples

        samples, skipped = store_samples(
            args.db,
            args.annotator,
            args.backbone or DEFAULT_BACKBONE,
            args.rate or 2.0,
            progress=bar,
        )
        if skipped:
            warning(f"skipped {len(skipped)} label-only videos without a file")
        return samples, {"labels": True, "annotator": args.annotator, "skipped": skipped}
    samples = folder_samples(
        args.videos, args.backbone or DEFAULT_BACKBONE, args.rate or 2.0, progress=bar
    )
    return samples, {"videos": str(args.videos)}


def _run_config(
    args: argparse.Namespace, config: TrainConfig, source: dict[str, Any], backbone: str | None
) -> dict[str, Any]:
    """What the store records as the run's config (JSON)."""
    return json.loads(
        json.dumps(
            {
                "via": "synopsis train",
                "out": str(Path(args.out).resolve()),
                "epochs": config.epochs,
                "lr": config.lr,
                "seed": config.seed,
                "device": config.device,
                "options": config.options,
                "backbone": backbone,
                "rate": args.rate,
                "resume": bool(args.resume),
                "source": source,
            },
            default=str,
        )
    )


def _train(args: argparse.Namespace) -> int:
    from core.methods.registry import method_class
    from core.models.run import TrainingRun
    from core.models.sources import require_labels
    from core.progress import StderrBar, no_progress
    from core.services.training.record import RunRecord
    from core.training.validation import split_train_val
    from core.types import TrainConfig

    args.method, options = resolve_variant(
        "train", args.method, parse_options(args.option or []), args
    )
    cls = method_class(args.method)
    if not cls.trainable:
        raise SynopsisError(f"train: method {args.method!r} is not trainable")
    bar = no_progress if args.quiet else StderrBar()
    clips = clips_mode(args.method, options)
    samples, source = _tagged(args, bar) if clips else _samples(args, bar)
    label_free = clips or (args.method in LABEL_FREE and not options.get("init"))
    if args.videos and not label_free:
        raise SynopsisError(f"train: --videos has no labels; {args.method!r} needs labels")
    if not label_free:
        require_labels(samples, f"method {args.method!r}")
    data = split_train_val(samples, args.val_fraction, args.seed)
    epochs, options = train_settings(cls, options, args)
    options.setdefault("cpu_threads", args.threads)
    config = TrainConfig(
        epochs=epochs, lr=args.lr, seed=args.seed, device=args.device, options=options
    )
    from_dataset = bool(args.dataset) or clips  # clips: no features, so no backbone or rate
    backbone = args.backbone if from_dataset else args.backbone or DEFAULT_BACKBONE
    annotator = args.annotator if args.labels else None
    run = TrainingRun.create(
        args.method,
        data,
        config,
        Path(args.out),
        backbone=backbone,
        rate=args.rate if from_dataset else args.rate or 2.0,
        annotator=annotator,
        resume=args.resume,
        source=source,
    )
    record = RunRecord(args.db)
    record.start(args.method, annotator, _run_config(args, config, source, backbone))
    with record.guarded():
        for event in run.run():
            bar(event.fraction, event.message)
            record.progress(event)
        info = getattr(run.method, "info", None)
        record.finished(Path(args.out), args.method, annotator, backbone, info)
    metrics = {} if info is None else info.metrics
    metric = next((k for k in metrics if k.startswith("val")), None)
    shown = "" if metric is None or metrics[metric] is None else f", {metric} {metrics[metric]:.4f}"
    early = (
        f" (stopped early after {metrics.get('epochs_run')})"
        if metrics.get("stopped_early")
        else ""
    )
    if args.json:
        report = {
            "method": args.method,
            "out": str(Path(args.out).resolve()),
            "n_train": len(data.train),
            "n_val": len(data.val),
            "epochs": epochs,
            "restarts": int(options.get("restarts") or 1),
            "metrics": metrics,
        }
        print(json.dumps(report, default=str))
        return 0
    print(
        f"{args.method}: {len(data.train)} training / {len(data.val)} validation videos, "
        f"kept epoch {metrics.get('best_epoch')} of {epochs}{early}{shown} -> {args.out}"
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``synopsis train``."""
    p = sub.add_parser(
        "train",
        help="train a method (crsum, csum, embedding, …) and save the model",
        description="synopsis train --method M (--dataset H5 [--splits F --split K] | --labels "
        "[--annotator A] | --videos DIR) --out MODEL_DIR",
    )
    p.add_argument("--method", required=True, help="trainable method (see 'synopsis methods')")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--dataset", help="eccv16-layout h5 file")
    src.add_argument("--labels", action="store_true", help="labels in the annotation store")
    src.add_argument("--videos", help="folder of videos (label-free methods)")
    p.add_argument("--splits", help="with --dataset: split file; trains on its train keys")
    p.add_argument("--split", type=int, default=0, help="with --splits: split index (default 0)")
    p.add_argument("--annotator", help="with --labels: only this annotator's labels")
    p.add_argument("--out", required=True, help="model directory to write")
    p.add_argument(
        "--epochs", type=int, help="epochs (default: the method's validated configuration)"
    )
    p.add_argument("--lr", type=float, help="learning rate (default: the method's own)")
    p.add_argument("--device", default="auto", help="auto (CUDA, MPS, CPU), cpu, cuda, mps")
    p.add_argument("--seed", type=int, default=0, help="seed (initialisation, order, validation)")
    p.add_argument(
        "--val-fraction",
        type=float,
        default=0.2,
        help="share of training videos held out for model selection (default 0.2)",
    )
    p.add_argument(
        "--option",
        action="append",
        metavar="KEY=VALUE",
        help="method option, e.g. lam=0 or init=MODEL_DIR (repeatable)",
    )
    p.add_argument(
        "--backbone",
        help=f"feature backbone for --labels/--videos (default {DEFAULT_BACKBONE}); with "
        "--dataset, recorded in the model's metadata (the h5 does not say)",
    )
    p.add_argument("--rate", type=float, help="steps per second for --labels/--videos (default 2)")
    p.add_argument(
        "--threads",
        type=int,
        default=1,
        help="CPU threads for training (default 1: fastest for these small models)",
    )
    add_variant_flags(p)
    add_run_flags(p)
    p.add_argument("--resume", action="store_true", help="continue from the last checkpoint")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_train)
