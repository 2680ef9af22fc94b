"""spaCy in a second process, so a one-shot command loads it in parallel with its own start-up.

A cold ``rag ask`` needs spaCy only to parse the question, but importing it
and loading the pipeline costs ~1.9 s. A thread cannot overlap that with the
main thread's imports and loading (the GIL and the import lock serialise
them: it measured slower), a process can, on the other core.
``WorkerAnnotator.start`` runs ``python -m index.annotate_worker``, which
builds the same ``SpacyAnnotator`` (same pipeline, same thinc ops), loads it
at once, then answers one JSON line per request line until end of input:

- ``{"texts": [...]}`` (``annotate``) or ``{"text": "..."}`` (``annotate_one``)
  -> ``{"annotations": [ChunkAnnotation.to_json(), ...]}``;
- a request that fails -> ``{"error": "..."}``.

It exits at the end of its input, so it ends with the parent however the
parent ends (``os._exit`` included). Whatever goes wrong with it, parsing
falls back to the parent's own ``SpacyAnnotator`` code with one warning, so
the answer still comes.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import IO, Any

from index.annotate import ChunkAnnotation, SpacyAnnotator

log = logging.getLogger(__name__)
MODULE = "index.annotate_worker"


def worker_command(batch_size: int = 32, exclude: Sequence[str] = ()) -> list[str]:
    """The command line of a worker that parses like ``SpacyAnnotator(batch_size, exclude)``.

    ``-P``: the current directory is not searched first, so a user's own
    ``index`` folder there cannot stand in for this package.
    """
    return [sys.executable, "-P", "-m", MODULE, "--batch-size", str(batch_size), *exclude]


class WorkerAnnotator(SpacyAnnotator):
    """A ``SpacyAnnotator`` whose ``annotate`` and ``annotate_one`` run in a child process.

    Until ``start``, after ``close`` and once the worker has failed, they run
    in this process as the parent class does. ``nlp`` (and so ``name``) is
    always this process's own pipeline, loaded when something asks for it.
    """

    def __init__(
        self,
        *,
        batch_size: int = 32,
        exclude: Sequence[str] = (),
        command: Sequence[str] | None = None,
        timeout: float = 60.0,
    ) -> None:
        super().__init__(batch_size=batch_size, exclude=exclude)
        self.command = list(command or worker_command(batch_size, self.exclude))
        self.timeout = timeout  # per reply; the first one waits for the worker's load
        self._proc: subprocess.Popen[bytes] | None = None
        self._done = False  # closed or failed: never started again
        self._request_lock = threading.Lock()  # one request on the pipes at a time

    def start(self) -> WorkerAnnotator:
        """Start the worker, which begins loading spaCy at once; returns ``self``."""
        with self._request_lock:
            if self._proc is not None or self._done:
                return self
            try:
                self._proc = subprocess.Popen(
                    self.command,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,  # never holds the parent's stderr open
                    bufsize=0,  # replies are read from the raw pipe, with a timeout
                )
            except OSError as exc:
                self._give_up(exc)
        return self

    @property
    def running(self) -> bool:
        """Whether parses go to the worker (started, and not closed or failed)."""
        return self._proc is not None

    @property
    def pid(self) -> int | None:
        """The worker's process id while it is used."""
        return self._proc.pid if self._proc is not None else None

    def close(self) -> None:
        """Stop the worker now (it may still be loading); later parses run in this process."""
        with self._request_lock:
            self._done = True
            proc, self._proc = self._proc, None
        if proc is not None:
            _stop(proc)

    def preload(self) -> None:
        """Load in this process only when no worker does it instead."""
        if self._proc is None:
            super().preload()

    def annotate(self, texts: Sequence[str]) -> list[ChunkAnnotation]:
        """One annotation per text, parsed by the worker (here if it cannot)."""
        texts = list(texts)
        if not texts:
            return []  # without loading anything, as the parent class would answer
        parsed = self._in_worker({"texts": texts}, texts)
        return parsed if parsed is not None else super().annotate(texts)

    def annotate_one(self, text: str) -> ChunkAnnotation:
        """Annotation of a single text (a question), parsed by the worker (here if it cannot)."""
        parsed = self._in_worker({"text": text}, [text])
        return parsed[0] if parsed is not None else super().annotate_one(text)

    def _in_worker(self, request: dict[str, Any], texts: list[str]) -> list[ChunkAnnotation] | None:
        """The worker's annotations of ``texts``; None when there is no working worker."""
        with self._request_lock:
            proc = self._proc
            if proc is None:
                return None
            try:
                _send(proc, request)
                reply = json.loads(_receive(proc, self.timeout))
                if "error" in reply:
                    raise RuntimeError(f"the worker says: {reply['error']}")
                payloads = reply["annotations"]
                if len(payloads) != len(texts):
                    raise ValueError(f"{len(payloads)} annotations for {len(texts)} texts")
                return [
                    ChunkAnnotation.from_json(p, t) for p, t in zip(payloads, texts, strict=True)
                ]
            except Exception as exc:  # whatever the worker did, this process can parse instead
                self._give_up(exc)
                return None

    def _give_up(self, exc: BaseException) -> None:
        """Stop using the worker for good: warn once, parse in this process from now on."""
        log.warning(
            "The spaCy worker process failed (%s: %s); parsing here.", type(exc).__name__, exc
        )
        self._done = True
        proc, self._proc = self._proc, None
        if proc is not None:
            _stop(proc)


