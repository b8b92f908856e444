"""Shared test fixtures.

The development data lives outside the repository in ../shared/data (it belongs to its
publishers and is never copied here). A missing data folder is a broken checkout, so
tests that need it fail with the path rather than skip and hide a gap.
"""

import hashlib
import inspect
import os
from pathlib import Path

import platformdirs
import pytest
from filelock import FileLock
from postgres_servers import pg15_server, pg_server  # noqa: F401  (fixtures: PostgreSQL servers the tests start)

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def seed_path():
    def path(name: str) -> Path:
        p = SHARED_DATA / "seeds" / name
        if not p.is_file():
            pytest.fail(f"seed file {p} is missing: clone the project with its shared/ folder beside it")
        return p

    return path


@pytest.fixture(scope="session", autouse=True)
def attribution_model(request):
    """The English attribution model, built from ../shared/data/polnear as a user builds it
    (crosswire ships none: PolNeAR states no licence, docs/attribution-model.md). Training
    takes minutes, so the model is kept in the user's cache folder, keyed by the training
    code and data: every checkout and worktree on a machine trains it once, and a lock
    makes concurrent test runs wait for one training instead of each starting its own."""
    from crosswire.attribution import tagger, train
    from crosswire.settings import MODELS_ENV
    from crosswire.text import segment

    polnear = SHARED_DATA / "polnear"
    if not (polnear / "train" / "attributions").is_dir():
        pytest.fail(f"PolNeAR not found at {polnear}: clone the project with its shared/ folder beside it")
    digest = hashlib.sha256()
    data = Path(tagger.__file__).parent / "data"
    # Training reads PolNeAR through crosswire's own sentence segmentation: a change there is
    # other training data.
    code = [Path(train.__file__), Path(segment.__file__), data / "clusters" / "en.tsv", data / "cues" / "en.tsv"]
    # The tagger's features, not the rest of its module: a change to how tags are read needs no new model.
    for part in (
        tagger.TOKEN.pattern,
        *(
            inspect.getsource(f)
            for f in (
                tagger.features,
                tagger._word_features,
                tagger._word_classes,
                tagger._shape,
                tagger._bucket,
                tagger._quote_states,
                tagger.quoted_at_starts,
                tagger._inflections,
                tagger._stems,
            )
        ),
    ):
        digest.update(part.encode())
    for path in [*code, *sorted((polnear / "train").rglob("*"))]:
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    folder = platformdirs.user_cache_path("crosswire-tests") / f"attribution-model-{digest.hexdigest()[:16]}"
    folder.mkdir(parents=True, exist_ok=True)
    previous = os.environ.get(MODELS_ENV)
    os.environ[MODELS_ENV] = str(folder)
    with FileLock(str(folder) + ".lock"):
        if not tagger.user_model_path("en").is_file():
            train.build_english_model(polnear)
    tagger.forget_loaded_models()
    yield folder
    if previous is None:
        os.environ.pop(MODELS_ENV, None)
    else:
        os.environ[MODELS_ENV] = previous
    tagger.forget_loaded_models()
