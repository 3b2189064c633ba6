"""Stories, timeline, network and prevalence over the invented corpus (see corpus_fixtures)."""

from __future__ import annotations

import json
from datetime import date

import networkx as nx
import pytest
from corpus_fixtures import article_a, article_b, article_c, article_d, article_e, without_outlet

from narrascope.corpus.dates import find_dates
from narrascope.corpus.network import actor_network, network_summary, to_dict, write_gexf
from narrascope.corpus.prevalence import prevalence
from narrascope.corpus.stories import StoryIndex, build_stories
from narrascope.corpus.timeline import timeline
from narrascope.model import Analysis


@pytest.fixture(scope="module")
def corpus():
    return [article_a(), article_b(), article_c(), article_d(), article_e()]


# --- stories -------------------------------------------------------------------------------------


def test_stories_group_same_event_across_outlets_and_separate_others(corpus):
    a, b, c, d, e = corpus
    index = build_stories(corpus)
    assert index.story_of(a.article.id) == index.story_of(b.article.id)
    assert index.story_of(c.article.id) == index.story_of(d.article.id)
    assert index.story_of(a.article.id) != index.story_of(c.article.id)
    # Same actors and river, but four months later: outside the time window, a story of its own.
    assert index.story_of(e.article.id) not in {index.story_of(a.article.id), index.story_of(c.article.id)}
    top = index.stories(min_outlets=2)
    assert len(top) == 2 and all(s.outlets == ["Frontline Realist", "Kyiv Ledger"] for s in top)
    dnipro = index.story(index.story_of(a.article.id))
    assert dnipro.date_from == "2023-11-29" and dnipro.date_to == "2023-12-03"
    assert "Olena Marchenko" in dnipro.top_actors
    json.dumps([s.model_dump() for s in index.stories()])


def test_stories_of_articles_without_an_outlet_are_listed_and_min_outlets_counts_named_ones(corpus):
    """Articles analysed from plain text files name no outlet. ``stories()`` hid every story made of
    them alone (it kept stories with at least one named outlet by default); now only an explicit
    ``min_outlets`` filters, and it counts named outlets: an article without one may come from an
    outlet the story already has, so it does not make a story comparable across outlets."""
    a, b, c, d, e = corpus
    bare = [without_outlet(x) for x in corpus]
    index = build_stories(bare)
    listed = index.stories()
    assert sorted(s.n_articles for s in listed) == [1, 2, 2]
    assert all(s.outlets == [] and s.n_without_outlet == s.n_articles for s in listed)
    assert index.stories(min_articles=2) == listed[:2]
    assert index.stories(min_outlets=1) == []
    mixed = build_stories([a, without_outlet(b), c, d])
    assert [(s.outlets, s.n_without_outlet) for s in mixed.stories(min_outlets=1)] == [
        (["Frontline Realist", "Kyiv Ledger"], 0), (["Kyiv Ledger"], 1)]
    assert [s.outlets for s in mixed.stories(min_outlets=2)] == [["Frontline Realist", "Kyiv Ledger"]]


def test_a_much_quoted_speaker_does_not_outweigh_the_other_actors(corpus):
    """An actor counts once per article: B quoting Orlov ten times instead of twice is the same event."""
    a, b = corpus[0], corpus[1]
    orlov = [q for q in b.quotes if q.speaker_entity == "viktor-orlov"]
    chatty = b.model_copy(update={"quotes": [*b.quotes, *(q.model_copy(update={"id": f"extra{i}{q.id}"})
                                                         for i in range(4) for q in orlov)]})
    index = build_stories([a, chatty])
    assert index.story_of(chatty.article.id) == index.story_of(a.article.id)
    assert index.story(index.story_of(a.article.id)).articles[-1].score == build_stories([a, b]).story(
        index.story_of(a.article.id)).articles[-1].score


