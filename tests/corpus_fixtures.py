"""Hand-built analyses for the corpus tests (invented articles, invented people and outlets).

The pair A/B tells one invented event two ways: ``Kyiv Ledger`` (pro-Ukraine) and ``Frontline
Realist`` ("Ukraine is losing"). C and D are a different event (grain ships), E is the river
crossing again but months later. Spans are located by substring so offsets always match the text.
"""

from __future__ import annotations

import re

from narrascope.model import (
    Analysis,
    Article,
    ChainLink,
    Claim,
    Entity,
    Mention,
    NarrativeLabel,
    Quote,
    RoleLabel,
    Sourcing,
    Span,
    TechniqueSpan,
)

COMPONENTS = ["clean", "spacy", "actors", "quotes", "claims", "narratives", "roles", "techniques"]


def find(text: str, needle: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``needle`` in ``text`` (fails loudly when absent)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span.of(text, start, start + len(needle))


def sentences(text: str) -> list[Span]:
    return [Span.of(text, m.start(), m.end()) for m in re.finditer(r"[^\s][^\n]*?(?:[.?!]\"?(?=\s|$)|(?=\n)|$)", text)]


def build(
    text: str,
    *,
    title: str,
    outlet: str,
    published: str | None,
    entities: dict[str, tuple[str, str, list[str]]] = {},
    quotes: list[dict] = (),
    claims: list[dict] = (),
    narratives: list[tuple[str, str]] = (),
    roles: list[tuple[str, str, str, list[str]]] = (),
    techniques: list[tuple[str, str]] = (),
) -> Analysis:
    """Build an Analysis; every annotation names its text by substring (see the callers below)."""
    full = f"{title}\n\n{text}"
    article = Article(id=Article.make_id(full), text=full, title=title, outlet=outlet, published=published,
                      language="en")
    ents = []
    for eid, (name, etype, forms) in entities.items():
        taken: list[Span] = []
        for form in sorted(forms, key=len, reverse=True):
            for m in re.finditer(re.escape(form), full):
                if not any(s.start <= m.start() < s.end for s in taken):
                    taken.append(Span.of(full, m.start(), m.end()))
        mentions = [Mention(**s.model_dump(), entity_id=eid, ner_label=etype) for s in sorted(taken, key=lambda s: s.start)]
        ents.append(Entity(id=eid, name=name, type=etype, mentions=mentions))
    qs = []
    for i, q in enumerate(quotes):
        qs.append(Quote(
            id=f"q{i}", content=find(full, q["content"]), kind=q["kind"],
            speaker=find(full, q["speaker"], q.get("speaker_nth", 0)) if q.get("speaker") else None,
            speaker_name=q.get("name"), speaker_entity=q.get("entity"),
            cue=find(full, q["cue"]) if q.get("cue") else None, cue_lemma=q.get("cue"),
            date=q.get("date"), date_span=find(full, q["date_span"]) if q.get("date_span") else None,
            sourcing=Sourcing(kind=q.get("sourcing", "named"), description=q.get("description")),
            chain=[ChainLink(**link) for link in q.get("chain", [])],
        ))
    cls = [
        Claim(id=f"c{i}", span=find(full, c["text"]), sourcing=Sourcing(kind=c["sourcing"]),
              quote_id=c.get("quote"), hedged=c.get("hedged", False))
        for i, c in enumerate(claims)
    ]
    narrs = [
        # As the classifier gives them: ``narrative`` is the official coarse label, domain prefix included.
        NarrativeLabel(label=label, narrative=label.rsplit(": ", 1)[0], subnarrative=label.rsplit(": ", 1)[1],
                       confidence=0.8, domain="URW", evidence=[find(full, ev)])
        for label, ev in narratives
    ]
    rls = [
        RoleLabel(mention=find(full, mention), entity_id=eid, entity_name=entities[eid][0] if eid in entities else None,
                  main_role=main, fine_roles=fine, confidence=0.7)
        for eid, mention, main, fine in roles
    ]
    techs = [TechniqueSpan(span=find(full, s), technique=t, confidence=0.6) for t, s in techniques]
    analysis = Analysis(article=article, components=list(COMPONENTS), sentences=sentences(full), entities=ents,
                        quotes=qs, claims=cls, narratives=narrs, roles=rls, techniques=techs)
    assert analysis.check_spans() == []
    return analysis


MARCHENKO = ("Olena Marchenko", "PERSON", ["General Olena Marchenko", "Olena Marchenko", "Marchenko"])
ORLOV = ("Viktor Orlov", "PERSON", ["Viktor Orlov", "Orlov"])


def article_a() -> Analysis:
    """Pro-Ukraine outlet: the crossing is a success, Russia is the aggressor."""
    return build(
        "General Olena Marchenko said on Monday that Ukrainian forces had crossed the Dnipro river near Krynky. "
        "\"We are holding the bridgehead,\" Marchenko told reporters in Kherson. "
        "Defence Minister Taras Bondar said the West must send more air defence. "
        "Two Western officials with direct knowledge said that Russia had lost 300 armoured vehicles near "
        "Avdiivka since 10 October. "
        "Bondar added that Vladimir Putin is a war criminal who bombs civilians. "
        "Analysts say a frozen conflict would only reward aggression.",
        title="Marchenko's crossing can break the Dnipro stalemate",
        outlet="Kyiv Ledger", published="2023-11-29",
        entities={
            "olena-marchenko": MARCHENKO,
            "taras-bondar": ("Taras Bondar", "PERSON", ["Defence Minister Taras Bondar", "Bondar"]),
            "vladimir-putin": ("Vladimir Putin", "PERSON", ["Vladimir Putin"]),
            "russia": ("Russia", "GPE", ["Russia"]),
        },
        quotes=[
            dict(content="Ukrainian forces had crossed the Dnipro river near Krynky", kind="indirect",
                 speaker="General Olena Marchenko", name="Olena Marchenko", entity="olena-marchenko", cue="said",
                 date="2023-11-27", date_span="on Monday"),
            dict(content="We are holding the bridgehead,", kind="direct", speaker="Marchenko", speaker_nth=2,
                 name="Olena Marchenko", entity="olena-marchenko", cue="told"),
            dict(content="the West must send more air defence", kind="indirect", speaker="Defence Minister Taras Bondar",
                 name="Taras Bondar", entity="taras-bondar", cue="said"),
            dict(content="Russia had lost 300 armoured vehicles near Avdiivka since 10 October", kind="indirect",
                 speaker="Two Western officials with direct knowledge", name="Two Western officials",
                 sourcing="anonymous", description="two Western officials with direct knowledge", cue="said",
                 chain=[dict(role="origin", name="Two Western officials", anonymous=True),
                        dict(role="outlet", name="Kyiv Ledger")]),
            dict(content="Vladimir Putin is a war criminal who bombs civilians", kind="indirect", speaker="Bondar", speaker_nth=1,
                 name="Taras Bondar", entity="taras-bondar", cue="added"),
        ],
        claims=[
            dict(text="Ukrainian forces had crossed the Dnipro river near Krynky", sourcing="named", quote="q0"),
            dict(text="Russia had lost 300 armoured vehicles near Avdiivka since 10 October", sourcing="anonymous",
                 quote="q3"),
            dict(text="Analysts say a frozen conflict would only reward aggression.", sourcing="group", hedged=True),
        ],
        narratives=[("URW: Blaming the war on others rather than the invader: Russia is the aggressor",
                     "Putin is a war criminal")],
        roles=[("olena-marchenko", "General Olena Marchenko", "Protagonist", ["Guardian", "Hero"]),
               ("vladimir-putin", "Vladimir Putin", "Antagonist", ["Tyrant"])],
        techniques=[("Name_Calling-Labeling", "war criminal"), ("Loaded_Language", "bombs civilians")],
    )


def article_b() -> Analysis:
    """"Ukraine is losing" outlet: same crossing, framed as a costly failure, anonymous palace rumours."""
    return build(
        "General Olena Marchenko admitted on Monday that Ukrainian forces had crossed the Dnipro river near Krynky "
        "but suffered heavy losses. "
        "Kremlin spokesman Viktor Orlov said the Ukrainian bridgehead would be destroyed within days. "
        "According to sources in Kyiv, President Petro Hrytsenko is preparing to dismiss Marchenko. "
        "\"The West has abandoned Ukraine,\" Orlov told state television on 1 December. "
        "The counter-offensive has failed and the sanctions hurt only Europe.",
        title="Is Kyiv's army at the Dnipro on the verge of collapse?",
        outlet="Frontline Realist", published="2023-12-03",
        entities={
            "olena-marchenko": MARCHENKO,
            "viktor-orlov": ("Viktor Orlov", "PERSON", ["Kremlin spokesman Viktor Orlov", "Orlov"]),
            "petro-hrytsenko": ("Petro Hrytsenko", "PERSON", ["President Petro Hrytsenko"]),
        },
        quotes=[
            dict(content="Ukrainian forces had crossed the Dnipro river near Krynky but suffered heavy losses",
                 kind="indirect", speaker="General Olena Marchenko", name="Olena Marchenko", entity="olena-marchenko",
                 cue="admitted", date="2023-11-27", date_span="on Monday"),
            dict(content="the Ukrainian bridgehead would be destroyed within days", kind="indirect",
                 speaker="Kremlin spokesman Viktor Orlov", name="Viktor Orlov", entity="viktor-orlov", cue="said"),
            dict(content="President Petro Hrytsenko is preparing to dismiss Marchenko", kind="indirect",
                 speaker="sources in Kyiv", name="sources in Kyiv", sourcing="anonymous",
                 description="sources in Kyiv", cue="According to",
                 chain=[dict(role="origin", name="sources in Kyiv", anonymous=True),
                        dict(role="outlet", name="Frontline Realist")]),
            dict(content="The West has abandoned Ukraine,", kind="direct", speaker="Orlov", speaker_nth=1,
                 name="Viktor Orlov",
                 entity="viktor-orlov", cue="told", date="2023-12-01", date_span="on 1 December"),
        ],
        claims=[
            dict(text="Ukrainian forces had crossed the Dnipro river near Krynky but suffered heavy losses",
                 sourcing="named", quote="q0"),
            dict(text="President Petro Hrytsenko is preparing to dismiss Marchenko", sourcing="anonymous", quote="q2"),
            dict(text="The counter-offensive has failed and the sanctions hurt only Europe.", sourcing="unattributed"),
            dict(text="the Ukrainian bridgehead would be destroyed within days", sourcing="named", quote="q1"),
        ],
        narratives=[
            ("URW: Discrediting Ukraine: Situation in Ukraine is hopeless", "on the verge of collapse"),
            ("URW: Discrediting the West, Diplomacy: The West does not care about Ukraine", "abandoned Ukraine"),
        ],
        roles=[("olena-marchenko", "General Olena Marchenko", "Antagonist", ["Incompetent"]),
               ("viktor-orlov", "Kremlin spokesman Viktor Orlov", "Protagonist", ["Guardian"])],
        techniques=[("Loaded_Language", "abandoned"), ("Doubt", "on the verge of collapse"),
                    ("Appeal_to_Fear-Prejudice", "would be destroyed within days")],
    )


def article_c() -> Analysis:
    """A different event: grain ships leave Odesa (same outlet as A)."""
    return build(
        "Three cargo ships loaded with wheat left the port of Odesa on Wednesday, port official Iryna Kovalenko "
        "said. The grain corridor has carried two million tonnes of wheat and maize since August despite drone "
        "attacks on the port. Kovalenko said insurers had cut premiums for ships calling at Odesa.",
        title="Grain ships leave Odesa as the wheat corridor holds",
        outlet="Kyiv Ledger", published="2023-11-30",
        entities={"iryna-kovalenko": ("Iryna Kovalenko", "PERSON", ["Iryna Kovalenko", "Kovalenko"]),
                  "odesa": ("Odesa", "GPE", ["Odesa"])},
        quotes=[dict(content="Three cargo ships loaded with wheat left the port of Odesa on Wednesday", kind="indirect",
                     speaker="port official Iryna Kovalenko", name="Iryna Kovalenko", entity="iryna-kovalenko",
                     cue="said")],
    )


def article_d() -> Analysis:
    """The grain event told by the other outlet."""
    return build(
        "Wheat cargo ships sailed from Odesa port this week although drones attacked the grain corridor, "
        "Iryna Kovalenko of the port authority said. Ship insurers for the Odesa wheat corridor remain nervous.",
        title="Odesa grain corridor: wheat ships sail under drone threat",
        outlet="Frontline Realist", published="2023-12-01",
        entities={"iryna-kovalenko": ("Iryna Kovalenko", "PERSON", ["Iryna Kovalenko"]),
                  "odesa": ("Odesa", "GPE", ["Odesa"])},
    )


def article_e() -> Analysis:
    """The Dnipro crossing again, but four months later: outside the story time window."""
    return build(
        "General Olena Marchenko said Ukrainian forces had left the Dnipro river bridgehead near Krynky.",
        title="Marchenko: forces leave the Dnipro bridgehead at Krynky",
        outlet="Kyiv Ledger", published="2024-04-02",
        entities={"olena-marchenko": MARCHENKO},
    )


def without_outlet(base: Analysis, outlet: str | None = None) -> Analysis:
    """``base`` as if analysed from a plain text file: no outlet (None, or ``outlet`` given as blank)."""
    return base.model_copy(update={"article": base.article.model_copy(update={"outlet": outlet})})
