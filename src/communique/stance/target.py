"""Target-dependent sentiment: how a sentence treats one span of it, not the sentence as a whole.

Cues from the polarity lexicon are assigned a *scope relation* to the target through the
dependency parse (the target's own head noun and its modifiers, relative clauses attached to it,
the predicate of the clause it is subject of, the verb it is object of, ...). The per-relation cue
sums and relation-tagged lemmas are the features of a small logistic-regression model trained on
NewsMTSC; without a model the relation-weighted cue sum is the score. Everything is explainable:
each result carries the cues that fired with their relation and value.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from spacy.attrs import DEP, HEAD, IDX, IS_ALPHA, LEMMA, LOWER, ORTH, POS, SENT_START
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc

from ..blas import one_blas_thread
from ..datafiles import package_data
from ..hashes import WordIndex, member, string_of
from .distilled import NEGATIVE, POSITIVE, SIGNED, add_distilled_features, load_distilled
from .lexicon import Lexicon
from .student import (
    StudentInput,
    StudentModel,
    cue_values,
    encode_target,
    encode_targets,
    encode_window,
    encode_windows,
    window,
)

MODEL_FILE = "data/stance-model.json"

# Climbing from a mention to the noun that stands for it: "India's provocations", "Indian
# sponsorship", "the government of India" all make the head noun the target's own act or attribute.
_OWNER_DEPS = {"poss", "compound", "amod", "nmod", "appos", "nummod"}
_SUBJECT_DEPS = {"nsubj", "csubj", "expl"}
_PATIENT_DEPS = {"nsubjpass", "csubjpass", "dobj", "dative", "oprd"}
_MODIFIER_DEPS = {"amod", "compound", "appos", "nmod", "acomp", "advmod", "npadvmod"}
_CLAUSE_DEPS = {"relcl", "acl"}
# Predicate parts of the target's own clause, as opposed to embedded clauses with their own subject.
_FAR_DEPS = {"ccomp", "advcl", "conj", "parataxis"}
# Lemmas opening a contrastive phrase ("unlike ...", "in contrast to ...", "rather than ...").
_CONTRAST_LEMMAS = {"unlike", "contrast", "comparison", "compare", "opposed", "instead", "rather", "than",
                    "despite", "although", "though", "whereas"}
# Single dependency labels the scope rules test.
_DEP_LABELS = (
    "pobj", "conj", "prep", "agent", "attr", "neg", "det", "advmod", "amod", "compound", "ROOT", "punct", "cc"
)
_QUOTE_MARKS = {'"', "“", "”"}
_PUNCT_FEATURES = {'"', "“", "”", "?", "!"}
_NON_CUE_POS = {"ADP", "PRON", "DET", "CCONJ", "SCONJ", "AUX", "PROPN", "NUM", "PART"}
_CONTENT_POS = {"NOUN", "VERB", "ADJ", "ADV", "PROPN", "INTJ"}

# How much a cue counts toward the target, by scope relation (used when no model is shipped, and
# for ranking evidence cues).
RELATION_WEIGHTS: dict[str, float] = {
    "self": 1.0,
    "head": 1.0,
    "mod": 1.0,
    "relcl": 0.9,
    "pred": 0.9,
    "verb": 0.6,
    "patient_verb": 0.9,
    "pp_head": 0.6,
    "obj": 0.5,
    "far": 0.3,
    # "in contrast to X's provocations": what the target is contrasted with reflects on it inversely.
    "contrast": -0.3,
    "context": 0.15,
}
RELATIONS = tuple(RELATION_WEIGHTS)
LABELS = ("negative", "neutral", "positive")
# The student is consulted only when the linear model is less sure than this: where it is sure, the
# two agree (on NewsMTSC dev/test, consulting it always or only below 0.8 gives the same macro-F1).
STUDENT_BELOW = 0.8
# Lemmas whose context-word class scores are kept (a few MB at most).
CONTEXT_CACHE_SIZE = 200_000
# A word row not looked up yet (None means looked up and absent from the model).
_UNSEEN: list[float] = []


@dataclass(frozen=True)
class Cue:
    """A lexicon hit: tokens [start, end) of the doc; ``head`` is the token that carries it."""

    start: int
    end: int
    head: int
    text: str
    prior: float
    situational: bool = False


@dataclass
class CueHit:
    cue: Cue
    relation: str
    value: float  # prior after negation / intensifiers

    @property
    def weighted(self) -> float:
        return self.value * RELATION_WEIGHTS[self.relation]


@dataclass
class TargetSentiment:
    score: float  # p(positive) - p(negative), in [-1, 1]
    label: str
    probabilities: dict[str, float]
    cues: list[CueHit] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)
    lexical: float = 0.0  # the scoped-lexicon score alone, in [-1, 1]
    # (relation, lemma) of the target's word features, in the order first met: what the evidence
    # reads for learned words (the fast path keeps these, not the ``relation|lemma`` names).
    words: list[tuple[str, str]] = field(default_factory=list)

    def settle(self, probabilities: dict[str, float]) -> None:
        """Final probabilities; the score and label follow from them."""
        self.probabilities = probabilities
        self.score = probabilities["positive"] - probabilities["negative"]
        self.label = max(LABELS, key=lambda k: probabilities[k])

    @property
    def blended(self) -> float:
        """Classifier and scoped lexicon averaged: the model learned US news about people, the
        lexicon carries international-affairs vocabulary and contrast, so the stage hears both."""
        return (self.score + self.lexical) / 2.0

    def evidence_cues(self, sign: int = 0) -> list[CueHit]:
        """Cues that pull in the direction of the label (or of ``sign``), strongest first."""
        sign = sign or (1 if self.score > 0 else -1)
        hits = [h for h in self.cues if h.relation != "context" and h.weighted * sign > 0]
        return sorted(hits, key=lambda h: -abs(h.weighted))


@dataclass
class LinearModel:
    """Multinomial logistic regression stored as feature -> weights per class (no sklearn at run time)."""

    weights: dict[str, list[float]]
    bias: list[float]
    labels: list[str]
    # Word polarity distilled from the transformer, when the model was trained with it.
    distilled: Mapping[str, float] | None = None
    _context_rows: dict[str, list[float] | None] = field(default_factory=dict, repr=False)
    _word_rows: dict[tuple[str, str], list[float] | None] = field(default_factory=dict, repr=False)
    _named_rows: dict[tuple[str, str], list[float] | None] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        # The table the model was trained with, named relative to the model file.
        table = data.get("distilled_polarity")
        distilled = load_distilled(str(path.parent / table)) if table else None
        return cls(weights=data["weights"], bias=data["bias"], labels=data["labels"], distilled=distilled)

    def context_row(self, lemma: str) -> list[float] | None:
        """Class scores of one context word at weight 1: its own weights plus its distilled
        polarity times the ``dpol*:ctx`` weights (the linear model makes the two separable).
        Kept per lemma: every sentence asks again for the same words."""
        cache = self._context_rows
        if lemma in cache:
            return cache[lemma]
        row = self._context_row(lemma)
        if len(cache) < CONTEXT_CACHE_SIZE:
            cache[lemma] = row
        return row

    def _context_row(self, lemma: str) -> list[float] | None:
        return self._folded_row("ctx|" + lemma, "ctx", lemma)

    def _word_row(self, prefix: str, relation: str, lemma: str) -> list[float] | None:
        """Class scores of the word feature ``prefix|lemma``, kept per (prefix, lemma) as ``context_row``."""
        row = self._folded_row(f"{prefix}|{lemma}", relation, lemma)
        if len(self._word_rows) < CONTEXT_CACHE_SIZE:
            self._word_rows[(prefix, lemma)] = row
        return row

    def _folded_row(self, name: str, relation: str, lemma: str) -> list[float] | None:
        """The weights of feature ``name`` at weight 1 plus the word's distilled polarity times the
        ``dpol*:relation`` weights: the two sum separably, so one row stands for both."""
        row = self.weights.get(name)
        polarity = self.distilled.get(lemma) if self.distilled is not None else None
        if polarity is None:
            return row
        total = list(row) if row is not None else [0.0, 0.0, 0.0]
        split = (POSITIVE if polarity > 0 else NEGATIVE) + relation
        for weight_name, factor in ((SIGNED + relation, polarity), (split, abs(polarity))):
            weights = self.weights.get(weight_name)
            if weights is not None:
                total = [t + w * factor for t, w in zip(total, weights, strict=True)]
        return total

    def named_row(self, prefix: str, name: str) -> list[float] | None:
        """The weights of feature ``prefix + name``, kept per (prefix, name): the fast path asks for
        the same few hundred features (roles, cue relations, punctuation) without building names."""
        key = (prefix, name)
        row = self._named_rows.get(key, _UNSEEN)
        if row is _UNSEEN:
            row = self.weights.get(prefix + name)
            if len(self._named_rows) < CONTEXT_CACHE_SIZE:
                self._named_rows[key] = row
        return row

    def word_scores(self, words: Sequence[tuple[str, str, str]]) -> tuple[float, float, float]:
        """Class scores of the word features (prefix, relation, lemma), each at weight 1, from the
        per-word rows: the fast path's sum of what training names ``prefix|lemma`` and ``dpol*``."""
        known = self._word_rows
        s0 = s1 = s2 = 0.0
        for prefix, relation, lemma in words:
            row = known.get((prefix, lemma), _UNSEEN)
            if row is _UNSEEN:
                row = self._word_row(prefix, relation, lemma)
            if row is not None:
                s0 += row[0]
                s1 += row[1]
                s2 += row[2]
        return s0, s1, s2

    def probabilities(
        self, features: dict[str, float], offset: tuple[float, float, float] = (0.0, 0.0, 0.0)
    ) -> dict[str, float]:
        """``offset``: class scores already summed elsewhere (the context words, on the fast path)."""
        s0, s1, s2 = (b + o for b, o in zip(self.bias, offset, strict=True))
        weights = self.weights
        for name, value in features.items():
            row = weights.get(name)
            if row is not None:
                s0 += row[0] * value
                s1 += row[1] * value
                s2 += row[2] * value
        return self.softmax((s0, s1, s2))

    def softmax(self, scores: tuple[float, float, float]) -> dict[str, float]:
        """Class probabilities of the class scores (bias included)."""
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.labels, exps, strict=True)}


