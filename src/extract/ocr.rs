//! Repairs of text read by OCR, made only where they are safe: inside numbers (letters that
//! Tesseract confuses with digits: « 0,4O » is 0,40, « l,24 » is 1,24) and inside known
//! keywords whose accents were lost (« ethylometre » is « éthylomètre »). Every repair keeps
//! the number of characters, so offsets into the page text stay one to one and evidence still
//! quotes the page as it was read. Words split by a stray space are already tolerated by the
//! extractors' patterns (`text::loose`).

/// Letters read in place of a digit, and the digit.
fn digit_for(c: char) -> Option<char> {
    match c {
        // Never 'D' or 'B': cotes (« D12 ») and the casier's B1 start with them.
        'O' | 'o' => Some('0'),
        'I' | 'l' | '|' | 'i' => Some('1'),
        'S' => Some('5'),
        _ => None,
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, ',' | '.' | '/' | ':' | 'h' | '-')
}

/// Keywords of the extractors, as written, that OCR may read without their accents.
const KEYWORDS: &[&str] = &[
    "éthylomètre",
    "éthylomètres",
    "alcoolémie",
    "alcoolémique",
    "expiré",
    "état",
    "véhicule",
    "procès-verbal",
    "procès",
    "délit",
    "récidive",
    "réitération",
    "stupéfiants",
    "stupéfiant",
    "dépistage",
    "prélèvement",
    "vérification",
    "vérifications",
    "défaut",
    "obtempérer",
    "rébellion",
    "décès",
    "décédé",
    "décédée",
    "incapacité",
    "blessé",
    "blessée",
    "blessés",
    "annulé",
    "annulée",
    "invalidé",
    "suspendu",
    "rétention",
    "validité",
    "prénoms",
    "prénom",
    "né",
    "née",
    "prévenu",
    "prévenue",
    "prévention",
    "résultat",
    "supérieur",
    "supérieure",
    "médecin",
    "médical",
    "médicale",
    "éthanol",
    "gardé",
    "déféré",
    "déférement",
    "enquêteur",
    "témoin",
    "témoins",
    "mis en cause",
    "ivresse",
    "manifeste",
    "excès",
    "sécurité",
    "février",
    "août",
    "décembre",
    "mètres",
    "kilomètres",
];

/// The keyword `word` stands for when OCR lost its accents (compared without case), if any.
fn keyword_for(word: &[char]) -> Option<&'static str> {
    if word.len() < 2 || word.iter().any(|c| !c.is_ascii()) {
        return None;
    }
    KEYWORDS.iter().copied().find(|k| {
        k.chars().count() == word.len()
            && k.chars()
                .zip(word)
                .all(|(k, w)| fold(k) == w.to_ascii_lowercase())
    })
}

fn fold(c: char) -> char {
    match c {
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'à' | 'â' => 'a',
        'î' | 'ï' => 'i',
        'ô' => 'o',
        'û' | 'ù' | 'ü' => 'u',
        'ç' => 'c',
        c => c,
    }
}

/// The page text with OCR's confusions repaired, one character for each character of `text`.
pub fn repair(text: &str) -> Vec<char> {
    let mut chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let end = chars[i..]
            .iter()
            .position(|c| c.is_whitespace())
            .map_or(chars.len(), |p| i + p);
        repair_token(&mut chars[i..end]);
        i = end;
    }
    chars
}

fn repair_token(token: &mut [char]) {
    // The number at the start of the token ("0,4O" of "0,4Omg/l"): digits, letters read for
    // digits and separators, with at least one real digit and more digits than letters.
    let start = token
        .iter()
        .position(|c| !matches!(c, '(' | '[' | '«' | '"'))
        .unwrap_or(token.len());
    let len = token[start..]
        .iter()
        .position(|&c| !(c.is_ascii_digit() || digit_for(c).is_some() || is_separator(c)))
        .unwrap_or(token.len() - start);
    let number = &mut token[start..start + len];
    let digits = number.iter().filter(|c| c.is_ascii_digit()).count();
    let letters = number.iter().filter(|c| digit_for(**c).is_some()).count();
    if digits > 0 && letters > 0 && letters <= digits {
        // Only letters that touch a digit or a separator inside the number are read as digits
        // ("10h" keeps its "h": it is a separator, never a letter read for a digit).
        for k in 0..number.len() {
            let c = number[k];
            let Some(d) = digit_for(c) else { continue };
            let touches = |j: Option<usize>| {
                j.and_then(|j| number.get(j))
                    .is_some_and(|n| n.is_ascii_digit() || matches!(n, ',' | '.'))
            };
            if touches(k.checked_sub(1)) || touches(Some(k + 1)) {
                number[k] = d;
            }
        }
        return;
    }
    // A keyword without its accents, alone or after an elision ("l'ethylometre").
    let word_start = token
        .iter()
        .rposition(|c| matches!(c, '\'' | '\u{2019}'))
        .map_or(0, |p| p + 1);
    let word_end = token[word_start..]
        .iter()
        .position(|c| !(c.is_alphabetic() || *c == '-'))
        .map_or(token.len(), |p| word_start + p);
    let word = &mut token[word_start..word_end];
    if let Some(keyword) = keyword_for(word) {
        for (w, k) in word.iter_mut().zip(keyword.chars()) {
            if fold(k) != k {
                *w = if w.is_uppercase() {
                    k.to_uppercase().next().unwrap_or(k)
                } else {
                    k
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        let repaired: String = repair(input).into_iter().collect();
        assert_eq!(repaired, expect, "{input:?}");
        assert_eq!(
            repaired.chars().count(),
            input.chars().count(),
            "offsets stay one to one"
        );
    }

    #[test]
    fn letters_read_for_digits_inside_numbers() {
        check("0,4O mg/l", "0,40 mg/l");
        check("O,62 mg/l", "0,62 mg/l");
        check("l,24 g/l", "1,24 g/l");
        check("0,4Omg/l", "0,40mg/l");
        check("le 12/O3/2026 à 2lh3O", "le 12/03/2026 à 21h30");
        check("(0,S2)", "(0,52)");
        check("cote D12, bulletin n° 1 B1", "cote D12, bulletin n° 1 B1");
    }

    #[test]
    fn words_are_left_alone() {
        check("Il a soufflé", "Il a soufflé");
        check("l'alcool", "l'alcool");
        check("mg/l", "mg/l");
        check("10h30 OI", "10h30 OI");
        check("SO", "SO");
        check("Oise 60", "Oise 60");
    }

    #[test]
    fn keywords_get_their_accents_back() {
        check("l'ethylometre indique", "l'éthylomètre indique");
        check("ETHYLOMETRE", "ÉTHYLOMÈTRE");
        check("en etat d'ivresse", "en état d'ivresse");
        check("proces-verbal", "procès-verbal");
        check("air expire", "air expiré");
        check("Récidive", "Récidive");
        check("etats", "etats");
    }
}
