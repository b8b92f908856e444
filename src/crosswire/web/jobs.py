"""Web ingest as background jobs: an upload is answered at once with a job, which a
process of its own reads, encodes, stores and links while the server goes on answering.

The server writes each uploaded file into a private temporary folder (one folder per
file) and queues a job; one job runs at a time, in a spawned process that opens the
corpus itself (SQLite in WAL mode, or PostgreSQL: the server's own connection keeps
reading while the job writes, each article in its own transaction). So no request of
the server waits for a job: there is no lock of the server's to hold.

The job process works inside each file's folder and ingests the file by its own name,
so every article and rejection is named by the uploaded file's name ("report.txt",
"feed.jsonl:3"), as `crosswire ingest report.txt` names it, never by a server path.
A file that makes a reader fail unexpectedly is listed with CW714 and the other files
go on. Progress (files done, articles stored and rejected) is sent back as it happens.

At most `max_waiting` jobs (web.workers.Limits.ingest_waiting) wait behind the running
one; past that 503 (CW706). The last KEPT_JOBS jobs can be looked up by id (CW707 for
any other id).

A job can be cancelled (`cancel`): a waiting one is taken off the queue; a running one
has its process stopped, and what it stored before is kept, as after any crash (each
article is one transaction; the stories' journal is written with their rows), so
uploading the same files again stores only the rest. A finished job cannot be (CW715).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import threading
import time
import traceback
import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from crosswire.corpus import Corpus
from crosswire.errors import CrosswireError
from crosswire.encode import set_encoder_threads
from crosswire.ingest import IngestReport, ingest, ingest_threads
from crosswire.read import Rejected
from crosswire.web.workers import Busy

KEPT_JOBS = 100
RETRY_AFTER_S = 30
PROGRESS_EVERY_S = 0.5  # at most this often a progress message from the job process
# Longest first, so that "x.warc.gz" keeps ".warc.gz".
KNOWN_SUFFIXES = (".warc.gz", ".warc", ".jsonl", ".ndjson", ".rss", ".atom", ".xml", ".html", ".htm", ".txt")
MAX_NAME_BYTES = 200  # file names on disk: most file systems allow 255 bytes
_CONTEXT = multiprocessing.get_context("spawn")


def upload_suffix(label: str) -> str:
    lowered = label.lower()
    return next((suffix for suffix in KNOWN_SUFFIXES if lowered.endswith(suffix)), "")


def disk_name(label: str, number: int) -> str:
    """The name an upload is stored under in its own folder: its label (web.inputs.upload_label:
    a base name, printable), unless that cannot be a plain file name."""
    if label in ("", ".", "..") or label.startswith("-") or len(label.encode("utf-8")) > MAX_NAME_BYTES:
        return f"upload-{number}{upload_suffix(label)}"
    return label


# -- the job process ----------------------------------------------------------------------


def _run_job(conn: Connection, location: str, encoder: str, threads: int | None, folder: str, names: list[str]) -> None:
    """Ingest each file (inside its own folder, by its name), then link; report as it goes.
    `threads`: the server's thread setting (crosswire.settings)."""
    set_encoder_threads(ingest_threads(threads))
    try:
        corpus = Corpus(location, encoder=encoder)
    except CrosswireError as exc:
        conn.send(("failed", {"code": exc.code, "source": exc.source, "detail": exc.detail}))
        return
    with corpus:
        for number, name in enumerate(names):
            os.chdir(Path(folder) / str(number))
            last = 0.0

            def progress(p, number=number) -> None:
                nonlocal last
                if time.monotonic() - last >= PROGRESS_EVERY_S:
                    last = time.monotonic()
                    conn.send(("progress", number, p.report.to_dict()))

            try:
                report = ingest([name], corpus.store, encoder=encoder, progress=progress)
            except CrosswireError as exc:  # the store or the encoder: no other file would fare better
                conn.send(("failed", {"code": exc.code, "source": exc.source, "detail": exc.detail}))
                return
            except Exception as exc:  # noqa: BLE001  (a reader bug: this file is listed, the others go on)
                detail = f"the file could not be read ({type(exc).__name__}); the server's log has the details"
                traceback.print_exc()
                report = IngestReport(encoder=encoder, files=1, rejected=[Rejected(name, "CW714", detail)])
            conn.send(("file", number, report.to_dict()))
        conn.send(("linking",))
        corpus.link()
    conn.send(("done",))


# -- the server side ----------------------------------------------------------------------


@dataclass
class FileResult:
    name: str  # the upload's label
    report: dict | None = None  # crosswire.ingest/1 of the file: so far while `partial`
    partial: bool = False

    def to_dict(self) -> dict:
        counts = self.report or {}
        return {
            "name": self.name,
            "done": self.report is not None and not self.partial,
            **{key: counts.get(key, 0) for key in ("ingested", "near_duplicates", "duplicates", "unchanged")},
            "rejected": counts.get("rejected", []),
        }


