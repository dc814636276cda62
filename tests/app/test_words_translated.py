"""Every word the studio shows goes through Qt's translation (``tr``), also those that a widget
does not hold as its own text: the timeline's lane names, the library's review-state filter and
marks, status lines and error dialogs (``feedback``), the phases of a progress row.

Two checks: a scan of app/'s source for English string literals handed straight to the calls that
show text (``setText``, ``setToolTip``, ``addItem``, ``say``, ``report``, … and widget
constructors), and, with a marking translation installed, the texts of the parts the window-wide
check in test_accessible.py does not read."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from app.controllers.adding import AddResult, added_text, file_progress
from app.dialogs.shortcuts import ShortcutsDialog
from app.feedback import describe
from app.panels.library import LibraryPanel
from app.panels.progress import TaskProgress
from app.progresstext import parse
from app.settings import Settings
from app.window import MainWindow
from tests.app.conftest import open_video
from tests.app.test_accessible import Marking

APP = Path(__file__).resolve().parents[2] / "app"

# Calls that put their text argument(s) in front of the user: a method name → the positional
# arguments that are text (None: all) and the keyword arguments that are.
SHOWS: dict[str, tuple[tuple[int, ...] | None, tuple[str, ...]]] = {
    **{
        name: (None, ("text",))
        for name in (  # noqa: SIM905 (a list of names reads best as words)
            "setText setToolTip setWindowTitle setStatusTip setWhatsThis setPlaceholderText "
            "setAccessibleName setAccessibleDescription showMessage setTitle setLabelText "
            "setInformativeText setDetailedText setTabText setHeaderLabels "
            "setHorizontalHeaderLabels say report setSuffix setPrefix setSpecialValueText "
            "addRow addButton setFormat addMenu information warning critical question "
            "QLabel QPushButton QCheckBox QRadioButton QGroupBox QAction QToolButton QMenu "
            "QTreeWidgetItem QListWidgetItem"
        ).split()
    },
    "addItem": ((0,), ("text",)),
    "addItems": ((0,), ()),
    "insertItem": ((1,), ("text",)),
    "addTab": ((1,), ("label",)),
    "addAction": ((0,), ("text",)),
    "track": ((1,), ("label",)),  # (task, label, place): the place is a key
    "setLabel": ((1,), ("text",)),  # pyqtgraph axis: (side, text)
}
NOT_SHOWN = {"log", "logging", "warnings"}  # log.warning(...) and such go to stderr


def module_strings(tree: ast.Module) -> dict[str, ast.expr]:
    """The module-level names bound to an expression (``ALL = "all categories"``)."""
    found: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                found[target.id] = node.value
    return found


def english(node: ast.expr, names: dict[str, ast.expr]) -> bool:
    """True when ``node`` is (or builds) a string literal with letters in it, untranslated."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(english(v, names) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return english(node.left, names) or english(node.right, names)
    if isinstance(node, ast.IfExp):
        return english(node.body, names) or english(node.orelse, names)
    if isinstance(node, ast.List | ast.Tuple):
        return any(english(e, names) for e in node.elts)
    if isinstance(node, ast.Starred):
        return english(node.value, names)
    if isinstance(node, ast.Name) and node.id in names:
        return english(names[node.id], names)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("format", "join") and english(node.func.value, names)
    return False


def untranslated(source: str, where: str) -> list[str]:
    """``where:line: call(text)`` for each literal English text ``source`` hands to a showing
    call."""
    tree = ast.parse(source)
    names = module_strings(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            name = func.attr
            if isinstance(func.value, ast.Name) and func.value.id in NOT_SHOWN:
                continue
        elif isinstance(func, ast.Name) and func.id.startswith("Q"):  # a widget's constructor
            name = func.id
        else:
            continue
        if name not in SHOWS:
            continue
        positions, keywords = SHOWS[name]
        args = [a for i, a in enumerate(node.args) if positions is None or i in positions]
        args += [k.value for k in node.keywords if k.arg in keywords]
        for arg in args:
            if english(arg, names):
                found.append(f"{where}:{node.lineno}: {name}({ast.unparse(arg)[:70]})")
    return found


def test_the_scan_finds_literals_and_lets_tr_pass() -> None:
    source = "\n".join(
        (
            'ALL = "all videos"',
            'w.setText("Open")',
            'w.setText(self.tr("Open"))',
            'combo.addItem(ALL, "")',
            'feedback.say(f"{n} added")',
            'feedback.say(f"{n}")',
            'feedback.track(task, self.tr("adding"), "library")',
            'QLabel("Name:")',
            'log.warning("not shown %s", x)',
            'w.setToolTip("a" if x else self.tr("b"))',
        )
    )
    lines = [line.split(": ", 1)[1] for line in untranslated(source, "m.py")]
    assert lines == [
        "setText('Open')",
        "addItem(ALL)",
        "say(f'{n} added')",
        "QLabel('Name:')",
        "setToolTip('a' if x else self.tr('b'))",
    ]


def test_no_english_literal_reaches_the_screen_untranslated() -> None:
    found = []
    for path in sorted(APP.rglob("*.py")):
        where = str(path.relative_to(APP.parent))
        found += untranslated(path.read_text(encoding="utf-8"), where)
    assert found == [], "\n".join(found)


@pytest.fixture
def marking(qapp):
    translator = Marking()
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def marked(text: str) -> bool:
    return "⟦" in text


def test_texts_built_outside_widgets_are_translated(marking) -> None:
    assert marked(describe(ValueError("bad")))
    assert marked(added_text(AddResult(added=2)))
    messages: list[str] = []
    step = file_progress(lambda _f, m: messages.append(m), 0, 2, "a.mp4")
    row = TaskProgress()
    for phase in ("probing", "features 40/400"):
        step(0.5, phase)
        row.show_text(parse(messages[-1]), 0.5, "")
        assert row.label.full_text().startswith("a.mp4 · ⟦"), row.label.full_text()
    assert row.label.full_text().endswith(" · ⟦features 40/400⟧")


def test_the_window_words_are_translated(marking, qtbot, store_url: str, clip: Path) -> None:
    window = MainWindow(Settings(backbone="hsv-histogram", method="vsumm"), db_url=store_url)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(
        lambda: window.store.repo is not None and window.state.annotator is not None,
        timeout=20_000,
    )
    open_video(qtbot, window, clip)
    lanes = window.timeline.lane_names
    assert lanes[:2] and all(marked(n) for n in lanes[:2]), lanes
    you = [n for n in lanes if window.state.annotator in n]
    assert you and marked(you[0]), lanes
    you_item = window.inspector.annotator.currentText()
    assert marked(you_item) and window.state.annotator in you_item, you_item
    library: LibraryPanel = window.library_panel
    for combo in (library.review_filter, library.filter):
        items = [combo.itemText(i) for i in range(combo.count())]
        assert items and all(marked(t) for t in items), items
    shortcuts = ShortcutsDialog(window)
    qtbot.addWidget(shortcuts)
    table = shortcuts.table
    rows = range(table.rowCount())
    texts = [table.item(r, 1).text() for r in rows if table.item(r, 1).text()]
    texts += [table.item(r, 0).text() for r in rows if table.columnSpan(r, 0) > 1]  # groups
    assert texts and all(marked(t) for t in texts), [t for t in texts if not marked(t)]
    window.navigate.to_end(True)
    qtbot.waitUntil(lambda: window.state.frame == window.state.video.n_frames - 1, timeout=5_000)
    window.navigate.shot(1)
    assert window.statusBar().currentMessage() == "⟦no shot boundary after this frame⟧"
