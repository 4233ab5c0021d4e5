#!/usr/bin/env bash
# Lets the given principals call the deployed function (Cloud Run invoker on its service).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
Usage: $SCRIPT_NAME --project=ID --member=PRINCIPAL [--member=...] [--function=NAME] [--region=REGION] [--dry-run]

Grants roles/run.invoker on the function (2nd gen functions are invoked through Cloud Run) to
each --member, e.g. serviceAccount:checkout@other-project.iam.gserviceaccount.com or
user:analyst@example.com. The function is deployed with --no-allow-unauthenticated, so only
these principals can call it. Run it after the first build has deployed the function; before
that it only says so.

$COMMON_OPTIONS
USAGE
}

parse_flags "$@"
((${#MEMBERS[@]})) || die_usage "at least one --member is required"

if ((!DRY_RUN)) && ! succeeds gcloud functions describe "$FUNCTION_NAME" --region="$REGION" --project="$PROJECT"; then
  note "function $FUNCTION_NAME is not deployed in $REGION yet: run this again after the first build"
  exit 0
fi

for member in ${MEMBERS[@]+"${MEMBERS[@]}"}; do
  if prints_something gcloud run services get-iam-policy "$FUNCTION_NAME" --region="$REGION" --project="$PROJECT" \
    --flatten='bindings[].members' --filter="bindings.role=roles/run.invoker AND bindings.members=$member" \
    --format='value(bindings.role)'; then
    ok "$member may invoke $FUNCTION_NAME"
  else
    run gcloud functions add-invoker-policy-binding "$FUNCTION_NAME" --region="$REGION" --member="$member" --project="$PROJECT"
  fi
done
