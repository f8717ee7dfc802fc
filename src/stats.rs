//! Activity figures, derived from the stored data only (`dossier_stats`, kept up to date by
//! `tracking`): dossiers received per day, week and month; per offence family and NATINF; per
//! orientation; proposals accepted or changed (per rule); time from import to decision; the
//! distribution of alcohol rates. Exported as JSON or as CSV that opens in a spreadsheet, and as
//! a pseudonymised list of dossiers that carries no name, birth date, plate or free text.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use serde::Serialize;

use crate::engine::Engine;
use crate::error::Error;
use crate::store::{StatsRef, StatsRow};
use crate::tracking::parse_utc;

/// Which dossiers the figures count.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Filter {
    /// First day received (YYYY-MM-DD), inclusive.
    #[serde(default)]
    pub from: Option<String>,
    /// Last day received (YYYY-MM-DD), inclusive.
    #[serde(default)]
    pub to: Option<String>,
    /// Only dossiers with this offence family.
    #[serde(default)]
    pub family: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RuleFigures {
    pub rule: String,
    pub decided: u64,
    pub accepted: u64,
    pub changed: u64,
    /// changed / decided
    pub changed_share: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Figures {
    pub from: Option<String>,
    pub to: Option<String>,
    pub family: Option<String>,
    pub dossiers: u64,
    pub per_day: BTreeMap<String, u64>,
    /// ISO weeks: "2026-W47".
    pub per_week: BTreeMap<String, u64>,
    pub per_month: BTreeMap<String, u64>,
    pub per_family: BTreeMap<String, u64>,
    pub per_natinf: BTreeMap<String, u64>,
    /// Orientations decided (the last decision of each dossier).
    pub per_orientation: BTreeMap<String, u64>,
    pub proposed: BTreeMap<String, u64>,
    pub decided: u64,
    pub accepted: u64,
    pub changed: u64,
    /// accepted / decided (0 when nothing was decided).
    pub accepted_share: f64,
    /// Per decisive rule, the rules magistrates override most first.
    pub per_rule: Vec<RuleFigures>,
    /// Hours from import to decision.
    pub decision_hours_median: Option<f64>,
    pub decision_hours_p90: Option<f64>,
    /// Retained rates in mg/L of exhaled air (blood rates converted), by band.
    pub alcohol_bands: BTreeMap<String, u64>,
}

/// The alcohol bands, lowest first: (label, upper bound exclusive).
const BANDS: [(&str, f64); 7] = [
    ("moins de 0,25", 0.25),
    ("0,25 à 0,39", 0.40),
    ("0,40 à 0,59", 0.60),
    ("0,60 à 0,79", 0.80),
    ("0,80 à 0,99", 1.00),
    ("1,00 à 1,49", 1.50),
    ("1,50 et plus", f64::INFINITY),
];

fn band_index(rate: f64) -> usize {
    BANDS
        .iter()
        .position(|(_, upper)| rate < *upper - 1e-9)
        .unwrap_or(BANDS.len() - 1)
}

#[cfg(test)]
fn band(rate: f64) -> &'static str {
    BANDS[band_index(rate)].0
}

fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    let v = sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64);
    Some((v * 10.0).round() / 10.0)
}

/// "2026-11-16T08:00:00Z" → (date, seconds since 1970): read by position, for speed (the
/// store writes every instant in this one form).
fn instant(s: &str) -> Option<(chrono::NaiveDate, i64)> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return parse_utc(s).map(|d| (d.date_naive(), d.timestamp()));
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse().ok() };
    let date = chrono::NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let secs =
        i64::from(num(11..13)?) * 3600 + i64::from(num(14..16)?) * 60 + i64::from(num(17..19)?);
    let days = date
        .signed_duration_since(chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?)
        .num_days();
    Some((date, days * 86_400 + secs))
}

/// Counts under a string key without copying the key once it is known.
fn count(map: &mut HashMap<String, u64>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_owned(), 1);
        }
    }
}

fn sorted(map: HashMap<String, u64>) -> BTreeMap<String, u64> {
    map.into_iter().collect()
}

