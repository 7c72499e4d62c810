#!/bin/sh
# Registers the namespace bienal uses (TEMPORAL_NAMESPACE) once the server
# answers; a namespace that already exists is left as it is.
set -eu
: "${TEMPORAL_ADDRESS:?}" "${TEMPORAL_NAMESPACE:?}"
retention=${NAMESPACE_RETENTION:-30d}
tries=0
until temporal operator cluster health --address "$TEMPORAL_ADDRESS"; do
	tries=$((tries + 1))
	if [ "$tries" -ge 30 ]; then
		echo "temporal at $TEMPORAL_ADDRESS is not healthy after $tries tries" >&2
		exit 1
	fi
	sleep 2
done
if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
	echo "namespace $TEMPORAL_NAMESPACE exists"
	exit 0
fi
temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$retention" --address "$TEMPORAL_ADDRESS"
echo "namespace $TEMPORAL_NAMESPACE created"
