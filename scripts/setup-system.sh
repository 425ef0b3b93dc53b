#!/usr/bin/env bash
# System packages later features use: fluidsynth (MIDI -> WAV), chromium (browser tests of the
# studio), fonts-wqy-zenhei (Chinese text in screenshots). Installed with apt-get when running
# as root; otherwise we say what is missing and carry on, and each feature names what it lacks.
set -uo pipefail
wanted=(fluidsynth chromium fonts-wqy-zenhei)
missing=()
for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "setup: skipped system packages (${missing[*]}): need root and apt-get." \
         "Audio rendering falls back to sine synthesis; browser tests are skipped."
    exit 0
fi
echo "setup: apt-get install ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    echo "setup: apt-get could not install ${missing[*]}; continuing without them."
fi
exit 0
