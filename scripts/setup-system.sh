#!/usr/bin/env bash
# Installs the system packages artconv's tests and PDF output use, when missing:
# poppler-utils (pdftotext, pdffonts, pdfinfo: the tests read PDFs back with them),
# a Java runtime (EPUBCheck), and the free fonts the print stylesheet asks for, for the scripts
# the tests render (scripts/system-fonts.txt: Latin, Greek, Cyrillic, CJK, Devanagari, Arabic).
# Safe to run repeatedly; does nothing when everything is there.  Needs root (or sudo) and apt-get.
set -euo pipefail

packages=()
command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
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
