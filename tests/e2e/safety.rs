use crate::harness::{Harness, WAIT, eventually, text_of, user};
use pelekan::store::NewOutboxMessage;

#[tokio::test]
async fn a_restart_mid_report_continues_where_the_person_was() {
    let mut h = Harness::new().await;
    let caseworker = h.caseworker(&user(2001, "مریم", "کریمی")).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.entrepreneur(&zahra, &caseworker).await;
    h.say(&zahra, &h.tr.msg("btn-sale"));
    h.expect_msg(&zahra, "sale-ask-amount").await;
    h.say(&zahra, "۳۰۰ هزار");
    h.expect_msg(&zahra, "sale-ask-item").await;

    h.restart().await;

    h.say(&zahra, "شال");
    h.expect_msg(&zahra, "sale-ask-customer").await;
    h.say(&zahra, &h.tr.msg("btn-skip-customer"));
    h.expect(&zahra, "the date question", |r| text_of(r).starts_with("چه روزی بود")).await;
    h.restart().await;
    h.say(&zahra, &h.tr.msg("btn-today"));
    h.expect_msg(&zahra, "sale-ask-photo").await;
    h.say(&zahra, &h.tr.msg("btn-skip-photo"));
    h.expect(&zahra, "the summary", |r| text_of(r).contains("۳۰۰٬۰۰۰ تومان")).await;
    h.restart().await;
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "فروش شما ثبت شد").await;
    assert_eq!(h.sale_rows().await, 1);
    h.finish().await;
}

#[tokio::test]
async fn redelivered_updates_and_double_presses_store_one_row() {
    let h = Harness::new().await;
    let caseworker = h.caseworker(&user(2001, "مریم", "کریمی")).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.entrepreneur(&zahra, &caseworker).await;

    // A text message delivered twice is handled once.
    h.say(&zahra, &h.tr.msg("btn-sale"));
    h.expect_msg(&zahra, "sale-ask-amount").await;
    h.say(&zahra, "۲۰۰ هزار");
    h.expect_msg(&zahra, "sale-ask-item").await;
    assert!(h.telegram.wait_for(crate::harness::WAIT, |t| t.all_updates_taken().then_some(())).await.is_some());
    h.telegram.redeliver_last();
    h.say(&zahra, "شال");
    h.expect_msg(&zahra, "sale-ask-customer").await;
    let item_questions = h.texts_to(&zahra).iter().filter(|t| **t == h.tr.msg("sale-ask-item")).count();
    assert_eq!(item_questions, 1, "the re-delivered amount was not taken as a second answer");
    // Where the conversation goes is stored right after the question is sent.
    let state = || async {
        sqlx::query_scalar::<_, String>("SELECT state FROM dialogues WHERE chat_id = ?")
            .bind(zahra.id)
            .fetch_one(h.store.pool())
            .await
            .unwrap()
    };
    eventually("the item is stored", || async { state().await.contains("شال") }).await;
    let state = state().await;
    assert!(state.contains("200000") && state.contains("شال"), "{state}");

    h.say(&zahra, &h.tr.msg("btn-skip-customer"));
    h.expect(&zahra, "the date question", |r| text_of(r).starts_with("چه روزی بود")).await;
    h.say(&zahra, &h.tr.msg("btn-today"));
    h.expect_msg(&zahra, "sale-ask-photo").await;
    h.say(&zahra, &h.tr.msg("btn-skip-photo"));
    let summary = h.message_with_button(&zahra, "sale:ok").await;
    h.press_on(&zahra, &summary, "sale:ok").await;
    h.expect_text(&zahra, "فروش شما ثبت شد").await;

    // The same press delivered again, and a second press of the same button.
    assert!(h.telegram.wait_for(crate::harness::WAIT, |t| t.all_updates_taken().then_some(())).await.is_some());
    h.telegram.redeliver_last();
    let again = h.press_on(&zahra, &summary, "sale:ok").await;
    assert_eq!(again.params["text"], h.tr.msg("sale-already-saved"));
    assert_eq!(h.sale_rows().await, 1);
    let confirmations = h.texts_to(&zahra).iter().filter(|t| t.contains("فروش شما ثبت شد")).count();
    assert_eq!(confirmations, 1);
    h.finish().await;
}

