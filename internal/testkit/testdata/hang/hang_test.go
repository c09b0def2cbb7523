package hang

import (
	"os"
	"strings"
	"testing"

	"github.com/rpcworkshop/workshop/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

func TestStep1_BareReceive(t *testing.T) {
	if got := WaitForReply(); got != "hi" {
		t.Errorf("WaitForReply() = %q, want %q", got, "hi")
	}
}

func TestStep2_SelectForever(t *testing.T) {
	SelectForever()
}

func TestStep3_SpinAtEOF(t *testing.T) {
	if _, err := ReadAll(strings.NewReader("abc")); err != nil {
		t.Fatal(err)
	}
}

// TestStep4_Passes is quick: the watchdog must leave it alone.
func TestStep4_Passes(t *testing.T) {
	t.Parallel()
}
