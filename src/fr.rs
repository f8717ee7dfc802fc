//! French typography for user-facing text: guillemets with non-breaking spaces.

/// `«\u{a0}text\u{a0}»`: how a file name or a value is quoted in messages.
pub fn quoted(text: &str) -> String {
    format!("«\u{a0}{text}\u{a0}»")
}

#[cfg(test)]
mod tests {
    #[test]
    fn guillemets_hold_non_breaking_spaces() {
        assert_eq!(super::quoted("a.pdf"), "«\u{a0}a.pdf\u{a0}»");
    }
}
