# shellcheck shell=bash
# Seeds for the fuzz targets (test/fuzz), shared by scripts/fuzz and by whoever refreshes the
# committed seeds in test/fuzz/corpus/.

# Prints schema directory DIR as one input of fuzz_schema_yaml: access.yml, tables.yml and every
# file of versions/ (hidden ones too; subdirectories are skipped), each as a line
# "=== PATH" followed by the file's text, which is given a final newline when it lacks one.
pack_schema_dir() {
  local dir=$1 f
  for f in "$dir"/access.yml "$dir"/tables.yml "$dir"/versions/* "$dir"/versions/.[!.]*; do
    [[ -f $f ]] || continue
    printf '=== %s\n' "${f#"$dir"/}"
    cat -- "$f"
    [[ -z $(tail -c 1 -- "$f") ]] || echo
  done
}

# Fills OUT/schema_yaml and OUT/schema_json with seeds made from each schema directory given
# (its packed form, and its JSON form from the `pgfns` tool CLI when it loads).
make_schema_seeds() {
  local out=$1 cli=$2
  shift 2
  mkdir -p "$out/schema_yaml" "$out/schema_json"
  local dir name
  for dir in "$@"; do
    name=$(basename -- "$dir")
    pack_schema_dir "$dir" >"$out/schema_yaml/$name"
    "$cli" schema json "$dir" >"$out/schema_json/$name.json" 2>/dev/null ||
      rm -f "$out/schema_json/$name.json"
  done
}
