"""File → Import labels / Export labels: the store's selections in and out of label files (ours,
ELAN, Label Studio, CVAT) on the store's worker, as ``synopsis labels import|export`` does
(:mod:`core.services.label_files`).

An import is one transaction that never replaces anyone's labels unless asked: when the file
would change selections that already hold other labels (or reviewed ones), nothing is written
and :attr:`LabelFilesController.conflict` carries the list, so the window can ask whether to
merge, replace (or also change reviewed selections) and import again. After an import the open
video's selections, the annotators, the review state and the library are read again (an import
may add annotators and label-only videos). Every change an import makes is one undoable edit in
each selection's history, by the user and the file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotations.imports import ImportConflictError, ImportResult
from app.feedback import Feedback
from core.services.label_files import (
    LabelExport,
    export_labels,
    importer,
    new_videos,
    read_labels,
)


@dataclass(frozen=True)
class LabelExportRequest:
    """What to export: ``fmt`` (a :data:`core.services.label_files.FILE_FORMATS` name) to
    ``path``, of one ``video`` (its sha256; ``None``: every video) and one ``annotator``
    (``None``: everyone); ``overwrite``: the user agreed to replace ``path``."""

    fmt: str
    path: Path
    video: str | None = None
    annotator: str | None = None
    overwrite: bool = False


@dataclass(frozen=True)
class LabelImportRequest:
    """What to import: the file, its format, and what may change (``mode`` ``None`` /
    ``"merge"`` / ``"replace"``; ``force``: reviewed selections too)."""

    fmt: str
    path: Path
    mode: str | None = None
    force: bool = False
    new_videos: bool = False  # the user agreed to add the videos the library lacks


class NewVideosError(Exception):
    """The file names videos the library does not hold; nothing was imported (the window asks
    whether to add them as label-only videos)."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


class LabelFilesController(QObject):
    """Runs label imports and exports on the store's worker (see module docstring).

    Signals:
        conflict: ``(request, error)`` — the import would change selections ``request`` does
            not allow (:class:`ImportConflictError`) or add videos the library lacks
            (:class:`NewVideosError`); nothing was written.
        imported: ``ImportResult`` — an import finished.
    """

    conflict = Signal(object, object)
    imported = Signal(object)

    def __init__(
        self, store: Any, feedback: Feedback, reload: list[Any], parent: QObject | None = None
    ) -> None:
        """``store``: the :class:`app.controllers.store.StoreController`; ``reload``: what to
        call after an import (the selections, annotators, review state and library)."""
        super().__init__(parent)
        self.store, self.feedback, self.reload = store, feedback, reload

    def export(self, request: LabelExportRequest) -> Any:
        """Write the label file on the store's worker; the status bar says what it holds."""

        def work(repo: Any) -> LabelExport:
            return export_labels(
                repo, request.fmt, request.path, annotator=request.annotator,
                video=request.video, overwrite=request.overwrite,
            )  # fmt: skip

        def done(result: LabelExport) -> None:
            text = self.tr("exported {what} to {file}").format(
                what=counted(result.selections, "selection", "of")
                + counted(result.videos, "video"),
                file=result.path,
            )
            if result.skipped:
                text += self.tr(" (left out, damaged: {names})").format(
                    names="; ".join(result.skipped)
                )
            self.feedback.say(text)

        return self.store.call(
            f"export labels to {request.path.name}",
            work,
            on_done=done,
            on_failed=lambda error: self.feedback.report(
                self.tr("Could not export labels to {file}").format(file=request.path.name), error
            ),
        )

    def import_file(self, request: LabelImportRequest) -> Any:
        """Read and import the file on the store's worker (one transaction)."""
        author = f"{importer()} (import of {request.path.resolve()})"

        def work(repo: Any) -> ImportResult:
            items = read_labels(repo, request.fmt, request.path)
            unknown = [] if request.new_videos else new_videos(repo, items)
            if unknown:
                raise NewVideosError(unknown)
            return repo.import_selections(
                items, mode=request.mode, force=request.force, author=author
            )

        def failed(error: BaseException) -> None:
            if isinstance(error, ImportConflictError | NewVideosError):
                self.conflict.emit(request, error)
                return
            self.feedback.report(
                self.tr("Could not import {file}").format(file=request.path.name), error
            )

        return self.store.call(
            f"import {request.path.name}", work, on_done=self._imported, on_failed=failed
        )

    def _imported(self, result: ImportResult) -> None:
        parts = [counted(result.changed, "changed selection")]
        if result.annotators_created:
            parts.append(counted(result.annotators_created, "new annotator"))
        if result.videos_created:
            parts.append(counted(result.videos_created, "new video"))
        self.feedback.say(
            self.tr("imported {items} from the file: {parts}").format(
                items=counted(result.items, "selection"), parts=", ".join(parts)
            )
        )
        for again in self.reload:
            again()
        self.imported.emit(result)


def counted(n: int, noun: str, after: str = "") -> str:
    """``1 selection``, ``2 selections`` (with ``after`` and a space after it when given)."""
    text = f"{n} {noun}{'' if n == 1 else 's'}"
    return f"{text} {after} " if after else text


def widened(request: LabelImportRequest, answer: str) -> LabelImportRequest | None:
    """The request to try after the user answered a conflict (``merge``, ``replace`` or
    ``force``), or ``None`` to stop."""
    if answer == "add videos":
        return replace(request, new_videos=True)
    if answer in ("merge", "replace"):
        return replace(request, mode=answer)
    if answer == "force" and request.mode is not None:
        return replace(request, force=True)
    return None
