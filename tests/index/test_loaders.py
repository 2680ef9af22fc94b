"""Loaders: every supported suffix, and a clear InputError for every bad input."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from index.loaders import SUPPORTED_SUFFIXES, article_from_bytes, iter_corpus, load_article
from rag.errors import InputError

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
LIMIT = 1_000_000


def _pdf(text: str) -> bytes:
    """A minimal one-page PDF showing ``text`` in Helvetica, with a correct xref table."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_seed_loads_with_metadata_and_hash() -> None:
    (path,) = SEEDS.glob("004_*.txt")
    article = load_article(path, path.name, max_bytes=LIMIT)
    assert article.doc_id == path.name
    assert article.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert article.source == "Alba Ciudad with OT content; Translated by JRE"
    assert article.text == path.read_text(encoding="utf-8")
    assert article.body_spans


def test_markdown_heading_is_the_title(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Oil deal signed\n\nThe two countries signed a deal.\n", encoding="utf-8")
    article = load_article(path, "note.md", max_bytes=LIMIT)
    assert article.title == "Oil deal signed"
    assert article.text.startswith("# Oil deal signed")


def test_html_visible_text_title_and_paragraphs(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Page | Site</title><style>p{color:red}</style></head><body>"
        "<nav>Home | World</nav><h1>Embassy reopens</h1>"
        "<p>The embassy <b>reopened</b>\n on Thursday.</p><script>alert(1)</script>"
        "<p>Staff returned.<br>More later.</p><footer>Copyright</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    article = load_article(path, "page.html", max_bytes=LIMIT)
    assert article.title == "Embassy reopens"
    assert "alert" not in article.text and "color" not in article.text
    assert "Home" not in article.text and "Copyright" not in article.text
    # The article as trafilatura extracts it: the headline is the title, not text.
    assert article.text == "The embassy reopened on Thursday.\n\nStaff returned.\n\nMore later."
    body = [article.text[s:e] for s, e in article.body_spans]
    assert body == ["The embassy reopened on Thursday.", "Staff returned.", "More later."]


def test_html_title_tag_when_there_is_no_h1() -> None:
    article = article_from_bytes(
        b"<title>Only title</title><p>Body.</p>", "a.htm", ".htm", max_bytes=LIMIT
    )
    assert article.title == "Only title" and article.text == "Body."


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(_pdf("Hello from a PDF. It has text."))
    article = load_article(path, "report.pdf", max_bytes=LIMIT)
    assert article.text == "Hello from a PDF. It has text."


def test_utf8_bom_and_cp1252_fallback() -> None:
    bom = article_from_bytes(b"\xef\xbb\xbfTitle\n\nBody.", "a.txt", ".txt", max_bytes=LIMIT)
    assert bom.text == "Title\n\nBody." and bom.title == "Title"
    legacy = article_from_bytes(
        "Caf\xe9 news\n\nBody.".encode("cp1252"), "b.txt", ".txt", max_bytes=LIMIT
    )
    assert legacy.title == "Café news"


def test_iter_corpus_recurses_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ["b/z.md", "a.txt", "b/c.HTML", ".hidden.txt", ".git/x.txt", "notes.docx"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = list(iter_corpus([tmp_path]))
    assert [doc_id for _, doc_id in found] == ["a.txt", "b/c.HTML", "b/z.md"]
    single = tmp_path / "b" / "z.md"
    assert list(iter_corpus([single])) == [(single, "z.md")]


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".pdf"} == set(SUPPORTED_SUFFIXES)


def _bad_file(tmp_path: Path, case: str) -> Path:
    """Create the broken input for ``case`` and return its path."""
    contents = {
        "empty": b"",
        "whitespace": b"  \n\t\n ",
        "binary": b"Title\x00\x01\x02" * 20,
        "controls": bytes(range(1, 9)) * 50,
        "undecodable": b"News \x81\x8d\x8f\x90\x9d here",
        "broken_pdf": b"%PDF-1.4\nthis is not really a pdf",
        "empty_pdf": b"",
        "script_only": b"<html><script>alert(1)</script></html>",
        "too_big": b"x" * 2_000,
        "unsupported": b"hello",
    }
    suffix = {"broken_pdf": ".pdf", "empty_pdf": ".pdf", "script_only": ".html"}
    suffix["unsupported"] = ".docx"
    path = tmp_path / f"bad_{case}{suffix.get(case, '.txt')}"
    path.write_bytes(contents[case])
    return path


@pytest.mark.parametrize(
    "case",
    [
        "empty",
        "whitespace",
        "binary",
        "controls",
        "undecodable",
        "broken_pdf",
        "empty_pdf",
        "script_only",
        "too_big",
        "unsupported",
    ],
)
def test_bad_files_raise_input_error_naming_the_file(tmp_path: Path, case: str) -> None:
    path = _bad_file(tmp_path, case)
    with pytest.raises(InputError) as caught:
        load_article(path, path.name, max_bytes=1_000)
    assert path.name in str(caught.value)
    with pytest.raises(InputError) as caught:
        article_from_bytes(path.read_bytes(), path.name, path.suffix, max_bytes=1_000)
    assert path.name in str(caught.value)


def test_size_message_gives_size_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 600_000)
    with pytest.raises(InputError, match=r"big\.txt' is 3\.0 MB, over the 1\.0 MB limit"):
        load_article(path, "big.txt", max_bytes=1_000_000)


def test_missing_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.txt' does not exist"):
        load_article(tmp_path / "nope.txt", "nope.txt", max_bytes=LIMIT)
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(InputError, match="folder.txt' is a directory"):
        load_article(folder, "folder.txt", max_bytes=LIMIT)


def test_permission_error_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Title\n\nBody.", encoding="utf-8")

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", deny)  # works when the tests run as root, too
    with pytest.raises(InputError, match="locked.txt' cannot be read: permission denied"):
        load_article(path, "locked.txt", max_bytes=LIMIT)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read files without permission")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Title\n\nBody.", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(InputError, match="secret.txt' cannot be read: permission denied"):
        load_article(path, "secret.txt", max_bytes=LIMIT)
