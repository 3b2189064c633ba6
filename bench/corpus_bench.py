"""Speed and memory of the corpus views over a synthetic store, plus story clustering agreement.

Generates ``--events`` invented events, each reported by 2-5 invented outlets (titles and leads
reworded from the event's own words, shared invented actors, a reproduced quote now and then), with
filler text drawn from a common war-news vocabulary so unrelated events share words too. Stores the
analyses in a fresh SQLite file, then times each view streaming from the store:

    .venv/bin/python bench/corpus_bench.py --events 1000

With ``--footers`` every outlet ends its articles with its own advertisement quoting an invented
senator, as real sites append furniture to every article: the same names and quoted words in every
article of an outlet, which story clustering must not take for a shared event.

Story agreement (adjusted Rand index, homogeneity, completeness against the true events) is a
sanity check of the clustering on text built to be clusterable, not a quality claim on real news.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, completeness_score, homogeneity_score

from narrascope.corpus.actors import actor_profile
from narrascope.corpus.export import export_corpus
from narrascope.corpus.inputs import iter_chronological
from narrascope.corpus.network import actor_network, write_gexf
from narrascope.corpus.prevalence import prevalence
from narrascope.corpus.stories import StoryIndex
from narrascope.corpus.timeline import timeline
from narrascope.model import (
    Analysis,
    Article,
    Claim,
    Entity,
    Mention,
    NarrativeLabel,
    Quote,
    Sourcing,
    Span,
    TechniqueSpan,
)
from narrascope.store import open_store

SYLLABLES = "ko va len mar chen ro dyk bor sha vin tel mir zan pet hry ole nak lus dan".split()
PLACES = [f"{a.capitalize()}{b}sk" for a in SYLLABLES for b in ("o", "a", "i")]
ACTIONS = ["shelled", "captured", "defended", "evacuated", "reinforced", "lost", "mined", "supplied"]
OBJECTS = ["bridge", "depot", "power station", "airfield", "rail hub", "port", "dam", "hospital", "grain silo"]
FILLER = ("The war continued as officials discussed weapons deliveries, sanctions and the front line. "
          "Analysts said the situation remained difficult for troops and civilians alike. "
          "Western governments promised more support while Moscow denied the reports.").split(". ")
OUTLETS = ["Kyiv Ledger", "Frontline Realist", "Baltic Wire", "Danube Post", "Steppe Herald"]
TECHNIQUES = ["Loaded_Language", "Doubt", "Name_Calling-Labeling", "Appeal_to_Fear-Prejudice"]
NARRATIVES = ["URW: Discrediting Ukraine: Situation in Ukraine is hopeless", "URW: Praise of Russia: Russia is a guarantor of peace"]


def person(rng: random.Random) -> str:
    return f"{rng.choice(SYLLABLES).capitalize()}{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES).capitalize()}{rng.choice(SYLLABLES)}enko"


def footer(outlet: str) -> tuple[str, str, str]:
    """The outlet's advertisement as ``(text, senator, quoted words)``: the same in every article of the outlet."""
    senator = f"{outlet.split()[0]} Marlowe"
    said = f"the people of {outlet.split()[-1]} deserve better roads and better schools"
    return f"Advertisement: Senator {senator} says {said}. Vote {senator} in November.", senator, said


