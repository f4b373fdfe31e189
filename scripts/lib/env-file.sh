# shellcheck shell=bash
# The format of a cluster's env file (DIR/env), shared by pg-cluster and test-cluster and read
# by test/support/pg_test.cpp: one `KEY=VALUE` per line, `#` comments; VALUE is bare when it
# holds only safe characters, else single-quoted (single quotes inside are refused). The file
# can be sourced by a shell.

# Prints one line KEY=VALUE.
env_line() {
  local key=$1 value=$2
  if [[ $value =~ ^[A-Za-z0-9_./:@%+=,-]*$ ]]; then
    printf '%s=%s\n' "$key" "$value"
  elif [[ $value == *"'"* ]]; then
    echo "env value of $key contains a single quote, which is not supported" >&2
    return 1
  else
    printf "%s='%s'\n" "$key" "$value"
  fi
}
