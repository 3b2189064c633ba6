"""The command line end to end, as a user runs it: real processes, exit codes, stdout and stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from narrascope.cli import UserError, app
from narrascope.model import Analysis

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOOD = "Kyiv holds the line\n\nThe mayor of Kyiv said on Monday that the city would hold. \"We are ready,\" he said.\n"


def run_process(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """A real process: what a user's shell sees (exit code, one-line errors, no traceback)."""
    return subprocess.run(
        [sys.executable, "-m", "narrascope.cli", *args], input=stdin, capture_output=True, text=True, timeout=300
    )


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """In-process, sharing loaded models across tests; exit codes as ``main()`` maps them."""
    result = CliRunner().invoke(app, list(args), input=stdin)
    code, stderr = result.exit_code, result.stderr
    if isinstance(result.exception, UserError):
        code, stderr = result.exception.code, stderr + f"error: {result.exception}\n"
    elif result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(list(args), code, result.stdout, stderr)


def run_main(monkeypatch, capsys, *args: str) -> subprocess.CompletedProcess:
    """Through ``main()``, as the console script and ``python -m narrascope`` run: unlike ``run``, Click's own
    handling of usage errors and Ctrl-C is not in the way. (The program name is pytest's here.)"""
    from narrascope.cli import main

    monkeypatch.setattr(sys, "argv", ["narrascope", *args])
    with pytest.raises(SystemExit) as done:
        main()
    out = capsys.readouterr()
    return subprocess.CompletedProcess(list(args), done.value.code, out.out, out.err)


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "n.db")


@pytest.fixture(scope="module")
def examples_run(tmp_path_factory):
    db = tmp_path_factory.mktemp("ex") / "n.db"
    result = run("analyze", str(EXAMPLES), "--db", str(db), "--format", "json")
    return db, result


def test_analyze_examples_gives_valid_versioned_json_with_exact_offsets(examples_run):
    _, result = examples_run
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert len(payload) >= 5
    for item in payload:
        analysis = Analysis.model_validate(item)
        assert analysis.schema_version
        assert analysis.check_spans() == []
    languages = {a["article"]["language"] for a in payload}
    assert {"en", "de"} <= languages
    german = next(a for a in payload if a["article"]["language"] == "de")
    skipped = [w for w in german["warnings"] if "English-only" in w]
    assert len(skipped) == 1 and "actors" in skipped[0] and "techniques" in skipped[0]  # one warning names them all


def test_rerun_is_idempotent_and_resumes(examples_run):
    db, first = examples_run
    again = run("analyze", str(EXAMPLES), "--db", str(db), "--format", "json")
    assert again.returncode == 0
    assert [a["article"]["id"] for a in json.loads(again.stdout)] == [
        a["article"]["id"] for a in json.loads(first.stdout)
    ]
    listing = json.loads(run("list", "--db", str(db), "--format", "json").stdout)
    assert len(listing) == len(json.loads(first.stdout))
    assert all(row["analysed"] for row in listing)


def test_show_renders_text_and_json(examples_run):
    db, first = examples_run
    article = json.loads(first.stdout)[0]["article"]
    text = run("show", article["id"][:8], "--db", str(db))
    assert text.returncode == 0 and (article["title"] or "")[:20] in text.stdout
    as_json = json.loads(run("show", article["id"], "--db", str(db), "--format", "json").stdout)
    assert as_json["article"]["id"] == article["id"]
    assert run("show", article["id"], "--all", "--db", str(db)).returncode == 2  # not every article


def test_list_shows_whole_ids_and_an_ambiguous_prefix_names_the_candidates(examples_run, tmp_path):
    db, _ = examples_run
    ids = sorted(row["id"] for row in json.loads(run("list", "--db", str(db), "--format", "json").stdout))
    listing = run("list", "--db", str(db)).stdout  # 80 columns: the id column used to end in "…"
    assert all(i in listing for i in ids)
    prefix = next(a[0] for a, b in zip(ids, ids[1:]) if a[0] == b[0])  # the examples share first characters
    ambiguous = run("show", prefix, "--db", str(db))
    assert ambiguous.returncode == 4 and "ambiguous" in ambiguous.stderr
    assert all(i in ambiguous.stderr for i in ids if i.startswith(prefix))
    missing = run("export", "--article", "zz", "--out", str(tmp_path / "q.csv"), "--db", str(db))
    assert missing.returncode == 4 and "no stored article with id 'zz'" in missing.stderr


