#!/usr/bin/env bash
# Seed 003, "Managing Kyma Runtime Using the Provisioning Service API": steps 3 to 13 and "Next Steps" exactly
# as documented (curl, jq, sed, kubectl), with a check after each step. Only the variables the procedure asks
# for are set here; step 2's come from the environment, as the btp CLI would give them:
#   UAA_URL                    e.g. http://127.0.0.1:8080/uaa (the local profile's dev issuer)
#   PROVISIONING_SERVICE_URL   e.g. http://127.0.0.1:8080
#   CLIENT_ID, CLIENT_SECRET   e.g. local-client / local-secret
# Optional: SEED_PLAN (aws), SEED_REGION (eu-central-1), SEED_WAIT_SECONDS (120).
# Prints "ok <step>: ..." per check and exits 0, or prints "FAIL <step>: ..." and exits 1.

for var in UAA_URL PROVISIONING_SERVICE_URL CLIENT_ID CLIENT_SECRET; do
  [ -n "${!var:-}" ] || { echo "FAIL setup: $var is not set"; exit 2; }
done
for tool in curl jq sed kubectl; do
  command -v "$tool" >/dev/null || { echo "FAIL setup: $tool is not installed"; exit 2; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
export KUBECACHEDIR="$WORK/kube-cache"
WAIT_TICKS=$(( ${SEED_WAIT_SECONDS:-120} * 2 ))

fail() { echo "FAIL $1: $2"; exit 1; }
ok() { echo "ok $1: $2"; }
show() { head -c 400 "$1" 2>/dev/null; }
# HTTP status of an authorised GET, the body in $WORK/last.json
status_of() { curl -s -o last.json -w '%{http_code}' "$PROVISIONING_SERVICE_URL$1" -H "Authorization: bearer $TOKEN"; }
# seconds between two RFC 3339 times of the binding with id $2 in the list $1
lifetime_of() {
  jq -r --arg id "$2" '.bindings[] | select(.id == $id)
    | ((.expiresAt | sub("\\.[0-9]+Z$"; "Z") | fromdate) - (.createdAt | sub("\\.[0-9]+Z$"; "Z") | fromdate))' "$1"
}

# --- step 3: token ---
TOKEN=$(curl -s -X POST "${UAA_URL}/oauth/token" -H "Content-Type: application/x-www-form-urlencoded" -u "${CLIENT_ID}:${CLIENT_SECRET}" --data-urlencode "grant_type=client_credentials" | jq -r '.access_token')
[ -n "$TOKEN" ] && [ "$TOKEN" != null ] || fail "step 3" "no access_token from ${UAA_URL}/oauth/token"
[ "$(printf '%s' "$TOKEN" | tr -cd . | wc -c)" -eq 2 ] || fail "step 3" "the access_token is not a JWT"
ok "step 3" "access token from ${UAA_URL}/oauth/token"

# --- step 4: available environments ---
{
curl -s "$PROVISIONING_SERVICE_URL/provisioning/v1/availableEnvironments" -H "accept: application/json" -H "Authorization: bearer $TOKEN" | jq
} > step4.json
jq -e '.availableEnvironments | map(select(.environmentType == "kyma" and .serviceName == "kymaruntime")) | length > 0' step4.json >/dev/null ||
  fail "step 4" "no kyma/kymaruntime environment: $(show step4.json)"
jq -e --arg plan "${SEED_PLAN:-aws}" '.availableEnvironments[] | select(.planName == $plan)
  | (.createSchema | fromjson | type == "object") and (.updateSchema | fromjson | type == "object")' step4.json >/dev/null ||
  fail "step 4" "plan ${SEED_PLAN:-aws} missing or without create/update schemas: $(show step4.json)"
ok "step 4" "kymaruntime available with plans $(jq -r '[.availableEnvironments[].planName] | join(",")' step4.json)"

# --- step 5 ---
export ENVIRONMENT_TYPE="kyma"
export SERVICE_NAME="kymaruntime"
export NAME="seed-003-$$"
export REGION="${SEED_REGION:-eu-central-1}"
export PLAN="${SEED_PLAN:-aws}"
export USER_ID="seed-003@example.com"
ok "step 5" "NAME=$NAME REGION=$REGION PLAN=$PLAN USER_ID=$USER_ID"

# --- step 6: provision ---
INSTANCE_ID=$(curl -s -X POST "$PROVISIONING_SERVICE_URL/provisioning/v1/environments" -H "accept: application/json" -H "Authorization: bearer $TOKEN" -H "Content-Type: application/json" -d "{\"environmentType\":\"$ENVIRONMENT_TYPE\",\"parameters\":{\"name\":\"$NAME\",\"region\":\"$REGION\"},\"planName\":\"$PLAN\",\"serviceName\":\"$SERVICE_NAME\",\"user\":\"$USER_ID\"}" | jq -r '.id')
[[ "$INSTANCE_ID" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] ||
  fail "step 6" "no environment id in the create response (got '$INSTANCE_ID')"
ok "step 6" "environment $INSTANCE_ID created"

# "After the provisioning is completed": CREATING until OK
states=""
for _ in $(seq 1 "$WAIT_TICKS"); do
  code=$(status_of "/provisioning/v1/environments/$INSTANCE_ID")
  [ "$code" = 200 ] || fail "provisioning" "GET environment answered $code: $(show last.json)"
  state=$(jq -r .state last.json)
  case " $states " in *" $state "*) ;; *) states="$states $state";; esac
  case "$state" in
    OK) break ;;
    CREATING) sleep 0.5 ;;
    *) fail "provisioning" "state $state: $(jq -r .stateMessage last.json)" ;;
  esac
