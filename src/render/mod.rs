//! Everything a person sees: Telegram HTML, terminal text, the .ics calendar, and the one table of
//! words in both languages. Renderers take plain values (tasks, figures, settings) and a language;
//! they never read the database or the clock.

pub mod chart;
pub mod digest;
mod figure_lines;
pub mod html;
pub mod i18n;
pub mod ics;
pub mod keyboard;
pub mod metric;
pub mod report;
pub mod review;
pub mod settings;
pub mod sources;
pub mod split;
pub mod tasks;
pub mod xlsx;

pub use digest::{digest, reminder};
pub use html::{escape, html_to_text};
pub use i18n::{fill, texts};
pub use keyboard::{Button, Keyboard};
pub use metric::{figure, metric_answer, metrics_list};
pub use tasks::{deadlines, due_label, help, standing, task_block};
