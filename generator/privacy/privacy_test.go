package privacy

import "testing"

func TestCodiceFiscale(t *testing.T) {
	valid := []string{"RSSMRA85T10A562S", "rssmra85t10a562s", "BNCGPP71C48H501E", "MRTMTT91D08F205J", "RSSMRA85T10A56NH"} // the last with omocodia
	invalid := []string{"RSSMRA85T10A562T", "RSSMRA85T10A562", "RSSMRA85Z10A562S", "1SSMRA85T10A562S", ""}
	for _, s := range valid {
		if !ValidCodiceFiscale(s) {
			t.Errorf("%s should be valid", s)
		}
	}
	for _, s := range invalid {
		if ValidCodiceFiscale(s) {
			t.Errorf("%s should be invalid", s)
		}
	}
}

func TestPartitaIVA(t *testing.T) {
	for _, s := range []string{"00743110157", "00123456782", "01114601006", "12345678903"} {
		if !ValidPartitaIVA(s) {
			t.Errorf("%s should be valid", s)
		}
	}
	for _, s := range []string{"00123456788", "00000000000", "1234567890", "0012345678a"} {
		if ValidPartitaIVA(s) {
			t.Errorf("%s should be invalid", s)
		}
	}
}

func TestIBAN(t *testing.T) {
	for _, s := range []string{"IT60X0542811101000000123456", "IT60 X054 2811 1010 0000 0123 456", "GB82WEST12345698765432", "DE89370400440532013000"} {
		if !ValidIBAN(s) {
			t.Errorf("%s should be valid", s)
		}
	}
	for _, s := range []string{"IT61X0542811101000000123456", "IT60X054281110100000012345", "GB82WEST1234569876543Z", "XX"} {
		if ValidIBAN(s) {
			t.Errorf("%s should be invalid", s)
		}
	}
}

func TestPhone(t *testing.T) {
	for _, s := range []string{"080 1234567", "+39 347 123 4567", "3471234567", "0039 06 4567890", "347.123.45.67", "06-45678901"} {
		if !ValidPhone(s) {
			t.Errorf("%s should be a phone number", s)
		}
	}
	for _, s := range []string{"03/12/2026", "0123", "34712345", "31234567890", "12345678901", "2026/123"} {
		if ValidPhone(s) {
			t.Errorf("%s should not be a phone number", s)
		}
	}
}

func TestScan(t *testing.T) {
	s := NewScanner([]string{"00743110157", "tributi@comune.it"}, nil)
	text := "Il sig. Mario Rossi (RSSMRA85T10A562S), IBAN IT60 X054 2811 1010 0000 0123 456, scrivere a mario.rossi@example.org " +
		"o chiamare il 347 123 4567. Il Comune (P.IVA 00743110157, tributi@comune.it) ha ricevuto la diagnosi di invalidità. " +
		"Determinazione n. 455 del 13/11/2026, impegno di 12.350,00 €, registro 2026/123."
	want := []struct{ kind, value string }{
		{CodiceFiscale, "RSSMRA85T10A562S"},
		{IBAN, "IT60 X054 2811 1010 0000 0123 456"},
		{Email, "mario.rossi@example.org"},
		{Telefono, "347 123 4567"},
		{Sanitario, "diagnosi"},
		{Sanitario, "invalidità"},
	}
	got := s.Scan(text)
	if len(got) != len(want) {
		t.Fatalf("got %d matches, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Kind != w.kind || got[i].Value != w.value {
			t.Errorf("match %d: %s %q, want %s %q", i, got[i].Kind, got[i].Value, w.kind, w.value)
		}
	}
}

// TestSpacedTaxCode finds a tax code written in groups, as on forms.
func TestSpacedTaxCode(t *testing.T) {
	s := NewScanner(nil, nil)
	for _, text := range []string{"codice fiscale RSS MRA 85T10 A562S", "C.F.: RSSMRA 85T10A562S.", "rss mra 85t10 a562s"} {
		if m := s.Scan(text); len(m) != 1 || m[0].Kind != CodiceFiscale {
			t.Errorf("%q: %+v", text, m)
		}
	}
	if m := s.Scan("RSS MRA 85T10 A562T"); len(m) != 0 { // wrong check character
		t.Errorf("an invalid tax code with spaces: %+v", m)
	}
}

// TestHealthSentences: real sentences of the municipality's documents and of the sample
// albo are not taken for health data; sentences that do reveal health are.
func TestHealthSentences(t *testing.T) {
	s := NewScanner(nil, nil)
	for _, text := range []string{
		"Turni delle farmacie per il mese di dicembre 2026",
		"Orari di apertura delle farmacie comunali durante le festività",
		"Servizio farmaceutico: calendario dei turni festivi e notturni",
		"Contributi alle associazioni sportive e culturali per l'anno 2027",
		"Ordinanza di chiusura al traffico di via Roma per il mercato di Natale",
		"Il responsabile del procedimento è il Capo Settore Segreteria",
		"avviso di deposito della variante al piano regolatore generale",
		"Regolamento per l'accesso agli atti e ai documenti amministrativi",
	} {
		if m := s.Scan(text); len(m) != 0 {
			t.Errorf("%q taken for personal data: %+v", text, m)
		}
	}
	for text, word := range map[string]string{
		"al sig. Rossi, che assume farmaci antipsicotici":          "farmaci",
		"il richiedente, ricoverato presso l'ospedale civile":      "ricoverato",
		"beneficiario dei permessi della legge 104":                "legge 104",
		"allegato il certificato medico del dipendente":            "certificato medico",
		"la signora, affetta da una patologia cronica invalidante": "patologia",
		"ha presentato la diagnosi del medico di base":             "diagnosi",
	} {
		if m := s.Scan(text); len(m) != 1 || m[0].Kind != Sanitario || m[0].Value != word {
			t.Errorf("%q: %+v, want %q", text, m, word)
		}
	}
}

func FuzzScan(f *testing.F) {
	f.Add("RSSMRA85T10A562S 347 123 4567 IT60X0542811101000000123456 è diagnosi")
	s := NewScanner([]string{"00123456789"}, nil)
	f.Fuzz(func(t *testing.T, text string) {
		for _, m := range s.Scan(text) {
			if m.Offset < 0 || m.Offset+len(m.Value) > len(text) || text[m.Offset:m.Offset+len(m.Value)] != m.Value {
				t.Fatalf("match %+v is not the text at its offset", m)
			}
		}
	})
}