def load_model() -> LinearModel | None:
    path = package_data("communique.stance", MODEL_FILE)
    return LinearModel.load(path) if path.is_file() else None


class CueFinder:
    """Finds lexicon cues in a parsed doc.

    Candidates are found by token hashes (lower form and lemma, from one ``doc.to_array``) in
    sorted arrays of the lexicon's hashes, for the whole doc at once; only phrase hits build Tokens.
    """

    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        strings = nlp.vocab.strings
        self._word_hashes = frozenset(strings.add(w) for w in lexicon.words)
        # Phrases by their first lemma, longest first, as lemma tuples from the same pipeline.
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        patterns = list(nlp.pipe(lexicon.phrases, disable=["parser", "ner"]))
        for cue, pattern in zip(lexicon.phrases, patterns, strict=True):
            lemmas = tuple(t.lemma_.lower() for t in pattern)
            self._phrases.setdefault(lemmas[0], []).append((lemmas, cue))
        for options in self._phrases.values():
            options.sort(key=lambda option: -len(option[0]))
        self._phrase_hashes = frozenset(strings.add(f) for f in self._phrases)
        # The same hash sets as sorted arrays, to pick candidates for a whole doc in one vectorised test.
        self._word_array = np.array(sorted(self._word_hashes), dtype=np.uint64)
        self._phrase_array = np.array(sorted(self._phrase_hashes), dtype=np.uint64)
        self._non_cue_pos = frozenset(POS_IDS[p] for p in _NON_CUE_POS)
        self._non_cue_array = np.array(sorted(self._non_cue_pos), dtype=np.uint64)
        # Dependency labels as the ids spaCy stores (``Token.dep_ = x`` stores ``strings.add(x)``).
        self.dep_ids = {label: strings.add(label) for label in _DEP_LABELS}
        self.owner_deps = frozenset(strings.add(label) for label in _OWNER_DEPS)
        self.subject_deps = frozenset(strings.add(label) for label in _SUBJECT_DEPS)
        self.patient_deps = frozenset(strings.add(label) for label in _PATIENT_DEPS)
        self.passive_deps = frozenset(strings.add(label) for label in _PATIENT_DEPS if label.endswith("pass"))
        self.modifier_deps = frozenset(strings.add(label) for label in _MODIFIER_DEPS)
        self.clause_deps = frozenset(strings.add(label) for label in _CLAUSE_DEPS)
        self.far_deps = frozenset(strings.add(label) for label in _FAR_DEPS)
        self.content_pos = frozenset(POS_IDS[p] for p in _CONTENT_POS)
        self.contrast_hashes = frozenset(strings.add(w) for w in _CONTRAST_LEMMAS)
        self.of_by_hashes = frozenset(strings.add(w) for w in ("of", "by"))
        self.punct_hashes = {strings.add(p): p for p in _PUNCT_FEATURES}
        self.content_array = np.array(sorted(self.content_pos), dtype=np.uint64)
        self.punct_array = np.array(sorted(self.punct_hashes), dtype=np.uint64)
        self.contrast_array = np.array(sorted(self.contrast_hashes), dtype=np.uint64)
        self.modifiers = lexicon.modifiers
        # Hashes a modifier word's form or lemma can have, to find a doc's modifiers in one search
        # (each candidate is then checked by ``modifier``, so a spare variant costs nothing).
        variants = {v for w in lexicon.modifiers for v in (w, w.title(), w.upper()) if " " not in w}
        self.modifier_array = np.array(sorted({strings.add(v) for v in variants}), dtype=np.uint64)
        # Hash -> string tables shared by every doc (a doc's strings are looked up once per type).
        self.strings = strings
        self._modifier_by_hash: dict[int, tuple[str, float] | None] = {}

    def find(self, doc: Doc, columns: np.ndarray | None = None) -> dict[int, Cue]:
        """Cues keyed by the index of the token that carries them (phrase cues by their root).

        ``columns``: the doc's ``to_array([LOWER, LEMMA, POS, IS_ALPHA, ...])`` if already computed."""
        cues: dict[int, Cue] = {}
        if not len(doc):
            return cues
        if columns is None:
            columns = doc.to_array([LOWER, LEMMA, POS, IS_ALPHA])
        lower, lemma = columns[:, 0], columns[:, 1]
        covered: set[int] = set()
        phrase_starts = np.flatnonzero(member(lower, self._phrase_array) | member(lemma, self._phrase_array))
        for i in phrase_starts.tolist():
            if i not in covered:
                self._match_phrase(doc, i, cues, covered)
        # Names are not opinions: "United States", "Freedom Party".
        candidates = np.flatnonzero(
            (member(lower, self._word_array) | member(lemma, self._word_array))
            & (columns[:, 3] != 0)
            & ~member(columns[:, 2], self._non_cue_array)
        )
        words = self.lexicon.words
        for i in candidates.tolist():
            if i in covered:
                continue
            # The surface form first, so a neutral override ("goods": 0) blocks the lemma ("good").
            key = self.string(int(lower[i]))
            prior = words.get(key)
            if prior is None:
                key = self.lowered_string(int(lemma[i]))
                prior = words.get(key)
            if prior:
                situational = key in self.lexicon.situational
                text = self.string(int(columns[i, 4])) if columns.shape[1] > 4 else doc[i].text
                cues[i] = Cue(i, i + 1, i, text, prior, situational)
        return cues

    def _match_phrase(self, doc: Doc, i: int, cues: dict[int, Cue], covered: set[int]) -> None:
        first = doc[i]
        options = self._phrases.get(first.lemma_.lower()) or self._phrases.get(first.lower_) or []
        for lemmas, cue in options:
            end = i + len(lemmas)
            if end > len(doc) or any(doc[i + k].lemma_.lower() != lemmas[k] for k in range(1, len(lemmas))):
                continue
            covered.update(range(i, end))
            prior = self.lexicon.phrases[cue]
            if prior:
                span = doc[i:end]
                root = span.root.i
                cues[root] = Cue(i, end, root, span.text, prior, cue in self.lexicon.situational)
            return

    def lowered_string(self, key: int) -> str:
        """Lower-cased string of a lemma/form hash, each type converted once per process."""
        return string_of(self.strings, key, lowered=True)

    def string(self, key: int) -> str:
        return string_of(self.strings, key)

    def modifier(self, key: int) -> tuple[str, float] | None:
        """The modifier entry of a lemma/form hash (lower-cased), memoised per hash."""
        try:
            return self._modifier_by_hash[key]
        except KeyError:
            kind = self._modifier_by_hash[key] = self.modifiers.get(self.lowered_string(key))
            return kind


