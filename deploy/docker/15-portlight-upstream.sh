#!/bin/sh
# Runs before nginx's image renders its templates (20-envsubst-on-templates.sh): without
# PORTAINER_UPSTREAM the rendered config would be invalid, so say what is missing instead.
set -eu
if [ -z "${PORTAINER_UPSTREAM:-}" ]; then
    echo "portlight: set PORTAINER_UPSTREAM to Portainer's address, e.g." >&2
    echo "  docker run -e PORTAINER_UPSTREAM=https://portainer:9443 -e PORTAINER_TLS_VERIFY=off ..." >&2
    exit 1
fi
case "$PORTAINER_UPSTREAM" in
    http://*|https://*) ;;
    *)
        echo "portlight: PORTAINER_UPSTREAM must start with http:// or https:// (got $PORTAINER_UPSTREAM)" >&2
        exit 1
        ;;
esac
case "$PORTAINER_UPSTREAM" in
    */)
        echo "portlight: PORTAINER_UPSTREAM must not end with a slash (got $PORTAINER_UPSTREAM)" >&2
        exit 1
        ;;
esac
