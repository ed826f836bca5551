//! CSV exports for spreadsheets: every column, dates both ISO and Jalali (Latin digits,
//! so that spreadsheets read them as text rather than arithmetic).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Tehran;

use crate::domain::loan::InstallmentState;
use crate::domain::person::Person;
use crate::persian::jalali::JalaliDate;
use crate::store::{LoanRow, PaymentRow, SaleRow};

/// One CSV field. Text that a spreadsheet would run as a formula is defused with a
/// leading apostrophe; numbers (negative ones included) are left alone.
fn field(value: &str) -> String {
    let is_number = value.parse::<i64>().is_ok();
    let value = if !is_number && value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

/// A whole CSV document: the header, then one line per row, CRLF line ends.
fn csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let line = |fields: &[String]| format!("{}\r\n", fields.iter().map(|f| field(f)).collect::<Vec<_>>().join(","));
    let mut out = line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    for row in rows {
        out.push_str(&line(&row));
    }
    out
}

fn jalali_day(day: NaiveDate) -> String {
    JalaliDate::from_gregorian(day).to_string()
}

/// (ISO instant in Tehran time, Jalali day and time)
fn instant(at: DateTime<Utc>) -> [String; 2] {
    let local = at.with_timezone(&Tehran);
    [local.to_rfc3339(), format!("{} {}", jalali_day(local.date_naive()), local.format("%H:%M"))]
}

fn day(d: NaiveDate) -> [String; 2] {
    [d.to_string(), jalali_day(d)]
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

pub fn sales_csv(sales: &[SaleRow]) -> String {
    let header = [
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
    ];
    csv(
        &header,
        sales.iter().map(|s| {
            let kind = if s.amount_toman < 0 { "return" } else { "sale" };
            let mut row = vec![
                s.id.to_string(),
                s.entrepreneur_id.to_string(),
                s.entrepreneur_name.clone(),
                opt(s.caseworker_id),
                kind.to_string(),
                s.amount_toman.to_string(),
                s.item.clone(),
                opt(s.customer.as_ref()),
            ];
            row.extend(day(s.sold_on));
            row.push(opt(s.photo_file_id.as_ref()));
            row.extend(instant(s.recorded_at));
            row
        }),
    )
}

pub fn people_csv(people: &[(Person, DateTime<Utc>)]) -> String {
    let header = [
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
    ];
    csv(
        &header,
        people.iter().map(|(p, joined)| {
            let mut row = vec![
                p.id.to_string(),
                p.telegram_id.to_string(),
                p.role.as_str().to_string(),
                p.full_name.clone(),
                opt(p.phone.as_ref()),
                opt(p.business.as_ref()),
                opt(p.caseworker_id),
                p.level.to_string(),
            ];
            row.extend(instant(*joined));
            row
        }),
    )
}

pub fn loans_csv(loans: &[LoanRow]) -> String {
    let header = [
        "loan_id",
        "entrepreneur_id",
        "level",
        "principal_toman",
        "fee_toman",
        "installments",
        "first_due_on",
        "first_due_on_jalali",
        "state",
        "recorded_at",
        "recorded_at_jalali",
    ];
    csv(
        &header,
        loans.iter().map(|l| {
            let mut row = vec![
                l.id.to_string(),
                l.entrepreneur_id.to_string(),
                l.level.to_string(),
                l.principal.to_string(),
                l.fee.to_string(),
                l.installments.to_string(),
            ];
            row.extend(day(l.first_due_on));
            row.push(l.state.as_str().to_string());
            row.extend(instant(l.recorded_at));
            row
        }),
    )
}

pub fn installments_csv(installments: &[(i64, u32, InstallmentState)]) -> String {
    let header = [
        "installment_id",
        "loan_id",
        "number",
        "due_on",
        "due_on_jalali",
        "amount_toman",
        "paid_toman",
        "unpaid_toman",
    ];
    csv(
        &header,
        installments.iter().map(|(loan_id, number, i)| {
            let mut row = vec![i.id.to_string(), loan_id.to_string(), number.to_string()];
            row.extend(day(i.due_on));
            row.extend([i.amount.to_string(), i.paid.to_string(), i.unpaid().to_string()]);
            row
        }),
    )
}

pub fn payments_csv(payments: &[PaymentRow]) -> String {
    let header = [
        "payment_id",
        "loan_id",
        "entrepreneur_id",
        "caseworker_id",
        "amount_toman",
        "paid_on",
        "paid_on_jalali",
        "status",
        "overpaid_toman",
        "photo_file_id",
        "reported_at",
        "reported_at_jalali",
    ];
    csv(
        &header,
        payments.iter().map(|p| {
            let mut row = vec![
                p.id.to_string(),
                p.loan_id.to_string(),
                p.entrepreneur_id.to_string(),
                opt(p.caseworker_id),
                p.amount.to_string(),
            ];
            row.extend(day(p.paid_on));
            row.extend([p.status.clone(), p.overpaid.to_string(), opt(p.photo_file_id.as_ref())]);
            row.extend(instant(p.reported_at));
            row
        }),
    )
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

    #[test]
    fn documents_have_a_header_and_crlf_lines() {
        let doc = csv(&["a", "b"], vec![vec!["1".to_string(), "x,y".to_string()]]);
        assert_eq!(doc, "a,b\r\n1,\"x,y\"\r\n");
    }
}
