#!/usr/bin/env bash
# Regenerates docs/pgtop.1 and docs/completions/ from the command-line definition (the same
# source as `pgtop --help`): swift-argument-parser's manual plugin and its completion scripts.
# The page then gets what the plugin does not write, from the tables the program runs on
# (`pgtop --manual-sections`: KEYS from KeyMap, CONFIGURATION from SettingKey, FILES,
# ENVIRONMENT, EXIT STATUS), before its SEE ALSO or AUTHORS, or at its end. The plugin's
# SYNOPSIS and OPTIONS name a `subcommand` pgtop does not have (taken out), its blank lines are mdoc
# warnings (made .Pp), and its EXIT STATUS is the generic one (replaced by pgtop's).
#   scripts/generate-docs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift package --allow-writing-to-package-directory generate-manual >/dev/null
swift build --product pgtop >/dev/null
sections=$(mktemp)
trap 'rm -f "$sections"' EXIT
.build/debug/pgtop --manual-sections > "$sections"
awk -v sections="$sections" '
    function flush() { while ((getline line < sections) > 0) print line; done = 1 }
    /^\.Ar subcommand$/ || /^\.It Ar subcommands\.\.\.$/ { next }
    # The plugin lists ArgumentParser`s own `help` subcommand, with a list of its own: out.
    /^\.It Em help$/ { skip = 1; next }
    skip && /^\.Bl/ { depth++; next }
    skip && /^\.El$/ && depth > 0 { depth--; if (depth == 0) skip = 0; next }
    skip { next }
    /^\.Sh "EXIT STATUS"$/ || /^\.Ex -std$/ { next }
    /^[[:space:]]*$/ { print ".Pp"; next }
    /^\.Sh (SEE ALSO|AUTHORS)/ && !done { flush() }
    { print }
    END { if (!done) flush() }
' .build/plugins/GenerateManual/outputs/pgtop/pgtop.1 > docs/pgtop.1
mkdir -p docs/completions
for shell in bash zsh fish; do
    .build/debug/pgtop --generate-completion-script "$shell" > "docs/completions/pgtop.$shell"
done
echo "docs/pgtop.1 and docs/completions/pgtop.{bash,zsh,fish} written"
