package csvsafe

import "testing"

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("https://x.it","clicca")`: `'=HYPERLINK("https://x.it","clicca")`,
		"+39 080 123":                         "'+39 080 123", "-2+3": "'-2+3", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"Avviso": "Avviso", "": "", "2026/1": "2026/1", "a=b": "a=b",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
	if got := string(Row([]string{"=1+1", "a,b"})); got != "'=1+1,\"a,b\"\r\n" {
		t.Errorf("Row = %q", got)
	}
}
