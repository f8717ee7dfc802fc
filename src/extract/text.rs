//! The text view extraction reads: every page joined into one string, running headers and
//! footers left out, words hyphenated at a line end joined again, line ends as spaces,
//! typographic apostrophes as `'`; each byte maps back to (page, offset in that page's text).

use std::collections::HashMap;

use crate::facts::Evidence;
use crate::pdf::{Document, SOFT_HYPHEN};

pub struct View<'a> {
    pub text: String,
    /// For each byte of `text`: page index (from 0) and char offset in that page's text.
    map: Vec<(u32, u32)>,
    pages: Vec<&'a str>,
    /// The OCR layer of each page read by OCR (its words' confidences).
    ocr: Vec<Option<&'a crate::ocr::OcrLayer>>,
    /// Byte range of each page in `text`.
    pub page_ranges: Vec<(usize, usize)>,
}

fn is_footer(line: &str) -> bool {
    let t = line.trim();
    let Some(rest) = t.strip_prefix("Page ") else {
        return false;
    };
    !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || c == '/' || c == ' ')
}

/// Lines that open at least half of the pages (service name, PV number): the running header.
pub fn header_lines(pages: &[&str]) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages {
        for line in page.lines().filter(|l| !l.trim().is_empty()).take(3) {
            *counts.entry(line.trim().to_owned()).or_default() += 1;
        }
    }
    let min = if pages.len() >= 3 {
        pages.len().div_ceil(2)
    } else {
        usize::MAX
    };
    counts.retain(|_, n| *n >= min);
    counts
}

