"""The ``narrascope`` command line.

Conventions: ``--help`` everywhere; ``--format json`` for machines on every command that prints
results; ``--db`` on every command that uses the store; progress bars (on stderr) for multi-document
work; errors on stderr as one readable line, never a traceback.

Exit codes: 0 all inputs succeeded; 1 some inputs failed (the others were processed and reported);
2 usage error; 3 nothing could be processed or a fatal error; 4 the requested item does not exist;
130 interrupted (Ctrl-C). "Not found" has one rule: an article id (or prefix) or an actor (id or name) that a
command is asked for and none of the stored articles it reads (after --outlet and the like) has is exit 4; a
filter that narrows a list (--outlet, --search, --since/--until, --kind, --min-articles) and leaves it empty is
exit 0 with an empty result.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from typer._click.exceptions import NoArgsIsHelpError, UsageError  # Typer vendors Click: not click.UsageError
from typer.core import TyperOption

if TYPE_CHECKING:  # the store loads SQLAlchemy: imported where a command needs it
    from typer._click.core import Context as ClickContext

    from .model import Analysis
    from .store import Store

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_FAILED, EXIT_NOT_FOUND = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130  # the shell's code for Ctrl-C (128 + SIGINT)

_option_value_type = TyperOption.display_type_rich


def _option_metavar(option: TyperOption, ctx: typer.Context) -> str | None:
    """What ``--help`` shows after an option: its value's type (``--limit <int range>``), nothing for a flag.

    Typer's rich help panel asks every option for a value type, flags included, so each flag read
    ``--stored <bool>`` and even ``--help -h <bool>``, as if it took a value; Typer's plain formatter already
    leaves flags bare (``TyperOption.get_help_record``). Set once here, for every option of every command,
    rather than a ``metavar`` on each flag."""
    return None if option.is_flag or option.count else _option_value_type(option, ctx)


TyperOption.display_type_rich = _option_metavar

app = typer.Typer(
    name="narrascope",
    help="Map the information space of conflict news: quotes and sourcing, narratives, framing, techniques.",
    epilog="Exit codes: 0 done; 1 some inputs failed (the others were done); 2 usage error; 3 nothing could be "
           "processed; 4 not found: an article id or actor that no stored article has, or filters no analysed "
           "article matches (report --stored; a filter that leaves a list empty is 0); 130 interrupted. Errors are one line on stderr.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
eval_app = typer.Typer(help="Score a model component on public labelled data with the field's official metric.",
                       no_args_is_help=True)
train_app = typer.Typer(help="Train a model component on labelled data (writes a model directory).",
                        no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")

# Titles, outlets, names and quotations are data: read as Rich markup, "[/]" in a title or an outlet ended every
# command that printed it (ingest, list, compare, prevalence, timeline, actors) in a MarkupError traceback, and
# "[red]…[/red]" was styled. Styles are given as Text objects instead.
PLAIN = {"highlight": False, "markup": False}
out_console = Console(soft_wrap=False, **PLAIN)
err_console = Console(stderr=True, highlight=False)


class UserError(Exception):
    """An error the user can fix; shown as one line on stderr with the given exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED):
        super().__init__(message)
        self.code = code


class Format(str, Enum):
    text = "text"
    json = "json"


class AnalyzeFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


class EngineName(str, Enum):
    local = "local"
    dask = "dask"


