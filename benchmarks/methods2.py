"""Benchmark of Methods II on TVSum with real I3D features: sumgan (± dictionary loss), desumnet.

For each method and each chosen split of the PGL-SUM TVSum splits: train on the split's train
keys (20 % of them held out to pick the epoch, never the test keys), score the test videos
label-free, then measure keyshot F, Kendall τ, Spearman ρ (``core.evaluation``), DeSumNet's
top-5 / top-15 shot mAP (``core.evaluation.ranking``, human summaries = each user's top 50 % of
shots), DeSumNet's category accuracy on the test videos, and CPU seconds per epoch. The seeded
``random`` baseline is measured under the same shots.

Usage (from the repository root)::

    python benchmarks/methods2.py --dataset /tmp/m2/tvsum_i3d.h5 \\
        --splits-file .../splits/pgl-sum/tvsum_splits.json --splits 0,1 \\
        [--methods sumgan,sumgan-nodict,desumnet] [--epochs sumgan=12,desumnet=30] [--json OUT] \\
        [--workers N] [--address RAY_ADDRESS]

``--workers N`` (or ``--address``) runs every variant's splits at once as Ray tasks, N at a time,
on a local Ray or a cluster (:func:`core.protocols.ray_splits.map_on_ray`; the dataset and splits
files at the same path on every node): the same figures as the plain run, its seconds per epoch
those of N runs sharing the machine.

Timings on a shared CPU are rough.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from core.datasets.eccv16 import read_labels  # noqa: E402
from core.datasets.splits import read_splits  # noqa: E402
from core.evaluation.ranking import top_half_shots, topk_shot_map  # noqa: E402
from core.methods.base import Method  # noqa: E402
from core.methods.desumnet.method import DeSumNet  # noqa: E402
from core.methods.registry import create_method  # noqa: E402
from core.protocols.benchmark import BenchmarkResult, evaluate  # noqa: E402
from core.protocols.runner import default_protocol  # noqa: E402
from core.selection import shot_scores, upsample_steps  # noqa: E402
from core.types import TrainConfig  # noqa: E402

VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "sumgan": ("sumgan", {}),
    "sumgan-nodict": ("sumgan", {"dict_loss": False}),
    "desumnet": ("desumnet", {}),
    "desumnet-grad": ("desumnet", {"saliency": "grad"}),
    "desumnet-acc": ("desumnet", {"select_on": "accuracy"}),
}
DEFAULT_EPOCHS = {"sumgan": 12, "desumnet": 30}


def shot_map(dataset: str, scores: dict[str, np.ndarray]) -> dict[str, float]:
    """Mean top-5 / top-15 shot mAP over the scored test videos."""
    out: dict[str, list[float]] = {"map5": [], "map15": []}
    for sample in read_labels(dataset, list(scores)):
        if sample.user_scores is None:
            continue
        frames = upsample_steps(scores[sample.key], sample.picks, sample.n_frames)
        predicted = shot_scores(frames, sample.shots)
        relevant = top_half_shots(sample.user_scores, sample.shots)
        lengths = sample.shots[:, 1] - sample.shots[:, 0]
        out["map5"].append(topk_shot_map(predicted, relevant, 5, lengths))
        out["map15"].append(topk_shot_map(predicted, relevant, 15, lengths))
    return {k: float(np.nanmean(v)) if v else float("nan") for k, v in out.items()}


def category_accuracy(dataset: str, method: Method, keys: list[str]) -> float | None:
    if not isinstance(method, DeSumNet):
        return None
    samples = read_labels(dataset, keys)
    return float(np.mean([method.predict_category(s.features) == s.category for s in samples]))


def split_figures(
    name: str,
    dataset: str,
    splits_file: str,
    index: int,
    epochs: int,
    seed: int,
    extra: dict[str, Any] | None = None,
    restarts: int = 1,
    threads: int | None = None,
) -> dict[str, Any]:
    """One split of one variant (its options updated with ``extra``; ``restarts`` seeded runs,
    the best by validation kept): the split's result and the trained method's own figures. A
    split's run depends only on its arguments, so it gives the same figures in this process or
    in a Ray task (``--workers``); ``threads``: torch CPU threads for it."""
    if threads is not None:
        torch.set_num_threads(threads)
    method_name, options = VARIANTS[name]
    made: list[Method] = []

    def factory() -> Method:
        method = create_method(method_name, **{**options, **(extra or {})})
        made.append(method)
        return method

    result = evaluate(
        dataset,
        read_splits(splits_file),
        factory,
        config=TrainConfig(
            epochs=epochs, seed=seed, options={"restarts": restarts} if restarts > 1 else {}
        ),
        split_indices=[index],
    )
    (split,) = result.splits
    (method,) = [m for m in made if getattr(m, "fit_result", None) is not None]
    history = method.fit_result.history  # type: ignore[attr-defined]
    return {
        "split": split,
        "map": shot_map(dataset, split.scores),
        "random_map": shot_map(dataset, random_scores(dataset, split.scores, seed)),
        "accuracy": category_accuracy(dataset, method, list(split.scores)),
        "seconds": float(np.mean([h["seconds"] for h in history])),
        "restarts": restarts_of(method),
        "best_epoch": method.fit_result.best_epoch,  # type: ignore[attr-defined]
        "history": history,
    }


def restarts_of(method: Method) -> Any:
    """What the method's restarts recorded (``None`` without restarts)."""
    info = getattr(method, "info", None)
    return info.metrics.get("restarts") if info is not None else None


