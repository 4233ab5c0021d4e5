#!/usr/bin/env bash
# Creates the Cloud Build trigger that runs cloudbuild.yaml on every push to the branch.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
Usage: $SCRIPT_NAME --project=ID --repo-owner=OWNER --repo-name=NAME [--branch=main] [--dry-run]

Creates a GitHub push trigger (--trigger, default $TRIGGER_NAME) running cloudbuild.yaml as the
deployer service account, with the substitutions this setup used (region, location, dataset,
function and account names). An existing trigger of that name is left alone.

Before the first run, connect the repository to Cloud Build once in the console (Cloud Build >
Triggers > Connect repository > GitHub (Cloud Build GitHub App)); that step needs a browser.

$COMMON_OPTIONS
USAGE
}

parse_flags "$@"
[[ -n "$REPO_OWNER" && -n "$REPO_NAME" ]] || die_usage "--repo-owner and --repo-name are required"

if succeeds gcloud builds triggers describe "$TRIGGER_NAME" --project="$PROJECT"; then
  ok "trigger $TRIGGER_NAME exists"
else
  run gcloud builds triggers create github --project="$PROJECT" --name="$TRIGGER_NAME" \
    --description="Test, run Dataform and deploy the orders function on every push to $BRANCH" \
    --repo-owner="$REPO_OWNER" --repo-name="$REPO_NAME" --branch-pattern="^${BRANCH}\$" \
    --build-config=cloudbuild.yaml \
    --service-account="projects/$PROJECT/serviceAccounts/$DEPLOYER_EMAIL" \
    --include-logs-with-status \
    --substitutions="_REGION=$REGION,_LOCATION=$LOCATION,_DATASET=$DATASET,_FUNCTION_NAME=$FUNCTION_NAME,_RUNTIME_SA=$RUNTIME_SA,_DEPLOYER_SA=$DEPLOYER_SA"
fi
