"""The Dask engine: same results as the single-process runner, stored by the driver, resumable.

One LocalCluster of 2 worker processes on loopback serves the module (the engine is given its address,
as ``--scheduler`` would); a small generated corpus and the ingest-stage pipeline keep it quick — the
engine does not care which components run. The CLI is invoked in-process (no interpreter start-up).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from narrascope import engine, runner
from narrascope.cli import UserError, app
from narrascope.pipeline import Pipeline
from narrascope.store import open_store
from narrascope.synthetic import write_jsonl

CONFIG = [{"name": n, "config": {}} for n in ("extract_html", "clean", "language")]


def _pin_code_digest(digest: str) -> None:
    """On a worker: use ``digest`` as the hash of the package's files (``pipeline.code_digest``)."""
    from narrascope import pipeline

    pipeline.code_digest = lambda: digest


@pytest.fixture(scope="module")
def scheduler():
    """A cluster whose workers take this process's hash of the package files (``pipeline.code_digest``).
    Each process hashes the files once, when it first needs the pipeline version: a file saved between
    this process's hash and the workers' (someone else's edit in a shared working tree) gave the two runs
    different versions, and the comparison failed on that alone. The versions are still compared in
    full: the workers build them from the components, configs and component versions they load."""
    from narrascope.pipeline import code_digest

    with engine.dask_client(workers=2) as client:
        client.run(_pin_code_digest, code_digest())
        yield client.scheduler.address


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Five generated articles, then a line that is not JSON (an input error, reported in place)."""
    path = write_jsonl(tmp_path_factory.mktemp("corpus") / "news.jsonl", 5, seed=7, n_sentences=8)
    with path.open("a") as handle:
        handle.write("{not json\n")
    return str(path)


def _summary(outcomes):
    return [(o.status, o.source, o.article_id, o.analysis.model_dump() if o.analysis else None) for o in outcomes]


def test_dask_run_equals_the_single_process_run_and_resumes(scheduler, corpus, tmp_path, monkeypatch):
    # Same batch size: the runner reports a bad input before the documents of its batch.
    local = list(runner.analyze([corpus], Pipeline.from_config(CONFIG), batch_size=2))
    with open_store(tmp_path / "n.db") as store:
        first = list(engine.analyze([corpus], store, CONFIG, scheduler=scheduler, batch_size=2))
        assert _summary(first) == _summary(local)
        assert sorted(o.status for o in first) == ["analysed"] * 5 + ["error"]
        analysed = [o.analysis for o in first if o.analysis]
        assert [a.model_dump() for a in store.iter_analyses()] == sorted(
            (a.model_dump() for a in analysed), key=lambda a: a["article"]["id"])

        again = list(engine.analyze([corpus], store, CONFIG, scheduler=scheduler, batch_size=2))
        assert [o.status for o in again] == [o.status.replace("analysed", "unchanged") for o in first]
        assert [o.analysis for o in again if o.analysis] == analysed

        # Re-analysing the store: up-to-date articles are answered by the driver, never loaded or shipped.
        loaded: list[str] = []
        get_article = store.get_article
        monkeypatch.setattr(store, "get_article", lambda i: loaded.append(i) or get_article(i))
        rerun = list(engine.reanalyze_stored(store, CONFIG, scheduler=scheduler, batch_size=2))
        assert [o.status for o in rerun] == ["unchanged"] * 5 and loaded == []
        assert sorted(o.analysis.model_dump_json() for o in rerun) == sorted(a.model_dump_json() for a in analysed)

        redone = list(engine.reanalyze_stored(store, CONFIG, scheduler=scheduler, force=True))
        assert sorted(loaded) == sorted(a.article.id for a in analysed)
        assert sorted(o.article_id for o in redone if o.status == "analysed") == sorted(a.article.id for a in analysed)


def test_an_interrupted_run_resumes_after_what_it_reported(scheduler, corpus, tmp_path):
    with open_store(tmp_path / "n.db") as store:
        run = engine.analyze([corpus], store, CONFIG, scheduler=scheduler, batch_size=2)
        reported = [next(run) for _ in range(3)]
        run.close()  # what Ctrl-C does to the driver's loop
        assert [o.status for o in reported] == ["analysed"] * 3
        again = list(engine.analyze([corpus], store, CONFIG, scheduler=scheduler, batch_size=2))
    # The driver saves a chunk's analyses together (``save_analyses``) before reporting them: the fourth,
    # of the third one's chunk, was stored too.
    assert [o.status for o in again] == ["unchanged"] * 4 + ["error", "analysed"]


def test_a_pipeline_the_workers_cannot_build_is_one_clear_error(scheduler, corpus):
    with pytest.raises(engine.EngineError, match="could not build the pipeline.*no_such_step"):
        list(engine.analyze([corpus], None, [{"name": "no_such_step", "config": {}}], scheduler=scheduler))


def test_cli_analyze_on_a_cluster(scheduler, corpus, tmp_path):
    pipeline = tmp_path / "pipeline.yaml"
    pipeline.write_text(json.dumps({"components": [s["name"] for s in CONFIG]}))
    result = CliRunner().invoke(app, ["analyze", corpus, "--db", str(tmp_path / "n.db"), "--pipeline", str(pipeline),
                                      "--scheduler", scheduler, "--format", "jsonl"])
    assert result.exit_code == 1  # five analysed, one bad line
    assert [json.loads(line)["components"] for line in result.stdout.splitlines()] == [
        ["extract_html", "clean", "language"]] * 5


def test_local_engine_refuses_workers():
    result = CliRunner().invoke(app, ["analyze", "x.txt", "--engine", "local", "--workers", "2"])
    assert isinstance(result.exception, UserError) and result.exception.code == 2
    assert "use --engine dask" in str(result.exception)


def test_reanalysis_of_a_partly_stale_store_keeps_input_order(scheduler, corpus, tmp_path, monkeypatch):
    with open_store(tmp_path / "n.db") as store:
        list(engine.analyze([corpus], store, CONFIG, scheduler=scheduler, batch_size=2))
        ids = [row.id for row in runner.iter_rows(store)]
        fresh = set(ids[::2])  # as if the odd ones had been analysed by an older pipeline
        monkeypatch.setattr(store, "ids_analysed_with", lambda version: fresh)
        rerun = list(engine.reanalyze_stored(store, CONFIG, scheduler=scheduler, batch_size=3))
    assert [o.article_id for o in rerun] == ids
    assert [o.status for o in rerun] == ["unchanged" if i in fresh else "analysed" for i in ids]
