"""The ``coref`` component: rule-based coreference of pronouns and descriptions to the article's actors.

Why rules: no offline coreference model exists for spaCy 3.8, and the downstream question is narrow —
*which actor* is "he" in "he said", or "the General" in "blamed the General". So this links
third-person pronouns (he/she/they...) and definite role descriptions ("the Ukrainian commander",
"the mayor of Kyiv", "the former boxing champion", and for organisations "the ministry", "the
broadcaster") to entities found by ``actors``, in one
left-to-right pass, and leaves a mention out when the text does not decide it. Its precision and
recall are measured by ``narrascope.eval.coref`` (see docs/benchmarks.md, "Coreference").

Rules, in short:

* a description in apposition to a name ("the mayor of Kyiv, ... Vitali Klitchko") is that name, and so is a
  relation there ("Her neighbour, Oksana Tkach,"; ``person_nouns``), though it describes no one elsewhere;
* any other description goes to the most recently mentioned actor it fits — its head and every
  modifier must be among the actor's descriptor words (knowledge-file descriptions, role and titles of
  the offices held at the article's date, titles used in the text, country demonyms, appositions seen
  earlier, but not a possessor's: "the minister's deputy" is no minister), and one office of the actor
  that has the head must have the description's office modifiers, no more, no fewer ("the minister" is
  no Prime Minister, "the NATO secretary general" no "General") — unless two fitting actors were last
  mentioned in the same sentence (ambiguous: left out);
* a pronoun goes to the closest compatible (type, gender, number) actor mention earlier in its own
  sentence (but a possessive on another clause's subject, "…, his office said", to that sentence's subject, and
  one in the clause's setting to the clause's subject: "told Lavrov in his annual address", "hired Brainard as
  his deputy", "called Zelenskyy from his ranch", "Before his death, Ali rebuked Trump");
  failing that, to the subject (or a name in apposition to it) of the nearest earlier sentence
  with a compatible actor, or
  to the only actor of that sentence; otherwise it is left out. It is left out too when a man or woman
  who is no actor stands in between ("Her husband ... She rarely speaks about him"). Pronouns inside
  quotation marks speak from the quoted person's perspective and are skipped, as are mentions inside quotes as antecedents;
* a description of an organisation or outlet ("the ministry", "the defence ministry in Kyiv", "the bloc", "the
  broadcaster"; kinds and their head nouns in ``data/organisation_kinds.yaml``) goes to the one organisation
  mentioned within ``org_window`` sentences that has the head's kind (the head of one of its names or
  knowledge-file descriptions and role, or what the text calls it: "the NATO alliance",
  "Rosatom, the Russian nuclear company"; the country of a place that owns it: "Ukraine's Energy Ministry" is
  "the Ukrainian ministry") and every other word of it but neutral ones ("state", "state-run", "national":
  ``neutral_modifiers`` of the data file); an outlet's description ("the
  newspaper", "the news agency") only to an outlet. It stays unlinked when two fit, when none does, or when a
  noun of that kind that is no mention of the organisation stands in between ("Moldova said its own army …
  The army"), as does an office of another such body ("the Culture Minister" before "the ministry"). Such
  descriptions inside quotations are skipped, like pronouns, and so are those a restrictive clause follows
  ("the company Horbach worked for": the clause picks out a body of its own). Operators, utilities, makers
  and lenders are kinds of company ("the grid operator" after Ukrenergo, "the utility" after DTEK, an energy
  company). An organisation nothing gives a kind is taken for a company if it acts as one (a clause's
  subject): acting after the one known company that fits, it makes the description open; with none known it
  may be "the company" or "the firm" if it acted in that sentence or the one before and no organisation that
  may be a company was named since ("Rheinmetall will build … The firm");
* "it" is linked only as the subject of a verb of saying or believing ("It said ...", "It added ..."),
  and only to an organisation, outlet, government or country that is the nearest main-clause subject before
  it ("The ministry issued a statement. It said ..."); when that subject is anything else ("The
  report was published. It said ...") or lies further back than the window, "it" stays unlinked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import Mention
from ..pipeline import Doc, registry
from .actors import ActorInfo, Lexicon, descriptor_words, fold, hyphen_word, nominal_phrase, read_data_yaml
from .quotes import lexicon as quote_cues

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
IT_TYPES = {"ORG", "GOVERNMENT", "MILITARY", "OUTLET", "GPE"}  # what "it" can be when it speaks
OBJECT_PRONOUNS = {"him", "her", "them"}
# Title words that make another office of the head after them: a Prime Minister is not "the minister", a deputy
# minister not either ("Prime Minister Donald Tusk … the minister's deputy" is the agriculture minister's)
OFFICE_MODIFIERS = {fold(w) for w in ("prime", "vice", "deputy")}  # folded, as descriptor words are ("deputi")
GROUP_TYPES = {"ORG", "GOVERNMENT", "MILITARY"}  # not outlets: a paper or platform is "it", and "their channels on
# Telegram … they" are the channels


# A possessive in a phrase of the verb names whose setting it is, not the object's: "chose Kaine as her running
# mate", "told Lavrov in his annual address", "called Zelenskyy from his ranch" are the subject's; "praised Nayev
# for his work", "criticised Trump over his call", "backed him in his campaign", "killed Jean in his apartment"
# stay with the nearest name, and so does "at his rally" ("introduced Paul at his campaign rally"). Counted on
# reported political news (docs/benchmarks.md, coref 1.8): "as", "in" + a speech and any phrase before the subject
# ("In his speech, Obama …") are the subject's; "for", "over", "on", "during" and "in" + anything else mostly the
# object's.
SUBJECT_ROLE_PREPS = {"as"}  # "hired Brainard as his deputy"
SPEECH_PREPS = {"in", "at"}  # with a speech or statement the subject gives
SPEECH_NOUNS = {"address", "speech", "remarks", "remark", "comment", "comments", "statement", "interview", "letter",
                "post", "message", "tweet", "briefing", "column", "memoir", "book", "article", "essay", "op-ed",
                "broadcast", "testimony", "lecture", "sermon", "oration", "podcast", "conference"}
CALL_VERBS = {"call", "phone", "telephone", "ring", "write", "tweet", "post", "message", "text", "email", "speak",
              "broadcast"}  # "from his ranch": where the one calling or writing is


ORG_TYPES = {"ORG", "GOVERNMENT", "MILITARY", "OUTLET"}  # what "the ministry", "the broadcaster" can stand for
_NAME_WORDS = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")
_POSSESSIVE_S = re.compile(r"['’]s\b")


@dataclass(frozen=True)
class OrgKinds:
    """``data/organisation_kinds.yaml`` compiled: which descriptions name which kinds of organisation and outlet
    (all words folded, except ``heads``, which is what ``nominal_phrase`` looks up by lower-case token)."""

    heads: dict[str, str]  # lower-case description head -> its folded form
    by_head: dict[str, frozenset[str]]  # folded description head -> the kinds it can name ("agency": two)
    by_word: dict[str, frozenset[str]]  # folded head word of a name or description -> the kinds it gives
    words: dict[str, frozenset[str]]  # kind -> its folded heads and words
    by_type: dict[str, frozenset[str]]  # entity type -> the kinds every entity of it has
    officers: dict[str, frozenset[str]]  # folded office noun -> the kinds of body it is an office in
    outlet: frozenset[str]  # kinds only outlets have
    outlet_words: frozenset[str]  # any of them in a description makes it an outlet's ("the news agency")
    neutral: frozenset[str]  # modifiers a description may carry that its organisation's words need not have
    companies_with: dict[str, frozenset[str]]  # folded word -> kinds it gives a company ("energy": utility)
    untyped_may_be: frozenset[str]  # kinds an organisation nothing gives a kind may be linked as ("the firm")
    untyped_competes: frozenset[str]  # kinds for which such an organisation is a rival candidate

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> OrgKinds:
        raw = read_data_yaml(None, "organisation_kinds.yaml")
        data = raw.get("organisation_kinds", {})
        heads: dict[str, str] = {}
        by_head, by_word, by_type, officers, companies_with = {}, {}, {}, {}, {}
        words: dict[str, frozenset[str]] = {}
        for kind, spec in data.items():
            kind_heads = [w.lower() for w in spec.get("heads", ())]
            heads.update({w: fold(w) for w in kind_heads})
            words[kind] = frozenset(fold(w) for w in (*kind_heads, *spec.get("words", ())))
            for key, table in ([(fold(w), by_head) for w in kind_heads] + [(w, by_word) for w in words[kind]]
                               + [(t, by_type) for t in spec.get("types", ())]
                               + [(fold(w), officers) for w in spec.get("officers", ())]
                               + [(fold(w), companies_with) for w in spec.get("companies_with", ())]):
                table[key] = table.get(key, frozenset()) | {kind}
        outlet = frozenset(k for k, spec in data.items() if spec.get("outlet"))
        untyped = raw.get("untyped_organisations", {})
        return cls(heads, by_head, by_word, words, by_type, officers, outlet,
                   frozenset(w for k in outlet for w in words[k]),
                   frozenset(fold(w) for w in raw.get("neutral_modifiers", ())), companies_with,
                   frozenset(untyped.get("may_be", ())), frozenset(untyped.get("competes", ())))


_Described = tuple[str, frozenset[str]]  # the folded head word of a name or description, and all its words


@lru_cache(maxsize=4096)
def _head_and_words(form: str) -> _Described:
    """The folded head word of a name or description and all its folded words: the head is the last word, or
    the last before "of"/"for" ("Armed Forces of Ukraine": forces; "Ukraine's Defence Ministry": ministry)."""
    words = [fold(w) for w in _NAME_WORDS.findall(_POSSESSIVE_S.sub("", form))]
    cut = next((i for i, w in enumerate(words) if w in ("of", "for") and i), len(words))
    return (words[cut - 1] if cut else ""), frozenset(words) - {"of", "for", "the"}


@dataclass
class _OrgProfile:
    """What an organisation actor of one article can be described as: its kinds and descriptor words."""

    kinds: set[str]
    words: set[str]
    outlet: bool
    untyped: bool = False  # an ORG nothing gives a kind: most likely a company (``OrgKinds.untyped_may_be``)


AMBIGUOUS = ("", 0.0)  # a description that fits more than one nearby actor: linked to none, and it blocks
# pronouns after it from skipping back past it ("… the General's own words betray the panic. He admitted …")


def _is_subject(span) -> bool:
    """Whether a mention is its clause's subject, or a name in apposition to it ("His colleague Petro Kovalchuk
    said …": the colleague is the subject, Kovalchuk names him)."""
    root = span.root
    return root.dep_ in SUBJECT_DEPS or root.dep_ == "appos" and root.head.dep_ in SUBJECT_DEPS


