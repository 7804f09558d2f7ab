#!/usr/bin/env bash
# Regenerates docs/pgtop.1 and docs/completions/ from the command-line definition (the same
# source as `pgtop --help`): swift-argument-parser's manual plugin and its completion scripts.
#   scripts/generate-docs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift package --allow-writing-to-package-directory generate-manual >/dev/null
cp .build/plugins/GenerateManual/outputs/pgtop/pgtop.1 docs/pgtop.1
swift build --product pgtop >/dev/null
mkdir -p docs/completions
for shell in bash zsh fish; do
    .build/debug/pgtop --generate-completion-script "$shell" > "docs/completions/pgtop.$shell"
done
echo "docs/pgtop.1 and docs/completions/pgtop.{bash,zsh,fish} written"
