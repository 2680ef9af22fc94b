"""Every 4xx/5xx under /api and /v1 as a JSON problem, even those no route handler raises.

Unknown routes and wrong methods would otherwise fall through to the Gradio
app mounted at ``/`` (``{"detail": "Not Found"}``), and a body of the wrong
type would reach validation (422). This middleware answers those itself, and
rewrites any other error that leaves without the problem shape.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from server.problems import HTTP_CODES, error_body

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)
API_PREFIXES = ("/api/", "/v1/")
MULTIPART_PATHS = frozenset({"/api/documents"})
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def api_routes(app: Any) -> list[Any]:
    """The app's own routes, without mounts (Gradio at ``/`` would match every path)."""
    from starlette.routing import Mount

    return [route for route in app.router.routes if not isinstance(route, Mount)]


def is_api(path: str) -> bool:
    """True for the JSON API's paths."""
    return path.startswith(API_PREFIXES) or path in ("/api", "/v1")


def body_type_problem(path: str, headers: dict[bytes, bytes]) -> str | None:
    """Why a request body has the wrong media type, or None when it is fine."""
    has_body = headers.get(b"content-length", b"0") != b"0" or b"transfer-encoding" in headers
    if not has_body:
        return None
    media = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
    if path in MULTIPART_PATHS:
        if media != "multipart/form-data":
            return "Upload files as multipart/form-data (a 'files' field per file)."
        return None
    if media != "application/json" and not media.endswith("+json"):
        shown = f"not {media}" if media else "it had no Content-Type"
        return f"Send the body as JSON with 'Content-Type: application/json'; {shown}."
    return None


class ApiProblems:
    """ASGI middleware: 404/405/415 for the API in the problem shape, and a safety net."""

    def __init__(self, app: ASGIApp, routes: Callable[[], Sequence[Any]]) -> None:
        self.app, self.routes = app, routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not is_api(path):
            await self.app(scope, receive, send)
            return
        problem = self._route_problem(scope)
        if problem is None and scope["method"] in _BODY_METHODS:
            why = body_type_problem(path, dict(scope.get("headers") or []))
            problem = (415, "unsupported_media_type", why, {}) if why else None
        if problem is not None:
            status, code, message, extra_headers = problem
            log.info("%s %s -> %d %s", scope["method"], path, status, code)
            await send_problem(send, status, code, message, extra_headers)
            return
        await self.app(scope, receive, _ProblemGuard(send))

    def _route_problem(self, scope: Scope) -> tuple[int, str, str, dict[str, str]] | None:
        """404 when no route has this path, 405 (with Allow) when none takes this method."""
        from starlette.routing import Match

        routes = self.routes()
        matches = [route.matches(scope)[0] for route in routes]
        if Match.FULL in matches:
            return None
        method, path = scope["method"], scope.get("path", "")
        if Match.PARTIAL not in matches:
            return 404, "not_found", f"There is no API route {path}; see /docs.", {}
        allowed = [
            other
            for other in ("GET", "POST", "PUT", "PATCH", "DELETE")
            if any(r.matches({**scope, "method": other})[0] == Match.FULL for r in routes)
        ]
        names = ", ".join(allowed)
        message = f"{path} does not take {method}" + (f"; use {names}." if names else ".")
        return 405, "method_not_allowed", message, {"allow": names}


async def send_problem(
    send: Send, status: int, code: str, message: str, extra: dict[str, str] | None = None
) -> None:
    """Answer with the JSON problem."""
    body = json.dumps(error_body(status, message, code)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in (extra or {}).items() if v]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _ProblemGuard:
    """Wraps ``send``: an error response without the problem shape is replaced by one."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.start: Message | None = None
        self.body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if message["status"] < 400:
                await self.send(message)
                return
            self.start = message
            return
        if self.start is None or message["type"] != "http.response.body":
            await self.send(message)
            return
        self.body += message.get("body", b"")
        if message.get("more_body"):
            return
        status = self.start["status"]
        if _is_problem(self.body):
            await self.send(self.start)
            await self.send({"type": "http.response.body", "body": self.body})
            return
        text = self.body.decode("utf-8", "replace")[:200] or "The request failed."
        await send_problem(self.send, status, HTTP_CODES.get(status, "error"), text)


def _is_problem(body: bytes) -> bool:
    """True for ``{"error": {"message": ..., "code": "<str>"}}``."""
    try:
        error = json.loads(body).get("error")
    except (ValueError, AttributeError):
        return False
    return isinstance(error, dict) and isinstance(error.get("code"), str)
