"""Sentence features for the check-worthiness model.

The same function feeds training (scripts/train_claims.py) and run time, so the shipped weights
always see features built exactly as they were learned. Features are strings, chosen to be read
back as explanations: ``w:percent`` (word), ``t:CD`` (fine POS tag), ``e:MONEY`` (entity type),
``d:nsubj>PRON`` (dependency), ``c:number`` (cue).

Token attributes are read once per document as integer arrays (``DocArrays``): building a spaCy
``Token`` object per attribute access costs more than the whole feature computation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, IS_SPACE, LEMMA, LIKE_NUM, LOWER, POS, TAG
from spacy.tokens import Doc, Span

from ..hashes import strings_of

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
_CUE_LEMMAS = REPORTING_LEMMAS | OPINION_LEMMAS
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
    # The same columns as spaCy's hashes (``_ATTRS`` order), for lookups by sorted search.
    hashes: np.ndarray = field(default_factory=lambda: np.zeros((0, len(_ATTRS)), dtype=np.uint64))

    @classmethod
    def of(cls, doc: Doc) -> DocArrays:
        if not len(doc):
            return cls([], [], [], [], [], [], [], [], [])
        strings = doc.vocab.strings
        table = doc.to_array(_ATTRS)
        columns = table.T.tolist()
        # HEAD is a relative offset stored as uint64: the int64 view wraps negatives back.
        head = (np.arange(len(doc), dtype=np.int64) + table[:, 7].astype(np.int64)).tolist()
        return cls(
            lower=strings_of(strings, columns[0]),
            lemma=strings_of(strings, columns[1], lowered=True),
            tag=strings_of(strings, columns[2]),
            ent=strings_of(strings, columns[3]),
            dep=strings_of(strings, columns[4]),
            pos=strings_of(strings, columns[5]),
            like_num=(table[:, 6] != 0).tolist(),
            head=head,
            space=(table[:, 8] != 0).tolist(),
            hashes=table,
        )


def sentence_features(sent: Span, arrays: DocArrays | None = None) -> list[str]:
    """Binary features of one sentence (duplicates removed, order irrelevant)."""
    return sorted(feature_set(sent, arrays))


def feature_set(sent: Span, arrays: DocArrays | None = None) -> set[str]:
    """The features of ``sentence_features`` as a set (scoring needs no order)."""
    a = arrays if arrays is not None else DocArrays.of(sent.doc)
    feats: set[str] = set()
    add = feats.add
    lowers, lemmas, tags, ents, deps, space, like_num = a.lower, a.lemma, a.tag, a.ent, a.dep, a.space, a.like_num
    previous_word = "<s>"
    previous_tag = "<s>"
    any_number = False
    last = ""
    for i in range(sent.start, sent.end):
        if space[i]:
            continue
        last = lowers[i]
        number = like_num[i]
        any_number = any_number or number
        word = "<num>" if number else last
        tag = tags[i]
        lemma = lemmas[i]
        add("w:" + word)
        add("l:" + lemma)
        add("b:" + previous_word + "_" + word)
        add("t:" + tag)
        add("tb:" + previous_tag + "_" + tag)
        if ents[i]:
            add("e:" + ents[i])
        dep = deps[i]
        if dep in DEPENDENCIES:
            add("d:" + dep + ">" + a.pos[i])
            if dep == "nsubj" or dep == "nsubjpass":
                add("sv:" + last + ">" + lemmas[a.head[i]])
        if lemma in _CUE_LEMMAS:
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
    return feats
