//! The template engine: a DOCX package whose text holds fields `{{ personne.nom }}`, loops
//! `{{#pieces}} … {{/pieces}}` and conditions `{{#si recidive}} … {{#sinon}} … {{/si}}`,
//! filled from a model (a JSON value checked against a [`Schema`]). `docs/TEMPLATES.md` is
//! the syntax as the parquet's staff reads it.
//!
//! How it works, part by part (`word/document.xml`, headers, footers, notes):
//! 1. the XML is read into a flat list of events (start, end, text, …);
//! 2. in each paragraph, the text of its `w:t` elements is joined, so that a tag that Word split
//!    over several runs (spell check `w:proofErr`, revision marks, bookmarks, changes of
//!    formatting) is found whole; its characters are moved into the text element where it starts;
//! 3. each tag is cut out into a run of its own, keeping that run's formatting;
//! 4. blocks are matched (unclosed, misnested and unknown names are errors) and each is given its
//!    extent: *paragraphs* when both markers are alone in sibling paragraphs (the marker
//!    paragraphs disappear), *table rows* when the markers are in different cells or rows of a
//!    table (a row holding only a marker disappears), *inline* when both are in one paragraph;
//! 5. the block tree is rendered against the model, values XML-escaped; a cleaning pass keeps
//!    the package valid (a cell keeps a paragraph, a table without rows goes, repeated
//!    bookmarks and paragraph ids are dropped).
//!
//! Pure: bytes in, bytes out.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Cursor, Read, Write};

use serde_json::Value;

use super::DraftError;

/// What a name of the model holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Bool,
    List,
    Object,
}

/// The names a template may use: dotted paths (`personne.nom`), a list's item fields under the
/// list's path (`pieces.cote`).
#[derive(Debug, Clone, Default)]
pub struct Schema {
    fields: BTreeMap<String, FieldKind>,
}

/// Loop metadata available inside every loop: `boucle.rang`, `boucle.premier`, `boucle.dernier`.
pub const LOOP_FIELDS: [(&str, FieldKind); 3] = [
    ("boucle.rang", FieldKind::Text),
    ("boucle.premier", FieldKind::Bool),
    ("boucle.dernier", FieldKind::Bool),
];

impl Schema {
    pub fn new<'a>(fields: impl IntoIterator<Item = (&'a str, FieldKind)>) -> Schema {
        Schema {
            fields: fields.into_iter().map(|(p, k)| (p.to_owned(), k)).collect(),
        }
    }

    pub fn get(&self, path: &str) -> Option<FieldKind> {
        self.fields.get(path).copied()
    }

    pub fn paths(&self) -> impl Iterator<Item = (&str, FieldKind)> {
        self.fields.iter().map(|(p, k)| (p.as_str(), *k))
    }

    /// Resolves `name` seen inside the loops `scopes` (schema paths of the lists, outermost
    /// first): the innermost scope that has it wins, then the root.
    fn resolve(&self, scopes: &[String], name: &str) -> Option<(String, FieldKind)> {
        if !scopes.is_empty()
            && let Some((_, k)) = LOOP_FIELDS.iter().find(|(p, _)| *p == name)
        {
            return Some((name.to_owned(), *k));
        }
        for scope in scopes.iter().rev() {
            let path = format!("{scope}.{name}");
            if let Some(k) = self.get(&path) {
                return Some((path, k));
            }
        }
        self.get(name).map(|k| (name.to_owned(), k))
    }

    /// The visible name closest to an unknown one, for the error message.
    fn suggest(&self, scopes: &[String], name: &str) -> Option<String> {
        let mut candidates: Vec<String> = self
            .fields
            .keys()
            .filter_map(|p| {
                if !p.contains('.') || self.get(p.rsplit_once('.')?.0) == Some(FieldKind::Object) {
                    return Some(p.clone());
                }
                scopes
                    .iter()
                    .rev()
                    .find_map(|s| p.strip_prefix(&format!("{s}.")).map(str::to_owned))
            })
            .collect();
        if !scopes.is_empty() {
            candidates.extend(LOOP_FIELDS.iter().map(|(p, _)| (*p).to_owned()));
        }
        candidates
            .into_iter()
            .map(|c| (strsim::levenshtein(&c, name), c))
            .filter(|(d, c)| *d <= 3.max(c.len() / 3))
            .min()
            .map(|(_, c)| c)
    }
}

// ---------------------------------------------------------------------------------------------
// XML events

#[derive(Debug, Clone, PartialEq)]
enum Ev {
    Start {
        name: String,
        attrs: String,
    },
    End {
        name: String,
    },
    Empty {
        name: String,
        attrs: String,
    },
    /// Unescaped character data.
    Text(String),
    /// Declaration, comment, processing instruction, CDATA: written back as read.
    Raw(String),
    /// A tag cut out into its own run (index into the part's tags).
    Tag(usize),
}

