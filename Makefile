# stdkit — two commands do all set-up: `make build` and `make test`.
# Set-up is idempotent and quick when nothing changed (stamp files under .venv/).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PKGS := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils libreoffice-writer-nogui chromium pandoc git
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test setup system-deps venv check site clean bench schema new serve diff codes baseline path version

# Drafter commands (each also works as `stdkit …` after `source .venv/bin/activate` or `eval "$$(make -s path)"`):
#   make check [PATHS="standards/drafts/x.yaml …"] [BASELINE=.stdkit-baseline.json]
#   make new KIND=draft ARGS="std-x"     make new KIND=measure ARGS="--level municipal --plan-type detailed --domain energy --title 标题"
#   make schema    make serve    make diff OLD=v1    make codes    make baseline    make build [BASELINE=…]
STDKIT_BASELINE = $(if $(BASELINE),--baseline $(BASELINE))

build: setup
	$(BIN)/stdkit build $(STDKIT_BASELINE)

test: setup
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 tests

check: setup
	$(BIN)/stdkit check $(STDKIT_BASELINE) $(PATHS)

# the known findings of this checkout, hidden by `make check BASELINE=.stdkit-baseline.json`
baseline: setup
	$(BIN)/stdkit check --write-baseline .stdkit-baseline.json >/dev/null || true

schema: setup
	$(BIN)/stdkit schema

new: setup
	@test -n "$(KIND)" || { echo 'usage: make new KIND=standard|draft|measure|indicator ARGS="…"'; exit 2; }
	$(BIN)/stdkit new $(KIND) $(ARGS)

serve: setup
	$(BIN)/mkdocs serve

diff: setup
	@test -n "$(OLD)" || { echo 'usage: make diff OLD=<git revision or folder> [NEW=…]'; exit 2; }
	$(BIN)/stdkit diff $(OLD) $(NEW)

codes: setup
	$(BIN)/stdkit codes

version: setup
	$(BIN)/stdkit --version

# put stdkit (and mkdocs) on PATH in this shell:  eval "$$(make -s path)"
path:
	@echo 'export PATH="$(CURDIR)/$(BIN):$$PATH"'

setup: system-deps venv

# System packages the PDF, DOCX checks and browser tests need; installed only when missing.
system-deps: $(VENV)/.system-deps
$(VENV)/.system-deps: Makefile
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" != 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@mkdir -p $(VENV) && touch $@

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m compileall -q toolkit
	@touch $@

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf build .build-staging-* .build-old-* .stdkit-cache
