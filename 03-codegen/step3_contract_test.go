package helloworld

import "testing"

// Step 3: change the contract. SayHelloAgain goes into helloworld.proto,
// then into the generated code.

func TestStep3_SayHelloAgain(t *testing.T) {
	got, want := yourProto(t), canonical(t)
	reportProblems(t, "helloworld.proto", methodProblems(got, want, "SayHelloAgain"))
	reportProblems(t, "helloworld.proto is not yet the Greeter's contract", contractProblems(got, want))
}

func TestStep3_SayHelloAgainGenerated(t *testing.T) {
	got, want := generated(t), canonical(t)
	if problems := methodProblems(got, want, "SayHelloAgain"); len(problems) > 0 {
		t.Fatal("the generated code has no SayHelloAgain yet: add it to helloworld.proto (go test -run Step3 says how), then run go generate.")
	}
	requireDeclared(t, "helloworld_grpc.pb.go",
		"Greeter_SayHelloAgain_FullMethodName", "GreeterClient.SayHelloAgain",
		"GreeterServer.SayHelloAgain", "UnimplementedGreeterServer.SayHelloAgain")
}
