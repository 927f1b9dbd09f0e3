//! A new directive from Telegram: an admin sends (or forwards) its text in a private chat, the bot
//! proposes the dated tasks it finds, one message each with buttons to keep, drop, or edit the date
//! or the owner, and nothing is stored until the admin presses "save".

use teloxide::utils::html::escape;

use super::handlers::{Button, Incoming, Reply, html};
use super::i18n::fill;
use crate::app::App;
use crate::domain::due::{DuePrecision, parse_due_token};
use crate::domain::extract::{extract, publication_date};
use crate::domain::lang::Lang;
use crate::domain::period::Period;
use crate::domain::task::EventKind;
use crate::store::{Actor, Awaiting, DraftItem, NewTask};

/// The most proposals shown for one text; a longer directive should be imported from the CLI.
pub const MAX_PROPOSALS: usize = 25;

struct Words {
    found: &'static str,
    published_from_text: &'static str,
    published_today: &'static str,
    item: &'static str,
    kept: &'static str,
    dropped: &'static str,
    keep: &'static str,
    drop: &'static str,
    edit_due: &'static str,
    edit_owner: &'static str,
    save: &'static str,
    cancel: &'static str,
    review: &'static str,
    too_many: &'static str,
    ask_due: &'static str,
    ask_owner: &'static str,
    bad_due: &'static str,
    saved: &'static str,
    cancelled: &'static str,
    closed: &'static str,
    no_owner: &'static str,
}

const VI: Words = Words {
    found: "📥 <b>Tìm thấy {n} nhiệm vụ có hạn</b> trong văn bản. {published}\nChưa lưu gì: xem từng đề xuất, bấm Giữ, Bỏ hoặc Sửa, rồi Lưu.",
    published_from_text: "Ngày ban hành trong văn bản: {date}.",
    published_today: "Văn bản không ghi ngày: “năm nay” được hiểu là năm {year}.",
    item: "<b>Đề xuất {i}/{n}</b>",
    kept: "✅ giữ",
    dropped: "🗑 bỏ",
    keep: "✅ Giữ",
    drop: "🗑 Bỏ",
    edit_due: "📅 Sửa hạn",
    edit_owner: "👤 Sửa đơn vị",
    save: "💾 Lưu các nhiệm vụ đã giữ",
    cancel: "✖ Hủy",
    review: "Xem lại các đề xuất ở trên, rồi bấm Lưu. Chưa có gì được lưu.",
    too_many: "Chỉ hiện {max} đề xuất đầu; văn bản dài hãy nhập bằng dòng lệnh: hanchot import.",
    ask_due: "Gửi hạn mới cho đề xuất {i}, ví dụ 30/09/2026, 9/2026, Q3/2026 hoặc 2026.",
    ask_owner: "Gửi tên đơn vị chủ trì mới cho đề xuất {i}.",
    bad_due: "“{due}” không phải là hạn hợp lệ. Ví dụ 30/09/2026, 9/2026, Q3/2026 hoặc 2026.",
    saved: "💾 Đã lưu {added} nhiệm vụ mới ({known} đã có từ trước). Xem: /deadlines",
    cancelled: "✖ Đã hủy, không lưu gì.",
    closed: "Bản nháp này đã đóng.",
    no_owner: "chưa rõ",
};

const EN: Words = Words {
    found: "📥 <b>Found {n} dated tasks</b> in the text. {published}\nNothing is stored yet: review each proposal, press Keep, Drop or Edit, then Save.",
    published_from_text: "Date in the text: {date}.",
    published_today: "The text shows no date: “this year” is read as {year}.",
    item: "<b>Proposal {i}/{n}</b>",
    kept: "✅ kept",
    dropped: "🗑 dropped",
    keep: "✅ Keep",
    drop: "🗑 Drop",
    edit_due: "📅 Edit date",
    edit_owner: "👤 Edit owner",
    save: "💾 Save the kept tasks",
    cancel: "✖ Cancel",
    review: "Review the proposals above, then press Save. Nothing is stored yet.",
    too_many: "Only the first {max} proposals are shown; import a long text from the command line: hanchot import.",
    ask_due: "Send the new due date for proposal {i}, e.g. 30/09/2026, 9/2026, Q3/2026 or 2026.",
    ask_owner: "Send the new owner for proposal {i}.",
    bad_due: "“{due}” is not a due date. E.g. 30/09/2026, 9/2026, Q3/2026 or 2026.",
    saved: "💾 Saved {added} new tasks ({known} were already there). See: /deadlines",
    cancelled: "✖ Cancelled, nothing stored.",
    closed: "This draft is closed.",
    no_owner: "not named",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

fn precision_word(precision: DuePrecision, lang: Lang) -> &'static str {
    match (precision, lang) {
        (DuePrecision::Day, Lang::Vi) => "ngày",
        (DuePrecision::Month, Lang::Vi) => "tháng",
        (DuePrecision::Quarter, Lang::Vi) => "quý",
        (DuePrecision::Half, Lang::Vi) => "nửa năm",
        (DuePrecision::Year, Lang::Vi) => "năm",
        (p, Lang::En) => p.as_str(),
    }
}

