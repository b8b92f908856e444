"""Trained attribution tagger: a linear-chain CRF (python-crfsuite) over the words of a sentence.

Each token gets one BIO tag over CUE, SOURCE and CONTENT, which is how PolNeAR
annotates attributions (every token belongs to at most one role of one
attribution). The English model is built by the user from their own copy of PolNeAR
(`crosswire train-attribution PATH`, crosswire.attribution.train) into model_dir(), as
PolNeAR states no licence that would let crosswire ship it; a language without a model
is read by the rules alone (see extract.extract_attributions).

A tagged cue becomes an Attribution with the nearest tagged source of its
sentence; its kind comes from the cue lexicon when a lexicon cue lies inside
it, else "verb". The features use the language's cue lexicon (cue kinds and
word classes), so the tagger and the rules share one vocabulary of cues, and
distributional word classes (`data/clusters/<lang>.tsv`, see _word_clusters).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import pycrfsuite

from ..model import Attribution, Sentence, Span
from ..settings import user_models_dir
from .entities import anonymous_of_type, resolve_source, unstated_source
from .lexicon import Lexicon, lexicon

# Words, with English clitics apart ("He" + "’s been ..." is a source and a cue in PolNeAR,
# while "O’Malley" is one word); every other non-space character is a token of its own.
TOKEN = re.compile(
    r"[’'](?:s|re|ve|ll|d|m)(?!\w)|\w+(?:[-.]\w+|[’'](?!(?:s|re|ve|ll|d|m)(?!\w))\w+)*|\S", re.IGNORECASE
)
ROLE_OF_TAG = {"CUE": "cue", "SRC": "source", "CON": "content"}
TAG_OF_ROLE = {role: tag for tag, role in ROLE_OF_TAG.items()}
# Tokens outside the best tag sequence that the model still likely takes for a source
# (see _with_likely_roles): a cue without a source of the best sequence takes its source from them.
LIKELY_SOURCE_TAG, LIKELY_SOURCE = "SRC?", "likely source"
# Tokens the model gives some belief as a cue, too little to read them as one alone (see
# MIN_RULE_CUE_MARGINAL): a verb cue of the rules there is kept (see with_rule_readings).
POSSIBLE_CUE = "possible cue"
_OPENING_QUOTES = "“«„"
_CLOSING_QUOTES = "”»"
_QUOTES = '"' + _OPENING_QUOTES + _CLOSING_QUOTES
_INFINITIVE_MARKER = "to"  # the model is English
# Marginal probability from which an "O" token of the best sequence is read as a cue or a
# source (see _with_likely_roles). Chosen on a held-out fifth of PolNeAR train
# (bench/train_attribution.py --holdout), never on dev.
MIN_ROLE_MARGINAL = {"CUE": 0.4, "SRC": 0.3}
# The cue marginal from which a verb cue that the rules read with a source, and the tagger does
# not, is kept. On the held-out fifth of train, 55% of such cues at 0.2 or more are PolNeAR cues,
# against 33% of all of them: more than the F1 of cues, halved, so each one kept raises it.
MIN_RULE_CUE_MARGINAL = 0.2
# The least product of a cue's and its source's mean marginals for the source to be kept
# where the rules do not read it too (see without_doubtful_source): the belief from which
# the tagger reads a token as a cue; where the rules read it too, the belief from which a
# rule cue is kept (MIN_RULE_CUE_MARGINAL). Both were chosen on a held-out fifth of PolNeAR
# train (bench/train_attribution.py --holdout), never on dev.
MIN_SOURCE_BELIEF = MIN_ROLE_MARGINAL["CUE"]
# The lexicon's word classes that help tell a cue or a source edge.
_WORD_CLASSES = ("pronouns", "speaker", "skip", "det", "aux", "clause", "conj", "agent", "copula")


def model_dir() -> Path:
    """Where built models are looked for before the package's own (settings.user_models_dir)."""
    return user_models_dir()


def user_model_path(lang: str) -> Path:
    return model_dir() / "attribution" / f"{lang}.crfsuite"


def model_path(lang: str):
    """The tagger model of `lang`: one the user built, else one shipped in the package (none is
    for English: the PolNeAR-trained model cannot be redistributed, see docs/attribution-model.md)."""
    built = user_model_path(lang)
    if built.is_file():
        return built
    return importlib.resources.files("crosswire") / "attribution" / "data" / "models" / f"{lang}.crfsuite"


