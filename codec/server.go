package codec

import (
	"net/http"
	"slices"

	"go.temporal.io/sdk/converter"
)

// maxRequestBytes bounds one request to the codec server: the Web UI sends
// one history page's payloads at a time, each at most Temporal's 2 MB.
const maxRequestBytes = 32 << 20

// Handler serves the codec over HTTP as Temporal's remote codec protocol
// has it (POST .../encode and .../decode, payloads as JSON), for the
// Temporal Web UI (its codec endpoint setting) and CLI (--codec-endpoint).
// The UI's page calls it from the operator's browser, so a request that
// carries an Origin is answered only for the origins listed, with the CORS
// headers the UI's requests need; a request without one (the CLI) is
// answered as it is.
func Handler(c *Codec, origins []string) http.Handler {
	codec := converter.NewPayloadCodecHTTPHandler(c)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" {
			if !slices.Contains(origins, origin) {
				http.Error(w, "origin not allowed (CODEC_CORS_ORIGINS)", http.StatusForbidden)
				return
			}
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Namespace")
			h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
			h.Add("Vary", "Origin")
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
		codec.ServeHTTP(w, r)
	})
}
