//! The weekly check-in in the bot: how the week went (faces), what got in the way
//! (several may be ticked), and an optional message for the caseworker.

use teloxide::prelude::*;
use teloxide::types::MessageId;

use super::callbacks::Press;
use super::{
    App, Conversation, HandlerResult, State, clear_state, replace_message, retire_buttons, save_state, say,
    say_with_menu,
};
use crate::domain::checkin::Obstacle;
use crate::domain::person::Person;
use crate::persian::text::normalize_input;
use crate::schedule::checkins::{Note, record_answer};
use crate::store::NewOutboxMessage;
use crate::views::callback::{Callback, CheckinPress};
use crate::views::checkins::{mood_buttons, obstacle_buttons};
use crate::views::keyboards;

/// «گزارش هفتگی» from the menu: the open check-in again, or a new one for today. Its first
/// question is a reply in the outbox, stored with the check-in (or with the update's record).
pub async fn begin(app: &App, dialogue: &Conversation, person: &Person) -> HandlerResult {
    let chat = dialogue.chat_id();
    let now = app.clock.now();
    let question = |checkin_id: i64| {
        NewOutboxMessage::reply(
            chat.0,
            format!("reply:{}", dialogue.update_key().key),
            app.tr.msg("checkin-ask-mood"),
            keyboards::as_json(&mood_buttons(&app.tr, checkin_id)),
            now,
        )
    };
    let update = dialogue.update_key();
    match app.store.open_checkin_of(person.id).await? {
        Some(id) => {
            app.store.enqueue_for(update, &question(id), now).await?;
        }
        None => {
            let opened =
                app.store.open_checkin(Some(update), person.id, app.clock.today(), |id| Some(question(id)), now);
            if opened.await?.is_none() {
                say_with_menu(app, dialogue, app.tr.msg("checkin-already-done"), person.role);
            }
        }
    }
    Ok(())
}

/// A check-in's buttons, pressed by the entrepreneur whose check-in it is.
pub async fn on_button(
    app: &App,
    dialogue: &Conversation,
    state: State,
    press: &Press<'_>,
    id: i64,
    what: CheckinPress,
) -> anyhow::Result<Option<String>> {
    let (message_id, person) = (press.message_id, press.person);
    let expired = Some(app.tr.msg("button-expired"));
    let Some(checkin) = app.store.checkin(id).await?.filter(|c| c.entrepreneur_id == person.id) else {
        return Ok(expired);
    };
    let message = MessageId(message_id);
    if checkin.status != "open" {
        retire_buttons(dialogue, message);
        return Ok(Some(app.tr.msg("checkin-closed")));
    }
    // The next question in the pressed message, committed with the answer.
    let obstacles_question = |ticked: &[Obstacle]| {
        replace_message(
            dialogue,
            message,
            app.tr.msg("checkin-ask-obstacles"),
            Some(obstacle_buttons(&app.tr, id, ticked)),
        );
    };
    let answered = checkin.mood.is_some();
    match what {
        CheckinPress::Mood(mood) => {
            obstacles_question(&checkin.obstacles);
            app.store.set_checkin_mood(Some(press.update), id, mood, app.clock.now()).await?;
        }
        CheckinPress::Obstacle { obstacle, tick } if answered => {
            // Buttons sent before they named their state toggle, as they did then.
            let tick = tick.unwrap_or(!checkin.obstacles.contains(&obstacle));
            let mut ticked = checkin.obstacles.clone();
            ticked.retain(|o| *o != obstacle);
            if tick {
                ticked.push(obstacle);
            }
            obstacles_question(&ticked);
            app.store.set_checkin_obstacles(Some(press.update), id, &ticked, app.clock.now()).await?;
        }
        CheckinPress::NoObstacles | CheckinPress::ObstaclesDone if answered => {
            if what == CheckinPress::NoObstacles {
                app.store.set_checkin_obstacles(Some(press.update), id, &[], app.clock.now()).await?;
            }
            match state {
                State::Idle | State::CheckinNote { .. } => {
                    let skip = keyboards::inline(vec![vec![(
                        app.tr.msg("btn-no-message"),
                        Callback::Checkin { checkin: id, press: CheckinPress::NoNote },
                    )]]);
                    replace_message(dialogue, message, app.tr.msg("checkin-ask-note"), Some(skip));
                    save_state(dialogue, State::CheckinNote { checkin_id: id }).await?;
                }
                // In the middle of something else (a sale report), the next message belongs to
                // that: no note is asked for, the check-in is done, and the pending question
                // comes again.
                busy => {
                    retire_buttons(dialogue, message);
                    finish(app, dialogue, person, id, None, Ending::InTheMiddle).await?;
                    super::commands::ask_again(app, dialogue, busy, press.from, Some(person.id)).await?;
                }
            }
        }
        CheckinPress::NoNote if answered => {
            retire_buttons(dialogue, message);
            let ending = if matches!(state, State::CheckinNote { .. }) { Ending::NoteQuestion } else { Ending::AtRest };
            finish(app, dialogue, person, id, None, ending).await?;
        }
        CheckinPress::Obstacle { .. }
        | CheckinPress::NoObstacles
        | CheckinPress::ObstaclesDone
        | CheckinPress::NoNote => {
            return Ok(expired);
        }
    }
    Ok(None)
}

