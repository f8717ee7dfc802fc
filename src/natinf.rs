//! The NATINF nomenclature: importing the ministry's quarterly CSV, and searching it.
//!
//! The CSV (about 17,000 rows) has one row per offence: its number, its nature (crime, délit,
//! contravention de classe N), its simplified qualification, the texts that define it and those
//! that punish it. Editions differ in their header names, separator (`;`, sometimes `,` or a
//! tab), encoding (UTF-8 with or without BOM, or Windows-1252) and in a few title lines above
//! the header: [`read_csv`] finds all of that itself and checks every row. A file with a bad
//! row is refused whole, with its line and the reason; rows that are not offences (blank lines,
//! a repeated header, a note, an exact duplicate) are skipped and listed.
//!
//! [`import`] replaces the stored table in one transaction (`store::natinf`); [`search`] and
//! [`show`] read it, or the road-traffic subset shipped with the engine
//! (`assets/natinf/road-traffic.json`) while nothing has been imported. Search is accent- and
//! case-insensitive: every word of the query must begin a word of the code or label, a number
//! must be a whole word (so `1247` finds NATINF 1247, listed first).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;
use std::time::Instant;

use encoding_rs::{Encoding, WINDOWS_1252};
use serde::Serialize;

use crate::error::Error;
use crate::fr::quoted;
use crate::store::Store;

/// How many lines (CSV records) above the header may be titles.
pub const HEADER_SEARCH_LINES: usize = 20;

/// A field longer than this is a quote left open that swallowed the rows after it.
const MAX_FIELD_CHARS: usize = 4_000;

/// The name the shipped subset goes by in results.
pub const SHIPPED_SOURCE: &str = "road-traffic.json";

#[derive(Debug, thiserror::Error)]
pub enum NatinfError {
    #[error("impossible de lire le fichier NATINF {}\u{a0}: {reason}", quoted(.file))]
    Read { file: String, reason: String },
    #[error(
        "le fichier NATINF {}, ligne {line}\u{a0}: {reason}\u{a0}; enregistrez-le en UTF-8 ou en \
         Windows-1252 (rien n'a été importé)",
        quoted(.file)
    )]
    Encoding {
        file: String,
        line: u64,
        reason: String,
    },
    #[error(
        "le fichier {} n'a pas d'en-tête NATINF dans ses {lines} premières lignes\u{a0}: {reason} \
         (rien n'a été importé)",
        quoted(.file)
    )]
    Header {
        file: String,
        lines: usize,
        reason: String,
    },
    #[error("le fichier NATINF {}, ligne {line}\u{a0}: {reason} (rien n'a été importé)", quoted(.file))]
    Row {
        file: String,
        line: u64,
        reason: String,
    },
    #[error(
        "le fichier NATINF {} ne contient aucune infraction après son en-tête, ligne {header_line} \
         (rien n'a été importé)",
        quoted(.file)
    )]
    Empty { file: String, header_line: u64 },
    #[error("{} n'est pas un numéro NATINF (un nombre est attendu)", quoted(.0))]
    BadCode(String),
    #[error("le NATINF n°\u{a0}{code} ne figure pas dans {table}")]
    NoSuchCode { code: u32, table: String },
    #[error("la recherche est vide\u{a0}: indiquez des mots ou un numéro NATINF")]
    EmptyQuery,
}

impl NatinfError {
    pub fn code(&self) -> &'static str {
        match self {
            NatinfError::Read { .. } => "natinf.read",
            NatinfError::Encoding { .. } => "natinf.encoding",
            NatinfError::Header { .. } => "natinf.header",
            NatinfError::Row { .. } => "natinf.row",
            NatinfError::Empty { .. } => "natinf.empty",
            NatinfError::BadCode(_) => "natinf.bad_code",
            NatinfError::NoSuchCode { .. } => "natinf.no_such_code",
            NatinfError::EmptyQuery => "natinf.empty_query",
        }
    }
}

/// One offence read from the CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub code: u32,
    pub nature: String,
    pub label: String,
    pub defined_by: String,
    pub repressed_by: String,
}

/// Where an entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The table imported from the ministry's CSV.
    Import,
    /// The road-traffic subset shipped with Permanence.
    Shipped,
}

