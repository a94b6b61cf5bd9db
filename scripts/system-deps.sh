#!/usr/bin/env bash
# System libraries and fonts the PDFs need: Pango (WeasyPrint), an Arabic text face (Amiri / Noto Naskh
# Arabic), a Latin/Cyrillic serif (Noto Serif), and poppler-utils (pdftotext/pdftoppm, used by the tests).
# The test suite also starts its own PostgreSQL cluster (Debian's postgresql: initdb, pg_ctl) and drives the
# translators' desk in Debian's Chromium (chromium, chromium-driver); browser downloads do not work offline.
# Installs them with apt-get when run as root on Debian/Ubuntu; otherwise prints what to install.
set -u
missing=()
have_font() { fc-list 2>/dev/null | grep -qi "$1"; }
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset' || missing+=(libharfbuzz-subset0)
have_font 'Amiri' || missing+=(fonts-hosny-amiri)
have_font 'Noto Serif' || have_font 'Noto Naskh Arabic' || missing+=(fonts-noto-core)
have_font 'Noto Naskh Arabic' || missing+=(fonts-noto-core)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "apt-get failed; install by hand: ${missing[*]}" >&2; exit 1; }
else
  echo "missing system packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install ${missing[*]}  (or your system's equivalents)" >&2
  echo "without the fonts, Arabic falls back to whatever face fontconfig finds" >&2
fi
exit 0
