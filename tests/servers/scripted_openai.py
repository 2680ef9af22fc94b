"""A real OpenAI-compatible HTTP server whose replies a test scripts.

Serves ``POST /v1/chat/completions`` (JSON and SSE streaming, in OpenAI's
exact wire format), ``POST /v1/embeddings`` (deterministic hashing vectors,
float or base64) and ``GET /v1/models`` on 127.0.0.1, from a daemon thread.
Each request pops the next :class:`Script` step queued for its route; with the
queue empty, chat answers with ``default_reply(messages)`` and embeddings with
plain vectors. Every request is recorded in ``server.requests``::

    with ScriptedOpenAIServer() as server:
        server.push(Script.error(429), Script.reply("Fine [1]."))
        llm = OpenAIChatLLM(model="m", base_url=server.base_url)
        assert llm.complete(messages) == "Fine [1]."
        assert len(server.chat_requests) == 2
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

Route = Literal["chat", "embeddings"]
ReplyFn = Callable[[list[dict[str, Any]]], str]

_ERROR_TYPES = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "permission_denied"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
}
_PASSAGE = re.compile(r'<passage id="1"[^>]*>\s*(.*?)\s*</passage>', re.DOTALL)


@dataclass(frozen=True)
class Script:
    """One scripted answer to the next request on a route; build with the classmethods."""

    text: str | None = None  # reply text; None = the server's default reply
    status: int = 200  # != 200: an OpenAI-style JSON error with this status
    message: str = ""  # the error message for status != 200
    headers: dict[str, str] = field(default_factory=dict)  # extra response headers
    delay: float = 0.0  # seconds to wait before answering (client timeouts)
    cut_after: int | None = None  # close the connection after N content chunks
    malformed: bool = False  # answer 200 with a body that is not JSON

    @classmethod
    def reply(cls, text: str, *, delay: float = 0.0) -> Script:
        """Answer with ``text`` (streamed word by word when the request streams)."""
        return cls(text=text, delay=delay)

    @classmethod
    def error(cls, status: int, message: str = "", *, retry_after: float | None = None) -> Script:
        """Answer with HTTP ``status`` and ``{"error": {...}}``; optional Retry-After."""
        headers = {"retry-after": f"{retry_after:g}"} if retry_after is not None else {}
        return cls(status=status, message=message or f"scripted error {status}", headers=headers)

    @classmethod
    def slow(cls, seconds: float, text: str | None = None) -> Script:
        """Wait ``seconds`` before answering, to make a client time out."""
        return cls(text=text, delay=seconds)

    @classmethod
    def cut(cls, after: int, text: str | None = None) -> Script:
        """Send ``after`` content chunks, then drop the connection without ``[DONE]``.

        A non-streaming request gets half of its JSON body before the drop.
        """
        return cls(text=text, cut_after=after)

    @classmethod
    def bad_json(cls) -> Script:
        """Answer 200 with a body (or SSE event) that is not valid JSON."""
        return cls(malformed=True)


@dataclass
class RecordedRequest:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    json: Any  # the parsed body; None for GET or a body that is not JSON

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The chat ``messages`` of a chat completion request."""
        return list((self.json or {}).get("messages", []))


def quote_first_passage(messages: list[dict[str, Any]]) -> str:
    """Default reply: passage [1]'s first sentence cited as [1], else a refusal."""
    found = _PASSAGE.search(str(messages[-1].get("content", ""))) if messages else None
    if not found or not found.group(1):
        return "The articles do not say."
    sentence = re.split(r"(?<=[.!?])\s+", found.group(1), maxsplit=1)[0]
    return f"{sentence.rstrip('.!?')}. [1]"


def hashing_vector(text: str, dim: int = 64) -> list[float]:
    """A deterministic unit vector: signed token-hash buckets, L2-normalised."""
    vector = [0.0] * dim
    for token in re.findall(r"\w+", text.lower()):
        digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
        bucket = int.from_bytes(digest[:4], "little") % dim
        vector[bucket] += 1.0 if digest[4] & 1 else -1.0
    norm = sum(v * v for v in vector) ** 0.5 or 1.0
    return [v / norm for v in vector]


