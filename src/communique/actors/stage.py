"""The actors stage: find every state, organ, organisation, region and person and code it.

Cost model: two PhraseMatchers (case-folded and exact-case) do the scanning in C; Python only
touches the matches, which are a few per sentence. Context decisions (ambiguity, person names,
constructions) read the parse that spaCy has already made.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ..config import Settings
from ..model import Actor, ActorKind, ActorMention, Analysis
from ..nlp import load_nlp
from ..stages import register_stage
from .dictionary import ORG_PREFIXES, SECTORS, Dictionary, Entry, load_dictionary

# Light coreference triggers: a closed class, so kept here rather than in a data file.
COREF_COUNTRY = ("the country", "this country", "that country", "the nation", "this nation", "the kingdom")
COREF_PAIR = (
    "the two countries",
    "the two nations",
    "both countries",
    "both nations",
    "the two neighbours",
    "the two neighbors",
    "the two states",
    "both sides",
    "the two sides",
)
COREF_PERSON = ("he", "she", "his", "him")

# A modifier in one of these relations gives its country to the role noun it modifies.
MODIFIER_DEPS = frozenset({"poss", "compound", "amod", "nmod", "npadvmod", "nummod"})
# A capital governed by one of these is a place ("talks in Islamabad"), not the government.
LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "into", "via", "within"})
MOTION_VERBS = frozenset({"visit", "arrive", "travel", "fly", "return", "reach", "land", "tour", "move", "relocate"})
ROLE_PREPS = frozenset({"of", "in", "from", "throughout", "across"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
# "U.S.-led", "India-backed": a single token that hides a country; one regex pass over the text.
HYPHEN_ACTOR = re.compile(
    r"\b([A-Z][A-Za-z.]*?)-(?:led|backed|based|brokered|sponsored|made|funded|owned|allied|aligned|bound|"
    r"friendly|controlled|administered|occupied|supported|trained|armed|centric|born)\b"
)

# Bare names of two states: (default reading, the reading a document can make explicit).
BARE_NAMES = {"congo": ("COD", "COG"), "korea": ("KOR", "PRK"), "korean": ("KOR", "PRK")}

# When one string is several entries, the more specific kind wins.
_KIND_RANK: dict[str, int] = {"person": 0, "organisation": 1, "group": 2, "state": 3, "region": 4, "role": 5}


@dataclass
class Found:
    """A mention under construction: token span plus what it resolved to."""

    start: int  # token indices
    end: int
    code: str
    kind: ActorKind
    name: str
    country: str | None
    sector: str | None
    method: str
    confidence: float
    entry: Entry | None = None
    coref: bool = False
    char_start: int | None = None  # set when the mention is a part of a token ("U.S.-led")
    char_end: int | None = None
    plain: bool = field(default=False)  # a bare country (no sector), usable as a modifier
    head_lemma: str = ""  # lemma of the last token, for roles ("officials" -> "official")

    @property
    def codes_country(self) -> bool:
        return self.country is not None and self.country not in ORG_PREFIXES and self.country != "IMG"


@register_stage("actors")
def make(settings: Settings) -> ActorStage:
    return ActorStage(settings)


class ActorStage:
    name = "actors"

    def __init__(self, settings: Settings, dictionary: Dictionary | None = None) -> None:
        self.settings = settings
        self.dictionary = dictionary or load_dictionary(settings.files("actors"))
        nlp = load_nlp(settings.model)
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.keys: dict[int, tuple[str, str]] = {}  # match id -> (kind of key, payload)
        make_doc = nlp.make_doc

        def add(matcher: PhraseMatcher, kind: str, payload: str, terms: Iterable[str]) -> None:
            label = f"{kind}|{payload}"
            docs = [make_doc(t) for t in terms if t.strip()]
            if docs:
                matcher.add(label, docs)
                self.keys[nlp.vocab.strings[label]] = (kind, payload)

        d = self.dictionary
        for norm in d.lower_terms:
            add(self.lower, "T", norm, [norm])
        for term in d.exact_terms:
            add(self.exact, "X", term, [term])
        add(self.lower, "B", "", [b.lower() for b in d.blockers])
        for spec in d.ambiguity.values():
            add(self.lower, "C", f"{spec.term}|-", [c.lower() for c in spec.against])
            add(self.lower, "C", f"{spec.term}|+", [c.lower() for c in spec.supporting])
        add(self.lower, "R", "country", COREF_COUNTRY)
        add(self.lower, "R", "pair", COREF_PAIR)
        add(self.exact, "R", "person", [*COREF_PERSON, *(p.capitalize() for p in COREF_PERSON)])

    # ------------------------------------------------------------------ entry point
    def __call__(self, parsed: Doc, analysis: Analysis) -> None:
        text = parsed.text  # built token by token by spaCy: compute once
        found = self.find(parsed, analysis, text)
        starts = [s.start for s in analysis.sentences]
        mentions = [self._to_mention(parsed, f, text, starts) for f in found]
        analysis.mentions.extend(mentions)
        analysis.actors.extend(summarize(mentions, len(analysis.sentences), self.dictionary))

    def find(self, doc: Doc, analysis: Analysis, text: str | None = None) -> list[Found]:
        text = doc.text if text is None else text
        day = analysis.document.published
        candidates: list[Span] = []
        entries_of: dict[tuple[int, int], list[str]] = {}
        cue_at: dict[str, list[int]] = {}  # cue key -> token positions
        triggers: list[tuple[str, int, int]] = []
        for matcher in (self.lower, self.exact):
            for match_id, start, end in matcher(doc):
                kind, payload = self.keys[match_id]
                if kind in ("T", "X"):
                    table = self.dictionary.lower_terms if kind == "T" else self.dictionary.exact_terms
                    span = Span(doc, start, end, label="ACTOR")
                    entries_of.setdefault((start, end), []).extend(table[payload])
                    candidates.append(span)
                elif kind == "B":
                    candidates.append(Span(doc, start, end, label="BLOCK"))
                elif kind == "C":
                    cue_at.setdefault(payload, []).append(start)
                else:
                    triggers.append((payload, start, end))
        kept = [span for span in filter_spans(candidates) if span.label_ != "BLOCK"]
        cues = _CueScorer(doc, cue_at) if cue_at else None
        covered = {i for span in kept for i in range(span.start, span.end)}
        found: list[Found] = []
        for span in kept:
            item = self._resolve(doc, span, entries_of.get((span.start, span.end), []), day, cues, covered)
            if item is not None:
                found.append(item)
        found.extend(self._hyphenated(doc, text, day, found))
        found.sort(key=lambda f: (f.start, f.char_start or 0))
        self._bare_names(doc, found)
        for f in found:
            if self._is_place(doc, f):
                # the place stands for its country, not for the government seated there
                f.code, f.sector, f.plain = f.country or f.code, None, True
                f.method, f.confidence = f"{f.method}:place", round(f.confidence * 0.6, 3)
        coref_found = self._coref_countries(doc, found, triggers)
        found = sorted(found + coref_found, key=lambda f: (f.start, f.char_start or 0))
        found = merge_role_compounds(doc, found)
        found = attach_roles(doc, found)
        found = attach_titles_and_appositions(doc, found)
        found += self._coref_people(doc, found, triggers)
        found = sorted(found, key=lambda f: (f.start, f.char_start or 0))
        coref_bare_roles(doc, found)
        return [f for f in found if not (f.kind == "role" and f.country is None and f.entry and f.entry.needs_country)]

    # ------------------------------------------------------------------ resolution of one match
    def _resolve(
        self, doc: Doc, span: Span, keys: list[str], day: object, cues: _CueScorer | None, covered: set[int]
    ) -> Found | None:
        entries = [self.dictionary.entries[k] for k in dict.fromkeys(keys) if k in self.dictionary.entries]
        capitalised = not span.text.islower()  # 'turkey', 'chad', 'china' are words; 'al-Qaeda' is a name
        entries = [e for e in entries if capitalised or not e.proper]
        if not entries:
            return None
        if any(e.kind == "role" for e in entries) and (
            not _nominal_role(doc, span, covered)
            or _weak_role_in_compound(span, entries, covered)
            or _inside_other_name(doc, span, covered)
        ):
            entries = [e for e in entries if e.kind != "role"]
            if not entries:
                return None
        entries.sort(key=lambda e: _KIND_RANK.get(e.kind, 9))
        entry = entries[0]
        adjective = next((e for e in entries if e.kind == "state" and e.code == entry.code), None)
        if entry.kind == "group" and adjective and (span.root.dep_ in MODIFIER_DEPS or span.root.pos_ == "ADJ"):
            entry = adjective  # "Chinese" is the people only when it heads a noun phrase ("the Chinese say")
        if entry.kind == "person" and len(entries) > 1:
            entry = _pick_person([e for e in entries if e.kind == "person"], day)
        confidence_factor = 1.0
        spec = self.dictionary.ambiguity.get(span.text) or self.dictionary.ambiguity.get(span.text.title())
        if spec is not None and entry.kind != "person":
            score = cues.score(spec.term, span.start) if cues is not None else 0.0
            if score < 0 or (score == 0 and not spec.default):
                return None
            confidence_factor = 1.0 if score > 0 else 0.8
        if entry.kind != "person" and _inside_person_name(doc, span):
            return None
        if entry.kind == "person" and len(span) == 1 and _other_given_name(doc, span, covered):
            return None  # 'Marta Testova' is not 'Testova' the minister
        code, country, sector, method, confidence = entry.resolve(day)  # type: ignore[arg-type]
        return Found(
            span.start,
            span.end,
            code,
            entry.kind,
            entry.name,
            country,
            sector,
            method,
            round(confidence * confidence_factor, 3),
            entry,
            plain=(entry.kind in ("state", "group") and code == country) or (entry.kind == "region" and bool(country)),
            head_lemma=doc[span.end - 1].lemma_.lower(),
        )

    def _hyphenated(self, doc: Doc, text: str, day: object, found: list[Found]) -> list[Found]:
        taken = {f.start for f in found}
        out = []
        for match in HYPHEN_ACTOR.finditer(text):
            token = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if token is None or token.start in taken or len(token) != 1:
                continue
            prefix = match.group(1)
            keys = self.dictionary.exact_terms.get(prefix) or self.dictionary.lower_terms.get(prefix.lower(), [])
            entries = [
                self.dictionary.entries[k] for k in keys if self.dictionary.entries[k].kind in ("state", "organisation")
            ]
            if not entries:
                continue
            entry = entries[0]
            code, country, sector, method, confidence = entry.resolve(day)  # type: ignore[arg-type]
            out.append(
                Found(
                    token.start,
                    token.end,
                    code,
                    entry.kind,
                    entry.name,
                    country,
                    sector,
                    f"{method}+hyphen",
                    confidence * 0.9,
                    entry,
                    char_start=match.start(1),
                    char_end=match.end(1),
                )
            )
        return out

    def _bare_names(self, doc: Doc, found: list[Found]) -> None:
        """Bare 'Congo'/'Korea' take the reading the rest of the document makes explicit: a story
        naming Brazzaville or North Korea means them; otherwise the default, with less confidence."""
        bare = [f for f in found if f.end - f.start == 1 and doc[f.start].lower_ in BARE_NAMES]
        if not bare:
            return
        explicit = Counter(f.country for f in found if f not in bare)
        for f in bare:
            default, alternative = BARE_NAMES[doc[f.start].lower_]
            if f.country != default:
                continue
            if explicit[alternative] > explicit[default]:
                f.code = f.country = alternative
                f.name = self.dictionary.country_names.get(alternative, alternative)
                f.method += ":context"
            elif not explicit[default]:
                f.confidence = min(f.confidence, 0.8)

    @staticmethod
    def _is_place(doc: Doc, f: Found) -> bool:
        """A capital used as a location is not an actor: 'talks in Islamabad', 'visited Beijing'."""
        if f.method != "metonym" or f.kind != "state":
            return False
        root = doc[f.start : f.end].root
        head = root.head
        if root.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPS:
            return True
        if root.dep_ in ("dobj", "pobj") and (head.lemma_ in MOTION_VERBS or head.head.lemma_ in MOTION_VERBS):
            return head.lower_ not in ("from", "with", "by")
        return root.dep_ == "compound" and head.pos_ == "NOUN" and head.lemma_ not in _ROLE_LEMMAS

    # ------------------------------------------------------------------ coreference
    def _coref_countries(self, doc: Doc, found: list[Found], triggers: list[tuple[str, int, int]]) -> list[Found]:
        out: list[Found] = []
        for kind, start, end in triggers:
            if kind not in ("country", "pair"):
                continue
            earlier = [f for f in found if f.end <= start and f.codes_country and f.kind in ("state", "group")]
            sent_start = doc[start].sent.start
            window_start = _window_start(doc, sent_start, sentences_back=3)
            earlier = [f for f in earlier if f.start >= window_start]
            distinct: list[Found] = []
            for f in reversed(earlier):
                if all(f.country != g.country for g in distinct):
                    distinct.append(f)
            wanted = 1 if kind == "country" else 2
            if len(distinct) < wanted:
                continue
            for f in distinct[:wanted]:
                country = f.country or ""
                out.append(
                    Found(
                        start,
                        end,
                        country,
                        "state",
                        self.dictionary.country_names.get(country, country),
                        country,
                        None,
                        f"coref:{doc[start:end].text.lower()}",
                        0.6,
                        f.entry,
                        coref=True,
                        plain=True,
                    )
                )
        return out

    def _coref_people(self, doc: Doc, found: list[Found], triggers: list[tuple[str, int, int]]) -> list[Found]:
        out: list[Found] = []
        people = [f for f in found if f.kind == "person" and f.entry is not None]
        for kind, start, end in triggers:
            if kind != "person":
                continue
            window_start = _window_start(doc, doc[start].sent.start, sentences_back=2)
            earlier = [p for p in people if window_start <= p.start and p.end <= start]
            if not earlier:
                continue
            # "he" only links when one person is in view: two candidates is a guess.
            if len({p.code + p.name for p in earlier}) > 1 and earlier[-1].start < doc[start].sent.start:
                continue
            p = earlier[-1]
            out.append(
                replace(
                    p,
                    start=start,
                    end=end,
                    method=f"coref:{doc[start].lower_}",
                    confidence=round(p.confidence * 0.6, 3),
                    coref=True,
                    char_start=None,
                    char_end=None,
                )
            )
        return out

    # ------------------------------------------------------------------ output
    def _to_mention(self, doc: Doc, f: Found, text: str, starts: list[int]) -> ActorMention:
        start = f.char_start if f.char_start is not None else doc[f.start].idx
        end = f.char_end if f.char_end is not None else doc[f.end - 1].idx + len(doc[f.end - 1].text)
        sentence = max(bisect.bisect_right(starts, start) - 1, 0)
        return ActorMention(
            text=text[start:end],
            start=start,
            end=end,
            sentence=sentence,
            code=f.code,
            kind=f.kind,
            name=f.name,
            country=f.country,
            sector=f.sector,
            method=f.method,
            confidence=round(f.confidence, 3),
            coref=f.coref,
        )


class _CueScorer:
    """Context cues for ambiguous names, weighted by distance: the same sentence counts most,
    neighbouring sentences less, the rest of the document a little (a whole article about
    Atlanta makes 'Georgia' the state even where a sentence has no cue of its own)."""

    def __init__(self, doc: Doc, cue_at: dict[str, list[int]]) -> None:
        self.sent_starts = [s.start for s in doc.sents]
        self.cue_sents = {key: [self._sentence(i) for i in positions] for key, positions in cue_at.items()}

    def _sentence(self, token_index: int) -> int:
        return bisect.bisect_right(self.sent_starts, token_index) - 1

    def score(self, term: str, token_index: int) -> float:
        here = self._sentence(token_index)

        def weight(key: str) -> float:
            total = 0.0
            for sentence in self.cue_sents.get(key, ()):
                distance = abs(sentence - here)
                total += 2.0 if distance == 0 else 1.0 if distance == 1 else 0.25
            return total

        return weight(f"{term}|+") - weight(f"{term}|-")


_ROLE_LEMMAS = frozenset(
    {
        "official",
        "government",
        "leader",
        "leadership",
        "diplomat",
        "envoy",
        "administration",
        "authority",
        "regime",
        "minister",
        "ministry",
        "military",
        "army",
        "delegation",
        "negotiator",
        "spokesman",
    }
)


def _nominal_role(doc: Doc, span: Span, covered: set[int]) -> bool:
    """Role nouns must be nouns ('general' the adjective is not a general), except a modifier of
    another role noun ('military spokesman')."""
    if span.root.pos_ in ("NOUN", "PROPN"):
        return True
    return span.root.pos_ == "ADJ" and span.end in covered


def _inside_other_name(doc: Doc, span: Span, covered: set[int]) -> bool:
    """'Harvard University', 'Supreme Leader' aside: a capitalised role word inside a named entity
    whose other words are not actors is part of a name, not a role."""
    root = span.root
    if root.ent_iob_ == "O" or root.ent_type_ not in ("ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW"):
        return False
    if not root.text[:1].isupper():
        return False
    ent_start = root.i
    while ent_start > 0 and doc[ent_start].ent_iob_ == "I":
        ent_start -= 1
    ent_end = root.i + 1
    while ent_end < len(doc) and doc[ent_end].ent_iob_ == "I":
        ent_end += 1
    others = [i for i in range(ent_start, ent_end) if not span.start <= i < span.end]
    return any(i not in covered and doc[i].is_alpha and doc[i].lower_ not in ("the", "of", "and") for i in others)


def _weak_role_in_compound(span: Span, entries: list[Entry], covered: set[int]) -> bool:
    """'restraint regime', 'press conference': a weak role noun in a compound with a common noun."""
    if not any(e.kind == "role" and e.weak for e in entries):
        return False
    root = span.root
    if root.dep_ == "compound" and root.head.i not in covered and root.head.pos_ == "NOUN":
        return True
    return any(
        child.dep_ in ("compound", "amod")
        and child.i not in covered
        and child.text.islower()
        and child.pos_ in ("NOUN", "ADJ")
        and child.i < span.start
        for child in root.children
    )


HONORIFICS = frozenset(
    {
        "ayatollah",
        "grand",
        "emir",
        "crown",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "dr",
        "dr.",
        "gen",
        "gen.",
        "sen",
        "sen.",
        "rep",
        "rep.",
        "sir",
        "dame",
        "lord",
        "lady",
        "sheikh",
        "mullah",
        "maulana",
        "imam",
        "prof",
        "prof.",
        "gov",
        "gov.",
        "lt",
        "lt.",
        "col",
        "col.",
        "maj",
        "maj.",
        "adm",
        "adm.",
        "marshal",
        "field",
        "king",
        "queen",
        "prince",
        "premier",
        "president",
        "chancellor",
        "minister",
        "secretary",
        "general",
        "mian",
        "syed",
        "hazrat",
    }
)


def _other_given_name(doc: Doc, span: Span, covered: set[int]) -> bool:
    """A surname alias right after a capitalised name that is not a title names someone else."""
    if span.start == 0:
        return False
    before = doc[span.start - 1]
    return (
        before.i not in covered
        and before.pos_ == "PROPN"
        and before.text[:1].isupper()
        and before.lower_ not in HONORIFICS
    )


def _pick_person(people: list[Entry], day: object) -> Entry:
    import datetime as dt

    if isinstance(day, dt.date):
        active = [p for p in people if any(r.active(day) for r in p.roles)]
        if active:
            return active[0]
    return max(people, key=lambda p: max((r.start or dt.date.min) for r in p.roles) if p.roles else dt.date.min)


def _inside_person_name(doc: Doc, span: Span) -> bool:
    """'Jordan' in 'Jim Jordan', 'Chad' in 'Chad Smith': a name next to another capitalised name."""
    if span.root.ent_type_ != "PERSON":
        return False
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    return any(
        t is not None and t.pos_ == "PROPN" and t.text[:1].isupper() and t.ent_type_ == "PERSON"
        for t in (before, after)
    )


def _window_start(doc: Doc, sent_start: int, sentences_back: int) -> int:
    """Token index where the window of the current and `sentences_back` previous sentences begins."""
    start = sent_start
    for _ in range(sentences_back):
        if start == 0:
            break
        start = doc[start - 1].sent.start
    return start


def _chain_head(token: Token) -> Token:
    """Walk up coordination: in 'Hungarian and Romanian officials' Romanian -> Hungarian."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


