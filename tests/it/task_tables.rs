//! Tables of tasks as directives attach them: a .docx with the common heading row and a PDF whose
//! text layer runs the columns together, each row imported with its own owner, partners and date.

use std::io::Write;

use chrono::NaiveDate;
use hanchot::document::read;
use hanchot::domain::extract::{Proposal, extract};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn paragraph(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", escape(text))
}

/// A real .docx (a zip with its content types, relationships and `word/document.xml`).
fn docx(paragraphs: &[&str], table: &[&[&str]]) -> Vec<u8> {
    let rows: String = table
        .iter()
        .map(|row| {
            let cells: String = row.iter().map(|c| format!("<w:tc>{}</w:tc>", paragraph(c))).collect();
            format!("<w:tr>{cells}</w:tr>")
        })
        .collect();
    let body: String = paragraphs.iter().map(|p| paragraph(p)).collect();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:tbl>{rows}</w:tbl>{}</w:body></w:document>"#,
        paragraph("Các cơ quan chủ trì báo cáo tiến độ thực hiện hằng quý.")
    );
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default();
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_owned(),
        ),
        ("word/document.xml", document),
    ];
    for (name, content) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

fn row<'a>(found: &'a [Proposal], words: &str) -> &'a Proposal {
    found.iter().find(|p| p.sentence.contains(words)).unwrap_or_else(|| panic!("no row {words:?} in {found:#?}"))
}

#[test]
fn a_docx_task_table_gives_each_row_its_owner_partners_deliverable_and_date() {
    let bytes = docx(
        &[
            "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
            "Quảng Ngãi, ngày 8 tháng 1 năm 2026",
            "KẾ HOẠCH",
            "UBND tỉnh giao các cơ quan, đơn vị thực hiện các nhiệm vụ tại Phụ lục kèm theo:",
        ],
        &[
            &["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời hạn hoàn thành"],
            &[
                "1",
                "Số hóa hồ sơ địa chính của các xã thuộc tỉnh Kon Tum (cũ)",
                "Sở Nông nghiệp và Môi trường",
                "UBND các xã, phường",
                "Cơ sở dữ liệu đất đai",
                "30/9/2026",
            ],
            &[
                "2",
                "Vận hành Trung tâm Phục vụ hành chính công theo mô hình một cấp",
                "Văn phòng UBND tỉnh",
                "Sở Nội vụ, Sở Khoa học và Công nghệ",
                "Quy chế hoạt động",
                "Quý II/2026",
            ],
            &[
                "3",
                "Chuyển đổi hồ sơ lưu trữ giấy sang điện tử",
                "Ban Quản lý dự án chuyển đổi số tỉnh",
                "",
                "Kho lưu trữ số",
                "Năm 2026",
            ],
            &[
                "4",
                "Tuyên truyền về dịch vụ công trực tuyến",
                "Sở Văn hóa, Thể thao và Du lịch",
                "Các sở, ngành",
                "",
                "Thường xuyên",
            ],
        ],
    );
    let text = read("phu-luc.docx", &bytes).unwrap();
    let found = extract(&text, d(2026, 1, 8));
    let dated: Vec<&Proposal> = found.iter().filter(|p| p.recurrence.is_none()).collect();
    assert_eq!(dated.len(), 3, "three dated rows, the standing one left out: {found:#?}");

    let land = row(&found, "hồ sơ địa chính");
    assert_eq!(
        (land.owners.as_slice(), land.partners.as_slice()),
        (&["Sở Nông nghiệp và Môi trường".to_owned()][..], &["UBND các xã, phường".to_owned()][..])
    );
    assert_eq!((land.due.date, land.deliverable.as_str()), (d(2026, 9, 30), "Cơ sở dữ liệu đất đai"));

    // The task names a body; the owner column is still the owner.
    let centre = row(&found, "Trung tâm Phục vụ hành chính công");
    assert_eq!(centre.owners, ["Văn phòng UBND tỉnh"]);
    assert_eq!(centre.partners, ["Sở Nội vụ", "Sở Khoa học và Công nghệ"]);
    assert_eq!(centre.due.date, d(2026, 6, 30));

    // An owner the lexicon does not list, and not the plan's lead body.
    let archive = row(&found, "hồ sơ lưu trữ");
    assert_eq!(archive.owners, ["Ban Quản lý dự án chuyển đổi số tỉnh"]);
    assert!(archive.partners.is_empty());
    assert_eq!(archive.owner, "Ban Quản lý dự án chuyển đổi số tỉnh");
}

