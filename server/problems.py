"""How the HTTP API fails: its own RagError subclasses, and a JSON problem for every error.

Every failure leaves as OpenAI's ``{"error": {"message", "type", "code"}}``
with the right status; tracebacks go to the log, never to the client.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from rag import ConfigError, InputError, ModelError, NotFoundError, RagError, StoreError

log = logging.getLogger(__name__)


class AuthError(RagError):
    """The request lacks a valid API key."""

    http_status = 401
    code = "invalid_api_key"


class PayloadTooLarge(InputError):
    """An uploaded file is over ``max_upload_mb``."""

    http_status = 413
    code = "payload_too_large"


class UnsupportedMediaType(InputError):
    """An uploaded file's type cannot be ingested."""

    http_status = 415
    code = "unsupported_media_type"


class ModelNotFound(NotFoundError):
    """The requested model/answerer does not exist."""

    code = "model_not_found"


# Codes of the rag errors; a subclass without its own ``code`` gets its nearest base's.
_CODES: dict[type, str] = {
    ConfigError: "config_error",
    InputError: "invalid_input",
    NotFoundError: "not_found",
    StoreError: "store_unavailable",
    ModelError: "model_error",
}


def error_type(status: int) -> str:
    """OpenAI's error category for an HTTP status."""
    if status == 401:
        return "authentication_error"
    if status == 429:
        return "rate_limit_error"
    return "invalid_request_error" if status < 500 else "server_error"


def error_code(exc: RagError) -> str:
    """A snake_case code for a RagError: its own ``code``, else its nearest rag base's."""
    code = getattr(exc, "code", None)
    if isinstance(code, str):
        return code
    return next((_CODES[c] for c in type(exc).__mro__ if c in _CODES), "error")


def error_body(status: int, message: str, code: str | None, **extra: Any) -> dict[str, Any]:
    """The JSON problem OpenAI clients understand: ``{"error": {message, type, code}}``."""
    return {"error": {"message": message, "type": error_type(status), "code": code, **extra}}


# --- documenting failures in OpenAPI --------------------------------------------------------
class ErrorDetail(BaseModel):
    """OpenAI's error object: a user-safe message, a category and a specific code."""

    message: str
    type: str = Field(description="Category, as OpenAI names them (invalid_request_error, ...).")
    code: str | None = Field(None, description="Specific reason, e.g. not_found, invalid_api_key.")
    param: str | None = None
    details: list[dict[str, Any]] | None = Field(None, description="Validation errors, if any.")


class ErrorResponse(BaseModel):
    """Body of every non-2xx answer of the API."""

    error: ErrorDetail


_ERROR_DESCRIPTIONS = {
    400: "The request cannot be used as given (empty question, bad document...).",
    401: "A valid API key is required (only when RAG_API_KEYS is set).",
    404: "No such document or model.",
    413: "An uploaded file is over the size limit.",
    415: "An uploaded file has an unsupported type.",
    422: "The request does not match the schema.",
    500: "Unexpected server error (details are logged, never returned).",
    502: "The language model failed.",
    503: "The vector store cannot be reached.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries documenting the error statuses of a route."""
    return {s: {"model": ErrorResponse, "description": _ERROR_DESCRIPTIONS[s]} for s in statuses}


# --- translating failures -----------------------------------------------------------------
def install_error_handlers(app: FastAPI) -> None:
    """Every failure leaves as ``{"error": {...}}`` with the right status, never a traceback."""
    app.add_exception_handler(RagError, _rag_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected_error)


async def _rag_error(request: Request, exc: RagError) -> JSONResponse:
    status = exc.http_status
    log.log(
        logging.WARNING if status >= 500 else logging.INFO,
        "%s %s -> %d %s",
        request.method,
        request.url.path,
        status,
        type(exc).__name__,
    )
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(status, str(exc), error_code(exc)), status, headers=headers)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    # Only loc/msg/type: pydantic's 'input' would echo request bodies (article text).
    details = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type"))}
        for e in exc.errors()
    ]
    first = details[0] if details else {"loc": [], "msg": "invalid request"}
    param = ".".join(str(p) for p in first["loc"]) or None
    message = f"Invalid request: {param + ': ' if param else ''}{first['msg']}"
    body = error_body(422, message, "validation_error", param=param, details=details)
    return JSONResponse(body, 422)


# Framework errors (FastAPI, Starlette's form parser) get a code and a sentence that helps.
HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
}
_PARSER_MESSAGES = {
    "There was an error parsing the body": (
        400,
        "invalid_body",
        "The request body cannot be decoded: send UTF-8 JSON.",
    ),
    "Invalid multipart data.": (
        400,
        "invalid_multipart",
        "The multipart body cannot be read: a part header (for example a file name) "
        "is malformed or over 4 KB.",
    ),
}


def framework_problem(status: int, message: str) -> tuple[int, str, str]:
    """(status, code, message) for an error raised by FastAPI or Starlette themselves."""
    if message in _PARSER_MESSAGES:
        return _PARSER_MESSAGES[message]
    if message.startswith("Too many files."):
        return 413, "payload_too_large", message  # the docs promise 413 for too much upload
    return status, HTTP_CODES.get(status, "error"), message


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else "The request failed."
    status, code, message = framework_problem(exc.status_code, detail)
    log.info("%s %s -> %d %s", request.method, request.url.path, status, code)
    return JSONResponse(error_body(status, message, code), status, headers=exc.headers)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # The log gets the traceback; the client a generic sentence.
    log.error("Unexpected %s in %s %s", type(exc).__name__, request.method, request.url.path,
              exc_info=exc)  # fmt: skip
    body = error_body(
        500, "Internal server error; the details are in the server log.", "internal_error"
    )
    return JSONResponse(body, 500)


class SafeRoute(APIRoute):
    """Answers unexpected exceptions with the JSON 500 itself.

    Starlette's catch-all handler re-raises after answering, and uvicorn then
    drops the connection, so clients would see a reset instead of the JSON.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def safe_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except (HTTPException, RequestValidationError, RagError):
                raise  # these have their own handlers
            except Exception as exc:
                return await _unexpected_error(request, exc)

        return safe_handler
