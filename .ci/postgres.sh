# Sourced by .ci/run (and usable by hand: `source .ci/postgres.sh`): starts a throwaway PostgreSQL
# cluster for the tests and exports HANCHOT_TEST_POSTGRES_URL. Installs Debian's server package
# when no server binaries are found; runs the server as an unprivileged user when we are root.
# The cluster lives in a temporary folder and is stopped (and removed) when the shell exits.

pg_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

start_test_postgres() {
  local bindir
  if ! bindir="$(pg_bindir)"; then
    echo "== installing PostgreSQL (Debian's postgresql package) for the Postgres tests"
    if ! command -v apt-get >/dev/null 2>&1; then
      echo "ci: no PostgreSQL server and no apt-get to install one" >&2
      return 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bindir="$(pg_bindir)" || { echo "ci: the postgresql package brought no server binaries" >&2; return 1; }
  fi

  local user run
  user="$(id -un)"
  run=()
  if [ "$(id -u)" = 0 ]; then
    # initdb and postgres refuse to run as root: use an unprivileged user, made if missing.
    user=hanchot-ci
    id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
    run=(runuser -u "$user" --)
  fi

  PG_TEST_DIR="$(mktemp -d)"
  chown "$user" "$PG_TEST_DIR"
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000)))"
  "${run[@]}" "$bindir/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # Sockets in the cluster's own folder (not /run/postgresql, which may not exist); loopback only.
  "${run[@]}" "$bindir/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w -s \
    -o "-p $port -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start
  PG_TEST_STOP=("${run[@]}" "$bindir/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -s stop)
  trap 'stop_test_postgres' EXIT
  export HANCHOT_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "== PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port for the tests"
}

stop_test_postgres() {
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  "${PG_TEST_STOP[@]}" || true
  rm -rf "$PG_TEST_DIR"
  PG_TEST_DIR=
}