def test_list_says_when_it_shows_part_of_the_articles(tmp_path, db):
    """Cut at --limit (100 by default) the list looked whole; an --offset past the end looked like an empty store."""
    for n in range(3):
        (tmp_path / f"a{n}.txt").write_text(GOOD.replace("Monday", f"Monday {n}"), "utf-8")
    assert run("ingest", str(tmp_path), "--db", db).returncode == 0
    assert "articles 1-2 of 3; --offset 2 lists the next" in run("list", "--db", db, "--limit", "2").stdout
    assert "articles 3-3 of 3" in run("list", "--db", db, "--limit", "2", "--offset", "2").stdout
    assert "of 3" not in run("list", "--db", db).stdout
    assert "--offset 5 is past the last of 3 articles" in run("list", "--db", db, "--offset", "5").stdout
    one = run("list", "--db", db, "--offset", "5", "--search", "Monday 1").stdout.splitlines()
    assert "--offset 5 is past the last of 1 article" in (line.strip() for line in one)
    as_json = run("list", "--db", db, "--limit", "1", "--format", "json")
    assert len(json.loads(as_json.stdout)) == 1 and "note: articles 1-1 of 3" in as_json.stderr


def test_a_corrupt_story_index_exits_3(examples_run, tmp_path):
    db, _ = examples_run
    for content in ('{"bad":', "[1]", "{}"):
        index = tmp_path / "index.json"
        index.write_text(content, "utf-8")
        result = run("stories", "--db", str(db), "--index", str(index))
        assert result.returncode == 3 and "story index" in result.stderr, (content, result.stderr)


def test_serve_announces_itself_only_once_listening_and_a_busy_port_is_one_line(tmp_path):
    import socket

    (tmp_path / "garbage.db").write_bytes(b"not a database" * 100)
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = str(busy.getsockname()[1])
        results = [run_process("serve", "--db", str(tmp_path / db), "--port", port) for db in ("n.db", "garbage.db")]
    for result in results:
        assert result.returncode == 3, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Narrascope on" not in result.stderr, result.stderr
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in results[0].stderr


def test_quoted_wraps_only_unquoted_text():
    from narrascope.render import quoted

    assert quoted("“We are ready.”") == "“We are ready.”"
    assert quoted("that the city would hold") == "“that the city would hold”"
    assert quoted("“not losing” is not enough") == "““not losing” is not enough”"


def test_ingest_twice_stores_once(tmp_path, db):
    path = tmp_path / "a.txt"
    path.write_text(GOOD, "utf-8")
    first = json.loads(run("ingest", str(path), "--db", db, "--format", "json").stdout)
    second = json.loads(run("ingest", str(path), "--db", db, "--format", "json").stdout)
    assert first[0]["status"] == "stored" and second[0]["status"] == "duplicate"
    assert first[0]["article_id"] == second[0]["article_id"]


