package devserver

import "go.temporal.io/server/common/dynamicconfig"

// DynamicSetting is one Temporal dynamic-config value bienal relies on.
type DynamicSetting struct {
	Key   dynamicconfig.Key
	Value int
	// Why the default does not do, as deploy/temporal/dynamicconfig.yaml
	// says above the key.
	Why string
}

// DynamicConfig is every dynamic-config value bienal relies on from
// Temporal. `bienal dev` gives exactly these to its embedded server, and
// deploy/temporal/dynamicconfig.yaml gives them to a production server
// (TestDeployDynamicConfigIsDevs keeps the two equal), so that what the
// benchmarks measured on one is what the other does.
var DynamicConfig = []DynamicSetting{
	{
		Key:   dynamicconfig.TransferProcessorMaxPollRPS.Key(),
		Value: 1000,
		Why: "Each history shard polls its transfer queue at most this many times a second; at the default of 20 " +
			"every signal, activity task and child start waits up to 50 ms for dispatch, which decided vote latency in the benchmarks.",
	},
	{
		Key:   dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(),
		Value: 100,
		Why: "The Temporal Web UI and `temporal workflow list` page through visibility; at the default of 10 requests a second " +
			"per frontend, an operator paging through a cycle of thousands of tasks is throttled.",
	},
	{
		Key:   dynamicconfig.HistoryCacheHostLevelMaxSize.Key(),
		Value: 8096,
		Why: "History keeps at most this many workflows' state in memory; the default, 128,000, is sized for a cluster. A programme " +
			"has a few thousand workflows open at once (a cycle of 1,000 activities in 3 countries is 3,000 tasks), which this holds " +
			"with room, and keeps the process small. Read at start: restart the server after a change.",
	},
}

// dynamicClient is DynamicConfig as the embedded server reads it.
func dynamicClient() dynamicconfig.StaticClient {
	c := make(dynamicconfig.StaticClient, len(DynamicConfig))
	for _, s := range DynamicConfig {
		c[s.Key] = s.Value
	}
	return c
}
