#!/usr/bin/env bash
# Starts the production install the way the Docker image does: compiled code, `npm ci --omit=dev`
# in a clean directory, NODE_ENV=production, against a throw-away FerretDB; checks /readyz and the
# home page. A devDependency needed at run time fails here. Run after `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

[ -f dist/src/server.js ] || { echo "dist/src/server.js missing: run npm run build first" >&2; exit 1; }
mkdir -p "$work/app" "$work/db"
cp -r dist views public locales seed package.json package-lock.json "$work/app/"
(cd "$work/app" && npm ci --omit=dev --no-audit --no-fund)

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
db_port=$(free_port)
app_port=$(free_port)
"$root/.tools/bin/ferretdb" --listen-addr="127.0.0.1:$db_port" --sqlite-url="file:$work/db/" --log-level=error &
pids+=($!)

(cd "$work/app" && NODE_ENV=production DIRECTORY_MODE=production PORT="$app_port" HOST=127.0.0.1 \
  MONGODB_URI="mongodb://127.0.0.1:$db_port/directory" COOKIE_SECRET="smoke-test-secret-$(date +%s%N)" \
  SMTP_URL="smtp://127.0.0.1:9/" PUBLIC_URL="http://127.0.0.1:$app_port" exec node dist/src/server.js) > "$work/app.log" 2>&1 &
pids+=($!)

fetch() { node -e "require('http').get(process.argv[1],(r)=>{let b='';r.on('data',(c)=>b+=c);r.on('end',()=>{process.stdout.write(r.statusCode+'\n'+b)})}).on('error',()=>process.stdout.write('000\n'))" "$1"; }
for _ in $(seq 1 60); do
  [ "$(fetch "http://127.0.0.1:$app_port/readyz" | head -1)" = 200 ] && break
  sleep 1
done
ready=$(fetch "http://127.0.0.1:$app_port/readyz")
home=$(fetch "http://127.0.0.1:$app_port/")
if [ "$(head -1 <<<"$ready")" != 200 ] || [ "$(head -1 <<<"$home")" != 200 ] || ! grep -q 'Central Authorities Directory' <<<"$home"; then
  echo "production smoke test failed: /readyz $(head -1 <<<"$ready"), / $(head -1 <<<"$home")" >&2
  cat "$work/app.log" >&2
  exit 1
fi
echo "production install: /readyz 200, / 200"
