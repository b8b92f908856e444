"""`crosswire serve`: options, the warning off loopback, errors; uvicorn itself is not started."""

from __future__ import annotations

import pytest
import uvicorn
from click.testing import CliRunner
from fastapi.testclient import TestClient

from crosswire.cli import cli


@pytest.fixture
def served(monkeypatch):
    """What `crosswire serve` handed to uvicorn.run."""
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port: calls.append((app, host, port)))
    return calls


def test_serves_loopback_by_default_without_warning(served):
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    ((app, host, port),) = served
    assert (host, port) == ("127.0.0.1", 8000)
    assert TestClient(app, base_url="http://localhost:8000").get("/api/info").json()["store"] is False
    assert TestClient(app, base_url="http://evil.example").get("/api/info").status_code == 400


def test_warns_when_bound_to_another_address(served):
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "warning: listening on 0.0.0.0, reachable from other machines" in result.output
    ((app, host, port),) = served
    assert (host, port) == ("0.0.0.0", 8123)
    # Still only loopback names unless more are given: a DNS-rebinding page names its own domain.
    assert TestClient(app, base_url="http://crosswire.lan:8123").get("/api/info").status_code == 400


def test_allowed_hosts_let_other_machines_name_the_server(served):
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--allowed-hosts", "crosswire.lan,10.0.0.7"])
    assert result.exit_code == 0, result.output
    ((app, _, _),) = served
    for name in ("crosswire.lan:8000", "10.0.0.7:8000", "127.0.0.1:8000"):
        assert TestClient(app, base_url=f"http://{name}").get("/api/info").status_code == 200
    assert TestClient(app, base_url="http://evil.example:8000").get("/api/info").status_code == 400


def test_workers_and_timeout_set_the_limits(served):
    result = CliRunner().invoke(cli, ["serve", "--workers", "3", "--timeout", "20"])
    assert result.exit_code == 0, result.output
    ((app, _, _),) = served
    limits = TestClient(app, base_url="http://127.0.0.1").get("/api/info").json()["limits"]
    assert (limits["workers"], limits["timeout_s"]) == (3, 20.0)


def test_allowed_hosts_take_no_patterns(served):
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--allowed-hosts", "*"])
    assert result.exit_code == 2 and "not patterns" in result.output
    assert served == []


def test_opens_the_database(served, tmp_path):
    db = tmp_path / "corpus.db"
    result = CliRunner().invoke(cli, ["serve", "--db", str(db)])
    assert result.exit_code == 0, result.output
    ((app, _, _),) = served
    assert TestClient(app, base_url="http://127.0.0.1").get("/api/info").json()["store"] is True


def test_a_file_that_is_not_a_database_is_an_error(served, tmp_path):
    db = tmp_path / "notes.db"
    db.write_text("not sqlite", encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "--db", str(db)])
    assert result.exit_code == 2
    assert "error: CW401" in result.output
    assert served == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "0"], "--port"),
        (["--encoder", "nope"], "CW201"),
        (["--workers", "0"], "--workers"),
        (["--timeout", "0"], "--timeout"),
    ],
)
def test_bad_options_are_refused(served, args, message):
    result = CliRunner().invoke(cli, ["serve", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert served == []
