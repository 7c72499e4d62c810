#!/bin/sh
# Registers the namespace bienal uses (TEMPORAL_NAMESPACE) once the server
# answers, then bienal's search attributes on it. A namespace that already
# exists is left as it is, and an attribute already there is skipped, so
# this runs again safely (after an upgrade that adds an attribute, it
# adds that one).
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
else
	temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$retention" --address "$TEMPORAL_ADDRESS"
	echo "namespace $TEMPORAL_NAMESPACE created"
fi
# What the workflows set (workflows.SearchAttributes; deploy/search_test.go
# keeps this list equal to it): keys and states, never a name or an address.
temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --address "$TEMPORAL_ADDRESS" \
	--name BienalBiennium --type Keyword \
	--name BienalCycle --type Keyword \
	--name BienalActivity --type Keyword \
	--name BienalCountry --type Keyword \
	--name BienalStatus --type Keyword \
	--name BienalDue --type Datetime \
	--name BienalLate --type Bool
echo "search attributes of $TEMPORAL_NAMESPACE registered"
