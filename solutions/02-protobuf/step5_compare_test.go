package wireformat

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/02-protobuf/employeepb"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
)

// decodeWith reads b with the library that the codec's name promises, so
// that a codec cannot pass by wiring the wrong format.
var decodeWith = map[string]func([]byte, *employeepb.Employee) error{
	"fixed": func(b []byte, e *employeepb.Employee) error {
		got, err := UnmarshalFixed(b)
		if err == nil {
			proto.Merge(e, got)
		}
		return err
	},
	"protobuf":      func(b []byte, e *employeepb.Employee) error { return proto.Unmarshal(b, e) },
	"protojson":     func(b []byte, e *employeepb.Employee) error { return protojson.Unmarshal(b, e) },
	"encoding/json": func(b []byte, e *employeepb.Employee) error { return json.Unmarshal(b, e) },
}

func TestStep5_Codecs(t *testing.T) {
	codecs, err := Codecs()
	testkit.StopIfNotImplemented(t, err, "compare.go")
	if err != nil {
		t.Fatalf("Codecs returned an error: %v", err)
	}
	var names []string
	for _, c := range codecs {
		names = append(names, c.Name)
	}
	if diff := cmp.Diff([]string{"fixed", "protobuf", "protojson", "encoding/json"}, names); diff != "" {
		t.Fatalf("Codecs names (-want +got):\n%s", diff)
	}
	sizes := map[string]int{}
	for _, c := range codecs {
		if c.Marshal == nil || c.Unmarshal == nil {
			t.Errorf("codec %q has no Marshal or no Unmarshal function", c.Name)
			continue
		}
		if problem := checkCodec(c); problem != "" {
			t.Errorf("codec %q: %s", c.Name, problem)
			continue
		}
		b, err := c.Marshal(ada())
		if err == nil {
			sizes[c.Name] = len(b)
			if testing.Verbose() {
				t.Logf("%-14s %3d bytes  %q", c.Name, len(b), b)
			}
		}
	}
	for _, other := range []string{"fixed", "protojson", "encoding/json"} {
		if sizes["protobuf"] >= sizes[other] {
			t.Errorf("protobuf took %d bytes for ada and %s %d; protobuf should be the smallest", sizes["protobuf"], other, sizes[other])
		}
	}
}

// checkCodec round-trips every test employee through c, and reads what c
// wrote with the library its name promises. It returns the first problem.
func checkCodec(c Codec) string {
	for name, want := range employees() {
		b, err := c.Marshal(want)
		if err != nil {
			return fmt.Sprintf("Marshal(%s) returned an error: %v", name, err)
		}
		got, err := c.Unmarshal(b)
		if err != nil {
			return fmt.Sprintf("Unmarshal of %s's bytes returned an error: %v", name, err)
		}
		if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
			return fmt.Sprintf("round trip of %s (-want +got):\n%s", name, diff)
		}
		check := &employeepb.Employee{}
		if err := decodeWith[c.Name](b, check); err != nil || !proto.Equal(check, want) {
			return fmt.Sprintf("Marshal wrote %q for %s, which is not %s: reading it as %s gives %v, %v", b, name, c.Name, c.Name, check, err)
		}
	}
	return ""
}

// benchCodecs returns the step 5 codecs, plus step 2's protowire code when
// it works, or skips the benchmark.
func benchCodecs(b *testing.B) []Codec {
	codecs, err := Codecs()
	if err != nil {
		b.Skipf("%v: finish step 5 first", err)
	}
	if _, err := MarshalEmployee(ada()); err == nil {
		codecs = append(codecs, Codec{Name: "protowire", Marshal: MarshalEmployee, Unmarshal: UnmarshalEmployee})
	}
	return codecs
}

func BenchmarkMarshal(b *testing.B) {
	for _, c := range benchCodecs(b) {
		b.Run(c.Name, func(b *testing.B) {
			e := ada()
			out, err := c.Marshal(e)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Marshal(e); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(out)), "bytes/msg")
		})
	}
}

func BenchmarkUnmarshal(b *testing.B) {
	for _, c := range benchCodecs(b) {
		b.Run(c.Name, func(b *testing.B) {
			in, err := c.Marshal(ada())
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Unmarshal(in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(in)), "bytes/msg")
		})
	}
}
