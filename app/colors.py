"""One stable colour per method, model version and annotator, derived from its name.

The colour comes from a hash of the name (not Python's salted ``hash``), so the same name gets the
same colour at every launch and on every machine; hues are spread by the golden ratio so that
similar names still look different.
"""

from __future__ import annotations

import hashlib

from PySide6.QtGui import QColor

PLAYHEAD = QColor(255, 170, 40)
SHOT_A = QColor(90, 98, 112)
SHOT_B = QColor(62, 68, 80)
SKIM = QColor(96, 178, 255)
MISSING = QColor(128, 128, 128)


def name_hue(name: str) -> int:
    """Hue in [0, 360) for ``name``: the sha1 of its UTF-8 bytes, spread by the golden ratio."""
    digest = hashlib.sha1(name.encode("utf-8")).digest()
    seed = int.from_bytes(digest[:4], "big")
    return int((seed * 0.6180339887498949 % 1.0) * 360) % 360


def name_color(name: str) -> QColor:
    """The colour of the curve/lane of ``name`` (a method, model version or annotator).

    Hue from :func:`name_hue`; saturation (140–229) and brightness (200–255) from further bytes
    of the digest, so that two names with close hues still differ.
    """
    digest = hashlib.sha1(name.encode("utf-8")).digest()
    return QColor.fromHsv(name_hue(name), 140 + digest[4] % 90, 200 + digest[5] % 56)