def test_bad_inputs_are_one_line_errors_and_the_batch_goes_on(tmp_path, db):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, "utf-8")
    (tmp_path / "empty.txt").write_text("", "utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (tmp_path / "bad.json").write_text('{"text": "unterminated', "utf-8")
    result = run_process(
        "analyze", str(tmp_path / "missing.txt"), str(tmp_path / "empty.txt"), str(tmp_path / "binary.txt"),
        str(tmp_path / "bad.json"), str(good), "--db", db, "--format", "json",
    )
    assert result.returncode == 1  # partial success
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4
    for name in ("missing.txt", "empty.txt", "binary.txt", "bad.json"):
        assert any(name in line for line in errors)
    assert len(json.loads(result.stdout)) == 1


def test_nothing_processed_exits_3_and_unknown_id_exits_4(tmp_path, db):
    assert run_process("analyze", str(tmp_path / "nope.txt"), "--db", db).returncode == 3
    missing = run_process("show", "deadbeef", "--db", db)
    assert missing.returncode == 4 and "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1


def test_a_database_the_store_does_not_support_is_named():
    """A MySQL URL failed on its missing driver: "No module named 'MySQLdb'"."""
    result = run("list", "--db", "mysql://reader@db.invalid/news")
    assert result.returncode == 3
    assert "unsupported database 'mysql': give an SQLite file or a postgresql+psycopg:// URL" in result.stderr


def test_every_error_line_has_one_format(tmp_path):
    """`error: <message>`, an input's message starting with the input; fatal errors said `error: narrascope: …`."""
    missing = tmp_path / "nope.txt"
    per_input = run_process("analyze", str(missing), "--no-store")
    fatal = run_process("list", "--db", str(tmp_path / "nope.db"))
    assert per_input.stderr.splitlines() == [f"error: {missing}: no such file or directory"]
    assert fatal.stderr.startswith("error: no store at ") and len(fatal.stderr.splitlines()) == 1


@pytest.mark.parametrize("kind", ["coref", "actors", "quotes", "narratives", "roles", "techniques", "ptc"])
def test_eval_exit_codes_agree_missing_folder_2_wrong_layout_3(kind, tmp_path):
    """Every eval command: a path that is no folder is a usage error; a folder in the wrong layout is data that
    could not be processed."""
    missing = CliRunner().invoke(app, ["eval", kind, str(tmp_path / "nope")])
    assert isinstance(missing.exception, UserError) and missing.exception.code == 2
    (tmp_path / "notes.json").write_text("{}", "utf-8")  # neither a coref fixture nor any expected layout
    wrong = CliRunner().invoke(app, ["eval", kind, str(tmp_path)])
    assert isinstance(wrong.exception, UserError) and wrong.exception.code == 3, wrong.exception


def test_usage_errors_exit_2():
    assert run_process("analyze").returncode == 2
    bad_value = run_process("analyze", "--format", "yaml", "x")
    assert bad_value.returncode == 2 and len(bad_value.stderr.splitlines()) == 1, bad_value.stderr


@pytest.mark.parametrize(("args", "message", "help_of"), [
    (["analyze", "--bogus"], "no such option: --bogus (Possible options: --out)", "analyze"),
    (["analyze", "-", "--format", "xml"], "invalid value for '--format' / '-f': ", "analyze"),
    (["list", "--limit", "x"], "invalid value for '--limit': Input should be a valid integer", "list"),
    (["list", "--limit", "0"], "invalid value for '--limit': ", "list"),
    (["list", "extra"], "got unexpected extra argument(s) (extra)", "list"),
    (["compare"], "missing argument 'items'", "compare"),
    (["analyse"], "no such command 'analyse'. Did you mean 'analyze'? Try", ""),
    (["eval", "coref"], "missing argument 'data'", "eval coref"),
    (["eval", "bogus"], "no such command 'bogus'", "eval"),
    (["eval", "--bogus"], "no such option: --bogus", "eval"),
    (["train", "roles", "--format", "xml", "dir"], "invalid value for '--format' / '-f': ", "train roles"),
    (["train", "narratives"], "missing argument 'data'", "train narratives"),
    # An option's value missing at the end: Click raises this one before the command has a context.
    (["list", "--db"], "option '--db' requires an argument", "list"),
    (["eval", "coref", "--format"], "option '--format' requires an argument", "eval coref"),
    # Usage errors a command finds itself, not Click: they pointed to no help.
    (["analyze"], "give at least one file, directory, URL or '-' (or --stored)", "analyze"),
    (["report"], "give files, URLs or stored article ids, or --stored", "report"),
    (["timeline", "--kind", "bogus"], "--kind is 'statement' or 'event'", "timeline"),
    (["show", "--db", "no-such-store.db"], "give an article id or --all", "show"),  # was exit 4: no store
])
def test_usage_errors_are_one_line_on_stderr_pointing_to_the_commands_help(monkeypatch, capsys, args, message,
                                                                           help_of):
    """Typer printed the usage, "Try ... for help." and the message in a box: five lines on stderr."""
    result = run_main(monkeypatch, capsys, *args)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {message}"), line
    assert line.endswith(f"{' ' + help_of if help_of else ''} -h'"), line


def test_each_command_is_one_line_of_the_command_list():
    """'narrascope --help' printed compare's first docstring paragraph with its line break in the middle."""
    from typer.main import get_command

    first_paragraphs = {name: command.help.split("\n\n")[0] for name, command in get_command(app).commands.items()}
    assert [name for name, text in first_paragraphs.items() if "\n" in text] == []


@pytest.mark.parametrize(("args", "code"), [([], 2), (["eval"], 2), (["train"], 2), (["--help"], 0),
                                            (["analyze", "--help"], 0), (["eval", "roles", "-h"], 0)])
def test_help_is_no_error(monkeypatch, capsys, args, code):
    """Help on stdout and nothing on stderr; a bare group shows its help and exits 2, as it did."""
    result = run_main(monkeypatch, capsys, *args)
    assert result.returncode == code
    assert "Usage: " in result.stdout and result.stderr == ""


def test_commands_that_read_the_store_refuse_a_missing_one_and_create_nothing(tmp_path):
    typo = tmp_path / "typo.db"
    for args in (["list"], ["show", "deadbeef"], ["stories"], ["prevalence"], ["actors"],
                 ["export", "--out", str(tmp_path / "out")], ["report", "--stored", "--out", str(tmp_path / "r.html")],
                 ["compare", "deadbeef", "feedface"], ["analyze", "--stored"]):
        result = run(*args, "--db", str(typo))
        assert result.returncode == 4, (args, result.stderr)
        assert "no store at" in result.stderr, args
        assert not typo.exists(), args


def test_an_unwritable_out_is_one_line_exit_2_for_every_command_and_no_folder_is_created(tmp_path, db):
    """One policy: an output that cannot be written is a usage error found before any work, and a missing
    parent folder is never created (report and network used to create it, analyze crashed)."""
    a_folder, a_file, missing = tmp_path / "a-folder", tmp_path / "a-file", tmp_path / "missing" / "deeper"
    a_folder.mkdir()
    a_file.write_text("")
    file_outputs = [["analyze", "-", "--no-store", "--out"], ["report", "--stored", "--out"], ["network", "--out"],
                    ["timeline", "--out"], ["prevalence", "--out"], ["actors", "--out"], ["compare", "a", "b", "--out"],
                    ["stories", "--index"], ["export", "--article", "a", "--out"]]
    cases = [(args, out) for args in file_outputs for out in (a_folder, missing / "x.out")]
    cases += [(["export", "--out"], missing), (["export", "--out"], a_file),
              (["train", "narratives", str(tmp_path), "--out"], missing)]
    for args, out in cases:
        result = run(*args, str(out), *(["--db", db] if args[0] != "train" else []), stdin=GOOD)
        assert result.returncode == 2, (args, out, result.stderr)
        assert f"cannot write {out}: " in result.stderr, (args, result.stderr)
    assert not missing.parent.exists() and not Path(db).exists()
    shell = run_process("analyze", "-", "--no-store", "--out", str(a_folder), stdin=GOOD)
    assert shell.returncode == 2
    assert [line.endswith(f"cannot write {a_folder}: it is a folder: give a file name; "
                          "try 'python -m narrascope.cli analyze -h'")
            for line in shell.stderr.splitlines()] == [True]


def test_one_bad_file_in_a_folder_loses_no_other_article_of_a_report_or_comparison(tmp_path):
    """The first input that failed ended the command (exit 3, no report) and was named by its folder:
    "folder: empty file"."""
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, "utf-8")
    (folder / "b.txt").write_text(GOOD.replace("Monday", "Tuesday"), "utf-8")
    (folder / "empty.txt").write_text("")
    report = run("report", str(folder), "--out", str(tmp_path / "r.html"), "--format", "json")
    assert report.returncode == 1
    assert f"error: {folder / 'empty.txt'}: empty file" in report.stderr.splitlines()
    assert json.loads(report.stdout)["articles"] == 2 and (tmp_path / "r.html").exists()
    compared = run("compare", str(folder), "--format", "json")
    assert compared.returncode == 1 and f"{folder / 'empty.txt'}: empty file" in compared.stderr
    assert len(json.loads(compared.stdout)["articles"]) == 2
    alone = run("compare", str(folder / "a.txt"), str(folder / "empty.txt"))
    assert alone.returncode == 3 and "compare needs two or more articles; 1 could be analysed" in alone.stderr