#[tokio::test]
async fn only_entrepreneurs_report_and_buttons_are_checked_on_the_server() {
    let h = Harness::new().await;
    let maryam = user(2001, "مریم", "کریمی");
    let caseworker = h.caseworker(&maryam).await;
    let zahra = user(3001, "زهرا", "احمدی");
    let sara = user(3002, "سارا", "رضایی");
    h.entrepreneur(&zahra, &caseworker).await;
    h.entrepreneur(&sara, &caseworker).await;
    let stranger = user(9001, "ناشناس", "کسی");

    h.say(&maryam, "/sale");
    h.expect_msg(&maryam, "sale-only-entrepreneurs").await;
    h.say(&maryam, "فروش ۱۰۰ هزار نان");
    h.expect_msg(&maryam, "sale-only-entrepreneurs").await;
    h.say(&stranger, "/sale");
    h.expect_msg(&stranger, "stranger-hello").await;
    h.say(&stranger, &h.tr.msg("btn-sale"));
    h.expect_msg(&stranger, "stranger-hello").await;

    // Zahra's summary is pending; others press its buttons with copied or forged data.
    h.say(&zahra, "فروش ۱۰۰ هزار نان");
    let summary = h.message_with_button(&zahra, "sale:ok").await;
    for (presser, data) in [
        (&sara, "sale:ok"),
        (&maryam, "sale:ok"),
        (&stranger, "sale:ok"),
        (&zahra, "sale:f:../../x"),
        (&zahra, "garbage"),
        (&zahra, ""),
    ] {
        let answer = h.press_on(presser, &summary, data).await;
        assert_eq!(answer.params["text"], h.tr.msg("button-expired"), "press by {} with {data:?}", presser.id);
    }
    assert_eq!(h.sale_rows().await, 0);
    // Sara's own conversation is untouched and Zahra can still confirm hers.
    h.press_on(&zahra, &summary, "sale:ok").await;
    h.expect_text(&zahra, "فروش شما ثبت شد").await;
    let owner: i64 = sqlx::query_scalar("SELECT p.telegram_id FROM sales s JOIN people p ON p.id = s.entrepreneur_id")
        .fetch_one(h.store.pool())
        .await
        .unwrap();
    assert_eq!(owner, zahra.id);
    h.finish().await;
}

#[tokio::test]
async fn a_caseworker_sees_only_their_own_people() {
    let h = Harness::new().await;
    let maryam = user(2001, "مریم", "کریمی");
    let leila = user(2002, "لیلا", "نوری");
    let m = h.caseworker(&maryam).await;
    let l = h.caseworker(&leila).await;
    h.entrepreneur(&user(3001, "زهرا", "احمدی"), &m).await;
    h.entrepreneur(&user(3002, "سارا", "رضایی"), &l).await;
    h.say(&maryam, &h.tr.msg("btn-my-people"));
    let list = h.expect_text(&maryam, "کارآفرینان شما").await;
    assert!(text_of(&list).contains("زهرا احمدی"));
    assert!(!text_of(&list).contains("سارا"));
    h.finish().await;
}

#[tokio::test]
async fn whoever_writes_is_seen_and_reachable_again() {
    let h = Harness::new().await;
    let caseworker = h.caseworker(&user(2001, "مریم", "کریمی")).await;
    let zahra = user(3001, "زهرا", "احمدی");
    let person = h.entrepreneur(&zahra, &caseworker).await;
    h.store.mark_unreachable(person.id, h.clock.now()).await.unwrap();
    h.set_tehran("2026-11-25 09:30");
    h.say(&zahra, &h.tr.msg("btn-sale"));
    h.expect_msg(&zahra, "sale-ask-amount").await;
    eventually("she is seen", || async { h.store.presence(person.id).await.unwrap().0 == Some(h.clock.now()) }).await;
    let (seen, unreachable) = h.store.presence(person.id).await.unwrap();
    assert_eq!(seen, Some(h.clock.now()), "seen when she wrote");
    assert_eq!(unreachable, None, "a person who writes can be reached again");
    h.finish().await;
}

/// Seen updates are forgotten once they are too old for Telegram to deliver again, with the
/// daily scan (not only when the bot starts): the table does not grow for the months a bot runs.
#[tokio::test]
async fn seen_updates_are_forgotten_daily() {
    let h = Harness::new().await;
    let caseworker = h.caseworker(&user(2001, "مریم", "کریمی")).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.entrepreneur(&zahra, &caseworker).await;
    h.set_tehran("2026-11-20 08:00");
    h.say(&zahra, &h.tr.msg("btn-help"));
    h.expect_text(&zahra, "راهنما").await;
    let seen = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM seen_updates").fetch_one(h.store.pool()).await.unwrap()
    };
    // The help text stored nothing: its update is recorded right after it is answered.
    eventually("the update is recorded", || async { seen().await == 1 }).await;
    h.set_tehran("2026-11-28 09:30");
    let report = h.tick().await;
    assert!(report.scan.is_some(), "the daily scan ran");
    assert_eq!((report.seen_forgotten, seen().await), (1, 0));
    h.finish().await;
}

