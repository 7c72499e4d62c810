package programme

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"
)

// MaxFileSize is the largest file read, in bytes: about ninety times the
// seed programme (11 KB), room for hundreds of activities with long
// descriptions, and small enough that a file full of mistakes is still read
// in bounded memory and time.
const MaxFileSize = 1 << 20

// ReadFile reads a file of at most MaxFileSize bytes. It stops reading past
// the limit, so naming a huge file (or /dev/zero) costs nothing.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read only
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: %w", path, tooLarge())
	}
	return data, nil
}

func tooLarge() Errors {
	return Errors{{Message: fmt.Sprintf("the file is larger than %d bytes (%d KiB); split it or shorten its texts", MaxFileSize, MaxFileSize>>10)}}
}

// documentRoot parses data as one YAML document and returns its top node.
//
// Anchors and aliases (&name, *name) are refused outright: an alias makes
// the reader walk the node it names once per reference, so a few dozen KB
// of aliases to aliases stand for billions of nodes (and as many errors).
// Nothing in these files needs them; a secretariat writes values out.
//
// A second document (after ---) is refused too: it would otherwise be
// silently ignored, and whoever wrote it meant something by it.
func documentRoot(data []byte) (*yaml.Node, error) {
	if len(data) > MaxFileSize {
		return nil, tooLarge()
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Errors{{Line: 1, Message: "the file is empty"}}
		}
		return nil, Errors{syntaxError(err)}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, Errors{{Line: 1, Message: "the file is empty"}}
	}
	if n := firstAnchorOrAlias(&doc); n != nil {
		what := "&" + n.Anchor
		if n.Kind == yaml.AliasNode {
			what = "*" + n.Value
		}
		return nil, Errors{{Line: n.Line, Message: fmt.Sprintf(
			"YAML anchors and aliases are not accepted (found %s): write each value out in full", what)}}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, Errors{syntaxError(err)}
	default:
		return nil, Errors{{Line: next.Line, Message: "a second YAML document (after ---): a file holds one document; remove the --- line or move the rest to a file of its own"}}
	}
	return doc.Content[0], nil
}

// firstAnchorOrAlias walks the tree as parsed, without following aliases,
// and returns the first node that defines an anchor or is an alias.
func firstAnchorOrAlias(n *yaml.Node) *yaml.Node {
	if n.Anchor != "" || n.Kind == yaml.AliasNode {
		return n
	}
	for _, c := range n.Content {
		if found := firstAnchorOrAlias(c); found != nil {
			return found
		}
	}
	return nil
}
