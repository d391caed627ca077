# Test services for .ci/run: PostgreSQL and RabbitMQ on loopback, idempotent (from shared/INFRA.md sections 1 and 5).
# Source it (". .ci/services.sh"); works under `set -euo pipefail`. Safe to re-run: installs only what is missing
# (never upgrades the preinstalled server), starts only what is not answering, recovers from a stale pid file,
# (re)creates role and database, and exports TEST_POSTGRES_CONNECTION; installs and starts RabbitMQ the same way,
# adds user wf/wfpass and exports TEST_RABBITMQ_URI.
# Stop the servers on a dev machine with `pg_ctlcluster 15 main stop` and `rabbitmqctl shutdown` (never by process name).
export DEBIAN_FRONTEND=noninteractive
: "${CI_PG_DB:=wf_test}" "${CI_PG_USER:=wf}" "${CI_PG_PASSWORD:=wf}"

_ci_apt_updated=0
ci_apt_install() {          # ci_apt_install pkg... (apt-get update only once, only when needed)
  if [ "$_ci_apt_updated" = 0 ]; then apt-get update -qq >/dev/null; _ci_apt_updated=1; fi
  apt-get install -y -qq --no-install-recommends "$@" >/tmp/ci-apt.log 2>&1 || { cat /tmp/ci-apt.log; return 1; }
}

ci_start_postgres() {
  # 1. install (PostgreSQL 15 is preinstalled on this machine kind; this only runs on a bare one)
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null; then
    ci_apt_install postgresql postgresql-client
  fi
  local ver; ver=$(ls /usr/lib/postgresql | sort -V | tail -n1)
  # 2. cluster (created by the package's postinst; recreate only if missing)
  if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main"' | grep -q .; then
    pg_createcluster "$ver" main >/dev/null
  fi
  install -d -o postgres -g postgres -m 2775 /var/run/postgresql
  local port; port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')
  # 3. start unless it already answers (pg_ctlcluster works without systemd when run as root)
  if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
    pg_ctlcluster "$ver" main start || {
      # a kill -9'd server can leave a stale postmaster.pid; drop it if its PID is not a postgres
      local pidf="/var/lib/postgresql/$ver/main/postmaster.pid" pid
      pid=$(head -n1 "$pidf" 2>/dev/null || true)
      if [ -n "$pid" ] && ! ps -o comm= -p "$pid" 2>/dev/null | grep -q postgres; then rm -f "$pidf"; fi
      pg_ctlcluster "$ver" main start
    }
  fi
  local i; for i in $(seq 1 120); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.5; done
  pg_isready -h 127.0.0.1 -p "$port"
  # 4. role + database (idempotent; the password is (re)set every run)
  ( cd / && runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qAt \
      -v u="$CI_PG_USER" -v p="$CI_PG_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'u') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'u') \gexec
ALTER ROLE :"u" WITH LOGIN PASSWORD :'p';
SQL
    runuser -u postgres -- psql -p "$port" -qAtc "SELECT 1 FROM pg_database WHERE datname='$CI_PG_DB'" | grep -q 1 \
      || runuser -u postgres -- createdb -p "$port" -O "$CI_PG_USER" "$CI_PG_DB" )
  export TEST_POSTGRES_CONNECTION="Host=127.0.0.1;Port=$port;Database=$CI_PG_DB;Username=$CI_PG_USER;Password=$CI_PG_PASSWORD"
  PGPASSWORD="$CI_PG_PASSWORD" psql -h 127.0.0.1 -p "$port" -U "$CI_PG_USER" -d "$CI_PG_DB" -qAtc 'select 1' >/dev/null
  echo "postgres $ver ready on 127.0.0.1:$port (TEST_POSTGRES_CONNECTION exported)"
}

ci_start_rabbitmq() {
  # RabbitMQ for tests/Arvo.Transport.RabbitMQ.Tests (INFRA.md: about 18 s to install, 6-7 s to start). No plugin is
  # needed: the transport routes with its own hash over a direct exchange.
  : "${CI_RABBITMQ_USER:=wf}" "${CI_RABBITMQ_PASSWORD:=wfpass}"
  command -v rabbitmq-server >/dev/null || ci_apt_install rabbitmq-server
  if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
    (cd /tmp && rabbitmq-server -detached)
    # `rabbitmqctl await_startup` returns before the node registered, so poll the AMQP port (at most 60 s).
    local i; for i in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null && break; sleep 0.2; done
  fi
  (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null || { echo "RabbitMQ is not listening on 127.0.0.1:5672" >&2; return 1; }
  ( cd /tmp
    rabbitmqctl -q await_startup >/dev/null
    local users; users=$(rabbitmqctl -q list_users)
    printf '%s\n' "$users" | grep -q "^$CI_RABBITMQ_USER[[:space:]]" \
      || rabbitmqctl -q add_user "$CI_RABBITMQ_USER" "$CI_RABBITMQ_PASSWORD" >/dev/null
    rabbitmqctl -q set_permissions -p / "$CI_RABBITMQ_USER" '.*' '.*' '.*' >/dev/null )
  export TEST_RABBITMQ_URI="amqp://$CI_RABBITMQ_USER:$CI_RABBITMQ_PASSWORD@127.0.0.1:5672/"
  echo "rabbitmq ready on 127.0.0.1:5672 (TEST_RABBITMQ_URI exported)"
}

# A plain call, not an `if` condition: bash ignores `set -e` inside a function called as a condition, so a failing
# step would go unnoticed. (The Redis part of INFRA.md is left out; it sits behind an `if` there for that reason.)
ci_start_postgres
ci_start_rabbitmq
