"""Development benchmark: story linking across languages on WMT21 news documents.

    python bench/stories.py [--dir ../shared/data/wmt21] [--seed 0] [--limit N] [--cache PATH]

Each document's original (<src>), its human translation (<ref>) and up to 2 of its
machine translations (the first two <hyp> elements) form one story. All articles go into
one stream, shuffled with a fixed seed (they carry no dates, so the stream order is
the publication order), and are linked by crosswire.stories.StoryLinker with its default
configuration. Prints B-cubed precision, recall and F1 against the documents, and
articles/s: for linking alone, and for profiles (segmentation, facts, encoding) when
the vectors were not cached.

`--cache PATH` keeps the encoder's vectors in a pickle (outside the repo, e.g. /tmp).
Writes nothing else.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from similarity import CachingEncoder  # noqa: E402  (bench/similarity.py)

from crosswire.model import Article  # noqa: E402
from crosswire.similarity import build_profile  # noqa: E402
from crosswire.stories import StoryLinker  # noqa: E402

DEFAULT_DIR = "../shared/data/wmt21"
F1_FLOOR = 0.95
HYPOTHESES_PER_DOC = 2


@dataclass(frozen=True)
class StreamItem:
    article_id: str
    story: str  # the gold story: the document id
    article: Article


def document_text(element: ET.Element) -> str:
    """One segment per line, as the documents were published (the first is the headline)."""
    return "\n".join((seg.text or "").strip() for seg in element.iter("seg"))


def load_stream(folder: str, seed: int, limit_docs: int | None = None) -> list[StreamItem]:
    items: list[StreamItem] = []
    docs = 0
    for path in sorted(Path(folder).glob("*.xml")):
        for doc in ET.parse(path).getroot().iter("doc"):
            if limit_docs is not None and docs >= limit_docs:
                break
            docs += 1
            doc_id = f"{path.stem}:{doc.get('id')}"
            versions = [doc.find("src"), *doc.findall("ref")[:1], *doc.findall("hyp")[:HYPOTHESES_PER_DOC]]
            for element in versions:
                kind = element.tag if element.tag != "hyp" else f"hyp:{element.get('system')}"
                items.append(StreamItem(f"{doc_id}/{kind}", doc_id, Article(document_text(element), element.get("lang"), source=f"{doc_id}/{kind}")))
    random.Random(seed).shuffle(items)
    return items


def b_cubed(gold: dict[str, str], predicted: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 over items (each item's cluster overlap, averaged)."""
    pairs = Counter((gold[i], predicted[i]) for i in gold)
    gold_sizes = Counter(gold.values())
    predicted_sizes = Counter(predicted[i] for i in gold)
    n = len(gold)
    precision = sum(c * c / predicted_sizes[p] for (g, p), c in pairs.items()) / n
    recall = sum(c * c / gold_sizes[g] for (g, p), c in pairs.items()) / n
    return precision, recall, 2 * precision * recall / (precision + recall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=DEFAULT_DIR)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--encoder", default="use-m")
    parser.add_argument("--cache", help="pickle of vectors to reuse (keep it outside the repo)")
    args = parser.parse_args(argv)

    stream = load_stream(args.dir, args.seed, args.limit)
    encoder = CachingEncoder(args.encoder, args.cache)
    started = time.perf_counter()
    profiles = [build_profile(item.article, encoder=encoder) for item in stream]
    profile_seconds = time.perf_counter() - started
    encoder.save()

    linker = StoryLinker()
    started = time.perf_counter()
    predicted = {item.article_id: linker.add(item.article_id, profile) for item, profile in zip(stream, profiles)}
    link_seconds = time.perf_counter() - started

    gold = {item.article_id: item.story for item in stream}
    p, r, f1 = b_cubed(gold, predicted)
    print(f"articles: {len(stream)} in {len(set(gold.values()))} stories (seed {args.seed}); "
          f"predicted stories: {len(linker.stories)}")
    print(f"B-cubed  P {p:.3f}  R {r:.3f}  F1 {f1:.3f}   floor F1 {F1_FLOOR}")
    print(f"linking: {len(stream) / link_seconds:.0f} articles/s   "
          f"profiles: {len(stream) / profile_seconds:.1f} articles/s"
          + (" (vectors from the cache)" if args.cache else ""))
    return 0 if f1 >= F1_FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
