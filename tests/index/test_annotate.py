"""The spaCy annotator and the compact annotation format stored with each chunk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.annotate import ChunkAnnotation, SpacyAnnotator

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TEXT = (
    "Acting President Delcy Rodríguez, formerly Maduro’s vice president, spoke on Thursday.\n\n"
    "The US Embassy in Caracas was closed in 2019."
)


@pytest.fixture(scope="module")
def annotator() -> SpacyAnnotator:
    return SpacyAnnotator()


def test_model_loads_lazily_and_is_named() -> None:
    fresh = SpacyAnnotator()
    assert fresh._nlp is None  # nothing loaded until first use
    assert fresh.name == "spacy-en_core_web_sm-3.8.0"
    assert fresh._nlp is not None


def test_annotation_has_offsets_lemmas_parse_and_entities(annotator: SpacyAnnotator) -> None:
    (ann,) = annotator.annotate([TEXT])
    assert all(TEXT[t.start : t.end] for t in ann.tokens)
    closed = next(t for t in ann.tokens if TEXT[t.start : t.end] == "closed")
    assert closed.lemma == "close" and closed.pos == "VERB"
    assert all(0 <= t.head < len(ann.tokens) for t in ann.tokens)
    labels = {TEXT[e.start : e.end]: e.label for e in ann.entities}
    assert labels["Delcy Rodríguez"] == "PERSON"
    assert labels["2019"] == "DATE"
    first = ann.tokens[[TEXT[t.start : t.end] for t in ann.tokens].index("Delcy")]
    assert first.ent_iob == "B"
    assert len(ann.sentences) == 2


def test_json_round_trip_is_exact_and_compact(annotator: SpacyAnnotator) -> None:
    (ann,) = annotator.annotate([TEXT])
    payload = ann.to_json()
    assert ChunkAnnotation.from_json(payload, TEXT) == ann
    data = json.loads(payload)
    assert set(data) == {"v", "s", "o", "n", "m", "p", "d", "h", "e"}  # no per-token keys
    assert len(payload) < 6 * len(TEXT)


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError):
        ChunkAnnotation.from_json('{"v": 99}', "x")


def test_batches_keep_order(annotator: SpacyAnnotator) -> None:
    texts = ["Tim Cook leads Apple.", "", "Paris hosted the 2024 Olympics."]
    anns = annotator.annotate(texts)
    assert [a.text for a in anns] == texts
    assert anns[1].tokens == ()


def test_fast_gemm_and_rule_lookup_keep_spacy_annotation(annotator: SpacyAnnotator) -> None:
    # For speed the pipeline multiplies with numpy instead of thinc's default
    # BLIS, and its attribute ruler looks most rules up in a dictionary
    # (index/attribute_lookup.py); the parse, tags and entities must not change.
    import importlib

    from index.annotate import MODEL_PACKAGE, annotation_from_doc
    from index.datelines import add_dateline_split
    from index.lemma_fixes import add_lemma_fix

    default = importlib.import_module(MODEL_PACKAGE).load()
    add_lemma_fix(default)  # deliberate changes of lemmas and parses, tested on their own below
    add_dateline_split(default)
    tok2vec = annotator.nlp.get_pipe("tok2vec").model
    assert getattr(tok2vec.ops, "use_blis", True) is False
    assert "_LookupMatch" in type(annotator.nlp.get_pipe("attribute_ruler").match).__name__
    # Words the attribute ruler's non-dictionary rules handle (sets, regexes,
    # dependency labels, two-token patterns, whitespace tokens) beside plain news.
    tricky = (
        "I ain't gonna lie, y'all:  let's go.\n\nIt's there and you've got nothin' to fear, "
        "but we're not sure whether it is.  C'mon, I'd say there are  two of them.\n"
    )
    texts = [TEXT, tricky, "Oil prices rose 3.2% on Monday after OPEC met in Vienna.", "Nobody."]
    texts += [p.read_text(encoding="utf-8")[:3000] for p in sorted(SEEDS.iterdir())]
    assert annotator.annotate(texts) == [annotation_from_doc(d) for d in default.pipe(texts)]


def test_undoubled_verb_forms_take_the_verb_with_an_e(annotator: SpacyAnnotator) -> None:
    # spaCy's rule lemmatizer reads 'fined' as 'fin' and 'hoped' as 'hop'; the doubled
    # forms ('hopped', 'scrapped') are the short verb's and stay so.
    text = "The club was fined. She hoped it staged well, rated it, scrapped it and hopped on."
    [ann] = annotator.annotate([text])
    lemmas = {text[t.start : t.end]: t.lemma for t in ann.tokens}
    assert lemmas["fined"] == "fine" and lemmas["hoped"] == "hope"
    assert lemmas["staged"] == "stage" and lemmas["rated"] == "rate"
    assert lemmas["scrapped"] == "scrap" and lemmas["hopped"] == "hop"
    assert annotator.annotate_one("Who fined the club?").tokens[1].lemma == "fine"
    assert annotator.signature.endswith("-l1-d1")  # stores annotated before are re-read


def test_a_wire_dateline_is_parsed_apart_from_its_lede(annotator: SpacyAnnotator) -> None:
    # Read into the lede, 'CALDEN' became the subject of 'won'.
    text = (
        "Osei wins in Calden\n\nCALDEN, June 7 (EBC News) - Amara Osei of Ghana won the "
        "Calden Open women's title on Saturday."
    )
    [ann] = annotator.annotate([text])
    words = [text[t.start : t.end] for t in ann.tokens]
    osei, won = words.index("Osei", 5), words.index("won")
    assert ann.tokens[osei].head == won and ann.tokens[osei].dep == "nsubj"
    assert ann.tokens[words.index("CALDEN")].head != won
