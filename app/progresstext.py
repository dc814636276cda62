"""The words of a progress message, so a narrow progress row can shorten the right part.

A task over several files (adding videos) reports ``"1/3 files · vtest.avi: features 40/400"``
(:func:`file_message`); any other task reports ``"subject: phase"`` or just a phase. The progress
row (:class:`app.panels.progress.TaskProgress`) splits a message with :func:`parse` and elides the
subject (a file name) in the middle, never the phase or the numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FILES = re.compile(r"^(?P<done>\d+)/(?P<total>\d+) files · (?P<rest>.*)$", re.DOTALL)


@dataclass(frozen=True)
class ProgressText:
    """A parsed progress message.

    Attributes:
        subject: what the task works on (a file name), elided first; ``""`` when none.
        phase: what it is doing (``features 40/400``).
        files: ``(done, total)`` for a task over several files, else None.
    """

    subject: str
    phase: str
    files: tuple[int, int] | None = None


def file_message(done: int, total: int, name: str, phase: str) -> str:
    """The message of ``phase`` of file ``name`` after ``done`` of ``total`` files."""
    return f"{done}/{total} files · {name}: {phase}"


def parse(message: str) -> ProgressText:
    """Split ``message`` into subject, phase and file counts (the subject ends at the first
    ``": "``, so a phase may hold colons)."""
    files = None
    match = FILES.match(message)
    if match:
        files = (int(match["done"]), int(match["total"]))
        message = match["rest"]
    subject, sep, phase = message.partition(": ")
    if not sep:
        return ProgressText("", message, files)
    return ProgressText(subject, phase, files)