fn parse_xml(template: &str, part: &str, xml: &[u8]) -> Result<Vec<Ev>, DraftError> {
    use quick_xml::events::Event;
    let malformed = |reason: String| DraftError::Template {
        template: template.to_owned(),
        reason: format!("la partie {part} n'est pas un XML bien formé ({reason})"),
    };
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out: Vec<Ev> = Vec::new();
    let mut buf = Vec::new();
    let mut depth: usize = 0;
    let text = |bytes: &[u8]| -> Result<String, DraftError> {
        String::from_utf8(bytes.to_vec()).map_err(|_| DraftError::Template {
            template: template.to_owned(),
            reason: format!("la partie {part} n'est pas en UTF-8"),
        })
    };
    let push_text = |out: &mut Vec<Ev>, s: &str| match out.last_mut() {
        Some(Ev::Text(t)) => t.push_str(s),
        _ => out.push(Ev::Text(s.to_owned())),
    };
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| malformed(format!("{e} à l'octet {}", reader.error_position())))?;
        match event {
            Event::Start(e) => {
                depth += 1;
                out.push(Ev::Start {
                    name: text(e.name().as_ref())?,
                    attrs: text(e.attributes_raw())?,
                });
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                out.push(Ev::End {
                    name: text(e.name().as_ref())?,
                });
            }
            Event::Empty(e) => out.push(Ev::Empty {
                name: text(e.name().as_ref())?,
                attrs: text(e.attributes_raw())?,
            }),
            Event::Text(e) => {
                let s = e.xml10_content().map_err(|e| malformed(e.to_string()))?;
                push_text(&mut out, &s);
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| malformed(e.to_string()))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = text(&r)?;
                        quick_xml::escape::resolve_xml_entity(&name)
                            .ok_or_else(|| malformed(format!("entité inconnue &{name};")))?
                            .to_owned()
                    }
                };
                push_text(&mut out, &resolved);
            }
            Event::CData(e) => push_text(&mut out, &text(&e)?),
            Event::Decl(e) => out.push(Ev::Raw(format!("<?{}?>", text(&e)?))),
            Event::PI(e) => out.push(Ev::Raw(format!("<?{}?>", text(&e)?))),
            Event::Comment(e) => out.push(Ev::Raw(format!("<!--{}-->", text(&e)?))),
            Event::DocType(e) => out.push(Ev::Raw(format!("<!DOCTYPE {}>", text(&e)?))),
            Event::Eof => break,
        }
        buf.clear();
    }
    if depth != 0 {
        return Err(malformed("élément non fermé".to_owned()));
    }
    Ok(out)
}

fn write_xml(events: &[Ev], tags: &[Tag]) -> String {
    let mut out = String::with_capacity(events.len() * 24);
    for ev in events {
        match ev {
            Ev::Start { name, attrs } => {
                out.push('<');
                out.push_str(name);
                out.push_str(attrs_with_space(attrs));
                out.push('>');
            }
            Ev::End { name } => {
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
            Ev::Empty { name, attrs } => {
                out.push('<');
                out.push_str(name);
                out.push_str(attrs_with_space(attrs));
                out.push_str("/>");
            }
            Ev::Text(t) => out.push_str(&quick_xml::escape::partial_escape(t.as_str())),
            Ev::Raw(r) => out.push_str(r),
            Ev::Tag(i) => {
                out.push_str(&quick_xml::escape::partial_escape(tags[*i].source.as_str()))
            }
        }
    }
    out
}

fn attrs_with_space(attrs: &str) -> &str {
    // `attributes_raw` keeps the whitespace before the first attribute.
    attrs
}

/// For each start event, the index of its end (and the reverse); other events map to themselves.
fn mates(events: &[Ev]) -> Vec<usize> {
    let mut mate: Vec<usize> = (0..events.len()).collect();
    let mut stack: Vec<usize> = Vec::new();
    for (i, ev) in events.iter().enumerate() {
        match ev {
            Ev::Start { .. } => stack.push(i),
            Ev::End { .. } => {
                if let Some(s) = stack.pop() {
                    mate[s] = i;
                    mate[i] = s;
                }
            }
            _ => {}
        }
    }
    mate
}

fn is_start(ev: &Ev, tag: &str) -> bool {
    matches!(ev, Ev::Start { name, .. } if name == tag)
}

// ---------------------------------------------------------------------------------------------
// Tags

#[derive(Debug, Clone, PartialEq)]
enum TagKind {
    Field(String),
    Loop(String),
    If { path: String, negated: bool },
    Else,
    EndIf,
    EndLoop(String),
}

#[derive(Debug, Clone)]
struct Tag {
    /// The tag as written, braces included (for messages and for the literal fallback).
    source: String,
    kind: TagKind,
    /// The run's formatting (`w:rPr` events) and attributes, given to the value's run.
    rpr: Vec<Ev>,
    run_attrs: String,
}

fn parse_tag(template: &str, source: &str) -> Result<TagKind, DraftError> {
    let inner = source
        .trim_start_matches("{{")
        .trim_end_matches("}}")
        .trim();
    let bad = |reason: &str| DraftError::Tag {
        template: template.to_owned(),
        tag: source.to_owned(),
        reason: reason.to_owned(),
    };
    let name = |s: &str| -> Result<String, DraftError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(bad("le nom du champ manque"));
        }
        if s.contains(char::is_whitespace) || s.contains(['{', '}', '#', '/']) {
            return Err(bad(
                "un nom de champ s'écrit d'un seul mot, avec des points entre les niveaux (ex. personne.nom)",
            ));
        }
        Ok(s.to_owned())
    };
    if let Some(rest) = inner.strip_prefix('#') {
        let rest = rest.trim();
        if rest == "sinon" {
            return Ok(TagKind::Else);
        }
        if let Some(cond) = rest.strip_prefix("si ") {
            let cond = cond.trim();
            return Ok(match cond.strip_prefix("non ") {
                Some(c) => TagKind::If {
                    path: name(c)?,
                    negated: true,
                },
                None => TagKind::If {
                    path: name(cond)?,
                    negated: false,
                },
            });
        }
        if rest == "si" {
            return Err(bad("la condition manque après «\u{a0}#si\u{a0}»"));
        }
        return Ok(TagKind::Loop(name(rest)?));
    }
    if let Some(rest) = inner.strip_prefix('/') {
        let rest = rest.trim();
        return Ok(if rest == "si" {
            TagKind::EndIf
        } else {
            TagKind::EndLoop(name(rest)?)
        });
    }
    Ok(TagKind::Field(name(inner)?))
}