/// One proposal's message and buttons.
fn item_reply(draft: i64, item: &DraftItem, count: usize, lang: Lang) -> Reply {
    let w = words(lang);
    let p = &item.proposal;
    let state = if item.keep { w.kept } else { w.dropped };
    let recurrence =
        if p.recurrence.is_some() { if lang == Lang::Vi { " · hằng tháng" } else { " · monthly" } } else { "" };
    let owner = if p.owner.is_empty() { w.no_owner.to_owned() } else { escape(&p.owner) };
    let html = format!(
        "{} · {state}\n⏰ {} ({}){recurrence} — «{}»\n👤 {owner}\n📝 {}",
        fill(w.item, &[("i", &item.idx.to_string()), ("n", &count.to_string())]),
        Period::Day(p.due.date).label(lang),
        precision_word(p.due.precision, lang),
        escape(&p.due_phrase),
        escape(&p.sentence),
    );
    let data = |action: &str| format!("imp:{draft}:{}:{action}", item.idx);
    let buttons = vec![
        vec![Button::new(w.keep, data("keep")), Button::new(w.drop, data("drop"))],
        vec![Button::new(w.edit_due, data("due")), Button::new(w.edit_owner, data("owner"))],
    ];
    Reply::Keyboard { html, buttons }
}

fn closing_reply(draft: i64, lang: Lang) -> Reply {
    let w = words(lang);
    Reply::Keyboard {
        html: w.review.to_owned(),
        buttons: vec![vec![
            Button::new(w.save, format!("imp:{draft}:save")),
            Button::new(w.cancel, format!("imp:{draft}:cancel")),
        ]],
    }
}

/// An admin's plain text: proposals for review, or `None` when it holds no dated task.
pub async fn start(app: &App, incoming: &Incoming, text: &str, lang: Lang) -> anyhow::Result<Option<Vec<Reply>>> {
    let w = words(lang);
    let today = app.clock.today(app.config.timezone);
    let found_date = publication_date(text);
    let published = found_date.unwrap_or(today);
    let proposals = extract(text, published);
    if proposals.is_empty() {
        return Ok(None);
    }
    let shown = &proposals[..proposals.len().min(MAX_PROPOSALS)];
    let user = incoming.user_id.and_then(|u| i64::try_from(u).ok());
    let draft = app.store.create_draft(incoming.chat_id, user, published, shown, app.clock.now()).await?;
    let published_note = match found_date {
        Some(date) => fill(w.published_from_text, &[("date", &Period::Day(date).label(lang))]),
        None => fill(w.published_today, &[("year", &chrono::Datelike::year(&today).to_string())]),
    };
    let mut replies = html(fill(w.found, &[("n", &proposals.len().to_string()), ("published", &published_note)]));
    if proposals.len() > MAX_PROPOSALS {
        replies.extend(html(fill(w.too_many, &[("max", &MAX_PROPOSALS.to_string())])));
    }
    let items = app.store.draft_items(draft).await?;
    replies.extend(items.iter().map(|item| item_reply(draft, item, items.len(), lang)));
    replies.push(closing_reply(draft, lang));
    Ok(Some(replies))
}