def _one_town() -> tuple[list[Analysis], Analysis, Analysis, Analysis]:
    """Invented reports from one town in one week: a drone strike on its grain terminal (Monday, and again from
    another outlet on Tuesday, both quoting the governor) and another strike there, on a power substation
    (Thursday, quoting the mayor). Twelve reports from other towns in January come first, so the IDF is that
    of a corpus: the town is named in three articles, each person in one or two."""
    from corpus_fixtures import build

    def report(title: str, text: str, outlet: str, day: str, name: str, said: str) -> Analysis:
        key = name.lower().replace(" ", "-")
        places = {k: v for k, v in {"vylkove": ("Vylkove", "GPE", ["Vylkove"]),
                                    "danube": ("Danube", "LOC", ["Danube"])}.items() if v[0] in text}
        return build(text, title=title, outlet=outlet, published=day,
                     entities={**places, key: (name, "PERSON", [name])},
                     quotes=[dict(content=said, kind="indirect", speaker=name, name=name, entity=key, cue="said")])

    terminal = report("Drone strike hits grain terminal in Vylkove",
                      "Russian drones hit the grain terminal in Vylkove overnight and started a fire that burned until "
                      "morning, governor Oleh Kiman said. Air defence shot down most of the drones over the Danube.",
                      "Danube Post", "2024-05-06", "Oleh Kiman",
                      "Russian drones hit the grain terminal in Vylkove overnight")
    again = report("Fire at Vylkove grain terminal after drone attack",
                   "The grain terminal in Vylkove burned until morning after a drone attack, governor Oleh Kiman said "
                   "on Tuesday.", "Bessarabia Wire", "2024-05-07", "Oleh Kiman",
                   "The grain terminal in Vylkove burned until morning after a drone attack")
    substation = report("Drone strike hits power substation in Vylkove",
                        "Russian drones hit a power substation in Vylkove overnight and cut electricity until morning, "
                        "mayor Matviy Pan said. Repair crews would restore power by the weekend, he said.",
                        "Steppe Herald", "2024-05-09", "Matviy Pan", "Repair crews would restore power by the weekend")
    towns = "Reni Bolhrad Tatarbunary Kiliia Artsyz Sarata Tarutyne Rozdilna Balta Podilsk Ananiv Kodyma".split()
    people = ["Ivan Sas", "Petro Lyn", "Anna Moroz", "Yurii Tkach", "Olha Prus", "Denys Hai", "Iryna Bilyk",
              "Taras Kit", "Marta Lis", "Roman Dub", "Vira Oves", "Ihor Yar"]
    background = [build(f"Shelling damaged houses in {town} overnight, {person} said.",
                        title=f"Shelling damages houses in {town}", outlet="Danube Post",
                        published=f"2024-01-{i + 1:02d}",
                        entities={town.lower(): (town, "GPE", [town]),
                                  person.lower().replace(" ", "-"): (person, "PERSON", [person])})
                  for i, (town, person) in enumerate(zip(towns, people, strict=True))]
    return background, terminal, again, substation


def test_sharing_only_a_town_does_not_make_one_story():
    """A place weighs half a participant: the town is the setting of every event there that week. At full
    weight the substation strike joined the terminal story on the town and the war's words (0.304; 0.223 now)."""
    background, terminal, again, substation = _one_town()
    index = StoryIndex().add_all([*background, terminal, again, substation])
    assert index.story_of(again.article.id) == index.story_of(terminal.article.id)
    assert index.story_of(substation.article.id) != index.story_of(terminal.article.id)


def test_a_loaded_index_weighs_places_as_the_saved_one(tmp_path):
    """Which actors are places is saved with the index: the story's Danube, which the next report does not
    name, weighs as a place in the story's norm after a reload too."""
    background, terminal, again, _ = _one_town()
    index = StoryIndex().add_all([*background, terminal])
    loaded = StoryIndex.load(index.save(tmp_path / "stories.json"))
    story = index.add(again)
    assert loaded.add(again) == story
    assert loaded.story(story).articles[-1].score == index.story(story).articles[-1].score


FOOTER = ("Subscribe to our newsletter for the latest news from the south every morning.\n"
          "Advertisement: Senator Mark Dunleavy says our veterans deserve better care and better pay. "
          "Vote Dunleavy on March 5.")


def _with_footer(title: str, body: str, day: str, name: str, said: str, outlet: str | None = "Danube Post",
                 footer: str = FOOTER) -> Analysis:
    """An invented report quoting ``name``, with its site's footer: an advertisement quoting a senator."""
    from corpus_fixtures import build

    key = name.lower().replace(" ", "-")
    analysis = build(f"{body}\n\n{footer}", title=title, outlet=outlet or "", published=day,
                     entities={key: (name, "PERSON", [name]),
                               "mark-dunleavy": ("Mark Dunleavy", "PERSON", ["Mark Dunleavy", "Dunleavy"])},
                     quotes=[dict(content=said, kind="indirect", speaker=name, name=name, entity=key, cue="said"),
                             dict(content="our veterans deserve better care and better pay", kind="indirect",
                                  speaker="Senator Mark Dunleavy", name="Mark Dunleavy", entity="mark-dunleavy",
                                  cue="says")])
    analysis.article.outlet = outlet
    return analysis


