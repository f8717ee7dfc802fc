//! French typography for user-facing text: guillemets with non-breaking spaces, dates and
//! numbers in words as formal acts write them, surnames in capitals, legal citations, the
//! spaces French puts before « : ; ! ? ».

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// Non-breaking space (before « : », inside guillemets, inside numbers and citations).
pub const NBSP: char = '\u{a0}';
/// Narrow non-breaking space (before « ; ! ? »).
pub const NNBSP: char = '\u{202f}';

/// `«\u{a0}text\u{a0}»`: how a file name or a value is quoted in messages.
pub fn quoted(text: &str) -> String {
    format!("«\u{a0}{text}\u{a0}»")
}

const UNITS: [&str; 17] = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize",
];
const TENS: [&str; 7] = [
    "",
    "dix",
    "vingt",
    "trente",
    "quarante",
    "cinquante",
    "soixante",
];

fn below_hundred(n: u32) -> String {
    match n {
        0..=16 => UNITS[n as usize].to_owned(),
        17..=19 => format!("dix-{}", UNITS[(n - 10) as usize]),
        20..=69 => {
            let (t, u) = (n / 10, n % 10);
            match u {
                0 => TENS[t as usize].to_owned(),
                1 => format!("{} et un", TENS[t as usize]),
                _ => format!("{}-{}", TENS[t as usize], UNITS[u as usize]),
            }
        }
        70..=79 => match n {
            71 => "soixante et onze".to_owned(),
            _ => format!("soixante-{}", below_hundred(n - 60)),
        },
        80 => "quatre-vingts".to_owned(),
        _ => format!("quatre-vingt-{}", below_hundred(n - 80)),
    }
}

fn below_thousand(n: u32) -> String {
    let (h, rest) = (n / 100, n % 100);
    match (h, rest) {
        (0, _) => below_hundred(rest),
        (1, 0) => "cent".to_owned(),
        (1, _) => format!("cent {}", below_hundred(rest)),
        (_, 0) => format!("{} cents", UNITS[h as usize]),
        _ => format!("{} cent {}", UNITS[h as usize], below_hundred(rest)),
    }
}

/// A cardinal number in words, traditional spelling (« vingt et un », « quatre-vingts »,
/// « deux mille vingt-six »).
pub fn number_in_words(n: u32) -> String {
    if n < 1000 {
        return below_thousand(n);
    }
    if n < 1_000_000 {
        let (th, rest) = (n / 1000, n % 1000);
        let head = if th == 1 {
            "mille".to_owned()
        } else {
            // « quatre-vingt mille », « deux cent mille »: no plural s before mille.
            let words = below_thousand(th);
            let words = match words.strip_suffix('s') {
                Some(w) if w.ends_with("vingt") || w.ends_with("cent") => w.to_owned(),
                _ => words,
            };
            words + " mille"
        };
        return if rest == 0 {
            head
        } else {
            format!("{head} {}", below_thousand(rest))
        };
    }
    let (m, rest) = (n / 1_000_000, n % 1_000_000);
    let head = format!(
        "{} million{}",
        number_in_words(m),
        if m > 1 { "s" } else { "" }
    );
    if rest == 0 {
        head
    } else {
        format!("{head} {}", number_in_words(rest))
    }
}

pub const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// « 25 novembre 2026 », « 1er décembre 2026 ».
pub fn date_long(d: NaiveDate) -> String {
    let day = if d.day() == 1 {
        "1er".to_owned()
    } else {
        d.day().to_string()
    };
    format!(
        "{day}{NBSP}{}{NBSP}{}",
        MONTHS[d.month0() as usize],
        d.year()
    )
}

/// « vingt-cinq novembre deux mille vingt-six », « premier décembre deux mille vingt-six ».
pub fn date_in_words(d: NaiveDate) -> String {
    let day = if d.day() == 1 {
        "premier".to_owned()
    } else {
        number_in_words(d.day())
    };
    format!(
        "{day} {} {}",
        MONTHS[d.month0() as usize],
        number_in_words(d.year().max(0) as u32)
    )
}