impl<'a> View<'a> {
    pub fn new(document: &'a Document) -> View<'a> {
        let pages: Vec<&str> = document.pages.iter().map(|p| p.text.as_str()).collect();
        let headers = header_lines(&pages);
        let mut text = String::new();
        let mut map = Vec::new();
        let mut page_ranges = Vec::new();
        for (index, page) in pages.iter().enumerate() {
            let page_start = text.len();
            // A page read by OCR is read with its confusions repaired (as many characters).
            let chars: Vec<char> = if document.pages[index].ocr.is_some() {
                super::ocr::repair(page)
            } else {
                page.chars().collect()
            };
            // Lines to leave out: leading header lines and footers.
            let mut skip = vec![false; chars.len()];
            let mut offset = 0;
            let mut leading = true;
            for line in page.split('\n') {
                let n = line.chars().count();
                let t = line.trim();
                let drop = is_footer(t) || (leading && (t.is_empty() || headers.contains_key(t)));
                if !t.is_empty() && !headers.contains_key(t) {
                    leading = false;
                }
                if drop {
                    for s in skip.iter_mut().skip(offset).take(n + 1) {
                        *s = true;
                    }
                }
                offset += n + 1;
            }
            let mut i = 0;
            while i < chars.len() {
                if skip[i] {
                    i += 1;
                    continue;
                }
                let c = chars[i];
                let out = match c {
                    SOFT_HYPHEN => {
                        let next = if chars.get(i + 1) == Some(&'\n') {
                            i + 2
                        } else {
                            i + 1
                        };
                        if !real_hyphen(&chars, i, next) {
                            i = next;
                            continue;
                        }
                        let before = text.len();
                        text.push('-');
                        for _ in before..text.len() {
                            map.push((index as u32, i as u32));
                        }
                        i = next;
                        continue;
                    }
                    '\n' | '\t' | '\u{a0}' | '\u{202f}' | '\u{c}' => ' ',
                    '\u{2019}' | '\u{2018}' => '\'',
                    c => c,
                };
                // Collapse runs of spaces.
                if out == ' ' && text.ends_with(' ') {
                    i += 1;
                    continue;
                }
                let before = text.len();
                text.push(out);
                for _ in before..text.len() {
                    map.push((index as u32, i as u32));
                }
                i += 1;
            }
            if !text.ends_with(' ') {
                text.push(' ');
                map.push((index as u32, chars.len() as u32));
            }
            page_ranges.push((page_start, text.len()));
        }
        View {
            text,
            map,
            pages,
            ocr: document.pages.iter().map(|p| p.ocr.as_ref()).collect(),
            page_ranges,
        }
    }

    /// Evidence for a byte range of the view, cut to the page where it starts.
    pub fn evidence(&self, start: usize, end: usize) -> Evidence {
        let bytes = self.text.as_bytes();
        let mut start = start.min(self.map.len().saturating_sub(1));
        let mut end = end.min(self.map.len());
        while end > start + 1 && bytes[end - 1] == b' ' {
            end -= 1;
        }
        while start + 1 < end && bytes[start] == b' ' {
            start += 1;
        }
        let end = end.max(start + 1).min(self.map.len());
        let (page, first) = self.map[start];
        let mut last = first + 1;
        for (i, &(p, o)) in self.map[start..end].iter().enumerate() {
            if p == page && bytes[start + i] != b' ' {
                last = last.max(o + 1);
            }
        }
        let page_text = self.pages[page as usize];
        let total = page_text.chars().count() as u32;
        let last = last.min(total).max(first);
        let text: String = page_text
            .chars()
            .skip(first as usize)
            .take((last - first) as usize)
            .collect();
        let ocr_confidence = self.ocr[page as usize]
            .and_then(|layer| layer.confidence_of(first as usize, last as usize));
        Evidence {
            page: page + 1,
            start: first as usize,
            end: last as usize,
            text,
            ocr_confidence,
        }
    }
}

const PARTICLES: [&str; 13] = [
    "le", "la", "les", "sur", "sous", "en", "lès", "de", "du", "des", "et", "aux", "d",
];
const NUMBER_WORDS: [&str; 17] = [
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "vingt",
    "vingts",
    "trente",
    "quarante",
    "cinquante",
    "soixante",
    "et",
    "un",
];

/// Whether a word broken at a line end (soft hyphen at `at`, text going on at `next`) was a
/// compound with a real hyphen: a capital after it ("Mée-sur-Seine"), a particle followed by
/// another hyphen ("Vaux-le-Pénil"), or a number in words ("quatre-vingt-trois").
fn real_hyphen(chars: &[char], at: usize, next: usize) -> bool {
    let Some(&first) = chars.get(next) else {
        return false;
    };
    if first.is_uppercase() {
        return true;
    }
    let word_end = chars[next..]
        .iter()
        .position(|c| !c.is_alphabetic())
        .map_or(chars.len(), |p| next + p);
    let word: String = chars[next..word_end].iter().collect();
    if PARTICLES.contains(&word.as_str()) && matches!(chars.get(word_end), Some('-' | '\'')) {
        return true;
    }
    let prev_start = chars[..at]
        .iter()
        .rposition(|c| !c.is_alphabetic())
        .map_or(0, |p| p + 1);
    let prev: String = chars[prev_start..at]
        .iter()
        .collect::<String>()
        .to_lowercase();
    let word_start: String = word.chars().take_while(|c| c.is_alphabetic()).collect();
    NUMBER_WORDS.contains(&prev.as_str()) && NUMBER_WORDS.iter().any(|w| word_start.starts_with(w))
}

/// A regex source made tolerant to a stray space inside a word ("vé rifications",
/// "som mation"): an optional space between the letters of every word of four letters or more.
/// Escapes (`\w`), classes (`[...]`), group flags and repetition counts are left alone.
pub fn loose(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len() * 2);
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            out.push(c);
            if let Some(&n) = chars.get(i + 1) {
                out.push(n);
            }
            i += 2;
            continue;
        }
        if c == '[' {
            in_class = true;
        } else if c == ']' {
            in_class = false;
        }
        if c == '(' && chars.get(i + 1) == Some(&'?') {
            // Group flags and named groups: copy up to ':' or '>' or ')'.
            while i < chars.len() && !matches!(chars[i], ':' | '>' | ')') {
                out.push(chars[i]);
                i += 1;
            }
            continue;
        }
        out.push(c);
        if !in_class && c.is_alphabetic() {
            let run_start = chars[..i]
                .iter()
                .rposition(|c| !c.is_alphabetic())
                .map_or(0, |p| p + 1);
            let run_end = chars[i..]
                .iter()
                .position(|c| !c.is_alphabetic())
                .map_or(chars.len(), |p| i + p);
            let escaped = run_start > 0 && chars[run_start - 1] == '\\';
            if !escaped && run_end - run_start >= 4 && i + 1 < run_end {
                out.push_str("[ -]{0,3}");
            }
        }
        i += 1;
    }
    out
}

