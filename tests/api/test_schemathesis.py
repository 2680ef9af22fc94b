"""Property-based tests of every operation in the OpenAPI schema: no 5xx, responses match it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEEDS

pytestmark = pytest.mark.slow
API_KEY = "schemathesis-key"


@pytest.fixture(scope="module")
def api_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The API (no UI) over the seeds, hashing embedder, API keys on."""
    from rag.assistant import Assistant
    from rag.settings import Settings
    from server.app import create_app

    data: Path = tmp_path_factory.mktemp("schemathesis")
    assistant = Assistant(Settings(data_dir=data, embed_mode="hashing", api_keys=[API_KEY]))
    assert assistant.ingest([SEEDS]).ok
    yield create_app(assistant, with_ui=False)


@pytest.fixture(scope="module")
def api_schema(api_app: Any) -> Any:
    """The app's own /openapi.json, called in process over ASGI."""
    # A schema-valid request may still be unusable: a question with no words or a
    # conversation ending with the assistant (400), a generated file named 'files'
    # with no extension (415). Uploads with real names are fuzzed below.
    accepted = ["2xx", "400", "401", "404", "413", "415"]
    # Invalid data may also be refused as too large (more than 20 files: 413, as documented).
    rejected = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428"]
    config = schemathesis.Config.from_dict(
        {
            "checks": {
                "positive_data_acceptance": {"expected-statuses": accepted},
                "negative_data_rejection": {"expected-statuses": [*rejected, "429", "5xx"]},
            },
        }
    )
    return schemathesis.openapi.from_asgi("/openapi.json", api_app, config=config)


# Schemathesis' own lazy loader (``schemathesis.pytest.from_fixture``) fails under
# pytest 9 ('Function' object has no attribute '_nodeid'), so operations are
# parametrized by label here; the first test keeps this list equal to the schema's.
OPERATIONS = [
    "GET /v1/models",
    "GET /v1/models/{model}",
    "POST /v1/chat/completions",
    "POST /api/ask",
    "POST /api/documents",
    "GET /api/documents",
    "GET /api/documents/{doc_id}",
    "DELETE /api/documents/{doc_id}",
    "GET /api/status",
    "GET /healthz",
    "GET /api/conversations",
    "POST /api/conversations",
    "GET /api/conversations/{conversation_id}",
    "PATCH /api/conversations/{conversation_id}",
    "DELETE /api/conversations/{conversation_id}",
    "GET /api/conversations/{conversation_id}/export",
]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
NO_INPUTS = {"GET /healthz"}  # nothing to make invalid: negative generation is impossible


def test_every_operation_is_covered(api_schema: Any) -> None:
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert labels == set(OPERATIONS)


@pytest.mark.parametrize(
    ("label", "mode"),
    [
        (op, mode)
        for op in OPERATIONS
        for mode in MODES
        if not (op in NO_INPUTS and mode.value == "negative")
    ],
    ids=lambda v: getattr(v, "value", v),
)
def test_operation_conforms_to_schema(
    api_schema: Any, label: str, mode: schemathesis.GenerationMode
) -> None:
    operation = api_schema.find_operation_by_label(label)
    auth = {"Authorization": f"Bearer {API_KEY}"}

    # Derandomized: the same 25 cases every run, so CI cannot fail on a draw no change
    # caused. One random draw (hypothesis seed 6284781838...) made a "negative" GET
    # /api/conversations whose extra query parameter never reached the server, beside the
    # Authorization header this test always sends: a valid request, rightly answered 200.
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=auth)

    check()


@given(
    name=st.sampled_from(["a.txt", "b.md", "c.html", "d.pdf", "../e.htm", "f.markdown"]),
    data=st.binary(max_size=3000) | st.text(max_size=3000).map(str.encode),
)
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_uploading_arbitrary_bytes_never_fails_the_server(
    api_app: Any, name: str, data: bytes
) -> None:
    from fastapi.testclient import TestClient

    with TestClient(api_app, raise_server_exceptions=True) as client:
        resp = client.post(
            "/api/documents",
            files=[("files", (name, data))],
            headers={"Authorization": f"Bearer {API_KEY}"},
        )
    assert resp.status_code == 200, resp.text
    result = resp.json()["files"][0]
    assert result["status"] != "failed" or result["reason"]
