//! Reading received files: .docx and .pdf made from a corpus text score as the text does, every
//! encoding of .txt reads the same words, and every bad file gets its own error.

use crate::corpus;

use std::path::PathBuf;

use hanchot::document::{DocumentError, MAX_BYTES, read};

fn fixture(name: &str) -> (String, Vec<u8>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/documents").join(name);
    (name.to_owned(), std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn gold_of_the_plan() -> corpus::Gold {
    let text = std::fs::read_to_string(corpus::dir().join("03-ke-hoach-tinh.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

#[test]
fn a_docx_reads_paragraphs_in_order_and_each_table_row_as_one_line() {
    let (name, bytes) = fixture("ke-hoach-tinh.docx");
    let text = read(&name, &bytes).unwrap();
    assert!(text.starts_with("ỦY BAN NHÂN DÂN TỈNH LÀO CAI\n"), "{text}");
    assert!(
        text.contains("2 | Triển khai sổ sức khỏe điện tử trên VNeID tại 100% trạm y tế xã | Sở Y tế | Công an tỉnh, UBND các xã, phường | Tháng 6/2026\n"),
        "{text}"
    );
    let mut misses = Vec::new();
    let score = corpus::score(&text, &gold_of_the_plan(), &mut misses);
    assert_eq!((score.found, score.owners, score.extra), (score.gold, score.gold, 0), "{misses:#?}");
}

#[test]
#[allow(clippy::absurd_extreme_comparisons)] // the bound is 0 today; it stays a bound
fn a_pdf_with_a_text_layer_gives_the_plans_tasks() {
    let (name, bytes) = fixture("ke-hoach-tinh.pdf");
    let text = read(&name, &bytes).unwrap();
    assert!(text.contains("Công an tỉnh chủ trì hướng dẫn kích hoạt tài khoản định danh điện tử"), "{text}");
    let mut misses = Vec::new();
    let score = corpus::score(&text, &gold_of_the_plan(), &mut misses);
    eprintln!("pdf: {}/{} found, {} owners, {} extra: {misses:#?}", score.found, score.gold, score.owners, score.extra);
    assert!(score.found >= PDF_FOUND && score.owners >= PDF_OWNERS && score.extra <= PDF_EXTRA, "{misses:#?}");
}

/// What the PDF of the plan reaches: its table comes out as lines of text, not cells, so a row
/// whose date column is a bare "30/9/2026" or "Năm 2026" is not read as a deadline (5 of 7).
const PDF_FOUND: usize = 5;
const PDF_OWNERS: usize = 5;
const PDF_EXTRA: usize = 0;

#[test]
fn text_in_utf16_or_windows_1258_reads_as_utf8_does() {
    let expected = "Bộ Công an hoàn thành kết nối dữ liệu dân cư với các ngân hàng trước ngày 10/12/2026.\n\
        Sở Y tế triển khai sổ sức khỏe điện tử trong quý II/2027.";
    for name in ["utf16.txt", "windows-1258.txt"] {
        let (name, bytes) = fixture(name);
        assert_eq!(read(&name, &bytes).unwrap(), expected, "{name}");
    }
    assert_eq!(read("a.txt", format!("{expected}\n").as_bytes()).unwrap(), expected);
}

#[test]
fn every_bad_file_gets_its_own_error() {
    let (name, bytes) = fixture("scan-no-text.pdf");
    assert_eq!(read(&name, &bytes), Err(DocumentError::NoTextLayer));
    let (name, bytes) = fixture("ke-hoach-tinh-encrypted.pdf");
    assert_eq!(read(&name, &bytes), Err(DocumentError::Encrypted));
    let (name, bytes) = fixture("random.bin");
    assert!(matches!(read(&name, &bytes), Err(DocumentError::UnknownFormat(_))));
    assert!(matches!(read("anh.jpg", &bytes), Err(DocumentError::UnknownFormat(_))));
    let (name, bytes) = fixture("empty.txt");
    assert_eq!(read(&name, &bytes), Err(DocumentError::Empty));
    assert_eq!(read("trang.txt", b"  \n\t \n"), Err(DocumentError::Empty));
    let big = vec![b'a'; MAX_BYTES + 1];
    assert_eq!(read("lon.txt", &big), Err(DocumentError::TooLarge { size: MAX_BYTES + 1, max: MAX_BYTES }));
    assert!(matches!(read("hong.pdf", b"not a pdf at all"), Err(DocumentError::Damaged(_))));
}

#[test]
fn hidden_characters_are_cleaned_from_every_file() {
    let text = "Bộ Công an\u{202E} hoàn\u{200B} thành\u{7} báo cáo\r\n".as_bytes();
    assert_eq!(read("x.txt", text).unwrap(), "Bộ Công an hoàn thành báo cáo");
}
