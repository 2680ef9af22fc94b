"""Pure HTML builders for the web chat: answers with citation chips, sources, reader.

Everything that came from an article (titles, text, doc ids) or from a user
goes through :func:`esc` before it reaches the page, so nothing in a document
can run as script, style the page, or be read as Markdown or template syntax.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from rag import MARKER, Answer, Citation, RagError, marker_numbers

CONTEXT_CHARS = 300  # article text shown on each side of a cited span
READER_MAX_CHARS = 200_000  # longer articles are cut in the reader view
# HTML's specials plus what Markdown (chat bubbles) or gr.HTML's JS/Handlebars
# template would interpret. Entities render the same and mean nothing to either.
_INERT = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'*_`[]$~#|\\{}"})


class Mark(NamedTuple):
    """A span of article text to highlight; ``number`` labels it with its marker."""

    start: int
    end: int
    number: int | None = None
    selected: bool = False


def esc(text: object) -> str:
    """Escape text for HTML, Markdown and gr.HTML templates alike."""
    return str(text).translate(_INERT)


def _as_mark(span: Mark | tuple[int, int]) -> Mark:
    return span if isinstance(span, Mark) else Mark(int(span[0]), int(span[1]))


def highlight(text: str, spans: Iterable[Mark | tuple[int, int]]) -> str:
    """Escape ``text`` and wrap each ``(start, end)`` span in ``<mark>``.

    Offsets index the unescaped text; overlapping spans are clipped so marks never nest.
    """
    out: list[str] = []
    pos = 0
    for mark in sorted((_as_mark(s) for s in spans), key=lambda m: (m.start, m.end)):
        start, end = max(mark.start, pos, 0), min(mark.end, len(text))
        if end <= start:
            continue
        classes = "rag-mark rag-mark-selected" if mark.selected else "rag-mark"
        attrs, label = f'class="{classes}"', ""
        if mark.number is not None:
            attrs += f' data-cite="{mark.number}"'
            label = f'<sup class="rag-mark-label">{mark.number}</sup>'
        out.append(esc(text[pos:start]))
        out.append(f"<mark {attrs}>{esc(text[start:end])}{label}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def chip(number: int, turn: int | None, citation: Citation | None) -> str:
    """A clickable ``[n]`` marker that selects its source in the sources panel."""
    # The chat's sanitizer drops data-* attributes, so the classes carry them too.
    classes = f"rag-chip rag-cite-{number}" + (f" rag-turn-{turn}" if turn is not None else "")
    title = f"Source {number}"
    if citation is not None:
        when = f" ({citation.date})" if citation.date else ""
        title = f"{citation.title}{when}"
        if not citation.supported:
            classes += " rag-chip-unsupported"
            title += " (unsupported)"
    turn_attr = f' data-turn="{turn}"' if turn is not None else ""
    return (
        f'<span class="{classes}" role="button" tabindex="0" data-cite="{number}"'
        f'{turn_attr} title="{esc(title)}">{number}</span>'
    )


def _with_chips(text: str, citations: Sequence[Citation], turn: int | None) -> str:
    """Escape answer text, turning markers that name a citation into chips."""
    by_number = {c.number: c for c in citations}
    out: list[str] = []
    pos = 0
    for match in MARKER.finditer(text):
        numbers = marker_numbers(match.group(0))
        if not all(n in by_number for n in numbers):
            continue  # not one of ours (e.g. "[2019]" quoted from an article): leave as text
        out.append(esc(text[pos : match.start()]).rstrip(" "))
        out.append("".join(chip(n, turn, by_number[n]) for n in numbers))
        pos = match.end()
    out.append(esc(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def notice_html(notice: str | None) -> str:
    """A muted warning line, e.g. when the LLM failed and the offline answer was used."""
    if not notice:
        return ""
    return f'<div class="rag-notice" role="status">&#9888; {esc(notice)}</div>'


def answer_html(answer: Answer, turn: int | None = None) -> str:
    """The answer as chat-bubble HTML: chips for markers, a muted block for refusals."""
    parts = [notice_html(answer.notice)]
    if answer.refused:
        parts.append(f'<div class="rag-refusal">{esc(answer.text)}</div>')
    else:
        parts.append(
            f'<div class="rag-answer-text">{_with_chips(answer.text, answer.citations, turn)}</div>'
        )
    weak = sum(1 for c in answer.citations if not c.supported)
    if weak:
        what = (
            "1 citation only weakly supports its sentence; it is"
            if weak == 1
            else (f"{weak} citations only weakly support their sentences; they are")
        )
        parts.append(f'<div class="rag-notice">{what} marked in red.</div>')
    return f'<div class="rag-answer">{"".join(parts)}</div>'


def streaming_html(partial: str) -> str:
    """Text streamed so far, escaped, with a typing cursor."""
    body = esc(partial).replace("\n", "<br>")
    return (
        f'<div class="rag-answer rag-streaming">{body}<span class="rag-cursor">&#9613;</span></div>'
    )


def user_html(question: str) -> str:
    """A user's question as inert chat-bubble content."""
    return esc(question).replace("\n", "<br>")


def context_window(text: str, start: int, end: int, radius: int = CONTEXT_CHARS) -> tuple[int, int]:
    """Bounds of the text ``radius`` characters around a span, trimmed to whole words."""
    lo, hi = max(0, start - radius), min(len(text), end + radius)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    return lo, hi


