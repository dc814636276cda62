"""The model history's store work: list an annotator's model versions, remove or promote one.

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
from core.personalize.models import remove_version


class HistoryController(QObject):
    """One annotator's model history (see module docstring).

    Signals:
        loaded: the annotator's model versions (newest first), after each read.
    """

    loaded = Signal(object)

    def __init__(
        self,
        annotator: str,
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
        """Read the annotator's model versions (``loaded`` brings them)."""
        annotator = self.annotator
        self.store.call(
            f"list {annotator}'s model versions",
            lambda repo: repo.model_versions(annotator=annotator),
            on_done=self.loaded.emit,
        )

    def remove(self, version_id: int) -> None:
        """Remove a model version that is not a default, and the weights personalization wrote."""
        self._change(
            f"remove model version {version_id}",
            lambda repo: remove_version(repo, version_id),
            f"removed model version {version_id} of {self.annotator}",
        )

    def make_default(self, version_id: int) -> None:
        """Make a model version the annotator's default."""
        self._change(
            f"make model version {version_id} the default",
            lambda repo: repo.set_default_model(version_id),
            f"model version {version_id} is now {self.annotator}'s default",
        )

    def _change(self, name: str, work: Any, done: str) -> None:
        def changed(_version: ModelVersion) -> None:
            self.feedback.say(done)
            self.load()
            self.analysis.load_versions()

        self.store.call(name, work, on_done=changed)