/// The figures, counted one row at a time.
#[derive(Default)]
struct Tally {
    f: Figures,
    days: HashMap<chrono::NaiveDate, u64>,
    weeks: HashMap<(i32, u32), u64>,
    months: HashMap<(i32, u32), u64>,
    families: HashMap<String, u64>,
    natinf: HashMap<String, u64>,
    proposed: HashMap<String, u64>,
    decided: HashMap<String, u64>,
    bands: [u64; BANDS.len()],
    rules: HashMap<String, RuleFigures>,
    hours: Vec<f64>,
}

impl Tally {
    fn add(&mut self, r: &StatsRef, filter: &Filter) {
        if let Some(family) = &filter.family
            && !r.families.split(',').any(|f| f == family)
        {
            return;
        }
        self.f.dossiers += 1;
        let Some((day, received)) = instant(r.received) else {
            return;
        };
        *self.days.entry(day).or_default() += 1;
        let week = day.iso_week();
        *self.weeks.entry((week.year(), week.week())).or_default() += 1;
        *self.months.entry((day.year(), day.month())).or_default() += 1;
        for family in r.families.split(',').filter(|f| !f.is_empty()) {
            count(&mut self.families, family);
        }
        for code in r.natinf.split(',').filter(|c| !c.is_empty()) {
            count(&mut self.natinf, code);
        }
        if let Some(p) = r.proposed {
            count(&mut self.proposed, p);
        }
        if let Some(rate) = r.alcohol_mg_l {
            self.bands[band_index(rate)] += 1;
        }
        let Some(decided) = r.decided else { return };
        count(&mut self.decided, decided);
        self.f.decided += 1;
        let accepted = r.accepted == Some(true);
        if accepted {
            self.f.accepted += 1;
        } else {
            self.f.changed += 1;
        }
        let rule = r.proposed_rule.unwrap_or("(aucune règle)");
        if !self.rules.contains_key(rule) {
            self.rules.insert(
                rule.to_owned(),
                RuleFigures {
                    rule: rule.to_owned(),
                    ..RuleFigures::default()
                },
            );
        }
        let entry = self.rules.get_mut(rule).expect("inserted");
        entry.decided += 1;
        if accepted {
            entry.accepted += 1;
        } else {
            entry.changed += 1;
        }
        if let Some((_, at)) = r.decided_at.and_then(instant) {
            self.hours.push((at - received) as f64 / 3600.0);
        }
    }

    fn finish(self) -> Figures {
        let mut f = self.f;
        let mut days: Vec<_> = self.days.into_iter().collect();
        days.sort_unstable();
        f.per_day = days.into_iter().map(|(d, n)| (d.to_string(), n)).collect();
        f.per_week = self
            .weeks
            .into_iter()
            .map(|((y, w), n)| (format!("{y}-W{w:02}"), n))
            .collect();
        f.per_month = self
            .months
            .into_iter()
            .map(|((y, m), n)| (format!("{y}-{m:02}"), n))
            .collect();
        f.per_family = sorted(self.families);
        f.per_natinf = sorted(self.natinf);
        f.proposed = sorted(self.proposed);
        f.per_orientation = sorted(self.decided);
        f.alcohol_bands = BANDS
            .iter()
            .zip(self.bands)
            .filter(|(_, n)| *n > 0)
            .map(|((label, _), n)| ((*label).to_owned(), n))
            .collect();
        f.accepted_share = if f.decided == 0 {
            0.0
        } else {
            f.accepted as f64 / f.decided as f64
        };
        f.per_rule = self
            .rules
            .into_values()
            .map(|mut r| {
                r.changed_share = r.changed as f64 / r.decided.max(1) as f64;
                r
            })
            .collect();
        f.per_rule.sort_by(|a, b| {
            b.changed_share
                .total_cmp(&a.changed_share)
                .then(b.decided.cmp(&a.decided))
                .then(a.rule.cmp(&b.rule))
        });
        let mut hours = self.hours;
        hours.sort_by(f64::total_cmp);
        f.decision_hours_median = quantile(&hours, 0.5);
        f.decision_hours_p90 = quantile(&hours, 0.9);
        f
    }
}

