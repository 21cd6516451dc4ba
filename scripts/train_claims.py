"""Train the check-worthiness model shipped in src/communique/claims/data/claims_model.json.

Usage: .venv/bin/python scripts/train_claims.py ../shared/gold/claims/claimbuster-train.json

Trains on the sentences outside the fixed hash-based held-out fifth (``in_holdout``) and reports
precision/recall/F1/AP on that fifth, which the model never sees. The data itself is not shipped
(see the model card for its licence).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from communique.claims.features import sentence_features
from communique.claims.scorer import LinearClaimModel, in_holdout
from communique.nlp import load_nlp

OUT = Path(__file__).resolve().parents[1] / "src" / "communique" / "claims" / "data" / "claims_model.json"


def choose_threshold(classifier: LogisticRegression, x: object, y: np.ndarray) -> float:
    """Threshold with the best out-of-fold F1 on the training part (the held-out fifth stays unseen)."""
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=13)
    probabilities = cross_val_predict(classifier, x, y, cv=folds, method="predict_proba")[:, 1]
    candidates = [round(t, 2) for t in np.arange(0.3, 0.81, 0.05)]
    return max(candidates, key=lambda t: f1_score(y, probabilities >= t))


def fit_linear(
    features: list[list[str]], labels: np.ndarray, c: float = 10.0, min_df: int = 2, threshold: float | None = None
) -> LinearClaimModel:
    """Logistic regression over idf-weighted binary features (the claims student reuses it)."""
    vectorizer = DictVectorizer()
    counts = vectorizer.fit_transform([dict.fromkeys(f, 1) for f in features])
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    keep = np.where(df >= min_df)[0]
    names = [vectorizer.feature_names_[i] for i in keep]
    tfidf = TfidfTransformer(sublinear_tf=True)
    x_train = tfidf.fit_transform(counts[:, keep])
    classifier = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    if threshold is None:
        threshold = choose_threshold(classifier, x_train, labels)
    classifier.fit(x_train, labels)
    return LinearClaimModel(
        weights={n: (float(w), float(i)) for n, w, i in zip(names, classifier.coef_[0], tfidf.idf_, strict=True)},
        intercept=float(classifier.intercept_[0]),
        threshold=threshold,
        meta={},
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold", type=Path)
    parser.add_argument("--C", type=float, default=10.0)
    parser.add_argument("--min-df", type=int, default=2)
    parser.add_argument("--threshold", type=float, default=None, help="default: best out-of-fold F1 on train")
    args = parser.parse_args()

    rows = json.loads(args.gold.read_text(encoding="utf-8"))
    texts = [str(r["text"]) for r in rows]
    labels = np.array([int(r["label"]) for r in rows])
    held = np.array([in_holdout(t) for t in texts])
    nlp = load_nlp()
    features = [sentence_features(doc[:]) for doc in nlp.pipe(texts, batch_size=256)]

    train = ~held
    chosen = [f for f, t in zip(features, train, strict=True) if t]
    model = fit_linear(chosen, labels[train], args.C, args.min_df, args.threshold)
    scores = np.array([model.score(f) for f, h in zip(features, held, strict=True) if h])
    gold = labels[held]
    p, r, f1, _ = precision_recall_fscore_support(gold, scores >= model.threshold, average="binary")
    metrics = {
        "heldout_n": int(held.sum()),
        "heldout_positive": int(gold.sum()),
        "precision": round(float(p), 4),
        "recall": round(float(r), 4),
        "f1": round(float(f1), 4),
        "average_precision": round(float(average_precision_score(gold, scores)), 4),
    }
    model.meta.update(
        {
            "trained_on": "ClaimBuster-derived claimbuster-train.json (claimbuster-spotter split), "
            "minus the hash-held-out fifth; see MODEL_CARD.md",
            "train_n": int(train.sum()),
            "C": args.C,
            "min_df": args.min_df,
            "threshold_chosen_by": "fixed"
            if args.threshold is not None
            else "5-fold out-of-fold F1 on the training part",
            "heldout_metrics": metrics,
        }
    )
    OUT.write_text(model.to_json() + "\n", encoding="utf-8")
    json.dump(metrics, sys.stdout, indent=2)
    print(f"\nfeatures {len(model.weights)}, wrote {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