DbOption = Annotated[str, typer.Option("--db", help="SQLite file or SQLAlchemy URL (postgresql+psycopg://...).")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def _error_line(message: str) -> None:
    """Every error the same way: ``error: <message>``; an input's error starts with the input."""
    err_console.print(f"error: {message}", markup=False, soft_wrap=True)


def _progress(items: Iterable[Any], label: str) -> Iterator[Any]:
    """A progress bar on stderr when it is a terminal; a plain pass-through otherwise."""
    if not err_console.is_terminal:
        yield from items
        return
    columns = (SpinnerColumn(), TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task(label, total=None)
        for item in items:
            yield item
            progress.advance(task)


def _open_store(db: str, *, create: bool = True):
    """The store at ``db``. Commands that only read pass ``create=False``: SQLite would quietly create
    an empty file at a mistyped ``--db`` path, and the command would report an empty corpus instead."""
    from .store import open_store, redact

    if not create and "://" not in db and not Path(db).expanduser().exists():
        raise UserError(f"no store at {db!r} (check --db; 'narrascope ingest' or 'analyze' creates one)",
                        EXIT_NOT_FOUND)
    try:
        return open_store(db)
    except Exception as err:  # noqa: BLE001 - any driver error becomes one line
        # Driver errors span several lines and end with a link to SQLAlchemy's docs: keep one line.
        detail = " ".join(line.strip() for line in str(err).splitlines() if not line.startswith("(Background"))
        raise UserError(redact(db, f"cannot open the store {db!r}: {detail}")) from err


def _pipeline_config(config: Path | None) -> list[dict[str, Any]] | None:
    """The steps of a pipeline YAML file; None means the default pipeline."""
    if config is None:
        return None
    import yaml

    from .pipeline import parse_config

    try:
        return parse_config(yaml.safe_load(config.read_text("utf-8")))
    except (OSError, ValueError, yaml.YAMLError) as err:
        raise UserError(f"bad pipeline file {config}: {err}", EXIT_USAGE) from err


def _pipeline(config: Path | None = None):
    from .pipeline import Pipeline

    steps = _pipeline_config(config)
    try:
        return Pipeline.from_config(steps)
    except (ValueError, KeyError) as err:
        raise UserError(f"bad pipeline file {config}: {err}", EXIT_USAGE) from err


def _exit_for(n_ok: int, n_err: int) -> int:
    if n_err == 0:
        return EXIT_OK
    return EXIT_PARTIAL if n_ok else EXIT_FAILED


def _writable(path: Path, *, folder: bool = False) -> Path:
    """``path`` checked as an output before any work, so a mistyped ``--out`` fails at once (exit 2, one
    line) rather than with a traceback after a long analysis. One policy for every command: the file (or
    the folder of ``export`` and ``train``) is created, a missing parent folder is not, since a typo in
    it would otherwise quietly grow a directory tree somewhere."""
    parent = path.parent
    if folder and path.exists() and not path.is_dir():
        problem = "it is a file, not a folder"
    elif not folder and path.is_dir():
        problem = "it is a folder: give a file name"
    elif parent.exists() and not parent.is_dir():
        problem = f"{parent} is a file, not a folder"
    elif not parent.exists():
        problem = f"the folder {parent} does not exist (narrascope does not create folders: create it first)"
    elif not os.access(path if path.exists() else parent, os.W_OK):
        problem = "permission denied"
    else:
        return path
    raise UserError(f"cannot write {path}: {problem}", EXIT_USAGE)


def _out_file(path: Path | None) -> Path | None:
    """Option callback: an output file, checked up front (see ``_writable``)."""
    return None if path is None else _writable(path)


def _out_folder(path: Path | None) -> Path | None:
    """Option callback: an output folder (a model directory), checked up front (see ``_writable``)."""
    return None if path is None else _writable(path, folder=True)


@contextmanager
def _writing() -> Iterator[None]:
    """Around a write to a checked ``--out``: what changed since the check (a full disk, a folder removed)
    is still one line and a usage error, not a traceback."""
    try:
        yield
    except OSError as err:
        raise UserError(f"cannot write: {err}", EXIT_USAGE) from err


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        out.write_text(text, "utf-8")


def emit_result(result: dict[str, Any], fmt: Format, title: str = "") -> None:
    """Print a flat result dict (eval scores, train summaries) as JSON or a two-column table."""
    if fmt is Format.json:
        _write(json.dumps(result, indent=2, default=str) + "\n", None)
        return
    table = Table(title=title or None)
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in result.items():
        table.add_row(key, f"{value:.4f}" if isinstance(value, float) else str(value))
    out_console.print(table)


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details on stderr.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s: %(message)s",
                        stream=sys.stderr)


# --- ingest / analyze ---------------------------------------------------------------------------

Sources = Annotated[list[str] | None, typer.Argument(help="Files, directories, URLs, feeds, or '-' for stdin.")]
AllowPrivate = Annotated[bool, typer.Option("--allow-private", help="Allow fetching loopback/private addresses.")]
GlobOption = Annotated[str | None, typer.Option("--glob", help="Only files matching this pattern in directories.")]


def _iso_date(value: str | None) -> str | None:
    """A date option checked up front: a typo would otherwise filter out every article (--since, --until)
    or be dropped with a warning on each one (--published)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as err:
        raise typer.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD") from err


MaxBytes = Annotated[int, typer.Option("--max-bytes", min=1, help="Refuse inputs larger than this.")]
Published = Annotated[str | None, typer.Option(
    "--published", callback=_iso_date,
    help="Publication date (YYYY-MM-DD) for inputs that carry none; relative dates resolve against it.")]
Outlet = Annotated[str | None, typer.Option("--outlet", help="Outlet name for inputs that carry none.")]


def _report(outcomes: Iterable, label: str, fmt: Format) -> tuple[list, int, int]:
    kept, n_ok, n_err = [], 0, 0
    for outcome in _progress(outcomes, label):
        if outcome.ok:
            n_ok += 1
            kept.append(outcome)
            if fmt is Format.text:
                out_console.print(Text(f"{outcome.status:9} {outcome.article_id}  {outcome.title or ''}  ")
                                  + Text(outcome.source, style="dim"))
        else:
            n_err += 1
            _error_line(f"{outcome.source}: {outcome.message or 'failed'}")
    return kept, n_ok, n_err


@app.command()
def ingest(
    sources: Sources = None,
    db: DbOption = "narrascope.db",
    fmt: FormatOption = Format.text,
    allow_private: AllowPrivate = False,
    glob: GlobOption = None,
    max_bytes: MaxBytes = 5_000_000,
    published: Published = None,
    outlet: Outlet = None,
) -> None:
    """Read, clean and store articles (no analysis). Ingesting the same article twice stores it once."""
    from . import runner

    if not sources:
        raise UserError("give at least one file, directory, URL or '-'", EXIT_USAGE)
    pipeline = _pipeline()
    with _open_store(db) as store:
        outcomes = runner.ingest(sources, store, pipeline, allow_private=allow_private, glob=glob,
                                 max_bytes=max_bytes, defaults={"published": published, "outlet": outlet})
        kept, n_ok, n_err = _report(outcomes, "ingesting", fmt)
    if fmt is Format.json:
        _write(json.dumps([o.as_dict() for o in kept], indent=2) + "\n", None)
    raise typer.Exit(_exit_for(n_ok, n_err))


@app.command("clean")
def clean_sources(
    sources: Sources = None,
    fmt: FormatOption = Format.text,
    allow_private: AllowPrivate = False,
    glob: GlobOption = None,
    max_bytes: MaxBytes = 5_000_000,
    published: Published = None,
    outlet: Outlet = None,
) -> None:
    """Show the clean text, title, byline, language and removed furniture of each input; stores nothing."""
    from .ingest.preview import describe, preview
    from .ingest.sources import IngestError

    if not sources:
        raise UserError("give at least one file, directory, URL or '-'", EXIT_USAGE)
    articles, n_ok, n_err = [], 0, 0
    read = preview(sources, allow_private=allow_private, glob=glob, max_bytes=max_bytes,
                   defaults={"published": published, "outlet": outlet})
    for item in _progress(read, "cleaning"):
        if isinstance(item, IngestError):
            n_err += 1
            _error_line(f"{item.source}: {item.message}")
            continue
        n_ok += 1
        if fmt is Format.json:
            articles.append(item.model_dump(mode="json", exclude={"raw"}))
        else:
            out_console.print(describe(item), markup=False, highlight=False, soft_wrap=True)  # text as is
    if fmt is Format.json:
        _write(json.dumps(articles, indent=2, ensure_ascii=False) + "\n", None)
    raise typer.Exit(_exit_for(n_ok, n_err))


@app.command()
def analyze(
    sources: Sources = None,
    db: DbOption = "narrascope.db",
    fmt: Annotated[AnalyzeFormat, typer.Option("--format", "-f", help="Output format.")] = AnalyzeFormat.text,
    out: Annotated[Path | None, typer.Option("--out", "-o", callback=_out_file,
                                             help="Write the output here, not stdout.")] = None,
    pipeline_file: Annotated[Path | None, typer.Option("--pipeline", help="Pipeline YAML to use.")] = None,
    stored: Annotated[bool, typer.Option("--stored", help="Re-analyse the articles already in the store.")] = False,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not save anything.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Re-analyse even when up to date.")] = False,
    allow_private: AllowPrivate = False,
    glob: GlobOption = None,
    max_bytes: MaxBytes = 5_000_000,
    published: Published = None,
    outlet: Outlet = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes (the dask engine).")] = 1,
    engine: Annotated[EngineName | None, typer.Option(
        "--engine", help="local: this process; dask: worker processes or a cluster (default: dask when "
        "--workers > 1 or --scheduler is given).")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786.")] = None,
) -> None:
    """Analyse articles (quotes, sourcing, narratives, roles, techniques), store and print the result."""
    from . import engine as dask_engine
    from . import runner

    if not sources and not stored:
        raise UserError("give at least one file, directory, URL or '-' (or --stored)", EXIT_USAGE)
    engine = engine or (EngineName.dask if workers > 1 or scheduler else EngineName.local)
    if engine is EngineName.local and (workers > 1 or scheduler):
        raise UserError("the local engine runs in this process: use --engine dask for --workers/--scheduler",
                        EXIT_USAGE)
    if stored and sources:
        raise UserError("--stored re-analyses the store: give either sources or --stored, not both", EXIT_USAGE)
    if stored and no_store:
        raise UserError("--stored needs the store (drop --no-store)", EXIT_USAGE)
    pipeline = _pipeline(pipeline_file) if engine is EngineName.local else None
    store = None if no_store else _open_store(db, create=not stored)
    try:
        if engine is EngineName.dask:
            config = _pipeline_config(pipeline_file)
            options = {"workers": workers, "scheduler": scheduler, "force": force}
            read_options = {"allow_private": allow_private, "glob": glob, "max_bytes": max_bytes,
                            "defaults": {"published": published, "outlet": outlet}}
            outcomes = (dask_engine.reanalyze_stored(store, config, **options) if stored else
                        dask_engine.analyze(sources, store, config, read_options, **options))
        elif stored:
            outcomes = runner.reanalyze_stored(store, pipeline, force=force)
        else:
            outcomes = runner.analyze(sources, pipeline, store, force=force, allow_private=allow_private,
                                      glob=glob, max_bytes=max_bytes,
                                      defaults={"published": published, "outlet": outlet})
        kept, n_ok, n_err = _report(outcomes, "analysing", Format.json)
    except dask_engine.EngineError as err:  # cluster unreachable, or the workers cannot build the pipeline
        raise UserError(str(err)) from err
    finally:
        if store is not None:
            store.close()
    analyses = [o.analysis for o in kept if o.analysis is not None]
    with _writing():
        if fmt is AnalyzeFormat.json:
            _write("[" + ",\n".join(a.model_dump_json(indent=2) for a in analyses) + "]\n", out)
        elif fmt is AnalyzeFormat.jsonl:
            _write("".join(a.model_dump_json() + "\n" for a in analyses), out)
        else:
            _print_analyses(analyses, out)
    if out is not None:
        from .render import counted

        err_console.print(f"wrote {counted(len(analyses), 'analysis', 'analyses')} to {out}", markup=False)
    raise typer.Exit(_exit_for(n_ok, n_err))


def _print_analyses(analyses: list, out: Path | None) -> None:
    from .render import print_analysis

    if out is None:
        for a in analyses:
            print_analysis(a, out_console)
        return
    with out.open("w", encoding="utf-8") as handle:
        console = Console(file=handle, width=110, **PLAIN)
        for a in analyses:
            print_analysis(a, console)


# --- store queries ------------------------------------------------------------------------------


def _stored_analysis(store, prefix: str):
    """``corpus.inputs.stored_analysis`` (the one wording of "not found" for an article id) as exit 4."""
    from .corpus.inputs import CorpusInputError, stored_analysis

    try:
        return stored_analysis(store, prefix)
    except CorpusInputError as err:
        raise UserError(str(err), EXIT_NOT_FOUND) from err


@app.command("list")
def list_articles(
    db: DbOption = "narrascope.db",
    fmt: FormatOption = Format.text,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    search: Annotated[str | None, typer.Option(help="Only articles whose title or text contains this.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 100,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many (pagination).")] = 0,
) -> None:
    """List stored articles."""
    from dataclasses import asdict

    from .store import ArticleFilter

    filt = ArticleFilter(outlet=outlet, search=search)
    with _open_store(db, create=False) as store:
        rows = store.list_articles(filt, limit=limit, offset=offset)
        ended = len(rows) < limit and (rows or not offset)  # then the rows end the list: no count needed
        total = offset + len(rows) if ended else store.count_articles(filt)
    part = _list_part(offset, len(rows), total)
    if fmt is Format.json:
        _write(json.dumps([asdict(r) for r in rows], indent=2) + "\n", None)
        if part:
            err_console.print(f"note: {part}", markup=False)
        return
    table = Table(caption=part)
    # Ids in full, never cut with "…": a user copies them into `show`, `compare` and `report`.
    table.add_column("id", no_wrap=True, min_width=max((len(r.id) for r in rows), default=2))
    for col in ("published", "outlet", "title", "words", "analysed"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.id, r.published or "", r.outlet or "", r.title or "", str(r.n_words),
                      "yes" if r.analysed else "no")
    out_console.print(table)


def _list_part(offset: int, shown: int, total: int) -> str | None:
    """What part of the list ``list`` printed, when not all of it: 100 rows of 523 (the default --limit) read
    as the whole corpus, and an --offset past the end as an empty one."""
    from .render import counted

    if shown == 0:
        return f"--offset {offset} is past the last of {counted(total, 'article')}" if offset and total else None
    if shown == total:
        return None
    more = f"; --offset {offset + shown} lists the next" if offset + shown < total else ""
    return f"articles {offset + 1}-{offset + shown} of {total}{more}"


@app.command()
def show(
    article_id: Annotated[str | None, typer.Argument(help="Article id (a unique prefix is enough).")] = None,
    db: DbOption = "narrascope.db",
    fmt: FormatOption = Format.text,
    all_: Annotated[bool, typer.Option("--all", help="Show every stored analysis.")] = False,
) -> None:
    """Show a stored analysis: quotes by speaker with chains, sourcing, narratives, roles, techniques."""
    if all_ and article_id:
        raise UserError("give an article id or --all, not both", EXIT_USAGE)
    if not all_ and not article_id:  # before the store: a bare 'show' without one was "no store" (exit 4)
        raise UserError("give an article id or --all", EXIT_USAGE)
    with _open_store(db, create=False) as store:
        analyses = list(store.iter_analyses()) if all_ else [_stored_analysis(store, article_id)]
    if fmt is Format.json:
        payload = [a.model_dump(mode="json") for a in analyses]
        _write(json.dumps(payload if all_ else payload[0], indent=2) + "\n", None)
    else:
        _print_analyses(analyses, None)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the analysis output."""
    from .model import json_schema

    _write(json.dumps(json_schema(), indent=2) + "\n", None)


# --- corpus views (logic in narrascope.corpus) ---------------------------------------------------

OutFile = Annotated[Path | None, typer.Option("--out", "-o", callback=_out_file,
                                              help="Write the output here, not stdout.")]


@app.command()
def compare(
    items: Annotated[list[str], typer.Argument(help="Stored article ids (unique prefixes) and/or files or URLs "
                                                    "to analyse now.")],
    db: DbOption = "narrascope.db",
    fmt: FormatOption = Format.text,
    out: OutFile = None,
) -> None:
    """Compare articles side by side: whom each quotes and how it casts them, sourcing, narratives, techniques.

    What each side's claims rest on, the narratives and techniques one uses and the other does not, shared speakers."""
    from .corpus.compare import compare as run_compare
    from .corpus.inputs import CorpusInputError
    from .corpus.render import print_comparison

    failed: list[str] = []
    try:
        analyses = _gather(items, db, failed)
        if len(analyses) < 2 and failed:
            raise UserError(f"compare needs two or more articles; {len(analyses)} could be analysed", EXIT_FAILED)
        if len(analyses) < 2:
            raise UserError("compare needs two or more articles (a JSONL file may hold several)", EXIT_USAGE)
        result = run_compare(analyses)
    except (CorpusInputError, ValueError) as err:
        raise UserError(str(err), EXIT_NOT_FOUND if getattr(err, "not_found", False) else EXIT_FAILED) from err
    _emit_view(result, fmt, out, print_comparison)
    if failed:
        raise typer.Exit(EXIT_PARTIAL)


def _gather(items: list[str], db: str, failed: list[str]) -> list[Analysis]:
    """``corpus.inputs.gather`` for ``compare`` and ``report``: an input that cannot be analysed is an error line
    and is added to ``failed``, and the others are still used (exit 1, as ``analyze`` does): one empty file in a
    folder used to lose the whole comparison or report."""
    from .corpus.inputs import gather

    def skip(message: str) -> None:
        _error_line(message)
        failed.append(message)

    return gather(items, lambda: _open_store(db, create=False), _pipeline, on_error=skip)


OutletFilter = Annotated[str | None, typer.Option("--outlet", help="Only articles of this outlet.")]
SinceFilter = Annotated[str | None, typer.Option("--since", callback=_iso_date,
                                                 help="Only articles published on/after (YYYY-MM-DD).")]
UntilFilter = Annotated[str | None, typer.Option("--until", callback=_iso_date,
                                                 help="Only articles published on/before (YYYY-MM-DD).")]


def _stored(store, outlet: str | None = None, since: str | None = None, until: str | None = None,
            chronological: bool = False):
    """The stored analyses matching the filters, streamed, with a progress bar on a terminal."""
    from .corpus.inputs import iter_chronological, iter_store
    from .store import ArticleFilter

    read = iter_chronological if chronological else iter_store
    return _progress(read(store, ArticleFilter(outlet=outlet, since=since, until=until)), "reading")


def _emit_view(result: Any, fmt: Format, out: Path | None, printer) -> None:
    """A corpus view as JSON (``result`` is a pydantic model or plain data) or through ``printer``."""
    from pydantic_core import to_jsonable_python

    with _data_errors():  # an unwritable --out is one line on stderr
        if fmt is Format.json:
            _write(json.dumps(to_jsonable_python(result), indent=2) + "\n", out)
        elif out is None:
            printer(result, out_console)
        else:
            with out.open("w", encoding="utf-8") as handle:
                printer(result, Console(file=handle, width=160, **PLAIN))


@app.command()
def stories(
    db: DbOption = "narrascope.db",
    fmt: FormatOption = Format.text,
    out: OutFile = None,
    index: Annotated[Path | None, typer.Option(
        "--index", callback=_out_file,
        help="Story index JSON to update (created if absent); only new articles are added.")] = None,
    threshold: Annotated[float | None, typer.Option(min=0, max=1, help="Similarity needed to join a story "
                                                                      "(default 0.3; a saved index keeps its own).")] = None,
    window: Annotated[int | None, typer.Option("--window", min=0, help="Days between articles of one story "
                                                                        "(default 7).")] = None,
    min_articles: Annotated[int, typer.Option("--min-articles", min=1, help="Hide smaller stories.")] = 1,
    min_outlets: Annotated[int, typer.Option(
        "--min-outlets", min=0,
        help="Hide stories told by fewer named outlets; 2 keeps those to compare across outlets. An article "
             "without an outlet counts none; 0 shows every story.")] = 0,
    outlet: OutletFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
) -> None:
    """Group stored articles about the same event across outlets (incremental with --index).

    Articles without an outlet (plain text files, say) are grouped like the others and listed as
    "(unknown outlet)"; they add no outlet to a story's count.
    """
    from .corpus.render import print_stories
    from .corpus.stories import StoryIndex

    params = {k: v for k, v in {"threshold": threshold, "window_days": window}.items() if v is not None}
    try:
        idx = StoryIndex.load(index) if index and index.exists() else StoryIndex(**params)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        # An index file that is corrupt or not an index at all (JSON of another shape) is an input that
        # cannot be processed (exit 3), not a usage error.
        detail = str(err) if isinstance(err, ValueError) else f"cannot read the story index {index}: not a story index"
        raise UserError(detail, EXIT_FAILED) from err
    with _open_store(db, create=False) as store:
        idx.add_ordered(_stored(store, outlet, since, until, chronological=True))
    if index:
        with _data_errors():
            idx.save(index)
    _emit_view(idx.stories(min_articles, min_outlets), fmt, out, print_stories)


def _actor_key(store: Store, actor: str) -> str:
    """The actor a user typed: its key or canonical name as given; else, when exactly one stored actor has a name
    containing it ("Peskov" for Dmitry Peskov, named "Mr Peskov" and "Peskov" in the text), that actor's key.
    Several such actors are a usage error that lists them (a surname two people share needs the key)."""
    rows = store.list_actors(search=actor, limit=20)
    if any(r.key == actor or r.name.casefold() == actor.casefold() for r in rows) or not rows:
        return actor
    if len(rows) > 1:
        names = "; ".join(f"{r.name} [{r.key}]" for r in rows[:5])
        raise UserError(f"{actor!r} names {len(rows)} actors: {names}; give one of their keys", EXIT_USAGE)
    return rows[0].key


def _actor_not_found(actor: str, **filters: str | None) -> UserError:
    """The one not-found error for a named actor (``actors NAME``, ``timeline --actor``), exit 4. It names the
    filters that narrowed the articles looked at: an actor the store has but ``--outlet Other`` leaves out
    should not read like a typo."""
    given = _filters_given(**filters)
    scope = f" (with {given})" if given else ""
    return UserError(f"no stored article mentions or quotes {actor!r}{scope}", EXIT_NOT_FOUND)


def _filters_given(**filters: str | None) -> str:
    """The filters the user gave as they typed them (``--outlet 'X', --since '2026-01-01'``; '' when none),
    for an error that says what narrowed the articles looked at."""
    return ", ".join(f"--{name} {value!r}" for name, value in filters.items() if value)


@app.command()
def timeline(
    db: DbOption = "narrascope.db",
    fmt: FormatOption = Format.text,
    out: OutFile = None,
    actor: Annotated[str | None, typer.Option(help="Only entries about this actor (entity id, name, or part of a "
                                                   "name only one actor has); exit 4 if no stored article mentions "
                                                   "or quotes it.")] = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="statement and/or event (default both).")] = None,
    outlet: OutletFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
) -> None:
    """Dated statements (quotes) and events (dated sentences) across the stored corpus, in date order."""
    from .corpus.actors import actor_profile
    from .corpus.render import print_timeline
    from .corpus.timeline import timeline as build_timeline

    kinds = kind or ["statement", "event"]
    if set(kinds) - {"statement", "event"}:
        raise UserError("--kind is 'statement' or 'event'", EXIT_USAGE)
    with _open_store(db, create=False) as store:
        # Date filters apply to the statements' and events' own dates, not to publication dates.
        result = build_timeline(_stored(store, outlet), since=since, until=until, actor=actor, kinds=kinds)
        if actor and not result.entries:
            # Nothing under that key: a name ("Zelenskyy") is looked up as `actors NAME` does; an actor no article
            # mentions is not found (exit 4, as for `actors`), one without dated entries an empty timeline.
            # --since/--until date the entries, not the articles: they do not narrow this look-up.
            profile = actor_profile(_stored(store, outlet), _actor_key(store, actor))
            if profile is None:
                raise _actor_not_found(actor, outlet=outlet)
            if profile.key != actor:
                result = build_timeline(_stored(store, outlet), since=since, until=until, actor=profile.key,
                                        kinds=kinds)
    _emit_view(result, fmt, out, print_timeline)


