"""Streaming ingest: `watch(db, WatchOptions(...))` consumes articles from a Redis Stream.

A producer adds one message per article, its `article` field a JSON object as a JSONL
line holds it (text, and optionally title, url, published, lang, outlet):

    XADD news * article '{"text": "...", "lang": "de", "published": "2024-03-04"}'

N workers (processes, on any machines) share the stream through one consumer group:
Redis hands each message to one of them. A worker, per round:

1. reclaims messages another consumer has held unacknowledged for `claim_idle_ms`
   (XAUTOCLAIM): that consumer crashed or hangs, and its messages are retried here;
   at start it first re-reads its own pending messages (a restart under the same name);
2. otherwise reads up to `batch` new messages (XREADGROUP, blocking `block_ms`);
3. prepares its articles, embeds them in one encoder call and stores each in its own
   transaction (crosswire.ingest's stages: prepare_item, embed_articles, store_item);
4. acknowledges the messages (XACK) only after their articles are committed;
5. links the new articles into stories (crosswire.Corpus.link), one worker at a time
   (the store's linking lock, on either engine), in publication order as `crosswire
   ingest` does.

No loss: a message is acknowledged only after its article is committed, so a crash
leaves it pending, to be reclaimed. No duplicates: each message's article has a source
of its own (`redis:STREAM/MESSAGE_ID`), and the store keeps one article per content
hash, so a message retried after its article was committed (a crash between commit and
XACK) is counted `unchanged` and stored nothing again. A message that is not a usable
article is counted rejected and acknowledged: retrying it would fail again.

Dead letters: a message whose handling raises (the store refuses its article, or a bug)
is left pending with its error noted (a Redis hash, ERRORS_KEY) while the rest of its
batch is handled one message at a time and acknowledged; it is retried like a crashed
worker's message. Redis counts each delivery (XREADGROUP, XAUTOCLAIM), crashes included,
so a message delivered more than `max_deliveries` times is poison: it is moved to the
dead-letter stream (`STREAM:dead` unless named) with its last error (CW629 when its
worker died each time) and acknowledged, instead of being retried forever. A retried
message is handled alone, so one poison message never takes its batch with it. A
dead-lettered message keeps its fields; replay it with XADD once the cause is fixed.
An outage of the store that outlasts max_deliveries retries dead-letters the messages it
held up (their error names the outage): replay them the same way.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from crosswire.corpus import Corpus
from crosswire.encode import DEFAULT_ENCODER, get_encoder
from crosswire.errors import CrosswireError
from crosswire.ingest import ARTICLES_PER_BATCH, IngestReport, Item, embed_articles, prepare_item, store_item
from crosswire.read import Rejected
from crosswire.read.jsonl import read_json_article

SCHEMA_ID = "crosswire.watch/1"
ARTICLE_FIELD = b"article"
# The Redis hash of a group's failed messages: message id -> the error its handling raised.
ERRORS_KEY = "crosswire:{stream}:{group}:errors"
# A dead letter's fields besides the message's own.
DEAD_ID, DEAD_DELIVERIES, DEAD_ERROR = b"dead_message_id", b"dead_deliveries", b"dead_error"


def default_consumer() -> str:
    """host-pid: unique among live workers, and names the machine in XINFO CONSUMERS."""
    return f"{socket.gethostname()}-{os.getpid()}"


@dataclass(frozen=True)
class WatchOptions:
    redis_url: str  # redis://host:port/0, rediss://..., unix:///path/redis.sock
    stream: str
    group: str
    consumer: str = field(default_factory=default_consumer)
    encoder: str = DEFAULT_ENCODER
    batch: int = ARTICLES_PER_BATCH  # messages per round: one encoder call
    block_ms: int = 1000  # how long one read waits for new messages
    claim_idle_ms: int = 60_000  # a message pending this long on another consumer is retried here
    max_messages: int | None = None  # stop after handling this many messages
    idle_exit_s: float | None = None  # stop after this long with no message
    link: bool = True  # link stories after each round
    max_deliveries: int = 5  # a message delivered more often than this goes to the dead-letter stream
    dead_letter_stream: str | None = None  # default: STREAM:dead

    @property
    def dead_letters(self) -> str:
        return self.dead_letter_stream or f"{self.stream}:dead"

    @property
    def errors_key(self) -> str:
        return ERRORS_KEY.format(stream=self.stream, group=self.group)


@dataclass
class WatchReport:
    consumer: str
    ingest: IngestReport
    messages: int = 0  # messages handled and acknowledged
    reclaimed: int = 0  # of those, taken over from another consumer (or this one's earlier run)
    linked: int = 0  # articles placed in stories
    failed: int = 0  # handlings that raised; the message was left pending for a retry
    dead_letters: int = 0  # messages moved to the dead-letter stream (and acknowledged)

    def to_dict(self) -> dict:
        return {
            "schema": SCHEMA_ID,
            "consumer": self.consumer,
            "messages": self.messages,
            "reclaimed": self.reclaimed,
            "linked": self.linked,
            "failed": self.failed,
            "dead_letters": self.dead_letters,
            "ingest": self.ingest.to_dict(),
        }


def _redis_client(url: str):
    try:
        import redis
    except ImportError:
        raise CrosswireError(
            "CW625", "redis", "crosswire watch needs redis-py; install it with: pip install 'crosswire[scale]'"
        ) from None
    try:
        client = redis.Redis.from_url(url)
        client.ping()
    except (ValueError, redis.exceptions.RedisError) as exc:
        raise CrosswireError("CW626", url, f"could not reach the Redis server ({exc})") from None
    return client


def watch(db: str, options: WatchOptions) -> WatchReport:
    """Consume the stream into the corpus `db` until a bound in `options` (or Ctrl-C).

    Raises CrosswireError: CW625/CW626 for Redis, CW2xx for the encoder, CW4xx for the
    store, CW630 for a max_deliveries below 1.
    """
    import redis

    if options.max_deliveries < 1:
        raise CrosswireError("CW630", "--max-deliveries", f"needs at least 1 delivery, not {options.max_deliveries}")
    client = _redis_client(options.redis_url)
    encoder = get_encoder(options.encoder)
    report = WatchReport(options.consumer, IngestReport(encoder=encoder.name))
    try:
        _create_group(client, options)
        with Corpus(db, encoder=options.encoder) as corpus:
            own_pending = True  # first: this consumer's own unacknowledged messages (a restart)
            last_message = time.monotonic()
            while True:
                room = (
                    options.batch
                    if options.max_messages is None
                    else min(options.batch, options.max_messages - report.messages)
                )
                if room <= 0:
                    break
                messages, reclaimed, own_pending = _next_messages(client, options, room, own_pending)
                if not messages:
                    if options.idle_exit_s is not None and time.monotonic() - last_message >= options.idle_exit_s:
                        break
                    continue
                last_message = time.monotonic()
                stored_before = len(report.ingest.stored)
                if reclaimed:
                    # Retries: poison ones leave for the dead-letter stream; the others are
                    # handled one at a time, so that one that kills its worker (no error
                    # to note) is the only one its crashes count against.
                    for message in _without_dead_letters(client, options, messages, report):
                        _handle(client, options, corpus, encoder, [message], report, retried=True)
                else:
                    _handle(client, options, corpus, encoder, messages, report, retried=False)
                if options.link and len(report.ingest.stored) > stored_before:
                    report.linked += corpus.link()
    except redis.exceptions.RedisError as exc:
        raise CrosswireError(
            "CW626", options.redis_url, f"the Redis server refused or dropped a command ({exc})"
        ) from None
    return report


def _handle(
    client: Any,
    options: WatchOptions,
    corpus: Corpus,
    encoder: Any,
    messages: list,
    report: WatchReport,
    retried: bool,
) -> None:
    """Store these messages' articles (one encoder call) and acknowledge each once it is
    committed. A message whose handling raises is left pending with its error noted, to
    be retried (see the module docstring); the others go on without it."""
    import redis

    items, handled = [], []
    for message_id, fields in messages:
        try:
            items.append(_item(options.stream, message_id, fields))
            handled.append(message_id)
        except Exception as exc:  # noqa: BLE001  (one article's failure must not stop the others)
            _failed(client, options, message_id, exc, report)
    try:
        embedded = embed_articles(items, encoder, corpus.store)
    except redis.exceptions.RedisError:
        raise
    except Exception as exc:  # noqa: BLE001
        if len(handled) > 1:  # which article failed is not known: each again, on its own
            for message in messages:
                if message[0] in handled:
                    _handle(client, options, corpus, encoder, [message], report, retried)
        elif handled:
            _failed(client, options, handled[0], exc, report)
        return
    committed = []
    for message_id, item in zip(handled, embedded):
        try:
            store_item(corpus.store, item, report.ingest)
        except redis.exceptions.RedisError:
            raise
        except Exception as exc:  # noqa: BLE001  (the rest of the batch, already embedded, is stored)
            _failed(client, options, message_id, exc, report)
        else:
            committed.append(message_id)
    # Only now, with their articles committed.
    _acknowledge(client, options, committed, report, retried)


def _acknowledge(client: Any, options: WatchOptions, ids: list, report: WatchReport, retried: bool) -> None:
    if not ids:
        return
    client.xack(options.stream, options.group, *ids)
    if retried:
        client.hdel(options.errors_key, *ids)
        report.reclaimed += len(ids)
    report.messages += len(ids)


def _failed(client: Any, options: WatchOptions, message_id: bytes, exc: Exception, report: WatchReport) -> None:
    """Leave the message pending (it is retried after claim_idle_ms) with its error noted."""
    report.failed += 1
    client.hset(options.errors_key, message_id, _describe(exc))


def _describe(exc: Exception) -> str:
    """An error as a dead letter records it: crosswire's own message (code, input, problem),
    else the exception's type and first line."""
    if isinstance(exc, CrosswireError):
        return str(exc)
    return f"{type(exc).__name__}: " + (str(exc).strip().splitlines() or [""])[0]


