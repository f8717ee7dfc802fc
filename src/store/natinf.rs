//! The NATINF table (`natinf`, migration 0004): replaced whole by each import, read by search.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, StoreError, journal, now};
use crate::natinf::{Entry, Origin, Row, search_key};

/// The table as last imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NatinfImport {
    /// The imported file's name.
    pub source: String,
    /// RFC 3339, UTC.
    pub imported: String,
    pub rows: u64,
}

impl Store {
    /// Replaces the NATINF table with `rows` and journals it (event, row count and the file's
    /// sha256 only), in one transaction: on any error the previous table stays. Returns how
    /// many rows the previous table had.
    pub fn replace_natinf(
        &mut self,
        rows: &[Row],
        source: &str,
        sha256: &str,
    ) -> Result<u64, StoreError> {
        let at = now();
        let tx = self.conn_mut().transaction()?;
        let previous = tx.execute("DELETE FROM natinf", [])? as u64;
        {
            let mut insert = tx.prepare(
                "INSERT INTO natinf (code, nature, label, defined_by, repressed_by, search, source, imported)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for r in rows {
                insert.execute(params![
                    r.code,
                    r.nature,
                    r.label,
                    r.defined_by,
                    r.repressed_by,
                    search_key(r.code, &r.label),
                    source,
                    at
                ])?;
            }
        }
        journal::append(
            &tx,
            None,
            "natinf_imported",
            &serde_json::json!({ "rows": rows.len(), "sha256": sha256 }),
        )?;
        tx.commit()?;
        Ok(previous)
    }

    /// The imported table's source, date and size; `None` while nothing has been imported.
    pub fn natinf_import(&self) -> Result<Option<NatinfImport>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT source, imported, (SELECT COUNT(*) FROM natinf) FROM natinf LIMIT 1",
            )?
            .query_row([], |r| {
                Ok(NatinfImport {
                    source: r.get(0)?,
                    imported: r.get(1)?,
                    rows: r.get::<_, i64>(2)? as u64,
                })
            })
            .optional()?)
    }

    /// Calls `visit(code, search key, label length in characters)` for every row.
    pub fn natinf_scan(&self, visit: &mut dyn FnMut(u32, &str, usize)) -> Result<(), StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT code, search, length(label) FROM natinf")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let key = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            visit(row.get(0)?, key, row.get::<_, i64>(2)? as usize);
        }
        Ok(())
    }

    /// The entries of these codes, in this order (codes not in the table are left out).
    pub fn natinf_entries(&self, codes: &[u32]) -> Result<Vec<Entry>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT code, nature, label, defined_by, repressed_by, source, imported FROM natinf WHERE code = ?1",
        )?;
        let mut entries = Vec::with_capacity(codes.len());
        for &code in codes {
            let entry = stmt
                .query_row([code], |r| {
                    let text = |i: usize| -> rusqlite::Result<Option<String>> {
                        Ok(Some(r.get::<_, String>(i)?).filter(|t| !t.is_empty()))
                    };
                    Ok(Entry {
                        code: r.get::<_, u32>(0)?.to_string(),
                        nature: r.get(1)?,
                        label: r.get(2)?,
                        defined_by: text(3)?,
                        repressed_by: text(4)?,
                        origin: Origin::Import,
                        source: r.get(5)?,
                        imported: Some(r.get(6)?),
                    })
                })
                .optional()?;
            entries.extend(entry);
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::DataDir;

    fn row(code: u32, label: &str) -> Row {
        Row {
            code,
            nature: "Délit".into(),
            label: label.into(),
            defined_by: "art. L. 234-1 code de la route".into(),
            repressed_by: String::new(),
        }
    }

    #[test]
    fn an_import_replaces_the_table_and_is_journaled_without_content() {
        let tmp = tempfile::tempdir().unwrap();
        let keys = crate::crypto::Keys::ephemeral();
        let mut store = Store::open(DataDir::at(tmp.path()), &keys).unwrap();
        assert_eq!(store.natinf_import().unwrap(), None);
        let first = [row(1247, "Conduite en état alcoolique"), row(41, "Ivresse")];
        assert_eq!(store.replace_natinf(&first, "a.csv", "aa").unwrap(), 0);
        assert_eq!(store.replace_natinf(&first[..1], "b.csv", "bb").unwrap(), 2);
        let import = store.natinf_import().unwrap().unwrap();
        assert_eq!((import.source.as_str(), import.rows), ("b.csv", 1));
        let entries = store.natinf_entries(&[41, 1247]).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].label, "Conduite en état alcoolique");
        assert_eq!(entries[0].repressed_by, None);
        let mut keys = Vec::new();
        store
            .natinf_scan(&mut |code, key, chars| keys.push((code, key.to_owned(), chars)))
            .unwrap();
        assert_eq!(
            keys,
            [(1247, " 1247 conduite en etat alcoolique ".into(), 27)]
        );
        let details: Vec<String> = store
            .conn()
            .prepare("SELECT detail FROM journal WHERE event = 'natinf_imported' ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            details,
            [r#"{"rows":2,"sha256":"aa"}"#, r#"{"rows":1,"sha256":"bb"}"#]
        );
        assert!(journal::verify(store.conn()).unwrap().broken.is_none());
    }
}