/// Step 2: in each paragraph, moves every tag's characters into the text element where it
/// starts. Returns nothing; errors on a `{{` left open in its paragraph.
fn merge_split_tags(template: &str, events: &mut [Ev]) -> Result<(), DraftError> {
    // Text events directly inside `w:t`, grouped by their innermost paragraph.
    let mut stack: Vec<&str> = Vec::new();
    let mut paragraphs: Vec<Vec<usize>> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut done: Vec<Vec<usize>> = Vec::new();
    for (i, ev) in events.iter().enumerate() {
        match ev {
            Ev::Start { name, .. } => {
                if name == "w:p" {
                    open.push(paragraphs.len());
                    paragraphs.push(Vec::new());
                }
                stack.push(name);
            }
            Ev::End { name } => {
                stack.pop();
                if name == "w:p"
                    && let Some(p) = open.pop()
                {
                    done.push(std::mem::take(&mut paragraphs[p]));
                }
            }
            Ev::Text(_) if stack.last() == Some(&"w:t") => {
                if let Some(&p) = open.last() {
                    paragraphs[p].push(i);
                }
            }
            _ => {}
        }
    }
    for texts in done {
        merge_paragraph(template, events, &texts)?;
    }
    Ok(())
}

fn merge_paragraph(template: &str, events: &mut [Ev], texts: &[usize]) -> Result<(), DraftError> {
    let mut chars: Vec<(char, usize)> = Vec::new();
    for (k, &i) in texts.iter().enumerate() {
        if let Ev::Text(t) = &events[i] {
            chars.extend(t.chars().map(|c| (c, k)));
        }
    }
    if !chars.iter().any(|(c, _)| *c == '{') {
        return Ok(());
    }
    let mut owner: Vec<usize> = chars.iter().map(|(_, k)| *k).collect();
    let mut moved = false;
    let mut i = 0;
    while i + 1 < chars.len() {
        if chars[i].0 == '{' && chars[i + 1].0 == '{' {
            let close = (i + 2..chars.len().saturating_sub(1))
                .find(|&j| chars[j].0 == '}' && chars[j + 1].0 == '}');
            let Some(j) = close else {
                let text: String = chars[i..].iter().map(|(c, _)| *c).take(40).collect();
                return Err(DraftError::Tag {
                    template: template.to_owned(),
                    tag: text,
                    reason: "la balise n'est pas fermée par «\u{a0}}}\u{a0}» dans son paragraphe"
                        .to_owned(),
                });
            };
            let end = j + 2;
            let first = owner[i];
            for o in &mut owner[i..end] {
                if *o != first {
                    *o = first;
                    moved = true;
                }
            }
            i = end;
        } else {
            i += 1;
        }
    }
    if moved {
        let mut rebuilt: Vec<String> = vec![String::new(); texts.len()];
        for ((c, _), o) in chars.iter().zip(&owner) {
            rebuilt[*o].push(*c);
        }
        for (k, &idx) in texts.iter().enumerate() {
            events[idx] = Ev::Text(std::mem::take(&mut rebuilt[k]));
        }
    }
    Ok(())
}

/// Step 3: every tag in a `w:t` becomes an `Ev::Tag` between runs, with the run's formatting.
fn isolate_tags(template: &str, events: Vec<Ev>) -> Result<(Vec<Ev>, Vec<Tag>), DraftError> {
    let mut out: Vec<Ev> = Vec::with_capacity(events.len() + 16);
    let mut tags: Vec<Tag> = Vec::new();
    // (element name, index in `out` of its start)
    let mut stack: Vec<(String, usize)> = Vec::new();
    // Current run: index of its start in `out`, and its rPr events.
    let mut run: Option<(usize, Vec<Ev>)> = None;
    let mut in_rpr: Option<usize> = None;
    for ev in events {
        match &ev {
            Ev::Start { name, .. } => {
                if name == "w:r" {
                    run = Some((out.len(), Vec::new()));
                } else if name == "w:rPr" && stack.last().is_some_and(|(n, _)| n == "w:r") {
                    in_rpr = Some(stack.len());
                }
                stack.push((name.clone(), out.len()));
                if let (Some(_), Some((_, rpr))) = (in_rpr, run.as_mut()) {
                    rpr.push(ev.clone());
                }
                out.push(ev);
                continue;
            }
            Ev::End { name } => {
                if let (Some(_), Some((_, rpr))) = (in_rpr, run.as_mut()) {
                    rpr.push(ev.clone());
                }
                stack.pop();
                if in_rpr == Some(stack.len()) && name == "w:rPr" {
                    in_rpr = None;
                }
                if name == "w:r" {
                    run = None;
                }
                out.push(ev);
                continue;
            }
            Ev::Empty { .. } => {
                if let (Some(_), Some((_, rpr))) = (in_rpr, run.as_mut()) {
                    rpr.push(ev.clone());
                }
                out.push(ev);
                continue;
            }
            _ => {}
        }
        let in_text = stack.last().is_some_and(|(n, _)| n == "w:t")
            && stack.len() >= 2
            && stack[stack.len() - 2].0 == "w:r";
        let Ev::Text(text) = &ev else {
            out.push(ev);
            continue;
        };
        if !in_text || !text.contains("{{") {
            out.push(ev);
            continue;
        }
        let Some((run_start, rpr)) = run.clone() else {
            out.push(ev);
            continue;
        };
        let run_attrs = match &out[run_start] {
            Ev::Start { attrs, .. } => attrs.clone(),
            _ => String::new(),
        };
        let t_start = stack.last().map(|(_, i)| *i).unwrap_or(0);
        let preserve = " xml:space=\"preserve\"".to_owned();
        if let Ev::Start { attrs, .. } = &mut out[t_start] {
            *attrs = preserve.clone();
        }
        let mut rest = text.as_str();
        while let Some(open) = rest.find("{{") {
            let Some(close) = rest[open..].find("}}") else {
                break;
            };
            let close = open + close + 2;
            let source = &rest[open..close];
            let kind = parse_tag(template, source)?;
            out.push(Ev::Text(rest[..open].to_owned()));
            out.push(Ev::End {
                name: "w:t".to_owned(),
            });
            out.push(Ev::End {
                name: "w:r".to_owned(),
            });
            out.push(Ev::Tag(tags.len()));
            tags.push(Tag {
                source: source.to_owned(),
                kind,
                rpr: rpr.clone(),
                run_attrs: run_attrs.clone(),
            });
            out.push(Ev::Start {
                name: "w:r".to_owned(),
                attrs: run_attrs.clone(),
            });
            out.extend(rpr.iter().cloned());
            out.push(Ev::Start {
                name: "w:t".to_owned(),
                attrs: preserve.clone(),
            });
            rest = &rest[close..];
        }
        out.push(Ev::Text(rest.to_owned()));
    }
    Ok((out, tags))
}

