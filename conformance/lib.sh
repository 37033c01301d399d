# Helpers for bash checks: source "$VOSTOK_ROOT/conformance/lib.sh".
failures=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failures=$((failures + 1)); }
finish() { [ "$failures" -eq 0 ]; }

# fetch URL FILE: downloads URL into FILE; fails (non-zero) on an HTTP error.
fetch() { curl -fsS --max-time 60 -o "$2" "$1"; }

# validate NAME URL SCHEMA: fetches URL and validates it against SCHEMA (a path under
# ../shared/schemas) with xmllint, resolving imports through the shared XML catalog.
validate() {
  local name=$1 url=$2 schema=$VOSTOK_SHARED/schemas/$3 doc
  doc=$(mktemp)
  if ! fetch "$url" "$doc"; then
    fail "$name" "cannot fetch $url"
  elif out=$(XML_CATALOG_FILES="$VOSTOK_SHARED/schemas/catalog.xml" xmllint --nonet --noout --schema "$schema" "$doc" 2>&1); then
    pass "$name"
  else
    fail "$name" "$(echo "$out" | head -3 | tr '\n' ' ')"
  fi
  rm -f "$doc"
}