/// Under Telegram's real flood limits (one message a second to a chat, 30 a second in all,
/// enforced by the fake with 429s), a sale and a check-in go through without one 429: every
/// send waits its turn (`src/telegram/pace.rs`). The other tests run unthrottled for speed.
#[tokio::test]
async fn under_the_real_flood_limits_a_conversation_meets_no_429() {
    let mut h = Harness::without_bot().await;
    h.config.send_limits = pelekan::config::TELEGRAM_LIMITS;
    // The bot keeps a second between messages to a chat; the fake allows for 50 ms of delay
    // between a send leaving and being handled (this machine runs many tests at once), as the
    // network does for real Telegram.
    h.telegram.enforce_limits(30, std::time::Duration::from_millis(950));
    h.start_bot().await;
    let caseworker = h.caseworker(&user(2001, "مریم", "کریمی")).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.entrepreneur(&zahra, &caseworker).await;
    h.say(&zahra, "فروش ۲۵۰ هزار روسری");
    h.expect(&zahra, "the summary", |r| crate::harness::text_of(r).contains("۲۵۰٬۰۰۰ تومان")).await;
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "فروش شما ثبت شد").await;
    h.say(&zahra, &h.tr.msg("btn-checkin"));
    h.expect_msg(&zahra, "checkin-ask-mood").await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM checkins").fetch_one(h.store.pool()).await.unwrap();
    h.press(&zahra, &format!("ci:m:{id}:4")).await;
    h.press(&zahra, &format!("ci:on:{id}")).await;
    h.press(&zahra, &format!("ci:skip:{id}")).await;
    h.expect_msg(&zahra, "checkin-thanks").await;
    assert_eq!(h.telegram.refused_by_limits(), 0, "a send went beyond Telegram's limits");
    assert_eq!(h.sale_rows().await, 1);
    h.finish().await;
}

/// Someone outside the programme sending «/start» two hundred times is answered within their
/// chat's inbound limit (the rest is dropped before it is stored or queued), and a member
/// writing meanwhile is answered as usual.
#[tokio::test]
async fn a_flood_from_one_chat_is_cut_at_its_inbound_limit_and_holds_nobody_up() {
    let mut h = Harness::without_bot().await;
    h.config.inbound_limit = pelekan::telegram::inbound::InboundLimit::DEFAULT;
    h.start_bot().await;
    let caseworker = h.caseworker(&user(2001, "مریم", "کریمی")).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.entrepreneur(&zahra, &caseworker).await;
    let stranger = user(9999, "غریبه", "کسی");
    let started = std::time::Instant::now();
    for _ in 0..200 {
        h.say(&stranger, "/start");
    }
    h.say(&zahra, &h.tr.msg("btn-sale"));
    h.expect_msg(&zahra, "sale-ask-amount").await;
    assert!(h.telegram.wait_for(crate::harness::WAIT, |t| t.all_updates_taken().then_some(())).await.is_some());
    let taken = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM inbox WHERE chat_id = ?")
            .bind(stranger.id)
            .fetch_one(h.store.pool())
            .await
            .unwrap()
    };
    // The burst, and what refilled while the test ran.
    let limit = pelekan::telegram::inbound::InboundLimit::DEFAULT;
    let refilled = started.elapsed().as_secs_f64() * limit.per_second;
    let taken = taken().await;
    let burst = limit.burst as i64;
    assert!(taken >= burst && taken <= burst + refilled.ceil() as i64, "{taken} taken");
    eventually("the stranger's taken messages are answered", || async {
        h.telegram.messages_to(stranger.id).len() >= burst as usize
    })
    .await;
    assert!(h.telegram.messages_to(stranger.id).len() < 200, "the rest was dropped");
    h.finish().await;
}

