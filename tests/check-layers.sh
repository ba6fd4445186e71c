#!/usr/bin/env bash
# check-layers.sh SRC_DIR: the include graph of src/ says the architecture.
#
# Every `#include "x.h"` of a file in src/LAYER must name a header of its
# own layer or of a layer below it (the allow-list below, the same as each
# layer's meson dependencies), and the file-level include graph has no
# cycle (checked with tsort).  Prints the offending edges and exits 1.
set -euo pipefail
src=${1:?usage: check-layers.sh SRC_DIR}

declare -A allowed=(
  [core]="core"
  [scenario]="core scenario"
  [run]="core scenario run"
  [sim]="core scenario run sim"
  [output]="core output"
  [sweep]="core scenario run sim output sweep"
  [live]="core scenario run output live"
  [cli]="core scenario run sim output sweep live cli"
)

declare -A layer_of
for dir in "$src"/*/; do
  layer=$(basename "$dir")
  for h in "$dir"*.h; do
    [ -e "$h" ] && layer_of[$(basename "$h")]=$layer
  done
done

status=0
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
for dir in "$src"/*/; do
  layer=$(basename "$dir")
  if [ -z "${allowed[$layer]+x}" ]; then
    echo "src/$layer: a layer this check does not know; add it to the allow-list"
    status=1
    continue
  fi
  for f in "$dir"*.c "$dir"*.h; do
    [ -e "$f" ] || continue
    name=$(basename "$f")
    echo "$name $name" >>"$edges"
    while read -r inc; do
      to=${layer_of[$inc]:-}
      [ -n "$to" ] || continue            # generated or system header
      echo "$name $inc" >>"$edges"
      case " ${allowed[$layer]} " in
        *" $to "*) ;;
        *) echo "src/$layer/$name includes $inc from src/$to: $layer may not know $to"
           status=1 ;;
      esac
    done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
  done
done

if ! tsort "$edges" >/dev/null 2>"$edges.err"; then
  echo "the include graph has a cycle:"
  cat "$edges.err"
  status=1
fi
rm -f "$edges.err"
[ "$status" -eq 0 ] && echo "include graph of $src: layered, no cycle ($(wc -l <"$edges") edges)"
exit "$status"
