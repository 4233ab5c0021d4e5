#!/usr/bin/env bash
# One-time set-up of an empty project, in order. Every step is idempotent: re-running is safe.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE="$(dirname "${BASH_SOURCE[0]}")"

usage() {
  cat <<USAGE
Usage: $SCRIPT_NAME --project=ID --repo-owner=OWNER --repo-name=NAME [--member=PRINCIPAL ...] [--dry-run]

Runs, in order: enable_apis.sh, create_dataset.sh, create_service_accounts.sh,
create_trigger.sh (when --repo-owner/--repo-name are given) and grant_invokers.sh (when
--member is given; effective once the first build has deployed the function).

$COMMON_OPTIONS
USAGE
}

parse_flags "$@"

note "1/5 APIs"
"$HERE/enable_apis.sh" "$@"
note "2/5 datasets"
"$HERE/create_dataset.sh" "$@"
note "3/5 service accounts and roles"
"$HERE/create_service_accounts.sh" "$@"
note "4/5 Cloud Build trigger"
if [[ -n "$REPO_OWNER" || -n "$REPO_NAME" ]]; then
  "$HERE/create_trigger.sh" "$@"
else
  note "skipped: pass --repo-owner and --repo-name to create the trigger"
fi
note "5/5 invokers"
if ((${#MEMBERS[@]})); then
  "$HERE/grant_invokers.sh" "$@"
else
  note "skipped: pass --member to let a caller invoke the function"
fi
