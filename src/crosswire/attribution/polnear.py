"""PolNeAR's attribution annotations (brat files), as the tagger is trained and scored on them.

PolNeAR (Newell, Margolin and Ruths, LREC 2018) annotates attributions in English
political news: Source, Cue and Content spans. Its repository states no licence, so
crosswire ships no model trained on it; a user builds one from their own copy
(`crosswire train-attribution PATH`, see crosswire.attribution.train and docs/attribution-model.md).
A split folder holds `attributions/*.ann` and `text/*.txt`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROLES = ("source", "cue", "content")


@dataclass(frozen=True)
class GoldSpan:
    start: int  # extent: the first fragment's start ...
    end: int  # ... and the last fragment's end
    fragments: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    gold: dict[str, tuple[GoldSpan, ...]]  # role -> spans


def read_ann(ann: str) -> dict[str, tuple[GoldSpan, ...]]:
    """Source / Cue / Content text-bound annotations of one brat file, deduplicated per role."""
    found: dict[str, set[GoldSpan]] = {role: set() for role in ROLES}
    for line in ann.splitlines():
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0].startswith("T"):
            continue
        label, _, offsets = fields[1].partition(" ")
        role = label.casefold()
        if role not in found:
            continue
        fragments = tuple(tuple(int(x) for x in part.split()) for part in offsets.split(";"))
        found[role].add(GoldSpan(fragments[0][0], fragments[-1][1], fragments))  # type: ignore[arg-type]
    return {role: tuple(sorted(spans, key=lambda g: (g.start, g.end))) for role, spans in found.items()}


def load_split(folder: Path, limit: int | None = None, every_copy: bool = False) -> list[Document]:
    """The documents of one split, sorted by name; a text annotated by several
    annotators (file names `<text>_<annotator>.ann`) uses the first file in sorted order,
    or with `every_copy` gives one document per annotator's file (for training)."""
    ann_folder, text_folder = folder / "attributions", folder / "text"
    if not ann_folder.is_dir() or not text_folder.is_dir():
        raise FileNotFoundError(f"PolNeAR split not found at {folder}: it needs attributions/ and text/ folders")
    copies: dict[str, list[Path]] = {}
    for ann in sorted(ann_folder.glob("*.ann")):
        copies.setdefault(ann.stem.rsplit("_", 1)[0], []).append(ann)
    documents = []
    for name in sorted(copies)[: limit or None]:
        text = (text_folder / f"{name}.txt").read_text("utf-8")
        for ann in copies[name] if every_copy else copies[name][:1]:
            documents.append(Document(name, text, read_ann(ann.read_text("utf-8"))))
    return documents