@app.command()
def network(
    db: DbOption = "narrascope.db",
    fmt: FormatOption = Format.text,
    out: Annotated[Path, typer.Option("--out", "-o", callback=_out_file,
                                      help="Graph file: .gexf (Gephi) or .json.")] = Path("actors.gexf"),
    cooccurrence: Annotated[str, typer.Option(help="Co-occurrence unit: sentence, article or none.")] = "sentence",
    mentions: Annotated[bool, typer.Option("--mentions", help="Add outlet -> actor mention edges.")] = False,
    min_weight: Annotated[int, typer.Option("--min-weight", min=1, help="Drop lighter edges.")] = 1,
    outlet: OutletFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
) -> None:
    """Actor network (outlet quotes speaker, speaker speaks about actor, co-occurrence) as GEXF or JSON."""
    from .corpus.network import actor_network, network_summary, to_dict, write_gexf

    if cooccurrence not in ("sentence", "article", "none"):
        raise UserError("--cooccurrence is sentence, article or none", EXIT_USAGE)
    with _open_store(db, create=False) as store:
        graph = actor_network(_stored(store, outlet, since, until), cooccurrence=cooccurrence,
                              include_mentions=mentions, min_weight=min_weight)
    with _data_errors():
        if out.suffix.lower() == ".json":
            _write(json.dumps(to_dict(graph)) + "\n", out)
        else:
            write_gexf(graph, out)
    emit_result({**network_summary(graph), "path": str(out)}, fmt, "Actor network")


