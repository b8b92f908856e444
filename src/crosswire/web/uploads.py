"""Uploaded files -> Corpus.ingest (store, then link stories), one file at a time so
that each gets its own result.

Ingest reads paths, so each upload is written to a fresh private temporary
folder under a name made up here (`upload` + a known extension): the name the browser
sent is only a label. Its extension is kept, from a fixed list, because the readers
tell a file's kind by it.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from fastapi import FastAPI

from crosswire.ingest import IngestReport
from crosswire.read import Rejected

# Longest first, so that "x.warc.gz" keeps ".warc.gz".
KNOWN_SUFFIXES = (".warc.gz", ".warc", ".jsonl", ".ndjson", ".rss", ".atom", ".xml", ".html", ".htm", ".txt")

@dataclass(frozen=True)
class FileResult:
    name: str  # the upload's label
    report: IngestReport

    def to_dict(self) -> dict:
        return {"name": self.name, **self.report.to_dict()}


def upload_suffix(label: str) -> str:
    lowered = label.lower()
    return next((suffix for suffix in KNOWN_SUFFIXES if lowered.endswith(suffix)), "")


def ingest_upload(data: bytes, label: str, app: FastAPI) -> FileResult:
    """Store and link the articles of one uploaded file into the app's corpus; rejections
    are named by the label."""
    with tempfile.TemporaryDirectory(prefix="crosswire-upload-") as folder:
        path = Path(folder) / f"upload{upload_suffix(label)}"
        path.write_bytes(data)
        with app.state.corpus_lock:
            report = app.state.corpus.ingest([path])
    rejected = [Rejected(r.source.replace(str(path), label, 1), r.code, r.detail) for r in report.rejected]
    return FileResult(label, replace(report, rejected=rejected))
