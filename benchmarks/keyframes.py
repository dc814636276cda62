"""Keyframe benchmark (Methods I): ``embedding`` against ``kmeans``, ``vsumm``, ``uniform``,
``random``.

Measures CUS_A (higher is better) and CUS_E (lower is better) against users' top clips, with the
feature-space stand-in of :mod:`core.evaluation.keyframe_bench` (TVSum's frames are not at hand):
k = 5 % of a video's steps for every user and every method; a user's keyframes are the k steps
they rated highest, ≥ 5 steps apart; keyframes match (one-to-one, closest first, VSUMM's rule)
when the cosine distance of their step features is below a threshold set on the split's train
videos (a quantile of within-video step distances; the first of ``--quantiles`` is the primary
one, the others are a sensitivity check).

Per split: the train keys are divided into fit and validation parts exactly as ``synopsis
evaluate`` does (``core.protocols.runner.split_validation``); ``embedding`` is trained on the fit
part once per configuration of ``--grid`` (each keeps its epoch by its own validation metric),
and the configuration with the best CUS_A on the validation videos is kept. Test videos are then
read without labels, every method picks k keyframes, and only then are their labels read to
measure. A leave-one-out "humans" row (each user against the others) gives the scale.

Usage (from the repository root)::

    python benchmarks/keyframes.py --dataset /tmp/m2/tvsum_i3d.h5 \\
        --splits-file ../shared/data/benchmarks/splits/pgl-sum/tvsum_splits.json \\
        [--splits 0,1] [--epochs 20] [--grid '[{}, {"embed_dim": 128}]'] \\
        [--quantiles 0.05,0.1] [--json OUT] [--workers N] [--address RAY_ADDRESS]

``--workers N`` (or ``--address``) runs the splits as Ray tasks, N at a time, on a local Ray or a
cluster (:func:`core.protocols.ray_splits.map_on_ray`; the dataset at the same path on every
node): the same result as one split after another here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from core.datasets.eccv16 import read_eccv16, read_labels  # noqa: E402
from core.datasets.splits import Split, read_splits  # noqa: E402
from core.errors import MethodError  # noqa: E402
from core.evaluation import keyframe_bench as kb  # noqa: E402
from core.methods.base import Method  # noqa: E402
from core.methods.nn.torch_method import TorchMethod  # noqa: E402
from core.methods.registry import create_method  # noqa: E402
from core.protocols.runner import split_validation  # noqa: E402
from core.training.validation import step_user_scores  # noqa: E402
from core.types import TrainConfig, TrainData, VideoSample  # noqa: E402

BASELINES = ("kmeans", "vsumm", "uniform", "random")
ROWS = ("humans", "embedding", *BASELINES)
DEFAULT_GRID: list[dict[str, Any]] = [{}]


def steps_per_second(sample: VideoSample) -> float:
    return len(sample.features) * sample.fps / max(sample.n_frames, 1)


def pick(methods: dict[str, Method], samples: list[VideoSample], notes: dict[str, str]) -> dict:
    """Each method's k keyframe steps per video (features only); a method that cannot run on
    these features is left out with a note."""
    out: dict[str, dict[str, np.ndarray]] = {}
    for name, method in methods.items():
        try:
            out[name] = {
                s.key: kb.method_keyframes(
                    method, s.features, kb.keyframe_count(len(s.features)), steps_per_second(s)
                )
                for s in samples
            }
        except MethodError as exc:
            notes[name] = f"skipped: {exc}"
    return out


def measure(picks: dict, labelled: list[VideoSample], thresholds: dict[float, float]) -> dict:
    """Mean ``[CUS_A, CUS_E]`` over the videos, per method and threshold quantile (+ humans)."""
    rows: dict[str, dict[float, list[tuple[float, float]]]] = {}
    for s in labelled:
        scores = step_user_scores(s)
        if scores is None:
            continue
        users = kb.users_keyframes(scores)
        for q, t in thresholds.items():
            rows.setdefault("humans", {}).setdefault(q, []).append(
                kb.human_cus(s.features, users, t)
            )
            for name, steps in picks.items():
                value = kb.video_cus(s.features, steps[s.key], users, t)
                rows.setdefault(name, {}).setdefault(q, []).append(value)
    return {
        name: {q: np.mean(v, axis=0).tolist() for q, v in by_q.items()}
        for name, by_q in rows.items()
    }


def train_embedding(
    fit: list[VideoSample], val: list[VideoSample], options: dict, epochs: int, seed: int
) -> TorchMethod:
    method = create_method("embedding", **options)
    assert isinstance(method, TorchMethod)
    config = TrainConfig(epochs=epochs, seed=seed, device="cpu", options={"cpu_threads": 1})
    for _ in method.train(TrainData(fit, val), config, lambda: False):
        pass
    return method


def run_split(index: int, split: Split, args: argparse.Namespace) -> dict[str, Any]:
    """Validation-selected embedding and the baselines on one split's test keys."""
    fit_keys, val_keys = split_validation(split.train_keys, args.seed)
    fit, val = read_eccv16(args.dataset, fit_keys), read_eccv16(args.dataset, val_keys)
    train_features = [s.features for s in [*fit, *val]]
    thresholds = {q: kb.match_threshold(train_features, q) for q in args.quantiles}
    primary = {args.quantiles[0]: thresholds[args.quantiles[0]]}
    trials, best, best_value = [], None, -np.inf
    val_kmeans = measure(pick({"kmeans": create_method("kmeans")}, val, {}), val, primary)
    for options in args.grid:
        method = train_embedding(fit, val, options, args.epochs, args.seed)
        value = measure(pick({"embedding": method}, val, {}), val, primary)["embedding"]
        cus_a = value[args.quantiles[0]][0]
        fitted = method.fit_result
        epoch = None if fitted is None else fitted.best_epoch
        trials.append({"options": options, "best_epoch": epoch, "val_cus_a": cus_a})
        if cus_a > best_value:
            best, best_value = method, cus_a
    assert best is not None
    notes: dict[str, str] = {}
    methods = {"embedding": best, **{name: create_method(name) for name in BASELINES}}
    unlabelled = read_eccv16(args.dataset, split.test_keys, labels=False)
    picks = pick(methods, unlabelled, notes)
    test = measure(picks, read_labels(args.dataset, split.test_keys), thresholds)
    return {
        "index": index,
        "n_fit": len(fit),
        "n_val": len(val),
        "n_test": len(split.test_keys),
        "thresholds": {str(q): t for q, t in thresholds.items()},
        "validation": {
            "trials": trials,
            "kmeans_cus_a": val_kmeans["kmeans"][args.quantiles[0]][0],
        },
        "chosen": trials[[t["val_cus_a"] for t in trials].index(best_value)]["options"],
        "test": {name: {str(q): v for q, v in by_q.items()} for name, by_q in test.items()},
        "notes": notes,
    }


