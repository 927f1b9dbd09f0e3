//! Messages with inline buttons: a button is a label and the callback data it sends back.

use crate::domain::callback::Callback;

/// An inline button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub data: String,
}

impl Button {
    pub fn new(label: &str, data: Callback) -> Self {
        Self { label: label.to_owned(), data: data.to_string() }
    }
}

/// A message with inline buttons, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyboard {
    pub html: String,
    pub buttons: Vec<Vec<Button>>,
}
