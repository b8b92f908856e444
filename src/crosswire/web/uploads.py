"""Uploaded files -> crosswire.ingest, one file at a time so that each gets its own result.

crosswire.ingest reads paths, so each upload is written to a fresh private temporary
folder under a name made up here (`upload` + a known extension): the name the browser
sent is only a label. Its extension is kept, from a fixed list, because the readers
tell a file's kind by it.
"""
from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from crosswire.ingest import IngestReport, ingest
from crosswire.read import Rejected
from crosswire.store import Store

# Longest first, so that "x.warc.gz" keeps ".warc.gz".
KNOWN_SUFFIXES = (".warc.gz", ".warc", ".jsonl", ".ndjson", ".rss", ".atom", ".xml", ".html", ".htm", ".txt")

# One store connection is shared by the app's worker threads; ingest writes one
# article per transaction, so two ingests must not interleave on it.
_WRITE_LOCK = threading.Lock()


@dataclass(frozen=True)
class FileResult:
    name: str  # the upload's label
    report: IngestReport

    def to_dict(self) -> dict:
        return {"name": self.name, **self.report.to_dict()}


def upload_suffix(label: str) -> str:
    lowered = label.lower()
    return next((suffix for suffix in KNOWN_SUFFIXES if lowered.endswith(suffix)), "")


def ingest_upload(data: bytes, label: str, store: Store, encoder: str) -> FileResult:
    """Store the articles of one uploaded file; rejections are named by the label."""
    with tempfile.TemporaryDirectory(prefix="crosswire-upload-") as folder:
        path = Path(folder) / f"upload{upload_suffix(label)}"
        path.write_bytes(data)
        with _WRITE_LOCK:
            report = ingest([path], store, encoder=encoder)
    rejected = [Rejected(r.source.replace(str(path), label, 1), r.code, r.detail) for r in report.rejected]
    return FileResult(label, replace(report, rejected=rejected))