def _pieces(text: str) -> list[str]:
    """Split into stream deltas the way servers do: a word with its trailing space."""
    return re.findall(r"\S+\s*|\s+", text) or [""]


class ScriptedOpenAIServer:
    """Context manager running the scripted server; see the module docstring."""

    def __init__(
        self,
        *,
        default_reply: ReplyFn = quote_first_passage,
        model: str = "scripted-model",
        api_key: str | None = None,
        embedding_dim: int = 64,
    ) -> None:
        """``api_key``: when set, requests without ``Bearer <api_key>`` get a 401."""
        self.default_reply = default_reply
        self.model = model
        self.api_key = api_key
        self.embedding_dim = embedding_dim
        self.requests: list[RecordedRequest] = []
        self._queues: dict[Route, deque[Script]] = {"chat": deque(), "embeddings": deque()}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- scripting -----------------------------------------------------------
    def push(self, *steps: Script, route: Route = "chat") -> None:
        """Queue steps for the next requests on ``route``, in order."""
        with self._lock:
            self._queues[route].extend(steps)

    def pending(self, route: Route = "chat") -> int:
        """Steps still queued for ``route``."""
        with self._lock:
            return len(self._queues[route])

    def clear(self) -> None:
        """Forget queued steps and recorded requests."""
        with self._lock:
            for queue in self._queues.values():
                queue.clear()
            self.requests.clear()

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """Recorded chat completion requests, oldest first."""
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def _next(self, route: Route) -> Script:
        with self._lock:
            queue = self._queues[route]
            return queue.popleft() if queue else Script()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    # --- lifecycle ------------------------------------------------------------
    @property
    def port(self) -> int:
        """The bound port (chosen free by the OS)."""
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1``, ready for ``OpenAI(base_url=...)``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> ScriptedOpenAIServer:
        """Bind a free port and serve from a daemon thread."""
        handler = type("Handler", (_Handler,), {"scripted": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; requests sleeping on a delay wake up and are dropped."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> ScriptedOpenAIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    """Speaks HTTP/1.1 with keep-alive, like a real server the client pools."""

    protocol_version = "HTTP/1.1"
    timeout = 30  # reap idle keep-alive connections
    scripted: ScriptedOpenAIServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Stay quiet: pytest output is for failures."""

    def do_GET(self) -> None:
        self._receive(None)
        if self._refuse_unauthorised():
            return
        model = {"id": self.scripted.model, "object": "model", "created": 0, "owned_by": "tests"}
        if self.path.rstrip("/").endswith("/models"):
            self._send_json(200, {"object": "list", "data": [model]})
        elif self.path.endswith(f"/models/{self.scripted.model}"):
            self._send_json(200, model)
        else:
            self._send_error(404, f"no route GET {self.path}")

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = None
        self._receive(body)
        if self._refuse_unauthorised():
            return
        route: Route | None = (
            "chat" if self.path.endswith("/chat/completions")
            else "embeddings" if self.path.endswith("/embeddings")
            else None
        )  # fmt: skip
        if route is None or not isinstance(body, dict):
            self._send_error(404 if route is None else 400, f"cannot serve POST {self.path}")
            return
        step = self.scripted._next(route)
        if step.delay and self.scripted._stopping.wait(step.delay):
            self.close_connection = True
            return
        if step.status != 200:
            self._send_error(step.status, step.message, step.headers)
        elif route == "embeddings":
            self._embeddings(body, step)
        elif body.get("stream"):
            self._chat_stream(body, step)
        else:
            self._chat(body, step)

    # --- routes -----------------------------------------------------------------
    def _chat(self, body: dict[str, Any], step: Script) -> None:
        text = self._reply_text(body, step)
        if step.malformed:
            self._send_raw(200, b'{"id": "chatcmpl-broken", "choices": [{"mess')
            return
        words = len(text.split())
        payload = {
            **self._envelope(body, "chat.completion"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": words, "total_tokens": words + 1},
        }
        data = json.dumps(payload).encode()
        if step.cut_after is not None:
            self._send_raw(200, data, cut=len(data) // 2)
        else:
            self._send_raw(200, data)

    def _chat_stream(self, body: dict[str, Any], step: Script) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream; charset=utf-8")
        self.send_header("cache-control", "no-cache")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        envelope = self._envelope(body, "chat.completion.chunk")

        def event(delta: dict[str, Any], finish: str | None = None) -> None:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
            self._write_chunk(f"data: {json.dumps({**envelope, 'choices': [choice]})}\n\n")

        try:
            event({"role": "assistant", "content": "", "refusal": None})
            if step.malformed:
                self._write_chunk('data: {"id": "chatcmpl-broken", "choi\n\n')
            else:
                for sent, piece in enumerate(_pieces(self._reply_text(body, step))):
                    if step.cut_after is not None and sent >= step.cut_after:
                        self.close_connection = True  # no terminating chunk, no [DONE]
                        return
                    event({"content": piece})
                event({}, "stop")
                if (body.get("stream_options") or {}).get("include_usage"):
                    usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
                    chunk = {**envelope, "choices": [], "usage": usage}
                    self._write_chunk(f"data: {json.dumps(chunk)}\n\n")
            self._write_chunk("data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client hung up (its timeout): fine

    def _embeddings(self, body: dict[str, Any], step: Script) -> None:
        if step.malformed:
            self._send_raw(200, b'{"object": "list", "data": [{"embe')
            return
        inputs = body.get("input", [])
        if isinstance(inputs, str) or (inputs and isinstance(inputs[0], int)):
            inputs = [inputs]  # one string, or one pre-tokenised text
        dim = int(body.get("dimensions") or self.scripted.embedding_dim)
        data = []
        for index, item in enumerate(inputs):
            text = item if isinstance(item, str) else " ".join(f"t{t}" for t in item)
            vector = hashing_vector(text, dim)
            encoded: Any = vector
            if body.get("encoding_format") == "base64":
                encoded = base64.b64encode(struct.pack(f"<{dim}f", *vector)).decode()
            data.append({"object": "embedding", "index": index, "embedding": encoded})
        tokens = sum(len(str(i).split()) for i in inputs)
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        model = body.get("model", self.scripted.model)
        self._send_json(200, {"object": "list", "data": data, "model": model, "usage": usage})

    # --- plumbing --------------------------------------------------------------------
    def _receive(self, body: Any) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.scripted._record(RecordedRequest(self.command, self.path, headers, body))

    def _refuse_unauthorised(self) -> bool:
        expected = self.scripted.api_key
        if expected is None or self.headers.get("authorization") == f"Bearer {expected}":
            return False
        self._send_error(401, "Incorrect API key provided.")
        return True

    def _reply_text(self, body: dict[str, Any], step: Script) -> str:
        return step.text if step.text is not None else self.scripted.default_reply(body["messages"])

    def _envelope(self, body: dict[str, Any], kind: str) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-scripted-{len(self.scripted.requests)}",
            "object": kind,
            "created": int(time.time()),
            "model": body.get("model", self.scripted.model),
            "system_fingerprint": None,
        }

    def _send_error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        kind, code = _ERROR_TYPES.get(status, ("server_error", None))
        error = {"message": message, "type": kind, "param": None, "code": code}
        self._send_json(status, {"error": error}, headers)

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send_raw(status, json.dumps(payload).encode(), headers=headers)

    def _send_raw(
        self,
        status: int,
        data: bytes,
        *,
        cut: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Send a JSON body; ``cut`` sends only that many bytes, then hangs up."""
        try:
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data if cut is None else data[:cut])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client already gave up
        if cut is not None:
            self.close_connection = True

    def _write_chunk(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


def llm_settings(server: ScriptedOpenAIServer, data_dir: Any, **overrides: Any) -> Any:
    """Settings for an assistant whose LLM is this scripted server (fast timeouts)."""
    from rag.settings import Settings

    values: dict[str, Any] = {
        "data_dir": data_dir,
        "llm_mode": "openai",
        "openai_base_url": server.base_url,
        "llm_model": server.model,
        "llm_timeout": 2.0,
        "llm_max_retries": 1,
    }
    return Settings(**{**values, **overrides})
