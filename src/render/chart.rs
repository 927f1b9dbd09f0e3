//! Charts as PNG (drawn with `plotters` on its bitmap backend): a figure's series over its periods,
//! and the four states of the report by owner. Text is set in the bundled DejaVu Sans, which
//! covers every Vietnamese letter and tone mark, so a chart never depends on the fonts of the host.

use std::sync::Once;

use image::ImageEncoder as _;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use super::i18n::{fill, texts};
use crate::domain::lang::Lang;
use crate::domain::metric::{Metric, ObservationKind};
use crate::domain::report::Report;

/// The font every chart uses, compiled in.
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";
/// Every chart's size in pixels: wide enough for Telegram's preview, small enough to send fast.
pub const WIDTH: u32 = 1000;
pub const HEIGHT: u32 = 600;
/// How many owners a report chart shows (the most overdue first).
pub const MAX_BARS: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("drawing the chart: {0}")]
    Draw(String),
    #[error("encoding the PNG: {0}")]
    Encode(#[from] image::ImageError),
}

fn draw_error(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are compiled in; a font that fails to load would fail every test that draws.
        let _ = register_font(FAMILY, FontStyle::Normal, FONT);
    });
}

/// Draws on an RGB buffer with `draw`, then encodes it as PNG.
fn png(
    draw: impl FnOnce(DrawingArea<BitMapBackend, plotters::coord::Shift>) -> Result<(), ChartError>,
) -> Result<Vec<u8>, ChartError> {
    register();
    let mut rgb = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        draw(root.clone())?;
        root.present().map_err(draw_error)?;
    }
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes).write_image(&rgb, WIDTH, HEIGHT, image::ColorType::Rgb8)?;
    Ok(bytes)
}

/// Cuts a long name to `max` characters with an ellipsis.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

/// "60.000.000" / "60,000,000", "5,5" / "5.5": axis numbers written as the text writes them.
fn axis_number(value: f64, lang: Lang) -> String {
    if value.abs() >= 100.0 {
        super::report::count(value.round() as u32, lang)
    } else {
        format!("{value:.1}").replace('.', texts(lang).decimal_mark)
    }
}

/// Whether a metric has a national series to draw (two figures or more): cheap, unlike drawing.
pub fn has_series(metric: &Metric) -> bool {
    metric.measure == crate::domain::metric::Measure::Level
        && metric.observations.iter().filter(|o| o.scope.is_national()).count() >= 2
}

/// A figure's national series: actuals as a line with dots, targets as hollow squares; periods on
/// the axis; unit and source under it. `None` when there are fewer than two figures to draw.
pub fn metric_chart(metric: &Metric, lang: Lang) -> Result<Option<Vec<u8>>, ChartError> {
    if !has_series(metric) {
        return Ok(None);
    }
    let mut points: Vec<_> = metric.observations.iter().filter(|o| o.scope.is_national()).collect();
    points.sort_by_key(|o| (o.period.end(), o.kind == ObservationKind::Target));
    let t = texts(lang);
    let labels: Vec<String> = points.iter().map(|o| o.period.label(lang)).collect();
    let max = points.iter().map(|o| o.value).fold(0.0_f64, f64::max) * 1.15;
    let sources: Vec<String> = {
        let mut s: Vec<String> = points.iter().map(|o| o.source.citation(lang)).collect();
        s.dedup();
        s
    };
    let caption = format!(
        "{}: {} · {}: {}",
        t.chart_unit,
        metric.unit(lang),
        t.metric_source.trim_end_matches(':'),
        short(&sources.join("; "), 90)
    );
    let title = short(metric.name(lang), 70);
    png(|root| {
        let (upper, lower) = root.split_vertically(HEIGHT - 40);
        lower.draw(&Text::new(caption, (20, 10), (FAMILY, 16).into_font().color(&BLACK))).map_err(draw_error)?;
        let mut chart = ChartBuilder::on(&upper)
            .caption(title, (FAMILY, 24))
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(0..points.len(), 0.0..max.max(1.0))
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(points.len())
            .x_label_formatter(&|i| labels.get(*i).cloned().unwrap_or_default())
            .y_label_formatter(&|v| axis_number(*v, lang))
            .label_style((FAMILY, 14))
            .draw()
            .map_err(draw_error)?;
        let blue = RGBColor(31, 90, 170);
        let red = RGBColor(200, 60, 40);
        let actual: Vec<(usize, f64)> = points
            .iter()
            .enumerate()
            .filter(|(_, o)| o.kind == ObservationKind::Actual)
            .map(|(i, o)| (i, o.value))
            .collect();
        let target: Vec<(usize, f64)> = points
            .iter()
            .enumerate()
            .filter(|(_, o)| o.kind == ObservationKind::Target)
            .map(|(i, o)| (i, o.value))
            .collect();
        chart
            .draw_series(LineSeries::new(actual.clone(), blue.stroke_width(3)))
            .map_err(draw_error)?
            .label(t.chart_actual)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], blue.stroke_width(3)));
        chart.draw_series(actual.iter().map(|p| Circle::new(*p, 5, blue.filled()))).map_err(draw_error)?;
        chart
            .draw_series(target.iter().map(|p| {
                EmptyElement::at(*p) + plotters::element::Rectangle::new([(-7, -7), (7, 7)], red.stroke_width(3))
            }))
            .map_err(draw_error)?
            .label(t.chart_target)
            .legend(move |(x, y)| {
                plotters::element::Rectangle::new([(x + 4, y - 6), (x + 16, y + 6)], red.stroke_width(3))
            });
        chart
            .configure_series_labels()
            .label_font((FAMILY, 16))
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(draw_error)?;
        Ok(())
    })
    .map(Some)
}

