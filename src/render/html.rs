//! Telegram's HTML subset: escaping what came from data or users, and turning a reply back into
//! plain text for the terminal.

/// Escapes text for Telegram HTML (`&`, `<` and `>`; quotes only matter inside attributes, which
/// the bot never fills from data).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(ch),
        }
    }
    out
}

/// The HTML of a reply as terminal text: tags dropped, entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_comes_back_unchanged_as_terminal_text() {
        let text = r#"Bộ A & "B" <C>"#;
        assert_eq!(escape(text), "Bộ A &amp; \"B\" &lt;C&gt;");
        assert_eq!(html_to_text(&format!("<b>{}</b>", escape(text))), text);
    }
}
