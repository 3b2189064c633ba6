"""Readable terminal rendering of an analysis (``narrascope show`` and ``analyze --format text``).

Built with rich so it is coloured on a terminal and plain when piped to a file. Every layer is shown
with what an analyst needs to check it against the text: quotes grouped by speaker with their
provenance chains, the sourcing profile, narratives with evidence, roles, and techniques highlighted
inline in the article text.
"""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .model import Analysis, Quote

_TECHNIQUE_STYLES = ["on dark_red", "on dark_blue", "on dark_green", "on dark_magenta", "on dark_orange3"]


def _header(a: Analysis) -> Text:
    art = a.article
    lines = Text()
    lines.append(f"{art.title or '(untitled)'}\n", style="bold")
    meta = [
        ("id", art.id), ("outlet", art.outlet), ("author", art.author), ("published", art.published),
        ("language", art.language), ("url", art.url or art.source), ("words", str(len(art.text.split()))),
    ]
    lines.append("  ".join(f"{k}: {v}" for k, v in meta if v), style="dim")
    for warning in art.warnings + a.warnings:
        lines.append(f"\n! {warning}", style="yellow")
    return lines


def _actors(a: Analysis) -> Table | None:
    if not a.entities:
        return None
    table = Table(title="Actors", show_lines=False, expand=False)
    for col in ("actor", "type", "mentions", "forms", "role"):
        table.add_column(col)
    for e in sorted(a.entities, key=lambda e: -len(e.mentions)):
        forms = sorted({m.text for m in e.mentions}, key=len)
        table.add_row(e.name, e.type, str(len(e.mentions)), ", ".join(forms[:6]), e.role or "")
    return table


def chain_text(quote: Quote) -> str:
    """``origin -> relay -> outlet`` with anonymous links marked."""
    return " -> ".join(f"{link.name}{' (anonymous)' if link.anonymous else ''}" for link in quote.chain)


_OPENING, _CLOSING = "“\"«„‘'", "”\"»“’'"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun in the right number: "1 claim", "3 claims", "1 analysis" ("analyses" given)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def quoted(text: str) -> str:
    """The quote's words in quotation marks, unless its span already starts and ends with them
    (a direct quote's span includes its own marks; wrapping it again would print ““…””)."""
    if len(text) > 1 and text[0] in _OPENING and text[-1] in _CLOSING:
        return text
    return f"“{text}”"


def _quotes(a: Analysis) -> Group | None:
    if not a.quotes:
        return None
    by_speaker: dict[str, list[Quote]] = defaultdict(list)
    for q in a.quotes:
        by_speaker[q.speaker_name or (q.speaker.text if q.speaker else "(unattributed)")].append(q)
    parts: list[Text] = [Text("Quotes by speaker", style="bold underline")]
    for speaker, quotes in by_speaker.items():
        kind = quotes[0].sourcing.kind
        parts.append(Text(f"\n{speaker}  [{kind}]", style="bold cyan"))
        for q in quotes:
            line = Text(f"  {q.kind:8} ", style="dim")
            line.append(quoted(q.content.text))
            details = [
                f"cue: {q.cue.text}" if q.cue else None,
                f"venue: {q.venue_name or q.venue.text}" if (q.venue or q.venue_name) else None,
                (f"date: {q.date}" + (" (year inferred)" if q.date_inferred else "")) if q.date else None,
                f"@{q.content.start}-{q.content.end}",
            ]
            line.append("  (" + "; ".join(d for d in details if d) + ")", style="dim")
            parts.append(line)
            if q.chain:
                parts.append(Text(f"      chain: {chain_text(q)}", style="magenta"))
    return Group(*parts)


def clipped(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with "…" when something was cut,
    so a reader never takes a cut word ("… that Ru") for the article's own."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def percentages(shares: list[float]) -> list[int]:
    """Whole percentages of shares that add up to 1, adding up to exactly 100 (largest remainder), so a
    printed breakdown never reads 99% or 101% in total."""
    raw = [share * 100 for share in shares]
    whole = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: whole[i] - raw[i])
    for i in by_remainder[: max(0, round(sum(raw)) - sum(whole))]:
        whole[i] += 1
    return whole


def _sourcing(a: Analysis) -> Text | None:
    p = a.sourcing
    if p is None or not p.n_claims:
        return None
    kinds = {"named": p.named, "anonymous": p.anonymous, "group": p.group, "unattributed": p.unattributed}
    shares = ", ".join(f"{kind} {pct}%" for kind, pct in zip(kinds, percentages(list(kinds.values()))))
    text = Text("Sourcing profile: ", style="bold")
    text.append(
        f"{counted(p.n_claims, 'claim')} — {shares}; hedged {p.hedged:.0%}; "
        f"{counted(p.n_named_sources, 'distinct named source')}"
    )
    hedged = [c for c in a.claims if c.hedged]
    for claim in hedged[:10]:
        text.append(f"\n  hedged ({', '.join(h.text for h in claim.hedges)}): ", style="yellow")
        text.append(clipped(claim.span.text, 200))
    for claim in [c for c in a.claims if c.retraction is not None][:10]:
        text.append(f"\n  {claim.retraction.kind} later ({clipped(claim.retraction.span.text, 80)}): ", style="red")
        text.append(clipped(claim.span.text, 200))
    return text