GENERIC_ROLE_LEMMAS = frozenset(
    {
        "official",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "leader",
        "authority",
        "delegation",
        "negotiator",
        "chief",
        "head",
        "minister",
        "ministry",
    }
)


def merge_role_compounds(doc: Doc, found: list[Found]) -> list[Found]:
    """'army officials', 'police spokesman': a specific role noun before a generic one sets the sector."""
    out: list[Found] = []
    for f in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "role"
            and f.kind == "role"
            and prev.end == f.start
            and prev.country is None
            and f.country is None
            and prev.sector != f.sector
            and doc[f.end - 1].lemma_.lower() in GENERIC_ROLE_LEMMAS
        ):
            prev.end = f.end
            prev.method = f"{prev.method}+generic-head"
            continue
        out.append(f)
    return out


def attach_roles(doc: Doc, found: list[Found]) -> list[Found]:
    """Give role nouns the country of their modifier: possessive, compound, adjective, 'of' phrase,
    coordination. An adjacent modifier is merged into the role mention ("Pakistan's army chief")."""
    role_at: dict[int, Found] = {}
    for f in found:
        if f.kind == "role" and f.country is None:
            for i in range(f.start, f.end):
                role_at[i] = f
    if not role_at:
        return found
    plain_tokens = {i for f in found if f.plain for i in range(f.start, f.end)}
    base_sector = {id(f): f.sector for f in found if f.kind == "role"}
    links: list[tuple[int, Found, str]] = []
    for index, m in enumerate(found):
        if not _can_modify(m):
            continue
        if _adjacent_before(doc, m, role_at):
            links.append((index, role_at[_skip_possessive(doc, m.end)], "adjacent"))
            continue
        root = doc[m.start : m.end].root
        head = _chain_head(root)
        if head.i != root.i and head.i not in plain_tokens:
            continue  # coordinated with something that is not an actor: a parse we do not trust
        coordinated = head.i != root.i or any(c.dep_ == "conj" and c.i in plain_tokens for c in root.children)
        if head.dep_ in MODIFIER_DEPS and head.head.i in role_at:
            role = role_at[head.head.i]
            # words between modifier and role that are themselves actors or list punctuation mean
            # a list: "UN, Turkish and Ukrainian officials"
            between = doc[m.end : role.start]
            listed = any(t.i in plain_tokens or t.pos_ == "CCONJ" or t.text == "," for t in between)
            how = (
                "coordination"
                if coordinated or listed
                else {"poss": "possessive", "amod": "adjective"}.get(head.dep_, "compound")
            )
            links.append((index, role, how))
        elif head.dep_ == "pobj" and head.head.lower_ in ROLE_PREPS and head.head.head.i in role_at:
            # "the army of Egypt", "rebels in Darfur", "students throughout Indonesia"
            links.append((index, role_at[head.head.head.i], f"{head.head.lower_}-phrase"))
    merged_away: set[int] = set()
    # modifiers next to their role first: they own the role's span and country
    for index, role, how in sorted(links, key=lambda link: link[2] == "coordination"):
        m = found[index]
        if role.country is not None and how != "coordination":
            continue  # the role already has its country from a closer modifier
        if how == "coordination":
            # the coordinated modifier keeps its own span but takes the shared role's sector
            sector = base_sector.get(id(role))
            if m.country in ORG_PREFIXES:
                continue
            m.code = f"{m.country}{sector or ''}"
            m.sector, m.kind, m.plain = sector, "role", False
            m.method = f"{m.method}+coordination+role"
            continue
        _give(role, m, how)
        if not how.endswith("-phrase"):
            role.start = min(role.start, m.start)
            merged_away.add(index)
    for f in found:
        if f.kind == "role" and f.country is None and f.sector:
            _role_from_of_phrase(doc, f, found)
    return [f for i, f in enumerate(found) if i not in merged_away]


