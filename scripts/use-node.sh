# Puts Node.js 24 LTS first on PATH when the machine's `node` is older. Source it, from the repository root or
# anywhere:  . scripts/use-node.sh
#
# The binary is the official one, from the npm registry's `node-linux-<arch>` package (the registry is all a
# machine of ours reaches), unpacked once into the git-ignored .stack/node/<version>. npm stays the machine's own:
# its `#!/usr/bin/env node` then runs it on this Node.

node_version=24.22.3
node_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_dir="$node_root/.stack/node/$node_version"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 24 ]; then
  if ! "$node_dir/bin/node" --version >/dev/null 2>&1; then
    case "$(uname -m)" in
      x86_64) node_arch=x64 ;;
      aarch64) node_arch=arm64 ;;
      *) echo "use-node.sh: no node-linux package for $(uname -m)" >&2; return 1 2>/dev/null || exit 1 ;;
    esac
    node_tmp="$(mktemp -d)"
    (cd "$node_tmp" && npm pack --silent "node-linux-$node_arch@$node_version" >/dev/null) &&
      mkdir -p "$node_dir" &&
      tar -xzf "$node_tmp"/node-linux-*.tgz -C "$node_dir" --strip-components=1 package/bin/node package/LICENSE
    rm -rf "$node_tmp"
    if ! "$node_dir/bin/node" --version >/dev/null 2>&1; then
      echo "use-node.sh: could not get node-linux-$node_arch@$node_version from the npm registry" >&2
      return 1 2>/dev/null || exit 1
    fi
  fi
  export PATH="$node_dir/bin:$PATH"
  hash -r
fi
echo "Node $(node --version) ($(command -v node)), npm $(npm --version)"
