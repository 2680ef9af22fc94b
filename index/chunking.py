"""Token-aware sentence chunking that keeps exact character offsets."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from index.errors import ConfigError
from index.models import Article, Chunk
from index.sentences import split_sentences
from index.tokens import count_tokens, get_encoding


@dataclass(frozen=True)
class _Unit:
    """A sentence (or a piece of an over-long one): ``text[start:end]``."""

    start: int
    end: int
    tokens: int


class SentenceChunker:
    """Packs whole sentences into chunks of about ``chunk_tokens`` cl100k tokens.

    Chunks never leave a run of body text, so headers, source lines and
    comment boilerplate between body spans never end up inside a chunk. Each
    chunk after the first repeats the last sentences of the previous one, up
    to ``overlap_tokens``, so a fact split across a boundary stays findable.
    """

    def __init__(self, chunk_tokens: int = 160, overlap_tokens: int = 32) -> None:
        if chunk_tokens < 1:
            raise ConfigError(f"Chunk size must be at least 1 token, not {chunk_tokens}.")
        if not 0 <= overlap_tokens < chunk_tokens:
            raise ConfigError(
                f"Chunk overlap ({overlap_tokens} tokens) must be at least 0 and smaller "
                f"than the chunk size ({chunk_tokens} tokens)."
            )
        self.chunk_tokens = chunk_tokens
        self.overlap_tokens = overlap_tokens

    @property
    def signature(self) -> str:
        """Identifies the chunking settings; stored chunks made otherwise are stale."""
        return f"sent-cl100k-{self.chunk_tokens}-{self.overlap_tokens}"

    def chunk(self, article: Article) -> list[Chunk]:
        """Split the article's body into chunks with exact offsets into ``article.text``."""
        text = article.text
        spans: list[tuple[int, int]] = []
        for start, end in _regions(text, article.body_spans):
            units = self._units(text, start, end)
            spans.extend(self._pack(units))
        return [
            Chunk(
                doc_id=article.doc_id,
                content_hash=article.content_hash,
                chunk_index=index,
                text=text[start:end],
                start=start,
                end=end,
            )
            for index, (start, end) in enumerate(spans)
        ]

    def _units(self, text: str, start: int, end: int) -> list[_Unit]:
        """Sentences of a region, over-long ones cut into pieces that fit a chunk."""
        units: list[_Unit] = []
        for s, e in split_sentences(text, start, end):
            tokens = count_tokens(text[s:e])
            if tokens <= self.chunk_tokens:
                units.append(_Unit(s, e, tokens))
            else:
                units.extend(_split_long(text, s, e, self.chunk_tokens))
        return units

    def _pack(self, units: list[_Unit]) -> list[tuple[int, int]]:
        """Greedily fill chunks with whole units, starting each with an overlap."""
        spans: list[tuple[int, int]] = []
        first = 0
        while first < len(units):
            last, total = first, units[first].tokens
            while last + 1 < len(units) and total + units[last + 1].tokens <= self.chunk_tokens:
                last += 1
                total += units[last].tokens
            spans.append((units[first].start, units[last].end))
            if last + 1 >= len(units):
                break
            first = self._overlap_start(units, first, last)
        return spans

    def _overlap_start(self, units: list[_Unit], first: int, last: int) -> int:
        """First unit of the next chunk: trailing units worth at most overlap_tokens."""
        # The carried units must leave room for the next new unit, or the next
        # chunk would repeat the previous one and add nothing; and the start
        # must move forward so that packing ends.
        room = min(self.overlap_tokens, self.chunk_tokens - units[last + 1].tokens)
        nxt, carried = last + 1, 0
        while nxt - 1 > first and carried + units[nxt - 1].tokens <= room:
            nxt -= 1
            carried += units[nxt].tokens
        return nxt


def _regions(text: str, body_spans: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """Maximal runs of body: spans joined when only whitespace lies between them."""
    spans = sorted((max(0, s), min(len(text), e)) for s, e in body_spans)
    spans = [(s, e) for s, e in spans if s < e]
    if not spans:
        # Nothing but a title (or a hand-built Article): index the whole text.
        spans = [(0, len(text))]
    regions: list[tuple[int, int]] = []
    for start, end in spans:
        if regions and (start <= regions[-1][1] or _blank(text, regions[-1][1], start)):
            regions[-1] = (regions[-1][0], max(end, regions[-1][1]))
        else:
            regions.append((start, end))
    return regions


def _blank(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is only whitespace."""
    return not text[start:end].strip()


def _split_long(text: str, start: int, end: int, limit: int) -> list[_Unit]:
    """Cut one over-long sentence at token boundaries, preferring whitespace."""
    piece = text[start:end]
    tokens = get_encoding().encode(piece, disallowed_special=())
    decoded, offsets = get_encoding().decode_with_offsets(tokens)
    if decoded != piece:
        # Lone surrogates do not round-trip through UTF-8; fall back to one
        # "token" per character, which never exceeds the real token count.
        offsets = list(range(len(piece)))
    units: list[_Unit] = []
    cursor = 0
    while cursor < len(piece):
        first = bisect.bisect_left(offsets, cursor)
        if first + limit >= len(offsets):
            cut = len(piece)
        else:
            cut = max(offsets[first + limit], cursor + 1)
            space = max(piece.rfind(" ", cursor, cut), piece.rfind("\n", cursor, cut))
            if space > cursor + (cut - cursor) // 2:
                cut = space  # a word boundary near the limit reads better
        s, e = _trim(text, start + cursor, start + cut)
        if s < e:
            units.append(_Unit(s, e, count_tokens(text[s:e])))
        cursor = cut
    return units


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow ``(start, end)`` so that the slice has no surrounding whitespace."""
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())