def _can_modify(m: Found) -> bool:
    """A bare state, a place or organ of one state, or an organisation can give a role its country."""
    if m.kind == "role" or m.char_start is not None or (m.coref and not m.plain):
        return False
    if m.plain or m.country in ORG_PREFIXES:
        return True
    return m.method.startswith("metonym") and m.codes_country


def doc_lemma_generic(role: Found) -> bool:
    return role.head_lemma in GENERIC_ROLE_LEMMAS


def _give(role: Found, m: Found, how: str) -> None:
    if m.country in ORG_PREFIXES:
        role.code, role.country, role.sector, role.kind, role.name = (
            m.code,
            m.country,
            m.sector,
            "organisation",
            m.name,
        )
    elif m.sector and doc_lemma_generic(role):
        # "Pentagon officials", "Kremlin spokesman": the organ's own code
        role.country, role.code, role.sector, role.name = m.country, m.code, m.sector, m.name
    else:
        role.country = m.country
        role.code = f"{m.country}{role.sector or ''}"
        role.name = m.name
    role.method = f"{how}+role"
    role.coref = role.coref or m.coref
    role.confidence = min(role.confidence, m.confidence)


def _role_from_of_phrase(doc: Doc, role: Found, found: list[Found]) -> None:
    """'the army of Pakistan', 'Chief of Army Staff of Pakistan'."""
    root = doc[role.start : role.end].root
    by_start = {f.start: f for f in found if f.plain}
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                m = by_start.get(doc[obj.left_edge.i : obj.i + 1].root.i) or by_start.get(obj.i)
                if m is not None and obj.i < m.end:
                    _give(role, m, "of-phrase")
                    return