// ---------------------------------------------------------------------------------------------
// Blocks

#[derive(Debug, Clone)]
struct Block {
    open: usize,
    close: usize,
    otherwise: Option<usize>,
    /// Events replaced by the block, inclusive.
    outer: (usize, usize),
    /// The body (or the « si » part), inclusive bounds; empty when start > end.
    body: (usize, usize),
    /// The « sinon » part.
    else_body: Option<(usize, usize)>,
}

/// Where a tag event sits: its innermost paragraph, row (start indices) and cell.
#[derive(Debug, Clone, Copy, Default)]
struct Place {
    paragraph: Option<usize>,
    row: Option<usize>,
    cell: Option<usize>,
}

const CONTENT: [&str; 5] = ["w:drawing", "w:pict", "w:object", "w:sym", "w:sectPr"];

struct Layout<'a> {
    events: &'a [Ev],
    mate: Vec<usize>,
    places: HashMap<usize, Place>,
}

impl<'a> Layout<'a> {
    fn new(events: &'a [Ev]) -> Layout<'a> {
        let mate = mates(events);
        let mut places = HashMap::new();
        let mut stack: Vec<(usize, &str)> = Vec::new();
        for (i, ev) in events.iter().enumerate() {
            match ev {
                Ev::Start { name, .. } => stack.push((i, name)),
                Ev::End { .. } => {
                    stack.pop();
                }
                Ev::Tag(_) => {
                    let find =
                        |tag: &str| stack.iter().rev().find(|(_, n)| *n == tag).map(|(i, _)| *i);
                    places.insert(
                        i,
                        Place {
                            paragraph: find("w:p"),
                            row: find("w:tr"),
                            cell: find("w:tc"),
                        },
                    );
                }
                _ => {}
            }
        }
        Layout {
            events,
            mate,
            places,
        }
    }

    /// Only whitespace text, no other tag and no drawing between `start` and its end.
    fn holds_only(&self, start: usize, tag: usize) -> bool {
        let end = self.mate[start];
        self.events[start + 1..end]
            .iter()
            .enumerate()
            .all(|(k, ev)| match ev {
                Ev::Tag(_) => start + 1 + k == tag,
                Ev::Text(t) => t.trim().is_empty(),
                Ev::Start { name, .. } | Ev::Empty { name, .. } => {
                    !CONTENT.contains(&name.as_str())
                }
                _ => true,
            })
    }

    fn alone_in_paragraph(&self, tag: usize) -> Option<usize> {
        let p = self.places[&tag].paragraph?;
        self.holds_only(p, tag).then_some(p)
    }

    /// The body of a block, split at its « sinon » element (a paragraph or a row, `Some(None)`
    /// when the « sinon » is not alone in one): then and else parts, or `None` when the
    /// separator is misplaced.
    #[allow(clippy::type_complexity)]
    fn split(
        &self,
        body: (usize, usize),
        separator: Option<Option<usize>>,
    ) -> Option<((usize, usize), Option<(usize, usize)>)> {
        let (start, end) = body;
        match separator {
            None => Some((body, None)),
            Some(Some(p))
                if p >= start
                    && self.mate[p] <= end
                    && self.balanced(start, p - 1)
                    && self.balanced(self.mate[p] + 1, end) =>
            {
                Some(((start, p - 1), Some((self.mate[p] + 1, end))))
            }
            Some(_) => None,
        }
    }

    /// `[a, b]` holds whole elements only (siblings): depth never below zero, zero at the end.
    fn balanced(&self, a: usize, b: usize) -> bool {
        if a > b {
            return true;
        }
        let mut depth: i64 = 0;
        for ev in &self.events[a..=b] {
            match ev {
                Ev::Start { .. } => depth += 1,
                Ev::End { .. } => {
                    depth -= 1;
                    if depth < 0 {
                        return false;
                    }
                }
                _ => {}
            }
        }
        depth == 0
    }
}

fn block_name(tags: &[Tag], open: usize, events: &[Ev]) -> String {
    match &events[open] {
        Ev::Tag(t) => tags[*t].source.clone(),
        _ => String::new(),
    }
}

/// Matches the block tags and gives each block its extent.
fn find_blocks(template: &str, events: &[Ev], tags: &[Tag]) -> Result<Vec<Block>, DraftError> {
    struct Open {
        at: usize,
        otherwise: Option<usize>,
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut matched: Vec<(usize, Option<usize>, usize)> = Vec::new();
    for (i, ev) in events.iter().enumerate() {
        let Ev::Tag(t) = ev else { continue };
        match &tags[*t].kind {
            TagKind::Field(_) => {}
            TagKind::Loop(_) | TagKind::If { .. } => stack.push(Open {
                at: i,
                otherwise: None,
            }),
            TagKind::Else => {
                let top = stack.last_mut().filter(|o| {
                    matches!(&events[o.at], Ev::Tag(ot) if matches!(tags[*ot].kind, TagKind::If { .. }))
                });
                match top {
                    Some(o) if o.otherwise.is_none() => o.otherwise = Some(i),
                    _ => {
                        return Err(DraftError::Misnested {
                            template: template.to_owned(),
                            found: tags[*t].source.clone(),
                            expected: "un bloc {{#si …}} ouvert (et un seul {{#sinon}} par bloc)"
                                .to_owned(),
                        });
                    }
                }
            }
            TagKind::EndIf | TagKind::EndLoop(_) => {
                let Some(o) = stack.pop() else {
                    return Err(DraftError::Misnested {
                        template: template.to_owned(),
                        found: tags[*t].source.clone(),
                        expected: "un bloc ouvert avant sa fermeture".to_owned(),
                    });
                };
                let Ev::Tag(ot) = &events[o.at] else {
                    unreachable!("block starts are tags")
                };
                let ok = match (&tags[*ot].kind, &tags[*t].kind) {
                    (TagKind::If { .. }, TagKind::EndIf) => true,
                    (TagKind::Loop(a), TagKind::EndLoop(b)) => a == b,
                    _ => false,
                };
                if !ok {
                    return Err(DraftError::Misnested {
                        template: template.to_owned(),
                        found: tags[*t].source.clone(),
                        expected: format!(
                            "la fermeture de {} (les blocs se ferment dans l'ordre inverse de leur ouverture)",
                            tags[*ot].source
                        ),
                    });
                }
                matched.push((o.at, o.otherwise, i));
            }
        }
    }
    if let Some(o) = stack.first() {
        return Err(DraftError::Unclosed {
            template: template.to_owned(),
            block: block_name(tags, o.at, events),
        });
    }
    let layout = Layout::new(events);
    let mut blocks = Vec::new();
    for (open, otherwise, close) in matched {
        blocks.push(extent(template, &layout, tags, open, otherwise, close)?);
    }
    blocks.sort_by_key(|b| (b.outer.0, std::cmp::Reverse(b.outer.1), b.open));
    Ok(blocks)
}

fn extent(
    template: &str,
    l: &Layout<'_>,
    tags: &[Tag],
    open: usize,
    otherwise: Option<usize>,
    close: usize,
) -> Result<Block, DraftError> {
    let name = block_name(tags, open, l.events);
    let placement = |reason: &str| DraftError::Placement {
        template: template.to_owned(),
        block: name.clone(),
        reason: reason.to_owned(),
    };
    let po = l.places[&open];
    let pc = l.places[&close];
    // Paragraphs: both markers alone in sibling paragraphs.
    if let (Some(a), Some(c)) = (l.alone_in_paragraph(open), l.alone_in_paragraph(close))
        && a != c
        && l.balanced(l.mate[a] + 1, c.saturating_sub(1))
    {
        let (body_start, body_end) = (l.mate[a] + 1, c - 1);
        let separator = otherwise.map(|e| l.alone_in_paragraph(e));
        let (body, else_body) = l
            .split((body_start, body_end), separator)
            .ok_or_else(|| {
                placement(
                    "{{#sinon}} doit être seul dans un paragraphe, au même niveau que {{#si …}} et {{/si}}",
                )
            })?;
        return Ok(Block {
            open,
            close,
            otherwise,
            outer: (a, l.mate[c]),
            body,
            else_body,
        });
    }
    // Table rows: markers in different cells or rows of one table.
    if let (Some(ro), Some(rc)) = (po.row, pc.row)
        && (po.cell != pc.cell || ro != rc)
        && l.balanced(ro, l.mate[rc])
    {
        let row_alone = |tag: usize, row: usize| l.holds_only(row, tag);
        let body_start = if row_alone(open, ro) {
            l.mate[ro] + 1
        } else {
            ro
        };
        let body_end = if row_alone(close, rc) {
            rc - 1
        } else {
            l.mate[rc]
        };
        let separator = otherwise.map(|e| l.places[&e].row.filter(|&r| row_alone(e, r)));
        let (body, else_body) = l
            .split((body_start, body_end), separator)
            .ok_or_else(|| placement("dans un tableau, {{#sinon}} doit être seul dans sa ligne"))?;
        return Ok(Block {
            open,
            close,
            otherwise,
            outer: (ro, l.mate[rc]),
            body,
            else_body,
        });
    }
    // Inline: both markers in one paragraph.
    if po.paragraph.is_some() && po.paragraph == pc.paragraph && l.balanced(open + 1, close - 1) {
        let (body, else_body) = match otherwise {
            None => ((open + 1, close - 1), None),
            Some(e) if l.balanced(open + 1, e - 1) => ((open + 1, e - 1), Some((e + 1, close - 1))),
            Some(_) => return Err(placement("{{#sinon}} est mal placé dans le paragraphe")),
        };
        return Ok(Block {
            open,
            close,
            otherwise,
            outer: (open, close),
            body,
            else_body,
        });
    }
    Err(placement(
        "placez l'ouverture et la fermeture dans le même paragraphe, ou chacune seule dans son \
         paragraphe au même niveau, ou dans des cellules ou lignes d'un même tableau",
    ))
}

// ---------------------------------------------------------------------------------------------
// Compilation into a tree, with the names checked against the schema

#[derive(Debug)]
enum Node {
    Lit(usize),
    Field {
        tag: usize,
        path: String,
    },
    Loop {
        path: String,
        body: Vec<Node>,
    },
    If {
        path: String,
        negated: bool,
        then: Vec<Node>,
        otherwise: Vec<Node>,
    },
}

struct Compiler<'a> {
    template: &'a str,
    events: &'a [Ev],
    tags: &'a [Tag],
    schema: &'a Schema,
    blocks: &'a [Block],
    /// Block tags, never output.
    markers: HashSet<usize>,
}

impl Compiler<'_> {
    fn resolve(
        &self,
        scopes: &[String],
        at: usize,
        name: &str,
    ) -> Result<(String, FieldKind), DraftError> {
        self.schema
            .resolve(scopes, name)
            .ok_or_else(|| DraftError::UnknownField {
                template: self.template.to_owned(),
                field: name.to_owned(),
                tag: match &self.events[at] {
                    Ev::Tag(t) => self.tags[*t].source.clone(),
                    _ => String::new(),
                },
                suggestion: self.schema.suggest(scopes, name),
            })
    }

