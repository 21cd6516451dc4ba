"""Distil the transformer stance model into word polarity for the fast linear model.

    .venv/bin/python scripts/distill_word_polarity.py --train ../shared/gold/stance/newsmtsc-train.jsonl

Needs the optional extra ``transformer``. Every word of a vocabulary is read on its own by the
MiniLM stance model; p(positive) - p(negative) is written to
``src/communique/stance/data/distilled-polarity.tsv`` for words at least ``--min-polarity`` strong.
The vocabulary: the whole words of MiniLM's tokenizer, the words and lemmas seen at least twice in
the NewsMTSC train split, and the polarity lexicon's single-word cues. Nothing of the dev/test file
is read. Then retrain the linear model (``scripts/train_stance.py``), which learns how much these
polarities count in each scope relation.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from communique.nlp import load_nlp
from communique.stance.evaluate import read_gold
from communique.stance.lexicon import load_lexicon
from communique.stance.transformer import TransformerStanceModel

OUT = Path(__file__).resolve().parents[1] / "src/communique/stance/data/distilled-polarity.tsv"
WORD = re.compile(r"[a-z][a-z'\-]+")


def vocabulary(texts: Sequence[str], tokenizer_words: list[str]) -> list[str]:
    """Whole words of the tokenizer, words and lemmas seen twice in the texts, the lexicon's cues."""
    words = {w for w in tokenizer_words if WORD.fullmatch(w)}
    nlp = load_nlp()
    counts: Counter[str] = Counter()
    for doc in nlp.pipe(texts, batch_size=256, disable=["ner"]):
        for token in doc:
            if token.is_alpha:
                counts[token.lower_] += 1
                counts[token.lemma_.lower()] += 1
    words.update(w for w, n in counts.items() if n >= 2 and WORD.fullmatch(w))
    words.update(w for w in load_lexicon().single_words() if WORD.fullmatch(w))
    return sorted(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--min-polarity", type=float, default=0.2)
    args = parser.parse_args()

    teacher = TransformerStanceModel()
    texts = [sentence.text for sentence in read_gold(args.train)]
    words = vocabulary(texts, list(teacher.classifier.tokenizer.get_vocab()))
    rows = teacher.classifier.probabilities([(word, None) for word in words], batch_size=512)
    kept = []
    for word, (negative, _, positive) in zip(words, rows, strict=True):
        polarity = positive - negative
        if abs(polarity) >= args.min_polarity:
            kept.append(f"{word}\t{polarity:.3f}")
    header = (
        "# word<TAB>polarity: p(positive) - p(negative) of the minilm-stance model reading the word alone.\n"
        f"# Built by scripts/distill_word_polarity.py from {len(words)} words; |polarity| >= {args.min_polarity}.\n"
    )
    args.out.write_text(header + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} of {len(words)} words written to {args.out}")


if __name__ == "__main__":
    main()
