//! «کارآفرینان من» (a manager: «همهٔ کارآفرینان»): the people a caseworker looks after, a page
//! at a time, one message whose buttons open a person's card, turn the page, or search by
//! name, phone or kind of work. However many people there are, the list is one message and two
//! queries.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, MessageId, ReplyMarkup};

use super::{App, Conversation, HandlerResult, State, Tg, keyboards, replace_message, save_state, say, say_with_menu};
use crate::domain::people_search::{MAX_CHARS, Search, SearchProblem, search};
use crate::domain::person::{Person, Role};
use crate::persian::digits::{format_number, to_persian_digits};

/// People on one page of the list.
pub const PAGE: i64 = 10;

/// Which page of which list: what the list's buttons carry («pl:<page>» or «pl:<page>:<search>»).
#[derive(Debug, Clone, PartialEq, Eq)]
struct ListAt {
    page: i64,
    search: Option<String>,
}

impl ListAt {
    fn data(&self) -> String {
        match &self.search {
            None => format!("pl:{}", self.page),
            Some(typed) => format!("pl:{}:{typed}", self.page),
        }
    }

    fn parse(rest: &str) -> Option<ListAt> {
        let (page, search) = match rest.split_once(':') {
            Some((page, typed)) => (page, Some(typed.to_string())),
            None => (rest, None),
        };
        // More pages than any programme has are not a page (and cannot overflow an offset).
        Some(ListAt { page: page.parse().ok().filter(|p| (0..100_000).contains(p))?, search })
    }
}

/// The list's text and buttons for one page; None when nobody matches, or the page is past
/// the last.
async fn page(app: &App, viewer: &Person, at: &ListAt) -> anyhow::Result<Option<(String, InlineKeyboardMarkup)>> {
    let search: Option<Search> = match &at.search {
        Some(typed) => Some(search(typed).map_err(|e| anyhow::anyhow!("a list button carries a bad search: {e:?}"))?),
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
    let people: Vec<(String, String)> =
        list.people.iter().map(|(p, _)| (p.full_name.clone(), format!("p:{}", p.id))).collect();
    let mut rows: Vec<Vec<(String, String)>> = people.chunks(2).map(<[_]>::to_vec).collect();
    let turn = |page: i64| ListAt { page, search: at.search.clone() }.data();
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
    rows.push(vec![(app.tr.msg("btn-people-search"), "ps".to_string())]);
    Ok(Some((lines.join("\n"), keyboards::inline(rows))))
}

/// The first page of the list, as a new message.
pub async fn list(bot: &Tg, app: &App, chat: ChatId, viewer: &Person) -> HandlerResult {
    match page(app, viewer, &ListAt { page: 0, search: None }).await? {
        Some((text, buttons)) => {
            say(bot, chat, text, Some(ReplyMarkup::InlineKeyboard(buttons))).await?;
        }
        None => say_with_menu(bot, app, chat, app.tr.msg("my-people-none"), viewer.role).await?,
    }
    Ok(())
}

/// «pl:…» turns the page in place; «ps» asks what to look for.
pub async fn on_button(
    bot: &Tg,
    app: &App,
    dialogue: &Conversation,
    chat: ChatId,
    message: MessageId,
    viewer: &Person,
    data: &str,
) -> anyhow::Result<Option<String>> {
    let expired = Some(app.tr.msg("button-expired"));
    if viewer.role == Role::Entrepreneur {
        return Ok(expired);
    }
    if data == "ps" {
        save_state(dialogue, State::PeopleSearch).await?;
        let args = [("max", format_number(MAX_CHARS as i64))];
        say(bot, chat, app.tr.msg_with("people-search-ask", &args), Some(keyboards::choices_with_cancel(app, &[], 1)))
            .await?;
        return Ok(None);
    }
    let Some(at) = data.strip_prefix("pl:").and_then(ListAt::parse) else { return Ok(expired) };
    match page(app, viewer, &at).await? {
        Some((text, buttons)) => replace_message(bot, chat, message, text, Some(buttons)).await?,
        None => return Ok(expired),
    }
    Ok(None)
}

/// The message after «🔎 جستجو»: what to look for.
pub async fn on_search(bot: &Tg, app: &App, dialogue: &Conversation, msg: &Message) -> HandlerResult {
    let chat = msg.chat.id;
    let Some(user) = msg.from.as_ref() else { return Ok(()) };
    let Some(viewer) = app.sender(user).await?.filter(|p| p.role != Role::Entrepreneur) else {
        super::clear_state(dialogue).await?;
        return Ok(());
    };
    let typed = msg.text().unwrap_or_default();
    if typed.trim() == app.tr.msg("btn-cancel") {
        super::clear_state(dialogue).await?;
        return say_with_menu(bot, app, chat, app.tr.msg("people-search-cancelled"), viewer.role).await;
    }
    let problem = match search(typed) {
        Ok(_) => None,
        Err(SearchProblem::Empty) => Some(app.tr.msg("people-search-empty")),
        Err(SearchProblem::TooLong) => {
            Some(app.tr.msg_with("people-search-too-long", &[("max", format_number(MAX_CHARS as i64))]))
        }
    };
    if let Some(problem) = problem {
        return say(bot, chat, problem, None).await.map(|_| ());
    }
    super::clear_state(dialogue).await?;
    let at = ListAt { page: 0, search: Some(crate::persian::text::normalize_input(typed)) };
    match page(app, &viewer, &at).await? {
        Some((text, buttons)) => {
            // The search's question had a keyboard: the main menu comes back with a line of its
            // own, and the results follow with their buttons.
            say_with_menu(bot, app, chat, app.tr.msg("people-search-results"), viewer.role).await?;
            say(bot, chat, text, Some(ReplyMarkup::InlineKeyboard(buttons))).await?;
        }
        None => {
            let args = [("search", at.search.clone().unwrap_or_default())];
            say_with_menu(bot, app, chat, app.tr.msg_with("people-search-none", &args), viewer.role).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_button_reads_back_what_it_carries() {
        for at in [
            ListAt { page: 0, search: None },
            ListAt { page: 12, search: Some("زهرا احمدی".into()) },
            ListAt { page: 3, search: Some("a:b".into()) },
        ] {
            assert_eq!(ListAt::parse(at.data().strip_prefix("pl:").unwrap()), Some(at));
        }
        assert_eq!(ListAt::parse("-1"), None);
        assert_eq!(ListAt::parse("999999999999999999"), None);
        assert_eq!(ListAt::parse("x"), None);
    }
}
