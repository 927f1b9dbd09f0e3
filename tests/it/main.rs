//! The integration tests, one binary: the real dispatcher, delivery and binary against the fake
//! Bot API, the stores, the documents and the quality sets. Shared harness in `support`.

mod corpus;
mod dev_set;
mod support;

mod buttons;
mod calendar;
mod cli;
mod dates;
mod delivery;
mod deploy;
mod directives;
mod documents;
mod extraction_corpus;
mod figure_proposals;
mod figure_questions;
mod figure_replies;
mod hostile_documents;
mod input;
mod metric_questions;
mod migration;
mod on_both;
mod queues;
mod recurrences;
mod report;
mod seeds;
mod serve;
mod service;
mod source_addresses;
mod sources;
mod sources_bot;
mod sources_store;
mod store;
mod task_tables;
mod telegram;
mod updates;
