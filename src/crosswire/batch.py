"""The distributed batch pipeline on Ray Data: `batch_ingest(paths, db)` and `batch_link(db)`.

    with open_store("crosswire.db") as store:
        report = batch_ingest(["corpus/", "s3://bucket/crawl/"], store, BatchOptions(workers=2))
    linked = batch_link("crosswire.db")

The result is the one `crosswire ingest` gives for the same files (same articles, same
ids, same near-duplicates, same stories); only where the work runs differs. This module
only drives ingest's stages (crosswire.ingest) on Ray:

1. read (Ray tasks): each input source (ingest.input_sources: a local file, an fsspec
   URL's object, a web address) is read (ingest.read_source; a web address through
   crosswire.fetch, whose per-host interval holds within one task, not across tasks),
   articles outside --since/--until are left out, and each article is segmented and its
   facts and attributions found (ingest.prepare_item, the stages ingest itself runs);
2. embed (a Ray actor pool, `workers` actors): each actor loads the encoder once and,
   per block of articles, asks the store which of their texts it already holds (one
   query: store.stored_hashes), encodes the others' sentences and lead texts in one
   call, and builds the rows to store (ingest.embed_articles: similarity profile, MinHash
   signature); one ONNX session per worker, not per row. So a re-run over the same
   files does no encoder work. The actors open the store themselves (store.location):
   always on PostgreSQL, and on SQLite in local mode (on a cluster an SQLite file is
   the driver's alone, so there every article is embedded and the driver sorts them);
3. store (the driver): the rows come back in input order (Ray Data's preserve_order)
   and are written by ingest's rules (ingest.store_item): an exact copy is recorded as a
   copy, a near-duplicate is linked to its earliest copy; so article ids and duplicate
   links do not depend on which worker finished first;
4. link (the driver, `batch_link`): crosswire.Corpus.link, the same StoryLinker pass in
   publication order that `crosswire ingest` runs. It is one sequential pass on purpose:
   each article's story depends on every earlier one, so splitting it across machines
   would make stories depend on the split.

The same code runs in local mode (no address: Ray starts a private cluster of this
machine's cores and stops it afterwards) and on a cluster (`address="HEAD:6379"`, or
`"auto"` on a cluster node); every node needs crosswire installed and the input paths
readable under the same names (a shared file system, or object-store URLs).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import tempfile
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from crosswire.encode import DEFAULT_ENCODER, get_encoder
from crosswire.errors import CrosswireError
from crosswire.fetch import web_reader
from crosswire.ingest import (
    ARTICLES_PER_BATCH,
    IngestReport,
    Item,
    embed_articles,
    input_sources,
    prepare_item,
    read_source,
    store_item,
)
from crosswire.read import DEFAULT_MAX_BYTES
from crosswire.store import Store, is_postgres_url, open_store

__all__ = ["BatchOptions", "batch_ingest", "batch_link"]


@dataclass(frozen=True)
class BatchOptions:
    address: str | None = None  # a Ray cluster ("HEAD:6379", or "auto" on a cluster node); None: local mode
    workers: int = 1  # encoder actors, each with its own ONNX session
    encoder: str = DEFAULT_ENCODER
    since: date | None = None
    until: date | None = None
    max_bytes: int = DEFAULT_MAX_BYTES


# -- the Ray pipeline ------------------------------------------------------------------

BLOCK_BYTES = 1 << 20
READ_CPUS = 0.5  # a read task's CPU request: two read while an actor encodes on a 1-CPU slot
PAYLOAD = "item"  # the one column between stages: a pickled Item (articles are free text, not a table)


def _read_source(row: dict[str, Any], options: BatchOptions, home: str | None) -> list[dict[str, bytes]]:
    """Stage 1 (Ray tasks): one input source -> its articles, prepared, in source order."""
    _use_home(home)
    with web_reader() as fetch:
        return [
            {PAYLOAD: pickle.dumps(prepare_item(read, options.since, options.until))}
            for read in read_source(row["path"], max_bytes=options.max_bytes, fetch=fetch)
        ]


class _Embed:
    """Stage 2 (a Ray actor): the encoder, loaded once per actor, embeds a block of rows;
    with `store_location`, only those whose text that store does not hold yet."""

    def __init__(self, encoder: str, threads: int, store_location: str | None, home: str | None) -> None:
        _use_home(home)
        # Before the encoder loads: its ONNX session takes this many intra-op threads.
        os.environ["CROSSWIRE_THREADS"] = str(threads)
        self._encoder = get_encoder(encoder)
        self._store = open_store(store_location) if store_location is not None else None

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, list[bytes]]:
        items = [pickle.loads(payload) for payload in batch[PAYLOAD]]
        return {PAYLOAD: [pickle.dumps(item) for item in embed_articles(items, self._encoder, self._store)]}


# Set before Ray starts (its processes inherit them): crosswire makes no outbound
# connection the user did not ask for. Ray's usage statistics would be sent to Anyscale.
# A user who sets the variable keeps it.
RAY_OFFLINE_ENV = {"RAY_USAGE_STATS_ENABLED": "0"}
# Ray (2.x) always starts its dashboard process, which reads ~/ray_bootstrap_config.yaml
# and, when there is none, asks the cloud metadata addresses (169.254.169.254,
# metadata.google.internal) which cloud this is, usage statistics on or off. A local
# cluster is started with HOME pointing at a private folder holding an empty such file,
# which ends that; the pipeline's own code gets the user's HOME back in each worker
# (_use_home), for caches and object-store credentials.
_RAY_BOOTSTRAP_CONFIG = "ray_bootstrap_config.yaml"


@contextlib.contextmanager
def _home_while(folder: str) -> Iterator[None]:
    """HOME is `folder` (for the processes started meanwhile), then what it was."""
    home = os.environ.get("HOME")
    os.environ["HOME"] = folder
    try:
        yield
    finally:
        if home is None:
            del os.environ["HOME"]
        else:
            os.environ["HOME"] = home


def _use_home(home: str | None) -> None:
    """In a Ray worker of a local cluster: the user's HOME, not the private one Ray started with."""
    if home is not None:
        os.environ["HOME"] = home


