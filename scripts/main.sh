#!/usr/bin/env bash
# The main job: set up, then read the bundled example digests and show what newsledger finds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/newsledger demo "$@"