/// The figures of `rows` (already filtered by period).
pub fn figures(rows: &[StatsRow], filter: &Filter) -> Figures {
    let mut tally = Tally::default();
    for r in rows {
        r.with_ref(|r| tally.add(r, filter));
    }
    with_filter(tally.finish(), filter)
}

fn with_filter(mut f: Figures, filter: &Filter) -> Figures {
    f.from = filter.from.clone();
    f.to = filter.to.clone();
    f.family = filter.family.clone();
    f
}

/// How numbers are written in CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decimal {
    Point,
    /// "0,62": what a French spreadsheet reads as a number.
    Comma,
}

fn number(v: f64, decimal: Decimal) -> String {
    let s = format!("{}", (v * 1000.0).round() / 1000.0);
    match decimal {
        Decimal::Point => s,
        Decimal::Comma => s.replace('.', ","),
    }
}

/// A CSV field: quoted when it holds the separator, a quote or a line end.
fn field(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// UTF-8 with a byte order mark, `;` between fields, CRLF line ends: what spreadsheets open
/// without asking.
fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(";"));
    out.push_str("\r\n");
    for r in rows {
        out.push_str(&r.iter().map(|f| field(f)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    }
    out
}

/// The figures as one CSV table: indicator, key, value.
pub fn figures_csv(f: &Figures, decimal: Decimal) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut push = |indicator: &str, key: &str, value: String| {
        rows.push(vec![indicator.to_owned(), key.to_owned(), value]);
    };
    push("dossiers", "", f.dossiers.to_string());
    for (k, v) in &f.per_day {
        push("reçus par jour", k, v.to_string());
    }
    for (k, v) in &f.per_week {
        push("reçus par semaine", k, v.to_string());
    }
    for (k, v) in &f.per_month {
        push("reçus par mois", k, v.to_string());
    }
    for (k, v) in &f.per_family {
        push("par famille d'infraction", k, v.to_string());
    }
    for (k, v) in &f.per_natinf {
        push("par NATINF", k, v.to_string());
    }
    for (k, v) in &f.proposed {
        push("orientations proposées", k, v.to_string());
    }
    for (k, v) in &f.per_orientation {
        push("orientations décidées", k, v.to_string());
    }
    push("décisions", "", f.decided.to_string());
    push("propositions acceptées", "", f.accepted.to_string());
    push("propositions modifiées", "", f.changed.to_string());
    push(
        "part des propositions acceptées",
        "",
        number(f.accepted_share, decimal),
    );
    for r in &f.per_rule {
        push(
            "propositions modifiées par règle",
            &r.rule,
            format!("{}/{}", r.changed, r.decided),
        );
    }
    if let Some(h) = f.decision_hours_median {
        push(
            "délai import-décision (heures), médiane",
            "",
            number(h, decimal),
        );
    }
    if let Some(h) = f.decision_hours_p90 {
        push(
            "délai import-décision (heures), 90e centile",
            "",
            number(h, decimal),
        );
    }
    for (label, _) in BANDS {
        if let Some(v) = f.alcohol_bands.get(label) {
            push("alcoolémie (mg/L d'air expiré)", label, v.to_string());
        }
    }
    csv(&["indicateur", "clé", "valeur"], &rows)
}

/// A dossier as it may leave the laptop: a pseudonym, the month, the offences, the rate, the
/// orientations, the delay. No name, birth date, plate, place or free text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PseudonymousDossier {
    pub pseudonym: String,
    pub month: String,
    pub families: Vec<String>,
    pub natinf: Vec<String>,
    pub alcohol_mg_l: Option<f64>,
    pub proposed: Option<String>,
    pub proposed_rule: Option<String>,
    pub decided: Option<String>,
    pub accepted: Option<bool>,
    pub decision_hours: Option<f64>,
}

