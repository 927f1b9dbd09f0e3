//! A plan of monthly, quarterly, half-yearly and yearly tasks is stored whole, by `import --yes`
//! and by the review's Save; a Save the database refuses stores nothing, is answered and says
//! why, and the draft stays open to be saved again.

use std::time::Duration;

use crate::support;

use support::db::execute;
use support::fake_bot_api::Sent;
use support::{QUIET, TestBot, WAIT, admins_config, hanchot, stdout};

const ADMIN: i64 = 4242;
const AT: &str = "2026-01-12";

/// A plan with one task of each recurrence (written for this test).
const PLAN: &str = "KẾ HOẠCH CHUYỂN ĐỔI SỐ NĂM 2026\n\
Hà Nội, ngày 10 tháng 01 năm 2026\n\
1. Sở Thông tin và Truyền thông tổng hợp tình hình chuyển đổi số, báo cáo Ủy ban nhân dân tỉnh hằng tháng.\n\
2. Văn phòng Ủy ban nhân dân tỉnh báo cáo tiến độ cung cấp dịch vụ công trực tuyến hằng quý.\n\
3. Sở Kế hoạch và Đầu tư đánh giá kết quả thực hiện kế hoạch định kỳ 6 tháng.\n\
4. Công an tỉnh báo cáo kết quả làm sạch dữ liệu dân cư hằng năm.\n";

const EVERY: [&str; 4] = ["monthly", "quarterly", "half-yearly", "yearly"];

#[test]
fn import_yes_stores_every_recurrence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.txt"), PLAN).unwrap();
    let output = hanchot(dir.path(), &["import", "plan.txt", "--yes", "--at", AT]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("stored 4 new tasks"));
    let listed: serde_json::Value =
        serde_json::from_str(&stdout(&hanchot(dir.path(), &["deadlines", "--json", "--all", "--at", AT]))).unwrap();
    let stored: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["key"].is_null())
        .filter_map(|t| t["recurrence"].as_str())
        .collect();
    for recurrence in EVERY {
        assert!(stored.contains(&recurrence), "{recurrence} not stored: {stored:?}");
    }
}

fn press(reply: &Sent, label: &str) -> String {
    reply.buttons.iter().find(|(l, _)| l.contains(label)).map(|(_, d)| d.clone()).expect(label)
}

fn imported(bot: &TestBot) -> Vec<Option<String>> {
    bot.app.catalog().tasks.iter().filter(|t| t.key.is_none()).map(|t| t.recurrence.map(|r| r.to_string())).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_save_stores_nothing_is_answered_and_a_second_save_stores_all() {
    let bot = TestBot::start_with(admins_config(&[ADMIN]), AT).await;
    bot.api.push_document(ADMIN, ADMIN, "ke-hoach.txt", PLAN.as_bytes());
    // The header, four proposals and the closing message.
    bot.api.wait_for_sent(6, WAIT).await;
    let replies = bot.api.settle(QUIET).await;
    let closing = replies.last().unwrap().clone();

    // The database refuses the third task: a trigger stands for a full disk or a constraint.
    let store = &bot.app.store;
    let postgres = store.dialect() == hanchot::store::Dialect::Postgres;
    if postgres {
        execute(
            store,
            "CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                 IF NEW.title_vi LIKE '%định kỳ 6 tháng%' THEN RAISE EXCEPTION 'disk I/O error'; END IF;
                 RETURN NEW;
             END $$",
        )
        .await;
        execute(store, "CREATE TRIGGER refuse_one BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION refuse_one()")
            .await;
    } else {
        execute(
            store,
            "CREATE TRIGGER refuse_one BEFORE INSERT ON tasks WHEN NEW.title_vi LIKE '%định kỳ 6 tháng%'
             BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END",
        )
        .await;
    }
    let answers = bot.api.calls("answerCallbackQuery").len();
    let sent = bot.api.sent().len();
    bot.api.push_callback(ADMIN, ADMIN, closing.message_id, &press(&closing, "Lưu"));
    let after = bot.api.wait_for_sent(sent + 1, WAIT).await;
    let told = &after.last().unwrap().text;
    assert!(told.contains("Chưa lưu gì") && told.contains("disk I/O error"), "{told}");
    for _ in 0..100 {
        if bot.api.calls("answerCallbackQuery").len() > answers {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(bot.api.calls("answerCallbackQuery").len(), answers + 1, "the press is answered");
    assert!(imported(&bot).is_empty(), "nothing stored: {:?}", imported(&bot));

    execute(store, if postgres { "DROP TRIGGER refuse_one ON tasks" } else { "DROP TRIGGER refuse_one" }).await;
    let edits = bot.api.edits().len();
    bot.api.push_callback(ADMIN, ADMIN, closing.message_id, &press(&closing, "Lưu"));
    bot.wait_for_edits(edits + 1).await;
    let saved = bot.api.edits().last().unwrap().text.clone();
    assert!(saved.contains("Đã lưu 4"), "{saved}");
    let stored = imported(&bot);
    for recurrence in EVERY {
        assert!(stored.contains(&Some(recurrence.to_owned())), "{recurrence} not stored: {stored:?}");
    }
}
