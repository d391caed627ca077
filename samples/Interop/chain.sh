#!/usr/bin/env bash
# Runs counter workflows with the interop tool's two roles in two processes connected through pipes:
#   init events + FIFO --> [--role orchestrator] --tee--> [--role handlers] --> FIFO
# The orchestrator process exits after N completions; its output closes, the handlers process sees EOF and
# exits, which closes the FIFO. Every line the orchestrator wrote is kept in the transcript file.
# usage: chain.sh INIT_EVENTS.jsonl TRANSCRIPT.jsonl [COMPLETIONS] [INTEROP_COMMAND...]
#   INTEROP_COMMAND defaults to "dotnet <dir of this script>/Interop.dll" (the build output folder).
set -euo pipefail
init=$1
transcript=$2
completions=${3:-1}
shift $(( $# < 3 ? $# : 3 ))
if [ $# -gt 0 ]; then interop=("$@"); else interop=(dotnet "$(dirname "$0")/Interop.dll"); fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkfifo "$dir/loop"

{ cat "$init"; cat "$dir/loop" || true; } \
  | "${interop[@]}" --role orchestrator --until-completions "$completions" \
  | tee "$transcript" \
  | "${interop[@]}" --role handlers > "$dir/loop"
