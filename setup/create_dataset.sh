#!/usr/bin/env bash
# Creates the BigQuery dataset and its assertions dataset in their location, if missing.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
Usage: $SCRIPT_NAME --project=ID [--dataset=NAME] [--location=LOCATION] [--dry-run]

Creates the dataset that holds orders_raw and the views, and NAME_assertions where Dataform
writes its assertion views, both in --location. Existing datasets are left alone (a
dataset's location cannot change anyway). Tables and views are Dataform's job.

$COMMON_OPTIONS
USAGE
}

parse_flags "$@"

for dataset in "$DATASET" "${DATASET}_assertions"; do
  if succeeds bq --project_id="$PROJECT" show --format=none "$PROJECT:$dataset"; then
    ok "dataset $PROJECT:$dataset exists"
  else
    run bq --project_id="$PROJECT" --location="$LOCATION" mk --dataset \
      --description="eCommerce orders (created by setup/create_dataset.sh)" "$PROJECT:$dataset"
  fi
done
