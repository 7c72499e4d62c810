// Package evidencetest makes small files of every kind a report may carry,
// and of kinds it may not, for the tests of the packages that store, serve
// and list evidence.
package evidencetest

import (
	"archive/zip"
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// PNG is a 2x2 picture.
func PNG() []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, picture()); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// JPEG is a 2x2 picture.
func JPEG() []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, picture(), nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func picture() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 0, G: 90, B: 140, A: 255})
	return img
}

// PDF is a one-page PDF; text makes two of them differ.
func PDF(text string) []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
		"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% " + text + "\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

// DOCX is a Word document.
func DOCX() []byte {
	return archive(false, "[Content_Types].xml", "<Types/>", "_rels/.rels", "<Relationships/>",
		"word/document.xml", "<w:document/>")
}

// DOCM is a Word document with macros, whatever it is named.
func DOCM() []byte {
	return archive(false, "[Content_Types].xml", "<Types/>", "word/document.xml", "<w:document/>",
		"word/vbaProject.bin", "\x00\x01macro")
}

// XLSX is an Excel workbook.
func XLSX() []byte {
	return archive(false, "[Content_Types].xml", "<Types/>", "xl/workbook.xml", "<workbook/>",
		"xl/worksheets/sheet1.xml", "<worksheet/>")
}

// ODT is an OpenDocument text.
func ODT() []byte {
	return archive(true, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", "<office:document-content/>")
}

// ODS is an OpenDocument spreadsheet, a kind not accepted.
func ODS() []byte {
	return archive(true, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", "<office:document-content/>")
}

// Zip is a plain archive.
func Zip() []byte { return archive(false, "notes/a.txt", "hello") }

// EXE starts as every Windows program does.
func EXE() []byte {
	return append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0}, 200)...)
}

// CSV is a table of participants, with the semicolons of a Spanish spreadsheet.
func CSV() []byte { return []byte("nombre;país\nAna;CL\nJoão;BR\n") }

// TXT is a note.
func TXT() []byte { return []byte("Acta de la reunión del 3 de marzo.\nAsistieron 12 personas.\n") }

// HTML is a web page, which is not a text file to store.
func HTML() []byte { return []byte("<!DOCTYPE html><html><script>alert(1)</script></html>") }

// archive writes pairs of name and content into a zip; stored leaves the
// first entry uncompressed, as OpenDocument requires of its mimetype.
func archive(stored bool, pairs ...string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := 0; i < len(pairs); i += 2 {
		method := zip.Deflate
		if stored && i == 0 {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: pairs[i], Method: method})
		if err == nil {
			_, err = w.Write([]byte(pairs[i+1]))
		}
		if err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}