@app.command()
def prevalence(
    db: DbOption = "narrascope.db",
    fmt: FormatOption = Format.text,
    out: OutFile = None,
    top: Annotated[int, typer.Option(min=1, help="How many top quoted actors.")] = 25,
    outlet: OutletFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
) -> None:
    """Narrative and technique prevalence by outlet and ISO week, sourcing by outlet, most quoted actors."""
    from .corpus.prevalence import prevalence as build_prevalence
    from .corpus.render import print_prevalence

    with _open_store(db, create=False) as store:
        result = build_prevalence(_stored(store, outlet, since, until), top=top)
    _emit_view(result, fmt, out, print_prevalence)


@app.command()
def actors(
    actor: Annotated[str | None, typer.Argument(help="Entity id, name, or part of a name only one actor has: show "
                                                     "this actor's profile (exit 4 if no stored article mentions or "
                                                     "quotes it, 2 if the part fits several).")] = None,
    db: DbOption = "narrascope.db",
    fmt: FormatOption = Format.text,
    out: OutFile = None,
    search: Annotated[str | None, typer.Option(help="List only actors whose name contains this.")] = None,
    min_articles: Annotated[int, typer.Option("--min-articles", min=1, help="Hide rarer actors.")] = 1,
    limit: Annotated[int, typer.Option(min=1, help="At most this many in the list.")] = 50,
    outlet: OutletFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
) -> None:
    """List actors across the corpus, or profile one: quotes, framing by outlet, who they appear with."""
    from .corpus.actors import actor_index, actor_profile
    from .corpus.render import print_actor_index, print_actor_profile

    with _open_store(db, create=False) as store:
        analyses = _stored(store, outlet, since, until)
        if actor is None:
            index = actor_index(analyses, min_articles, search)
            if fmt is Format.json and len(index) > limit:
                err_console.print(f"note: {limit} of {len(index)} actors (--limit): those in most articles", markup=False)
            _emit_view(index[:limit], fmt, out, partial(print_actor_index, total=len(index)))
            return
        profile = actor_profile(analyses, _actor_key(store, actor))
    if profile is None:
        raise _actor_not_found(actor, outlet=outlet, since=since, until=until)
    _emit_view(profile, fmt, out, print_actor_profile)


class ExportFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"


@app.command()
def export(
    db: DbOption = "narrascope.db",
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write the tables into (a file with "
                                                          "--article).")] = Path("export"),
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Table format.")] = ExportFormat.csv,
    tables: Annotated[str | None, typer.Option(help="Comma-separated subset of articles,actors,quotes,claims,"
                                                      "labels.")] = None,
    article: Annotated[str | None, typer.Option(help="Only the quotes of this article, as one CSV file.")] = None,
    excel_safe: Annotated[bool, typer.Option(
        "--excel-safe/--raw", help="CSV cells a spreadsheet would run as formulas get a leading ' (default: the text"
                                   " is untrusted); --raw keeps every cell verbatim.")] = True,
    outlet: OutletFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
) -> None:
    """Export the stored corpus as CSV or Parquet tables with character offsets; prints a JSON summary."""
    from .corpus.export import export_corpus, quotes_csv
    from .render import counted
    from .store import ArticleFilter

    _writable(out, folder=not article)
    not_analysed = 0
    with _open_store(db, create=False) as store, _data_errors():
        if article:
            analysis = _stored_analysis(store, article)
            _write(quotes_csv(analysis, excel_safe), out)
            summary: dict[str, Any] = {"quotes": {"path": str(out), "rows": len(analysis.quotes)}}
        else:
            summary = export_corpus(_stored(store, outlet, since, until), out, fmt.value,
                                    tables=tables.split(",") if tables else None, excel_safe=excel_safe)
            rows = store.iter_article_rows(ArticleFilter(outlet=outlet, since=since, until=until))
            not_analysed = sum(1 for row in rows if not row.analysed)
    _write(json.dumps(summary, indent=2) + "\n", None)
    if not_analysed:  # after 'ingest' alone every table was empty, with nothing to say why
        err_console.print(f"note: {counted(not_analysed, 'stored article')} not analysed, so not exported "
                          "(run 'narrascope analyze --stored')", markup=False, soft_wrap=True)


