"""Train the stance student: a small convolutional model distilled from the MiniLM stance model.

    COMMUNIQUE_EXTRAS=transformer make install
    .venv/bin/python scripts/train_stance_student.py --train ../shared/gold/stance/newsmtsc-train.jsonl \\
        --unlabelled ../shared/gold/claims/claimbuster-train.json

Needs the optional extra ``transformer`` (the teacher) at build time only; the result is a numpy
file (``src/communique/stance/data/stance-student.npz``) that runs without PyTorch.

1. Word vectors: every word of the vocabulary (MiniLM's whole words, words of the training texts,
   the lexicon's cues) is read alone by the stance teacher's encoder; its output is the word's
   vector. The student's first layer is folded into this table before export.
2. Data: the NewsMTSC train targets (gold labels), plus the other named people, organisations and
   places in those sentences and in the ``--unlabelled`` sentences (ClaimBuster's, outside the claims
   held-out fifth), labelled with the teacher's probabilities.
3. Training: cross-entropy on gold, KL divergence to the teacher on the rest. Every tenth training
   sentence is held out to pick the epoch; the dev/test file is never read.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from distill_word_polarity import vocabulary
from distillation import (
    Example,
    exported_table,
    input_dropout,
    max_and_attention,
    train_distilled,
    word_columns,
)
from sklearn.metrics import f1_score
from spacy.tokens import Doc
from torch import nn

from communique.claims.scorer import in_holdout
from communique.hashes import WordIndex
from communique.nlp import load_nlp
from communique.stance.evaluate import read_gold
from communique.stance.lexicon import load_lexicon
from communique.stance.student import MAX_OFFSET, STUDENT_FILE, TENSOR_WIDTH, StudentInput, relation_ids
from communique.stance.target import LABELS, RELATIONS, TargetScorer
from communique.stance.transformer import TargetInput, TransformerStanceModel
from communique.transformer_backend import AdaptedClassifier

OUT = Path(__file__).resolve().parents[1] / "src/communique/stance" / STUDENT_FILE
ENTITY_KINDS = {"PERSON", "ORG", "GPE", "NORP"}
MAX_SENTENCE_TOKENS = 80
TENSOR_OUT, RELATION_WIDTH, OFFSET_WIDTH, TARGET_WIDTH = 32, 16, 8, 8


def word_vectors(teacher: AdaptedClassifier, words: list[str]) -> np.ndarray:
    """Each word alone through the teacher's encoder: mean of its word pieces' outputs."""
    tokenizer = teacher.tokenizer
    encoder = teacher.model.base_model
    vectors = np.zeros((len(words), encoder.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for begin in range(0, len(words), 512):
            chunk = words[begin : begin + 512]
            encoded = tokenizer(chunk, padding=True, return_tensors="pt")
            hidden = encoder(**encoded).last_hidden_state
            mask = encoded["attention_mask"].clone()
            mask[:, 0] = 0  # [CLS]
            mask[torch.arange(len(chunk)), encoded["attention_mask"].sum(1) - 1] = 0  # [SEP]
            mean = (hidden * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True).clamp(min=1)
            vectors[begin : begin + len(chunk)] = mean.numpy()
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-6)


class Student(nn.Module):
    """The PyTorch original of ``communique.stance.student.StudentModel``."""

    def __init__(self, vectors: np.ndarray, relations: int, word_width: int, hidden: int) -> None:
        super().__init__()
        table = np.vstack([np.zeros((1, vectors.shape[1]), dtype=np.float32), vectors])
        self.words = nn.Embedding.from_pretrained(torch.tensor(table), freeze=True)
        self.word_proj = nn.Linear(vectors.shape[1], word_width)
        self.tensor_proj = nn.Linear(TENSOR_WIDTH, TENSOR_OUT)
        self.relation = nn.Embedding(relations + 1, RELATION_WIDTH)
        self.offset = nn.Embedding(2 * MAX_OFFSET + 1, OFFSET_WIDTH)
        self.target = nn.Embedding(2, TARGET_WIDTH)
        width = word_width + TENSOR_OUT + RELATION_WIDTH + OFFSET_WIDTH + TARGET_WIDTH + 1
        self.conv = nn.Conv1d(width, hidden, 3, padding=1)
        self.attention = nn.Linear(hidden, 1)
        self.out = nn.Linear(3 * hidden, len(LABELS))

    def forward(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        mask = batch["mask"]
        x = torch.cat(
            [
                word_columns(self.words, self.word_proj, batch["rows"]),
                self.tensor_proj(batch["tensor"]),
                self.relation(batch["relations"]),
                self.offset(batch["offsets"]),
                self.target(batch["in_target"]),
                batch["cue_values"].unsqueeze(-1),
            ],
            -1,
        )
        x = input_dropout(x, mask, self.training)
        hidden = F.relu(self.conv(x.transpose(1, 2))).transpose(1, 2)
        pooled_max, attended = max_and_attention(hidden, mask, self.attention)
        in_target = batch["in_target"].unsqueeze(-1).float()
        pooled_target = (hidden * in_target).sum(1) / in_target.sum(1).clamp(min=1)
        return self.out(F.dropout(torch.cat([pooled_max, pooled_target, attended], -1), 0.3, self.training))


def batch_of(items: list[StudentInput]) -> dict[str, torch.Tensor]:
    length = max(len(item.window.rows) for item in items)
    out: dict[str, Any] = {
        "rows": np.zeros((len(items), length), dtype=np.int64),
        "relations": np.zeros((len(items), length), dtype=np.int64),
        "in_target": np.zeros((len(items), length), dtype=np.int64),
        "offsets": np.zeros((len(items), length), dtype=np.int64),
        "cue_values": np.zeros((len(items), length), dtype=np.float32),
        "tensor": np.zeros((len(items), length, TENSOR_WIDTH), dtype=np.float32),
        "mask": np.zeros((len(items), length), dtype=bool),
    }
    for i, item in enumerate(items):
        words, target = item.window, item.target
        n = len(words.rows)
        out["rows"][i, :n] = words.rows
        out["relations"][i, :n] = target.relations
        out["in_target"][i, :n] = target.in_target
        out["offsets"][i, :n] = target.offsets
        out["cue_values"][i, :n] = words.cue_values
        out["tensor"][i, :n] = words.tensor
        out["mask"][i, :n] = True
    return {name: torch.tensor(value) for name, value in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--unlabelled", type=Path, default=None, help="JSON list of {'text': ...} sentences.")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    # Sized so the run-time pass stays a few per cent of the parse (benchmarks/throughput.py).
    parser.add_argument("--word-width", type=int, default=96)
    parser.add_argument("--hidden", type=int, default=128)
    args = parser.parse_args()
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    started = time.perf_counter()

    nlp = load_nlp()
    teacher = TransformerStanceModel()
    sentences = read_gold(args.train)
    unlabelled: list[str] = []
    if args.unlabelled is not None:
        rows = json.loads(args.unlabelled.read_text(encoding="utf-8"))
        unlabelled = [str(r["text"]) for r in rows if not in_holdout(str(r["text"]))]
    texts = [sentence.text for sentence in sentences] + unlabelled
    words = vocabulary(texts, list(teacher.classifier.tokenizer.get_vocab()))
    vectors = word_vectors(teacher.classifier, words)
    index = WordIndex(words)
    relations = relation_ids(RELATIONS)
    print(f"{len(words)} word vectors ({time.perf_counter() - started:.0f}s)", flush=True)

    scorer = TargetScorer(nlp, load_lexicon(), model=None)
    gold: list[tuple[StudentInput, int, int]] = []  # input, label, sentence group
    pending: list[tuple[StudentInput, TargetInput]] = []

    def add_entities(doc: Doc, taken: list[tuple[int, int]]) -> None:
        cues = None
        for entity in doc.ents:
            if entity.label_ not in ENTITY_KINDS or len(entity.sent) > MAX_SENTENCE_TOKENS:
                continue
            if any(entity.start_char < b and a < entity.end_char for a, b in taken):
                continue
            cues = cues or scorer.cues(doc)
            item = scorer.student_input(index, relations, entity.start, entity.end, cues)
            sent = entity.sent
            pending.append(
                (item, TargetInput(sent.text, entity.start_char - sent.start_char, entity.end_char - sent.start_char))
            )

    for group, (sentence, doc) in enumerate(zip(sentences, nlp.pipe(s.text for s in sentences), strict=True)):
        cues = scorer.cues(doc)
        for target in sentence.targets:
            span = doc.char_span(target.start, target.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            item = scorer.student_input(index, relations, span.start, span.end, cues)
            gold.append((item, LABELS.index(target.label), group))
        add_entities(doc, [(t.start, t.end) for t in sentence.targets])
    for doc in nlp.pipe(unlabelled, batch_size=64):
        add_entities(doc, [])
    soft = teacher.probabilities([target for _, target in pending])
    distilled = [(item, [p[label] for label in LABELS]) for (item, _), p in zip(pending, soft, strict=True)]
    print(f"{len(gold)} gold targets, {len(distilled)} teacher-labelled ({time.perf_counter() - started:.0f}s)")

    held = {group for _, _, group in gold if group % 10 == 0}
    train = [(item, label) for item, label, group in gold if group not in held]
    check = [(item, label) for item, label, group in gold if group in held]
    labels = np.array([label for _, label in train])
    class_weight = torch.tensor(len(labels) / (len(LABELS) * np.bincount(labels, minlength=3)), dtype=torch.float32)
    examples = [Example(i, label=y) for i, y in train] + [Example(i, soft=p) for i, p in distilled]
    model = Student(vectors, len(RELATIONS), args.word_width, args.hidden)

    def check_f1() -> float:
        inputs = [item for item, _ in check]
        predicted = [model(batch_of(inputs[b : b + 256])).argmax(-1).numpy() for b in range(0, len(inputs), 256)]
        return float(f1_score([y for _, y in check], np.concatenate(predicted), average="macro"))

    score, epoch = train_distilled(model, examples, batch_of, class_weight, check_f1, args.epochs)
    export(model, words, args.out, {"check_macro_f1": round(score, 4), "epoch": epoch, "gold": len(gold),
                                    "teacher_labelled": len(distilled), "seed": args.seed,
                                    "word_width": args.word_width, "hidden": args.hidden})
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB), epoch {epoch}, check macro-F1 {score:.3f}")


def export(model: Student, words: list[str], path: Path, training: dict[str, Any]) -> None:
    with torch.no_grad():
        conv = model.conv.weight.numpy()
    np.savez_compressed(
        path,
        words=np.array(words),
        relations=np.array(RELATIONS),
        table=exported_table(model.words, model.word_proj),
        tensor_w=model.tensor_proj.weight.detach().numpy(),
        tensor_b=model.tensor_proj.bias.detach().numpy(),
        relation_table=model.relation.weight.detach().numpy(),
        offset_table=model.offset.weight.detach().numpy(),
        target_table=model.target.weight.detach().numpy(),
        conv_w=conv,
        conv_b=model.conv.bias.detach().numpy(),
        attention_w=model.attention.weight.detach().numpy()[0],
        attention_b=model.attention.bias.detach().numpy(),
        out_w=model.out.weight.detach().numpy(),
        out_b=model.out.bias.detach().numpy(),
        training=np.array(json.dumps(training)),
    )


if __name__ == "__main__":
    main()