/// The pseudonymised dossiers of `rows`; `secret` (kept in the data directory) makes the
/// pseudonyms stable on this laptop and meaningless elsewhere.
pub fn pseudonymised(rows: &[StatsRow], filter: &Filter, secret: &str) -> Vec<PseudonymousDossier> {
    rows.iter()
        .filter(|r| {
            filter
                .family
                .as_ref()
                .is_none_or(|f| r.families.contains(f))
        })
        .map(|r| {
            let received = instant(&r.received);
            let decision_hours = match (received, r.decided_at.as_deref().and_then(instant)) {
                (Some((_, a)), Some((_, b))) => Some(((b - a) as f64 / 360.0).round() / 10.0),
                _ => None,
            };
            PseudonymousDossier {
                pseudonym: pseudonym(secret, r.dossier),
                month: r.received.get(..7).unwrap_or_default().to_owned(),
                families: r.families.clone(),
                natinf: r.natinf.clone(),
                alcohol_mg_l: r.alcohol_mg_l,
                proposed: r.proposed.clone(),
                proposed_rule: r.proposed_rule.clone(),
                decided: r.decided.clone(),
                accepted: r.accepted,
                decision_hours,
            }
        })
        .collect()
}

/// 12 hex digits of SHA-256 over the secret and the dossier number.
fn pseudonym(secret: &str, dossier: i64) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(secret.as_bytes())
        .chain_update(b":")
        .chain_update(dossier.to_le_bytes())
        .finalize();
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

pub fn pseudonymised_csv(list: &[PseudonymousDossier], decimal: Decimal) -> String {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|d| {
            vec![
                d.pseudonym.clone(),
                d.month.clone(),
                d.families.join(","),
                d.natinf.join(","),
                d.alcohol_mg_l
                    .map(|v| number(v, decimal))
                    .unwrap_or_default(),
                d.proposed.clone().unwrap_or_default(),
                d.proposed_rule.clone().unwrap_or_default(),
                d.decided.clone().unwrap_or_default(),
                d.accepted
                    .map(|a| if a { "oui" } else { "non" }.to_owned())
                    .unwrap_or_default(),
                d.decision_hours
                    .map(|v| number(v, decimal))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    csv(
        &[
            "pseudonyme",
            "mois",
            "familles",
            "natinf",
            "alcoolémie (mg/L)",
            "orientation proposée",
            "règle",
            "orientation décidée",
            "proposition acceptée",
            "délai (heures)",
        ],
        &rows,
    )
}

fn check_dates(filter: &Filter) -> Result<(), Error> {
    for date in [&filter.from, &filter.to].into_iter().flatten() {
        if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
            return Err(crate::tracking::TrackingError::BadDate(date.clone()).into());
        }
    }
    Ok(())
}

impl Engine {
    fn stats_rows(&self, filter: &Filter) -> Result<Vec<StatsRow>, Error> {
        check_dates(filter)?;
        Ok(self
            .store()
            .stats_rows(filter.from.as_deref(), filter.to.as_deref())?)
    }

    /// `permanence stats`: the figures of the dossiers received in the period, counted while
    /// the rows are read.
    pub fn figures(&self, filter: &Filter) -> Result<Figures, Error> {
        check_dates(filter)?;
        let mut tally = Tally::default();
        self.store()
            .scan_stats(filter.from.as_deref(), filter.to.as_deref(), &mut |r| {
                tally.add(r, filter)
            })?;
        Ok(with_filter(tally.finish(), filter))
    }

    /// The pseudonymised dossiers of the period.
    pub fn pseudonymised(&mut self, filter: &Filter) -> Result<Vec<PseudonymousDossier>, Error> {
        let secret = self.store_mut().pseudonym_secret()?;
        Ok(pseudonymised(&self.stats_rows(filter)?, filter, &secret))
    }
}

/// What the figures benchmark measured.
#[derive(Debug, Clone, Serialize)]
pub struct StatsBench {
    pub dossiers: usize,
    pub runs: usize,
    /// Reading the rows and computing every figure, median and maximum.
    pub figures_p50_ms: f64,
    pub figures_max_ms: f64,
    /// The same for one family filter.
    pub figures_family_p50_ms: f64,
    /// The CSV export of the figures.
    pub csv_p50_ms: f64,
    /// The pseudonymised list.
    pub pseudonymised_p50_ms: f64,
    /// The whole dossier list (`permanence list`).
    pub list_p50_ms: f64,
    /// One page of 100 (what the app shows), filtered by a family.
    pub list_page_p50_ms: f64,
}

/// Generated dossiers, deterministic: spread over two years, every family, rates, decisions.
pub fn generated_rows(n: usize) -> Vec<StatsRow> {
    const FAMILIES: [&str; 8] = [
        "alcool_delit",
        "alcool_contravention",
        "stupefiants",
        "defaut_permis",
        "defaut_assurance",
        "refus_obtemperer",
        "exces_vitesse",
        "blessures_involontaires",
    ];
    const ORIENTATIONS: [&str; 5] = [
        "composition_penale",
        "ordonnance_penale",
        "crpc_convocation",
        "copj",
        "amende_forfaitaire",
    ];
    let start = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
        .expect("valid")
        .with_timezone(&chrono::Utc);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        // xorshift: reproducible without a crate.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|i| {
            let received = start + chrono::Duration::minutes((i as i64 * 730 * 24 * 60) / n as i64);
            let family = FAMILIES[(next() % 8) as usize];
            let mut families = vec![family.to_owned()];
            if next() % 4 == 0 {
                families.push(FAMILIES[(next() % 8) as usize].to_owned());
                families.sort();
                families.dedup();
            }
            let decided = next() % 10 < 8;
            let proposed = ORIENTATIONS[(next() % 5) as usize];
            let accepted = next() % 10 < 7;
            StatsRow {
                dossier: i as i64 + 1,
                received: received.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                families,
                natinf: vec!["1247".to_owned()],
                alcohol_mg_l: family
                    .starts_with("alcool")
                    .then(|| 0.20 + (next() % 150) as f64 / 100.0),
                facts_date: Some(received.date_naive().to_string()),
                proposed: Some(proposed.to_owned()),
                proposed_rule: Some(format!("r{}", next() % 11 + 1)),
                decided: decided.then(|| {
                    if accepted {
                        proposed.to_owned()
                    } else {
                        ORIENTATIONS[(next() % 5) as usize].to_owned()
                    }
                }),
                accepted: decided.then_some(accepted),
                decided_at: decided.then(|| {
                    (received + chrono::Duration::minutes((next() % 4000) as i64))
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                }),
            }
        })
        .collect()
}