    fn compile(
        &self,
        range: (usize, usize),
        scopes: &mut Vec<String>,
        active: &mut Vec<usize>,
    ) -> Result<Vec<Node>, DraftError> {
        let (a, b) = range;
        let mut out = Vec::new();
        let mut i = a;
        while i <= b {
            if let Some(k) = self
                .blocks
                .iter()
                .position(|bl| bl.outer.0 == i && !active.contains(&bl.open))
                .map(|p| &self.blocks[p])
            {
                if k.outer.1 > b {
                    return Err(self.overlap(k.open));
                }
                active.push(k.open);
                let node = self.block(k, scopes, active)?;
                active.pop();
                out.push(node);
                i = k.outer.1 + 1;
                continue;
            }
            if self.markers.contains(&i) {
                // A block's own markers inside its extent (table rows): never output.
                let own = self.blocks.iter().any(|bl| {
                    active.contains(&bl.open)
                        && (bl.open == i || bl.close == i || bl.otherwise == Some(i))
                });
                if !own {
                    return Err(self.overlap(i));
                }
                i += 1;
                continue;
            }
            match &self.events[i] {
                Ev::Tag(t) => {
                    let TagKind::Field(name) = &self.tags[*t].kind else {
                        return Err(self.overlap(i));
                    };
                    let (path, kind) = self.resolve(scopes, i, name)?;
                    if matches!(kind, FieldKind::List | FieldKind::Object) {
                        return Err(DraftError::FieldKind {
                            template: self.template.to_owned(),
                            field: name.clone(),
                            reason: if kind == FieldKind::List {
                                format!(
                                    "c'est une liste\u{a0}: écrivez {{{{#{name}}}}} … {{{{/{name}}}}}"
                                )
                            } else {
                                "c'est un groupe de champs\u{a0}: nommez l'un d'eux (ex. personne.nom)".to_owned()
                            },
                        });
                    }
                    out.push(Node::Field { tag: *t, path });
                }
                _ => out.push(Node::Lit(i)),
            }
            i += 1;
        }
        Ok(out)
    }

