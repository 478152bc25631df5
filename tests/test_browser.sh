#!/bin/sh
# test_browser.sh - the search page in headless Chromium (tests/browser/serve.mjs):
# needs Debian's chromium and playwright-core, which `./quickstart check`
# installs (playwright-core into build/node/); skipped (77) without them.
# The screenshots are kept in the build's tests/ folder.
. "$(dirname "$0")/testlib.sh"
CS=${CYBERSEARCH:-../cli/cybersearch}
node_modules=${CS_NODE_MODULES:-$top_builddir/node/node_modules}
if ! command -v node >/dev/null || [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ] ||
   [ ! -d "$node_modules/playwright-core" ]; then
    echo "SKIP: needs node, chromium and playwright-core in $node_modules (./quickstart check installs them)"
    exit 77
fi
IDX="$TMP/index"
cp -R "$top_srcdir/tests/fixtures/xss" "$TMP/fixtures"
"$CS" index --quiet --corpus "$CS_TEST_CORPUS" --corpus "$TMP/fixtures" --index "$IDX" ||
    { echo "cannot build the test index"; exit 1; }
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
"$CS" serve --index "$IDX" --port 0 --threads 2 >"$TMP/url" 2>"$TMP/server.err" &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$TMP/url" ] && break; sleep 0.1; done
URL=$(head -n 1 "$TMP/url")
[ -n "$URL" ] || { echo "the server did not start: $(cat "$TMP/server.err")"; exit 1; }
# the script is copied beside node_modules so that its import resolves
cp "$top_srcdir/tests/browser/serve.mjs" "$node_modules/../serve-test.mjs"
node "$node_modules/../serve-test.mjs" "$URL" "$(pwd)"
