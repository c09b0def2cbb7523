package wireformat

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/02-protobuf/employeepb"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
)

// FuzzUnmarshalEmployee feeds the same bytes to UnmarshalEmployee and to
// proto.Unmarshal: both must accept or both reject, and what they accept
// must be the same employee, unknown fields included. Run it with
//
//	go test -fuzz=FuzzUnmarshalEmployee -fuzztime=60s
//
// Plain go test runs only the seeds below and those in
// testdata/fuzz/FuzzUnmarshalEmployee.
func FuzzUnmarshalEmployee(f *testing.F) {
	for _, e := range employees() {
		b, err := proto.Marshal(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	v2, err := proto.Marshal(adaV2())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(v2)
	for _, h := range []string{"", "80", "0e 01", "0c", "12 05 41", "6b 08 01 6c", "10 05", "12 02 c3 28"} {
		f.Add(unhex(f, h))
	}
	// Until step 3, UnmarshalEmployee drops the fields it does not know:
	// then compare the rest only.
	keepsUnknown := false
	if e, err := UnmarshalEmployee(v2); err == nil && len(e.ProtoReflect().GetUnknown()) > 0 {
		keepsUnknown = true
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := UnmarshalEmployee(in)
		if _, _, ok := testkit.NotImplemented(err); ok {
			t.Skipf("%v: the fuzz target needs step 2", err)
		}
		want := &employeepb.Employee{}
		wantErr := proto.UnmarshalOptions{DiscardUnknown: !keepsUnknown}.Unmarshal(in, want)
		switch {
		case err != nil && wantErr != nil:
			return
		case err != nil:
			t.Fatalf("UnmarshalEmployee(%s) failed with %v, but proto.Unmarshal accepts it as %v", spaced(in), err, want)
		case wantErr != nil:
			t.Fatalf("UnmarshalEmployee(%s) accepted %v, but proto.Unmarshal rejects it: %v", spaced(in), got, wantErr)
		}
		if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
			t.Fatalf("UnmarshalEmployee(%s) differs from proto.Unmarshal (-want +got):\n%s", spaced(in), diff)
		}
		out, err := MarshalEmployee(got)
		if err != nil {
			t.Fatalf("MarshalEmployee cannot re-encode what UnmarshalEmployee accepted from %s: %v", spaced(in), err)
		}
		if canon, _ := (proto.MarshalOptions{Deterministic: true}).Marshal(want); !bytes.Equal(out, canon) {
			t.Fatalf("re-encoding %s:\n got %s\nwant %s (deterministic proto.Marshal)", spaced(in), spaced(out), spaced(canon))
		}
	})
}