def _terminal_and_budget(outlet: str | None = "Danube Post") -> tuple[Analysis, Analysis]:
    terminal = _with_footer(
        "Drone strike hits grain terminal in Vylkove",
        "Russian drones hit the grain terminal in Vylkove overnight and started a fire that burned until morning, "
        "governor Oleh Kiman said. Air defence shot down most of the drones over the river.",
        "2024-05-06", "Oleh Kiman", "Russian drones hit the grain terminal in Vylkove overnight", outlet)
    budget = _with_footer(
        "Regional council passes school budget",
        "The regional council passed next year's school budget after a long debate, council head Olha Prus said. "
        "Teachers will get a raise of ten percent from September.",
        "2024-05-08", "Olha Prus", "The regional council passed next year's school budget after a long debate", outlet)
    return terminal, budget


def test_a_footer_an_outlet_repeats_does_not_join_unrelated_articles():
    """The senator of the advertisement and his quoted words are the site's, not the articles': a grain terminal
    strike and a school budget from one outlet that both end with it are two stories (before, one: the shared
    specific actor let the rule of no shared actors pass, and the shared quote added its quarter)."""
    terminal, budget = _terminal_and_budget()
    index = StoryIndex().add_all([terminal, budget])
    assert index.story_of(budget.article.id) != index.story_of(terminal.article.id)
    # The outlet's update of its report, footer and all, with one more line, is a copy read whole: one story.
    update = _with_footer("Grain terminal fire put out", terminal.article.text.split("\n\n")[1]
                          + "\nFirefighters put out the fire by noon, the State Emergency Service said.",
                          "2024-05-06", "Oleh Kiman", "Russian drones hit the grain terminal in Vylkove overnight")
    assert index.add(update) == index.story_of(terminal.article.id)


def test_repeated_lines_are_counted_per_outlet_and_kept_with_the_index(tmp_path):
    """Another outlet's article carrying the same lines is not furniture of the first (the lines are counted per
    outlet; articles without an outlet count as one more), and the counts survive a reload of the index."""
    terminal, budget = _terminal_and_budget()
    index = StoryIndex().add_all([terminal])
    loaded = StoryIndex.load(index.save(tmp_path / "stories.json"))
    assert loaded.add(budget) != loaded.story_of(terminal.article.id)
    elsewhere = budget.model_copy(deep=True)
    elsewhere.article.outlet, elsewhere.article.id = "Steppe Herald", "budget-elsewhere"
    assert StoryIndex().add_all([terminal, elsewhere]).story_of("budget-elsewhere") == index.story_of(
        terminal.article.id)  # read whole, the footer joins them: no furniture of the Steppe Herald's
    no_outlet = _terminal_and_budget(outlet=None)
    index = StoryIndex().add_all(no_outlet)
    assert index.story_of(no_outlet[0].article.id) != index.story_of(no_outlet[1].article.id)


def test_wider_window_lets_a_later_article_join(corpus):
    index = StoryIndex(window_days=200).add_all(corpus)
    assert index.story_of(corpus[4].article.id) == index.story_of(corpus[0].article.id)


def test_incremental_add_is_idempotent_and_survives_save_and_load(tmp_path, corpus):
    a, b, c, d, e = corpus
    index = build_stories([a, c])
    first = index.story_of(a.article.id)
    assert index.add(a) == first and len(index) == 2
    path = index.save(tmp_path / "stories.json")
    loaded = StoryIndex.load(path)
    assert loaded.add(b) == first  # joins the existing story after a reload
    assert loaded.add(d) == loaded.story_of(c.article.id)
    assert len(loaded) == 2 and loaded.story(first).n_articles == 2


def _chain():
    """Three reports of one invented dam breach, same day: the first names Kost, the second Lut, the third
    both. Taken third, the bridging report can join only one of the first two (they share no specific actor,
    so they are two stories); taken first, it gathers both into one story."""
    from corpus_fixtures import build

    text = "The dam on the Vorskla river near Zinkiv was breached overnight and villages were flooded."
    people = {"andriy-kost": ("Andriy Kost", "PERSON", ["Andriy Kost"]),
              "borys-lut": ("Borys Lut", "PERSON", ["Borys Lut"])}
    return [build(f"{text} {' and '.join(people[k][0] for k in keys)} spoke.", title="Vorskla dam breached",
                  outlet=outlet, published="2023-06-06", entities={k: people[k] for k in keys})
            for outlet, keys in (("A", ["andriy-kost"]), ("B", ["borys-lut"]), ("C", ["andriy-kost", "borys-lut"]))]


