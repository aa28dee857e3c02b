//! "Did you mean …?" for misspelt names.

/// The closest candidate to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let word_l = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&word_l, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(1) + 1)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Formats the suggestion as a message suffix: `"; did you mean `x`?"` or "".
pub fn hint<'a, I>(word: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(word, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["threads", "threads-gil", "processes", "sequential"];
        assert_eq!(did_you_mean("thread", names), Some("threads"));
        assert_eq!(did_you_mean("proceses", names), Some("processes"));
        assert_eq!(did_you_mean("banana", names), None);
        assert_eq!(hint("sequental", names), "; did you mean `sequential`?");
    }
}
