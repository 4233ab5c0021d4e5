# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables set here are read by the scripts that source this file
# Sourced by every setup script: the shared options, --dry-run, and the check-then-change
# helpers that make a second run change nothing. Not meant to be run on its own.
#
# Written for bash 3.2 and later (macOS still ships 3.2): e.g. an empty array is expanded as
# ${A[@]+"${A[@]}"} under `set -u`.
#
# The defaults equal the substitution defaults in cloudbuild.yaml (test/pipeline/setup.test.ts
# checks it), so what setup creates is what the build uses.

PROJECT=""
REGION="us-central1"
LOCATION="US"
DATASET="ecommerce_orders"
FUNCTION_NAME="orders"
RUNTIME_SA="orders-runtime"
DEPLOYER_SA="orders-deployer"
TRIGGER_NAME="orders-main"
BRANCH="main"
REPO_OWNER=""
REPO_NAME=""
MEMBERS=()
DRY_RUN=0
SCRIPT_NAME="$(basename "$0")"

COMMON_OPTIONS="Options (every setup script accepts all of them, so setup/all.sh can pass them on):
  --project=ID         Google Cloud project id (required)
  --region=REGION      Cloud Functions region            (default: $REGION)
  --location=LOCATION  BigQuery location of the datasets (default: $LOCATION)
  --dataset=NAME       BigQuery dataset                  (default: $DATASET; assertions: NAME_assertions)
  --function=NAME      function name                     (default: $FUNCTION_NAME)
  --runtime-sa=ID      runtime service account id        (default: $RUNTIME_SA)
  --deployer-sa=ID     deployer service account id       (default: $DEPLOYER_SA)
  --repo-owner=OWNER   GitHub owner of the repository    (create_trigger.sh)
  --repo-name=NAME     GitHub repository name            (create_trigger.sh)
  --branch=BRANCH      branch that triggers builds       (default: $BRANCH)
  --trigger=NAME       Cloud Build trigger name          (default: $TRIGGER_NAME)
  --member=PRINCIPAL   invoker, e.g. serviceAccount:app@p.iam.gserviceaccount.com (repeatable)
  --dry-run            print the commands that change something instead of running them;
                       nothing is called, so it shows what a first run on an empty project does
  -h, --help           show this help"

die_usage() {
  echo "$SCRIPT_NAME: $1" >&2
  echo "Run '$SCRIPT_NAME --help' for the options." >&2
  exit 2
}

# parse_flags "$@": fills the variables above; exits 2 on a bad or missing option.
parse_flags() {
  local flag value
  while (($#)); do
    flag="$1"
    case "$flag" in
      -h | --help)
        usage
        exit 0
        ;;
      --dry-run)
        DRY_RUN=1
        shift
        continue
        ;;
      --*=*)
        value="${flag#*=}"
        flag="${flag%%=*}"
        ;;
      --*)
        (($# >= 2)) || die_usage "$flag needs a value"
        value="$2"
        shift
        ;;
      *) die_usage "unexpected argument: $flag" ;;
    esac
    case "$flag" in
      --project) PROJECT="$value" ;;
      --region) REGION="$value" ;;
      --location) LOCATION="$value" ;;
      --dataset) DATASET="$value" ;;
      --function) FUNCTION_NAME="$value" ;;
      --runtime-sa) RUNTIME_SA="$value" ;;
      --deployer-sa) DEPLOYER_SA="$value" ;;
      --repo-owner) REPO_OWNER="$value" ;;
      --repo-name) REPO_NAME="$value" ;;
      --branch) BRANCH="$value" ;;
      --trigger) TRIGGER_NAME="$value" ;;
      --member) MEMBERS+=("$value") ;;
      *) die_usage "unknown option: $flag" ;;
    esac
    shift
  done
  [[ -n "$PROJECT" ]] || die_usage "--project is required (the Google Cloud project id)"
  [[ "$PROJECT" =~ ^[a-z][a-z0-9:.-]{4,}[a-z0-9]$ ]] || die_usage "--project '$PROJECT' is not a Google Cloud project id"
  [[ "$DATASET" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die_usage "--dataset '$DATASET' is not a BigQuery dataset id"
  [[ "$RUNTIME_SA" =~ ^[a-z][a-z0-9-]{4,28}[a-z0-9]$ ]] || die_usage "--runtime-sa '$RUNTIME_SA' is not a service account id"
  [[ "$DEPLOYER_SA" =~ ^[a-z][a-z0-9-]{4,28}[a-z0-9]$ ]] || die_usage "--deployer-sa '$DEPLOYER_SA' is not a service account id"
  local member
  for member in ${MEMBERS[@]+"${MEMBERS[@]}"}; do
    [[ "$member" =~ ^(user|serviceAccount|group|domain):.+$ ]] ||
      die_usage "--member '$member' must be user:EMAIL, serviceAccount:EMAIL, group:EMAIL or domain:DOMAIN"
  done
  RUNTIME_EMAIL="$RUNTIME_SA@$PROJECT.iam.gserviceaccount.com"
  DEPLOYER_EMAIL="$DEPLOYER_SA@$PROJECT.iam.gserviceaccount.com"
}

# quote ARG...: the arguments as one line a shell reads back into the same words.
quote() {
  local arg words=()
  for arg in "$@"; do
    if [[ "$arg" =~ ^[A-Za-z0-9_@%+=:,./-]+$ ]]; then
      words+=("$arg")
    else
      words+=("'${arg//\'/\'\\\'\'}'")
    fi
  done
  printf '%s' "${words[*]}"
}

# run CMD...: a command that changes something. Printed (not run) under --dry-run.
run() {
  if ((DRY_RUN)); then
    printf '%s\n' "$(quote "$@")"
  else
    printf '+ %s\n' "$(quote "$@")"
    "$@"
  fi
}

# run_retrying CMD...: like run, retried a few times: a service account that was created a
# moment ago can take seconds to become visible to IAM.
run_retrying() {
  local attempt
  for attempt in 1 2 3 4 5; do
    if run "$@"; then return 0; fi
    ((attempt < 5)) || return 1
    echo "  (retrying in ${SETUP_RETRY_SECONDS:-5}s)" >&2
    sleep "${SETUP_RETRY_SECONDS:-5}"
  done
}

# succeeds CMD...: true when the read-only CMD succeeds. Under --dry-run nothing is called and
# everything counts as absent.
succeeds() {
  ((DRY_RUN)) && return 1
  "$@" >/dev/null 2>&1
}

# prints_something CMD...: true when the read-only CMD succeeds and prints a non-empty line.
prints_something() {
  ((DRY_RUN)) && return 1
  local out
  out="$("$@" 2>/dev/null)" || return 1
  [[ -n "$out" ]]
}

ok() { printf 'ok: %s\n' "$1"; }

note() { printf '# %s\n' "$1"; }
