"""Terminal renderings (rich) of the corpus views, for the ``narrascope`` corpus commands.

The views themselves return pydantic models (JSON for the API and ``--format json``); this module
only turns them into tables for a person at a terminal.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..render import clipped, counted, percentages, quoted
from .actors import ActorProfile, ActorSummary
from .common import SourcingShares, outlet_label
from .compare import ActorView, Comparison, Side
from .prevalence import GroupStats, Prevalence
from .stories import Story
from .timeline import Timeline


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


_SOURCING_KINDS = ("named", "anonymous", "group", "unattributed")


def _date_span(date_from: str | None, date_to: str | None, n_undated: int = 0) -> str:
    """"2023-11-29 to 2023-12-03", one date when both ends are the same day, "undated" when there is none, and
    how many articles the span leaves out for having no date: a dated and an undated article read
    "2023-11-29 to 2023-11-29", as if both were dated, and two undated ones "? to ?"."""
    if date_from is None:
        return "undated"
    span = date_from if date_from == date_to else f"{date_from} to {date_to}"
    return f"{span} (+{n_undated} undated)" if n_undated else span


def _sourcing_shares(profile: SourcingShares) -> str:
    """"50% / 19% / 12% / 19%": the four sourcing kinds' shares in whole percentages that add up to 100, as
    ``show`` prints them (rounded one by one they could add up to 99% or 101%); "—" without claims, where
    "0% / 0% / 0% / 0%" added up to nothing and read as a profile."""
    if not profile.n_claims:
        return "—"
    return " / ".join(f"{pct}%" for pct in percentages([getattr(profile, kind) for kind in _SOURCING_KINDS]))


def _actor_cell(view: ActorView | None) -> str:
    if view is None:
        return "—"
    parts = []
    if view.quotes:
        plural = "s" if view.quotes > 1 else ""
        parts.append(f"{view.quotes} quote{plural} ({view.direct}d/{view.indirect + view.mixed}i)")
    if view.mentions:
        parts.append(f"{view.mentions} mention{'s' if view.mentions > 1 else ''}")
    if view.roles:
        parts.append("/".join(r for r, _ in Counter(view.roles).most_common()))
    return "; ".join(parts) or "—"


def _sides_table(sides: list[Side], max_actors: int) -> list[Table]:
    overview = Table(title="Sides", show_lines=True)
    overview.add_column("")
    for s in sides:
        overview.add_column(Text(f"{clipped(s.label, 40)}\n") + Text(f"{outlet_label(s.outlet)} · {s.date_from or 'undated'}",
                                                                     style="dim"))
    rows = {
        "words": [str(s.n_words) for s in sides],
        "quotes (no speaker)": [f"{s.n_quotes} ({s.n_quotes_no_speaker})" for s in sides],
        "claims": [str(s.sourcing.n_claims) for s in sides],
        "named / anon / group / unattr.": [
            _sourcing_shares(s.sourcing) for s in sides
        ],
        "hedged": [_pct(s.sourcing.hedged) if s.sourcing.n_claims else "—" for s in sides],
        "narratives only here": ["\n".join(s.only_here.narratives) or "—" for s in sides],
        "techniques only here": ["\n".join(s.only_here.techniques) or "—" for s in sides],
        "actors only here": [", ".join(s.only_here.actors[:12]) or "—" for s in sides],
    }
    for name, cells in rows.items():
        overview.add_row(name, *cells)

    # "i" counts mixed quotes too (_actor_cell): the title said only "indirect", and the web page counts "direct".
    actors = Table(title="Actors: quotes (d = direct / i = indirect or mixed), mentions, roles")
    actors.add_column("actor")
    for s in sides:
        actors.add_column(clipped(s.label, 30))
    keys: dict[str, tuple[str, int]] = {}
    for s in sides:
        for v in s.actors:
            name, weight = keys.get(v.key, (v.name, 0))
            keys[v.key] = (name, weight + 3 * v.quotes + v.mentions)
    lookup = [{v.key: v for v in s.actors} for s in sides]
    for key, (name, _) in sorted(keys.items(), key=lambda kv: -kv[1][1])[:max_actors]:
        actors.add_row(name, *(_actor_cell(m.get(key)) for m in lookup))
    return [overview, actors]


def print_comparison(cmp: Comparison, console: Console, max_actors: int = 25) -> None:
    """Readable terminal rendering of a comparison (``narrascope compare --format text``)."""
    span = _date_span(cmp.date_from, cmp.date_to, sum(1 for side in cmp.articles if side.date_from is None))
    console.print(Text(f"Comparing {counted(len(cmp.articles), 'article')}, {span}", style="bold"))
    if cmp.layers:
        console.print(Text("layers: " + ", ".join(cmp.layers), style="dim"))
    for table in _sides_table(cmp.articles, max_actors):
        console.print(table)
    if cmp.outlets:
        console.print(Text("By outlet", style="bold underline"))
        for table in _sides_table(cmp.outlets, max_actors):
            console.print(table)
    if cmp.shared_actors:
        quoted = [s.name for s in cmp.shared_actors if len(s.quoted_by) > 1]
        console.print(Text("Shared actors: ", style="bold") + Text(", ".join(s.name for s in cmp.shared_actors[:30])))
        if quoted:
            console.print(Text("Quoted by several: ", style="bold") + Text(", ".join(quoted)))
        for shared in (s for s in cmp.shared_actors if s.framing_differs):
            roles = "; ".join(f"{key[:10]}: {'/'.join(r)}" for key, r in shared.roles.items())
            console.print(Text(f"Framed differently: {shared.name} ", style="bold") + Text(f"({roles})"))
    for st in cmp.shared_statements[:10]:
        console.print(Text(f"Same statement by {st.speaker} ({st.similarity:.0%}): ", style="bold")
                      + Text(" | ".join(repr(q.text[:120]) for q in st.quotes)))
    if cmp.common_narratives:
        console.print(Text("Narratives in every article: ", style="bold") + Text("; ".join(cmp.common_narratives)))
    _print_weak_claims(cmp.articles, console)


def _print_weak_claims(sides: list[Side], console: Console, per_side: int = 8) -> None:
    """The claims each side rests on anonymous sources or on nothing stated: what a fact-checker
    would look at first."""
    for side in sides:
        weak = [c for c in side.claims if c.sourcing in ("anonymous", "unattributed")]
        if not weak:
            continue
        console.print(Text(f"Claims on anonymous or no stated source — {clipped(side.label, 60)}", style="bold"))
        for c in weak[:per_side]:
            source = f" [{c.source}]" if c.source else ""
            console.print(Text(f"  {c.sourcing}{source}{' (hedged)' if c.hedged else ''}: ", style="dim")
                          + Text(c.text if len(c.text) < 220 else c.text[:217] + "..."), soft_wrap=True)
        if len(weak) > per_side:
            console.print(Text(f"  ... and {len(weak) - per_side} more (--format json lists all)", style="dim"))


def _story_outlets(story: Story) -> str:
    """How many named outlets tell the story, and how many of its articles have no outlet: "2 outlets",
    "1 outlet + 2 articles (unknown outlet)". The outlet count is what ``--min-outlets`` filters on, so
    the unknown ones are shown apart rather than counted as outlets."""
    named = counted(len(story.outlets), "outlet")
    if not story.n_without_outlet:
        return named
    return f"{named} + {counted(story.n_without_outlet, 'article')} {outlet_label(None)}"


def print_stories(stories: list[Story], console: Console, max_articles: int = 8) -> None:
    """One block per story: title, outlets, date range, top actors, then its articles."""
    if not stories:
        console.print("no stories to show (none analysed, or all smaller than --min-articles or --min-outlets)")
        return
    for story in stories:
        dates = _date_span(story.date_from, story.date_to, sum(1 for art in story.articles if not art.published))
        console.print(Text(f"{story.title}", style="bold") + Text(f"  [{story.id}]", style="dim"))
        console.print(Text(f"  {counted(story.n_articles, 'article')} · {_story_outlets(story)} · {dates}"
                           + (f" · {', '.join(story.top_actors[:5])}" if story.top_actors else ""), style="dim"))
        for art in story.articles[:max_articles]:
            console.print(Text(f"    {art.published or 'undated':10}  {outlet_label(art.outlet)[:24]:24}  {art.article_id}  "
                               f"{art.title or '(untitled)'}"), soft_wrap=True)
        if story.n_articles > max_articles:
            console.print(Text(f"    ... and {story.n_articles - max_articles} more", style="dim"))


def print_timeline(tl: Timeline, console: Console) -> None:
    table = Table(title=f"Timeline: {counted(len(tl.entries), 'entry', 'entries')} from {counted(tl.n_articles, 'article')}")
    for col in ("date", "kind", "who / what", "outlet", "article", "sourcing"):
        table.add_column(col)
    for e in tl.entries:
        what = (f"{e.speaker}: " if e.speaker else "") + (e.text if len(e.text) < 200 else e.text[:197] + "...")
        table.add_row(e.date, e.kind, Text(what), outlet_label(e.outlet), e.article_id[:10], e.sourcing or "")
    console.print(table)


def _narratives_cell(g: GroupStats, top: int) -> str:
    return "\n".join(f"{_pct(s.share)} {label}" for label, s in list(g.coarse_narratives.items())[:top]) or "—"


def _techniques_cell(g: GroupStats, top: int) -> str:
    return "\n".join(f"{s.per_1000_words:.1f} {label}" for label, s in list(g.techniques.items())[:top]) or "—"


def print_prevalence(p: Prevalence, console: Console, top: int = 10) -> None:
    """Outlets as columns: article counts, sourcing, the most prevalent narratives and techniques; then the
    same by ISO week, a row a week."""
    groups = p.by_outlet
    table = Table(title=f"Prevalence by outlet ({counted(p.overall.n_articles, 'article')})", show_lines=True)
    table.add_column("")
    for g in groups:
        table.add_column(outlet_label(g.key)[:28])
    table.add_row("articles / words", *(f"{g.n_articles} / {g.n_words}" for g in groups))
    # Shares and rates are over these articles only (other languages skip the English-only classifiers).
    table.add_row("classified: narratives / techniques", *(
        f"{g.classified['narratives'].articles} / {g.classified['techniques'].articles}" for g in groups))
    table.add_row("claims named / anon / group / unattr.", *(
        _sourcing_shares(g.sourcing) for g in groups))
    table.add_row("narratives (share of articles)", *(_narratives_cell(g, top) for g in groups))
    table.add_row("techniques (per 1,000 words)", *(_techniques_cell(g, top) for g in groups))
    console.print(table)
    # The command is "prevalence by outlet and ISO week": the weeks were only in --format json. A row a week
    # (a corpus spans more weeks than a terminal has columns), the most prevalent few of each layer.
    if p.by_week:
        weeks = Table(title="Prevalence by ISO week", show_lines=True)
        for col in ("week", "articles", "classified", "narratives (share of articles)", "techniques (per 1,000 words)"):
            weeks.add_column(col)
        for g in p.by_week:
            weeks.add_row(g.key, str(g.n_articles), str(g.classified["narratives"].articles),
                          _narratives_cell(g, 3), _techniques_cell(g, 3))
        console.print(weeks)
    if p.top_speakers:
        speakers = Table(title="Most quoted actors")
        for col in ("actor", "quotes", "direct", "articles", "outlets"):
            speakers.add_column(col)
        for t in p.top_speakers:
            outlets = [f"{o} ({n})" for o, n in sorted(t.outlets.items(), key=lambda kv: -kv[1])[:4]]
            # Quotes in articles without an outlet are counted in ``quotes`` only: the cell was left empty.
            if unknown := t.quotes - sum(t.outlets.values()):
                outlets.append(f"{outlet_label(None, in_text=True)} ({unknown})")
            speakers.add_row(t.name, str(t.quotes), str(t.direct), str(t.articles), ", ".join(outlets))
        console.print(speakers)


def print_actor_index(actors: list[ActorSummary], console: Console, total: int | None = None) -> None:
    """Keys are printed whole (folded on a narrow terminal): a key is what ``actors KEY`` and the "names 2 actors:
    give one of their keys" error ask for, and a terminal 80 columns wide cut them to "valerii-z…". ``total``:
    how many actors the list was cut from (``--limit``); the title gave the printed count as the corpus's."""
    count = f"{len(actors)} of {total}: those in most articles" if total is not None and total > len(actors) else len(actors)
    table = Table(title=f"Actors ({count})")
    table.add_column("key", overflow="fold")
    for col in ("name", "type", "articles", "outlets", "mentions", "quotes"):
        table.add_column(col)
    for a in actors:
        table.add_row(a.key, a.name, a.type or "", str(a.articles), str(a.outlets), str(a.mentions), str(a.quotes))
    console.print(table)


