#!/usr/bin/env bash
# The whole test suite: set up (system packages included), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest -q "$@"
