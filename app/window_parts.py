"""The main window as its helper modules see it: its dialogs (:class:`PromptsMixin`) and the parts
it composes, declared here and created by :class:`app.window.MainWindow`.

The helpers that name, wire or save those parts (:mod:`app.accessible`, :mod:`app.handlers`,
:mod:`app.session`, :mod:`app.remarks_wiring`) take a :class:`WindowParts`, so none of them imports
the window module that imports them (lint-imports' ``acyclic`` contract).
"""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter, QTabWidget

from app.controllers.navigate import NavigateController
from app.controllers.playrange import RangePlayer
from app.diskwrites import DiskWrites
from app.panels.collapsible import Collapsible
from app.panels.compare import ComparePanel
from app.panels.keyframes import KeyframeStrip
from app.panels.library import LibraryPanel
from app.panels.player import PlayerPanel
from app.panels.review import ReviewPanel
from app.panels.timeline import TimelinePanel
from app.prompts import PromptsMixin
from app.quitting import QuitGuard


class WindowParts(PromptsMixin):
    """The composed parts of the main window (see module docstring)."""

    navigate: NavigateController
    range_player: RangePlayer
    player: PlayerPanel
    timeline: TimelinePanel
    keyframes: KeyframeStrip
    keyframe_section: Collapsible
    compare: ComparePanel
    review_panel: ReviewPanel
    library_panel: LibraryPanel
    right_tabs: QTabWidget
    top_splitter: QSplitter
    studio_splitter: QSplitter
    quit_guard: QuitGuard
    disk: DiskWrites