_NOUN, _PROPN, _PRON, _AUX, _VERB, _ADP, _ADJ = (
    POS_IDS[p] for p in ("NOUN", "PROPN", "PRON", "AUX", "VERB", "ADP", "ADJ")
)
_NOUNS = frozenset({_NOUN, _PROPN})
_VERBS = frozenset({_VERB, _AUX})
_NEGATABLE_POS = frozenset({_VERB, _NOUN, _ADP, _ADJ})


def _relation_of(cue: Cue, relation: dict[int, str]) -> str:
    rel = relation.get(cue.head, "context")
    if cue.situational and rel in ("head", "mod", "self"):
        return "far"
    return rel


def _tree_features(features: dict[str, float], heads: list[int], root: int, hits: list[CueHit]) -> None:
    """Cue values weighted by dependency-tree distance to the target: a soft scope for cues the
    relation rules leave as context."""
    if not hits:
        return
    positive, negative = _tree_values(heads, root, hits)
    features["tree:pos"] = positive
    features["tree:neg"] = negative
    features["tree:lex"] = positive - negative


def _tree_values(heads: list[int], root: int, hits: list[CueHit]) -> tuple[float, float]:
    """(positive, negative) sums of ``_tree_features``."""
    depth_of: dict[int, int] = {}
    node, depth = root, 0
    while node not in depth_of:
        depth_of[node] = depth
        node, depth = heads[node], depth + 1
    positive = negative = 0.0
    for hit in hits:
        node, steps = hit.cue.head, 0
        while node not in depth_of and steps < 40:
            parent = heads[node]
            if parent == node:
                break
            node, steps = parent, steps + 1
        distance = steps + depth_of.get(node, 40)
        value = hit.value / (1.0 + distance)
        if value > 0:
            positive += value
        else:
            negative -= value
    return positive, negative