@dataclass
class Job:
    id: str
    files: list[FileResult]
    folder: str
    status: str = "queued"  # queued, running, linking, done, failed, cancelled
    error: dict | None = None
    created: float = field(default_factory=time.time)

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "cancelled")

    def to_dict(self) -> dict:
        files = [f.to_dict() for f in self.files]
        return {
            "id": self.id,
            "status": self.status,
            "files_total": len(files),
            "files_done": sum(f["done"] for f in files),
            "stored": sum(f["ingested"] + f["near_duplicates"] for f in files),
            "ingested": sum(f["ingested"] for f in files),
            "near_duplicates": sum(f["near_duplicates"] for f in files),
            "duplicates": sum(f["duplicates"] for f in files),
            "unchanged": sum(f["unchanged"] for f in files),
            "rejected": sum(len(f["rejected"]) for f in files),
            "error": self.error,
            "files": files,
        }


class IngestJobs:
    """The queue of ingest jobs of one corpus, run one at a time by a thread of the server
    that starts and watches each job's process."""

    def __init__(self, location: str, encoder: str, max_waiting: int, threads: int | None = None) -> None:
        self.location = location
        self.encoder = encoder
        self.threads = threads
        self.max_waiting = max_waiting
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._queue: deque[Job] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._runner: threading.Thread | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self._closed = False

    def submit(self, uploads: list[tuple[str, bytes]]) -> Job:
        """Queue the ingest of these (label, content) uploads; Busy (CW706) when the queue is full."""
        with self._lock:
            if len(self._queue) >= self.max_waiting:
                raise Busy(
                    RETRY_AFTER_S,
                    f"{len(self._queue)} ingest jobs already wait for the one running; try again in {RETRY_AFTER_S} s",
                    code="CW706",
                )
        folder = tempfile.mkdtemp(prefix="crosswire-upload-")
        files = []
        for number, (label, data) in enumerate(uploads):
            (Path(folder) / str(number)).mkdir()
            (Path(folder) / str(number) / disk_name(label, number)).write_bytes(data)
            files.append(FileResult(label))
        job = Job(uuid.uuid4().hex, files, folder)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEPT_JOBS:
                _old_id, old = next(iter(self._jobs.items()))
                if not old.finished:
                    break
                self._jobs.popitem(last=False)
            self._queue.append(job)
            if self._runner is None:
                self._runner = threading.Thread(target=self._run, name="crosswire-ingest-jobs", daemon=True)
                self._runner.start()
            self._wake.notify()
        return job

    def get(self, job_id: str) -> dict:
        """The job's state (Job.to_dict), taken under the lock; CW707 for an unknown id."""
        with self._lock:
            return self._job(job_id).to_dict()

    def _job(self, job_id: str) -> Job:
        """The job of this id (call under the lock); CW707 for an unknown id."""
        job = self._jobs.get(job_id)
        if job is None:
            raise CrosswireError("CW707", job_id, f"no such ingest job (the server keeps the last {KEPT_JOBS})")
        return job

    def cancel(self, job_id: str) -> dict:
        """Cancel a waiting or running job; its state. CW707 for an unknown id, CW715 for a
        finished job."""
        with self._lock:
            job = self._job(job_id)
            if job.finished:
                raise CrosswireError(
                    "CW715", job_id, f"the ingest job has already {job.status.replace('done', 'finished')}"
                )
            process = self._process if job.status in ("running", "linking") else None
            if job in self._queue:
                self._queue.remove(job)
                shutil.rmtree(job.folder, ignore_errors=True)
            job.status = "cancelled"
        if process is not None:
            process.terminate()  # _run_one sees it end and keeps the status
        with self._lock:
            return job.to_dict()

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._queue and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                job = self._queue.popleft()
                job.status = "running"
            try:
                self._run_one(job)
            finally:
                shutil.rmtree(job.folder, ignore_errors=True)

    def _run_one(self, job: Job) -> None:
        parent, child = _CONTEXT.Pipe(duplex=False)
        names = [disk_name(f.name, n) for n, f in enumerate(job.files)]
        process = _CONTEXT.Process(
            target=_run_job,
            args=(child, self.location, self.encoder, self.threads, job.folder, names),
            name="crosswire-ingest",
            daemon=True,
        )
        with self._lock:
            if self._closed:
                return
            process.start()
            self._process = process
        child.close()
        while True:
            try:
                message = parent.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                if job.status == "cancelled":
                    continue  # the process is being stopped: what it says now changes nothing
                if message[0] in ("progress", "file"):
                    result = job.files[message[1]]
                    result.report, result.partial = message[2], message[0] == "progress"
                elif message[0] == "linking":
                    job.status = "linking"
                elif message[0] == "done":
                    job.status = "done"
                elif message[0] == "failed":
                    job.status, job.error = "failed", message[1]
        process.join()
        parent.close()
        with self._lock:
            self._process = None
            if not job.finished:
                job.status = "failed"
                job.error = {
                    "code": "CW705",
                    "source": "ingest job",
                    "detail": f"the ingest process stopped (exit code {process.exitcode}); "
                    "what it stored before is kept, and uploading the files again is safe",
                }

    def close(self) -> None:
        """Stop the running job's process (server shutdown): what it stored is kept."""
        with self._lock:
            self._closed = True
            self._wake.notify_all()
            process = self._process
        if process is not None:
            process.terminate()
            process.join(timeout=10)