/// The message typed (or spoken) after «anything to tell your caseworker?».
pub async fn on_note(app: &App, dialogue: &Conversation, checkin_id: i64, msg: &Message) -> HandlerResult {
    let Some(user) = msg.from.as_ref() else { return Ok(()) };
    let Some(person) = app.sender(user).await? else { return clear_state(dialogue).await };
    let note = match (msg.text(), msg.voice()) {
        (Some(text), _) if text.trim() == app.tr.msg("btn-cancel") => {
            return skip_note(app, dialogue, &person, checkin_id).await;
        }
        // A button of the menu under the question is not a note: it ends the check-in without
        // one and does what it says.
        (Some(text), _) if keyboards::is_menu_button(&app.tr, person.role, &normalize_input(text)) => {
            // The thanks come before what the button asks.
            finish(app, dialogue, &person, checkin_id, None, Ending::NoteQuestionThenMore).await?;
            return super::menu::handle(app, dialogue, msg).await;
        }
        (Some(text), _) => Note { text: Some(text), voice_file_id: None, message_id: msg.id.0 },
        (None, Some(voice)) => Note { text: None, voice_file_id: Some(&voice.file.id.0), message_id: msg.id.0 },
        _ => {
            say(dialogue, app.tr.msg("checkin-note-expected"), None);
            return Ok(());
        }
    };
    finish(app, dialogue, &person, checkin_id, Some(note), Ending::NoteQuestion).await
}

/// Finishes the check-in without a note (/cancel or «انصراف» at the note question).
pub async fn skip_note(app: &App, dialogue: &Conversation, person: &Person, checkin_id: i64) -> HandlerResult {
    finish(app, dialogue, person, checkin_id, None, Ending::NoteQuestion).await
}

/// Where the person is when a check-in is finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// At the note question: that conversation ends with the check-in.
    NoteQuestion,
    /// At the note question, with a main-menu button whose answer comes next: the conversation
    /// ends with the check-in, and the thanks are said at once, before that answer.
    NoteQuestionThenMore,
    /// With no conversation under way.
    AtRest,
    /// In the middle of something else (a report), whose question comes again next.
    InTheMiddle,
}

/// Stores the answered check-in and thanks the person: one unit of work, the answer, its
/// urgent message to the caseworker, the thanks (with the main menu when nothing else is said
/// after them) and the end of the note conversation. In the middle of a report the thanks come
/// before its question again.
async fn finish(
    app: &App,
    dialogue: &Conversation,
    person: &Person,
    checkin_id: i64,
    note: Option<Note<'_>>,
    ending: Ending,
) -> HandlerResult {
    let chat = dialogue.chat_id();
    // With the menu when nothing else is said after them.
    let menu = matches!(ending, Ending::NoteQuestion | Ending::AtRest);
    let thanks = NewOutboxMessage::reply(
        chat.0,
        format!("reply:checkin:{checkin_id}"),
        app.tr.msg("checkin-thanks"),
        menu.then(|| keyboards::as_json(&keyboards::main_menu(&app.tr, person.role))).flatten(),
        app.clock.now(),
    );
    let conversation = matches!(ending, Ending::NoteQuestion | Ending::NoteQuestionThenMore).then_some(chat.0);
    let recorded =
        record_answer(app, Some(dialogue.update_key()), person, checkin_id, note.as_ref(), Some(&thanks), conversation)
            .await?;
    if !recorded {
        // Nothing was stored: the note conversation ends here, and the person is told why.
        if conversation.is_some() {
            clear_state(dialogue).await?;
        }
        let markup = menu.then(|| keyboards::main_menu(&app.tr, person.role));
        say(dialogue, app.tr.msg("checkin-closed"), markup);
    }
    Ok(())
}
