"""Personalization on the device asked for: CUDA where there is one, a clear refusal elsewhere."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from core.models.run import load_model
from core.services.cli import main
from core.services.personalize import personalize
from tests.personalize.conftest import OPTIONS, Store

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device here")


@needs_cuda
def test_a_tiny_personalization_fine_tunes_on_cuda(store: Store) -> None:
    result = personalize(store.repo, "ana", options=replace(OPTIONS, device="cuda"))
    settings = load_model(result.model_dir).info.config["finetune"]
    assert settings["device"].startswith("cuda")
    assert result.personal.f is not None and result.generic.f is not None
    assert result.personal.f >= result.generic.f  # never worse on the validation videos


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is here: nothing to refuse")
def test_asking_for_cuda_without_one_is_one_clear_line(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--db", store.url, "personalize", "--annotator", "ana", "--device", "cuda"]
    assert main([*args, "--backbone", "hsv-histogram", "--epochs", "2", "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "CUDA is not available" in err[0]
    assert store.repo.default_model("ana", fallback=False) is None
