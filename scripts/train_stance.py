"""Train the target-dependent stance model on NewsMTSC train (MIT) and write it into the package.

    .venv/bin/python scripts/train_stance.py --train ../shared/gold/stance/newsmtsc-train.jsonl

Only the training split is used (5-fold cross-validation on it picks C); the dev/test file is for
``communique eval stance`` alone.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold, cross_val_predict
from spacy.tokens import DocBin

from communique.nlp import load_nlp
from communique.stance.distilled import DISTILLED_FILE, load_distilled
from communique.stance.evaluate import read_gold
from communique.stance.lexicon import load_lexicon
from communique.stance.target import LABELS, TargetScorer

OUT = Path(__file__).resolve().parents[1] / "src/communique/stance/data/stance-model.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/communique-stance-train.spacy"))
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--further", action="store_true", help="Also train on further mentions of each target.")
    parser.add_argument("--c", type=float, nargs="*", default=[0.03, 0.05, 0.1, 0.2, 0.5])
    parser.add_argument(
        "--no-distilled", action="store_true", help="Without the word polarity distilled from the transformer."
    )
    args = parser.parse_args()

    nlp = load_nlp()
    sentences = read_gold(args.train)
    started = time.perf_counter()
    if args.cache.is_file():
        docs = list(DocBin().from_disk(args.cache).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((s.text for s in sentences), batch_size=256))
        DocBin(store_user_data=False, docs=docs).to_disk(args.cache)
    print(f"parsed {len(docs)} sentences in {time.perf_counter() - started:.0f}s")

    distilled = None if args.no_distilled else load_distilled()
    scorer = TargetScorer(nlp, load_lexicon(), model=None, distilled=distilled)
    features: list[dict[str, float]] = []
    labels: list[str] = []
    groups: list[int] = []
    main_target: list[bool] = []
    for index, (sentence, doc) in enumerate(zip(sentences, docs, strict=True)):
        cues = scorer.cues(doc)
        for target in sentence.targets:
            spans = [(target.start, target.end)]
            if args.further:
                spans.extend(target.further)
            for number, (start, end) in enumerate(spans):
                result = scorer.score_chars(doc, start, end, cues, all_features=True)
                if result is None:
                    continue
                features.append(result.features)
                labels.append(target.label)
                groups.append(index)
                main_target.append(number == 0)
    counts: dict[str, int] = {}
    for row in features:
        for name in row:
            counts[name] = counts.get(name, 0) + 1
    keep = {name for name, n in counts.items() if n >= args.min_count}
    features = [{k: v for k, v in row.items() if k in keep} for row in features]
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(features)
    y = np.array([LABELS.index(label) for label in labels])
    print(f"{x.shape[0]} targets, {x.shape[1]} features")

    # Grouped by sentence: targets of one sentence share context, so they stay in one fold.
    folds = GroupKFold(n_splits=5)
    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)
    for c in args.c:
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        predicted = cross_val_predict(model, x, y, cv=folds, groups=groups, n_jobs=2)
        # Scored on the annotated target mentions only, as the eval does.
        main = np.array(main_target)
        macro = float(f1_score(y[main], predicted[main], average="macro"))
        accuracy = float(accuracy_score(y[main], predicted[main]))
        print(f"C={c}: cross-validated macro-F1 {macro:.3f} accuracy {accuracy:.3f}")
        if macro > best[0]:
            best = (macro, accuracy, c)
    macro, accuracy, c = best
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)
    weights = {
        name: [round(float(w), 4) for w in model.coef_[:, j]]
        for name, j in vectorizer.vocabulary_.items()
        if np.abs(model.coef_[:, j]).max() >= 1e-3
    }
    payload = {
        "labels": list(LABELS),
        "bias": [round(float(b), 4) for b in model.intercept_],
        "weights": dict(sorted(weights.items())),
        "distilled_polarity": None if distilled is None else Path(DISTILLED_FILE).name,
        "training": {
            "data": "NewsMTSC train split (Hamborg & Donnay, EACL 2021), MIT licence",
            "targets": int(x.shape[0]),
            "features": len(weights),
            "C": c,
            "further_mentions": bool(args.further),
            "cv_macro_f1": round(macro, 4),
            "cv_accuracy": round(accuracy, 4),
        },
    }
    args.out.write_text(json.dumps(payload, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB), C={c}")


if __name__ == "__main__":
    main()