/// An offence as `natinf search` and `natinf show` give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub code: String,
    pub nature: String,
    pub label: String,
    pub defined_by: Option<String>,
    pub repressed_by: Option<String>,
    pub origin: Origin,
    /// The imported file's name, or `road-traffic.json`.
    pub source: String,
    /// When the table was imported (RFC 3339, UTC); `null` for the shipped subset.
    pub imported: Option<String>,
}

/// The file's text encoding, as detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TextEncoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-8-bom")]
    Utf8Bom,
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl TextEncoding {
    /// How the summary names it.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 avec BOM",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// A line of the file that holds no offence, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub line: u64,
    pub reason: String,
}

/// A CSV read and checked: its rows and how it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub rows: Vec<Row>,
    pub skipped: Vec<Skipped>,
    pub encoding: TextEncoding,
    pub separator: char,
    /// The header's line, from 1 (title lines above it are passed over).
    pub header_line: u64,
}

/// What `permanence natinf import --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct ImportSummary {
    /// The file as given.
    pub file: String,
    /// The name stored as the table's source (no folders).
    pub source: String,
    pub sha256: String,
    pub encoding: TextEncoding,
    pub separator: String,
    pub header_line: u64,
    /// Offences imported.
    pub rows: usize,
    /// Offences of the table this import replaced.
    pub replaced: u64,
    pub skipped: Vec<Skipped>,
    pub elapsed_ms: f64,
}

/// `permanence natinf import`: reads, checks and stores a NATINF CSV, replacing the table.
/// A bad file changes nothing.
pub fn import(store: &mut Store, path: &Path) -> Result<ImportSummary, Error> {
    let start = Instant::now();
    let file = path.display().to_string();
    let bytes = read_file(path)?;
    let parsed = read_csv(&file, &bytes)?;
    let source = path
        .file_name()
        .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
    let sha256 = crate::engine::sha256_hex(&bytes);
    let replaced = store.replace_natinf(&parsed.rows, &source, &sha256)?;
    Ok(ImportSummary {
        file,
        source,
        sha256,
        encoding: parsed.encoding,
        separator: parsed.separator.to_string(),
        header_line: parsed.header_line,
        rows: parsed.rows.len(),
        replaced,
        skipped: parsed.skipped,
        elapsed_ms: start.elapsed().as_secs_f64() * 1000.0,
    })
}

fn read_file(path: &Path) -> Result<Vec<u8>, NatinfError> {
    let read = |reason: &str| NatinfError::Read {
        file: path.display().to_string(),
        reason: reason.to_owned(),
    };
    if path.is_dir() {
        return Err(read("c'est un dossier, pas un fichier"));
    }
    std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => read("le fichier est introuvable"),
        std::io::ErrorKind::PermissionDenied => read("la lecture en est interdite"),
        _ => read(&format!("erreur du système ({e})")),
    })
}

