"""Search recall: what the two-stage search finds of an exhaustive sentence search.

    python bench/search.py --db /work/bench-data/growth/growth.db [--queries 200] [--limit 10] [--seed 0]

`Corpus.search` ranks articles by their article vector and then every sentence of the
nearest SEARCH_CANDIDATES (500) articles. This bench asks the same queries of an
exhaustive search over every stored sentence vector of every original article (streamed
from the database, so memory stays bounded) and reports recall@limit: the share of the
exhaustive top `limit` sentences that the two-stage search returns, and how often its
first hit is the exhaustive first hit. Both use the same query vector and the same
order on ties (score, then article id, then sentence).

The articles bench/ingest.py builds draw their sentences from one pool per language,
so a sentence recurs in many articles and its copies score alike (the encoder's int8
output varies slightly with its batch): recall is also reported by sentence text.

Queries: sentences of the WMT21 French-German news documents in ../shared/data/wmt21
(the text bench/ingest.py builds its French and German articles from), 8 words or more,
drawn with a fixed seed; half French, half German, so each one's translation may be in
the corpus as well as its own wording. Opening the database migrates it to this
crosswire's schema; search itself writes nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

DATA = Path("../shared/data")


def queries(count: int, seed: int) -> list[str]:
    by_lang: dict[str, list[str]] = {"fr": [], "de": []}
    for path in sorted((DATA / "wmt21").glob("*.xml")):
        for side in ET.parse(path).getroot().iter():
            if side.tag in {"src", "ref"} and side.get("lang") in by_lang:
                by_lang[side.get("lang")].extend(
                    seg.text.strip() for seg in side.iter("seg") if seg.text and len(seg.text.split()) >= 8
                )
    rng = random.Random(seed)
    return [text for lang in sorted(by_lang) for text in rng.sample(by_lang[lang], count // 2)]


def exhaustive(
    store, encoder: str, vectors: np.ndarray, ids: list[int], limit: int, block: int = 50_000
) -> list[list[tuple[int, int]]]:
    """Each query's top `limit` (article, sentence) over every sentence of these articles,
    scored a block of sentences at a time (memory stays bounded)."""
    best: list[list[tuple[float, int, int]]] = [[] for _ in range(len(vectors))]

    def flush(keys: list[tuple[int, int]], rows: list[np.ndarray]) -> None:
        scores = vectors @ np.concatenate(rows).T  # (queries, sentences in the block)
        count = min(limit, scores.shape[1])
        for q, row in enumerate(scores):
            # A few more than `limit`, so that ties at the cut are ordered like the search does.
            top = np.argpartition(-row, min(count + 8, len(row)) - 1)[: count + 8]
            found = best[q] + [(float(row[k]), *keys[k]) for k in top]
            best[q] = sorted(found, key=lambda t: (-t[0], t[1], t[2]))[:limit]

    keys: list[tuple[int, int]] = []
    rows: list[np.ndarray] = []
    for article_id, matrix in store.sentence_vector_rows(ids, encoder):
        keys.extend((article_id, i) for i in range(len(matrix)))
        rows.append(matrix)
        if len(keys) >= block:
            flush(keys, rows)
            keys, rows = [], []
    if keys:
        flush(keys, rows)
    return [[(a, i) for _, a, i in found] for found in best]


def sentence_texts(store, hits: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """(article, sentence) -> the sentence's text: the synthetic corpus repeats sentences
    across articles, so equal scores often name one text in several articles."""
    articles = {s.id: s.article.text for s in store.articles(sorted({a for a, _ in hits}))}
    found = {}
    for article_id, index in hits:
        start, end = store.sentence_spans(article_id)[index]
        found[(article_id, index)] = articles[article_id][start:end]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a corpus database (e.g. one bench/ingest.py --growth wrote)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from crosswire.corpus import SEARCH_CANDIDATES, Corpus
    from crosswire.encode import get_encoder

    asked = queries(args.queries, args.seed)
    with Corpus(args.db) as corpus:
        encoder = get_encoder(corpus.encoder)
        ids, _ = corpus.store.article_vectors(corpus.encoder)
        start = time.process_time()
        two_stage = [[(h.article_id, h.sentence) for h in corpus.search(q, args.limit).sentences] for q in asked]
        search_cpu = time.process_time() - start
        vectors = encoder.encode(asked)
        start = time.process_time()
        full = exhaustive(corpus.store, corpus.encoder, vectors, [int(i) for i in ids], args.limit)
        full_cpu = time.process_time() - start
        texts = sentence_texts(corpus.store, {hit for hits in two_stage + full for hit in hits})
    recall = np.mean([len(set(a) & set(b)) / len(b) for a, b in zip(two_stage, full) if b])
    text_recall = np.mean(
        [
            len({texts[h] for h in a} & {texts[h] for h in b}) / len({texts[h] for h in b})
            for a, b in zip(two_stage, full)
            if b
        ]
    )
    first = np.mean([[texts[h] for h in a[:1]] == [texts[h] for h in b[:1]] for a, b in zip(two_stage, full)])
    print(
        f"corpus: {len(ids):,} original articles; {len(asked)} queries (fr/de WMT21 sentences, seed {args.seed}); "
        f"two-stage: sentences of the {SEARCH_CANDIDATES} nearest articles"
    )
    print(
        f"recall@{args.limit} against exhaustive sentence search: {recall:.3f} by (article, sentence), "
        f"{text_recall:.3f} by sentence text; same first sentence text: {first:.3f}"
    )
    print(
        f"CPU per query: two-stage {1000 * search_cpu / len(asked):.0f} ms, exhaustive "
        f"{1000 * full_cpu / len(asked):.0f} ms (batched over all queries); peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB; load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