def _skip_possessive(doc: Doc, i: int) -> int:
    return i + 1 if i < len(doc) and doc[i].text in POSSESSIVE else i


def _adjacent_before(doc: Doc, m: Found, role_at: dict[int, Found]) -> bool:
    i = _skip_possessive(doc, m.end)
    return i in role_at and role_at[i].start == i


def attach_titles_and_appositions(doc: Doc, found: list[Found]) -> list[Found]:
    """'U.S. President Donald Trump' -> one person mention; 'Asim Munir, Pakistan's army chief'."""
    out: list[Found] = []
    by_end = {f.end: f for f in found if f.kind == "role"}
    person_ents = {e.start: e for e in doc.ents if e.label_ == "PERSON"}
    consumed: set[int] = set()
    for f in found:
        if f.kind == "person":
            titled = False
            while True:  # "Army chief General X": titles stack
                edge = f.start
                while edge > 0 and edge not in by_end and doc[edge - 1].lower_ in HONORIFICS:
                    edge -= 1  # "Field Marshal", "Ayatollah" between a title and a name
                title = by_end.get(edge)
                if title is None or id(title) in consumed:
                    break
                consumed.add(id(title))
                f.start, titled = title.start, True
                if f.country is None:
                    f.country, f.code, f.sector = title.country, title.code, title.sector
            if titled:
                f.method = f"{f.method}+title"
        out.append(f)
    # a title followed by a name we do not know: the name takes the title's code
    for f in found:
        if f.kind == "role" and id(f) not in consumed and f.end in person_ents:
            ent = person_ents[f.end]
            if not any(g.kind == "person" and g.start < ent.end and ent.start < g.end for g in found):
                consumed.add(id(f))
                out.append(replace(f, end=ent.end, kind="person", name=ent.text, method=f"{f.method}+title+name"))
    out = [f for f in out if id(f) not in consumed]
    _appositions(doc, out, person_ents)
    return sorted(out, key=lambda f: (f.start, f.char_start or 0))