def test_stories_do_not_depend_on_the_order_articles_come_in(corpus):
    """A single pass is order-dependent (``_chain``); every way in takes the articles in one order."""
    import random

    chain = _chain()

    def one_at_a_time(order: list[Analysis]) -> int:
        index = StoryIndex()
        return len({index.add(a) for a in order})

    assert (one_at_a_time(chain), one_at_a_time(chain[::-1])) == (2, 1)  # what the order used to decide
    articles = [*corpus, *chain]
    expected = [s.model_dump() for s in build_stories(articles).stories()]
    rng = random.Random(5)
    for _ in range(12):
        shuffled = rng.sample(articles, len(articles))
        assert [s.model_dump() for s in build_stories(shuffled).stories()] == expected
        assert [s.model_dump() for s in StoryIndex().add_all(iter(shuffled)).stories()] == expected


def test_add_ordered_refuses_a_stream_out_of_story_order(corpus):
    a, b = corpus[0], corpus[1]  # published 2023-11-29 and 2023-12-01
    assert b.article.published > a.article.published
    assert StoryIndex().add_ordered([a, b]).story_of(b.article.id) == StoryIndex().add_all([b, a]).story_of(
        b.article.id)
    with pytest.raises(ValueError, match="story order"):
        StoryIndex().add_ordered([b, a])


def test_embedding_hook_replaces_word_similarity(corpus):
    # A toy "embedding": grain vs. river vocabulary. Real use passes MiniLM sentence embeddings.
    def embed(text: str) -> list[float]:
        low = text.lower()
        return [low.count("grain") + low.count("wheat"), low.count("dnipro") + low.count("krynky"), 0.1]

    index = StoryIndex(embed=embed).add_all(corpus[:4])
    assert index.story_of(corpus[0].article.id) == index.story_of(corpus[1].article.id)
    assert index.story_of(corpus[2].article.id) == index.story_of(corpus[3].article.id)
    assert len(index) == 2


def test_loading_a_bad_index_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="cannot read the story index"):
        StoryIndex.load(bad)


# --- timeline ------------------------------------------------------------------------------------


def test_dates_resolve_against_the_article_date():
    text = "The meeting on Nov. 28-29 followed his 1st November essay; on Monday he spoke, last month too."
    found = {f.text: (f.iso, f.precision) for f in find_dates(text, date(2023, 12, 3))}
    assert found == {
        "Nov. 28-29": ("2023-11-28", "day"), "1st November": ("2023-11-01", "day"),
        "on Monday": ("2023-11-27", "day"), "last month": ("2023-11", "month"),
    }
    # Without an article date only absolute dates survive; a year-less date in January is last year's.
    assert [f.text for f in find_dates(text)] == []
    assert next(find_dates("on 20 December", date(2024, 1, 5))).iso == "2023-12-20"


def test_since_marks_the_start_of_a_span_and_dates_nothing():
    base = date(2024, 3, 13)
    for text in ("the same story they have told every month since February 2022.", "Shelling since Monday.",
                 "It has held since August.", "Ever since 5 March the road is cut.", "since\nMarch 2024"):
        assert list(find_dates(text, base)) == [], text
    both = "Since January the town was shelled; on 10 March it fell."
    assert [(f.text, f.iso) for f in find_dates(both, base)] == [("10 March", "2024-03-10")]


