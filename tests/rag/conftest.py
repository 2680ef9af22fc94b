"""Fixtures shared by the reader's tests."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator


@pytest.fixture(scope="module")
def annotator() -> SpacyAnnotator:
    """spaCy's small English pipeline (loaded once per process, see index/annotate.py)."""
    return SpacyAnnotator()