def summarise(splits: list[dict[str, Any]], quantiles: list[float]) -> dict[str, Any]:
    """Mean and (population) std over splits per method and quantile; embedding vs kmeans."""
    out: dict[str, Any] = {}
    for name in ROWS:
        for q in map(str, quantiles):
            values = np.array([s["test"][name][q] for s in splits if name in s["test"]])
            if values.size:
                row = {"cus_a": values[:, 0], "cus_e": values[:, 1]}
                out.setdefault(name, {})[q] = {
                    m: {"mean": float(v.mean()), "std": float(v.std())} for m, v in row.items()
                }
    versus = {}
    for q in map(str, quantiles):
        emb = np.array([s["test"]["embedding"][q][0] for s in splits])
        km = np.array([s["test"]["kmeans"][q][0] for s in splits])
        versus[q] = {
            "diff_per_split": (emb - km).tolist(),
            "diff_mean": float((emb - km).mean()),
            "diff_std": float((emb - km).std()),
            "ratio_of_means": float(emb.mean() / km.mean()) if km.mean() > 0 else float("nan"),
            "splits_won": int(np.sum(emb > km)),
        }
    return {"methods": out, "embedding_vs_kmeans": versus}


def table(result: dict[str, Any]) -> str:
    """The printed report: primary table, embedding vs kmeans, sensitivity, validation."""
    splits, summary, qs = result["splits"], result["summary"], result["protocol"]["quantiles"]
    q0 = str(qs[0])
    head = " ".join(f"split{s['index']:<2}" for s in splits)
    lines = [
        f"Keyframes, test keys of {len(splits)} split(s): CUS_A (↑) per split, then mean ± std "
        f"of CUS_A (↑) and CUS_E (↓). Feature-space CUS: cosine distance of step features below "
        f"the q={q0} within-video quantile of each split's train videos; k = "
        f"{kb.KEYFRAME_SHARE:.0%} of steps; users' top clips ≥ {kb.MIN_GAP_STEPS} steps apart.",
        f"{'method':<11} {head}  {'CUS_A':>13}  {'CUS_E':>13}",
    ]
    for name in ROWS:
        if name not in summary["methods"]:
            note = next((s["notes"][name] for s in splits if name in s["notes"]), "not measured")
            lines.append(f"{name:<11} {note}")
            continue
        per = " ".join(f"{s['test'][name][q0][0]:7.3f}" for s in splits)
        m = summary["methods"][name][q0]
        cells = [f"{m[k]['mean']:.3f} ± {m[k]['std']:.3f}" for k in ("cus_a", "cus_e")]
        lines.append(f"{name:<11} {per}  {cells[0]:>13}  {cells[1]:>13}")
    lines.append("embedding − kmeans, CUS_A:")
    for q in map(str, qs):
        v = summary["embedding_vs_kmeans"][q]
        per = " ".join(f"{d:+.3f}" for d in v["diff_per_split"])
        lines.append(
            f"  q={q}: {per}; mean {v['diff_mean']:+.3f} ± {v['diff_std']:.3f}; ratio of means "
            f"{v['ratio_of_means']:.3f}; splits won {v['splits_won']}/{len(splits)}"
        )
    for q in map(str, qs[1:]):
        cells = [
            f"{n} {summary['methods'][n][q]['cus_a']['mean']:.3f}"
            for n in ROWS
            if n in summary["methods"]
        ]
        lines.append(f"sensitivity q={q}, CUS_A means: " + ", ".join(cells))
    lines.append("validation (embedding configuration kept per split by val CUS_A):")
    for s in splits:
        tried = "; ".join(
            f"{json.dumps(t['options'])} → {t['val_cus_a']:.3f} (epoch {t['best_epoch']})"
            for t in s["validation"]["trials"]
        )
        kmeans = s["validation"]["kmeans_cus_a"]
        kept = json.dumps(s["chosen"])
        lines.append(f"  split {s['index']}: {tried}; kmeans {kmeans:.3f}; kept {kept}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dataset", required=True, help="eccv16-layout h5 file")
    parser.add_argument("--splits-file", required=True, help="PGL-SUM-style splits JSON")
    parser.add_argument("--splits", default=None, help="comma-separated split indices (all)")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--grid", type=json.loads, default=DEFAULT_GRID, help="JSON list")
    parser.add_argument(
        "--quantiles",
        default=str(kb.THRESHOLD_QUANTILE),
        type=lambda text: [float(q) for q in text.split(",")],
        help="threshold quantiles; the first is the primary one",
    )
    parser.add_argument("--json", default=None, help="write the full result here")
    parser.add_argument(
        "--workers", type=int, help="the splits as Ray tasks, this many at a time (same result)"
    )
    parser.add_argument("--address", help="... on the Ray cluster at this address instead")
    args = parser.parse_args(argv)
    if args.workers is not None and args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    return args


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    torch.set_num_threads(1)
    splits = read_splits(args.splits_file)
    indices = range(len(splits)) if args.splits is None else map(int, args.splits.split(","))
    results = []
    if (args.workers or 1) > 1 or args.address:
        from core.protocols.ray_splits import map_on_ray

        shared = argparse.Namespace(**{**vars(args), "dataset": str(Path(args.dataset).resolve())})
        calls = [(i, splits[i], shared) for i in indices]
        results = map_on_ray(
            run_split,
            calls,
            workers=args.workers,
            address=args.address,
            labels=[f"split {i}" for i, _, _ in calls],
            what="splits",
            command="benchmarks/keyframes.py --workers",
            progress=lambda _, message: print(message, file=sys.stderr, flush=True),
        )
    else:
        for i in indices:
            results.append(run_split(i, splits[i], args))
            print(f"split {i} done", file=sys.stderr, flush=True)
    protocol = {
        "dataset": str(args.dataset),
        "splits_file": str(args.splits_file),
        "epochs": args.epochs,
        "seed": args.seed,
        "grid": args.grid,
        "quantiles": args.quantiles,
        "keyframe_share": kb.KEYFRAME_SHARE,
        "min_gap_steps": kb.MIN_GAP_STEPS,
        "distance": "cosine of step features",
    }
    result = {
        "protocol": protocol,
        "splits": results,
        "summary": summarise(results, args.quantiles),
    }
    print(table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