/// "Tình hình thực hiện nhiệm vụ theo đơn vị đến 22/11/2026": the report chart's title, plain text.
pub fn report_title(report: &Report, lang: Lang) -> String {
    fill(texts(lang).chart_report_title, &[("date", &crate::domain::period::Period::Day(report.as_of).label(lang))])
}

/// The four states by owner, stacked bars, the most overdue first.
pub fn report_chart(report: &Report, lang: Lang) -> Result<Vec<u8>, ChartError> {
    let t = texts(lang);
    let owners: Vec<_> = report.owners.iter().filter(|o| o.counts.assigned() > 0).take(MAX_BARS).collect();
    let names: Vec<String> = owners
        .iter()
        .map(|o| {
            let name = match (lang, o.owner_en, o.owner) {
                (_, _, "") => t.owner_unnamed,
                (Lang::En, en, _) if !en.is_empty() => en,
                (_, _, vi) => vi,
            };
            short(name, 28)
        })
        .collect();
    let max = owners.iter().map(|o| o.counts.assigned()).max().unwrap_or(1).max(1);
    let states = [
        (t.chart_on_time, RGBColor(46, 139, 87)),
        (t.chart_late, RGBColor(240, 170, 40)),
        (t.chart_within, RGBColor(90, 140, 210)),
        (t.chart_overdue, RGBColor(200, 50, 40)),
    ];
    let title = report_title(report, lang);
    // One row per owner, two units high so that its label sits on a whole number (the middle), the
    // most overdue on top: row `i` spans `2(n - 1 - i)` to `2(n - i)`. plotters' segmented axis
    // counts an integer range with both ends (`0..n` has n + 1 rows) and drew an empty row on top.
    let n = owners.len().max(1);
    png(|root| {
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FAMILY, 24))
            .margin(20)
            .x_label_area_size(40)
            .y_label_area_size(240)
            .build_cartesian_2d(0u32..max + max / 10 + 1, 0u32..2 * n as u32)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(2 * n + 1)
            .y_label_formatter(&|v| {
                let v = *v as usize;
                if v % 2 == 1 && v < 2 * n {
                    names.get(n - 1 - v / 2).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .label_style((FAMILY, 14))
            .draw()
            .map_err(draw_error)?;
        for (state, (label, color)) in states.iter().enumerate() {
            let color = *color;
            let bars = owners.iter().enumerate().map(move |(i, o)| {
                let c = &o.counts;
                let parts = [c.done_on_time, c.done_late, c.within_term, c.overdue];
                let start: u32 = parts[..state].iter().sum();
                let row = 2 * (n - 1 - i) as u32;
                let mut bar = Rectangle::new([(start, row), (start + parts[state], row + 2)], color.filled());
                // A gap between owners' bars.
                bar.set_margin(6, 6, 0, 0);
                bar
            });
            chart
                .draw_series(bars)
                .map_err(draw_error)?
                .label(*label)
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font((FAMILY, 16))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(draw_error)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every letter Vietnamese writes, lower and upper case, with each of the five tone marks.
    pub const VIETNAMESE: &str = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ\
        AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬBCDĐEÈÉẺẼẸÊỀẾỂỄỆGHIÌÍỈĨỊKLMNOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢPQRSTUÙÚỦŨỤƯỪỨỬỮỰVXYỲÝỶỸỴ\
        0123456789%.,:;·–—…()/ ";

    /// Width and height from a PNG's header, after checking its signature.
    fn png_size(bytes: &[u8]) -> (u32, u32) {
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
        let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
        (be(16), be(20))
    }

    #[test]
    fn a_report_chart_is_a_png_of_the_expected_size() {
        use crate::domain::deadline::DeadlineFilter;
        use crate::domain::due::{Due, DuePrecision};
        use crate::domain::task::{Status, Task};
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let mut done = Task::sample(
            1,
            "Việc",
            "Bộ Công an",
            Due { date: day(10, 31), precision: DuePrecision::Day },
            Status::Done,
        );
        done.completed_on = Some(day(11, 3));
        let tasks = vec![
            done,
            Task::sample(
                2,
                "Việc",
                "Ủy ban nhân dân tỉnh Điện Biên",
                Due { date: day(10, 31), precision: DuePrecision::Day },
                Status::Open,
            ),
        ];
        let report = crate::domain::report::report(&tasks, &DeadlineFilter::All, day(11, 22));
        for lang in [Lang::Vi, Lang::En] {
            let bytes = report_chart(&report, lang).unwrap();
            assert_eq!(png_size(&bytes), (WIDTH, HEIGHT));
            assert!(bytes.len() > 5_000, "something was drawn: {} bytes", bytes.len());
        }
    }

    #[test]
    fn a_lone_owners_bar_fills_the_chart_from_top_to_bottom() {
        use crate::domain::deadline::DeadlineFilter;
        use crate::domain::due::{Due, DuePrecision};
        use crate::domain::task::{Status, Task};
        let due = Due { date: chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(), precision: DuePrecision::Day };
        let tasks = vec![Task::sample(1, "Việc", "Bộ Công an", due, Status::Open)];
        let report = crate::domain::report::report(
            &tasks,
            &DeadlineFilter::All,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        );
        let bytes = report_chart(&report, Lang::Vi).unwrap();
        let image = image::load_from_memory(&bytes).unwrap().to_rgb8();
        // The overdue colour, down a column through the bar.
        let red: Vec<u32> = (0..HEIGHT).filter(|&y| image.get_pixel(400, y).0 == [200, 50, 40]).collect();
        let (first, last) = (red[0], red[red.len() - 1]);
        assert_eq!(red.len() as u32, last - first + 1, "one bar");
        // The plot is about 480 px high (600 less margins, title and axis): the bar fills it.
        assert!(
            last - first > 400,
            "the bar is {} px high, from {first} to {last}: an empty row beside it",
            last - first
        );
    }

    #[test]
    fn the_bundled_font_has_a_glyph_for_every_vietnamese_letter_and_tone_mark() {
        let face = ttf_parser::Face::parse(FONT, 0).expect("the bundled font parses");
        let missing: Vec<char> = VIETNAMESE.chars().filter(|c| face.glyph_index(*c).is_none()).collect();
        assert!(missing.is_empty(), "no glyph for {missing:?}");
        // Combining tone marks too, for text typed in decomposed form.
        for mark in ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'] {
            assert!(face.glyph_index(mark).is_some(), "no glyph for U+{:04X}", mark as u32);
        }
    }
}
