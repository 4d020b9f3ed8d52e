#!/usr/bin/env bash
# Installs the system packages artconv's tests and PDF output use, when missing:
# poppler-utils (pdftotext, pdffonts, pdfinfo: the tests read PDFs back with them),
# a Java runtime (EPUBCheck), and the free fonts the print stylesheet asks for, for the scripts
# the tests render (scripts/system-fonts.txt: Latin, Greek, Cyrillic, CJK, Devanagari, Arabic),
# and with npm, the JATS DTDs.
# Safe to run repeatedly; does nothing when everything is there.  Needs root (or sudo) and apt-get.
set -euo pipefail

# The JATS Archiving DTDs (npm @jats4r/dtds), for the tests that validate the jats writer's output.
jats_dtds="${ARTCONV_JATS_DTDS:-${XDG_CACHE_HOME:-$HOME/.cache}/artconv/jats-dtds}"
if [ ! -d "$jats_dtds/node_modules/@jats4r/dtds/schema" ] && command -v npm >/dev/null 2>&1; then
    mkdir -p "$jats_dtds"
    npm install --prefix "$jats_dtds" --no-audit --no-fund --no-save --silent @jats4r/dtds@0.0.10 >/dev/null 2>&1 \
        || echo "setup-system: npm could not install @jats4r/dtds (the JATS validity tests will be skipped)" >&2
fi

packages=()
command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
# HarfBuzz's font subsetter: without it WeasyPrint subsets with fontTools, ~20 s of CPU for a page of CJK
ldconfig -p 2>/dev/null | grep "libharfbuzz-subset.so" >/dev/null || packages+=(libharfbuzz-subset0)
fc-list 2>/dev/null | grep -i "DejaVu Serif" >/dev/null || packages+=(fonts-dejavu-core)  # no -q: with pipefail, an early exit of grep fails fc-list
for font_pkg in $(sed 's/#.*//' "$(dirname "$0")/system-fonts.txt" 2>/dev/null || true); do
    dpkg -s "$font_pkg" >/dev/null 2>&1 || packages+=("$font_pkg")
done

if [ ${#packages[@]} -eq 0 ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-system: please install: ${packages[*]}" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "setup-system: not root; please install: ${packages[*]}" >&2
        exit 0
    fi
fi
echo "setup-system: installing ${packages[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
