package load

// foldingFS: Linux file systems tell "testo.pdf" from "Testo.PDF", so a mistaken case
// is found when the file does not open.
const foldingFS = false
