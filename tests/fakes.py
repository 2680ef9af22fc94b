"""In-process fakes for unit tests: a scripted chat model behind the ``ChatLLM`` protocol.

The HTTP twin (``tests.servers.scripted_openai``) tests the real openai client;
this one lets a unit test pass ``llm=`` straight to ``Assistant``.
"""

from __future__ import annotations

from collections.abc import Iterator

from rag import ModelError


class ScriptedLLM:
    """Answers each call with the next scripted reply; an Exception in the script is raised."""

    def __init__(self, *replies: str | Exception, name: str = "scripted") -> None:
        self.name = name
        self.replies = list(replies)
        self.calls: list[list[dict[str, str]]] = []  # the messages of every call, in order

    def _next(self, messages: list[dict[str, str]]) -> str:
        self.calls.append(messages)
        if not self.replies:
            raise ModelError(f"The model {self.name} has no scripted reply left.")
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    def complete(self, messages: list[dict[str, str]]) -> str:
        """The next reply, whole."""
        return self._next(messages)

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """The next reply, a word at a time."""
        reply = self._next(messages)
        words = reply.split(" ")
        for i, word in enumerate(words):
            yield word if i == len(words) - 1 else word + " "
