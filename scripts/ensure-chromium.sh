#!/usr/bin/env bash
# Make sure the browser suites (packages/ui, packages/studio) have a Chromium
# and CJK fonts: Debian's chromium and fonts-noto-cjk, installed with apt-get
# when missing (playwright's own browser download cannot work on this network).
# Without root or apt-get it says so and goes on: the browser suites then skip,
# saying why, and everything else still runs.
set -euo pipefail
say() { echo "ensure-chromium: $*"; }

have_browser() { [ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ] || [ -n "${RULEFLOW_CHROMIUM:-}" ]; }
have_fonts() { fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1; }

missing=()
have_browser || missing+=(chromium)
have_fonts || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -eq 0 ]; then
  say "Chromium and CJK fonts are installed ($( (chromium --version || chromium-browser --version) 2>/dev/null | head -n 1))"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  say "SKIPPING install of ${missing[*]}: no apt-get here; the browser suites will skip and say why (set RULEFLOW_CHROMIUM to a Chromium to run them)"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    say "SKIPPING install of ${missing[*]}: not root and no password-less sudo; the browser suites will skip and say why"
    exit 0
  fi
fi
say "installing ${missing[*]} from Debian's packages"
trap 'say "FAILED to install ${missing[*]} with apt-get (see above)"' ERR
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
have_browser && say "installed: $( (chromium --version || chromium-browser --version) 2>/dev/null | head -n 1)"
