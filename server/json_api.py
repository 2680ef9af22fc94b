"""The JSON HTTP API (/api, /healthz) and its wiring: API keys, errors, the OpenAI routes.

A thin client of the public ``Assistant`` API. The assistant's work blocks
(embedding, Chroma), so every call runs in the threadpool and the event loop
stays free; each request carries its own conversation, nothing is shared.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, FastAPI, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from rag import Answer
from server.access import SCOPE_KEY
from server.conversations_api import (
    ask_in_conversation,
    build_conversations_router,
    owner_dependency,
)
from server.openai_routes import build_openai_router, resolve_answerer
from server.problems import AuthError, SafeRoute, error_responses, install_error_handlers
from server.schemas import (
    AskRequest,
    Deleted,
    DocumentList,
    DocumentOut,
    DocumentText,
    FileResult,
    Health,
    UploadResult,
)
from server.uploads import (
    MAX_FILES,
    MULTIPART_SLACK,
    body_limited_route,
    check_batch,
    file_result,
    merge_reports,
    read_limited,
)

if TYPE_CHECKING:
    from rag import Assistant, IngestReport

log = logging.getLogger(__name__)
_bearer = HTTPBearer(auto_error=False, description="Needed only when RAG_API_KEYS is set.")


def install_api(app: FastAPI, assistant: Assistant) -> None:
    """Add the /api, /v1 and /healthz routes and the JSON error handlers to ``app``."""
    install_error_handlers(app)
    guarded = [Depends(api_key_guard(assistant))]
    openai_router = build_openai_router(assistant, route_class=SafeRoute)
    app.include_router(openai_router, prefix="/v1", dependencies=guarded)
    app.include_router(build_api_router(assistant), prefix="/api", dependencies=guarded)
    app.include_router(build_conversations_router(assistant), prefix="/api", dependencies=guarded)
    app.include_router(build_health_router(assistant))


def build_health_router(assistant: Assistant) -> APIRouter:
    """``GET /healthz``, open without an API key so load balancers can probe it."""
    router = APIRouter(tags=["health"], route_class=SafeRoute)

    @router.get("/healthz", response_model=Health, responses=error_responses(503))
    async def healthz() -> JSONResponse:
        """Store (and model) reachability; 503 when the store is down. Needs no API key."""
        health = await run_in_threadpool(assistant.health)
        return JSONResponse(health, status_code=200 if health.get("ok") else 503)

    return router


def api_key_guard(assistant: Assistant) -> Callable[..., Awaitable[None]]:
    """A dependency refusing requests without a configured key, when keys are configured."""

    async def require_api_key(
        request: Request,
        credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
    ) -> None:
        keys = [k for k in assistant.settings.api_keys if k]
        if not keys or request.scope.get(SCOPE_KEY) == "session":
            return  # a logged-in web session counts as a key (see server.access)
        given = credentials.credentials.encode() if credentials else b""
        # Compare against every key, always, so timing says nothing about which matched.
        matched = False
        for key in keys:
            matched |= hmac.compare_digest(given, key.encode())
        if not matched:
            raise AuthError("A valid API key is required: send 'Authorization: Bearer <key>'.")

    return require_api_key


# --- /api routes -------------------------------------------------------------------------
def build_api_router(assistant: Assistant) -> APIRouter:
    """Routes under /api: ask, documents (upload, list, read, delete), status."""
    errors = error_responses(401, 422, 500)
    router = APIRouter(tags=["api"], responses=errors, route_class=SafeRoute)
    upload_limit = int(assistant.settings.max_upload_mb * 1_000_000)

    request_owner = owner_dependency(assistant)

    @router.post("/ask", response_model=Answer, responses=error_responses(400, 404, 502, 503))
    async def ask(body: AskRequest, request: Request) -> Answer:
        """Answer a question; every sentence cites the passage (doc, date, span) behind it."""
        answerer = resolve_answerer(assistant, body.answerer)
        history = [turn.model_dump() for turn in body.history]
        filters = body.filters.to_dict() if body.filters else None

        def answer_with(past: list[dict[str, str]]) -> Answer:
            return assistant.ask(body.question, past, filters, k=body.k, answerer=answerer)

        if body.conversation_id is None:
            answer = await run_in_threadpool(answer_with, history)
        else:  # the stored history replaces the request's
            answer = await run_in_threadpool(
                ask_in_conversation, assistant, request_owner(request), body.conversation_id,
                body.question, answer_with,
            )  # fmt: skip
        return answer  # serialized by its own model: the same JSON as Answer.to_dict()

    async def upload(
        files: list[UploadFile] = File(
            min_length=1, max_length=MAX_FILES, description="Articles (.txt, .md, .html, .pdf)."
        ),
        replace: bool = Query(
            False, description="Replace a different document already indexed under the same id."
        ),
    ) -> UploadResult:
        """Ingest one or more files; a file's doc id is its cleaned name.

        A file whose id is taken by a different document fails (the old one is
        kept) unless ``replace=true``.
        """
        check_batch([item.filename or "" for item in files])
        payloads = [await read_limited(item, upload_limit) for item in files]
        results: list[FileResult] = []
        reports: list[IngestReport] = []
        for item, data in zip(files, payloads, strict=True):
            report = await run_in_threadpool(
                partial(assistant.ingest_bytes, replace=replace), item.filename or "", data
            )
            reports.append(report)
            results.append(file_result(item.filename or "", report))
        log.info("Upload of %d file(s): %s", len(files), [r.doc_id for r in results])
        return merge_reports(results, reports)

    router.add_api_route(
        "/documents",
        upload,
        methods=["POST"],
        response_model=UploadResult,
        responses=error_responses(400, 413, 415, 503),
        form_limits={"max_files": MAX_FILES, "max_fields": 10},
        # Cut the body off while it streams in, before it is spooled to disk.
        route_class_override=body_limited_route(
            upload_limit * MAX_FILES + MULTIPART_SLACK,
            f"One upload takes at most {MAX_FILES} files of "
            f"{assistant.settings.max_upload_mb:g} MB each.",
        ),
    )

    @router.get("/documents", response_model=DocumentList)
    async def list_documents() -> DocumentList:
        """Indexed documents with title, date and chunk count."""
        infos = await run_in_threadpool(assistant.documents)
        return DocumentList(documents=[DocumentOut(**vars(info)) for info in infos])

    @router.get(
        "/documents/{doc_id:path}", response_model=DocumentText, responses=error_responses(404)
    )
    async def read_document(doc_id: str) -> DocumentText:
        """A document's full text (citation offsets index into it) and metadata."""
        text = await run_in_threadpool(assistant.document_text, doc_id)
        infos = await run_in_threadpool(assistant.documents)
        info = next((vars(i) for i in infos if i.doc_id == doc_id), {"doc_id": doc_id})
        return DocumentText(**info, text=text)

    @router.delete(
        "/documents/{doc_id:path}", response_model=Deleted, responses=error_responses(404)
    )
    async def delete_document(doc_id: str) -> Deleted:
        """Remove a document and its chunks."""
        await run_in_threadpool(assistant.delete_document, doc_id)
        return Deleted(deleted=doc_id)

    @router.get("/status", responses=error_responses(503))
    async def status() -> dict[str, Any]:
        """Counts, embedder, store location and last sync time."""
        return await run_in_threadpool(assistant.status)

    return router