def test_timeline_orders_statements_and_events(corpus):
    tl = timeline(corpus[:4])
    days = [e.day for e in tl.entries]
    assert days == sorted(days)
    statements = [e for e in tl.entries if e.kind == "statement"]
    # Same day: the article published first comes first.
    assert [(s.date, s.speaker, s.outlet) for s in statements] == [
        ("2023-11-27", "Olena Marchenko", "Kyiv Ledger"),
        ("2023-11-27", "Olena Marchenko", "Frontline Realist"),
        ("2023-12-01", "Viktor Orlov", "Frontline Realist"),
    ]
    texts = {a.article.id: a.article.text for a in corpus}
    for entry in tl.entries:
        assert texts[entry.article_id][entry.start:entry.end] == entry.text
        if entry.date_start is not None:
            assert texts[entry.article_id][entry.date_start:entry.date_end] == entry.date_text
    events = {e.date_text: e for e in tl.entries if e.kind == "event"}
    # "had lost ... since 10 October", "has carried ... since August": when a span began, not when the
    # sentence's event was (corpus.dates).
    assert "10 October" not in events and "August" not in events and "since August" not in events
    assert events["on Wednesday"].date == "2023-11-29"
    # An event takes the sourcing of the claim in its sentence ("until" dates it, unlike "since").
    until = Analysis.model_validate_json(corpus[0].model_dump_json().replace("since 10 October", "until 10 October"))
    dated = {e.date_text: e for e in timeline([until]).entries if e.kind == "event"}
    assert dated["10 October"].date == "2023-10-10" and dated["10 October"].sourcing == "anonymous"
    assert "on 1 December" not in events  # already the date of Orlov's statement


def test_timeline_filters(corpus):
    only = timeline(corpus, actor="viktor-orlov")
    assert only.entries and all("viktor-orlov" in (e.speaker_key, *e.actors) for e in only.entries)
    november = timeline(corpus, since="2023-11-01", until="2023-11")
    assert november.entries and all(e.day.startswith("2023-11") for e in november.entries)
    assert {e.kind for e in timeline(corpus, kinds=["statement"]).entries} == {"statement"}


# --- network -------------------------------------------------------------------------------------


def test_network_edges_and_gexf_round_trip(tmp_path, corpus):
    graph = actor_network(corpus)
    assert graph.edges["taras-bondar", "vladimir-putin", "speaks_about"]["weight"] == 1
    assert graph.edges["outlet:Frontline Realist", "viktor-orlov", "quotes"]["weight"] == 2
    assert graph.edges["outlet:Kyiv Ledger", "olena-marchenko", "quotes"]["weight"] == 2
    assert graph.has_edge("olena-marchenko", "petro-hrytsenko", key="co_occurs")
    assert graph.nodes["outlet:Kyiv Ledger"]["anonymous_quotes"] == 1
    assert graph.nodes["olena-marchenko"]["articles"] == 3
    assert not any("Two Western officials" in str(n) for n in graph.nodes)
    path = write_gexf(graph, tmp_path / "actors.gexf")
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["olena-marchenko"]["label"] == "Olena Marchenko"
    summary = network_summary(graph)
    assert summary["outlets"] == 2 and summary["edges_by_kind"]["quotes"] == 5
    data = to_dict(graph, max_nodes=3)
    assert len(data["nodes"]) == 3 and json.dumps(data)


def test_network_options(corpus):
    bare = actor_network(corpus, include_outlets=False, cooccurrence="none")
    assert all(d["kind"] == "actor" for _, d in bare.nodes(data=True))
    assert {k for _, _, k in bare.edges(keys=True)} == {"speaks_about"}
    article_level = actor_network(corpus, cooccurrence="article", include_mentions=True, min_weight=2)
    assert all(w >= 2 for _, _, w in article_level.edges(data="weight"))
    assert article_level.has_edge("iryna-kovalenko", "odesa", key="co_occurs")


# --- prevalence ----------------------------------------------------------------------------------


def test_prevalence_by_outlet_week_and_top_speakers(corpus):
    p = prevalence(corpus)
    assert p.overall.n_articles == 5
    outlets = {g.key: g for g in p.by_outlet}
    ledger, realist = outlets["Kyiv Ledger"], outlets["Frontline Realist"]
    assert ledger.n_articles == 3 and realist.n_articles == 2
    doubt = realist.techniques["Doubt"]
    assert doubt.articles == 1 and doubt.share == 0.5 and doubt.count == 1
    assert doubt.per_1000_words == pytest.approx(1000 / realist.n_words, abs=1e-3)
    assert "URW: Discrediting Ukraine" in realist.coarse_narratives
    assert realist.sourcing.counts["anonymous"] == 1 and ledger.sourcing.counts["group"] == 1
    assert [g.key for g in p.by_week] == ["2023-W48", "2024-W14"]
    assert p.by_week[0].n_articles == 4
    top = p.top_speakers[0]
    assert top.key == "olena-marchenko" and top.quotes == 3 and top.articles == 2
    assert top.outlets == {"Kyiv Ledger": 2, "Frontline Realist": 1}
    assert all(not t.key.startswith("anon:") for t in p.top_speakers)
    assert prevalence([]).overall.n_articles == 0