/// « 02/12/2026 ».
pub fn date_numeric(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// « 23 h 40 », « 8 h » (non-breaking spaces).
pub fn time_short(hour: u32, minute: u32) -> String {
    if minute == 0 {
        format!("{hour}{NBSP}h")
    } else {
        format!("{hour}{NBSP}h{NBSP}{minute:02}")
    }
}

/// « vingt-trois heures quarante », « une heure », « midi » is not used: acts write « douze heures ».
pub fn time_in_words(hour: u32, minute: u32) -> String {
    let h = match hour {
        1 => "une heure".to_owned(),
        21 => "vingt et une heures".to_owned(),
        _ => format!("{} heures", number_in_words(hour)),
    };
    if minute == 0 {
        h
    } else {
        format!("{h} {}", number_in_words(minute))
    }
}

/// « 1er décembre 2025 à 1 h 35 ».
pub fn datetime_long(t: NaiveDateTime) -> String {
    format!(
        "{} à {}",
        date_long(t.date()),
        time_short(t.hour(), t.minute())
    )
}

/// A duration in hours and minutes: « 22 h », « 14 h 20 ».
pub fn duration_short(minutes: i64) -> String {
    let minutes = minutes.max(0) as u32;
    time_short(minutes / 60, minutes % 60)
}

/// A surname as acts write it: in capitals, accents kept (« Côté » → « CÔTÉ »).
pub fn surname(s: &str) -> String {
    s.trim().to_uppercase()
}

/// Given names with an initial capital on each part (« jean-pierre » → « Jean-Pierre »),
/// leaving names already written with capitals as they are.
pub fn given_names(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.trim().chars() {
        if start {
            out.extend(c.to_uppercase());
        } else if s.chars().all(|c| !c.is_lowercase()) {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
        start = matches!(c, ' ' | '-' | '\'' | '’');
    }
    out
}

/// « Jean DUPONT ».
pub fn full_name(given: &str, sur: &str) -> String {
    match (given.trim().is_empty(), sur.trim().is_empty()) {
        (true, _) => surname(sur),
        (_, true) => given_names(given),
        _ => format!("{} {}", given_names(given), surname(sur)),
    }
}

/// The first letter in capitals (« à examiner » → « À examiner »).
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The first letter in lower case (« Procès-verbal » → « procès-verbal »), except acronyms.
pub fn decapitalize(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.clone().next()) {
        (Some(c), Some(n)) if !n.is_uppercase() => c.to_lowercase().chain(chars).collect(),
        _ => s.to_owned(),
    }
}

/// « de Melun », « d'Évry », « d'Aix-en-Provence »: the preposition before a place name.
pub fn de(place: &str) -> String {
    let first = place
        .chars()
        .next()
        .map(|c| c.to_lowercase().next().unwrap_or(c));
    match first {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'é' | 'è' | 'ê' | 'â' | 'î' | 'ô' | 'û') => {
            format!("d'{place}")
        }
        _ => format!("de {place}"),
    }
}

/// A list in French: « a », « a et b », « a, b et c ».
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} et {last}", init.join(", ")),
    }
}

/// An amount in euros with thin spaces between thousands: « 4 500 € ».
pub fn euros(amount: u32) -> String {
    format!("{}{NBSP}€", grouped(amount))
}

/// « 4 500 », « 75 000 » (non-breaking space between groups of three digits).
pub fn grouped(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(NBSP);
        }
        out.push(c);
    }
    out
}

