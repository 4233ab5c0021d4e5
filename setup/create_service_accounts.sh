#!/usr/bin/env bash
# Creates the deployer and runtime service accounts and grants each only what it needs.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
Usage: $SCRIPT_NAME --project=ID [--dataset=NAME] [--runtime-sa=ID] [--deployer-sa=ID] [--dry-run]

Run after create_dataset.sh (the dataset grants need the datasets).

Deployer (--deployer-sa): the identity Cloud Build runs the pipeline as, and the function's
own build. Project roles: cloudfunctions.developer (deploy), run.admin (a 2nd gen redeploy
with --no-allow-unauthenticated reads and rewrites the Cloud Run invoker policy),
bigquery.jobUser (Dataform's queries), logging.logWriter (build logs), artifactregistry.writer
and storage.objectAdmin (the function build stores its source and image). Service account
user on the runtime account (deploy a function that runs as it) and on itself (run the
function build). BigQuery data editor on the dataset and on NAME_assertions only.

Runtime (--runtime-sa): the identity the function runs as. BigQuery data editor on the
dataset only (insert into orders_raw, read the views) and job user on the project (run
queries). Nothing else: no project-wide editor, no access to other datasets.

$COMMON_OPTIONS
USAGE
}

parse_flags "$@"

DEPLOYER_PROJECT_ROLES=(
  roles/cloudfunctions.developer
  roles/run.admin
  roles/bigquery.jobUser
  roles/logging.logWriter
  roles/artifactregistry.writer
  roles/storage.objectAdmin
)
RUNTIME_PROJECT_ROLES=(roles/bigquery.jobUser)

ensure_service_account() { # ID DISPLAY_NAME
  local email="$1@$PROJECT.iam.gserviceaccount.com"
  if succeeds gcloud iam service-accounts describe "$email" --project="$PROJECT"; then
    ok "service account $email exists"
  else
    run gcloud iam service-accounts create "$1" --project="$PROJECT" --display-name="$2"
  fi
}

ensure_project_role() { # MEMBER ROLE
  if prints_something gcloud projects get-iam-policy "$PROJECT" --flatten='bindings[].members' \
    --filter="bindings.role=$2 AND bindings.members=$1" --format='value(bindings.role)'; then
    ok "$1 has $2 on project $PROJECT"
  else
    run_retrying gcloud projects add-iam-policy-binding "$PROJECT" --member="$1" --role="$2" --condition=None --quiet
  fi
}

ensure_service_account_role() { # SERVICE_ACCOUNT_EMAIL MEMBER ROLE
  if prints_something gcloud iam service-accounts get-iam-policy "$1" --project="$PROJECT" --flatten='bindings[].members' \
    --filter="bindings.role=$3 AND bindings.members=$2" --format='value(bindings.role)'; then
    ok "$2 has $3 on $1"
  else
    run_retrying gcloud iam service-accounts add-iam-policy-binding "$1" --project="$PROJECT" --member="$2" --role="$3" --quiet
  fi
}

dataset_grants_member() { # DATASET EMAIL: the dataset's access list names the account
  ((DRY_RUN)) && return 1
  bq --project_id="$PROJECT" show --format=prettyjson "$PROJECT:$1" 2>/dev/null | grep -qF "\"$2\""
}

ensure_dataset_role() { # DATASET EMAIL ROLE: a dataset-level grant, through BigQuery's GRANT statement
  if dataset_grants_member "$1" "$2"; then
    ok "$2 has access to $PROJECT:$1"
  else
    run_retrying bq --project_id="$PROJECT" --location="$LOCATION" --format=none query --use_legacy_sql=false \
      "GRANT \`$3\` ON SCHEMA \`$PROJECT.$1\` TO \"serviceAccount:$2\""
  fi
}

ensure_service_account "$DEPLOYER_SA" "Orders pipeline deployer (Cloud Build)"
ensure_service_account "$RUNTIME_SA" "Orders function runtime"

for role in "${DEPLOYER_PROJECT_ROLES[@]}"; do
  ensure_project_role "serviceAccount:$DEPLOYER_EMAIL" "$role"
done
for role in "${RUNTIME_PROJECT_ROLES[@]}"; do
  ensure_project_role "serviceAccount:$RUNTIME_EMAIL" "$role"
done

ensure_service_account_role "$RUNTIME_EMAIL" "serviceAccount:$DEPLOYER_EMAIL" roles/iam.serviceAccountUser
ensure_service_account_role "$DEPLOYER_EMAIL" "serviceAccount:$DEPLOYER_EMAIL" roles/iam.serviceAccountUser

ensure_dataset_role "$DATASET" "$RUNTIME_EMAIL" roles/bigquery.dataEditor
ensure_dataset_role "$DATASET" "$DEPLOYER_EMAIL" roles/bigquery.dataEditor
ensure_dataset_role "${DATASET}_assertions" "$DEPLOYER_EMAIL" roles/bigquery.dataEditor
