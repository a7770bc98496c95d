package search

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestEncode(t *testing.T) {
	for _, ids := range [][]int{{0}, {3, 4, 100, 4095}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}} {
		for _, n := range []int{13, 4096} {
			if ids[len(ids)-1] >= n {
				continue
			}
			got, err := Decode(Encode(ids, n))
			if err != nil || !reflect.DeepEqual(got, ids) {
				t.Errorf("Decode(Encode(%v, %d)) = %v, %v", ids, n, got, err)
			}
		}
	}
	if e := Encode([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 13); e[0] != 'b' {
		t.Errorf("a dense list should be a bitset: %q", e)
	}
}

// TestIndex builds an index and looks terms up the way the browser does.
func TestIndex(t *testing.T) {
	docs := []*Doc{
		{Registro: "2/2026", Anno: 2026, Num: 2, Tipo: "ordinanza", TipoNome: "Ordinanza", Oggetto: "Viabilità in via Roma", Dal: "2026-11-20", Al: "2026-12-04", URL: "atti/2026/2.html", Ufficio: "Polizia Locale", Numero: "64",
			Text: []string{"Viabilità in via Roma", "Ordinanza", "Polizia Locale", "64", "Il sig. ||omissis|| deve spostare l'auto"}},
		{Registro: "1/2026", Anno: 2026, Num: 1, Tipo: "avviso", TipoNome: "Avviso", Oggetto: "Ordinanze sindacali: elenco", Dal: "2026-11-19", Al: "2026-12-03", URL: "atti/2026/1.html",
			Text: []string{"Ordinanze sindacali: elenco", "Avviso"}},
	}
	files, err := Build("cerca/", docs)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string][]byte{}
	for _, f := range files {
		byPath[f.Path] = f.Data
	}
	var meta Meta
	if err := json.Unmarshal(byPath["cerca/indice.json"], &meta); err != nil || meta.Docs != 2 || meta.Version != Version {
		t.Fatalf("meta %+v, %v", meta, err)
	}
	lookup := func(word string) []int {
		term := Terms(word)[0]
		var group map[string]string
		json.Unmarshal(byPath["cerca/t/"+Key(term, map[string]bool{})+".json"], &group)
		if group[term] == "" {
			return nil
		}
		ids, _ := Decode(group[term])
		return ids
	}
	for word, want := range map[string][]int{"ordinanza": {0, 1}, "viabilita": {0}, "polizia": {0}, "64": {0}, "auto": {0}, "sindacale": {1}} {
		if got := lookup(word); !reflect.DeepEqual(got, want) {
			t.Errorf("%q finds %v, want %v", word, got, want)
		}
	}
	var reg map[string]int
	json.Unmarshal(byPath["cerca/r/2026-0.json"], &reg)
	if reg["2"] != 0 || reg["1"] != 1 {
		t.Errorf("register lookup %v", reg)
	}
	for path, data := range byPath {
		if strings.Contains(string(data), "sig.") {
			t.Errorf("%s holds text it should only index", path)
		}
	}
}
