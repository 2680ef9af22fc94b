"""The conversation list's handlers without a browser: restore, stale citations, a broken file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rag import Answer, Citation

ARTICLE = (
    "Harbour opens library\n\nOSLO, 2026-02-11 - Nordvik opened a floating library on Tuesday.\n"
)


def citation(number: int, doc_id: str, quote: str, start: int = 0) -> Citation:
    return Citation(
        number=number, doc_id=doc_id, title=f"Title of {doc_id}", date="2026-02-11",
        quote=quote, start=start, end=start + len(quote), score=0.9, supported=True,
    )  # fmt: skip


@pytest.fixture
def handlers(tmp_path: Path) -> Any:
    from rag import Assistant, Settings
    from ui.chat_handlers import ChatHandlers
    from ui.conversation_list import ConversationHandlers

    def build(**settings: Any) -> Any:
        assistant = Assistant(
            Settings(data_dir=tmp_path / "data", embed_mode="hashing", **settings)
        )
        return ConversationHandlers(assistant, ChatHandlers(assistant))

    return build


def test_restore_shows_stale_citations_as_such_with_their_quotes(
    handlers: Any, tmp_path: Path
) -> None:
    conv = handlers()
    article = tmp_path / "harbour.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert conv.assistant.ingest([article]).ok
    text = conv.assistant.document_text("harbour.txt")
    start = text.index("Nordvik opened")
    answer = Answer(
        "Nordvik opened a library. [1] It floats. [2] Old news. [3]",
        [
            citation(1, "harbour.txt", "Nordvik opened a floating library", start),
            citation(2, "gone.txt", "The ferry visits twelve islands."),
            citation(3, "harbour.txt", "Nordvik closed its old library", start),
        ],
        question="What opened in Nordvik?",
    )
    store = conv.store
    cid = store.create("local").id
    store.add_turn("local", cid, "What opened in Nordvik?", answer)

    chat, turns, sources, reader, current, _listing, title, status = conv.restore(cid, "", None)
    assert current == cid and title == "What opened in Nordvik?" and status == ""
    assert len(chat) == 2 and "rag-cite-1" in chat[1]["content"]  # chips, for turn 0
    assert "rag-turn-0" in chat[1]["content"]
    assert sources.count("rag-source") >= 3
    assert "no longer indexed" in sources and "The ferry visits twelve islands." in sources
    assert "changed since this answer" in sources and "Nordvik closed its old library" in sources
    assert "Nordvik opened a floating library</mark>" in sources.replace("<sup", "</mark><sup")
    # Choosing citation 2 from a chip keeps working on the restored turns.
    picked_sources, _ = conv.chat.select_source("0:2:abc", turns)
    assert "rag-source-selected" in picked_sources and "no longer indexed" in picked_sources


def test_an_unknown_or_foreign_id_opens_an_empty_chat(handlers: Any) -> None:
    conv = handlers()
    theirs = conv.store.create("user:bob").id
    chat, turns, *_rest = conv.restore(theirs, "", None)
    assert chat == [] and turns == [] and _rest[2] is None  # current id dropped


def test_a_corrupt_database_still_answers_and_says_so(handlers: Any, tmp_path: Path) -> None:
    from ui.conversation import Turn

    db = tmp_path / "broken.db"
    db.write_bytes(b"definitely not sqlite " * 100)
    conv = handlers(conversation_db=db)
    *_, status = conv.restore(None, "", None)
    assert "not being saved" in status and str(db) in status
    turns = [Turn("Who?", Answer("Someone. [1]", [citation(1, "a.txt", "Someone")]))]
    chat, new_turns, current, _listing, _title, status = conv.record(turns, None, "", None)
    assert current is None and "not being saved" in status
    assert "This answer was not saved" in (new_turns[-1].answer.notice or "")
    assert "rag-notice" in chat[-1]["content"] and "not saved" in chat[-1]["content"]


def test_two_web_logins_see_only_their_own_conversations(handlers: Any) -> None:
    from types import SimpleNamespace

    from ui.conversation import Turn

    conv = handlers()
    alice, bob = SimpleNamespace(username="alice"), SimpleNamespace(username="bob")
    turns = [Turn("Alice's question?", Answer("Alice's answer. [1]", [citation(1, "a.txt", "A")]))]
    *_, current, _listing, title, _status = conv.record(turns, None, "", alice)
    assert current and title == "Alice's question?"
    assert [c[1] for c in conv.choices("user:alice")] == [current]
    assert conv.choices("user:bob") == [] and conv.choices("local") == []
    chat, bob_turns, *_rest = conv.restore(current, "", bob)  # alice's id in bob's browser
    assert chat == [] and bob_turns == [] and _rest[2] is None
    conv.delete(current, "", bob)  # a no-op for bob
    assert [c[1] for c in conv.choices("user:alice")] == [current]
    chat, *_ = conv.restore(current, "", alice)
    assert len(chat) == 2 and "Alice" in chat[1]["content"]


def test_renaming_without_a_chat_or_title_says_why_without_a_traceback(
    handlers: Any, caplog: pytest.LogCaptureFixture
) -> None:
    import gradio as gr

    conv = handlers()
    with pytest.raises(gr.Error, match="Ask a question first") as first:
        conv.rename(None, "My chat", "", None)
    cid = conv.store.create("local").id
    with pytest.raises(gr.Error, match="Please type a title") as second:
        conv.rename(cid, "   ", "", None)
    assert not first.value.print_exception and not second.value.print_exception
    assert "Traceback" not in caplog.text