/// Reads a NATINF CSV: encoding, separator and header found, every row checked. `file` names
/// the file in messages.
pub fn read_csv(file: &str, bytes: &[u8]) -> Result<Parsed, NatinfError> {
    let (text, encoding) = decode(file, bytes)?;
    let (separator, header_index, columns) = find_header(file, &text)?;
    let mut reader = csv_reader(separator, &text);
    let header_line = line_of_record(&text, separator, header_index);
    let mut lines = Lines::new(&text);
    let row_error = |line: u64, reason: String| NatinfError::Row {
        file: file.to_owned(),
        line,
        reason,
    };

    if let Some(open) = unclosed_quote(&text, separator) {
        let line = text[..open].matches('\n').count() as u64 + 1;
        return Err(row_error(
            line,
            "un guillemet ouvert sur cette ligne n'est jamais refermé".into(),
        ));
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut skipped = Vec::new();
    // Code → (index in rows, line).
    let mut seen: HashMap<u32, (usize, u64)> = HashMap::new();
    for record in reader.records().skip(header_index + 1) {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| lines.at(p.byte()));
            row_error(line, format!("le CSV est mal formé ({e})"))
        })?;
        let line = record.position().map_or(0, |p| lines.at(p.byte()));
        if let Some(long) = record.iter().find(|f| f.chars().count() > MAX_FIELD_CHARS) {
            return Err(row_error(
                line,
                format!(
                    "un champ de {} caractères commence ici\u{a0}: un guillemet n'a sans doute pas \
                     été refermé",
                    long.chars().count()
                ),
            ));
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            skipped.push(Skipped {
                line,
                reason: "ligne vide".into(),
            });
            continue;
        }
        let code_text = clean(record.get(columns.code).unwrap_or(""));
        let numeric = parse_code(&code_text);
        if numeric.is_none() && Columns::recognise(&record).is_some_and(|c| c == columns) {
            skipped.push(Skipped {
                line,
                reason: "en-tête répété".into(),
            });
            continue;
        }
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).map(clean).unwrap_or_default();
        let filled = record.iter().filter(|f| !f.trim().is_empty()).count();
        if filled == 1 && numeric.is_none() && record.len() < columns.width {
            skipped.push(Skipped {
                line,
                reason: "ligne de note, sans numéro NATINF".into(),
            });
            continue;
        }
        if record.len() < columns.width {
            return Err(row_error(
                line,
                format!(
                    "la ligne a {} champ(s), l'en-tête en a {} (séparateur {})",
                    record.len(),
                    columns.width,
                    separator_name(separator)
                ),
            ));
        }
        if let Some(extra) = record
            .iter()
            .skip(columns.width)
            .find(|f| !f.trim().is_empty())
        {
            return Err(row_error(
                line,
                format!(
                    "la ligne a {} champs, l'en-tête en a {}\u{a0}: {} est de trop (un séparateur \
                     dans un champ sans guillemets\u{a0}?)",
                    record.len(),
                    columns.width,
                    quoted(&clean(extra))
                ),
            ));
        }
        let Some(code) = numeric else {
            return Err(row_error(
                line,
                if code_text.is_empty() {
                    "le numéro NATINF est vide".to_owned()
                } else {
                    format!(
                        "le numéro NATINF {} n'est pas un nombre",
                        quoted(&code_text)
                    )
                },
            ));
        };
        let row = Row {
            code,
            nature: field(columns.nature),
            label: field(Some(columns.label)),
            defined_by: field(columns.defined_by),
            repressed_by: field(columns.repressed_by),
        };
        if row.label.is_empty() {
            return Err(row_error(
                line,
                format!("la qualification du NATINF n°\u{a0}{code} est vide"),
            ));
        }
        match seen.get(&code) {
            Some(&(i, first)) if rows[i] == row => skipped.push(Skipped {
                line,
                reason: format!("doublon de la ligne {first} (NATINF n°\u{a0}{code})"),
            }),
            Some(&(_, first)) => {
                return Err(row_error(
                    line,
                    format!(
                        "le NATINF n°\u{a0}{code} figure déjà ligne {first} avec un autre contenu"
                    ),
                ));
            }
            None => {
                seen.insert(code, (rows.len(), line));
                rows.push(row);
            }
        }
    }
    if rows.is_empty() {
        return Err(NatinfError::Empty {
            file: file.to_owned(),
            header_line,
        });
    }
    Ok(Parsed {
        rows,
        skipped,
        encoding,
        separator: separator as char,
        header_line,
    })
}

/// The text of the file and its encoding: a BOM decides; otherwise valid UTF-8 is UTF-8 and
/// anything else is read as Windows-1252, which the ministry's older editions use.
fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<(Cow<'a, str>, TextEncoding), NatinfError> {
    let bad = |bytes: &[u8], at: usize, reason: String| NatinfError::Encoding {
        file: file.to_owned(),
        line: bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1,
        reason,
    };
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        let kind = if encoding == encoding_rs::UTF_8 {
            TextEncoding::Utf8Bom
        } else if encoding == encoding_rs::UTF_16LE {
            TextEncoding::Utf16Le
        } else {
            TextEncoding::Utf16Be
        };
        if kind == TextEncoding::Utf8Bom {
            return match std::str::from_utf8(body) {
                Ok(text) => Ok((Cow::Borrowed(text), kind)),
                Err(e) => Err(bad(
                    body,
                    e.valid_up_to(),
                    "le fichier s'annonce en UTF-8 (BOM) mais contient des octets qui n'en sont pas"
                        .into(),
                )),
            };
        }
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors {
            let at = text.find('\u{FFFD}').unwrap_or(0);
            let line = text[..at].matches('\n').count() as u64 + 1;
            return Err(NatinfError::Encoding {
                file: file.to_owned(),
                line,
                reason: format!("le fichier s'annonce en {} mais ne l'est pas", kind.label()),
            });
        }
        return Ok((Cow::Owned(text.into_owned()), kind));
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(bad(
            bytes,
            at,
            "le fichier contient des octets nuls (de l'UTF-16 sans BOM\u{a0}?)".into(),
        ));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((Cow::Borrowed(text), TextEncoding::Utf8));
    }
    // Five bytes have no character in Windows-1252: their presence means another encoding.
    if let Some(at) = bytes
        .iter()
        .position(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D))
    {
        return Err(bad(
            bytes,
            at,
            format!(
                "le fichier n'est ni en UTF-8 ni en Windows-1252 (octet 0x{:02X})",
                bytes[at]
            ),
        ));
    }
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok((text, TextEncoding::Windows1252))
}