def _narratives(a: Analysis) -> Group | None:
    """Labels by confidence, highest first, the first (dominant) one with its explanation. ``Other`` is
    shown as what it means: its confidence is that of *no* narrative, and a bare "0.74 Other" at the top
    of the list read as a strong finding."""
    if not a.narratives:
        return None
    labels = sorted(a.narratives, key=lambda n: -n.confidence)
    if [n.label for n in labels] == ["Other"]:
        head = f"Narratives: none of the taxonomy (p={1 - labels[0].confidence:.2f} that the article pushes one)"
    else:
        head = "Narratives (probability of each label, highest first)"
    parts: list[Text] = [Text(head, style="bold underline")]
    for n in labels:
        if n.label != "Other":
            parts.append(Text(f"  {n.confidence:.2f}  {n.label}", style="bold" if n.explanation else ""))
        if n.explanation:
            parts.append(Text(f"        why: {n.explanation}", style="italic"))
        for ev in n.evidence[:2]:
            parts.append(Text(f"        evidence @{ev.start}-{ev.end}: {clipped(ev.text, 160)}", style="dim"))
    return Group(*parts)


def _roles(a: Analysis) -> Table | None:
    if not a.roles:
        return None
    table = Table(title="Entity framing")
    for col in ("actor", "mention", "main role", "fine roles", "conf."):
        table.add_column(col)
    for r in a.roles:
        table.add_row(r.entity_name or r.mention.text, f"{r.mention.text} @{r.mention.start}", r.main_role,
                      ", ".join(r.fine_roles), f"{r.confidence:.2f}")
    return table


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _marked_spans(body: Text, spans: list[tuple[int, int, str, str]]) -> Text:
    """``body`` with ``⟦`` where each ``(start, end, label, style)`` span starts and ``⟧[label]`` where it
    ends, so a reader sees where a long span begins, not only where it ends. Spans nest properly where they
    can (a longer one opens first and closes last); two spans that cross (one starts inside the other and
    ends after it) get a number on both of their marks (``⟦¹ … ⟦² … ¹⟧[A] … ²⟧[B]``), since crossing
    brackets alone do not say which closes which."""
    ordered = sorted(range(len(spans)), key=lambda i: (spans[i][0], -spans[i][1], i))
    crossing = {k for i in ordered for j in ordered
                if spans[i][0] < spans[j][0] < spans[i][1] < spans[j][1] for k in (i, j)}
    numbers = {i: str(n).translate(_SUPERSCRIPT) for n, i in enumerate(sorted(crossing, key=ordered.index), 1)}
    events = [(spans[i][0], 1, rank, i) for rank, i in enumerate(ordered)]  # opening marks
    events += [(spans[i][1], 0, -rank, i) for rank, i in enumerate(ordered)]  # closing marks, first at an offset
    marked, cursor = Text(), 0
    for offset, opening, _, i in sorted(events):
        marked.append_text(body[cursor:offset])
        cursor = offset
        label, style = spans[i][2], "bold " + spans[i][3].replace("on ", "")
        marked.append(f"⟦{numbers.get(i, '')}" if opening else f"{numbers.get(i, '')}⟧[{label}]", style=style)
    marked.append_text(body[cursor:])
    return marked


def _techniques(a: Analysis) -> Group | None:
    if not a.techniques:
        return None
    names = sorted({t.technique for t in a.techniques})
    styles = {name: _TECHNIQUE_STYLES[i % len(_TECHNIQUE_STYLES)] for i, name in enumerate(names)}
    body = Text(a.article.text)
    for t in a.techniques:
        body.stylize(styles[t.technique], t.span.start, t.span.end)
    # each mark says how sure the model is: a 0.18 "Loaded_Language" reads very differently from a 0.90 one
    marked = _marked_spans(body, [(t.span.start, t.span.end, f"{t.technique} {t.confidence:.2f}", styles[t.technique])
                                  for t in a.techniques])
    profile = ", ".join(f"{k} {v:.1f}" for k, v in sorted(a.technique_profile.items(), key=lambda kv: -kv[1]))
    parts = [Text("Persuasion techniques (⟦marked⟧[technique confidence] in the text)", style="bold underline"), marked]
    if profile:
        parts.append(Text(f"Profile per 1,000 words: {profile}", style="dim"))
    return Group(*parts)


def _unanalysed_text(a: Analysis) -> Group | None:
    """The plain article text, headed by why it has no analysis, for an article in another language.
    Why: the text is otherwise shown only inside the technique marks, and the pipeline skips the
    English-only components (techniques among them) on such an article, so ``show`` printed its title and
    warnings and not one word of the article."""
    language = a.article.language
    if language in (None, "en") or "techniques" in a.components or a.techniques:
        return None
    reason = f"Article text (no English analysis: the article language is '{language}', the analysis is English-only)"
    return Group(Text(reason, style="bold underline"), Text(a.article.text))


def render(analysis: Analysis) -> Group:
    sections = [
        _header(analysis), _actors(analysis), _quotes(analysis), _sourcing(analysis),
        _narratives(analysis), _roles(analysis), _techniques(analysis), _unanalysed_text(analysis),
    ]
    return Group(*(s for s in sections if s is not None))


def print_analysis(analysis: Analysis, console: Console) -> None:
    console.print(Panel(render(analysis), expand=True))
