"""How benchmarks/personalization.py shows its results: the table's rows (:func:`print_row`, F
×100, τ and ρ as they are) and the ``--write-curve`` file (:func:`curve_json`) that the Studio's
Fit-to dialog reads for its learning curve."""

from __future__ import annotations

from typing import Any

from benchmarks.personal_tastes import TASTES


def _f(value: float | None, scale: float = 1.0) -> str:
    if value is None:
        return "    –"
    return f"{value * scale:5.1f}" if scale > 1 else f"{value:5.2f}"


HEADER = (
    f"{'taste':<9} {'n':>2} {'tr/val':>6} | {'generic F  τ     ρ':<18} | "
    f"{'personal F  τ     ρ':<19} |  gain | fitted F | "
    "validation F g→p, variant, decision | fine-tune"
)


def print_row(row: dict[str, Any]) -> None:
    """One line of the table (F ×100; τ and ρ as they are)."""
    g, p, fit = row["generic"], row["personal"], row["fitted"]
    gain = (p["f"] or 0.0) - (g["f"] or 0.0)
    held = row["held_out"]
    how = (
        f"{_f(held.get('generic'), 100)} → {_f(held.get('personal'), 100)}, "
        f"{row.get('variant', '–')}, {'made default' if row['default_changed'] else 'kept generic'}"
        if held
        else row["note"]
    )
    print(
        f"{row['taste']:<9} {row['videos']:>2} {row['n_train']:>3}/{row['n_val']:<2} | "
        f"{_f(g['f'], 100)} {_f(g['tau'])} {_f(g['rho'])} | {_f(p['f'], 100):>6} "
        f"{_f(p['tau'])} {_f(p['rho'])} | {gain * 100:+5.1f} | "
        f"{_f(None if fit is None else fit['f'], 100):>8} | {how:<38} | {row['seconds']:5.1f} s"
    )


def curve_json(result: dict[str, Any]) -> dict[str, Any]:
    """The ``--write-curve`` form: the tastes and one point per (videos, taste)."""
    points = []
    for row in result["rows"]:
        g, p = row["generic"]["f"] or 0.0, row["personal"]["f"] or 0.0
        points.append(
            {
                "videos": row["videos"],
                "taste": row["taste"],
                "generic_f": round(g, 4),
                "personal_f": round(p, 4),
                "gain": round(p - g, 4),
                "seconds": round(row["seconds"], 2),
            }
        )
    return {"tastes": list(TASTES), "points": points}