/// A decimal number the French way: « 0,62 », « 164 ».
pub fn decimal(value: f64, max_decimals: usize) -> String {
    let s = format!("{value:.max_decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    s.replace('.', ",")
}

/// The codes a legal citation can name, as an act writes them.
const CODES: [(&str, &str); 4] = [
    ("code de la route", "du code de la route"),
    ("code pénal", "du code pénal"),
    ("code de procédure pénale", "du code de procédure pénale"),
    ("code de la santé publique", "du code de la santé publique"),
];

/// A citation of the NATINF table (« art. L. 234-1 §I code de la route », « art. 434-10 al. 1
/// code pénal, art. L. 231-1 code de la route ») as an act writes it: « article L. 234-1, I, du
/// code de la route », « article 434-10, alinéa 1, du code pénal et article L. 231-1 du code de
/// la route », with a non-breaking space after « L. » and « R. ».
pub fn legal_citation(raw: &str) -> String {
    let groups: Vec<String> = raw
        .split("art. ")
        .map(|g| g.trim().trim_end_matches(',').trim())
        .filter(|g| !g.is_empty())
        .map(citation_group)
        .collect();
    join_and(&groups)
}

fn citation_group(group: &str) -> String {
    let (articles, code) = CODES
        .iter()
        .find_map(|(name, with_du)| {
            group
                .strip_suffix(name)
                .map(|a| (a.trim().trim_end_matches(',').trim(), Some(*with_du)))
        })
        .unwrap_or((group, None));
    // « L. 234-1 §II, §V »: a section after a comma belongs to the article before it.
    let mut raw_items: Vec<String> = Vec::new();
    for a in articles.split(", ") {
        match (a.trim().strip_prefix('§'), raw_items.last_mut()) {
            (Some(section), Some(last)) => {
                last.push_str(" et ");
                last.push_str(section);
            }
            _ => raw_items.push(a.trim().to_owned()),
        }
    }
    let items: Vec<String> = raw_items
        .iter()
        .map(|a| {
            let a = a.trim();
            let a = a
                .replace("L. ", &format!("L.{NBSP}"))
                .replace("R. ", &format!("R.{NBSP}"));
            // « §I » → « , I, » ; « al. 1 » → « , alinéa 1, ».
            let mut parts: Vec<String> = Vec::new();
            for word in a.split(' ') {
                if let Some(section) = word.strip_prefix('§') {
                    parts.push(format!(", {section}"));
                } else if word == "al." {
                    parts.push(", alinéa".to_owned());
                } else if parts.last().is_some_and(|p| p == ", alinéa") {
                    let last = parts.pop().unwrap_or_default();
                    parts.push(format!("{last} {word}"));
                } else if word.ends_with('°') {
                    parts.push(format!(", {word}"));
                } else {
                    parts.push(if parts.is_empty() {
                        word.to_owned()
                    } else {
                        format!(" {word}")
                    });
                }
            }
            let joined = parts.concat();
            if joined.contains(", ") && code.is_some() {
                format!("{joined},")
            } else {
                joined
            }
        })
        .collect();
    let word = if items.len() > 1 {
        "articles"
    } else {
        "article"
    };
    let list = join_and(&items);
    match code {
        Some(code) => format!("{word} {list} {code}"),
        None => format!("{word} {list}"),
    }
}

/// A citation with its definite article, as in « prévus par l'article L. 234-1 du code de la
/// route et l'article 434-10 du code pénal », « réprimés par les articles … ».
pub fn with_article(citation: &str) -> String {
    let add = |c: &str| -> String {
        if let Some(rest) = c.strip_prefix("articles ") {
            format!("les articles {rest}")
        } else if let Some(rest) = c.strip_prefix("article ") {
            format!("l'article {rest}")
        } else {
            c.to_owned()
        }
    };
    let parts: Vec<&str> = citation.split(" et article").collect();
    let mut out = add(parts[0]);
    for p in &parts[1..] {
        out.push_str(" et ");
        out.push_str(&add(&format!("article{p}")));
    }
    out
}

/// French spacing in running text: a regular space before « : » becomes a non-breaking space,
/// before « ; ! ? » a narrow non-breaking space, and guillemets hold non-breaking spaces
/// inside (added when missing). Idempotent.
pub fn typography(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        match c {
            ' ' if matches!(next, Some(':')) => out.push(NBSP),
            ' ' if matches!(next, Some(';' | '!' | '?')) => out.push(NNBSP),
            ' ' if matches!(next, Some('»')) => out.push(NBSP),
            ' ' if out.ends_with('«') => out.push(NBSP),
            '»' => {
                if !out.ends_with([NBSP, NNBSP]) {
                    out.push(NBSP);
                }
                out.push('»');
            }
            '«' => {
                out.push('«');
                if !matches!(next, Some(' ' | NBSP | NNBSP)) {
                    out.push(NBSP);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guillemets_hold_non_breaking_spaces() {
        assert_eq!(super::quoted("a.pdf"), "«\u{a0}a.pdf\u{a0}»");
    }

    #[test]
    fn numbers_in_words() {
        let table = [
            (0, "zéro"),
            (1, "un"),
            (16, "seize"),
            (17, "dix-sept"),
            (21, "vingt et un"),
            (22, "vingt-deux"),
            (31, "trente et un"),
            (70, "soixante-dix"),
            (71, "soixante et onze"),
            (77, "soixante-dix-sept"),
            (80, "quatre-vingts"),
            (81, "quatre-vingt-un"),
            (91, "quatre-vingt-onze"),
            (99, "quatre-vingt-dix-neuf"),
            (100, "cent"),
            (101, "cent un"),
            (200, "deux cents"),
            (250, "deux cent cinquante"),
            (1000, "mille"),
            (3000, "trois mille"),
            (1990, "mille neuf cent quatre-vingt-dix"),
            (2000, "deux mille"),
            (2026, "deux mille vingt-six"),
            (80_000, "quatre-vingt mille"),
            (200_000, "deux cent mille"),
            (1_000_000, "un million"),
        ];
        for (n, expect) in table {
            assert_eq!(number_in_words(n), expect, "{n}");
        }
    }

    #[test]
    fn dates() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let table = [
            (
                d(2026, 11, 25),
                "vingt-cinq novembre deux mille vingt-six",
                "25\u{a0}novembre\u{a0}2026",
            ),
            (
                d(2026, 12, 1),
                "premier décembre deux mille vingt-six",
                "1er\u{a0}décembre\u{a0}2026",
            ),
            (
                d(2025, 8, 31),
                "trente et un août deux mille vingt-cinq",
                "31\u{a0}août\u{a0}2025",
            ),
            (
                d(1976, 5, 6),
                "six mai mille neuf cent soixante-seize",
                "6\u{a0}mai\u{a0}1976",
            ),
        ];
        for (date, words, long) in table {
            assert_eq!(date_in_words(date), words);
            assert_eq!(date_long(date), long);
        }
        assert_eq!(date_numeric(d(2026, 2, 3)), "03/02/2026");
    }

    #[test]
    fn times() {
        let table = [
            (23, 40, "23\u{a0}h\u{a0}40", "vingt-trois heures quarante"),
            (1, 5, "1\u{a0}h\u{a0}05", "une heure cinq"),
            (21, 0, "21\u{a0}h", "vingt et une heures"),
            (0, 15, "0\u{a0}h\u{a0}15", "zéro heures quinze"),
        ];
        for (h, m, short, words) in table {
            assert_eq!(time_short(h, m), short);
            assert_eq!(time_in_words(h, m), words);
        }
        assert_eq!(duration_short(22 * 60), "22\u{a0}h");
    }

    #[test]
    fn names() {
        let table = [
            ("Côté", "Mohamed", "Mohamed CÔTÉ"),
            ("dupont", "jean-pierre", "Jean-Pierre DUPONT"),
            ("N'Diaye", "Nicolas", "Nicolas N'DIAYE"),
            ("ÉLIE", "ÉMILE", "Émile ÉLIE"),
            (
                "Kowalski",
                "Noé Jacques Joseph",
                "Noé Jacques Joseph KOWALSKI",
            ),
        ];
        for (sur, given, expect) in table {
            assert_eq!(full_name(given, sur), expect);
        }
        assert_eq!(capitalize("à examiner"), "À examiner");
        assert_eq!(decapitalize("Procès-verbal"), "procès-verbal");
        assert_eq!(decapitalize("CRPC"), "CRPC");
    }

    #[test]
    fn places() {
        let table = [
            ("Melun", "de Melun"),
            ("Évry", "d'Évry"),
            ("Aix-en-Provence", "d'Aix-en-Provence"),
            ("Le Havre", "de Le Havre"),
        ];
        for (place, expect) in table {
            assert_eq!(de(place), expect);
        }
    }

    #[test]
    fn amounts_and_decimals() {
        assert_eq!(euros(4500), "4\u{a0}500\u{a0}€");
        assert_eq!(euros(75_000), "75\u{a0}000\u{a0}€");
        assert_eq!(euros(750), "750\u{a0}€");
        assert_eq!(decimal(0.62, 2), "0,62");
        assert_eq!(decimal(0.298, 3), "0,298");
        assert_eq!(decimal(164.0, 1), "164");
        assert_eq!(decimal(0.40, 2), "0,4");
    }

    #[test]
    fn citations() {
        let nb = NBSP;
        let table = [
            (
                "art. L. 234-1 code de la route",
                format!("article L.{nb}234-1 du code de la route"),
            ),
            (
                "art. L. 234-1 §I code de la route",
                format!("article L.{nb}234-1, I, du code de la route"),
            ),
            (
                "art. L. 234-1, L. 234-2, L. 224-12 code de la route",
                format!("articles L.{nb}234-1, L.{nb}234-2 et L.{nb}224-12 du code de la route"),
            ),
            (
                "art. 434-10 al. 1 code pénal, art. L. 231-1 code de la route",
                format!(
                    "article 434-10, alinéa 1, du code pénal et article L.{nb}231-1 du code de la route"
                ),
            ),
            (
                "art. R. 234-1 code de la route",
                format!("article R.{nb}234-1 du code de la route"),
            ),
            ("art. 144", "article 144".to_owned()),
            (
                "art. L. 234-1 §II, §V code de la route",
                format!("article L.{nb}234-1, II et V, du code de la route"),
            ),
            (
                "art. 221-20 al. 1 2° code pénal, art. L. 232-2 code de la route",
                format!(
                    "article 221-20, alinéa 1, 2°, du code pénal et article L.{nb}232-2 du code de la route"
                ),
            ),
        ];
        for (raw, expect) in table {
            assert_eq!(legal_citation(raw), expect, "{raw}");
        }
    }

    #[test]
    fn citations_with_their_article() {
        let table = [
            ("article 144", "l'article 144"),
            (
                "articles 1 et 2 du code pénal",
                "les articles 1 et 2 du code pénal",
            ),
            (
                "article 434-10 du code pénal et article L. 231-1 du code de la route",
                "l'article 434-10 du code pénal et l'article L. 231-1 du code de la route",
            ),
            (
                "article 1 du code pénal et articles 2 et 3 du code de la route",
                "l'article 1 du code pénal et les articles 2 et 3 du code de la route",
            ),
        ];
        for (raw, expect) in table {
            assert_eq!(with_article(raw), expect, "{raw}");
        }
    }

    #[test]
    fn french_spacing() {
        let table = [
            ("Motif : récidive", "Motif\u{a0}: récidive"),
            ("a ; b", "a\u{202f}; b"),
            ("Vraiment ?", "Vraiment\u{202f}?"),
            ("« oui »", "«\u{a0}oui\u{a0}»"),
            ("«oui»", "«\u{a0}oui\u{a0}»"),
            ("10:30 reste", "10:30 reste"),
            ("déjà «\u{a0}bon\u{a0}»", "déjà «\u{a0}bon\u{a0}»"),
        ];
        for (raw, expect) in table {
            assert_eq!(typography(raw), expect, "{raw}");
            assert_eq!(typography(expect), expect, "idempotent: {raw}");
        }
    }
}
