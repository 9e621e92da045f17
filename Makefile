# Two commands are all the set-up: `make workshop` and `make test`. Each creates .venv when it is missing.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8866

.PHONY: workshop hub lab api test lint typecheck check sample clean

# The environment, installed (again) when pyproject.toml changes.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "dol_toolkit needs Python 3.11 or newer; run make PYTHON=python3.11 ...")'
	@echo "make: creating the Python environment in $(VENV) (once) ..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# pip shows what it downloads and installs: the first install takes a few minutes.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	@echo "make: installing dol_toolkit and what it needs into $(VENV) (the first time takes a few minutes) ..."
	$(BIN)/python -m pip install --progress-bar on -e .
	@touch $@
	@echo "make: installed. The dol command is $(BIN)/dol (or run: source $(BIN)/activate)."

$(VENV)/.installed-test: $(VENV)/.installed
	@echo "make: installing the test tools into $(VENV) ..."
	$(BIN)/python -m pip install --progress-bar on -e '.[test]'
	@touch $@

# Serve the workshop on the sample data at http://127.0.0.1:8866 (Ctrl-C stops it).
workshop: $(VENV)/.installed
	$(BIN)/dol serve workshop/eksempel.toml --port $(PORT)

# JupyterLab on the notebooks, for researchers (the "lab" extra); the apps read the example workshop there.
$(VENV)/.installed-lab: $(VENV)/.installed
	$(BIN)/python -m pip install --progress-bar on -e '.[lab]'
	@touch $@

lab: $(VENV)/.installed-lab
	DOL_WORKSHOP_CONFIG="$(abspath workshop/eksempel.toml)" $(BIN)/jupyter lab --notebook-dir=notebooks

# The API page, generated from the docstrings (pdoc), in build/api/ (open build/api/index.html).
$(VENV)/.installed-docs: $(VENV)/.installed
	$(BIN)/python -m pip install --progress-bar on -e '.[docs]'
	@touch $@

api: $(VENV)/.installed-docs
	$(BIN)/pdoc --docformat restructuredtext --output-directory build/api dol_toolkit
	@echo "make api: the API page is build/api/index.html"

# The workshops as JupyterHub services (deploy/jupyterhub_config.py; DOL_WORKSHOPS=a.toml:b.toml for several), the
# hub at http://127.0.0.1:8000. The hub's proxy comes from the npm registry: npm install -g configurable-http-proxy.
$(VENV)/.installed-hub: $(VENV)/.installed
	$(BIN)/python -m pip install --progress-bar on -e '.[hub]'
	@touch $@

hub: $(VENV)/.installed-hub
	@command -v configurable-http-proxy >/dev/null || { echo "make hub: configurable-http-proxy is missing; install it with: npm install -g configurable-http-proxy" >&2; exit 1; }
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/jupyterhub -f deploy/jupyterhub_config.py

# Every test, browser tests included (they skip with a message where Chromium is missing), in two workers, a
# module's tests in one of them, the modules sharing the session's workshop server together (tests/conftest.py).
# pytest's exit code 5 (no test collected) is reported as a failure with its reason.
PYTEST_ARGS ?= -n 2 --dist loadscope
test: $(VENV)/.installed-test
	@$(BIN)/python -m pytest $(PYTEST_ARGS); code=$$?; \
	if [ $$code -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$code

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

check: lint typecheck test

sample: $(VENV)/.installed
	$(BIN)/dol sample --out data/samples

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache artifacts
