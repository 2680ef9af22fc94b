"""The chat's pure parts: HTML builders, the streaming generator, exports. No browser."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index.models import DocumentFailure, DocumentInfo, IngestReport
from rag.errors import InputError, NotFoundError
from rag.models import Answer, Citation, Filters
from ui.conversation import (
    ChatSettings,
    Turn,
    build_filters,
    chat_messages,
    history_of,
    parse_selection,
    respond,
)
from ui.exports import conversation_json, conversation_markdown, write_exports
from ui.formatting import (
    Mark,
    answer_html,
    context_window,
    esc,
    highlight,
    reader_html,
    sources_html,
)
from ui.library import document_rows, report_lines

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ARTICLE = (
    "CARACAS - Officials met on Monday. Acting President Delcy Rodríguez spoke on state "
    "television. She said the steps would strengthen relations. " + "Filler text. " * 40
)


def cite(
    number: int,
    start: int,
    end: int,
    *,
    doc_id: str = "a.txt",
    title: str = "Title",
    supported: bool = True,
    text: str = ARTICLE,
) -> Citation:
    """A citation whose quote is exactly text[start:end]."""
    return Citation(
        number=number,
        doc_id=doc_id,
        title=title,
        date="2026-03-05",
        quote=text[start:end],
        start=start,
        end=end,
        score=0.9 if supported else 0.2,
        supported=supported,
        sentence=text[start:end],
    )


def span_of(needle: str, text: str = ARTICLE) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def marked_texts(html_text: str) -> list[str]:
    """Plain text inside each <mark> (labels dropped, entities decoded)."""
    import html

    inner = re.findall(r"<mark[^>]*>(.*?)</mark>", html_text, flags=re.S)
    return [html.unescape(re.sub(r"<sup.*?</sup>", "", m)) for m in inner]


# --- escaping ---------------------------------------------------------------------------
def test_esc_neutralises_html_markdown_and_templates() -> None:
    out = esc(EVIL + " *bold* ${1+1} {{x}} [1]")
    for raw in ("<", ">", '"', "*", "$", "{", "}", "["):
        assert raw not in out
    assert "&#60;script&#62;" in out


def test_sources_escape_titles_and_article_text() -> None:
    text = "Intro. " + EVIL + " Claim sentence here. Tail."
    c = cite(1, *span_of("Claim sentence here.", text), title=EVIL, text=text)
    html_text = sources_html(Answer("Claim. [1]", [c], question=EVIL), lambda _: text, 1)
    assert "<script" not in html_text and "<img" not in html_text
    assert "&#60;script&#62;" in html_text
    reader = reader_html(Answer("Claim. [1]", [c]), lambda _: text, 1)
    assert "<script" not in reader and "<img" not in reader


def test_answer_html_escapes_answer_text() -> None:
    html_text = answer_html(Answer(EVIL + " [1]", [cite(1, 0, 10)]), turn=0)
    assert "<script" not in html_text and "<img" not in html_text


# --- highlighting -----------------------------------------------------------------------
def test_highlight_offsets_are_exact() -> None:
    text = "ab<c>d & e — ünïcode tail"
    start, end = span_of("<c>d & e", text)
    out = highlight(text, [(start, end)])
    assert marked_texts(out) == ["<c>d & e"]
    assert out.startswith("ab<mark")


def test_highlight_several_spans_clips_overlaps_and_bounds() -> None:
    text = "0123456789"
    out = highlight(text, [(6, 8), (1, 3), (2, 5), (-4, 0), (9, 99)])
    assert marked_texts(out) == ["12", "34", "67", "9"]
    assert re.sub(r"<[^>]+>", "", out) == text


def test_highlight_labels_and_selected() -> None:
    out = highlight("hello world", [Mark(6, 11, 2, True)])
    assert 'data-cite="2"' in out and "rag-mark-selected" in out and ">2</sup>" in out


def test_context_window_keeps_whole_words() -> None:
    start, end = span_of("Delcy Rodríguez")
    lo, hi = context_window(ARTICLE, start, end, radius=20)
    assert lo <= start and hi >= end
    assert ARTICLE[lo - 1] == " " and ARTICLE[hi] == " "


# --- answers ----------------------------------------------------------------------------
def test_answer_html_turns_markers_into_chips() -> None:
    c1, c2 = cite(1, 0, 10), cite(2, 10, 20, supported=False)
    html_text = answer_html(Answer("First. [1] Second [2]. In [2019] too.", [c1, c2]), turn=3)
    assert html_text.count('class="rag-chip') == 2
    assert "rag-cite-1 rag-turn-3" in html_text and 'data-cite="2"' in html_text
    assert "rag-chip-unsupported" in html_text  # unsupported marker is flagged
    assert "&#91;2019&#93;" in html_text  # a bracketed year that is no marker stays text


def test_refusal_is_styled_differently() -> None:
    html_text = answer_html(Answer("The articles do not say.", refused=True))
    assert 'class="rag-refusal"' in html_text and "rag-chip" not in html_text


def test_notice_is_shown() -> None:
    html_text = answer_html(Answer("Hi. [1]", [cite(1, 0, 5)], notice="The model failed."))
    assert 'class="rag-notice"' in html_text and "The model failed." in html_text


# --- sources panel and reader -----------------------------------------------------------
def test_sources_panel_highlights_cited_span_in_context() -> None:
    c = cite(1, *span_of("Acting President Delcy Rodríguez spoke on state television."))
    html_text = sources_html(Answer("X [1]", [c], question="Who?"), lambda _: ARTICLE, 1, turn=0)
    assert marked_texts(html_text) == [c.quote]
    assert "rag-source-selected" in html_text
    assert "a.txt" in html_text and "2026-03-05" in html_text and "Title" in html_text
    assert "Officials met" in html_text  # the context before the span


def test_unsupported_citation_gets_badge() -> None:
    c = cite(1, 0, 20, supported=False)
    html_text = sources_html(Answer("X [1]", [c]), lambda _: ARTICLE, None)
    assert "rag-badge-unsupported" in html_text and ">unsupported<" in html_text


def test_sources_survive_a_deleted_or_changed_article() -> None:
    c = cite(1, 0, 20)

    def gone(doc_id: str) -> str:
        raise NotFoundError(f"No document with id {doc_id!r} is indexed.")

    assert "no longer indexed" in sources_html(Answer("X [1]", [c]), gone, None)
    moved = "New lead paragraph. " + ARTICLE
    assert marked_texts(sources_html(Answer("X [1]", [c]), lambda _: moved, None)) == [c.quote]
    assert "changed since" in sources_html(Answer("X [1]", [c]), lambda _: "other", None)


def test_sources_placeholders() -> None:
    assert "Ask a question" in sources_html(None, lambda _: "", None)
    refused = sources_html(Answer("The articles do not say.", refused=True), lambda _: "", None)
    assert "do not say" in refused


def test_reader_marks_every_cited_span_of_the_article() -> None:
    c1 = cite(1, *span_of("Officials met on Monday."))
    c2 = cite(2, *span_of("She said the steps would strengthen relations."))
    other = cite(3, 0, 5, doc_id="b.txt")
    html_text = reader_html(Answer("X [1] Y [2] Z [3]", [c1, c2, other]), lambda _: ARTICLE, 2)
    assert marked_texts(html_text) == [c1.quote, c2.quote]
    assert html_text.count("rag-mark-selected") == 1 and "b.txt" in html_text


# --- the streaming generator ------------------------------------------------------------
class FakeAssistant:
    """Yields scripted deltas then an Answer; records what it was asked."""

    def __init__(self, answer: Answer, deltas: list[str]) -> None:
        self.answer, self.deltas = answer, deltas
        self.calls: list[dict[str, Any]] = []

    def stream(
        self,
        question: str,
        history: Any = None,
        filters: Any = None,
        *,
        k: int | None = None,
        answerer: str | None = None,
    ) -> Iterator[str | Answer]:
        self.calls.append(
            {
                "question": question,
                "history": history,
                "filters": filters,
                "k": k,
                "answerer": answerer,
            }
        )
        yield from self.deltas
        yield self.answer


def test_respond_streams_deltas_then_replaces_with_verified_answer() -> None:
    final = Answer("Delcy Rodríguez is acting president. [1]", [cite(1, 0, 10)], question="Who?")
    fake = FakeAssistant(final, ["Delcy ", "Rodríguez [3]"])
    updates = list(respond(fake, "Who?", [], ChatSettings(k=4, answerer="openai")))
    assert [u.done for u in updates] == [False, False, False, True]
    assert "rag-cursor" in updates[0].messages[1]["content"]
    assert "Delcy Rodríguez &#91;3&#93;" in updates[2].messages[1]["content"]  # raw stream
    last = updates[-1]
    assert last.turns[-1].answer is final
    assert (
        "rag-chip" in last.messages[1]["content"]
        and "&#91;3&#93;" not in last.messages[1]["content"]
    )
    assert fake.calls[0]["k"] == 4 and fake.calls[0]["answerer"] == "openai"


def test_respond_passes_history_and_date_filters() -> None:
    earlier = Turn("Who is the acting president?", Answer("Delcy Rodríguez. [1]", [cite(1, 0, 5)]))
    fake = FakeAssistant(Answer("The articles do not say.", refused=True), [])
    settings = ChatSettings(date_from="2026-01-01", date_to="2026-12-31")
    updates = list(respond(fake, "What did she say?", [earlier], settings))
    assert fake.calls[0]["history"] == [
        {"role": "user", "content": "Who is the acting president?"},
        {"role": "assistant", "content": "Delcy Rodríguez. [1]"},
    ]
    assert fake.calls[0]["filters"] == Filters(date_from="2026-01-01", date_to="2026-12-31")
    assert len(updates[-1].turns) == 2 and "rag-refusal" in updates[-1].messages[3]["content"]


@pytest.mark.parametrize(
    ("date_from", "date_to", "needle"),
    [
        ("2026-3-5", "", "must look like"),
        ("2026-02-30", "", "not a real"),
        ("2026-05-01", "2026-01-01", "after"),
    ],
)
def test_bad_dates_are_readable_errors(date_from: str, date_to: str, needle: str) -> None:
    with pytest.raises(InputError, match=needle):
        build_filters(ChatSettings(date_from=date_from, date_to=date_to))


def test_empty_question_is_refused_before_streaming() -> None:
    fake = FakeAssistant(Answer("x"), [])
    with pytest.raises(InputError):
        next(respond(fake, "   ", [], ChatSettings()))
    assert fake.calls == []


def test_history_skips_unanswered_turns_and_messages_escape_questions() -> None:
    turns = [Turn("Q1", Answer("A1")), Turn(EVIL)]
    assert history_of(turns) == [
        {"role": "user", "content": "Q1"},
        {"role": "assistant", "content": "A1"},
    ]
    assert "<script" not in chat_messages(turns)[2]["content"]


def test_parse_selection() -> None:
    assert parse_selection("2:3:1712345") == (2, 3)
    assert parse_selection("0:1") == (0, 1)
    assert parse_selection("undefined:1:5") is None and parse_selection(None) is None


# --- exports and documents tab ----------------------------------------------------------
def test_exports_carry_citations() -> None:
    c = cite(1, *span_of("Officials met on Monday."), supported=False)
    turns = [Turn("Who met?", Answer("Officials met. [1]", [c])), Turn("Unanswered?")]
    md = conversation_markdown(turns)
    assert "## Q1. Who met?" in md and "Officials met. [1]" in md
    assert "1. *Title* (2026-03-05), `a.txt`, characters" in md and "(unsupported)" in md
    assert "> Officials met on Monday." in md
    data = json.loads(conversation_json(turns))
    first = data["turns"][0]
    assert first["citations"][0]["quote"] == "Officials met on Monday."
    assert first["citations"][0]["start"] == c.start and data["turns"][1]["answer"] is None


def test_write_exports(tmp_path: Any) -> None:
    md, js = write_exports([Turn("Q", Answer("A"))], tmp_path)
    assert md.endswith(".md") and js.endswith(".json")
    assert json.loads(open(js, encoding="utf-8").read())["turns"][0]["answer"] == "A"


def test_the_export_folder_goes_when_the_process_ends() -> None:
    code = "from ui.exports import export_folder; f = export_folder(); print(f, f.is_dir())"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    folder, existed = run.stdout.split()
    assert existed == "True" and not Path(folder).exists()


def test_report_lines_and_document_rows() -> None:
    report = IngestReport(added=["new.txt"], chunks_written=3)
    assert report_lines("new.txt", report) == ["added      new.txt  (3 chunks)"]
    failed = IngestReport(failed=[DocumentFailure("bad.pdf", "The PDF has no text.")])
    assert report_lines("bad.pdf", failed) == ["failed     bad.pdf: The PDF has no text."]
    assert report_lines("same.txt", IngestReport(skipped=["same.txt"]))[0].startswith("unchanged")
    docs = [
        DocumentInfo("a.txt", "A", None, None, "h", 2),
        DocumentInfo("b.txt", "B", "2026-01-02", None, "h", 3),
    ]
    assert document_rows(docs) == [["B", "2026-01-02", 3, "b.txt"], ["A", "", 2, "a.txt"]]


# --- handlers: errors become gr.Error at the edge ------------------------------------------
class FakeHandlerAssistant(FakeAssistant):
    """Adds what ChatHandlers reads: answerers, settings, document text."""

    def __init__(self, answer: Answer, deltas: list[str], fail: Exception | None = None) -> None:
        super().__init__(answer, deltas)
        self.fail = fail
        self.settings = type("S", (), {"top_k": 5})()

    def answerers(self) -> list[str]:
        return ["extractive"]

    def document_text(self, doc_id: str) -> str:
        return ARTICLE

    def stream(self, *args: Any, **kwargs: Any) -> Iterator[str | Answer]:
        if self.fail is not None:
            raise self.fail
        yield from super().stream(*args, **kwargs)


def test_handler_turns_rag_errors_into_readable_gr_errors() -> None:
    import gradio as gr

    from ui.chat_handlers import ChatHandlers

    earlier = [Turn("Q1", Answer("A1"))]
    fake = FakeHandlerAssistant(Answer("x"), [], fail=InputError("The question is too long."))
    steps = ChatHandlers(fake).ask("Q2", earlier, 5, "extractive", "", "")  # type: ignore[arg-type]
    assert len(next(steps)[1]) == 2  # the pending turn is shown first
    restored = next(steps)
    assert restored[1] == earlier and restored[4] == "Q2"  # chat restored, question kept
    with pytest.raises(gr.Error, match="too long"):
        next(steps)


def test_handler_hides_unexpected_errors(caplog: pytest.LogCaptureFixture) -> None:
    import gradio as gr

    from ui.chat_handlers import GENERIC_ERROR, ChatHandlers

    fake = FakeHandlerAssistant(Answer("x"), [], fail=KeyError("secret internals"))
    steps = ChatHandlers(fake).ask("Q", [], 5, "extractive", "", "")  # type: ignore[arg-type]
    next(steps), next(steps)
    with pytest.raises(gr.Error) as info:
        next(steps)
    assert GENERIC_ERROR in str(info.value) and "secret" not in str(info.value)
    assert "secret internals" in caplog.text  # logged with its traceback


def test_handler_restores_only_sane_settings() -> None:
    from ui.chat_handlers import ChatHandlers

    handlers = ChatHandlers(FakeHandlerAssistant(Answer("x"), []))  # type: ignore[arg-type]
    assert handlers.restore({"k": 999, "answerer": "gone", "date_from": "2026-01-01"}) == (
        5,
        "extractive",
        "2026-01-01",
        "",
    )
    assert handlers.restore(None) == (5, "extractive", "", "")


def test_answer_span_is_emphasised_inside_the_quote() -> None:
    start, end = span_of("Acting President Delcy Rodríguez spoke on state television.")
    name = ARTICLE.index("Delcy Rodríguez")
    c = cite(1, start, end).model_copy(
        update={"answer_start": name, "answer_end": name + len("Delcy Rodríguez")}
    )
    html_text = sources_html(Answer("Delcy Rodríguez [1].", [c]), lambda _: ARTICLE, 1)
    assert '<strong class="rag-answer-span">Delcy Rodríguez</strong>' in html_text
    outside = c.model_copy(update={"answer_start": 0, "answer_end": 3})  # not inside the quote
    assert "rag-answer-span" not in sources_html(Answer("X [1]", [outside]), lambda _: ARTICLE, 1)
