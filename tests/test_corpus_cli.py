"""The corpus commands end to end over a small store of hand-built analyses (no NLP models needed)."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest
from corpus_fixtures import article_a, article_b, article_c, article_d, article_e, without_outlet
from typer.testing import CliRunner

from narrascope.cli import UserError, app
from narrascope.corpus.inputs import CorpusInputError, gather, iter_chronological
from narrascope.store import open_store

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "n.db"
    with open_store(path) as store:
        for make in (article_e, article_d, article_c, article_b, article_a):
            store.save_analysis(make())
    return str(path)


def _json(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_compare_by_id_prefix(db):
    a, b = article_a().article.id, article_b().article.id
    data = _json(["compare", a[:8], b[:8], "--db", db, "--format", "json"])
    assert [s["key"] for s in data["articles"]] == [a, b]
    assert data["shared_actors"][0]["name"] == "Olena Marchenko"
    text = runner.invoke(app, ["compare", a, b, "--db", db])
    assert text.exit_code == 0 and "Olena Marchenko" in text.stdout


def test_compare_unknown_id_is_a_user_error(db):
    result = runner.invoke(app, ["compare", "ffffffff", "--db", db])
    assert isinstance(result.exception, UserError) and "ffffffff" in str(result.exception)


def test_gather_keeps_the_order_given_and_reports_missing_ids(db):
    a, c = article_a().article.id, article_c().article.id
    got = gather([c[:6], a], lambda: open_store(db), lambda: None)
    assert [x.article.id for x in got] == [c, a]
    with pytest.raises(CorpusInputError) as err:
        gather(["0000nope"], lambda: open_store(db), lambda: None)
    assert err.value.not_found


def test_chronological_reading(db):
    with open_store(db) as store:
        dates = [a.article.published for a in iter_chronological(store, chunk=2)]
    assert dates == sorted(dates) and len(dates) == 5


def test_stories_command_with_a_persistent_index(db, tmp_path):
    index = tmp_path / "stories.json"
    stories = _json(["stories", "--db", db, "--index", str(index), "--min-articles", "2", "--format", "json"])
    assert len(stories) == 2 and all(len(s["outlets"]) == 2 for s in stories)
    assert index.exists()
    again = _json(["stories", "--db", db, "--index", str(index), "--format", "json"])
    assert sum(s["n_articles"] for s in again) == 5  # nothing added twice


def test_stories_command_lists_articles_without_an_outlet_and_filters_on_named_outlets(tmp_path):
    """A store of articles analysed from text files (no outlet) showed no story at all: the command
    kept only stories with a named outlet. Now every story is listed, its outlet-less articles shown as
    "(unknown outlet)" and counted apart from the outlets; ``--min-outlets 2`` keeps the stories two
    named outlets tell (an article without one counts no outlet)."""
    db = str(tmp_path / "bare.db")
    with open_store(db) as store:
        for analysis in (without_outlet(article_a()), without_outlet(article_b()), without_outlet(article_e()),
                         article_c(), article_d()):
            store.save_analysis(analysis)
    listed = _json(["stories", "--db", db, "--format", "json"])
    assert sorted((s["n_articles"], s["outlets"], s["n_without_outlet"]) for s in listed) == [
        (1, [], 1), (2, [], 2), (2, ["Frontline Realist", "Kyiv Ledger"], 0)]
    assert [s["n_articles"] for s in _json(["stories", "--db", db, "--format", "json", "--min-outlets", "2"])] == [2]
    assert _json(["stories", "--db", db, "--format", "json", "--min-outlets", "1", "--min-articles", "2"]) == [
        s for s in listed if s["outlets"]]
    text = runner.invoke(app, ["stories", "--db", db, "--min-articles", "2"])
    assert text.exit_code == 0, text.output
    assert "2 articles · 0 outlets + 2 articles (unknown outlet)" in text.stdout
    assert "2 articles · 2 outlets ·" in text.stdout
    assert "--min-outlets" in runner.invoke(app, ["stories", "--help"]).stdout


def test_timeline_prevalence_network_commands(db, tmp_path):
    tl = _json(["timeline", "--db", db, "--format", "json", "--kind", "statement"])
    assert [e["speaker"] for e in tl["entries"]][-1] == "Viktor Orlov"
    by_id = _json(["timeline", "--db", db, "--format", "json", "--actor", "olena-marchenko"])
    by_name = _json(["timeline", "--db", db, "--format", "json", "--actor", "Olena Marchenko"])
    assert by_id["entries"] and by_name["entries"] == by_id["entries"]
    missing = runner.invoke(app, ["timeline", "--db", db, "--actor", "nobody"])
    assert isinstance(missing.exception, UserError) and missing.exception.code == 4
    prev = _json(["prevalence", "--db", db, "--format", "json", "--outlet", "Frontline Realist"])
    assert [g["key"] for g in prev["by_outlet"]] == ["Frontline Realist"]
    gexf = tmp_path / "actors.gexf"
    summary = _json(["network", "--db", db, "--out", str(gexf), "--format", "json"])
    assert nx.read_gexf(gexf).number_of_nodes() == summary["nodes"] > 0
    graph_json = tmp_path / "actors.json"
    _json(["network", "--db", db, "--out", str(graph_json), "--format", "json"])
    assert json.loads(graph_json.read_text())["edges"]


def test_export_command(db, tmp_path):
    summary = _json(["export", "--db", db, "--out", str(tmp_path / "csv")])
    assert summary["articles"]["rows"] == 5
    with open(summary["quotes"]["path"], encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == summary["quotes"]["rows"] == 10
    one = _json(["export", "--db", db, "--article", article_b().article.id[:8], "--out", str(tmp_path / "q.csv")])
    assert one["quotes"]["rows"] == 4
    bad = runner.invoke(app, ["export", "--db", db, "--out", str(tmp_path / "x"), "--tables", "nope"])
    assert isinstance(bad.exception, UserError)


def test_actors_command(db):
    listing = _json(["actors", "--db", db, "--format", "json", "--search", "marchenko"])
    assert [a["key"] for a in listing] == ["olena-marchenko"]
    profile = _json(["actors", "olena-marchenko", "--db", db, "--format", "json"])
    assert profile["n_quotes"] == 3
    missing = runner.invoke(app, ["actors", "nobody", "--db", db])
    assert isinstance(missing.exception, UserError)


def test_an_actor_list_cut_at_limit_says_of_how_many(db):
    """"Actors (2)" was the title of the first 2 of many: the corpus seemed to hold 2 actors."""
    everyone = _json(["actors", "--db", db, "--format", "json"])
    text = runner.invoke(app, ["actors", "--db", db, "--limit", "2"]).stdout
    assert f"Actors (2 of {len(everyone)}: those in most articles)" in text
    assert f"Actors ({len(everyone)})" in runner.invoke(app, ["actors", "--db", db]).stdout
    cut = runner.invoke(app, ["actors", "--db", db, "--limit", "2", "--format", "json"])
    assert len(json.loads(cut.stdout)) == 2 and f"note: 2 of {len(everyone)} actors (--limit)" in cut.stderr


def test_an_actor_given_by_part_of_its_name_is_found_when_only_one_has_it(db):
    """"Marchenko" is the one actor whose names hold it, as `--search` lists; "o" is in several names, and the
    error lists them rather than guessing."""
    assert _json(["actors", "Marchenko", "--db", db, "--format", "json"])["key"] == "olena-marchenko"
    timeline = _json(["timeline", "--actor", "Marchenko", "--db", db, "--format", "json"])
    assert timeline["entries"] and all("Marchenko" in json.dumps(e) for e in timeline["entries"])
    several = runner.invoke(app, ["actors", "o", "--db", db])
    assert isinstance(several.exception, UserError) and several.exception.code == 2
    assert "give one of their keys" in str(several.exception)


def test_gather_analyses_files_on_the_fly_without_storing(db, tmp_path):
    from narrascope.pipeline import Pipeline

    src = tmp_path / "new.txt"
    src.write_text("Grain talks resume\n\nNegotiators met in Istanbul on Tuesday to discuss grain exports.\n")
    a = article_a().article.id
    got = gather([str(src), a], lambda: open_store(db),
                 lambda: Pipeline.from_config(only=["extract_html", "clean", "language"]))
    assert got[0].article.text.startswith("Grain talks resume") and got[1].article.id == a
    with open_store(db) as store:
        assert store.get_article(got[0].article.id) is None  # analysed, not stored


def test_unwritable_outputs_are_one_line_errors(db, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for args in (["export", "--out", str(blocker)], ["network", "--out", str(blocker / "x.gexf")],
                 ["timeline", "--out", str(blocker / "t.txt")]):
        result = runner.invoke(app, [*args, "--db", db])
        assert isinstance(result.exception, UserError), args


def test_export_command_neutralises_formulas_unless_raw(tmp_path):
    a = article_c()
    a = a.model_copy(update={"article": a.article.model_copy(update={"outlet": "@SUM(1+1)"})})
    path = tmp_path / "f.db"
    with open_store(path) as store:
        store.save_analysis(a)
    _json(["export", "--db", str(path), "--out", str(tmp_path / "safe"), "--tables", "articles"])
    _json(["export", "--db", str(path), "--out", str(tmp_path / "raw"), "--tables", "articles", "--raw"])
    outlet = {kind: next(csv.DictReader((tmp_path / kind / "articles.csv").open(encoding="utf-8")))["outlet"]
              for kind in ("safe", "raw")}
    assert outlet == {"safe": "'@SUM(1+1)", "raw": "@SUM(1+1)"}


@pytest.mark.parametrize("args", [["show", "ffffffff"], ["compare", "ffffffff", "eeeeeeee"], ["report", "ffffffff"],
                                  ["export", "--article", "ffffffff"], ["actors", "nobody"],
                                  ["timeline", "--actor", "nobody"]])
def test_an_article_id_or_actor_that_matches_nothing_is_not_found(db, tmp_path, args):
    """One rule for every command that is asked for an article or an actor: nothing stored under it is exit 4
    (timeline --actor used to print an empty table and exit 0 where actors NAME exited 4)."""
    out = ["--out", str(tmp_path / "out.file")] if args[0] in ("report", "export") else []
    result = runner.invoke(app, [*args, *out, "--db", db])
    assert isinstance(result.exception, UserError) and result.exception.code == 4, result.output
    assert next(a for a in args if a in ("ffffffff", "nobody")) in str(result.exception)  # names what it missed


@pytest.mark.parametrize("command", [["show"], ["compare"], ["report"], ["export", "--article"]])
def test_every_command_taking_an_article_id_says_not_found_in_the_same_words(tmp_path, command):
    """``compare`` and ``report`` said "'ffffffff' matches no stored article (or several)" and "... is stored but
    not analysed", ``export --article`` "no analysed article with id ...", where ``show`` said what follows."""
    db = str(tmp_path / "n.db")
    analysed, unanalysed = article_a(), article_b().article
    with open_store(db) as store:
        store.save_analysis(analysed)
        store.add_article(unanalysed)
    out = ["--out", str(tmp_path / "out.file")] if command[0] in ("report", "export") else []
    for asked, message in (
        ("ffffffff", "no stored article with id 'ffffffff' (see 'narrascope list')"),
        (unanalysed.id[:10], f"article {unanalysed.id} is stored but not analysed: run 'narrascope analyze --stored'"),
    ):
        other = [analysed.article.id] if command == ["compare"] else []
        result = runner.invoke(app, [*command, asked, *other, *out, "--db", db])
        assert isinstance(result.exception, UserError) and result.exception.code == 4, result.output
        assert str(result.exception) == message


