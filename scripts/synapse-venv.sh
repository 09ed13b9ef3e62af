#!/usr/bin/env bash
# Create .venv-synapse/ at the repo root with a pinned Synapse, for the Matrix
# integration tests (tests/integration/matrix). Synapse gets its own venv so
# its pins never constrain ours. Idempotent: a no-op when the stamp file says
# the pinned version is already installed.
#
# Environment overrides:
#   SYNAPSE_VENV     where to put the venv   (default: <repo>/.venv-synapse)
#   SYNAPSE_PYTHON   interpreter for the venv (default: python3.11)
set -euo pipefail

SYNAPSE_VERSION="1.163.2"
REQUIREMENT="matrix-synapse==${SYNAPSE_VERSION}"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SYNAPSE_VENV:-${REPO_ROOT}/.venv-synapse}"
PYTHON="${SYNAPSE_PYTHON:-python3.11}"
STAMP="${VENV}/.installed"

is_installed() {
    [[ -f "${STAMP}" ]] && [[ "$(cat "${STAMP}")" == "${REQUIREMENT}" ]] \
        && "${VENV}/bin/python" -c 'import sys' 2>/dev/null
}

if is_installed; then
    echo "synapse-venv: ${REQUIREMENT} already in ${VENV}"
    exit 0
fi

# Serialise concurrent runs (e.g. several pytest workers starting at once); the
# lock lives in TMPDIR so the repo gains no stray file.
if command -v flock >/dev/null; then
    LOCK="${TMPDIR:-/tmp}/synapse-venv-$(printf '%s' "${VENV}" | md5sum | cut -c1-12).lock"
    exec 9>"${LOCK}"
    flock 9
fi
if is_installed; then
    echo "synapse-venv: ${REQUIREMENT} already in ${VENV}"
    exit 0
fi

start=${SECONDS}
# A venv whose making was interrupted may run Python yet have no pip: make it again.
if [[ ! -x "${VENV}/bin/python" ]] || ! "${VENV}/bin/python" -m pip --version >/dev/null 2>&1; then
    echo "synapse-venv: creating ${VENV} with ${PYTHON}"
    rm -rf "${VENV}"
    "${PYTHON}" -m venv "${VENV}"
fi
rm -f "${STAMP}"
LOG="${VENV}/pip-install.log"
echo "synapse-venv: installing ${REQUIREMENT} (PyPI; about a minute; log: ${LOG})"
if ! "${VENV}/bin/python" -m pip install --disable-pip-version-check \
    --no-warn-script-location "${REQUIREMENT}" >"${LOG}" 2>&1; then
    tail -n 40 "${LOG}" >&2
    echo "synapse-venv: pip install ${REQUIREMENT} failed (full log: ${LOG})" >&2
    exit 1
fi
"${VENV}/bin/python" -c 'import synapse.app.homeserver' \
    || { echo "synapse-venv: Synapse installed but does not import" >&2; exit 1; }
echo "${REQUIREMENT}" >"${STAMP}"
echo "synapse-venv: ready in $((SECONDS - start)) s: ${VENV}"