@app.command()
def serve(
    db: DbOption = "narrascope.db",
    host: Annotated[str, typer.Option(help="Address to bind; anything but loopback needs --token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    token: Annotated[str | None, typer.Option(envvar="NARRASCOPE_TOKEN", help="Bearer token required by the "
                                                                             "write endpoints.")] = None,
    story_index: Annotated[Path | None, typer.Option(
        "--story-index", callback=_out_file,
        help="Story index JSON (from `stories --index`) to start from instead of clustering every "
             "stored article at start-up; kept up to date (written at start-up and on exit).")] = None,
) -> None:
    """Serve the web app (articles, compare, dashboard, actors, ingest) and the REST API (/api/docs)."""
    from .server.app import InsecureBind, check_bind
    from .server.run import CannotListen
    from .server.run import serve as run_server

    try:
        check_bind(host, token)
    except InsecureBind as err:
        raise UserError(str(err), EXIT_USAGE) from err
    banner = f"Narrascope on http://{host}:{port}/  (API docs: /api/docs)"
    with _open_store(db) as store:
        try:  # the banner only once the address is bound: before, it announced a server that never came up
            run_server(store, host, port, token, story_index,
                       on_listening=lambda: err_console.print(banner, markup=False))
        except CannotListen as err:
            raise UserError(str(err)) from err


@app.command()
def report(
    items: Annotated[list[str] | None, typer.Argument(help="Files, directories or URLs to analyse now, and/or "
                                                           "stored article ids.")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", callback=_out_file, help="HTML file to write.")] = Path(
        "report.html"),
    db: DbOption = "narrascope.db",
    stored: Annotated[bool, typer.Option("--stored", help="Every analysed article of the store (see filters).")] = False,
    title: Annotated[str, typer.Option(help="Report title.")] = "Narrascope report",
    outlet: OutletFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    fmt: FormatOption = Format.text,
) -> None:
    """Write a self-contained HTML report (article views, comparison, dashboard, actors) that opens offline."""
    from .corpus.inputs import CorpusInputError
    from .render import counted
    from .report import ReportError, write_report

    if not items and not stored:
        raise UserError("give files, URLs or stored article ids, or --stored", EXIT_USAGE)
    failed: list[str] = []
    try:
        analyses = []
        if stored:
            with _open_store(db, create=False) as store:
                analyses = list(_stored(store, outlet, since, until))
                if not analyses and not items:
                    raise _nothing_stored(store, outlet=outlet, since=since, until=until)
        if items:
            analyses += _gather(items, db, failed)
        with _writing():
            path = write_report(analyses, out, title)
    except (CorpusInputError, ReportError) as err:
        raise UserError(str(err), EXIT_NOT_FOUND if getattr(err, "not_found", False) else EXIT_FAILED) from err
    summary = {"out": str(path), "articles": len({a.article.id for a in analyses}), "bytes": path.stat().st_size}
    if fmt is Format.json:
        _write(json.dumps(summary) + "\n", None)
    else:
        err_console.print(f"wrote {summary['out']} ({counted(summary['articles'], 'article')}, {summary['bytes']:,} bytes)",
                          markup=False)
    if failed:
        raise typer.Exit(EXIT_PARTIAL)


