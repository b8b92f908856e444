"""Development benchmark: story linking across languages, every shared set in one stream.

    python bench/stories.py [--sets wmt21,wmt22,flores] [--seed 0] [--limit N]
                            [--cache DIR] [--no-wide]

Reads the segment-aligned XML sets under ../shared/data (wmt21: fr/de with machine
translations; wmt22: en-zh, en-hr, uk-en; flores: bn/hi/xh/zu). A document's original
(<src>), its human translation (<ref>) and up to 2 of its machine translations (the first
two <hyp> elements) are one story. FLORES is one English source translated into every
language, so there a document id is one story across files: `doc_99` of bn-hi and of
xh-zu is one story in four languages. Elsewhere a story is a file's document.

All articles of all sets go into ONE stream, shuffled with a fixed seed (they carry no
dates, so the stream order is the publication order), so that languages mix, and are
linked by crosswire.stories.StoryLinker with its default configuration. Prints one table:
B-cubed precision, recall and F1 overall, for each set's articles and for each language's
articles (an article's precision and recall are always measured against its whole
predicted and gold story), plus articles/s for linking and for profiles.

Profiles are built with the corpus encoder alone, as ingest builds them; the linker asks
for the wide-coverage encoder's vectors (similarity.WIDE_ENCODER) of the articles that
need them (StoryLinker's wide_provider), and the table's last line says how many did,
and the wide encoder's CPU time for them (when not from the cache).

`--cache DIR` keeps each encoder's vectors in DIR/<encoder>.pkl (keep it outside the repo,
e.g. /work/cache/<branch>); `--no-wide` links without wide vectors, as the linker did
before it had them. Writes nothing else.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

from similarity import CachingEncoder  # noqa: E402  (bench/similarity.py)

from crosswire.model import Article  # noqa: E402
from crosswire.analyse import prepare  # noqa: E402
from crosswire.similarity import WIDE_ENCODER, ArticleProfile, build_profile, with_wide_vectors  # noqa: E402
from crosswire.stories import StoryLinker  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SETS = ("wmt21", "wmt22", "flores")
# Sets made by translating one source into every language: a document id is one story
# across their files.
ONE_SOURCE_SETS = ("flores",)
F1_FLOOR = 0.95
SET_F1_FLOOR = 0.90
PRECISION_FLOOR = 0.95
HYPOTHESES_PER_DOC = 2


@dataclass(frozen=True)
class StreamItem:
    article_id: str
    story: str  # the gold story
    set: str
    article: Article


def document_text(element: ET.Element) -> str:
    """One segment per line, as the documents were published (the first is the headline)."""
    return "\n".join((seg.text or "").strip() for seg in element.iter("seg"))


def set_items(folder: str | Path, set_name: str, limit_docs: int | None = None) -> list[StreamItem]:
    """The articles of one set's files, in file order; `limit_docs`: the first N documents of each file."""
    items: list[StreamItem] = []
    for path in sorted(Path(folder).glob("*.xml")):
        for n, doc in enumerate(ET.parse(path).getroot().iter("doc")):
            if limit_docs is not None and n >= limit_docs:
                break
            doc_id = f"{path.stem}:{doc.get('id')}"
            story = f"{set_name}:{doc.get('id')}" if set_name in ONE_SOURCE_SETS else f"{set_name}:{doc_id}"
            versions = [doc.find("src"), *doc.findall("ref")[:1], *doc.findall("hyp")[:HYPOTHESES_PER_DOC]]
            for element in versions:
                kind = element.tag if element.tag != "hyp" else f"hyp:{element.get('system')}"
                article_id = f"{set_name}:{doc_id}/{kind}"
                items.append(
                    StreamItem(
                        article_id,
                        story,
                        set_name,
                        Article(document_text(element), element.get("lang"), source=article_id),
                    )
                )
    return items


def mixed_stream(sets: Sequence[str], seed: int, limit_docs: int | None = None) -> list[StreamItem]:
    """Every named set's articles in one shuffled stream."""
    items = [item for name in sets for item in set_items(DATA / name, name, limit_docs)]
    random.Random(seed).shuffle(items)
    return items


