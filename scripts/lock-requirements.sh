#!/usr/bin/env bash
# Regenerate requirements.lock: every dependency of pyproject.toml (with the `test` extra), pinned with hashes.
#
# Why a throwaway venv: pip-tools is a maintainer tool, not a project dependency, and resolving in a clean
# environment keeps packages that happen to be installed in .venv out of the lock.
# Usage: scripts/lock-requirements.sh            (from anywhere; writes requirements.lock at the repo root)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d /tmp/lock-requirements.XXXXXX)"
trap 'rm -rf "$work"' EXIT

"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --upgrade pip
"$work/venv/bin/python" -m pip install --quiet pip-tools

cd "$repo"
# pip-compile writes to a temp file first; move it into place only when it succeeded.
"$work/venv/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras --extra test \
    --no-emit-index-url --no-emit-find-links \
    --output-file "$work/requirements.lock" pyproject.toml
sed -i "s#$work/requirements.lock#requirements.lock#g" "$work/requirements.lock"
mv "$work/requirements.lock" "$repo/requirements.lock"
echo "wrote $repo/requirements.lock"
