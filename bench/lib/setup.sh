# shellcheck shell=bash disable=SC2034 # sets variables for the scripts that source it
# What bench/compare and bench/profile share: finding (or building) the programs, and a
# throwaway cluster with db/ installed and seeded. Expects $root (the source tree) and die().

# bench_binaries BUILD_DIR: sets bench_bin, load_bin, pgfns_cli and have_core. With an empty
# BUILD_DIR, configures build-bench as Release and brings the needed targets up to date.
bench_binaries() {
  local build_dir=$1 root=${root:?}
  if [[ -z $build_dir ]]; then
    build_dir=$root/build-bench
    echo "bench: building the benchmark programs (Release) in $build_dir" >&2
    cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    local targets=(pgfns_bench_schema_load pgfns_cli)
    [[ -f $root/include/pgfns/database.hpp ]] && targets+=(pgfns_bench pgfns_soak)
    cmake --build "$build_dir" -j2 --target "${targets[@]}" >/dev/null
  fi
  bench_bin=$build_dir/bench/pgfns_bench
  soak_bin=$build_dir/bench/pgfns_soak
  load_bin=$build_dir/bench/pgfns_bench_schema_load
  pgfns_cli=$build_dir/pgfns
  [[ -x $load_bin ]] || die "$load_bin not found (build the bench targets)"
  if [[ ! -x $pgfns_cli ]] || ! "$pgfns_cli" upgrade --help >/dev/null 2>&1; then
    die "$pgfns_cli has no 'upgrade' command: it installs db/ for the benchmarks"
  fi
  have_core=0
  if [[ -x $bench_bin ]]; then have_core=1; fi
}

on_db() { echo "${1%/*}/$2"; } # the URL $1 with the database name $2
sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# bench_cluster DIR ROWS [START_OPTION...]: starts a primary + standby in DIR (stop it with
# bench_cluster_stop; the options go to `pg-cluster start`, say --pgbouncer --pool-size N),
# installs db/ into database `shop` with `pgfns upgrade`, seeds ROWS products and waits until
# the standby has them. Sets primary and standby (URLs of `shop`), and with --pgbouncer
# primary_pooled and standby_pooled (the same through each node's pgbouncer; empty without),
# and sources DIR/env.
bench_cluster() {
  bench_cluster_dir=$1
  local rows=$2
  shift 2
  "$root/scripts/pg-cluster" start "$bench_cluster_dir" "$@" >/dev/null
  # shellcheck disable=SC1091
  source "$bench_cluster_dir/env"
  bench_install "$PGFNS_PRIMARY_URL" "$PGFNS_STANDBY_URL" shop bench "$rows" "$bench_cluster_dir"
  primary_pooled="" standby_pooled=""
  if [[ -n ${PGFNS_PRIMARY_POOLED_URL:-} ]]; then
    # The URLs name the superuser `postgres`, whom pgbouncer trusts as the servers do (see
    # scripts/lib/pgbouncer.sh): no member of pgfns_password_login, so no `pooler-users`.
    primary_pooled=$(on_db "$PGFNS_PRIMARY_POOLED_URL" shop)
    standby_pooled=$(on_db "$PGFNS_STANDBY_POOLED_URL" shop)
  fi
}

# bench_install PRIMARY_URL STANDBY_URL DB PREFIX ROWS LOG_DIR: creates database DB on the
# server of PRIMARY_URL (a superuser's URL), installs db/ into it with `pgfns upgrade` (service
# users PREFIX_<service>), seeds ROWS products and waits until the standby has them. Sets
# primary and standby (URLs of DB; standby is primary's when STANDBY_URL is empty).
bench_install() {
  local admin=$1 standby_admin=$2 db=$3 prefix=$4 rows=$5 log=$6/upgrade.log lsn i
  primary=$(on_db "$admin" "$db")
  standby=$primary
  [[ -z $standby_admin ]] || standby=$(on_db "$standby_admin" "$db")
  sql "$admin" -c "create database $db"
  "$pgfns_cli" upgrade --db "$root/db" --admin-url "$primary" --prefix "$prefix" --create-users \
    >/dev/null 2>"$log" || { cat "$log" >&2; die "installing db/ failed"; }
  sql "$primary" -v rows="$rows" -f "$root/bench/seed.sql"
  lsn=$(sql "$primary" -c "select pg_current_wal_lsn()")
  for ((i = 0; i < 300; i++)); do
    [[ $standby == "$primary" ]] && return 0
    [[ $(sql "$standby" -c "select pg_last_wal_replay_lsn() >= '$lsn'" 2>/dev/null) == t ]] &&
      return 0
    sleep 0.1
  done
  die "the standby did not catch up with the seeded rows in 30 s"
}

# bench_uninstall ADMIN_URL DB PREFIX: drops what bench_install created (for an EXIT trap).
bench_uninstall() {
  local admin=$1 db=$2 prefix=$3
  sql "$admin" -c "drop database if exists $db with (force)" || true
  sql "$admin" -v prefix="${prefix}_" <<'SQL' || true
select format('drop role %I', rolname) from pg_roles
where left(rolname, length(:'prefix')) = :'prefix' \gexec
SQL
}

# Stops the cluster started by bench_cluster, if any (for an EXIT trap).
bench_cluster_stop() {
  if [[ -n ${bench_cluster_dir:-} && -f $bench_cluster_dir/env ]]; then
    "$root/scripts/pg-cluster" stop "$bench_cluster_dir" >/dev/null || true
  fi
}
