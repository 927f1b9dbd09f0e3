//! Hostile files, written by the test (`support::hostile_pdf`): a drawing that draws itself, a
//! page that is its own parent, a small PDF that inflates to a gigabyte, 2,000 pages. Each is read
//! in its own child process (the real binary), each sender gets a message within 30 s, and the bot
//! answers another user meanwhile.

use std::time::{Duration, Instant};

use crate::support::fake_bot_api::Sent;
use crate::support::hostile_pdf::{inflates_to_a_gigabyte, page_its_own_parent, pages_of_a_line, self_drawing_form};
use crate::support::{TestBot, admins_config};

const AT: &str = "2026-12-02";
fn first_reply_to(sent: &[Sent], chat: i64) -> Option<String> {
    sent.iter().find(|s| s.chat_id == chat).map(|s| s.text.clone())
}

#[tokio::test(flavor = "multi_thread")]
async fn each_hostile_pdf_gets_a_message_within_30_s_and_others_are_answered_meanwhile() {
    let files: [(&str, Vec<u8>); 4] = [
        ("tu-ve.pdf", self_drawing_form()),
        ("cha-me.pdf", page_its_own_parent()),
        ("bom.pdf", inflates_to_a_gigabyte()),
        ("2000-trang.pdf", pages_of_a_line(2000)),
    ];
    assert!(files[2].1.len() < 2 << 20, "the bomb is small: {} bytes", files[2].1.len());
    let senders: Vec<i64> = (1..=files.len() as i64).collect();
    let bot = TestBot::start_with(admins_config(&senders), AT).await;
    let start = Instant::now();
    for (&chat, (name, bytes)) in senders.iter().zip(&files) {
        bot.api.push_document(chat, chat, name, bytes);
    }
    // Another user, while the files are read.
    let asked = Instant::now();
    bot.api.push_text(50, 50, "vi", "/deadlines");
    let sent = bot.api.wait_until(|sent| first_reply_to(sent, 50).is_some(), Duration::from_secs(30)).await;
    assert!(first_reply_to(&sent, 50).is_some(), "/deadlines got no answer");
    assert!(asked.elapsed() < Duration::from_secs(5), "/deadlines waited {:?} for the files", asked.elapsed());

    let sent = bot
        .api
        .wait_until(|sent| senders.iter().all(|&c| first_reply_to(sent, c).is_some()), Duration::from_secs(30))
        .await;
    let took = start.elapsed();
    let replies: Vec<String> = senders.iter().map(|&c| first_reply_to(&sent, c).unwrap_or_default()).collect();
    for ((name, _), reply) in files.iter().zip(&replies) {
        eprintln!("{name}: {reply}");
    }
    assert!(took < Duration::from_secs(30), "the last file's message came after {took:?}");
    // The self-drawing form is drawn once: its text is read.
    assert!(
        !replies[0].is_empty() && !replies[0].contains("Không đọc được") && !replies[0].contains("hỏng"),
        "{}",
        replies[0]
    );
    assert!(replies[1].contains("Tệp bị hỏng"), "{}", replies[1]);
    assert!(replies[2].contains("khi giải nén"), "{}", replies[2]);
    // 2,000 pages are read to the last, whose line is the one dated task.
    assert!(replies[3].contains("Tìm thấy 1 nhiệm vụ"), "{}", replies[3]);
    // And the bot still answers.
    assert!(!bot.ask(50, 50, "vi", "/help").await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_past_its_time_is_stopped_and_the_sender_told() {
    let dir = tempfile::tempdir().unwrap();
    let stalling = dir.path().join("stalling-reader");
    std::fs::write(&stalling, "#!/bin/sh\nexec sleep 600\n").unwrap();
    let mut permissions = std::fs::metadata(&stalling).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&stalling, permissions).unwrap();
    let reader = hanchot::document::Isolation::new(Some(&stalling)).with_time(Duration::from_secs(1));
    let start = Instant::now();
    let outcome = reader.read("x.pdf", &self_drawing_form()).await;
    assert_eq!(outcome, Err(hanchot::document::DocumentError::TooSlow));
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
    let reply = hanchot::render::review::unreadable_file(&outcome.unwrap_err(), hanchot::domain::lang::Lang::Vi);
    assert!(reply.contains("Không đọc kịp"), "{reply}");
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_pdfs_read_in_import_exit_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cha-me.pdf");
    std::fs::write(&file, page_its_own_parent()).unwrap();
    let output = crate::support::hanchot(dir.path(), &["import", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("page tree loops"), "{stderr}");
}

#[test]
fn pages_whose_lines_sit_at_one_height_stay_apart() {
    let text = hanchot::document::read("trang.pdf", &pages_of_a_line(3)).unwrap();
    assert!(text.contains("so 0. Trang 1: "), "{text}");
    assert!(!text.contains("0.Trang"), "{text}");
}