/// A one-page PDF whose lines are drawn cell by cell at their columns' places (Helvetica, so the
/// text is written without tone marks, as many scanned-then-typed tables are).
fn pdf(lines: &[&[(f32, &str)]]) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut operations = Vec::new();
    for (n, cells) in lines.iter().enumerate() {
        for (x, text) in cells.iter() {
            let y = 800.0 - 16.0 * n as f32;
            operations.push(Operation::new("BT", vec![]));
            operations.push(Operation::new("Tf", vec!["F1".into(), 8.into()]));
            operations.push(Operation::new("Td", vec![(*x).into(), y.into()]));
            operations.push(Operation::new("Tj", vec![Object::string_literal(*text)]));
            operations.push(Operation::new("ET", vec![]));
        }
    }
    let content = Content { operations };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id, "Resources" => resources_id,
        "MediaBox" => vec![0.into(), 0.into(), 842.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn a_pdf_task_table_gives_each_row_its_owner() {
    let bytes = pdf(&[
        &[(40.0, "UY BAN NHAN DAN TINH DONG NAI")],
        &[(40.0, "Dong Nai, ngay 15 thang 1 nam 2026")],
        &[(40.0, "KE HOACH chuyen doi so nam 2026")],
        &[
            (40.0, "STT"),
            (70.0, "Nhiem vu"),
            (400.0, "Co quan chu tri"),
            (550.0, "Co quan phoi hop"),
            (720.0, "Thoi han"),
        ],
        &[
            (40.0, "1"),
            (70.0, "Lam sach du lieu dan cu cac xa thuoc tinh Binh Phuoc"),
            (400.0, "Cong an tinh Dong Nai"),
            (550.0, "UBND cac xa, phuong"),
            (720.0, "Quy II/2026"),
        ],
        &[
            (40.0, "2"),
            (70.0, "Trien khai hoc ba so tai cac truong tieu hoc"),
            (400.0, "So Giao duc va Dao tao"),
            (550.0, "So Khoa hoc va Cong nghe"),
            (720.0, "30/9/2026"),
        ],
        &[
            (40.0, "3"),
            (70.0, "Ket noi he thong mot cua dien tu voi Trung tam du lieu quoc gia"),
            (400.0, "Van phong UBND tinh"),
            (550.0, "Cong an tinh"),
            (720.0, "Thang 6/2026"),
        ],
    ]);
    let text = read("ke-hoach.pdf", &bytes).unwrap();
    let found = extract(&text, d(2026, 1, 15));
    assert_eq!(found.len(), 3, "{text}\n{found:#?}");
    assert_eq!(row(&found, "du lieu dan cu").owners, ["Cong an tinh Dong Nai"]);
    assert_eq!(row(&found, "du lieu dan cu").due.date, d(2026, 6, 30));
    assert_eq!(row(&found, "hoc ba so").owners, ["Sở Giáo dục và Đào tạo"]);
    assert_eq!(row(&found, "hoc ba so").partners, ["Sở Khoa học và Công nghệ"]);
    assert_eq!(row(&found, "Trung tam du lieu quoc gia").owners, ["Văn phòng UBND tỉnh"]);
    assert_eq!(row(&found, "Trung tam du lieu quoc gia").due.date, d(2026, 6, 30));
}
