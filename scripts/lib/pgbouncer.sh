# shellcheck shell=bash
# The pgbouncer in front of each node of scripts/pg-cluster (start --pgbouncer): one per node,
# pool_mode = transaction, on its own free loopback port, its files in the data root. Sourced by
# pg-cluster, whose globals it uses: ROOT, POOL_SIZE, the node ports (through node_port), the
# pooler ports (PRIMARY_POOLER_PORT, STANDBY_POOLER_PORT, STANDBY2_POOLER_PORT), START_TIMEOUT,
# STOP_TIMEOUT, as_owner, die, and alive, wait_gone and retry_on_free_port from pg-node.sh.
#
# Authentication (pgbouncer 1.18): auth_type = hba with two rules. Members of
# pgfns_password_login listed in the password-users file must log in with SCRAM, which pgbouncer
# checks against their secret from pg_authid (auth_query, run as `postgres`, whom the servers
# trust) and then reuses to log in to the server (SCRAM pass-through: it works because both
# sides hold the same secret). Everyone else is trusted, as the servers trust them. pgbouncer's
# HBA file cannot name a group (+role), so the list is a file of names: `pg-cluster
# pooler-users DIR` rewrites it from the primary's pg_auth_members and reloads every pgbouncer.
# A member missing from the list cannot log in through pgbouncer ("server login failed: wrong
# password type"): run pooler-users after creating one.
#
# Clients wait at most 30 s for a server connection (query_wait_timeout), also while the node
# is down; pgbouncer tries to log in to it again every second (server_login_retry), and closes
# server connections idle for a minute (so the scratch databases of tests do not keep them).

PGBOUNCER=${PGFNS_PGBOUNCER:-$(command -v pgbouncer || echo /usr/sbin/pgbouncer)}

pooler_port() {
  case $1 in
    primary) echo "${PRIMARY_POOLER_PORT:-}" ;;
    standby) echo "${STANDBY_POOLER_PORT:-}" ;;
    standby2) echo "${STANDBY2_POOLER_PORT:-}" ;;
  esac
}
set_pooler_port() {
  case $1 in
    primary) PRIMARY_POOLER_PORT=$2 ;;
    standby) STANDBY_POOLER_PORT=$2 ;;
    standby2) STANDBY2_POOLER_PORT=$2 ;;
  esac
}
pooler_file() { echo "$ROOT/pgbouncer-$1.$2"; } # NODE ini|log|pid
pooler_users_file() { echo "$ROOT/pgbouncer-password-users"; }
pooler_hba_file() { echo "$ROOT/pgbouncer-hba.conf"; }

# True when the cluster was started with --pgbouncer.
has_pooler() { [[ -n ${PRIMARY_POOLER_PORT:-} ]]; }

# The pgbouncer's pid when it runs, nothing otherwise.
pooler_pid() {
  local pid
  pid=$(as_owner cat "$(pooler_file "$1" pid)" 2>/dev/null) || return 0
  [[ -n $pid ]] && alive "$pid" && echo "$pid"
  return 0
}

pooler_log_tail() {
  local log
  log=$(pooler_file "$1" log)
  echo "---- last lines of $log ----" >&2
  as_owner tail -n 20 "$log" >&2 2>/dev/null || echo "(no log)" >&2
  echo "----" >&2
}

# The HBA file and an empty password-users list, shared by every node's pgbouncer.
write_pooler_auth() {
  as_owner sh -c "printf '%s\n' \"\$1\" >'$(pooler_hba_file)' && : >'$(pooler_users_file)'" sh \
    "# written by scripts/pg-cluster: see scripts/lib/pgbouncer.sh
host all @$(pooler_users_file) 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust"
}

