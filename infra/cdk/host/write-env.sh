#!/bin/bash
# Writes /etc/isikhnas/<daemon>.env from the daemon's SSM parameter (a JSON document of
# settings, database secrets and other secrets), calling AWS as the daemon itself so it
# can read nothing another daemon's role could not. The file is replaced atomically and
# only when every value was read; on failure the previous file stays and the exit is 1.
# Runs as root: at boot, and before every start of the unit (ExecStartPre=+…).
set -euo pipefail
# systemd's PATH lacks /snap/bin, where the AWS CLI lives on Ubuntu.
export PATH="/snap/bin:/usr/local/bin:/usr/bin:/bin"
daemon="${1:?usage: isikhnas-write-env <daemon>}"
# shellcheck source=/dev/null
. /etc/isikhnas/host.conf # ISIKHNAS_REGION, PARAMETER_PATH, CA_BUNDLE
export AWS_REGION="$ISIKHNAS_REGION" AWS_DEFAULT_REGION="$ISIKHNAS_REGION"
if grep -q "^\[profile $daemon\]" /etc/isikhnas/aws-config 2>/dev/null; then
  # Shared host: assume the daemon's role (see aws-config) instead of using the instance's.
  export AWS_CONFIG_FILE=/etc/isikhnas/aws-config AWS_PROFILE="$daemon"
fi
target="/etc/isikhnas/$daemon.env"
tmp="$(mktemp "$target.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
# systemd env-file quoting: inside double quotes, \ " $ and ` are escaped.
QUOTE='def q: "\"" + gsub("(?<c>[\\\\\"$`])"; "\\\(.c)") + "\"";'

spec="$(aws ssm get-parameter --name "$PARAMETER_PATH$daemon" --query Parameter.Value --output text)"
{
  echo "# Written by isikhnas-write-env from $PARAMETER_PATH$daemon; edits are overwritten."
  jq -r "$QUOTE"' .env | to_entries[] | "\(.key)=\(.value | q)"' <<<"$spec"
} >"$tmp"

# Database URLs: credentials from the RDS secret, host from the secret or (replica) the spec.
while IFS=$'\t' read -r name secret host; do
  [ -n "$name" ] || continue
  value="$(aws secretsmanager get-secret-value --secret-id "$secret" --query SecretString --output text)"
  jq -r --arg name "$name" --arg host "$host" --arg ca "$CA_BUNDLE" "$QUOTE"' "\($name)=" + ("postgres://\(.username | @uri):\(.password | @uri)@\(if $host == "" then .host else $host end):\(.port)/\(.dbname)?sslmode=verify-full&sslrootcert=\($ca)" | q)' \
    <<<"$value" >>"$tmp"
done < <(jq -r '(.databases // {}) | to_entries[] | [.key, .value.secret, (.value.host // "")] | @tsv' <<<"$spec")

# Other secrets: one JSON key of a secret each.
while IFS=$'\t' read -r name secret key; do
  [ -n "$name" ] || continue
  value="$(aws secretsmanager get-secret-value --secret-id "$secret" --query SecretString --output text)"
  jq -r --arg name "$name" --arg key "$key" "$QUOTE"' "\($name)=\(.[$key] // "" | q)"' <<<"$value" >>"$tmp"
done < <(jq -r '(.secrets // {}) | to_entries[] | [.key, .value.secret, .value.key] | @tsv' <<<"$spec")

chown root:isikhnas "$tmp"
chmod 0640 "$tmp"
mv -f "$tmp" "$target"
trap - EXIT
