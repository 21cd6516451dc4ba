"""Train the claims student: a small convolutional check-worthiness model distilled from MiniLM.

    COMMUNIQUE_EXTRAS=transformer make install
    .venv/bin/python scripts/train_claims_student.py ../shared/gold/claims/claimbuster-train.json \\
        --newsmtsc ../shared/gold/stance/newsmtsc-train.jsonl --news ../shared/corpus/state-dept-2021.jsonl

Needs the optional extra ``transformer`` (the teacher) at build time only; the result is a numpy
file (``src/communique/claims/data/claims-student.npz``) that runs without PyTorch.

1. Word vectors: every word of the vocabulary (MiniLM's whole words, words seen twice in the
   training texts, the stance lexicon's cues) is read alone by the claims teacher's encoder.
2. Data: the ClaimBuster sentences outside the held-out fifth (gold labels), plus news sentences
   labelled with the teacher's probabilities: those of the ``--news`` documents (any format
   ``communique analyze`` reads) and of a NewsMTSC file (``--newsmtsc``; its labels are not used),
   and altered copies of the training sentences, also teacher-labelled (``--augment``, rounds of
   copies per sentence). Every tenth gold sentence is set aside.
3. Training: cross-entropy on gold, KL divergence to the teacher on the rest. The epoch is the one
   with the best average precision on the set-aside tenth. The run-time score is a weighted average
   of this model and the linear one: the weight is the one with the best average precision on that
   tenth and the threshold the best F1 there, with a linear model refitted without that tenth, so
   neither model has seen the sentences they are chosen on.
The held-out fifth is only read at the end, to report.
"""

from __future__ import annotations

import argparse
import json
import pickle
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
from sklearn.metrics import average_precision_score, f1_score
from torch import nn
from train_claims import fit_linear
from train_stance_student import word_vectors

from communique.claims.features import DocArrays, sentence_features
from communique.claims.scorer import LinearClaimModel, in_holdout
from communique.claims.student import STUDENT_FILE, TENSOR_WIDTH, TokenInput, Vocabularies, combined, encode
from communique.claims.transformer import TransformerClaimModel
from communique.ingest import Failure, ReadOptions, read_sources
from communique.nlp import load_nlp
from communique.stance.evaluate import read_gold

OUT = Path(__file__).resolve().parents[1] / "src/communique/claims" / STUDENT_FILE
MIN_TOKENS, MAX_TOKENS = 5, 80  # news sentences outside this range are not used
WEIGHTS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)  # the student's share of the run-time score, to choose from
TENSOR_OUT, TAG_WIDTH, ENT_WIDTH, DEP_WIDTH = 32, 16, 8, 8


