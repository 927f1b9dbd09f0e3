//! The `extract` section: a generated directive of up to 10 MB read for its tasks (linear time),
//! and the hostile PDFs through the release binary's child reader.

use super::*;

/// A directive-like text of about `bytes` bytes: numbered tasks with owners and deadlines, clauses
/// with no time, reports, table rows; owners, dates and words vary so that tasks do not merge.
fn generate_directive(bytes: usize) -> String {
    const OWNERS: &[&str] = &["Bộ Công an", "Bộ Tư pháp", "Sở Y tế", "UBND tỉnh", "Bộ KH&CN", "NHNN", "Công an tỉnh"];
    const WORDS: &[&str] = &[
        "hộ tịch",
        "đất đai",
        "cư trú",
        "bảo hiểm",
        "thuế",
        "hải quan",
        "giáo dục",
        "y tế",
        "giao thông",
        "xây dựng",
        "công chứng",
        "doanh nghiệp",
        "lao động",
        "việc làm",
        "an sinh",
        "tư pháp",
        "ngân hàng",
        "kho bạc",
        "thống kê",
        "môi trường",
        "nông nghiệp",
        "du lịch",
        "văn hóa",
        "thể thao",
        "báo chí",
        "xuất bản",
        "viễn thông",
        "bưu chính",
        "năng lượng",
        "khoáng sản",
    ];
    let mut text = String::from(
        "CHỈ THỊ THỬ NGHIỆM\nHà Nội, ngày 2 tháng 1 năm 2027\nThủ tướng yêu cầu các bộ, ngành, địa phương:\n",
    );
    let mut i = 0usize;
    while text.len() < bytes {
        let owner = OWNERS[i % OWNERS.len()];
        let (day, month) = (i % 28 + 1, i % 12 + 1);
        let topic = |n: usize| WORDS[(i / n) % WORDS.len()];
        let (a, b, c) = (topic(1), topic(WORDS.len()), topic(WORDS.len() * WORDS.len()));
        let _ = writeln!(
            text,
            "{}. {owner} chủ trì, phối hợp với Bộ Tài chính hoàn thành kết nối dữ liệu {a} với dữ liệu {b} và {c} trước ngày {day}/{month}/2027; \
             rà soát quy trình {b} liên thông {c} trong tháng {month}/2028. Năm 2026, đã hoàn thành {i} hồ sơ {a}. \
             Các đơn vị tiếp tục tuyên truyền về chuyển đổi số tại {} điểm.",
            i + 1,
            i % 500
        );
        if i.is_multiple_of(10) {
            let quarter = ["I", "II", "III", "IV"][i % 4];
            let _ =
                writeln!(text, "{i} | Số hóa hồ sơ {a} và {c} còn lại | {owner} | Các sở, ngành | Quý {quarter}/2028");
        }
        i += 1;
    }
    text
}

/// Extraction time by text size (linear: twice the text, twice the time) and the corpus figures.
pub fn extraction(report: &mut String) {
    let published = chrono::NaiveDate::from_ymd_opt(2027, 1, 2).unwrap();
    let largest = env("HANCHOT_BENCH_EXTRACT_BYTES", 10 << 20);
    for bytes in [largest / 4, largest / 2, largest] {
        let text = generate_directive(bytes);
        let start = Instant::now();
        let proposals = hanchot::domain::extract::extract(&text, published);
        let took = start.elapsed();
        let _ = writeln!(
            report,
            "| {:.2} MB | {} proposals | {:.3} s | {:.2} µs/byte |",
            text.len() as f64 / 1e6,
            proposals.len(),
            took.as_secs_f64(),
            took.as_secs_f64() * 1e6 / text.len() as f64
        );
    }
    // One line of comma-separated dated clauses (issue 24: quadratic before, 36 s at 320 KB).
    let runon_bytes = env("HANCHOT_BENCH_RUNON_BYTES", 10 << 20);
    let mut line = String::with_capacity(runon_bytes + 100);
    let mut i = 0usize;
    while line.len() < runon_bytes {
        let _ = write!(line, "Sở Y tế số hóa hồ sơ loại {i} trước ngày {}/{}/2027, ", i % 28 + 1, i % 12 + 1);
        i += 1;
    }
    let start = Instant::now();
    let proposals = hanchot::domain::extract::extract(&line, published);
    let took = start.elapsed();
    let _ = writeln!(
        report,
        "| {:.2} MB on one line, commas only | {} proposals | {:.3} s | {:.2} µs/byte |",
        line.len() as f64 / 1e6,
        proposals.len(),
        took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / line.len() as f64
    );
    let (score, _) = corpus::score_corpus();
    let _ = writeln!(
        report,
        "\nDevelopment corpus ({} texts): {}/{} tasks with the right date and precision ({:.1}%), {}/{} owners right ({:.1}%), {} proposals that are not tasks, {}/{} publication dates right.",
        score.texts,
        score.found,
        score.gold,
        score.recall() * 100.0,
        score.owners,
        score.found,
        score.owner_accuracy() * 100.0,
        score.extra,
        score.published_right,
        score.texts
    );
    let documents = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/documents");
    for name in ["ke-hoach-tinh.docx", "ke-hoach-tinh.pdf"] {
        let bytes = std::fs::read(documents.join(name)).unwrap();
        let start = Instant::now();
        let text = hanchot::document::read(name, &bytes).unwrap();
        let _ = writeln!(
            report,
            "\n`document::read` of {name} ({} bytes): {:.1} ms, {} characters of text.",
            bytes.len(),
            start.elapsed().as_secs_f64() * 1e3,
            text.chars().count()
        );
    }
}