done
[ "$state" = OK ] || fail "provisioning" "still $state after ${SEED_WAIT_SECONDS:-120} s"
jq -e --arg name "$NAME" --arg plan "$PLAN" '.planName == $plan and (.parameters | fromjson | .name == $name)
  and (.labels | fromjson | (.APIServerURL | startswith("https://")) and (.DashboardURL | length > 0))
  and .environmentType == "kyma" and .serviceName == "kymaruntime" and (.createdDate | length > 0)' last.json >/dev/null ||
  fail "provisioning" "unexpected environment: $(show last.json)"
api_server=$(jq -r '.labels | fromjson | .APIServerURL' last.json)
status_of "/provisioning/v1/environments" >/dev/null
jq -e --arg id "$INSTANCE_ID" '.environmentInstances | map(.id) | index($id) != null' last.json >/dev/null ||
  fail "provisioning" "environment missing from the list: $(show last.json)"
ok "provisioning" "states${states}; API server $api_server"

# --- step 7 ---
export EXPIRATION_SECONDS=900
ok "step 7" "EXPIRATION_SECONDS=$EXPIRATION_SECONDS"

# --- step 8: binding, id from the location header (EXPIRATION_SECONDS set: second branch) ---
[ -z "$EXPIRATION_SECONDS" ] && \
BINDING_ID=$(curl -sS -D - -X PUT "$PROVISIONING_SERVICE_URL/provisioning/v1/environments/$INSTANCE_ID/bindings" -H "accept: application/json" -H "Authorization: bearer $TOKEN" -H "Content-Type: application/json" -d "{\"parameters\":{\"expiration_seconds\":600}}" -o /dev/null | sed -n 's/^.*location: //p' | sed 's/\r$//g') || \
BINDING_ID=$(curl -sS -D - -X PUT "$PROVISIONING_SERVICE_URL/provisioning/v1/environments/$INSTANCE_ID/bindings" -H "accept: application/json" -H "Authorization: bearer $TOKEN" -H "Content-Type: application/json" -d "{\"parameters\":{\"expiration_seconds\":$EXPIRATION_SECONDS}}" -o /dev/null | sed -n 's/^.*location: //p' | sed 's/\r$//g')
[[ "$BINDING_ID" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] ||
  fail "step 8" "no binding id from the location header (got '$BINDING_ID')"
# the same step without step 7 (first branch: 600 s)
DEFAULT_BINDING_ID=$(
unset EXPIRATION_SECONDS
[ -z "$EXPIRATION_SECONDS" ] && \
BINDING_ID=$(curl -sS -D - -X PUT "$PROVISIONING_SERVICE_URL/provisioning/v1/environments/$INSTANCE_ID/bindings" -H "accept: application/json" -H "Authorization: bearer $TOKEN" -H "Content-Type: application/json" -d "{\"parameters\":{\"expiration_seconds\":600}}" -o /dev/null | sed -n 's/^.*location: //p' | sed 's/\r$//g') || \
BINDING_ID=$(curl -sS -D - -X PUT "$PROVISIONING_SERVICE_URL/provisioning/v1/environments/$INSTANCE_ID/bindings" -H "accept: application/json" -H "Authorization: bearer $TOKEN" -H "Content-Type: application/json" -d "{\"parameters\":{\"expiration_seconds\":$EXPIRATION_SECONDS}}" -o /dev/null | sed -n 's/^.*location: //p' | sed 's/\r$//g')
printf '%s' "$BINDING_ID"
)
[[ "$DEFAULT_BINDING_ID" =~ ^[0-9a-f-]{36}$ ]] && [ "$DEFAULT_BINDING_ID" != "$BINDING_ID" ] ||
  fail "step 8" "the first branch gave no new binding id (got '$DEFAULT_BINDING_ID')"
status_of "/provisioning/v1/environments/$INSTANCE_ID/bindings" >/dev/null
lifetime=$(lifetime_of last.json "$BINDING_ID")
[ -n "$lifetime" ] && [ "$lifetime" -ge 895 ] && [ "$lifetime" -le 905 ] ||
  fail "step 8" "binding $BINDING_ID lives '$lifetime' s, expected 900: $(show last.json)"
lifetime=$(lifetime_of last.json "$DEFAULT_BINDING_ID")
[ -n "$lifetime" ] && [ "$lifetime" -ge 595 ] && [ "$lifetime" -le 605 ] ||
  fail "step 8" "binding $DEFAULT_BINDING_ID lives '$lifetime' s, expected 600: $(show last.json)"
ok "step 8" "binding $BINDING_ID (900 s), and $DEFAULT_BINDING_ID (600 s) without step 7"

# --- step 9: kubeconfig ---
curl -s -X GET "$PROVISIONING_SERVICE_URL/provisioning/v1/environments/$INSTANCE_ID/bindings/$BINDING_ID" -H "accept: application/json" -H "Authorization: bearer $TOKEN" | jq -r '.credentials.kubeconfig' > kubeconfig.yaml
grep -q '^kind: Config' kubeconfig.yaml && grep -q '^apiVersion: v1' kubeconfig.yaml ||
  fail "step 9" "kubeconfig.yaml is not a kubeconfig: $(show kubeconfig.yaml)"
ok "step 9" "kubeconfig.yaml written ($(wc -c <kubeconfig.yaml) bytes)"

# --- step 10 ---
export KUBECONFIG=kubeconfig.yaml
ok "step 10" "KUBECONFIG=$KUBECONFIG"

# --- step 11: the cluster answers ---
{
kubectl get pods
} >step11.out 2>step11.err
rc=$?
[ "$rc" -eq 0 ] || fail "step 11" "kubectl get pods exited $rc: $(show step11.err)"
ok "step 11" "kubectl get pods: $(cat step11.out step11.err | head -1)"

# --- step 12: list bindings ---
{
curl -s "$PROVISIONING_SERVICE_URL/provisioning/v1/environments/$INSTANCE_ID/bindings" -H "accept: application/json" -H "Authorization: bearer $TOKEN"
} > step12.json
jq -e --arg id "$BINDING_ID" --arg other "$DEFAULT_BINDING_ID" '[.bindings[].id] | index($id) != null and index($other) != null' step12.json >/dev/null ||
  fail "step 12" "bindings missing from the list: $(show step12.json)"
! grep -q kubeconfig step12.json || fail "step 12" "the list carries credentials"
ok "step 12" "$(jq '.bindings | length' step12.json) bindings listed, without credentials"

# --- step 13: revoke, then kubectl is refused ---
{
curl -s -X DELETE "$PROVISIONING_SERVICE_URL/provisioning/v1/environments/$INSTANCE_ID/bindings/$BINDING_ID" -H "accept: application/json" -H "Authorization: bearer $TOKEN"
} > step13.json
jq -e --arg id "$BINDING_ID" '.bindingId == $id' step13.json >/dev/null || fail "step 13" "binding not deleted: $(show step13.json)"
{
kubectl get pods
} >step13.out 2>step13.err
rc=$?
[ "$rc" -ne 0 ] || fail "step 13" "kubectl get pods still works after the binding was deleted"
grep -Eq 'Unauthorized|must be logged in' step13.err || fail "step 13" "kubectl failed otherwise: $(show step13.err)"
[ "$(status_of "/provisioning/v1/environments/$INSTANCE_ID/bindings/$BINDING_ID")" = 404 ] ||
  fail "step 13" "the deleted binding is still served"
ok "step 13" "binding deleted; kubectl refused: $(head -1 step13.err)"

# --- Next Steps: deprovision, with a binding still present ---
{
curl -s -X DELETE "$PROVISIONING_SERVICE_URL/provisioning/v1/environments/$INSTANCE_ID" -H "accept: application/json" -H "Authorization: bearer $TOKEN"
} > next.json
jq -e --arg id "$INSTANCE_ID" '.id == $id and .state == "DELETING"' next.json >/dev/null ||
  fail "next steps" "deletion not accepted: $(show next.json)"
for _ in $(seq 1 "$WAIT_TICKS"); do
  code=$(status_of "/provisioning/v1/environments/$INSTANCE_ID")
  [ "$code" = 404 ] && break
  [ "$code" = 200 ] && [ "$(jq -r .state last.json)" = DELETING ] || fail "next steps" "while deleting: $code $(show last.json)"
  sleep 0.5
done
[ "$code" = 404 ] || fail "next steps" "environment still there after ${SEED_WAIT_SECONDS:-120} s"
status_of "/provisioning/v1/environments" >/dev/null
jq -e --arg id "$INSTANCE_ID" '.environmentInstances | map(.id) | index($id) == null' last.json >/dev/null ||
  fail "next steps" "the deleted environment is still listed"
ok "next steps" "environment deleted despite binding $DEFAULT_BINDING_ID; GET answers 404"
echo "seed 003 holds: steps 3-13 and Next Steps"