def variant_row(
    name: str,
    dataset: str,
    indices: list[int],
    epochs: int,
    restarts: int,
    parts: list[dict[str, Any]],
) -> dict[str, Any]:
    """A variant's row of the table from its splits' :func:`split_figures` (means over them)."""
    result = BenchmarkResult(
        name, default_protocol(dataset), dataset, 0.15, [p["split"] for p in parts]
    )
    accs = [p["accuracy"] for p in parts if p["accuracy"] is not None]
    row: dict[str, Any] = {"variant": name, "epochs": epochs, "splits": indices}
    row["restarts"] = restarts
    row.update(result.to_json()["mean"])
    row["split_tau"] = [split.mean()["tau"] for split in result.splits]
    row["split_restarts"] = [p["restarts"] for p in parts]
    row["random"] = result.to_json()["random"]["mean"]
    for key in ("map5", "map15"):
        row[key] = float(np.mean([p["map"][key] for p in parts]))
        row["random"][key] = float(np.mean([p["random_map"][key] for p in parts]))
    row["category_accuracy"] = float(np.mean(accs)) if accs else None
    row["seconds_per_epoch"] = float(np.mean([p["seconds"] for p in parts])) if parts else None
    row["best_epochs"] = [p["best_epoch"] for p in parts]
    histories = [p["history"] for p in parts]
    row["all_losses_finite"] = all(
        np.isfinite(v) for h in histories for e in h for v in e["losses"].values()
    )
    row["history"] = [
        [{"epoch": e["epoch"], "losses": e["losses"], "val": e.get("val_kendall_tau")} for e in h]
        for h in histories
    ]
    return row


def run_variant(
    name: str,
    dataset: str,
    splits_file: str,
    indices: list[int],
    epochs: int,
    seed: int,
    extra: dict[str, Any] | None = None,
    restarts: int = 1,
) -> dict[str, Any]:
    """Evaluate one variant on the splits ``indices``, one after another in this process;
    returns its row of the table (means over the splits)."""
    args = (name, dataset, splits_file)
    parts = [split_figures(*args, i, epochs, seed, extra, restarts) for i in indices]
    return variant_row(name, dataset, indices, epochs, restarts, parts)


def rows_on_ray(
    jobs: list[tuple[str, int]], args: argparse.Namespace, extra: dict[str, Any], indices: list[int]
) -> list[dict[str, Any]]:
    """Every (variant, epochs) job's splits as Ray tasks at once, ``--workers`` at a time
    (:func:`core.protocols.ray_splits.map_on_ray`); the rows of the plain run."""
    from core.protocols.ray_splits import map_on_ray

    dataset, splits_file = str(Path(args.dataset).resolve()), str(Path(args.splits_file).resolve())
    calls = [
        (name, dataset, splits_file, i, n, args.seed, extra, args.restarts, args.threads)
        for name, n in jobs
        for i in indices
    ]
    parts = map_on_ray(
        split_figures,
        calls,
        workers=args.workers,
        address=args.address,
        labels=[f"{c[0]} split {c[3]}" for c in calls],
        what="variant splits",
        command="benchmarks/methods2.py --workers",
    )
    rows = []
    for k, (name, n) in enumerate(jobs):
        mine = parts[k * len(indices) : (k + 1) * len(indices)]
        rows.append(variant_row(name, dataset, indices, n, args.restarts, mine))
    return rows