def _without_dead_letters(client: Any, options: WatchOptions, messages: list, report: WatchReport) -> list:
    """These retried messages, less those delivered more than max_deliveries times: each
    of those is added to the dead-letter stream with its error and acknowledged, in one
    MULTI/EXEC (a crash leaves it either pending or moved)."""
    keep = []
    for message_id, fields in messages:
        pending = client.xpending_range(options.stream, options.group, message_id, message_id, 1)
        deliveries = pending[0]["times_delivered"] if pending else 1
        if deliveries <= options.max_deliveries:
            keep.append((message_id, fields))
            continue
        noted = client.hget(options.errors_key, message_id)
        source = f"redis:{options.stream}/{message_id.decode()}"
        error = (
            noted.decode("utf-8", "replace")
            if noted is not None
            else f"CW629 {source}: delivered {deliveries} times and never acknowledged (its worker died or hung each time)"
        )
        with client.pipeline(transaction=True) as multi:
            multi.xadd(
                options.dead_letters,
                {
                    **fields,
                    DEAD_ID: message_id,
                    DEAD_DELIVERIES: str(deliveries),
                    DEAD_ERROR: error,
                },
            )
            multi.xack(options.stream, options.group, message_id)
            multi.hdel(options.errors_key, message_id)
            multi.execute()
        report.dead_letters += 1
    return keep


