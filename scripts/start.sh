#!/usr/bin/env bash
# Install ПрофИнфо into .venv, load the demo data into the SQLite database in ./var and serve
# it at http://127.0.0.1:8000 (the administrator login is printed before the server starts).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
.venv/bin/profinfo demo
exec .venv/bin/profinfo serve "$@"
