"""File → Settings: backbone, rate, budget, skim rule, device, database URL and the method run on
open; below them, the open store's list of mark values (:mod:`app.dialogs.mark_values`), whose
changes are saved to the store at once (OK and Cancel are about the settings above it)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from annotations.db import default_url
from app.settings import DEVICES, SKIM_RULE_LABELS, THEMES, Settings, SettingsError
from core.features import BACKBONES


class SettingsDialog(QDialog):
    """The settings form; :attr:`settings` holds the checked answer after ``accept``."""

    def __init__(
        self,
        settings: Settings,
        methods: list[str],
        parent: QWidget | None = None,
        values: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(480)
        self.settings = settings
        self.backbone = QComboBox()
        self.backbone.addItems(sorted(BACKBONES))
        self.backbone.setCurrentText(settings.backbone)
        self.rate = QDoubleSpinBox()
        self.rate.setRange(0.05, 30.0)
        self.rate.setDecimals(2)
        self.rate.setSuffix(self.tr(" steps/s"))
        self.rate.setValue(settings.rate)
        self.budget = QDoubleSpinBox()
        self.budget.setRange(1.0, 100.0)
        self.budget.setDecimals(1)
        self.budget.setSuffix(" %")
        self.budget.setValue(settings.budget * 100)
        self.skim_rule = QComboBox()
        for rule, label in SKIM_RULE_LABELS.items():
            self.skim_rule.addItem(label, rule)
        self.skim_rule.setCurrentIndex(self.skim_rule.findData(settings.skim_rule))
        self.device = QComboBox()
        self.device.setEditable(True)
        self.device.addItems(list(DEVICES))
        self.device.setCurrentText(settings.device)
        self.database = QLineEdit(settings.database_url)
        self.database.setPlaceholderText(self.tr("default: {url}").format(url=default_url()))
        self.method = QComboBox()
        self.method.addItems(methods)
        self.method.setCurrentText(settings.method)
        self.theme = QComboBox()
        for theme, label in THEMES.items():
            self.theme.addItem(self.tr(label), theme)
        self.theme.setCurrentIndex(self.theme.findData(settings.theme))
        self.theme.setToolTip(self.tr("System follows the system's light or dark preference"))
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Feature backbone"), self.backbone)
        form.addRow(self.tr("Sampling rate"), self.rate)
        form.addRow(self.tr("Budget"), self.budget)
        form.addRow(self.tr("Skim rule"), self.skim_rule)
        form.addRow(self.tr("Device"), self.device)
        form.addRow(self.tr("Database URL"), self.database)
        form.addRow(self.tr("Summarize on open with"), self.method)
        form.addRow(self.tr("Appearance"), self.theme)
        note = QLabel(
            self.tr(
                "A new database URL opens that store at once. The --db option and the "
                "SYNOPSIS_DB variable override it."
            )
        )
        note.setWordWrap(True)
        note.setObjectName("hint")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        self.values = values
        if values is not None:
            layout.addWidget(values)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def answer(self) -> Settings:
        """The form as settings (not checked)."""
        return Settings(
            backbone=self.backbone.currentText(),
            rate=round(self.rate.value(), 2),
            budget=round(self.budget.value() / 100, 4),
            device=self.device.currentText().strip(),
            database_url=self.database.text().strip(),
            method=self.method.currentText(),
            skim_rule=str(self.skim_rule.currentData()),
            annotator=self.settings.annotator,
            theme=str(self.theme.currentData()),
        )

    def accept(self) -> None:
        answer = self.answer()
        try:
            answer.check()
        except SettingsError as exc:
            self.error.setText(str(exc))
            return
        self.settings = answer
        super().accept()
