#!/usr/bin/env bash
# Enables the Google Cloud APIs the project uses. Only the missing ones are enabled.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
Usage: $SCRIPT_NAME --project=ID [--dry-run]

Enables the APIs that Cloud Build, Cloud Functions (2nd gen, on Cloud Run), Artifact Registry,
BigQuery and IAM need. APIs already enabled are left alone.

$COMMON_OPTIONS
USAGE
}

APIS=(
  cloudbuild.googleapis.com           # the pipeline, and the function's own build
  cloudfunctions.googleapis.com       # gcloud functions deploy
  run.googleapis.com                  # 2nd gen functions run as Cloud Run services
  artifactregistry.googleapis.com     # the function's container image
  storage.googleapis.com              # the uploaded source
  bigquery.googleapis.com             # orders_raw, the views, Dataform
  iam.googleapis.com                  # service accounts
  cloudresourcemanager.googleapis.com # project IAM policy
  logging.googleapis.com              # build and function logs
)

parse_flags "$@"

enabled=""
if ((!DRY_RUN)); then
  enabled="$(gcloud services list --enabled --project="$PROJECT" --format='value(config.name)')"
fi
missing=()
for api in "${APIS[@]}"; do
  grep -qxF "$api" <<<"$enabled" || missing+=("$api")
done
if ((${#missing[@]})); then
  run gcloud services enable "${missing[@]}" --project="$PROJECT"
else
  ok "all ${#APIS[@]} APIs are enabled in $PROJECT"
fi
