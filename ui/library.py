"""The Documents tab: upload articles, list what is indexed, delete a document."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag import InputError, RagError

if TYPE_CHECKING:
    import gradio as gr

    from rag import Assistant, DocumentInfo, IngestReport

log = logging.getLogger(__name__)
UPLOAD_TYPES = [".txt", ".md", ".markdown", ".html", ".htm", ".pdf"]
TABLE_HEADERS = ["Title", "Date", "Chunks", "Doc id"]


def report_lines(name: str, report: IngestReport) -> list[str]:
    """One readable line per file of an ingest report."""
    n = report.chunks_written
    chunks = f"({n} chunk{'' if n == 1 else 's'})"
    lines = [f"added      {doc}  {chunks}" for doc in report.added]
    lines += [f"updated    {doc}  {chunks}" for doc in report.updated]
    lines += [f"unchanged  {doc}  (already indexed)" for doc in report.skipped]
    lines += [f"failed     {f.path}: {f.reason}" for f in report.failed]
    return lines or [f"unchanged  {name}"]


def document_rows(documents: list[DocumentInfo]) -> list[list[Any]]:
    """Rows for the documents table, newest first, undated last."""
    ordered = sorted(documents, key=lambda d: (d.date or "", d.doc_id), reverse=True)
    return [[d.title, d.date or "", d.chunks, d.doc_id] for d in ordered]


def document_choices(documents: list[DocumentInfo]) -> list[tuple[str, str]]:
    """(label, doc id) pairs for the delete dropdown."""
    return [
        (f"{d.doc_id} | {d.title[:60]}", d.doc_id)
        for d in sorted(documents, key=lambda d: d.doc_id)
    ]


def status_line(assistant: Assistant) -> str:
    """Counts and components, for the Documents tab."""
    s = assistant.status()
    return (
        f"{s['documents']} documents, {s['chunks']} chunks · embedder `{s['embedder']}` · "
        f"answerer `{s['answerer']}` · last sync {s['last_sync'] or 'never'}"
    )


def discard_upload(path: Path, uploads: Path) -> None:
    """Remove an uploaded copy (and its folder) once ingested or failed: the store has the text.

    Only files under the uploads folder: a path from anywhere else is not ours to delete.
    """
    try:
        folder = uploads.resolve()
        target = path.resolve()
        if folder not in target.parents:
            return
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != folder and folder in parent.parents and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    except OSError:
        log.warning("could not remove the uploaded copy %s", path.name)


@dataclass
class LibraryParts:
    """The Documents tab's components, for wiring after layout."""

    upload: gr.File
    log: gr.Textbox
    table: gr.Dataframe
    choice: gr.Dropdown
    delete: gr.Button
    refresh: gr.Button
    status: gr.Markdown
    replace: gr.Checkbox


def build_library() -> LibraryParts:
    """Lay out the Documents tab inside the current Blocks context."""
    import gradio as gr

    upload = gr.File(
        label="Add articles (.txt, .md, .html, .pdf)",
        file_count="multiple",
        file_types=UPLOAD_TYPES,
        elem_id="rag-upload",
        height=160,
    )
    gr.Markdown(
        "New articles can be asked about as soon as they are listed below. "
        "A file named like an indexed document of different content is refused "
        "unless the box below is ticked."
    )
    replace = gr.Checkbox(
        False, label="Replace documents with the same name", elem_id="rag-upload-replace"
    )
    log_box = gr.Textbox(
        label="Upload results", lines=3, max_lines=12, interactive=False, elem_id="rag-upload-log"
    )
    status = gr.Markdown(elem_id="rag-status")
    table = gr.Dataframe(
        headers=TABLE_HEADERS,
        datatype=["str", "str", "number", "str"],
        interactive=False,
        wrap=True,
        column_widths=["46%", "19%", "11%", "24%"],
        label="Indexed documents",
        elem_id="rag-documents",
    )
    with gr.Row(equal_height=True):
        choice = gr.Dropdown(
            [], label="Document to delete", scale=4, min_width=200, elem_id="rag-delete-choice"
        )
        delete = gr.Button("Delete document", variant="stop", scale=1, min_width=120)
        refresh = gr.Button("Refresh list", scale=1, min_width=100)
    return LibraryParts(upload, log_box, table, choice, delete, refresh, status, replace)


def wire_library(assistant: Assistant, parts: LibraryParts, demo: gr.Blocks, tab: gr.Tab) -> None:
    """Attach the Documents tab's events."""
    import gradio as gr

    from ui.chat_handlers import user_errors

    # Uploads stay under the data dir, where the server never serves them by path:
    # Gradio keeps a file where its component's cache is, when it is already there.
    uploads = assistant.settings.upload_dir()
    uploads.mkdir(parents=True, exist_ok=True, mode=0o700)
    parts.upload.GRADIO_CACHE = str(uploads)

    def listing() -> tuple[Any, Any, str]:
        docs = assistant.documents()
        return (
            document_rows(docs),
            gr.Dropdown(choices=document_choices(docs), value=None),
            status_line(assistant),
        )

    @user_errors
    def ingest(
        files: list[str] | None, replace: bool, progress: gr.Progress = gr.Progress()
    ) -> tuple[Any, ...]:
        """Index each uploaded file; one result line per file; the uploaded copy goes."""
        paths = [Path(f) for f in files or []]
        lines: list[str] = []
        for done, path in enumerate(paths):
            desc = f"Indexing {path.name}"
            progress(done / len(paths), desc=desc)

            def embedded(
                fraction: float, _total: int, _doc: str, done: int = done, desc: str = desc
            ) -> None:
                progress((done + fraction) / len(paths), desc=desc)  # a long file moves too

            try:
                report = assistant.ingest_bytes(
                    path.name, path.read_bytes(), replace=bool(replace), progress=embedded
                )
                lines += report_lines(path.name, report)
            except RagError as exc:
                lines.append(f"failed     {path.name}: {exc}")
            except Exception:
                log.exception("ingesting upload %s failed", path.name)
                lines.append(f"failed     {path.name}: unexpected error (see the server log)")
            finally:
                discard_upload(path, uploads)
        return "\n".join(lines), *listing(), None

    @user_errors
    def delete(doc_id: str | None) -> tuple[Any, ...]:
        """Remove the chosen document and its chunks."""
        if not doc_id:
            raise InputError("Choose a document to delete first.")
        assistant.delete_document(doc_id)
        return f"deleted    {doc_id}", *listing()

    outputs = [parts.table, parts.choice, parts.status]
    quiet: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}
    parts.upload.upload(
        ingest,
        [parts.upload, parts.replace],
        [parts.log, *outputs, parts.upload],
        api_name="upload",
        show_progress_on=parts.log,  # the per-file progress bar, without fading the table
    )
    parts.delete.click(
        delete,
        [parts.choice],
        [parts.log, *outputs],
        api_name="delete_document",
        show_progress="hidden",
    )
    parts.refresh.click(
        user_errors(listing), None, outputs, api_name="documents", show_progress="hidden"
    )
    tab.select(user_errors(listing), None, outputs, **quiet)
    demo.load(user_errors(listing), None, outputs, **quiet)