def locate(text: str | None, citation: Citation) -> tuple[int, int] | None:
    """Where the quote is in the article now: its offsets, or a fresh search if it moved."""
    if text is None:
        return None
    if text[citation.start : citation.end] == citation.quote:
        return citation.start, citation.end
    found = text.find(citation.quote) if citation.quote else -1
    return (found, found + len(citation.quote)) if found != -1 else None


def _empty(message: str) -> str:
    """A muted placeholder line (``message`` is trusted HTML)."""
    return f'<div class="rag-empty">{message}</div>'


def _safe_text(article_text_of: Callable[[str], str], doc_id: str) -> str | None:
    try:
        return article_text_of(doc_id)
    except RagError:
        return None  # deleted since the answer was given


def quote_html(citation: Citation) -> str:
    """The cited sentence, escaped, with the short answer inside it emphasised.

    The offline reader opens its answer with a span of the quote
    (``answer_start``..``answer_end``, article offsets); the reader sees where it came from.
    """
    a, b = citation.answer_start, citation.answer_end
    if a is None or b is None or not citation.start <= a < b <= citation.end:
        return esc(citation.quote)
    a, b = a - citation.start, b - citation.start
    q = citation.quote
    return f'{esc(q[:a])}<strong class="rag-answer-span">{esc(q[a:b])}</strong>{esc(q[b:])}'


def citation_card(citation: Citation, text: str | None, turn: int | None, selected: bool) -> str:
    """One source: title, date, doc id, the cited sentence and its highlighted context."""
    classes = "rag-source" + (" rag-source-selected" if selected else "")
    badge = ""
    if not citation.supported:
        classes += " rag-source-unsupported"
        badge = ' <span class="rag-badge-unsupported">unsupported</span>'
    span = locate(text, citation)
    if text is not None and span is not None:
        lo, hi = context_window(text, *span)
        marked = highlight(text[lo:hi], [Mark(span[0] - lo, span[1] - lo, citation.number, True)])
        context = ("&#8230;" if lo > 0 else "") + marked + ("&#8230;" if hi < len(text) else "")
    else:
        note = "no longer indexed" if text is None else "changed since this answer"
        context = f'<mark class="rag-mark">{esc(citation.quote)}</mark> <em>(article {note})</em>'
    claim = ""
    if citation.sentence and citation.sentence.strip() != citation.quote.strip():
        claim = f'<div class="rag-claim">Cited for: &#8220;{esc(citation.sentence)}&#8221;</div>'
    turn_attr = f' data-turn="{turn}"' if turn is not None else ""
    return (
        f'<article class="{classes}" id="rag-source-{citation.number}" '
        f'data-cite="{citation.number}"{turn_attr}>'
        f"<header>{chip(citation.number, turn, citation)} "
        f'<span class="rag-source-title">{esc(citation.title)}</span>{badge}</header>'
        f'<div class="rag-source-meta">{esc(citation.date or "undated")} &#183; '
        f"<code>{esc(citation.doc_id)}</code> &#183; characters {citation.start}&#8211;"
        f"{citation.end} &#183; support {citation.score:.2f}</div>"
        f'<blockquote class="rag-source-sentence">{quote_html(citation)}</blockquote>{claim}'
        f'<div class="rag-context">{context}</div></article>'
    )


def sources_html(
    answer: Answer | None,
    article_text_of: Callable[[str], str],
    selected: int | None = None,
    turn: int | None = None,
) -> str:
    """The sources panel for one answer; the ``selected`` citation is emphasised."""
    if answer is None:
        return _empty("Ask a question: the passages behind the answer appear here.")
    if not answer.citations:
        why = "The articles do not say, so nothing is cited." if answer.refused else "No citations."
        return _empty(why)
    texts: dict[str, str | None] = {}
    cards = []
    for citation in answer.citations:
        if citation.doc_id not in texts:
            texts[citation.doc_id] = _safe_text(article_text_of, citation.doc_id)
        cards.append(
            citation_card(citation, texts[citation.doc_id], turn, citation.number == selected)
        )
    question = (
        f'<div class="rag-sources-q">Sources for: {esc(answer.question)}</div>'
        if answer.question
        else ""
    )
    return f'<div class="rag-sources">{question}{"".join(cards)}</div>'


def reader_html(
    answer: Answer | None, article_text_of: Callable[[str], str], selected: int | None = None
) -> str:
    """The full article of the selected citation with every span the answer cites highlighted."""
    if answer is None or not answer.citations:
        return _empty("The article behind the selected source appears here.")
    focus = next((c for c in answer.citations if c.number == selected), answer.citations[0])
    text = _safe_text(article_text_of, focus.doc_id)
    if text is None:
        return _empty(f"{esc(focus.doc_id)} is no longer indexed.")
    marks = []
    for citation in answer.citations:
        span = locate(text, citation) if citation.doc_id == focus.doc_id else None
        if span is not None:
            marks.append(Mark(*span, citation.number, citation.number == focus.number))
    cut = len(text) > READER_MAX_CHARS
    body = highlight(text[:READER_MAX_CHARS], marks) + (
        " &#8230; (article cut here)" if cut else ""
    )
    others = sorted({c.doc_id for c in answer.citations} - {focus.doc_id})
    also = ""
    if others:
        names = ", ".join(f"<code>{esc(d)}</code>" for d in others)
        also = f'<div class="rag-source-meta">Also cited: {names} (click their chips)</div>'
    return (
        f'<div class="rag-reader"><h3>{esc(focus.title)}</h3>'
        f'<div class="rag-source-meta">{esc(focus.date or "undated")} &#183; '
        f"<code>{esc(focus.doc_id)}</code></div>{also}"
        f'<div class="rag-reader-text">{body}</div></div>'
    )