def random_scores(dataset: str, scores: dict[str, np.ndarray], seed: int) -> dict[str, np.ndarray]:
    """The registry's seeded ``random`` method on the same test videos (its mAP baseline)."""
    method = create_method("random", seed=seed)
    return {key: method.score(np.zeros((len(v), 1), np.float32)) for key, v in scores.items()}


def _fmt(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}"


def print_table(rows: list[dict[str, Any]]) -> None:
    head = f"{'variant':16} {'F':>6} {'tau':>6} {'rho':>6} {'mAP5':>6} {'mAP15':>6} {'acc':>6} s/ep"
    print(head)
    for row in rows:
        print(
            f"{row['variant']:16} {_fmt(row['f'])} {_fmt(row['tau'])} {_fmt(row['rho'])} "
            f"{_fmt(row['map5'])} {_fmt(row['map15'])} {_fmt(row['category_accuracy'])} "
            f"{_fmt(row['seconds_per_epoch'])}  (best epochs {row['best_epochs']}; "
            f"every loss term finite in every epoch: {row.get('all_losses_finite')})"
        )
        r = row["random"]
        print(
            f"{'  random':16} {_fmt(r['f'])} {_fmt(r['tau'])} {_fmt(r['rho'])} "
            f"{_fmt(r['map5'])} {_fmt(r['map15'])}"
        )


def main(argv: list[str] | None = None, run: Callable[..., dict[str, Any]] = run_variant) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", required=True, help="eccv16 h5 (converted TVSum, I3D features)")
    p.add_argument("--splits-file", required=True, help="PGL-SUM tvsum_splits.json")
    p.add_argument("--splits", default="0", help="split indices, e.g. 0,1 (default 0)")
    p.add_argument("--methods", default="sumgan,sumgan-nodict,desumnet", help="variants")
    p.add_argument("--epochs", default="", help="per method, e.g. sumgan=12,desumnet=30")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--restarts", type=int, default=1, help="seeded runs per split, best by validation kept"
    )
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads (default 1)")
    p.add_argument("--json", help="also write the rows to this JSON file")
    p.add_argument(
        "--option", action="append", default=[], help="KEY=VALUE for every variant (repeatable)"
    )
    p.add_argument(
        "--workers",
        type=int,
        help="every variant's splits as Ray tasks, this many at a time (same figures)",
    )
    p.add_argument("--address", help="... on the Ray cluster at this address instead")
    args = p.parse_args(argv)
    if args.workers is not None and args.workers < 1:
        p.error(f"--workers must be at least 1, got {args.workers}")
    extra = dict(pair.split("=", 1) for pair in args.option)
    torch.set_num_threads(args.threads)
    epochs = dict(DEFAULT_EPOCHS)
    for pair in filter(None, args.epochs.split(",")):
        key, value = pair.split("=")
        epochs[key] = int(value)
    indices = [int(i) for i in args.splits.split(",")]
    jobs = []
    for name in args.methods.split(","):
        if name not in VARIANTS:
            p.error(f"unknown variant {name!r}; known: {', '.join(VARIANTS)}")
        jobs.append((name, epochs[VARIANTS[name][0]]))
    rows = []
    if (args.workers or 1) > 1 or args.address:
        rows = rows_on_ray(jobs, args, extra, indices)
        for row in rows:
            print(json.dumps(row), file=sys.stderr, flush=True)
    else:
        for name, n in jobs:
            rows.append(
                run(
                    name,
                    args.dataset,
                    args.splits_file,
                    indices,
                    n,
                    args.seed,
                    extra,
                    args.restarts,
                )
            )
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print(
        f"TVSum (I3D 2048-d), PGL-SUM splits {indices}, CPU, seed {args.seed}, "
        f"{args.restarts} restart(s) per split"
    )
    print_table(rows)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
