#!/bin/bash
# The load command against one node on SQLite, one node on PostgreSQL and
# two nodes on it (make bench-nodes; README: SQLite or PostgreSQL, one node
# or two). PostgreSQL 15 runs from Debian's binaries in a temporary
# directory with its defaults (fsync on, synchronous_commit on), on port
# $PGPORT, as the postgres user when run as root.
set -e
cd "$(dirname "$0")/../.."
PGB=${PGB:-/usr/lib/postgresql/15/bin}
PGPORT=${PGPORT:-55433}
OPS=${OPS:-create,reply,list,search}
CLIENTS=${CLIENTS:-1,64}
DUR=${DUR:-5s}
T=$(mktemp -d)
chmod 755 "$T"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sh -c "$*"; fi; }
mkdir -p "$T/pg"
[ "$(id -u)" = 0 ] && chown postgres "$T/pg"
as_pg "$PGB/initdb -D $T/pg/data -A trust -U postgres" >/dev/null
as_pg "$PGB/pg_ctl -D $T/pg/data -o '-p $PGPORT -k $T/pg -c listen_addresses=127.0.0.1 -c max_connections=200' -l $T/pg/log -w start" >/dev/null
trap 'rc=$?; kill $(jobs -p) 2>/dev/null || true; as_pg "$PGB/pg_ctl -D $T/pg/data -m fast stop" >/dev/null; rm -rf "$T"; exit $rc' EXIT
URL=postgres://postgres@127.0.0.1:$PGPORT
go build -o "$T/loadtest" ./server/tools/loadtest
up() { for i in $(seq 150); do curl -sf "$1/readyz" >/dev/null && return; sleep 0.2; done; echo "$1 did not start" >&2; exit 1; }
load() { "$T/loadtest" api -url "$1" -ops "$OPS" -clients "$CLIENTS" -duration "$DUR"; }

echo "== SQLite, one node"
bin/supportal -data "$T/sqlite" -demo -addr 127.0.0.1:18090 >"$T/sqlite.log" 2>&1 & p=$!
up http://127.0.0.1:18090; load http://127.0.0.1:18090; kill $p; wait $p || true

echo "== PostgreSQL, one node"
"$PGB/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc 'CREATE DATABASE one'
bin/supportal -db "$URL/one" -demo -files "$T/f1" -data "$T/d1" -addr 127.0.0.1:18091 >"$T/one.log" 2>&1 & p=$!
up http://127.0.0.1:18091; load http://127.0.0.1:18091; kill $p; wait $p || true

echo "== PostgreSQL, two nodes"
"$PGB/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc 'CREATE DATABASE two'
bin/supportal -db "$URL/two" -demo -files "$T/f2" -data "$T/d2" -addr 127.0.0.1:18092 >"$T/a.log" 2>&1 & a=$!
up http://127.0.0.1:18092
bin/supportal -db "$URL/two" -files "$T/f2" -data "$T/d3" -addr 127.0.0.1:18093 >"$T/b.log" 2>&1 & b=$!
up http://127.0.0.1:18093
load http://127.0.0.1:18092,http://127.0.0.1:18093; kill $a $b; wait $a $b || true