    fn overlap(&self, at: usize) -> DraftError {
        let found = match &self.events[at] {
            Ev::Tag(t) => self.tags[*t].source.clone(),
            _ => String::new(),
        };
        DraftError::Misnested {
            template: self.template.to_owned(),
            found,
            expected: "des blocs entièrement contenus l'un dans l'autre (ils se chevauchent)"
                .to_owned(),
        }
    }

    fn block(
        &self,
        k: &Block,
        scopes: &mut Vec<String>,
        active: &mut Vec<usize>,
    ) -> Result<Node, DraftError> {
        let Ev::Tag(t) = &self.events[k.open] else {
            unreachable!("block opens on a tag")
        };
        match &self.tags[*t].kind {
            TagKind::Loop(name) => {
                let (path, kind) = self.resolve(scopes, k.open, name)?;
                if kind != FieldKind::List {
                    return Err(DraftError::FieldKind {
                        template: self.template.to_owned(),
                        field: name.clone(),
                        reason: format!(
                            "ce n'est pas une liste\u{a0}: pour une condition, écrivez {{{{#si {name}}}}} … {{{{/si}}}}"
                        ),
                    });
                }
                scopes.push(path.clone());
                let body = self.compile(k.body, scopes, active);
                scopes.pop();
                Ok(Node::Loop { path, body: body? })
            }
            TagKind::If {
                path: name,
                negated,
            } => {
                let (path, _) = self.resolve(scopes, k.open, name)?;
                let then = self.compile(k.body, scopes, active)?;
                let otherwise = match k.else_body {
                    Some(r) => self.compile(r, scopes, active)?,
                    None => Vec::new(),
                };
                Ok(Node::If {
                    path,
                    negated: *negated,
                    then,
                    otherwise,
                })
            }
            _ => unreachable!("blocks open on loops and conditions"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering

struct Scope<'v> {
    value: &'v Value,
    /// Path of the list this scope is an item of (empty for the root).
    list: String,
    rank: usize,
    last: bool,
}

fn lookup<'v>(scopes: &[Scope<'v>], path: &str) -> Value {
    if let Some(field) = path.strip_prefix("boucle.")
        && let Some(s) = scopes.last()
    {
        return match field {
            "rang" => Value::String((s.rank + 1).to_string()),
            "premier" => Value::Bool(s.rank == 0),
            "dernier" => Value::Bool(s.last),
            _ => Value::Null,
        };
    }
    lookup_ref(scopes, path).cloned().unwrap_or(Value::Null)
}

pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::Object(_) => true,
    }
}

/// What an unknown value (null) prints: room to write by hand. An empty text (no source, no
/// note) prints nothing.
pub const BLANK: &str = "………………";

fn display(v: &Value) -> String {
    match v {
        Value::Null => BLANK.to_owned(),
        Value::String(s) => s.clone(),
        Value::Bool(true) => "oui".to_owned(),
        Value::Bool(false) => "non".to_owned(),
        other => other.to_string(),
    }
}

struct Renderer<'a> {
    events: &'a [Ev],
    tags: &'a [Tag],
    out: Vec<Ev>,
}

