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
        [--methods sumgan,sumgan-nodict,desumnet] [--epochs sumgan=12,desumnet=30] [--json OUT]

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
from core.protocols.benchmark import evaluate  # noqa: E402
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
    """Evaluate one variant (its options updated with ``extra``; ``restarts`` seeded runs per
    split, the best by validation kept); returns its row of the table (means over the splits)."""
    method_name, options = VARIANTS[name]
    made: list[Method] = []

    def factory() -> Method:
        method = create_method(method_name, **{**options, **(extra or {})})
        made.append(method)
        return method

    splits = read_splits(splits_file)
    result = evaluate(
        dataset,
        splits,
        factory,
        config=TrainConfig(
            epochs=epochs, seed=seed, options={"restarts": restarts} if restarts > 1 else {}
        ),
        split_indices=indices,
    )
    trained = [m for m in made if getattr(m, "fit_result", None) is not None]
    maps, rmaps, accs, secs = [], [], [], []
    for split, method in zip(result.splits, trained, strict=True):
        maps.append(shot_map(dataset, split.scores))
        rmaps.append(shot_map(dataset, random_scores(dataset, split.scores, seed)))
        acc = category_accuracy(dataset, method, list(split.scores))
        if acc is not None:
            accs.append(acc)
        history = method.fit_result.history  # type: ignore[attr-defined]
        secs.append(float(np.mean([h["seconds"] for h in history])))
    row: dict[str, Any] = {"variant": name, "epochs": epochs, "splits": indices}
    row["restarts"] = restarts
    row.update(result.to_json()["mean"])
    row["split_tau"] = [split.mean()["tau"] for split in result.splits]
    row["split_restarts"] = [
        m.info.metrics.get("restarts") if m.info is not None else None  # type: ignore[attr-defined]
        for m in trained
    ]
    row["random"] = result.to_json()["random"]["mean"]
    for key in ("map5", "map15"):
        row[key] = float(np.mean([m[key] for m in maps]))
        row["random"][key] = float(np.mean([m[key] for m in rmaps]))
    row["category_accuracy"] = float(np.mean(accs)) if accs else None
    row["seconds_per_epoch"] = float(np.mean(secs)) if secs else None
    row["best_epochs"] = [m.fit_result.best_epoch for m in trained]  # type: ignore[attr-defined]
    histories = [m.fit_result.history for m in trained]  # type: ignore[attr-defined]
    row["all_losses_finite"] = all(
        np.isfinite(v) for h in histories for e in h for v in e["losses"].values()
    )
    row["history"] = [
        [{"epoch": e["epoch"], "losses": e["losses"], "val": e.get("val_kendall_tau")} for e in h]
        for h in histories
    ]
    return row


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
    args = p.parse_args(argv)
    extra = dict(pair.split("=", 1) for pair in args.option)
    torch.set_num_threads(args.threads)
    epochs = dict(DEFAULT_EPOCHS)
    for pair in filter(None, args.epochs.split(",")):
        key, value = pair.split("=")
        epochs[key] = int(value)
    indices = [int(i) for i in args.splits.split(",")]
    rows = []
    for name in args.methods.split(","):
        if name not in VARIANTS:
            p.error(f"unknown variant {name!r}; known: {', '.join(VARIANTS)}")
        n = epochs[VARIANTS[name][0]]
        rows.append(
            run(name, args.dataset, args.splits_file, indices, n, args.seed, extra, args.restarts)
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
