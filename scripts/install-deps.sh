#!/usr/bin/env bash
# Installs the Debian 12 packages casereview builds and tests with, if any are missing.
# Safe to run again: it does nothing when everything is present.
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config python3
  libboost1.81-dev        # Boost.MSM (1.74's MSM does not compile as C++20)
  libsqlitecpp-dev libsqlite3-dev sqlite3
  nlohmann-json3-dev libcli11-dev
  libhowardhinnant-date-dev tzdata   # Europe/London with daylight saving
  libfccp-dev             # CSV import (fast-cpp-csv-parser)
  libpoco-dev             # the notifier: SMTP, STARTTLS (Poco Net, NetSSL)
  libssl-dev              # the server's TLS (Boost.Asio SSL over OpenSSL)
  libkainjow-mustache-dev # notice templates (Mustache)
  libsodium-dev           # sign-in: Argon2id password hashes, tokens; the audit log's hash chain
  libical-dev             # calendar feeds (iCalendar, RFC 5545)
  catch2                  # Catch2 v2
  wrk                     # bench: the HTTP figure (bench/http_bench.py)
  python3-aiosmtpd openssl  # tests: a real SMTP server on loopback, a self-signed certificate
  clang-14 libclang-rt-14-dev  # fuzz targets: libFuzzer, ASan, UBSan (scripts/fuzz.sh)
  nodejs                  # the build: GOV.UK Frontend and Sass from npm (web/package.json)
  chromium                # tests: the web pages in headless Chromium (tests/web)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's npm, unless the installed Node.js brings its own (NodeSource's does, and conflicts).
command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
