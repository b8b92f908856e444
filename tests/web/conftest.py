"""Fixtures for the web app: one app per session (the encoder loads once per process)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_samples import BASE_URL

from crosswire.web import create_app


@pytest.fixture(scope="session")
def client() -> TestClient:
    return TestClient(create_app(), base_url=BASE_URL)


@pytest.fixture(scope="session")
def seed_texts(seed_path) -> tuple[str, str]:
    return (
        seed_path("en_wagner_drones.txt").read_text(encoding="utf-8"),
        seed_path("id_wagner_drones.txt").read_text(encoding="utf-8"),
    )
