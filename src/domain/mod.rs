//! The pure core: due dates, folding, search, what a listing or an answer contains.
//! Nothing here touches the network, the database or the clock.

pub mod callback;
pub mod catalog;
pub mod deadline;
pub mod digest;
pub mod due;
pub mod extract;
pub mod figures;
pub mod fold;
pub mod lang;
pub mod metric;
pub mod number;
pub mod period;
pub mod report;
pub mod report_schedule;
pub mod review;
pub mod schedule;
pub mod settings;
pub mod standing;
pub mod task;
pub mod text;