def models_digest() -> bytes:
    """A hash of the models a user built, for ingest.extractor_fingerprint: attributions stored
    with another model (or none) are extracted again."""
    digest = hashlib.sha256()
    folder = model_dir() / "attribution"
    for path in sorted(folder.glob("*.crfsuite")) if folder.is_dir() else ():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def has_model(lang: str) -> bool:
    return model_path(lang).is_file()


def clusters_path(lang: str):
    return importlib.resources.files("crosswire") / "attribution" / "data" / "clusters" / f"{lang}.tsv"


@functools.lru_cache(maxsize=None)
def _word_clusters(lang: str) -> dict[str, str]:
    """Each common word's distributional class, "TT.SS" (coarse and fine k-means clusters of its
    vector, built by bench/word_clusters.py): a word rare in training shares features with the
    common words of its class. Empty for a language without a cluster file."""
    path = clusters_path(lang)
    if not path.is_file():
        return {}
    clusters = {}
    for line in path.read_text("utf-8").splitlines():
        word, _, cluster = line.partition("\t")
        if cluster and not line.startswith("#"):
            clusters[word] = cluster
    return clusters


# A Tagger keeps the last tagged sentence for marginal(), so threads that compare
# articles at once (compare.compare_many) each need their own.
_taggers_of_thread = threading.local()


def _tagger(lang: str) -> pycrfsuite.Tagger:
    taggers = _taggers_of_thread.__dict__.setdefault("by_lang", {})
    if lang not in taggers:
        tagger = pycrfsuite.Tagger()
        with importlib.resources.as_file(model_path(lang)) as path:
            tagger.open(str(path))
        taggers[lang] = tagger
    return taggers[lang]


def forget_loaded_models() -> None:
    """Make this thread reload its models from model_path (bench/train_attribution.py swaps model files)."""
    _taggers_of_thread.__dict__.pop("by_lang", None)


def tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Character spans of the tokens of text[start:end]."""
    return [m.span() for m in TOKEN.finditer(text, start, end)]


@functools.lru_cache(maxsize=None)
def _word_classes(lang: str) -> dict[str, str]:
    lex = lexicon(lang)
    classes: dict[str, str] = {}
    for name in _WORD_CLASSES:
        for word in getattr(lex, name):
            classes.setdefault(word, name)
    for phrase in lex.anon:
        if " " not in phrase:
            classes.setdefault(phrase, "anon")
    # Other inflections of the lexicon's one-word verbs ("pledge" listed, "pledging" found):
    # the lexicon lists the common forms only.
    for phrase, cue in lex.cues.items():
        if cue.kind in ("verb", "chain") and phrase.isalpha():
            for form in _inflections(phrase):
                classes.setdefault(form, "cue-form")
    for word in lex.stance:
        for form in _inflections(word):
            classes.setdefault(form, "stance")
    return classes


def _inflections(word: str) -> Iterator[str]:
    """The forms of an English verb or noun: each stem with each common ending."""
    for stem in _stems(word):
        for ending in ("", "s", "es", "d", "ed", "ing"):
            yield stem + ending


def _stems(word: str) -> set[str]:
    stems = {word}
    for ending in ("ing", "ed", "es", "s", "d"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stems.add(word[: -len(ending)])
    return stems | {stem[:-1] for stem in stems if stem.endswith("e")}


def _shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if not word[0].isalnum():
        return word[0]
    if word.isupper():
        return "X" if len(word) > 1 else "I"
    if word[0].isupper():
        return "Xx"
    return "x" if word.isalpha() else "x-"


def _bucket(n: int) -> str:
    return str(n) if n < 4 else ("4-6" if n < 7 else "7+")


# A sentence's positions and counts as features, bucketed (see _bucket); past the last
# entry every count is "7+".
_BUCKETS = tuple(_bucket(n) for n in range(8))
_NEIGHBOURS = (-2, -1, 1, 2)


def _bucketed(prefix: str) -> tuple[str, ...]:
    return tuple(prefix + bucket for bucket in _BUCKETS)


_POSITION, _REST, _COMMAS_BEFORE, _COMMAS_AFTER = _bucketed("i="), _bucketed("r="), _bucketed("cb="), _bucketed("ca=")
_NEAREST_LEFT, _NEAREST_RIGHT = _bucketed("dl="), _bucketed("dr=")


@functools.lru_cache(maxsize=1 << 16)
def _word_features(word: str, lang: str) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]]]:
    """The features a word gives on its own token, and on its neighbours' at each offset:
    they depend on the word alone, and most words recur, so they are built once."""
    w = word.casefold()
    shape = _shape(word)
    word_class = _word_classes(lang).get(w, "")
    own = ("w=" + w, "s3=" + w[-3:], "s2=" + w[-2:], "p3=" + w[:3], "sh=" + shape, "c=" + word_class)
    neighbour = {d: (f"w{d}=" + w, f"sh{d}=" + shape, f"c{d}=" + word_class) for d in _NEIGHBOURS}
    clusters = _word_clusters(lang)
    if clusters:
        cluster = clusters.get(w, "")
        own += ("bc=" + cluster.partition(".")[0], "bcf=" + cluster)
        neighbour = {d: (*features, f"bcf{d}=" + cluster) for d, features in neighbour.items()}
    return own, neighbour


def features(text: str, spans: Sequence[tuple[int, int]], lex: Lexicon, quoted: bool = False) -> list[list[str]]:
    """The CRF features of each token of one sentence; `quoted`: the sentence starts inside
    a quotation opened in an earlier sentence of its paragraph (see quoted_at_starts)."""
    n = len(spans)
    words = [text[s:e] for s, e in spans]
    lower = [w.casefold() for w in words]
    own = [_word_features(w, lex.lang) for w in words]
    # Lexicon cues: the kind each token is part of, "B" on a cue's first token.
    kinds = [""] * n
    if lex.pattern is not None and n:
        first, last = spans[0][0], spans[-1][1]
        starts = {s: i for i, (s, _) in enumerate(spans)}
        for match in lex.pattern.finditer(text, first, last):
            cue = lex.cues.get(" ".join(match.group(0).split()).casefold())
            i = starts.get(match.start())
            if cue is None or i is None:
                continue
            kinds[i] = "B" + cue.kind
            while i + 1 < n and spans[i + 1][1] <= match.end():
                i += 1
                kinds[i] = "I" + cue.kind
    cue_at = [i for i, k in enumerate(kinds) if k.startswith("B")]
    inside = list(_quote_states(words, quoted))
    commas_before = 0
    commas_total = lower.count(",")
    has_quote = "sq=" + ("1" if any(w in _QUOTES for w in words) else "0")
    opens_quoted = "q0=" + ("1" if quoted else "0")
    last = len(_BUCKETS) - 1
    result = []
    for i in range(n):
        f = [
            *own[i][0],
            "k=" + kinds[i],
            "q=" + ("1" if inside[i] else "0"),
            has_quote,
            opens_quoted,
            _COMMAS_BEFORE[min(commas_before, last)],
            _COMMAS_AFTER[min(commas_total - commas_before, last)],
            _POSITION[min(i, last)],
            _REST[min(n - 1 - i, last)],
        ]
        left = [i - c for c in cue_at if c <= i]
        right = [c - i for c in cue_at if c > i]
        f.append(_NEAREST_LEFT[min(min(left), last)] if left else "dl=-")
        f.append(_NEAREST_RIGHT[min(min(right), last)] if right else "dr=-")
        for d in _NEIGHBOURS:
            j = i + d
            if 0 <= j < n:
                f.extend(own[j][1][d])
                f.append(f"k{d}=" + kinds[j])
            else:
                f.append(f"w{d}=<edge>")
        if i > 0:
            f.append("w-1|w=" + lower[i - 1] + "|" + lower[i])
        if i + 1 < n:
            f.append("w|w+1=" + lower[i] + "|" + lower[i + 1])
        if lower[i] == ",":
            commas_before += 1
        result.append(f)
    return result


def tag_spans(text: str, sentence: Sentence, lex: Lexicon, quoted: bool = False) -> list[tuple[str, int, int]]:
    """(role, start, end) of the cue, source, content, likely source and possible cue spans the
    model tags in a sentence; `quoted`: it starts inside a quotation (see quoted_at_starts)."""
    return _tag_sentence(text, sentence, lex, quoted)[0]


def _tag_sentence(
    text: str, sentence: Sentence, lex: Lexicon, quoted: bool
) -> tuple[list[tuple[str, int, int]], list[TokenBelief]]:
    """tag_spans, and what the model believes of each token (see TokenBelief)."""
    spans = tokens(text, sentence.start, sentence.end)
    if not spans:
        return [], []
    model = _tagger(lex.lang)
    tags, possible_cues = _with_likely_roles(model, model.tag(features(text, spans, lex, quoted)))
    labels = set(model.labels())
    beliefs = [
        TokenBelief(start, end, _likelihood(model, labels, "CUE", t), _likelihood(model, labels, "SRC", t))
        for t, (start, end) in enumerate(spans)
    ]
    found: list[tuple[str, int, int]] = [(POSSIBLE_CUE, *spans[t]) for t in possible_cues]
    role = None
    for (start, end), tag in zip(spans, tags):
        prefix, _, name = tag.partition("-")
        name_role = LIKELY_SOURCE if name == LIKELY_SOURCE_TAG else ROLE_OF_TAG.get(name)
        if prefix == "I" and role == name_role:
            found[-1] = (role, found[-1][1], end)
        elif prefix in ("B", "I"):
            role = name_role
            found.append((role, start, end))
        else:
            role = None
    return found, beliefs


@dataclass(frozen=True)
class TokenBelief:
    """A token's character span and its marginal probabilities of being part of a cue and of a source."""

    start: int
    end: int
    cue: float
    source: float


