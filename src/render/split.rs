//! Packing HTML into Telegram messages of at most 4096 characters.
//!
//! Text is split at line boundaries (then at spaces, then anywhere, for a monstrous line), never
//! inside a tag or an entity; tags open at a split are closed at its end and reopened after it.

/// Telegram's limit on a message's text.
pub const MAX_MESSAGE_CHARS: usize = 4096;

/// Telegram counts UTF-16 code units.
fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The tags open at the end of `html` (the names and the full opening tags), outermost first.
fn open_tags(html: &str) -> Vec<(String, String)> {
    let mut stack: Vec<(String, String)> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else { break };
        let tag = &rest[start..start + end + 1];
        let inner = tag.trim_start_matches('<').trim_end_matches('>');
        if let Some(name) = inner.strip_prefix('/') {
            if let Some(pos) = stack.iter().rposition(|(n, _)| n == name.trim()) {
                stack.truncate(pos);
            }
        } else {
            let name = inner.split_whitespace().next().unwrap_or_default().to_owned();
            stack.push((name, tag.to_owned()));
        }
        rest = &rest[start + end + 1..];
    }
    stack
}

/// Byte offsets where `line` may be cut: after a space, outside tags and entities.
fn safe_cut(line: &str, max_units: usize) -> usize {
    let (mut in_tag, mut in_entity) = (false, false);
    let (mut used, mut last_space, mut last_safe) = (0, None, 0);
    for (i, ch) in line.char_indices() {
        if used + ch.len_utf16() > max_units {
            break;
        }
        used += ch.len_utf16();
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '&' => in_entity = true,
            ';' => in_entity = false,
            _ => {}
        }
        let end = i + ch.len_utf8();
        if !in_tag && !in_entity && ch != '<' && ch != '&' {
            last_safe = end;
            if ch == ' ' {
                last_space = Some(end);
            }
        }
    }
    last_space.filter(|&s| s > 0).unwrap_or(last_safe)
}

/// Splits `html` into messages of at most `limit` UTF-16 units each.
pub fn split_html(html: &str, limit: usize) -> Vec<String> {
    // Room for closing and reopening tags at a cut.
    let budget = limit.saturating_sub(64).max(limit / 2);
    let mut messages = Vec::new();
    let mut current = String::new();
    let mut pending: Vec<&str> = html.split('\n').collect();
    pending.reverse();
    while let Some(line) = pending.pop() {
        let candidate_len = units(&current) + usize::from(!current.is_empty()) + units(line);
        if candidate_len <= budget {
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(line);
            continue;
        }
        if !current.is_empty() {
            messages.push(std::mem::take(&mut current));
            pending.push(line);
            continue;
        }
        // A single line longer than a message: cut it.
        let cut = safe_cut(line, budget).max(line.chars().next().map_or(1, char::len_utf8));
        current.push_str(&line[..cut]);
        messages.push(std::mem::take(&mut current));
        let rest = &line[cut..];
        if !rest.is_empty() {
            pending.push(rest);
        }
    }
    if !current.trim().is_empty() {
        messages.push(current);
    }
    balance(messages)
}

/// Closes the tags left open at the end of each message and reopens them in the next.
fn balance(messages: Vec<String>) -> Vec<String> {
    let mut carried: Vec<(String, String)> = Vec::new();
    messages
        .into_iter()
        .map(|body| {
            let reopened: String = carried.iter().map(|(_, open)| open.as_str()).collect();
            let text = format!("{reopened}{body}");
            carried = open_tags(&text);
            let closing: String = carried.iter().rev().map(|(name, _)| format!("</{name}>")).collect();
            format!("{text}{closing}")
        })
        .filter(|m| !m.trim().is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_message() {
        assert_eq!(split_html("<b>a</b>\nb", MAX_MESSAGE_CHARS), vec!["<b>a</b>\nb"]);
    }

    #[test]
    fn long_text_splits_at_lines_within_the_limit() {
        let line = format!("<b>{}</b> {}", "Nhiệm vụ", "đ".repeat(90));
        let html = vec![line.as_str(); 200].join("\n");
        let parts = split_html(&html, MAX_MESSAGE_CHARS);
        assert!(parts.len() > 1);
        for part in &parts {
            assert!(units(part) <= MAX_MESSAGE_CHARS);
            assert!(part.starts_with("<b>") && part.ends_with(&"đ".repeat(90)), "cut inside a line");
        }
        assert_eq!(parts.join("\n"), html, "nothing lost or added");
    }

    #[test]
    fn a_monstrous_line_is_cut_outside_tags_and_entities_and_tags_are_rebalanced() {
        let html = format!("<i>{}</i>", "a &amp; b ".repeat(2000));
        let parts = split_html(&html, MAX_MESSAGE_CHARS);
        assert!(parts.len() > 1);
        for part in &parts {
            assert!(units(part) <= MAX_MESSAGE_CHARS);
            assert!(part.starts_with("<i>") && part.ends_with("</i>"), "tags balanced: {}", &part[part.len() - 20..]);
            let text = part.trim_start_matches("<i>").trim_end_matches("</i>");
            assert!(!text.contains('<'), "no stray tags");
            assert_eq!(text.matches('&').count(), text.matches("&amp;").count(), "no broken entity");
        }
    }
}
