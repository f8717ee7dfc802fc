//! The engine's error: one variant per module's own error enum.
//!
//! Every message is French, names the file or object concerned and the reason; `code()` is a
//! stable identifier (`module.reason`) for the UI, which receives `{code, message}`.

use serde::Serialize;

use crate::bench::BenchError;
use crate::draft::DraftError;
use crate::index::IndexError;
use crate::natinf::NatinfError;
use crate::orient::PolicyError;
use crate::pdf::PdfError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Pdf(#[from] PdfError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Bench(#[from] BenchError),
    #[error(transparent)]
    Policy(#[from] PolicyError),
    #[error(transparent)]
    Decision(#[from] crate::decision::DecisionError),
    #[error(transparent)]
    Tracking(#[from] crate::tracking::TrackingError),
    #[error(transparent)]
    Natinf(#[from] NatinfError),
    #[error(transparent)]
    Draft(#[from] DraftError),
    #[error(transparent)]
    Crypto(#[from] crate::crypto::CryptoError),
}

impl Error {
    pub fn code(&self) -> &'static str {
        match self {
            Error::Pdf(e) => e.code(),
            Error::Store(e) => e.code(),
            Error::Index(e) => e.code(),
            Error::Bench(e) => e.code(),
            Error::Policy(e) => e.code(),
            Error::Decision(e) => e.code(),
            Error::Tracking(e) => e.code(),
            Error::Natinf(e) => e.code(),
            Error::Draft(e) => e.code(),
            Error::Crypto(e) => e.code(),
        }
    }

    /// The shape errors take when they cross to the UI or to JSON output.
    pub fn to_wire(&self) -> WireError {
        WireError {
            code: self.code().to_owned(),
            message: self.to_string(),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Store(e.into())
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Index(e.into())
    }
}

/// `{code, message}`: an error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct WireError {
    pub code: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_error_keeps_code_and_french_message() {
        let e: Error = PdfError::Encrypted {
            file: "pv.pdf".into(),
        }
        .into();
        let w = e.to_wire();
        assert_eq!(w.code, "pdf.encrypted");
        assert!(w.message.contains("mot de passe"));
        assert!(w.message.contains("«\u{a0}pv.pdf\u{a0}»"));
    }
}
