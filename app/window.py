"""The main window: it composes the panels, wires their intent signals to the controllers, and
owns the menus and the status bar; what each menu action and key does is in
:mod:`app.handlers`. No business logic lives here (docs/ui.md §Layout)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.accessible import name_window_parts
from app.controllers.analysis import AnalysisController
from app.controllers.annotate import AnnotateController
from app.controllers.export import ExportController
from app.controllers.library import LibraryController
from app.controllers.marks import MarksController
from app.controllers.navigate import NavigateController
from app.controllers.personalize import PersonalizeController, options_of
from app.controllers.playrange import RangePlayer
from app.controllers.review import ReviewController
from app.controllers.store import StoreController
from app.dialogs.personalize import PersonalizeDialog
from app.diskwrites import DiskWrites
from app.dropping import FileDrops
from app.feedback import Feedback
from app.frames import FrameServer
from app.handlers import action_handlers
from app.menus import build_menus
from app.panels.collapsible import Collapsible
from app.panels.compare import ComparePanel
from app.panels.empty import EmptyState
from app.panels.inspector import InspectorPanel
from app.panels.keyframes import KeyframeStrip
from app.panels.library import LibraryPanel
from app.panels.marks import MarksPanel
from app.panels.player import PlayerPanel
from app.panels.progress import TaskProgress
from app.panels.review import ReviewPanel
from app.panels.timeline import TimelinePanel
from app.quitting import QuitGuard
from app.recent import RecentVideos
from app.remarks_wiring import attach_remarks
from app.session import Session
from app.settings import Settings, save_settings
from app.sources import Source, make_method
from app.state import StudioState
from app.tabstyle import compact_tabs
from app.window_parts import WindowParts
from app.workers import Task, Workers
from core.warmup import warm_up


class MainWindow(WindowParts):
    """Synopsis Studio's window (see module docstring)."""

    def __init__(
        self,
        settings: Settings,
        *,
        db_url: str | None = None,
        warnings: list[str] | tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Synopsis Studio"))
        self.settings = settings
        self.state = StudioState(self)
        self.state.budget = settings.budget
        self.workers = Workers(self)
        self.feedback = Feedback(self)
        self.feedback.window = self
        self.frames = FrameServer(self.workers, self)
        self.store = StoreController(self.state, self.workers, self.feedback, self)
        get = lambda: self.settings  # noqa: E731 - controllers read the live settings
        self.library = LibraryController(
            self.state, self.workers, self.store, self.feedback, get, self
        )
        self.analysis = AnalysisController(
            self.state, self.workers, self.store, self.feedback, get, self
        )
        self.annotate = AnnotateController(
            self.state, self.store, self.feedback, lambda: self.settings.annotator, self
        )
        self.navigate = NavigateController(self.state, self.feedback, self)
        self.review = ReviewController(
            self.state, self.store, self.annotate, self.analysis.source, self.feedback, self
        )
        self.exports = ExportController(
            self.state,
            self.workers,
            self.feedback,
            get,
            lambda name: make_method(self.analysis.source(name) or Source(name, name)),
            self,
        )
        self.personalizer = PersonalizeController(
            self.state,
            self.workers,
            self.store,
            self.analysis,
            self.feedback,
            lambda: options_of(self.settings),
            self,
        )
        self.marks = MarksController(self.state, self.store, self.annotate, self.feedback, self)
        self.label_files = self.make_label_files()  # File → Import / Export labels
        self.setup_models()  # Models → Train… (app/models_menu.py)
        self.personalize_dialog: PersonalizeDialog | None = None
        self.quit_guard = QuitGuard(self, self.workers, self.feedback)
        self.shut_down = False
        self._compose()
        self.range_player = RangePlayer(
            self.state, self.player, lambda: self.timeline.mouse.selected, self.feedback, self
        )
        self._wire()
        self.remarks, self.remarks_list = attach_remarks(self)  # copies of others' marks, remarks
        self.disk = DiskWrites(self)  # recent list, last video: never fsync'd on the GUI thread
        self.disk.failed.connect(self.feedback.say)
        self.recent = RecentVideos(
            self.state, self.library.open_paths, self.feedback, self.disk, self
        )
        self.menu_actions = build_menus(self, action_handlers(self), {"recent": self.recent.menu})
        self.drops = FileDrops(self, self.library.add)
        self._personalize_button()
        name_window_parts(self)
        self.resize(1440, 900)
        self.session = Session(self)
        self.session.restore()
        for line in warnings:
            self.feedback.say(line)
        self.db_override = db_url  # --db / SYNOPSIS_DB win over the settings' URL
        self.store.open(db_url or settings.database_url or None)
        # the backbone's ONNX graph (in a child process) and torch's ~800 lazily imported modules
        # of the first optimiser step, now, so neither stalls the event loop later (core/warmup.py)
        backbone = settings.backbone
        self.workers.submit("warm-up", lambda progress, stop: warm_up(backbone, progress))

    # -- composition ------------------------------------------------------------------------
    def _compose(self) -> None:
        state = self.state
        self.library_panel = LibraryPanel(state)
        self.player = PlayerPanel(state, self.frames)
        self.timeline = TimelinePanel(state)
        self.keyframes = KeyframeStrip(state, self.workers, self.feedback)
        self.inspector = InspectorPanel(
            state, lambda: self.analysis.sources, lambda: set(self.analysis.running)
        )
        self.compare = ComparePanel(state)
        self.review_panel = ReviewPanel(state)
        self.marks_panel = MarksPanel(state)
        self.empty = EmptyState(state)
        studio = self.studio_splitter = QSplitter(Qt.Orientation.Vertical)
        studio.addWidget(self.player)
        studio.addWidget(self.timeline)
        studio.setSizes([520, 280])
        self.center = QStackedWidget()
        self.center.addWidget(self.empty)
        self.center.addWidget(studio)
        right = QTabWidget()
        right.addTab(self.inspector, self.tr("Inspector"))
        right.addTab(self.marks_panel, self.tr("Marks"))
        right.addTab(self.review_panel, self.tr("Review"))
        right.addTab(self.compare, self.tr("Compare"))
        self.right_tabs = right
        self._tab_style = compact_tabs(right.tabBar())  # all four tabs fit at 1024 px
        top = self.top_splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (self.library_panel, self.center, right):
            top.addWidget(widget)
        top.setSizes([250, 900, 290])
        top.setStretchFactor(1, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(top, 1)
        self.keyframe_section = Collapsible(self.tr("Keyframes"), self.keyframes)
        layout.addWidget(self.keyframe_section)
        self.setCentralWidget(body)
        self.task_progress = TaskProgress(compact=True)
        self.save_label = QLabel("")
        self.store_label = QLabel(self.tr("db: connecting…"))
        for part in (self.task_progress, self.save_label, self.store_label):
            self.statusBar().addPermanentWidget(part)

    def _wire(self) -> None:
        state, feedback = self.state, self.feedback
        feedback.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        feedback.tracking.connect(self._track)
        self.store.connected.connect(self.library.refresh)
        self.store.connected.connect(self.analysis.load_versions)
        self.store.connected.connect(
            lambda: self.inspector.set_can_rename(self.annotate.can_rename)
        )
        state.store_changed.connect(
            lambda: self.store_label.setText(
                self.tr("db: {url}").format(url=state.store_url)
                if state.store_url
                else self.tr("db: not open")
            )
        )
        state.video_changed.connect(self._video_changed)
        self.annotate.save_state.connect(self.save_label.setText)
        self.annotate.annotator_chosen.connect(self._remember_annotator)
        for view in (self.player, self.timeline, self.keyframes):
            view.seek_requested.connect(self.navigate.seek)
        self.player.keyframe_jump_requested.connect(self.navigate.keyframe)
        self.timeline.mark_moved.connect(self.review.move)
        self.timeline.mark_edited.connect(self.review.edit)
        self.timeline.preview_requested.connect(self.player.preview)
        self.keyframes.accept_requested.connect(self.review.accept)
        self.keyframes.reject_requested.connect(self.review.reject)
        self.review_panel.draft_requested.connect(self.ask_use_draft)
        marks, panel = self.marks, self.marks_panel
        panel.seek_requested.connect(self.navigate.seek)
        panel.mark_chosen.connect(self.timeline.mouse.select)
        self.timeline.mouse.selection_changed.connect(panel.select_mark)
        panel.delete_requested.connect(marks.remove)
        # queued: the cell's editor closes (the table keeps the keys) before the rows change
        panel.model.edit_requested.connect(marks.edit, Qt.ConnectionType.QueuedConnection)
        panel.play_requested.connect(self.range_player.play)
        panel.loop_requested.connect(self.range_player.toggle_loop)
        self.range_player.looping_changed.connect(panel.set_looping)
        marks.refused.connect(panel.show_message)
        for chosen in (panel.select_mark, self.timeline.mouse.select):
            marks.selected.connect(chosen)
        self.review.bind(self.review_panel, panel, lambda: self.timeline.mouse.selected)
        self.player.message.connect(feedback.say)
        self.library_panel.open_requested.connect(self.library.open)
        self.library_panel.add_files_requested.connect(self.ask_add_files)
        self.library_panel.add_folder_requested.connect(self.ask_add_folder)
        self.library_panel.relink_requested.connect(self.ask_relink)
        self.library.relink_offered.connect(self.offer_relink)
        self.library_panel.tags_requested.connect(self.ask_tags)
        self.empty.demo_requested.connect(self.library.open_demo)
        self.empty.add_requested.connect(self.ask_add_files)
        self.inspector.annotator_selected.connect(self.annotate.switch)
        self.inspector.create_annotator_requested.connect(self.ask_new_annotator)
        self.inspector.rename_annotator_requested.connect(self.ask_rename_annotator)
        self.inspector.source_toggled.connect(self.analysis.show)
        self.inspector.primary_selected.connect(self.analysis.choose)
        self.inspector.skim_rule_selected.connect(self.choose_skim_rule)
        self.inspector.set_skim_rule(self.settings.skim_rule)
        self.analysis.sources_changed.connect(self.inspector.refill)
        self.inspector.personalize_requested.connect(self.ask_personalize)
        self.inspector.history_requested.connect(self.ask_model_history)
        self.personalizer.started.connect(self.open_personalize)
        self.personalizer.not_ready.connect(self.personalize_not_ready)
        for signal in (state.annotator_changed, state.store_changed, self.store.connected):
            signal.connect(self._personalize_button)
        self.personalizer.busy_changed.connect(self._personalize_button)

    def _video_changed(self) -> None:
        self.center.setCurrentIndex(0 if self.state.video is None else 1)
        if self.state.video is not None:
            self.player.frame_view.setFocus()  # the keys act on the video, not the search box

    def _track(self, task: Task, label: str, place: str) -> None:
        (self.library_panel.progress if place == "library" else self.task_progress).track(
            task, label
        )

    def _remember_annotator(self, name: str) -> None:
        if name != self.settings.annotator:
            self.settings = replace(self.settings, annotator=name)
            try:
                save_settings(self.settings)
            except Exception as exc:  # settings are a convenience; say so and go on
                self.feedback.say(self.tr("settings not saved: {error}").format(error=exc))

    # -- shutdown ---------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.quit_guard.may_close():  # asked, or the user's jobs are still stopping
            event.ignore()
            return
        if self.shut_down:
            super().closeEvent(event)
            return
        self.shut_down = True
        self.session.save()
        self.disk.flush()
        self.analysis.stop()
        self.workers.cancel_all()
        self.player.close_media()
        self.hide()  # gone at once for the user while the workers' last steps end (a few s)
        self.workers.wait(10_000)
        self.store.close()
        super().closeEvent(event)
