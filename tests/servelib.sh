# servelib.sh - the index and the server of the tests of `cybersearch serve`
# (sourced after testlib.sh).  The server listens on a port the system picks
# (--port 0: other test runs share the machine) and is always stopped.
CS=${CYBERSEARCH:-../cli/cybersearch}
IDX="$TMP/index"
FIX="$TMP/fixtures"
SERVER_PID=""
URL=""

# stop_server: SIGTERM; $SERVER_STATUS is its exit status (under the
# sanitizers, non-zero for a leak or an error found on the way out).
SERVER_STATUS=""
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
        SERVER_STATUS=$?
    fi
    SERVER_PID=""
}
trap 'stop_server; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM

# The bundled corpus and the fixtures (a file of quoted markup) into $IDX.
cp -R "$top_srcdir/tests/fixtures/xss" "$FIX"
"$CS" index --quiet --corpus "$CS_TEST_CORPUS" --corpus "$FIX" --index "$IDX" ||
    { echo "cannot build the test index"; exit 1; }

# start_server: serve $IDX; $URL is the address it prints (empty if none).
start_server() {
    "$CS" serve --index "$IDX" --port 0 --threads 2 >"$TMP/url" 2>"$TMP/server.err" &
    SERVER_PID=$!
    for _ in $(seq 300); do [ -s "$TMP/url" ] && break; sleep 0.1; done
    URL=$(head -n 1 "$TMP/url")
}
