"""Claim typing by cue classes from data/claim_types.yaml (lemmas, phrases, tags, entity labels)."""

from __future__ import annotations

import itertools
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from ..datafiles import package_data, validate, yaml_records
from .features import DocArrays

FALLBACK_NUMERIC = "statistic/quantity"
FALLBACK = "position/policy"


class ClaimTypeEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str
    description: str
    lemmas: list[str] = []
    phrases: list[str] = []
    tags: list[str] = []
    entities: list[str] = []
    not_lemmas: list[str] = []


def is_compound_numeral(token: Token) -> bool:
    """Number words inside hyphenated compounds ("zero-sum", "one-sided") state no quantity."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return token.is_alpha and following is not None and following.text == "-"


@dataclass
class ClaimTyper:
    """Chooses a type for a check-worthy sentence and says which cue decided it."""

    order: list[str]
    lemmas: dict[str, set[str]] = field(default_factory=dict)  # "lemma" or "lemma/TAG" -> types
    tags: dict[str, set[str]] = field(default_factory=dict)
    tag_exceptions: set[str] = field(default_factory=set)  # lemmas whose tag is no cue
    entities: dict[str, set[str]] = field(default_factory=dict)
    matcher: PhraseMatcher | None = None
    # Match ids resolved here, not through the doc's StringStore, which may belong to another pipeline.
    match_names: dict[int, str] = field(default_factory=dict)
    _prefixes: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def qualified_prefixes(self) -> frozenset[str]:
        """Lemmas that can open a "lemma/TAG" key: only those need the qualified keys built."""
        return frozenset(key[:i] for key in self.lemmas for i, char in enumerate(key) if char == "/")

    @classmethod
    def build(cls, nlp: Language, path: Path | None = None) -> ClaimTyper:
        path = path or package_data("communique.claims", "data/claim_types.yaml")
        entries = [entry for entry, _ in validate(yaml_records(path), ClaimTypeEntry)]
        typer = cls(order=[e.type for e in entries], matcher=PhraseMatcher(nlp.vocab, attr="LOWER"))
        assert typer.matcher is not None
        for entry in entries:
            for lemma in entry.lemmas:
                typer.lemmas.setdefault(lemma.lower() if "/" not in lemma else lemma, set()).add(entry.type)
            for tag in entry.tags:
                typer.tags.setdefault(tag, set()).add(entry.type)
            typer.tag_exceptions.update(lemma.lower() for lemma in entry.not_lemmas)
            for label in entry.entities:
                typer.entities.setdefault(label, set()).add(entry.type)
            if entry.phrases:
                typer.match_names[nlp.vocab.strings.add(entry.type)] = entry.type
                typer.matcher.add(entry.type, [nlp.make_doc(p.lower()) for p in entry.phrases])
        return typer

    def phrase_matches(self, doc: Doc | Span) -> list[tuple[int, int, int]]:
        """The phrase cues of a whole doc (or span), (match id, start, end) by start, in the doc's
        token positions: one matcher call per doc instead of one per claim."""
        return sorted(self.matcher(doc), key=lambda match: match[1]) if self.matcher is not None else []

    def classify(
        self, sent: Span, arrays: DocArrays | None = None, doc_matches: list[tuple[int, int, int]] | None = None
    ) -> tuple[str, str | None]:
        """(type, cue): the first type in file order with a cue in the sentence. ``doc_matches``:
        the doc's ``phrase_matches``, if the caller found them already."""
        a = arrays if arrays is not None else DocArrays.of(sent.doc)
        doc = sent.doc
        found: dict[str, str] = {}
        prefixes = self._prefixes
        if prefixes is None:
            prefixes = self._prefixes = self.qualified_prefixes()
        lemmas, tags, ents, tag_exceptions = self.lemmas, self.tags, self.entities, self.tag_exceptions
        for i in range(sent.start, sent.end):
            lemma, tag, ent = a.lemma[i], a.tag[i], a.ent[i]
            types: list[str] = []
            types.extend(lemmas.get(lemma, ()))
            if lemma in prefixes:
                types.extend(lemmas.get(f"{lemma}/{tag}", ()))
                types.extend(lemmas.get(f"{lemma}/{a.pos[i]}", ()))
            if lemma not in tag_exceptions:
                types.extend(tags.get(tag, ()))
            if ent and ent in ents and not is_compound_numeral(doc[i]):
                types.extend(ents[ent])
            if types:
                text = doc[i].text
                for claim_type in types:
                    found.setdefault(claim_type, text)
        if doc_matches is None:
            doc_matches = self.phrase_matches(sent)  # a span's matches come in the doc's positions too
        first = bisect_left(doc_matches, sent.start, key=lambda match: match[1])
        for match_id, start, end in itertools.islice(doc_matches, first, None):
            if start >= sent.end:
                break
            if end <= sent.end:
                found.setdefault(self.match_names[match_id], doc[start:end].text)
        for claim_type in self.order:
            if claim_type in found:
                return claim_type, found[claim_type]
        if any(a.like_num[i] and not is_compound_numeral(doc[i]) for i in range(sent.start, sent.end)):
            return FALLBACK_NUMERIC, None
        return FALLBACK, None
