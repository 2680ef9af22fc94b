"""Upload handling of the JSON API: body and file size limits, type checks, per-file results."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from fastapi import Request, Response, UploadFile
from starlette.exceptions import HTTPException
from starlette.types import Message

from server.problems import PayloadTooLarge, SafeRoute, UnsupportedMediaType
from server.schemas import FileResult, UploadResult

if TYPE_CHECKING:
    from rag import IngestReport

MAX_FILES = 20  # per upload request
MULTIPART_SLACK = 64 * 1024  # part headers and boundaries on top of the files themselves
_READ_CHUNK = 1 << 20


def body_limited_route(limit: int, too_large: str) -> type[SafeRoute]:
    """A route class answering 413 (JSON) once a request body passes ``limit`` bytes."""

    class BodyLimitedRoute(SafeRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def limited(request: Request) -> Response:
                declared = request.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise PayloadTooLarge(too_large)
                received = 0

                async def counting_receive() -> Message:
                    nonlocal received
                    message = await request.receive()
                    received += len(message.get("body", b""))
                    if received > limit:
                        # An HTTPException, because FastAPI turns others raised while
                        # parsing the body into a 400.
                        raise HTTPException(413, too_large)
                    return message

                return await handler(Request(request.scope, counting_receive))

            return limited

    return BodyLimitedRoute


def check_batch(filenames: list[str]) -> None:
    """Refuse (415) a batch with an unreadable type, or in which no name has an extension.

    A bad name among good ones fails that file only, in its ingest report.
    """
    for name in filenames:
        check_suffix(name)
    if filenames and not any(_suffix(name) for name in filenames):
        raise UnsupportedMediaType(
            f"No file in this upload has an extension, e.g. {filenames[0][:80]!r}; "
            "name files like article.txt, .md, .html or .pdf."
        )


def _suffix(filename: str) -> str:
    """The extension of the cleaned name, as the doc id will have it."""
    from rag import clean_file_name

    return PurePosixPath(clean_file_name(filename)).suffix.lower()


def check_suffix(filename: str) -> None:
    """Refuse (415) a file whose extension the loaders cannot read."""
    from rag import SUPPORTED_SUFFIXES

    suffix = _suffix(filename)  # 'a.txt ' is a .txt file
    if not suffix:
        return  # not a type but a bad name: that file alone fails, in its ingest report
    if suffix not in SUPPORTED_SUFFIXES:
        allowed = ", ".join(sorted(SUPPORTED_SUFFIXES))
        shown = suffix or "(no extension)"
        raise UnsupportedMediaType(
            f"Unsupported file type {shown} for {filename[:80]!r}; use {allowed}."
        )


async def read_limited(upload: UploadFile, limit: int) -> bytes:
    """The file's bytes, refusing (413) as soon as more than ``limit`` have been read."""
    data = bytearray()
    while chunk := await upload.read(_READ_CHUNK):
        data += chunk
        if len(data) > limit:
            name = (upload.filename or "upload")[:80]
            raise PayloadTooLarge(
                f"File {name!r} is over the {limit / 1_000_000:g} MB upload limit."
            )
    return bytes(data)


def file_result(filename: str, report: IngestReport) -> FileResult:
    """The outcome of one file from its own ingest report."""
    for status, ids in (
        ("added", report.added),
        ("updated", report.updated),
        ("unchanged", report.skipped),
    ):
        if ids:
            return FileResult(filename=filename, doc_id=ids[0], status=status)  # type: ignore[arg-type]
    failure = report.failed[0] if report.failed else None
    return FileResult(
        filename=filename,
        doc_id=failure.path if failure else "",
        status="failed",
        reason=failure.reason if failure else "Nothing was ingested.",
    )


def merge_reports(results: list[FileResult], reports: list[IngestReport]) -> UploadResult:
    """One summary over the per-file ingest reports."""
    return UploadResult(
        ok=all(r.ok for r in reports),
        files=results,
        added=[d for r in reports for d in r.added],
        updated=[d for r in reports for d in r.updated],
        skipped=[d for r in reports for d in r.skipped],
        failed=[{"path": f.path, "reason": f.reason} for r in reports for f in r.failed],
        chunks_written=sum(r.chunks_written for r in reports),
        seconds=round(sum(r.seconds for r in reports), 3),
    )