@dataclass
class _SentenceInfo:
    """Per-sentence work shared by every target in the sentence."""

    start: int  # token bounds of the sentence
    end: int
    content: list[tuple[int, str]]  # (token index, lower-case lemma) of content words
    punct: list[str]
    cues: list[tuple[Cue, float]]  # cue and its value after negation / intensifiers
    contrast: frozenset[int]
    quotes: list[int]  # indices of quote marks
    # Context lemmas known to the model, built on first use: their weight rows (3 class scores
    # each), and every occurrence as (lemma row index, token position).
    ctx_rows: list[list[float]] | None = None
    punct_scores: tuple[float, float, float] | None = None  # the ``punct:`` features' class scores
    ctx_lemma: list[int] = field(default_factory=list)
    ctx_position: list[int] = field(default_factory=list)


class DocCues:
    """Cues of one parsed doc, its dependency tree as plain lists, and lazily built per-sentence
    caches; make one per doc.

    The tree walks of every mention read these lists instead of spaCy ``Token`` objects (a Token
    is built per attribute access), and per-doc work stays in numpy: long docs with few mentions
    must not pay per token in Python.
    """

    def __init__(self, doc: Doc, finder: CueFinder) -> None:
        self.doc = doc
        self.finder = finder
        n = len(doc)
        table = doc.to_array([LOWER, LEMMA, POS, IS_ALPHA, ORTH, DEP, IDX, HEAD, SENT_START]).reshape(n, 9)
        # HEAD is a relative offset stored as uint64: the int64 view wraps negatives back.
        heads = np.arange(n, dtype=np.int64) + table[:, 7].astype(np.int64)
        self.cues = finder.find(doc, table)
        columns: list[list[int]] = table[:, :7].T.tolist()
        self.lower_ids, self.lemma_ids, self.pos, self.alpha, self.orth_ids, self.dep_ids, self._idx = columns
        self._text_end = -1  # character end of the doc, read when first needed
        self.heads: list[int] = heads.tolist()
        # Children by binary search in the tokens sorted by head (stable: document order, as
        # Token.children gives them).
        order = np.argsort(heads, kind="stable")
        self._by_head: list[int] = order.tolist()
        self._sorted_heads: list[int] = heads[order].tolist()
        self._children: dict[int, list[int]] = {}
        self._edges: dict[int, tuple[int, int]] = {}
        self._values: dict[int, float] = {}
        self._sentences: dict[int, _SentenceInfo] = {}
        # Sentence bounds as Doc.sents draws them (a new sentence at each SENT_START == 1).
        starts = np.flatnonzero(table[1:, 8].astype(np.int64) == 1) + 1 if n else np.zeros(0, dtype=np.int64)
        if n and "sents" not in doc.user_hooks and (len(starts) or table[0, 8] == 1):
            self._sent_starts = [0, *starts.tolist()]
            self._sent_ends = [*self._sent_starts[1:], n]
        else:  # custom or missing sentence boundaries: let spaCy decide (or raise)
            sents = list(doc.sents) if n else []
            self._sent_starts = [sent.start for sent in sents]
            self._sent_ends = [sent.end for sent in sents]
        self._cue_heads = sorted(self.cues)
        self._table = table
        self.lower_hashes, self.lemma_hashes = table[:, 0], table[:, 1]
        self._classes: tuple[list[int], list[int], list[int]] | None = None
        self._modifier_children: dict[int, list[int]] | None = None

    # --- tokens and the tree ----------------------------------------------------------------------

    def lemma(self, i: int) -> str:
        """Lower-cased lemma, as the features use it."""
        return self.finder.lowered_string(self.lemma_ids[i])

    def dep(self, i: int) -> str:
        return str(self.finder.strings[self.dep_ids[i]])

    def children(self, i: int) -> list[int]:
        children = self._children.get(i)
        if children is None:
            lo = bisect_left(self._sorted_heads, i)
            hi = bisect_right(self._sorted_heads, i, lo)
            children = self._children[i] = [j for j in self._by_head[lo:hi] if j != i]
        return children

    def edges(self, i: int) -> tuple[int, int]:
        """(left edge, right edge) of the token's subtree, as spaCy stores them."""
        edges = self._edges.get(i)
        if edges is None:
            token = self.doc[i]
            edges = self._edges[i] = (token.left_edge.i, token.right_edge.i)
        return edges

    def subtree(self, i: int) -> range:
        left, right = self.edges(i)
        return range(left, right + 1)

    def root_of(self, start: int, end: int) -> int:
        """``Span.root`` (a one-token span is its own root)."""
        if end - start == 1:
            return start
        return int(self.doc[start:end].root.i)

    def token_span(self, start_char: int, end_char: int) -> tuple[int, int] | None:
        """Token range of ``doc.char_span(start_char, end_char, alignment_mode="expand")``."""
        start = self._token_at(start_char)
        end = self._token_at(end_char - 1)
        if start < 0 or end < 0:
            return None
        if start_char > self._idx[start] and start_char == self._covered_end(start) - 1:
            token = self.doc[start]
            if start_char == token.idx + len(token):
                start += 1  # trailing whitespace is not part of the previous token
        if start > end + 1:  # inverted range: let spaCy decide what it means
            span = self.doc.char_span(start_char, end_char, alignment_mode="expand")
            return None if span is None else (span.start, span.end)
        return start, end + 1

    def _token_at(self, char: int) -> int:
        """The token whose text or trailing whitespace holds the character, else -1."""
        i = bisect_right(self._idx, char) - 1
        if i < 0 or char >= self._covered_end(i):
            return -1
        return i

    def _covered_end(self, i: int) -> int:
        """End of token i with its trailing whitespace: where the next token starts."""
        if i + 1 < len(self._idx):
            return self._idx[i + 1]
        if self._text_end < 0:
            last = self.doc[i]
            self._text_end = last.idx + len(last.text_with_ws)
        return self._text_end

    # --- cues -----------------------------------------------------------------------------------

    def value(self, cue: Cue) -> float:
        value = self._values.get(cue.head)
        if value is None:
            value = self._values[cue.head] = self._modified_value(cue)
        return value

    def _modifier_kind(self, i: int) -> tuple[str, float] | None:
        return self.finder.modifier(self.lemma_ids[i]) or self.finder.modifier(self.lower_ids[i])

    def _modified_value(self, cue: Cue) -> float:
        """Apply negation up to the clause head, and intensifiers on the cue or its head."""
        value = cue.prior
        dep_ids, pos, d = self.dep_ids, self.pos, self.finder.dep_ids
        modifier, lemma_ids, lower_ids = self.finder.modifier, self.lemma_ids, self.lower_ids
        negator_deps = (d["neg"], d["det"])
        scaling_deps = (d["advmod"], d["amod"])
        modifier_children = self.modifier_children()
        node = cue.head
        for hop in range(6):
            for child in modifier_children.get(node, ()):
                kind = modifier(lemma_ids[child]) or modifier(lower_ids[child])
                if kind is None:
                    continue
                negates = kind[0] == "negator" and (dep_ids[child] in negator_deps or self.lemma(child) == "never")
                scales = kind[0] != "negator" and hop <= 1 and dep_ids[child] in scaling_deps
                if negates or scales:
                    value *= kind[1]
            if hop > 0:
                kind = self._modifier_kind(node)
                if kind is not None and kind[0] == "negator" and pos[node] in _NEGATABLE_POS:
                    value *= kind[1]
            if pos[node] in _VERBS or dep_ids[node] == d["ROOT"]:
                break
            node = self.heads[node]
        return max(-1.0, min(1.0, value))

    def modifier_children(self) -> dict[int, list[int]]:
        """The children that are negators or intensifiers, by head, in document order: the only
        children negation and intensity read, found for the whole doc in one search."""
        if self._modifier_children is None:
            finder, table = self.finder, self._table
            found: dict[int, list[int]] = {}
            candidates = member(table[:, 0], finder.modifier_array) | member(table[:, 1], finder.modifier_array)
            heads, modifier = self.heads, finder.modifier
            for i in np.flatnonzero(candidates).tolist():
                if heads[i] != i and (modifier(self.lemma_ids[i]) or modifier(self.lower_ids[i])):
                    found.setdefault(heads[i], []).append(i)
            self._modifier_children = found
        return self._modifier_children

    def has_cues(self, token_index: int) -> bool:
        """Whether the token's sentence holds any cue (without building the sentence cache)."""
        if not self._sent_starts:
            return False
        s = bisect_right(self._sent_starts, token_index) - 1
        k = bisect_left(self._cue_heads, self._sent_starts[s])
        return k < len(self._cue_heads) and self._cue_heads[k] < self._sent_ends[s]

    def _word_classes(self) -> tuple[list[int], list[int], list[int]]:
        """Indices of content words, feature punctuation and contrast words, for the whole doc at once."""
        if self._classes is None:
            table, finder = self._table, self.finder
            content = member(table[:, 2], finder.content_array) & (table[:, 3] != 0)
            punct = member(table[:, 4], finder.punct_array) & ~content
            contrast = member(table[:, 1], finder.contrast_array)
            self._classes = (
                np.flatnonzero(content).tolist(),
                np.flatnonzero(punct).tolist(),
                np.flatnonzero(contrast).tolist(),
            )
        return self._classes

    def sentence(self, token_index: int) -> _SentenceInfo:
        s = bisect_right(self._sent_starts, token_index) - 1
        sent_start, sent_end = self._sent_starts[s], self._sent_ends[s]
        info = self._sentences.get(sent_start)
        if info is None:
            content: list[tuple[int, str]] = []
            punct: list[str] = []
            cues: list[tuple[Cue, float]] = []
            contrast: set[int] = set()
            quotes: list[int] = []
            finder = self.finder
            lemma_ids, orth_ids = self.lemma_ids, self.orth_ids
            content_at, punct_at, contrast_at = self._word_classes()
            for i in content_at[bisect_left(content_at, sent_start) : bisect_left(content_at, sent_end)]:
                content.append((i, finder.lowered_string(lemma_ids[i])))
            for i in punct_at[bisect_left(punct_at, sent_start) : bisect_left(punct_at, sent_end)]:
                text = finder.punct_hashes[orth_ids[i]]
                punct.append(text)
                if text in _QUOTE_MARKS:
                    quotes.append(i)
            contrast.update(contrast_at[bisect_left(contrast_at, sent_start) : bisect_left(contrast_at, sent_end)])
            heads_in_sentence = self._cue_heads[
                bisect_left(self._cue_heads, sent_start) : bisect_left(self._cue_heads, sent_end)
            ]
            for i in heads_in_sentence:
                cue = self.cues[i]
                cues.append((cue, self.value(cue)))
            info = self._sentences[sent_start] = _SentenceInfo(
                sent_start, sent_end, content, punct, cues, frozenset(contrast), quotes
            )
        return info

    # --- scope ----------------------------------------------------------------------------------

    def is_contrast(self, phrase: int, contrast: frozenset[int]) -> bool:
        """A phrase that opens with a contrast word, looking at its first few tokens only."""
        if not contrast:
            return False
        first, last = self.edges(phrase)
        return any(i in contrast for i in range(first, min(first + 3, last + 1)))

    def anchor(self, root: int) -> tuple[int, list[int]]:
        """The node that stands for the target in its clause, and the nodes climbed on the way.

        "India's provocations", "Indian sponsorship", "the government of India" all make the head
        noun the target's own act or attribute."""
        dep_ids, heads, pos, d = self.dep_ids, self.heads, self.pos, self.finder.dep_ids
        owner = self.finder.owner_deps
        path: list[int] = []
        node = root
        for _ in range(4):
            dep, head = dep_ids[node], heads[node]
            if dep in owner and pos[head] in _NOUNS:
                node = head
            elif dep == d["pobj"] and self.lemma_ids[head] in self.finder.of_by_hashes and pos[heads[head]] == _NOUN:
                node = heads[head]
            elif dep == d["conj"]:
                node = head
                continue
            else:
                break
            path.append(node)
        return node, path

    def scope_relations(
        self, start: int, end: int, root: int, sentence: tuple[int, int], contrast: frozenset[int]
    ) -> tuple[dict[int, str], int, int | None]:
        """Relation of each token of the sentence to the target [start, end) (unlisted: context);
        also the anchor node and the verb the target depends on (token indices)."""
        finder = self.finder
        dep_ids, heads, pos, d = self.dep_ids, self.heads, self.pos, finder.dep_ids
        relation: dict[int, str] = {}
        setdefault = relation.setdefault

        def mark(ids: range, rel: str) -> None:
            for i in ids:
                setdefault(i, rel)

        mark(range(start, end), "self")
        anchor, climbed = self.anchor(root)
        for node in climbed:
            setdefault(node, "head")
        for node in dict.fromkeys([anchor, *climbed]):
            for child in self.children(node):
                if start <= child < end:
                    continue
                dep = dep_ids[child]
                if dep in finder.clause_deps:
                    mark(self.subtree(child), "relcl")
                elif dep == d["prep"] and node == anchor:
                    mark(self.subtree(child), "contrast" if self.is_contrast(child, contrast) else "far")
                elif dep in finder.modifier_deps:
                    mark(self.subtree(child), "mod")
        mark(self.subtree(anchor), "_own")  # the rest of the anchor phrase, refined below
        verb: int | None = None
        head = heads[anchor]
        dep = dep_ids[anchor]
        if dep in finder.subject_deps or dep == d["agent"] or (dep == d["pobj"] and dep_ids[head] == d["agent"]):
            verb = head if dep != d["pobj"] else heads[head]
            setdefault(verb, "verb")
            self._mark_predicate(verb, anchor, mark, "pred", contrast)
        elif dep in finder.patient_deps:
            verb = head
            setdefault(verb, "patient_verb")
            self._mark_predicate(verb, anchor, mark, "pred" if dep in finder.passive_deps else "far", contrast)
        elif dep == d["attr"] and pos[head] == _AUX:
            verb = head
            for child in self.children(head):
                if dep_ids[child] in finder.subject_deps:
                    mark(self.subtree(child), "pred")
        elif dep == d["pobj"] and dep_ids[head] == d["prep"]:
            governor = heads[head]
            if pos[governor] in _VERBS:
                verb = governor
                setdefault(governor, "patient_verb")
            else:
                setdefault(governor, "pp_head")
                for child in self.children(governor):
                    if dep_ids[child] in (d["amod"], d["compound"]) and child != head:
                        mark(self.subtree(child), "pp_head")
        for i, rel in relation.items():
            if rel == "_own" and sentence[0] <= i < sentence[1]:
                relation[i] = "mod"
        return relation, anchor, verb

    def _mark_predicate(
        self, verb: int, anchor: int, mark: Callable[[range, str], None], near: str, contrast: frozenset[int]
    ) -> None:
        dep_ids, finder, d = self.dep_ids, self.finder, self.finder.dep_ids
        for child in self.children(verb):
            left, right = self.edges(child)
            dep = dep_ids[child]
            if left <= anchor <= right or dep == d["punct"] or dep == d["cc"]:
                continue
            if self.is_contrast(child, contrast):
                rel = "contrast"
            elif dep in finder.far_deps:
                rel = "far"
            elif dep in finder.patient_deps and near == "pred":
                rel = "obj"
            else:
                rel = near
            mark(range(left, right + 1), rel)