/// A crowd of strangers (100, each writing twice at once) is answered within the strangers'
/// allowance: each at most once, and all together no more than the allowance's burst and what
/// refilled meanwhile, so that their answers cannot use up the sends members' replies share.
/// A member's answer comes all the same.
#[tokio::test]
async fn a_crowd_of_strangers_is_answered_within_their_allowance() {
    let mut h = Harness::without_bot().await;
    let limit = pelekan::telegram::inbound::StrangerLimit::DEFAULT;
    h.config.stranger_limit = limit;
    h.start_bot().await;
    let caseworker = h.caseworker(&user(2001, "مریم", "کریمی")).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.entrepreneur(&zahra, &caseworker).await;
    let strangers: Vec<_> = (0..100).map(|i| user(20_000 + i, "غریبه", &format!("شماره{i}"))).collect();
    let started = std::time::Instant::now();
    for stranger in &strangers {
        h.say(stranger, "/start");
        h.say(stranger, "سلام");
    }
    h.say(&zahra, &h.tr.msg("btn-sale"));
    h.expect_msg(&zahra, "sale-ask-amount").await;
    eventually("every stranger's message is handled", || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM seen_updates WHERE chat_id BETWEEN 20000 AND 20099")
            .fetch_one(h.store.pool())
            .await
            .unwrap()
            == 200
    })
    .await;
    let refilled = (started.elapsed().as_secs_f64() * limit.per_second).ceil() as usize;
    let answers: Vec<usize> = strangers.iter().map(|s| h.telegram.messages_to(s.id).len()).collect();
    assert!(answers.iter().all(|n| *n <= 1), "a stranger answered twice: {answers:?}");
    let answered: usize = answers.iter().sum();
    let burst = limit.burst as usize;
    assert!(answered >= burst && answered <= burst + refilled, "{answered} strangers answered");
    h.finish().await;
}

/// A reply overtakes a bulk drain under the real limits: 300 bulk messages are queued (13 s of
/// bulk at its share of 29 a second) and a person reports a sale meanwhile; every answer comes
/// long before the bulk is done, bulk never takes more than its share, and no send meets a 429.
#[tokio::test]
async fn under_the_real_limits_a_reply_overtakes_a_bulk_drain() {
    let mut h = Harness::without_bot().await;
    h.config.send_limits = pelekan::config::TELEGRAM_LIMITS;
    // As above: the fake allows for 50 ms between a send leaving and being handled.
    h.telegram.enforce_limits(30, std::time::Duration::from_millis(950));
    let caseworker = h.caseworker(&user(2001, "مریم", "کریمی")).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.entrepreneur(&zahra, &caseworker).await;
    let now = h.clock.now();
    let chats: Vec<i64> = (0..300).map(|i| 6_000_000 + i).collect();
    let bulk: Vec<NewOutboxMessage> = chats
        .iter()
        .map(|chat| NewOutboxMessage {
            lane: pelekan::store::outbox::Lane::Bulk,
            ..NewOutboxMessage::text(*chat, "bulk_test", None, format!("پیام همگانی {chat}"), now)
        })
        .collect();
    h.store.enqueue_all(&bulk, now).await.unwrap();
    for chat in &chats {
        h.telegram.user_started(*chat);
    }
    h.start_bot().await;
    let bulk_sent = |t: &pelekan::fake_telegram::FakeTelegram| chats.iter().filter(|c| t.sent_count(**c) > 0).count();
    h.telegram.wait_for(WAIT, |t| (bulk_sent(t) > 0).then_some(())).await.expect("the drain begins");

    h.say(&zahra, "فروش ۲۵۰ هزار روسری");
    h.expect(&zahra, "the summary", |r| crate::harness::text_of(r).contains("۲۵۰٬۰۰۰ تومان")).await;
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "فروش شما ثبت شد").await;
    let by_then = bulk_sent(&h.telegram);
    assert!(by_then < 200, "the reply came after {by_then} of 300 bulk messages");

    h.outbox_drained(WAIT * 2).await;
    let mut at: Vec<std::time::Instant> =
        chats.iter().flat_map(|c| h.telegram.messages_to(*c)).map(|m| m.sent_at).collect();
    at.sort();
    assert_eq!(at.len(), 300, "each bulk message once");
    let share = f64::from(pelekan::config::TELEGRAM_LIMITS.per_second) * pelekan::config::TELEGRAM_LIMITS.bulk_share;
    let rate = (at.len() - 1) as f64 / (at[at.len() - 1] - at[0]).as_secs_f64();
    assert!(rate <= share * 1.03, "bulk went at {rate:.1} a second, its share is {share:.1}");
    let busiest = (0..at.len())
        .map(|i| at[i..].iter().take_while(|t| t.duration_since(at[i]) < std::time::Duration::from_secs(1)).count())
        .max()
        .unwrap_or(0);
    assert!(busiest as f64 <= share + 3.0, "{busiest} bulk messages in one second");
    assert_eq!(h.telegram.refused_by_limits(), 0, "a send went beyond Telegram's limits");
    h.finish().await;
}