def test_export_says_which_stored_articles_it_left_out_for_not_being_analysed(tmp_path, db):
    """After 'ingest' alone every table was empty, with nothing to say why."""
    path = tmp_path / "a.txt"
    path.write_text(GOOD, "utf-8")
    assert run("ingest", str(path), "--db", db).returncode == 0
    result = run("export", "--db", db, "--out", str(tmp_path / "out"))
    assert result.returncode == 0 and json.loads(result.stdout)["articles"]["rows"] == 0
    assert result.stderr.splitlines() == [
        "note: 1 stored article not analysed, so not exported (run 'narrascope analyze --stored')"]


def test_stored_with_sources_is_a_usage_error(tmp_path, db):
    path = tmp_path / "a.txt"
    path.write_text(GOOD, "utf-8")
    assert run("ingest", str(path), "--db", db).returncode == 0
    result = run("analyze", "--stored", str(path), "--db", db)
    assert result.returncode == 2 and "either sources or --stored" in result.stderr


def test_compare_needs_two_articles(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(GOOD, "utf-8")
    result = run("compare", str(path), "--db", str(tmp_path / "n.db"))
    assert result.returncode == 2 and "two or more articles" in result.stderr


@pytest.mark.parametrize("stop", [KeyboardInterrupt, typer.Abort], ids=["ctrl-c", "click-abort"])
def test_ctrl_c_exits_130_and_says_a_rerun_resumes(tmp_path, db, monkeypatch, capsys, stop):
    """Ctrl-C, and Click's Abort (the user giving up at a prompt, which Typer showed as "Aborted!", exit 1)."""
    import narrascope.runner

    def interrupted(*args, **kwargs):
        raise stop

    path = tmp_path / "a.txt"
    path.write_text(GOOD, "utf-8")
    monkeypatch.setattr(narrascope.runner, "analyze", interrupted)
    result = run_main(monkeypatch, capsys, "analyze", str(path), "--db", db)
    assert result.returncode == 130
    (line,) = result.stderr.splitlines()
    assert line.startswith("interrupted:") and "rerun to resume" in line


@pytest.mark.parametrize("args", [["analyze", "-", "--published", "notadate"], ["stories", "--since", "notadate"],
                                  ["timeline", "--until", "2024-13-45"], ["analyze", "-", "--max-bytes", "-5"]])
def test_bad_dates_and_sizes_are_usage_errors(db, args):
    result = run(*args, "--db", db, stdin=GOOD)
    assert result.returncode == 2, result.stderr


def test_stdin_and_no_store(db):
    result = run("analyze", "-", "--no-store", "--format", "jsonl", stdin=GOOD)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["article"]["title"] == "Kyiv holds the line"
    out = Path(db).with_suffix(".jsonl")
    written = run("analyze", "-", "--no-store", "--format", "jsonl", "--out", str(out), stdin=GOOD)
    assert " ".join(written.stderr.split()) == f"wrote 1 analysis to {out}"
    assert json.loads(out.read_text("utf-8"))["article"]["title"] == "Kyiv holds the line"


def test_reanalysis_of_stored_articles(tmp_path, db):
    path = tmp_path / "a.txt"
    path.write_text(GOOD, "utf-8")
    assert run("ingest", str(path), "--db", db).returncode == 0
    result = run("analyze", "--stored", "--db", db, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["sentences"]


def test_schema_command_prints_the_published_schema():
    schema = json.loads(run("schema").stdout)
    assert schema["title"] == "Narrascope analysis"
    published = json.loads((ROOT / "docs" / "schema" / "analysis.schema.json").read_text("utf-8"))
    assert published == schema, "docs/schema is stale: run 'narrascope schema > docs/schema/analysis.schema.json'"


def test_every_command_has_help_and_flags_show_no_value_type():
    """A flag takes no value: help listed each as ``--stored <bool>`` (even ``--help -h <bool>``)."""
    top = run("--help")
    assert top.returncode == 0 and "Exit codes:" in top.stdout
    commands = ("ingest", "clean", "analyze", "list", "show", "schema", "compare", "stories", "timeline", "network",
                "prevalence", "actors", "export", "serve", "report", "eval", "eval roles", "train", "train techniques")
    for command in commands:
        result = run(*command.split(), "--help")
        assert result.returncode == 0, command
        assert "<bool>" not in result.stdout, command
    assert "<text|json|jsonl>" in run("analyze", "--help").stdout  # options that take a value still say what


@pytest.mark.seeds
def test_seeds_analyse_with_title_clean_text_author_date_entities(seeds_dir, db):
    result = run("analyze", *map(str, sorted(seeds_dir.glob("*.txt"))), "--db", db, "--format", "json")
    assert result.returncode == 0, result.stderr
    by_title = {a["article"]["title"]: a for a in json.loads(result.stdout)}
    fringe = by_title["Faced with Defeat, Is Ukraine’s Military Leader Already Negotiating?"]
    oped = by_title["Ukraine: The path to victory?"]
    assert "Print Friendly" not in fringe["article"]["text"]
    assert oped["article"]["author"] == "Paul Mason" and oped["article"]["published"] == "2023-11-29"
    for analysis in (fringe, oped):
        assert Analysis.model_validate(analysis).check_spans() == []
        assert analysis["entities"] and all(m["end"] > m["start"] for e in analysis["entities"] for m in e["mentions"])
    again = json.loads(run("analyze", *map(str, sorted(seeds_dir.glob("*.txt"))), "--no-store", "--format", "json").stdout)
    assert sorted(a["article"]["id"] for a in again) == sorted(by_title[t]["article"]["id"] for t in by_title)


def test_published_and_outlet_fill_missing_metadata_and_anchor_relative_dates(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "Mayor warns politicians\n\nThe mayor of Kyiv, Vitali Klitschko, told 20 Minuten on Dec. 2 that "
        "\"every politician will answer for his failures\".\n", "utf-8")
    result = run("analyze", str(path), "--no-store", "--format", "json", "--published", "2023-12-04",
                 "--outlet", "Test Wire")
    assert result.returncode == 0, result.stderr
    (analysis,) = json.loads(result.stdout)
    assert analysis["article"]["published"] == "2023-12-04"
    assert analysis["article"]["outlet"] == "Test Wire"
    assert "2023-12-02" in {q["date"] for q in analysis["quotes"]}
    # a date the text itself carries in its byline wins over the default
    dated = tmp_path / "b.txt"
    dated.write_text("Mayor warns politicians\n\nAnna Lind\n11 min readNov 29, 2023\n\nThe mayor spoke again.\n",
                     "utf-8")
    result = run("analyze", str(dated), "--no-store", "--format", "json", "--published", "2023-12-04")
    assert json.loads(result.stdout)[0]["article"]["published"] == "2023-11-29", result.stderr


def test_unreachable_server_db_is_one_line_without_the_password():
    result = run("list", "--db", "postgresql://bob:s3cret-pw@127.0.0.1:1/narrascope")
    assert result.returncode == 3
    assert "s3cret-pw" not in result.stderr + result.stdout
    assert "bob:***@127.0.0.1" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_python_dash_m_narrascope_is_the_command_line():
    def python_m(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "narrascope", *args], capture_output=True, text=True, timeout=120)

    done = python_m("--help")
    assert done.returncode == 0 and "analyze" in done.stdout
    usage = python_m("analyze", "--bogus")  # through main(): one line, not Typer's box
    assert usage.returncode == 2
    assert usage.stderr.splitlines() == ["error: no such option: --bogus (Possible options: --out); "
                                         "try 'python -m narrascope analyze -h'"]


def test_counts_are_printed_in_the_right_number():
    from narrascope.render import counted

    assert counted(1, "article") == "1 article" and counted(2, "outlet") == "2 outlets"
    assert counted(1, "analysis", "analyses") == "1 analysis" and counted(0, "entry", "entries") == "0 entries"