def _holds_office(info: ActorInfo, eid: str, head: str, words: set[str]) -> bool:
    """Whether a description names an office the actor holds rather than another office of its head: "the
    minister" is no Prime Minister or deputy minister, "the prime minister" no first deputy prime minister
    (``OFFICE_MODIFIERS``). Each phrase naming an office is read apart, the text's first ("Prime Minister
    Svyrydenko … the minister" is none, "Svyrydenko, the economy minister, … The minister" is her, whatever else
    the knowledge file says), then the knowledge file's offices held at the article's date: one phrase with the
    head and the description's office modifiers, no more and no fewer, is enough. With no such phrase (the head
    is a synonym of one: "the premier"), all the actor's words count together."""
    modifiers = words & OFFICE_MODIFIERS
    for offices in (info.text_offices.get(eid, ()), info.known_offices.get(eid, ())):
        named = [p for p in offices if head in p]
        if named:
            return any(p & OFFICE_MODIFIERS == modifiers for p in named)
    return not (info.words[eid] & OFFICE_MODIFIERS) - words


def _setting_subject(tok):
    """The subject of the clause whose setting a possessive names (see ``SPEECH_NOUNS``), or None: the possessive
    must sit in a phrase of the verb with "as", "in"/"at" + a speech, or "from" after a verb of calling, or in any
    phrase of the verb before its subject ("Before his death, Ali rebuked Trump"). A relative "who" is replaced
    by the noun it stands for."""
    noun = tok.head
    prep = noun.head
    if tok.dep_ != "poss" or noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.head.pos_ not in ("VERB", "AUX"):
        return None
    verb, word = prep.head, prep.lower_
    subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subj is None:
        return None
    if subj.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
        subj = verb.head
    if prep.i < subj.i or word in SUBJECT_ROLE_PREPS or word in SPEECH_PREPS and noun.lemma_.lower() in SPEECH_NOUNS \
            or word == "from" and verb.lemma_.lower() in CALL_VERBS:
        return subj
    return None


