package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
)

// Config is what the client's flags say.
type Config struct {
	Addr    string        // the server: host:port, or a gRPC target such as dns:///host:port
	Name    string        // the name to greet
	Timeout time.Duration // the deadline of each call
	N       int           // how many calls to make over the one connection
}

// ParseFlags reads the command line into a Config. Help and errors are
// written to output; -h returns flag.ErrHelp.
func ParseFlags(args []string, output io.Writer) (Config, error) {
	var cfg Config
	fs := flag.NewFlagSet("client", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&cfg.Addr, "addr", "localhost:50051", "the server's `address`: host:port, or a target such as dns:///host:port")
	fs.StringVar(&cfg.Name, "name", "you", "the `name` to send in the HelloRequest")
	fs.DurationVar(&cfg.Timeout, "timeout", time.Second, "the deadline of each call; the call fails with DeadlineExceeded after it")
	fs.IntVar(&cfg.N, "n", 1, "how many calls to make, all over one connection")
	fs.Usage = func() {
		fmt.Fprintln(output, "Usage: go run . [flags]")
		fmt.Fprintln(output)
		fmt.Fprintln(output, "Calls helloworld.Greeter/SayHello on a gRPC server and prints the greeting.")
		fmt.Fprintln(output, "Start a server first, for example with go run ./04-server from the workshop's root.")
		fmt.Fprintln(output)
		fmt.Fprintln(output, "Flags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected argument %q: pass everything as flags, for example -name %s", fs.Arg(0), fs.Arg(0))
		fmt.Fprintln(output, err)
		return Config{}, err
	}
	if err := cfg.Check(); err != nil {
		fmt.Fprintln(output, err)
		return Config{}, err
	}
	return cfg, nil
}

// Check reports a Config that cannot work.
func (c Config) Check() error {
	switch {
	case c.Addr == "":
		return errors.New("-addr is empty: give the server's host:port, for example -addr localhost:50051")
	case c.Timeout <= 0:
		return fmt.Errorf("-timeout is %v: give a positive duration, for example -timeout 1s", c.Timeout)
	case c.N < 1:
		return fmt.Errorf("-n is %d: make at least one call, for example -n 3", c.N)
	}
	return nil
}