def print_actor_profile(p: ActorProfile, console: Console, max_quotes: int = 15) -> None:
    dates = _date_span(p.date_from, p.date_to)
    console.print(Text(p.name, style="bold") + Text(f"  [{p.key}] {p.type or ''} {p.office or ''}", style="dim"))
    console.print(Text(f"{counted(p.n_articles, 'article')} · {counted(p.n_mentions, 'mention')} · {counted(p.n_quotes, 'quote')}"
                       f" · {dates}"
                       + (f"\nnamed as: {', '.join(p.forms)}" if p.forms else ""), style="dim"))  # a speaker known only by name has none
    framing = Table(title="Framing by outlet")
    for col in ("outlet", "articles", "mentions", "quotes", "roles", "fine roles"):
        framing.add_column(col)
    for f in p.by_outlet:
        framing.add_row(outlet_label(f.outlet), str(f.articles), str(f.mentions), str(f.quotes),
                        ", ".join(f"{r} {n}" for r, n in f.roles.items()),
                        ", ".join(f"{r} {n}" for r, n in f.fine_roles.items()))
    console.print(framing)
    for title, people in (("Spoken about by", p.spoken_about_by), ("Speaks about", p.speaks_about),
                          ("Appears with", p.co_occurring)):
        if people:
            console.print(Text(f"{title}: ", style="bold") + Text(", ".join(f"{n.name} ({n.weight})" for n in people)))
    for title, quotes in (("Quotes", p.quotes), ("Quotes about them", p.quotes_about)):
        if quotes:
            console.print(Text(title, style="bold underline"))
        for q in quotes[:max_quotes]:
            console.print(Text(f"{q.when() or 'undated'} {outlet_label(q.outlet)}: ", style="dim")
                          + Text(f"{q.speaker}: " if q.speaker else "")
                          + Text(quoted(q.quote.text) if q.quote.kind == "direct"
                                 else f"{q.quote.cue} {q.quote.text}" if q.quote.cue else q.quote.text), soft_wrap=True)
