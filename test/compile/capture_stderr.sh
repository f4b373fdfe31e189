#!/bin/sh
# A compiler launcher (CMake's CXX_COMPILER_LAUNCHER) that also writes the compiler's own
# diagnostics, without the build tool's lines, to the file named first:
#   capture_stderr.sh LOG COMPILER ARGS...
log=$1
shift
"$@" 2>"$log"
status=$?
cat "$log" >&2
exit $status
