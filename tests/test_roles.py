"""Role taxonomy, official ST1 metrics, and the entity-framing model trained on an invented mini corpus;
slow: 5-fold CV on ../shared EN train; seeds: each main actor of the seed articles gets a role."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from narrascope.classify import semeval
from narrascope.classify.base import MODEL_FILE, shipped_model_dir
from narrascope.classify.roles import Lexicon, RoleModel, _Context, default_lexicon, parse, train_roles
from narrascope.classify.taxonomy import RoleTaxonomy, default_roles
from narrascope.eval import roles as eval_roles
from narrascope.eval.roles import evaluate, score
from narrascope.pipeline import Doc, Pipeline

MINI = Path(__file__).parent / "fixtures" / "semeval_mini"
EN_TRAIN = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2025-t10" / "EN" / "train"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("roles_model")
    summary = train_roles([MINI], out)
    assert summary["n_mentions"] == 14
    return out


def test_role_taxonomy_official_strings():
    tax = default_roles()
    assert tax.main_roles == ["Protagonist", "Antagonist", "Innocent"]
    assert len(tax.fine_roles) == 22
    assert tax.main_of["Foreign Adversary"] == "Antagonist" and tax.main_of["Scapegoat"] == "Innocent"


def test_role_taxonomy_rejects_a_fine_role_under_two_mains(tmp_path):
    f = tmp_path / "roles.yaml"
    f.write_text(
        "main_roles:\n  - label: A\n    fine_roles: [{label: x}]\n  - label: B\n    fine_roles: [{label: x}]\n"
    )
    with pytest.raises(ValueError, match="two main roles"):
        RoleTaxonomy.load(f)


def test_st1_metrics_match_hand_computation():
    gold = [("Antagonist", ["Deceiver", "Corrupt"]), ("Innocent", ["Victim"]), ("Protagonist", ["Guardian"])]
    pred = [("Antagonist", ["Corrupt", "Deceiver"]), ("Antagonist", ["Deceiver"]), ("Protagonist", ["Virtuous"])]
    # EMR: only mention 1 (fine-role sets equal, order ignored). Micro: tp=2, fp=2, fn=2 -> 0.5.
    expected = {"emr": pytest.approx(1 / 3), "micro_f1": 0.5, "main_role_accuracy": pytest.approx(2 / 3), "n": 3}
    assert score(gold, pred) == expected


def test_given_mentions_are_echoed_and_roles_are_consistent(model_dir):
    model = RoleModel.load(model_dir)
    text = "The activist flies a private jet. Households in Germany pay for the sanctions."
    given = [(4, 12), (34, 54)]
    out = model.predict_roles(text, given)
    assert [(p.start, p.end) for p in out] == given
    for p in out:
        assert p.fine_roles and all(model.taxonomy.main_of[f] == p.main_role for f in p.fine_roles)
        assert 0 <= p.confidence <= 1
    with pytest.raises(ValueError, match="outside the text"):
        model.predict_roles(text, [(10, 500)])


def test_evaluate_on_mini(model_dir):
    result = evaluate(MINI, model=model_dir)
    assert set(result) == {"emr", "micro_f1", "main_role_accuracy", "n"} and result["n"] == 14
    assert result["main_role_accuracy"] > 0.5


def test_component_falls_back_to_spacy_entities_and_skips_mere_places(model_dir):
    # A stand-in for the spaCy entities (the roles model parses the text itself when no parse is given).
    text = "Angela Merkel met farmers in Berlin. Angela Merkel said the sanctions hurt Germany."
    found = (("PERSON", 0, 13), ("GPE", 29, 35), ("PERSON", 37, 50), ("GPE", 75, 82), ("DATE", 0, 6))
    ents = [SimpleNamespace(label_=label, text=text[a:b], start_char=a, end_char=b) for label, a, b in found]
    doc = Doc.from_text(text)
    doc.nlp = SimpleNamespace(ents=ents)
    pipe = Pipeline.from_config([{"name": "roles", "config": {"model": str(model_dir), "embed_actors": 0}}])
    analysis = pipe(doc).analysis
    assert doc.error is None and analysis.check_spans() == []
    # "in Berlin" is where something happens; Germany is hurt: an actor the text casts.
    assert sorted(r.entity_name for r in analysis.roles) == ["Angela Merkel", "Germany"]
    merkel = next(r for r in analysis.roles if r.entity_name == "Angela Merkel")
    assert merkel.evidence and merkel.mention.text == "Angela Merkel"


def test_sides_match_word_beginnings_whole_words_and_countries():
    lex = default_lexicon()
    assert lex.sides_of("Vladimir Putin") == ["russia"]
    assert lex.sides_of("Kyiv regime") == ["ukraine"]
    assert lex.sides_of("US") == ["west"] and lex.sides_of("users") == ["other"]
    assert lex.sides_of("Dmitry Someone", country="RU") == ["russia"]
    assert lex.sides_of("Nobody in particular") == ["other"]


def test_syntax_features_tell_doer_from_sufferer():
    text = "Russia shelled the city. The city was shelled by Russia."
    ctx = _Context(text, parse([text])[0], default_lexicon())
    doer = ctx.features([(0, 6)], ["russia"]).split()
    by = ctx.features([(49, 55)], ["russia"]).split()
    assert "y:vd:nsubj|shell" in doer and "y:passive" not in doer
    assert "y:passive" in by and "y:vd:pobj_by|shell" in by
    # Cue words of the fine roles near the mention, crossed with the actor's side.
    assert "cs:Terrorist" in doer and "russia|cs:Terrorist" in doer


def test_tone_features_read_evaluative_words_around_the_actor():
    # Invented sentences: praise, blame (with a negated praise word), and a flat statement.
    text = ("The brave mayor saved the grateful town. The mayor was not honest and caused a terrible disaster. "
            "The mayor met the council on Tuesday.")
    ctx = _Context(text, parse([text])[0], default_lexicon())
    praise, blame, flat = (ctx.features([(m.start(), m.end())], ["other"]).split()
                           for m in re.finditer("mayor", text))
    assert "vw:pos" in praise and "vw:neg" not in praise and "vs:pos" in praise
    assert "vw:neg" in blame and "vw:pos" not in blame and "vs:neg" in blame  # "not honest" is negative
    assert not any(t.startswith("vw:") for t in flat) and "vs:flat" in flat


def test_main_role_model_leaves_out_sentence_words(model_dir):
    model = RoleModel.load(model_dir)
    names = model.vectorizer.get_feature_names_out()
    kept = {str(names[i]).split(":")[0] for i in model.main_columns}
    assert "s" not in kept and {"m", "y"} <= kept
    assert model.fine_clf.n_features_in_ == len(names)  # the fine roles still see every slot


def test_evidence_prefers_sentences_with_the_fine_roles_cues(model_dir):
    model = RoleModel.load(model_dir)
    text = "Farmers met in the morning. Later the farmers were the victims of the new sanctions."
    ctx = _Context(text, parse([text])[0], model.lexicon)
    assert model._evidence(ctx, [(0, 7), (38, 45)], "Victim") == [(28, len(text))]
    assert model._evidence(ctx, [(0, 7), (38, 45)], "Guardian") == [(0, 27)]


def test_model_carries_its_lexicon(model_dir, tmp_path):
    cues = tmp_path / "cues.yaml"
    cues.write_text("cues:\n  Victim: [zzword]\nsides:\n  north: [nordland]\n")
    lex = Lexicon.load(cues)
    assert lex.sides_of("Nordlanders") == ["north"] and lex.cues["Victim"].search("ZZwords")
    model = RoleModel(default_roles(), lexicon=lex).fit(list(semeval.read_dir(MINI).values()), tune_folds=0)
    model.save(tmp_path / "m")
    assert RoleModel.load(tmp_path / "m").lexicon.sides_of("Nordland") == ["north"]


def test_embeddings_variant_labels_the_main_actors(model_dir, tmp_path):
    summary = train_roles([MINI], tmp_path, embeddings=True)
    model = RoleModel.load(tmp_path)
    assert summary["embeddings"] and model.embeddings
    text = "The activist flies a private jet."
    (p,) = model.predict_roles(text, [(4, 12)])
    assert (p.start, p.end) == (4, 12) and model.taxonomy.main_of[p.fine_roles[0]] == p.main_role
    # In the pipeline the most mentioned actor goes to the MiniLM model, the others to the default one;
    # the labels keep the actors' order.
    text = "Germany pays. Farmers protest. Germany said farmers lose. Germany will pay more."
    found = (("GPE", 0, 7), ("NORP", 14, 21), ("GPE", 31, 38), ("GPE", 58, 65))
    doc = Doc.from_text(text)
    doc.nlp = SimpleNamespace(ents=[SimpleNamespace(label_=lab, text=text[a:b], start_char=a, end_char=b)
                                    for lab, a, b in found])
    config = {"model": str(model_dir), "embed_model": str(tmp_path), "embed_actors": 1}
    roles = Pipeline.from_config([{"name": "roles", "config": config}])(doc).analysis.roles
    assert doc.error is None and [r.entity_name for r in roles] == ["Germany", "Farmers"]


def test_a_stale_model_version_is_a_clear_error(model_dir, tmp_path):
    import joblib

    obj = joblib.load(model_dir / MODEL_FILE)
    joblib.dump({**obj, "version": "1"}, tmp_path / MODEL_FILE)
    with pytest.raises(ValueError, match="retrain"):
        RoleModel.load(tmp_path)


@pytest.mark.slow
def test_roles_cv_on_en_train_stays_near_documented_figures():
    if not EN_TRAIN.is_dir():
        pytest.skip("../shared/data/semeval2025-t10 is not present")
    result = eval_roles.cross_validate([EN_TRAIN], folds=5)
    # MODEL_CARD.md: v4 EMR 0.266 ± 0.044, main-role accuracy 0.751 ± 0.038 (v3: 0.255 / 0.738)
    assert result["emr_mean"] > 0.245 and result["main_role_accuracy_mean"] > 0.735


@pytest.mark.seeds
def test_main_actors_of_the_seeds_get_sensible_roles(seed_texts):
    if not (shipped_model_dir("roles") / MODEL_FILE).exists():
        pytest.skip("shipped roles model not trained yet")
    pipe = Pipeline.from_config(only=["spacy", "actors", "roles"])
    roles = {k: {r.entity_name: r for r in pipe(Doc.from_text(t)).analysis.roles} for k, t in seed_texts.items()}
    for key, who in (("000", ("Valerii Zaluzhnyi", "Volodymyr Zelenskyy", "Vitali Klitschko")),
                     ("004", ("Ukraine", "Valerii Zaluzhnyi"))):
        for name in who:
            assert name in roles[key], f"{name} has no role in seed {key}: {sorted(roles[key])}"
    # Places the text only locates things in, and outlets only cited once, are not cast.
    for place in ("Avdiivka", "Robotyne", "Kherson", "Crimea", "Gaza", "Substack", "20 Minuten"):
        assert all(place not in name for seed in roles.values() for name in seed), place


def test_towns_and_platforms_named_once_are_not_cast(model_dir):
    """A village the fighting is about, or a region, is a setting; a platform is a medium unless the article names it twice
    (a pronoun resolved to it does not count)."""
    from narrascope.model import Entity, Mention

    text = ("Russian troops stormed Bohdanivka. Telegram channels said Ukraine was finished, and they said it again. "
            "Drones struck the Belgorod Region.")

    def entity(eid, name, type_, role=None, pronoun=None):
        mentions = [Mention.of(text, text.index(name), text.index(name) + len(name)).model_copy(
            update={"kind": "name", "entity_id": eid})]
        if pronoun:
            at = text.index(pronoun)
            mentions.append(Mention.of(text, at, at + len(pronoun)).model_copy(
                update={"kind": "pronoun", "entity_id": eid}))
        return Entity(id=eid, name=name, type=type_, role=role, mentions=mentions)

    doc = Doc.from_text(text)
    doc.analysis.entities = [entity("bohdanivka", "Bohdanivka", "GPE", role="village in Donetsk Oblast"),
                             entity("telegram", "Telegram", "OUTLET", pronoun="they"),
                             entity("ukraine", "Ukraine", "GPE"),
                             entity("belgorod-region", "Belgorod Region", "LOC")]  # a region by its name
    pipe = Pipeline.from_config([{"name": "roles", "config": {"model": str(model_dir), "embed_actors": 0}}])
    analysis = pipe(doc).analysis
    assert doc.error is None
    assert [r.entity_name for r in analysis.roles] == ["Ukraine"]


def test_a_reporter_named_once_as_a_relay_is_not_cast(model_dir):
    """"Reporter Daniel Brooks was told by two officials that …": Brooks passes the officials' words on; the
    article frames them and what they say, not him. Named again, he would be cast."""
    once = ("Investigative reporter Daniel Brooks was told by two officials that European governments consider "
            "the war unwinnable. Ukraine keeps fighting.")
    twice = once + " Daniel Brooks has long attacked Ukraine and its reckless leaders."
    pipe = Pipeline.from_config(only=["spacy", "actors", "coref", "quotes", "roles"])
    pipe.steps[-1] = ("roles", Pipeline.from_config(
        [{"name": "roles", "config": {"model": str(model_dir), "embed_actors": 0}}]).steps[0][1])
    cast = {t: [r.entity_name for r in pipe(Doc.from_text(t)).analysis.roles] for t in (once, twice)}
    assert "Daniel Brooks" not in cast[once] and "Ukraine" in cast[once]
    assert "Daniel Brooks" in cast[twice]


def test_article_stance_is_read_from_its_words_for_the_war():
    lex = default_lexicon()
    assert lex.stance_of("Since the full-scale invasion the occupiers have shelled Kharkiv.") == "ukraine"
    assert lex.stance_of("The special military operation goes on; the Kiev regime is losing.") == "russia"
    assert lex.stance_of("The ministers met in Vienna to talk about grain.") == "none"
    assert lex.stance_of("Occupiers, says one side; the Kiev regime, says the other.") == "mixed"
    # A cue file without a stance section reads every article as "none" (and models keep their own file).
    assert Lexicon({"cues": {"Victim": ["victim"]}, "sides": {}}).stance_of("the occupiers") == "none"
    text = "Since the invasion began the occupiers have held the port. Moscow sent more troops."
    ctx = _Context(text, parse([text])[0], lex)
    toks = ctx.features([(59, 65)], ["russia"]).split()
    assert toks.count("st:ukraine") == 2 and toks.count("st:ukraine|russia") == 2


def _stance_article(i: int, pro: str) -> tuple[str, list[tuple[str, str, str]]]:
    """An invented article whose only difference between the two camps is the words for the war."""
    words = {"ukraine": ["The occupiers keep coming.", "Russian aggression did not stop."],
             "russia": ["The Kiev regime keeps lying.", "Kiev sends more militants."]}[pro]
    text = (f"Report {i}. {words[i % 2]} Day {i} of the fighting near the river.\n\n"
            f"Moscow moved troops to the front on day {i}. The Ukrainian army held the line at the bridge. "
            f"Officials counted the trucks on the road.")
    moscow, army = ("Antagonist", "Protagonist") if pro == "ukraine" else ("Protagonist", "Antagonist")
    return text, [("Moscow", moscow, "Instigator" if pro == "ukraine" else "Guardian"),
                  ("The Ukrainian army", army, "Guardian" if pro == "ukraine" else "Instigator")]


def test_roles_follow_the_side_the_article_takes_even_with_unseen_war_words():
    docs = []
    for i in range(12):
        text, mentions = _stance_article(i, "ukraine" if i % 4 < 2 else "russia")
        found = []
        for name, main, fine in mentions:
            start = text.index(name)
            found.append(semeval.Mention(name, start, start + len(name), main, [fine], (start, start + len(name))))
        docs.append(semeval.Document(f"EN_UA_st{i}.txt", text, mentions=found))
    model = RoleModel(default_roles()).fit(docs, tune_folds=0)
    # Words for the war that no training article used: only the stance families carry them over.
    for war_words, army_role in (("Since the full-scale invasion the invaders bomb towns.", "Protagonist"),
                                 ("The special military operation fights neo-Nazi units.", "Antagonist")):
        text = (f"Report 99. {war_words} Day 99 of the fighting near the river.\n\n"
                "Moscow moved troops to the front on day 99. The Ukrainian army held the line at the bridge. "
                "Officials counted the trucks on the road.")
        army = text.index("The Ukrainian army")
        (pred,) = model.predict_roles(text, [(army, army + len("The Ukrainian army"))])
        assert pred.main_role == army_role, war_words