def _likelihood(model: pycrfsuite.Tagger, labels: set[str], name: str, t: int) -> float:
    """The marginal probability of role `name` at token `t` of the last tagged sentence (B and I summed)."""
    return sum(model.marginal(prefix + name, t) for prefix in ("B-", "I-") if prefix + name in labels)


def belief(beliefs: Sequence[TokenBelief], span: Span, role: str) -> float | None:
    """The mean marginal of `role` ("cue" or "source") over the tokens inside `span`; None when
    no tagged token lies inside it."""
    values = [getattr(b, role) for b in beliefs if span.start <= b.start and b.end <= span.end]
    return sum(values) / len(values) if values else None


def _with_likely_roles(model: pycrfsuite.Tagger, tags: list[str]) -> tuple[list[str], list[int]]:
    """The best tag sequence, with an "O" token retagged as a cue, or as a likely source
    (LIKELY_SOURCE_TAG), where the model gives that role at least MIN_ROLE_MARGINAL (its
    probability summed over the B and I tags); and the possible cues: the other tokens, not
    tagged as cues, with a cue marginal of at least MIN_RULE_CUE_MARGINAL.

    The single best sequence misses a third of PolNeAR's cues (its precision is 0.85 where its
    recall is 0.67); a token the model half believes to be a cue is one more often than not.
    Likely sources stay apart from the best sequence's: they serve only cues without one.
    """
    labels = set(model.labels())

    def likelihood(name: str, t: int) -> float:
        return _likelihood(model, labels, name, t)

    result = list(tags)
    possible_cues = []
    for t, tag in enumerate(tags):
        if tag.endswith("-CUE"):
            continue
        cue = likelihood("CUE", t)
        if tag == "O" and cue >= MIN_ROLE_MARGINAL["CUE"]:
            name = "CUE"
        else:
            if cue >= MIN_RULE_CUE_MARGINAL:
                possible_cues.append(t)
            if tag != "O" or likelihood("SRC", t) < MIN_ROLE_MARGINAL["SRC"]:
                continue
            name = LIKELY_SOURCE_TAG
        result[t] = ("I-" if t and result[t - 1].endswith("-" + name) else "B-") + name
    return result, possible_cues


def _cue_kind(text: str, start: int, end: int, lex: Lexicon) -> tuple[str, object]:
    """The lexicon kind of the first lexicon cue inside a tagged cue ("has also said": verb), else "verb"."""
    if lex.pattern is not None:
        for match in lex.pattern.finditer(text, start, end):
            cue = lex.cues.get(" ".join(match.group(0).split()).casefold())
            if cue is not None and match.end() <= end and cue.kind != "post":
                return cue.kind, cue
    return "verb", None