class Student(nn.Module):
    """The PyTorch original of ``communique.claims.student.ClaimStudent``."""

    def __init__(
        self, vectors: np.ndarray, sizes: tuple[int, int, int], word_width: int, hidden: int, layers: int
    ) -> None:
        super().__init__()
        table = np.vstack([np.zeros((1, vectors.shape[1]), dtype=np.float32), vectors])
        self.words = nn.Embedding.from_pretrained(torch.tensor(table), freeze=True)
        self.word_proj = nn.Linear(vectors.shape[1], word_width)
        self.tensor_proj = nn.Linear(TENSOR_WIDTH, TENSOR_OUT)
        self.tag = nn.Embedding(sizes[0] + 1, TAG_WIDTH)
        self.ent = nn.Embedding(sizes[1] + 1, ENT_WIDTH)
        self.dep = nn.Embedding(sizes[2] + 1, DEP_WIDTH)
        width = word_width + TENSOR_OUT + TAG_WIDTH + ENT_WIDTH + DEP_WIDTH + 1
        self.conv = nn.Conv1d(width, hidden, 3, padding=1)
        self.conv2 = nn.Conv1d(hidden, hidden, 3, padding=1) if layers > 1 else None
        self.attention = nn.Linear(hidden, 1)
        self.out = nn.Linear(2 * hidden, 2)

    def forward(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        mask = batch["mask"]
        x = torch.cat(
            [
                word_columns(self.words, self.word_proj, batch["rows"]),
                self.tensor_proj(batch["tensor"]),
                self.tag(batch["tags"]),
                self.ent(batch["ents"]),
                self.dep(batch["deps"]),
                batch["numbers"].unsqueeze(-1),
            ],
            -1,
        )
        x = input_dropout(x, mask, self.training)
        hidden = F.relu(self.conv(x.transpose(1, 2))).transpose(1, 2) * mask.unsqueeze(-1)
        if self.conv2 is not None:
            # Residual: the second convolution's output is added to the first one's.
            hidden = hidden + F.relu(self.conv2(hidden.transpose(1, 2))).transpose(1, 2) * mask.unsqueeze(-1)
        pooled = max_and_attention(hidden, mask, self.attention)
        return self.out(F.dropout(torch.cat(pooled, -1), 0.3, self.training))


def batch_of(items: list[TokenInput]) -> dict[str, torch.Tensor]:
    length = max(len(item.rows) for item in items)
    out: dict[str, Any] = {
        name: np.zeros((len(items), length), dtype=np.int64) for name in ("rows", "tags", "ents", "deps")
    }
    out["numbers"] = np.zeros((len(items), length), dtype=np.float32)
    out["tensor"] = np.zeros((len(items), length, TENSOR_WIDTH), dtype=np.float32)
    out["mask"] = np.zeros((len(items), length), dtype=bool)
    for i, item in enumerate(items):
        n = len(item.rows)
        for name in ("rows", "tags", "ents", "deps", "numbers", "tensor"):
            out[name][i, :n] = getattr(item, name)
        out["mask"][i, :n] = True
    return {name: torch.tensor(value) for name, value in out.items()}


def news_sentences(paths: list[str]) -> list[str]:
    """Sentence texts of the documents (the teacher labels sentences, not documents)."""
    nlp = load_nlp()
    texts = [d.text for d in read_sources(paths, ReadOptions(check_language=False)) if not isinstance(d, Failure)]
    found: list[str] = []
    for doc in nlp.pipe(texts, batch_size=32, disable=["ner"]):
        found.extend(s.text.strip() for s in doc.sents if MIN_TOKENS <= len(s) <= MAX_TOKENS)
    return list(dict.fromkeys(found))


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    """Everything the teacher and the parser give (slow): cached in ``--cache`` between runs."""
    if args.cache is not None and args.cache.is_file():
        with args.cache.open("rb") as handle:
            cached: dict[str, Any] = pickle.load(handle)  # our own build cache
            return cached
    started = time.perf_counter()
    rows = json.loads(args.gold.read_text(encoding="utf-8"))
    gold_texts = [str(r["text"]) for r in rows]
    teacher = TransformerClaimModel()
    news = news_sentences(args.news)
    if args.newsmtsc is not None:
        news = list(dict.fromkeys(news + [sentence.text for sentence in read_gold(args.newsmtsc)]))
    print(f"{len(news)} news sentences ({time.perf_counter() - started:.0f}s)", flush=True)
    trained_on = [t for t in gold_texts if not in_holdout(t)]
    words = vocabulary(trained_on + news, list(teacher.classifier.tokenizer.get_vocab()))
    vectors = word_vectors(teacher.classifier, words)
    soft = teacher.scores(news)
    print(f"{len(words)} word vectors, teacher labels ({time.perf_counter() - started:.0f}s)", flush=True)
    nlp = load_nlp()
    data = {
        "words": words,
        "vectors": vectors,
        "tags": list(nlp.get_pipe("tagger").labels),
        "ents": list(nlp.get_pipe("ner").labels),
        "deps": list(nlp.get_pipe("parser").labels),
        "labels": [int(r["label"]) for r in rows],
        "held": [in_holdout(t) for t in gold_texts],
        "soft": soft,
    }
    vocabularies = Vocabularies.build(words, data["tags"], data["ents"], data["deps"])
    encoded, features = [], []
    for doc in nlp.pipe(gold_texts + news, batch_size=128):
        arrays = DocArrays.of(doc)
        encoded.append(encode(arrays, doc.tensor, 0, len(doc), vocabularies))
        features.append(sentence_features(doc[:], arrays))
    data["gold_inputs"], data["news_inputs"] = encoded[: len(gold_texts)], encoded[len(gold_texts) :]
    data["features"] = features[: len(gold_texts)]
    print(f"encoded ({time.perf_counter() - started:.0f}s)", flush=True)
    if args.cache is not None:
        with args.cache.open("wb") as handle:
            pickle.dump(data, handle)
    return data


def variants(texts: list[str], count: int, seed: int) -> list[str]:
    """Altered copies of the training sentences for the teacher to label, as in Tang et al. (2019),
    "Distilling task-specific knowledge from BERT into simple neural networks": a word dropped or
    swapped for another word of the same fine POS tag (p=0.1 each), and a quarter of the copies cut
    to a random stretch of at least five tokens. They show the student what the teacher makes of
    sentences near the gold ones, which news sentences are not."""
    rng = random.Random(seed)
    nlp = load_nlp()
    docs = [
        [(t.text, t.whitespace_, t.tag_) for t in doc]
        for doc in nlp.pipe(texts, batch_size=256, disable=["parser", "ner"])
    ]
    by_tag: dict[str, list[str]] = {}
    for tokens in docs:
        for text, _, tag in tokens:
            by_tag.setdefault(tag, []).append(text)
    made: list[str] = []
    for tokens in docs:
        for _ in range(count):
            words = []
            for text, space, tag in tokens:
                roll = rng.random()
                if roll < 0.1:
                    continue
                words.append((rng.choice(by_tag[tag]) if roll < 0.2 else text) + space)
            if len(words) > 5 and rng.random() < 0.25:
                size = rng.randint(5, len(words))
                begin = rng.randint(0, len(words) - size)
                words = words[begin : begin + size]
            variant = "".join(words).strip()
            if variant:
                made.append(variant)
    return list(dict.fromkeys(made))


def augment(args: argparse.Namespace, data: dict[str, Any], texts: list[str]) -> tuple[list[TokenInput], list[float]]:
    """``--augment`` rounds of variants of the given sentences, parsed and teacher-labelled.

    Round r makes that many variants per sentence with seed ``--seed`` + r, so adding a round keeps
    the earlier ones as they were; each prefix of rounds is cached (``--cache``, rounds in the suffix)."""

    def cache_for(rounds: int) -> Path | None:
        name = "+".join(str(count) for count in args.augment[:rounds])
        return args.cache.with_suffix(f".augment{name}.pkl") if args.cache is not None else None

    inputs: list[TokenInput] = []
    soft: list[float] = []
    done = 0
    for rounds in range(len(args.augment), 0, -1):
        cache = cache_for(rounds)
        if cache is not None and cache.is_file():
            with cache.open("rb") as handle:
                inputs, soft = pickle.load(handle)
            done = rounds
            break
    vocabularies = Vocabularies.build(data["words"], data["tags"], data["ents"], data["deps"])
    teacher = TransformerClaimModel() if done < len(args.augment) else None  # loaded once, if needed
    for round_number in range(done, len(args.augment)):
        assert teacher is not None
        made = variants(texts, args.augment[round_number], args.seed + round_number)
        soft = soft + teacher.scores(made)
        inputs = inputs + [
            encode(DocArrays.of(doc), doc.tensor, 0, len(doc), vocabularies)
            for doc in load_nlp().pipe(made, batch_size=128)
        ]
        print(f"round {round_number}: {len(made)} teacher-labelled variants of the training sentences", flush=True)
        cache = cache_for(round_number + 1)
        if cache is not None:
            with cache.open("wb") as handle:
                pickle.dump((inputs, soft), handle)
    return inputs, soft


def best_threshold(labels: np.ndarray, scores: np.ndarray) -> float:
    candidates = [round(t, 2) for t in np.arange(0.2, 0.81, 0.02)]
    return max(candidates, key=lambda t: f1_score(labels, scores >= t))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--news", action="append", default=[], help="Documents for the teacher to label.")
    parser.add_argument("--newsmtsc", type=Path, default=None, help="NewsMTSC sentences for the teacher to label.")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--cache", type=Path, default=None, help="Pickle of the parsed, teacher-labelled data.")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument(
        "--augment", type=int, nargs="*", default=[4, 12], help="Rounds of teacher-labelled variants per sentence."
    )
    parser.add_argument("--seed", type=int, default=0)
    # Sized so the run-time pass stays a small share of the parse (benchmarks/throughput.py).
    parser.add_argument("--word-width", type=int, default=64)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--layers", type=int, default=2, choices=(1, 2), help="Convolutions, the second residual.")
    args = parser.parse_args()
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)

    data = prepare(args)
    labels = np.array(data["labels"])
    held = np.array(data["held"])
    trained = np.where(~held)[0]
    check = trained[::10]
    fit = np.setdiff1d(trained, check)
    examples = [Example(data["gold_inputs"][i], label=int(labels[i])) for i in fit]
    examples += [Example(item, soft=[1.0 - p, p]) for item, p in zip(data["news_inputs"], data["soft"], strict=True)]
    texts = [str(r["text"]) for r in json.loads(args.gold.read_text(encoding="utf-8"))]
    extra_inputs, extra_soft = augment(args, data, [texts[i] for i in fit])
    examples += [Example(item, soft=[1.0 - p, p]) for item, p in zip(extra_inputs, extra_soft, strict=True)]
    class_weight = torch.tensor(len(fit) / (2 * np.bincount(labels[fit], minlength=2)), dtype=torch.float32)
    sizes = (len(data["tags"]), len(data["ents"]), len(data["deps"]))
    model = Student(data["vectors"], sizes, args.word_width, args.hidden, args.layers)

    def predict(items: list[TokenInput]) -> np.ndarray:
        with torch.no_grad():
            out = [model(batch_of(items[b : b + 256])).softmax(-1)[:, 1].numpy() for b in range(0, len(items), 256)]
        return np.concatenate(out)

    check_inputs = [data["gold_inputs"][i] for i in check]

    def check_ap() -> float:
        return float(average_precision_score(labels[check], predict(check_inputs)))

    best_ap, epoch = train_distilled(model, examples, batch_of, class_weight, check_ap, args.epochs)

    features = data["features"]
    linear_without_check = fit_linear([features[i] for i in fit], labels[fit])
    linear_check = np.array([linear_without_check.score(features[i]) for i in check])
    student_check = predict(check_inputs)

    def mixed(weight: float) -> np.ndarray:
        return np.array([combined(a, b, weight) for a, b in zip(linear_check, student_check, strict=True)])

    # The student's share by average precision on the set-aside tenth, then the threshold by F1 there.
    weight = max(WEIGHTS, key=lambda w: average_precision_score(labels[check], mixed(w)))
    threshold = best_threshold(labels[check], mixed(weight))

    shipped_linear = LinearClaimModel.load()
    held_rows = np.where(held)[0]
    held_student = predict([data["gold_inputs"][i] for i in held_rows])
    held_mixed = np.array(
        [combined(shipped_linear.score(features[i]), p, weight) for i, p in zip(held_rows, held_student, strict=True)]
    )
    report = {
        "heldout_f1": round(float(f1_score(labels[held_rows], held_mixed >= threshold)), 4),
        "heldout_ap": round(float(average_precision_score(labels[held_rows], held_mixed)), 4),
    }
    training = {"check_ap": round(best_ap, 4), "epoch": epoch, "threshold": threshold, "student_weight": weight,
                "gold": len(fit), "teacher_labelled": len(data["news_inputs"]) + len(extra_inputs),
                "augment": args.augment, "seed": args.seed, "word_width": args.word_width, "hidden": args.hidden,
                "layers": args.layers, **report}
    export(model, data, args.out, training)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB): {json.dumps(training)}")


