//! Check-ins by the clock: the weekly prompt, and closing those whose optional note never
//! came. Recording an answer lives here too, as the bot records one the same way when the
//! person finishes.

use crate::app::App;
use crate::domain::checkin::{CheckinAnswer, urgent_reasons};
use crate::domain::person::Person;
use crate::domain::reminder::Wording;
use crate::store::{NewOutboxMessage, UpdateKey};
use crate::views::checkins::{mood_buttons, urgent_text};
use crate::views::keyboards;

/// The weekly prompt as an outbox message (the scheduler queues it with the check-in row).
pub fn prompt(app: &App, telegram_id: i64, person_id: i64, checkin_id: i64) -> NewOutboxMessage {
    let now = app.clock.now();
    NewOutboxMessage {
        reply_markup: keyboards::as_json(&mood_buttons(&app.tr, checkin_id)),
        person_id: Some(person_id),
        // Withdrawn if the check-in closed before the prompt could leave.
        worded: Some(Wording::Checkin { checkin_id }),
        quiet_hours: true,
        lane: crate::store::outbox::Lane::Bulk,
        ..NewOutboxMessage::text(
            telegram_id,
            "reminder_checkin",
            Some(format!("checkin-prompt:{checkin_id}")),
            app.tr.msg("checkin-ask-mood"),
            now,
        )
    }
}

/// A note for the caseworker: text, or a voice message forwarded as is.
pub struct Note<'a> {
    pub text: Option<&'a str>,
    pub voice_file_id: Option<&'a str>,
    pub message_id: i32,
}

/// A check-in whose faces were answered but whose optional note never came, when its time is
/// up: it counts as answered (without a note), and what was worrying still reaches the
/// caseworker. Returns how many were closed so.
pub async fn close_answered(app: &App) -> anyhow::Result<u64> {
    let open_for = chrono::Duration::hours(app.config.programme.checkin.open_hours);
    let mut closed = 0;
    for (checkin_id, entrepreneur_id) in app.store.answered_but_open(app.clock.now(), open_for).await? {
        let Some(person) = app.store.person(entrepreneur_id).await? else { continue };
        closed += u64::from(record_answer(app, None, &person, checkin_id, None, None, None).await?);
    }
    Ok(closed)
}

/// Records an open check-in as answered, with its note, and decides (in the same transaction)
/// the urgent message to the caseworker. False when it was no longer open or not answered.
#[allow(clippy::too_many_arguments)]
pub async fn record_answer(
    app: &App,
    update: Option<&UpdateKey>,
    person: &Person,
    checkin_id: i64,
    note: Option<&Note<'_>>,
    thanks: Option<&NewOutboxMessage>,
    conversation: Option<i64>,
) -> anyhow::Result<bool> {
    let Some(checkin) =
        app.store.checkin(checkin_id).await?.filter(|c| c.entrepreneur_id == person.id && c.status == "open")
    else {
        return Ok(false);
    };
    let Some(mood) = checkin.mood else { return Ok(false) };
    let answer = CheckinAnswer { mood, obstacles: checkin.obstacles.clone(), has_message: note.is_some() };
    let previous = app.store.previous_answer(person.id, checkin_id).await?;
    let reasons = urgent_reasons(&answer, previous.as_ref());
    let (text, voice) = (note.and_then(|n| n.text), note.and_then(|n| n.voice_file_id));
    let caseworker = app.caseworker_of(person).await?;
    let urgent = match (reasons.is_empty(), &caseworker) {
        (false, Some(caseworker)) => {
            let note_text = text.map(str::to_string);
            let message = urgent_text(&app.tr, &person.full_name, &reasons, &answer, note_text);
            let forward = note.filter(|n| n.voice_file_id.is_some()).map(|n| (person.telegram_id, n.message_id));
            Some(NewOutboxMessage {
                forward_from: forward,
                ..NewOutboxMessage::text(
                    caseworker.telegram_id,
                    "checkin_urgent",
                    Some(format!("checkin:{checkin_id}")),
                    message,
                    app.clock.now(),
                )
            })
        }
        _ => None,
    };
    let recorded = app
        .store
        .finish_checkin(update, checkin_id, text, voice, urgent.as_ref(), thanks, conversation, app.clock.now())
        .await?;
    if recorded {
        app.outbox.now();
    }
    Ok(recorded)
}
