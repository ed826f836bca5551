//! CSV exports for spreadsheets: every column, dates both ISO and Jalali (Latin digits,
//! so that spreadsheets read them as text rather than arithmetic).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Tehran;

use crate::domain::person::Person;
use crate::persian::jalali::JalaliDate;
use crate::store::SaleRow;

/// One CSV field. Text that a spreadsheet would run as a formula is defused with a
/// leading apostrophe.
fn field(value: &str) -> String {
    let is_number = value.parse::<i64>().is_ok();
    let value = if !is_number && value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

fn row(fields: &[String]) -> String {
    let mut line = fields.iter().map(|f| field(f)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

fn jalali_day(day: NaiveDate) -> String {
    JalaliDate::from_gregorian(day).to_string()
}

fn instant(at: DateTime<Utc>) -> (String, String) {
    let local = at.with_timezone(&Tehran);
    (local.to_rfc3339(), format!("{} {}", jalali_day(local.date_naive()), local.format("%H:%M")))
}

pub fn sales_csv(sales: &[SaleRow]) -> String {
    let mut out = row(&[
        "sale_id",
        "entrepreneur_id",
        "entrepreneur_name",
        "caseworker_id",
        "kind",
        "amount_toman",
        "item",
        "customer",
        "sold_on",
        "sold_on_jalali",
        "photo_file_id",
        "recorded_at",
        "recorded_at_jalali",
    ]
    .map(String::from));
    for s in sales {
        let (recorded, recorded_jalali) = instant(s.recorded_at);
        out.push_str(&row(&[
            s.id.to_string(),
            s.entrepreneur_id.to_string(),
            s.entrepreneur_name.clone(),
            s.caseworker_id.map(|c| c.to_string()).unwrap_or_default(),
            if s.amount_toman < 0 { "return" } else { "sale" }.to_string(),
            s.amount_toman.to_string(),
            s.item.clone(),
            s.customer.clone().unwrap_or_default(),
            s.sold_on.to_string(),
            jalali_day(s.sold_on),
            s.photo_file_id.clone().unwrap_or_default(),
            recorded,
            recorded_jalali,
        ]));
    }
    out
}

pub fn people_csv(people: &[(Person, DateTime<Utc>)]) -> String {
    let mut out = row(&[
        "person_id",
        "telegram_id",
        "role",
        "full_name",
        "phone",
        "business",
        "caseworker_id",
        "level",
        "joined_at",
        "joined_at_jalali",
    ]
    .map(String::from));
    for (p, joined) in people {
        let (joined, joined_jalali) = instant(*joined);
        out.push_str(&row(&[
            p.id.to_string(),
            p.telegram_id.to_string(),
            p.role.as_str().to_string(),
            p.full_name.clone(),
            p.phone.clone().unwrap_or_default(),
            p.business.clone().unwrap_or_default(),
            p.caseworker_id.map(|c| c.to_string()).unwrap_or_default(),
            p.level.to_string(),
            joined,
            joined_jalali,
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_defused() {
        assert_eq!(field("روسری"), "روسری");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(field("-50000"), "-50000");
    }
}
