"""compare on documents made of Tatoeba translations: languages and scripts no rewrite pair has.

    python bench/tatoeba_compare.py [--documents 20] [--sentences 8] [--languages heb,kat,...]

The rewrites files cover eight language pairs; the Tatoeba files (../shared/data/tatoeba)
hold line-aligned translations with English in 18 languages, among them scripts no rewrite
pair uses (Hebrew, Greek, Georgian, Hangul, Thai, Arabic for Urdu). For each language this
builds `--documents` pairs of short articles: A is `--sentences` consecutive lines in the
language, B their English lines with one line left out (gold only-A) and one line from far
away in the file put in (gold only-B). The pairs go through crosswire.compare_many with
`auto`. Tatoeba lines are short and consecutive ones often say nearly the same thing ("He
lives nearby." / "I live nearby."), so this is harder than news.

Scored by character spans, so a sentence split differently from the lines still counts:
- link recall: gold line pairs covered by a link; precision: links that cover a gold pair;
- only-A / only-B recall: the gold line is in no link;
- false change: links that cover only gold pairs (translations) with the status `changed`
  (a `name_variant` alone leaves a link `same`, as ../shared/tools/score_rewrites.py reads
  it), over confident links that cover only gold pairs.
Also prints the encoder `auto` chose and the share of links that are confident. Prints one
row per language; writes nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "tatoeba"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tatoeba import ISO_639_1  # noqa: E402


def _documents(lines_x: list[str], lines_en: list[str], n_docs: int, size: int):
    """(text A, spans A, text B, spans B, gold pairs, only-A line, only-B line) per document;
    spans are (start, end, line number)."""
    out = []
    stride = max(size + 1, len(lines_x) // max(1, n_docs))
    for d in range(n_docs):
        first = d * stride
        if first + size > len(lines_x):
            break
        lines = list(range(first, first + size))
        dropped = lines[size // 2 - 1]
        foreign = (first + len(lines_x) // 2) % len(lines_x)
        b_lines = [k for k in lines if k != dropped]
        b_lines.insert(size // 2 + 1, foreign)

        def join(texts: list[tuple[int, str]]) -> tuple[str, list[tuple[int, int, int]]]:
            text, spans = "", []
            for k, t in texts:
                t = t.strip()
                if text:
                    text += " "
                spans.append((len(text), len(text) + len(t), k))
                text += t
            return text, spans

        text_a, spans_a = join([(k, lines_x[k]) for k in lines])
        text_b, spans_b = join([(k, lines_en[k]) for k in b_lines])
        gold = {(k, k) for k in lines if k != dropped}
        out.append((text_a, spans_a, text_b, spans_b, gold, dropped, foreign))
    return out


def _lines_of(sentences, indices, spans) -> set[int]:
    """Lines whose span overlaps any of the sentences."""
    covered = set()
    for i in indices:
        s = sentences[i]
        covered |= {k for start, end, k in spans if start < s.end and s.start < end}
    return covered


def score_language(code: str, documents: int, sentences: int) -> tuple[Counter[str], Counter[str], float]:
    """Counts for one Tatoeba language (see the module's docstring), the encoders `auto`
    chose, and the seconds compare_many took."""
    import crosswire
    from crosswire.read import read_string

    lang = ISO_639_1.get(code, code)
    lines_x = (DATA_DIR / f"tatoeba.{code}-eng.{code}").read_text(encoding="utf-8").splitlines()
    lines_en = (DATA_DIR / f"tatoeba.{code}-eng.eng").read_text(encoding="utf-8").splitlines()
    docs = _documents(lines_x, lines_en, documents, sentences)
    pairs = [
        (read_string(d[0], source=f"{code}-{n}", lang=lang), read_string(d[2], source=f"en-{n}", lang="en"))
        for n, d in enumerate(docs)
    ]
    started = time.perf_counter()
    comparisons = list(crosswire.compare_many(pairs))
    seconds = time.perf_counter() - started
    c: Counter[str] = Counter()
    encoders: Counter[str] = Counter()
    for (_, spans_a, _, spans_b, gold, dropped, foreign), cmp in zip(docs, comparisons):
        encoders[cmp.encoder] += 1
        found: set[tuple[int, int]] = set()
        linked_a: set[int] = set()
        linked_b: set[int] = set()
        for link in cmp.links:
            lines_a = _lines_of(cmp.a.sentences, link.a, spans_a)
            lines_b = _lines_of(cmp.b.sentences, link.b, spans_b)
            linked_a |= lines_a
            linked_b |= lines_b
            covered = {(x, y) for x in lines_a for y in lines_b} & gold
            found |= covered
            c["links"] += 1
            c["links_right"] += bool(covered)
            c["confident"] += link.confident
            if link.confident and covered and all((x, x) in gold for x in lines_a) and lines_a == lines_b:
                c["clean"] += 1
                c["changed"] += link.status == "changed"
        c["gold"] += len(gold)
        c["gold_found"] += len(found)
        c["only_a"] += dropped not in linked_a
        c["only_b"] += foreign not in linked_b
        c["docs"] += 1
    return c, encoders, seconds


def rates(c: Counter[str]) -> dict[str, float]:
    """The printed figures of some counts (NaN where a denominator is 0)."""

    def ratio(x: str, y: str) -> float:
        return c[x] / c[y] if c[y] else float("nan")

    return {
        "link_precision": ratio("links_right", "links"),
        "link_recall": ratio("gold_found", "gold"),
        "only_a_recall": ratio("only_a", "docs"),
        "only_b_recall": ratio("only_b", "docs"),
        "confident": ratio("confident", "links"),
        "false_change": ratio("changed", "clean"),
    }


def languages() -> list[str]:
    """Every Tatoeba language of ../shared/data/tatoeba."""
    return sorted({p.name.split(".")[1].split("-")[0] for p in DATA_DIR.glob("tatoeba.*-eng.eng")})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=20, help="document pairs per language (default 20)")
    parser.add_argument("--sentences", type=int, default=8, help="lines in each A document (default 8)")
    parser.add_argument("--languages", default="", help="Tatoeba codes, comma-separated (default: every file)")
    args = parser.parse_args(argv)

    codes = languages()
    if args.languages:
        codes = [c for c in codes if c in args.languages.split(",")]
    columns = ("link_precision", "link_recall", "only_a_recall", "only_b_recall", "confident", "false_change")
    print("| language | encoder | docs | link P | link R | only-A R | only-B R | confident | false change | s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    totals: Counter[str] = Counter()
    for code in codes:
        c, encoders, seconds = score_language(code, args.documents, args.sentences)
        totals.update(c)
        figures = " | ".join(f"{rates(c)[k]:.3f}".replace("nan", "–") for k in columns)
        print(f"| {code} | {'/'.join(sorted(encoders))} | {c['docs']} | {figures} | {seconds:.1f} |", flush=True)
    figures = " | ".join(f"{rates(totals)[k]:.3f}".replace("nan", "–") for k in columns)
    print(f"| all | | {totals['docs']} | {figures} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