const SEPARATORS: [u8; 3] = [b';', b',', b'\t'];

/// Where a quoted field opens that no quote closes (it would swallow every row after it), read
/// as the CSV reader does: a quote opens a field only at its start; `""` inside is a quote.
fn unclosed_quote(text: &str, separator: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut field_start, mut open) = (true, None);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match open {
            Some(_) if b == b'"' && bytes.get(i + 1) == Some(&b'"') => i += 1,
            Some(_) if b == b'"' => {
                open = None;
                field_start = false;
            }
            Some(_) => {}
            None if b == b'"' && field_start => open = Some(i),
            None => field_start = b == separator || b == b'\n' || b == b'\r',
        }
        i += 1;
    }
    open
}

fn separator_name(separator: u8) -> String {
    match separator {
        b'\t' => "tabulation".to_owned(),
        s => quoted(&(s as char).to_string()),
    }
}

fn csv_reader(separator: u8, text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// Line numbers (from 1) of byte offsets, counted forward (the CSV reader's own count passes
/// over blank lines).
struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line of the record that the reader says starts at `byte` (its start may be the
    /// blank lines the reader passed over before it).
    fn at(&mut self, byte: u64) -> u64 {
        let mut byte = (byte as usize).min(self.text.len());
        while byte < self.text.len() && matches!(self.text[byte], b'\n' | b'\r') {
            byte += 1;
        }
        if byte < self.at {
            *self = Lines {
                at: 0,
                line: 1,
                ..*self
            };
        }
        self.line += self.text[self.at..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.at = byte;
        self.line
    }
}

/// The 1-based line of the record numbered `index` (from 0).
fn line_of_record(text: &str, separator: u8, index: usize) -> u64 {
    csv_reader(separator, text)
        .records()
        .nth(index)
        .and_then(|r| r.ok())
        .and_then(|r| r.position().map(|p| Lines::new(text).at(p.byte())))
        .unwrap_or(1)
}

/// The separator, the header's record index and its columns: for each separator, the first
/// record among the first lines that names at least the code and the label; the separator
/// whose header recognises most columns wins (`;` first on a tie).
fn find_header(file: &str, text: &str) -> Result<(u8, usize, Columns), NatinfError> {
    let mut best: Option<(u8, usize, Columns)> = None;
    // The fullest partial header seen, for the message: (line, names of the columns found).
    let mut partial: Option<(u64, Vec<&'static str>)> = None;
    let mut lines = 0;
    for separator in SEPARATORS {
        for (index, record) in csv_reader(separator, text)
            .records()
            .take(HEADER_SEARCH_LINES)
            .enumerate()
        {
            let Ok(record) = record else { break };
            lines = lines.max(index + 1);
            if let Some(columns) = Columns::recognise(&record) {
                if best
                    .as_ref()
                    .is_none_or(|(_, _, b)| columns.count() > b.count())
                {
                    best = Some((separator, index, columns));
                }
                break;
            }
            let found: Vec<&'static str> = record
                .iter()
                .filter_map(|cell| Column::of(cell).map(Column::name))
                .collect();
            if !found.is_empty() && partial.as_ref().is_none_or(|(_, p)| found.len() > p.len()) {
                let line = record
                    .position()
                    .map_or(1, |p| Lines::new(text).at(p.byte()));
                partial = Some((line, found));
            }
        }
    }
    best.ok_or_else(|| NatinfError::Header {
        file: file.to_owned(),
        lines,
        reason: match partial {
            Some((line, found)) => format!(
                "la ligne {line} nomme {} mais il faut au moins le numéro NATINF et la \
                 qualification (par exemple {} et {})",
                found
                    .iter()
                    .map(|n| quoted(n))
                    .collect::<Vec<_>>()
                    .join(", "),
                quoted("Numéro NATINF"),
                quoted("Qualification simplifiée")
            ),
            None => format!(
                "aucune ligne ne nomme les colonnes attendues ({}, {}, {}, {}, {}, ou leurs variantes)",
                quoted("Numéro NATINF"),
                quoted("Nature de l'infraction"),
                quoted("Qualification simplifiée"),
                quoted("Définie par"),
                quoted("Réprimée par")
            ),
        },
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Code,
    Nature,
    Label,
    DefinedBy,
    RepressedBy,
}

impl Column {
    /// The column a header cell names, whatever the edition's wording.
    fn of(cell: &str) -> Option<Column> {
        let folded = fold(cell);
        let f = folded.trim();
        let first = f.split(' ').next().unwrap_or("");
        if matches!(first, "qualification" | "libelle" | "intitule") {
            Some(Column::Label)
        } else if first == "nature" {
            Some(Column::Nature)
        } else if f.contains("definissant") || first.starts_with("defini") {
            Some(Column::DefinedBy)
        } else if f.contains("reprimant") || first.starts_with("reprim") {
            Some(Column::RepressedBy)
        } else if f.split(' ').any(|w| w == "natinf")
            || matches!(f, "numero" | "code" | "n" | "no" | "num")
        {
            Some(Column::Code)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Column::Code => "Numéro NATINF",
            Column::Nature => "Nature de l'infraction",
            Column::Label => "Qualification simplifiée",
            Column::DefinedBy => "Définie par",
            Column::RepressedBy => "Réprimée par",
        }
    }
}

/// Where each column is in a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    code: usize,
    nature: Option<usize>,
    label: usize,
    defined_by: Option<usize>,
    repressed_by: Option<usize>,
    /// Fields in the header (its trailing empty cells left out).
    width: usize,
}

impl Columns {
    fn recognise(record: &csv::StringRecord) -> Option<Columns> {
        let mut found: [Option<usize>; 5] = [None; 5];
        for (i, cell) in record.iter().enumerate() {
            if let Some(column) = Column::of(cell) {
                found[column as usize].get_or_insert(i);
            }
        }
        let width = (0..record.len())
            .rfind(|&i| !record[i].trim().is_empty())
            .map_or(0, |i| i + 1);
        Some(Columns {
            code: found[Column::Code as usize]?,
            nature: found[Column::Nature as usize],
            label: found[Column::Label as usize]?,
            defined_by: found[Column::DefinedBy as usize],
            repressed_by: found[Column::RepressedBy as usize],
            width,
        })
    }

    fn count(&self) -> usize {
        2 + [self.nature, self.defined_by, self.repressed_by]
            .iter()
            .filter(|c| c.is_some())
            .count()
    }
}

fn parse_code(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|&c| c > 0)
}

/// A field as stored: trimmed, runs of white space (line breaks of a quoted field included)
/// made one space.
fn clean(field: &str) -> String {
    field.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The search form of a text: lower case, accents off, every run of other characters one
/// space, with a space at each end (" conduite d un vehicule ").
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
            'ç' => "c",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
            'ù' | 'ú' | 'û' | 'ü' => "u",
            'ý' | 'ÿ' => "y",
            'œ' => "oe",
            'æ' => "ae",
            'ß' => "ss",
            c if c.is_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                continue;
            }
        };
        out.push_str(folded);
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// The stored search key of an offence: its code and label, folded.
pub fn search_key(code: u32, label: &str) -> String {
    fold(&format!("{code} {label}"))
}

/// A query: every word must begin a word of the key; a number must be a whole word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Patterns to find in a key: " alcool" (a word's start) or " 1247 " (a whole number).
    patterns: Vec<String>,
    /// The whole query folded, as a word's start: ranks the rows holding it as written.
    phrase: String,
    /// The query is one number: the code it names comes first.
    code: Option<u32>,
}

/// A key's rank for a query: lower comes first.
type Rank = (bool, bool, usize, u32);

impl Query {
    pub fn parse(text: &str) -> Result<Query, NatinfError> {
        let folded = fold(text);
        let words: Vec<&str> = folded.split_whitespace().collect();
        if words.is_empty() {
            return Err(NatinfError::EmptyQuery);
        }
        let patterns = words
            .iter()
            .map(|w| {
                if w.bytes().all(|b| b.is_ascii_digit()) {
                    format!(" {} ", w.trim_start_matches('0').max("0"))
                } else {
                    format!(" {w}")
                }
            })
            .collect();
        let code = match words.as_slice() {
            [one] => parse_code(one),
            _ => None,
        };
        Ok(Query {
            patterns,
            phrase: format!(" {}", words.join(" ")),
            code,
        })
    }

    /// The rank of an offence whose key is `key`, or `None` when it does not match.
    pub fn rank(&self, code: u32, key: &str, label_chars: usize) -> Option<Rank> {
        if !self.patterns.iter().all(|p| key.contains(p.as_str())) {
            return None;
        }
        Some((
            self.code != Some(code),
            !key.contains(&self.phrase),
            label_chars,
            code,
        ))
    }
}

/// The result of a search: the best entries, how many matched, and which table answered.
#[derive(Debug, Clone, Serialize)]
pub struct Search {
    pub total: usize,
    pub origin: Origin,
    pub entries: Vec<Entry>,
}

/// `permanence natinf search`: the imported table, or the shipped subset while nothing is
/// imported.
pub fn search(store: &Store, text: &str, limit: usize) -> Result<Search, Error> {
    let query = Query::parse(text)?;
    if store.natinf_import()?.is_some() {
        let mut ranked: Vec<(Rank, u32)> = Vec::new();
        store.natinf_scan(&mut |code, key, label_chars| {
            if let Some(rank) = query.rank(code, key, label_chars) {
                ranked.push((rank, code));
            }
        })?;
        ranked.sort_unstable();
        let codes: Vec<u32> = ranked.iter().take(limit).map(|&(_, c)| c).collect();
        let entries = store.natinf_entries(&codes)?;
        return Ok(Search {
            total: ranked.len(),
            origin: Origin::Import,
            entries,
        });
    }
    let mut ranked: Vec<(Rank, &Entry)> = SHIPPED
        .iter()
        .filter_map(|(code, key, entry)| {
            query
                .rank(*code, key, entry.label.chars().count())
                .map(|r| (r, entry))
        })
        .collect();
    ranked.sort_unstable_by_key(|(rank, _)| *rank);
    Ok(Search {
        total: ranked.len(),
        origin: Origin::Shipped,
        entries: ranked
            .into_iter()
            .take(limit)
            .map(|(_, e)| e.clone())
            .collect(),
    })
}

/// `permanence natinf show`: one offence, from the imported table or the shipped subset.
pub fn show(store: &Store, code: &str) -> Result<Entry, Error> {
    let number = parse_code(code.trim()).ok_or_else(|| NatinfError::BadCode(code.to_owned()))?;
    match store.natinf_import()? {
        Some(import) => store.natinf_entries(&[number])?.pop().ok_or_else(|| {
            NatinfError::NoSuchCode {
                code: number,
                table: format!("la table NATINF importée ({})", quoted(&import.source)),
            }
            .into()
        }),
        None => SHIPPED
            .iter()
            .find(|(c, _, _)| *c == number)
            .map(|(_, _, e)| e.clone())
            .ok_or_else(|| {
                NatinfError::NoSuchCode {
                    code: number,
                    table: "l'extrait routier livré avec Permanence (aucune table NATINF n'a été \
                            importée\u{a0}: «\u{a0}permanence natinf import FICHIER\u{a0}»)"
                        .to_owned(),
                }
                .into()
            }),
    }
}

/// The shipped road-traffic subset as entries, with their codes and search keys.
static SHIPPED: LazyLock<Vec<(u32, String, Entry)>> = LazyLock::new(|| {
    crate::extract::natinf::entries()
        .iter()
        .map(|e| {
            let code: u32 = e
                .natinf
                .parse()
                .expect("assets/natinf/road-traffic.json holds numeric codes");
            let entry = Entry {
                code: e.natinf.clone(),
                nature: e.nature.clone(),
                label: e.label.clone(),
                defined_by: e.defined_by.clone(),
                repressed_by: e.repressed_by.clone(),
                origin: Origin::Shipped,
                source: SHIPPED_SOURCE.to_owned(),
                imported: None,
            };
            (code, search_key(code, &e.label), entry)
        })
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "Numéro NATINF;Nature de l'infraction;Qualification simplifiée;Définie par;Réprimée par\n";

    fn parse(text: &str) -> Result<Parsed, NatinfError> {
        read_csv("t.csv", text.as_bytes())
    }

    #[test]
    fn fold_drops_case_accents_and_punctuation() {
        for (text, folded) in [
            ("Éthylomètre", " ethylometre "),
            ("état  alcoolique", " etat alcoolique "),
            ("d'un véhicule", " d un vehicule "),
            ("L. 234-1 §I", " l 234 1 i "),
            ("Manœuvre ÇA", " manoeuvre ca "),
            ("N° NATINF", " n natinf "),
            ("", " "),
            ("  ", " "),
        ] {
            assert_eq!(fold(text), folded, "{text}");
        }
    }

    #[test]
    fn headers_of_every_edition_are_recognised() {
        for (cell, column) in [
            ("Numéro NATINF", Some(Column::Code)),
            ("NATINF", Some(Column::Code)),
            ("N° NATINF", Some(Column::Code)),
            ("numero natinf", Some(Column::Code)),
            ("Nature de l'infraction", Some(Column::Nature)),
            ("Nature", Some(Column::Nature)),
            ("Qualification simplifiée", Some(Column::Label)),
            ("Qualification de l'infraction", Some(Column::Label)),
            ("Libellé", Some(Column::Label)),
            ("Définie par", Some(Column::DefinedBy)),
            ("Texte(s) définissant", Some(Column::DefinedBy)),
            ("Réprimée par", Some(Column::RepressedBy)),
            ("Texte(s) réprimant", Some(Column::RepressedBy)),
            ("Référence", None),
            ("Description", None),
        ] {
            assert_eq!(Column::of(cell), column, "{cell}");
        }
    }

    #[test]
    fn separators_encodings_and_title_lines_are_found() {
        let cases: Vec<(&str, Vec<u8>, char, TextEncoding, u64)> = vec![
            (
                "semicolon",
                format!("{HEADER}1247;Délit;Conduite en état alcoolique;art. L. 234-1;art. L. 234-2\n")
                    .into_bytes(),
                ';',
                TextEncoding::Utf8,
                1,
            ),
            (
                "BOM and titles",
                format!("\u{feff}Nomenclature NATINF\nÉdition du 1er octobre 2026\n\n{HEADER}1247;Délit;Conduite;;\n")
                    .into_bytes(),
                ';',
                TextEncoding::Utf8Bom,
                4,
            ),
            (
                "comma",
                b"NATINF,Nature,Libell\xc3\xa9\n1247,D\xc3\xa9lit,\"Conduite, en \xc3\xa9tat alcoolique\"\n".to_vec(),
                ',',
                TextEncoding::Utf8,
                1,
            ),
            (
                "tab",
                b"N\xb0 NATINF\tNature\tQualification de l'infraction\n1247\tD\xe9lit\tConduite en \xe9tat alcoolique\n".to_vec(),
                '\t',
                TextEncoding::Windows1252,
                1,
            ),
        ];
        for (name, bytes, separator, encoding, header_line) in cases {
            let parsed = read_csv("t.csv", &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(parsed.separator, separator, "{name}");
            assert_eq!(parsed.encoding, encoding, "{name}");
            assert_eq!(parsed.header_line, header_line, "{name}");
            assert_eq!(parsed.rows.len(), 1, "{name}");
            assert_eq!(parsed.rows[0].code, 1247, "{name}");
            assert!(parsed.rows[0].label.starts_with("Conduite"), "{name}");
            assert_eq!(parsed.rows[0].nature, "Délit", "{name}");
        }
    }

    #[test]
    fn utf16_with_a_bom_is_read() {
        let text = format!("{HEADER}41;Délit;Conduite en état d'ivresse manifeste;;\n");
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let parsed = read_csv("t.csv", &bytes).unwrap();
        assert_eq!(parsed.encoding, TextEncoding::Utf16Le);
        assert_eq!(parsed.rows[0].label, "Conduite en état d'ivresse manifeste");
    }

    #[test]
    fn rows_that_are_not_offences_are_skipped_with_their_reason() {
        let text = format!(
            "{HEADER}1247;Délit;Conduite;;\n;;;;\n{HEADER}1247;Délit;Conduite;;\nSource : ministère de la Justice\n41;Délit;Ivresse;;\n"
        );
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed.rows.len(), 2);
        let reasons: Vec<(u64, &str)> = parsed
            .skipped
            .iter()
            .map(|s| (s.line, s.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                (3, "ligne vide"),
                (4, "en-tête répété"),
                (5, "doublon de la ligne 2 (NATINF n°\u{a0}1247)"),
                (6, "ligne de note, sans numéro NATINF"),
            ]
        );
    }

    #[test]
    fn a_bad_row_refuses_the_file_with_its_line_and_reason() {
        for (rows, code, line, reason) in [
            (
                "12A4;Délit;Conduite;;\n",
                "natinf.row",
                2,
                "«\u{a0}12A4\u{a0}» n'est pas un nombre",
            ),
            (
                ";Délit;Conduite;;\n",
                "natinf.row",
                2,
                "le numéro NATINF est vide",
            ),
            (
                "1247;Délit;;;\n",
                "natinf.row",
                2,
                "la qualification du NATINF n°\u{a0}1247 est vide",
            ),
            (
                "1247;Délit;Conduite;;\n1247;Délit;Autre;;\n",
                "natinf.row",
                3,
                "figure déjà ligne 2",
            ),
            (
                "1247;Délit\n",
                "natinf.row",
                2,
                "la ligne a 2 champ(s), l'en-tête en a 5",
            ),
            (
                "1247;Délit;Conduite;a;b;c\n",
                "natinf.row",
                2,
                "«\u{a0}c\u{a0}» est de trop",
            ),
            (
                "1247;Délit;\"Conduite;;\n41;Délit;Ivresse;;\n51;Délit;Refus;;\n",
                "natinf.row",
                2,
                "jamais refermé",
            ),
            ("", "natinf.empty", 1, "aucune infraction"),
        ] {
            let err = parse(&format!("{HEADER}{rows}")).unwrap_err();
            assert_eq!(err.code(), code, "{rows}: {err}");
            let message = err.to_string();
            assert!(message.contains(reason), "{rows}: {message}");
            assert!(message.contains("«\u{a0}t.csv\u{a0}»"), "{message}");
            if code == "natinf.row" {
                assert!(
                    message.contains(&format!("ligne {line}\u{a0}:")),
                    "{message}"
                );
            }
            assert!(message.contains("rien n'a été importé"), "{message}");
        }
    }

    #[test]
    fn encodings_that_are_neither_utf8_nor_windows_1252_are_refused() {
        for (bytes, line, reason) in [
            (
                b"NATINF;Libell\xe9\n1247;Conduite \x81\n".to_vec(),
                2,
                "0x81",
            ),
            (b"N\x00A\x00T\x00".to_vec(), 1, "octets nuls"),
            (
                b"\xef\xbb\xbfNATINF;Libell\xe9\n".to_vec(),
                1,
                "UTF-8 (BOM)",
            ),
        ] {
            let err = read_csv("t.csv", &bytes).unwrap_err();
            assert_eq!(err.code(), "natinf.encoding");
            let message = err.to_string();
            assert!(message.contains(reason), "{message}");
            assert!(
                message.contains(&format!("ligne {line}\u{a0}:")),
                "{message}"
            );
        }
    }

    #[test]
    fn a_file_without_a_header_says_what_it_expected() {
        for (text, says) in [
            ("Référence;Description\n1;Vol\n", "aucune ligne ne nomme"),
            (
                "Numéro NATINF;Texte\n1247;x\n",
                "la ligne 1 nomme «\u{a0}Numéro NATINF\u{a0}» mais il faut",
            ),
        ] {
            let err = parse(text).unwrap_err();
            assert_eq!(err.code(), "natinf.header");
            assert!(err.to_string().contains(says), "{err}");
        }
    }

    #[test]
    fn queries_match_word_starts_and_whole_numbers() {
        let key = search_key(
            1247,
            "Conduite d'un véhicule sous l'empire d'un état alcoolique (0,40 mg/L)",
        );
        for (query, matches) in [
            ("état alcoolique", true),
            ("ETAT ALCOOL", true),
            ("ethylometre", false),
            ("1247", true),
            ("124", false),
            ("vehicule 40", true),
            ("hicule", false),
            ("01247", true),
        ] {
            let q = Query::parse(query).unwrap();
            assert_eq!(q.rank(1247, &key, 10).is_some(), matches, "{query}");
        }
        assert_eq!(
            Query::parse(" ; ").unwrap_err().code(),
            "natinf.empty_query"
        );
    }

    #[test]
    fn the_shipped_subset_has_every_road_traffic_entry() {
        assert_eq!(SHIPPED.len(), crate::extract::natinf::entries().len());
        let (_, _, e) = SHIPPED.iter().find(|(c, _, _)| *c == 1247).unwrap();
        assert_eq!(e.nature, "Délit");
        assert_eq!(e.origin, Origin::Shipped);
        assert!(e.repressed_by.as_deref().unwrap().contains("L. 234-2"));
    }
}