/// A regex source made tolerant to accents lost or changed (text in capitals without accents,
/// OCR): every accented letter outside a class becomes the class of its letter with or without
/// an accent ("état" → "[eéèêë]tat"). Use with `(?i)` for capitals.
pub fn accents(source: &str) -> String {
    fn class(c: char) -> Option<&'static str> {
        Some(match c {
            'é' | 'è' | 'ê' | 'ë' => "[eéèêë]",
            'É' | 'È' | 'Ê' | 'Ë' => "[EÉÈÊË]",
            'à' | 'â' | 'ä' => "[aàâä]",
            'À' | 'Â' | 'Ä' => "[AÀÂÄ]",
            'î' | 'ï' => "[iîï]",
            'Î' | 'Ï' => "[IÎÏ]",
            'ô' | 'ö' => "[oôö]",
            'Ô' | 'Ö' => "[OÔÖ]",
            'ù' | 'û' | 'ü' => "[uùûü]",
            'Ù' | 'Û' | 'Ü' => "[UÙÛÜ]",
            'ç' => "[cç]",
            'Ç' => "[CÇ]",
            _ => return None,
        })
    }
    let mut out = String::with_capacity(source.len() * 2);
    let mut in_class = false;
    let mut escaped = false;
    for c in source.chars() {
        if escaped {
            out.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            _ => {}
        }
        match class(c) {
            Some(cls) if !in_class => out.push_str(cls),
            _ => out.push(c),
        }
    }
    out
}

/// `text` in capitals without accents ("Levée" → "LEVEE", "Œil" → "OEIL"): for matching
/// words whatever their case and accents (titles, OCR text that lost its accents).
pub fn fold_upper(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' | 'Á' => out.push('A'),
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => out.push('E'),
            'î' | 'ï' | 'í' | 'Î' | 'Ï' | 'Í' => out.push('I'),
            'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' | 'Ó' => out.push('O'),
            'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' | 'Ú' => out.push('U'),
            'ç' | 'Ç' => out.push('C'),
            'ÿ' | 'Ÿ' => out.push('Y'),
            'œ' | 'Œ' => out.push_str("OE"),
            'æ' | 'Æ' => out.push_str("AE"),
            '’' | '‘' => out.push('\''),
            c => out.extend(c.to_uppercase()),
        }
    }
    out
}

/// Up to `n` bytes of `text` before `pos` (on a char boundary).
pub fn before(text: &str, pos: usize, n: usize) -> &str {
    let mut start = pos.saturating_sub(n);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..pos]
}

/// Up to `n` bytes of `text` after `pos` (on a char boundary).
pub fn after(text: &str, pos: usize, n: usize) -> &str {
    let mut end = (pos + n).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[pos..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::Document;

    fn document(pages: &[&str]) -> Document {
        Document::from_texts(pages.iter().map(|t| t.to_string()))
    }

    #[test]
    fn hyphens_of_compounds_are_kept() {
        let doc = document(&[
            "à Vaux\u{ad}\nle-Pénil, au Mée-sur\u{ad}\nSeine, quatre\u{ad}vingt-trois, tho\u{ad}racique",
        ]);
        let view = View::new(&doc);
        assert_eq!(
            view.text,
            "à Vaux-le-Pénil, au Mée-sur-Seine, quatre-vingt-trois, thoracique "
        );
    }

    #[test]
    fn accents_tolerated() {
        let re = regex::Regex::new(&accents("(?i)état alcoolique")).unwrap();
        assert!(re.is_match("ETAT ALCOOLIQUE"));
        assert!(re.is_match("état alcoolique"));
        assert!(re.is_match("etat alcoolique"));
        assert_eq!(accents(r"[é]\é"), r"[é]\é");
        let re = regex::Regex::new(&accents(&loose("(?i)vérifications"))).unwrap();
        assert!(re.is_match("VERI FICATIONS"));
    }

    #[test]
    fn loose_words() {
        assert_eq!(loose("fuit"), "f[ -]{0,3}u[ -]{0,3}i[ -]{0,3}t");
        assert_eq!(loose(r"(?i)de \w+[^.;]"), r"(?i)de \w+[^.;]");
        let re = regex::Regex::new(&loose("vérifications")).unwrap();
        assert!(re.is_match("aux vé rifications"));
    }

    #[test]
    fn joins_pages_and_hyphenation_and_maps_back() {
        let doc = document(&[
            "Service X\nTitre\nle taux est de zé\u{ad}\nro\nPage 1/3",
            "Service X\nvirgule\nPage 2/3",
            "Service X\nfin\nPage 3/3",
        ]);
        let view = View::new(&doc);
        assert_eq!(view.text, "Titre le taux est de zéro virgule fin ");
        let start = view.text.find("zéro").unwrap();
        let end = view.text.find(" virgule").unwrap() + " virgule".len();
        let ev = view.evidence(start, end);
        assert_eq!(ev.page, 1);
        assert_eq!(ev.text, "zé\u{ad}\nro");
        let v = view.text.find("virgule").unwrap();
        assert_eq!(view.evidence(v, v + 7).text, "virgule");
        assert_eq!(view.evidence(v, v + 7).page, 2);
    }
}
