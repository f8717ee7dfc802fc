//! Dates and times in figures and in words: "20/11/2026", "20.11.26", "20 novembre 2026",
//! "le vingt novembre deux mille vingt-six", "L'an deux mille vingt-six, le premier décembre",
//! "23h40", "23 h 40", "23:40", "vingt-trois heures quarante".

use std::sync::LazyLock;

use regex::Regex;

use super::numbers::{self, WORDS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

const MONTHS: &str = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|janv\\.|févr\\.|fevr\\.|avr\\.|juil\\.|sept\\.|oct\\.|nov\\.|déc\\.|dec\\.";

fn month(name: &str) -> Option<u32> {
    let name = name.to_lowercase();
    Some(match name.trim_end_matches('.') {
        "janvier" | "janv" => 1,
        "février" | "fevrier" | "févr" | "fevr" => 2,
        "mars" => 3,
        "avril" | "avr" => 4,
        "mai" => 5,
        "juin" => 6,
        "juillet" | "juil" => 7,
        "août" | "aout" => 8,
        "septembre" | "sept" => 9,
        "octobre" | "oct" => 10,
        "novembre" | "nov" => 11,
        "décembre" | "decembre" | "déc" | "dec" => 12,
        _ => return None,
    })
}

pub static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:(?P<d>\d{{1,2}})[/.-](?P<m>\d{{1,2}})[/.-](?P<y>\d{{4}}|\d{{2}})\b|(?:l'an (?P<ly>{WORDS}|\d{{4}}),? le (?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) )?)(?P<ld>1er|premier|{WORDS}|\d{{1,2}}) (?P<lm>{MONTHS})\b|(?P<wd>1er|premier|{WORDS}|\d{{1,2}}) (?P<wm>{MONTHS}) (?P<wy>\d{{4}}|{WORDS}))"
    ))
    .unwrap()
});

/// "et quart", "et demie", "moins le quart", "moins vingt" after the hour.
const QUARTERS: &str =
    r"et quart\b|et demie?\b|moins le quart\b|moins (?:cinq|dix|vingt-cinq|vingt)\b";

pub static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:(?P<h1>\d{{1,2}}) ?(?:h|heures?) ?(?P<m1>\d{{1,2}}) ?(?:minutes?|mn|min)\b|(?P<h>\d{{1,2}}) ?(?:h|heures?|:) ?(?P<m>\d{{2}})(?:mn|min)?\b|(?P<hh>\d{{1,2}}) ?(?:h|heures?)\b(?: (?P<dq>{QUARTERS}))?|(?P<wh>{WORDS}) heures?(?: (?P<wq>{QUARTERS})|(?: et)?(?: (?P<wm>{WORDS})(?: minutes?)?)?))"
    ))
    .unwrap()
});

/// A year; two figures ("26", "89") are the latest such year not after next year, so a
/// birth written "14/09/89" is 1989 and facts written "23/10/26" are 2026.
fn year(text: &str) -> Option<i32> {
    let y = numbers::integer(text)? as i32;
    if y >= 100 {
        return Some(y);
    }
    static NEXT_YEAR: LazyLock<i32> = LazyLock::new(|| {
        use chrono::Datelike;
        chrono::Local::now().year() + 1
    });
    Some(if 2000 + y <= *NEXT_YEAR {
        2000 + y
    } else {
        1900 + y
    })
}

fn valid(year: i32, month: u32, day: u32) -> Option<Date> {
    ((1..=12).contains(&month) && (1..=31).contains(&day) && (1900..2100).contains(&year))
        .then_some(Date { year, month, day })
}

/// The date a `DATE` match denotes.
pub fn date(caps: &regex::Captures) -> Option<Date> {
    if let (Some(d), Some(m), Some(y)) = (caps.name("d"), caps.name("m"), caps.name("y")) {
        return valid(
            year(y.as_str())?,
            m.as_str().parse().ok()?,
            d.as_str().parse().ok()?,
        );
    }
    if let (Some(y), Some(d), Some(m)) = (caps.name("ly"), caps.name("ld"), caps.name("lm")) {
        return valid(
            year(y.as_str())?,
            month(m.as_str())?,
            numbers::integer(d.as_str())?,
        );
    }
    let (d, m, y) = (caps.name("wd")?, caps.name("wm")?, caps.name("wy")?);
    valid(
        year(y.as_str())?,
        month(m.as_str())?,
        numbers::integer(d.as_str())?,
    )
}

/// Whether a match in figures goes on with more groups of figures: a telephone number
/// ("06.12.34.56.78") or a reference, not a date.
fn runs_on(text: &str, end: usize) -> bool {
    let rest = &text.as_bytes()[end..];
    rest.len() >= 2 && matches!(rest[0], b'.' | b'/' | b'-') && rest[1].is_ascii_digit()
}

/// All dates of a text, with their byte ranges.
pub fn dates(text: &str) -> Vec<(usize, usize, Date)> {
    DATE.captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            if runs_on(text, m.end()) {
                return None;
            }
            Some((m.start(), m.end(), date(&c)?))
        })
        .collect()
}