def _keep_ray_offline() -> None:
    for name, value in RAY_OFFLINE_ENV.items():
        os.environ.setdefault(name, value)


def _ray():
    try:
        import ray
        import ray.data
    except ImportError:
        raise CrosswireError(
            "CW620", "ray", "the batch pipeline needs Ray Data; install it with: pip install 'crosswire[scale]'"
        ) from None
    return ray


def _pipeline_items(files: Sequence[str], options: BatchOptions, store_location: str | None) -> Iterator[Item]:
    """Every input file's items, read and embedded on Ray, in input order (not embedded
    where the store at `store_location` holds the text already)."""
    _keep_ray_offline()
    ray = _ray()
    started_here = not ray.is_initialized()
    home = os.environ.get("HOME")
    with contextlib.ExitStack() as cleanup:
        yield from _run_pipeline(ray, files, options, store_location, started_here, home, cleanup)


def _run_pipeline(
    ray,
    files: Sequence[str],
    options: BatchOptions,
    store_location: str | None,
    started_here: bool,
    home: str | None,
    cleanup: contextlib.ExitStack,
) -> Iterator[Item]:
    if started_here:
        try:
            if options.address is None:
                ray_home = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="crosswire-ray-home-"))
                (Path(ray_home) / _RAY_BOOTSTRAP_CONFIG).write_text("", encoding="utf-8")
                # Local mode: one CPU slot per encoder actor plus one for the read tasks (see READ_CPUS).
                # address="local": a new private Ray, even where a cluster runs on this machine.
                # On loopback: its ports are this machine's alone, and Ray does not look for the
                # outward interface (it would connect a UDP socket to 8.8.8.8 to find it).
                with _home_while(ray_home):
                    ray.init(
                        address="local",
                        num_cpus=options.workers + 1,
                        include_dashboard=False,
                        _node_ip_address="127.0.0.1",
                        log_to_driver=False,
                        logging_level=logging.WARNING,
                    )
            else:
                ray.init(address=options.address, log_to_driver=False, logging_level=logging.WARNING)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise CrosswireError(
                "CW621", options.address or "local", f"could not start or reach the Ray cluster ({exc})"
            ) from None
    try:
        cpus = ray.cluster_resources().get("CPU", 0)
        if cpus < options.workers + READ_CPUS:
            # Each actor holds a CPU for the whole run: with none left the read tasks never start.
            raise CrosswireError(
                "CW623",
                "--workers",
                f"{options.workers} encoder workers need {options.workers + READ_CPUS:g} CPUs in the Ray cluster "
                f"(one each, and {READ_CPUS:g} for reading); it has {cpus:g}",
            )
        context = ray.data.DataContext.get_current()
        # The driver stores rows as they come: input order keeps ids and duplicate links as ingest's.
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        # Small blocks: the articles of one large input file (a JSONL, a WARC) are spread
        # over the encoder actors instead of all going to one (~30 prepared articles a block).
        context.target_max_block_size = BLOCK_BYTES
        # Encoder threads per actor: this machine's cores shared by its actors (local mode);
        # on a cluster each actor's node decides, one actor per CPU slot.
        threads = max(1, (os.cpu_count() or 1) // options.workers) if options.address is None else 1
        dataset = (
            ray.data.from_items([{"path": f} for f in files], override_num_blocks=max(1, len(files)))
            .flat_map(_read_source, fn_kwargs={"options": options, "home": home}, num_cpus=READ_CPUS)
            .map_batches(
                _Embed,
                fn_constructor_args=(options.encoder, threads, store_location, home),
                batch_size=ARTICLES_PER_BATCH,
                batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=options.workers),
                num_cpus=1,
            )
        )
        # Ray Data logs each run's plan at INFO, and warns when there are fewer input blocks
        # than actors (a corpus of a few files): neither is something a user acts on.
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings(
                    "ignore", message="The minimum number of concurrent actors", category=UserWarning
                )
                for row in dataset.iter_rows():
                    yield pickle.loads(row[PAYLOAD])
        except ray.exceptions.RayError as exc:
            raise CrosswireError("CW622", "batch", f"a pipeline worker failed ({_worker_error(exc)})") from None
    finally:
        if started_here:
            ray.shutdown()


