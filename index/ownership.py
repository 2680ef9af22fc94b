"""Which indexed document already holds a file's bytes or its article's text.

The syncer refuses a second document with the same content (it would only
duplicate citations); these maps say who the first one is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from index.models import Article, DocumentFailure, IngestReport

HTML_SUFFIXES = (".html", ".htm")


def owners_by_hash(ledger: dict[str, dict[str, object]]) -> dict[str, str]:
    """File hash and article-text hash -> the document indexed with it."""
    owners = {str(m.get("content_hash")): doc_id for doc_id, m in ledger.items()}
    owners.update({str(m["text_hash"]): d for d, m in ledger.items() if m.get("text_hash")})
    return owners


def same_text_as_another(article: Article, owners: dict[str, str], report: IngestReport) -> bool:
    """True (and a failure reported) when another document has this article's text.

    The same story saved from two sites differs in its bytes (menus, ads), not
    in the article text trafilatura finds, so the file hash alone misses it.
    Only HTML pages are compared so: the text hash counts prose paragraphs,
    and two plain-text reports that differ only in their headline are two
    documents.
    """
    if Path(article.doc_id).suffix.lower() not in HTML_SUFFIXES:
        return False  # plain texts: two wire copies may share their prose on purpose
    owner = owners.get(article.text_hash) if article.text_hash else None
    if owner is not None and owner != article.doc_id:
        reason = f"{article.doc_id}: same article text as {owner}, which is indexed."
        report.failed.append(DocumentFailure(article.doc_id, reason))
        return True
    if article.text_hash:
        owners[article.text_hash] = article.doc_id
    return False


def id_clash(article: Article, known: dict[str, Any] | None) -> DocumentFailure | None:
    """A failure when a document of other content is already indexed under the article's id."""
    if known is None or known.get("content_hash") == article.content_hash:
        return None
    return DocumentFailure(
        article.doc_id,
        f"A different document is already indexed as {article.doc_id!r}; it was kept. "
        "To replace it, upload again with replace=true (API) or tick "
        "'Replace documents with the same name' (web chat), or rename the file.",
    )