def make_article(rng: random.Random, event: dict, outlet: str, day: date, footers: bool = False) -> Analysis:
    speaker, other = event["people"]
    verb, obj, place = event["action"], event["object"], event["place"]
    title = rng.choice([f"Troops {verb} the {obj} near {place}", f"{place}: {obj} {verb}, says {speaker}",
                        f"What the {obj} at {place} means for the war"])
    quote = f"the {obj} near {place} was {verb} after {event['n']} hours of fighting"
    if rng.random() < 0.5:
        quote = f"our forces {verb} the {obj} at {place} and {other} was informed"
    lead = f"{speaker} said {quote}. {other} confirmed the news from {place}."
    filler = ". ".join(rng.sample(FILLER, 2)) + "."
    text = f"{title}\n\n{lead} {filler}"
    ad, senator, said = footer(outlet)
    if footers:
        text += f"\n\n{ad}"
    start = text.index(quote)
    entities = []
    for name in (speaker, other, place, *([senator] if footers else [])):
        spans = [Span.of(text, i, i + len(name)) for i in _find_all(text, name)]
        entities.append(Entity(id=name.lower().replace(" ", "-"), name=name, type="GPE" if name == place else "PERSON",
                               mentions=[Mention(**s.model_dump()) for s in spans]))
    q = Quote(id="q0", content=Span.of(text, start, start + len(quote)), kind="indirect",
              speaker=Span.of(text, text.index(speaker), text.index(speaker) + len(speaker)), speaker_name=speaker,
              speaker_entity=entities[0].id, date=day.isoformat(), sourcing=Sourcing(kind="named"))
    quotes = [q]
    if footers:
        ad_start, said_start = text.index(senator), text.index(said)
        quotes.append(Quote(id="q1", content=Span.of(text, said_start, said_start + len(said)), kind="indirect",
                            speaker=Span.of(text, ad_start, ad_start + len(senator)), speaker_name=senator,
                            speaker_entity=entities[-1].id, sourcing=Sourcing(kind="named")))
    sentences = [Span.of(text, 0, len(title))]
    lead_start = len(title) + 2
    sentences.append(Span.of(text, lead_start, text.index(".", lead_start) + 1))
    techniques = [TechniqueSpan(span=sentences[1], technique=rng.choice(TECHNIQUES), confidence=0.5)]
    narratives = [NarrativeLabel(label=n, narrative=n.split(": ")[1], domain="URW", confidence=0.6)
                  for n in rng.sample(NARRATIVES, rng.randint(0, 1))]
    claims = [Claim(id="c0", span=q.content, sourcing=Sourcing(kind="named"), quote_id="q0")]
    article = Article(id=Article.make_id(text + outlet + day.isoformat()), text=text, title=title, outlet=outlet,
                      published=day.isoformat())
    return Analysis(article=article, components=["bench"], sentences=sentences, entities=entities, quotes=quotes,
                    claims=claims, narratives=narratives, techniques=techniques)


def _find_all(text: str, needle: str):
    i = text.find(needle)
    while i >= 0:
        yield i
        i = text.find(needle, i + len(needle))


def generate(n_events: int, seed: int = 7, footers: bool = False):
    rng = random.Random(seed)
    start = date(2023, 1, 1)
    for e in range(n_events):
        event = {"people": (person(rng), person(rng)), "place": rng.choice(PLACES), "action": rng.choice(ACTIONS),
                 "object": rng.choice(OBJECTS), "n": rng.randint(2, 90)}
        first = start + timedelta(days=rng.randint(0, 365))
        for outlet in rng.sample(OUTLETS, rng.randint(2, 5)):
            yield e, make_article(rng, event, outlet, first + timedelta(days=rng.randint(0, 3)), footers)


def timed(label: str, fn, results: dict):
    """Run ``fn`` and record (wall seconds, CPU seconds): on a shared machine CPU time is the steadier one."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    results[label] = (time.perf_counter() - wall, time.process_time() - cpu)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--footers", action="store_true", help="every outlet appends its own advertisement")
    args = parser.parse_args()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        truth: dict[str, int] = {}
        with open_store(db) as store:
            def fill():
                for event, analysis in generate(args.events, footers=args.footers):
                    truth[analysis.article.id] = event
                    store.save_analysis(analysis)
            timed("store (save_analysis)", fill, results)
            n = len(truth)
            index = timed("stories (StoryIndex, chronological)",
                          lambda: StoryIndex().add_ordered(iter_chronological(store)), results)
            timed("prevalence", lambda: prevalence(store.iter_analyses()), results)
            timed("timeline", lambda: timeline(store.iter_analyses()), results)
            graph = timed("network", lambda: actor_network(store.iter_analyses()), results)
            timed("network GEXF write", lambda: write_gexf(graph, Path(tmp) / "a.gexf"), results)
            some = next(iter(graph.nodes))
            timed("actor_profile", lambda: actor_profile(store.iter_analyses(), some), results)
            timed("export CSV (5 tables)", lambda: export_corpus(store.iter_analyses(), Path(tmp) / "csv"), results)
            timed("export Parquet (5 tables)",
                  lambda: export_corpus(store.iter_analyses(), Path(tmp) / "pq", "parquet"), results)
            timed("read only (iter_analyses)", lambda: sum(1 for _ in store.iter_analyses()), results)
        ids = list(truth)
        pred = [index.story_of(i) for i in ids]
        gold = [truth[i] for i in ids]
    print(f"articles: {n}, true events: {args.events}, stories found: {len(index)}")
    print("| step | wall s | CPU s | articles / CPU s |")
    print("| --- | ---: | ---: | ---: |")
    for label, (wall, cpu) in results.items():
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {n / cpu:.0f} |")
    print(f"story ARI {adjusted_rand_score(gold, pred):.3f}, homogeneity {homogeneity_score(gold, pred):.3f}, "
          f"completeness {completeness_score(gold, pred):.3f}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
