//! Hostile PDFs, written by the tests and the benchmark: a drawing that draws itself, a page that
//! is its own parent, a small file that inflates to a gigabyte, thousands of pages.

use std::fmt::Write as _;

pub const TASK: &str = "Bo Cong an hoan thanh ket noi du lieu dan cu truoc ngay 15/3/2027.";

/// A PDF of `objects` (object n is `objects[n - 1]`), its catalog object `root`.
fn pdf(objects: &[Vec<u8>], root: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(table, "trailer\n<< /Size {} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1);
    out.extend(table.bytes());
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend(data);
    out.extend(b"\nendstream");
    out
}

fn text_content(text: &str) -> Vec<u8> {
    format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET").into_bytes()
}

const FONT: &[u8] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
const CATALOG: &[u8] = b"<< /Type /Catalog /Pages 2 0 R >>";

/// One page whose content draws form X0, and X0 draws X0 again.
pub fn self_drawing_form() -> Vec<u8> {
    let mut page_content = text_content(TASK);
    page_content.extend(b" /X0 Do");
    pdf(
        &[
            CATALOG.to_vec(),
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_vec(),
            FONT.to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources << /Font << /F1 3 0 R >> /XObject << /X0 6 0 R >> >> >>".to_vec(),
            stream("", &page_content),
            stream(
                "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> /XObject << /X0 6 0 R >> >>",
                &[text_content("Lap lai"), b" /X0 Do".to_vec()].concat(),
            ),
        ],
        1,
    )
}

/// A page that names itself as its parent and has no resources of its own.
pub fn page_its_own_parent() -> Vec<u8> {
    pdf(
        &[
            CATALOG.to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
            stream("", &text_content(TASK)),
        ],
        1,
    )
}

/// zlib data that inflates to `megabytes` MiB of zeros, about a thousandth of that in size: one
/// flushed deflate block of a MiB of zeros repeated (each refers only to the zeros before it).
fn zlib_of_zeros(megabytes: usize) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let zeros = vec![0u8; 1 << 20];
    let mut compress = Compress::new(Compression::best(), false);
    let mut block = |input: &[u8], flush: FlushCompress| {
        let mut out = Vec::with_capacity(1 << 20);
        let before = compress.total_in();
        compress.compress_vec(input, &mut out, flush).unwrap();
        assert_eq!((compress.total_in() - before) as usize, input.len(), "all input taken");
        out
    };
    let first = block(&zeros, FlushCompress::Sync);
    let repeated = block(&zeros, FlushCompress::Sync);
    assert_eq!(block(&zeros, FlushCompress::Sync), repeated, "the block repeats");
    let last = block(&[], FlushCompress::Finish);
    let mut out = vec![0x78, 0xDA];
    out.extend(&first);
    for _ in 1..megabytes {
        out.extend(&repeated);
    }
    out.extend(&last);
    // Adler-32 of n zeros: a stays 1, b adds 1 for each byte.
    let n = (megabytes as u64) << 20;
    out.extend((((n % 65521) << 16) | 1).to_be_bytes()[4..].iter());
    out
}

/// A 1 MB file whose one content stream inflates to 1 GiB.
pub fn inflates_to_a_gigabyte() -> Vec<u8> {
    pdf(
        &[
            CATALOG.to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
            stream("/Filter /FlateDecode", &zlib_of_zeros(1024)),
        ],
        1,
    )
}

/// `pages` pages of a line each, every line at the same place on its page; the last one is a
/// dated task (`TASK`), so that a reader that stops early is seen.
pub fn pages_of_a_line(pages: usize) -> Vec<u8> {
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    let mut objects = vec![
        CATALOG.to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {pages} >>", kids.join(" ")).into_bytes(),
        FONT.to_vec(),
    ];
    for i in 0..pages {
        objects.push(
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R /Resources << /Font << /F1 3 0 R >> >> >>", 5 + 2 * i)
                .into_bytes(),
        );
        let line = if i + 1 == pages {
            TASK.to_owned()
        } else {
            format!("Trang {i}: So Y te bao cao ket qua so hoa ho so {i}.")
        };
        objects.push(stream("", &text_content(&line)));
    }
    pdf(&objects, 1)
}