/// `permanence bench`: figures over `dossiers` generated dossiers in a scratch data directory.
pub fn bench(dossiers: usize, runs: usize) -> Result<StatsBench, Error> {
    let tmp = tempfile::tempdir().map_err(|e| crate::store::StoreError::Io {
        path: std::env::temp_dir(),
        source: e,
    })?;
    let mut engine = Engine::open(
        crate::store::DataDir::at(tmp.path()),
        crate::crypto::Keys::ephemeral(),
    )?;
    engine
        .store_mut()
        .insert_generated_dossiers(&generated_rows(dossiers))?;
    let time = |f: &mut dyn FnMut() -> Result<(), Error>| -> Result<(f64, f64), Error> {
        let mut ms = Vec::new();
        for _ in 0..runs {
            let t = std::time::Instant::now();
            f()?;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        ms.sort_by(f64::total_cmp);
        Ok((ms[ms.len() / 2], ms[ms.len() - 1]))
    };
    let all = Filter::default();
    let (figures_p50_ms, figures_max_ms) = time(&mut || {
        let f = engine.figures(&all)?;
        assert_eq!(f.dossiers as usize, dossiers);
        Ok(())
    })?;
    let family = Filter {
        family: Some("alcool_delit".to_owned()),
        ..Filter::default()
    };
    let (figures_family_p50_ms, _) = time(&mut || engine.figures(&family).map(|_| ()))?;
    let (csv_p50_ms, _) = time(&mut || {
        engine
            .figures(&all)
            .map(|f| drop(figures_csv(&f, Decimal::Comma)))
    })?;
    let (pseudonymised_p50_ms, _) = time(&mut || engine.pseudonymised(&all).map(|_| ()))?;
    let (list_p50_ms, _) = time(&mut || engine.list().map(|_| ()))?;
    let page = crate::store::ListQuery {
        family: Some("stupefiants".to_owned()),
        limit: 100,
        ..crate::store::ListQuery::default()
    };
    let (list_page_p50_ms, _) = time(&mut || {
        let p = engine.list_page(&page)?;
        assert_eq!(p.dossiers.len(), (p.total as usize).min(100));
        Ok(())
    })?;
    Ok(StatsBench {
        dossiers,
        runs,
        figures_p50_ms,
        figures_max_ms,
        figures_family_p50_ms,
        csv_p50_ms,
        pseudonymised_p50_ms,
        list_p50_ms,
        list_page_p50_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        dossier: i64,
        received: &str,
        families: &[&str],
        decided: Option<(&str, bool, &str)>,
    ) -> StatsRow {
        StatsRow {
            dossier,
            received: received.into(),
            families: families.iter().map(|f| f.to_string()).collect(),
            natinf: vec!["1247".into()],
            alcohol_mg_l: Some(0.62),
            proposed: Some("composition_penale".into()),
            proposed_rule: Some("r7".into()),
            decided: decided.map(|d| d.0.to_owned()),
            accepted: decided.map(|d| d.1),
            decided_at: decided.map(|d| d.2.to_owned()),
            ..StatsRow::default()
        }
    }

    #[test]
    fn figures_of_a_few_dossiers() {
        let rows = vec![
            row(
                1,
                "2026-11-16T08:00:00Z",
                &["alcool_delit"],
                Some(("composition_penale", true, "2026-11-16T10:00:00Z")),
            ),
            row(
                2,
                "2026-11-16T09:00:00Z",
                &["alcool_delit", "defaut_permis"],
                Some(("copj", false, "2026-11-16T13:00:00Z")),
            ),
            row(3, "2026-11-23T09:00:00Z", &["stupefiants"], None),
        ];
        let f = figures(&rows, &Filter::default());
        assert_eq!(f.dossiers, 3);
        assert_eq!(f.per_day["2026-11-16"], 2);
        assert_eq!(f.per_week["2026-W47"], 2);
        assert_eq!(f.per_week["2026-W48"], 1);
        assert_eq!(f.per_month["2026-11"], 3);
        assert_eq!(f.per_family["alcool_delit"], 2);
        assert_eq!(f.per_orientation["copj"], 1);
        assert_eq!((f.decided, f.accepted, f.changed), (2, 1, 1));
        assert_eq!(f.accepted_share, 0.5);
        assert_eq!(f.per_rule[0].rule, "r7");
        assert_eq!(f.per_rule[0].changed, 1);
        assert_eq!(f.decision_hours_median, Some(3.0));
        assert_eq!(f.decision_hours_p90, Some(3.8));
        assert_eq!(f.alcohol_bands["0,60 à 0,79"], 3);
        let only = figures(
            &rows,
            &Filter {
                family: Some("defaut_permis".into()),
                ..Filter::default()
            },
        );
        assert_eq!(only.dossiers, 1);
        let csv = figures_csv(&f, Decimal::Comma);
        assert!(csv.starts_with("\u{feff}indicateur;clé;valeur\r\n"));
        assert!(
            csv.contains("part des propositions acceptées;;0,5\r\n"),
            "{csv}"
        );
        assert!(figures_csv(&f, Decimal::Point).contains(";;0.5\r\n"));
    }

    #[test]
    fn bands_and_quantiles() {
        assert_eq!(band(0.24), "moins de 0,25");
        assert_eq!(band(0.25), "0,25 à 0,39");
        assert_eq!(band(0.40), "0,40 à 0,59");
        assert_eq!(band(2.5), "1,50 et plus");
        assert_eq!(quantile(&[1.0], 0.9), Some(1.0));
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(field("a;b"), "\"a;b\"");
    }
}
