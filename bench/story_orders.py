"""Story linking in a young corpus: how often arrival order joins two documents.

    python bench/story_orders.py [--orders 400] [--documents 6] [--segments 12] [--batch 3]

The two-worker watch test's corpus (tests/test_watch.py): the first --documents documents
of ../shared/data/wmt21/newstest2021.fr-de.all.xml, each one's French original and German
translation (first --segments segments each) one story, a day per document. Workers take
the stream in batches of --batch and each pass links its batch in publication order; here
that is simulated in one process: a random permutation (seeds 0 .. --orders - 1) cut into
batches, each sorted with `linking_order`, linked into one StoryLinker. Prints how many
orders put two documents in one story (every order should give exactly one story per
document). The articles are encoded once (use-m); writes nothing.
"""

from __future__ import annotations

import argparse
import random
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from crosswire.model import Article
from crosswire.similarity import build_profile
from crosswire.stories import StoryLinker, linking_order

WMT21_FR_DE = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "wmt21" / "newstest2021.fr-de.all.xml"


def watch_test_articles(documents: int, segments: int) -> list[Article]:
    """Each document's French original and German translation, as tests/scale_corpus.py builds them."""
    out = []
    for n, doc in enumerate(list(ET.parse(WMT21_FR_DE).getroot().iter("doc"))[:documents]):
        for side, hour in (("src", 8), ("ref", 14)):
            element = doc.find(side)
            assert element is not None
            texts = [seg.text.strip() for seg in element.iter("seg") if seg.text][:segments]
            outlet = f"{doc.get('id', '').split('.')[0]}-{side}"
            published = f"2024-03-{n + 1:02d}T{hour:02d}:00:00"
            out.append(Article("\n\n".join(texts), element.get("lang", ""), outlet, texts[0], None, outlet, published))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=400)
    parser.add_argument("--documents", type=int, default=6)
    parser.add_argument("--segments", type=int, default=12)
    parser.add_argument("--batch", type=int, default=3)
    args = parser.parse_args(argv)
    articles = watch_test_articles(args.documents, args.segments)
    profiles = [build_profile(article) for article in articles]
    document = [(article.published or "")[:10] for article in articles]
    joined = 0
    for seed in range(args.orders):
        order = list(range(len(articles)))
        random.Random(seed).shuffle(order)
        linker = StoryLinker()
        for start in range(0, len(order), args.batch):
            for i in linking_order(order[start : start + args.batch], lambda i: articles[i].published):
                linker.add(str(i), profiles[i])
        documents_of = defaultdict(set)
        for article_id, story_id in linker.story_of.items():
            documents_of[story_id].add(document[int(article_id)])
        mixed = [sorted(found) for found in documents_of.values() if len(found) > 1]
        if mixed:
            joined += 1
            print(f"order {seed}: one story holds the documents of {', '.join('+'.join(m) for m in mixed)}")
    print(
        f"{len(articles)} articles of {args.documents} documents, {args.orders} arrival orders in batches of "
        f"{args.batch}: {joined} orders joined two documents"
    )
    return 0 if joined == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
