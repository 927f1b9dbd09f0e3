//! A small catalog for the metric module's unit tests.

use std::sync::Arc;

use chrono::NaiveDate;

use super::{Metric, Observation, ObservationKind, Scope};
use crate::domain::task::Source;

fn source() -> Arc<Source> {
    Arc::new(Source {
        key: "s".into(),
        title: "t".into(),
        publisher: "VOV".into(),
        published: NaiveDate::from_ymd_opt(2025, 2, 6).unwrap(),
        seed_file: "f".into(),
        url: String::new(),
    })
}

pub fn obs(value: f64, period: &str, kind: ObservationKind) -> Observation {
    Observation {
        value,
        upper: None,
        out_of: None,
        period: period.parse().unwrap(),
        cumulative: false,
        kind,
        qualifier: None,
        scope: Scope::National,
        note_vi: String::new(),
        note_en: String::new(),
        base: None,
        text_vi: String::new(),
        text_en: String::new(),
        source: source(),
    }
}

pub fn metric(key: &str, vi: &str, en: &str, aliases: &[&str], observations: Vec<Observation>) -> Metric {
    let mut m = Metric {
        id: 0,
        key: key.into(),
        topic: "t".into(),
        name_vi: vi.into(),
        name_en: en.into(),
        unit_vi: "%".into(),
        unit_en: "%".into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        measure: super::Measure::Level,
        change_of: None,
        observations,
        phrases: Vec::new(),
    };
    m.prepare();
    m
}

pub fn catalog() -> Vec<Metric> {
    use ObservationKind::*;
    let cumulative = |mut o: Observation| {
        o.cumulative = true;
        o
    };
    let in_ha_giang = |mut o: Observation| {
        o.scope = Scope::Province("Hà Giang".into());
        o
    };
    vec![
        metric(
            "de-share",
            "Tỷ trọng kinh tế số trong GDP",
            "Digital economy share of GDP",
            &["kinh tế số GDP"],
            vec![
                obs(18.3, "2024", Actual),
                obs(9.6, "2021", Actual),
                obs(10.41, "2022-H1", Actual),
                obs(20.5, "2025", Target),
            ],
        ),
        metric("de-revenue", "Doanh thu kinh tế số", "Digital economy revenue", &[], vec![obs(152e9, "2024", Actual)]),
        metric(
            "vneid",
            "Tài khoản định danh điện tử",
            "e-ID accounts",
            &["tài khoản VNeID", "VNeID accounts"],
            vec![obs(48e6, "2023-06", Actual), obs(60e6, "2024", Actual), obs(55.25e6, "2024", Actual)],
        ),
        metric(
            "procedures",
            "Thủ tục hành chính đã đơn giản hóa",
            "Administrative procedures simplified",
            &[],
            vec![cumulative(obs(898.0, "2024", Actual)), obs(313.0, "2024", Actual)],
        ),
        metric(
            "teams",
            "Tổ công nghệ số cộng đồng",
            "Community digital technology teams",
            &[],
            vec![obs(75000.0, "2023-06", Actual)],
        ),
        metric(
            "members",
            "Thành viên tổ công nghệ số cộng đồng",
            "Members of community digital technology teams",
            &[],
            vec![obs(350000.0, "2023-06", Actual), in_ha_giang(obs(12131.0, "2022-08", Actual))],
        ),
        metric(
            "egdi",
            "Xếp hạng Chính phủ điện tử của Liên Hợp Quốc (EGDI)",
            "UN E-Government Development Index (EGDI) rank",
            &[],
            vec![obs(71.0, "2024", Actual)],
        ),
        metric(
            "egdi-sea",
            "Xếp hạng Chính phủ điện tử của Việt Nam tại Đông Nam Á",
            "E-government rank in Southeast Asia",
            &[],
            vec![obs(5.0, "2024", Actual)],
        ),
        metric(
            "plans-ministries",
            "Bộ có kế hoạch chuyển đổi số",
            "Ministries with a plan",
            &[],
            vec![obs(19.0, "2022-06", Actual)],
        ),
        metric(
            "plans-provinces",
            "Tỉnh có kế hoạch chuyển đổi số",
            "Provinces with a plan",
            &[],
            vec![obs(53.0, "2022-06", Actual)],
        ),
    ]
}
