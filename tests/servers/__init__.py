"""Real servers that tests run on loopback: a scripted OpenAI-compatible API."""

from tests.servers.scripted_openai import (
    RecordedRequest,
    Script,
    ScriptedOpenAIServer,
    hashing_vector,
    quote_first_passage,
)

__all__ = [
    "RecordedRequest",
    "Script",
    "ScriptedOpenAIServer",
    "hashing_vector",
    "quote_first_passage",
]
