"""The one access rule of ``rag serve``, as an ASGI middleware in front of every route.

When API keys or ``RAG_UI_AUTH`` are configured, every request needs either
``Authorization: Bearer <key>`` or the cookie of a logged-in web session, except
the few routes that only draw the login page (:data:`PUBLIC_PATHS`,
:data:`PUBLIC_PREFIXES`). Deny by default: a route Gradio adds in a later
version is guarded without anyone listing it. Uploaded copies are never
served by path, with or without credentials.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from server.problems import error_body

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

    from rag import Settings

log = logging.getLogger(__name__)

# Routes that read and change nothing: the login page, its assets, health and API docs.
PUBLIC_PATHS = frozenset(
    {
        "/",
        "/login",
        "/login/",
        "/logout",
        "/healthz",
        "/favicon.ico",
        "/theme.css",
        "/robots.txt",
        "/manifest.json",
        "/docs",
        "/docs/oauth2-redirect",
        "/redoc",
        "/openapi.json",
        "/gradio_api/theme.css",
    }
)
PUBLIC_PREFIXES = ("/assets/", "/static/", "/svelte/", "/pwa_icon")
SESSION_COOKIES = ("access-token-", "access-token-unsecure-")
FILE_ROUTE = "/gradio_api/file="
SCOPE_KEY = "rag.access"  # "key", "session" or "open": how a request was let in


def access_required(settings: Settings) -> bool:
    """True when any credential is configured, so the rule applies."""
    return bool(api_keys(settings) or settings.ui_auth)


def api_keys(settings: Settings) -> list[str]:
    """The configured API keys (read per request: settings may change at run time)."""
    return [k for k in settings.api_keys if k]


def key_matches(given: str, keys: list[str]) -> bool:
    """Constant-time check of ``given`` against every key."""
    matched = False
    for key in keys:  # every key, always: timing says nothing about which matched
        matched |= hmac.compare_digest(given.encode(), key.encode())
    return matched and bool(given)


def web_login(settings: Settings) -> Callable[[str, str], bool]:
    """Gradio's login check: any user name with an API key as password, or RAG_UI_AUTH."""

    def check(username: str, password: str) -> bool:
        if key_matches(password, api_keys(settings)):
            return True
        if settings.ui_auth:
            user, secret = settings.ui_auth.split(":", 1)
            return hmac.compare_digest(username.encode(), user.encode()) & hmac.compare_digest(
                password.encode(), secret.encode()
            )
        return False

    return check


def is_public(path: str) -> bool:
    """A route anyone may load: it shows the login page or documents the API, nothing more."""
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class AccessRule:
    """ASGI middleware: refuse anonymous requests to every non-public route."""

    def __init__(
        self,
        app: ASGIApp,
        settings: Settings,
        chat: Any = None,
        hidden_dirs: tuple[Path, ...] = (),
    ) -> None:
        self.app, self.settings = app, settings
        self.chat = chat  # the mounted Gradio app: its token -> user table are the sessions
        self.hidden_dirs = tuple(d.resolve() for d in hidden_dirs)
        self._key_session = secrets.token_urlsafe(24)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path.startswith(FILE_ROUTE) and self._hidden(path[len(FILE_ROUTE) :]):
            await _refuse(send, 404, "not_found", "No such file.", path)
            return
        how = self._admit(scope)
        if how is None and not is_public(path) and scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})  # policy violation
            return
        if how is None and not is_public(path):
            log.info("%s %s -> 401 (no key, no session)", scope.get("method", "WS"), path)
            message = (
                "A valid API key is required: send 'Authorization: Bearer <key>', "
                "or log in to the web chat."
            )
            await _refuse(send, 401, "invalid_api_key", message, path)
            return
        scope[SCOPE_KEY] = how or "open"
        await self.app(scope, receive, send)

    def _admit(self, scope: Scope) -> str | None:
        """'open' without credentials configured, 'key' or 'session' when proven, else None."""
        if not access_required(self.settings):
            return "open"
        headers = dict(scope.get("headers") or [])
        auth = headers.get(b"authorization", b"").decode("latin-1")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() == "bearer" and key_matches(token.strip(), api_keys(self.settings)):
            self._vouch_for_key(scope)
            return "key"
        if self.chat is not None and headers.get(b"cookie"):
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(headers[b"cookie"].decode("latin-1"))
            except Exception:  # a malformed cookie header proves nothing
                return None
            tokens = self.chat.tokens
            for name, morsel in cookie.items():
                if name.startswith(SESSION_COOKIES) and morsel.value in tokens:
                    return "session"
        return None

    def _vouch_for_key(self, scope: Scope) -> None:
        """Give a keyed request Gradio's session cookie: its routes check only that cookie."""
        if self.chat is None:
            return
        self.chat.tokens[self._key_session] = "api-key"
        cookie = f"access-token-unsecure-{self.chat.cookie_id}={self._key_session}".encode()
        scope["headers"] = [*scope.get("headers", []), (b"cookie", cookie)]

    def _hidden(self, raw: str) -> bool:
        """True for a file= path inside a directory that is never served (uploaded copies)."""
        if not self.hidden_dirs:
            return False
        try:
            target = Path(unquote(raw)).resolve()
        except (OSError, ValueError):
            return True
        return any(target == d or d in target.parents for d in self.hidden_dirs)


async def _refuse(send: Send, status: int, code: str, message: str, path: str) -> None:
    """A JSON problem, the same shape the API answers everywhere."""
    body = json.dumps(error_body(status, message, code)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def describe_access(settings: Settings) -> str:
    """One line for the operator: what protects the API and the web chat."""
    if not access_required(settings):
        return "Access: open (no RAG_API_KEYS, no RAG_UI_AUTH): anyone who can reach the port."
    ways = []
    if api_keys(settings):
        ways.append(f"{len(api_keys(settings))} API key(s) (Bearer, or as web login password)")
    if settings.ui_auth:
        ways.append("the RAG_UI_AUTH login")
    return "Access: API and web chat need " + " or ".join(ways) + "."