def _nothing_stored(store, **filters: str | None) -> UserError:
    """Why ``report --stored`` found nothing to report: the filters given matched no analysed article (exit
    4, like an actor the filters leave out), or the store holds none (exit 3). Why: it said "no analysed
    article was given", naming neither the filter that matched nothing nor the articles that match but
    were only ingested."""
    from .render import counted
    from .store import ArticleFilter

    unanalysed = sum(1 for row in store.iter_article_rows(ArticleFilter(**filters)) if not row.analysed)
    hint = (f"; {counted(unanalysed, 'stored article')} not analysed yet (run 'narrascope analyze --stored')"
            if unanalysed else "")
    if given := _filters_given(**filters):
        return UserError(f"nothing to report: no analysed stored article matches {given}{hint}", EXIT_NOT_FOUND)
    return UserError(f"nothing to report: the store holds no analysed article{hint}", EXIT_FAILED)


# --- evaluation and training ---------------------------------------------------------------------

DataDir = Annotated[Path, typer.Argument(help="Dataset folder in the layout the command expects.")]
SplitOption = Annotated[str, typer.Option("--split", help="Which split of DIR to score.")]


def _check_dir(path: Path) -> Path:
    if not path.is_dir():
        raise UserError(f"{path}: not a directory", EXIT_USAGE)
    return path


@contextmanager
def _data_errors(code: int = EXIT_USAGE) -> Iterator[None]:
    """An unwritable output (usage error) or a dataset folder in the wrong layout or with malformed labels
    (``code`` EXIT_FAILED: nothing could be processed): one line on stderr, not a traceback."""
    try:
        yield
    except (OSError, ValueError) as err:
        raise UserError(str(err), code) from err


@eval_app.command("coref")
def eval_coref(data: DataDir, fmt: FormatOption = Format.text) -> None:
    """Precision/recall of pronoun and nominal coreference on hand-annotated fixtures (tests/fixtures/coref)."""
    from .eval.coref import evaluate

    with _data_errors(EXIT_FAILED):
        result = evaluate(_check_dir(data))
    emit_result(result, fmt, "Coreference")


@eval_app.command("actors")
def eval_actors(data: DataDir, fmt: FormatOption = Format.text) -> None:
    """Share of SemEval-2025 T10 entity-framing mentions found by actors+coref, vs bare spaCy NER (DIR: EN/train)."""
    from .eval.actors import evaluate

    with _data_errors(EXIT_FAILED):
        result = evaluate(_check_dir(data))
    emit_result(result, fmt, "Actor mention coverage")


@eval_app.command("quotes")
def eval_quotes(data: DataDir, fmt: FormatOption = Format.text) -> None:
    """Quote attribution on a PolNeAR-layout split (DIR/text/*.txt, DIR/attributions/*.ann)."""
    from .eval.quotes import evaluate

    with _data_errors(EXIT_FAILED):  # missing folders, malformed .ann files
        result = evaluate(_check_dir(data), progress=lambda files: _progress(files, "scoring"))
    emit_result(result, fmt, "Quote attribution")


CvOption = Annotated[int, typer.Option("--cv", help="Instead: K-fold cross-validation, training on DIR itself.")]


@eval_app.command("narratives")
def eval_narratives(data: DataDir, cv: CvOption = 0, fmt: FormatOption = Format.text) -> None:
    """Narratives on a SemEval-2025 Task 10 folder (official ST2 samples-F1, fine and coarse)."""
    from .eval.narratives import cross_validate, evaluate

    d = _check_dir(data)
    with _data_errors(EXIT_FAILED):
        result = cross_validate([d], folds=cv) if cv else evaluate(d)
    emit_result(result, fmt, "Narratives")


EmbeddingsOption = Annotated[
    bool, typer.Option("--embeddings", help="Roles with in-context MiniLM vectors (~10 ms per embedded sentence).")
]


@eval_app.command("roles")
def eval_roles(
    data: DataDir, cv: CvOption = 0, embeddings: EmbeddingsOption = False, fmt: FormatOption = Format.text
) -> None:
    """Entity framing on a SemEval-2025 Task 10 folder (official ST1: EMR, micro-F1, main-role accuracy)."""
    from .classify.base import shipped_model_dir
    from .eval.roles import cross_validate, evaluate

    d = _check_dir(data)
    model = shipped_model_dir("roles") / "minilm" if embeddings else None
    with _data_errors(EXIT_FAILED):
        result = cross_validate([d], folds=cv, embeddings=embeddings) if cv else evaluate(d, model)
    emit_result(result, fmt, "Entity framing")


AccurateOption = Annotated[bool, typer.Option(
    "--sentence-vectors", help="Score the accurate model (MiniLM vectors of every sentence; ~10x slower).")]


def _technique_model(sentence_vectors: bool):
    from .classify.techniques import load_model

    return load_model(sentence_vectors=sentence_vectors)


@eval_app.command("techniques")
def eval_techniques(data: DataDir, split: SplitOption = "dev", sentence_vectors: AccurateOption = False,
                    fmt: FormatOption = Format.text) -> None:
    """Persuasion techniques on a SemEval-2023 Task 3 folder (paragraph micro/macro F1, span F1)."""
    from .eval.techniques import evaluate

    with _data_errors(EXIT_FAILED):
        result = evaluate(_check_dir(data), split=split, model=_technique_model(sentence_vectors))
    emit_result(result, fmt, "Persuasion techniques")


