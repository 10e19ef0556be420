# Secrets: store URLs a token must not be sent to (plain http:// off loopback, user:password@),
# secrets on the command line (Adobe access token, NetSuite token id), a URL stored with a
# password by an older version, and Shopify's pre-signed bulk-download URL in error text.
# Every secret used is registered; the target is 0 bytes found anywhere.

hostile_setup "$FORESTOCK" demo --db secrets-demo.db --skus 5
hostile_sim --db secrets-demo.db --platform all

sim_field() {
  python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]][sys.argv[3]])' \
    "$HOSTILE_SIM_JSON" "$1" "$2"
}

shop_url="$(hostile_sim_url shopify)"
shop_token="$(sim_field shopify token)"
adobe_url="$(hostile_sim_url adobe)"
adobe_ck="$(sim_field adobe consumer_key)"
adobe_cs="$(sim_field adobe consumer_secret)"
adobe_at="$(sim_field adobe access_token)"
adobe_ats="$(sim_field adobe access_token_secret)"
ns_url="$(hostile_sim_url netsuite)"
ns_account="$(sim_field netsuite account_id)"
ns_ck="$(sim_field netsuite consumer_key)"
ns_cs="$(sim_field netsuite consumer_secret)"
ns_tid="$(sim_field netsuite token_id)"
ns_ts="$(sim_field netsuite token_secret)"
url_pw="hostile-pw-in-url-4f2a"
for s in "$shop_token" "$adobe_cs" "$adobe_at" "$adobe_ats" "$ns_cs" "$ns_tid" "$ns_ts" "$url_pw"; do
  hostile_secret "$s"
done

# --- URLs a token must not be sent to: refused with exit 2, nothing written.
HOSTILE_STDIN="$(mktemp)"
printf '%s\n' "$shop_token" >"$HOSTILE_STDIN"
hostile_case "shopify over plain http to a remote host" 2 \
  "$FORESTOCK" connect shopify --db secrets-shop.db --url http://example.com
hostile_case "shopify with user:password in the URL" 2 \
  "$FORESTOCK" connect shopify --db secrets-shop.db --url "https://admin:$url_pw@shop.example.com"
hostile_case "shopify with user:password on a loopback URL" 2 \
  "$FORESTOCK" connect shopify --db secrets-shop.db --url "${shop_url/http:\/\//http://admin:$url_pw@}"
hostile_case "shopify with a password-only userinfo" 2 \
  "$FORESTOCK" connect shopify --db secrets-shop.db --url "https://$url_pw@shop.example.com"
hostile_case "shopify with a token in the URL's query string" 2 \
  "$FORESTOCK" connect shopify --db secrets-shop.db --url "https://shop.example.com/?access_token=$url_pw"
hostile_case "bigcommerce over plain http" 2 \
  "$FORESTOCK" connect bigcommerce --db secrets-shop.db --url http://api.bigcommerce.com/stores/abc
hostile_case "shopify with a file: URL" 2 \
  "$FORESTOCK" connect shopify --db secrets-shop.db --url file:///etc/passwd
printf '%s\n%s\n%s\n' "$ns_cs" "$ns_tid" "$ns_ts" >"$HOSTILE_STDIN"
hostile_case "netsuite over plain http" 2 \
  "$FORESTOCK" connect netsuite --db secrets-erp.db --url "http://$ns_account.suitetalk.api.netsuite.com" \
  --account "$ns_account" --consumer-key "$ns_ck"
hostile_case "netsuite with user:password in the URL" 2 \
  "$FORESTOCK" connect netsuite --db secrets-erp.db --url "https://admin:$url_pw@$ns_account.suitetalk.api.netsuite.com" \
  --account "$ns_account" --consumer-key "$ns_ck"

# --- Secrets on the command line: refused with exit 2 before anything is read or written,
# the value not repeated.
printf '%s\n%s\n' "$adobe_cs" "$adobe_ats" >"$HOSTILE_STDIN"
hostile_case "adobe access token given on argv" 2 \
  "$FORESTOCK" connect adobe --db secrets-adobe.db --url "$adobe_url" --consumer-key "$adobe_ck" \
  --access-token "$adobe_at"
printf '%s\n%s\n' "$ns_cs" "$ns_ts" >"$HOSTILE_STDIN"
hostile_case "netsuite token id given on argv" 2 \
  "$FORESTOCK" connect netsuite --db secrets-erp.db --url "$ns_url" --account "$ns_account" \
  --consumer-key "$ns_ck" --token-id "$ns_tid"