/// A value an admin typed after pressing "edit": `None` when no draft waits for one.
pub async fn typed_value(app: &App, incoming: &Incoming, text: &str, lang: Lang) -> anyhow::Result<Option<Vec<Reply>>> {
    let w = words(lang);
    let Some(draft) = app.store.open_draft(incoming.chat_id).await? else { return Ok(None) };
    let Some(awaiting) = app.store.awaiting(draft).await? else { return Ok(None) };
    let idx = match awaiting {
        Awaiting::Due(idx) => {
            let Some(due) = parse_due_token(text) else {
                return Ok(Some(html(fill(w.bad_due, &[("due", &escape(text.trim()))]))));
            };
            app.store.edit_draft_due(draft, idx, due, text.trim()).await?;
            idx
        }
        Awaiting::Owner(idx) => {
            app.store.edit_draft_owner(draft, idx, text.trim()).await?;
            idx
        }
    };
    app.store.set_awaiting(draft, None).await?;
    let items = app.store.draft_items(draft).await?;
    let Some(item) = items.iter().find(|i| i.idx == idx) else { return Ok(Some(Vec::new())) };
    Ok(Some(vec![item_reply(draft, item, items.len(), lang), closing_reply(draft, lang)]))
}

/// What pressing a button does: a short notice, maybe a new text for the pressed message, and
/// maybe messages to send.
#[derive(Debug, Clone, Default)]
pub struct ButtonOutcome {
    pub notice: String,
    pub edit: Option<Reply>,
    pub replies: Vec<Reply>,
}

/// Handles `imp:<draft>:<idx>:<action>` and `imp:<draft>:save|cancel`.
pub async fn on_button(
    app: &App,
    chat_id: i64,
    user_id: Option<u64>,
    data: &str,
    lang: Lang,
) -> anyhow::Result<ButtonOutcome> {
    let w = words(lang);
    let parts: Vec<&str> = data.split(':').collect();
    let Some(draft) = parts.get(1).and_then(|d| d.parse::<i64>().ok()) else { return Ok(ButtonOutcome::default()) };
    if parts.first() != Some(&"imp") || !app.store.draft_is_open(draft, chat_id).await? {
        return Ok(ButtonOutcome { notice: w.closed.to_owned(), ..Default::default() });
    }
    match parts.as_slice() {
        [_, _, "save"] => {
            let items = app.store.draft_items(draft).await?;
            let actor = Actor { user_id: user_id.and_then(|u| i64::try_from(u).ok()), at: app.clock.now() };
            let (mut added, mut known) = (0, 0);
            for item in items.iter().filter(|i| i.keep) {
                let task = NewTask::imported(&item.proposal);
                match app.store.add_task(&task, actor, EventKind::Imported).await? {
                    Some(_) => added += 1,
                    None => known += 1,
                }
            }
            app.store.close_draft(draft, true).await?;
            app.reload().await?;
            app.wake.notify_one();
            let text = fill(w.saved, &[("added", &added.to_string()), ("known", &known.to_string())]);
            Ok(ButtonOutcome { notice: text.clone(), edit: Some(Reply::Html(text)), replies: Vec::new() })
        }
        [_, _, "cancel"] => {
            app.store.close_draft(draft, false).await?;
            Ok(ButtonOutcome {
                notice: w.cancelled.to_owned(),
                edit: Some(Reply::Html(w.cancelled.to_owned())),
                replies: Vec::new(),
            })
        }
        [_, _, idx, action] => {
            let Ok(idx) = idx.parse::<i64>() else { return Ok(ButtonOutcome::default()) };
            match *action {
                "keep" | "drop" => {
                    app.store.set_draft_keep(draft, idx, *action == "keep").await?;
                    let items = app.store.draft_items(draft).await?;
                    let edit = items.iter().find(|i| i.idx == idx).map(|i| item_reply(draft, i, items.len(), lang));
                    let notice = if *action == "keep" { w.kept } else { w.dropped };
                    Ok(ButtonOutcome { notice: notice.to_owned(), edit, replies: Vec::new() })
                }
                "due" | "owner" => {
                    let (awaiting, ask) = if *action == "due" {
                        (Awaiting::Due(idx), w.ask_due)
                    } else {
                        (Awaiting::Owner(idx), w.ask_owner)
                    };
                    app.store.set_awaiting(draft, Some(awaiting)).await?;
                    let ask = fill(ask, &[("i", &idx.to_string())]);
                    Ok(ButtonOutcome { notice: ask.clone(), edit: None, replies: html(ask) })
                }
                _ => Ok(ButtonOutcome::default()),
            }
        }
        _ => Ok(ButtonOutcome::default()),
    }
}
