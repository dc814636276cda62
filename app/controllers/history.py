"""The Models dialog's store work: list the model versions (every one, or an annotator's), remove,
promote or rename one.

Every call runs on the store pool (:class:`app.controllers.store.StoreController`); afterwards the
history is read again and the analysis controller re-reads the model versions, so the Inspector's
list of models follows (a version made the default appears there; a removed one disappears).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from annotations.records import ModelVersion
from app.controllers.analysis import AnalysisController
from app.controllers.store import StoreController
from app.feedback import Feedback
from core.services.personalize.models import remove_version


class HistoryController(QObject):
    """The model versions of the store (``annotator`` None) or of one annotator (see module
    docstring).

    Signals:
        loaded: the annotator's model versions (newest first), after each read.
    """

    loaded = Signal(object)

    def __init__(
        self,
        annotator: str | None,
        store: StoreController,
        analysis: AnalysisController,
        feedback: Feedback,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.annotator, self.store, self.analysis, self.feedback = (
            annotator,
            store,
            analysis,
            feedback,
        )

    def load(self) -> None:
        """Read the model versions (``loaded`` brings them)."""
        annotator = self.annotator
        self.store.call(
            f"list {annotator or 'every'}'s model versions",
            lambda repo: repo.model_versions(annotator=annotator),
            on_done=self.loaded.emit,
        )

    def remove(self, version_id: int) -> None:
        """Remove a model version that is not a default, and the weights personalization wrote."""
        self._change(
            f"remove model version {version_id}",
            lambda repo: remove_version(repo, version_id),
            self.tr("removed model version {id}").format(id=version_id),
        )

    def make_default(self, version_id: int) -> None:
        """Make a model version the annotator's default."""
        self._change(
            f"make model version {version_id} the default",
            lambda repo: repo.set_default_model(version_id),
            self.tr("model version {id} is now the default").format(id=version_id),
        )

    def rename(self, version_id: int, name: str) -> None:
        """Give a model version a name of its own (empty: none)."""
        self._change(
            f"rename model version {version_id}",
            lambda repo: repo.rename_model_version(version_id, name),
            self.tr("model version {id} renamed").format(id=version_id),
        )

    def _change(self, name: str, work: Any, done: str) -> None:
        def changed(_version: ModelVersion) -> None:
            self.feedback.say(done)
            self.load()
            self.analysis.load_versions()

        self.store.call(name, work, on_done=changed)
