use crate::harness::{Harness, WAIT, text_of, user};
use pelekan::fake_telegram::FakeUser;

async fn checkin_id(h: &Harness, who: &FakeUser) -> i64 {
    sqlx::query_scalar("SELECT c.id FROM checkins c JOIN people p ON p.id = c.entrepreneur_id WHERE p.telegram_id = ? ORDER BY c.id DESC LIMIT 1")
        .bind(who.id)
        .fetch_one(h.store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_weekly_checkin_is_asked_once_answered_or_missed() {
    let h = Harness::new().await;
    let maryam = user(2001, "مریم", "کریمی");
    let caseworker = h.caseworker(&maryam).await;
    let zahra = user(3001, "زهرا", "احمدی");
    let sara = user(3002, "سارا", "رضایی");
    h.entrepreneur(&zahra, &caseworker).await;
    h.entrepreneur(&sara, &caseworker).await;

    h.set_tehran("2026-11-28 09:59"); // Saturday, a minute early
    assert_eq!(h.tick().await.checkins_asked, 0);
    h.set_tehran("2026-11-28 10:00");
    assert_eq!(h.tick().await.checkins_asked, 2);
    assert_eq!(h.tick().await.checkins_asked, 0, "never asked twice");
    h.expect_msg(&zahra, "checkin-ask-mood").await;
    h.expect_msg(&sara, "checkin-ask-mood").await;

    let id = checkin_id(&h, &zahra).await;
    h.press(&zahra, &format!("ci:m:{id}:2")).await;
    h.press(&zahra, &format!("ci:o:{id}:family:1")).await;
    h.press(&zahra, &format!("ci:o:{id}:sales:1")).await;
    let message = h.press(&zahra, &format!("ci:o:{id}:sales:0")).await;
    let current = h.telegram.messages_to(zahra.id).into_iter().find(|m| m.message_id == message.message_id).unwrap();
    let ticked: Vec<String> =
        current.inline_buttons().into_iter().map(|(l, _)| l).filter(|l| l.starts_with('✅')).collect();
    assert_eq!(ticked, vec![format!("✅ {}", h.tr.msg("obstacle-family"))]);
    h.press(&zahra, &format!("ci:od:{id}")).await;
    h.say(&zahra, "مادرم بیمار است و این هفته کارگاه نرفتم");
    h.expect_msg(&zahra, "checkin-thanks").await;
    let urgent = h.expect_text(&maryam, "گزارش هفتگی زهرا احمدی نیاز به توجه دارد").await;
    for part in
        [h.tr.msg("urgent-family"), h.tr.msg("urgent-message"), h.tr.msg("mood-2"), "مادرم بیمار است".to_string()]
    {
        assert!(text_of(&urgent).contains(&part), "{part} missing from {}", text_of(&urgent));
    }
    let stored: (String, i64, String, String, bool) =
        sqlx::query_as("SELECT status, mood, obstacles, note_text, urgent FROM checkins WHERE id = ?")
            .bind(id)
            .fetch_one(h.store.pool())
            .await
            .unwrap();
    assert_eq!(stored, ("answered".into(), 2, "family".into(), "مادرم بیمار است و این هفته کارگاه نرفتم".into(), true));

    // Sara never answers: 48 hours later her check-in is recorded as missed.
    h.set_tehran("2026-11-30 09:59");
    assert_eq!(h.tick().await.checkins_missed, 0);
    h.set_tehran("2026-11-30 10:00");
    assert_eq!(h.tick().await.checkins_missed, 1);
    let sara_id = checkin_id(&h, &sara).await;
    let old = h.message_with_button(&sara, &format!("ci:m:{sara_id}:5")).await;
    let answer = h.press_on(&sara, &old, &format!("ci:m:{sara_id}:5")).await;
    assert_eq!(answer.params["text"], h.tr.msg("checkin-closed"));
    let statuses = h.store.checkin_statuses(2 + 1).await.unwrap();
    assert_eq!(statuses, vec!["missed"]);
    h.finish().await;
}

#[tokio::test]
async fn nothing_is_asked_in_quiet_hours_and_it_waits_for_the_morning() {
    let h = Harness::new().await;
    let caseworker = h.caseworker(&user(2001, "مریم", "کریمی")).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.entrepreneur(&zahra, &caseworker).await;
    h.set_tehran("2026-11-28 22:30");
    assert_eq!(h.tick().await.checkins_asked, 0);
    h.set_tehran("2026-11-29 07:59");
    assert_eq!(h.tick().await.checkins_asked, 0);
    h.set_tehran("2026-11-29 08:00");
    assert_eq!(h.tick().await.checkins_asked, 1);
    h.expect_msg(&zahra, "checkin-ask-mood").await;
    h.finish().await;
}

#[tokio::test]
async fn two_hard_weeks_running_and_a_voice_note_reach_the_caseworker() {
    let h = Harness::new().await;
    let maryam = user(2001, "مریم", "کریمی");
    let caseworker = h.caseworker(&maryam).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.entrepreneur(&zahra, &caseworker).await;

    // Week one: hard, nothing ticked, no message: kept for the digest, not sent now.
    h.set_tehran("2026-11-28 10:00");
    h.tick().await;
    let id = checkin_id(&h, &zahra).await;
    h.press(&zahra, &format!("ci:m:{id}:2")).await;
    h.press(&zahra, &format!("ci:on:{id}")).await;
    h.press(&zahra, &format!("ci:skip:{id}")).await;
    h.expect_msg(&zahra, "checkin-thanks").await;

    // Week two, from the menu this time: hard again, with a voice note.
    h.set_tehran("2026-12-03 12:00");
    h.say(&zahra, &h.tr.msg("btn-checkin"));
    h.expect_msg(&zahra, "checkin-ask-mood").await;
    let id = checkin_id(&h, &zahra).await;
    h.press(&zahra, &format!("ci:m:{id}:1")).await;
    h.press(&zahra, &format!("ci:od:{id}")).await;
    let voice = h.telegram.send_voice(&zahra);
    h.expect_msg(&zahra, "checkin-thanks").await;
    let urgent = h.expect_text(&maryam, "نیاز به توجه دارد").await;
    assert!(text_of(&urgent).contains(&h.tr.msg("urgent-hard-week-twice")), "{}", text_of(&urgent));
    let forwarded = h
        .telegram
        .wait_for(WAIT, |t| t.requests().into_iter().find(|r| r.method == "forwardMessage"))
        .await
        .expect("the voice note is forwarded");
    assert_eq!(
        (forwarded.params["chat_id"].as_i64(), forwarded.params["message_id"].as_i64()),
        (Some(maryam.id), Some(i64::from(voice)))
    );
    let urgent_flags: Vec<bool> =
        sqlx::query_scalar("SELECT urgent FROM checkins ORDER BY id").fetch_all(h.store.pool()).await.unwrap();
    assert_eq!(urgent_flags, vec![false, true]);
    let texts_to_maryam = h.texts_to(&maryam);
    assert_eq!(
        texts_to_maryam.iter().filter(|t| t.contains("نیاز به توجه")).count(),
        1,
        "week one was not sent at once"
    );
    h.finish().await;
}

/// A double tap sends the same press twice, the second on the message as it was before the
/// first was answered: nothing is toggled back, and nobody reads an error.
#[tokio::test]
async fn a_double_tap_on_any_checkin_button_is_harmless() {
    let h = Harness::new().await;
    let caseworker = h.caseworker(&user(2001, "مریم", "کریمی")).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.entrepreneur(&zahra, &caseworker).await;
    h.say(&zahra, &h.tr.msg("btn-checkin"));
    h.expect_msg(&zahra, "checkin-ask-mood").await;
    let id = checkin_id(&h, &zahra).await;
    let question = h.message_with_button(&zahra, &format!("ci:m:{id}:4")).await;
    for _ in 0..2 {
        h.press_on(&zahra, &question, &format!("ci:m:{id}:4")).await;
    }
    let obstacles = h.message_with_button(&zahra, &format!("ci:o:{id}:money:1")).await;
    for _ in 0..2 {
        h.press_on(&zahra, &obstacles, &format!("ci:o:{id}:money:1")).await;
    }
    let ticked: String = sqlx::query_scalar("SELECT obstacles FROM checkins WHERE id = ?")
        .bind(id)
        .fetch_one(h.store.pool())
        .await
        .unwrap();
    assert_eq!(ticked, "money", "ticked once, not ticked and unticked");
    for _ in 0..2 {
        h.press_on(&zahra, &obstacles, &format!("ci:od:{id}")).await;
    }
    let note = h.message_with_button(&zahra, &format!("ci:skip:{id}")).await;
    for _ in 0..2 {
        h.press_on(&zahra, &note, &format!("ci:skip:{id}")).await;
    }
    h.expect_msg(&zahra, "checkin-thanks").await;
    let status: String = sqlx::query_scalar("SELECT status FROM checkins WHERE id = ?")
        .bind(id)
        .fetch_one(h.store.pool())
        .await
        .unwrap();
    assert_eq!(status, "answered");
    assert!(
        !h.texts_to(&zahra).contains(&h.tr.msg("error-try-again")),
        "a double tap reads as an error: {:#?}",
        h.texts_to(&zahra)
    );
    h.finish().await;
}

/// The check-in question was deleted by the person, or Telegram asks to slow down on an edit:
/// the next question still comes, with no error.
#[tokio::test]
async fn a_checkin_goes_on_when_its_message_is_gone_or_an_edit_is_held_back() {
    let h = Harness::new().await;
    let caseworker = h.caseworker(&user(2001, "مریم", "کریمی")).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.entrepreneur(&zahra, &caseworker).await;
    h.say(&zahra, &h.tr.msg("btn-checkin"));
    h.expect_msg(&zahra, "checkin-ask-mood").await;
    let id = checkin_id(&h, &zahra).await;
    // Telegram answers the first edit with 429: it is tried again after the wait.
    h.telegram.inject_fault("editMessageText", pelekan::fake_telegram::Fault::TooManyRequests { retry_after: 1 });
    let question = h.press(&zahra, &format!("ci:m:{id}:3")).await;
    let obstacles = h.message_with_button(&zahra, &format!("ci:od:{id}")).await;
    assert_eq!(
        (obstacles.message_id, obstacles.text.as_str()),
        (question.message_id, h.tr.msg("checkin-ask-obstacles").as_str())
    );
    // She deletes the question, then presses its button (her phone still showed it).
    h.telegram.user_deletes(zahra.id, obstacles.message_id);
    h.press_on(&zahra, &obstacles, &format!("ci:od:{id}")).await;
    h.expect_msg(&zahra, "checkin-ask-note").await;
    h.say(&zahra, &h.tr.msg("btn-cancel"));
    h.expect_msg(&zahra, "checkin-thanks").await;
    assert!(!h.texts_to(&zahra).contains(&h.tr.msg("error-try-again")), "{:#?}", h.texts_to(&zahra));
    h.finish().await;
}
