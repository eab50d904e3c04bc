# Shared by scripts/serve and scripts/test: find Python >= 3.12 and keep .venv in step with
# pyproject.toml. Sourced, not run.

find_python() {
    for candidate in python3.13 python3.12 python3; do
        # pyenv shims exist for versions that are not active here, so run each one to be sure.
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    if [ ! -x .venv/bin/python ] ||
        ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
        python=$(find_python) || {
            echo "Newsroom needs Python 3.12 or newer, and none was found" >&2
            echo "(tried python3.13, python3.12 and python3)." >&2
            echo "Install it, for example: 'sudo apt install python3.12 python3.12-venv' on Debian or" >&2
            echo "Ubuntu, 'brew install python@3.12' on macOS, or from https://www.python.org/downloads/." >&2
            exit 1
        }
        echo "Creating .venv with $($python --version)"
        rm -rf .venv
        "$python" -m venv .venv || {
            echo "Could not create a virtual environment with $python." >&2
            echo "On Debian or Ubuntu, install the venv module: 'sudo apt install python3-venv'." >&2
            exit 1
        }
    fi
    # Reinstall only when the dependency list changed since the last install.
    stamp=.venv/.newsroom-installed
    wanted=$(.venv/bin/python -c 'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
        echo "Installing dependencies into .venv"
        .venv/bin/python -m pip install --quiet ".[test]"
        rm -rf build newsroom.egg-info
        echo "$wanted" >"$stamp"
    fi
}
