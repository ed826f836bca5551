//! «کارآفرینان من» (a manager: «همهٔ کارآفرینان»): the people a caseworker looks after, a page
//! at a time, one message whose buttons open a person's card, turn the page, or search by
//! name, phone or kind of work. However many people there are, the list is one message and two
//! queries.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, MessageId, ReplyMarkup};

use super::{App, Conversation, HandlerResult, State, replace_message, save_state, say, say_with_menu};
use crate::domain::people_search::{MAX_CHARS, Search, SearchProblem, search};
use crate::domain::person::{Person, Role};
use crate::persian::digits::{format_number, to_persian_digits};
use crate::views::callback::{Callback, ListAt};
use crate::views::keyboards;

/// People on one page of the list.
pub const PAGE: i64 = 10;

/// The list's text and buttons for one page; None when nobody matches, the page is past
/// the last, or the search is not one the list accepts.
async fn page(app: &App, viewer: &Person, at: &ListAt) -> anyhow::Result<Option<(String, InlineKeyboardMarkup)>> {
    let search: Option<Search> = match &at.search {
        // No button of ours carries a search the list refuses: a changed one is stale.
        Some(typed) => match search(typed) {
            Ok(found) => Some(found),
            Err(_) => return Ok(None),
        },
        None => None,
    };
    let caseworker = (viewer.role != Role::Manager).then_some(viewer.id);
    let since = super::report::invoice_window_start(app);
    let list = app.store.people_page(caseworker, search.as_ref(), since, at.page * PAGE, PAGE).await?;
    let pages = (list.total + PAGE - 1) / PAGE;
    if at.page >= pages {
        return Ok(None);
    }
    let mut lines = vec![match &at.search {
        None => app.tr.msg_with("my-people-title", &[("count", format_number(list.total))]),
        Some(typed) => {
            app.tr.msg_with("my-people-found", &[("count", format_number(list.total)), ("search", typed.clone())])
        }
    }];
    for (person, invoices) in &list.people {
        lines.push(app.tr.msg_with(
            "my-people-line",
            &[
                ("name", person.full_name.clone()),
                ("business", person.business.clone().unwrap_or_default()),
                ("level", to_persian_digits(&person.level.to_string())),
                ("invoices", format_number(*invoices)),
            ],
        ));
    }
    if pages > 1 {
        let page_args = [("page", format_number(at.page + 1)), ("pages", format_number(pages))];
        lines.push(app.tr.msg_with("my-people-page", &page_args));
    }
    let people: Vec<(String, Callback)> =
        list.people.iter().map(|(p, _)| (p.full_name.clone(), Callback::Person(p.id))).collect();
    let mut rows: Vec<Vec<(String, Callback)>> = people.chunks(2).map(<[_]>::to_vec).collect();
    let turn = |page: i64| Callback::PeopleList(ListAt { page, search: at.search.clone() });
    let mut nav = Vec::new();
    if at.page > 0 {
        nav.push((app.tr.msg("btn-people-previous"), turn(at.page - 1)));
    }
    if at.page + 1 < pages {
        nav.push((app.tr.msg("btn-people-next"), turn(at.page + 1)));
    }
    if !nav.is_empty() {
        rows.push(nav);
    }
    rows.push(vec![(app.tr.msg("btn-people-search"), Callback::PeopleSearch)]);
    Ok(Some((lines.join("\n"), keyboards::inline(rows))))
}

/// The first page of the list, as a new message.
pub async fn list(app: &App, dialogue: &Conversation, viewer: &Person) -> HandlerResult {
    match page(app, viewer, &ListAt { page: 0, search: None }).await? {
        Some((text, buttons)) => say(dialogue, text, Some(ReplyMarkup::InlineKeyboard(buttons))),
        None => say_with_menu(app, dialogue, app.tr.msg("my-people-none"), viewer.role),
    }
    Ok(())
}

/// «🔎 جستجو» asks what to look for.
pub async fn on_search_button(app: &App, dialogue: &Conversation, viewer: &Person) -> anyhow::Result<Option<String>> {
    if viewer.role == Role::Entrepreneur {
        return Ok(Some(app.tr.msg("button-expired")));
    }
    save_state(dialogue, State::PeopleSearch).await?;
    let args = [("max", format_number(MAX_CHARS as i64))];
    say(dialogue, app.tr.msg_with("people-search-ask", &args), Some(keyboards::choices_with_cancel(&app.tr, &[], 1)));
    Ok(None)
}

/// A page button turns the list's page in place.
pub async fn on_page(
    app: &App,
    dialogue: &Conversation,
    message: MessageId,
    viewer: &Person,
    at: &ListAt,
) -> anyhow::Result<Option<String>> {
    let expired = Some(app.tr.msg("button-expired"));
    if viewer.role == Role::Entrepreneur {
        return Ok(expired);
    }
    match page(app, viewer, at).await? {
        Some((text, buttons)) => {
            replace_message(dialogue, message, text, Some(buttons));
        }
        None => return Ok(expired),
    }
    Ok(None)
}

/// The message after «🔎 جستجو»: what to look for.
pub async fn on_search(app: &App, dialogue: &Conversation, msg: &Message) -> HandlerResult {
    let Some(user) = msg.from.as_ref() else { return Ok(()) };
    let Some(viewer) = app.sender(user).await?.filter(|p| p.role != Role::Entrepreneur) else {
        super::clear_state(dialogue).await?;
        return Ok(());
    };
    let typed = msg.text().unwrap_or_default();
    if typed.trim() == app.tr.msg("btn-cancel") {
        super::clear_state(dialogue).await?;
        say_with_menu(app, dialogue, app.tr.msg("people-search-cancelled"), viewer.role);
        return Ok(());
    }
    let problem = match search(typed) {
        Ok(_) => None,
        Err(SearchProblem::Empty) => Some(app.tr.msg("people-search-empty")),
        Err(SearchProblem::TooLong) => {
            Some(app.tr.msg_with("people-search-too-long", &[("max", format_number(MAX_CHARS as i64))]))
        }
    };
    if let Some(problem) = problem {
        say(dialogue, problem, None);
        return Ok(());
    }
    super::clear_state(dialogue).await?;
    let at = ListAt { page: 0, search: Some(crate::persian::text::normalize_input(typed)) };
    match page(app, &viewer, &at).await? {
        Some((text, buttons)) => {
            // The search's question had a keyboard: the main menu comes back with a line of its
            // own, and the results follow with their buttons.
            say_with_menu(app, dialogue, app.tr.msg("people-search-results"), viewer.role);
            say(dialogue, text, Some(ReplyMarkup::InlineKeyboard(buttons)));
        }
        None => {
            let args = [("search", at.search.clone().unwrap_or_default())];
            say_with_menu(app, dialogue, app.tr.msg_with("people-search-none", &args), viewer.role);
        }
    }
    Ok(())
}
