"""The store's limits, in one place: what a value must be to be written, on SQLite and PostgreSQL.

SQLite stores what it is given (a 1 MB name, a NUL byte, a 64-bit frame count), PostgreSQL
refuses some of it, and the label blobs are int32 / float32 on both. So every write checks these
rules first, and the label-file readers check them too (naming the file's line or item), so a
local store can always move to a team store and nothing is stored wrapped or as infinity:

- frame counts, keyframes and segment ends are 32-bit integers (``MAX_FRAMES``), and per-frame
  scores are kept for videos of at most ``MAX_SCORE_FRAMES`` frames (a 128 MiB float32 blob,
  155 hours at 60 fps; well under SQLite's and PostgreSQL's 1 GB value limits);
- scores are finite and fit a float32;
- names, categories and tags are at most ``MAX_NAME`` (``MAX_VIDEO_NAME`` for video names)
  characters of valid Unicode without control characters (PostgreSQL refuses NUL);
- mark values are names (:func:`mark_value`, trimmed and non-empty); a mark's comment is at most
  ``MAX_COMMENT`` characters and may hold line breaks and tabs, no other control character;
- annotator names are NFC-normalised and trimmed, use one script (Latin with Han/kana/Hangul
  allowed), and may not look like an existing annotator's (:func:`skeleton`).

Each check raises :class:`LimitError` (a ``ValueError``) with the cause only; the caller adds the
item (file line, selection, annotator) to its own error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import numpy as np

MAX_FRAMES = 2**31 - 1
"""Largest frame count or frame number: the store keeps frames as int32."""
MAX_SCORE_FRAMES = 2**25
"""Most frames a selection's per-frame scores may cover (33,554,432: a 128 MiB float32 blob)."""
FLOAT32_MAX = float(np.finfo(np.float32).max)
MAX_NAME = 200
"""Characters of an annotator name, a category or a tag (the store's ``String(200)``)."""
MAX_VIDEO_NAME = 500
"""Characters of a video name (the store's ``String(500)``)."""
MAX_TAGS = 100
MAX_COMMENT = 2000
"""Characters of a mark's comment (free text; line breaks and tabs allowed)."""
MAX_VALUES = 200
"""Values in a store's list of mark values (a controlled vocabulary, not a free-text field)."""

_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_COMMENT_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_UNQUERYABLE = re.compile(r"[\x00\ud800-\udfff]")
_SPACE = re.compile(r"\s+")
# Scripts that may share a name: Latin with Chinese/Japanese/Korean (as UTS #39 allows).
_SCRIPT_SETS = (
    {"LATIN", "CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA"},
    {"LATIN", "CJK", "BOPOMOFO"},
    {"LATIN", "CJK", "HANGUL"},
)
# Cyrillic and Greek letters (after casefolding) that look like Latin ones: a small part of the
# Unicode confusables table (UTS #39), enough for look-alike names such as "ana" / "аna".
_LOOKALIKE = str.maketrans(
    "авгеѕіјкмнопрстухьһԁԛԝӏүѵ" + "αβγεηικνορτυχωϲϳ" + "ıɑɡ",
    "abresijkmhonpctyxbhdqwlyv" + "abyenikvoptuxwcj" + "iag",
)


class LimitError(ValueError):
    """A value the store cannot hold (the message is the cause, without the item)."""


