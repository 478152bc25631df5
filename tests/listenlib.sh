# listenlib.sh - Xapian's own servers (xapian-tcpsrv, xapian-replicate-server)
# on loopback for the shell tests (sourced after testlib.sh).
#
# Neither server takes --port 0, so a free port is asked of the system and
# then bound by the server: another program on this shared machine may take
# it in between.  A server that exits before it listens is therefore started
# again on another port, and a test only goes on once the server itself holds
# the port.
#
# Both servers answer SIGTERM by signalling their whole process group: each
# runs in a session of its own and is stopped with SIGKILL, always, on exit.

listen_pids=""
listen_stop_all() { for p in $listen_pids; do kill -KILL "$p" 2>/dev/null; done; }
trap 'listen_stop_all; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM

listen_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# listen_holds PID PORT: process PID itself listens on 127.0.0.1:PORT (a port
# that merely answers may belong to another program).
listen_holds() {
    python3 - "$1" "$2" <<'PY'
import os, sys
pid, port = sys.argv[1], int(sys.argv[2])
fds = "/proc/%s/fd" % pid
try:
    links = [os.readlink(os.path.join(fds, f)) for f in os.listdir(fds)]
except OSError:
    sys.exit(1)
mine = {l[8:-1] for l in links if l.startswith("socket:[")}
with open("/proc/net/tcp") as table:
    for row in list(table)[1:]:
        f = row.split()
        if f[3] == "0A" and int(f[1].split(":")[1], 16) == port and f[9] in mine:
            sys.exit(0)
sys.exit(1)
PY
}

# listen_start LOG PROGRAM DB [OPTION...]: run
#   PROGRAM --interface 127.0.0.1 --port PORT [OPTION...] DB
# until it answers on PORT: up to 5 ports, 30 s each.  Sets $listen_port and
# $listen_pid; returns 1, with the server's log on stderr, if it never did.
listen_start() {
    log=$1 prog=$2 db=$3
    shift 3
    for _attempt in 1 2 3 4 5; do
        listen_port=$(listen_free_port) || return 1
        setsid "$prog" --interface 127.0.0.1 --port "$listen_port" "$@" "$db" >"$log" 2>&1 &
        listen_pid=$!
        listen_pids="$listen_pids $listen_pid"
        for _ in $(seq 300); do
            listen_holds "$listen_pid" "$listen_port" && return 0
            kill -0 "$listen_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$listen_pid" 2>/dev/null
        wait "$listen_pid" 2>/dev/null
        # reaped: its number may soon be another process's
        listen_pids=$(echo "$listen_pids " | sed "s/ $listen_pid / /")
    done
    echo "$prog never listened; its last log:" >&2
    tail -n 20 "$log" >&2
    return 1
}

# listen_tcpsrv CHECK DB [OPTION...]: xapian-tcpsrv serving DB for the
# checks named CHECK: 0 once it listens on $listen_port; otherwise CHECK
# is skipped (not installed) or failed (it never listened), and 1.
listen_tcpsrv() {
    check=$1
    shift
    if ! command -v xapian-tcpsrv >/dev/null 2>&1; then
        skip "$check" "xapian-tcpsrv is not installed (Debian package xapian-tools)"
        return 1
    fi
    if ! command -v python3 >/dev/null 2>&1; then
        skip "$check" "python3, which finds a free port, is not installed"
        return 1
    fi
    listen_start "$TMP/tcpsrv.log" xapian-tcpsrv "$@" && return 0
    fail "$check" "xapian-tcpsrv did not start"
    return 1
}
