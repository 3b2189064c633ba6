"""Small helpers every corpus view shares: who an actor is across articles, outlets, dates, sourcing.

Why one module: "the same actor" must mean the same thing in the comparison, the network, the
prevalence tables and the exports. Entity ids are stable across articles (a slug of the canonical
name), so they are the key when present; a speaker the actor layer did not resolve falls back to its
case-folded name. Anonymous speakers ("a senior official") are never merged across articles — two
unnamed sources in two outlets are not known to be the same person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from ..model import Analysis, Claim, Entity, Quote, RoleLabel, Span

# How a rendering (terminal, page) shows an article without an outlet. Never a value in the data:
# machine outputs carry None there, so the placeholder is neither counted as an outlet nor offered as
# a filter value that matches nothing.
UNKNOWN_OUTLET = "(unknown outlet)"
# The same inside text that already has its own parentheses or counts: "(A 2, (unknown outlet) 1)" and
# "(unknown outlet) (1)" read as a typo.
UNKNOWN_OUTLET_IN_TEXT = "unknown outlet"
UNDATED = "undated"
SOURCING_KINDS = ("named", "anonymous", "group", "unattributed")

_SPACES = re.compile(r"\s+")
# A speaker named only by a pronoun the coreference step could not resolve is not an actor.
_PRONOUNS = frozenset("i me we us you he him she her it they them one".split())


@dataclass(frozen=True)
class ActorRef:
    """An actor as the corpus views see it: a cross-article ``key`` plus what to show."""

    key: str
    name: str
    entity_id: str | None = None
    type: str | None = None
    anonymous: bool = False


def name_key(name: str) -> str:
    """Cross-article key for an actor known only by name (no entity id)."""
    return "name:" + _SPACES.sub(" ", name).strip().casefold()


def entity_ref(entity: Entity) -> ActorRef:
    return ActorRef(key=entity.id, name=entity.name, entity_id=entity.id, type=entity.type)


def actor_ref(
    analysis: Analysis, entity_id: str | None, name: str | None, anonymous_key: str | None = None
) -> ActorRef | None:
    """The actor behind an entity id, else behind a bare name; None when there is neither.

    ``anonymous_key`` marks an unnamed source: it gets that key, local to one article, so it is never
    merged with another article's unnamed source. A bare pronoun ("they") gives None.
    """
    entity = analysis.entity(entity_id)
    if entity is not None:
        return entity_ref(entity)
    name = _SPACES.sub(" ", name or "").strip()
    if not name or name.casefold() in _PRONOUNS:
        return None
    if anonymous_key:
        return ActorRef(key=anonymous_key, name=name, anonymous=True)
    return ActorRef(key=name_key(name), name=name)


def speaker_of(analysis: Analysis, quote: Quote) -> ActorRef | None:
    """Who a quote is attributed to, or None when nobody is named or described at all."""
    name = quote.speaker_name or (quote.speaker.text if quote.speaker else None)
    # The same unnamed description within one article ("two American sources", three times) is
    # taken as the same sources; across articles it never is.
    anonymous = None
    if quote.sourcing.kind == "anonymous":
        anonymous = f"anon:{analysis.article.id}:{name_key(name or quote.id).removeprefix('name:')}"
    return actor_ref(analysis, quote.speaker_entity, name, anonymous)


def count_role(target: Any, role: RoleLabel) -> None:
    """Add one role label to ``target.roles`` (main role counts) and ``target.fine_roles``."""
    target.roles[role.main_role] = target.roles.get(role.main_role, 0) + 1
    for fine in role.fine_roles:
        target.fine_roles[fine] = target.fine_roles.get(fine, 0) + 1


def outlet_of(analysis: Analysis) -> str | None:
    """The article's outlet, stripped; None when it has none (articles without one are no outlet)."""
    return (analysis.article.outlet or "").strip() or None


def outlet_label(outlet: str | None, in_text: bool = False) -> str:
    """An outlet as a person reads it: ``UNKNOWN_OUTLET`` for None where the label stands alone (a cell,
    a column head), ``UNKNOWN_OUTLET_IN_TEXT`` when ``in_text`` (followed by a count or inside parentheses)."""
    return outlet or (UNKNOWN_OUTLET_IN_TEXT if in_text else UNKNOWN_OUTLET)


# The classifier layers whose shares and rates the corpus views report. Each is the name of an
# ``Analysis`` field and of the default pipeline's component that fills it.
CLASSIFIED_LAYERS = ("narratives", "techniques")


def processed(analysis: Analysis, layer: str) -> bool:
    """Whether the component of ``layer`` (an ``Analysis`` field: narratives, techniques, ...) ran on
    the article: its name is in ``components``, or the layer holds labels (a component registered under
    another name). Why: the pipeline leaves English-only components out on other languages, and such
    an article must not count in the denominator of a share or a rate of that layer."""
    return layer in analysis.components or bool(getattr(analysis, layer))


def parse_date(value: str | None) -> date | None:
    """The date part of an ISO 8601 string, or None when it is missing or malformed."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def story_order(published: str | None, article_id: str) -> tuple[bool, str, str]:
    """Where an article comes in the order story clustering takes articles in (``corpus.stories``): oldest
    first (by the published string, which starts with the ISO day), undated ones last, then by id. One
    order for every way articles reach the clustering, so the stories do not depend on the order they are
    given or stored in."""
    dated = parse_date(published) is not None
    return not dated, published if dated else "", article_id


def iso_week(value: str | None) -> str:
    """``2023-W48`` for an ISO date, ``undated`` otherwise."""
    day = parse_date(value)
    if day is None:
        return UNDATED
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def n_words(text: str) -> int:
    return len(text.split())


def within(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


class SourcingShares(BaseModel):
    """What the claims rest on: counts and shares (0..1) by sourcing kind, plus the hedged share."""

    n_claims: int = 0
    counts: dict[str, int] = {}
    named: float = 0.0
    anonymous: float = 0.0
    group: float = 0.0
    unattributed: float = 0.0
    hedged: float = 0.0


class SourcingTally:
    """Running counts of claims by sourcing kind; ``shares()`` turns them into ``SourcingShares``."""

    def __init__(self) -> None:
        self.counts = dict.fromkeys(SOURCING_KINDS, 0)
        self.hedged = 0

    def add(self, claims: list[Claim]) -> None:
        for claim in claims:
            self.counts[claim.sourcing.kind] = self.counts.get(claim.sourcing.kind, 0) + 1
            self.hedged += claim.hedged

    def shares(self) -> SourcingShares:
        total = sum(self.counts.values())
        share = {k: round(v / total, 4) if total else 0.0 for k, v in self.counts.items()}
        return SourcingShares(
            n_claims=total, counts=dict(self.counts), hedged=round(self.hedged / total, 4) if total else 0.0,
            **{k: share[k] for k in SOURCING_KINDS},
        )


def sourcing_shares(claims: list[Claim]) -> SourcingShares:
    tally = SourcingTally()
    tally.add(claims)
    return tally.shares()