_SPEECH_LEMMAS = {"say", "tell", "claim", "argue", "write", "insist", "add", "state", "declare", "tweet", "note"}


@dataclass
class _StudentRequest:
    """A target waiting for the student: its result so far and what the student will read."""

    result: TargetSentiment
    linear: dict[str, float]
    lexical: dict[str, float]
    bounds: tuple[int, int]
    target: tuple[int, int]
    relation: dict[int, str]


class TargetScorer:
    """Scores arbitrary token spans of a parsed doc; built once, reused for every mention."""

    def __init__(
        self,
        nlp: Language,
        lexicon: Lexicon,
        model: LinearModel | None = None,
        model_share: float = 1.0,
        distilled: Mapping[str, float] | None = None,
        student: StudentModel | None = None,
    ) -> None:
        """``distilled``: word polarity for the ``dpol`` features; by default the model's own.
        ``student``: the distilled convolutional model, averaged with the linear one when given."""
        self.finder = CueFinder(nlp, lexicon)
        self.model = model
        self.student = student
        self.model_share = model_share
        self.distilled = distilled if distilled is not None else (model.distilled if model is not None else None)

    def cues(self, doc: Doc) -> DocCues:
        return DocCues(doc, self.finder)

    def score_chars(
        self, doc: Doc, start_char: int, end_char: int, cues: DocCues | None = None, all_features: bool = False
    ) -> TargetSentiment | None:
        span = doc.char_span(start_char, end_char, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        return self.score(doc, span.start, span.end, cues, all_features)

    def score(
        self,
        doc: Doc,
        start: int,
        end: int,
        cues: DocCues | None = None,
        all_features: bool = False,
        require_scope: bool = False,
    ) -> TargetSentiment:
        """``all_features`` names every feature, as training reads them (the run-time path sums the word
        and context-word features from per-word rows instead); scores are the same.
        ``require_scope``: with no cue in the target's scope, answer neutral without the model (the
        stage does this: an unexplained guess is not evidence, and it saves most of the work)."""
        return self.score_many(doc, [(start, end)], cues, all_features, require_scope)[0]

    def score_many(
        self,
        doc: Doc,
        spans: Sequence[tuple[int, int]],
        cues: DocCues | None = None,
        all_features: bool = False,
        require_scope: bool = False,
    ) -> list[TargetSentiment]:
        """``score`` for many token spans of one doc; the student runs once for all of them."""
        if cues is None or cues.doc is not doc:
            cues = self.cues(doc)
        pending: list[_StudentRequest] = []
        results = [self._score(cues, start, end, all_features, require_scope, pending) for start, end in spans]
        if pending:
            self._apply_student(cues, pending)
        return results

    def _score(
        self,
        cues: DocCues,
        start: int,
        end: int,
        all_features: bool,
        require_scope: bool,
        pending: list[_StudentRequest],
    ) -> TargetSentiment:
        info = cues.sentence(start)
        root = cues.root_of(start, end)
        relation, anchor, verb = cues.scope_relations(start, end, root, (info.start, info.end), info.contrast)
        hits = [CueHit(cue, _relation_of(cue, relation), value) for cue, value in info.cues]
        if require_scope and all(h.relation == "context" for h in hits):
            return TargetSentiment(0.0, "neutral", {"negative": 0.0, "neutral": 1.0, "positive": 0.0}, hits)
        anchor_dep = cues.dep(anchor)
        named = self.model is None or all_features
        features: dict[str, float] = {}
        if named:
            features = self._plain_features(cues, start, root, info, anchor_dep, verb, hits)
            _tree_features(features, cues.heads, root, hits)
        words = self._word_features(cues, start, end, root, info, relation, anchor_dep, verb)
        raw = sum(h.weighted for h in hits if h.relation != "context")
        lexical = raw / math.sqrt(raw * raw + 1.0)
        lexical_probabilities = {
            "negative": max(0.0, -lexical),
            "positive": max(0.0, lexical),
            "neutral": 1.0 - abs(lexical),
        }
        result = TargetSentiment(
            0.0, "neutral", lexical_probabilities, hits, features, lexical, [(rel, lemma) for _, rel, lemma in words]
        )
        if named:
            self._name_word_features(features, info, start, end, words)
        if self.model is None:
            result.settle(lexical_probabilities)
            return result
        if all_features:
            learned = self.model.probabilities(features)
        else:
            # The fast path sums every feature's class scores from rows instead of naming them (a
            # test checks it against the named features training uses).
            word, context = self.model.word_scores(words), self._context_scores(info, start, end)
            plain = self._plain_scores(cues, start, root, info, anchor_dep, verb, hits)
            learned = self.model.softmax(
                tuple(b + w + c + p for b, w, c, p in zip(self.model.bias, word, context, plain, strict=True))  # type: ignore[arg-type]
            )
        if self.student is not None and max(learned.values()) < STUDENT_BELOW:
            bounds = window(info.start, info.end, start, end)
            pending.append(_StudentRequest(result, learned, lexical_probabilities, bounds, (start, end), relation))
        result.settle(self._blend(learned, lexical_probabilities))
        return result

    def _blend(self, learned: dict[str, float], lexical: dict[str, float]) -> dict[str, float]:
        share = self.model_share
        return {k: share * learned[k] + (1.0 - share) * lexical[k] for k in LABELS}

    def _apply_student(self, cues: DocCues, pending: list[_StudentRequest]) -> None:
        """Averages the student's probabilities into the linear model's, for all requests at once."""
        with one_blas_thread():
            self._apply_student_batch(cues, pending)

    def _apply_student_batch(self, cues: DocCues, pending: list[_StudentRequest]) -> None:
        student = self.student
        assert student is not None
        doc_rows = student.words.token_rows(cues.lower_hashes, cues.lemma_hashes)
        windows: dict[tuple[int, int], int] = {}
        for request in pending:
            windows.setdefault(request.bounds, len(windows))
        values = np.zeros(len(cues.doc), dtype=np.float32)
        sentences = {info.start: info for info in (cues.sentence(first) for first, _ in windows)}
        for sentence in sentences.values():
            for k, value in cue_values(sentence.cues).items():
                if sentence.start <= k < sentence.end:  # a window reads its own sentence's cues only
                    values[k] = value
        inputs = encode_windows(doc_rows, cues.doc.tensor, list(windows), values)
        bounds = [r.bounds for r in pending]
        parts = encode_targets(bounds, [r.target for r in pending], [r.relation for r in pending], student.relation_ids)
        rows = student.score(inputs, [windows[r.bounds] for r in pending], parts).tolist()
        for request, row in zip(pending, rows, strict=True):
            learned = {k: (request.linear[k] + row[n]) / 2.0 for n, k in enumerate(LABELS)}
            request.result.settle(self._blend(learned, request.lexical))

    def student_input(
        self, words: WordIndex, relation_ids: Mapping[str, int], start: int, end: int, cues: DocCues
    ) -> StudentInput:
        """What the student reads for one target (the training script builds its data with this)."""
        info = cues.sentence(start)
        root = cues.root_of(start, end)
        relation, _, _ = cues.scope_relations(start, end, root, (info.start, info.end), info.contrast)
        bounds = window(info.start, info.end, start, end)
        return StudentInput(
            encode_window(
                words.token_rows(cues.lower_hashes, cues.lemma_hashes), cues.doc.tensor, bounds, cue_values(info.cues)
            ),
            encode_target(bounds, (start, end), relation, relation_ids),
        )

    def _context_scores(self, info: _SentenceInfo, start: int, end: int) -> tuple[float, float, float]:
        """The ``ctx|lemma`` part of the model's class scores, without building feature names per
        target: rows are looked up once per sentence (same result as the feature dict). A sentence
        has a few dozen context words, too few for numpy's per-call cost to pay."""
        assert self.model is not None
        if info.ctx_rows is None:
            index: dict[str, int] = {}
            rows: list[list[float]] = []
            model = self.model
            for i, lemma in info.content:
                k = index.get(lemma)
                if k is None:
                    row = model.context_row(lemma)
                    if row is None:
                        continue
                    k = index[lemma] = len(rows)
                    rows.append(row)
                info.ctx_lemma.append(k)
                info.ctx_position.append(i)
            info.ctx_rows = rows
        if not info.ctx_lemma:
            return 0.0, 0.0, 0.0
        center = (start + end) / 2
        best = [0.0] * len(info.ctx_rows)
        for k, i in zip(info.ctx_lemma, info.ctx_position, strict=True):
            # A lemma counts once, at its nearest position; words of the target itself not at all.
            if start <= i < end:
                continue
            weight = 1.0 / (1.0 + abs(i - center) / 4.0)
            if weight > best[k]:
                best[k] = weight
        s0 = s1 = s2 = 0.0
        for weight, row in zip(best, info.ctx_rows, strict=True):
            if weight:
                s0 += weight * row[0]
                s1 += weight * row[1]
                s2 += weight * row[2]
        return s0, s1, s2

    def _plain_features(
        self,
        cues: DocCues,
        start: int,
        root: int,
        info: _SentenceInfo,
        anchor_dep: str,
        verb: int | None,
        hits: list[CueHit],
    ) -> dict[str, float]:
        """The features that are not word features: the target's role, its cues by relation, punctuation."""
        features: dict[str, float] = {"role:" + anchor_dep: 1.0}
        if cues.pos[root] == _PRON:
            features["target:pronoun"] = 1.0
        for hit in hits:
            key = ("pos:" if hit.value > 0 else "neg:") + hit.relation
            features[key] = features.get(key, 0.0) + abs(hit.value)
            key = "lex:" + hit.relation
            features[key] = features.get(key, 0.0) + hit.value
            if hit.value * hit.cue.prior < 0:
                features["negated:" + hit.relation] = 1.0
        features["lex:scoped"] = sum(h.weighted for h in hits if h.relation != "context")
        features["lex:all"] = sum(h.value for h in hits)
        for mark in info.punct:
            features["punct:" + mark] = 1.0
        if verb is not None and anchor_dep in _SUBJECT_DEPS and cues.lemma(verb) in _SPEECH_LEMMAS:
            features["target:speaker"] = 1.0
        # An odd number of quote marks before the mention in its sentence: the mention is quoted.
        if sum(1 for i in info.quotes if i < start) % 2 == 1:
            features["target:quoted"] = 1.0
        return features

    def _plain_scores(
        self,
        cues: DocCues,
        start: int,
        root: int,
        info: _SentenceInfo,
        anchor_dep: str,
        verb: int | None,
        hits: list[CueHit],
    ) -> tuple[float, float, float]:
        """The class scores of ``_plain_features`` and ``_tree_features`` without naming them: the
        model is linear, so each feature's row times its value is summed as it is found."""
        model = self.model
        assert model is not None
        row = model.named_row
        terms: list[tuple[list[float] | None, float]] = [(row("role:", anchor_dep), 1.0)]
        if cues.pos[root] == _PRON:
            terms.append((row("target:", "pronoun"), 1.0))
        negated: set[str] = set()
        scoped = total = 0.0
        for hit in hits:
            value, relation = hit.value, hit.relation
            terms.append((row("pos:" if value > 0 else "neg:", relation), abs(value)))
            terms.append((row("lex:", relation), value))
            if value * hit.cue.prior < 0 and relation not in negated:
                negated.add(relation)
                terms.append((row("negated:", relation), 1.0))
            total += value
            if relation != "context":
                scoped += value * RELATION_WEIGHTS[relation]
        terms.append((row("lex:", "scoped"), scoped))
        terms.append((row("lex:", "all"), total))
        if verb is not None and anchor_dep in _SUBJECT_DEPS and cues.lemma(verb) in _SPEECH_LEMMAS:
            terms.append((row("target:", "speaker"), 1.0))
        if sum(1 for i in info.quotes if i < start) % 2 == 1:
            terms.append((row("target:", "quoted"), 1.0))
        if hits:
            positive, negative = _tree_values(cues.heads, root, hits)
            terms.append((row("tree:", "pos"), positive))
            terms.append((row("tree:", "neg"), negative))
            terms.append((row("tree:", "lex"), positive - negative))
        s0, s1, s2 = self._punct_scores(info)
        for weights, value in terms:
            if weights is not None:
                s0 += weights[0] * value
                s1 += weights[1] * value
                s2 += weights[2] * value
        return s0, s1, s2

    def _punct_scores(self, info: _SentenceInfo) -> tuple[float, float, float]:
        """The ``punct:`` features' class scores, the same for every target of the sentence."""
        if info.punct_scores is None:
            assert self.model is not None
            s0 = s1 = s2 = 0.0
            for mark in dict.fromkeys(info.punct):
                weights = self.model.named_row("punct:", mark)
                if weights is not None:
                    s0 += weights[0]
                    s1 += weights[1]
                    s2 += weights[2]
            info.punct_scores = (s0, s1, s2)
        return info.punct_scores

    def _word_features(
        self,
        cues: DocCues,
        start: int,
        end: int,
        root: int,
        info: _SentenceInfo,
        relation: dict[int, str],
        anchor_dep: str,
        verb: int | None,
    ) -> list[tuple[str, str, str]]:
        """(prefix, relation, lemma) of each word feature ``prefix|lemma``, once each, in the order
        first met: the words in the target's scope (``pred|reckless``), the verb it depends on
        (``verb:nsubj|say``), its neighbours (``L1|slam``) and the words governing it (``up1|criticism``)."""
        words: list[tuple[str, str, str]] = []
        seen: set[tuple[str, str]] = set()
        for i, lemma in info.content:
            if start <= i < end:
                continue
            rel = relation.get(i, "context")
            if rel != "context" and (rel, lemma) not in seen:
                seen.add((rel, lemma))
                words.append((rel, rel, lemma))
        if verb is not None:
            words.append(("verb:" + anchor_dep, "verb", cues.lemma(verb)))
        # The words right before and after the mention ("slammed X", "X's failed ...").
        for offset, i in (("L1", start - 1), ("L2", start - 2), ("R1", end), ("R2", end + 1)):
            if info.start <= i < info.end:
                words.append((offset, offset, cues.lemma(i)))
        # The chain of governing words above the mention ("criticism of X" -> of, criticism); a
        # sentence root is its own head, so the chain repeats it.
        node = root
        for level in ("up1", "up2", "up3"):
            node = cues.heads[node]
            words.append((level, level, cues.lemma(node)))
        return words

    def _name_word_features(
        self,
        features: dict[str, float],
        info: _SentenceInfo,
        start: int,
        end: int,
        words: list[tuple[str, str, str]],
    ) -> None:
        """The word features by name, the context words (``ctx|lemma``, weighted by distance) and
        their distilled polarity sums: what training reads."""
        lemma_keys: list[tuple[str, str, str]] = []
        for prefix, rel, lemma in words:
            key = f"{prefix}|{lemma}"
            if key not in features:
                lemma_keys.append((key, rel, lemma))
            features[key] = 1.0
        center = (start + end) / 2
        for i, lemma in info.content:
            if start <= i < end:
                continue
            weight = 1.0 / (1.0 + abs(i - center) / 4.0)
            key = "ctx|" + lemma
            if key not in features:
                lemma_keys.append((key, "ctx", lemma))
                features[key] = weight
            elif weight > features[key]:
                features[key] = weight
        if self.distilled is not None:
            add_distilled_features(features, self.distilled, lemma_keys)
