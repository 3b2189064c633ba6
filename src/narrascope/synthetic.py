"""A synthetic news-like corpus from templates, for throughput benchmarks and scale tests.

Why synthetic: speed must be measurable on any clone (the labelled data is not shipped and may not be
copied), and a generator gives a corpus of any size with the features the pipeline spends its time
on — named people and places, direct and reported quotes with attribution cues, anonymous and
hedged sourcing, dates. All names are invented; the text says nothing true.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

PEOPLE = [
    ("Olena Marchuk", "the regional governor"), ("Pavlo Dorosh", "the defence minister"),
    ("Irina Sokolova", "a foreign ministry spokeswoman"), ("Dmytro Haidai", "the army chief of staff"),
    ("Anders Vik", "the alliance secretary general"), ("Maria Lindqvist", "the EU foreign policy chief"),
    ("Viktor Belov", "a Kremlin spokesman"), ("Tomasz Nowak", "the Polish deputy prime minister"),
    ("Hannah Price", "a senior analyst at the Eastbridge Institute"), ("Sergei Orlov", "the occupation-appointed mayor"),
]
PLACES = ["Vernivka", "Stavky", "Lisove", "Korbut", "Pryluzhne", "Halytsk", "Donetsk", "Kharkiv", "Odesa", "Brussels"]
OUTLETS = ["Meridian Daily", "Eastern Courier", "Harbor Times", "Capital Wire", "Steppe Herald"]
CUES = ["said", "told reporters", "said in a statement", "wrote on Telegram", "told a news conference"]
TOPICS = ["air defence", "grain exports", "the power grid", "the prisoner exchange", "artillery shells",
          "the peace talks", "sanctions", "the reconstruction fund", "drone attacks", "the evacuation"]

SENTENCES = [
    "{place} came under heavy shelling overnight, local officials said on {day}.",
    '"We will not give up {place}," {name}, {role}, {cue} on {day}.',
    "{name} {cue} that talks on {topic} had stalled and that {other} was to blame.",
    "According to {name}, at least {n} people were killed and {m} wounded near {place}.",
    "Two officials familiar with the matter, who spoke on condition of anonymity, said {topic} would be discussed next week.",
    "The claims could not be independently verified.",
    "A source close to the government said the offensive near {place} had probably been delayed.",
    '"This is a turning point for {topic}," {role_cap} {name} {cue}, adding that allies must act "without delay".',
    "Critics argue that the decision on {topic} may weaken the position of {other}.",
    "{other} has repeatedly denied targeting civilian areas, and {name} called the reports \"fabricated\".",
    "Officials in {place} reported that {n} drones had been shot down by {day} morning.",
    "The ministry published figures on {topic} that appear to contradict earlier statements by {other}.",
    "Residents of {place} told the {outlet} that electricity had been cut for {n} hours.",
    "{name} is expected to travel to {place} to discuss {topic}, her office said.",
    "Analysts say the move is likely to raise tensions between {place} and {other2}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def article(rng: random.Random, n_sentences: int = 28) -> dict[str, str]:
    """One invented article as a JSON record: title, outlet, published, text (paragraphs of 2-4 sentences)."""
    published = date(2024, 1, 1) + timedelta(days=rng.randrange(180))
    sentences = []
    for _ in range(n_sentences):
        (name, role), (other, _r) = rng.sample(PEOPLE, 2)
        sentences.append(rng.choice(SENTENCES).format(
            name=name, role=role, role_cap=role[0].upper() + role[1:], other=other, other2=rng.choice(PLACES),
            place=rng.choice(PLACES), cue=rng.choice(CUES), topic=rng.choice(TOPICS), day=rng.choice(DAYS),
            n=rng.randrange(2, 60), m=rng.randrange(2, 90), outlet=rng.choice(OUTLETS),
        ))
    paragraphs, i = [], 0
    while i < len(sentences):
        step = rng.randint(2, 4)
        paragraphs.append(" ".join(sentences[i : i + step]))
        i += step
    title = f"{rng.choice(PLACES)}: {rng.choice(TOPICS)} in focus as {rng.choice(PEOPLE)[0]} speaks out"
    return {"title": title, "outlet": rng.choice(OUTLETS), "published": published.isoformat(),
            "text": "\n\n".join(paragraphs)}


def corpus(n_articles: int, seed: int = 0, n_sentences: int = 28) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [article(rng, n_sentences) for _ in range(n_articles)]


def write_jsonl(path: Path, n_articles: int, seed: int = 0, n_sentences: int = 28) -> Path:
    """Write the corpus as JSON Lines (one article per line), the format ``narrascope analyze`` reads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(a) + "\n" for a in corpus(n_articles, seed, n_sentences)), "utf-8")
    return path