impl<'a> Renderer<'a> {
    fn render<'v>(&mut self, nodes: &[Node], scopes: &mut Vec<Scope<'v>>) {
        for node in nodes {
            match node {
                Node::Lit(i) => self.out.push(self.events[*i].clone()),
                Node::Field { tag, path } => {
                    let text = display(&lookup(scopes, path));
                    self.value_run(*tag, &text);
                }
                Node::Loop { path, body } => {
                    let list = lookup_ref(scopes, path);
                    let items: Vec<&'v Value> = match list {
                        Some(Value::Array(a)) => a.iter().collect(),
                        _ => Vec::new(),
                    };
                    let n = items.len();
                    for (rank, item) in items.into_iter().enumerate() {
                        scopes.push(Scope {
                            value: item,
                            list: path.clone(),
                            rank,
                            last: rank + 1 == n,
                        });
                        self.render(body, scopes);
                        scopes.pop();
                    }
                }
                Node::If {
                    path,
                    negated,
                    then,
                    otherwise,
                } => {
                    let holds = truthy(&lookup(scopes, path)) != *negated;
                    self.render(if holds { then } else { otherwise }, scopes);
                }
            }
        }
    }

    /// `<w:r>rPr<w:t>value</w:t></w:r>`, line breaks as `<w:br/>`, tabs as `<w:tab/>`.
    fn value_run(&mut self, tag: usize, text: &str) {
        let t = &self.tags[tag];
        self.out.push(Ev::Start {
            name: "w:r".to_owned(),
            attrs: t.run_attrs.clone(),
        });
        self.out.extend(t.rpr.iter().cloned());
        for (k, line) in text.split('\n').enumerate() {
            if k > 0 {
                self.out.push(Ev::Empty {
                    name: "w:br".to_owned(),
                    attrs: String::new(),
                });
            }
            for (j, piece) in line.split('\t').enumerate() {
                if j > 0 {
                    self.out.push(Ev::Empty {
                        name: "w:tab".to_owned(),
                        attrs: String::new(),
                    });
                }
                if !piece.is_empty() {
                    self.out.push(Ev::Start {
                        name: "w:t".to_owned(),
                        attrs: " xml:space=\"preserve\"".to_owned(),
                    });
                    self.out.push(Ev::Text(piece.to_owned()));
                    self.out.push(Ev::End {
                        name: "w:t".to_owned(),
                    });
                }
            }
        }
        self.out.push(Ev::End {
            name: "w:r".to_owned(),
        });
    }
}

/// The value at a schema path, borrowed from the model: the innermost scope whose list
/// prefixes the path holds it.
fn lookup_ref<'v>(scopes: &[Scope<'v>], path: &str) -> Option<&'v Value> {
    for s in scopes.iter().rev() {
        let rel = if s.list.is_empty() {
            Some(path)
        } else {
            path.strip_prefix(&format!("{}.", s.list))
        };
        if let Some(rel) = rel {
            let mut v = s.value;
            for part in rel.split('.') {
                v = v.get(part)?;
            }
            return Some(v);
        }
    }
    None
}

/// Keeps the rendered part valid: tables without rows go, every cell ends with a paragraph,
/// repeated bookmarks and paragraph ids are dropped, empty `w:t` go.
fn clean(events: Vec<Ev>) -> Vec<Ev> {
    // 1. Tables without rows.
    let mate = mates(&events);
    let mut drop = vec![false; events.len()];
    for (i, ev) in events.iter().enumerate() {
        if is_start(ev, "w:tbl") && !events[i..mate[i]].iter().any(|e| is_start(e, "w:tr")) {
            drop[i..=mate[i]].iter_mut().for_each(|d| *d = true);
        }
    }
    let events: Vec<Ev> = events
        .into_iter()
        .zip(drop)
        .filter_map(|(e, d)| (!d).then_some(e))
        .collect();
    // 2. Cells end with a paragraph; bookmarks and ids once.
    let mate = mates(&events);
    let mut out = Vec::with_capacity(events.len());
    let mut seen_bookmarks: HashSet<String> = HashSet::new();
    let mut skip_until: Option<usize> = None;
    for (i, ev) in events.iter().enumerate() {
        if let Some(end) = skip_until {
            if i <= end {
                continue;
            }
            skip_until = None;
        }
        match ev {
            Ev::End { name } if name == "w:tc" => {
                // The last element child of the cell must be a paragraph.
                let start = mate[i];
                let mut last_child: Option<&str> = None;
                let mut j = start + 1;
                while j < i {
                    match &events[j] {
                        Ev::Start { name, .. } => {
                            last_child = Some(name);
                            j = mate[j] + 1;
                        }
                        Ev::Empty { name, .. } => {
                            last_child = Some(name);
                            j += 1;
                        }
                        _ => j += 1,
                    }
                }
                if last_child != Some("w:p") {
                    out.push(Ev::Empty {
                        name: "w:p".to_owned(),
                        attrs: String::new(),
                    });
                }
                out.push(ev.clone());
            }
            Ev::Start { name, attrs } if name == "w:p" => out.push(Ev::Start {
                name: name.clone(),
                attrs: strip_ids(attrs),
            }),
            Ev::Empty { name, attrs } | Ev::Start { name, attrs }
                if name == "w:bookmarkStart" || name == "w:bookmarkEnd" =>
            {
                let key = format!("{name}{}", attr(attrs, "w:id").unwrap_or_default());
                if seen_bookmarks.insert(key) {
                    out.push(ev.clone());
                } else if matches!(ev, Ev::Start { .. }) {
                    skip_until = Some(mate[i]);
                }
            }
            Ev::Start { name, .. } if name == "w:t" && is_empty_text(&events, i) => {
                skip_until = Some(mate[i]);
            }
            _ => out.push(ev.clone()),
        }
    }
    out
}

/// `<w:t></w:t>` or `<w:t>""</w:t>`: nothing to show.
fn is_empty_text(events: &[Ev], start: usize) -> bool {
    match events.get(start + 1) {
        Some(Ev::End { .. }) => true,
        Some(Ev::Text(t)) => t.is_empty() && matches!(events.get(start + 2), Some(Ev::End { .. })),
        _ => false,
    }
}

