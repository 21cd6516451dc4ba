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
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from spacy.attrs import HEAD, IS_ALPHA, LEMMA, LOWER, ORTH, POS
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span, Token

from ..datafiles import package_data
from .lexicon import Lexicon

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

    @property
    def blended(self) -> float:
        """Classifier and scoped lexicon averaged: the model learned US news about people, the
        lexicon carries international-affairs vocabulary and contrast, so the stage hears both."""
        return (self.score + self.lexical) / 2.0

    def evidence_cues(self) -> list[CueHit]:
        """Cues that pull in the direction of the label, strongest first."""
        sign = 1 if self.score > 0 else -1
        hits = [h for h in self.cues if h.relation != "context" and h.weighted * sign > 0]
        return sorted(hits, key=lambda h: -abs(h.weighted))


@dataclass
class LinearModel:
    """Multinomial logistic regression stored as feature -> weights per class (no sklearn at run time)."""

    weights: dict[str, list[float]]
    bias: list[float]
    labels: list[str]

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(weights=data["weights"], bias=data["bias"], labels=data["labels"])

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
        scores = (s0, s1, s2)
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
    sets of the lexicon's hashes; only the few hits become Token objects.
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
        self._non_cue_pos = frozenset(POS_IDS[p] for p in _NON_CUE_POS)
        self.content_pos = frozenset(POS_IDS[p] for p in _CONTENT_POS)
        self.contrast_hashes = frozenset(strings.add(w) for w in _CONTRAST_LEMMAS)
        self.punct_hashes = {strings.add(p): p for p in _PUNCT_FEATURES}
        self.modifiers = lexicon.modifiers

    def find(self, doc: Doc, table: list[list[int]] | None = None) -> dict[int, Cue]:
        """Cues keyed by the index of the token that carries them (phrase cues by their root).

        ``table``: the doc's (lower, lemma, pos, is_alpha, ...) hashes if already computed."""
        cues: dict[int, Cue] = {}
        if not len(doc):
            return cues
        if table is None:
            table = doc.to_array([LOWER, LEMMA, POS, IS_ALPHA]).tolist()
        covered: set[int] = set()
        phrases, words_hashes, non_cue = self._phrase_hashes, self._word_hashes, self._non_cue_pos
        candidates: list[int] = []
        for i, (lower, lemma, pos, alpha, *_) in enumerate(table):
            if (lower in phrases or lemma in phrases) and i not in covered:
                self._match_phrase(doc, i, cues, covered)
            # Names are not opinions: "United States", "Freedom Party".
            if (lower in words_hashes or lemma in words_hashes) and alpha and pos not in non_cue:
                candidates.append(i)
        words = self.lexicon.words
        for i in candidates:
            if i in covered:
                continue
            token = doc[i]
            # The surface form first, so a neutral override ("goods": 0) blocks the lemma ("good").
            key = token.lower_
            prior = words.get(key)
            if prior is None:
                key = token.lemma_.lower()
                prior = words.get(key)
            if prior:
                situational = key in self.lexicon.situational
                cues[i] = Cue(i, i + 1, i, token.text, prior, situational)
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

    def modified_value(self, doc: Doc, cue: Cue) -> float:
        """Apply negation up to the clause head, and intensifiers on the cue or its head."""
        value = cue.prior
        node: Token = doc[cue.head]
        for hop in range(6):
            for child in node.children:
                kind = self._modifier_kind(child)
                if kind is None:
                    continue
                negates = kind[0] == "negator" and (child.dep_ in ("neg", "det") or child.lemma_.lower() == "never")
                scales = kind[0] != "negator" and hop <= 1 and child.dep_ in ("advmod", "amod")
                if negates or scales:
                    value *= kind[1]
            if hop > 0:
                kind = self._modifier_kind(node)
                if kind is not None and kind[0] == "negator" and node.pos_ in ("VERB", "NOUN", "ADP", "ADJ"):
                    value *= kind[1]
            if node.pos_ in ("VERB", "AUX") or node.dep_ == "ROOT" or node.head is node:
                break
            node = node.head
        return max(-1.0, min(1.0, value))

    def _modifier_kind(self, token: Token) -> tuple[str, float] | None:
        return self.modifiers.get(token.lemma_.lower()) or self.modifiers.get(token.lower_)


def _subtree_ids(token: Token) -> range:
    return range(token.left_edge.i, token.right_edge.i + 1)