def _worker_error(exc: BaseException) -> str:
    """The worker's own exception (a RayTaskError wraps it as `cause`): its type and last line."""
    cause = getattr(exc, "cause", None) or exc
    return f"{type(cause).__name__}: " + (str(cause).strip().splitlines() or [""])[-1]


def batch_ingest(
    paths: Sequence[str | os.PathLike[str]],
    store: Store,
    options: BatchOptions = BatchOptions(),
    progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Read, embed (on Ray) and store every article under `paths`; see the module docstring.

    Bad input never stops the run: it is listed in `report.rejected`, as with ingest.
    Raises CrosswireError CW620-CW622 for Ray, CW2xx for the encoder, CW4xx for the store.
    """
    if options.workers < 1:
        raise CrosswireError("CW623", "--workers", f"needs at least one worker, not {options.workers}")
    get_encoder(options.encoder)  # an unknown or missing encoder fails here, not inside a worker
    files = input_sources(paths, store)
    report = IngestReport(encoder=get_encoder(options.encoder).name, files=len(files))
    # The actors check what the store holds where they can open it (see the module docstring).
    shared = is_postgres_url(store.location) or options.address is None
    if files:
        for item in _pipeline_items(files, options, store.location if shared else None):
            store_item(store, item, report)
            if progress is not None:
                progress(report)
    return report


def batch_link(db: str, encoder: str = DEFAULT_ENCODER) -> int:
    """Link every article in no story yet, as `crosswire ingest` does; returns how many."""
    from crosswire.corpus import Corpus

    with Corpus(db, encoder=encoder) as corpus:
        return corpus.link()