def test_prevalence_shares_and_rates_count_only_classified_articles(corpus):
    """An article whose English-only classifiers were skipped (another language) is no denominator."""
    b = corpus[1]
    text = "Ein kurzer Bericht auf Deutsch über die Lage an der Front, ohne jede Einordnung."
    german = Analysis(article=b.article.model_copy(update={"id": "de" * 16, "text": text, "language": "de"}),
                      components=["extract_html", "clean", "language"])
    realist = next(g for g in prevalence([b, german]).by_outlet if g.key == "Frontline Realist")
    assert realist.n_articles == 2 and realist.classified["narratives"].articles == 1
    assert realist.classified["techniques"].words == realist.n_words - len(text.split())
    assert realist.coarse_narratives["URW: Discrediting Ukraine"].share == 1.0
    doubt = realist.techniques["Doubt"]
    assert doubt.share == 1.0 and doubt.per_1000_words == pytest.approx(1000 / realist.classified["techniques"].words,
                                                                        abs=1e-3)


def test_prevalence_coarse_narratives_are_official_labels():
    """The classifier's ``narrative`` is the coarse label itself ('URW: …', or 'Other' with a domain)."""
    from narrascope.model import NarrativeLabel

    other = article_c().model_copy(update={"narratives": [
        NarrativeLabel(label="Other", narrative="Other", domain="URW", confidence=0.6)]})
    coarse = prevalence([article_b(), other]).overall.coarse_narratives
    assert set(coarse) == {"URW: Discrediting Ukraine", "URW: Discrediting the West, Diplomacy", "Other"}
    assert coarse["Other"].articles == 1


def test_an_article_without_outlet_is_null_in_the_data_and_no_outlet(corpus, tmp_path):
    """The "(unknown outlet)" label is for people (render); the data carry None and never count it."""
    from narrascope.corpus.actors import actor_index, actor_profile
    from narrascope.corpus.compare import compare

    a, b = corpus[0], corpus[1]
    bare_a, bare_b = (without_outlet(x, "  ") for x in (a, b))
    p = prevalence([a, bare_b])
    assert [g.key for g in p.by_outlet] == ["Kyiv Ledger", None]
    assert all(set(t.outlets) <= {"Kyiv Ledger"} for t in p.top_speakers)
    index = build_stories([a, bare_b])
    story = index.story(index.story_of(a.article.id))
    assert story.outlets == ["Kyiv Ledger"] and {x.outlet for x in story.articles} == {"Kyiv Ledger", None}
    saved = index.save(tmp_path / "stories.json").read_text()
    assert StoryIndex.load(tmp_path / "stories.json").story(story.id) == story
    # An index saved while the placeholder was stored as an outlet reads as None.
    (tmp_path / "old.json").write_text(saved.replace('"outlet": null', '"outlet": "(unknown outlet)"'))
    assert '"(unknown outlet)"' in (tmp_path / "old.json").read_text()
    assert StoryIndex.load(tmp_path / "old.json").story(story.id) == story
    assert {e.outlet for e in timeline([bare_b]).entries} == {None}
    assert next(s for s in actor_index([a, bare_b]) if s.key == "olena-marchenko").outlets == 1
    assert [f.outlet for f in actor_profile([a, bare_b], "olena-marchenko").by_outlet] == ["Kyiv Ledger", None]
    assert network_summary(actor_network([a, bare_b]))["outlets"] == 1
    both = compare([bare_a, bare_b])  # two articles without an outlet are not known to share one
    assert both.outlets == [] and [s.outlet for s in both.articles] == [None, None]
    assert "unknown outlet" not in json.dumps([p.model_dump(), story.model_dump(), both.model_dump()])


# --- actors --------------------------------------------------------------------------------------


