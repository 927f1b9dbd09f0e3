//! Use cases of the import review: a text becomes a draft of proposals; the reviewer keeps, drops
//! or edits them; saving stores the kept ones. Nothing is stored as a task before "save".

use super::{App, Result, Saved};
use crate::domain::due::parse_due_token;
use crate::domain::extract::publication_date;
use crate::domain::extract::{due_in_range, proposals_in};
use crate::domain::review::{DraftItem, Published, ReviewAction, ReviewButton};
use crate::domain::text::{clean, clean_lines};

/// The most proposals one review shows; a longer directive should be imported from the CLI.
pub const MAX_PROPOSALS: usize = 25;

/// The longest owner a reviewer may type: the longest ministry's name is under 100 characters.
pub const MAX_OWNER_CHARS: usize = 200;

/// A review begun: the draft, how "this year" was read, how many tasks the text holds, and the
/// proposals shown.
#[derive(Debug, Clone)]
pub struct ReviewStarted {
    pub draft: i64,
    pub published: Published,
    pub found: usize,
    pub shown: usize,
    pub items: Vec<DraftItem>,
}

/// What a value typed during a review did.
#[derive(Debug, Clone)]
pub enum Typed {
    /// It was meant as a due date and is not one (or is outside the years accepted).
    BadDue(String),
    /// It was meant as an owner and is longer than [`MAX_OWNER_CHARS`]; nothing changed.
    OwnerTooLong { max: usize },
    /// The proposal now reads so.
    Edited { draft: i64, item: Option<DraftItem>, count: usize },
}

/// What pressing a review button did.
#[derive(Debug, Clone)]
pub enum Pressed {
    /// The draft is saved, cancelled, or someone else's.
    Closed,
    /// The button names a proposal the draft does not hold (forged, or from an older review).
    Stale,
    Saved(Saved),
    /// The database refused the save (the error's text): nothing was stored, the draft is open.
    SaveFailed(String),
    Cancelled,
    /// A proposal kept or dropped; it now reads so.
    Marked {
        keep: bool,
        item: Option<DraftItem>,
        count: usize,
    },
    /// The draft now waits for the reviewer to type a due date or an owner.
    Asked(ReviewAction),
}

impl App {
    /// Finds the dated tasks in `text` and opens a draft of them for `chat_id`; `None` when the
    /// text holds none.
    pub async fn start_review(&self, chat_id: i64, user_id: Option<u64>, text: &str) -> Result<Option<ReviewStarted>> {
        let today = self.today();
        let text = &clean_lines(text);
        let published = match publication_date(text) {
            Some(date) => Published::InText(date),
            None => Published::Assumed(today),
        };
        // Reading a long text takes a while (about a second a megabyte): off the runtime's threads,
        // so that other chats are answered meanwhile.
        let (owned, date) = (text.clone(), published.date());
        let proposals = tokio::task::spawn_blocking(move || proposals_in(&owned, date)).await?;
        if proposals.is_empty() {
            return Ok(None);
        }
        let shown = &proposals[..proposals.len().min(MAX_PROPOSALS)];
        let user = user_id.and_then(|u| i64::try_from(u).ok());
        let draft = self.store.create_draft(chat_id, user, published.date(), shown, self.clock.now()).await?;
        let items = self.store.draft_items(draft).await?;
        Ok(Some(ReviewStarted { draft, published, found: proposals.len(), shown: shown.len(), items }))
    }

    /// A value the reviewer typed after pressing "edit"; `None` when no draft of this chat waits
    /// for one.
    pub async fn review_typed(&self, chat_id: i64, text: &str) -> Result<Option<Typed>> {
        let Some(draft) = self.store.open_draft(chat_id).await? else { return Ok(None) };
        let Some(awaiting) = self.store.awaiting(draft).await? else { return Ok(None) };
        let text = clean(text);
        let idx = match awaiting {
            ReviewAction::EditDue(idx) => {
                let Some(due) = parse_due_token(&text).filter(|due| due_in_range(due.date)) else {
                    return Ok(Some(Typed::BadDue(text)));
                };
                self.store.edit_draft_due(draft, idx, due, &text).await?;
                idx
            }
            ReviewAction::EditOwner(_) if text.chars().count() > MAX_OWNER_CHARS => {
                // Still awaited: the reviewer types a shorter one.
                return Ok(Some(Typed::OwnerTooLong { max: MAX_OWNER_CHARS }));
            }
            ReviewAction::EditOwner(idx) => {
                self.store.edit_draft_owner(draft, idx, &text).await?;
                idx
            }
            // Only the two edits are ever stored as awaited.
            _ => return Ok(None),
        };
        self.store.set_awaiting(draft, None).await?;
        let items = self.store.draft_items(draft).await?;
        let count = items.len();
        let item = items.into_iter().find(|i| i.idx == idx);
        Ok(Some(Typed::Edited { draft, item, count }))
    }

    /// A review button pressed in `chat_id`.
    pub async fn review_press(&self, chat_id: i64, user_id: Option<u64>, button: ReviewButton) -> Result<Pressed> {
        let draft = button.draft;
        if !self.store.draft_is_open(draft, chat_id).await? {
            return Ok(Pressed::Closed);
        }
        if let ReviewAction::Keep(idx)
        | ReviewAction::Drop(idx)
        | ReviewAction::EditDue(idx)
        | ReviewAction::EditOwner(idx) = button.action
            && !self.store.draft_items(draft).await?.iter().any(|item| item.idx == idx)
        {
            return Ok(Pressed::Stale);
        }
        match button.action {
            ReviewAction::Save => {
                let items = self.store.draft_items(draft).await?;
                let kept: Vec<_> = items.into_iter().filter(|i| i.keep).map(|i| i.proposal).collect();
                let origin = self.store.draft_origin(draft).await?;
                match self.store_proposals(&kept, user_id, Some(draft), origin.as_ref()).await {
                    Ok(saved) => Ok(Pressed::Saved(saved)),
                    Err(error) => {
                        // Nothing was stored and the draft is open as it was: the reviewer is told
                        // why and may press Save again.
                        tracing::warn!(draft, %error, "saving a reviewed draft failed; nothing stored");
                        Ok(Pressed::SaveFailed(error.to_string()))
                    }
                }
            }
            ReviewAction::Cancel => {
                self.store.close_draft(draft, false).await?;
                Ok(Pressed::Cancelled)
            }
            ReviewAction::Keep(idx) | ReviewAction::Drop(idx) => {
                let keep = matches!(button.action, ReviewAction::Keep(_));
                self.store.set_draft_keep(draft, idx, keep).await?;
                let items = self.store.draft_items(draft).await?;
                let count = items.len();
                Ok(Pressed::Marked { keep, item: items.into_iter().find(|i| i.idx == idx), count })
            }
            action @ (ReviewAction::EditDue(_) | ReviewAction::EditOwner(_)) => {
                self.store.set_awaiting(draft, Some(action)).await?;
                Ok(Pressed::Asked(action))
            }
        }
    }
}
