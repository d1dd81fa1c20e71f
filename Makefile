# stdkit — two commands do all set-up: `make build` and `make test`.
# Set-up is idempotent and quick when nothing changed (stamp files under .venv/).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PKGS := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils libreoffice-writer-nogui chromium pandoc git
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test setup system-deps venv check site clean bench

build: setup
	$(BIN)/stdkit build

test: setup
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 tests

check: setup
	$(BIN)/stdkit check

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
	@touch $@

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf build .build-staging-* .build-old-* .stdkit-cache