def test_actor_index_and_profile(corpus):
    from narrascope.corpus.actors import actor_index, actor_profile

    index = actor_index(corpus)
    assert index[0].key == "olena-marchenko" and index[0].articles == 3 and index[0].outlets == 2
    assert [s.key for s in actor_index(corpus, query="orlov")] == ["viktor-orlov"]
    assert all(s.articles >= 2 for s in actor_index(corpus, min_articles=2))

    profile = actor_profile(corpus, "olena-marchenko")
    framing = {f.outlet: f for f in profile.by_outlet}
    assert framing["Kyiv Ledger"].roles == {"Protagonist": 1}
    assert framing["Frontline Realist"].fine_roles == {"Incompetent": 1}
    assert profile.n_quotes == 3 and profile.n_articles == 3
    # Each quote carries the date it was said (the Frontline Realist piece of 3 Dec reports words of 27 Nov)
    # and ranks by it, newest first; a quote with no date of its own ranks by its article's.
    assert [(q.date, q.published) for q in profile.quotes] == [
        (None, "2023-11-29"), ("2023-11-27", "2023-12-03"), ("2023-11-27", "2023-11-29")]
    assert (profile.date_from, profile.date_to) == ("2023-11-29", "2024-04-02")
    assert profile.co_occurring[0].key == "petro-hrytsenko"
    assert len(actor_profile(corpus, "olena-marchenko", max_quotes=1, max_articles=1).articles) == 1
    # A plain name works too, and "who speaks about Putin" comes from quote contents.
    putin = actor_profile(corpus, "Vladimir Putin")
    assert [n.key for n in putin.spoken_about_by] == ["taras-bondar"]
    assert [q.speaker_key for q in putin.quotes_about] == ["taras-bondar"]
    # Quotes about Marchenko include the anonymous "sources in Kyiv", without a key.
    about = actor_profile(corpus, "olena-marchenko").quotes_about
    assert [(q.speaker, q.speaker_key) for q in about] == [("sources in Kyiv", None)]
    assert actor_profile(corpus, "nobody at all") is None


def test_shared_words_without_a_shared_actor_do_not_make_one_story(corpus):
    a = corpus[0]
    # Same words, but the actor layer found a different person: another event.
    other = a.model_copy(deep=True)
    other.article.id = "other-event"
    for e in other.entities:
        e.id = "someone-else-" + e.id
    for q in other.quotes:
        q.speaker_entity = None
        q.speaker_name = "Someone Else"
    index = StoryIndex().add_all([a, other])
    assert index.story_of("other-event") != index.story_of(a.article.id)
    # Without an actor layer, words decide.
    bare = a.model_copy(update={"entities": [], "quotes": []}, deep=True)
    bare.article.id = "no-actors"
    assert StoryIndex().add_all([a, bare]).story_of("no-actors") == f"story-{a.article.id[:12]}"


def test_an_actor_in_most_articles_is_not_a_shared_actor():
    from corpus_fixtures import build

    from narrascope.corpus.stories import COMMON_MIN_DOCS

    ukraine = ("Ukraine", "GPE", ["Ukraine"])
    # Background: many articles, months apart, all naming Ukraine: it becomes a common actor.
    background = [
        build(f"Ukraine reported item {i} about {w}.", title=f"Note {i} on {w}", outlet="Wire",
              published=f"2022-{1 + i % 12:02d}-{1 + i % 27:02d}",
              entities={"ukraine": ukraine, f"p{i}": (f"Person {w}", "PERSON", [f"Person {w}"])})
        for i, w in enumerate(f"w{n}x" for n in range(COMMON_MIN_DOCS + 5))
    ]
    text = "Ukraine said the dam on the Dnipro river was hit by shelling overnight near Nova Kakhovka."
    first = build(text + " Andriy Kost spoke.", title="Dam on the Dnipro hit by shelling", outlet="A",
                  published="2023-06-06", entities={"ukraine": ukraine, "andriy-kost": ("Andriy Kost", "PERSON",
                                                                                         ["Andriy Kost"])})
    second = build(text + " Borys Lut spoke.", title="Dam on the Dnipro hit by shelling", outlet="B",
                   published="2023-06-06", entities={"ukraine": ukraine, "borys-lut": ("Borys Lut", "PERSON",
                                                                                       ["Borys Lut"])})
    index = StoryIndex().add_all([*background, first, second])
    # Same words and both name Ukraine, but their specific actors differ: two events.
    assert index.story_of(first.article.id) != index.story_of(second.article.id)


def test_a_date_after_a_hedge_is_no_event():
    from narrascope.model import Analysis, Article, Claim, Sourcing, Span

    text = "Kyiv might have to accept it if talks were forced on it today. The bridge fell on Monday."
    hedge = text.index("might")
    analysis = Analysis(
        article=Article(id=Article.make_id(text), text=text, published="2024-03-14"),
        claims=[Claim(id="c1", span=Span.of(text, 0, text.index(".") + 1), sourcing=Sourcing(kind="unattributed"),
                      hedged=True, hedges=[Span.of(text, hedge, hedge + len("might"))])])
    events = [(e.date_text, e.date) for e in timeline([analysis]).entries]
    assert events == [("on Monday", "2024-03-11")]  # not "today" (2024-03-14)