fn attr(attrs: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = attrs.find(&key)? + key.len();
    let end = attrs[start..].find('"')? + start;
    Some(attrs[start..end].to_owned())
}

fn strip_ids(attrs: &str) -> String {
    let mut out = attrs.to_owned();
    for name in ["w14:paraId", "w14:textId"] {
        let key = format!(" {name}=\"");
        if let Some(start) = out.find(&key)
            && let Some(len) = out[start + key.len()..].find('"')
        {
            out.replace_range(start..start + key.len() + len + 1, "");
        }
    }
    out
}

/// A template part compiled: checked once, rendered for a model.
struct Part {
    events: Vec<Ev>,
    tags: Vec<Tag>,
    nodes: Vec<Node>,
}

fn compile_part(
    template: &str,
    part: &str,
    xml: &[u8],
    schema: &Schema,
) -> Result<Part, DraftError> {
    let mut events = parse_xml(template, part, xml)?;
    merge_split_tags(template, &mut events)?;
    let (events, tags) = isolate_tags(template, events)?;
    let blocks = find_blocks(template, &events, &tags)?;
    let markers: HashSet<usize> = blocks
        .iter()
        .flat_map(|b| [Some(b.open), Some(b.close), b.otherwise])
        .flatten()
        .collect();
    let compiler = Compiler {
        template,
        events: &events,
        tags: &tags,
        schema,
        blocks: &blocks,
        markers,
    };
    let nodes = if events.is_empty() {
        Vec::new()
    } else {
        compiler.compile((0, events.len() - 1), &mut Vec::new(), &mut Vec::new())?
    };
    Ok(Part {
        events,
        tags,
        nodes,
    })
}

fn render_part(part: &Part, model: &Value) -> String {
    let mut r = Renderer {
        events: &part.events,
        tags: &part.tags,
        out: Vec::with_capacity(part.events.len() * 2),
    };
    let mut scopes = vec![Scope {
        value: model,
        list: String::new(),
        rank: 0,
        last: true,
    }];
    r.render(&part.nodes, &mut scopes);
    write_xml(&clean(r.out), &part.tags)
}

/// Parts of a package that carry text a template may fill.
fn is_text_part(name: &str) -> bool {
    let Some(file) = name.strip_prefix("word/") else {
        return false;
    };
    let Some(stem) = file.strip_suffix(".xml") else {
        return false;
    };
    if stem.contains('/') {
        return false;
    }
    stem == "document"
        || stem == "footnotes"
        || stem == "endnotes"
        || ["header", "footer"].iter().any(|p| {
            stem.strip_prefix(p)
                .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        })
}

/// Largest part of a template once decompressed, and largest package.
const MAX_PART: u64 = 32 << 20;
const MAX_PACKAGE: u64 = 128 << 20;

/// The entries of a DOCX package, in order.
pub struct Package {
    pub entries: Vec<(String, Vec<u8>)>,
}

impl Package {
    pub fn read(template: &str, bytes: &[u8]) -> Result<Package, DraftError> {
        let bad = |reason: &str| DraftError::Template {
            template: template.to_owned(),
            reason: reason.to_owned(),
        };
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|_| bad("ce n'est pas un document DOCX (archive illisible)"))?;
        let mut entries = Vec::with_capacity(zip.len().min(1024));
        let mut total = 0u64;
        for i in 0..zip.len() {
            let mut file = zip
                .by_index(i)
                .map_err(|_| bad("une partie de l'archive est illisible"))?;
            if file.is_dir() {
                continue;
            }
            // The sizes an archive announces are not trusted: capped reads, no huge allocation.
            let mut data = Vec::with_capacity(file.size().min(1 << 20) as usize);
            (&mut file)
                .take(MAX_PART + 1)
                .read_to_end(&mut data)
                .map_err(|_| bad("une partie de l'archive est endommagée"))?;
            total += data.len() as u64;
            if data.len() as u64 > MAX_PART || total > MAX_PACKAGE {
                return Err(bad(
                    "l'archive décompressée est trop grande (plus de 32\u{a0}Mio par partie ou 128\u{a0}Mio en tout)\u{a0}: ce n'est pas un modèle d'acte",
                ));
            }
            entries.push((file.name().to_owned(), data));
        }
        for required in ["[Content_Types].xml", "word/document.xml"] {
            if !entries.iter().any(|(n, _)| n == required) {
                return Err(bad(&format!(
                    "la partie {required} manque\u{a0}: ce n'est pas un document Word"
                )));
            }
        }
        Ok(Package { entries })
    }

    pub fn write(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, data) in &self.entries {
            zip.start_file(name.as_str(), options)
                .and_then(|()| zip.write_all(data).map_err(Into::into))
                .expect("writing to memory");
        }
        zip.finish().expect("writing to memory").into_inner()
    }
}

/// A template checked against the schema: every part parsed, every name known.
pub struct Template {
    name: String,
    package: Package,
    parts: Vec<(usize, Part)>,
}

impl Template {
    pub fn compile(name: &str, bytes: &[u8], schema: &Schema) -> Result<Template, DraftError> {
        let package = Package::read(name, bytes)?;
        let mut parts = Vec::new();
        for (i, (part, data)) in package.entries.iter().enumerate() {
            if is_text_part(part) {
                parts.push((i, compile_part(name, part, data, schema)?));
            } else if part.ends_with(".xml") || part.ends_with(".rels") {
                // Every XML part must be well-formed, even those the engine leaves alone.
                parse_xml(name, part, data)?;
            }
        }
        Ok(Template {
            name: name.to_owned(),
            package,
            parts,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The filled document (a DOCX package).
    pub fn render(&self, model: &Value) -> Vec<u8> {
        let mut entries = self.package.entries.clone();
        for (i, part) in &self.parts {
            entries[*i].1 = render_part(part, model).into_bytes();
        }
        Package { entries }.write()
    }
}

#[cfg(test)]
mod tests;
