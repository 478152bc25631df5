#!/bin/sh
# test_browser.sh - the search page in headless Chromium (tests/browser/serve.mjs):
# needs Debian's chromium and playwright-core, which `./quickstart check`
# installs (playwright-core into build/node/); skipped (77) without them.
# The screenshots are kept in the build's tests/ folder.
. "$(dirname "$0")/testlib.sh"
node_modules=${CS_NODE_MODULES:-$top_builddir/node/node_modules}
if ! command -v node >/dev/null || [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ] ||
   [ ! -d "$node_modules/playwright-core" ]; then
    echo "SKIP: needs node, chromium and playwright-core in $node_modules (./quickstart check installs them)"
    exit 77
fi
. "$top_srcdir/tests/servelib.sh"
start_server
[ -n "$URL" ] || { echo "the server did not start: $(cat "$TMP/server.err")"; exit 1; }
# the script is copied beside node_modules so that its import resolves
cp "$top_srcdir/tests/browser/serve.mjs" "$node_modules/../serve-test.mjs"
node "$node_modules/../serve-test.mjs" "$URL" "$(pwd)"
status=$?
# a failure may be the server's: show what it said
[ "$status" -eq 0 ] || { echo "the server's stderr:"; tail -n 20 "$TMP/server.err"; }
exit "$status"
