//! Numbers written the way each language's readers expect: "55,25 triệu" and "55.25 million".

use super::lang::Lang;

/// Formats `value` with at most `decimals` decimals, trimming trailing zeros, with the language's
/// separators: Vietnamese uses "." for thousands and "," for decimals, English the reverse.
pub fn format_plain(value: f64, decimals: usize, lang: Lang) -> String {
    let (thousands, decimal) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let text = format!("{:.*}", decimals, value.abs());
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i.to_owned(), f.trim_end_matches('0').to_owned()),
        None => (text.clone(), String::new()),
    };
    let mut grouped = String::new();
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(ch);
    }
    let sign = if value < 0.0 && (int_part != "0" || !frac_part.is_empty()) { "-" } else { "" };
    if frac_part.is_empty() { format!("{sign}{grouped}") } else { format!("{sign}{grouped}{decimal}{frac_part}") }
}

/// Formats a figure, naming millions and billions in words ("55,25 triệu", "152 billion").
pub fn format_figure(value: f64, lang: Lang) -> String {
    let scales: [(f64, &str, &str); 2] = [(1e9, "tỷ", "billion"), (1e6, "triệu", "million")];
    for (scale, vi, en) in scales {
        if value.abs() >= scale {
            let word = if lang == Lang::Vi { vi } else { en };
            return format!("{} {word}", format_plain(value / scale, 2, lang));
        }
    }
    format_plain(value, 2, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_and_english_separators() {
        assert_eq!(format_plain(67300.0, 2, Lang::Vi), "67.300");
        assert_eq!(format_plain(67300.0, 2, Lang::En), "67,300");
        assert_eq!(format_plain(10.41, 2, Lang::Vi), "10,41");
        assert_eq!(format_plain(10.41, 2, Lang::En), "10.41");
        assert_eq!(format_plain(3378742.0, 0, Lang::Vi), "3.378.742");
        assert_eq!(format_plain(-2.5, 2, Lang::En), "-2.5");
        assert_eq!(format_plain(0.0, 2, Lang::En), "0");
    }

    #[test]
    fn large_figures_use_words() {
        assert_eq!(format_figure(55_250_000.0, Lang::Vi), "55,25 triệu");
        assert_eq!(format_figure(55_250_000.0, Lang::En), "55.25 million");
        assert_eq!(format_figure(152e9, Lang::Vi), "152 tỷ");
        assert_eq!(format_figure(1e9, Lang::En), "1 billion");
        assert_eq!(format_figure(18.3, Lang::Vi), "18,3");
        assert_eq!(format_figure(200_000.0, Lang::Vi), "200.000");
    }
}
