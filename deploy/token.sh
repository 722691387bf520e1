#!/usr/bin/env bash
# Prints a bearer token of the local OIDC provider for a person of the demo community, for curl:
#   curl -H "Authorization: Bearer $(deploy/token.sh op-lf-c1)" localhost:8084/api/v1/alerts
# People: op-lf-c1, op-linfen, disp-linfen, sup-lf-c1, cmd-jingan, w1..w6, integrator, admin
# (deploy/local-stack/src/main/resources/oidc-people.json). The local provider asks for no password.
set -euo pipefail
user="${1:?usage: deploy/token.sh USER (op-lf-c1, w1, integrator, admin, ...)}"
issuer="${GRIDWATCH_OIDC_ISSUER:-http://localhost:${GRIDWATCH_OIDC_PORT:-8180}/gridwatch}"
curl -fsS "$issuer/token" -d "grant_type=password&client_id=gridwatch-cli&password=-&username=$user" \
  | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p'
