#!/usr/bin/env bash
# Builds FerretDB v1 (a MongoDB-wire database on SQLite) into .tools/bin from the Go module proxy.
# tools/ferretdb pins the module (go.mod, go.sum) and runs it through its embeddable package;
# `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.x` fails on proxies that refuse version lists.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target="$root/.tools/bin/ferretdb"
if [ -x "$target" ]; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "FerretDB is needed for the embedded database, and building it needs Go (https://go.dev/dl/)." >&2
  echo "Alternatively set MONGODB_URI to a MongoDB server." >&2
  exit 1
fi
mkdir -p "$root/.tools/bin"
echo "Building FerretDB into $target (a few minutes the first time)..." >&2
cd "$root/tools/ferretdb"
GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -trimpath -o "$target" .
echo "FerretDB ready: $target" >&2
