"""What the player area shows before a video is open: a friendly start on an empty library
("Open the demo", "Add videos"), or a hint to pick a video."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.state import StudioState


class EmptyState(QWidget):
    """The welcome panel (see module docstring).

    Signals:
        demo_requested, add_requested: the two buttons.
    """

    demo_requested = Signal()
    add_requested = Signal()

    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.title = QLabel()
        self.title.setObjectName("emptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setFixedWidth(460)  # a fixed width lets the wrapped text get its full height
        self.text.setMinimumHeight(60)
        self.demo_button = QPushButton(self.tr("Open the demo"))
        self.demo_button.setDefault(True)
        self.demo_button.clicked.connect(self.demo_requested)
        self.add_button = QPushButton(self.tr("Add videos…"))
        self.add_button.clicked.connect(self.add_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        text_row = QHBoxLayout()
        text_row.addStretch(1)
        text_row.addWidget(self.text)
        text_row.addStretch(1)
        layout.addLayout(text_row)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(2)
        state.library_changed.connect(self._update)
        self._update()

    def _update(self) -> None:
        if self.state.library:
            self.title.setText(self.tr("Pick a video"))
            self.text.setText(
                self.tr(
                    "Double-click a video in the library to play it, see its summary "
                    "and mark its keyframes, or add more videos."
                )
            )
        else:
            self.title.setText(self.tr("Welcome to Synopsis Studio"))
            self.text.setText(
                self.tr(
                    "Your library is empty. Open the demo video (a minute of film "
                    "clips) to see how summaries and annotations work, or add your own "
                    "videos."
                )
            )