def _anchor(root: Token) -> tuple[Token, list[Token]]:
    """The node that stands for the target in its clause, and the nodes climbed on the way."""
    path: list[Token] = []
    node = root
    for _ in range(4):
        if node.dep_ in _OWNER_DEPS and node.head is not node and node.head.pos_ in ("NOUN", "PROPN"):
            node = node.head
        elif (
            node.dep_ == "pobj"
            and node.head.lemma_ in ("of", "by")
            and node.head.head.pos_ == "NOUN"
            and node.head.head is not node.head
        ):
            node = node.head.head
        elif node.dep_ == "conj" and node.head is not node:
            node = node.head
            continue
        else:
            break
        path.append(node)
    return node, path


def scope_relations(
    doc: Doc, start: int, end: int, sent: Span, contrast: frozenset[int] | None = None
) -> tuple[dict[int, str], Token, Token | None]:
    """Relation of each token of the sentence to the target [start, end) (unlisted: context).

    ``contrast`` holds the indices of contrast words in the sentence (computed if not given).
    """
    if contrast is None:
        contrast = contrast_indices(sent)
    target = doc[start:end]
    relation: dict[int, str] = {}

    def mark(ids: range | list[int], rel: str) -> None:
        for i in ids:
            if i not in relation:
                relation[i] = rel

    mark(range(start, end), "self")
    anchor, climbed = _anchor(target.root)
    for node in climbed:
        mark([node.i], "head")
    for node in dict.fromkeys([anchor, *climbed]):
        for child in node.children:
            if start <= child.i < end:
                continue
            if child.dep_ in _CLAUSE_DEPS:
                mark(_subtree_ids(child), "relcl")
            elif child.dep_ == "prep" and node is anchor:
                mark(_subtree_ids(child), "contrast" if _is_contrast(child, contrast) else "far")
            elif child.dep_ in _MODIFIER_DEPS:
                mark(_subtree_ids(child), "mod")
    mark(_subtree_ids(anchor), "_own")  # the rest of the anchor phrase, refined below
    verb: Token | None = None
    head = anchor.head
    dep = anchor.dep_
    if dep in _SUBJECT_DEPS or dep == "agent" or (dep == "pobj" and head.dep_ == "agent"):
        verb = head if dep != "pobj" else head.head
        mark([verb.i], "verb")
        _mark_predicate(verb, anchor, mark, "pred", contrast)
    elif dep in _PATIENT_DEPS:
        verb = head
        mark([verb.i], "patient_verb")
        _mark_predicate(verb, anchor, mark, "pred" if dep.endswith("pass") else "far", contrast)
    elif dep == "attr" and head.pos_ == "AUX":
        verb = head
        for child in head.children:
            if child.dep_ in _SUBJECT_DEPS:
                mark(_subtree_ids(child), "pred")
    elif dep == "pobj" and head.dep_ == "prep":
        governor = head.head
        if governor.pos_ in ("VERB", "AUX"):
            verb = governor
            mark([governor.i], "patient_verb")
        else:
            mark([governor.i], "pp_head")
            for child in governor.children:
                if child.dep_ in ("amod", "compound") and child.i != head.i:
                    mark(_subtree_ids(child), "pp_head")
    for i in range(sent.start, sent.end):
        if relation.get(i) == "_own":
            relation[i] = "mod"
    return relation, anchor, verb


def contrast_indices(sent: Span) -> frozenset[int]:
    return frozenset(t.i for t in sent if t.lemma_.lower() in _CONTRAST_LEMMAS)


def _is_contrast(phrase: Token, contrast: frozenset[int]) -> bool:
    """A phrase that opens with a contrast word, looking at its first few tokens only."""
    if not contrast:
        return False
    first = phrase.left_edge.i
    return any(i in contrast for i in range(first, min(first + 3, phrase.right_edge.i + 1)))


def _mark_predicate(verb: Token, anchor: Token, mark: object, near: str, contrast: frozenset[int]) -> None:
    assert callable(mark)
    for child in verb.children:
        if child.left_edge.i <= anchor.i <= child.right_edge.i or child.dep_ in ("punct", "cc"):
            continue
        if _is_contrast(child, contrast):
            rel = "contrast"
        elif child.dep_ in _FAR_DEPS:
            rel = "far"
        elif child.dep_ in _PATIENT_DEPS and near == "pred":
            rel = "obj"
        else:
            rel = near
        mark(_subtree_ids(child), rel)


def _tree_features(features: dict[str, float], heads: list[int], root: int, hits: list[CueHit]) -> None:
    """Cue values weighted by dependency-tree distance to the target: a soft scope for cues the
    relation rules leave as context."""
    if not hits:
        return
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
    features["tree:pos"] = positive
    features["tree:neg"] = negative
    features["tree:lex"] = positive - negative


