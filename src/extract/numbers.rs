//! French numbers: written in figures ("0,62", "0.62") or in words ("zéro virgule
//! soixante-deux", "mil neuf cent quatre-vingt-huit", "vingt et un").

/// A regex fragment matching a run of French number words (hyphens or spaces between them, or
/// nothing where a line-end hyphen was lost: "quatre-vingttreize").
pub const WORDS: &str = r"(?:\b(?:zéro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille|mil)(?:(?:[ -]et)?[ -]?(?:zéro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille|mil))*\b)";

fn unit(word: &str) -> Option<u32> {
    Some(match word {
        "zéro" | "zero" => 0,
        "un" | "une" | "premier" | "1er" => 1,
        "deux" => 2,
        "trois" => 3,
        "quatre" => 4,
        "cinq" => 5,
        "six" => 6,
        "sept" => 7,
        "huit" => 8,
        "neuf" => 9,
        "dix" => 10,
        "onze" => 11,
        "douze" => 12,
        "treize" => 13,
        "quatorze" => 14,
        "quinze" => 15,
        "seize" => 16,
        "trente" => 30,
        "quarante" => 40,
        "cinquante" => 50,
        "soixante" => 60,
        _ => return None,
    })
}

const NUMBER_WORDS: [&str; 32] = [
    "zéro",
    "zero",
    "une",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "vingts",
    "vingt",
    "trente",
    "quarante",
    "cinquante",
    "soixante",
    "cents",
    "cent",
    "mille",
    "mil",
    "et",
    "premier",
    "1er",
];

/// Number words glued together ("vingttreize" → "vingt", "treize"), longest word first; a
/// chunk that is not made of number words is returned whole (and then refused).
fn split_glued(chunk: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = chunk;
    while !rest.is_empty() {
        let Some(w) = NUMBER_WORDS
            .iter()
            .filter(|w| rest.starts_with(**w))
            .max_by_key(|w| w.len())
        else {
            return vec![chunk];
        };
        out.push(&rest[..w.len()]);
        rest = &rest[w.len()..];
    }
    out
}

/// The value of a cardinal written in words, or in figures.
pub fn integer(text: &str) -> Option<u32> {
    let text = text.trim();
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    let lower = text.to_lowercase();
    let mut total = 0u32;
    let mut current = 0u32;
    let mut any = false;
    for word in lower
        .split([' ', '-'])
        .filter(|w| !w.is_empty())
        .flat_map(split_glued)
    {
        match word {
            "et" => continue,
            "vingt" | "vingts" => {
                if current % 100 == 4 {
                    current = current - 4 + 80;
                } else {
                    current += 20;
                }
            }
            "cent" | "cents" => current = current.max(1) * 100,
            "mille" | "mil" => {
                total += current.max(1) * 1000;
                current = 0;
            }
            w => current += unit(w)?,
        }
        any = true;
    }
    any.then_some(total + current)
}

/// A decimal in figures ("0,62", "0.62") or words ("zéro virgule soixante-deux").
pub fn decimal(text: &str) -> Option<f64> {
    let text = text.trim();
    if let Ok(v) = text.replace(',', ".").parse::<f64>() {
        return Some(v);
    }
    let lower = text.to_lowercase();
    let (int, frac) = match lower.split_once("virgule") {
        Some((i, f)) => (i, Some(f)),
        None => (lower.as_str(), None),
    };
    let int = integer(int)? as f64;
    let Some(frac) = frac else { return Some(int) };
    let frac = frac.trim();
    let mut zeros = 0;
    let mut rest = frac;
    while let Some(r) = rest.strip_prefix("zéro") {
        zeros += 1;
        rest = r.trim_start_matches([' ', '-']);
    }
    let value = if rest.is_empty() { 0 } else { integer(rest)? };
    let digits = zeros
        + if value == 0 {
            0
        } else {
            value.to_string().len()
        };
    Some(int + value as f64 / 10f64.powi(digits as i32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Option<f64>) {
        assert_eq!(decimal(input), expect, "{input}");
    }

    #[test]
    fn numbers() {
        check("0,62", Some(0.62));
        check("0.62", Some(0.62));
        check("zéro virgule soixante-deux", Some(0.62));
        check("zéro virgule quatre-vingt-dix-neuf", Some(0.99));
        check("un virgule zéro cinq", Some(1.05));
        check("vingt et un", Some(21.0));
        check("mil neuf cent quatre-vingt-huit", Some(1988.0));
        check("deux mille vingt-six", Some(2026.0));
        check("quatre-vingts", Some(80.0));
        check("soixante-douze", Some(72.0));
        check("mil neuf cent quatre-vingttreize", Some(1993.0));
        check("bonjour", None);
    }
}
