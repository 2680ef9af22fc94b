"""RGB format: loading both answer shapes, clear errors, corpora and the right/wrong rule."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from evals import rgb
from evals.rgb_report import rgb_summary
from evals.rgb_run import annotate, is_rgb, settings_of
from rag import InputError

TINY_RGB = Path(__file__).parent / "data" / "rgb_tiny.jsonl"


def write(tmp_path: Path, *records: Any, name: str = "rgb.jsonl") -> Path:
    path = tmp_path / name
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def record(**fields: Any) -> dict[str, Any]:
    base = {"query": "Who won?", "answer": "Ann Lee", "positive": ["Ann Lee won."], "negative": []}
    return base | fields


def test_loads_both_answer_shapes_and_default_ids(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        record(id=7),
        record(answer=[["April 20 2018", "Apr 20, 2018"], ["PS4"]]),
        record(answer=["Tampere", "Bergen"]),  # RGB's checker: each string is required
    )
    items = rgb.load_rgb(path)
    assert [i.id for i in items] == ["7", "rgb-2", "rgb-3"]
    assert items[0].answers == (("Ann Lee",),)
    assert items[1].answers == (("April 20 2018", "Apr 20, 2018"), ("PS4",))
    assert items[2].answers == (("Tampere",), ("Bergen",))
    assert items[0].positive == ("Ann Lee won.",) and items[0].negative == ()


def test_the_fixture_loads_and_is_detected_as_rgb(tmp_path: Path) -> None:
    items = rgb.load_rgb(TINY_RGB)
    assert [i.id for i in items] == ["m1", "b2", "g3"]
    assert rgb.detect_format(TINY_RGB) == "rgb" and is_rgb(TINY_RGB, "auto")
    suite = write(tmp_path, {"id": "q", "user_input": "Who?", "reference": "x"})
    assert rgb.detect_format(suite) == "suite" and not is_rgb(suite, "auto")
    assert is_rgb(suite, "rgb") and not is_rgb(TINY_RGB, "suite")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "rgb.jsonl:2: not valid JSON"),
        (json.dumps(["a list"]), "rgb.jsonl:2: each item must be a JSON object"),
        (json.dumps({"query": "q", "answer": "a"}), "rgb.jsonl:2: not an RGB item, missing"),
        (json.dumps(record(query=" ")), "rgb.jsonl:2: 'query' must be a non-empty string"),
        (json.dumps(record(answer=[])), "rgb.jsonl:2: 'answer' must be a string or a list"),
        (json.dumps(record(answer=[["a", 3]])), "rgb.jsonl:2: 'answer' must be a string"),
        (json.dumps(record(answer={"a": 1})), "rgb.jsonl:2: 'answer' must be a string"),
        (json.dumps(record(negative="text")), "rgb.jsonl:2: 'negative' must be a list"),
        (json.dumps(record(id="rgb-1")), "the id 'rgb-1' is used twice"),
    ],
)
def test_bad_input_is_an_input_error_naming_the_line(
    tmp_path: Path, line: str, message: str
) -> None:
    path = write(tmp_path, record(), line)
    with pytest.raises(InputError, match=message.replace("(", r"\(")) as caught:
        rgb.load_rgb(path)
    assert str(path) in str(caught.value)


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="No dataset file"):
        rgb.load_rgb(tmp_path / "absent.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(InputError, match="holds no questions"):
        rgb.load_rgb(tmp_path / "empty.jsonl")


def test_corpora_are_deduplicated_with_stable_names() -> None:
    items = rgb.load_rgb(TINY_RGB)
    noise = rgb.corpus_passages(items, "noise")
    rejection = rgb.corpus_passages(items, "rejection")
    assert len(noise) == 8  # 9 passages, one negative shared by m1 and b2
    assert len(rejection) == 4 and set(rejection) < set(noise)
    assert all(name.startswith("p") and name.endswith(".txt") for name in noise)
    assert rgb.passage_id("A  b\n") == rgb.passage_id("A b") != rgb.passage_id("a b")
    positives = {rgb.passage_id(p) for i in items for p in i.positive}
    assert not positives & set(rejection)


def test_corpus_files_hold_the_passages(tmp_path: Path) -> None:
    items = rgb.load_rgb(TINY_RGB)
    root = rgb.write_corpus(rgb.corpus_passages(items, "rejection"), tmp_path / "corpus")
    files = sorted(root.iterdir())
    assert len(files) == 4
    texts = {f.read_text(encoding="utf-8").strip() for f in files}
    assert "The 2028 Northern Games were held in Uppsala and drew 4,000 athletes." in texts


def test_eval_items_per_setting() -> None:
    items = rgb.load_rgb(TINY_RGB)
    noise = rgb.eval_items(items, "noise")
    assert noise[2].reference == "Tampere; Bergen" and noise[2].answerable
    assert noise[0].reference_sources == tuple(sorted(rgb.passage_id(p) for p in items[0].positive))
    assert {i.question_type for i in noise} == {"noise"}
    rejection = rgb.eval_items(items, "rejection")
    assert all(not i.answerable and i.reference is None for i in rejection)
    assert all(i.reference_sources == () for i in rejection)


def test_answers_match_any_spelling_of_every_required_answer() -> None:
    spellings = [["March 3, 2031", "3 March 2031"]]
    assert rgb.contains_answers("It reopened on 3 March 2031. [1]", spellings)
    assert rgb.contains_answers("It reopened on march 3 2031 [1]", spellings)
    assert not rgb.contains_answers("It reopened on March 30, 2031. [1]", spellings)
    assert rgb.contains_answers("Tampere and Bergen will host. [1]", [["Tampere"], ["Bergen"]])
    assert not rgb.contains_answers("Tampere will host. [1]", [["Tampere"], ["Bergen"]])
    assert rgb.contains_answers("JOSÉ Núñez won.", [["Jose Nunez"]])


def test_judgement_in_each_setting() -> None:
    item = rgb.load_rgb(TINY_RGB)[0]  # Mara Okafor
    positive = rgb.passage_id(item.positive[0])
    negative = rgb.passage_id(item.negative[0])
    text = "Mara Okafor won the 2031 Lakeside Marathon. [1]"

    def verdict(
        setting: rgb.Setting, text: str = text, refused: bool = False, cited: Sequence[str] = ()
    ) -> dict[str, Any]:
        return rgb.judge(item, setting, text=text, refused=refused, cited=cited)

    assert verdict("noise", cited=[positive])["right"] is True
    wrong_source = verdict("noise", cited=[negative])
    assert wrong_source["right"] is False and wrong_source["contains_answer"] is True
    wrong_answer = verdict("noise", text="Jonas Berg won. [1]", cited=[positive])
    assert wrong_answer["right"] is False and wrong_answer["cites_positive"] is True
    refusal = "The articles do not say."
    assert verdict("noise", refusal, refused=True)["right"] is False
    assert verdict("rejection", refusal, refused=True)["right"] is True
    assert verdict("rejection", refusal, refused=True, cited=[negative])["right"] is False
    assert verdict("rejection", cited=[negative])["right"] is False


def test_annotated_rows_and_per_setting_figures() -> None:
    items = rgb.load_rgb(TINY_RGB)
    positive = rgb.passage_id(items[0].positive[0])

    def row(item_id: str, text: str, refused: bool, cited: list[str]) -> dict[str, Any]:
        citations = [{"doc_id": d, "number": n} for n, d in enumerate(cited, start=1)]
        return {"id": item_id, "response": text, "refused": refused, "citations": citations,
                "error": None, "user_input": "q"}  # fmt: skip

    noise = annotate(
        [
            row("m1", "Mara Okafor won. [1] [2]", False, [positive, positive]),
            row("b2", "The articles do not say.", True, []),
            {**row("g3", "", False, []), "error": "boom"},
        ],
        items,
        "noise",
    )
    rejection = annotate([row("m1", "The articles do not say.", True, [])], items, "rejection")
    assert noise[0]["cited_ids"] == [positive] and noise[0]["right"] is True
    assert noise[2]["right"] is None and noise[2]["rgb"] is None
    figures = rgb_summary(noise + rejection)
    assert figures["noise"] == {
        "n": 3,
        "errors": 1,
        "accuracy": 0.5,
        "positive_citation_rate": 0.5,
        "rejection_rate": 0.5,
        "answer_contains_rate": 0.5,
    }
    assert figures["rejection"]["accuracy"] == 1.0
    assert figures["rejection"]["positive_citation_rate"] is None
    assert figures["rejection"]["rejection_rate"] == 1.0


def test_setting_choices() -> None:
    assert settings_of("both") == ("noise", "rejection")
    assert settings_of("noise") == ("noise",)
    with pytest.raises(Exception, match="noise, rejection"):
        settings_of("all")
