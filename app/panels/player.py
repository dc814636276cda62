"""The player: QMediaPlayer with sound while playing, the exact decoded frame when paused.

Playing uses Qt Multimedia (QMediaPlayer + QAudioOutput + QVideoWidget) for smooth video with
sound. Paused, stepping or seeking, the panel shows the frame ``VideoReader.frame(i)`` decodes, so
what the user marks is exactly frame ``i`` (players land on nearby frames when seeking). Without an
audio device, or when Qt cannot play a file, the panel says so and frame stepping still works.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMetaObject, Qt, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.frames import FrameServer, fit_size, to_qimage
from app.panels.frame_view import FrameView
from app.state import StudioState
from app.theme import themed_icon
from app.timefmt import frame_at, frame_time, position_text, widest_position_text

SPEEDS = (0.25, 0.5, 1.0, 1.5, 2.0, 4.0)


class PlayerPanel(QWidget):
    """Video, transport controls and the time display (see module docstring).

    Signals:
        seek_requested: a frame the user asked for (step buttons).
        keyframe_jump_requested: +1 next keyframe, −1 previous.
        message: a status line (no audio device, cannot play, …).
    """

    seek_requested = Signal(int)
    keyframe_jump_requested = Signal(int)
    message = Signal(str)

    def __init__(
        self, state: StudioState, frames: FrameServer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.state, self.frames = state, frames
        self.icons: dict[QToolButton, QStyle.StandardPixmap] = {}  # re-tinted with the palette
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        self.has_audio_device = bool(QMediaDevices.audioOutputs())
        self.video_widget = QVideoWidget()
        self.player.setVideoOutput(self.video_widget)
        self.frame_view = FrameView()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.frame_view)
        self.stack.addWidget(self.video_widget)
        self.time_label = QLabel(position_text(0, 0.0, 0.0))
        self.time_label.setObjectName("timeDisplay")
        self.time_label.setAccessibleName(self.tr("Position"))
        self.time_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.speed = QComboBox()
        for speed in SPEEDS:
            self.speed.addItem(f"{speed:g}×", speed)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setToolTip(self.tr("playback speed"))
        self.speed.setAccessibleName(self.tr("Playback speed"))
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.speed.currentIndexChanged.connect(
            lambda i: self.player.setPlaybackRate(float(self.speed.itemData(i)))
        )
        self.play_button = self._button(
            QStyle.StandardPixmap.SP_MediaPlay,
            self.tr("Play or pause"),
            self.tr("play / pause (Space)"),
            self.toggle_play,
        )
        controls = QHBoxLayout()
        controls.addWidget(
            self._button(
                QStyle.StandardPixmap.SP_MediaSkipBackward,
                self.tr("Previous keyframe"),
                self.tr("previous keyframe ([)"),
                lambda: self.keyframe_jump_requested.emit(-1),
            )
        )
        controls.addWidget(
            self._button(
                QStyle.StandardPixmap.SP_MediaSeekBackward,
                self.tr("One frame back"),
                self.tr("one frame back (←)"),
                lambda: self.step(-1),
            )
        )
        controls.addWidget(self.play_button)
        controls.addWidget(
            self._button(
                QStyle.StandardPixmap.SP_MediaSeekForward,
                self.tr("One frame on"),
                self.tr("one frame on (→)"),
                lambda: self.step(1),
            )
        )
        controls.addWidget(
            self._button(
                QStyle.StandardPixmap.SP_MediaSkipForward,
                self.tr("Next keyframe"),
                self.tr("next keyframe (])"),
                lambda: self.keyframe_jump_requested.emit(1),
            )
        )
        controls.addWidget(self.speed)
        controls.addStretch(1)
        controls.addWidget(self.time_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack, 1)
        layout.addLayout(controls)
        self.player.positionChanged.connect(self._position)
        self.player.playbackStateChanged.connect(self._playback_state)
        self.player.errorOccurred.connect(self._error)
        state.video_changed.connect(self._video_changed)
        state.frame_changed.connect(self._show_time)
        state.seeked.connect(self._seeked)
        frames.frame_ready.connect(self._frame_ready)
        frames.failed.connect(
            lambda cause: self.message.emit(
                self.tr("cannot show the frame: {cause}").format(cause=cause)
            )
        )

    def _button(
        self, icon: QStyle.StandardPixmap, name: str, tip: str, slot: object
    ) -> QToolButton:
        button = QToolButton()
        button.setAccessibleName(name)
        self.icons[button] = icon
        button.setIcon(themed_icon(self.style(), icon, self))
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    def changeEvent(self, event: QEvent) -> None:
        """The look changed: tint the buttons' icons in the new button-text colour."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            for button, icon in self.icons.items():
                button.setIcon(themed_icon(self.style(), icon, self))

    @property
    def playing(self) -> bool:
        return self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def _video_changed(self) -> None:
        self.player.stop()
        video = self.state.video
        self.frames.set_video(video.path if video else None)
        self.frame_view.set_image(None, None)
        self.stack.setCurrentWidget(self.frame_view)
        if video is None:
            self.player.setSource(QUrl())
            return
        self.player.setSource(QUrl.fromLocalFile(str(video.path)))
        if video.info.has_audio and not self.has_audio_device:
            self.message.emit(self.tr("no audio output device: playing without sound"))
        self._size_counter()
        self._show_time(self.state.frame)
        self._request(self.state.frame)

    def _size_counter(self) -> None:
        """Give the time display the width of this video's widest text (it never moves the
        transport buttons or itself while the frame number grows)."""
        video = self.state.video
        widest = widest_position_text(video.n_frames, video.info.duration) if video else ""
        self.time_label.ensurePolished()  # the style sheet's monospace font
        metrics = self.time_label.fontMetrics()
        digit = max("0123456789", key=metrics.horizontalAdvance)
        text = widest.replace("8", digit) if widest else position_text(0, 0.0, 0.0)
        margins = self.time_label.contentsMargins()
        width = metrics.horizontalAdvance(text) + margins.left() + margins.right() + 4
        self.time_label.setFixedWidth(width)

    def toggle_play(self) -> None:
        """Space: play from the playhead, or pause and show the exact frame."""
        video = self.state.video
        if video is None:
            return
        if self.playing:
            self.player.pause()
            return
        frame = 0 if self.state.frame >= video.n_frames - 1 else self.state.frame
        self.player.setPosition(round(frame_time(video.times, frame) * 1000))
        self.stack.setCurrentWidget(self.video_widget)
        self.player.play()

    def step(self, frames: int) -> None:
        """Step ``frames`` frames (pausing first)."""
        if self.playing:
            self.player.pause()
        self.seek_requested.emit(self.state.frame + frames)

    def close_media(self) -> None:
        """Stop and let go of the file (at shutdown), without holding Python's lock.

        ``QMediaPlayer.stop()`` called from Python keeps the lock; FFmpeg's playback thread,
        tearing down an object connected to the player at that moment, waits for it inside the Qt
        lock stop() needs: the window hung closing (seen once in CI, py-spy on both threads).
        invokeMethod lets go of it, as PySide does itself for setSource. Only here: at shutdown
        nothing else of the Studio's Python is left to run while the lock is free."""
        self._stop()
        self.player.setSource(QUrl())

    def _stop(self) -> None:
        QMetaObject.invokeMethod(self.player, "stop", Qt.ConnectionType.DirectConnection)

    def pause(self) -> None:
        if self.playing:
            self.player.pause()

    def _position(self, millis: int) -> None:
        video = self.state.video
        if video is not None and self.playing:
            self.state.set_frame(frame_at(video.times, millis / 1000))

    def _playback_state(self, playback: QMediaPlayer.PlaybackState) -> None:
        playing = playback == QMediaPlayer.PlaybackState.PlayingState
        icon = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.icons[self.play_button] = icon
        self.play_button.setIcon(themed_icon(self.style(), icon, self))
        if not playing and self.state.video is not None:
            if self.player.mediaStatus() == QMediaPlayer.MediaStatus.EndOfMedia:
                self.state.set_frame(self.state.video.n_frames - 1)
            self._request(self.state.frame)

    def _error(self, _error: QMediaPlayer.Error, text: str) -> None:
        name = self.state.video.path.name if self.state.video else self.tr("the video")
        self.stack.setCurrentWidget(self.frame_view)
        self.message.emit(
            self.tr("cannot play {video}: {cause}; frame stepping still works").format(
                video=name, cause=text or self.tr("no playback backend")
            )
        )

    def _seeked(self, frame: int) -> None:
        video = self.state.video
        if video is None:
            return
        if self.playing:
            self.player.setPosition(round(frame_time(video.times, frame) * 1000))
        else:
            self._request(frame)

    def preview(self, frame: int) -> None:
        """Show ``frame`` paused without moving the playhead (a mark dragged on the timeline);
        decoded off the GUI thread like every paused frame; nothing while playing."""
        if not self.playing:
            self._request(frame)

    def _request(self, frame: int) -> None:
        video = self.state.video
        if video is None:
            return
        ratio = self.devicePixelRatioF()
        box = self.frame_view.size()
        size = fit_size(
            video.info.width, video.info.height, int(box.width() * ratio), int(box.height() * ratio)
        )
        self.frames.request(frame, size)

    def _frame_ready(self, frame: int, rgb: object) -> None:
        if self.playing:
            return
        self.frame_view.set_image(frame, to_qimage(rgb))  # type: ignore[arg-type]
        self.stack.setCurrentWidget(self.frame_view)

    def _show_time(self, frame: int) -> None:
        video = self.state.video
        if video is None:
            self.time_label.setText(position_text(0, 0.0, 0.0))
            return
        self.time_label.setText(
            position_text(frame, frame_time(video.times, frame), video.info.duration)
        )