def _create_group(client: Any, options: WatchOptions) -> None:
    """The consumer group, reading the stream from its start; an existing group is kept as it is."""
    import redis

    try:
        client.xgroup_create(options.stream, options.group, id="0", mkstream=True)
    except redis.exceptions.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def _next_messages(client: Any, options: WatchOptions, count: int, own_pending: bool) -> tuple[list, int, bool]:
    """(messages, how many of them were reclaimed, whether own pending ones may be left):
    stale ones first, then this consumer's own pending ones, then new ones."""
    claimed = client.xautoclaim(
        options.stream,
        options.group,
        options.consumer,
        min_idle_time=options.claim_idle_ms,
        start_id="0-0",
        count=count,
    )[1]
    # Entries deleted from the stream while pending come back as (id, None): nothing to ingest.
    deleted = [message_id for message_id, fields in claimed if fields is None]
    if deleted:
        client.xack(options.stream, options.group, *deleted)
    claimed = [(message_id, fields) for message_id, fields in claimed if fields is not None]
    if claimed:
        return claimed, len(claimed), own_pending
    if own_pending:
        # Id 0: this consumer's messages delivered before and never acknowledged.
        pending = _entries(client.xreadgroup(options.group, options.consumer, {options.stream: "0"}, count=count))
        gone = [message_id for message_id, fields in pending if not fields]  # deleted from the stream
        if gone:
            client.xack(options.stream, options.group, *gone)
        pending = [(message_id, fields) for message_id, fields in pending if fields]
        if pending:
            return pending, len(pending), True
    fresh = _entries(
        client.xreadgroup(options.group, options.consumer, {options.stream: ">"}, count=count, block=options.block_ms)
    )
    return fresh, 0, False


def _entries(response: Any) -> list:
    """XREADGROUP's reply, [[stream, entries]] (RESP2, redis-py's default) -> entries."""
    return [entry for _stream, entries in response or [] for entry in entries]


def _item(stream: str, message_id: bytes, fields: dict[bytes, bytes]) -> Item:
    """A message -> an article prepared for embedding, or why it cannot be one."""
    source = f"redis:{stream}/{message_id.decode()}"
    record = fields.get(ARTICLE_FIELD)
    if record is None:
        names = ", ".join(sorted(k.decode("utf-8", "replace") for k in fields)) or "none"
        return Rejected(
            source, "CW627", f"a message needs an `article` field holding a JSON article; found fields: {names}"
        )
    try:
        article = read_json_article(record, source)
    except CrosswireError as exc:
        return Rejected.from_error(exc)
    return prepare_item(article)