def _relation_of(cue: Cue, relation: dict[int, str]) -> str:
    rel = relation.get(cue.head, "context")
    if cue.situational and rel in ("head", "mod", "self"):
        return "far"
    return rel


@dataclass
class _SentenceInfo:
    """Per-sentence work shared by every target in the sentence."""

    span: Span
    content: list[tuple[int, str]]  # (token index, lower-case lemma) of content words
    punct: list[str]
    cues: list[tuple[Cue, float]]  # cue and its value after negation / intensifiers
    contrast: frozenset[int]
    quotes: list[int]  # indices of quote marks
    # Context lemmas known to the model, built on first use: their weight rows (lemmas x 3), and
    # every occurrence as (lemma row index, token position).
    ctx_rows: np.ndarray | None = None
    ctx_lemma: np.ndarray | None = None
    ctx_position: np.ndarray | None = None


class DocCues:
    """Cues of one parsed doc, plus lazily built per-sentence caches; make one per doc."""

    def __init__(self, doc: Doc, finder: CueFinder) -> None:
        self.doc = doc
        self.finder = finder
        # One attribute table for the doc: (lower, lemma, pos, is_alpha, orth) per token, as hashes.
        self.table: list[list[int]] = doc.to_array([LOWER, LEMMA, POS, IS_ALPHA, ORTH]).tolist() if len(doc) else []
        self.cues = finder.find(doc, self.table)
        # Absolute head index per token (HEAD is stored as a relative offset).
        self.heads: list[int] = (
            (np.arange(len(doc)) + doc.to_array([HEAD]).reshape(-1).astype(np.int64)).tolist() if len(doc) else []
        )
        self._values: dict[int, float] = {}
        self._sentences: dict[int, _SentenceInfo] = {}
        self._sents = list(doc.sents)
        self._sent_starts = [sent.start for sent in self._sents]

    def value(self, cue: Cue) -> float:
        value = self._values.get(cue.head)
        if value is None:
            value = self._values[cue.head] = self.finder.modified_value(self.doc, cue)
        return value

    def sentence(self, token_index: int) -> _SentenceInfo:
        sent = self._sents[bisect_right(self._sent_starts, token_index) - 1]
        info = self._sentences.get(sent.start)
        if info is None:
            content: list[tuple[int, str]] = []
            punct: list[str] = []
            cues: list[tuple[Cue, float]] = []
            contrast: set[int] = set()
            quotes: list[int] = []
            strings = self.doc.vocab.strings
            finder = self.finder
            for i in range(sent.start, sent.end):
                _, lemma_id, pos_id, alpha, orth = self.table[i]
                if lemma_id in finder.contrast_hashes:
                    contrast.add(i)
                if pos_id in finder.content_pos and alpha:
                    content.append((i, strings[lemma_id].lower()))
                elif orth in finder.punct_hashes:
                    text = finder.punct_hashes[orth]
                    punct.append(text)
                    if text in _QUOTE_MARKS:
                        quotes.append(i)
                cue = self.cues.get(i)
                if cue is not None:
                    cues.append((cue, self.value(cue)))
            info = self._sentences[sent.start] = _SentenceInfo(
                sent, content, punct, cues, frozenset(contrast), quotes
            )
        return info


_SPEECH_LEMMAS = {"say", "tell", "claim", "argue", "write", "insist", "add", "state", "declare", "tweet", "note"}




