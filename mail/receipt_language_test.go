package mail

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A receipt says, in the recipient's language, which language the texts
// were written in, and marks them with it in the HTML part; a receipt of
// texts whose language was not said says nothing of it.
func TestReceiptSaysTheLanguageOfTheTexts(t *testing.T) {
	data := TaskData{Lang: "pt", Name: "Ana", ActivityTitle: plain("Rede"), Code: "A1", Country: "BR", CycleTitle: "Final",
		Version: 1, Status: "on_track", Texts: []ReportText{{Field: "progress", Text: "Dos talleres."}}, TextLanguage: "es"}
	c, err := Render(KindReceipt, "pt", data)
	require.NoError(t, err)
	require.Contains(t, c.Text, "\nEscrito em espanhol\n")
	require.Contains(t, c.HTML, "<p>Escrito em espanhol</p>")
	require.Contains(t, c.HTML, `<p style="white-space:pre-wrap" lang="es">Dos talleres.</p>`)

	data.TextLanguage = ""
	c, err = Render(KindReceipt, "pt", data)
	require.NoError(t, err)
	require.NotContains(t, c.Text, "Escrito em")
	require.Contains(t, c.HTML, `<p style="white-space:pre-wrap">Dos talleres.</p>`)
}
