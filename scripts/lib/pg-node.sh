# shellcheck shell=bash
# One node (primary, standby or standby2) of scripts/pg-cluster: where it lives, whether it
# runs, starting it on a free port and stopping it for sure. Sourced by pg-cluster, whose
# globals it uses: ROOT (data root), PRIMARY_PORT, STANDBY_PORT, STANDBY2_PORT, STANDBYS (1 or
# 2), PG_BIN, the timeouts, as_owner and die.

node_data() { echo "$ROOT/$1"; }
node_log() { echo "$ROOT/$1.log"; }
node_port() {
  case $1 in
    primary) echo "$PRIMARY_PORT" ;;
    standby) echo "$STANDBY_PORT" ;;
    standby2) echo "$STANDBY2_PORT" ;;
  esac
}

# The cluster's standbys, then all its nodes, one per line.
standby_nodes() {
  echo standby
  if ((STANDBYS == 2)); then echo standby2; fi
}
cluster_nodes() {
  echo primary
  standby_nodes
}

check_node() {
  case $1 in
    primary | standby) ;;
    standby2)
      ((STANDBYS == 2)) || die "this cluster has no standby2 (start it with --standbys 2)"
      ;;
    *) die "unknown node '$1' (expected primary, standby or standby2)" ;;
  esac
}

# The postmaster's pid when the node runs, nothing otherwise.
node_pid() {
  local pidfile
  pidfile="$(node_data "$1")/postmaster.pid"
  local pid
  pid=$(as_owner head -n 1 "$pidfile" 2>/dev/null) || return 0
  [[ -n $pid ]] && alive "$pid" && echo "$pid"
  return 0
}

log_tail() {
  local log
  log=$(node_log "$1")
  echo "---- last lines of $log ----" >&2
  as_owner tail -n 30 "$log" >&2 2>/dev/null || echo "(no log)" >&2
  echo "----" >&2
}

psql_at() {
  local port=$1
  shift
  "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"
}

# Writes the node's own settings into the file its postgresql.conf includes last: its port,
# and its name as cluster_name, which a standby's walreceiver gives the primary as its
# application_name (so pg_stat_replication tells the standbys apart).
write_node_conf() {
  local node=$1 port=$2
  as_owner sh -c "printf 'port = %s\ncluster_name = %s\n' '$port' '$node' \
    >'$(node_data "$node")/pgfns-node.conf'"
}

# Starts a node and waits until it accepts connections. Returns 3 when its port was taken.
start_node() {
  local node=$1 log
  log=$(node_log "$node")
  if [[ -n $(node_pid "$node") ]]; then
    echo "pg-cluster: $node is already running"
    return 0
  fi
  if ! as_owner "$PG_BIN/pg_ctl" start -w -t "$START_TIMEOUT" -s -D "$(node_data "$node")" \
    -l "$log" >/dev/null 2>&1; then
    if as_owner grep -qE 'could not (bind|create any TCP/IP sockets)|Address already in use' \
      "$log" 2>/dev/null; then
      return 3
    fi
    log_tail "$node"
    die "$node did not start (port $(node_port "$node"), data $(node_data "$node"))"
  fi
}

stop_node() {
  local node=$1 mode=${2:-fast} data pid
  data=$(node_data "$node")
  pid=$(node_pid "$node")
  [[ -n $pid ]] || return 0
  if ! as_owner "$PG_BIN/pg_ctl" stop -w -t "$STOP_TIMEOUT" -s -m "$mode" -D "$data" 2>/dev/null; then
    echo "pg-cluster: $node did not stop in ${STOP_TIMEOUT}s ($mode); stopping it immediately" >&2
    as_owner "$PG_BIN/pg_ctl" stop -w -t 10 -s -m immediate -D "$data" 2>/dev/null || true
  fi
  # The postmaster removes its pid file just before it exits: give it a moment.
  wait_gone "$pid" 50 && return 0
  echo "pg-cluster: $node (pid $pid) still running; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 50 || die "could not stop $node (pid $pid)"
}

# True when the process exists and is not a zombie.
alive() {
  local stat state
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  state=${stat##*) } # the field after the command name, which may contain spaces
  state=${state%% *}
  [[ -n $state && $state != Z && $state != X ]]
}

# Waits up to $2 tenths of a second for process $1 to end.
wait_gone() {
  local i
  for ((i = 0; i < $2; i++)); do
    alive "$1" || return 0
    sleep 0.1
  done
  ! alive "$1"
}

# A random port in 15000..32767 (below Linux's ephemeral range) that nothing listens on.
free_port() {
  local port i
  for ((i = 0; i < 100; i++)); do
    port=$((15000 + (RANDOM * 32768 + RANDOM) % 17768))
    [[ $port == "${PRIMARY_PORT:-}" || $port == "${STANDBY_PORT:-}" ]] && continue
    # A refused connection means the port is free (the server's bind is the final check).
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "found no free loopback port"
}

# retry_on_free_port NODE CONFIGURE START WHAT SHOW_LOG: picks a free port, runs
# `CONFIGURE NODE PORT` (which records it) and `START NODE`, and retries with another port
# while START returns 3 (the port was taken). WHAT names what starts in messages; SHOW_LOG NODE
# prints its log when every attempt failed.
retry_on_free_port() {
  local node=$1 configure=$2 start=$3 what=$4 show_log=$5 attempt rc port
  for ((attempt = 1; attempt <= 10; attempt++)); do
    port=$(free_port)
    "$configure" "$node" "$port"
    write_env
    rc=0
    "$start" "$node" || rc=$?
    ((rc == 0)) && return 0
    ((rc == 3)) || exit "$rc"
    echo "pg-cluster: port $port was taken; retrying $what on another port" >&2
  done
  "$show_log" "$node"
  die "$what found no free port after 10 attempts"
}

configure_node() {
  case $1 in
    primary) PRIMARY_PORT=$2 ;;
    standby) STANDBY_PORT=$2 ;;
    standby2) STANDBY2_PORT=$2 ;;
  esac
  write_node_conf "$1" "$2"
}

# Picks a free port for the node and starts it, retrying with another port on a collision.
start_node_on_free_port() { retry_on_free_port "$1" configure_node start_node "$1" log_tail; }
