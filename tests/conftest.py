"""Shared fixtures. Tests never need ../shared; those that read the seeds skip when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present (a user's fresh clone has none)")
    return SEEDS


@pytest.fixture(scope="session")
def seed_texts(seeds_dir: Path) -> dict[str, str]:
    return {p.name[:3]: p.read_text("utf-8") for p in sorted(seeds_dir.glob("*.txt"))}


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL server (tests/pg_server.py); skips when PostgreSQL cannot run here."""
    from pg_server import PostgresCluster, PostgresUnavailable

    try:
        cluster = PostgresCluster().start()
    except PostgresUnavailable as err:
        pytest.skip(f"no PostgreSQL server for the tests: {err}")
    yield cluster
    cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster):
    """A fresh, empty PostgreSQL database on the throwaway server; dropped after the test."""
    url = postgres_cluster.create_database()
    yield url
    postgres_cluster.drop_database(url)


@pytest.fixture(scope="session")
def analyse_with():
    """``analyse_with("spacy", "actors")(text)``: run those components on clean text and return the
    Analysis, failing on a component error or a span whose text disagrees with its offsets."""
    from narrascope.pipeline import Doc, Pipeline

    def make(*names: str):
        pipe = Pipeline.from_config([{"name": n, "config": {}} for n in names])

        def run(text: str):
            doc = pipe(Doc.from_text(text))
            assert doc.error is None, doc.error
            assert doc.analysis.check_spans() == []
            return doc.analysis

        return run

    return make
