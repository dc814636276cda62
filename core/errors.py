"""Domain exceptions raised by the engine.

Every error names the thing it is about (a file, an annotator, a model) and the cause in one
line, so the CLI can print ``str(error)`` and the GUI can show it in a dialog without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class SynopsisError(Exception):
    """Base class of every error the engine raises on purpose."""


class VideoOpenError(SynopsisError):
    """A video cannot be opened, probed or decoded."""

    def __init__(self, path: str | Path, cause: str) -> None:
        self.path = Path(path)
        self.cause = cause
        super().__init__(f"{self.path}: {cause}")


class FeatureError(SynopsisError):
    """Features cannot be computed (unknown backbone, missing weights, …)."""


class MethodError(SynopsisError):
    """Unknown method, bad method options, or a method that cannot score the input."""


class ModelLoadError(SynopsisError):
    """A saved model cannot be loaded or does not match the features offered."""

    def __init__(self, path: str | Path, cause: str) -> None:
        self.path = Path(path)
        self.cause = cause
        super().__init__(f"{self.path}: {cause}")


class DatasetError(SynopsisError):
    """A dataset or label file is missing, malformed or inconsistent."""

    def __init__(self, path: str | Path, cause: str) -> None:
        self.path = Path(path)
        self.cause = cause
        super().__init__(f"{self.path}: {cause}")


class ExportError(SynopsisError):
    """An export cannot be written."""

    def __init__(self, path: str | Path, cause: str) -> None:
        self.path = Path(path)
        self.cause = cause
        super().__init__(f"{self.path}: {cause}")


class TrainingError(SynopsisError):
    """A training run cannot start or had to stop (e.g. a non-finite loss)."""


class LabelError(SynopsisError):
    """Labels that do not fit their video or each other (frames outside it, lengths differ,
    no annotators, non-finite scores). The store raises its own subclass."""

    def __init__(self, item: str, cause: str) -> None:
        self.item = item
        self.cause = cause
        super().__init__(f"{item}: {cause}")