def _restricted(head, org_tokens: set[int]) -> bool:
    """Whether a restrictive relative clause follows a description's head ("the company Horbach worked for", "the
    ministry that speaks first"): it introduces the body the clause picks out (not a participle: "the court led
    by Chief Justice Roberts" is mostly the court named before). A clause after a comma ("the firm, which ...")
    only adds to a known one, and one that opens with an organisation's name is the model's misreading of a name
    beside its description ("the state news agency TASS quoted an official")."""
    return any(c.dep_ == "relcl" and c.left_edge.i > head.i and c.left_edge.i not in org_tokens
               and not any(t.is_punct for t in head.doc[head.i + 1 : c.left_edge.i]) for c in head.children)


@dataclass
class _Link:
    """A mention in the running history of the pass: token range, entity, sentence, subject or not."""

    start: int
    end: int
    entity_id: str
    sent: int
    subject: bool


def quoted_tokens(sdoc) -> set[int]:
    """Indices of tokens between quotation marks (curly or straight; reset at paragraph breaks)."""
    inside, quoted = False, set()
    for tok in sdoc:
        if "\n\n" in tok.text:
            inside = False
        elif tok.text in ("“", "«", "„"):
            inside = True
        elif tok.text in ("”", "»"):
            inside = False
        elif tok.text == '"':
            inside = not inside
        elif inside:
            quoted.add(tok.i)
    return quoted


