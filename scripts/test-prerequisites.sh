#!/usr/bin/env bash
# Runs before `npm test` (npm's pretest): makes sure this machine has what the suite uses for
# real, and says plainly what is missing otherwise. As root on Debian it installs Chromium (the
# browser tests), glewlwyd (an independent OpenID Connect provider) and python3-venv (the Python
# SDK client tests), and starts a stopped PostgreSQL cluster; anywhere else it lists what to
# install and exits 1. Set TEST_PREREQUISITES=skip to run the suite without this check.
set -euo pipefail
[[ "${TEST_PREREQUISITES:-}" == skip ]] && exit 0

say() { printf 'test prerequisites: %s\n' "$*" >&2; }
missing=()

if [[ ! -d node_modules/tsx ]]; then
  say "the dependencies are not installed: run npm ci first"
  exit 1
fi

can_install() { [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; }
apt_updated=0
install() {
  if ((apt_updated == 0)); then
    say "apt-get update"
    apt-get update -qq </dev/null
    apt_updated=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" </dev/null >&2
}

# need PATH PACKAGE WHY: the file the tests use, and the Debian package that provides it.
need() {
  [[ -e "$1" ]] && return 0
  if can_install; then install "$2"; else missing+=("$2 ($3; $1)"); fi
}
need "${CHROMIUM_PATH:-/usr/bin/chromium}" chromium "the browser sign-in tests"
need "${GLEWLWYD_PATH:-/usr/bin/glewlwyd}" glewlwyd "the independent identity provider test"
need /usr/bin/pg_isready postgresql-client "to check PostgreSQL"

# The Python SDK client tests make a virtual environment; Debian's python3 needs python3-venv
# (ensurepip) for that, other Pythons (pyenv, python.org) carry it already.
if ! command -v python3 >/dev/null; then
  if can_install; then install python3 python3-venv; else missing+=("python3 (the Python SDK client tests)"); fi
elif ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  if can_install; then install python3-venv; else missing+=("python3-venv (the Python SDK client tests make a virtual environment)"); fi
fi

if [[ -x /usr/bin/pg_isready ]] && ! pg_isready -h 127.0.0.1 -p 5432 -q </dev/null; then
  if can_install && compgen -G '/etc/postgresql/*' >/dev/null; then
    say "starting PostgreSQL"
    for version in /etc/postgresql/*; do
      pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start </dev/null || true
    done
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q </dev/null && break; sleep 1; done
  fi
  pg_isready -h 127.0.0.1 -p 5432 -q </dev/null ||
    missing+=("PostgreSQL on 127.0.0.1:5432 with trust authentication and a database named test")
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  missing+=("Redis on 127.0.0.1:6379")
fi

if ((${#missing[@]} > 0)); then
  say "the test suite needs, and this machine lacks:"
  printf '  - %s\n' "${missing[@]}" >&2
  say "install them (as root on Debian this script installs the packages itself), or see README, Requirements"
  exit 1
fi
