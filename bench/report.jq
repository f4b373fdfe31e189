# The report of bench/compare: reads every JSON line (slurped) and prints the table of medians,
# each row's ratio to its reference, and the targets. Arguments: $p (pool size), $quick.
# Rows "<row> (baseline)" (bench/compare --baseline-build-dir: the JSON rows, and the typed
# rows when the baseline makes typed calls) are printed under their row, with the same
# references; the row itself then also shows its ratio to the baseline, and a summary of those
# ratios follows the targets. The "pooled" rows ran through pgbouncer (transaction pooling):
# pgfns's against its direct row of the same shape, node-postgres's against pgfns's pooled row.

def median: sort | if length == 0 then null
  elif length % 2 == 1 then .[length / 2 | floor]
  else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def pad(n): tostring | if length < n then . + (" " * (n - length)) else . end;
def lpad(n): tostring | if length < n then (" " * (n - length)) + . else . end;
def round2: (. * 100 | round) / 100;
def fmt_ratio: if . == null then "-" else "\(round2)x" end;
def fmt_us: if . == null then "-" else "\(round2) us" end;

. as $all
| ($all | map(select(.row != null and .row != "pgfns rss"))) as $runs
| ($runs | group_by(.row) | map({
    key: .[0].row,
    value: {
      row: .[0].row,
      conc: (.[0].concurrency // .[0].clients),
      calls_per_s: (map(.calls_per_s) | median),
      p50: (map(.p50_us) | median),
      p99: (map(.p99_us) | median),
      cpu: (map(.cpu_us_per_call) | median),
      rss_mb: ((map(.peak_rss_kb) | max) / 1024 | round2),
      rounds: (sort_by(.round) | map(.calls_per_s | tostring) | join(" "))
    }}) | from_entries) as $m
| "pgbench -c \($p) -j 2" as $pgb4
| {
    "pgfns sequential": ["pgbench -c 1"],
    "pgfns concurrent": [$pgb4],
    "pgfns concurrent, 2 threads": [$pgb4, "pgfns concurrent"],
    "pgfns concurrent, 2 threads, one io_context": [$pgb4, "pgfns concurrent"],
    "pgfns pipelined, 2 threads": [$pgb4, "\($pgb4) pipelined x16", "pgfns pipelined"],
    "pgfns pipelined": [$pgb4, "\($pgb4) pipelined x16", "pgfns pipelined, a sync per read"],
    "pgfns pipelined, a sync per read": [$pgb4, "\($pgb4) pipelined x16"],
    "pgfns typed pipelined, a sync per read": [$pgb4, "\($pgb4) pipelined x16"],
    "pgfns typed sequential": ["pgbench -c 1", "pgfns sequential"],
    "pgfns typed concurrent": [$pgb4, "pgfns concurrent"],
    "pgfns typed pipelined": [$pgb4, "\($pgb4) pipelined x16", "pgfns pipelined",
                              "pgfns typed pipelined, a sync per read"],
    "pgfns typed mixed": ["pgfns mixed"],
    "node original c4": ["pgfns concurrent"], "node single c4": ["pgfns concurrent"],
    "node original c64": ["pgfns pipelined"], "node single c64": ["pgfns pipelined"],
    "node original mixed": ["pgfns mixed"], "node single mixed": ["pgfns mixed"],
    "pgfns pooled concurrent": ["pgfns concurrent"], "pgfns pooled pipelined": ["pgfns pipelined"],
    "pgfns pooled mixed": ["pgfns mixed"],
    "node original pooled c4": ["pgfns pooled concurrent"],
    "node single pooled c4": ["pgfns pooled concurrent"],
    "node original pooled c64": ["pgfns pooled pipelined"],
    "node single pooled c64": ["pgfns pooled pipelined"],
    "node original pooled mixed": ["pgfns pooled mixed"],
    "node single pooled mixed": ["pgfns pooled mixed"]
  } as $refs
| ["pgfns sequential", "pgfns concurrent", "pgfns pipelined", "pgfns mixed",
   "pgfns typed sequential", "pgfns typed concurrent", "pgfns typed pipelined",
   "pgfns typed mixed"] as $with_baseline
| ($with_baseline | map(select($m["\(.) (baseline)"]))) as $baselined
| ($refs + ($baselined | map({key: "\(.) (baseline)", value: $refs[.]}) | from_entries)
  + ($baselined | map({key: ., value: ($refs[.] + ["\(.) (baseline)"])}) | from_entries)) as $refs
| def ratio(a; b): if $m[a] and $m[b] and $m[b].calls_per_s > 0
    then $m[a].calls_per_s / $m[b].calls_per_s else null end;
  def target(text; value; goal):
    "  \(text | pad(62)) \(value | fmt_ratio | lpad(7))  " +
    (if value == null then "not measured" elif value >= goal then "met" else "MISSED" end);
  def cpu(r): if $m[r] then $m[r].cpu else null end;
  def cpu_target(text; r; goal):
    "  \(text | pad(62)) \(cpu(r) | fmt_us | lpad(7))  " +
    (if cpu(r) == null then "not measured" elif cpu(r) <= goal then "met" else "MISSED" end);
  def cpu_ratio(a; b): if cpu(a) != null and cpu(b) != null and cpu(b) > 0
    then cpu(a) / cpu(b) else null end;
  (["pgbench -c 1", $pgb4, "\($pgb4) pipelined x16"]
   + ($with_baseline | map(., "\(.) (baseline)"))
   + ["pgfns concurrent, 2 threads", "pgfns concurrent, 2 threads, one io_context",
      "pgfns pipelined, 2 threads",
      "pgfns pipelined, a sync per read", "pgfns typed pipelined, a sync per read",
      "node original c4", "node single c4", "node original c64", "node single c64",
      "node original mixed", "node single mixed",
      "pgfns pooled concurrent", "pgfns pooled pipelined", "pgfns pooled mixed",
      "node original pooled c4", "node single pooled c4", "node original pooled c64",
      "node single pooled c64", "node original pooled mixed", "node single pooled mixed"])
  as $order
| ("\("scenario" | pad(33)) \("C" | lpad(3)) \("calls/s" | lpad(8)) \("p50 us" | lpad(8))" +
   " \("p99 us" | lpad(8)) \("cpu us/call" | lpad(11)) \("RSS MiB" | lpad(7))  " +
   "\("calls/s per round" | pad(22)) ratio to the reference row (median calls/s)"),
  ($order[] | select($m[.]) | . as $r | $m[$r] as $x
   | (($refs[$r] // []) | map("\(ratio($r; .) | fmt_ratio) \(.)") | join("; ")) as $rt
   | "\($r | pad(33)) \($x.conc | lpad(3)) \($x.calls_per_s | lpad(8)) \($x.p50 | round | lpad(8))" +
     " \($x.p99 | round | lpad(8)) \($x.cpu | round2 | lpad(11)) \($x.rss_mb | lpad(7))  " +
     "\($x.rounds | pad(22)) \(if $rt == "" then "-" else $rt end)"),
  "",
  "targets (ratios of median calls/s; median client CPU per call):",
  target("sequential >= 1.0x pgbench -c 1 -M prepared"; ratio("pgfns sequential"; "pgbench -c 1"); 1),
  target("concurrent (P=\($p)), 1 thread >= 0.9x pgbench -c \($p) -j 2 -M prepared";
         ratio("pgfns concurrent"; $pgb4); 0.9),
  target("concurrent (P=\($p)), 2 threads >= 1.0x pgbench -c \($p) -j 2 -M prepared";
         ratio("pgfns concurrent, 2 threads"; $pgb4); 1),
  target("pipelined >= 2x pgbench -c \($p) without pipelining"; ratio("pgfns pipelined"; $pgb4); 2),
  target("pipelined reads >= 0.8x pgbench pipelined x16 (shared sync points)";
         ratio("pgfns pipelined"; "\($pgb4) pipelined x16"); 0.8),
  target(">= 3x node original, C=4 (pgfns concurrent)"; ratio("pgfns concurrent"; "node original c4"); 3),
  target(">= 3x node original, C=64 (pgfns pipelined)"; ratio("pgfns pipelined"; "node original c64"); 3),
  target(">= 3x node original, mixed C=16"; ratio("pgfns mixed"; "node original mixed"); 3),
  target("pgbouncer: >= 2x node original, C=4 (both pooled)";
         ratio("pgfns pooled concurrent"; "node original pooled c4"); 2),
  target("pgbouncer: >= 2x node original, C=64 (both pooled)";
         ratio("pgfns pooled pipelined"; "node original pooled c64"); 2),
  target("pgbouncer: >= 2x node original, mixed C=16 (both pooled)";
         ratio("pgfns pooled mixed"; "node original pooled mixed"); 2),
  cpu_target("JSON sequential: client CPU <= 12 us per call"; "pgfns sequential"; 12),
  cpu_target("JSON concurrent: client CPU <= 12 us per call"; "pgfns concurrent"; 12),
  cpu_target("typed sequential: client CPU <= 10 us per call"; "pgfns typed sequential"; 10),
  cpu_target("typed concurrent: client CPU <= 10 us per call"; "pgfns typed concurrent"; 10),
  cpu_target("typed pipelined: client CPU <= 4 us per call"; "pgfns typed pipelined"; 4),
  ($all | map(select(.row == "pgfns rss")) | first) as $rss
  | (if $rss then
      "  \("RSS after \($rss.rss_calls_last) calls within 5% of after \($rss.rss_calls_first)" | pad(62))" +
      " \("\($rss.rss_growth_percent)%" | lpad(7))  " +
      (if $rss.rss_growth_percent <= 5 then "met" else "MISSED" end) +
      " (\($rss.rss_first_kb) KiB -> \($rss.rss_last_kb) KiB)"
     else "  RSS growth: not measured" end),
  # Each typed row against the pgbench rows of its scenario (mixed has none) and its JSON row.
  (([["sequential", ["pgbench -c 1"]], ["concurrent", [$pgb4]],
     ["pipelined", [$pgb4, "\($pgb4) pipelined x16"]], ["mixed", []]]
    | map("pgfns typed \(.[0])" as $r | select($m[$r])
          | {row: $r, against: (.[1] + ["pgfns \(.[0])"])})) as $typed
   | if ($typed | length) == 0 then empty else
       "",
       "typed bindings: median client CPU per call, its ratio to pgbench's and to the JSON row's; calls/s the same:",
       ($typed[] | .row as $r | .against as $against
        | "  \($r | pad(24)) \(cpu($r) | fmt_us | lpad(9)): " +
          ($against | map("\(cpu_ratio($r; .) | fmt_ratio) \(.) (\(cpu(.) | fmt_us))") | join(", ")) +
          "; calls/s " + ($against | map("\(ratio($r; .) | fmt_ratio) \(.)") | join(", ")))
     end),
  (if ($baselined | length) > 0 then
     "",
     "against the baseline build (median calls/s and client CPU per call, this build / baseline):",
     ($baselined[] | . as $r | $m["\($r) (baseline)"] as $b
      | "  \($r | pad(24)) \($m[$r].calls_per_s | lpad(8)) / \($b.calls_per_s | lpad(8)) calls/s" +
        " = \(ratio($r; "\($r) (baseline)") | fmt_ratio | lpad(6)); " +
        "\($m[$r].cpu | round2) / \($b.cpu | round2) us per call")
   else empty end),
  "",
  ($all | map(select(.scenario == "schema-load"))[] |
    "load taskcluster-db (\(.versions) versions, \(.methods) methods): median \(.median_ms) ms" +
    " of \(.repeat) (min \(.min_ms), max \(.max_ms))"),
  ($all | map(select(.scenario == "upgrade"))[] |
    "upgrade an empty database to taskcluster-db version \(.versions): \(.ms) ms"),
  (if $quick == 1 then "(--quick: one short round, to prove the harness; not a measurement)" else empty end)