@eval_app.command("ptc")
def eval_ptc(data: DataDir, split: SplitOption = "dev", sentence_vectors: AccurateOption = False,
             fmt: FormatOption = Format.text) -> None:
    """Propaganda techniques on a SemEval-2020 Task 11 (PTC) folder (SI F1, TC micro-F1)."""
    from .eval.ptc import evaluate

    with _data_errors(EXIT_FAILED):
        result = evaluate(_check_dir(data), split=split, model=_technique_model(sentence_vectors))
    emit_result(result, fmt, "PTC")


TrainDirs = Annotated[list[Path], typer.Argument(help="One or more labelled dataset folders.")]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", callback=_out_folder, help="Model directory to write (default: the shipped one).")]
TaxonomyOption = Annotated[Path | None, typer.Option("--taxonomy", help="Your own taxonomy YAML (default: the shipped SemEval-2025 one).")]


@train_app.command("narratives")
def train_narratives(
    data: TrainDirs, out: OutOption = None, taxonomy: TaxonomyOption = None, fmt: FormatOption = Format.text
) -> None:
    """Train the narrative classifier on SemEval-2025 Task 10 layout folders."""
    from .classify.narratives import train_narratives as train

    dirs = [_check_dir(d) for d in data]
    with _data_errors(EXIT_FAILED):
        result = train(dirs, out, taxonomy)
    emit_result(result, fmt, "Narratives model")


@train_app.command("roles")
def train_roles(
    data: TrainDirs, out: OutOption = None, taxonomy: TaxonomyOption = None, embeddings: EmbeddingsOption = False,
    fmt: FormatOption = Format.text,
) -> None:
    """Train the entity-framing classifier on SemEval-2025 Task 10 layout folders."""
    from .classify.roles import train_roles as train

    dirs = [_check_dir(d) for d in data]
    with _data_errors(EXIT_FAILED):
        result = train(dirs, out, taxonomy, embeddings)
    emit_result(result, fmt, "Roles model")


@train_app.command("techniques")
def train_techniques(
    data: TrainDirs,
    out: OutOption = None,
    sentence_vectors: Annotated[
        bool,
        typer.Option(
            "--sentence-vectors",
            help="Train the opt-in accurate model: MiniLM on every sentence"
            " (default --out: models/techniques/accurate).",
        ),
    ] = False,
    fmt: FormatOption = Format.text,
) -> None:
    """Train the persuasion-technique span model on SemEval-2023 Task 3 / PTC folders."""
    from .classify.techniques import train_techniques as train

    dirs = [_check_dir(d) for d in data]
    with _data_errors(EXIT_FAILED):
        result = train(dirs, out, sentence_vectors=sentence_vectors)
    emit_result(result, fmt, "Techniques model")


@train_app.command("quotes")
def train_quotes(data: TrainDirs, out: OutOption = None, fmt: FormatOption = Format.text) -> None:
    """Train the quote-cue detector on PolNeAR layout folders (text/ + attributions/)."""
    from .extract.cue_model import train_from_polnear as train

    dirs = [_check_dir(d) for d in data]
    with _data_errors(EXIT_FAILED):  # missing folders, malformed .ann files
        result = train(dirs, out)
    emit_result(result, fmt, "Quote cue model")


def _usage_error_line(err: UsageError, args: list[str]) -> str:
    """Click's complaint about the command line ``args`` as our one error line, pointing to the command's help:
    ``no such option: --bogus (Possible options: --out); try 'narrascope analyze -h'``. Typer printed the
    usage, a "Try ... for help." line and the message in a box: five lines on stderr for one mistyped option."""
    message = " ".join(err.format_message().split()).rstrip(".")
    if not message[1:2].isupper():  # "No such option" reads like our messages; "URL ..." keeps its capitals
        message = message[:1].lower() + message[1:]
    return _with_help_pointer(message, err.ctx or _context_of(args))


def _with_help_pointer(message: str, ctx: ClickContext) -> str:
    """``message`` ending with where the help of the command ``ctx`` is: every usage error does, whether Click
    found it (a mistyped option) or a command did (``show`` without an id, ``export --tables bogus``)."""
    if ctx.command.get_help_option(ctx) is None:
        return message
    help_at = f"'{ctx.command_path} {ctx.help_option_names[0]}'"
    return message + (f" Try {help_at}" if message.endswith("?") else f"; try {help_at}")  # "Did you mean 'analyze'?"


def _context_of(args: list[str]):
    """The context of the (sub)command ``args`` name, for an error Click raised without one: its parser fails
    before the command has a context when an option's value is missing at the end (``list --db``). The
    arguments are parsed again leniently, as Click does for shell completion, which follows only the command
    names and tolerates such errors."""
    from typer._click.shell_completion import _resolve_context
    from typer._click.utils import _detect_program_name

    return _resolve_context(typer.main.get_command(app), {}, _detect_program_name(), args)


def main() -> None:
    """Console-script entry point, and ``python -m narrascope``'s: every way the command line can end is
    decided here, so each error is one line on stderr with its exit code.

    The app runs outside Click's standalone mode, which would print usage errors its own way and exit; here
    they come back as exceptions (``--help`` and ``typer.Exit`` come back as an exit code)."""
    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError as err:  # a bare `narrascope` or `narrascope eval`: Typer printed the help already
        code = err.exit_code
    except UsageError as err:
        _error_line(_usage_error_line(err, sys.argv[1:]))
        code = EXIT_USAGE
    except typer.Abort:  # Click's "the user gave up" (Ctrl-C or end of input at a prompt): as Ctrl-C
        code = EXIT_INTERRUPTED
    except UserError as err:
        _error_line(_with_help_pointer(str(err), _context_of(sys.argv[1:])) if err.code == EXIT_USAGE else str(err))
        code = err.code
    if code == EXIT_INTERRUPTED:  # Typer turns Ctrl-C into a bare exit 130 before it reaches us
        err_console.print("interrupted: everything reported as stored is saved; rerun to resume", markup=False)
    sys.exit(code or EXIT_OK)  # None: the command returned without raising typer.Exit


if __name__ == "__main__":
    main()