def b_cubed(
    gold: dict[str, str], predicted: dict[str, str], only: set[str] | None = None
) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1, averaged over the items of `only` (default all),
    each item's overlap measured against its whole gold and predicted cluster."""
    gold_sizes = Counter(gold.values())
    predicted_sizes = Counter(predicted.values())
    overlap = Counter((gold[i], predicted[i]) for i in gold)
    items = [i for i in gold if only is None or i in only]
    if not items:
        return 0.0, 0.0, 0.0
    precision = sum(overlap[gold[i], predicted[i]] / predicted_sizes[predicted[i]] for i in items) / len(items)
    recall = sum(overlap[gold[i], predicted[i]] / gold_sizes[gold[i]] for i in items) / len(items)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-12)


def report(stream: Sequence[StreamItem], predicted: dict[str, str]) -> tuple[list[str], bool]:
    """The table's lines, and whether every floor holds."""
    gold = {item.article_id: item.story for item in stream}
    groups: dict[str, set[str]] = defaultdict(set)
    for item in stream:
        groups[f"set {item.set}"].add(item.article_id)
        groups[f"lang {item.article.lang}"].add(item.article_id)
    lines = [f"{'articles':<12} {'n':>5} {'stories':>7} {'P':>6} {'R':>6} {'F1':>6}"]
    ok = True
    for name, only in [("all", None), *sorted(groups.items())]:
        p, r, f1 = b_cubed(gold, predicted, only)
        ids = only if only is not None else set(gold)
        floor = F1_FLOOR if only is None else SET_F1_FLOOR if name.startswith("set") else 0.0
        ok &= f1 >= floor and p >= PRECISION_FLOOR
        lines.append(f"{name:<12} {len(ids):>5} {len({gold[i] for i in ids}):>7} {p:6.3f} {r:6.3f} {f1:6.3f}")
    return lines, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, help="only the first N documents of each file")
    parser.add_argument("--encoder", default="use-m")
    parser.add_argument("--cache", help="folder for the encoders' vectors (keep it outside the repo)")
    parser.add_argument("--no-wide", action="store_true", help=f"no {WIDE_ENCODER} vectors")
    args = parser.parse_args(argv)

    stream = mixed_stream(args.sets.split(","), args.seed, args.limit)
    cache = Path(args.cache) if args.cache else None
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    encoder = CachingEncoder(args.encoder, str(cache / f"{args.encoder}.pkl") if cache else None)
    wide = None if args.no_wide else CachingEncoder(WIDE_ENCODER, str(cache / f"{WIDE_ENCODER}.pkl") if cache else None)
    started = time.perf_counter()
    profiles = [build_profile(item.article, encoder=encoder) for item in stream]
    profile_seconds = time.perf_counter() - started
    encoder.save()

    articles = {item.article_id: item.article for item in stream}
    wide_cpu = 0.0

    def wide_provider(article_ids: Sequence[str]) -> list[ArticleProfile]:
        nonlocal wide_cpu
        out = []
        for article_id in article_ids:
            sentences = [s.text for s in prepare(articles[article_id]).sentences]
            started = time.process_time()
            out.append(with_wide_vectors(linker.profiles[article_id], sentences, wide))
            wide_cpu += time.process_time() - started
        return out

    linker = StoryLinker(wide_provider=None if wide is None else wide_provider)
    started = time.perf_counter()
    predicted = {item.article_id: linker.add(item.article_id, profile) for item, profile in zip(stream, profiles)}
    link_seconds = time.perf_counter() - started
    if wide is not None:
        wide.save()

    lines, ok = report(stream, predicted)
    print(
        f"sets: {args.sets}; {len(stream)} articles in {len({i.story for i in stream})} stories, one stream "
        f"(seed {args.seed}); predicted stories: {len(linker.stories)}; wide vectors: {'no' if wide is None else WIDE_ENCODER}"
    )
    print("\n".join(lines))
    print(
        f"floors: F1 {F1_FLOOR} overall, {SET_F1_FLOOR} per set; P {PRECISION_FLOOR} everywhere: {'met' if ok else 'NOT met'}"
    )
    wide_count = sum(linker.profiles[item.article_id].wide_vectors is not None for item in stream)
    print(
        f"linking: {len(stream) / link_seconds:.0f} articles/s   profiles: {len(stream) / profile_seconds:.1f} articles/s"
        + (" (vectors from the cache)" if cache else "")
    )
    print(
        f"wide vectors asked for: {wide_count} of {len(stream)} articles, wide encoder CPU {wide_cpu:.1f} s"
        + (" (partly or wholly from the cache)" if cache else "")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
