"""Where the navigation keys move the playhead: frames, seconds, keyframes, shot boundaries and
disagreements (the rules are the pure functions of :mod:`app.navigation`)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject

from app.feedback import Feedback
from app.navigation import (
    disagreement_starts,
    next_after,
    previous_before,
    selected_mask,
    shot_starts,
    skim_mask,
)
from app.state import StudioState


class NavigateController(QObject):
    """Moves the playhead (every move is a seek: the exact frame is shown)."""

    def __init__(
        self, state: StudioState, feedback: Feedback, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.state, self.feedback = state, feedback

    def seek(self, frame: int) -> None:
        if self.state.video is not None:
            self.state.seek(frame)

    def frames(self, count: int) -> None:
        """← / →: ``count`` frames."""
        self.seek(self.state.frame + count)

    def seconds(self, count: float) -> None:
        """Shift+← / Shift+→: ``count`` seconds."""
        video = self.state.video
        if video is not None:
            self.seek(self.state.frame + round(count * video.fps))

    def to_end(self, last: bool) -> None:
        """Home / End."""
        video = self.state.video
        if video is not None:
            self.seek(video.n_frames - 1 if last else 0)

    def _jump(self, frames: np.ndarray, direction: int, what: str) -> None:
        if self.state.video is None:
            return
        frame = self.state.frame
        target = next_after(frames, frame) if direction > 0 else previous_before(frames, frame)
        if target is None:
            self.feedback.say(self._none_text(what, direction))
            return
        self.seek(target)

    def _none_text(self, what: str, direction: int) -> str:
        """``no keyframe after this frame`` and such: whole sentences, so a translation can
        order its words as its language does."""
        texts = {
            ("keyframe", 1): self.tr("no keyframe after this frame"),
            ("keyframe", -1): self.tr("no keyframe before this frame"),
            ("shot", 1): self.tr("no shot boundary after this frame"),
            ("shot", -1): self.tr("no shot boundary before this frame"),
            ("disagreement", 1): self.tr("no disagreement after this frame"),
            ("disagreement", -1): self.tr("no disagreement before this frame"),
        }
        return texts[what, 1 if direction > 0 else -1]

    def keyframe(self, direction: int) -> None:
        """[ / ]: the selected summary's keyframes and the current annotator's, together."""
        summary = self.state.primary_summary
        own = self.state.own_labels.keyframes
        parts = [np.asarray(summary.keyframes)] if summary is not None else []
        if own is not None:
            parts.append(own)
        frames = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
        self._jump(frames, direction, "keyframe")

    def shot(self, direction: int) -> None:
        """{ / }: the selected summary's shot boundaries."""
        shots = self.state.shots
        if shots is None:
            self.feedback.say(self.tr("no shots yet: summarize the video first"))
            return
        self._jump(shot_starts(shots), direction, "shot")

    def disagreement(self, direction: int) -> None:
        """D / Shift+D: where the current annotator's selection and the skim start to differ."""
        video, summary = self.state.video, self.state.primary_summary
        if video is None or summary is None:
            self.feedback.say(self.tr("no summary to compare with yet"))
            return
        mine = selected_mask(self.state.own_labels, video.n_frames, summary.shots)
        theirs = skim_mask(summary.skim, video.n_frames)
        self._jump(disagreement_starts(mine, theirs), direction, "disagreement")