def _appositions(doc: Doc, found: list[Found], person_ents: dict[int, Span]) -> None:
    roles = [f for f in found if f.kind == "role"]
    for role in roles:
        root = doc[role.start : role.end].root
        if root.dep_ != "appos":
            continue
        anchor = root.head
        person = next((f for f in found if f.kind == "person" and f.start <= anchor.i < f.end), None)
        if person is not None:
            if role.country is None and person.country:
                role.code, role.country, role.method = (
                    person.code,
                    person.country,
                    f"{role.method}+apposition",
                )
                role.sector = person.sector
            continue
        ent = next((e for e in person_ents.values() if e.start <= anchor.i < e.end), None)
        if ent is not None and role.country is not None:
            found.append(
                replace(
                    role,
                    start=ent.start,
                    end=ent.end,
                    kind="person",
                    name=ent.text,
                    method=f"{role.method}+apposition",
                    confidence=round(role.confidence * 0.9, 3),
                )
            )


def coref_bare_roles(doc: Doc, found: list[Found]) -> None:
    """'the government', 'the military' with no country: the one country in view, if only one."""
    for role in found:
        if role.kind != "role" or role.country is not None or role.sector not in _STATE_SECTORS:
            continue
        first = doc[role.start]
        if first.lower_ != "the" and (role.start == 0 or doc[role.start - 1].lower_ != "the"):
            continue
        window_start = _window_start(doc, first.sent.start, sentences_back=1)
        seen = {f.country for f in found if window_start <= f.start < role.start and f.codes_country}
        if len(seen) == 1:
            country = seen.pop() or ""
            role.country, role.code = country, f"{country}{role.sector}"
            role.method, role.coref = f"{role.method}+coref:single-country", True
            role.confidence = round(role.confidence * 0.5, 3)


_STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})


def summarize(mentions: list[ActorMention], n_sentences: int, dictionary: Dictionary) -> list[Actor]:
    """Per-document actors. Salience blends frequency with how early the actor first appears, as in
    news an actor named in the lead matters more than one named once at the end."""
    if not mentions:
        return []
    by_code: dict[str, list[ActorMention]] = {}
    for m in mentions:
        by_code.setdefault(m.code, []).append(m)
    most = max(len(v) for v in by_code.values())
    actors = []
    for code, items in by_code.items():
        explicit = [m for m in items if not m.coref] or items
        kind = Counter(m.kind for m in explicit).most_common(1)[0][0]
        first = min(m.sentence for m in items)
        position = 1.0 - first / max(n_sentences, 1)
        salience = 0.7 * len(items) / most + 0.3 * position
        actors.append(
            Actor(
                code=code,
                name=canonical_name(code, explicit, dictionary),
                kind=kind,
                mentions=len(items),
                salience=round(salience, 3),
            )
        )
    return sorted(actors, key=lambda a: (-a.salience, a.code))


def canonical_name(code: str, mentions: list[ActorMention], dictionary: Dictionary) -> str:
    """One person's name when a code is only that person; else the organ's name ("Pakistan
    military"), since a code such as USAGOV gathers the president, officials and metonyms."""
    names = {m.name for m in mentions if m.name}
    kinds = {m.kind for m in mentions}
    mention = mentions[0]
    if len(names) == 1 and (kinds == {"person"} or kinds <= {"organisation", "region", "group"}):
        return mention.name or code
    country = mention.country
    base = dictionary.country_names.get(country or "", mention.name or code)
    if mention.sector and mention.sector in SECTORS and country not in ORG_PREFIXES:
        label = SECTORS[mention.sector].split(",")[0]
        return f"{base} {label}" if country else label
    return base
