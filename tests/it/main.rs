//! The integration tests, one binary: the real dispatcher, delivery and binary against the fake
//! Bot API, the stores, the documents and the quality sets. Shared harness in `support`.

mod corpus;
mod dev_set;
mod support;

mod cli;
mod delivery;
mod directives;
mod documents;
mod extraction_corpus;
mod input;
mod metric_questions;
mod migration;
mod report;
mod seeds;
mod serve;
mod sources;
mod sources_bot;
mod store;
mod telegram;
