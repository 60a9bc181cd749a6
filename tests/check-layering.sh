#!/bin/sh
# The core library must not include GTK or libadwaita (DESIGN.md, layering).
# Usage: check-layering.sh SOURCE_ROOT
set -u
root=$1
echo "1..1"
hits=$(grep -rnE '#[[:space:]]*include[[:space:]]*[<"](gtk/|gdk/|gsk/|adwaita\.h|adw-)' "$root/src/core" || true)
if [ -n "$hits" ]; then
  echo "$hits" | sed 's/^/# /'
  echo "not ok 1 - src/core includes no GTK or libadwaita header"
  exit 1
fi
echo "ok 1 - src/core includes no GTK or libadwaita header"