def _send(proc: subprocess.Popen[bytes], request: dict[str, Any]) -> None:
    """Write one request line (ASCII JSON) to the worker."""
    assert proc.stdin is not None
    data = memoryview((json.dumps(request) + "\n").encode("ascii"))
    while data:
        data = data[proc.stdin.write(data) :]  # a raw pipe may take part of it


def _receive(proc: subprocess.Popen[bytes], timeout: float) -> bytes:
    """One reply line from the worker, waiting at most ``timeout`` seconds for all of it."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + timeout
    reply = bytearray()
    while not reply.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError(f"no reply within {timeout:g} s")
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            raise EOFError(f"the worker exited (status {proc.poll()})")
        reply += chunk
    return bytes(reply)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Close the pipes, kill the worker if it still runs, and reap it."""
    for pipe in (proc.stdin, proc.stdout):
        try:
            if pipe is not None:
                pipe.close()
        except OSError:
            pass  # a broken pipe: it is closed all the same
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        log.warning("The spaCy worker process %d did not exit after SIGKILL.", proc.pid)


# --- the worker's side ------------------------------------------------------------------------
def serve(annotator: SpacyAnnotator, requests: IO[bytes], replies: IO[bytes]) -> None:
    """Answer each request line of ``requests`` with one line on ``replies``, until end of input."""
    for line in requests:
        try:
            found = _annotations(annotator, json.loads(line))
            reply: dict[str, Any] = {"annotations": [a.to_json() for a in found]}
        except Exception as exc:  # the parent parses this one itself; keep serving
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        replies.write(json.dumps(reply).encode("ascii") + b"\n")
        replies.flush()


def _annotations(annotator: SpacyAnnotator, request: Any) -> list[ChunkAnnotation]:
    """What ``request`` asks for: ``annotate_one`` of "text" or ``annotate`` of "texts"."""
    if isinstance(request, dict) and isinstance(request.get("text"), str):
        return [annotator.annotate_one(request["text"])]
    texts = request.get("texts") if isinstance(request, dict) else None
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise ValueError('expected {"texts": [str, ...]} or {"text": str}')
    return annotator.annotate(texts)


def main(argv: Sequence[str] | None = None) -> None:
    """Load spaCy now, then serve requests on stdin until it closes."""
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}", description=main.__doc__)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("exclude", nargs="*", help="Pipeline components left out.")
    args = parser.parse_args(argv)
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")  # the replies' own stdout
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a library's print cannot garble them
    annotator = SpacyAnnotator(batch_size=args.batch_size, exclude=args.exclude)
    try:
        _ = annotator.nlp  # while the parent is busy with its own start-up
    except Exception as exc:  # each request retries and reports it; the parent falls back
        print(f"Loading spaCy failed: {exc}", file=sys.stderr)
    serve(annotator, sys.stdin.buffer, replies)


if __name__ == "__main__":
    main()