def _whole(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def frame_count(value: Any, what: str = "n_frames") -> int:
    """``value`` as a video's frame count: a whole number in 1 … ``MAX_FRAMES``."""
    if not _whole(value) or not 0 < value <= MAX_FRAMES:
        shown = f"{value}" if _whole(value) else repr(value)
        raise LimitError(f"{what} {shown} is not a whole number in 1–{MAX_FRAMES}")
    return int(value)


def frame_number(value: Any, what: str) -> int:
    """``value`` as a frame number: a whole number in 0 … ``MAX_FRAMES``."""
    if not _whole(value) or not 0 <= value <= MAX_FRAMES:
        shown = f"{value}" if _whole(value) else repr(value)
        raise LimitError(f"{what} {shown} is not a frame number (0–{MAX_FRAMES})")
    return int(value)


def frame_numbers(values: Iterable[Any], what: str) -> list[int]:
    """Every value of ``values`` as a frame number (:func:`frame_number`), as a list."""
    out = list(values)
    if not all(_whole(v) for v in out):
        bad = next(v for v in out if not _whole(v))
        raise LimitError(f"{what} {bad!r} is not a whole frame number")
    if out and (min(out) < 0 or max(out) > MAX_FRAMES):
        bad = min(out) if min(out) < 0 else max(out)
        raise LimitError(f"{what} {bad} is not a frame number (0–{MAX_FRAMES})")
    return out


def scores_length(n_frames: int) -> None:
    """Raise unless per-frame scores of ``n_frames`` frames fit the store."""
    if n_frames > MAX_SCORE_FRAMES:
        raise LimitError(
            f"per-frame scores are kept for videos of at most {MAX_SCORE_FRAMES:,} frames, "
            f"this one has {n_frames:,}"
        )


def float32_scores(values: np.ndarray) -> np.ndarray:
    """``[N]`` scores as a new float32 array, raising unless every one is finite and fits."""
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.asarray(values).astype(np.float32)
    if not np.isfinite(out).all():
        i = int(np.flatnonzero(~np.isfinite(out))[0])
        value = float(np.asarray(values).reshape(-1)[i])
        if np.isfinite(value):
            raise LimitError(
                f"score {value:g} (frame {i}) does not fit the store's float32 "
                f"(largest {FLOAT32_MAX:.4g})"
            )
        raise LimitError(f"scores must be finite numbers (frame {i} is {value})")
    return out


def text(value: Any, what: str, max_len: int = MAX_NAME) -> str:
    """``value`` as a name, category or tag: a string of valid Unicode, no control characters,
    at most ``max_len`` characters."""
    if not isinstance(value, str):
        raise LimitError(f"{what} must be a string, not {type(value).__name__}")
    if len(value) > max_len:
        raise LimitError(
            f"{what} {value[:20]!r}… has {len(value):,} characters (at most {max_len})"
        )
    bad = _BAD_CHARS.search(value)
    if bad is not None:
        kind = "a control character" if bad.group() < "\ud800" else "invalid Unicode"
        raise LimitError(f"{what} {value[:40]!r} holds {kind} ({bad.group()!r})")
    return value


def mark_value(value: Any) -> str:
    """``value`` as a mark value (an entry of the store's list): NFC, trimmed, non-empty,
    :func:`text` (at most ``MAX_NAME`` characters, no control characters)."""
    if not isinstance(value, str):
        raise LimitError(f"a mark value must be a string, not {type(value).__name__}")
    out = unicodedata.normalize("NFC", value).strip()
    if not out:
        raise LimitError("a mark value cannot be empty")
    return text(out, "mark value")


def comment(value: Any) -> str:
    """``value`` as a mark's comment: a string of valid Unicode, at most ``MAX_COMMENT``
    characters, no control characters but line breaks and tabs."""
    if not isinstance(value, str):
        raise LimitError(f"a comment must be a string, not {type(value).__name__}")
    if len(value) > MAX_COMMENT:
        raise LimitError(
            f"comment {value[:20]!r}… has {len(value):,} characters (at most {MAX_COMMENT})"
        )
    bad = _BAD_COMMENT_CHARS.search(value)
    if bad is not None:
        kind = "a control character" if bad.group() < "\ud800" else "invalid Unicode"
        raise LimitError(f"comment {value[:40]!r} holds {kind} ({bad.group()!r})")
    return value


def queryable(value: str) -> bool:
    """False when ``value`` holds a NUL or a lone surrogate: no stored name can, and PostgreSQL
    refuses to even be asked (a lookup of such a name finds nothing, on both stores)."""
    return _UNQUERYABLE.search(value) is None


def tags(values: Iterable[Any], what: str = "tag") -> tuple[str, ...]:
    """``values`` as a video's tags (:func:`text` each, at most ``MAX_TAGS``)."""
    out = tuple(text(v, what) for v in values)
    if len(out) > MAX_TAGS:
        raise LimitError(f"{len(out)} {what}s (at most {MAX_TAGS})")
    return out


def _script(ch: str) -> str | None:
    """The script of a letter, from its Unicode name (``None`` for a non-letter)."""
    if not unicodedata.category(ch).startswith("L"):
        return None
    words = unicodedata.name(ch, "UNKNOWN").split(" ")
    if words[0] in ("FULLWIDTH", "HALFWIDTH") and len(words) > 1:
        words = words[1:]  # a fullwidth "ａ" is Latin (and its skeleton is "a")
    return None if words[0] == "MODIFIER" else words[0]


def annotator_name(value: Any) -> str:
    """``value`` as an annotator name: NFC, trimmed, non-empty, :func:`text`, one script.

    Mixed-script names (a Cyrillic "а" among Latin letters) are refused: they are how two names
    that look the same end up as two annotators.
    """
    if not isinstance(value, str):
        raise LimitError(f"an annotator name must be a string, not {type(value).__name__}")
    name = unicodedata.normalize("NFC", value).strip()
    if not name:
        raise LimitError("an annotator needs a name")
    text(name, "annotator name")
    scripts = {s for s in map(_script, name) if s is not None}
    if len(scripts) > 1 and not any(scripts <= allowed for allowed in _SCRIPT_SETS):
        raise LimitError(
            f"annotator name {name!r} mixes scripts ({', '.join(sorted(scripts)).lower()}); "
            "it could be mistaken for another name"
        )
    return name


def skeleton(name: str) -> str:
    """What ``name`` looks like: casefolded, compatibility-decomposed, invisible characters
    dropped, spaces collapsed, Cyrillic/Greek look-alike letters as Latin. Two names with the
    same skeleton are easily mistaken for each other."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", name).casefold())
    visible = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return _SPACE.sub(" ", visible.translate(_LOOKALIKE)).strip()


def not_lookalike(name: str, existing: dict[str, str]) -> None:
    """Raise if ``name`` looks like one of ``existing`` (``skeleton -> name``) but is not it."""
    other = existing.get(skeleton(name))
    if other is not None and other != name:
        raise LimitError(f"annotator name {name!r} looks like existing annotator {other!r}")