def test_terminal_actor_index_prints_whole_keys_and_a_name_only_speaker_no_empty_forms(corpus):
    """At 80 columns the keys that ``actors KEY`` asks for were cut to "olena-mar…"; a speaker known only by
    name printed an empty "named as:" line."""
    from rich.console import Console

    from narrascope.corpus.actors import actor_index, actor_profile
    from narrascope.corpus.render import print_actor_index, print_actor_profile
    from narrascope.model import Quote, Sourcing, Span

    index = actor_index(corpus)
    console = Console(record=True, width=80)
    print_actor_index(index, console)
    first_cells = [line.split("│")[1].strip() for line in console.export_text().splitlines() if line.startswith("│")]
    assert "".join(first_cells) == "".join(a.key for a in index)

    a = article_a()
    at = a.article.text.index(a.quotes[0].content.text)
    quote = Quote(id="q99", content=Span.of(a.article.text, at, at + len(a.quotes[0].content.text)), kind="indirect",
                  speaker_name="Anna Lind", sourcing=Sourcing(kind="named"))
    profile = actor_profile([a.model_copy(update={"quotes": [*a.quotes, quote]})], "Anna Lind")
    console = Console(record=True, width=120)
    print_actor_profile(profile, console)
    assert "1 quote" in console.export_text() and "named as" not in console.export_text()


def test_terminal_most_quoted_actors_count_the_quotes_of_articles_without_an_outlet():
    """Their quotes are in ``quotes`` but in no outlet: the outlets cell of such a speaker was empty. The
    label is bare before its count ("(unknown outlet) (1)" read as a typo)."""
    from rich.console import Console

    from narrascope.corpus.render import print_prevalence

    console = Console(record=True, width=160)
    print_prevalence(prevalence([article_a(), without_outlet(article_b())]), console)
    row = next(line for line in console.export_text().splitlines() if "Olena Marchenko" in line)
    assert row.split("│")[-2].strip() == "Kyiv Ledger (2), unknown outlet (1)"


def test_terminal_sourcing_of_an_outlet_without_claims_is_a_dash():
    """An outlet none of whose articles has a claim (not English, or the claims step not run) printed
    "0% / 0% / 0% / 0%", shares that add up to nothing; it has no profile."""
    from rich.console import Console

    from narrascope.corpus.render import print_prevalence

    console = Console(record=True, width=200)
    silent = article_b().model_copy(update={"claims": []})
    print_prevalence(prevalence([article_a(), silent]), console)
    row = next(line for line in console.export_text().splitlines() if line.startswith("│ claims"))
    assert [cell.strip() for cell in row.split("│")[2:-1]] == ["—", "34% / 33% / 33% / 0%"]


def test_terminal_prevalence_has_the_iso_weeks():
    """'prevalence by outlet and ISO week': the terminal printed the outlets only; the weeks were in the JSON."""
    from rich.console import Console

    from narrascope.corpus.render import print_prevalence

    p = prevalence([article_a(), article_b(), article_c()])
    console = Console(record=True, width=200)
    print_prevalence(p, console)
    text = console.export_text()
    assert "Prevalence by ISO week" in text and p.by_week
    for g in p.by_week:
        row = next(line for line in text.splitlines() if line.startswith(f"│ {g.key} "))
        assert row.split("│")[2].strip() == str(g.n_articles)


def test_reported_quotes_away_from_their_text_keep_their_cue():
    """Listed away from the article, an indirect quote's content alone reads as asserted: "Bondar: Vladimir Putin is
    a war criminal" for "Bondar added that …", and a denial read as its opposite."""
    from rich.console import Console

    from narrascope.corpus.actors import actor_profile
    from narrascope.corpus.render import print_actor_profile

    profile = actor_profile([article_a()], "taras-bondar")
    refs = {q.quote.text: q.quote for q in profile.quotes}
    assert refs["Vladimir Putin is a war criminal who bombs civilians"].cue == "added"
    console = Console(record=True, width=200)
    print_actor_profile(profile, console)
    assert "Kyiv Ledger: added Vladimir Putin is a war criminal who bombs civilians" in console.export_text()
