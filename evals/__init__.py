"""Q&A eval suites for the assistant: datasets, metrics, runner, reports and ``rag eval``."""
