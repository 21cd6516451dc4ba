"""Sentence features for the check-worthiness model.

The same function feeds training (scripts/train_claims.py) and run time, so the shipped weights
always see features built exactly as they were learned. Features are strings, chosen to be read
back as explanations: ``w:percent`` (word), ``t:CD`` (fine POS tag), ``e:MONEY`` (entity type),
``d:nsubj>PRON`` (dependency), ``c:number`` (cue).

Token attributes are read once per document as integer arrays (``DocArrays``): building a spaCy
``Token`` object per attribute access costs more than the whole feature computation.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import DEP, ENT_TYPE, HEAD, IS_SPACE, LEMMA, LIKE_NUM, LOWER, POS, TAG
from spacy.tokens import Doc, Span

# Lemmas of verbs that report or attribute; a claim often rests on who said or found what.
REPORTING_LEMMAS = frozenset(
    [
        "say",
        "tell",
        "state",
        "report",
        "announce",
        "claim",
        "find",
        "show",
        "reveal",
        "estimate",
        "accuse",
        "allege",
        "confirm",
        "deny",
        "warn",
        "admit",
        "acknowledge",
        "insist",
        "declare",
        "testify",
    ]
)
# Opinion markers: these make a sentence argument, not a checkable fact.
OPINION_LEMMAS = frozenset(
    [
        "believe",
        "think",
        "feel",
        "hope",
        "should",
        "must",
        "need",
        "want",
        "wish",
        "deserve",
        "reliable",
        "responsible",
        "important",
        "crucial",
        "vital",
    ]
)
DEPENDENCIES = frozenset({"nsubj", "nsubjpass", "dobj", "ROOT", "aux", "neg", "advmod", "amod", "pobj"})
_ATTRS = [LOWER, LEMMA, TAG, ENT_TYPE, DEP, POS, LIKE_NUM, HEAD, IS_SPACE]


@dataclass(frozen=True)
class DocArrays:
    """Per-token strings and flags of one document, as plain Python lists."""

    lower: list[str]
    lemma: list[str]  # lower-cased
    tag: list[str]
    ent: list[str]
    dep: list[str]
    pos: list[str]
    like_num: list[bool]
    head: list[int]  # absolute index of the head token
    space: list[bool]

    @classmethod
    def of(cls, doc: Doc) -> DocArrays:
        if not len(doc):
            return cls([], [], [], [], [], [], [], [], [])
        strings = doc.vocab.strings
        columns = doc.to_array(_ATTRS).T.tolist()

        def texts(column: list[int]) -> list[str]:
            names = {h: strings[h] if h else "" for h in set(column)}
            return [names[h] for h in column]

        lemma = [w.lower() for w in texts(columns[1])]
        # HEAD is a relative offset stored as uint64: wrap negatives back.
        head = [i + (h if h < 2**63 else h - 2**64) for i, h in enumerate(columns[7])]
        return cls(
            lower=texts(columns[0]),
            lemma=lemma,
            tag=texts(columns[2]),
            ent=texts(columns[3]),
            dep=texts(columns[4]),
            pos=texts(columns[5]),
            like_num=[bool(v) for v in columns[6]],
            head=head,
            space=[bool(v) for v in columns[8]],
        )


def sentence_features(sent: Span, arrays: DocArrays | None = None) -> list[str]:
    """Binary features of one sentence (duplicates removed, order irrelevant)."""
    a = arrays if arrays is not None else DocArrays.of(sent.doc)
    feats: set[str] = set()
    add = feats.add
    previous_word = "<s>"
    previous_tag = "<s>"
    any_number = False
    last = ""
    for i in range(sent.start, sent.end):
        if a.space[i]:
            continue
        last = a.lower[i]
        number = a.like_num[i]
        any_number = any_number or number
        word = "<num>" if number else a.lower[i]
        tag = a.tag[i]
        lemma = a.lemma[i]
        add("w:" + word)
        add("l:" + lemma)
        add("b:" + previous_word + "_" + word)
        add("t:" + tag)
        add("tb:" + previous_tag + "_" + tag)
        if a.ent[i]:
            add("e:" + a.ent[i])
        dep = a.dep[i]
        if dep in DEPENDENCIES:
            add("d:" + dep + ">" + a.pos[i])
            if dep == "nsubj" or dep == "nsubjpass":
                add("sv:" + a.lower[i] + ">" + a.lemma[a.head[i]])
        if (tag == "VBD" or tag == "VBN") and lemma in REPORTING_LEMMAS:
            add("c:reported")
        if lemma in OPINION_LEMMAS:
            add("c:opinion")
        previous_word, previous_tag = word, tag
    add("b:" + previous_word + "_</s>")
    n = len(sent)
    add("c:len" + ("<6" if n < 6 else "<12" if n < 12 else "<25" if n < 25 else "25+"))
    if any_number:
        add("c:number")
    if last.endswith("?"):
        add("c:question")
    return sorted(feats)
