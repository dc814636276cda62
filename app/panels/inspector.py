"""The Inspector: who is annotating, how much of the video they selected against the budget,
which methods and model versions are drawn with which skim rule, and the Personalize button.

Each name's swatch is the colour the timeline draws it in, in the studio's light or dark look
(:func:`app.colors.readable`), and model versions' names are set apart in a colour that reads in
that look; both follow a change of look while the studio runs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.colors import LOOKS, readable
from app.elide import ElidingComboBox, elide_list, elide_middle
from app.navigation import segment_share
from app.settings import SKIM_RULE_LABELS
from app.sources import Source
from app.state import StudioState

PERSONALIZE_TIP = "needs an open annotation store and an annotator"  # shown through tr()
NAME_WIDTH = 150  # pixels of an annotator's name on the Fit button (elided in the middle)


def swatch(color: QColor, look: str) -> QPixmap:
    """A 12×12 square of ``color`` as the timeline draws it in ``look``."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(readable(color, look))
    return pixmap


def app_look() -> str:
    """The studio's look now (``"light"`` or ``"dark"``; :mod:`app.theme`)."""
    app = QApplication.instance()
    return str(app.property("synopsis_look") or "dark") if app is not None else "dark"


class InspectorPanel(QWidget):
    """Annotator, budget, methods and Personalize (see module docstring).

    Signals:
        annotator_selected: a name from the switcher.
        create_annotator_requested, rename_annotator_requested, personalize_requested.
        history_requested: the current annotator's model history (runs that lost are only there).
        source_toggled: ``(name, shown)`` for a method or model version.
        primary_selected: the source whose shots, skim and keyframes to show.
        skim_rule_selected: the skim rule chosen for the methods' and models' skims.
    """

    annotator_selected = Signal(str)
    create_annotator_requested = Signal()
    rename_annotator_requested = Signal()
    personalize_requested = Signal()
    history_requested = Signal()
    source_toggled = Signal(str, bool)
    primary_selected = Signal(str)
    skim_rule_selected = Signal(str)

    def __init__(
        self,
        state: StudioState,
        sources: Callable[[], list[Source]],
        running: Callable[[], set[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state, self.sources, self.running = state, sources, running
        self.look = app_look()
        self.annotator = ElidingComboBox()
        self.annotator.setAccessibleName(self.tr("Annotator"))
        self.annotator.activated.connect(
            lambda i: self.annotator_selected.emit(self.annotator.itemData(i))
        )
        new, self.rename = QPushButton(self.tr("New…")), QPushButton(self.tr("Rename…"))
        new.clicked.connect(self.create_annotator_requested)
        self.rename.clicked.connect(self.rename_annotator_requested)
        self.budget = QProgressBar()
        self.budget.setRange(0, 1000)
        self.budget.setObjectName("budgetMeter")
        self.budget_label = QLabel()
        self.methods = QListWidget()
        elide_list(self.methods)
        self.methods.setAccessibleName(self.tr("Methods and models"))
        self.methods.itemChanged.connect(self._item_changed)
        self.methods.currentItemChanged.connect(self._current_changed)
        self.skim_rule = QComboBox()
        self.skim_rule.setAccessibleName(self.tr("Skim rule"))
        self.skim_rule.setToolTip(self.tr("how a method's importance becomes its skim"))
        for rule, label in SKIM_RULE_LABELS.items():
            self.skim_rule.addItem(self.tr("Skim: {rule}").format(rule=label), rule)
        self.skim_rule.activated.connect(
            lambda i: self.skim_rule_selected.emit(self.skim_rule.itemData(i))
        )
        self.personalize = QPushButton(self.tr("Personalize"))
        self.personalize.setEnabled(False)
        self.personalize.setToolTip(self.tr(PERSONALIZE_TIP))
        self.personalize.clicked.connect(self.personalize_requested)
        self.history = QPushButton(self.tr("History…"))
        self.history.setEnabled(False)
        self.history.setToolTip(self.tr("the annotator's model versions, including runs that lost"))
        self.history.clicked.connect(self.history_requested)
        who = QGroupBox(self.tr("Annotator"))
        who_layout = QVBoxLayout(who)
        who_layout.addWidget(self.annotator)
        row = QHBoxLayout()
        row.addWidget(new)
        row.addWidget(self.rename)
        who_layout.addLayout(row)
        who_layout.addWidget(self.budget)
        who_layout.addWidget(self.budget_label)
        methods = QGroupBox(self.tr("Methods and models"))
        methods_layout = QVBoxLayout(methods)
        methods_layout.addWidget(self.methods)
        methods_layout.addWidget(self.skim_rule)
        methods_layout.addWidget(self.personalize)  # one under the other: narrow at 1024×700
        methods_layout.addWidget(self.history)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(who)
        layout.addWidget(methods, 1)
        self._filling = False
        self._refill = QTimer(self)
        self._refill.setSingleShot(True)
        self._refill.setInterval(0)
        self._refill.timeout.connect(self.fill_sources)
        state.annotators_changed.connect(self._annotators)
        state.annotator_changed.connect(self._annotators)
        for signal in (
            state.selections_changed,
            state.annotator_changed,
            state.primary_changed,
            state.video_changed,
        ):
            signal.connect(self._budget)
        for signal in (state.summaries_changed, state.primary_changed, state.video_changed):
            signal.connect(self.refill)
        self._budget()

    def changeEvent(self, event: QEvent) -> None:
        """The studio's palette changed (:func:`app.theme.apply_theme`): redraw the swatches."""
        super().changeEvent(event)
        kinds = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if event.type() in kinds and app_look() != self.look:
            self.look = app_look()
            self._annotators()
            self.refill()

    def set_personalize(self, annotator: str | None, *, store_open: bool, busy: bool) -> None:
        """``Fit to <annotator>``: enabled with an open store and an annotator, when idle."""
        name = elide_middle(self.personalize.fontMetrics(), annotator or "", NAME_WIDTH)
        self.personalize.setText(
            self.tr("Fit to {name}").format(name=name) if annotator else self.tr("Personalize")
        )
        self.personalize.setEnabled(bool(annotator) and store_open and not busy)
        self.history.setEnabled(bool(annotator) and store_open)
        if busy:
            tip = self.tr("a personalization is running")
        elif not store_open or not annotator:
            tip = self.tr(PERSONALIZE_TIP)
        else:
            tip = self.tr(
                "fine-tune a model on {name}'s labels; it becomes their default "
                "only if it beats the generic one on their held-out videos"
            ).format(name=annotator)
        self.personalize.setToolTip(tip)

    def set_skim_rule(self, rule: str) -> None:
        """Show ``rule`` as the chosen skim rule (without emitting ``skim_rule_selected``)."""
        self.skim_rule.setCurrentIndex(self.skim_rule.findData(rule))

    def set_can_rename(self, can: bool) -> None:
        self.rename.setEnabled(can)
        self.rename.setToolTip(
            "" if can else self.tr("the annotation store cannot rename annotators yet")
        )

    def _annotators(self) -> None:
        self.annotator.clear()
        for name in self.state.annotators:
            you = name == self.state.annotator
            text = self.tr("{name} (you)").format(name=name) if you else name
            self.annotator.addItem(swatch(self.state.colors.color(name), self.look), text, name)
            last = self.annotator.count() - 1
            self.annotator.setItemData(last, name, Qt.ItemDataRole.ToolTipRole)
        if self.state.annotator in self.state.annotators:
            self.annotator.setCurrentIndex(self.state.annotators.index(self.state.annotator))

    def selected_share(self) -> float:
        """Share of the open video the current annotator's segments keep: their own and accepted
        ones, not a draft's undecided proposals (keyframes are stills and take none of it)."""
        video = self.state.video
        if video is None or self.state.annotator is None:
            return 0.0
        return segment_share(self.state.own_labels.decided(), video.n_frames)

    def _budget(self) -> None:
        target = self.state.own_labels.budget or self.state.budget
        share = self.selected_share()
        self.budget.setValue(min(1000, int(share / target * 1000)) if target else 0)
        self.budget.setFormat(
            self.tr("{share} of {target}").format(share=f"{share:.0%}", target=f"{target:.0%}")
        )
        self.budget.setTextVisible(True)
        over = share > target + 1e-9
        self.budget.setProperty("over", over)
        self.budget.setStyleSheet(
            "QProgressBar::chunk { background: %s; }" % ("#d9534f" if over else "#5cb85c")
        )
        decided = self.state.own_labels.decided()  # own and accepted marks
        kf, segments = decided.keyframes, decided.segments
        n_kf, n_seg = 0 if kf is None else len(kf), 0 if segments is None else len(segments)
        self.budget_label.setText(
            " · ".join(
                (
                    (self.tr("{n} keyframe") if n_kf == 1 else self.tr("{n} keyframes")).format(
                        n=n_kf
                    ),
                    (self.tr("{n} segment") if n_seg == 1 else self.tr("{n} segments")).format(
                        n=n_seg
                    ),
                    self.tr("budget {share}").format(share=f"{target:.0%}"),
                )
            )
        )

    def refill(self) -> None:
        """Rebuild the methods list once the current burst of changes is over."""
        self._refill.start()

    def fill_sources(self) -> None:
        """Rebuild the methods list from the sources, the summaries and the running tasks."""
        self._filling = True
        self.methods.clear()
        running = self.running()
        for source in self.sources():
            given = source.version.config.get("name") if source.version is not None else None
            shown_name = f"“{given}” · {source.name}" if given else source.name  # Models: Rename
            text = (
                self.tr("{name}  (working…)").format(name=shown_name)
                if source.name in running
                else shown_name
            )
            item = QListWidgetItem(swatch(self.state.colors.color(source.name), self.look), text)
            item.setData(Qt.ItemDataRole.UserRole, source.name)
            item.setToolTip(source.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            shown = source.name in self.state.visible or source.name in running
            item.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
            if source.name == self.state.primary:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
                item.setToolTip(self.tr("shots, skim and keyframes shown are this one's"))
            if source.is_model:
                item.setForeground(QBrush(LOOKS[self.look]["model_text"]))
            self.methods.addItem(item)
            if source.name == self.state.primary:
                self.methods.setCurrentItem(item)
        self._filling = False

    def _item_changed(self, item: QListWidgetItem) -> None:
        if not self._filling:
            name = item.data(Qt.ItemDataRole.UserRole)
            self.source_toggled.emit(name, item.checkState() == Qt.CheckState.Checked)

    def _current_changed(self, item: QListWidgetItem | None, _old: object) -> None:
        if not self._filling and item is not None:
            self.primary_selected.emit(item.data(Qt.ItemDataRole.UserRole))
