"""Playing one segment: from its start, stopping at its last frame, or looping it (L).

:meth:`RangePlayer.play` seeks to the segment's first frame and plays; when playback reaches the
segment's last frame the player pauses there (the exact frame is shown, as after every pause).
:meth:`RangePlayer.toggle_loop` plays the segment again and again, going back to its first frame
each time it reaches its last, until L is pressed again (or the user pauses, or opens another
video). Which segment: the mark selected in the marks list or on the timeline, else the segment
under the playhead (:attr:`RangePlayer.chosen` says which). A keyframe has no length: the line says
to pick a segment.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtMultimedia import QMediaPlayer

from app.feedback import Feedback
from app.navigation import Mark
from app.panels.player import PlayerPanel
from app.state import StudioState
from app.timefmt import range_text


class RangePlayer(QObject):
    """Plays or loops one segment (see module docstring).

    Signals:
        looping_changed: True while a segment loops.
    """

    looping_changed = Signal(bool)

    def __init__(
        self,
        state: StudioState,
        player: PlayerPanel,
        chosen: Callable[[], Mark | None],
        feedback: Feedback,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.state, self.player, self.chosen, self.feedback = state, player, chosen, feedback
        self.range: tuple[int, int] | None = None  # [start, end) playing now
        self.loop = False
        state.frame_changed.connect(self._frame)
        state.video_changed.connect(self.stop)
        player.player.playbackStateChanged.connect(self._playback)

    def _segment(self) -> tuple[int, int] | None:
        mark = self.chosen()
        if mark is None:
            held = self.state.own_labels.covering(self.state.frame)
            mark = Mark("segment", *held) if held else None
        if mark is None or mark.kind != "segment":
            self.feedback.say(
                self.tr("a keyframe has no length: select a segment to play")
                if mark is not None
                else self.tr("select a segment in the marks list or on the timeline first")
            )
            return None
        return mark.start, mark.end

    def play(self) -> bool:
        """Play the chosen segment once, from its first frame to its last."""
        return self._start(loop=False)

    def toggle_loop(self) -> bool:
        """L: loop the chosen segment, or stop looping (pausing) when one loops."""
        if self.loop:
            self.stop()
            self.player.pause()
            self.feedback.say(self.tr("loop stopped"))
            return False
        return self._start(loop=True)

    def _start(self, *, loop: bool) -> bool:
        video = self.state.video
        segment = self._segment() if video is not None else None
        if video is None or segment is None:
            return False
        self.stop()
        self.range, self.loop = segment, loop
        self.state.seek(segment[0])
        if not self.player.playing:
            self.player.toggle_play()
        shown = range_text(*segment, video.times)
        self.feedback.say(
            self.tr("looping {range} (L stops)").format(range=shown)
            if loop
            else self.tr("playing {range}").format(range=shown)
        )
        if loop:
            self.looping_changed.emit(True)
        return True

    def stop(self) -> None:
        """Forget the segment (playback goes on as it is)."""
        was_looping = self.loop
        self.range, self.loop = None, False
        if was_looping:
            self.looping_changed.emit(False)

    def _frame(self, frame: int) -> None:
        if self.range is None or not self.player.playing:
            return
        start, end = self.range
        if frame < end - 1:
            return
        if self.loop:
            self.state.seek(start)
            return
        self.stop()
        self.player.pause()
        self.state.seek(end - 1)

    def _playback(self, playback: QMediaPlayer.PlaybackState) -> None:
        if self.range is None or playback == QMediaPlayer.PlaybackState.PlayingState:
            return
        at_end = self.player.player.mediaStatus() == QMediaPlayer.MediaStatus.EndOfMedia
        if self.loop and at_end:  # a segment that ends with the video: round again
            self.state.seek(self.range[0])
            self.player.toggle_play()
            return
        self.stop()  # paused by the user (or the video ended): the segment is done