write_pooler_conf() {
  local node=$1 port=$2
  as_owner sh -c "printf '%s\n' \"\$1\" >'$(pooler_file "$node" ini)'" sh \
    "; written by scripts/pg-cluster: pgbouncer in front of $node (transaction pooling)
[databases]
* = host=127.0.0.1 port=$(node_port "$node")

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
logfile = $(pooler_file "$node" log)
pidfile = $(pooler_file "$node" pid)
pool_mode = transaction
default_pool_size = $POOL_SIZE
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 500
auth_type = hba
auth_hba_file = $(pooler_hba_file)
auth_user = postgres
admin_users = postgres
server_login_retry = 1
server_connect_timeout = 5
server_idle_timeout = 60
query_wait_timeout = 30
log_connections = 0
log_disconnections = 0"
}

# Starts the node's pgbouncer and waits until a query through it reaches the node. Returns 3
# when its port was taken. (With -d, pgbouncer forks before it binds: a failure shows in its
# log, not in its exit status.)
start_pooler() {
  local node=$1 port log i out=""
  port=$(pooler_port "$node")
  log=$(pooler_file "$node" log)
  if [[ -n $(pooler_pid "$node") ]]; then
    echo "pg-cluster: the pgbouncer of $node is already running"
    return 0
  fi
  [[ -x $PGBOUNCER ]] || die "pgbouncer not found (looked for $PGBOUNCER; run scripts/setup)"
  as_owner sh -c ": >'$log'"
  if ! out=$(as_owner "$PGBOUNCER" -q -d "$(pooler_file "$node" ini)" 2>&1); then
    pooler_log_tail "$node"
    die "the pgbouncer of $node did not start (port $port): $out"
  fi
  for ((i = 0; i < START_TIMEOUT * 10; i++)); do
    out=$(psql_at "$port" -c "select 1" 2>&1) && return 0
    as_owner grep -q 'Address already in use' "$log" 2>/dev/null && return 3
    as_owner grep -q ' FATAL ' "$log" 2>/dev/null && break
    sleep 0.1
  done
  pooler_log_tail "$node"
  die "the pgbouncer of $node (port $port) does not pass queries to it: $out"
}

configure_pooler() {
  set_pooler_port "$1" "$2"
  write_pooler_conf "$1" "$2"
}

# Picks a free port for the node's pgbouncer and starts it, retrying on a collision.
start_pooler_on_free_port() {
  retry_on_free_port "$1" configure_pooler start_pooler "the pgbouncer of $1" pooler_log_tail
}

# SIGTERM: pgbouncer's immediate shutdown (clients are disconnected).
stop_pooler() {
  local node=$1 pid
  pid=$(pooler_pid "$node")
  [[ -n $pid ]] || return 0
  as_owner kill -TERM "$pid" 2>/dev/null || true
  wait_gone "$pid" $((STOP_TIMEOUT * 10)) && return 0
  echo "pg-cluster: the pgbouncer of $node (pid $pid) still running; killing it" >&2
  as_owner kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 50 || die "could not stop the pgbouncer of $node (pid $pid)"
}

# Rewrites the password-users list from the primary's members of pgfns_password_login and
# makes every running pgbouncer reload it.
refresh_pooler_users() {
  local names node out
  names=$(psql_at "$PRIMARY_PORT" -c "select format('\"%s\"', replace(m.rolname, '\"', '\"\"'))
      from pg_auth_members a join pg_roles g on g.oid = a.roleid join pg_roles m on m.oid = a.member
      where g.rolname = 'pgfns_password_login' order by 1" 2>&1) ||
    die "could not list the members of pgfns_password_login on the primary: $names"
  as_owner sh -c "printf '%s\n' \"\$1\" >'$(pooler_users_file).new' &&
    mv '$(pooler_users_file).new' '$(pooler_users_file)'" sh "$names"
  # RELOAD on the admin console returns once the files are read again (a SIGHUP would not).
  for node in $(cluster_nodes); do
    [[ -n $(pooler_pid "$node") ]] || continue
    out=$("$PG_BIN/psql" -X -q -At -h 127.0.0.1 -p "$(pooler_port "$node")" -U postgres \
      -d pgbouncer -c RELOAD 2>&1) || die "RELOAD on the pgbouncer of $node failed: $out"
  done
}
