"""The part of a long chat history that an answer uses: the most recent turns that fit.

OpenAI-compatible clients send the whole conversation with every request, so
a long chat must be trimmed, not refused. The answerer's prompt itself keeps
only its last few turns (``rag.prompts``); this bounds the work before it.
"""

from __future__ import annotations

from collections.abc import Sequence

MAX_MESSAGES = 5000  # per request: a long chat, not a flood
MAX_TURNS = 50  # handed to the assistant, newest first
TOKEN_BUDGET = 8000  # cl100k tokens of history handed to the assistant


def recent_turns(
    history: Sequence[dict[str, str]], *, max_turns: int = MAX_TURNS, budget: int = TOKEN_BUDGET
) -> list[dict[str, str]]:
    """The newest turns whose tokens fit ``budget``, starting at a user turn, oldest first."""
    from rag import count_tokens

    kept: list[dict[str, str]] = []
    used = 0
    for turn in reversed(history):
        cost = count_tokens(turn["content"])
        if len(kept) >= max_turns or used + cost > budget:
            break
        kept.append(turn)
        used += cost
    kept.reverse()
    while kept and kept[0]["role"] != "user":
        kept.pop(0)  # an answer without its question is no context
    return kept