def export(model: Student, data: dict[str, Any], path: Path, training: dict[str, Any]) -> None:
    np.savez_compressed(
        path,
        words=np.array(data["words"]),
        tag_names=np.array(data["tags"]),
        ent_names=np.array(data["ents"]),
        dep_names=np.array(data["deps"]),
        table=exported_table(model.words, model.word_proj),
        tensor_w=model.tensor_proj.weight.detach().numpy(),
        tensor_b=model.tensor_proj.bias.detach().numpy(),
        tag_table=model.tag.weight.detach().numpy(),
        ent_table=model.ent.weight.detach().numpy(),
        dep_table=model.dep.weight.detach().numpy(),
        conv_w=model.conv.weight.detach().numpy(),
        conv_b=model.conv.bias.detach().numpy(),
        **(
            {"conv2_w": model.conv2.weight.detach().numpy(), "conv2_b": model.conv2.bias.detach().numpy()}
            if model.conv2 is not None
            else {}
        ),
        attention_w=model.attention.weight.detach().numpy()[0],
        attention_b=model.attention.bias.detach().numpy(),
        out_w=model.out.weight.detach().numpy(),
        out_b=model.out.bias.detach().numpy(),
        training=np.array(json.dumps(training)),
    )


if __name__ == "__main__":
    main()
