# Shared by scripts/serve and scripts/test: find Python >= 3.12, keep .venv in step with
# pyproject.toml and node_modules with package-lock.json. Sourced, not run.

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

ensure_node_packages() {
    # The browser tests take axe-core from npm, and the HTML validity test vnu.jar. Without
    # Node.js they skip those checks and say so (CI fails instead), so a missing npm is only a
    # note here.
    if ! command -v npm >/dev/null 2>&1; then
        echo "npm was not found: the accessibility and HTML validity checks will be skipped." >&2
        echo "Install Node.js 20 or newer (it comes with npm) to run them." >&2
        return 0
    fi
    # Reinstall only when the lock file changed since the last install.
    stamp=node_modules/.newsroom-installed
    wanted=$(.venv/bin/python -c 'import hashlib; print(hashlib.sha256(open("package-lock.json", "rb").read()).hexdigest())')
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
        echo "Installing the npm packages into node_modules"
        # Without Java, vnu-jar's install script would fetch a Java runtime from GitHub into
        # node_modules; the test runs the system's java instead, and says what to install.
        npm ci --silent --no-audit --no-fund --ignore-scripts
        echo "$wanted" >"$stamp"
    fi
}