class TargetScorer:
    """Scores arbitrary token spans of a parsed doc; built once, reused for every mention."""

    def __init__(
        self, nlp: Language, lexicon: Lexicon, model: LinearModel | None = None, model_share: float = 1.0
    ) -> None:
        self.finder = CueFinder(nlp, lexicon)
        self.model = model
        self.model_share = model_share

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
        """``all_features`` also lists the context-word features (for training); scores are the same.
        ``require_scope``: with no cue in the target's scope, answer neutral without the model (the
        stage does this: an unexplained guess is not evidence, and it saves most of the work)."""
        if cues is None or cues.doc is not doc:
            cues = self.cues(doc)
        info = cues.sentence(start)
        relation, anchor, verb = scope_relations(doc, start, end, info.span, info.contrast)
        hits = [CueHit(cue, _relation_of(cue, relation), value) for cue, value in info.cues]
        if require_scope and all(h.relation == "context" for h in hits):
            return TargetSentiment(0.0, "neutral", {"negative": 0.0, "neutral": 1.0, "positive": 0.0}, hits)
        fast = self.model is not None and not all_features
        features = self._features(doc, start, end, info, relation, anchor, verb, hits, with_context=not fast)
        _tree_features(features, cues.heads, doc[start:end].root.i, hits)
        raw = sum(h.weighted for h in hits if h.relation != "context")
        lexical = raw / math.sqrt(raw * raw + 1.0)
        probabilities = {
            "negative": max(0.0, -lexical),
            "positive": max(0.0, lexical),
            "neutral": 1.0 - abs(lexical),
        }
        if self.model is not None:
            offset = self._context_scores(info, start, end) if fast else (0.0, 0.0, 0.0)
            learned = self.model.probabilities(features, offset)
            share = self.model_share
            probabilities = {k: share * learned[k] + (1.0 - share) * probabilities[k] for k in LABELS}
        score = probabilities["positive"] - probabilities["negative"]
        label = max(LABELS, key=lambda k: probabilities[k])
        return TargetSentiment(score, label, probabilities, hits, features, lexical)

    def _context_scores(self, info: _SentenceInfo, start: int, end: int) -> tuple[float, float, float]:
        """The ``ctx|lemma`` part of the model's class scores, without building feature names per
        target: rows are looked up once per sentence (same result as the feature dict)."""
        assert self.model is not None
        if info.ctx_rows is None or info.ctx_lemma is None or info.ctx_position is None:
            index: dict[str, int] = {}
            rows: list[list[float]] = []
            lemma_of: list[int] = []
            position: list[int] = []
            weights = self.model.weights
            for i, lemma in info.content:
                k = index.get(lemma)
                if k is None:
                    row = weights.get("ctx|" + lemma)
                    if row is None:
                        continue
                    k = index[lemma] = len(rows)
                    rows.append(row)
                lemma_of.append(k)
                position.append(i)
            info.ctx_rows = np.array(rows, dtype=np.float64).reshape(-1, 3)
            info.ctx_lemma = np.array(lemma_of, dtype=np.intp)
            info.ctx_position = np.array(position, dtype=np.float64)
        if not len(info.ctx_lemma):
            return 0.0, 0.0, 0.0
        center = (start + end) / 2
        weight = 1.0 / (1.0 + np.abs(info.ctx_position - center) / 4.0)
        weight[(info.ctx_position >= start) & (info.ctx_position < end)] = 0.0
        best = np.zeros(len(info.ctx_rows))
        np.maximum.at(best, info.ctx_lemma, weight)  # a lemma counts once, at its nearest position
        total = best @ info.ctx_rows
        return float(total[0]), float(total[1]), float(total[2])

    def _features(
        self,
        doc: Doc,
        start: int,
        end: int,
        info: _SentenceInfo,
        relation: dict[int, str],
        anchor: Token,
        verb: Token | None,
        hits: list[CueHit],
        with_context: bool = True,
    ) -> dict[str, float]:
        features: dict[str, float] = {"role:" + anchor.dep_: 1.0}
        if doc[start:end].root.pos_ == "PRON":
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
        center = (start + end) / 2
        for i, lemma in info.content:
            if start <= i < end:
                continue
            rel = relation.get(i, "context")
            if rel != "context":
                features[f"{rel}|{lemma}"] = 1.0
            if not with_context:
                continue
            weight = 1.0 / (1.0 + abs(i - center) / 4.0)
            key = "ctx|" + lemma
            if weight > features.get(key, 0.0):
                features[key] = weight
        if verb is not None:
            verb_lemma = verb.lemma_.lower()
            features[f"verb:{anchor.dep_}|{verb_lemma}"] = 1.0
            if verb_lemma in _SPEECH_LEMMAS and anchor.dep_ in _SUBJECT_DEPS:
                features["target:speaker"] = 1.0
        # The words right before and after the mention ("slammed X", "X's failed ...").
        sent = info.span
        for offset, i in (("L1", start - 1), ("L2", start - 2), ("R1", end), ("R2", end + 1)):
            if sent.start <= i < sent.end:
                features[f"{offset}|{doc[i].lemma_.lower()}"] = 1.0
        # The chain of governing words above the mention ("criticism of X" -> of, criticism).
        node = doc[start:end].root
        for level in range(1, 4):
            if node.head is node:
                break
            node = node.head
            features[f"up{level}|{node.lemma_.lower()}"] = 1.0
        # An odd number of quote marks before the mention in its sentence: the mention is quoted.
        if sum(1 for i in info.quotes if i < start) % 2 == 1:
            features["target:quoted"] = 1.0
        return features
