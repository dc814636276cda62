"""What Go to and the marks list's start and end cells read as a position (app/timeparse.py): the
forms the hint promises, the Studio's own shown form, and one clear line for bad input."""

from __future__ import annotations

import numpy as np
import pytest

from app.timeparse import PositionError, parse_position

TIMES = np.arange(3000) / 25.0  # 3000 frames at 25 fps: 2 minutes
DURATION = 120.0


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        ("f 2000", 2000),
        ("F2000", 2000),
        ("frame 12", 12),
        ("2000f", 2000),
        ("2000", 2000),
        ("  f   7 ", 7),
        ("f 750 (0:30.00)", 750),  # a cell's text typed back as it is
        ("1:23.4", round(83.4 * 25)),
        ("0:01:23.4", round(83.4 * 25)),
        ("83.4s", round(83.4 * 25)),
        ("83.4 s", round(83.4 * 25)),
        ("83 sec", 83 * 25),
        ("0:00", 0),
        ("1:59.99", 2999),
    ],
)
def test_accepted_forms(text: str, frame: int) -> None:
    assert parse_position(text, TIMES, DURATION) == frame


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "type a frame"),
        ("83.4", "a number alone is a frame; write 83.4s for seconds"),
        ("f 3000", "f 3000 is past the video's last frame, f 2999 (1:59.96)"),
        ("2:00", "2:00 is past the video's end (120.00 s long)"),
        ("1:75", "minutes and seconds go up to 59"),
        ("1:60:00", "minutes and seconds go up to 59"),
        ("soon", "cannot read 'soon': type a frame (f 2000, or 2000) or a time"),
        ("-5", "cannot read '-5'"),
    ],
)
def test_bad_input_says_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(PositionError) as caught:
        parse_position(text, TIMES, DURATION)
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)
