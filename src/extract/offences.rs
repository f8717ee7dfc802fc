//! Offences: the sentences that state them (compte rendu "à savoir :", notification "les
//! infractions de", synthèse "Les faits sont qualifiés de", a decision's prévention), read as
//! families, then given their most specific NATINF code.

use std::sync::LazyLock;

use regex::Regex;

use super::text::View;

/// Openings of the sentences stating the offences; the sentence runs to its full stop.
static CHARGES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)à savoir\s*:\s*",
        r"(?i)faits sont qualifiés (?:de |d')",
        r"(?i)soupçonnée? d'avoir commis,?[^.;]{0,150}?l(?:es |')infractions? (?:de |d')?",
        r"(?i)(?:du chef|des chefs) d(?:e |')",
        r"(?i)pour des faits d(?:e |')",
        r"(?i)infractions? (?:suivantes?|relevées?|retenues?|reprochées?)\s*:\s*",
    ]
    .iter()
    .map(|r| Regex::new(&tolerant(r)).unwrap())
    .collect()
});

/// A pattern tolerant to stray spaces inside words and to lost accents.
fn tolerant(pattern: &str) -> String {
    super::text::accents(&super::text::loose(pattern))
}
/// A full stop ending a sentence (not the one of "0.62").
static SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\.(?:\s+\p{Lu}|\s*$)").unwrap());
/// A decision's prévention, up to its motifs.
static PREVENTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&super::text::accents(r"PRÉVENTION\s*:")).unwrap());
static MOTIFS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"MOTIFS").unwrap());

/// Byte ranges of the view's charge sentences.
fn charge_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for re in CHARGES.iter() {
        for m in re.find_iter(text) {
            let window = super::text::after(text, m.end(), 800);
            let end = SENTENCE_END
                .find(window)
                .map_or(m.end() + window.len(), |e| m.end() + e.start());
            out.push((m.end(), end));
        }
    }
    for m in PREVENTION.find_iter(text) {
        let end = MOTIFS
            .find_at(text, m.end())
            .map_or(text.len(), |e| e.start());
        out.push((m.end(), end));
    }
    out
}

pub struct Found {
    pub family: &'static str,
    pub start: usize,
    pub end: usize,
    /// "en état de récidive légale" follows this offence before the next one.
    pub recidive: bool,
}

static FAMILIES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    [
        (
            "refus_verification_alcool",
            r"refus\w*[^.;]{0,60}?(?:vérifications?|dépistage)[^.;]{0,40}?(?:état alcoolique|alcoolémie|imprégnation alcoolique)|refus\w* de souffler",
        ),
        (
            "refus_verification_stupefiants",
            r"refus\w*[^.;]{0,60}?(?:vérifications?|dépistage|prélèvement)[^.;]{0,60}?stupéfiants",
        ),
        ("ivresse_manifeste", r"ivresse manifeste"),
        (
            "alcool",
            r"état alcoolique|taux d'alcool|alcoolémie|concentration d'alcool|\bC\.?E\.?A\b|\bC\.?E\.?E\.?A\b|état d'ébriété",
        ),
        ("stupefiants", r"stupéfiants?\b|\bstups?\b|produits stupéfiants"),
        (
            "conduite_malgre_suspension",
            r"(?:malgré|en dépit d[eu'] ?|au mépris d[eu'] ?)[^.;]{0,80}?(?:suspension|annulation|invalidation|rétention)|pendant (?:une |la |l')(?:suspension|annulation|invalidation|rétention)|permis (?:suspendu|annulé|invalidé)",
        ),
        (
            "defaut_permis",
            r"sans (?:être titulaire du )?permis|défaut de permis|non titulaire du permis|(?:pas|plus) titulaire (?:du|d'un) permis|jamais obtenu (?:le|de) permis",
        ),
        (
            "defaut_assurance",
            r"assurance|non assurée?\b|sans être assurée?\b|défaut de garantie",
        ),
        ("refus_obtemperer", r"obtempérer"),
        (
            "delit_fuite",
            r"fuite|omis de s'arrêter|échapper à la responsabilité",
        ),
        (
            "exces_vitesse",
            r"excès de vitesse|dépassé de \d+ km/h|dépassement de \d+ km/h",
        ),
        (
            "blessures_involontaires",
            r"blessures|involontairement causé[^.;]{0,40}?incapacité|atteinte involontaire à l'intégrité",
        ),
        (
            "homicide_involontaire",
            r"homicide|involontairement causé la mort|atteinte involontaire à la vie",
        ),
        ("outrage_rebellion", r"outrag|rébellion|résistance violente"),
    ]
    .into_iter()
    .map(|(f, r)| (f, Regex::new(&tolerant(&format!("(?i){r}"))).unwrap()))
    .collect()
});

static RECIDIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&super::text::accents(r"(?i)(?:état de |en )récidive")).unwrap());

/// The families named in `text` (offsets relative to it); "alcool" is decided later from the rate.
pub fn families(text: &str) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for (family, re) in FAMILIES.iter() {
        let mut pos = 0;
        while let Some(m) = re.find_at(text, pos) {
            if taken.iter().any(|&(a, b)| m.start() < b && a < m.end()) {
                pos = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            pos = m.end();
            taken.push((m.start(), m.end()));
            found.push(Found {
                family,
                start: m.start(),
                end: m.end(),
                recidive: false,
            });
        }
    }
    found.sort_by_key(|f| f.start);
    let recidives: Vec<usize> = RECIDIVE.find_iter(text).map(|m| m.start()).collect();
    for i in 0..found.len() {
        let next = found.get(i + 1).map_or(text.len(), |f| f.start);
        let end = found[i].end;
        found[i].recidive = recidives.iter().any(|&r| r >= end && r < next);
    }
    found
}

/// A previous conviction cited inside a charge (a decision's récidive clause).
static CITED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:pour avoir|ayant) été (?:définitivement )?condamnée?.{0,400}?(?:assimilé[^,]*|code pénal|,\s)").unwrap()
});

/// `text` with the convictions it cites blanked out (same length, so offsets hold).
fn without_cited(text: &str) -> String {
    let mut out = text.to_owned();
    for m in CITED.find_iter(text) {
        out.replace_range(m.range(), &" ".repeat(m.len()));
    }
    out
}

/// Offences in the charge sentences of the view (offsets in the view).
pub fn charged(view: &View) -> Vec<Found> {
    let mut all = Vec::new();
    for (start, end) in charge_ranges(&view.text) {
        for mut f in families(&without_cited(&view.text[start..end])) {
            f.start += start;
            f.end += start;
            all.push(f);
        }
    }
    all
}

/// Whether the charge sentences call the alcohol offence a contravention.
pub fn says_contravention(view: &View, found: &Found) -> bool {
    let after = super::text::after(&view.text, found.end, 120).to_lowercase();
    let before = super::text::before(&view.text, found.start, 60).to_lowercase();
    after.contains("contravention") && !after.contains("délit")
        || before.contains("contravention")
        || after.starts_with(" contraventionnel")
        || (after.contains("contraventionnel"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &[(&str, bool)]) {
        let got: Vec<(&str, bool)> = families(&without_cited(input))
            .iter()
            .map(|f| (f.family, f.recidive))
            .collect();
        assert_eq!(got, expect, "{input}");
    }

    #[test]
    fn families_in_charges() {
        check(
            "refus de se soumettre aux vérifications de l'état alcoolique et délit de fuite",
            &[("refus_verification_alcool", false), ("delit_fuite", false)],
        );
        check(
            "défaut de permis de conduire, en état de récidive légale, défaut d'assurance",
            &[("defaut_permis", true), ("defaut_assurance", false)],
        );
        check(
            "conduite sous l'empire d'un état alcoolique et refus de se soumettre aux vérifications destinées à établir l'usage de stupéfiants",
            &[("alcool", false), ("refus_verification_stupefiants", false)],
        );
        check(
            "conduite d'un véhicule malgré l'annulation judiciaire du permis de conduire",
            &[("conduite_malgre_suspension", false)],
        );
        check(
            "CONDUITE D'UN VEHICULE SANS PERMIS ET NON ASSURE, CEA",
            &[
                ("defaut_permis", false),
                ("defaut_assurance", false),
                ("alcool", false),
            ],
        );
        // The conviction a récidive clause cites is not charged.
        check(
            "conduite sous l'empire d'un état alcoolique, le prévenu ayant été définitivement condamné le 3 mai 2022 par le tribunal correctionnel de Lille pour usage de stupéfiants, délit assimilé, et délit de fuite",
            &[("alcool", false), ("delit_fuite", false)],
        );
        check(
            "conduite en dépit de l'annulation de son permis et refus de souffler dans l'appareil",
            &[
                ("conduite_malgre_suspension", false),
                ("refus_verification_alcool", false),
            ],
        );
        check(
            "conduite pendant la suspension administrative de son permis de conduire",
            &[("conduite_malgre_suspension", false)],
        );
        check(
            "atteinte involontaire à la vie et atteinte involontaire à l'intégrité de la personne par conducteur",
            &[
                ("homicide_involontaire", false),
                ("blessures_involontaires", false),
            ],
        );
        check(
            "conduite sous l'emprise de stupéfiant en récidive, refus d'obtempérer",
            &[("stupefiants", true), ("refus_obtemperer", false)],
        );
    }
}
