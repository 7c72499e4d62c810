package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/alecthomas/kong"
)

// parseCLI reads the command line into cli. A mistake on it (an unknown
// flag, a bad value, a missing argument) is told in two lines on stderr,
// the error first and then where the usage is, and exits 2: the usage
// itself, some forty lines, is printed only with --help, so the error is
// not lost above it.
func parseCLI(cli *CLI, args []string, stdout, stderr io.Writer, exit func(int)) *kong.Context {
	parser, err := kong.New(cli,
		kong.Name("bienal"),
		kong.Description("bienal runs ECLAC's biennial programme of cooperation activities on science, innovation and ICTs."),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
		kong.Writers(stdout, stderr),
		kong.Exit(exit),
	)
	if err != nil {
		panic(fmt.Sprintf("bienal: the command line's grammar: %v", err)) // a mistake in CLI's tags, caught by any test
	}
	kctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintf(stderr, "bienal: %v\n", err)
		fmt.Fprintf(stderr, "Run '%s --help' for its usage.\n", commandOf(err))
		exit(2)
		return nil
	}
	return kctx
}

// commandOf names the command a parse error happened in, as typed.
func commandOf(err error) string {
	var perr *kong.ParseError
	if !errors.As(err, &perr) || perr.Context == nil {
		return "bienal"
	}
	name := "bienal"
	for _, p := range perr.Context.Path {
		if p.Command != nil {
			name += " " + p.Command.Name
		}
	}
	return name
}