/// What may come before a date that opens a phrase: "le", "du", "en date du", a weekday.
static DATE_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:[\s,]|le\b|du\b|en date du\b|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)*",
    )
    .unwrap()
});

/// The first date at the start of `text` (after "le ", "en date du ", a weekday...).
pub fn date_at(text: &str) -> Option<(usize, Date)> {
    let lead = DATE_LEAD.find(text).map_or(0, |m| m.end());
    let c = DATE.captures(&text[lead..])?;
    let m = c.get(0)?;
    if m.start() > 4 || runs_on(text, lead + m.end()) {
        return None;
    }
    Some((lead + m.end(), date(&c)?))
}

/// A `TIME` match as "HH:MM".
pub fn time(caps: &regex::Captures) -> Option<String> {
    let (h, m) = if let (Some(h), Some(m)) = (
        caps.name("h").or(caps.name("h1")),
        caps.name("m").or(caps.name("m1")),
    ) {
        (h.as_str().parse().ok()?, m.as_str().parse().ok()?)
    } else if let Some(h) = caps.name("hh") {
        let h: i64 = h.as_str().parse().ok()?;
        return quarter(h, caps.name("dq").map(|q| q.as_str()));
    } else {
        let h = numbers::integer(caps.name("wh")?.as_str())?;
        if let Some(q) = caps.name("wq") {
            return quarter(h as i64, Some(q.as_str()));
        }
        let m = caps
            .name("wm")
            .and_then(|m| numbers::integer(m.as_str()))
            .unwrap_or(0);
        (h, m)
    };
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// The hour with its "et quart", "et demie", "moins le quart", "moins vingt".
fn quarter(h: i64, q: Option<&str>) -> Option<String> {
    let q = q.map(str::to_lowercase);
    let minutes: i64 = match q.as_deref() {
        None => 0,
        Some(q) if q.starts_with("et quart") => 15,
        Some(q) if q.starts_with("et demi") => 30,
        Some(q) if q.starts_with("moins le quart") => -15,
        Some(q) => -(numbers::integer(q.trim_start_matches("moins ").trim())? as i64),
    };
    let total = (h * 60 + minutes).rem_euclid(24 * 60);
    (0..24)
        .contains(&h)
        .then(|| format!("{:02}:{:02}", total / 60, total % 60))
}

/// The first time near the start of `text`.
pub fn time_at(text: &str, within: usize) -> Option<(usize, String)> {
    let c = TIME.captures(text)?;
    let m = c.get(0)?;
    (m.start() <= within).then_some((m.end(), time(&c)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        let got = dates(input).first().map(|d| d.2.iso()).unwrap_or_default();
        assert_eq!(got, expect, "{input}");
    }

    fn check_time(input: &str, expect: &str) {
        let got = time_at(input, 10).map(|t| t.1).unwrap_or_default();
        assert_eq!(got, expect, "{input}");
    }

    #[test]
    fn dates_in_every_form() {
        check("le 20/11/2026 à", "2026-11-20");
        check("le 20.11.2026", "2026-11-20");
        check("le 20/11/26", "2026-11-20");
        check("né le 14/09/89 à", "1989-09-14");
        check("le 20-11-2026", "2026-11-20");
        check("le 20 NOVEMBRE 2026", "2026-11-20");
        check("vendredi vingt novembre deux mille vingt-six", "2026-11-20");
        check("le 3 nov. 2026", "2026-11-03");
        check("vendredi 20 novembre 2026", "2026-11-20");
        check("le vingt novembre deux mille vingt-six", "2026-11-20");
        check(
            "L'an deux mille vingt-six, le premier décembre, à",
            "2026-12-01",
        );
        check(
            "né le trois mars mil neuf cent quatre-vingt-huit",
            "1988-03-03",
        );
        check("le 1er mai 2025", "2025-05-01");
        check(
            "L'AN DEUX MILLE VINGT-SIX, LE MARDI PREMIER DÉCEMBRE, À",
            "2026-12-01",
        );
    }

    #[test]
    fn times_in_every_form() {
        check_time("23h40", "23:40");
        check_time("23 h 40", "23:40");
        check_time("23H40", "23:40");
        check_time("23:40", "23:40");
        check_time("23 heures 40", "23:40");
        check_time("vingt-trois heures quarante", "23:40");
        check_time("vingt-trois heures et quarante minutes", "23:40");
        check_time("six heures cinquante et une", "06:51");
        check_time("23h40mn", "23:40");
        check_time("23 h 40 min", "23:40");
        check_time("23 H 40", "23:40");
        check_time("VINGT-TROIS HEURES QUARANTE", "23:40");
        check_time("0 heure 25", "00:25");
        check_time("7h05", "07:05");
        check_time("23 heures 40 minutes", "23:40");
        check_time("vingt et une heures et quart", "21:15");
        check_time("seize heures et demie", "16:30");
        check_time("onze heures moins le quart", "10:45");
        check_time("DIX-SEPT HEURES MOINS VINGT", "16:40");
        check_time("9 heures et demie", "09:30");
        check_time("cinq heures trente", "05:30");
        check_time("4 heures 7 minutes", "04:07");
        check_time("4 h 7 min", "04:07");
    }
}
