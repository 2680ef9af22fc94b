"""HTML pages: the article without menus, banners, related lists or comments; one per text."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.loaders import article_from_bytes

PARAGRAPHS = [
    "OSLO — The ferry to the twelve islands resumed service on Monday after a two-week "
    "strike, the operator Fjord Lines said in a statement.",
    "About 4,000 residents depend on the ferry, which also carries the floating library of "
    "Nordvik to each island every month, according to the municipality.",
    "Mayor Ingrid Solheim said the town would compensate season-ticket holders for the "
    "fourteen days without service.",
]
HEAD = (
    "<head><title>Ferry to the islands resumes | Harbour Times</title>"
    '<meta name="author" content="Kari Nordmann">'
    '<meta property="og:site_name" content="Harbour Times">'
    '<meta property="article:published_time" content="2026-02-11T08:00:00Z"></head>'
)
BODY = "".join(f'<div class="p">{p}</div>' for p in PARAGRAPHS)


def div_soup(menu_items: int = 5000) -> bytes:
    """A page built of <div>s only: huge menus, a cookie banner, related links, comments."""
    menu = "".join(
        f'<div class="menu-item"><a href="/s{i}">Section {i} news</a></div>'
        for i in range(menu_items)
    )
    cookie = (
        '<div class="cookie-banner">We use cookies to improve your experience. '
        "Read our Cookie policy. <a>Accept all</a> <a>Cookie settings</a></div>"
    )
    related = "".join(
        f'<div class="related"><a href="/r{i}">Related story {i}</a></div>' for i in range(30)
    )
    comments = (
        '<div id="comments"><div class="comment">Great news, finally! Posted by Ola</div>'
        '<div class="comment">Leave a comment. Your email address will not be published.</div>'
        "</div>"
    )
    page = (
        f"<html>{HEAD}<body><div class='top'>{menu}</div>{cookie}"
        f"<div class='main'><div class='headline'>Ferry to the twelve islands resumes</div>"
        f"{BODY}</div><div class='side'>{related}</div>{comments}"
        "<div class='footer'>Cookie policy | Privacy | Contact</div></body></html>"
    )  # fmt: skip
    return page.encode()


def article_page() -> bytes:
    """The same article in a tidy page with <article>, <nav> and an aside."""
    return (
        f"<html>{HEAD}<body><nav><a>Home</a><a>World</a></nav><article>"
        f"<h1>Ferry to the twelve islands resumes</h1>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}"
        "</article><aside>Most read: <a>Tide tables</a></aside></body></html>"
    ).encode()


def print_page() -> bytes:
    """The same article as a bare print view."""
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    headline = "<h1>Ferry to the twelve islands resumes</h1>"
    return f"<html>{HEAD}<body>{headline}{paragraphs}</body></html>".encode()


def test_div_soup_keeps_the_article_and_drops_the_boilerplate() -> None:
    data = div_soup()
    assert len(data) > 300_000
    article = article_from_bytes(data, "ferry.html", ".html", max_bytes=5_000_000)
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text
    for junk in ("Section 12 news", "Cookie policy", "Related story", "Leave a comment", "Ola"):
        assert junk not in article.text
    assert len(article.text) < 2000
    assert article.date == "2026-02-11"
    assert article.title.startswith("Ferry to the islands resumes")
    assert (
        article.source and "Harbour Times" in article.source and "Kari Nordmann" in article.source
    )


def test_offsets_point_into_the_text_the_reader_shows(tmp_path: Path) -> None:
    from rag.assistant import Assistant
    from rag.settings import Settings

    assistant = Assistant(Settings(data_dir=tmp_path / "data", embed_mode="hashing"))
    article = article_from_bytes(div_soup(), "ferry.html", ".html", max_bytes=5_000_000)
    chunks = assistant.chunker.chunk(article)
    assert 1 <= len(chunks) <= 3  # not 530 chunks of menus
    for chunk in chunks:
        assert article.text[chunk.start : chunk.end] == chunk.text
    for start, end in article.body_spans:
        assert article.text[start:end].strip() == article.text[start:end]
    report = assistant.ingest_bytes("ferry.html", div_soup())
    assert report.ok and report.chunks_written == len(chunks)
    assert assistant.document_text("ferry.html") == article.text
    answer = assistant.ask("What is the cookie policy?")
    assert "cookie" not in answer.text.lower()


def test_the_same_article_in_three_wrappers_is_one_document(tmp_path: Path) -> None:
    from rag.assistant import Assistant
    from rag.settings import Settings

    texts = {
        article_from_bytes(page, "x.html", ".html", max_bytes=5_000_000).text_hash
        for page in (div_soup(200), article_page(), print_page())
    }
    assert len(texts) == 1
    assistant = Assistant(Settings(data_dir=tmp_path / "data", embed_mode="hashing"))
    assert assistant.ingest_bytes("soup.html", div_soup(200)).added == ["soup.html"]
    for name, page in (("tidy.html", article_page()), ("print.htm", print_page())):
        report = assistant.ingest_bytes(name, page)
        assert not report.added and "same content as soup.html" in report.failed[0].reason
    assert [d.doc_id for d in assistant.documents()] == ["soup.html"]


@pytest.mark.parametrize(
    "markup", ["<p>Short note.</p>", "<div><script>x()</script>Hi there</div>"]
)
def test_pages_without_an_article_fall_back_to_their_visible_text(markup: str) -> None:
    article = article_from_bytes(markup.encode(), "n.html", ".html", max_bytes=10_000)
    assert article.text in ("Short note.", "Hi there")


def test_a_corpus_folder_holding_one_article_in_two_wrappers_indexes_it_once(
    tmp_path: Path,
) -> None:
    from rag.assistant import Assistant
    from rag.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a-soup.html").write_bytes(div_soup(200))
    (corpus / "b-tidy.html").write_bytes(article_page())  # other bytes, the same article
    (corpus / "c-other.txt").write_text("Other news\n\nThe harbour reopened on Monday.\n")
    assistant = Assistant(Settings(data_dir=tmp_path / "data", embed_mode="hashing"))
    report = assistant.ingest([corpus])
    assert report.added == ["a-soup.html", "c-other.txt"]
    assert [f.reason for f in report.failed] == [
        "b-tidy.html: same article text as a-soup.html, which is indexed."
    ]
    again = assistant.ingest([corpus])  # the next sync says so again and changes nothing
    assert again.skipped == ["a-soup.html", "c-other.txt"] and len(again.failed) == 1