class CorefComponent:
    """Links pronouns and descriptions to entities; see the module docstring."""

    english_only = True
    version = "1.9"

    def __init__(self, window: int = 3, org_window: int = 6):
        self.window = window  # how many sentences back a pronoun may look
        self.org_window = org_window  # how many sentences back an organisation description may look
        self.lexicon = Lexicon.load()
        self.kinds = OrgKinds.load()
        cues = quote_cues()
        self.cue_verbs = cues.speech | cues.belief

    def __call__(self, doc: Doc) -> Doc:
        info: ActorInfo | None = doc.user_data.get("actors")
        if info is None or doc.nlp is None:
            raise ValueError("the 'coref' component needs the 'spacy' and 'actors' components before it")
        sdoc, analysis = doc.nlp, doc.analysis
        entities = {e.id: e for e in analysis.entities}
        sent_of = [0] * len(sdoc)
        for k, sent in enumerate(sdoc.sents):
            for i in range(sent.start, sent.end):
                sent_of[i] = k
        quoted = quoted_tokens(sdoc)
        in_name = {i for s, e, _ in info.names for i in range(s, e)}
        org_tokens = {i for s, e, eid in info.names if entities[eid].type in ORG_TYPES for i in range(s, e)}
        appositions = {(s, e): eid for s, e, eid in info.appositions}
        organisations = any(e.type in ORG_TYPES for e in entities.values())
        evidence, describing = self._org_evidence(sdoc, info, entities) if organisations else ({}, set())

        anaphors: list[tuple[int, int, str]] = []
        for tok in sdoc:
            if tok.pos_ == "PRON" and tok.lower_ in self.lexicon.pronouns and tok.i not in quoted:
                anaphors.append((tok.i, tok.i + 1, "pronoun"))
            elif tok.lower_ == "it" and tok.dep_ == "nsubj" and tok.head.lemma_.lower() in self.cue_verbs and (
                tok.i not in quoted
            ):
                anaphors.append((tok.i, tok.i + 1, "it"))
            elif (span := nominal_phrase(tok, self.lexicon)) and tok.i not in in_name:
                anaphors.append((*span, "nominal"))
            elif (span := nominal_phrase(tok, self.lexicon.relations)) and span in appositions:
                anaphors.append((*span, "nominal"))  # "Her husband, Ivan,": only where it names someone
            elif (organisations and tok.lower_ in self.kinds.heads and (span := nominal_phrase(tok, self.kinds))
                  and sdoc[span[0]].dep_ == "det" and tok.i not in quoted and tok.i not in describing
                  and not any(i in in_name for i in range(*span))
                  and not any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in tok.children)
                  and not _restricted(tok, org_tokens)):
                # (the last two: "sponsored by the company Baillie Gifford" describes the name beside it, found or
                # not, and "the company Horbach worked for" is a company the clause picks out, not the one before)
                anaphors.append((*span, "organisation"))
        anaphors.sort()
        profiles = self._org_profiles(entities, info, evidence) if any(
            kind == "organisation" for *_, kind in anaphors) else {}

        names = sorted(info.names)
        history: list[_Link] = []
        blockers: list[tuple[int, int]] = []  # (token, sentence) of the ambiguous person descriptions
        k = 0
        for start, end, kind in anaphors:
            while k < len(names) and names[k][1] <= start:
                s, e, eid = names[k]
                if s not in quoted:
                    history.append(_Link(s, e, eid, sent_of[s], _is_subject(sdoc[s:e])))
                k += 1
            if kind == "pronoun":
                found = self._pronoun(sdoc[start], history, entities, info, sent_of, blockers, quoted)
            elif kind == "it":
                found = self._it(sdoc[start], history, entities, sent_of, quoted)
            elif (start, end) in appositions:
                found = appositions[(start, end)], 0.95
            elif kind == "organisation":
                found = self._organisation(sdoc, start, end, history, sent_of, profiles, describing)
            else:
                found = self._nominal(sdoc, start, end, history, entities, info, sent_of)
            if found is AMBIGUOUS:
                blockers.append((start, sent_of[start]))
            if found is None or found is AMBIGUOUS:
                continue
            eid, confidence = found
            if kind == "pronoun" and info.gender.get(eid) is None and entities[eid].type == "PERSON":
                info.gender[eid] = self.lexicon.pronouns[sdoc[start].lower_]  # "She" tells us Hrytsenko's
            history.append(_Link(start, end, eid, sent_of[start], _is_subject(sdoc[start:end])))
            char_start, last = sdoc[start].idx, sdoc[end - 1]
            mention = Mention.of(doc.text, char_start, last.idx + len(last.text)).model_copy(
                update={"kind": {"it": "pronoun", "organisation": "nominal"}.get(kind, kind), "entity_id": eid,
                        "confidence": confidence})
            entities[eid].mentions.append(mention)
        for ent in entities.values():
            ent.mentions.sort(key=lambda m: m.start)
        return doc

    def _compatible(self, entity, gender: str, info: ActorInfo) -> bool:
        if gender == "pl":
            return entity.type in GROUP_TYPES
        return entity.type == "PERSON" and info.gender.get(entity.id) in (None, gender)

    def _pronoun(self, tok, history, entities, info, sent_of, blockers, quoted) -> tuple[str, float] | None:
        gender, sent = self.lexicon.pronouns[tok.lower_], sent_of[tok.i]
        cands = [h for h in reversed(history)
                 if sent - h.sent <= self.window and self._compatible(entities[h.entity_id], gender, info)]
        if gender != "pl" and blockers and sent - blockers[-1][1] <= self.window and (
            not cands or cands[0].start < blockers[-1][0] and cands[0].sent < sent
        ):
            return None  # the nearest person before it is one the text leaves open
        if gender == "pl":  # a plural noun in between is a likelier antecedent for "they" than any name
            cands = [h for h in cands
                     if not any(t.tag_ in ("NNS", "NNPS") for t in tok.doc[h.end : tok.i])]
        elif cands and any(  # "Her husband, a reservist, was mobilised. She rarely speaks about him": the husband
            self.lexicon.person_nouns.get(hyphen_word(t)) == gender and t.tag_ == "NN" and t.i not in quoted
            for t in tok.doc[cands[0].end : tok.i]
        ):
            return None
        if tok.lower_ in OBJECT_PRONOUNS:  # "he told him": an object pronoun is not its verb's subject
            verb = tok.head.head if tok.dep_ == "pobj" else tok.head  # "X agreed with him"
            subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
            if subj is not None and subj.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                subj = verb.head  # "Gerasimov, who briefed him": the subject is Gerasimov
            # and a name in apposition to the subject is the subject: "Her neighbour, Oksana Tkach, cooks with her"
            named = set() if subj is None else {subj.i} | {c.i for c in subj.children if c.dep_ == "appos"}
            barred = {h.entity_id for h in history if any(h.start <= i < h.end for i in named)}
            cands = [h for h in cands if h.entity_id not in barred]
        if (subj := _setting_subject(tok)) is not None and (
                owner := self._subject_entity(subj, tok, [h for h in cands if h.sent == sent], info)) is not None \
                and self._compatible(entities[owner], gender, info):
            return owner, 0.7  # "told Lavrov in his annual address": the subject's, not the nearest name's
        if not cands:
            return None
        same = [h for h in cands if h.sent == sent]
        if tok.dep_ in SUBJECT_DEPS and tok.head.dep_ == "ccomp":  # "X, who met Y, said he ...": X
            main = tok.head.head
            subj = next((c.i for c in main.children if c.dep_ in SUBJECT_DEPS), None)
            speaker = next((h for h in same if subj is not None and h.start <= subj < h.end), None)
            if speaker is not None:
                return speaker.entity_id, 0.85
        if tok.dep_ == "poss" and tok.head.dep_ in SUBJECT_DEPS and len({h.entity_id for h in same}) > 1 and (
                subjects := [h for h in same if h.subject]):
            # "Zelenskyy dismissed General Nayev on Friday, his office said": the possessor of another clause's
            # subject is the sentence's subject, not the nearest name ("praised Nayev for his work" stays Nayev)
            return subjects[0].entity_id, 0.7
        if same:
            return same[0].entity_id, 0.9 if len({h.entity_id for h in same}) == 1 else 0.7
        nearest = [h for h in cands if h.sent == cands[0].sent]
        distinct = {h.entity_id for h in nearest}
        subjects = [h for h in nearest if h.subject]
        if subjects:
            return subjects[0].entity_id, 0.85 if len(distinct) == 1 else 0.75
        if len(distinct) == 1:
            return nearest[0].entity_id, 0.7
        return None

    @staticmethod
    def _subject_entity(subj, tok, same, info: ActorInfo) -> str | None:
        """The actor a subject token names: a mention earlier in the sentence, or the name there when the subject
        follows the pronoun ("Before his death, Ali rebuked Trump")."""
        if subj.i > tok.i:
            return next((eid for s, e, eid in info.names if s <= subj.i < e), None)
        return next((h.entity_id for h in same if h.start <= subj.i < h.end), None)

    def _it(self, tok, history, entities, sent_of, quoted) -> tuple[str, float] | None:
        """A speaking "it": the organisation, outlet, government or country that is the nearest subject before
        it (outside quotations, within the window), else nothing."""
        sent = sent_of[tok.i]
        # subjects of main clauses only: "It said *the brigade* had held ... It added ..." is still the ministry
        subject = next((t for t in reversed(tok.doc[: tok.i]) if t.dep_ in SUBJECT_DEPS and t.i not in quoted
                        and t.head.dep_ in ("ROOT", "conj") and sent - sent_of[t.i] <= self.window), None)
        if subject is None:
            return None
        link = next((h for h in reversed(history) if h.start <= subject.i < h.end), None)
        if link is None or entities[link.entity_id].type not in IT_TYPES:
            return None  # "The report was published. It said ...": not an actor
        return link.entity_id, 0.8 if link.sent == sent or sent - link.sent == 1 else 0.7

    def _nominal(self, sdoc, start, end, history, entities, info, sent_of) -> tuple[str, float] | None:
        """The actor a description fits, None when it fits none, ``AMBIGUOUS`` when two fitting actors were
        mentioned close by ("General Kovalenko told Reuters … Major General Lomov said … the General's own words"):
        recency would pick one, but only world knowledge could."""
        head = sdoc[start:end].root
        words = descriptor_words(sdoc[start:end])
        gender = self.lexicon.heads.get(head.lower_)
        last_seen: dict[str, int] = {}
        for h in history:
            last_seen[h.entity_id] = h.start
        fitting = sorted(
            (pos, eid) for eid, pos in last_seen.items()
            if entities[eid].type == "PERSON" and info.gender.get(eid) in (None, gender or info.gender.get(eid))
            and hyphen_word(head) in info.words.get(eid, ()) and words <= info.words[eid]
            and _holds_office(info, eid, hyphen_word(head), words)
        )
        if not fitting:
            return None
        # a bare title ("the General") fits anyone who holds it: with two holders close by it is left open; a
        # fuller description ("the Kremlin leader") goes to the latest actor it fits unless both share a sentence
        bare = len(words - {hyphen_word(head)}) == 0
        if len(fitting) > 1 and (sent_of[fitting[-1][0]] == sent_of[fitting[-2][0]]
                                 or bare and sent_of[start] - sent_of[fitting[-2][0]] <= 2 * self.window):
            return AMBIGUOUS
        return fitting[-1][1], 0.85 if len(fitting) == 1 else 0.65

    def _org_evidence(self, sdoc, info: ActorInfo, entities) -> tuple[dict[str, list[_Described]], set[int]]:
        """Kinds the text itself gives organisation names: a kind noun the name modifies ("the NATO alliance", "the
        Wagner mercenary group") or stands in apposition with ("Rosatom, the Russian nuclear company", "the public
        broadcaster Suspilne"), and the country of a known place that owns it ("Ukraine's Energy Ministry" is
        Ukrainian: its demonyms, with no head). Returns entity id -> (head, words) of such descriptions, and their
        head tokens: they describe the name beside them, so they are no anaphors of an earlier actor."""
        evidence: dict[str, list[_Described]] = {}
        describing: set[int] = set()
        place_at = {i: entities[p].country for s, e, p in info.names
                    if entities[p].type == "GPE" and entities[p].country for i in range(s, e)}
        for s, e, eid in info.names:
            if entities[eid].type not in ORG_TYPES:
                continue
            root = sdoc[s:e].root
            owner = next((c.i for c in root.children if c.dep_ == "poss" and c.i < s), None)
            if owner in place_at:
                evidence.setdefault(eid, []).append(("", frozenset(self.lexicon.demonyms.get(place_at[owner], ()))))
            nouns = [c for c in root.children if c.dep_ == "appos" and c.i >= e]
            if root.dep_ == "appos" and root.head.i < s:
                nouns.append(root.head)
            top = root
            while top.dep_ in ("compound", "amod", "nmod") and top.head.i > top.i:
                top = top.head
            # only adjectives in between: "the UN refugee agency" is an agency of the UN, not the UN
            if top.i >= e and all(t.pos_ == "ADJ" for t in sdoc[e : top.i]):
                nouns.append(top)
            for noun in nouns:
                head = hyphen_word(noun)
                # a compound says what the name is only for bodies: "the Fed paper" is a paper by the Fed
                if noun.tag_ in ("NN", "NNP") and head in self.kinds.by_word and not (
                        noun is top and self.kinds.by_word[head] <= self.kinds.outlet):
                    words = frozenset(descriptor_words(sdoc[noun.left_edge.i : noun.i + 1]))
                    evidence.setdefault(eid, []).append((head, words))
                    describing.add(noun.i)
        return evidence, describing

    def _org_profiles(self, entities, info: ActorInfo, evidence) -> dict[str, _OrgProfile]:
        """Kinds and descriptor words of the article's organisations and outlets: from the heads of their names
        and aliases in the text, of what the knowledge file says they are (aliases, descriptions, role:
        ``ActorInfo.known``, so an ``extra_knowledge`` file of ``actors`` gives kinds too), their type, and what
        the text says they are (``_org_evidence``)."""
        profiles: dict[str, _OrgProfile] = {}
        for eid, ent in entities.items():
            if ent.type not in ORG_TYPES:
                continue
            phrases = [ent.name, *ent.aliases, *info.known.get(eid, ())]
            kinds = set(self.kinds.by_type.get(ent.type, frozenset()))
            words = set(info.words.get(eid, ()))
            for head, phrase_words in [_head_and_words(p) for p in phrases] + evidence.get(eid, []):
                head_kinds = self.kinds.by_word.get(head, frozenset())
                kinds |= head_kinds
                words |= phrase_words
                if "company" in head_kinds:  # "energy company", "grid operator": a utility too
                    kinds |= {k for w in phrase_words for k in self.kinds.companies_with.get(w, ())}
            if ent.type == "OUTLET":  # the British Broadcasting Corporation is a broadcaster, not "the company"
                kinds &= self.kinds.outlet
            for kind in kinds:
                words |= self.kinds.words[kind]
            for group in self.lexicon.synonyms:
                if words & group:
                    words |= group
            profiles[eid] = _OrgProfile(kinds, words, ent.type == "OUTLET" or bool(kinds & self.kinds.outlet),
                                        untyped=ent.type == "ORG" and not kinds)
        return profiles

    def _organisation(self, sdoc, start, end, history, sent_of, profiles, describing) -> tuple[str, float] | None:
        """The organisation a description stands for ("the ministry", "the defence ministry", "the broadcaster"):
        the one organisation last mentioned within the window that has a kind the head names and every other word
        of the description but the neutral ones (``OrgKinds.neutral``: "the state energy company" is Naftogaz though
        nothing calls it "state"); an outlet's description ("the newspaper", "the news agency") only an outlet. None
        when none or several fit (two ministries nearby), or when a noun of that kind that is no mention of it
        stands in between: that is another body ("Russia's own ministry", "their army"; not a noun that describes a
        name beside it, ``describing``)."""
        root = sdoc[start:end].root
        head = hyphen_word(root)
        # a place after it names the body's country like a modifier: "the ministry in Moscow" is no ministry in Kyiv
        places = [c for c in root.rights if c.dep_ == "prep" and c.lower_ in ("in", "at") and c.i >= end]
        words = descriptor_words([*sdoc[start:end], *(t for c in places for t in c.subtree)]) - {head}
        specific = words - self.kinds.neutral
        kinds = self.kinds.by_head.get(head, frozenset())
        outlet = kinds <= self.kinds.outlet or bool(words & self.kinds.outlet_words)
        if outlet:
            kinds &= self.kinds.outlet
        sent = sent_of[start]
        last = {h.entity_id: h for h in history}
        acting = {h.entity_id: h for h in history if h.subject}  # last mention as a clause's subject
        fitting, untyped = [], []
        for eid, h in last.items():
            if (p := profiles.get(eid)) is None or sent - h.sent > self.org_window or not specific <= p.words:
                continue
            if p.kinds & kinds and (p.outlet or not outlet):
                fitting.append(h)
            elif (p.untyped and kinds & self.kinds.untyped_competes and eid in acting
                  and sent - acting[eid].sent <= self.org_window):
                untyped.append(acting[eid])
        latest_org = max((h.start for h in history if (p := profiles.get(h.entity_id)) is not None
                          and (p.untyped or p.kinds & self.kinds.untyped_competes)), default=-1)
        # an organisation nothing gives a kind may be a company if it acts as one (a clause's subject: the model's
        # ORGs include much that is none, "LCA", "Public Works"): acting after the one known to fit, it is as
        # likely ("Ukrenergo … Rheinmetall opened … the firm" stays open; "Rheinmetall said … Naftogaz said … the
        # firm" is Naftogaz); with none known it is "the company", "the firm" only when it acted in this sentence or
        # the one before and no organisation that may be a company was named since ("The university rebutted
        # Exxon's accusation that articles about the company …" is not the university; "the operator" needs a
        # known one)
        if len(fitting) == 1 and not any(h.start > fitting[0].start for h in untyped):
            link = fitting[0]
        elif (not fitting and len(untyped) == 1 and kinds & self.kinds.untyped_may_be
              and sent - untyped[0].sent <= 1 and last[untyped[0].entity_id].start == latest_org):
            link = untyped[0]
        else:
            return None
        profile = profiles[link.entity_id]
        covered = {i for h in history if h.end > link.start for i in range(h.start, h.end)} | describing
        for t in sdoc[link.end : start]:
            if t.pos_ not in ("NOUN", "PROPN"):
                continue
            lemma = fold(t.lemma_)
            if t.i not in covered and t.dep_ != "compound" and self.kinds.by_head.get(lemma, frozenset()) & kinds:
                return None  # another body of the kind, or one the text left open ("a ministry spokesman" is none)
            if self.kinds.officers.get(lemma, frozenset()) & kinds and descriptor_words(
                    [c for c in t.lefts if c.dep_ in ("compound", "amod")]) - profile.words:
                return None  # an officer of another such body: "the Culture Minister" after the defence ministry
        return link.entity_id, 0.6 if profile.untyped else 0.8


@registry.components.register("coref")
def make_coref(window: int = 3, org_window: int = 6) -> CorefComponent:
    return CorefComponent(window=window, org_window=org_window)