# --- The same secrets on stdin, in the documented order, against `forestock sim`: accepted.
HOSTILE_ALLOW_WRITE=1
printf '%s\n%s\n%s\n' "$adobe_cs" "$adobe_at" "$adobe_ats" >"$HOSTILE_STDIN"
hostile_case "adobe token on stdin (consumer secret, access token, token secret)" 0 \
  "$FORESTOCK" connect adobe --db secrets-adobe.db --url "$adobe_url" --consumer-key "$adobe_ck"
printf '%s\n%s\n%s\n' "$ns_cs" "$ns_tid" "$ns_ts" >"$HOSTILE_STDIN"
hostile_case "netsuite token id on stdin (consumer secret, token id, token secret)" 0 \
  "$FORESTOCK" connect netsuite --db secrets-erp.db --url "$ns_url" --account "$ns_account" \
  --consumer-key "$ns_ck"
HOSTILE_ALLOW_WRITE=0
rm -f "$HOSTILE_STDIN"
unset HOSTILE_STDIN
hostile_case "list stores connected from stdin" 0 "$FORESTOCK" connect list --db secrets-adobe.db

# --- A store row written by an older version with user:password in its URL. It lives outside
# the scanned folder (the password is in that file by construction); what Forestock prints
# about it is scanned: the password must appear 0 times, and the token is never sent there.
legacy_dir="$(mktemp -d)"
HOSTILE_STDIN="$(mktemp)"
printf '%s\n' "$shop_token" >"$HOSTILE_STDIN"
hostile_setup "$FORESTOCK" connect shopify --db "$legacy_dir/legacy.db" --url "$shop_url"
rm -f "$HOSTILE_STDIN"
unset HOSTILE_STDIN
python3 - "$legacy_dir/legacy.db" "$url_pw" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE stores SET base_url = replace(base_url, 'http://', 'http://admin:' || ? || '@')",
           (sys.argv[2],))
db.commit()
PY
hostile_case "sync a stored URL carrying a password (older version)" 2 \
  "$FORESTOCK" sync --db "$legacy_dir/legacy.db" --quiet
hostile_case "list a store whose stored URL carries a password" 0 \
  "$FORESTOCK" connect list --db "$legacy_dir/legacy.db" --format json
hostile_case "remove a store whose stored URL carries a password" 0 \
  "$FORESTOCK" connect remove --db "$legacy_dir/legacy.db" 1
rm -rf "$legacy_dir"

# --- A keychain entry named in the database that is not one of ours: left alone on remove.
foreign_dir="$(mktemp -d)"
HOSTILE_STDIN="$(mktemp)"
printf '%s\n' "$shop_token" >"$HOSTILE_STDIN"
hostile_setup "$FORESTOCK" connect shopify --db "$foreign_dir/foreign.db" --url "$shop_url"
rm -f "$HOSTILE_STDIN"
unset HOSTILE_STDIN
python3 - "$foreign_dir/foreign.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE stores SET keychain_ref = 'login:some-other-app'")
db.commit()
PY
hostile_case "remove a store naming a foreign keychain entry" 0 \
  "$FORESTOCK" connect remove --db "$foreign_dir/foreign.db" 1
rm -rf "$foreign_dir"

# --- Shopify's bulk result URL is pre-signed (the query string is the credential). Served from
# an origin where nothing listens, the download fails with a transport error: the signature must
# reach neither stderr, nor the stored sync error, nor the run summary. The sync records its
# failure in the database on purpose (so writing is allowed); exit 4 (remote).
hostile_stop_sims
hostile_sim --db secrets-demo.db --platform shopify --bulk-origin http://127.0.0.1:9
bulk_url="$(hostile_sim_url shopify)"
HOSTILE_STDIN="$(mktemp)"
printf '%s\n' "$shop_token" >"$HOSTILE_STDIN"
hostile_setup "$FORESTOCK" connect shopify --db secrets-bulk.db --url "$bulk_url"
rm -f "$HOSTILE_STDIN"
unset HOSTILE_STDIN
# The simulator signs operation N with sha256("bulk:N:<client secret>")[:12 bytes].
while read -r sig; do
  hostile_secret "$sig"
done < <(python3 -c '
import hashlib, sys
for n in range(1, 9):
    print(hashlib.sha256(f"bulk:{n}:{sys.argv[1]}".encode()).hexdigest()[:24])
' "$(sim_field shopify client_secret)")
hostile_secret "X-Goog-Signature"
HOSTILE_ALLOW_WRITE=1
hostile_case "sync whose pre-signed bulk download fails" 4 \
  "$FORESTOCK" sync --db secrets-bulk.db --quiet
HOSTILE_ALLOW_WRITE=0