def _nearest(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The span closest to [start, end) in characters (before or after it)."""
    best = None
    for s, e in spans:
        gap = s - end if s >= end else start - e
        if best is None or gap < best[0]:
            best = (gap, (s, e))
    return best[1] if best else None


def _without_skip_words(text: str, start: int, end: int, lex: Lexicon) -> tuple[int, int]:
    """A source without the lexicon's `skip` words at its edges: the rules' convention
    ("the senator" is cited as "senator"), which PolNeAR does not follow."""
    words = list(TOKEN.finditer(text, start, end))
    while len(words) > 1 and words[0].group(0).casefold() in lex.skip:
        words.pop(0)
    while len(words) > 1 and words[-1].group(0).casefold() in lex.skip:
        words.pop()
    return words[0].start(), words[-1].end()


def _intention_to_say(content: str, lex: Lexicon) -> bool:
    """Content that is an infinitive of a reporting verb ("wants | to say nothing more"): an
    intention to speak, which reports nothing (the rules do not read "to say" as a cue either).
    PolNeAR annotates it; 3 of its 2,195 dev contents are such."""
    words = TOKEN.findall(content, 0, 60)
    if len(words) < 2 or words[0].casefold() != _INFINITIVE_MARKER:
        return False
    cue = lex.cues.get(words[1].casefold())
    return cue is not None and cue.kind == "verb"


def _quote_states(marks: Iterable[str], quoted: bool = False) -> Iterator[bool]:
    """After each token or character: whether a quotation is open (`quoted`: open before
    the first). Straight quotes toggle, curly ones open and close."""
    for mark in marks:
        if mark in _OPENING_QUOTES:
            quoted = True
        elif mark in _CLOSING_QUOTES:
            quoted = False
        elif mark == '"':
            quoted = not quoted
        yield quoted


def quoted_at_starts(text: str, sentences: Sequence[Sentence]) -> list[bool]:
    """For each sentence: whether it starts inside a quotation that an earlier sentence of its
    paragraph opened ("“A. B.” ― X": B is quoted). A line break closes every quotation, so that
    an unclosed quotation mark affects one paragraph only; the text is read once."""
    states = []
    quoted, pos = False, 0
    for sentence in sentences:
        before = text[pos : sentence.start] if sentence.start >= pos else ""
        if sentence.start < pos or "\n" in before:
            quoted, before = False, before.rpartition("\n")[2]
        for quoted in _quote_states(before, quoted):
            pass  # keep the state after the last character
        states.append(quoted)
        pos = sentence.start
    return states


def _quoted(text: str, start: int, pos: int) -> bool:
    """Whether `pos` is inside a quotation opened after `start`."""
    quoted = False
    for quoted in _quote_states(text[start:pos]):
        pass  # keep the state after the last character
    return quoted


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


@dataclass(frozen=True)
class Tagged:
    """What the tagger reads in a text: its attributions, and the character spans of the
    possible cues (see MIN_RULE_CUE_MARGINAL), the sources and the likely sources."""

    attributions: list[Attribution]
    possible_cues: list[tuple[int, int]]
    sources: list[tuple[int, int]]
    likely_sources: list[tuple[int, int]]
    beliefs: list[TokenBelief]


def tagged_attributions(text: str, sentences: Sequence[Sentence], lex: Lexicon) -> Tagged:
    """One attribution per tagged cue, with the nearest tagged source and content of its sentence."""
    result = []
    possible_cues, all_sources, all_likely_sources = [], [], []
    beliefs: list[TokenBelief] = []
    for sentence, quoted in zip(sentences, quoted_at_starts(text, sentences)):
        found, sentence_beliefs = _tag_sentence(text, sentence, lex, quoted)
        beliefs.extend(sentence_beliefs)
        sources = [(s, e) for role, s, e in found if role == "source"]
        likely_sources = [(s, e) for role, s, e in found if role == LIKELY_SOURCE]
        possible_cues.extend((s, e) for role, s, e in found if role == POSSIBLE_CUE)
        all_sources.extend(sources)
        all_likely_sources.extend(likely_sources)
        contents = [(s, e) for role, s, e in found if role == "content"]
        for role, start, end in found:
            if role != "cue":
                continue
            kind, cue = _cue_kind(text, start, end, lex)
            cue_span = _span(text, start, end)
            near = _nearest(sources, start, end) or _nearest(likely_sources, start, end)
            source = _span(text, *_without_skip_words(text, *near, lex)) if near else None
            near = _nearest(contents, start, end)
            content = _span(text, *near) if near else None
            if content is not None and _intention_to_say(content.text, lex):
                continue
            if (
                source is not None
                and source.text.casefold() in lex.speaker
                and not _quoted(text, sentence.start, start)
            ):
                continue  # "I said ...": the writer's own voice, not a cited source (as the rules read it)
            if source is not None:
                entity = resolve_source(source.text, lex)
            else:
                # A hedge ("reportedly") says an unnamed source exists; another cue without a
                # source ("criticism of ...") says nothing of who speaks.
                entity = (
                    anonymous_of_type(cue.anon_type, cue_span.text)
                    if kind == "hedge"
                    else unstated_source(cue_span.text)
                )
            result.append(
                Attribution(
                    sentence.index, kind, cue_span, source, content, entity, relay=bool(cue is not None and cue.relay)
                )
            )
    return Tagged(result, possible_cues, all_sources, all_likely_sources, beliefs)


def without_doubtful_source(
    attribution: Attribution, beliefs: Sequence[TokenBelief], rules: Sequence[Attribution] = ()
) -> Attribution:
    """The attribution without its source span where the model doubts the pair: the product of
    the mean cue and source marginals over their tokens (about the chance that both are right)
    is below MIN_SOURCE_BELIEF, or, where a rule reading of the same cue has a source that
    overlaps it, below MIN_RULE_CUE_MARGINAL. What is left names no one (entities.unstated_source),
    so no doubtful source reaches a provenance graph or a source count; the cue and content stay."""
    if attribution.source is None or attribution.cited is not None:
        return attribution
    cue, source = belief(beliefs, attribution.cue, "cue"), belief(beliefs, attribution.source, "source")
    if cue is None or source is None or cue * source >= MIN_SOURCE_BELIEF:
        return attribution
    span = attribution.source
    if cue * source >= MIN_RULE_CUE_MARGINAL and any(
        r.source is not None
        and cues_overlap(attribution, r)
        and r.source.start < span.end
        and span.start < r.source.end
        for r in rules
    ):
        return attribution
    return replace(attribution, source=None, entity=unstated_source(attribution.cue.text))


def cues_overlap(a: Attribution, b: Attribution) -> bool:
    """Whether two attributions of one sentence share part of their cue: one reading of one cue."""
    return a.sentence == b.sentence and a.cue.start < b.cue.end and b.cue.start < a.cue.end


def with_rule_readings(
    tagged: list[Attribution],
    rules: Sequence[Attribution],
    possible_cues: Sequence[tuple[int, int]] = (),
    sources: Sequence[tuple[int, int]] = (),
    likely_sources: Sequence[tuple[int, int]] = (),
) -> list[Attribution]:
    """Tagged attributions with the rule readings PolNeAR leaves out or that say more than spans.

    Chains and passives keep the document their source saw (`cited`), relays their flag and
    hedges ("reportedly") their unnamed source, so the rule reading replaces a tagged cue that
    overlaps it; a tagged cue takes the source of the rule reading
    of the same cue when it has none, or only one of the tagger's `likely_sources`, or the
    rules' opens its own; a verb cue that the rules read with a source is added where no tagged
    cue overlaps it and a possible cue of the tagger does, with its source where the tagger
    reads a source or likely source there too; other rule readings are left to the tagger.
    """

    def within(span: Span, spans: Sequence[tuple[int, int]]) -> bool:
        return any(s < span.end and span.start < e for s, e in spans)

    structured = [r for r in rules if r.cue_kind in ("chain", "passive", "hedge") or r.relay]
    kept = []
    for attribution in tagged:
        if any(cues_overlap(attribution, r) for r in structured):
            continue
        reading = next((r for r in rules if r.source is not None and cues_overlap(attribution, r)), None)
        # A subject far from its cue ("X, who ..., said"), or shared with the cue before it
        # ("X acknowledged ... but noted"): the rules follow it, a linear-chain tagger rarely does.
        # Where both find the source and the rules' span opens the tagged one, the rules' keeps
        # the project's convention in every language: the name of an apposition ("Dmitry Peskov,
        # the Kremlin spokesman,": "Dmitry Peskov"; PolNeAR marks the whole). A rules' span
        # further inside is mostly a clause cut in the wrong place ("Stacy Baker of Columbia,
        # South Carolina": "South Carolina"), and the tagged source stays.
        if reading is not None and (
            attribution.source is None
            or not within(attribution.source, sources)
            or (attribution.source.start == reading.source.start and reading.source.end <= attribution.source.end)
        ):
            attribution = replace(attribution, source=reading.source, entity=reading.entity)
        kept.append(attribution)
    confirmed = [
        r
        if within(r.source, [*sources, *likely_sources])
        else replace(r, source=None, entity=unstated_source(r.cue.text))
        for r in rules
        if r.cue_kind == "verb"
        and r.source is not None
        and within(r.cue, possible_cues)
        and not any(cues_overlap(r, t) for t in kept)
    ]
    return sorted(kept + structured + confirmed, key=lambda a: (a.sentence, a.cue.start))