@pytest.mark.parametrize("args", [["actors", "olena-marchenko"], ["timeline", "--actor", "olena-marchenko"]])
def test_an_actor_the_filters_leave_out_is_not_found_and_the_error_names_them(db, args):
    result = runner.invoke(app, [*args, "--outlet", "No Such Outlet", "--db", db])
    assert isinstance(result.exception, UserError) and result.exception.code == 4
    assert str(result.exception) == "no stored article mentions or quotes 'olena-marchenko' " \
                                    "(with --outlet 'No Such Outlet')"


@pytest.mark.parametrize("args", [["list", "--outlet", "Nope"], ["actors", "--search", "nobody"],
                                  ["actors", "--outlet", "Nope"], ["stories", "--outlet", "Nope"],
                                  ["timeline", "--outlet", "Nope"], ["timeline", "--actor", "olena-marchenko",
                                                                     "--since", "2099-01-01"]])
def test_a_filter_that_leaves_a_list_empty_is_no_error(db, args):
    """Filters narrow a list and may leave nothing: exit 0 and an empty result, not "not found"."""
    data = _json([*args, "--db", db, "--format", "json"])
    assert (data["entries"] if isinstance(data, dict) else data) == []


def test_rich_markup_in_titles_and_outlets_is_printed_as_text(tmp_path):
    """"[/]" in an outlet or a title ended list, compare, prevalence, timeline and an actor's profile in a
    MarkupError traceback; "[red]…[/red]" was read as a style and lost."""
    db = str(tmp_path / "n.db")
    a = without_outlet(article_a(), outlet="[i]Desk[/i] [/]")
    a = a.model_copy(update={"article": a.article.model_copy(update={"title": "[red]Alarm[/red] at [/] the river"})})
    with open_store(db) as store:
        store.save_analysis(a)
        store.save_analysis(article_b())
    for args in (["list"], ["prevalence"], ["timeline"], ["stories"], ["actors", "olena-marchenko"],
                 ["compare", a.article.id, article_b().article.id]):
        result = runner.invoke(app, [*args, "--db", db])
        assert result.exit_code == 0 and result.exception is None, (args, result.output)
        assert "[/]" in result.stdout, args
    assert "[red]" in runner.invoke(app, ["list", "--db", db]).stdout
    (tmp_path / "alarm.txt").write_text("Alarm [/] at the river\n\nOfficials said the river rose overnight.\n", "utf-8")
    ingested = runner.invoke(app, ["ingest", str(tmp_path / "alarm.txt"), "--db", str(tmp_path / "m.db")])
    assert ingested.exit_code == 0 and "Alarm [/] at the river" in ingested.stdout
